"""Dates: documents + sentences + tokens -> dates (temporal expressions as TIMEX3 values).

The grammar and the value logic live in ``pipeline.temporal``; this module feeds them
the publication date of each document and the tense of the clause around each
expression, read from the tokens table written by the entity stage (no parsing here).
"""
from __future__ import annotations

import bisect
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import Settings, default_config_dir
from pipeline.engine import Stage
from pipeline.stages import declared
from pipeline.tables import DATES, ColumnsByDoc
from pipeline.temporal import FoundDate, find_dates
from pipeline.temporal.grammar import use_holidays
from pipeline.temporal.timex import FUTURE, PAST, PRESENT

VERBAL = ("VERB", "AUX")


@dataclass(frozen=True)
class TenseWords:
    """The words a clause's tense is read by (the [dates] tense lexicon)."""

    scheduling_verbs: frozenset[str]
    prospective_verbs: frozenset[str]
    conditional_endings: tuple[str, ...]
    irregular_future_stems: dict[str, str]

    @classmethod
    def from_file(cls, path: Path) -> "TenseWords":
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(
            scheduling_verbs=frozenset(data["scheduling_verbs"]),
            prospective_verbs=frozenset(data["prospective_verbs"]),
            conditional_endings=tuple(data["conditional_endings"]),
            irregular_future_stems=dict(data["irregular_future_stems"]),
        )


DEFAULT_TENSE_WORDS = TenseWords.from_file(default_config_dir() / "lexicons" / "tense.toml")


@lru_cache(maxsize=4096)
def _features(morph: str | None) -> dict[str, str]:
    """'Mood=Ind|Tense=Pres' -> {'Mood': 'Ind', 'Tense': 'Pres'}; read once per distinct
    morphology (the dict is shared: read it, never change it)."""
    if not morph:
        return {}
    return dict(part.split("=", 1) for part in morph.split("|") if "=" in part)


def _strings(column: pd.Series) -> pa.Array:
    """A string column as one Arrow array (no copy for pandas' Arrow-backed strings)."""
    array = pa.array(column)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array if pa.types.is_string(array.type) or pa.types.is_large_string(array.type) else array.cast(pa.string())


def _flags(array: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy, null read as False."""
    return array.fill_null(False).to_numpy(zero_copy_only=False)


class Tokens:
    """The tokens of a batch, sorted by document then token_id, kept as arrays.

    Turning every token's strings into Python objects costs more than all the tense
    questions of a batch. A tense question asks of a token's part of speech and
    dependency only whether it is a verb or an auxiliary, so those are read once for all
    tokens, in Arrow; lemmas and morphology stay in Arrow and are read token by token,
    for the few tokens a question reaches; a document's tokens are cut only when one of
    its dates asks for its tense (``Clause``)."""

    def __init__(self, tokens: pd.DataFrame | None, tense_words: TenseWords = DEFAULT_TENSE_WORDS):
        self.tense_words = tense_words
        self._by_doc = ColumnsByDoc(tokens, (), order_by="token_id")
        if tokens is None or not len(tokens):
            return
        ordered = self._by_doc.ordered
        self.token_ids = ordered(tokens["token_id"].to_numpy(np.int64))
        self.starts = ordered(tokens["start"].to_numpy(np.int64))
        self.heads = ordered(tokens["head"].to_numpy(np.int64))
        self.sentences = ordered(tokens["sent_id"].to_numpy(np.int64))
        pos, dep = _strings(tokens["pos"]), _strings(tokens["dep"])
        self.verbs = ordered(_flags(pc.equal(pos, "VERB")))
        self.verbal = ordered(_flags(pc.is_in(pos, value_set=pa.array(VERBAL))))
        self.auxiliaries = ordered(_flags(pc.starts_with(dep, "aux")))
        self.tense_auxiliaries = ordered(_flags(pc.equal(dep, "aux:tense")))
        # Lemmas and morphology stay in table order: each is read at its token's row.
        self.rows = ordered(np.arange(len(tokens)))
        self.lemmas, self.morphs = _strings(tokens["lemma"]), _strings(tokens["morph"])
        self.words = _strings(tokens["text"])

    def clause(self, doc_id: str) -> "Clause | None":
        """The clause of one document's tokens, None without tokens."""
        first, last = self._by_doc.span(doc_id)
        return Clause(self, first, last) if last > first else None


class Clause:
    """The tokens of one document, enough to find the tense governing a span.

    The offsets, heads, verbs and sentences of the tokens are read when the first tense
    is asked; lemmas, morphology and children only for the few tokens a tense question
    reaches. Token indices read as in a list (a negative one from the end)."""

    def __init__(self, tokens: Tokens, first: int, last: int):
        self._tokens = tokens
        self._first, self._last = first, last
        self._read = False
        self._features: dict[int, dict[str, str]] = {}
        self._children: dict[int, list[int]] = {}
        self._tenses: dict[int, str | None] = {}  # verb -> its tense: dates of a clause share it

    @classmethod
    def of(cls, tokens: pd.DataFrame) -> "Clause | None":
        """The clause of a frame holding one document's tokens."""
        return Tokens(tokens).clause(tokens["doc_id"].iloc[0]) if len(tokens) else None

    def _read_tokens(self) -> None:
        tokens, first, last = self._tokens, self._first, self._last
        self.starts: list[int] = tokens.starts[first:last].tolist()
        self._heads = tokens.heads[first:last] - tokens.token_ids[first]
        self.heads: list[int] = self._heads.tolist()
        self.verbal: list[bool] = tokens.verbal[first:last].tolist()
        self._sentences = tokens.sentences[first:last]
        self._verbs = tokens.verbs[first:last]
        self._read = True

    def _row(self, index: int) -> int:
        """The row in the tokens table of token ``index``, read as a list index."""
        size = self._last - self._first
        if not -size <= index < size:
            raise IndexError(index)
        return int(self._tokens.rows[self._first + (index if index >= 0 else index + size)])

    def children(self, index: int) -> list[int]:
        """Tokens whose head is ``index`` (but itself), in order."""
        if index not in self._children:
            found = np.flatnonzero(self._heads == index)
            self._children[index] = [child for child in found.tolist() if child != index]
        return self._children[index]

    def features(self, index: int) -> dict[str, str]:
        if index not in self._features:
            self._features[index] = _features(self._tokens.morphs[self._row(index)].as_py())
        return self._features[index]

    def word(self, index: int) -> str:
        return (self._tokens.words[self._row(index)].as_py() or "").lower()

    def lemma(self, index: int) -> str:
        return (self._tokens.lemmas[self._row(index)].as_py() or "").lower()

    def auxiliary(self, index: int) -> bool:
        """Its dependency starts with aux."""
        return bool(self._tokens.auxiliaries[self._row(index)])

    def tense_auxiliary(self, index: int) -> bool:
        """Its dependency is aux:tense."""
        return bool(self._tokens.tense_auxiliaries[self._row(index)])

    def tense(self, start: int, end: int) -> str | None:
        """past, present or future of the verb governing the span at start..end."""
        if not self._read:
            self._read_tokens()
        if not self.starts:
            return None
        index = min(max(bisect.bisect_right(self.starts, start) - 1, 0), len(self.starts) - 1)
        verb = self._governing_verb(index)
        if verb is None:
            return None
        if verb not in self._tenses:
            self._tenses[verb] = self._verb_tense(verb)
        return self._tenses[verb]

    def _governing_verb(self, index: int) -> int | None:
        seen = set()
        node = index
        while node not in seen and 0 <= node < len(self.heads):
            seen.add(node)
            if self.verbal[node] and node != index:
                return node
            parent = self.heads[node]
            if parent == node:
                break
            node = parent
        # No verb above (a title, a fragment): the nearest verb of the sentence.
        candidates = np.flatnonzero((self._sentences == self._sentences[index]) & self._verbs).tolist()
        return min(candidates, key=lambda i: abs(i - index)) if candidates else None

    def _has_avoir(self, verb: int) -> bool:
        return any(self.lemma(child) == "avoir" and self.auxiliary(child) for child in self.children(verb))

    def _verb_tense(self, verb: int, depth: int = 0) -> str | None:
        features = self.features(verb)
        auxiliaries = [child for child in self.children(verb) if self.auxiliary(child)]
        tense_auxiliaries = [a for a in auxiliaries if self.tense_auxiliary(a)]
        every = [features] + [self.features(a) for a in auxiliaries]
        if any(f.get("Tense") == "Fut" for f in every):
            return FUTURE
        if self.lemma(verb) in self._tokens.tense_words.scheduling_verbs and features.get("VerbForm") == "Part" and not self._has_avoir(verb):
            return FUTURE
        if tense_auxiliaries:
            return PAST
        if features.get("Mood") == "Cnd" or any(f.get("Mood") == "Cnd" for f in every):
            return FUTURE
        if features.get("Tense") == "Imp" and is_conditional(self.word(verb), self.lemma(verb), self._tokens.tense_words):
            return FUTURE  # the model often tags "partirait" as an imperfect
        if features.get("VerbForm") == "Inf":
            # An infinitive's time is its own, unless a modal or "aller" projects it forward.
            head = self.heads[verb]
            if head != verb and self.verbal[head] and depth < 3:
                governor = self._verb_tense(head, depth + 1)
                if governor == FUTURE or self.lemma(head) in self._tokens.tense_words.prospective_verbs:
                    return FUTURE
            return None

        if features.get("Tense") in ("Imp", "Past"):
            return PAST
        if any(f.get("Tense") in ("Imp", "Past") for f in every):
            return PAST
        if self.lemma(verb) in self._tokens.tense_words.prospective_verbs and any(self.features(c).get("VerbForm") == "Inf" for c in self.children(verb)):
            return FUTURE
        if features.get("Tense") == "Pres" or any(f.get("Tense") == "Pres" for f in every):
            return PRESENT
        return None


def is_conditional(word: str, lemma: str, words: TenseWords = DEFAULT_TENSE_WORDS) -> bool:
    """'partirait', 'prendraient', 'serait' are conditionals; 'partait', 'déclarait' imperfects:
    the future stem (the infinitive, less the e of -re verbs, or an irregular stem) + an imperfect ending."""
    stems = {words.irregular_future_stems.get(lemma, lemma), lemma[:-1] if lemma.endswith("re") else lemma}
    return any(word == stem + ending for stem in stems for ending in words.conditional_endings)


def _sentence_of(sentences: list[tuple[int, int]]):
    """offset -> sent_id, from one document's (sent_id, start) rows."""
    starts = [int(start) for _, start in sentences]
    ids = [int(sent_id) for sent_id, _ in sentences]

    def sentence(offset: int) -> int:
        position = bisect.bisect_right(starts, offset) - 1
        return ids[max(position, 0)] if ids else 0

    return sentence


def document_dates(doc_id: str, text: str, published: str | None, sentences: list[tuple[int, int]], clause: Clause | None) -> list[tuple]:
    """Rows of the dates table for one document, from its (sent_id, start) sentence rows and
    the clause of its tokens (None without tokens)."""
    found: list[FoundDate] = find_dates(text, anchor=published, tense=clause.tense if clause else None)
    sentence = _sentence_of(sentences)
    rows = []
    for date_id, item in enumerate(found):
        timex = item.timex
        anchor = str(item.reference) if timex.anchored == "reference" and item.reference is not None else timex.anchored
        rows.append((doc_id, date_id, sentence(item.start), item.start, item.end, item.text, timex.type, timex.value,
                     timex.mod, anchor, timex.start, timex.end))
    return rows


def dates(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame, words: TenseWords = DEFAULT_TENSE_WORDS) -> pd.DataFrame:
    """documents + sentences + tokens -> dates (one row per temporal expression)."""
    sentences_by_doc = ColumnsByDoc(sentences, ("sent_id", "start"))
    tokens_by_doc = Tokens(tokens, words)
    rows = []
    for doc_id, text, published in zip(documents["doc_id"].tolist(), documents["text"].tolist(), documents["published"].tolist()):
        rows += document_dates(
            doc_id, text, published if isinstance(published, str) else None,
            sentences_by_doc.rows(doc_id), tokens_by_doc.clause(doc_id),
        )
    return pd.DataFrame(rows, columns=DATES.column_names)


def _prepare(settings: Settings):
    if settings.section("dates").get("holidays"):
        use_holidays(settings.lexicon_path("dates", "holidays"))
    words = TenseWords.from_file(settings.lexicon_path("dates", "tense")) if settings.section("dates").get("tense") else DEFAULT_TENSE_WORDS
    return lambda frames: {"dates": dates(frames["documents"], frames["sentences"], frames["tokens"], words)}


STAGE = Stage(
    **declared("dates"),
    prepare=_prepare,
)
