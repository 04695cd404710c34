"""The date grammar: small named regular expressions composed into expression patterns.

In the style of EDS-NLP's date patterns: atoms (a month, a weekday, a number, a unit,
a direction...) are short regular expressions with named groups; each *expression
pattern* composes atoms and comes with a *reader* that turns its match into a
``Parse`` (what the words say, before any anchoring). ``timex.py`` later resolves a
``Parse`` against the publication date, the tense and the previous dates of the text.
"""
from __future__ import annotations

import bisect
import functools
import operator
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from pipeline.characters import is_word_character
from pipeline.temporal import atoms
from pipeline.temporal.holidays import DEFAULT_HOLIDAYS, load_holidays

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
    zone: str | None = None  # an IANA zone, "UTC", or "" for local time (atoms.TIME_ZONES)
    after_easter: int | None = None  # a movable feast, this many days after Easter Sunday
    nth: int | None = None  # "le premier lundi du mois": the nth such weekday of the month (-1: the last)
    week: int | None = None  # a weekday in the week this many weeks from publication's
    year_offset: int | None = None  # a day or month in the year this many years from publication's
    remainder: bool = False  # "le reste de la semaine": what is left of the period
    any_year: bool = False  # "un mois d'août": such a month of any year
    # Only a part of an expression: kept if a combination (COMBINATIONS) completes it.
    pending: bool = False
    # Relative to the last date of the text, not to publication ("la semaine suivante",
    # "cette année-là"): timex resolves it against the ``context`` value.
    anaphoric: bool = False


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
    """Alternation of written forms, longest first, apostrophes and spaces made flexible.

    Written as a trie ("(?:a(?:vril|oût)|...)"): re then tests a character once for all
    the forms that share it, instead of once per form. It matches what the plain
    alternation, longest form first, matches: at a place where several forms match, they
    begin one another (two different pieces never match the same character), and the
    trie tries each longer continuation before the form that stops there. Under
    re.IGNORECASE two forms differing in case only would break that: forms with a
    capital keep the plain alternation."""
    forms = set(forms)
    if any(form != form.lower() for form in forms):
        return "(?:" + "|".join(_pieces_of(form) for form in sorted(forms, key=len, reverse=True)) + ")"
    trie: dict = {}
    for form in forms:
        node = trie
        for piece in _pieces(form):
            node = node.setdefault(piece, {})
        node[""] = {}  # the form ends here
    return "(?:" + _trie_pattern(trie) + ")"


def _pieces(form: str) -> list[str]:
    """The regex of each character of a form: apostrophes and spaces flexible."""
    return [APOSTROPHE if character in "'’" else SPACE if character == " " else re.escape(character) for character in form]


def _pieces_of(form: str) -> str:
    return "".join(_pieces(form))


def _trie_pattern(node: dict) -> str:
    branches = [piece + _trie_pattern(child) for piece, child in sorted(node.items()) if piece]
    if "" in node:
        branches.append("")  # tried last: longer forms first
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


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
# "chaque été", "tous les hivers": every such season.
SET_SEASON = named("season", words(atoms.SEASONS)) + AFTER
SET_SEASONS = named("season", words(atoms.SEASONS)) + r"s?" + AFTER
# "plus de deux heures", "plus d'une heure": an elided modifier is glued to its amount.
MODIFIER_SPACE = r"(?:(?<=['’])" + OPT_SPACE + "|" + SPACE + ")"
AMOUNT_MODIFIER = named("modifier", words(atoms.AMOUNT_MODIFIERS)) + r"(?:(?<=['’])|(?![\w-]))"

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
CLOCK_FRACTION = named("fraction", words(atoms.CLOCK_FRACTIONS)) + AFTER
# What may follow any clock time: "et demie", "du soir", "UTC", ", heure française".
CLOCK_TAIL = (optional(SPACE + CLOCK_FRACTION) + optional(SPACE + named("clock_part", words(atoms.CLOCK_DAY_PARTS)) + AFTER)
              + optional(r"(?:," + OPT_SPACE + r"|" + SPACE + r")" + named("zone", words(atoms.TIME_ZONES)) + r"(?![\w-])"))
CLOCK = HOUR + CLOCK_MARK + optional(MINUTE) + r"(?![\w:])" + CLOCK_TAIL
# "à seize heures", "vers vingt et une heures trente" is rare: words give the hour only.
CLOCK_IN_WORDS = named("hour_words", NUMBER_IN_WORDS) + SPACE + r"heures?" + AFTER + CLOCK_TAIL

DEMONSTRATIVES = ("ce", "cet", "cette")
DEMONSTRATIVE = named("demonstrative", "|".join(DEMONSTRATIVES)) + SPACE
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
# - ``cue(forms, word_end=True)``: the same, for an atom followed in its pattern by
#   a character that is not a word character (a space, a hyphen, a full stop) or by a
#   lookahead refusing one, so a form's last piece ends a word there;
# - ``cue(forms, word_start=True)``: likewise for an atom preceded in its pattern by
#   a non-word character (a space, an apostrophe, the hyphen of "mi-") or, at the
#   start of the pattern, by BEFORE's lookbehind: a form's first piece starts a word;
# - ``Shape``: a regex that every match of the atom also matches (the atom itself, or
#   what it starts with), read on the text as it is, case included;
# - ``Then(first, second)``: two atoms joined by SPACE, "le 3 | mars", "par | jour":
#   ``ends_chunk`` and ``starts_chunk`` shapes of consecutive chunks (see below).
# Atoms whose forms are on nearly every line ("an", "en", "ce") get no cue unless
# both ends of their words are known ("ce" as a whole word is much rarer), or unless
# a Then ties them to their neighbour ("en | été": "été" alone is mostly a participle).
#
# The pieces of a cue hold no space (its forms are cut at spaces and apostrophes), so
# whether a cue holds on a line is whether it holds in one of the line's *chunks*, its
# runs of non-space characters (the spaces around a chunk are no word characters, as
# the start and the end of a line). The same goes for a Shape ``within_chunks``: a
# regex that never matches a space and has no lookaround reaching past one. The
# chunks of texts repeat from one text to the next (the words of a language do), so
# what each chunk holds is learned once and kept (``_CHUNK_CUES``): reading a text
# costs a dictionary look-up per chunk (and a look at the chunk before, for Thens),
# and a search per piece only over the chunks not seen before.
# A cue not implied by its pattern silently loses dates: tests/test_dates.py checks
# on texts drawn from each pattern's regex that scan finds what the bare regex finds.

# Letters that re.IGNORECASE matches to "i" or "s" but that str.lower() leaves alone.
CASE_TWINS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def cue_case(text: str) -> str:
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


@dataclass(frozen=True)
class LineCue:
    """Pieces one of which is in the case-folded line of every match of a pattern (with
    ``word_start``: preceded there by a non-word character or the start of the text;
    with ``word_end``: followed there by a non-word character or the end of the text;
    with ``chunk_start``, ``chunk_end``: by a space, or the start, the end of the text)."""

    pieces: tuple[str, ...]
    word_end: bool = False
    word_start: bool = False
    chunk_start: bool = False
    chunk_end: bool = False

    def bounded(self, text: str, at: int, after: int) -> bool:
        """Whether a piece found at ``at``..``after`` of a case-folded text has the ends
        the cue asks for."""
        before = text[at - 1] if at > 0 else " "
        following = text[after] if after < len(text) else " "
        return not ((self.word_start and is_word_character(before)) or (self.word_end and is_word_character(following))
                    or (self.chunk_start and not before.isspace()) or (self.chunk_end and not following.isspace()))


def cue(*forms: str, word_start: bool = False, word_end: bool = False) -> LineCue:
    """The cue of an alternation of written forms, as ``words(forms)`` writes it.

    ``words`` lets spaces and apostrophes vary, so a match of a form holds each of its
    pieces between them, each a whole word there but for the atom's own ends: the
    longest one is kept, or the last one for ``word_end``, the first one for
    ``word_start``, the longest one again for both (a whole word). A piece that holds a
    shorter one (ends with it, for ``word_end``; starts with it, for ``word_start``) is
    dropped: wherever it is found, so is the shorter one; not for whole words.
    """
    if word_start and word_end:
        pick, holds = (lambda pieces: max(pieces, key=len)), (lambda p, q: False)
    elif word_end:
        pick, holds = (lambda pieces: pieces[-1]), str.endswith
    elif word_start:
        pick, holds = (lambda pieces: pieces[0]), str.startswith
    else:
        pick, holds = (lambda pieces: max(pieces, key=len)), str.__contains__
    kept = {pick(re.split(r"[\s'’]+", cue_case(form))) for form in forms}
    return LineCue(tuple(sorted(p for p in kept if not any(q != p and holds(p, q) for q in kept))), word_end, word_start)


@dataclass(frozen=True)
class Shape:
    """A regex matching, on its line, wherever a mandatory atom of a pattern matches.

    ``within_chunks``: it never matches a space and no lookaround of it looks past one,
    so it is read on the chunks."""

    regex: re.Pattern
    within_chunks: bool = False

    def lines(self, text: str, starts: list[int]) -> set[int]:
        found: set[int] = set()
        match = self.regex.search(text)
        while match:
            line = bisect.bisect_right(starts, match.start()) - 1
            found.add(line)
            match = self.regex.search(text, starts[line + 1]) if line + 1 < len(starts) else None
        return found


def ends_chunk(*endings: str, word_start: bool = False) -> LineCue:
    """An atom followed by SPACE in its pattern, whose match ends with one of these
    (spaceless) endings: one of them ends its chunk."""
    return LineCue(_spaceless(endings), word_start=word_start, chunk_end=True)


def starts_chunk(*beginnings: str, word_end: bool = False) -> LineCue:
    """An atom following SPACE in its pattern, whose match starts with one of these
    (spaceless) beginnings: one of them starts its chunk."""
    return LineCue(_spaceless(beginnings), word_end=word_end, chunk_start=True)


def _spaceless(forms: tuple[str, ...]) -> tuple[str, ...]:
    pieces = tuple(sorted({cue_case(form) for form in forms}))
    if any(not piece or any(c.isspace() for c in piece) for piece in pieces):
        raise ValueError(f"a chunk cue's pieces hold no space: {pieces}")
    return pieces


@dataclass(frozen=True)
class Then:
    """Two atoms joined by SPACE in a pattern: on the line of each match, a chunk where
    ``first`` holds (at its end) is followed by one where ``second`` holds (at its
    start): ``ends_chunk``, ``starts_chunk`` cues, or shapes within chunks saying so."""

    first: LineCue | Shape
    second: LineCue | Shape


# Every cue read on chunks, with its bit in the masks of _CHUNK_CUES.
_CHUNK_BITS: dict[LineCue | Shape, int] = {}
# (first bit, second bit, bit) of every Then; the bits of all their firsts, seconds.
_THENS: list[tuple[int, int, int]] = []
_THEN_FIRSTS = _THEN_SECONDS = 0
# Piece -> (cue, bit) of every cue holding it; pieces by their first two characters.
_PIECE_CUES: dict[str, list[tuple[LineCue, int]]] = {}
_PIECES_BY_PAIR: dict[str, list[str]] = {}
# Chunk -> mask of the cues that hold in it; emptied when it grows past _CHUNK_LIMIT.
_CHUNK_CUES: dict[str, int] = {}
_CHUNK_LIMIT = 200_000


def _chunk_bit(needed: LineCue | Shape) -> int:
    if needed not in _CHUNK_BITS:
        bit = _CHUNK_BITS[needed] = 1 << (len(_CHUNK_BITS) + len(_THENS))
        for piece in needed.pieces if isinstance(needed, LineCue) else ():
            if piece not in _PIECE_CUES:
                _PIECE_CUES[piece] = []
                _PIECES_BY_PAIR.setdefault(piece[:2], []).append(piece)
            _PIECE_CUES[piece].append((needed, bit))
        _CHUNK_CUES.clear()  # what was learned lacks the new cue
    return _CHUNK_BITS[needed]


def _then_bit(then: Then) -> int:
    global _THEN_FIRSTS, _THEN_SECONDS
    first, second = _chunk_bit(then.first), _chunk_bit(then.second)
    for known_first, known_second, bit in _THENS:
        if (known_first, known_second) == (first, second):
            return bit
    bit = 1 << (len(_CHUNK_BITS) + len(_THENS))
    _THENS.append((first, second, bit))
    _THEN_FIRSTS |= first
    _THEN_SECONDS |= second
    return bit


def _learn(chunks: set[str]) -> None:
    """What each cue says of chunks not seen yet, read on all of them at once: one
    chunk per line of a text of their own, and its case folding (character for
    character) for the cues. Only pieces whose first two characters follow each other
    somewhere in it are searched (a piece of one character always)."""
    new = list(chunks)
    text = "\n".join(new)
    folded = cue_case(text)
    starts = line_starts(text)
    masks = [0] * len(new)
    pairs = set(map(operator.add, folded, folded[1:])) | set(folded)
    for pair in pairs.intersection(_PIECES_BY_PAIR):
        for piece in _PIECES_BY_PAIR[pair]:
            at = folded.find(piece)
            while at >= 0:
                for needed, bit in _PIECE_CUES[piece]:
                    if needed.bounded(folded, at, at + len(piece)):
                        masks[bisect.bisect_right(starts, at) - 1] |= bit
                at = folded.find(piece, at + 1)
    for needed, bit in _CHUNK_BITS.items():
        if isinstance(needed, Shape):
            for line in needed.lines(text, starts):
                masks[line] |= bit
    _CHUNK_CUES.update(zip(new, masks))


def _line_mask(chunks: list[str]) -> int | None:
    """The cues that hold on a line of these chunks, None if one is not learned yet."""
    mask = previous = 0
    for chunk in chunks:
        held = _CHUNK_CUES.get(chunk)
        if held is None:
            return None
        if previous & _THEN_FIRSTS and held & _THEN_SECONDS:
            for first, second, bit in _THENS:
                if previous & first and held & second:
                    mask |= bit
        mask |= held
        previous = held
    return mask


def line_cues(text: str) -> list[int]:
    """For each line of a text, the mask of the chunk cues (and Thens) that hold on it."""
    if len(_CHUNK_CUES) > _CHUNK_LIMIT:
        _CHUNK_CUES.clear()
    lines = [words.split() for words in text.split("\n")]
    masks = [_line_mask(chunks) for chunks in lines]
    if None in masks:
        _learn({chunk for chunks, mask in zip(lines, masks) if mask is None for chunk in chunks if chunk not in _CHUNK_CUES})
        masks = [_line_mask(chunks) if mask is None else mask for chunks, mask in zip(lines, masks)]
    return masks


# month() ends with (?!\w); every pattern puts a space, an apostrophe, "mi-" or BEFORE before it.
MONTH_CUE = cue(*atoms.MONTHS, word_start=True, word_end=True)
WEEKDAY_CUE = cue(*atoms.WEEKDAYS, word_start=True, word_end=True)  # where weekday() is followed by AFTER
DIRECTION_CUE = cue(*atoms.DIRECTIONS, word_end=True)  # OPT_SPACE may glue it to the unit before
POSITION_CUE = cue(*POSITION_WORDS, "mi-", word_start=True)  # "mi-" ends on the hyphen
DAY_PART_CUE = cue(*atoms.DAY_PARTS, word_start=True, word_end=True)
SEASON_CUE = cue(*atoms.SEASONS, word_start=True, word_end=True)
# "le 3 mars", "le 1er mai": a day number ends its chunk, a month starts the next one.
DAY_THEN_MONTH = Then(Shape(re.compile(day_number() + r"(?!\S)", re.IGNORECASE), within_chunks=True),
                      starts_chunk(*atoms.MONTHS, word_end=True))
# "mars 2020", "sept. 21", "octobre '98": a month, with the full stop of its
# abbreviation, then a year.
MONTH_THEN_YEAR = Then(ends_chunk(*atoms.MONTHS, *(form + "." for form in atoms.MONTH_ABBREVIATIONS), word_start=True),
                       Shape(re.compile(r"(?<!\S)(?:" + year() + "|" + short_year() + ")"), within_chunks=True))
# year() begins with 1 or 2: re jumps straight to those digits (shapes starting with a
# digit run fast on a line).
YEAR_SHAPE = Shape(re.compile(year()), within_chunks=True)
# The last digit of an hour, then its mark: "18 h", "9:30", "20 heures" (across a space).
CLOCK_SHAPE = Shape(re.compile(r"\d" + CLOCK_MARK, re.IGNORECASE))


# ---------------------------------------------------------------- first characters
# re tries a pattern at every position of a window, and a failed try costs little only
# when the pattern fails on its first step: BEFORE passes at each word start, where a
# pattern then runs through its alternatives. ``first_characters`` reads, in re's own
# parse of a pattern, the atoms that can match the first character of a match (the
# first consuming atom of each alternative, past optional parts and lookarounds), and
# the pattern is searched behind a lookahead accepting only those characters: the
# same matches, found faster. re's parser is internal to the standard library: a
# pattern it cannot read (or a Python whose parser differs) keeps its bare regex.

try:
    from re import _constants as _sre, _parser as _sre_parser
except ImportError:  # pragma: no cover - another Python
    _sre = _sre_parser = None


class _Unread(Exception):
    """Something first_characters does not read: the pattern keeps its bare regex."""


_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s", "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W",
}


def _class_items(op, av) -> str:
    """The atom (a literal or a set) as the inside of a character class."""
    if op is _sre.LITERAL:
        return "\\U%08x" % av
    if op is not _sre.IN:
        raise _Unread(op)
    items = []
    for item, value in av:
        if item is _sre.LITERAL:
            items.append("\\U%08x" % value)
        elif item is _sre.RANGE:
            items.append("\\U%08x-\\U%08x" % value)
        elif item is _sre.CATEGORY and str(value) in _CATEGORIES:
            items.append(_CATEGORIES[str(value)])
        else:
            raise _Unread(item)  # a negated set, a locale category...
    return "".join(items)


def _first_atoms(items, ignore_case: bool, found: list) -> bool:
    """Adds to ``found`` (ignore_case, op, av) for every atom that can consume the first
    character of a match of ``items`` (a sequence of re's parse); True if ``items`` can
    match the empty string."""
    for op, av in items:
        if op in (_sre.LITERAL, _sre.IN):
            found.append((ignore_case, op, av))
            return False
        if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
            continue  # consumes nothing
        if op is _sre.SUBPATTERN:
            _, add, remove, sub = av
            if (add | remove) & ~re.IGNORECASE:
                raise _Unread(op)
            if add & re.IGNORECASE:
                inner = True
            elif remove & re.IGNORECASE:
                inner = False
            else:
                inner = ignore_case
            if not _first_atoms(sub, inner, found):
                return False
        elif op is _sre.BRANCH:
            empty = False
            for alternative in av[1]:
                empty |= _first_atoms(alternative, ignore_case, found)
            if not empty:
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            low, _, sub = av
            if not _first_atoms(sub, ignore_case, found) and low > 0:
                return False
        elif op is _sre.ATOMIC_GROUP:
            if not _first_atoms(av, ignore_case, found):
                return False
        else:
            raise _Unread(op)  # any character, a back-reference...
    return True


def first_characters(regex: re.Pattern) -> list[tuple[bool, object, object]] | None:
    """(ignore_case, op, av) of the atoms that can match the first character of a match
    of ``regex``, None if that cannot be read (or the empty string matches)."""
    if _sre is None or regex.flags & ~(re.IGNORECASE | re.UNICODE):
        return None
    try:
        found: list = []
        if _first_atoms(_sre_parser.parse(regex.pattern, regex.flags).data, bool(regex.flags & re.IGNORECASE), found):
            return None
        return found
    except (_Unread, AttributeError, TypeError, ValueError, re.error):
        return None


def guarded(regex: re.Pattern) -> re.Pattern:
    """``regex`` behind a lookahead that accepts only the characters a match can start
    with: it finds the same matches (the same groups, over the same string) faster."""
    atoms = first_characters(regex)
    if not atoms:
        return regex
    try:
        classes = {flag: "".join(dict.fromkeys(_class_items(op, av) for ignore, op, av in atoms if ignore == flag)) for flag in (True, False)}
        guard = "|".join(f"(?{'i' if flag else '-i'}:[{items}])" for flag, items in classes.items() if items)
        return re.compile(f"(?={guard})" + regex.pattern, regex.flags)
    except (_Unread, re.error):
        return regex


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


def _table_key(text: str) -> str:
    return text.lower().replace("’", "'").replace("\u00a0", " ")


def _lookup(table: dict, text: str):
    return table[re.sub(r"\s+", " ", _table_key(text))]


def _month(groups: dict, name: str = "month") -> int:
    return _lookup(atoms.MONTHS, groups[name].rstrip("."))


def _day(text: str) -> int:
    return 1 if _table_key(text) in ("1er", "1re", "premier") else int(text)


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
    needs: tuple[LineCue | Shape | Then, ...] = ()
    # The bits of the needs read on chunks, and the shapes read on whole lines.
    chunk_mask: int = field(init=False, repr=False, compare=False, default=0)
    line_shapes: tuple[Shape, ...] = field(init=False, repr=False, compare=False, default=())

    @functools.cached_property
    def search(self) -> re.Pattern:
        """``regex`` behind a lookahead on its first characters: what scan searches
        (compiled when first searched: importing the grammar stays cheap)."""
        return guarded(self.regex)

    def __post_init__(self):
        on_chunks = [n for n in self.needs if not isinstance(n, Shape) or n.within_chunks]
        bits = {_then_bit(n) if isinstance(n, Then) else _chunk_bit(n) for n in on_chunks}
        object.__setattr__(self, "chunk_mask", sum(bits))
        object.__setattr__(self, "line_shapes", tuple(n for n in self.needs if n not in on_chunks))


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


LISTED_DAY = r"(?:1er|0?[1-9]|[12]\d|3[01])"
NUMERIC_DAY_MONTH = named("nday", r"0?[1-9]|[12]\d|3[01]") + "/" + named("nmonth", r"0?[1-9]|1[0-2]")
# What may follow a day of the month written alone: "le 21, ", "le 23 à 17 h", "le 4 au soir".
DAY_ALONE_FOLLOWERS = ("à", "au", "et", "ou", "dans", "dès", "vers", "prochain", "dernier", "suivant", "précédent", "matin", "soir", "après-midi")


def _read_numeric_day_month(match: re.Match) -> list[Match]:
    if not (match.group("preposition") or match.group("article")):
        return []  # "14/11" alone may be a ratio or a score
    parse = _read_numeric_date(match.groupdict())
    return [Match(match.start("expr"), match.end("expr"), parse)] if parse else []


def _read_day_list(match: re.Match) -> list[Match]:
    """'les 6 et 13 avril', 'du 10 au 12 janvier', 'les 21, 22 et 23 mai': the days before the
    last borrow its month."""
    groups = match.groupdict()
    last = _date_parse(groups)
    first = replace(last, day=_day(groups["first_day"]), weekday=_weekday({"weekday": groups["first_weekday"]}) if groups.get("first_weekday") else None)
    middle_start = match.start("middle")
    middles = [Match(middle_start + day.start(), middle_start + day.end(), replace(last, day=_day(day.group()), weekday=None))
               for day in re.finditer(r"1er|\d+", match.group("middle"))]
    return [Match(match.start("first"), match.end("first"), first), *middles, Match(match.start("last"), match.end(), last)]


def _read_month(groups: dict) -> Parse | None:
    return Parse("calendar", year=_year(groups), month=_month(groups), direction=_direction(groups), mod=_position(groups))


def _read_year(groups: dict) -> Parse:
    return Parse("calendar", year=int(groups["year"]), mod=_position(groups))


def _read_decade(groups: dict) -> Parse:
    digits = groups["decade"]
    decade = int(digits) if len(digits) == 4 else 1900 + int(digits)
    return Parse("calendar", decade=decade // 10, mod=_position(groups))


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
    named_time = atoms.NAMED_TIMES.get(_table_key(groups.get("named_time") or ""))
    return Parse(
        "today", offset=_lookup(atoms.RELATIVE_DAYS, groups["relative"]), part=_part(groups),
        hour=named_time[0] if named_time else None, minute=named_time[1] if named_time else None,
    )


def _read_weekday(groups: dict) -> Parse:
    """'vendredi', 'lundi prochain', 'le jeudi suivant' (after the last date of the text),
    'vendredi en huit' (a week after the next Friday), 'mardi soir'."""
    weeks_on = {"huit": 7, "quinze": 14}.get(_table_key(groups.get("weeks_on") or ""), 0)
    return Parse(
        "calendar", weekday=_weekday(groups), direction=1 if weeks_on else _direction(groups), part=_part(groups),
        demonstrative=bool(groups.get("demonstrative")), same=bool(groups.get("same")), offset=weeks_on,
        anaphoric=_anaphoric(groups),
    )


def _anaphoric(groups: dict) -> bool:
    return bool(groups.get("there")) or (bool(groups.get("direction")) and _table_key(groups["direction"]) in atoms.ANAPHORIC_DIRECTIONS)


def _read_period(groups: dict) -> Parse:
    unit_text = _table_key(groups["unit"])
    unit = atoms.PERIOD_UNITS.get(unit_text)
    season = atoms.SEASONS.get(unit_text)
    part = atoms.DAY_PARTS.get(unit_text)
    if part == atoms.DAYTIME and not groups.get("direction"):
        # "cette journée" is the day the text speaks of (else the publication day), as "la journée"
        return Parse("anchored", part=part, mod=_position(groups), demonstrative=bool(groups.get("demonstrative")))
    direction = _direction(groups)
    if groups.get("new_year"):
        direction = 0
    return Parse("period", unit=unit, season=season, part=part, offset=direction or 0, mod=_position(groups),
                 anaphoric=_anaphoric(groups))


def _read_season(groups: dict) -> Parse:
    return Parse("calendar", season=_lookup(atoms.SEASONS, groups["season"]), year=_year(groups), mod=_position(groups))


def _read_anchored_day(groups: dict) -> Parse:
    return Parse("anchored", offset=_lookup(atoms.ANCHORED_DAYS, groups["anchored"]), part=_part(groups))


def _read_part_of_reference(groups: dict) -> Parse:
    return Parse("anchored", part=_part(groups), mod=_position(groups))


def _clock_fields(groups: dict) -> tuple[int, int] | None:
    """(hour, minute) as written, None if the words name no hour of the day."""
    if groups.get("named_time"):
        hour, minute = atoms.NAMED_TIMES[_table_key(groups["named_time"])]
    elif groups.get("hour_words"):
        hour, minute = number_value(groups["hour_words"]), 0
        if hour != int(hour) or not 0 <= hour <= 23:
            return None
        hour = int(hour)
    else:
        hour, minute = int(groups["hour"]), int(groups.get("minute") or 0)
    if groups.get("fraction"):
        minute = _lookup(atoms.CLOCK_FRACTIONS, groups["fraction"])
        if minute < 0:
            hour, minute = (hour - 1) % 24, 60 + minute
    return hour, minute


def _read_clock(groups: dict) -> Parse | None:
    fields = _clock_fields(groups)
    if fields is None:
        return None
    modifier = _lookup(atoms.AMOUNT_MODIFIERS, groups["modifier"]) if groups.get("modifier") else None
    part = _lookup(atoms.CLOCK_DAY_PARTS, groups["clock_part"]) if groups.get("clock_part") else None
    zone = _lookup(atoms.TIME_ZONES, groups["zone"]) if groups.get("zone") else None
    return Parse("clock", hour=fields[0], minute=fields[1], mod=modifier, part=part, zone=zone)


def _read_duration(groups: dict) -> Parse:
    modifier = _lookup(atoms.AMOUNT_MODIFIERS, groups["modifier"]) if groups.get("modifier") else None
    if groups.get("unit_noun"):
        return Parse("duration", value=_lookup(atoms.UNIT_NOUNS, groups["unit_noun"]), mod=modifier)
    unit = _lookup(atoms.UNITS, groups["unit"])
    if groups.get("vague"):
        amount = "X"
    elif groups.get("approximate"):
        amount = amount_text(atoms.APPROXIMATE_NUMBERS[_table_key(groups["approximate"])])
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
    if groups.get("season"):
        return Parse("set", value="XXXX-" + _lookup(atoms.SEASONS, groups["season"]))
    if groups.get("weekday"):
        return Parse("set", value=f"XXXX-WXX-{_weekday(groups)}")
    if groups.get("adjective"):
        return Parse("set", value=_lookup(atoms.SET_ADJECTIVES, groups["adjective"]))
    return Parse("set", value=_lookup(atoms.SET_UNITS, groups["unit"]))


def _read_every(groups: dict) -> Parse:
    """'tous les cinq ans' -> P5Y, a set whose value is the stretch between two times."""
    return Parse("set", unit=_lookup(atoms.UNITS, groups["unit"]), amount=amount_text(number_value(groups["number"])))


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
# "la journée la plus chaude", "la deuxième nuit la plus longue": a ranking of days, not a time.
NO_SUPERLATIVE = r"(?!" + SPACE + r"(?:la|le|les)" + SPACE + r"(?:plus|moins)" + AFTER + ")"
IN_DAY_PARTS = ("soirée", "matinée", "journée", "nuit")
TODAY_WORD = r"aujourd" + APOSTROPHE + r"hui" + AFTER
RECENT = ("derniers", "dernières", "prochains", "prochaines", "suivants", "suivantes", "précédents", "précédentes")
FOLLOWING = ("suivants", "suivantes", "précédents", "précédentes")
# "Été" starts a sentence, "été" alone is a past participle: [ÉE]t[ée], case-folded.
SUMMER_CAPITALISED = ("été", "ete", "éte", "eté")
SUMMER = ("été", "eté")

# "le marché de Noël", "l'île de Pâques" are no dates; "les vacances de Noël" are.
HOLIDAY_TIME_NOUNS = ("vacances", "veille", "lendemain", "période", "fêtes", "fête", "jour", "jours", "nuit", "soir",
                      "soirée", "matin", "semaine", "week-end", "trêve", "congés", "pont", "réveillon", "avant", "après")
NOUN_OF_BEFORE = re.compile(r"([\w-]+)\s+d[e'’]\s*$")


def holiday_pattern(path: Path = DEFAULT_HOLIDAYS) -> ExpressionPattern:
    """The pattern of the holidays a holidays file names (see holidays.py)."""
    holidays = load_holidays(path)

    def read(match: re.Match) -> list[Match]:
        noun = NOUN_OF_BEFORE.search(match.string, max(0, match.start() - 30), match.start())
        if noun and noun.group(1).lower() not in HOLIDAY_TIME_NOUNS:
            return []
        holiday = holidays[re.sub(r"\s+", " ", match.group("holiday")).replace("’", "'")]
        year_number = int(match.group("year")) if match.group("year") else None
        parse = Parse("calendar", year=year_number, month=holiday.month, day=holiday.day, after_easter=holiday.after_easter)
        return [Match(match.start(), match.end(), parse)]

    names = "(?-i:" + words(holidays) + ")"
    return ExpressionPattern(
        "holiday",
        # "le Père Noël", "Noël Mamère", "Toussaint Louverture" are people.
        re.compile(r"(?<![\w-])(?<![Pp]ère\s)" + optional(r"(?:(?:le|la|les)" + SPACE + "|l" + APOSTROPHE + OPT_SPACE + ")")
                   + named("holiday", names) + r"(?![\w-])" + optional(SPACE + year()) + r"(?!" + SPACE + r"(?-i:[A-Z][a-zé]))", re.IGNORECASE),
        read,
        needs=(cue(*holidays, word_start=True, word_end=True),),
    )


def use_holidays(path: Path) -> None:
    """Read the holidays of ``path`` from now on (the stage's [dates] holidays setting)."""
    global PATTERNS
    if Path(path) != DEFAULT_HOLIDAYS:
        PATTERNS = tuple(holiday_pattern(Path(path)) if pattern.name == "holiday" else pattern for pattern in PATTERNS)


PATTERNS: tuple[ExpressionPattern, ...] = (
    holiday_pattern(),
    ExpressionPattern(
        "day_list",
        _compile(
            named("first", r"(?:(?:les|le)" + SPACE + r")?" + optional(named("first_weekday", words(atoms.WEEKDAYS)) + SPACE)
                  + named("first_day", LISTED_DAY)) + r"(?!\d)"
            + named("middle", r"(?:," + SPACE + LISTED_DAY + r"(?!\d))*")
            + r"(?:" + SPACE + r"(?:et|au|à)" + SPACE + r"|," + SPACE + r"(?:et" + SPACE + r")?)"
            + named("last", optional(r"(?:le|les)" + SPACE) + optional(weekday() + SPACE) + day_number()) + SPACE + month()
            + optional(SPACE + year()) + optional(SPACE + DIRECTION)
        ),
        _read_day_list,
        needs=(DAY_THEN_MONTH,),
    ),
    ExpressionPattern("date", _compile(_DATE_CORE), _whole(_date_parse), needs=(DAY_THEN_MONTH,)),
    ExpressionPattern(
        "numeric_date",
        re.compile(r"(?<![\d.,/-])" + named("nday", r"\d{1,2}") + r"(?P<sep>[./-])" + named("nmonth", r"\d{1,2}") + r"(?P=sep)"
                   + r"(?:" + year() + "|" + short_year() + r")(?![\d.,/]\d)"),
        _whole(_read_numeric_date),
        # The last digit of the day, the separator, the first digit of the month.
        needs=(Shape(re.compile(r"\d[./-]\d"), within_chunks=True),),
    ),
    ExpressionPattern(
        # "le 14/11", "du 14/11 au 16/11": without a year, only after le, du, au.
        "numeric_day_month",
        _compile(optional(named("preposition", r"du|au") + SPACE) + named("expr", optional(named("article", "le") + SPACE) + NUMERIC_DAY_MONTH) + r"(?![/\d]|\.\d)"),
        lambda match: _read_numeric_day_month(match),
        needs=(Shape(re.compile(r"\d/\d"), within_chunks=True),),
    ),
    ExpressionPattern(
        # "12 03 2015": two digits, two digits, a year.
        "spaced_numeric_date",
        re.compile(r"(?<![\d,.])(?<!\d\s)" + named("nday", r"[0-3]\d") + SPACE + named("nmonth", r"[01]\d") + SPACE + year() + r"(?![^\S\n]?\d)"),
        _whole(_read_numeric_date),
        needs=(YEAR_SHAPE,),
    ),
    ExpressionPattern(
        # "09/2017": a month and its year.
        "numeric_month_year",
        re.compile(r"(?<![\d.,/-])" + named("nmonth", r"0?[1-9]|1[0-2]") + r"/" + year() + r"(?![\d/])"),
        _whole(lambda g: Parse("calendar", year=int(g["year"]), month=int(g["nmonth"]))),
        needs=(Shape(re.compile(r"\d/\d"), within_chunks=True),),
    ),
    ExpressionPattern(
        # "en 97": a year in two digits after en (its century is the nearest one).
        "short_year_after_en",
        _compile(r"en" + SPACE + named("expr", named("short_year", r"\d\d")) + r"(?![\d.,]\d|[^\S\n]*[%€$°]|\w)"
                 + r"(?!" + SPACE + r"(?!" + words(atoms.YEAR_FOLLOWERS) + r"(?![\w-]))[a-zà-ÿ])"),
        _whole(lambda g: Parse("calendar", year=-int(g["short_year"])), "expr"),
        needs=(Then(ends_chunk("en", word_start=True), Shape(re.compile(r"(?<!\S)\d\d(?!\d)"), within_chunks=True)),),
    ),
    ExpressionPattern(
        # "le 21", "le 23 à 17 h", "jeudi 5": a day of the month alone.
        "day_alone",
        # A day alone is a date only after "le" or a weekday: the match starts with one.
        _compile(r"(?=(?:le|" + words(atoms.WEEKDAYS) + ")" + SPACE + ")"
                 + optional(named("article", "le") + SPACE) + optional(weekday() + SPACE) + named("day", LISTED_DAY) + r"(?![\w:/'’°%-]|[,.]\d)(?!,?" + SPACE + words(atoms.STREET_WORDS) + r"\b)"
                 + r"(?=" + OPT_SPACE + r"(?:[.;:)!?]|,(?!\d)|$)|" + SPACE + words(DAY_ALONE_FOLLOWERS) + r"(?![\w-]))"),
        _whole(lambda g: Parse("calendar", day=_day(g["day"]), weekday=_weekday(g) if g.get("weekday") else None)),
        # "le" or a weekday ends a chunk, the day (a digit first) starts the next one.
        needs=(Then(ends_chunk("le", *atoms.WEEKDAYS, word_start=True), Shape(re.compile(r"(?<!\S)\d"), within_chunks=True)),),
    ),
    ExpressionPattern(
        "iso_date",
        re.compile(r"(?<![\d.-])" + year() + "-" + named("nmonth", r"\d\d") + "-" + named("nday", r"\d\d") + r"(?!\d)"),
        _whole(_read_iso_date),
        # The last digit of the year, the month, the first digit of the day.
        needs=(Shape(re.compile(r"\d-\d\d-\d"), within_chunks=True),),
    ),
    ExpressionPattern(
        "month_year",
        _compile(optional(POSITION) + _MONTH_SPECIFIER + month() + SPACE + r"(?:" + year() + "|" + short_year() + ")"),
        _whole(_read_month),
        needs=(MONTH_THEN_YEAR,),
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
        # "d'août" is glued to its month, as "plus d'une heure" to its amount
        _compile(_PREPOSITION + MODIFIER_SPACE + named("expr", _MONTH_SPECIFIER + month())),
        lambda match: _read_month_match(match, "expr"),
        needs=(MONTH_CUE,),
    ),
    ExpressionPattern(
        # "un mois d'août": an indefinite article, any August.
        "any_month",
        _compile(r"un" + SPACE + r"mois" + SPACE + r"(?:de" + SPACE + r"|d" + APOSTROPHE + ")" + month()),
        _whole(lambda g: replace(_read_month(g), any_year=True)),
        needs=(Then(ends_chunk("un", word_start=True), starts_chunk("mois", word_end=True)), MONTH_CUE),
    ),
    ExpressionPattern(
        "named_month",
        _compile(r"(?:le" + SPACE + r")?mois" + SPACE + r"(?:de" + SPACE + r"|d" + APOSTROPHE + ")" + month()),
        _whole(_read_month),
        needs=(cue("mois", word_start=True, word_end=True), MONTH_CUE),
    ),
    ExpressionPattern("positioned_year", _compile(POSITION + optional(r"l" + APOSTROPHE + r"(?:année|an)" + SPACE) + year()), _whole(_read_year), needs=(POSITION_CUE, YEAR_SHAPE)),
    ExpressionPattern("named_year", _compile(r"l" + APOSTROPHE + r"(?:année|an)" + SPACE + year()), _whole(_read_year), needs=(YEAR_SHAPE,)),
    ExpressionPattern(
        "year_after_preposition",
        _compile(_TEMPORAL_PREPOSITION + OPT_SPACE + named("expr", year())),
        _whole(_read_year, "expr"),
        needs=(YEAR_SHAPE,),
    ),
    # A bare year; the second of a range "2012-2013" too. _read_bare_year tells counts.
    ExpressionPattern("year", re.compile(r"(?<![\w.,])(?:(?<=\d{4}-)|(?<!-))(?<!(?<!\d)/)" + year() + r"(?![.,]\d)(?!" + OPT_SPACE + r"[€$%])"),
                      lambda match: _read_bare_year(match),
                      needs=(YEAR_SHAPE,)),
    ExpressionPattern(
        # "les années 1980", "la fin des années 90"; "des", "aux" stay out ("dans des années
        # 1990" is no French: "des" there is "de les")
        "decade",
        _compile(optional(POSITION) + optional(r"les" + SPACE) + r"années" + SPACE + named("decade", r"(?:19|20)?\d0") + r"(?![\d,.]\d|\d)"),
        _whole(_read_decade),
        needs=(cue("années", word_start=True, word_end=True),),
    ),
    ExpressionPattern("century", _compile(r"(?:le" + SPACE + r")?" + named("century", r"[IVX]+|\d{1,2}") + r"(?:e|è|ème)" + SPACE + r"siècle"), _whole(_read_century), needs=(cue("siècle", word_start=True),)),
    ExpressionPattern(
        # "aujourd'hui encore", "continue aujourd'hui": nowadays, not the publication day.
        "nowadays",
        _compile(r"(?:(?:" + words(atoms.LASTING_WORDS) + r")" + SPACE + named("expr", TODAY_WORD)
                 + "|" + named("expr_first", TODAY_WORD) + SPACE + r"(?:encore|toujours)" + AFTER + ")"),
        lambda match: [Match(*(match.span("expr") if match.group("expr") else match.span("expr_first")), _present_ref({}))],
        needs=(cue("aujourd'hui", "aujourd’hui", word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "today",
        _compile(named("relative", words(atoms.RELATIVE_DAYS)) + AFTER
                 + optional(SPACE + r"(?:" + DAY_PART + "|" + weekday() + r"|à" + SPACE + named("named_time", NAMED_TIME) + ")")),
        _whole(_read_today),
        needs=(cue(*atoms.RELATIVE_DAYS, word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "weekday",
        _compile(optional(DEMONSTRATIVE + optional(named("same", "même") + SPACE)) + weekday() + AFTER
                 + optional(SPACE + r"(?:" + DIRECTION + "|en" + SPACE + named("weeks_on", r"huit|quinze") + AFTER + ")")
                 + optional(SPACE + r"(?:au" + SPACE + r")?" + DAY_PART)),
        _whole(_read_weekday),
        needs=(WEEKDAY_CUE,),
    ),
    ExpressionPattern(
        # "le premier lundi du mois prochain", "le dernier vendredi de juin 2020"
        "nth_weekday_of_month",
        _compile(r"le" + SPACE + named("nth", words(atoms.NTH)) + SPACE + weekday() + SPACE
                 + r"(?:du" + SPACE + r"mois" + optional(SPACE + DIRECTION) + "|de" + SPACE + r"ce" + SPACE + r"mois"
                 + "|d[e']" + OPT_SPACE + month() + optional(SPACE + year()) + ")" + AFTER),
        _whole(lambda g: Parse("calendar", weekday=_weekday(g), nth=_lookup(atoms.NTH, g["nth"]),
                               month=_month(g) if g.get("month") else None, year=_year(g),
                               unit=None if g.get("month") else "M", offset=_direction(g) or 0)),
        needs=(WEEKDAY_CUE, cue(*atoms.NTH, word_start=True, word_end=True)),
    ),
    ExpressionPattern(
        # "le premier semestre 2012", "au troisième trimestre": a half or a quarter of a year.
        "part_of_year",
        _compile(optional(r"le" + SPACE) + named("nth", words(atoms.NTH)) + SPACE + named("unit", r"semestre|trimestre") + AFTER
                 + optional(SPACE + r"(?:de" + SPACE + r")?" + year())),
        _whole(lambda g: Parse("calendar", year=_year(g), season=("H" if _table_key(g["unit"]) == "semestre" else "Q")
                               + str(_lookup(atoms.NTH, g["nth"]) if _lookup(atoms.NTH, g["nth"]) > 0 else (2 if _table_key(g["unit"]) == "semestre" else 4)))
               if _lookup(atoms.NTH, g["nth"]) <= (2 if _table_key(g["unit"]) == "semestre" else 4) else None),
        needs=(cue("semestre", "trimestre", word_start=True, word_end=True), cue(*atoms.NTH, word_start=True, word_end=True)),
    ),
    ExpressionPattern(
        "this_period",
        _compile(optional(POSITION) + DEMONSTRATIVE + optional(r"même" + SPACE)
                 + named("unit", words(list(atoms.PERIOD_UNITS) + list(atoms.SEASONS) + list(atoms.DAY_PARTS)))
                 + r"(?:-ci|" + named("there", r"-là|" + SPACE + r"là") + r")?" + AFTER),
        _whole(_read_period),
        # The unit follows a space, before "-ci" or AFTER.
        needs=(Then(ends_chunk(*DEMONSTRATIVES, word_start=True),
                    starts_chunk("même", *atoms.PERIOD_UNITS, *atoms.SEASONS, *atoms.DAY_PARTS, word_end=True)),
               cue(*atoms.PERIOD_UNITS, *atoms.SEASONS, *atoms.DAY_PARTS, word_start=True, word_end=True)),
    ),
    ExpressionPattern(
        "directed_period",
        # "le mois dernier", "début du mois dernier", "jusqu'au printemps dernier"
        _compile(optional(POSITION) + optional(THE) + named("unit", words(list(atoms.PERIOD_UNITS) + list(atoms.SEASONS) + list(atoms.DIRECTED_DAY_PARTS)))
                 + OPT_SPACE + DIRECTION),
        _whole(_read_period),
        needs=(DIRECTION_CUE,),
    ),
    ExpressionPattern(
        "new_year",
        _compile(optional(POSITION) + THE + named("new_year", "nouvelle") + SPACE + named("unit", "année") + AFTER),
        _whole(_read_period),
        needs=(cue("nouvelle", word_end=True), cue("année", word_start=True, word_end=True)),
    ),
    ExpressionPattern(
        "current_period",
        _compile(optional(POSITION) + optional(THE) + PERIOD_UNIT + SPACE + r"en" + SPACE + r"cours" + AFTER),
        _whole(_read_period),
        needs=(cue("cours", word_start=True, word_end=True),),
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
        lambda match: _read_season_match(match),
        needs=(cue("printemps", "automne", "hiver", "été", *SUMMER_CAPITALISED, word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "season_after_preposition",
        _compile(r"en" + SPACE + named("expr", named("season", "|".join(SUMMER)) + AFTER + optional(SPACE + year()))),
        _whole(_read_season, "expr"),
        needs=(Then(ends_chunk("en", word_start=True), starts_chunk(*SUMMER, word_end=True)),),
    ),
    ExpressionPattern(
        "season_months",
        _compile(r"les" + SPACE + r"mois" + SPACE + r"d" + APOSTROPHE + named("season", words(atoms.SEASONS)) + AFTER),
        _whole(lambda g: Parse("calendar", season=_lookup(atoms.SEASONS, g["season"]))),
        needs=(cue("mois", word_start=True, word_end=True), SEASON_CUE),
    ),
    ExpressionPattern(
        "anchored_day",
        _compile(named("anchored", words(atoms.ANCHORED_DAYS)) + AFTER + optional(SPACE + r"(?:au" + SPACE + r")?" + DAY_PART)),
        _whole(_read_anchored_day),
        needs=(cue(*atoms.ANCHORED_DAYS, word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "part_of_reference",
        _compile(optional(POSITION) + r"(?:(?:(?:la|le)" + SPACE + "|l" + APOSTROPHE + OPT_SPACE + ")" + DAY_PART + optional(SPACE + r"même") + r")(?!" + SPACE + r"(?:d[eu']|d" + APOSTROPHE + "))"
                 + NO_SUPERLATIVE),
        _whole(_read_part_of_reference),
        needs=(DAY_PART_CUE,),
    ),
    ExpressionPattern(
        # "en soirée", "en début de matinée", "en fin de journée": the preposition stays out.
        "part_after_en",
        _compile(r"en" + SPACE + named("expr", optional(POSITION) + named("part", words(IN_DAY_PARTS)) + AFTER)),
        _whole(_read_part_of_reference, "expr"),
        needs=(cue(*IN_DAY_PARTS, word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "positioned_part",
        _compile(POSITION + DAY_PART),
        _whole(_read_part_of_reference),
        needs=(POSITION_CUE, DAY_PART_CUE),
    ),
    ExpressionPattern(
        # "la nuit de samedi à dimanche", "la soirée du 5 mai": completed by COMBINATIONS.
        "part_of_a_day",
        _compile(named("expr", r"(?:(?:la|le|cette|cet)" + SPACE + "|l" + APOSTROPHE + OPT_SPACE + ")" + DAY_PART) + SPACE + r"(?:d[eu]|d" + APOSTROPHE + ")"),
        _whole(lambda g: Parse("anchored", part=_part(g), pending=True), "expr"),
        needs=(DAY_PART_CUE,),
    ),
    ExpressionPattern(
        "ordinal_day",
        _compile(r"la" + SPACE + ORDINAL + SPACE + named("part", "|".join(ORDINAL_DAY_PARTS)) + AFTER
                 + optional(SPACE + named("consecutive", r"consécutive") + AFTER) + NO_SUPERLATIVE),
        lambda match: _read_ordinal_day(match),
        needs=(cue(*ORDINAL_DAY_PARTS, word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "clock",
        _compile(optional(AMOUNT_MODIFIER + MODIFIER_SPACE) + named("expr", CLOCK)),
        lambda match: _read_clock_match(match),
        needs=(CLOCK_SHAPE,),
    ),
    ExpressionPattern(
        "clock_in_words",
        _compile(optional(AMOUNT_MODIFIER + MODIFIER_SPACE) + named("expr", CLOCK_IN_WORDS)),
        lambda match: _read_clock_match(match),
        needs=(cue("heure", "heures", word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "named_time",
        # "midi" in lower case: "le Midi" is the south; "le repas du midi" a habit.
        re.compile(r"(?<![\w-])(?<!\bdu\s)(?<!\ble\s)(?<!\bles\s)" + named("expr", named("named_time", r"(?-i:midi|minuit)") + r"(?![\w-])" + CLOCK_TAIL), re.IGNORECASE),
        _whole(_read_clock, "expr"),
        needs=(cue(*atoms.NAMED_TIMES, word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "duration",
        _compile(optional(AMOUNT_MODIFIER + MODIFIER_SPACE)
                 + r"(?:(?:" + NUMBER + SPACE + "|" + VAGUE_AMOUNT + OPT_SPACE + "|" + APPROXIMATE_NUMBER + ")" + UNIT
                 + optional(SPACE + named("half", r"et" + SPACE + r"demie?") + AFTER)
                 + "|" + optional(r"(?:un|une)" + SPACE) + named("unit_noun", words(atoms.UNIT_NOUNS)) + AFTER + ")" + optional(SPACE + named("relative", words(atoms.RELATIVE_POSTMODIFIERS)) + AFTER)
                 # "huit mois après" alone (not before a noun phrase: "deux ans après la guerre")
                 + optional(SPACE + named("alone", r"après|avant|entiers?|entières?") + AFTER
                            + r"(?=" + OPT_SPACE + r"[.,;:!?)»]|" + SPACE + r"(?!" + words(atoms.NOUN_PHRASE_STARTS) + r"(?![\w-]))\w)")),
        lambda match: _read_duration_match(match),
        # UNIT follows a space or an apostrophe, a unit noun BEFORE or a space; both end with AFTER.
        needs=(cue(*atoms.UNITS, *atoms.UNIT_NOUNS, word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        # "les semaines suivantes", "les mois précédents": a vague length of time.
        "following_units",
        _compile(r"les" + SPACE + UNIT + SPACE + words(FOLLOWING) + AFTER),
        _whole(lambda g: Parse("duration", unit=_lookup(atoms.UNITS, g["unit"]), amount="X")),
        needs=(cue(*FOLLOWING, word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        # "les jours à venir", "les semaines qui viennent": a vague length of time ahead.
        "coming_units",
        _compile(r"les" + SPACE + UNIT + SPACE + words(atoms.COMING) + AFTER),
        _whole(lambda g: Parse("duration", unit=_lookup(atoms.UNITS, g["unit"]), amount="X")),
        needs=(cue(*atoms.COMING, word_end=True),),
    ),
    ExpressionPattern(
        # "le reste de la semaine", "le reste de l'année": the period itself.
        "rest_of_period",
        _compile(r"le" + SPACE + r"reste" + SPACE + r"(?:de" + SPACE + THE + "|du" + SPACE + ")"
                 + named("unit", words(list(atoms.PERIOD_UNITS) + list(atoms.DAY_PARTS))) + AFTER),
        _whole(lambda g: replace(_read_period(g), remainder=True)),
        needs=(cue("reste", word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        # "les 8 premiers mois de l'année", "les premières semaines": a length of time.
        "first_units",
        _compile(r"les" + SPACE + optional(NUMBER + SPACE) + r"premi(?:er|ère)s" + SPACE + UNIT
                 + optional(SPACE + r"(?:de" + SPACE + THE + "|du" + SPACE + ")" + words(atoms.PERIOD_UNITS) + AFTER)),
        _whole(_read_recent_duration),
        needs=(cue("premiers", "premières", word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "recent_duration",
        # "ces derniers jours", "les semaines suivantes", "(aux) trois dernières années"
        _compile(r"(?:(?:ces|les)" + SPACE + r"|(?<=\baux\s)|(?<=\bdes\s))" + optional(NUMBER + SPACE) + r"(?:" + "|".join(RECENT) + ")" + SPACE + UNIT),
        _whole(_read_recent_duration),
        needs=(cue(*RECENT, word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "each",
        _compile(r"chaque" + SPACE + r"(?:" + weekday() + AFTER + "|" + SET_UNIT + "|" + SET_SEASON + r")"),
        _whole(_read_set),
        needs=(cue("chaque", word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "every_n",
        # "tous les cinq ans", "toutes les dix minutes": every such stretch
        _compile(r"tou(?:s|tes)" + SPACE + r"les" + SPACE + NUMBER + SPACE + UNIT),
        _whole(_read_every),
        needs=(cue("tous", "toutes", word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "every",
        _compile(r"tou(?:s|tes)" + SPACE + r"les" + SPACE + r"(?:" + WEEKDAY_PLURAL + AFTER + "|" + SET_UNIT + "|" + SET_SEASONS + r")"),
        _whole(_read_set),
        needs=(cue("tous", "toutes", word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "ordinal_weekdays",
        _compile(r"les" + SPACE + ORDINAL + r"(?:" + SPACE + r"et" + SPACE + ORDINAL + r")?" + SPACE + WEEKDAY_PLURAL + AFTER),
        _whole(_read_set),
        needs=(cue(*(day + "s" for day in atoms.WEEKDAYS), word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        "habitual_weekday",
        _compile(r"le" + SPACE + weekday() + AFTER + r"(?!" + SPACE + r"(?:\d|1er|premier|dernier|prochain|matin|soir|après|au))"),
        _whole(_read_set),
        needs=(Then(ends_chunk("le", word_start=True), starts_chunk(*atoms.WEEKDAYS, word_end=True)),),
    ),
    ExpressionPattern(
        "price_per_hour",
        re.compile(r"(?<![\w-])" + words(atoms.PRICE_WORDS) + SPACE + r"de" + SPACE + named("expr", r"l" + APOSTROPHE + r"heure") + AFTER, re.IGNORECASE),
        _whole(lambda g: Parse("set", value=atoms.SET_UNITS["heure"]), "expr"),
        needs=(cue("l'heure", word_end=True),),
    ),
    ExpressionPattern(
        "per_unit",
        _compile(r"par" + SPACE + named("expr", SET_UNIT)),
        _whole(_read_set, "expr"),
        needs=(Then(ends_chunk("par", word_start=True), starts_chunk(*atoms.SET_UNITS, word_end=True)),),
    ),
    ExpressionPattern(
        "whole_year",
        _compile(r"toute" + SPACE + r"l" + APOSTROPHE + r"année"),
        _whole(lambda g: Parse("set", value="P1Y")),
        needs=(cue("toute", word_start=True, word_end=True), cue("année", word_start=True)),
    ),
    ExpressionPattern("frequency_adjective", _compile(named("adjective", words(atoms.SET_ADJECTIVES)) + AFTER), lambda match: _read_frequency_adjective(match), needs=(cue(*atoms.SET_ADJECTIVES, word_start=True, word_end=True),)),
    ExpressionPattern("vague", _compile(named("ref", words(atoms.VAGUE_REFERENCES)) + AFTER), lambda match: _read_vague(match),
                      needs=(cue(*atoms.VAGUE_REFERENCES, word_start=True, word_end=True),)),
    ExpressionPattern(
        "upcoming",
        # "le prochain match", "la prochaine étape" are the next of a series, not a time.
        _compile(r"(?:les|la|le)" + SPACE + named("expr", r"prochaine?s?") + AFTER + r"(?!" + SPACE + words(atoms.SERIES_NOUNS) + r"\b)"),
        _whole(_future_ref, "expr"),
        needs=(cue("prochain", word_start=True),),
    ),
    ExpressionPattern(
        "until_here",
        # "d'ici à 2030" -> "ici" PRESENT_REF + "2030"; "loin d'ici" is a place (kept only
        # before a date: see NEEDS_A_DATE_AFTER).
        _compile(r"d" + APOSTROPHE + named("expr", r"ici") + AFTER),
        _whole(lambda g: Parse("ref", value="PRESENT_REF", pending=True), "expr"),
        needs=(cue("ici", word_start=True, word_end=True),),
    ),
    ExpressionPattern(
        # "la journée la plus chaude de l'année", "le plus bas niveau de la semaine": the
        # year, the week of publication (read_superlative_period asks for the superlative).
        "superlative_period",
        _compile(r"de" + SPACE + named("expr", r"l" + APOSTROPHE + named("year_unit", r"année") + "|la" + SPACE + named("week_unit", r"semaine")) + AFTER
                 + r"(?!" + OPT_SPACE + r"[\d-]|" + SPACE + words(atoms.OTHER_YEAR_FOLLOWERS) + r"(?![\w-]))"),
        lambda match: _read_superlative_period(match),
        needs=(Then(ends_chunk("de", word_start=True), starts_chunk("l'année", "l’année", "la", word_end=True)), cue("année", "semaine", word_start=True, word_end=True)),
    ),
    ExpressionPattern(
        # "ce jour-là": the day of the last date of the text.
        "that_day",
        _compile(r"ce" + SPACE + r"jour(?:-|" + SPACE + r")là" + AFTER),
        _whole(lambda g: Parse("anchored")),
        needs=(Then(ends_chunk("ce", word_start=True), starts_chunk("jour")),),
    ),
    ExpressionPattern(
        "for_now",
        _compile(r"pour" + SPACE + named("expr", words(atoms.FOR_NOW))),
        _whole(_present_ref, "expr"),
        needs=(Then(ends_chunk("pour", word_start=True), starts_chunk("l'instant", "l’instant", "le", "l'heure", "l’heure")),),
    ),
    ExpressionPattern(
        "same_moment",
        _compile(r"(?:à" + SPACE + r")?" + named("expr", r"ce" + SPACE + r"moment(?:-|" + SPACE + r")là")),
        _whole(lambda g: Parse("anchored", same=True), "expr"),
        needs=(cue("moment", word_start=True, word_end=True),),
    ),
    ExpressionPattern("nocturnal", _compile(named("ref", r"nocturnes?|diurnes?") + AFTER),
                      _whole(lambda g: Parse("ref", value="TNI" if _table_key(g["ref"]).startswith("noct") else "TDT")),
        needs=(cue("nocturne", "diurne", word_start=True),),
    ),
)



AGE_BEFORE = re.compile(
    r"(?:[aâ]gée?s?\s+d[e'’]\s*|(?<!ici )\bà\s*|\b(?:" + "|".join(sorted(atoms.PERSON_NOUNS, key=len, reverse=True)) + r")\s+d[e'’]\s*"
    r"|[A-Z][\w-]*\s*,\s*|\b[A-ZÉ][a-zéèêëîïôûüç]+\s+de\s+|\bles\s+)$",
    re.IGNORECASE,
)


# "il avait 45 ans", "elle a tout juste 18 ans"; not "il y a 45 ans".
AGE_HAVING = re.compile(
    r"(?<!\by\s)\b(?:" + "|".join(atoms.HAVE_FORMS) + r")\s+(?:(?:" + "|".join(sorted(atoms.AGE_ADVERBS, key=len, reverse=True)).replace(" ", r"\s+").replace("'", "['’]")
    + r")\s+)?$",
    re.IGNORECASE,
)


# Nouns whose "de N ans" is a length of time, not an age: "au terme de trois ans".
DURATION_HEADS = re.compile(
    r"\b(?:terme|durée|période|peine|bout|cours|espace|délai|total|mandat|contrat|prison|réclusion|emprisonnement|"
    r"absence|attente|travail|travaux|retard|plan|programme|moratoire|suspension|interdiction|exil|carrière|règne|histoire)\s+d[e'’]\s*$",
    re.IGNORECASE,
)


LENGTH_SET_BEFORE = re.compile(r"(?<![\w-])" + words(atoms.LENGTH_SETTING_STEMS) + r"[\w]*" + SPACE + r"(?:de" + SPACE + r"\S+" + SPACE + r")?à" + OPT_SPACE + r"$", re.IGNORECASE)
AGE_WORD = re.compile(r"(?<![\w-])âges?(?![\w-])", re.IGNORECASE)


def _is_age(text: str, start: int, end: int, unit: str, modified: bool) -> bool:
    """'une fillette de 6 ans', 'un chauffeur de 38 ans', 'Jean, 45 ans,', 'les moins de 17 ans': ages."""
    if unit != "Y":
        return False
    before = text[max(0, start - 40):start]
    after = text[end:end + 12]
    if modified:  # "les moins de 17 ans", "âgés d'environ 18 ans"
        return re.search(r"(?:\bles|[aâ]gée?s?\s+d[e'’])\s*$", before, re.IGNORECASE) is not None or _has_years(before, after)
    if DURATION_HEADS.search(before) or re.match(r"\s+d[e'’]\s", after):
        return False
    if LENGTH_SET_BEFORE.search(before) and not AGE_WORD.search(text, max(0, start - 80), start):
        return False  # « condamné à cinq ans », « le mandat réduit à cinq ans »
    if _has_years(before, after):
        return True
    if re.search(r"\b\w+\s+d[e'’]\s*$", before) and not re.search(r"\b(?:depuis|pendant|durant|plus|moins|près|il\s+y\s+a)\s+d[e'’]\s*$", before, re.IGNORECASE):
        return True
    if AGE_BEFORE.search(before) is None:
        return False
    if before.rstrip().endswith(","):
        return re.match(r"\s*[,)]", after) is not None
    return True


def _has_years(before: str, after: str) -> bool:
    """'il avait 45 ans': an age; 'il a deux ans pour agir' is a time allowed."""
    return AGE_HAVING.search(before) is not None and re.match(r"\s+pour\b", after) is None


DETERMINER_BEFORE = re.compile(r"\b(?:le|la|les|un|une|du|au|aux|des|ce|cet|cette|ces|son|sa|ses|leur|leurs|notre|votre|mon|ma)\s+$", re.IGNORECASE)


NEXT_WORD = re.compile(r"[^\S\n]+([a-zà-ÿ][\w-]*)")
COUNT_RANGE_AFTER = re.compile(r"[^\S\n]+(?:à|et|ou)[^\S\n]+\d+[^\S\n]+([a-zà-ÿ][\w-]*)")
NAME_BEFORE = re.compile(r"(?:^|\s)([A-ZÉ][\w-]*)[^\S\n]+$")


def _is_count(text: str, start: int, end: int) -> bool:
    """'1500 manifestants', 'de 1500 à 2000 manifestants': a number of things, unless it
    follows a name ('Euro 2012', 'le BAC 2012 dévoilé')."""
    name = NAME_BEFORE.search(text, max(0, start - 30), start)
    if name and name.group(1).lower() not in atoms.YEAR_FOLLOWERS:
        return False
    for follows in (NEXT_WORD.match(text, end), COUNT_RANGE_AFTER.match(text, end)):
        if follows and follows.group(1).lower() not in atoms.YEAR_FOLLOWERS:
            return True
    return False


def _read_bare_year(match: re.Match) -> list[Match]:
    if _is_count(match.string, match.start(), match.end()):
        return []
    return [Match(match.start(), match.end(), _read_year(match.groupdict()))]


def _read_ordinal_day(match: re.Match) -> list[Match]:
    """'la troisième nuit' is a day of the story; 'la 28e journée' a round of a league."""
    groups = match.groupdict()
    if _table_key(groups["part"]) == "journée" and re.match(r"la\s+\d", match.group(), re.IGNORECASE) and not groups.get("consecutive"):
        return []
    return [Match(match.start(), match.end(), Parse("anchored", part=None if _table_key(groups["part"]) == "journée" else _part(groups)))]


# "le festival Automne en Normandie": a capitalised season inside a sentence is a name.
SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?…»:]\s+|\n\s*)$")


def _read_season_match(match: re.Match) -> list[Match]:
    start = match.start()
    if match.group("season")[0].isupper() and not SENTENCE_START_BEFORE.search(match.string[max(0, start - 3):start]):
        return []
    return [Match(start, match.end(), _read_season(match.groupdict()))]


# "la Belle de Mai", "Place du 4 Septembre": a capitalised month after a name is part of it.
NAME_OF_BEFORE = re.compile(r"(?-i:[A-ZÉ][\w-]*)\s+(?:de|du)\s+$")


def _read_month_match(match: re.Match, group: str | None = None) -> list[Match]:
    groups = match.groupdict()
    start, end = match.span(group) if group and match.group(group) is not None else match.span()
    if groups["month"][0].isupper() and NAME_OF_BEFORE.search(match.string, max(0, match.start("month") - 40), match.start("month")):
        return []
    return [Match(start, end, _read_month(groups))]


FUTURE_AS_TOPIC_BEFORE = re.compile(r"(?<![\w-])" + words(atoms.FUTURE_AS_TOPIC_VERB_STEMS) + r"[\w-]*" + SPACE + r"$", re.IGNORECASE)


# "l'époque gréco-romaine": an era named by a relational adjective, in the span of its
# reference.
NAMED_ERA_AFTER = re.compile(r"[^\S\n]+[a-zà-ÿ-]+(?:" + "|".join(atoms.RELATIONAL_ADJECTIVE_ENDINGS) + r")s?(?![\w-])")


def _read_vague(match: re.Match) -> list[Match]:
    """'récemment', 'à l'avenir', 'l'époque romaine'; not 'penser à l'avenir' (the future as a topic)."""
    if _table_key(match.group("ref")).startswith("à ") and FUTURE_AS_TOPIC_BEFORE.search(match.string, max(0, match.start() - 25), match.start()):
        return []
    era = NAMED_ERA_AFTER.match(match.string, match.end()) if _table_key(match.group("ref")).endswith("époque") else None
    if era:
        return [Match(match.start(), era.end(), _read_ref(match.groupdict()))]
    return [Match(match.start(), match.end(), _read_ref(match.groupdict()))]


SUPERLATIVE = re.compile(r"\b(?:" + "|".join(atoms.SUPERLATIVE_WORDS) + r")\b", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[.;:!?«»“”()\n]")


def _read_superlative_period(match: re.Match) -> list[Match]:
    """'la plus chaude de l'année' is this year's; 'la fin de l'année', 'le joueur de l'année' are left to other patterns."""
    before = match.string[max(0, match.start() - 60):match.start()]
    clause = CLAUSE_BREAK.split(before)[-1]
    if SUPERLATIVE.search(clause) is None:
        return []
    return [Match(match.start("expr"), match.end("expr"), Parse("period", unit="Y" if match.group("year_unit") else "W"))]


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
    if _hours_of_a_clock(groups, parse):
        return []  # the clock patterns decide, with clock_or_duration
    if re.search(r"\bpar\s+$", match.string[max(0, match.start() - 5):match.start()], re.IGNORECASE):
        return []  # "par demi-heure" is a frequency (per_unit)
    if parse.unit and _is_age(match.string, match.start(), match.end(), parse.unit, bool(groups.get("modifier"))):
        return []
    if groups.get("vague") and _table_key(groups["vague"]) == "des" and ARTICLE_CONTRACTION_BEFORE.search(match.string[max(0, match.start() - 12):match.start()]):
        return []
    if _capitalised_inside_its_sentence(match, "unit"):
        return []  # "les Journées du patrimoine", "les 24 Heures du Mans" are names
    return [Match(match.start(), match.end(), parse)]


def _capitalised_inside_its_sentence(match: re.Match, group: str) -> bool:
    """Whether the word of ``group`` is capitalised but does not begin its sentence: a
    name's, as French capitalises names, not common nouns."""
    if not match.group(group) or not match.group(group)[0].isupper():
        return False
    before = match.string[:match.start(group)].rstrip(" \t\u00a0«“\"'(")
    return bool(before) and before[-1] not in ".!?:\n"


# Durations and clock times are written alike ("16 heures"): one decision, read in
# this order on the words around the number.
# - After it, "de" + a noun, "plus tard", "d'affilée"... make it a length of time.
DURATION_AFTER = re.compile(
    r"\s*(?:d[e'’]\s*(?!l['’]après-midi|la\s+nuit|paris|france)\w|plus\s+tard|plus\s+tôt|après\b|auparavant|d['’]affilée|"
    r"de\s+suite|consécutives|supplémentaires|par\s+(?:jour|semaine|mois|an)|sur\s+24)", re.IGNORECASE)
# - Before it, a preposition of duration ("pendant", "il y a", "plus de") does too;
#   "depuis" only for hours in words ("depuis 6 h" is since six o'clock).
DURATION_BEFORE = re.compile(
    r"(?:\bpendant|\bdurant|\ben|\bsous|\bdans|\bpour|\bfaut|\bmis|\bil\s+y\s+a|\bplus\s+d[e'’]|\bmoins\s+d[e'’]|"
    r"\bprès\s+d[e'’]|\bau\s+moins|\b(?:est|sera|était|fut|a\s+été)\s+d[e'’]|\b(?:durée|délai|attente|retard|période|journée|semaine|garde\s+à\s+vue)\s+d[e'’])\s*$",
    re.IGNORECASE)
DURATION_BEFORE_WORDS = re.compile(r"\bdepuis\s+$", re.IGNORECASE)
# - Before it, a preposition of time ("à", "vers", "dès", "il est") makes it a clock time.
TIME_PREPOSITION_BEFORE = re.compile(
    r"(?:\bà|\bvers|\bdès|jusqu['’]à|\bavant|\baprès|\bentre|\bde|\bet|\bsoit|\bdepuis|\bou|\bil\s+(?:est|était)|"
    r"\baux\s+alentours\s+de|\bautour\s+de|\bpartir\s+de)\s+$", re.IGNORECASE)


# Prepositions of an approximate time: outside the span, their meaning kept as APPROX.
APPROXIMATE_TIME = ("vers", "aux alentours de", "autour de")


def clock_or_duration(match: re.Match) -> str:
    """"clock" or "duration" for a number of hours, from what is written around it.

    In order: an amount modifier ("vers" is a time, "plus de" a length); a day part or
    a time zone ("9 h du soir", "18 h GMT"); a duration's context after it, then before
    it ("trois heures de route", "pendant 3 h"); a time preposition before it ("à seize
    heures", "il est 22 heures"); minutes in digits ("16 heures 30"); else "18 h" is a
    clock time and "trois heures" a duration."""
    groups = match.groupdict()
    text, start, end = match.string, match.start(), match.end()
    before = text[max(0, start - 25):start]
    if groups.get("modifier"):
        return "clock" if _table_key(groups["modifier"]) in APPROXIMATE_TIME else "duration"
    if groups.get("clock_part") or groups.get("zone") is not None:
        return "clock"
    if DURATION_AFTER.match(text, end) or DURATION_BEFORE.search(before):
        return "duration"
    if groups.get("hour_words") and DURATION_BEFORE_WORDS.search(before):
        return "duration"
    if TIME_PREPOSITION_BEFORE.search(before) or groups.get("minute"):
        return "clock"
    return "duration" if "heure" in _table_key(groups["expr"]) else "clock"


def _hours_duration(groups: dict) -> Parse:
    hours = number_value(groups["hour_words"]) if groups.get("hour_words") else int(groups["hour"])
    minutes = int(groups.get("minute") or 0)
    if groups.get("fraction"):
        minutes = _lookup(atoms.CLOCK_FRACTIONS, groups["fraction"])
        if minutes == 30:
            hours, minutes = hours + 0.5, 0
    value = f"PT{amount_text(hours)}H" + (f"{minutes}M" if minutes > 0 else "")
    modifier = _lookup(atoms.AMOUNT_MODIFIERS, groups["modifier"]) if groups.get("modifier") else None
    return Parse("duration", value=value, mod=modifier)


def _hours_of_a_clock(groups: dict, parse: Parse) -> bool:
    """'N heures' that the clock patterns read too: a whole hour of the day, with no
    word only a duration takes ("deux heures plus tard", "une dizaine d'heures")."""
    if parse.unit != "H" or not groups.get("number") or groups.get("half") or groups.get("relative"):
        return False
    hours = number_value(groups["number"])
    return hours == int(hours) and 0 <= hours <= 23


def _read_clock_match(match: re.Match) -> list[Match]:
    """A clock time ("18 h", "15 h 45", "12:30", "à seize heures"), or the hours of a
    duration written the same way ("pendant 3 h", "trois heures de route")."""
    groups = match.groupdict()
    if groups.get("mark") == ":" and groups.get("minute") is None:
        return []
    if clock_or_duration(match) == "duration":
        if groups.get("clock_part") or groups.get("zone") is not None:
            return []
        return [Match(match.start(), match.end(), _hours_duration(groups))]
    parse = _read_clock(groups)
    if parse is None:
        return []
    # "vers" is a preposition: outside the span, its meaning kept as APPROX.
    start = match.start("expr") if groups.get("modifier") and _table_key(groups["modifier"]) in APPROXIMATE_TIME else match.start()
    return [Match(start, match.end(), parse)]


class Reading:
    """One text as scan reads it: cut into lines, with the chunk cues that hold on each
    line, and the lines where each shape read on lines holds found when first asked."""

    def __init__(self, text: str):
        self.text = text
        self.text_starts = line_starts(text)
        self.line_cues = line_cues(text)
        self.text_cues = 0  # the chunk cues that hold somewhere in the text
        for held in self.line_cues:
            self.text_cues |= held
        self._shape_lines: dict[Shape, set[int]] = {}
        self._windows: dict[tuple[int, tuple[Shape, ...]], list[tuple[int, int]]] = {}

    def lines(self, pattern: ExpressionPattern) -> list[int]:
        """The lines where every cue of ``pattern`` holds, in order."""
        mask = pattern.chunk_mask
        if self.text_cues & mask != mask:
            return []
        lines = [line for line, held in enumerate(self.line_cues) if held & mask == mask] if mask else range(len(self.line_cues))
        for shape in pattern.line_shapes:
            if not lines:
                break
            if shape not in self._shape_lines:
                self._shape_lines[shape] = shape.lines(self.text, self.text_starts)
            found = self._shape_lines[shape]
            lines = [line for line in lines if line in found]
        return list(lines)

    def windows(self, pattern: ExpressionPattern) -> list[tuple[int, int]]:
        """Spans of the text, runs of whole lines with their newline, where every cue of
        ``pattern`` holds: the only places it can match."""
        if self.text_cues & pattern.chunk_mask != pattern.chunk_mask:
            return []
        key = (pattern.chunk_mask, pattern.line_shapes)  # patterns share their cues
        if key not in self._windows:
            starts, windows = self.text_starts, []
            last = len(starts) - 1
            for line in self.lines(pattern):
                end = starts[line + 1] if line < last else len(self.text)
                if windows and windows[-1][1] == starts[line]:
                    windows[-1] = (windows[-1][0], end)
                else:
                    windows.append((starts[line], end))
            self._windows[key] = windows
        return self._windows[key]

    def matches(self, pattern: ExpressionPattern) -> Iterator[re.Match]:
        """What ``pattern.regex.finditer(text)`` finds, searching its windows only.

        A window ends after a newline, so lookaheads at its end see what they would
        in the whole text; lookbehinds see before a window's start anyway."""
        for start, end in self.windows(pattern):
            yield from pattern.search.finditer(self.text, start, end)


def scan(text: str) -> Iterator[Match]:
    """Every expression of ``text``, longest first where candidates overlap, in text order."""
    candidates: list[tuple[int, int, int, list[Match]]] = []
    reading = Reading(text)
    for priority, pattern in enumerate(PATTERNS):
        windows = reading.windows(pattern)
        if not windows:
            continue
        finditer, read = pattern.search.finditer, pattern.read
        for start, end in windows:
            for found in finditer(text, start, end):  # what Reading.matches yields
                matches = read(found)
                if matches:
                    candidates.append((min(m.start for m in matches), max(m.end for m in matches), priority, matches))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[Match] = []
    for start, end, _, matches in candidates:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        chosen.extend(matches)
    chosen.sort(key=lambda m: m.start)
    combined = combine(text, _with_elided_units(text, chosen))
    yield from (_day_or_daytime(text, match) for index, match in enumerate(combined)
                if not match.parse.pending or _date_follows(text, combined, index))


# The amount is followed by no noun of its own: punctuation, or a function word ("au lieu de
# quatre depuis la réforme"), not "contre quatre députés".
ELIDED_UNIT_AFTER = re.compile(SPACE + words(atoms.ELIDED_UNIT_JOINERS) + OPT_SPACE + named("number", f"{NUMBER_IN_DIGITS}|{NUMBER_IN_WORDS}") + AFTER
                               + r"(?!" + OPT_SPACE + r"[%€$]|" + SPACE + r"(?!" + words(atoms.YEAR_FOLLOWERS) + AFTER + r")[a-zà-ÿ])", re.IGNORECASE)


def _with_elided_units(text: str, matches: list[Match]) -> list[Match]:
    """« en trois ans au lieu de quatre »: the amount after the joiner is a length of time of
    the same unit, the unit left out (not « contre quatre députés », where a noun follows)."""
    found = []
    for position, match in enumerate(matches):
        found.append(match)
        parse = match.parse
        if parse.kind != "duration" or parse.unit is None or parse.amount in (None, "X"):
            continue
        elided = ELIDED_UNIT_AFTER.match(text, match.end)
        if elided is None or (position + 1 < len(matches) and matches[position + 1].start < elided.end()):
            continue
        amount = amount_text(number_value(elided.group("number")))
        found.append(Match(elided.start("number"), elided.end("number"), Parse("duration", unit=parse.unit, amount=amount)))
    return found


WITHIN_BEFORE = re.compile(r"(?<![\w-])" + words(atoms.WITHIN_PREPOSITIONS) + SPACE + r"$", re.IGNORECASE)


def _day_or_daytime(text: str, match: Match) -> Match:
    """"la journée" is the day as a whole unless a preposition of inclusion or a position
    makes it the daytime of that day ("dans la journée de mardi", "en fin de journée")."""
    parse = match.parse
    if parse.part != atoms.DAYTIME or parse.mod or WITHIN_BEFORE.search(text, max(0, match.start - 20), match.start):
        return match
    return replace(match, parse=replace(parse, part=atoms.WHOLE_DAY))


# "d'ici | à | 2030", "d'ici | la fin de l'année": what may stand between "ici" and its date.
NEEDS_A_DATE_AFTER = re.compile(r"[^\S\n]+(?:(?:à|au|a)[^\S\n]+)?", re.IGNORECASE)


def _date_follows(text: str, matches: list[Match], index: int) -> bool:
    match = matches[index]
    if match.parse.kind != "ref" or index + 1 >= len(matches):
        return False
    return NEEDS_A_DATE_AFTER.fullmatch(text, match.end, matches[index + 1].start) is not None


# ---------------------------------------------------------------- combinations
# Expressions that complete each other: "la nuit" + "de samedi", "jeudi" + "la semaine
# prochaine", "15 septembre" + "l'an prochain". Each combination says which parse may
# come first, what may stand between (the whole text between them), which parse may
# come second, and the parse of the whole, which spans both.


@dataclass(frozen=True)
class Combination:
    name: str
    first: Callable[[Parse], bool]
    between: re.Pattern
    second: Callable[[Parse], bool]
    merge: Callable[[Parse, Parse], Parse]
    # What may follow the second, with a third expression the whole then spans too
    # ("la nuit de samedi | à | dimanche").
    then: re.Pattern | None = None


def _weekday_alone(parse: Parse) -> bool:
    return parse.kind == "calendar" and parse.weekday is not None and parse.day is None and parse.month is None and parse.direction is None and parse.week is None


def _day_level(parse: Parse) -> bool:
    return (parse.kind == "calendar" and (parse.day is not None or parse.weekday is not None)) or (parse.kind == "today" and parse.hour is None)


def _no_year(parse: Parse) -> bool:
    return parse.kind == "calendar" and parse.month is not None and parse.year is None and parse.year_offset is None


def _unit_period(unit: str) -> Callable[[Parse], bool]:
    return lambda parse: parse.kind == "period" and parse.unit == unit and parse.mod is None


COMBINATIONS: tuple[Combination, ...] = (
    # "la nuit de samedi (à dimanche)", "la soirée du 5 mai", "la journée du 5 juillet 1962":
    # a night from J to J+1 is J's night.
    Combination("part_of_a_day", lambda p: p.kind in ("anchored", "period") and p.part is not None and p.offset == 0,
                re.compile(r"\s+(?:de|du|d['’])\s*", re.IGNORECASE), _day_level,
                lambda first, second: replace(second, part=first.part, mod=first.mod or second.mod, pending=False),
                then=re.compile(r"\s+(?:à|au)\s+", re.IGNORECASE)),
    # "dimanche le 21 octobre", "mardi, 3 mai"
    Combination("weekday_of_a_date", _weekday_alone, re.compile(r"[\s,]+"),
                lambda p: p.kind == "calendar" and p.day is not None and p.weekday is None,
                lambda first, second: replace(second, weekday=first.weekday)),
    # "jeudi la semaine prochaine", "mardi de la semaine dernière", "lundi de cette semaine"
    Combination("weekday_of_a_week", _weekday_alone, re.compile(r"\s+(?:de\s+)?", re.IGNORECASE), _unit_period("W"),
                lambda first, second: replace(first, week=second.offset, part=first.part)),
    # "le 15 septembre l'an prochain", "en mars de l'année dernière"
    Combination("date_of_a_year", _no_year, re.compile(r",?\s+(?:de\s+)?", re.IGNORECASE), _unit_period("Y"),
                lambda first, second: replace(first, year_offset=second.offset)),
)
# A day that borrowed the month of the next one ("du 6 | au | 15 septembre") borrows its year too.
DAY_RANGE_JOINER = re.compile(r"\s*(?:au|à|et|,|-)\s*", re.IGNORECASE)


def combine(text: str, matches: list[Match]) -> list[Match]:
    """``matches`` (in text order) with the combinations made, left to right."""
    result: list[Match] = []
    index = 0
    while index < len(matches):
        current = matches[index]
        following = matches[index + 1] if index + 1 < len(matches) else None
        combined = None
        if following is not None:
            between = text[current.end:following.start]
            for combination in COMBINATIONS:
                if combination.first(current.parse) and combination.second(following.parse) and combination.between.fullmatch(between):
                    combined = combination
                    break
        if combined is None:
            result.append(current)
            index += 1
            continue
        merged = combined.merge(current.parse, following.parse)
        end = following.end
        index += 2
        third = matches[index] if index < len(matches) else None
        if combined.then is not None and third is not None and combined.second(third.parse) and combined.then.fullmatch(text[end:third.start]):
            end = third.end
            index += 1
        if merged.year_offset is not None:
            _lend_year(text, result, current.start, merged.year_offset)
        result.append(Match(current.start, end, merged))
    return result


def _lend_year(text: str, result: list[Match], start: int, year_offset: int) -> None:
    if result and _no_year(result[-1].parse) and DAY_RANGE_JOINER.fullmatch(text[result[-1].end:start]):
        previous = result.pop()
        _lend_year(text, result, previous.start, year_offset)
        result.append(replace(previous, parse=replace(previous.parse, year_offset=year_offset)))
