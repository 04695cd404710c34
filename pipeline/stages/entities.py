"""Named entities: documents + sentences -> tokens + entities.

This is the only place where spaCy's statistical pass runs. Each document is parsed
once, with the sentence boundaries of the sentence stage preset (the parser respects
them), and everything later stages need from the parse is kept in ``tokens``.
"""
from __future__ import annotations

from bisect import bisect_right

import pandas as pd
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.config import Settings
from pipeline.engine import Stage
from pipeline.mentions import Lexicons, Mention, add_entity_ruler, doc_mentions, resolve
from pipeline.names import entity_key
from pipeline.tables import DOCUMENTS, ENTITIES, SENTENCES, TOKENS


def load_model(settings: Settings) -> tuple[Language, Lexicons]:
    """The model with the lexicon ruler before its statistical NER; nothing disabled."""
    nlp = spacy.load(settings.model_name)
    lexicons = Lexicons.from_file(settings.lexicon_path("entities", "lexicons"))
    add_entity_ruler(nlp, lexicons)
    return nlp, lexicons


def make_doc(nlp: Language, text: str, sentence_starts: list[int]) -> Doc:
    """Tokenise and preset sentence boundaries: a start at each sentence's first token."""
    doc = nlp.make_doc(text)
    first_tokens = set(token_indices(doc, sentence_starts))
    for token in doc:
        token.is_sent_start = token.i in first_tokens or token.i == 0
    return doc


def token_indices(doc: Doc, offsets: list[int]) -> list[int]:
    """Index of the token holding each character offset."""
    token_starts = [token.idx for token in doc]
    return [max(bisect_right(token_starts, offset) - 1, 0) for offset in offsets]


def token_rows(doc_id: str, doc: Doc, sent_ids: list[int], sentence_tokens: list[int]) -> list[tuple]:
    """One tuple per token, in TOKENS column order; a token belongs to the last sentence started before it."""
    return [
        (
            doc_id,
            token.i,
            sent_ids[max(bisect_right(sentence_tokens, token.i) - 1, 0)],
            token.idx,
            token.idx + len(token),
            token.text,
            token.lemma_,
            token.pos_,
            str(token.morph),
            token.dep_,
            token.head.i,
        )
        for token in doc
    ]


def entity_rows(doc_id: str, mentions: list[Mention], sent_ids: list[int], sent_starts: list[int]) -> list[tuple]:
    """One tuple per mention, in ENTITIES column order, with canonical names and keys."""
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
            entity_key(mention.label, canonical),
        )
        for ent_id, (mention, canonical) in enumerate(resolve(mentions))
    ]


def extract(documents: pd.DataFrame, sentences: pd.DataFrame, nlp: Language, lexicons: Lexicons, batch_size: int) -> dict[str, pd.DataFrame]:
    """documents + sentences -> {"tokens": ..., "entities": ...}; one spaCy pass per document."""
    by_doc = {doc_id: group for doc_id, group in sentences.groupby("doc_id", sort=False)}
    work = [
        (doc_id, text, by_doc[doc_id]["sent_id"].tolist(), by_doc[doc_id]["start"].tolist())
        for doc_id, text in zip(documents["doc_id"], documents["text"])
        if doc_id in by_doc
    ]
    tokens: list[tuple] = []
    entities: list[tuple] = []
    # Strings created inside the zone are freed on exit: nothing from a Doc may escape it.
    with nlp.memory_zone():
        docs = (make_doc(nlp, text, starts) for _, text, _, starts in work)
        for (doc_id, text, sent_ids, starts), doc in zip(work, nlp.pipe(docs, batch_size=batch_size)):
            tokens.extend(token_rows(doc_id, doc, sent_ids, token_indices(doc, starts)))
            entities.extend(entity_rows(doc_id, doc_mentions(doc, lexicons), sent_ids, starts))
    return {
        "tokens": pd.DataFrame(tokens, columns=TOKENS.column_names),
        "entities": pd.DataFrame(entities, columns=ENTITIES.column_names),
    }


def _prepare(settings: Settings):
    nlp, lexicons = load_model(settings)
    batch_size = settings.batch_size
    return lambda frames: extract(frames["documents"], frames["sentences"], nlp, lexicons, batch_size)


STAGE = Stage(
    name="entities",
    version="1",
    reads=(DOCUMENTS, SENTENCES),
    writes=(TOKENS, ENTITIES),
    prepare=_prepare,
    description="Parse documents once with spaCy (sentence boundaries preset) into tokens.parquet and entities.parquet.",
)
