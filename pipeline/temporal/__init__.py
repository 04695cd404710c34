"""The date grammar: atomic patterns composed into expressions, and TIMEX3 value logic.

    >>> from pipeline.temporal import normalise, find_dates
    >>> normalise("fin février", anchor="2022-12")
    Timex(type='DATE', value='2022-02', mod='END', anchored='publication', start=..., end=...)
    >>> [(d.text, d.timex.value) for d in find_dates("Il a parlé vendredi.", anchor="2022-12-05")]
    [('vendredi', '2022-12-02')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Union

from pipeline.temporal import atoms
from pipeline.temporal.grammar import Parse, scan
from pipeline.temporal.timex import NIGHT, PRESENT, TENSED_KINDS, Anchor, Timex, day_part_of, resolve

# A tense for the whole text, or a function (start, end) -> tense of the clause there.
TenseOf = Union[str, None, Callable[[int, int], Union[str, None]]]


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    text: str
    timex: Timex
    # Index (in the returned list) of the date the value was resolved against, if any.
    reference: int | None = None


def find_dates(text: str, anchor: "str | date | Anchor | None" = None, tense: TenseOf = None) -> list[FoundDate]:
    """Every temporal expression of ``text`` with its TIMEX3 reading, in text order.

    "le lendemain" hangs on the previous day-level date of the text; a clock time or
    "la nuit" on the day named in its own sentence (before it, else after it: "vers
    0 h 40, jeudi"), else on the previous one; both fall back on the publication date.
    """
    publication = Anchor.parse(anchor)
    matches = list(scan(text))
    # Asking a clause its tense is the costly part: only for the readings that use it.
    tenses = [(tense(m.start, m.end) if m.parse.kind in TENSED_KINDS else None) if callable(tense) else tense for m in matches]
    tenses = [_side_of_preposition(text, m.start) or t if _weekday_alone(m.parse) and t in (PRESENT, None) else t
              for m, t in zip(matches, tenses)]
    found: list[FoundDate] = []
    previous: tuple[int, str] | None = None
    context: tuple[int, str] | None = None  # the last date with a year
    for index, match in enumerate(matches):
        reference, in_sentence = previous, False
        if _takes_day_of_sentence(match.parse):
            reference, in_sentence = _same_sentence_day(text, matches, tenses, publication, index, previous)
        if match.parse.anaphoric:
            reference = context
        elif reference is not None and not in_sentence and match.parse.part == NIGHT and "\n" in text[matches[reference[0]].end:match.start]:
            # "La nuit" opening a paragraph is the last night, not that of a date read before
            reference = None
        in_paragraph = context is not None and "\n" not in text[matches[context[0]].end:match.start]
        timex = resolve(match.parse, publication, tenses[index], reference[1] if reference else None, in_sentence,
                        context[1] if context else None, context[1] if in_paragraph else None)
        reference_index = reference[0] if reference and timex.anchored == "reference" else None
        found.append(FoundDate(match.start, match.end, text[match.start:match.end], timex, reference_index))
        if timex.type in ("DATE", "TIME") and day_part_of(timex.value):
            previous = (index, timex.value)
        if timex.type in ("DATE", "TIME") and YEAR_VALUE.match(timex.value):
            context = (index, timex.value)
    return found


SIDE_PREPOSITION = re.compile(
    r"(?<![\w-])(" + "|".join(sorted((form.replace("'", "['’]").replace(" ", r"\s+") for form in atoms.PREPOSITION_SIDES), key=len, reverse=True))
    + r")\s*$", re.IGNORECASE)


def _weekday_alone(parse: Parse) -> bool:
    return parse.kind == "calendar" and parse.weekday is not None and parse.day is None and parse.month is None


def _side_of_preposition(text: str, start: int) -> str | None:
    """The tense a preposition right before a weekday gives it after a verb in the present
    (then the nearest such day otherwise): "depuis lundi" is past, "jusqu'à lundi" future.
    Not for a day of a month: "à partir du 2 novembre, les écoles sont fermées", written on
    the 7th, is this year's."""
    found = SIDE_PREPOSITION.search(text, max(0, start - 15), start)
    if found is None:
        return None
    return atoms.PREPOSITION_SIDES[re.sub(r"\s+", " ", found.group(1).lower().replace("’", "'"))]


def _takes_day_of_sentence(parse: Parse) -> bool:
    """A clock time or a part of a day ("la nuit", "la journée"); not "le jour même",
    "ce jour-là", "la deuxième journée consécutive", which hang on a day told before."""
    return parse.kind == "clock" or (parse.kind == "anchored" and parse.offset == 0 and parse.part is not None)


SENTENCE_END = re.compile(r"[.!?…]\s|\n")
YEAR_VALUE = re.compile(r"\d{4}")


def _same_sentence_day(text, matches, tenses, publication, index, previous):
    """The day-level date of the sentence of ``matches[index]``: the one before it, else
    after it (not for a demonstrative), else the previous one; and whether it is in the sentence."""
    current = matches[index]
    if previous is not None and not SENTENCE_END.search(text, matches[previous[0]].end, current.start):
        return previous, True
    if current.parse.demonstrative:  # "cette journée" points back, never to a date told after it
        return previous, False
    for later in range(index + 1, len(matches)):
        candidate = matches[later]
        if SENTENCE_END.search(text, current.end, candidate.start):
            break
        if candidate.parse.kind in ("calendar", "today", "period"):
            value = resolve(candidate.parse, publication, tenses[later]).value
            if day_part_of(value):
                return (later, value), True
    return previous, False


def normalise(expression: str, anchor: "str | date | Anchor | None" = None, tense: str | None = None,
              reference: str | None = None) -> Timex | None:
    """The TIMEX3 reading of one expression ("fin février", "hier soir"), None if it is not one.

    ``tense`` is past, present or future; ``reference`` the value of the date a
    "le lendemain" or "à 20 h" hangs on (default: the publication date).
    """
    matches = list(scan(expression))
    if not matches:
        return None
    longest = max(matches, key=lambda m: m.end - m.start)
    return resolve(longest.parse, Anchor.parse(anchor), tense, reference)


__all__ = ["Anchor", "FoundDate", "Timex", "find_dates", "normalise"]
