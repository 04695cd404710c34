"""Publication dates as they are written: a record's `date` field, byline lines
(« Publié le 26.2.2022 »), datelines opening a paragraph (« 3 mars 2012. - »).

The patterns are data (``configs/lexicons/publication_dates.toml``), composed of small
named parts the way EDS-NLP composes its date patterns. French month and weekday names
are the date grammar's own atoms, so that both read the same words.
"""
from __future__ import annotations

import datetime
import itertools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import ConfigError, Settings
from pipeline.temporal.atoms import MONTHS, WEEKDAYS

_PART_REFERENCE = re.compile(r"\{([a-z_]+)\}")
_PRECISIONS = {1: "year", 2: "month", 3: "day"}


@dataclass(frozen=True)
class WrittenDate:
    """A date as written (``text``), and its ISO value when it names a real day or month.

    ``iso`` is None when the date lacks its year or names no real day; ``problem`` says which.
    """

    text: str
    iso: str | None
    problem: str | None = None


def precision(iso: str | None) -> str | None:
    """day, month or year for an ISO date (possibly partial); None for None."""
    return None if iso is None else _PRECISIONS[len(iso.split("-"))]


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _expand(pattern: str, parts: dict[str, str | list[str]], using: tuple[str, ...] = ()) -> list[str]:
    """Every regex ``pattern`` stands for once its parts are put in (one per choice made)."""
    pieces = _PART_REFERENCE.split(pattern)
    options: list[list[str]] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            options.append([piece])
            continue
        if piece not in parts:
            raise ConfigError(f"publication date pattern {pattern!r} uses an unknown part {{{piece}}}")
        if piece in using:
            raise ConfigError(f"publication date part {{{piece}}} refers to itself (through {' -> '.join(using)})")
        entries = parts[piece] if isinstance(parts[piece], list) else [parts[piece]]
        options.append([expanded for entry in entries for expanded in _expand(entry, parts, using + (piece,))])
    return ["".join(choice) for choice in itertools.product(*options)]


def _compile(name: str, pattern: str, parts: dict) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(regex, re.IGNORECASE) for regex in _expand(pattern, parts))
    except re.error as exc:
        raise ConfigError(f"publication date pattern {name!r} is not a valid regular expression ({exc})") from exc


@dataclass(frozen=True)
class PublicationDates:
    """The compiled patterns of each place a publication date is written."""

    record: tuple[re.Pattern[str], ...]
    bylines: tuple[re.Pattern[str], ...]
    update_bylines: tuple[re.Pattern[str], ...]
    datelines: tuple[re.Pattern[str], ...]
    month_numbers: dict[str, int]
    dateline_paragraphs: int
    dateline_chars: int
    byline_chars: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "PublicationDates":
        return cls.from_file(settings.lexicon_path("clean", "publication_dates"))

    @classmethod
    def from_file(cls, path: Path) -> "PublicationDates":
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        english = {name.lower(): int(number) for name, number in data.get("english_months", {}).items()}
        parts = {
            **data["parts"],
            "month_name": _alternation(MONTHS),
            "weekday_name": _alternation(WEEKDAYS),
            "english_month_name": _alternation(english),
        }

        def patterns(section: str) -> tuple[re.Pattern[str], ...]:
            return tuple(regex for name, pattern in data.get(section, {}).items() for regex in _compile(name, pattern, parts))

        return cls(
            record=patterns("record_dates"),
            bylines=patterns("bylines"),
            update_bylines=patterns("update_bylines"),
            datelines=patterns("datelines"),
            # Words in both tables (sept, oct, nov, dec) name the same month in both.
            month_numbers={**english, **MONTHS},
            dateline_paragraphs=int(data.get("dateline_paragraphs", 3)),
            dateline_chars=int(data.get("dateline_chars", 160)),
            byline_chars=int(data.get("byline_chars", 200)),
        )

    def _written(self, match: re.Match[str]) -> WrittenDate:
        text = match.group(0).strip()
        groups = match.groupdict()
        if groups.get("year") is None:
            return WrittenDate(text, None, "gives no year")
        month = groups.get("month")
        if month is not None:
            month = int(month) if month.isdigit() else self.month_numbers[month.lower().rstrip(".")]
        day = int(groups["day"]) if groups.get("day") else None
        iso = iso_date(int(groups["year"]), month, day)
        return WrittenDate(text, iso, None if iso else "names no real day")

    def _first(self, patterns: tuple[re.Pattern[str], ...], text: str, whole: bool) -> WrittenDate | None:
        for pattern in patterns:
            match = pattern.fullmatch(text) if whole else pattern.match(text)
            if match:
                return self._written(match)
        return None

    def record_date(self, text: str) -> WrittenDate | None:
        """A record's ``date`` field read whole; None when it matches no known way of writing a date."""
        return self._first(self.record, text.strip(), whole=True)

    def byline(self, line: str) -> WrittenDate | None:
        """The date of a line that is a publication byline, else None."""
        return self._first(self.bylines, line, whole=True) if len(line) <= self.byline_chars else None

    def update_byline(self, line: str) -> WrittenDate | None:
        """The date of a line that is an update line (« Mis à jour le … »), else None."""
        return self._first(self.update_bylines, line, whole=True) if len(line) <= self.byline_chars else None

    def dateline(self, paragraph: str) -> WrittenDate | None:
        """The dateline opening ``paragraph``, else None."""
        return self._first(self.datelines, paragraph[: self.dateline_chars], whole=False)


def iso_date(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """``YYYY[-MM[-DD]]``, or None when no such month or day exists."""
    if not 1 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
        return None
    parts = [year] + ([month] if month is not None else []) + ([day] if month is not None and day is not None else [])
    if len(parts) == 3:
        try:
            datetime.date(*parts)
        except ValueError:
            return None
    return "-".join([f"{year:04d}"] + [f"{value:02d}" for value in parts[1:]])
