"""Sentence splitting: documents -> sentences.

Rule-based on purpose: spaCy's statistical pass runs once, in the entity stage, which
takes these boundaries as given (the parser respects pre-set sentence starts). The
rules know what the statistical models get wrong in news French: a quotation closed
within its paragraph is never split, a closing » or ” never starts a sentence, and a
sentence never crosses a paragraph break.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import pandas as pd

from pipeline.config import Settings
from pipeline.engine import Stage
from pipeline.marks import CLOSING, OPENING, STRAIGHT, paragraph_spans, paragraphs
from pipeline.tables import DOCUMENTS, SENTENCES

TERMINATORS = ".!?…"
# After a terminator, these stay with the sentence it ends.
TRAILING_CLOSERS = "".join(sorted(CLOSING)) + STRAIGHT + ")]"
# A new sentence starts with one of these (after optional spaces).
SENTENCE_OPENERS = re.compile(r"[A-ZÀ-ÖØ-Þ0-9" + re.escape("".join(OPENING) + STRAIGHT) + r"(\[–—-]")
_TERMINATOR_RUN = re.compile("[" + re.escape(TERMINATORS) + "]+")
# The word before a full stop, matched on the reversed paragraph: reading backwards from
# the stop costs the word's length, where a forward search rescans the paragraph.
_WORD_BACKWARDS = re.compile(r"[\w.\-°]*")


@dataclass(frozen=True)
class Splitter:
    abbreviations: frozenset[str]

    @classmethod
    def from_settings(cls, settings: Settings) -> "Splitter":
        lines = settings.lexicon_path("sentences", "abbreviations").read_text(encoding="utf-8").splitlines()
        return cls(frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#")))

    def is_abbreviation(self, text: str, period: int, backwards: str | None = None) -> bool:
        """True when the full stop at ``period`` closes an abbreviation or an initial.

        ``backwards`` is ``text[::-1]``, for a caller that asks about many stops of one text."""
        backwards = text[::-1] if backwards is None else backwards
        stop_backwards = len(text) - period
        word_length = _WORD_BACKWARDS.match(backwards, stop_backwards).end() - stop_backwards
        word = text[period - word_length : period]
        if not word:
            return False
        if word in self.abbreviations or word.rstrip(".") in self.abbreviations:
            return True
        return len(word) == 1 and word.isupper()

    def split_paragraph(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each sentence of one paragraph, trimmed of spaces."""
        quoted = [(span.open, span.close) for span in paragraph_spans(text, 0, len(text)) if span.closed]
        backwards = text[::-1]
        start = 0
        length = len(text)
        # Closers absorbed after a run are never terminators, so the next run is the next match.
        for run in _TERMINATOR_RUN.finditer(text):
            if run.group() == "." and self.is_abbreviation(text, run.start(), backwards):
                continue
            end = _absorb_closers(text, run.end())
            if _inside(quoted, end):
                continue
            following = end
            while following < length and text[following].isspace():
                following += 1
            if following == length or (following > end and SENTENCE_OPENERS.match(text, following)):
                yield from _trimmed(text, start, end)
                start = following
        if start < length:
            yield from _trimmed(text, start, length)


def _absorb_closers(text: str, end: int) -> int:
    """Extend past closing marks (and the spaces before them) that belong to the sentence."""
    probe = end
    while probe < len(text):
        while probe < len(text) and text[probe] in " \u00a0\u202f":
            probe += 1
        if probe < len(text) and text[probe] in TRAILING_CLOSERS and not _opens_straight_quote(text, probe):
            probe += 1
            end = probe
            continue
        break
    return end


def _opens_straight_quote(text: str, index: int) -> bool:
    return text[index] == STRAIGHT and index + 1 < len(text) and text[index + 1].isalnum() and index > 0 and text[index - 1].isspace()


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start < position < end for start, end in spans)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def split_document(text: str, splitter: Splitter) -> Iterator[tuple[int, int, int]]:
    """(para_id, start, end) of every sentence of a cleaned document."""
    para_id = 0
    for para_start, para_end in paragraphs(text):
        found = False
        for start, end in splitter.split_paragraph(text[para_start:para_end]):
            found = True
            yield para_id, para_start + start, para_start + end
        para_id += found


def sentences(documents: pd.DataFrame, splitter: Splitter) -> pd.DataFrame:
    """documents -> sentences (one row per sentence, offsets into documents.text)."""
    rows = [
        (doc_id, sent_id, para_id, start, end, text[start:end])
        for doc_id, text in zip(documents["doc_id"], documents["text"])
        for sent_id, (para_id, start, end) in enumerate(split_document(text, splitter))
    ]
    return pd.DataFrame(rows, columns=SENTENCES.column_names)


def _prepare(settings: Settings):
    splitter = Splitter.from_settings(settings)
    return lambda frames: {"sentences": sentences(frames["documents"], splitter)}


STAGE = Stage(
    name="sentences",
    reads=(DOCUMENTS,),
    writes=(SENTENCES,),
    prepare=_prepare,
    description="Split documents.parquet into sentences.parquet (rule-based; no statistical model).",
)
