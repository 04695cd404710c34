"""Named entities: documents + sentences -> tokens + entities.

This is the only place where spaCy's statistical pass runs. Each document is parsed
once, with the sentence boundaries of the sentence stage preset (the parser respects
them), and everything later stages need from the parse is kept in ``tokens``.
"""
from __future__ import annotations

import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.allocator import keep_freed_memory
from pipeline.config import Settings
from pipeline.engine import Stage
from pipeline.stages import declared
from pipeline.mentions import EntityLexicon, NameMention, add_entity_ruler, doc_mentions, resolve
from pipeline.names import entity_key
from pipeline.segments import parse_documents
from pipeline.tables import ENTITIES, TOKENS, ColumnsByDoc

# spaCy is imported when the model is loaded, not with this module: commands that need no
# model (`pipeline --help`, an unchanged `run`) never pay for it. Attributes are named by
# string (spaCy's to_array and from_array take names) for the same reason.
if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.strings import StringStore
    from spacy.tokens import Doc


def load_model(settings: Settings) -> tuple[Language, EntityLexicon]:
    """The model with the lexicon ruler before its statistical NER; nothing disabled."""
    import spacy

    nlp = spacy.load(settings.model_name)
    lexicons = EntityLexicon.from_file(settings.lexicon_path("entities", "lexicons"), settings.lexicon_path("entities", "places"))
    add_entity_ruler(nlp, lexicons)
    return nlp, lexicons


@dataclass
class LastingWords:
    """Words whose lexemes and tokenisation outlive the memory zones.

    A memory zone frees every lexeme and tokenizer cache entry made inside it, so each
    batch would rebuild those of "le", "de", "a dit"... Words tokenised outside a zone are
    kept for good. The first ``capacity`` distinct words met are kept (in news text the
    frequent words come first); rarer words stay transient, so memory stays bounded.
    """

    nlp: Language
    capacity: int
    kept: set[str] = field(default_factory=set)

    def keep_words_of(self, texts: list[str]) -> None:
        """Call outside a memory zone, before the zone that parses ``texts``."""
        room = self.capacity - len(self.kept)
        if room <= 0:
            return
        new = sorted({word for text in texts for word in text.split()} - self.kept)[:room]
        self.kept.update(new)
        # One word per call: in a text, the tokenizer stops caching after the first special case.
        for word in new:
            self.nlp.tokenizer(word)


def make_doc(nlp: Language, text: str, sentence_starts: list[int]) -> Doc:
    """Tokenise and preset sentence boundaries: a start at each sentence's first token."""
    doc = nlp.make_doc(text)
    # 1 marks a sentence start, -1 a token inside a sentence (what is_sent_start True/False set).
    flags = np.full((len(doc), 1), -1, dtype=np.int64)
    flags[token_indices(doc.to_array("IDX").astype(np.int64), sentence_starts)] = 1
    flags[:1] = 1
    doc.from_array(["SENT_START"], flags.view(np.uint64))
    return doc


def token_indices(token_starts: np.ndarray, offsets: list[int]) -> np.ndarray:
    """Index of the token holding each character offset, given where each token starts."""
    return np.maximum(np.searchsorted(token_starts, offsets, side="right") - 1, 0)


TOKEN_ATTRS = ["IDX", "LENGTH", "HEAD", "LEMMA", "POS", "MORPH", "DEP"]
# TOKENS columns spaCy gives as StringStore keys, with their TOKEN_ATTRS position.
KEYED_COLUMNS = {"lemma": 3, "pos": 4, "morph": 5, "dep": 6}


def token_columns(doc: Doc, text: str, sent_ids: list[int], sent_starts: list[int]) -> dict[str, np.ndarray | list[str]]:
    """TOKENS columns of one document but its id, read column-wise from the parse; a token
    belongs to the last sentence started before it. KEYED_COLUMNS stay StringStore keys:
    ``tokens_frame`` reads them for a whole batch."""
    attrs = doc.to_array(TOKEN_ATTRS)
    starts, lengths, heads = attrs[:, :3].view(np.int64).T
    token_ids = np.arange(len(doc))
    sentence_of = np.maximum(np.searchsorted(token_indices(starts, sent_starts), token_ids, side="right") - 1, 0)
    ends = starts + lengths
    return {
        "token_id": token_ids,
        "sent_id": np.asarray(sent_ids, dtype=np.int64)[sentence_of],
        "start": starts,
        "end": ends,
        "text": [text[start:end] for start, end in zip(starts.tolist(), ends.tolist())],
        **{name: attrs[:, position] for name, position in KEYED_COLUMNS.items()},
        # to_array gives the head relative to the token.
        "head": token_ids + heads,
    }


def tokens_frame(doc_ids: list[str], columns: list[dict[str, np.ndarray | list[str]]], store: StringStore) -> pd.DataFrame:
    """The TOKENS frame of documents from their ``token_columns``. Call inside the memory
    zone of the parses: the keys are read from ``store`` here.

    pandas keeps str columns in Arrow: they are built there directly, the keyed ones by
    reading each distinct key once and taking it for every token that has it."""
    from spacy.morphology import Morphology

    if not columns:
        return pd.DataFrame({column: [] for column in TOKENS.column_names})
    counts = [len(part["token_id"]) for part in columns]
    joined = {name: np.concatenate([part[name] for part in columns]) for name in columns[0] if name != "text"}
    strings = {name: decoded(joined[name], store) for name in KEYED_COLUMNS}
    # The store names an analysis without features `_`; str(token.morph) gives "".
    strings["morph"] = pc.if_else(pc.equal(strings["morph"], Morphology.EMPTY_MORPH), "", strings["morph"])
    strings["text"] = pa.array(list(chain.from_iterable(part["text"] for part in columns)), pa.string())
    strings["doc_id"] = pa.array(doc_ids, pa.string()).take(np.repeat(np.arange(len(doc_ids)), counts))
    return pd.DataFrame({
        column: pd.array(strings[column], dtype="str") if column in strings else joined[column].astype(np.int64)
        for column in TOKENS.column_names
    })


def decoded(keys: np.ndarray, store: StringStore) -> pa.Array:
    """Strings of hash (or symbol) keys (0: no string), each distinct key read once; a hash
    names the same string in every memory zone."""
    codes, distinct = pd.factorize(keys)
    return pa.array([store[key] if key else "" for key in distinct.tolist()], pa.string()).take(codes)


def entity_rows(doc_id: str, mentions: list[NameMention], sent_ids: list[int], sent_starts: list[int]) -> list[tuple]:
    """One tuple per mention, in ENTITIES column order, with canonical names and keys."""
    resolved = resolve(mentions)
    # The mentions of an entity share its key: each key is built once.
    keys = {pair: entity_key(*pair) for pair in {(mention.label, canonical) for mention, canonical in resolved}}
    return [
        (
            doc_id,
            ent_id,
            sent_ids[max(bisect_right(sent_starts, mention.start) - 1, 0)],
            mention.start,
            mention.end,
            mention.text,
            mention.label,
            canonical,
            keys[mention.label, canonical],
        )
        for ent_id, (mention, canonical) in enumerate(resolved)
    ]


def extract(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    nlp: Language,
    lexicons: EntityLexicon,
    batch_size: int,
    lasting: LastingWords | None = None,
    batch_chars: int | None = None,
    segment_chars: int | None = None,
) -> dict[str, pd.DataFrame]:
    """documents + sentences -> {"tokens": ..., "entities": ...}; one spaCy pass per document
    (a long one in segments: see pipeline.segments). Without ``batch_chars``, batches are
    bounded by their number of documents only; without ``segment_chars``, only a text over
    spaCy's own limit (``nlp.max_length``) is parsed in segments."""
    sentences_by_doc = ColumnsByDoc(sentences, ("sent_id", "start"))
    work = []
    for doc_id, text in zip(documents["doc_id"].tolist(), documents["text"].tolist()):
        sent_ids, starts = sentences_by_doc.of(doc_id)
        if sent_ids:  # a document without sentences has nothing to parse
            work.append((doc_id, text, sent_ids, starts))
    tokens: list[dict[str, np.ndarray | list[str]]] = []
    entities: list[tuple] = []
    if lasting is not None:
        lasting.keep_words_of([text for _, text, _, _ in work])
    # Strings created inside the zone are freed on exit: nothing from a Doc may escape it.
    with nlp.memory_zone():
        texts = [(text, starts) for _, text, _, starts in work]
        docs = parse_documents(nlp, texts, make_doc, batch_size, batch_chars or sys.maxsize, segment_chars or nlp.max_length)
        for (doc_id, text, sent_ids, starts), doc in zip(work, docs):
            tokens.append(token_columns(doc, text, sent_ids, starts))
            entities.extend(entity_rows(doc_id, doc_mentions(doc, text, lexicons), sent_ids, starts))
        token_frame = tokens_frame([doc_id for doc_id, _, _, _ in work], tokens, nlp.vocab.strings)
    return {"tokens": token_frame, "entities": pd.DataFrame(entities, columns=ENTITIES.column_names)}


def _prepare(settings: Settings):
    keep_freed_memory(settings.keep_freed_mb)
    nlp, lexicons = load_model(settings)
    batch_size = settings.batch_size
    lasting = LastingWords(nlp, settings.lasting_words)
    lengths = {"batch_chars": int(settings.raw["model"]["batch_chars"]), "segment_chars": int(settings.section("entities")["segment_chars"])}
    return lambda frames: extract(frames["documents"], frames["sentences"], nlp, lexicons, batch_size, lasting, **lengths)


STAGE = Stage(
    **declared("entities"),
    prepare=_prepare,
    uses_model=True,
)
