"""Dates: documents + sentences + tokens -> dates (temporal expressions as TIMEX3 values).

The grammar and the value logic live in ``pipeline.temporal``; this module feeds them
the publication date of each document and the tense of the clause around each
expression, read from the tokens table written by the entity stage (no parsing here).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import pandas as pd

from pipeline.config import Settings
from pipeline.engine import Stage
from pipeline.tables import DATES, DOCUMENTS, SENTENCES, TOKENS, ColumnsByDoc
from pipeline.temporal import FoundDate, find_dates
from pipeline.temporal.timex import FUTURE, PAST, PRESENT

VERBAL = ("VERB", "AUX")
# "la réunion (est) prévue le 16 juillet": a participle of planning points forward.
SCHEDULING_VERBS = frozenset({"prévoir", "programmer", "planifier", "fixer", "attendre", "convoquer"})
# Verbs that, in the present and followed by an infinitive, announce what comes next.
PROSPECTIVE_VERBS = frozenset({"aller", "devoir", "compter", "prévoir", "envisager", "espérer"})


def _features(morph: str | None) -> dict[str, str]:
    if not morph:
        return {}
    return dict(part.split("=", 1) for part in morph.split("|") if "=" in part)


TOKEN_COLUMNS = ("token_id", "start", "head", "pos", "lemma", "dep", "morph", "sent_id")


@dataclass
class Clause:
    """The tokens of one document, enough to find the tense governing a span.

    Lemmas, dependencies and morphology matter only for the few tokens a tense
    question reaches: they are kept as the tokens table gives them, read on demand."""

    starts: list[int]
    heads: list[int]
    pos: list[str | None]
    lemmas: list[str | None]
    deps: list[str | None]
    morphs: list[str | None]
    sentences: list[int]
    children: dict[int, list[int]]
    _features: dict[int, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, tokens: pd.DataFrame) -> "Clause":
        return cls.from_columns({column: tokens[column].tolist() for column in TOKEN_COLUMNS})

    @classmethod
    def from_columns(cls, columns: dict[str, list]) -> "Clause":
        """From one document's token columns, as lists named by ``TOKEN_COLUMNS``."""
        token_ids = columns["token_id"]
        if token_ids != sorted(token_ids):
            order = sorted(range(len(token_ids)), key=token_ids.__getitem__)
            columns = {name: [values[i] for i in order] for name, values in columns.items()}
        first = int(columns["token_id"][0]) if token_ids else 0
        heads = [int(head) - first for head in columns["head"]]
        children: dict[int, list[int]] = {}
        for index, head in enumerate(heads):
            if head != index:
                children.setdefault(head, []).append(index)
        return cls(
            starts=columns["start"], heads=heads, pos=columns["pos"], lemmas=columns["lemma"], deps=columns["dep"],
            morphs=columns["morph"], sentences=columns["sent_id"], children=children,
        )

    def features(self, index: int) -> dict[str, str]:
        if index not in self._features:
            self._features[index] = _features(self.morphs[index])
        return self._features[index]

    def lemma(self, index: int) -> str:
        return (self.lemmas[index] or "").lower()

    def dep(self, index: int) -> str:
        return self.deps[index] or ""

    def tense(self, start: int, end: int) -> str | None:
        """past, present or future of the verb governing the span at start..end."""
        if not self.starts:
            return None
        index = min(max(bisect.bisect_right(self.starts, start) - 1, 0), len(self.starts) - 1)
        verb = self._governing_verb(index)
        return self._verb_tense(verb) if verb is not None else None

    def _governing_verb(self, index: int) -> int | None:
        seen = set()
        node = index
        while node not in seen and 0 <= node < len(self.heads):
            seen.add(node)
            if self.pos[node] in VERBAL and node != index:
                return node
            parent = self.heads[node]
            if parent == node:
                break
            node = parent
        # No verb above (a title, a fragment): the nearest verb of the sentence.
        sentence = self.sentences[index]
        candidates = [i for i, s in enumerate(self.sentences) if s == sentence and self.pos[i] == "VERB"]
        return min(candidates, key=lambda i: abs(i - index)) if candidates else None

    def _has_avoir(self, verb: int) -> bool:
        return any(self.lemma(child) == "avoir" and self.dep(child).startswith("aux") for child in self.children.get(verb, []))

    def _verb_tense(self, verb: int, depth: int = 0) -> str | None:
        features = self.features(verb)
        auxiliaries = [child for child in self.children.get(verb, []) if self.dep(child).startswith("aux")]
        tense_auxiliaries = [a for a in auxiliaries if self.dep(a) == "aux:tense"]
        every = [features] + [self.features(a) for a in auxiliaries]
        if any(f.get("Tense") == "Fut" for f in every):
            return FUTURE
        if self.lemma(verb) in SCHEDULING_VERBS and features.get("VerbForm") == "Part" and not self._has_avoir(verb):
            return FUTURE
        if tense_auxiliaries:
            return PAST
        if features.get("Mood") == "Cnd" or any(f.get("Mood") == "Cnd" for f in every):
            return FUTURE
        if features.get("VerbForm") == "Inf":
            # An infinitive's time is its own, unless a modal or "aller" projects it forward.
            head = self.heads[verb]
            if head != verb and self.pos[head] in VERBAL and depth < 3:
                governor = self._verb_tense(head, depth + 1)
                if governor == FUTURE or self.lemma(head) in PROSPECTIVE_VERBS:
                    return FUTURE
            return None

        if features.get("Tense") in ("Imp", "Past"):
            return PAST
        if any(f.get("Tense") in ("Imp", "Past") for f in every):
            return PAST
        if self.lemma(verb) in PROSPECTIVE_VERBS and any(self.features(c).get("VerbForm") == "Inf" for c in self.children.get(verb, [])):
            return FUTURE
        if features.get("Tense") == "Pres" or any(f.get("Tense") == "Pres" for f in every):
            return PRESENT
        return None


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


def dates(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """documents + sentences + tokens -> dates (one row per temporal expression)."""
    sentences_by_doc = ColumnsByDoc(sentences, ("sent_id", "start"))
    tokens_by_doc = ColumnsByDoc(tokens, TOKEN_COLUMNS)
    rows = []
    for doc_id, text, published in zip(documents["doc_id"].tolist(), documents["text"].tolist(), documents["published"].tolist()):
        columns = dict(zip(TOKEN_COLUMNS, tokens_by_doc.of(doc_id)))
        rows += document_dates(
            doc_id, text, published if isinstance(published, str) else None,
            sentences_by_doc.rows(doc_id), Clause.from_columns(columns) if columns["token_id"] else None,
        )
    return pd.DataFrame(rows, columns=DATES.column_names)


def _prepare(settings: Settings):
    return lambda frames: {"dates": dates(frames["documents"], frames["sentences"], frames["tokens"])}


STAGE = Stage(
    name="dates",
    version="1",
    reads=(DOCUMENTS, SENTENCES, TOKENS),
    writes=(DATES,),
    prepare=_prepare,
    description="Find temporal expressions and normalise them as TIMEX3 values anchored on the publication date.",
)
