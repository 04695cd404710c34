"""Input formats -> records. Every input ends up as a Record or a Reject with a reason.

Nothing here trusts its input: a file may be missing, empty, binary, in another
encoding, too large or malformed, and a record may lack its fields. Each problem
becomes a one-line Reject (or, when the text can still be used, a warning on the
Record) so that one bad article never stops the run.
"""
from __future__ import annotations

import codecs
import csv
import errno
import glob
import json
import os
import re
import stat
import sys
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

import defusedxml.ElementTree as SafeElementTree
import pyarrow.parquet as pq
from defusedxml import DefusedXmlException
from xml.etree.ElementTree import ParseError

from pipeline.markup import holds_markup

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".csv", ".parquet", ".tml", ".html", ".htm", ".warc", ".warc.gz")
# Formats where one file is one article: the size limit applies to the file itself,
# checked before reading it. Record formats apply it to each record's text instead, and
# so do HTML pages, whose markup may be many times their text.
ONE_ARTICLE_SUFFIXES = (".txt", ".tml")
# Formats whose text is plain text as written: HTML markup found in it is removed (see
# pipeline.markup). Text read from a page or TimeML is plain already, whatever it shows.
PLAIN_TEXT_SUFFIXES = (".txt", ".jsonl", ".csv", ".parquet")
# How much of a file is sniffed for binary content.
SNIFF_BYTES = 8192
# Share of control characters above which a decoded text is taken for binary data.
MAX_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
# The ISO 8859-1 and Windows-1252 code pages agree everywhere except 0x80-0x9F, where
# Latin-1 has C1 control codes that real text never uses.
_CP1252_ONLY = bytes(range(0x80, 0xA0))
# A reason longer than this is cut: an exception's message may quote a whole input.
MAX_REASON_CHARS = 300
# A code point of the surrogate range standing alone is no character: UTF-8 cannot encode
# it, so no table can hold it. JSON escapes (`"\\udc80"`), UTF-7 and file names that are not
# UTF-8 (which Python decodes with such surrogates) are where they come from.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# The Record fields a reader fills from its input, with the name the input gives them.
_INPUT_FIELDS = {"doc_id": "id", "text": "text", "title": "title", "date": "date", "url": "url"}


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
    """What could not be read, and why. Its fields are made valid Unicode (a lone surrogate
    written as its escape, ``\\udc80``), since a reject names the very values that are not."""

    source: str
    reason: str
    doc_id: str | None = None
    stage: str = "read"

    def __post_init__(self) -> None:
        self.source, self.reason = printable(self.source), printable(self.reason)
        self.doc_id = None if self.doc_id is None else printable(self.doc_id)


def printable(text: str) -> str:
    """``text`` with each lone surrogate written as its escape (``\\udc80``): valid UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if has_lone_surrogate(text) else text


def has_lone_surrogate(text: str) -> bool:
    return _LONE_SURROGATE.search(text) is not None


def unicode_problem(record: Record) -> str | None:
    """Why a record cannot be stored as it is (a value that is not valid Unicode), or None."""
    if found := _LONE_SURROGATE.search(record.source):
        return f"file path is not valid UTF-8 ({_described(found[0])}); rename it in UTF-8"
    for attribute, name in _INPUT_FIELDS.items():
        value = getattr(record, attribute)
        if value and (found := _LONE_SURROGATE.search(value)):
            return f"field {name} holds a lone surrogate (U+{ord(found[0]):04X}) at character {found.start() + 1}: not valid Unicode"
    return None


def _described(surrogate: str) -> str:
    """What a lone surrogate of a file path stands for: Python decodes each byte of a path
    that is not UTF-8 as U+DC80-U+DCFF (its byte plus 0xDC00)."""
    code = ord(surrogate)
    return f"byte 0x{code - 0xDC00:02X}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"


class InputError(Exception):
    """Raised for a whole-file problem; becomes a Reject naming the file."""


def input_suffix(path: Path) -> str:
    """The suffix that tells the format, in lower case: ``.warc.gz`` counts as one."""
    suffixes = [suffix.lower() for suffix in path.suffixes[-2:]]
    return ".warc.gz" if suffixes == [".warc", ".gz"] else path.suffix.lower()


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Reject]]:
    """Files, folders (recursively) and globs -> the files to read, each input's sorted,
    and a reject for every path that will not be read.

    Symbolic links are followed, wherever they point: a link is read as the file or folder
    it leads to. In a folder, files of other types are left alone; anything else that is
    not read is rejected: a broken link or a link loop, a pipe or a device, a folder that
    cannot be listed, a second path to a file or folder already read (a link to it, or a
    hard link). The links of a folder are followed after all the paths without one, so
    that a file is read by its own path rather than by a link to it. A path given twice
    (a file and its folder) is read once.
    """
    walk = _InputWalk()
    for origin, item in enumerate(inputs):
        text = str(item)
        if not os.path.lexists(text) and glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                walk.rejects.append(Reject(text, "no file matches this pattern"))
            for match in matches:
                walk.reach(Path(match), origin)
        elif os.path.lexists(text):
            walk.reach(Path(text), origin)
        else:
            walk.rejects.append(Reject(text, "path does not exist"))
    while walk.links:
        link, origin = walk.links.popleft()
        walk.reach(link, origin, in_folder=True)
    for origin, folder in walk.folders.items():
        if not any(found == origin for found, _ in walk.files):
            walk.rejects.append(Reject(str(folder), f"folder holds no input file ({', '.join(SUPPORTED_SUFFIXES)})"))
    # A path reached twice (in its folder and on its own) is rejected once.
    rejects = list({(reject.source, reject.reason): reject for reject in walk.rejects}.values())
    return [path for _, path in sorted(walk.files)], rejects


@dataclass
class _InputWalk:
    """What expand_inputs found: (input number, file) pairs, rejects, the links of folders
    still to follow, the folders given as inputs, and what was reached, by device and inode
    (the file or folder itself, whatever the path) -> the absolute path first reaching it."""

    files: list[tuple[int, Path]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    links: deque[tuple[Path, int]] = field(default_factory=deque)
    folders: dict[int, Path] = field(default_factory=dict)
    reached: dict[tuple[int, int], str] = field(default_factory=dict)

    def reach(self, path: Path, origin: int, in_folder: bool = False) -> None:
        try:
            info = path.stat()
        except OSError as exc:
            self.rejects.append(Reject(str(path), _unreachable(path, exc)))
            return
        if stat.S_ISDIR(info.st_mode):
            if self._first_time(path, info, "folder"):
                if not in_folder:
                    self.folders[origin] = path
                self._list(path, origin)
        elif not stat.S_ISREG(info.st_mode):
            self.rejects.append(Reject(str(path), f"not a regular file or folder ({_file_kind(info.st_mode)})"))
        elif (not in_folder or input_suffix(path) in SUPPORTED_SUFFIXES) and self._first_time(path, info, "file"):
            self.files.append((origin, path))

    def _list(self, folder: Path, origin: int) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted((entry.name, entry.is_symlink()) for entry in listing)
        except OSError as exc:
            self.rejects.append(Reject(str(folder), f"cannot read folder ({exc.strerror or exc})"))
            return
        for name, is_link in entries:
            if is_link:
                self.links.append((folder / name, origin))
            else:
                self.reach(folder / name, origin, in_folder=True)

    def _first_time(self, path: Path, info: os.stat_result, kind: str) -> bool:
        """True the first time a file or folder is reached; another path to it is rejected
        (the same path again, a folder given beside its parent, is read once, silently)."""
        where = os.path.abspath(path)
        first = self.reached.get((info.st_dev, info.st_ino))
        if first is None:
            self.reached[info.st_dev, info.st_ino] = where
            return True
        if first == where:
            return False
        if kind == "folder" and where.startswith(first + os.sep):
            self.rejects.append(Reject(str(path), f"symbolic link loop: leads back to the folder {first}, which holds it"))
        else:
            self.rejects.append(Reject(str(path), f"same {kind} as {first}, already read"))
        return False


def _unreachable(path: Path, exc: OSError) -> str:
    """Why a path that exists cannot be reached (its stat failed)."""
    if path.is_symlink():
        target = os.readlink(path)
        if exc.errno == errno.ELOOP:
            return f"symbolic link loop: its target {target} never leads to a file or folder"
        if exc.errno == errno.ENOENT:
            return f"broken symbolic link: its target {target} does not exist"
    return f"cannot read ({exc.strerror or exc})"


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    return next((name for test, name in kinds if test(mode)), "an unknown kind of file")


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


# The Parquet columns a record is made of (see record_from_mapping); others are not read.
RECORD_COLUMNS = ("id", "text", "title", "date", "url", "source")


def read_parquet(path: Path) -> Iterator[Record | Reject]:
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise InputError(f"not a readable Parquet file ({exc})") from exc
    names = set(parquet.schema_arrow.names)
    missing = {"id", "text"} - names
    if missing:
        raise InputError(f"Parquet file lacks column {', '.join(sorted(missing))}")
    batches = parquet.iter_batches(columns=[name for name in RECORD_COLUMNS if name in names])
    row_number = 0
    while True:
        try:
            batch = next(batches, None)
        except Exception as exc:  # pyarrow raises several types for a damaged page
            raise InputError(failure_reason(f"damaged Parquet file from row {row_number} on", exc)) from exc
        if batch is None:
            return
        for row in _python_rows(batch):
            source = f"{path}:{row_number}"
            yield record_from_mapping(row, source, []) if isinstance(row, dict) else Reject(source, *row)
            row_number += 1


def _python_rows(batch) -> Iterator[dict | tuple[str, str | None]]:
    """The rows of a Parquet batch as dicts. Parquet does not check that its strings are
    UTF-8: a row holding one that is not gives (reason, doc_id) instead, and the other rows
    are kept."""
    try:
        rows = batch.to_pylist()
    except UnicodeDecodeError:
        rows = None
    if rows is not None:
        yield from rows
        return
    columns = dict(zip(batch.schema.names, batch.columns))
    for index in range(batch.num_rows):
        row: dict = {}
        problems = []
        for name, column in columns.items():
            try:
                row[name] = column[index].as_py()
            except UnicodeDecodeError as exc:
                problems.append(f"field {name} is not valid UTF-8 (byte 0x{exc.object[exc.start]:02X} at byte {exc.start + 1})")
        doc_id = row.get("id")
        yield ("; ".join(problems), None if doc_id is None else str(doc_id)) if problems else row


def failure_reason(what: str, exc: BaseException) -> str:
    """The one-line reason of a reject caused by an exception: what failed, then the
    exception's type and message, whitespace folded."""
    message = " ".join(str(exc).split())
    return f"{what}: {type(exc).__name__}{': ' + message if message else ''}"[:MAX_REASON_CHARS]


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
    except Exception as exc:  # a fault of a reader or of its library on strange data costs this file, not the run
        yield Reject(str(path), failure_reason("reading failed", exc), doc_id=file_doc_id)


def read_records(inputs: Iterable[str | Path], max_bytes: int | None = None, cache=None) -> Iterator[Record | Reject | Skipped]:
    """All records of all inputs, in input order.

    A duplicate doc_id is rejected (first wins); a record whose text is over
    ``max_bytes`` (UTF-8) is rejected. ``cache`` (a ``pipeline.read_cache.ReadCache``)
    gives the items of web files read unchanged by the last run.
    """
    return checked_records(file_items(inputs, max_bytes, cache), max_bytes)


def file_items(inputs: Iterable[str | Path], max_bytes: int | None = None, cache=None) -> Iterator[Record | Reject | Skipped]:
    """Rejects of the inputs that name no file, then the items of every file, in order."""
    files, rejects = expand_inputs(inputs)
    yield from rejects
    for path in files:
        plain_text = input_suffix(path) in PLAIN_TEXT_SUFFIXES
        items = cache.items(path, lambda: read_file(path, max_bytes)) if cache is not None else read_file(path, max_bytes)
        for item in items:
            yield plain_text_record(item, max_bytes) if plain_text else item
    if cache is not None:
        cache.save()


def checked_records(items: Iterable[Record | Reject | Skipped], max_bytes: int | None = None) -> Iterator[Record | Reject | Skipped]:
    """The items, with a record rejected when a value is not valid Unicode, when its doc_id
    was seen before (the first wins) or when its text is over ``max_bytes`` (UTF-8)."""
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Record):
            if reason := unicode_problem(item):
                yield Reject(item.source, reason, doc_id=item.doc_id)
                continue
            if item.doc_id in seen:
                yield Reject(item.source, f"duplicate doc_id {item.doc_id!r} (first read from {seen[item.doc_id]})", doc_id=item.doc_id)
                continue
            if reason := _text_size_reason(item, max_bytes):
                yield Reject(item.source, reason, doc_id=item.doc_id)
                continue
            seen[item.doc_id] = item.source
        yield item


def _text_size_reason(record: Record, max_bytes: int | None) -> str | None:
    return size_reason(len(record.text.encode("utf-8")), max_bytes, "article text")


def plain_text_record(item: Record | Reject | Skipped, max_bytes: int | None = None) -> Record | Reject | Skipped:
    """An item of a plain-text format (a .txt file, a record of .jsonl, .csv or .parquet),
    a record's HTML markup removed (see without_markup). A record that checked_records
    rejects (a value not valid Unicode, a text over ``max_bytes``) is left as it is, unparsed."""
    if isinstance(item, Record) and unicode_problem(item) is None and _text_size_reason(item, max_bytes) is None:
        return without_markup(item)
    return item


def without_markup(record: Record) -> Record:
    """The record with the HTML markup of its text and title removed, with a warning."""
    text_markup, title_markup = holds_markup(record.text), bool(record.title) and holds_markup(record.title)
    if not (text_markup or title_markup):
        return record
    from pipeline.markup import text_of_markup, text_without_tags

    text, title, warnings = record.text, record.title, list(record.warnings)
    try:
        if text_markup:
            text, warning = text_of_markup(text, record.doc_id, record.source)
            warnings.append(warning)
        if title_markup:
            title = text_without_tags(title)
            warnings.append("title held HTML markup: tags removed")
    except Exception as exc:  # the HTML parser's fault on a strange text: the text is kept as it is
        return replace(record, warnings=warnings + [failure_reason("HTML markup could not be removed", exc)])
    return replace(record, text=text, title=title, warnings=warnings)
