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
from dataclasses import dataclass
from typing import Iterable

import ftfy
import pandas as pd

from pipeline.config import ConfigError, Settings, load_settings
from pipeline.engine import Stage
from pipeline.language import FunctionWordDetector
from pipeline.publication_dates import PublicationDates, WrittenDate, precision
from pipeline.readers import Record, Reject
from pipeline.tables import DOCUMENTS, REJECTS

# A title longer than this is more likely the first paragraph of an untitled article.
MAX_TITLE_CHARS = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\ufeff]")
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


def normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    line = _CONTROL.sub("", line)
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


def clean_record(record: Record, boilerplate: Boilerplate, checks: TextChecks | None = None, dates: PublicationDates | None = None) -> dict:
    """One record -> one documents row (a dict); raises CleanError with the reason.

    Without ``checks``, mojibake and language are not looked at. Without ``dates``, the
    publication date patterns of the default configuration are used.

    The publication date is, first found: the record's own date, a ` date` header, a
    byline line (« Publié le … »), a dateline opening one of the first paragraphs
    (« 3 mars 2012. - »), an update line (« Mis à jour le … »). Bylines and update lines
    are removed as boilerplate; a dateline stays in the text as written.
    """
    dates = dates or default_publication_dates()
    warnings = list(record.warnings)
    raw_text, raw_title = record.text, record.title
    if checks is not None:
        raw_text, text_warnings = checks.repair_encoding(raw_text)
        raw_title, title_warnings = checks.repair_encoding(raw_title) if raw_title else (raw_title, [])
        warnings += sorted(set(text_warnings + title_warnings))
    lines = [normalise_line(line) for line in _paragraph_lines(raw_text)]
    lines = [line for line in lines if line]
    if not lines:
        raise CleanError("no text (empty or whitespace only)")

    removed: list[str] = []
    published, date_warnings = _record_date(record.date, dates)
    warnings += date_warnings
    title = normalise_line(" ".join((raw_title or "").splitlines())) or None

    header = _HEADER.match(lines[0])
    if header:
        written = dates.record_date(header["date"]) if _ISO_HEADER_DATE.fullmatch(header["date"]) else None
        if written is None or written.iso is None:
            raise CleanError(f"malformed date header {lines[0][:40]!r} (expected `date YYYY[-MM[-DD]]`)")
        published = published or written.iso
        removed.append(lines[0][: header.start("rest")].strip())
        lines[0] = header["rest"].strip()
        if not lines[0]:
            lines.pop(0)

    bylines: list[WrittenDate] = []
    update_lines: list[WrittenDate] = []
    body: list[str] = []
    for index, line in enumerate(lines):
        if written := dates.byline(line):
            bylines.append(written)
            removed.append(line)
            continue
        if written := dates.update_byline(line):
            update_lines.append(written)
            removed.append(line)
            continue
        at_end = index == len(lines) - 1
        if boilerplate.matches(line, at_end):
            removed.append(line)
            continue
        body.append(line)

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

    if published is None:
        candidates = [*bylines, _dateline(body, title is not None, dates), *update_lines]
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


def clean_batch(
    items: Iterable[Record | Reject], boilerplate: Boilerplate, checks: TextChecks | None = None, dates: PublicationDates | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records (and reader rejects) -> (documents, rejects)."""
    rows: list[dict] = []
    rejects: list[dict] = []
    for item in items:
        if isinstance(item, Reject):
            rejects.append({"source": item.source, "doc_id": item.doc_id, "stage": item.stage, "reason": item.reason})
            continue
        try:
            rows.append(clean_record(item, boilerplate, checks, dates))
        except CleanError as exc:
            rejects.append({"source": item.source, "doc_id": item.doc_id, "stage": "clean", "reason": str(exc)})
        except (ValueError, TypeError, LookupError, RecursionError) as exc:
            # A fault in cleaning itself must cost one article, not the run; the reason says it is ours.
            reason = f"cleaning failed: {type(exc).__name__}: {' '.join(str(exc).split())}"[:300]
            rejects.append({"source": item.source, "doc_id": item.doc_id, "stage": "clean", "reason": reason})
    documents = pd.DataFrame(rows, columns=DOCUMENTS.column_names)
    return documents, pd.DataFrame(rejects, columns=REJECTS.column_names)


def _prepare(settings: Settings):
    boilerplate = Boilerplate.from_settings(settings)
    checks = TextChecks.from_settings(settings)
    dates = PublicationDates.from_settings(settings)

    def run(frames):
        documents, rejects = clean_batch(frames["records"], boilerplate, checks, dates)
        return {"documents": documents, "rejects": rejects}

    return run


STAGE = Stage(
    name="clean",
    reads=(),
    writes=(DOCUMENTS, REJECTS),
    prepare=_prepare,
    description="Read the inputs (txt, jsonl, csv, parquet, tml, html, warc) and write documents.parquet and rejects.parquet.",
)
