"""spaCy's pass over texts of any length: long texts in segments, batches bounded in size.

spaCy refuses a text over ``nlp.max_length`` (1,000,000 characters: error E088), and the
memory of a parse grows with the characters of the batch parsed at once. So a text
longer than ``segment_chars`` is parsed in segments, cut at a paragraph break (else at a
sentence start, else at a space), and the parses are joined into one Doc of the whole
text, whose offsets are the text's own; and a batch holds at most ``batch_size`` texts
and at most ``batch_chars`` characters (one segment may be a batch of its own).

Sentences never cross a paragraph break and the parser keeps to the preset sentences,
so a segment cut there is parsed as it would be within the whole text.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import pairwise
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_PARAGRAPH_BREAK = "\n\n"
_SPACE = re.compile(r"\s")


def segment_bounds(text: str, sentence_starts: list[int], limit: int) -> list[int]:
    """Where the segments of ``text`` start and where the last ends: [0, len(text)] for a
    text of at most ``limit`` characters. Each segment is as long as it may be."""
    bounds = [0]
    while len(text) - bounds[-1] > limit:
        start = bounds[-1]
        bounds.append(_cut(text, sentence_starts, start, start + limit))
    return bounds + [len(text)]


def _cut(text: str, sentence_starts: list[int], start: int, end: int) -> int:
    """The last place in (start, end] where a segment begun at ``start`` may end."""
    paragraph = text.rfind(_PARAGRAPH_BREAK, start, end)
    if paragraph > start:
        return paragraph + len(_PARAGRAPH_BREAK)
    sentence = bisect_right(sentence_starts, end) - 1
    if sentence >= 0 and sentence_starts[sentence] > start:
        return sentence_starts[sentence]
    space = _last_space(text, start, end)
    return space + 1 if space is not None else end


def _last_space(text: str, start: int, end: int) -> int | None:
    # Searching the reversed window finds the last space without scanning it all.
    found = _SPACE.search(text[start + 1 : end][::-1])
    return None if found is None else end - 1 - found.start()


def parse_documents(
    nlp: Language,
    documents: list[tuple[str, list[int]]],
    make_doc: Callable[[Language, str, list[int]], Doc],
    batch_size: int,
    batch_chars: int,
    segment_chars: int,
) -> Iterator[Doc]:
    """One parsed Doc per (text, sentence starts), in order. ``make_doc`` tokenises a text
    and presets its sentence starts (offsets into that text)."""
    pieces = []  # (document number, segment text, its sentence starts)
    for number, (text, starts) in enumerate(documents):
        for begin, end in pairwise(segment_bounds(text, starts, segment_chars)):
            inside = starts[bisect_left(starts, begin) : bisect_left(starts, end)]
            pieces.append((number, text[begin:end], [start - begin for start in inside]))
    parsed = (
        doc
        for batch in _batches(pieces, batch_size, batch_chars)
        for doc in nlp.pipe((make_doc(nlp, text, starts) for _, text, starts in batch), batch_size=len(batch))
    )
    segments: list[Doc] = []
    for (number, _, _), doc in zip(pieces, parsed):
        if segments and number != current:
            yield _joined(segments)
            segments = []
        current = number
        segments.append(doc)
    if segments:
        yield _joined(segments)


def _batches(pieces: Iterable[tuple[int, str, list[int]]], batch_size: int, batch_chars: int) -> Iterator[list[tuple[int, str, list[int]]]]:
    batch: list[tuple[int, str, list[int]]] = []
    chars = 0
    for piece in pieces:
        if batch and (len(batch) == batch_size or chars + len(piece[1]) > batch_chars):
            yield batch
            batch, chars = [], 0
        batch.append(piece)
        chars += len(piece[1])
    if batch:
        yield batch


def _joined(segments: list[Doc]) -> Doc:
    """One Doc of the segments' texts end to end (each segment keeps the spaces it ends with)."""
    if len(segments) == 1:
        return segments[0]
    from spacy.tokens import Doc

    return Doc.from_docs(segments, ensure_whitespace=False)
