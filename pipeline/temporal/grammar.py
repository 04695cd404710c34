"""The date grammar: small named regular expressions composed into expression patterns.

In the style of EDS-NLP's date patterns: atoms (a month, a weekday, a number, a unit,
a direction...) are short regular expressions with named groups; each *expression
pattern* composes atoms and comes with a *reader* that turns its match into a
``Parse`` (what the words say, before any anchoring). ``timex.py`` later resolves a
``Parse`` against the publication date, the tense and the previous dates of the text.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from pipeline.temporal import atoms

# ---------------------------------------------------------------- what a match says


@dataclass(frozen=True)
class Parse:
    """The meaning of one expression as written, before anchoring.

    kind: calendar (explicit calendar fields), today (days from publication),
    period (this/next/last week, month, year...), anchored (days from another date
    of the text), clock (a time of day), duration, set, ref (PAST/PRESENT/FUTURE_REF).
    """

    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    season: str | None = None
    decade: int | None = None
    century: int | None = None
    part: str | None = None
    hour: int | None = None
    minute: int | None = None
    unit: str | None = None
    offset: int = 0
    direction: int | None = None
    demonstrative: bool = False
    same: bool = False
    amount: str | None = None
    mod: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    parse: Parse


# ---------------------------------------------------------------- atoms

APOSTROPHE = "['’]"
SPACE = r"[^\S\n]+"          # spaces, never across a line
OPT_SPACE = r"[^\S\n]*"
BEFORE = r"(?<![\w-])"        # a word starts here (after an elision too: qu’un an)
AFTER = r"(?![\w-])"          # a word ends here


def words(forms) -> str:
    """Alternation of written forms, longest first, apostrophes and spaces made flexible."""
    escaped = []
    for form in sorted(set(forms), key=len, reverse=True):
        piece = re.sub(r"['’]", lambda _: APOSTROPHE, re.escape(form)).replace(r"\ ", SPACE)
        escaped.append(piece)
    return "(?:" + "|".join(escaped) + ")"


def named(name: str, pattern: str) -> str:
    return f"(?P<{name}>{pattern})"


def optional(pattern: str) -> str:
    return f"(?:{pattern})?"


MONTH_FULL = words(k for k in atoms.MONTHS if k not in atoms.MONTH_ABBREVIATIONS)
MONTH_ABBREVIATED = words(atoms.MONTH_ABBREVIATIONS) + r"(?:\.|(?=" + SPACE + r"\d{4}\b))"


def month(name: str = "month") -> str:
    return named(name, f"{MONTH_FULL}|{MONTH_ABBREVIATED}") + r"(?!\w)"


def day_number(name: str = "day") -> str:
    return named(name, r"1er|1re|premier|0?[1-9]|[12]\d|3[01]") + r"(?![\d\w])"


def year(name: str = "year") -> str:
    return named(name, r"(?:1[5-9]|20)\d\d") + r"(?![\d])"


def short_year(name: str = "short_year") -> str:
    return "['’]?" + named(name, r"\d\d") + r"(?!\d)"


def weekday(name: str = "weekday") -> str:
    return named(name, words(atoms.WEEKDAYS))


WEEKDAY_PLURAL = named("weekday", words(atoms.WEEKDAYS)) + "s"
DIRECTION = named("direction", words(atoms.DIRECTIONS)) + AFTER
DAY_PART = named("part", words(atoms.DAY_PARTS)) + AFTER
UNIT = named("unit", words(atoms.UNITS)) + AFTER
PERIOD_UNIT = named("unit", words(atoms.PERIOD_UNITS)) + AFTER
SET_UNIT = named("unit", words(atoms.SET_UNITS)) + AFTER
AMOUNT_MODIFIER = named("modifier", words(atoms.AMOUNT_MODIFIERS)) + AFTER

_NUMBER_WORD = words(list(atoms.NUMBER_WORDS) + list(atoms.NUMBER_MULTIPLIERS))
_NUMBER_JOINER = r"(?:-et-|-|" + SPACE + r"et" + SPACE + r"(?=une?\b)|" + SPACE + r"(?=(?:cents?|mille)\b)|(?<=cent)" + SPACE + r"|(?<=cents)" + SPACE + r"|(?<=mille)" + SPACE + ")"
NUMBER_IN_WORDS = f"{_NUMBER_WORD}(?:{_NUMBER_JOINER}{_NUMBER_WORD})*"
NUMBER_IN_DIGITS = r"\d+(?:[.,]\d+)?"
NUMBER = named("number", f"{NUMBER_IN_DIGITS}|{NUMBER_IN_WORDS}") + AFTER
APPROXIMATE_NUMBER = r"une" + SPACE + named("approximate", words(atoms.APPROXIMATE_NUMBERS)) + SPACE + r"(?:de" + SPACE + "|d" + APOSTROPHE + OPT_SPACE + ")"
VAGUE_AMOUNT = named("vague", words(atoms.VAGUE_AMOUNTS)) + r"(?:" + SPACE + r"|(?<=d)" + APOSTROPHE + ")"
ORDINAL = r"(?:premier|première|second|seconde|[a-zé]+ième|\d+(?:e|è|ème|eme|er|re))"

HOUR = named("hour", r"[01]?\d|2[0-3]")
MINUTE = named("minute", r"[0-5]\d")
CLOCK_MARK = r"(?P<mark>" + OPT_SPACE + r"[hH]" + OPT_SPACE + r"|:|" + SPACE + r"heures?" + OPT_SPACE + ")"
CLOCK = HOUR + CLOCK_MARK + optional(MINUTE) + r"(?![\w:])"

DEMONSTRATIVE = r"(?P<demonstrative>ce|cet|cette)" + SPACE
# "mi" is written mi-juin, with its hyphen, never "mi de juin".
POSITION_WORDS = tuple(k for k in atoms.POSITIONS if k != "mi")
THE = r"(?:le|la|l" + APOSTROPHE + ")" + OPT_SPACE
POSITION = "(?:" + (
    r"(?:(?:le|la)" + SPACE + ")?"
    + named("position", words(POSITION_WORDS))
    + r"(?:" + SPACE + r"(?:du|des|de)" + SPACE + r"|" + SPACE + r"d" + APOSTROPHE + OPT_SPACE + r"|" + SPACE + ")"
    + r"|" + named("mid", r"mi") + r"-"
) + ")"


# ---------------------------------------------------------------- cues
# Most patterns cannot match most lines of a text, and running a regex over a text
# costs about as much whether it matches or not. A match never crosses a line (SPACE
# stops at "\n"), so each pattern lists *cues*, cheap tests that hold on the line of
# each of its matches, and runs only over the lines where all its cues hold. A cue
# stands for a mandatory atom of the pattern (not inside an optional part or an
# alternation):
# - ``cue(forms)``: the atom is an alternation of written forms, so a match holds a
#   piece of one of them; made from the same atom tables as the regex;
# - ``cue(forms, word_end=True)``: the same, for an atom whose regex ends with a
#   lookahead refusing a word character, so a form's last piece ends a word there;
# - ``Shape``: a regex that every match of the atom also matches, starting with a
#   digit so that it runs fast (re skips to the digits).
# Atoms whose forms are on nearly every line ("an", "en", "ce") get no cue.
# A cue not implied by its pattern silently loses dates: tests/test_dates.py checks
# on texts drawn from each pattern's regex that scan finds what the bare regex finds.

# Letters that re.IGNORECASE matches to "i" or "s" but that str.lower() leaves alone.
CASE_TWINS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def case_fold(text: str) -> str:
    """Lower case such that a text matching a written form under re.IGNORECASE contains it."""
    if "İ" in text or "ı" in text or "ſ" in text:
        text = text.translate(CASE_TWINS)
    return text.lower()


def line_starts(text: str) -> list[int]:
    starts = [0]
    newline = text.find("\n")
    while newline >= 0:
        starts.append(newline + 1)
        newline = text.find("\n", newline + 1)
    return starts


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"  # what re's \w matches


@dataclass(frozen=True)
class Cue:
    """Pieces one of which is in the case-folded line of every match of a pattern (with
    ``word_end``: followed there by a non-word character or the end of the text)."""

    pieces: tuple[str, ...]
    word_end: bool = False

    def lines(self, reading: "Reading") -> set[int]:
        folded, starts = reading.folded, reading.folded_starts
        found: set[int] = set()
        for piece in self.pieces:
            at = folded.find(piece)
            while at >= 0:
                after = at + len(piece)
                if self.word_end and after < len(folded) and _is_word_character(folded[after]):
                    at = folded.find(piece, at + 1)
                    continue
                line = bisect.bisect_right(starts, at) - 1
                found.add(line)
                at = folded.find(piece, starts[line + 1]) if line + 1 < len(starts) else -1
        return found


def cue(*forms: str, word_end: bool = False) -> Cue:
    """The cue of an alternation of written forms, as ``words(forms)`` writes it.

    ``words`` lets spaces and apostrophes vary, so a match of a form holds each of its
    pieces between them: the longest one is kept, or the last one for ``word_end``. A
    piece that holds a shorter one (ends with it, for ``word_end``) is dropped: wherever
    it is found, so is the shorter one.
    """
    pick = (lambda pieces: pieces[-1]) if word_end else (lambda pieces: max(pieces, key=len))
    kept = {pick(re.split(r"[\s'’]+", case_fold(form))) for form in forms}
    holds = str.endswith if word_end else str.__contains__
    return Cue(tuple(sorted(p for p in kept if not any(q != p and holds(p, q) for q in kept))), word_end)


@dataclass(frozen=True)
class Shape:
    """A regex matching, on its line, wherever a mandatory atom of a pattern matches."""

    regex: re.Pattern

    def lines(self, reading: "Reading") -> set[int]:
        starts = reading.text_starts
        found: set[int] = set()
        match = self.regex.search(reading.text)
        while match:
            line = bisect.bisect_right(starts, match.start()) - 1
            found.add(line)
            match = self.regex.search(reading.text, starts[line + 1]) if line + 1 < len(starts) else None
        return found


MONTH_CUE = cue(*atoms.MONTHS, word_end=True)  # month() ends with (?!\w)
WEEKDAY_CUE = cue(*atoms.WEEKDAYS)
DIRECTION_CUE = cue(*atoms.DIRECTIONS)
POSITION_CUE = cue(*POSITION_WORDS, "mi-")
DAY_PART_CUE = cue(*atoms.DAY_PARTS)
SEASON_CUE = cue(*atoms.SEASONS)
# year() begins with 1 or 2: re jumps straight to those digits.
YEAR_SHAPE = Shape(re.compile(year()))
# The last digit of an hour, then its mark: "18 h", "9:30", "20 heures".
CLOCK_SHAPE = Shape(re.compile(r"\d" + CLOCK_MARK, re.IGNORECASE))


# ---------------------------------------------------------------- readers


def number_value(text: str) -> float:
    """'30,4' -> 30.4, 'dix-huit' -> 18, 'vingt et un' -> 21, 'deux cents' -> 200."""
    text = text.lower().replace(",", ".")
    if re.fullmatch(NUMBER_IN_DIGITS.replace(",", ""), text) or re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    total, current = 0, 0
    for token in re.split(r"[-\s]+", text.replace("quatre-vingt", "quatre_vingt")):
        token = token.replace("quatre_vingt", "quatre-vingt")
        if token in ("", "et"):
            continue
        if token in atoms.NUMBER_MULTIPLIERS:
            factor = atoms.NUMBER_MULTIPLIERS[token]
            if factor == 1000:
                total += max(current, 1) * 1000
                current = 0
            else:
                current = max(current, 1) * factor
        else:
            current += atoms.NUMBER_WORDS[token]
    return float(total + current)


def amount_text(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _fold(text: str) -> str:
    return text.lower().replace("’", "'").replace("\u00a0", " ")


def _lookup(table: dict, text: str):
    return table[re.sub(r"\s+", " ", _fold(text))]


def _month(groups: dict, name: str = "month") -> int:
    return _lookup(atoms.MONTHS, groups[name].rstrip("."))


def _day(text: str) -> int:
    return 1 if _fold(text) in ("1er", "1re", "premier") else int(text)


def _year(groups: dict) -> int | None:
    if groups.get("year"):
        return int(groups["year"])
    if groups.get("short_year"):
        return -int(groups["short_year"])  # two digits: the century is chosen at resolution
    return None


def _direction(groups: dict) -> int | None:
    return _lookup(atoms.DIRECTIONS, groups["direction"]) if groups.get("direction") else None


def _part(groups: dict) -> str | None:
    return _lookup(atoms.DAY_PARTS, groups["part"]) if groups.get("part") else None


def _position(groups: dict) -> str | None:
    if groups.get("mid"):
        return "MID"
    return _lookup(atoms.POSITIONS, groups["position"]) if groups.get("position") else None


def _weekday(groups: dict) -> int:
    return _lookup(atoms.WEEKDAYS, groups["weekday"])


# ---------------------------------------------------------------- expression patterns

Reader = Callable[[re.Match], list[Match]]


@dataclass(frozen=True)
class ExpressionPattern:
    name: str
    regex: re.Pattern
    read: Reader
    # Cues of the mandatory atoms of ``regex``: see "cues" above.
    needs: tuple[Cue | Shape, ...] = ()


def _whole(parse_of: Callable[[dict], Parse | None], group: str | None = None) -> Reader:
    """A reader emitting one expression spanning the match (or one of its groups)."""

    def read(match: re.Match) -> list[Match]:
        parse = parse_of(match.groupdict())
        if parse is None:
            return []
        start, end = match.span(group) if group and match.group(group) is not None else match.span()
        return [Match(start, end, parse)]

    return read


def _date_parse(groups: dict) -> Parse:
    return Parse(
        "calendar", year=_year(groups), month=_month(groups), day=_day(groups["day"]),
        weekday=_weekday(groups) if groups.get("weekday") else None,
        direction=_direction(groups), part=_part(groups),
    )


def _read_day_list(match: re.Match) -> list[Match]:
    """'les 6 et 13 avril', 'du 10 au 12 janvier': the first day borrows the month of the second."""
    groups = match.groupdict()
    last = _date_parse(groups)
    first = replace(last, day=_day(groups["first_day"]), weekday=_weekday({"weekday": groups["first_weekday"]}) if groups.get("first_weekday") else None)
    first_start = match.start("first")
    return [Match(first_start, match.end("first"), first), Match(match.start("last"), match.end(), last)]


def _read_month(groups: dict) -> Parse | None:
    return Parse("calendar", year=_year(groups), month=_month(groups), direction=_direction(groups), mod=_position(groups))


def _read_year(groups: dict) -> Parse:
    return Parse("calendar", year=int(groups["year"]), mod=_position(groups))


def _read_decade(groups: dict) -> Parse:
    digits = groups["decade"]
    decade = int(digits) if len(digits) == 4 else 1900 + int(digits)
    return Parse("calendar", decade=decade // 10)


def _read_century(groups: dict) -> Parse:
    text = groups["century"].upper()
    numerals = {"I": 1, "V": 5, "X": 10}
    if text.isdigit():
        number = int(text)
    else:
        values = [numerals[c] for c in text]
        number = sum(-v if i + 1 < len(values) and values[i + 1] > v else v for i, v in enumerate(values))
    return Parse("calendar", century=number - 1)


def _read_numeric_date(groups: dict) -> Parse | None:
    day, month_number = int(groups["nday"]), int(groups["nmonth"])
    if not (1 <= day <= 31 and 1 <= month_number <= 12):
        return None
    return Parse("calendar", year=_year(groups), month=month_number, day=day)


def _read_iso_date(groups: dict) -> Parse | None:
    month_number, day = int(groups["nmonth"]), int(groups["nday"])
    if not (1 <= day <= 31 and 1 <= month_number <= 12):
        return None
    return Parse("calendar", year=int(groups["year"]), month=month_number, day=day)


def _read_today(groups: dict) -> Parse:
    named_time = atoms.NAMED_TIMES.get(_fold(groups.get("named_time") or ""))
    return Parse(
        "today", offset=_lookup(atoms.RELATIVE_DAYS, groups["relative"]), part=_part(groups),
        hour=named_time[0] if named_time else None, minute=named_time[1] if named_time else None,
    )


def _read_weekday(groups: dict) -> Parse:
    return Parse(
        "calendar", weekday=_weekday(groups), direction=_direction(groups), part=_part(groups),
        demonstrative=bool(groups.get("demonstrative")), same=bool(groups.get("same")),
    )


def _read_period(groups: dict) -> Parse:
    unit_text = _fold(groups["unit"])
    unit = atoms.PERIOD_UNITS.get(unit_text)
    season = atoms.SEASONS.get(unit_text)
    part = atoms.DAY_PARTS.get(unit_text)
    direction = _direction(groups)
    if groups.get("new_year"):
        direction = 0
    return Parse("period", unit=unit, season=season, part=part, offset=direction or 0, mod=_position(groups))


def _read_season(groups: dict) -> Parse:
    return Parse("calendar", season=_lookup(atoms.SEASONS, groups["season"]), year=_year(groups), mod=_position(groups))


def _read_anchored_day(groups: dict) -> Parse:
    return Parse("anchored", offset=_lookup(atoms.ANCHORED_DAYS, groups["anchored"]), part=_part(groups))


def _read_part_of_reference(groups: dict) -> Parse:
    return Parse("anchored", part=_part(groups))


def _read_clock(groups: dict) -> Parse | None:
    named_time = groups.get("named_time")
    if named_time:
        hour, minute = atoms.NAMED_TIMES[_fold(named_time)]
    else:
        hour, minute = int(groups["hour"]), int(groups["minute"] or 0)
    modifier = _lookup(atoms.AMOUNT_MODIFIERS, groups["modifier"]) if groups.get("modifier") else None
    return Parse("clock", hour=hour, minute=minute, mod=modifier)


def _read_duration(groups: dict) -> Parse:
    modifier = _lookup(atoms.AMOUNT_MODIFIERS, groups["modifier"]) if groups.get("modifier") else None
    if groups.get("unit_noun"):
        return Parse("duration", value=_lookup(atoms.UNIT_NOUNS, groups["unit_noun"]), mod=modifier)
    unit = _lookup(atoms.UNITS, groups["unit"])
    if groups.get("vague"):
        amount = "X"
    elif groups.get("approximate"):
        amount = amount_text(atoms.APPROXIMATE_NUMBERS[_fold(groups["approximate"])])
        modifier = modifier or "APPROX"
    else:
        value = number_value(groups["number"])
        if groups.get("half"):
            value += 0.5
        amount = amount_text(value)
    return Parse("duration", unit=unit, amount=amount, mod=modifier)


def _read_recent_duration(groups: dict) -> Parse:
    """'ces derniers jours' -> PXD; 'les trois dernières années' -> P3Y."""
    amount = amount_text(number_value(groups["number"])) if groups.get("number") else "X"
    return Parse("duration", unit=_lookup(atoms.UNITS, groups["unit"]), amount=amount)


def _read_set(groups: dict) -> Parse:
    if groups.get("weekday"):
        return Parse("set", value=f"XXXX-WXX-{_weekday(groups)}")
    if groups.get("adjective"):
        return Parse("set", value=_lookup(atoms.SET_ADJECTIVES, groups["adjective"]))
    return Parse("set", value=_lookup(atoms.SET_UNITS, groups["unit"]))


def _read_ref(groups: dict) -> Parse:
    return Parse("ref", value=_lookup(atoms.VAGUE_REFERENCES, groups["ref"]))


def _future_ref(groups: dict) -> Parse:
    return Parse("ref", value="FUTURE_REF")


def _present_ref(groups: dict) -> Parse:
    return Parse("ref", value="PRESENT_REF")


def _compile(pattern: str) -> re.Pattern:
    return re.compile(BEFORE + pattern, re.IGNORECASE)


_DATE_CORE = (
    optional(r"(?:le|les)" + SPACE) + optional(weekday() + SPACE) + day_number() + SPACE + month()
    + optional(SPACE + r"(?:" + year() + "|" + short_year() + r"(?![\w,.]\d))") + optional(SPACE + DIRECTION)
    + optional(SPACE + r"(?:au" + SPACE + r")?" + DAY_PART)
)
_MONTH_SPECIFIER = optional(r"(?:le" + SPACE + r")?mois" + SPACE + r"(?:de" + SPACE + "|d" + APOSTROPHE + ")")
_PREPOSITION = r"(?:en|de|d" + APOSTROPHE + r"|dès|depuis|pour|jusqu" + APOSTROPHE + r"en|à" + SPACE + r"partir" + SPACE + r"d" + APOSTROPHE + r"|avant|après|entre|et|ou|fin|début|mi-|courant|à|au|du)"
_TEMPORAL_PREPOSITION = r"(?:en|depuis|dès|jusqu" + APOSTROPHE + r"en|avant|après|vers|saison)"
NAMED_TIME = "|".join(atoms.NAMED_TIMES)
ORDINAL_DAY_PARTS = ("nuit", "journée", "soirée", "matinée", "matinee")
RECENT = ("derniers", "dernières", "prochains", "prochaines")
# "Été" starts a sentence, "été" alone is a past participle: [ÉE]t[ée], case-folded.
SUMMER_CAPITALISED = ("été", "ete", "éte", "eté")

PATTERNS: tuple[ExpressionPattern, ...] = (
    ExpressionPattern(
        "day_list",
        _compile(
            named("first", r"(?:(?:les|le)" + SPACE + r")?" + optional(named("first_weekday", words(atoms.WEEKDAYS)) + SPACE)
                  + named("first_day", r"1er|0?[1-9]|[12]\d|3[01]")) + r"(?!\d)" + SPACE + r"(?:et|au|,)" + SPACE
            + named("last", optional(r"(?:le|les)" + SPACE) + optional(weekday() + SPACE) + day_number()) + SPACE + month()
            + optional(SPACE + year()) + optional(SPACE + DIRECTION)
        ),
        _read_day_list,
        needs=(MONTH_CUE,),
    ),
    ExpressionPattern("date", _compile(_DATE_CORE), _whole(_date_parse), needs=(MONTH_CUE,)),
    ExpressionPattern(
        "numeric_date",
        re.compile(r"(?<![\d.,/-])" + named("nday", r"\d{1,2}") + r"(?P<sep>[./-])" + named("nmonth", r"\d{1,2}") + r"(?P=sep)"
                   + r"(?:" + year() + "|" + short_year() + r")(?![\d.,/]\d)"),
        _whole(_read_numeric_date),
        # The last digit of the day, the separator, the first digit of the month.
        needs=(Shape(re.compile(r"\d[./-]\d")),),
    ),
    ExpressionPattern(
        "iso_date",
        re.compile(r"(?<![\d.-])" + year() + "-" + named("nmonth", r"\d\d") + "-" + named("nday", r"\d\d") + r"(?!\d)"),
        _whole(_read_iso_date),
        # The last digit of the year, the month, the first digit of the day.
        needs=(Shape(re.compile(r"\d-\d\d-\d")),),
    ),
    ExpressionPattern(
        "month_year",
        _compile(optional(POSITION) + _MONTH_SPECIFIER + month() + SPACE + r"(?:" + year() + "|" + short_year() + ")"),
        _whole(_read_month),
        needs=(MONTH_CUE,),
    ),
    ExpressionPattern(
        "month_direction",
        _compile(optional(POSITION) + _MONTH_SPECIFIER + month() + SPACE + DIRECTION),
        _whole(_read_month),
        needs=(MONTH_CUE, DIRECTION_CUE),
    ),
    ExpressionPattern(
        "positioned_month",
        _compile(POSITION + _MONTH_SPECIFIER + month()),
        _whole(_read_month),
        needs=(POSITION_CUE, MONTH_CUE),
    ),
    ExpressionPattern(
        "month_after_preposition",
        _compile(_PREPOSITION + SPACE + named("expr", _MONTH_SPECIFIER + month())),
        _whole(_read_month, "expr"),
        needs=(MONTH_CUE,),
    ),
    ExpressionPattern(
        "named_month",
        _compile(r"(?:le" + SPACE + r")?mois" + SPACE + r"(?:de" + SPACE + r"|d" + APOSTROPHE + ")" + month()),
        _whole(_read_month),
        needs=(cue("mois"), MONTH_CUE),
    ),
    ExpressionPattern("positioned_year", _compile(POSITION + optional(r"l" + APOSTROPHE + r"(?:année|an)" + SPACE) + year()), _whole(_read_year), needs=(POSITION_CUE, YEAR_SHAPE)),
    ExpressionPattern("named_year", _compile(r"l" + APOSTROPHE + r"(?:année|an)" + SPACE + year()), _whole(_read_year), needs=(YEAR_SHAPE,)),
    ExpressionPattern(
        "year_after_preposition",
        _compile(_TEMPORAL_PREPOSITION + OPT_SPACE + named("expr", year())),
        _whole(_read_year, "expr"),
        needs=(YEAR_SHAPE,),
    ),
    # A bare year, unless a lower-case word follows (1500 manifestants).
    # A bare year, unless a count's noun or symbol follows (1500 manifestants, 1800 €).
    ExpressionPattern("year", re.compile(r"(?<![\w.,-])(?<!(?<!\d)/)" + year() + r"(?![.,]\d)(?!" + OPT_SPACE + r"[a-zà-ÿ€$%])"), _whole(_read_year),
                      needs=(YEAR_SHAPE,)),
    ExpressionPattern("decade", _compile(r"les" + SPACE + r"années" + SPACE + named("decade", r"(?:19|20)?\d0") + r"(?!\d)"), _whole(_read_decade), needs=(cue("années"),)),
    ExpressionPattern("century", _compile(r"(?:le" + SPACE + r")?" + named("century", r"[IVX]+|\d{1,2}") + r"(?:e|è|ème)" + SPACE + r"siècle"), _whole(_read_century), needs=(cue("siècle"),)),
    ExpressionPattern(
        "today",
        _compile(named("relative", words(atoms.RELATIVE_DAYS)) + AFTER
                 + optional(SPACE + r"(?:" + DAY_PART + "|" + weekday() + r"|à" + SPACE + named("named_time", NAMED_TIME) + ")")),
        _whole(_read_today),
        needs=(cue(*atoms.RELATIVE_DAYS),),
    ),
    ExpressionPattern(
        "weekday",
        _compile(optional(DEMONSTRATIVE + optional(named("same", "même") + SPACE)) + weekday() + AFTER + optional(SPACE + DIRECTION)
                 + optional(SPACE + r"(?:au" + SPACE + r")?" + DAY_PART)),
        _whole(_read_weekday),
        needs=(WEEKDAY_CUE,),
    ),
    ExpressionPattern(
        "this_period",
        _compile(optional(POSITION) + DEMONSTRATIVE + optional(r"même" + SPACE)
                 + named("unit", words(list(atoms.PERIOD_UNITS) + list(atoms.SEASONS) + list(atoms.DAY_PARTS))) + r"(?:-ci)?" + AFTER),
        _whole(_read_period),
    ),
    ExpressionPattern(
        "directed_period",
        _compile(optional(POSITION) + THE + named("unit", words(list(atoms.PERIOD_UNITS) + list(atoms.SEASONS))) + OPT_SPACE + DIRECTION),
        _whole(_read_period),
        needs=(DIRECTION_CUE,),
    ),
    ExpressionPattern(
        "new_year",
        _compile(optional(POSITION) + THE + named("new_year", "nouvelle") + SPACE + named("unit", "année") + AFTER),
        _whole(_read_period),
        needs=(cue("nouvelle"), cue("année")),
    ),
    ExpressionPattern(
        "current_period",
        _compile(optional(POSITION) + optional(THE) + PERIOD_UNIT + SPACE + r"en" + SPACE + r"cours" + AFTER),
        _whole(_read_period),
        needs=(cue("cours"),),
    ),
    ExpressionPattern(
        "positioned_period",
        _compile(POSITION + optional(THE) + PERIOD_UNIT),
        _whole(_read_period),
        needs=(POSITION_CUE,),
    ),
    ExpressionPattern(
        "season",
        # "les Jeux d'hiver", "l'heure d'été": a season qualifying a noun is not a date.
        re.compile(r"(?<![\w-])(?<!d['’])(?<!\bde\s)" + optional(POSITION) + optional(r"l" + APOSTROPHE)
                   + named("season", r"printemps|automne|hiver|(?<=[’'])été|(?-i:[ÉE]t[ée])") + AFTER + optional(SPACE + year()), re.IGNORECASE),
        _whole(_read_season),
        needs=(cue("printemps", "automne", "hiver", "été", *SUMMER_CAPITALISED),),
    ),
    ExpressionPattern(
        "season_after_preposition",
        _compile(r"en" + SPACE + named("expr", named("season", r"été|eté") + AFTER + optional(SPACE + year()))),
        _whole(_read_season, "expr"),
        needs=(cue("été", "eté"),),
    ),
    ExpressionPattern(
        "season_months",
        _compile(r"les" + SPACE + r"mois" + SPACE + r"d" + APOSTROPHE + named("season", words(atoms.SEASONS)) + AFTER),
        _whole(lambda g: Parse("calendar", season=_lookup(atoms.SEASONS, g["season"]))),
        needs=(cue("mois"), SEASON_CUE),
    ),
    ExpressionPattern(
        "anchored_day",
        _compile(named("anchored", words(atoms.ANCHORED_DAYS)) + AFTER + optional(SPACE + r"(?:au" + SPACE + r")?" + DAY_PART)),
        _whole(_read_anchored_day),
        needs=(cue(*atoms.ANCHORED_DAYS),),
    ),
    ExpressionPattern(
        "part_of_reference",
        _compile(r"(?:(?:la|le)" + SPACE + DAY_PART + optional(SPACE + r"même") + r")(?!" + SPACE + r"(?:d[eu']|d" + APOSTROPHE + "))"),
        _whole(_read_part_of_reference),
        needs=(DAY_PART_CUE,),
    ),
    ExpressionPattern(
        "ordinal_day",
        _compile(r"la" + SPACE + ORDINAL + SPACE + named("part", "|".join(ORDINAL_DAY_PARTS)) + AFTER),
        _whole(lambda g: Parse("anchored", part=None if _fold(g["part"]) == "journée" else _part(g))),
        needs=(cue(*ORDINAL_DAY_PARTS),),
    ),
    ExpressionPattern(
        "clock",
        _compile(optional(AMOUNT_MODIFIER + SPACE) + named("expr", CLOCK)),
        lambda match: _read_clock_match(match),
        needs=(CLOCK_SHAPE,),
    ),
    ExpressionPattern(
        "named_time",
        _compile(r"(?:à|vers|avant|après|dès|jusqu" + APOSTROPHE + r"à|entre|et|de)" + SPACE + named("expr", named("named_time", NAMED_TIME)) + AFTER),
        _whole(_read_clock, "expr"),
        needs=(cue(*atoms.NAMED_TIMES),),
    ),
    ExpressionPattern(
        "duration",
        _compile(optional(AMOUNT_MODIFIER + SPACE)
                 + r"(?:(?:" + NUMBER + SPACE + "|" + VAGUE_AMOUNT + OPT_SPACE + "|" + APPROXIMATE_NUMBER + ")" + UNIT
                 + optional(SPACE + named("half", r"et" + SPACE + r"demie?") + AFTER)
                 + "|" + optional(r"(?:un|une)" + SPACE) + named("unit_noun", words(atoms.UNIT_NOUNS)) + AFTER + ")" + optional(SPACE + named("relative", words(atoms.RELATIVE_POSTMODIFIERS)) + AFTER)),
        lambda match: _read_duration_match(match),
        needs=(cue(*atoms.UNITS, *atoms.UNIT_NOUNS, word_end=True),),  # UNIT and the unit nouns end with AFTER
    ),
    ExpressionPattern(
        "recent_duration",
        _compile(r"(?:ces|les)" + SPACE + optional(NUMBER + SPACE) + r"(?:" + "|".join(RECENT) + ")" + SPACE + UNIT),
        _whole(_read_recent_duration),
        needs=(cue(*RECENT),),
    ),
    ExpressionPattern(
        "each",
        _compile(r"chaque" + SPACE + r"(?:" + weekday() + AFTER + "|" + SET_UNIT + r")"),
        _whole(_read_set),
        needs=(cue("chaque"),),
    ),
    ExpressionPattern(
        "every",
        _compile(r"tou(?:s|tes)" + SPACE + r"les" + SPACE + r"(?:" + WEEKDAY_PLURAL + AFTER + "|" + SET_UNIT + r")"),
        _whole(_read_set),
        needs=(cue("tous", "toutes"),),
    ),
    ExpressionPattern(
        "ordinal_weekdays",
        _compile(r"les" + SPACE + ORDINAL + r"(?:" + SPACE + r"et" + SPACE + ORDINAL + r")?" + SPACE + WEEKDAY_PLURAL + AFTER),
        _whole(_read_set),
        needs=(WEEKDAY_CUE,),
    ),
    ExpressionPattern(
        "habitual_weekday",
        _compile(r"le" + SPACE + weekday() + AFTER + r"(?!" + SPACE + r"(?:\d|1er|premier|dernier|prochain|matin|soir|après|au))"),
        _whole(_read_set),
        needs=(WEEKDAY_CUE,),
    ),
    ExpressionPattern(
        "per_unit",
        _compile(r"par" + SPACE + named("expr", SET_UNIT)),
        _whole(_read_set, "expr"),
        needs=(cue("par"),),
    ),
    ExpressionPattern(
        "whole_year",
        _compile(r"toute" + SPACE + r"l" + APOSTROPHE + r"année"),
        _whole(lambda g: Parse("set", value="P1Y")),
        needs=(cue("toute"), cue("année")),
    ),
    ExpressionPattern("frequency_adjective", _compile(named("adjective", words(atoms.SET_ADJECTIVES)) + AFTER), lambda match: _read_frequency_adjective(match), needs=(cue(*atoms.SET_ADJECTIVES),)),
    ExpressionPattern("vague", _compile(named("ref", words(atoms.VAGUE_REFERENCES)) + AFTER), _whole(_read_ref), needs=(cue(*atoms.VAGUE_REFERENCES),)),
    ExpressionPattern(
        "upcoming",
        _compile(r"(?:les|la|le)" + SPACE + named("expr", r"prochaine?s?") + AFTER + r"(?!" + SPACE + r"(?:fois))"),
        _whole(_future_ref, "expr"),
        needs=(cue("prochain"),),
    ),
    ExpressionPattern(
        "until_here",
        _compile(r"d" + APOSTROPHE + named("expr", r"ici") + SPACE + r"(?:à|la|le|l" + APOSTROPHE + r"|fin|début|\d)"),
        _whole(_present_ref, "expr"),
        needs=(cue("ici"),),
    ),
    ExpressionPattern(
        "same_moment",
        _compile(r"(?:à" + SPACE + r")?" + named("expr", r"ce" + SPACE + r"moment(?:-|" + SPACE + r")là")),
        _whole(lambda g: Parse("anchored", same=True), "expr"),
        needs=(cue("moment"),),
    ),
    ExpressionPattern("nocturnal", _compile(named("ref", r"nocturnes?|diurnes?") + AFTER),
                      _whole(lambda g: Parse("ref", value="TNI" if _fold(g["ref"]).startswith("noct") else "TDT")),
        needs=(cue("nocturne", "diurne"),),
    ),
)



AGE_BEFORE = re.compile(
    r"(?:[aâ]gée?s?\s+d[e'’]\s*|(?<!ici )\bà\s*|\b(?:" + "|".join(sorted(atoms.PERSON_NOUNS, key=len, reverse=True)) + r")\s+d[e'’]\s*"
    r"|[A-Z][\w-]*\s*,\s*|\b[A-ZÉ][a-zéèêëîïôûüç]+\s+de\s+|\bles\s+)$",
    re.IGNORECASE,
)
TIME_PREPOSITION_BEFORE = re.compile(r"(?:\bà|\bvers|\bdès|jusqu['’]à|\bavant|\baprès|\bentre|\bde|\bet)\s+$", re.IGNORECASE)
DURATION_PREPOSITION_BEFORE = re.compile(r"(?:\bpendant|\bdurant|\ben|\bdepuis|\bsous|\bdans|\bpour|\bfaut|\bmis|\bil\s+y\s+a)\s+$", re.IGNORECASE)


# Nouns whose "de N ans" is a length of time, not an age: "au terme de trois ans".
DURATION_HEADS = re.compile(
    r"\b(?:terme|durée|période|peine|bout|cours|espace|délai|total|mandat|contrat|prison|réclusion|emprisonnement|"
    r"absence|attente|travail|travaux|retard|plan|programme|moratoire|suspension|interdiction|exil|carrière|règne|histoire)\s+d[e'’]\s*$",
    re.IGNORECASE,
)


def _is_age(text: str, start: int, end: int, unit: str, modified: bool) -> bool:
    """'une fillette de 6 ans', 'un chauffeur de 38 ans', 'Jean, 45 ans,', 'les moins de 17 ans': ages."""
    if unit != "Y":
        return False
    before = text[max(0, start - 40):start]
    after = text[end:end + 12]
    if modified:
        return re.search(r"\bles\s+$", before, re.IGNORECASE) is not None
    if DURATION_HEADS.search(before) or re.match(r"\s+d[e'’]\s", after):
        return False
    if re.search(r"\b\w+\s+d[e'’]\s*$", before) and not re.search(r"\b(?:depuis|pendant|durant|plus|moins|près|il\s+y\s+a)\s+d[e'’]\s*$", before, re.IGNORECASE):
        return True
    if AGE_BEFORE.search(before) is None:
        return False
    if before.rstrip().endswith(","):
        return re.match(r"\s*[,)]", after) is not None
    return True


DETERMINER_BEFORE = re.compile(r"\b(?:le|la|les|un|une|du|au|aux|des|ce|cet|cette|ces|son|sa|ses|leur|leurs|notre|votre|mon|ma)\s+$", re.IGNORECASE)


def _read_frequency_adjective(match: re.Match) -> list[Match]:
    """'le lot quotidien' is a frequency; 'le quotidien local' is a newspaper."""
    before = match.string[max(0, match.start() - 12):match.start()]
    if DETERMINER_BEFORE.search(before) or re.search(r"\b(?:de|d['’]|principaux|grands|autres|deux|trois)\s*$", before, re.IGNORECASE):
        return []
    return [Match(match.start(), match.end(), _read_set(match.groupdict()))]


# "en dehors des heures", "au cours des années": des = de + les, a definite article.
ARTICLE_CONTRACTION_BEFORE = re.compile(r"\b(?:dehors|cours|lors|partir|long|travers|hors|delà|suite|sein|fil|issue|début|fin|milieu)\s+$", re.IGNORECASE)


def _read_duration_match(match: re.Match) -> list[Match]:
    parse = _read_duration(match.groupdict())
    groups = match.groupdict()
    if parse.unit and _is_age(match.string, match.start(), match.end(), parse.unit, bool(groups.get("modifier"))):
        return []
    if groups.get("vague") and _fold(groups["vague"]) == "des" and ARTICLE_CONTRACTION_BEFORE.search(match.string[max(0, match.start() - 12):match.start()]):
        return []
    return [Match(match.start(), match.end(), parse)]


def _read_clock_match(match: re.Match) -> list[Match]:
    """'18 h', '15 h 45', '12:30' are clock times; '18 heures' is one only after à, vers, dès..."""
    groups = match.groupdict()
    text = match.string
    written = _fold(groups["expr"])
    if "heure" in written and not groups.get("modifier") and TIME_PREPOSITION_BEFORE.search(text[max(0, match.start() - 15):match.start()]) is None:
        return []
    if groups.get("minute") is None and DURATION_PREPOSITION_BEFORE.search(text[max(0, match.start() - 15):match.start()]):
        hours = int(groups["hour"])
        return [Match(match.start(), match.end(), Parse("duration", unit="H", amount=str(hours), mod=None))]
    if groups["mark"] == ":" and groups.get("minute") is None:
        return []
    parse = _read_clock(groups)
    # "vers" is a preposition: outside the span, its meaning kept as APPROX.
    start = match.start("expr") if groups.get("modifier") and _fold(groups["modifier"]) == "vers" else match.start()
    return [Match(start, match.end(), parse)]


class Reading:
    """One text as scan reads it: case-folded, cut into lines, with the lines where each
    cue holds found once, when a pattern first asks."""

    def __init__(self, text: str):
        self.text = text
        self.folded = case_fold(text)
        self.text_starts = line_starts(text)
        # Folding may lengthen a line (İ), never add or remove one.
        self.folded_starts = line_starts(self.folded)
        self._lines: dict[Cue | Shape, set[int]] = {}

    def windows(self, pattern: ExpressionPattern) -> list[tuple[int, int]]:
        """Spans of the text, runs of whole lines with their newline, where every cue of
        ``pattern`` holds: the only places it can match."""
        if not pattern.needs:
            return [(0, len(self.text))]
        lines: set[int] | None = None
        for cue in pattern.needs:
            if cue not in self._lines:
                self._lines[cue] = cue.lines(self)
            lines = self._lines[cue] if lines is None else lines & self._lines[cue]
            if not lines:
                return []
        starts, windows = self.text_starts, []
        for line in sorted(lines):
            end = starts[line + 1] if line + 1 < len(starts) else len(self.text)
            if windows and windows[-1][1] == starts[line]:
                windows[-1] = (windows[-1][0], end)
            else:
                windows.append((starts[line], end))
        return windows

    def matches(self, pattern: ExpressionPattern) -> Iterator[re.Match]:
        """What ``pattern.regex.finditer(text)`` finds, searching its windows only.

        A window ends after a newline, so lookaheads at its end see what they would
        in the whole text; lookbehinds see before a window's start anyway."""
        for start, end in self.windows(pattern):
            yield from pattern.regex.finditer(self.text, start, end)


def scan(text: str) -> Iterator[Match]:
    """Every expression of ``text``, longest first where candidates overlap, in text order."""
    candidates: list[tuple[int, int, int, list[Match]]] = []
    reading = Reading(text)
    for priority, pattern in enumerate(PATTERNS):
        for found in reading.matches(pattern):
            matches = pattern.read(found)
            if matches:
                start = min(m.start for m in matches)
                end = max(m.end for m in matches)
                candidates.append((start, end, priority, matches))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[Match] = []
    for start, end, _, matches in candidates:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        chosen.extend(matches)
    chosen.sort(key=lambda m: m.start)
    yield from chosen
