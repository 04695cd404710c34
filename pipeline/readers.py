"""Input formats -> records. Every input ends up as a Record or a Reject with a reason.

Nothing here trusts its input: a file may be missing, empty, binary, in another
encoding, too large or malformed, and a record may lack its fields. Each problem
becomes a one-line Reject (or, when the text can still be used, a warning on the
Record) so that one bad article never stops the run.
"""
from __future__ import annotations

import codecs
import csv
import glob
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import defusedxml.ElementTree as SafeElementTree
import pyarrow.parquet as pq
from defusedxml import DefusedXmlException
from xml.etree.ElementTree import ParseError

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".csv", ".parquet", ".tml", ".html", ".htm", ".warc", ".warc.gz")
# Formats where one file is one article: the size limit applies to the file itself,
# checked before reading it. Record formats apply it to each record's text instead, and
# so do HTML pages, whose markup may be many times their text.
ONE_ARTICLE_SUFFIXES = (".txt", ".tml")
# How much of a file is sniffed for binary content.
SNIFF_BYTES = 8192
# Share of control characters above which a decoded text is taken for binary data.
MAX_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
# The ISO 8859-1 and Windows-1252 code pages agree everywhere except 0x80-0x9F, where
# Latin-1 has C1 control codes that real text never uses.
_CP1252_ONLY = bytes(range(0x80, 0xA0))


@dataclass
class Record:
    doc_id: str
    source: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """An input part that is not an article and is not an error (a WARC request record, an
    image response): counted in the run summary by ``what``, never a document or a reject."""

    source: str
    what: str


@dataclass
class Reject:
    source: str
    reason: str
    doc_id: str | None = None
    stage: str = "read"


class InputError(Exception):
    """Raised for a whole-file problem; becomes a Reject naming the file."""


def input_suffix(path: Path) -> str:
    """The suffix that tells the format, in lower case: ``.warc.gz`` counts as one."""
    suffixes = [suffix.lower() for suffix in path.suffixes[-2:]]
    return ".warc.gz" if suffixes == [".warc", ".gz"] else path.suffix.lower()


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Reject]]:
    """Files, folders (recursively, supported suffixes only) and globs -> sorted file list."""
    files: list[Path] = []
    rejects: list[Reject] = []
    for item in inputs:
        text = str(item)
        path = Path(text)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and input_suffix(p) in SUPPORTED_SUFFIXES)
            if not found:
                rejects.append(Reject(text, f"folder holds no input file ({', '.join(SUPPORTED_SUFFIXES)})"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif glob.has_magic(text):
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not matches:
                rejects.append(Reject(text, "no file matches this pattern"))
            files.extend(matches)
        else:
            rejects.append(Reject(text, "path does not exist"))
    unique = list(dict.fromkeys(files))
    return unique, rejects


def size_reason(size: int, max_bytes: int | None, what: str) -> str | None:
    """The reject reason when ``size`` is over the limit, else None."""
    if max_bytes and size > max_bytes:
        return f"{what} is {size} bytes, over the limit of {max_bytes} ([clean] max_bytes)"
    return None


def _reject_binary(text: str) -> None:
    sample = text[:SNIFF_BYTES]
    controls = sum(1 for char in sample if (char < " " and char not in _TEXT_CONTROLS) or char == "\x7f")
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        raise InputError("binary file (control characters)")


def _utf16_or_binary(head: bytes) -> str | None:
    """'utf-16' for a UTF-16 byte-order mark; rejects NUL bytes elsewhere (binary data)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise InputError("binary file (NUL bytes)")
    return None


def _fallback(has_cp1252_bytes: bool) -> tuple[str, list[str]]:
    if has_cp1252_bytes:
        return "cp1252", ["not UTF-8: decoded as Windows-1252"]
    return "latin-1", ["not UTF-8: decoded as Latin-1"]


def _has_cp1252_bytes(data: bytes) -> bool:
    return any(byte in _CP1252_ONLY for byte in data)


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM, or UTF-16 with a BOM), else Windows-1252 or Latin-1, with a warning saying so."""
    if _utf16_or_binary(data[:SNIFF_BYTES]):
        try:
            text, warnings = data.decode("utf-16"), ["not UTF-8: decoded as UTF-16"]
        except UnicodeDecodeError:
            raise InputError("binary file (invalid UTF-16 after a UTF-16 byte-order mark)") from None
    else:
        try:
            text, warnings = data.decode("utf-8-sig"), []
        except UnicodeDecodeError:
            encoding, warnings = _fallback(_has_cp1252_bytes(data))
            # Windows-1252 leaves five bytes undefined; Latin-1 decodes anything.
            text = data.decode(encoding, errors="replace")
    _reject_binary(text)
    return text, warnings


def detect_file_encoding(path: Path) -> tuple[str, list[str]]:
    """Encoding of a record file, read in chunks (never whole), rejecting binary data."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
        if _utf16_or_binary(head):
            return "utf-16", ["not UTF-8: decoded as UTF-16"]
        decoder = codecs.getincrementaldecoder("utf-8")()
        is_utf8, cp1252_bytes = True, False
        chunk = head
        while chunk:
            cp1252_bytes = cp1252_bytes or _has_cp1252_bytes(chunk)
            if is_utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
            chunk = handle.read(1 << 20)
    if is_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    encoding, warnings = ("utf-8-sig", []) if is_utf8 else _fallback(cp1252_bytes)
    _reject_binary(head.decode(encoding, errors="replace"))
    return encoding, warnings


def read_txt(path: Path) -> Iterator[Record | Reject]:
    text, warnings = decode_bytes(path.read_bytes())
    yield Record(doc_id=path.stem, source=str(path), text=text, warnings=warnings)


def _optional(row: dict, name: str) -> str | None:
    value = row.get(name)
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return None
    return str(value)


def record_from_mapping(row: dict, source: str, warnings: list[str]) -> Record | Reject:
    doc_id = row.get("id")
    text = row.get("text")
    missing = [name for name, value in (("id", doc_id), ("text", text)) if value is None or value == ""]
    known_id = None if doc_id is None or isinstance(doc_id, (dict, list)) else str(doc_id)
    if missing:
        return Reject(source, f"record lacks {' and '.join(missing)}", doc_id=known_id)
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        return Reject(source, f"field id is a {type(doc_id).__name__}, expected a string or an integer")
    if not isinstance(text, str):
        return Reject(source, f"field text is a {type(text).__name__}, expected a string", doc_id=known_id)
    return Record(
        doc_id=str(doc_id),
        source=source,
        text=text,
        title=_optional(row, "title"),
        date=_optional(row, "date"),
        url=_optional(row, "url") or _optional(row, "source"),
        warnings=list(warnings),
    )


def read_jsonl(path: Path) -> Iterator[Record | Reject]:
    encoding, warnings = detect_file_encoding(path)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            source = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Reject(source, f"line is not JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(row, dict):
                yield Reject(source, f"line is a JSON {type(row).__name__}, expected an object with id and text")
                continue
            yield record_from_mapping(row, source, warnings)


def read_csv(path: Path) -> Iterator[Record | Reject]:
    encoding, warnings = detect_file_encoding(path)
    # The default field limit (128 KiB) is below a long article; the size limit is
    # applied to each record's text instead.
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            columns = set(reader.fieldnames or [])
        except csv.Error as exc:
            raise InputError(f"malformed CSV header ({exc})") from exc
        missing = {"id", "text"} - columns
        if missing:
            raise InputError(f"CSV lacks column {', '.join(sorted(missing))} (found: {', '.join(sorted(columns)) or 'none'})")
        rows = iter(reader)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Reject(f"{path}:{reader.line_num}", f"malformed CSV from this line on ({exc})")
                return
            yield record_from_mapping(row, f"{path}:{reader.line_num}", warnings)


def read_parquet(path: Path) -> Iterator[Record | Reject]:
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise InputError(f"not a readable Parquet file ({exc})") from exc
    missing = {"id", "text"} - set(parquet.schema_arrow.names)
    if missing:
        raise InputError(f"Parquet file lacks column {', '.join(sorted(missing))}")
    row_number = 0
    for batch in parquet.iter_batches():
        for row in batch.to_pylist():
            yield record_from_mapping(row, f"{path}:{row_number}", [])
            row_number += 1


def read_tml(path: Path) -> Iterator[Record | Reject]:
    """TimeML: DOCID, the DCT as publication date, the plain text of TEXT.

    Parsed with defusedxml: a file declaring entities or fetching external ones is
    refused whatever the version of the expat library Python is linked against.
    """
    data = path.read_bytes()
    _utf16_or_binary(data[:SNIFF_BYTES])
    try:
        root = SafeElementTree.fromstring(data)
    except DefusedXmlException as exc:
        raise InputError(f"TimeML refused: {type(exc).__name__} (entity or DTD declarations are not allowed)") from exc
    except ParseError as exc:
        raise InputError(f"malformed TimeML ({exc})") from exc
    text_element = root.find("TEXT")
    if text_element is None:
        raise InputError("TimeML without a TEXT element")
    doc_id = (root.findtext("DOCID") or "").strip() or path.stem
    dct = root.find("DCT/TIMEX3")
    date = dct.get("value") if dct is not None else None
    yield Record(doc_id=doc_id, source=str(path), text="".join(text_element.itertext()), date=date)


# The web formats' libraries (trafilatura, warcio) take most of a second to import: only
# a run that reads such a file pays for them.
def read_html(path: Path) -> Iterator[Record | Reject]:
    from pipeline.readers_html import read_html_file

    return read_html_file(path)


def read_warc(path: Path) -> Iterator[Record | Reject | Skipped]:
    from pipeline.readers_warc import read_warc_file

    return read_warc_file(path)


READERS: dict[str, Callable[[Path], Iterator[Record | Reject | Skipped]]] = {
    ".txt": read_txt,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
    ".parquet": read_parquet,
    ".tml": read_tml,
    ".html": read_html,
    ".htm": read_html,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}


def read_file(path: Path, max_bytes: int | None = None) -> Iterator[Record | Reject | Skipped]:
    """Records of one file; whole-file problems become one Reject naming the file."""
    suffix = input_suffix(path)
    reader = READERS.get(suffix)
    if reader is None:
        yield Reject(str(path), f"unsupported file type {path.suffix or '(none)'}; expected one of {', '.join(SUPPORTED_SUFFIXES)}")
        return
    # A .txt or HTML file's doc_id is its stem whatever is inside; other formats name it inside.
    file_doc_id = path.stem if suffix in (".txt", ".html", ".htm") else None
    try:
        size = path.stat().st_size
        if size == 0:
            yield Reject(str(path), "empty file", doc_id=file_doc_id)
            return
        if suffix in ONE_ARTICLE_SUFFIXES and (reason := size_reason(size, max_bytes, "file")):
            yield Reject(str(path), reason, doc_id=file_doc_id)
            return
        produced = skipped = 0
        for item in reader(path):
            if isinstance(item, Skipped):
                skipped += 1
            else:
                produced += 1
            yield item
        if not produced:
            yield Reject(str(path), f"no article in file ({skipped} records skipped)" if skipped else "no record in file")
    except InputError as exc:
        yield Reject(str(path), str(exc), doc_id=file_doc_id)
    except OSError as exc:
        yield Reject(str(path), f"cannot read file ({exc.strerror or exc})", doc_id=file_doc_id)


def read_records(inputs: Iterable[str | Path], max_bytes: int | None = None) -> Iterator[Record | Reject | Skipped]:
    """All records of all inputs, in input order.

    A duplicate doc_id is rejected (first wins); a record whose text is over
    ``max_bytes`` (UTF-8) is rejected.
    """
    return checked_records(file_items(inputs, max_bytes), max_bytes)


def file_items(inputs: Iterable[str | Path], max_bytes: int | None = None) -> Iterator[Record | Reject | Skipped]:
    """Rejects of the inputs that name no file, then the items of every file, in order."""
    files, rejects = expand_inputs(inputs)
    yield from rejects
    for path in files:
        yield from read_file(path, max_bytes)


def checked_records(items: Iterable[Record | Reject | Skipped], max_bytes: int | None = None) -> Iterator[Record | Reject | Skipped]:
    """The items, with a record rejected when its doc_id was seen before (the first wins) or
    its text is over ``max_bytes`` (UTF-8)."""
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Record):
            if item.doc_id in seen:
                yield Reject(item.source, f"duplicate doc_id {item.doc_id!r} (first read from {seen[item.doc_id]})", doc_id=item.doc_id)
                continue
            if reason := size_reason(len(item.text.encode("utf-8", errors="surrogatepass")), max_bytes, "article text"):
                yield Reject(item.source, reason, doc_id=item.doc_id)
                continue
            seen[item.doc_id] = item.source
        yield item
