"""Input formats -> records. Every input ends up as a Record or a Reject with a reason."""
from __future__ import annotations

import csv
import glob
import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow.parquet as pq

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".csv", ".parquet", ".tml")


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
class Reject:
    source: str
    reason: str
    doc_id: str | None = None
    stage: str = "read"


class InputError(Exception):
    """Raised for a whole-file problem; becomes a Reject naming the file."""


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Reject]]:
    """Files, folders (recursively, supported suffixes only) and globs -> sorted file list."""
    files: list[Path] = []
    rejects: list[Reject] = []
    for item in inputs:
        text = str(item)
        path = Path(text)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
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


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), else Windows-1252, with a warning saying so."""
    if b"\x00" in data[:8192]:
        raise InputError("binary file (NUL bytes)")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), ["not UTF-8: decoded as Windows-1252"]
    except UnicodeDecodeError:
        return data.decode("latin-1"), ["not UTF-8: decoded as Latin-1"]


def read_txt(path: Path) -> Iterator[Record | Reject]:
    text, warnings = decode_bytes(path.read_bytes())
    yield Record(doc_id=path.stem, source=str(path), text=text, warnings=warnings)


def _record_from_mapping(row: dict, source: str) -> Record | Reject:
    doc_id = row.get("id")
    text = row.get("text")
    missing = [name for name, value in (("id", doc_id), ("text", text)) if value is None or value == ""]
    if missing:
        return Reject(source, f"record lacks {' and '.join(missing)}", doc_id=None if doc_id is None else str(doc_id))
    if not isinstance(text, str):
        return Reject(source, "field text is not a string", doc_id=str(doc_id))

    def optional(name: str) -> str | None:
        value = row.get(name)
        return None if value is None or (isinstance(value, float) and value != value) or value == "" else str(value)

    return Record(
        doc_id=str(doc_id),
        source=source,
        text=text,
        title=optional("title"),
        date=optional("date"),
        url=optional("url") or optional("source"),
    )


def read_jsonl(path: Path) -> Iterator[Record | Reject]:
    text, _ = decode_bytes(path.read_bytes())
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(source, f"line is not JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            yield Reject(source, "line is not a JSON object")
            continue
        yield _record_from_mapping(row, source)


def read_csv(path: Path) -> Iterator[Record | Reject]:
    text, _ = decode_bytes(path.read_bytes())
    reader = csv.DictReader(text.splitlines(keepends=True))
    columns = set(reader.fieldnames or [])
    missing = {"id", "text"} - columns
    if missing:
        raise InputError(f"CSV lacks column {', '.join(sorted(missing))}")
    for number, row in enumerate(reader, start=2):
        yield _record_from_mapping(row, f"{path}:{number}")


def read_parquet(path: Path) -> Iterator[Record | Reject]:
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:
        raise InputError(f"not a readable Parquet file ({exc})") from exc
    missing = {"id", "text"} - set(parquet.schema_arrow.names)
    if missing:
        raise InputError(f"Parquet file lacks column {', '.join(sorted(missing))}")
    row_number = 0
    for batch in parquet.iter_batches():
        for row in batch.to_pylist():
            yield _record_from_mapping(row, f"{path}:{row_number}")
            row_number += 1


def read_tml(path: Path) -> Iterator[Record | Reject]:
    """TimeML: DOCID, the DCT as publication date, the plain text of TEXT."""
    try:
        root = ElementTree.fromstring(path.read_bytes())
    except ElementTree.ParseError as exc:
        raise InputError(f"malformed TimeML ({exc})") from exc
    text_element = root.find("TEXT")
    if text_element is None:
        raise InputError("TimeML without a TEXT element")
    doc_id = (root.findtext("DOCID") or path.stem).strip()
    dct = root.find("DCT/TIMEX3")
    date = dct.get("value") if dct is not None else None
    yield Record(doc_id=doc_id, source=str(path), text="".join(text_element.itertext()), date=date)


READERS = {
    ".txt": read_txt,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
    ".parquet": read_parquet,
    ".tml": read_tml,
}


def read_file(path: Path) -> Iterator[Record | Reject]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        yield Reject(str(path), f"unsupported file type {path.suffix or '(none)'}; expected one of {', '.join(SUPPORTED_SUFFIXES)}")
        return
    try:
        yield from reader(path)
    except InputError as exc:
        yield Reject(str(path), str(exc))
    except OSError as exc:
        yield Reject(str(path), f"cannot read file ({exc.strerror or exc})")


def read_records(inputs: Iterable[str | Path]) -> Iterator[Record | Reject]:
    """All records of all inputs, in input order; a duplicate doc_id is rejected (first wins)."""
    files, rejects = expand_inputs(inputs)
    yield from rejects
    seen: dict[str, str] = {}
    for path in files:
        for item in read_file(path):
            if isinstance(item, Record):
                if item.doc_id in seen:
                    yield Reject(item.source, f"duplicate doc_id {item.doc_id!r} (first read from {seen[item.doc_id]})", doc_id=item.doc_id)
                    continue
                seen[item.doc_id] = item.source
            yield item
