"""The date grammar: atomic patterns composed into expressions, and TIMEX3 value logic.

    >>> from pipeline.temporal import normalise, find_dates
    >>> normalise("fin février", anchor="2022-12")
    Timex(type='DATE', value='2022-02', mod='END', anchored='publication', start=..., end=...)
    >>> [(d.text, d.timex.value) for d in find_dates("Il a parlé vendredi.", anchor="2022-12-05")]
    [('vendredi', '2022-12-02')]
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Union

from pipeline.temporal.grammar import scan
from pipeline.temporal.timex import Anchor, Timex, day_part_of, resolve

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
    """Every temporal expression of ``text`` with its TIMEX3 reading, in text order."""
    publication = Anchor.parse(anchor)
    found: list[FoundDate] = []
    reference: tuple[int, str] | None = None
    for match in scan(text):
        clause_tense = tense(match.start, match.end) if callable(tense) else tense
        timex = resolve(match.parse, publication, clause_tense, reference[1] if reference else None)
        reference_index = reference[0] if reference and timex.anchored == "reference" else None
        found.append(FoundDate(match.start, match.end, text[match.start:match.end], timex, reference_index))
        if timex.type in ("DATE", "TIME") and day_part_of(timex.value):
            reference = (len(found) - 1, timex.value)
    return found


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
