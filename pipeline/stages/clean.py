"""Cleaning: records -> documents.

The cleaned ``text`` is what every later offset refers to: the title as its first
paragraph, then the body, paragraphs separated by one blank line. Typographic
characters (’ « » “ ” no-break spaces) are kept so that quotes stay recognisable.
"""
from __future__ import annotations

import functools
import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import ftfy
import pandas as pd

from pipeline.config import ConfigError, Settings, load_settings
from pipeline.engine import Stage
from pipeline.stages import declared
from pipeline.language import FunctionWordDetector
from pipeline.publication_dates import PublicationDates, WrittenDate, precision
from pipeline.readers import Record, Reject, failure_reason, unicode_problem
from pipeline.tables import DOCUMENTS, REJECTS

# A title longer than this is more likely the first paragraph of an untitled article.
MAX_TITLE_CHARS = 200

# Runs of spaces and tabs become one space; a lone space is left alone rather than replaced by itself.
_SPACE_RUN = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")
# ftfy repairs a text only where its badness pattern (ftfy.badness.BADNESS_RE) matches, and
# every alternative of that pattern holds two adjacent non-ASCII characters, a C1 control,
# « œ » before a non-letter or « Ã »/« Â » before a space (tests/test_clean.py checks this
# against the pattern ftfy has). A text with none of these is one ftfy leaves as it is.
# Written to start with one character class, which the regex engine skips to without trying
# the alternatives at every position.
_MAY_BE_MOJIBAKE = re.compile(r"[^\x00-\x7f](?:[^\x00-\x7f]|(?<=[\x80-\x9f])|(?<=[Œœ])[^A-Za-z]|(?<=[ÃÂ]) )")
# A header line: "date" then a token starting with a digit, which must be an ISO date.
_HEADER = re.compile(r"^\s*date\s+(?P<date>\d\S*)\s*(?P<rest>.*)$", re.IGNORECASE)
_ISO_HEADER_DATE = re.compile(r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?")


class CleanError(Exception):
    """The record cannot become a document; the message is the one-line reason."""


@dataclass(frozen=True)
class Boilerplate:
    # One alternation per place in the article: a whole line matches it exactly when it matches
    # one of the patterns, and one regex reads the line once instead of once per pattern.
    anywhere: re.Pattern[str]
    at_end: re.Pattern[str]  # the patterns of ``anywhere`` and the trailing ones

    @classmethod
    def from_settings(cls, settings: Settings) -> "Boilerplate":
        data = tomllib.loads(settings.lexicon_path("clean", "boilerplate").read_text(encoding="utf-8"))
        trailing_names = set(data.get("trailing", {}).get("patterns", []))
        anywhere = [pattern for name, pattern in data["patterns"].items() if name not in trailing_names]
        trailing = [pattern for name, pattern in data["patterns"].items() if name in trailing_names]
        return cls(anywhere=_any_of(anywhere), at_end=_any_of(anywhere + trailing))

    def matches(self, line: str, at_end: bool) -> bool:
        return (self.at_end if at_end else self.anywhere).fullmatch(line) is not None


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive regex matching what any of ``patterns`` matches (none: nothing)."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns) or "(?!)", re.IGNORECASE)


_CODE_POINT = re.compile(r"U\+([0-9A-Fa-f]{4,6})")


@dataclass(frozen=True)
class Characters:
    """The character table (configs/lexicons/characters.toml): what each character it lists
    becomes, everywhere or only next to a character of a given class."""

    listed: re.Pattern[str]  # any character of the table
    replacements: dict[str, str]
    neighbours: dict[str, re.Pattern[str]]  # a character -> the class one of its neighbours must match

    @classmethod
    def from_settings(cls, settings: Settings) -> "Characters":
        return cls.from_file(settings.lexicon_path("clean", "characters"))

    @classmethod
    def from_file(cls, path: Path) -> "Characters":
        replacements: dict[str, str] = {}
        neighbours: dict[str, re.Pattern[str]] = {}
        for name, group in tomllib.loads(path.read_text(encoding="utf-8")).items():
            context = re.compile(group["only_next_to"]) if "only_next_to" in group else None
            for entry in group["characters"]:
                for character in _code_points(entry, f"{path}: [{name}]"):
                    if character in replacements:
                        raise ConfigError(f"{path}: [{name}] lists U+{ord(character):04X}, already in another group")
                    replacements[character] = group["becomes"]
                    if context is not None:
                        neighbours[character] = context
        listed = "".join(re.escape(character) for character in sorted(replacements))
        return cls(re.compile(f"[{listed}]" if listed else "(?!)"), replacements, neighbours)

    def apply(self, text: str) -> str:
        return self.listed.sub(self._replacement, text)

    def _replacement(self, match: re.Match[str]) -> str:
        character, text, at = match[0], match.string, match.start()
        context = self.neighbours.get(character)
        if context is not None and not ((at > 0 and context.match(text, at - 1)) or context.match(text, at + 1)):
            return character
        return self.replacements[character]


def _code_points(entry: str, where: str) -> list[str]:
    """The characters of one table entry: `U+00AD` or a range `U+2000..U+200A`."""
    bounds = entry.split("..")
    matches = [_CODE_POINT.fullmatch(bound.strip()) for bound in bounds]
    if len(bounds) > 2 or not all(matches):
        raise ConfigError(f"{where}: {entry!r} is not a code point (U+00AD) or a range of them (U+2000..U+200A)")
    first, last = (int(match[1], 16) for match in (matches[0], matches[-1]))
    return [chr(code) for code in range(first, last + 1)]


@functools.cache
def default_characters() -> Characters:
    return Characters.from_settings(load_settings())


def normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    return _SPACE_RUN.sub(" ", line).strip()


def _paragraph_lines(text: str) -> list[str]:
    """One entry per paragraph: blank-line separated blocks, or lines when no blank line exists."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    if any(not line.strip() for line in raw_lines[1:-1]) or "\n\n" in text:
        blocks = re.split(r"\n\s*\n", text)
        return [" ".join(line for line in block.split("\n")) for block in blocks]
    return raw_lines


def _repeats(title: str, line: str) -> bool:
    """A line repeating the headline, possibly without a rubric prefix (`OTAN : ...`)."""
    if line == title:
        return True
    shorter, longer = sorted((title, line), key=len)
    return len(shorter) >= 0.6 * len(longer) and (longer.endswith(shorter) or longer.startswith(shorter))


@dataclass(frozen=True)
class TextChecks:
    """What to do with text that is readable but suspect: mojibake, another language.

    ``mojibake``: "repair" (ftfy, with a warning) or "reject".
    ``not_french``: "reject", "flag" (a warning) or "keep".
    """

    detector: FunctionWordDetector
    mojibake: str = "repair"
    not_french: str = "reject"

    MOJIBAKE_POLICIES = ("repair", "reject")
    NOT_FRENCH_POLICIES = ("reject", "flag", "keep")

    @classmethod
    def from_settings(cls, settings: Settings) -> "TextChecks":
        section = settings.section("clean")
        checks = cls(
            detector=FunctionWordDetector.from_file(
                settings.lexicon_path("clean", "function_words"),
                min_words=int(section.get("language_min_words", 10)),
                min_share=float(section.get("language_min_share", 0.1)),
            ),
            mojibake=str(section.get("mojibake", "repair")),
            not_french=str(section.get("not_french", "reject")),
        )
        if checks.mojibake not in cls.MOJIBAKE_POLICIES:
            raise ConfigError(f"[clean] mojibake = {checks.mojibake!r}; expected one of {', '.join(cls.MOJIBAKE_POLICIES)}")
        if checks.not_french not in cls.NOT_FRENCH_POLICIES:
            raise ConfigError(f"[clean] not_french = {checks.not_french!r}; expected one of {', '.join(cls.NOT_FRENCH_POLICIES)}")
        return checks

    def repair_encoding(self, text: str) -> tuple[str, list[str]]:
        """Text with mojibake (UTF-8 read as Windows-1252: `Ã©` for `é`) repaired by ftfy."""
        repaired = ftfy.fix_encoding(text) if _MAY_BE_MOJIBAKE.search(text) else text
        if repaired == text:
            return text, []
        if self.mojibake == "reject":
            raise CleanError("mojibake: text was decoded with the wrong encoding (e.g. `Ã©` for `é`)")
        return repaired, ["repaired mojibake (text had been decoded with the wrong encoding)"]

    def language_warnings(self, text: str) -> list[str]:
        """Nothing for French (or too short to tell); otherwise a warning, or CleanError."""
        guess = self.detector.guess(text)
        if guess.language in ("fr", None) or self.not_french == "keep":
            return []
        reason = f"not French: {guess.describe()}"
        if self.not_french == "reject":
            raise CleanError(reason)
        return [reason]


def _record_date(value: str | None, dates: PublicationDates) -> tuple[str | None, list[str]]:
    """A record's own ``date`` as ISO, or None with a warning when it is not a date."""
    if not value or not value.strip():
        return None, []
    written = dates.record_date(value)
    if written is not None and written.iso is not None:
        return written.iso, []
    problem = "is not a date" if written is None else written.problem
    return None, [f"record date {value.strip()[:40]!r} {problem} (ignored)"]


def _dateline(body: list[str], has_title: bool, dates: PublicationDates) -> WrittenDate | None:
    """The dateline opening one of the first paragraphs after the headline, if any."""
    first = 1 if has_title else 0
    for paragraph in body[first : first + dates.dateline_paragraphs]:
        if written := dates.dateline(paragraph):
            return written
    return None


@functools.cache
def default_publication_dates() -> PublicationDates:
    return PublicationDates.from_settings(load_settings())


def clean_record(
    record: Record, boilerplate: Boilerplate, checks: TextChecks | None = None, dates: PublicationDates | None = None, characters: Characters | None = None
) -> dict:
    """One record -> one documents row (a dict); raises CleanError with the reason.

    Without ``checks``, mojibake and language are not looked at. Without ``dates`` or
    ``characters``, the publication date patterns and the character table of the default
    configuration are used. The character table is applied first, before anything reads
    the text (after the mojibake repair, which reads the text as it was decoded).

    The publication date is, first found: the record's own date, a ` date` header, a
    byline line (« Publié le … »), a dateline opening one of the first paragraphs
    (« 3 mars 2012. - »), an update line (« Mis à jour le … »). Bylines and update lines
    are removed as boilerplate; a dateline stays in the text as written.
    """
    if reason := unicode_problem(record):
        raise CleanError(reason)
    dates = dates or default_publication_dates()
    lines, raw_title, warnings = _decoded_lines(record, checks, characters or default_characters())
    removed: list[str] = []
    published, date_warnings = _record_date(record.date, dates)
    warnings += date_warnings
    title = normalise_line(" ".join((raw_title or "").splitlines())) or None
    header_date = _date_header(lines, dates, removed)  # taken out of the text even when the record has a date
    published = published or header_date
    sorted_lines = _sorted_lines(lines, boilerplate, dates, removed)
    title, body = _titled_body(title, sorted_lines.body, removed)
    if published is None:
        candidates = [*sorted_lines.bylines, _dateline(body, title is not None, dates), *sorted_lines.update_lines]
        written_dates = [written for written in candidates if written is not None]
        published = next((written.iso for written in written_dates if written.iso), None)
        if published is None:
            warnings += [f"{written.text!r} {written.problem}: publication date unknown" for written in written_dates]
    text = "\n\n".join(body)
    if checks is not None:
        warnings += checks.language_warnings(text)
    return {
        "doc_id": record.doc_id,
        "source": record.source,
        "url": record.url,
        "title": title,
        "published": published,
        "published_precision": precision(published),
        "text": text,
        "n_chars": len(text),
        "content_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "boilerplate": removed,
        "warnings": warnings,
    }


def _decoded_lines(record: Record, checks: TextChecks | None, characters: Characters) -> tuple[list[str], str | None, list[str]]:
    """The record's non-empty normalised lines, its raw title and the warnings of the
    encoding repair; the character table applied to both."""
    warnings = list(record.warnings)
    raw_text, raw_title = record.text, record.title
    if checks is not None:
        raw_text, text_warnings = checks.repair_encoding(raw_text)
        raw_title, title_warnings = checks.repair_encoding(raw_title) if raw_title else (raw_title, [])
        warnings += sorted(set(text_warnings + title_warnings))
    raw_text, raw_title = characters.apply(raw_text), characters.apply(raw_title) if raw_title else raw_title
    lines = [line for line in (normalise_line(line) for line in _paragraph_lines(raw_text)) if line]
    if not lines:
        raise CleanError("no text (empty or whitespace only)")
    return lines, raw_title, warnings


def _date_header(lines: list[str], dates: PublicationDates, removed: list[str]) -> str | None:
    """The date of a ` date YYYY[-MM[-DD]]` header opening ``lines``, taken out of them."""
    header = _HEADER.match(lines[0])
    if not header:
        return None
    written = dates.record_date(header["date"]) if _ISO_HEADER_DATE.fullmatch(header["date"]) else None
    if written is None or written.iso is None:
        raise CleanError(f"malformed date header {lines[0][:40]!r} (expected `date YYYY[-MM[-DD]]`)")
    removed.append(lines[0][: header.start("rest")].strip())
    lines[0] = header["rest"].strip()
    if not lines[0]:
        lines.pop(0)
    return written.iso


@dataclass
class SortedLines:
    bylines: list[WrittenDate] = field(default_factory=list)
    update_lines: list[WrittenDate] = field(default_factory=list)
    body: list[str] = field(default_factory=list)


def _sorted_lines(lines: list[str], boilerplate: Boilerplate, dates: PublicationDates, removed: list[str]) -> SortedLines:
    """Bylines, update lines and boilerplate out (into ``removed``), the body kept."""
    result = SortedLines()
    for index, line in enumerate(lines):
        if written := dates.byline(line):
            result.bylines.append(written)
        elif written := dates.update_byline(line):
            result.update_lines.append(written)
        elif not boilerplate.matches(line, index == len(lines) - 1):
            result.body.append(line)
            continue
        removed.append(line)
    return result


def _titled_body(title: str | None, body: list[str], removed: list[str]) -> tuple[str | None, list[str]]:
    """The title (the record's, else a short or repeated first line) opening the body once."""
    if title is None and len(body) > 1 and (len(body[0]) <= MAX_TITLE_CHARS or _repeats(body[0], body[1])):
        title = body[0]
    if title is not None:
        if body and body[0] == title:
            body.pop(0)
        while body and _repeats(title, body[0]):
            removed.append(body.pop(0))
        body.insert(0, title)
    if not body:
        raise CleanError("nothing left after removing boilerplate")
    return title, body


def clean_batch(
    items: Iterable[Record | Reject],
    boilerplate: Boilerplate,
    checks: TextChecks | None = None,
    dates: PublicationDates | None = None,
    characters: Characters | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records (and reader rejects) -> (documents, rejects)."""
    rows: list[dict] = []
    rejects: list[Reject] = []
    for item in items:
        if isinstance(item, Reject):
            rejects.append(item)
            continue
        try:
            rows.append(clean_record(item, boilerplate, checks, dates, characters))
        except CleanError as exc:
            rejects.append(Reject(item.source, str(exc), item.doc_id, "clean"))
        except (ValueError, TypeError, LookupError, RecursionError) as exc:
            # A fault in cleaning itself must cost one article, not the run; the reason says it is ours.
            rejects.append(Reject(item.source, failure_reason("cleaning failed", exc), item.doc_id, "clean"))
    documents = pd.DataFrame(rows, columns=DOCUMENTS.column_names)
    reject_rows = [{name: getattr(reject, name) for name in REJECTS.column_names} for reject in rejects]
    return documents, pd.DataFrame(reject_rows, columns=REJECTS.column_names)


def _prepare(settings: Settings):
    boilerplate = Boilerplate.from_settings(settings)
    checks = TextChecks.from_settings(settings)
    dates = PublicationDates.from_settings(settings)
    characters = Characters.from_settings(settings)

    def run(frames):
        documents, rejects = clean_batch(frames["records"], boilerplate, checks, dates, characters)
        return {"documents": documents, "rejects": rejects}

    return run


STAGE = Stage(
    **declared("clean"),
    prepare=_prepare,
)
