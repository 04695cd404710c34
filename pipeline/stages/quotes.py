"""Quote attribution: documents + sentences + tokens + entities -> quotes.

Reads what the entity stage kept from spaCy's single pass; parses nothing again.
``pipeline.quotes.constructions`` finds the quotations and how each is attributed;
``pipeline.quotes.speakers`` decides who the speaker is.
"""
from __future__ import annotations

import pandas as pd

from pipeline.config import Settings
from pipeline.engine import Stage
from pipeline.quotes.constructions import Candidate, Finder
from pipeline.quotes.document import DocView, build_views
from pipeline.quotes.lexicon import Lexicon
from pipeline.quotes.speakers import NOBODY, Speaker, Speakers
from pipeline.tables import DOCUMENTS, ENTITIES, QUOTES, SENTENCES, TOKENS

# Paragraphs back that a quotation with no cue of its own may take its speaker from.
CONTINUATION_PARAGRAPHS = 2


def _speaker(candidate: Candidate, speakers: Speakers, view: DocView, last: tuple[int, Speaker] | None) -> Speaker:
    if candidate.how in ("subject", "inverted") and candidate.cue is not None:
        subject = speakers.subject_of(candidate.cue, inverted=candidate.how == "inverted")
        if subject is None and candidate.how == "subject":
            preceding = speakers.phrase_before(candidate.cue, candidate.start)
            if preceding is not None and preceding.name:
                return preceding
            subject = speakers.named_before(candidate.cue) or speakers.subject_of(candidate.cue, inverted=True)
        return speakers.from_token(subject, candidate.start)
    if candidate.how == "phrase":
        return speakers.from_token(candidate.source, candidate.start)
    if candidate.how == "previous" and last is not None:
        position, speaker = last
        if view.paragraph_of(candidate.start) - view.paragraph_of(position) <= CONTINUATION_PARAGRAPHS:
            return speaker
    return NOBODY


def _main_speaker(speakers: Speakers) -> Speaker:
    person = speakers.main_person()
    if person is None:
        return NOBODY
    first = next(m for m in speakers.view.mentions if m.entity_key == person.entity_key)
    return Speaker(person.canonical, "PER", first.start, first.end, person.entity_key)


def document_quotes(view: DocView, lexicon: Lexicon) -> list[tuple]:
    """Rows of the quotes table for one document, in text order."""
    finder = Finder(view, lexicon)
    speakers = finder.speakers
    candidates = finder.candidates()
    decided: dict[int, Speaker] = {}
    last: tuple[int, Speaker] | None = None
    for number, candidate in enumerate(candidates):
        if candidate.how == "main":
            continue
        speaker = _speaker(candidate, speakers, view, last)
        decided[number] = speaker
        if speaker.name:
            last = (candidate.start, speaker)
            speakers.remember(candidate.start, speaker)
    for number, candidate in enumerate(candidates):
        if candidate.how == "main":
            decided[number] = _main_speaker(speakers)
    rows = []
    for number, candidate in enumerate(candidates):
        speaker = decided[number]
        mention = view.text[speaker.mention_start : speaker.mention_end] if speaker.mention_start is not None else None
        rows.append(
            (
                view.doc_id,
                number,
                view.sentence_of(candidate.start),
                candidate.start,
                candidate.end,
                view.text[candidate.start : candidate.end],
                candidate.kind,
                speaker.name,
                speaker.label if speaker.name else None,
                mention,
                speaker.mention_start if mention is not None else None,
                speaker.mention_end if mention is not None else None,
                speaker.entity_key,
                candidate.cue.lemma if candidate.cue else None,
                candidate.cue.start if candidate.cue else None,
                candidate.cue.end if candidate.cue else None,
            )
        )
    return rows


def quotes(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame, entities: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """documents + sentences + tokens + entities -> quotes (one row per quotation)."""
    rows = [row for view in build_views(documents, sentences, tokens, entities) for row in document_quotes(view, lexicon)]
    frame = pd.DataFrame(rows, columns=QUOTES.column_names)
    for column in ("speaker_start", "speaker_end", "cue_start", "cue_end"):
        frame[column] = frame[column].astype("Int32")
    return frame


def _prepare(settings: Settings):
    lexicon = Lexicon.from_settings(settings)
    return lambda frames: {"quotes": quotes(frames["documents"], frames["sentences"], frames["tokens"], frames["entities"], lexicon)}


STAGE = Stage(
    name="quotes",
    reads=(DOCUMENTS, SENTENCES, TOKENS, ENTITIES),
    writes=(QUOTES,),
    prepare=_prepare,
    description="Find quotations with their speaker, cue and kind: tokens.parquet + entities.parquet -> quotes.parquet (no parsing).",
)
