"""The Parquet contract: one schema per table, written atomically, checked on read.

Every span table carries ``doc_id``, ``start`` and ``end`` (character offsets into
``documents.text``) so that tables join without re-reading text.
"""
from __future__ import annotations

import functools
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import __version__

SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    meaning: str
    example: str
    nullable: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    stage: str
    meaning: str
    columns: tuple[Column, ...]

    @functools.cached_property
    def schema(self) -> pa.Schema:
        return pa.schema(
            [
                pa.field(
                    c.name,
                    c.type,
                    nullable=c.nullable,
                    metadata={"description": c.meaning, "example": c.example},
                )
                for c in self.columns
            ],
            metadata={"table": self.name, "schema_version": SCHEMA_VERSION},
        )

    @property
    def file_name(self) -> str:
        return f"{self.name}.parquet"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _doc_id() -> Column:
    return Column("doc_id", pa.string(), "Document identifier (file stem or record id)", "000_8716f3df5ea4cf20")


def _offsets(what: str, start: int, text: str) -> tuple[Column, Column, Column]:
    """start, end and text columns; the examples are one span of a seed article, so end - start is len(text)."""
    return (
        Column("start", pa.int32(), f"Offset of the first character of the {what} in documents.text", str(start)),
        Column("end", pa.int32(), f"Offset just past the last character of the {what} in documents.text", str(start + len(text))),
        Column("text", pa.string(), f"The {what} as written: documents.text[start:end]", text),
    )


def _sent_id(example: str, meaning: str = "Sentence holding the first character of the span") -> Column:
    return Column("sent_id", pa.int32(), meaning, example)


DOCUMENTS = TableSpec(
    "documents",
    "clean",
    "One row per cleaned article; every offset in other tables points into its text.",
    (
        _doc_id(),
        Column("source", pa.string(), "Input file the article was read from", "data/raw/seeds/000_8716f3df5ea4cf20.txt"),
        Column("url", pa.string(), "URL given by the record, if any", "https://example.org/a", nullable=True),
        Column("title", pa.string(), "Headline, once", "« Le risque de conflit est réel » – chef de l'OTAN", nullable=True),
        Column("published", pa.string(), "Publication date, ISO and as precise as the source allows", "2022-12", nullable=True),
        Column("published_precision", pa.string(), "day, month or year; null when unknown", "month", nullable=True),
        Column("text", pa.string(), "Cleaned text: title paragraph, then body; paragraphs separated by a blank line", "Titre\n\nCorps…"),
        Column("n_chars", pa.int32(), "Length of text in characters", "2811"),
        Column("content_sha256", pa.string(), "SHA-256 of text (UTF-8)", "9f2c…"),
        Column("boilerplate", pa.list_(pa.string()), "Lines removed as boilerplate (exact text, stripped)", "['LIRE LA SUITE: …']"),
        Column("warnings", pa.list_(pa.string()), "Non-fatal problems met while reading (e.g. decoded as cp1252)", "['decoded as cp1252']"),
    ),
)

SENTENCES = TableSpec(
    "sentences",
    "sentences",
    "One row per sentence; sentences never cross a paragraph break.",
    (
        _doc_id(),
        _sent_id("2", "Sentence number, 0-based in document order"),
        Column("para_id", pa.int32(), "Paragraph number, 0-based (the title is paragraph 0)", "1"),
        *_offsets("sentence", 308, "Il a également affirmé que l’OTAN s’était attachée à éviter un nouveau conflit mondial."),
    ),
)

TOKENS = TableSpec(
    "tokens",
    "entities",
    "What later stages need from spaCy's single statistical pass: one row per token.",
    (
        _doc_id(),
        Column("token_id", pa.int32(), "Token index in the document (spaCy token.i)", "42"),
        _sent_id("1", "Sentence of the token"),
        *_offsets("token", 235, "déclaré"),
        Column("lemma", pa.string(), "Lemma", "déclarer"),
        Column("pos", pa.string(), "Universal part of speech", "VERB"),
        Column("morph", pa.string(), "Morphological features (UD FEATS)", "Gender=Masc|Number=Sing|Tense=Past|VerbForm=Part"),
        Column("dep", pa.string(), "Dependency relation to the head", "parataxis"),
        Column("head", pa.int32(), "token_id of the syntactic head (itself for a root)", "26"),
    ),
)

ENTITIES = TableSpec(
    "entities",
    "entities",
    "One row per named-entity mention.",
    (
        _doc_id(),
        Column("ent_id", pa.int32(), "Mention number, 0-based in document order", "3"),
        _sent_id("0"),
        *_offsets("mention", 118, "Jens Stoltenberg"),
        Column("label", pa.string(), "PER, ORG, LOC or MISC", "PER"),
        Column("canonical", pa.string(), "Fullest name of the entity in the document", "Jens Stoltenberg"),
        Column("entity_key", pa.string(), "Label and folded canonical name, stable across documents", "PER:jens stoltenberg"),
    ),
)

QUOTES = TableSpec(
    "quotes",
    "quotes",
    "One row per quotation with its speaker and cue.",
    (
        _doc_id(),
        Column("quote_id", pa.int32(), "Quote number, 0-based in document order", "2"),
        _sent_id("2"),
        *_offsets("quoted content (no quote marks, no attribution clause)", 335, "l’OTAN s’était attachée à éviter un nouveau conflit mondial"),
        Column("kind", pa.string(), "direct, indirect or mixed", "indirect"),
        Column("speaker", pa.string(), "Canonical name of the source, or the noun phrase without determiner", "Jens Stoltenberg", nullable=True),
        Column("speaker_label", pa.string(), "PER, ORG, LOC or OTHER", "PER", nullable=True),
        Column("speaker_mention", pa.string(), "Mention of the source nearest the quote, as written", "Il", nullable=True),
        Column("speaker_start", pa.int32(), "Offset of speaker_mention in documents.text", "308", nullable=True),
        Column("speaker_end", pa.int32(), "End offset of speaker_mention", "310", nullable=True),
        Column("entity_key", pa.string(), "entity_key of the speaker when it is a named entity", "PER:jens stoltenberg", nullable=True),
        Column("cue", pa.string(), "Lemma of the speech verb, 'selon' for selon/d'après, null when none", "affirmer", nullable=True),
        Column("cue_start", pa.int32(), "Offset of the cue", "323", nullable=True),
        Column("cue_end", pa.int32(), "End offset of the cue", "330", nullable=True),
    ),
)

DATES = TableSpec(
    "dates",
    "dates",
    "One row per temporal expression, normalised as a TIMEX3 value.",
    (
        _doc_id(),
        Column("date_id", pa.int32(), "Expression number, 0-based in document order", "2"),
        _sent_id("8"),
        *_offsets("temporal expression", 1246, "fin février"),
        Column("type", pa.string(), "DATE, TIME, DURATION or SET", "DATE"),
        Column("value", pa.string(), "ISO-TimeML TIMEX3 value", "2022-02"),
        Column("mod", pa.string(), "START, MID, END, APPROX, MORE_THAN, LESS_THAN…", "END", nullable=True),
        Column("anchor", pa.string(), "What a relative value was resolved against: publication or a date_id", "publication", nullable=True),
        Column("date_start", pa.date32(), "First day covered by the value (DATE/TIME with a known year)", "2022-02-19", nullable=True),
        Column("date_end", pa.date32(), "Last day covered by the value", "2022-02-28", nullable=True),
    ),
)

QUOTE_MENTIONS = TableSpec(
    "quote_mentions",
    "quote_context",
    "Whom a quote is about: one row per entity mention inside a quotation's text; mentions of the quote's own speaker are left out.",
    (
        _doc_id(),
        Column("quote_id", pa.int32(), "The quotation (quotes.quote_id)", "3"),
        Column("ent_id", pa.int32(), "The mention inside it (entities.ent_id)", "9"),
        Column("entity_key", pa.string(), "entity_key of the mentioned entity", "LOC:ukraine"),
        Column("label", pa.string(), "Label of the mention: PER, ORG, LOC or MISC", "LOC"),
    ),
)

QUOTE_DATES = TableSpec(
    "quote_dates",
    "quote_context",
    "When a quote was made: one row per quotation, dated by the first dated expression (DATE or TIME) of the "
    "clause reporting it, outside quoted words and not qualifying a noun, else by the publication date.",
    (
        _doc_id(),
        Column("quote_id", pa.int32(), "The quotation (quotes.quote_id)", "3"),
        Column("dated_by", pa.string(), "clause (a date of the quote's clause) or publication; null when neither gives a date", "clause", nullable=True),
        Column("date_id", pa.int32(), "The dated expression (dates.date_id) when dated_by is clause", "0", nullable=True),
        Column("value", pa.string(), "TIMEX3 value of that expression, or the publication date", "2022-WXX-5", nullable=True),
        Column("date_start", pa.date32(), "First day the date may denote (null when its year is unknown)", "2022-01-01", nullable=True),
        Column("date_end", pa.date32(), "Last day the date may denote", "2022-12-31", nullable=True),
    ),
)

REJECTS = TableSpec(
    "rejects",
    "clean",
    "Every input that did not become a document (or failed a later stage), with the reason.",
    (
        Column("source", pa.string(), "Input file (and line or row) concerned", "data/raw/bad.jsonl:3"),
        Column("doc_id", pa.string(), "Document identifier when known", "a12", nullable=True),
        Column("stage", pa.string(), "Stage that rejected it", "clean"),
        Column("reason", pa.string(), "One-line reason", "empty file"),
    ),
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (DOCUMENTS, SENTENCES, TOKENS, ENTITIES, QUOTES, DATES, QUOTE_MENTIONS, QUOTE_DATES, REJECTS)}

# Which command rebuilds each table, for error messages.
PRODUCER = {
    "documents": "pipeline clean",
    "rejects": "pipeline clean",
    "sentences": "pipeline sentences",
    "tokens": "pipeline entities",
    "entities": "pipeline entities",
    "quotes": "pipeline quotes",
    "dates": "pipeline dates",
    "quote_mentions": "pipeline quote_context",
    "quote_dates": "pipeline quote_context",
}


class TableError(Exception):
    """An upstream table is missing or does not follow the contract."""


def empty_frame(spec: TableSpec) -> pd.DataFrame:
    return _empty_frame(spec).copy()


@functools.lru_cache(maxsize=64)
def _empty_frame(spec: TableSpec) -> pd.DataFrame:
    # Every batch of every stage asks for one (no failed document); converting an empty
    # Arrow table costs about a millisecond, copying this frame a few microseconds.
    return spec.schema.empty_table().to_pandas()


def to_arrow(spec: TableSpec, frame: pd.DataFrame) -> pa.Table:
    """Cast a stage's DataFrame to the table schema; a missing column is a bug."""
    missing = [c for c in spec.column_names if c not in frame.columns]
    if missing:
        raise TableError(f"{spec.name}: the stage produced no column {', '.join(missing)}")
    return pa.Table.from_pandas(frame[spec.column_names], schema=spec.schema, preserve_index=False)


def file_metadata(spec: TableSpec, extra: dict[str, str] | None = None) -> dict[bytes, bytes]:
    meta = dict(spec.schema.metadata or {})
    meta[b"pipeline_version"] = __version__.encode()
    meta[b"stage"] = spec.stage.encode()
    for key, value in (extra or {}).items():
        meta[key.encode()] = str(value).encode()
    return meta


# A table being written is a hidden temporary file until it is renamed into place.
TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"


def _create_temp_file(path: Path) -> Path:
    """A new hidden file beside ``path``; unlike mkstemp's 0600, its mode follows the umask,
    so that the committed table is as readable as any other file the user writes."""
    while True:
        candidate = path.parent / f"{TEMP_PREFIX}{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            return candidate
        except FileExistsError:
            continue


class TableWriter:
    """Writes a table in row groups to a temporary file, renamed into place on close.

    A reader never sees a half-written table: until ``commit`` the previous file (if
    any) stays where it was.
    """

    def __init__(self, spec: TableSpec, path: Path, metadata: dict[str, str] | None = None):
        self.spec = spec
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = _create_temp_file(self.path)
        schema = spec.schema.with_metadata(file_metadata(spec, metadata))
        self._writer = pq.ParquetWriter(self._tmp, schema, compression="zstd")
        self.rows = 0

    def write(self, data: pd.DataFrame | pa.Table) -> None:
        table = data if isinstance(data, pa.Table) else to_arrow(self.spec, data)
        if table.num_rows:
            self._writer.write_table(table.cast(self._writer.schema))
            self.rows += table.num_rows

    def commit(self) -> Path:
        self._writer.close()
        os.replace(self._tmp, self.path)
        _fsync_dir(self.path.parent)
        return self.path

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_table(spec: TableSpec, frame: pd.DataFrame | pa.Table, folder: Path, metadata: dict[str, str] | None = None) -> Path:
    with TableWriter(spec, Path(folder) / spec.file_name, metadata) as writer:
        writer.write(frame)
    return writer.path


def table_path(spec: TableSpec, folder: Path) -> Path:
    return Path(folder) / spec.file_name


def check_schema(spec: TableSpec, path: Path) -> pq.ParquetFile:
    """Open a table and check it against the contract, naming the command that rebuilds it."""
    rebuild = PRODUCER.get(spec.name, "pipeline run")
    if not path.exists():
        raise TableError(f"{path}: missing; run `{rebuild}` first")
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise TableError(f"{path}: not a readable Parquet file ({exc}); rebuild it with `{rebuild}`") from exc
    found = parquet.schema_arrow
    meta = found.metadata or {}
    if meta.get(b"schema_version", b"") != SCHEMA_VERSION.encode():
        raise TableError(f"{path}: written for schema version {meta.get(b'schema_version', b'?').decode()}, expected {SCHEMA_VERSION}; rebuild it with `{rebuild}`")
    for column in spec.columns:
        if column.name not in found.names:
            raise TableError(f"{path}: no column `{column.name}`; rebuild it with `{rebuild}`")
        if not found.field(column.name).type.equals(column.type):
            raise TableError(f"{path}: column `{column.name}` is {found.field(column.name).type}, expected {column.type}; rebuild it with `{rebuild}`")
    return parquet


def read_table(spec: TableSpec, folder: Path, columns: list[str] | None = None, filters=None) -> pd.DataFrame:
    path = table_path(spec, folder)
    check_schema(spec, path)
    table = pq.read_table(path, columns=columns, filters=filters)
    return table.to_pandas()


def documents_fingerprint(folder: Path) -> str:
    """Identity of the documents a table is built from: their ids and content hashes, in order.

    Every table stage records it, so that a table left over from an older set of
    documents (a run interrupted between two stages) is recognised as stale."""
    columns = pq.read_table(table_path(DOCUMENTS, folder), columns=["doc_id", "content_sha256"])
    digest = hashlib.sha256()
    for doc_id, content in zip(columns.column("doc_id").to_pylist(), columns.column("content_sha256").to_pylist()):
        digest.update(f"{doc_id}\x00{content}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def read_metadata(path: Path) -> dict[str, str]:
    meta = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in meta.items()}


class ColumnsByDoc:
    """Columns of a table as Python lists, cut per document on demand.

    Converting whole columns once per batch is far cheaper than pandas filtering or a
    tuple per row, and one document's cuts die with it instead of piling up for the
    garbage collector. Rows keep table order within a document, or are ordered by
    ``order_by`` (ties in table order); only rows in the ``keep`` mask are taken; nulls
    in ``empty_when_null`` columns are read as "". ``span`` and ``ordered`` give the
    same cut to columns a caller keeps as arrays."""

    def __init__(self, frame: pd.DataFrame | None, columns: tuple[str, ...], *, order_by: str | None = None,
                 keep: np.ndarray | None = None, empty_when_null: tuple[str, ...] = ()):
        self._rows: dict[str, tuple[int, int]] = {}
        self._order: np.ndarray | None = None  # rows in document order; None: the table's rows, as they are
        self._columns: list[list] = [[] for _ in columns]
        if frame is None or not len(frame):
            return
        codes, doc_ids = pd.factorize(frame["doc_id"])
        rows = np.arange(len(frame)) if keep is None else np.flatnonzero(keep)
        keys = (codes[rows],) if order_by is None else (frame[order_by].to_numpy(np.int64)[rows], codes[rows])
        order = rows if _sorted(keys) else rows[np.lexsort(keys)]  # lexsort is stable: table order on ties
        self._order = None if keep is None and order is rows else order
        bounds = np.searchsorted(self.ordered(codes), np.arange(len(doc_ids) + 1)).tolist()
        self._rows = {doc_id: (bounds[code], bounds[code + 1]) for code, doc_id in enumerate(doc_ids)}
        self._columns = [self.ordered(_column_values(frame[column], column in empty_when_null)).tolist() for column in columns]

    def ordered(self, values: np.ndarray) -> np.ndarray:
        """Values of the table's rows (in table order) in the order of the cuts."""
        return values if self._order is None else values[self._order]

    def span(self, doc_id: str) -> tuple[int, int]:
        """Where the document's rows are in ``ordered`` values: first, last + 1."""
        return self._rows.get(doc_id, (0, 0))

    def of(self, doc_id: str) -> list[list]:
        """One list per column (empty for a document without rows)."""
        first, last = self.span(doc_id)
        return [column[first:last] for column in self._columns]

    def rows(self, doc_id: str) -> list[tuple]:
        """The document's rows as tuples of the columns."""
        return list(zip(*self.of(doc_id)))


def _sorted(keys: tuple[np.ndarray, ...]) -> bool:
    """Whether rows are already in the order np.lexsort(keys) gives (the last key first),
    so that sorting them would change nothing: most tables are written in that order."""
    codes = keys[-1]
    if (codes < 0).any() or (codes[1:] < codes[:-1]).any():
        return False
    if len(keys) == 1:
        return True
    same_doc = codes[1:] == codes[:-1]
    values = keys[0]
    return not (values[1:] < values[:-1])[same_doc].any()


def _column_values(column: pd.Series, empty_when_null: bool) -> np.ndarray:
    return column.to_numpy(dtype=object, na_value="") if empty_when_null else column.to_numpy()
