"""Quote attribution: documents + sentences + tokens + entities -> quotes.

Reads what the entity stage kept from spaCy's single pass; parses nothing again.
``pipeline.quotes.constructions`` finds the quotations and how each is attributed;
``pipeline.quotes.attribution`` links each to the mention of its source, and
``pipeline.quotes.speakers`` that mention to who it is.
"""
from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from pipeline.config import Settings
from pipeline.engine import Stage
from pipeline.stages import declared
from pipeline.quotes.attribution import Attribution
from pipeline.quotes.constructions import Candidate, Finder
from pipeline.quotes.document import DocView, build_views
from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.quotes.speakers import Speaker
from pipeline.tables import QUOTES


class QuoteRow(NamedTuple):
    """One row of the quotes table, its fields in the table's column order."""

    doc_id: str
    quote_id: int
    sent_id: int
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    speaker_label: str | None
    speaker_mention: str | None
    speaker_start: int | None
    speaker_end: int | None
    entity_key: str | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None


assert QuoteRow._fields == tuple(QUOTES.column_names), "QuoteRow must follow the quotes table's columns"


def _row(view: DocView, number: int, candidate: Candidate, speaker: Speaker) -> QuoteRow:
    mention = view.text[speaker.mention_start : speaker.mention_end] if speaker.mention_start is not None else None
    cue = candidate.cue
    return QuoteRow(
        doc_id=view.doc_id,
        quote_id=number,
        sent_id=view.sentence_of(candidate.start),
        start=candidate.start,
        end=candidate.end,
        text=view.text[candidate.start : candidate.end],
        kind=candidate.kind.value,
        speaker=speaker.name,
        speaker_label=speaker.label if speaker.name else None,
        speaker_mention=mention,
        speaker_start=speaker.mention_start if mention is not None else None,
        speaker_end=speaker.mention_end if mention is not None else None,
        entity_key=speaker.entity_key,
        cue=cue.lemma if cue else None,
        cue_start=cue.start if cue else None,
        cue_end=cue.end if cue else None,
    )


def document_quotes(view: DocView, lexicon: QuoteLexicon) -> list[QuoteRow]:
    """Rows of the quotes table for one document, in text order."""
    finder = Finder(view, lexicon)
    candidates = finder.candidates()
    speakers = Attribution.of(finder).decide(candidates)
    return [_row(view, number, candidate, speaker) for number, (candidate, speaker) in enumerate(zip(candidates, speakers))]


def quotes(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame, entities: pd.DataFrame, lexicon: QuoteLexicon) -> pd.DataFrame:
    """documents + sentences + tokens + entities -> quotes (one row per quotation)."""
    rows = [row for view in build_views(documents, sentences, tokens, entities) for row in document_quotes(view, lexicon)]
    frame = pd.DataFrame(rows, columns=QUOTES.column_names)
    for column in ("speaker_start", "speaker_end", "cue_start", "cue_end"):
        frame[column] = frame[column].astype("Int32")
    return frame


def _prepare(settings: Settings):
    lexicon = QuoteLexicon.from_settings(settings)
    return lambda frames: {"quotes": quotes(frames["documents"], frames["sentences"], frames["tokens"], frames["entities"], lexicon)}


STAGE = Stage(
    **declared("quotes"),
    prepare=_prepare,
)
