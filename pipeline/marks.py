"""Quote marks and paragraphs of a cleaned text, from the text alone.

Shared by the sentence stage (a quotation closed within its paragraph is never split)
and the quote stage (what stands between the marks).

Marks are paired within a paragraph, so an unclosed mark never swallows the rest of the
article: it runs to the end of its paragraph and is flagged ``closed=False``. Marks nested
inside a quotation (« il parle d'un “ordre” ») belong to the outer quotation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

OPENING = {"«": "»", "“": "”", "„": "”", "‹": "›"}
CLOSING = frozenset("»”›")
STRAIGHT = '"'
# Spaces that typography puts inside guillemets, kept out of the quoted content.
INNER_SPACE = " \u00a0\u202f\t"
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Pairing looks at the marks only; the text between them is skipped in one step.
_MARK = re.compile("[" + re.escape("".join(OPENING) + "".join(sorted(CLOSING)) + STRAIGHT) + "]")


@dataclass(frozen=True)
class MarkedSpan:
    """A quotation between marks: ``open``/``close`` are the marks' offsets (``close`` is
    the offset just past the closing mark, or the paragraph end when unclosed);
    ``start``/``end`` delimit the content, trimmed of inner spaces."""

    open: int
    close: int
    start: int
    end: int
    closed: bool


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _content(text: str, open_at: int, close_at: int, closed: bool) -> MarkedSpan:
    start, end = open_at + 1, close_at - 1 if closed else close_at
    while start < end and text[start] in INNER_SPACE:
        start += 1
    while end > start and text[end - 1] in INNER_SPACE:
        end -= 1
    return MarkedSpan(open_at, close_at, start, end, closed)


def paragraph_spans(text: str, start: int, end: int) -> list[MarkedSpan]:
    """Top-level quotations of the paragraph text[start:end]."""
    spans: list[MarkedSpan] = []
    stack: list[tuple[str, int]] = []
    for mark in _MARK.finditer(text, start, end):
        index, char = mark.start(), mark.group()
        if char == STRAIGHT:
            # Straight quotes toggle: one closes the innermost straight quote left open.
            if not (stack and stack[-1][0] == STRAIGHT):
                stack.append((STRAIGHT, index))
                continue
            char = "close-straight"
        if char in OPENING:
            stack.append((OPENING[char], index))
        elif char in CLOSING or char == "close-straight":
            wanted = STRAIGHT if char == "close-straight" else char
            depth = next((d for d in range(len(stack) - 1, -1, -1) if stack[d][0] == wanted), None)
            if depth is None:
                continue  # a stray closing mark
            if depth == 0:
                spans.append(_content(text, stack[0][1], index + 1, closed=True))
            del stack[depth:]
    if stack:
        spans.append(_content(text, stack[0][1], end, closed=False))
    return [span for span in spans if span.end > span.start]


def marked_spans(text: str) -> list[MarkedSpan]:
    """Every top-level quotation of a document, in text order."""
    return [span for start, end in paragraphs(text) for span in paragraph_spans(text, start, end)]
