"""TIMEX3 values: a ``Parse`` resolved against the publication date, the tense and the text.

Three things anchor a relative expression:
- the publication date (``Anchor``), possibly partial: with only ``2022-12`` known,
  "ce mois-ci" is ``2022-12`` and "vendredi" ``2022-WXX-5``; with nothing known,
  "le 10 janvier" is ``XXXX-01-10``;
- the tense of the clause: "dimanche" after a past verb is the last Sunday on or
  before publication, after a future verb the next one, otherwise the nearer one;
  "le 10 janvier" and "juillet" take the year that puts them before publication
  after a past verb, after it after a future verb, and the year of publication
  otherwise;
- the previous day-level date of the text (the *reference*): "le lendemain", "la
  nuit", "à 20 h" take their day from it.

Intervals (``date_start``..``date_end``) cover every day the value may denote when its
year is known; START, MID and END keep the first, middle and last third of it.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipeline.temporal import atoms
from pipeline.temporal.grammar import Parse
from pipeline.temporal.holidays import Holiday

PAST, PRESENT, FUTURE = "past", "present", "future"
NIGHT, EVENING = "NI", "EV"
# "la journée", "cette journée du 5 juillet": the day as a whole, which news (and the
# TimeBank and Wikinews annotations) treat as the DATE of that day, not a daytime TDT.
WHOLE_DAY = atoms.WHOLE_DAY
UNKNOWN_YEAR = "XXXX"

# Meteorological seasons: first month and the (month, day) bounds of the interval.
SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
SEASON_BOUNDS = {"SP": ((3, 20), (6, 20)), "SU": ((6, 21), (9, 22)), "FA": ((9, 23), (12, 20)), "WI": ((12, 21), (3, 19))}


@dataclass(frozen=True)
class Anchor:
    """The publication date, as far as it is known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: "str | date | Anchor | None") -> "Anchor":
        if isinstance(text, Anchor):
            return text
        if isinstance(text, date):
            return cls(text.year, text.month, text.day)
        if not text or not isinstance(text, str):
            return cls()
        found = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
        if not found:
            return cls()
        year, month, day = (int(part) if part else None for part in found.groups())
        if month is not None and not 1 <= month <= 12:
            return cls(year)
        if day is not None and not _valid_day(year, month, day):
            return cls(year, month)
        return cls(year, month, day)

    @property
    def date(self) -> date | None:
        return date(self.year, self.month, self.day) if self.day else None

    @property
    def year_text(self) -> str:
        return f"{self.year:04d}" if self.year else UNKNOWN_YEAR


@dataclass(frozen=True)
class Timex:
    type: str
    value: str
    mod: str | None = None
    # "publication" when resolved against the publication date, "reference" when
    # against the previous date of the text, None when the words alone give the value.
    anchored: str | None = None
    start: date | None = None
    end: date | None = None


def _valid_day(year: int | None, month: int | None, day: int) -> bool:
    if month is None:
        return False
    return 1 <= day <= calendar.monthrange(year or 2000, month)[1]


# ---------------------------------------------------------------- year and day choice


def _compare(target: tuple[int, int | None], here: tuple[int, int | None]) -> int:
    """-1, 0, 1: target before, unknown/equal, after ``here`` within one year."""
    if target[0] != here[0]:
        return -1 if target[0] < here[0] else 1
    if target[1] is None or here[1] is None or target[1] == here[1]:
        return 0
    return -1 if target[1] < here[1] else 1


def choose_year(month: int, day: int | None, anchor: Anchor, tense: str | None, direction: int | None) -> int | None:
    """The year of "le 10 janvier" / "juillet": the occurrence the tense or direction points to."""
    if anchor.year is None:
        return None
    if anchor.month is None:
        return anchor.year
    order = _compare((month, day), (anchor.month, anchor.day if day is not None else None))
    if direction == -1:
        return anchor.year if order < 0 or (order == 0 and day is not None and anchor.day is None) else anchor.year - 1
    if direction == 1:
        return anchor.year if order > 0 or (order == 0 and day is not None and anchor.day is None) else anchor.year + 1
    if tense == PAST:
        return anchor.year if order <= 0 else anchor.year - 1
    if tense == FUTURE:
        return anchor.year if order >= 0 else anchor.year + 1
    # No cue: the year of publication.
    return anchor.year


def _weekday_date(weekday: int, anchor: date, tense: str | None, direction: int | None, this: bool) -> date:
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if direction == -1:
        return anchor - timedelta(days=back or 7)
    if direction == 1:
        return anchor + timedelta(days=ahead or 7)
    if back == 0 and (this or tense != FUTURE):
        return anchor
    if tense == PAST:
        return anchor - timedelta(days=back)
    if tense == FUTURE:
        return anchor + timedelta(days=ahead or 7)
    return anchor - timedelta(days=back) if back <= ahead else anchor + timedelta(days=ahead)


# A year in two digits is at most this many years after publication: "Mai 68", "en 97"
# name the past; "en 25", written in 2021, the near future.
SHORT_YEAR_AHEAD = 10


def _full_year(short: int, anchor: Anchor) -> int:
    """'98' -> 1998: the latest year ending so that is at most SHORT_YEAR_AHEAD years after
    publication (2000 + SHORT_YEAR_AHEAD without a publication year)."""
    latest = (anchor.year or 2000) + SHORT_YEAR_AHEAD
    year = latest // 100 * 100 + short
    return year if year <= latest else year - 100


# ---------------------------------------------------------------- values


DAY_VALUE = re.compile(r"^(?:\d{4}|XXXX)-(?:(?:\d\d|XX)-(?:\d\d|XX)|W(?:\d\d|XX)-[1-7])")


def day_part_of(value: str | None) -> str | None:
    """The day of a value ('1999-05-18T21:45' -> '1999-05-18'), None if it has none."""
    if not value:
        return None
    found = DAY_VALUE.match(value)
    return found.group(0) if found else None


def _with_time(day: str, parse: Parse) -> tuple[str, str]:
    if parse.hour is not None:
        return "TIME", f"{day}T{parse.hour:02d}:{parse.minute or 0:02d}"
    if parse.part and parse.part != WHOLE_DAY:
        return "TIME", f"{day}T{parse.part}"
    return "DATE", day


# ---------------------------------------------------------------- clock times

# The hours a day part turns into afternoon or evening hours ("9 h du soir" is 21:00),
# and, for the time of a reference, the hours that belong to the next morning ("hier
# soir ... à 1 h": 1:00 the day after).
PART_AFTERNOON_HOURS = {"AF": range(1, 7), "EV": range(6, 12), "NI": range(7, 12)}
PART_NEXT_MORNING_HOURS = {"AF": range(0, 1), "EV": range(0, 5), "NI": range(0, 7)}
REFERENCE_TIME = re.compile(r"T(?:(MO|AF|EV|NI)|(\d\d):\d\d)")


def clock_hour(hour: int, part: str | None) -> int:
    """The hour of the day of "9 h" said of a day part."""
    return hour + 12 if part in PART_AFTERNOON_HOURS and hour in PART_AFTERNOON_HOURS[part] else hour


def _reference_time(reference: str | None) -> tuple[str | None, int | None]:
    """(day part, hour) of a reference value ('2022-02-25TEV' -> ('EV', None))."""
    found = REFERENCE_TIME.search(reference or "")
    if not found:
        return None, None
    return found.group(1), int(found.group(2)) if found.group(2) else None


def _clock(parse: Parse, anchor: Anchor, reference: str | None, in_sentence: bool) -> tuple[str, str, str | None]:
    """(type, value, anchored) of a clock time: on its reference day, in the half of the
    day its own day part or its reference's says; told after an evening of an earlier
    sentence, an early hour is the next morning ("hier soir. [...] Vers 1 h, ...", but
    "ce soir à 0 h 10" is a programme of this evening)."""
    day, anchored = _reference_day(anchor, reference)
    reference_part, reference_hour = _reference_time(reference) if anchored == "reference" else (None, None)
    hour = clock_hour(parse.hour, parse.part or reference_part)
    if parse.part is None and not in_sentence and (hour in PART_NEXT_MORNING_HOURS.get(reference_part, ())
                                                   or (reference_hour is not None and reference_hour >= 18 and hour < 6)):
        day = _shift_day(day, 1)
    value = f"{day}T{hour:02d}:{parse.minute or 0:02d}" + _zone_offset(parse.zone, day, hour, parse.minute or 0)
    return "TIME", value, anchored


def _zone_offset(zone: str | None, day: str, hour: int, minute: int) -> str:
    """'Z', '+01', '-04', '+05:30' for a zone at that local time; '' for local time, or
    when the day is not known (the offset of a zone changes over the year)."""
    if not zone:
        return ""
    if zone == "UTC":
        return "Z"
    try:
        local = datetime.combine(date.fromisoformat(day), time(hour, minute), ZoneInfo(zone))
    except (ValueError, ZoneInfoNotFoundError):
        return ""
    minutes = int(local.utcoffset().total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"{sign}{minutes // 60:02d}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def _day_text(day: date) -> str:
    return day.isoformat()


def _publication_day(anchor: Anchor, offset: int) -> str:
    """The day ``offset`` days from publication, as far as publication is known."""
    return _day_text(anchor.date + timedelta(days=offset)) if anchor.date else _partial_day(anchor)


def _partial_day(anchor: Anchor) -> str:
    if anchor.month:
        return f"{anchor.year_text}-{anchor.month:02d}-XX"
    return f"{anchor.year_text}-XX-XX"


def _shift_day(day_value: str, offset: int) -> str:
    """A day value moved by ``offset`` days; unknown days stay unknown."""
    try:
        return _day_text(date.fromisoformat(day_value) + timedelta(days=offset))
    except ValueError:
        if offset == 0:
            return day_value
        return day_value[:8] + "XX" if re.match(r"^\d{4}-\d\d-", day_value) else "XXXX-XX-XX"


def _calendar(parse: Parse, anchor: Anchor, tense: str | None, reference: str | None) -> tuple[str, str, str | None]:
    """(type, value, anchored) of an expression naming calendar fields."""
    if parse.century is not None:
        return "DATE", f"{parse.century:02d}", None
    if parse.decade is not None:
        return "DATE", f"{parse.decade:03d}", None
    if parse.season:
        if parse.year is None and parse.season[0] in "HQ" and anchor.year is not None:
            return "DATE", f"{anchor.year:04d}-{parse.season}", "publication"  # "au premier semestre"
        return "DATE", f"{parse.year:04d}-{parse.season}" if parse.year else f"XXXX-{parse.season}", None
    year = parse.year
    if year is not None and year < 0:
        year = _full_year(-year, anchor)
    if year is None and parse.year_offset is not None and anchor.year is not None:
        year = anchor.year + parse.year_offset
    if parse.after_easter is not None:
        return _movable_feast(parse, year, anchor, tense)
    if parse.nth is not None:
        return _nth_weekday(parse, year, anchor, tense)
    if parse.month is None and parse.day is None and parse.weekday is None:
        return "DATE", f"{year:04d}", None
    if parse.month is not None:
        anchored = "publication" if parse.year_offset is not None and year is not None else None
        if year is None and not parse.any_year:
            year = choose_year(parse.month, parse.day, anchor, tense, parse.direction)
            anchored = "publication" if year is not None else None
        year_text = f"{year:04d}" if year is not None else UNKNOWN_YEAR
        if parse.day is None:
            return "DATE", f"{year_text}-{parse.month:02d}", anchored
        kind, value = _with_time(f"{year_text}-{parse.month:02d}-{parse.day:02d}", parse)
        return kind, value, anchored
    if parse.day is not None:
        return _day_alone(parse, anchor, tense)
    # A weekday alone.
    reference_day = day_part_of(reference)
    if parse.same and reference_day:
        try:
            if date.fromisoformat(reference_day).isoweekday() == parse.weekday:
                kind, value = _with_time(reference_day, parse)
                return kind, value, "reference"
        except ValueError:
            pass
    if anchor.date is None:
        kind, value = _with_time(f"{anchor.year_text}-WXX-{parse.weekday}", parse)
        return kind, value, "publication" if anchor.year else None
    if parse.week is not None:
        day = anchor.date + timedelta(days=parse.weekday - anchor.date.isoweekday(), weeks=parse.week)
    else:
        day = _weekday_date(parse.weekday, anchor.date, tense, parse.direction, parse.demonstrative) + timedelta(days=parse.offset)
    kind, value = _with_time(_day_text(day), parse)
    return kind, value, "publication"


def _movable_feast(parse: Parse, year: int | None, anchor: Anchor, tense: str | None) -> tuple[str, str, str | None]:
    """"Pâques", "l'Ascension": the feast of the year written, else of the year the tense
    points to (the last one after a past verb, the next one after a future verb)."""
    if year is not None:
        return "DATE", _day_text(Holiday(after_easter=parse.after_easter).on(year)), None
    if anchor.year is None:
        return "DATE", "XXXX-XX-XX", None
    this_year = Holiday(after_easter=parse.after_easter).on(anchor.year)
    year = choose_year(this_year.month, this_year.day, anchor, tense, parse.direction)
    return "DATE", _day_text(Holiday(after_easter=parse.after_easter).on(year)), "publication"


def _nth_weekday(parse: Parse, year: int | None, anchor: Anchor, tense: str | None) -> tuple[str, str, str | None]:
    """"le premier lundi du mois prochain", "le dernier vendredi de juin": that weekday of the month."""
    if parse.month is None:  # a month relative to publication's
        if anchor.month is None:
            return "DATE", "XXXX-XX-XX", None
        year, month = _add_months(anchor.year, anchor.month, parse.offset)
    else:
        month = parse.month
        if year is None:
            year = choose_year(month, None, anchor, tense, parse.direction)
        if year is None:
            return "DATE", f"XXXX-{month:02d}-XX", None
    days = [day for day in range(1, calendar.monthrange(year, month)[1] + 1) if date(year, month, day).isoweekday() == parse.weekday]
    day = days[parse.nth - 1] if parse.nth > 0 and parse.nth <= len(days) else days[-1]
    kind, value = _with_time(f"{year:04d}-{month:02d}-{day:02d}", parse)
    return kind, value, "publication" if parse.year is None else None


def _day_alone(parse: Parse, anchor: Anchor, tense: str | None) -> tuple[str, str, str | None]:
    """"le 21", "jeudi 5": the day of a month near publication, the last one on or before
    it after a past verb, the next one after a future verb, else the nearer one; with a
    weekday, in a month where that day is that weekday."""
    if anchor.date is None:
        month = f"{anchor.month:02d}" if anchor.month else "XX"
        kind, value = _with_time(f"{anchor.year_text}-{month}-{parse.day:02d}", parse)
        return kind, value, "publication" if anchor.year else None
    candidates = []
    for offset in range(-6, 7):
        year, month = _add_months(anchor.date.year, anchor.date.month, offset)
        if parse.day <= calendar.monthrange(year, month)[1]:
            day = date(year, month, parse.day)
            if parse.weekday is None or day.isoweekday() == parse.weekday:
                candidates.append(day)
    if tense == PAST:
        candidates = [day for day in candidates if day <= anchor.date] or candidates
    elif tense == FUTURE:
        candidates = [day for day in candidates if day >= anchor.date] or candidates
    if not candidates:
        return "DATE", f"{anchor.year_text}-XX-{parse.day:02d}", "publication"
    nearest = min(candidates, key=lambda day: abs((day - anchor.date).days))
    kind, value = _with_time(_day_text(nearest), parse)
    return kind, value, "publication"


def _add_months(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _last_day_of(unit: str, day: date) -> bool:
    """Whether ``day`` ends its week, month or year."""
    following = day + timedelta(days=1)
    return {"W": following.isoweekday() == 1, "M": following.day == 1, "Y": following.timetuple().tm_yday == 1}.get(unit, False)


def _period(parse: Parse, anchor: Anchor, tense: str | None) -> tuple[str, str]:
    """(type, value) of ce/cette/la ... prochaine/dernière + unit, against publication."""
    offset = parse.offset
    if parse.part:
        day = _day_text(anchor.date) if anchor.date else _partial_day(anchor)
        if parse.part == NIGHT and (offset < 0 or (offset == 0 and tense == PAST)):
            day = _shift_day(day, -1)  # "la nuit dernière", a past "cette nuit": the night before publication
        return _with_time(day, parse)
    if parse.season:
        if anchor.year is None:
            return "DATE", f"XXXX-{parse.season}"
        year = anchor.year
        start_month = SEASON_START_MONTH[parse.season]
        if offset < 0 and (anchor.month is None or start_month >= anchor.month):
            year -= 1
        elif offset > 0 and (anchor.month is None or start_month <= anchor.month):
            year += 1
        elif offset == 0 and anchor.month is not None:
            year = _this_season_year(start_month, anchor, tense)
        return "DATE", f"{year:04d}-{parse.season}"
    unit = parse.unit
    if parse.remainder and tense != PAST and anchor.date is not None and _last_day_of(unit, anchor.date):
        offset += 1  # "le reste de la semaine", told on a Sunday: nothing is left of this one
    if unit in ("W", "WE"):
        suffix = "-WE" if unit == "WE" else ""
        if anchor.date is None:
            return "DATE", f"{anchor.year_text}-WXX{suffix}"
        if unit == "WE" and offset == 0 and tense == PAST and anchor.date.isoweekday() < 6:
            offset = -1  # "ils se sont rendus ce week-end", written on a weekday: the one just past
        iso_year, week, _ = (anchor.date + timedelta(weeks=offset)).isocalendar()
        return "DATE", f"{iso_year:04d}-W{week:02d}{suffix}"
    if unit == "M":
        if anchor.month is None:
            return "DATE", f"{anchor.year_text}-XX" if offset == 0 else "XXXX-XX"
        year, month = _add_months(anchor.year, anchor.month, offset)
        return "DATE", f"{year:04d}-{month:02d}"
    if unit == "Q":
        if anchor.month is None:
            return "DATE", f"{anchor.year_text}-QX"
        year, month = _add_months(anchor.year, anchor.month, 3 * offset)
        return "DATE", f"{year:04d}-Q{(month - 1) // 3 + 1}"
    if anchor.year is None:
        return "DATE", {"Y": UNKNOWN_YEAR, "DE": "XXX", "CE": "XX"}[unit]
    if unit == "DE":
        return "DATE", f"{anchor.year // 10 + offset:03d}"
    if unit == "CE":
        return "DATE", f"{anchor.year // 100 + offset:02d}"
    return "DATE", f"{anchor.year + offset:04d}"


def _this_season_year(start_month: int, anchor: Anchor, tense: str | None) -> int:
    """The year of "cet hiver": the season under way, else the last one after a past verb,
    the coming one otherwise (in October, a past "cet hiver" is the winter just gone)."""
    last_start = anchor.year if anchor.month >= start_month else anchor.year - 1
    under_way = (anchor.month - start_month) % 12 < 3
    return last_start if under_way or tense == PAST else last_start + 1


DURATION_UNITS = {"S": ("T", "S"), "MIN": ("T", "M"), "H": ("T", "H"), "D": ("", "D"), "W": ("", "W"),
                  "M": ("", "M"), "Q": ("", "Q"), "Y": ("", "Y"), "DE": ("", "DE"), "CE": ("", "CE"), "ML": ("", "ML")}


def duration_value(amount: str, unit: str) -> str:
    """'20', 'Y' -> 'P20Y'; 'X', 'M' -> 'PXM'; '15', 'MIN' -> 'PT15M'; half-years count in months."""
    if unit == "SEM":
        return "PXM" if amount == "X" else f"P{_number(float(amount) * 6)}M"
    time_mark, designator = DURATION_UNITS[unit]
    return f"P{time_mark}{amount}{designator}"


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


# The kinds of Parse whose reading depends on the tense: resolve hands it to them only.
TENSED_KINDS = frozenset({"calendar", "period", "anchored", "today"})

# "Fondée en 1920, l'usine emploie aujourd'hui 300 personnes": after a year this many years
# or more before publication, in its paragraph, a present "aujourd'hui" is nowadays.
ERA_YEARS = 10


def nowadays(parse: Parse, anchor: Anchor, tense: str | None, paragraph_context: str | None) -> bool:
    """Whether a plain "aujourd'hui" in a present clause contrasts with a past era named
    before it in its paragraph (``paragraph_context``: the value of the last date with a year)."""
    if parse.kind != "today" or parse.offset or parse.part or parse.hour is not None or tense != PRESENT:
        return False
    if anchor.year is None or not paragraph_context or not re.match(r"\d{4}", paragraph_context):
        return False
    return int(paragraph_context[:4]) <= anchor.year - ERA_YEARS


def resolve(parse: Parse, anchor: Anchor | None = None, tense: str | None = None, reference: str | None = None,
            reference_in_sentence: bool = False, context: str | None = None, paragraph_context: str | None = None) -> Timex:
    """The TIMEX3 reading of ``parse``; ``reference`` is the value of the previous day-level
    date (or of the one in the same sentence, ``reference_in_sentence``), ``context`` that
    of the last date of the text with a year (for "la semaine suivante", "cette année-là"),
    ``paragraph_context`` the same if it is in the paragraph of ``parse``."""
    anchor = anchor or Anchor()
    if nowadays(parse, anchor, tense, paragraph_context):
        return Timex("TIME", "PRESENT_REF")
    if parse.anaphoric and context and re.match(r"\d{4}", context):
        return _anaphoric(parse, Anchor.parse(context), tense)
    if parse.kind == "ref":
        return Timex("TIME", parse.value)
    if parse.kind == "set":
        return Timex("SET", parse.value or duration_value(parse.amount, parse.unit))
    if parse.kind == "duration":
        value = parse.value or duration_value(parse.amount, parse.unit)
        return Timex("DURATION", value, parse.mod)
    if parse.kind == "calendar":
        kind, value, anchored = _calendar(parse, anchor, tense, reference)
        anchored = "reference" if anchored == "reference" else anchored
    elif parse.kind == "today":
        kind, value = _with_time(_publication_day(anchor, parse.offset), parse)
        anchored = "publication" if anchor.year else None
    elif parse.kind == "period":
        kind, value = _period(parse, anchor, tense)
        anchored = "publication" if anchor.year else None
    elif parse.kind == "anchored":
        kind, value, anchored = _anchored(parse, anchor, reference, tense)
    elif parse.kind == "clock":
        kind, value, anchored = _clock(parse, anchor, reference, reference_in_sentence)
    else:
        raise ValueError(f"unknown parse kind {parse.kind!r}")
    start, end = interval(value, parse.mod)
    return Timex(kind, value, parse.mod, anchored, start, end)


def _anaphoric(parse: Parse, context: Anchor, tense: str | None) -> Timex:
    """The reading of ``parse`` against the last date of the text, as if published then:
    "le jeudi suivant" is the first Thursday after it, "cette année-là" its year."""
    if parse.kind == "calendar" and context.date is not None and parse.weekday is not None:
        step = -1 if parse.direction == -1 else 1
        day = context.date + timedelta(days=step)
        while day.isoweekday() != parse.weekday:
            day += timedelta(days=step)
        kind, value = _with_time(_day_text(day), parse)
    elif parse.kind == "period":
        kind, value = _period(parse, context, tense)
    else:
        return resolve(replace(parse, anaphoric=False), context, tense)
    start, end = interval(value, parse.mod)
    return Timex(kind, value, parse.mod, "reference", start, end)


def _reference_day(anchor: Anchor, reference: str | None) -> tuple[str, str | None]:
    reference_day = day_part_of(reference)
    if reference_day:
        return reference_day, "reference"
    if anchor.date:
        return _day_text(anchor.date), "publication"
    return _partial_day(anchor), "publication" if anchor.year else None


# Parts of the day that, told in the past with only the publication day to hang on, are
# those of the day before: an article is written before its own day's night.
PARTS_GONE_BY_PUBLICATION = frozenset({NIGHT})


def _anchored(parse: Parse, anchor: Anchor, reference: str | None, tense: str | None) -> tuple[str, str, str | None]:
    if parse.same and reference:
        return ("TIME" if "T" in reference[4:] else "DATE"), reference, "reference"
    day, anchored = _reference_day(anchor, reference)
    offset = parse.offset
    on_publication_day = anchored == "publication" or (anchor.date is not None and day == _day_text(anchor.date))
    if on_publication_day and parse.part in PARTS_GONE_BY_PUBLICATION and tense == PAST and offset == 0:
        # "dans la nuit", told in the past of the publication day (no day of its own, or the
        # day of the dateline): the night before publication
        offset = -1
    kind, value = _with_time(_shift_day(day, offset), parse)
    return kind, value, anchored


# ---------------------------------------------------------------- intervals


def _third(start: date, end: date, mod: str | None) -> tuple[date, date]:
    days = (end - start).days + 1
    third = -(-days // 3)
    if mod == "START":
        return start, start + timedelta(days=third - 1)
    if mod == "END":
        return end - timedelta(days=third - 1), end
    if mod == "MID":
        middle_start = start + timedelta(days=(days - third) // 2)
        return middle_start, middle_start + timedelta(days=third - 1)
    return start, end


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def interval(value: str, mod: str | None = None) -> tuple[date | None, date | None]:
    """First and last day a DATE/TIME value may denote, when its year is known."""
    bounds = _bounds(value)
    if bounds is None:
        return None, None
    return _third(*bounds, mod)


def _bounds(value: str) -> tuple[date, date] | None:
    try:
        if found := re.match(r"^(\d{4})-(\d\d)-(\d\d)", value):
            day = date(*map(int, found.groups()))
            return day, day
        if found := re.match(r"^(\d{4})-W(\d\d)(-WE)?$", value):
            monday = date.fromisocalendar(int(found.group(1)), int(found.group(2)), 1)
            return (monday + timedelta(days=5), monday + timedelta(days=6)) if found.group(3) else (monday, monday + timedelta(days=6))
        if found := re.match(r"^(\d{4})-(\d\d)(?:-XX)?(?:$|T)", value):
            return _month_bounds(int(found.group(1)), int(found.group(2)))
        if found := re.match(r"^(\d{4})-Q([1-4])$", value):
            quarter = int(found.group(2))
            return date(int(found.group(1)), 3 * quarter - 2, 1), _month_bounds(int(found.group(1)), 3 * quarter)[1]
        if found := re.match(r"^(\d{4})-H([12])$", value):
            half = int(found.group(2))
            return date(int(found.group(1)), 6 * half - 5, 1), _month_bounds(int(found.group(1)), 6 * half)[1]
        if found := re.match(r"^(\d{4})-(SP|SU|FA|WI)$", value):
            year = int(found.group(1))
            (start_month, start_day), (end_month, end_day) = SEASON_BOUNDS[found.group(2)]
            return date(year, start_month, start_day), date(year + (end_month < start_month), end_month, end_day)
        if found := re.match(r"^(\d{4})(?:$|-)", value):
            year = int(found.group(1))
            return date(year, 1, 1), date(year, 12, 31)
        if found := re.match(r"^(\d{3})$", value):
            decade = int(found.group(1)) * 10
            return date(max(decade, 1), 1, 1), date(decade + 9, 12, 31)
        if found := re.match(r"^(\d{2})$", value):
            century = int(found.group(1)) * 100
            return date(max(century, 1), 1, 1), date(century + 99, 12, 31)
    except ValueError:
        return None
    return None
