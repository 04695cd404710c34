"""The pipeline from Python, for notebooks: ``analyse`` texts in memory, ``load`` a run's tables.

    >>> import pipeline
    >>> t = pipeline.analyse(["Marie Curie a déclaré lundi : « Nous viendrons. »", ...])
    >>> t.quotes                    # pandas DataFrames with the schemas of pipeline/tables.py
    >>> t.sql("SELECT * FROM quote_mentions JOIN entities USING (doc_id, ent_id)")
    >>> run = pipeline.load("outputs")   # the Parquet tables of `pipeline run`, read when first used

``analyse`` runs every stage's own batch function, prepared once per process as the
engine prepares it in a worker (``engine.prepared``: the model is loaded on the first
call and kept for the next ones), on batches of ``[engine] docs_per_batch`` documents,
and keeps every table in memory: nothing is written to disk. Its tables are those
``pipeline run`` writes for the same inputs, row for row.
"""
from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Callable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import Settings, load_settings
from pipeline.query import connect, missing_tables, read_or_empty
from pipeline.readers import Record, Reject, Skipped, checked_records, file_items, record_from_mapping
from pipeline.tables import DOCUMENTS, REJECTS, TABLES, TableSpec, check_schema, table_path, to_arrow

# What analyse reads: an article's text, a record (a mapping with id and text, as in a
# .jsonl line, or a readers.Record), or a file or folder (a pathlib.Path).
Input = str | os.PathLike | Mapping | Record


class Tables(Mapping):
    """The tables of a run by name, as pandas DataFrames: ``t["quotes"]`` or ``t.quotes``.

    ``t.db`` is a DuckDB connection where each table is a view named after it, and
    ``t.sql("SELECT ...")`` runs SQL there and returns a DataFrame. A table is turned into
    a DataFrame when first asked for, once."""

    def __init__(self, read: dict[str, Callable[[], pd.DataFrame]], connection: Callable[[], duckdb.DuckDBPyConnection], origin: str,
                 missing: list[str] | None = None):
        self._read = read
        self._frames: dict[str, pd.DataFrame] = {}
        self._connect = connection
        self._connection: duckdb.DuckDBPyConnection | None = None
        self.origin = origin
        # Tables no stage wrote: they read as empty frames with their columns.
        self.missing = missing or []

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._read:
            raise KeyError(f"no table {name!r}; the tables are {', '.join(self._read)}")
        if name not in self._frames:
            self._frames[name] = self._read[name]()
        return self._frames[name]

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in self._read:
            raise AttributeError(name)
        return self[name]

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self._read]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read)

    def __len__(self) -> int:
        return len(self._read)

    def __repr__(self) -> str:
        return f"<Tables of {self.origin}: {', '.join(self._read)}>"

    @property
    def db(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            self._connection = self._connect()
        return self._connection

    def sql(self, query: str) -> pd.DataFrame:
        return self.db.sql(query).df()


# --------------------------------------------------------------------------- load


def load(folder: str | os.PathLike = "outputs") -> Tables:
    """The tables of a run's output folder (what ``pipeline run --output FOLDER`` wrote).

    A table no stage has written yet reads as an empty frame with its columns (its name
    is in ``t.missing``); a folder without documents.parquet is an error naming the
    command that builds it."""
    folder = Path(folder)
    check_schema(DOCUMENTS, table_path(DOCUMENTS, folder))
    return Tables({name: _reader(spec, folder) for name, spec in TABLES.items()}, lambda: connect(folder), str(folder), missing_tables(folder))


def _reader(spec: TableSpec, folder: Path) -> Callable[[], pd.DataFrame]:
    return lambda: read_or_empty(spec, folder)


# --------------------------------------------------------------------------- analyse


def analyse(inputs: Input | Iterable[Input], *, config: str | os.PathLike | None = None) -> Tables:
    """Run every stage on ``inputs`` in this process and return the tables, in memory.

    ``inputs`` is one input or a list of them: a ``str`` is an article's text (read as a
    .txt file is: an optional `` date YYYY-MM`` first line, the headline, paragraphs
    separated by blank lines), with doc_id ``text-N`` (N its position in ``inputs``); a
    mapping is a record with ``id``, ``text`` and optional ``title``, ``date``, ``url``;
    a ``pathlib.Path`` is a file or folder of any input format. ``config`` is a settings
    file merged over configs/default.toml, as ``--config``. Inputs that cannot be read
    are rows of ``rejects`` with their reason, as in a run. Nothing is written to disk."""
    settings = load_settings(Path(config) if config is not None else None)
    arrow = run_in_memory(_items(inputs, settings), settings)
    return Tables({name: _frame(table) for name, table in arrow.items()}, lambda: _connection(arrow), "analyse()")


def run_in_memory(items: Iterable[Record | Reject | Skipped], settings: Settings) -> dict[str, pa.Table]:
    """Every table of the pipeline for ``items``, as Arrow tables with the contract's schemas.
    Input parts the readers skip (a WARC request record) are left out, as a run leaves them."""
    from pipeline.engine import prepared
    from pipeline.failures import FAILED
    from pipeline.stages import SOURCE_STAGE, TABLE_STAGES

    articles = [item for item in items if not isinstance(item, Skipped)]
    batches = [prepared(SOURCE_STAGE, settings)({"records": chunk}) for chunk in _chunks(articles, settings.docs_per_batch)]
    tables = {spec.name: _concat(spec, [batch[spec.name] for batch in batches]) for spec in SOURCE_STAGE.writes}
    doc_ids = tables[DOCUMENTS.name].column("doc_id").to_pylist()
    rejects = [tables[REJECTS.name]]
    for stage in TABLE_STAGES:
        outputs: dict[str, list[pd.DataFrame]] = {spec.name: [] for spec in stage.writes}
        for frames in _partitions({spec.name: tables[spec.name] for spec in stage.reads}, doc_ids, settings.docs_per_batch):
            result = prepared(stage, settings)(frames)
            for name in outputs:
                outputs[name].append(result[name])
            rejects.append(to_arrow(REJECTS, result[FAILED]))
        tables.update({spec.name: _concat(spec, outputs[spec.name]) for spec in stage.writes})
    tables[REJECTS.name] = pa.concat_tables(rejects)
    return {name: tables[name] for name in TABLES}


def _items(inputs: Input | Iterable[Input], settings: Settings) -> Iterator[Record | Reject | Skipped]:
    """Records and rejects of the inputs, in order, checked as a run checks them."""
    if isinstance(inputs, (str, os.PathLike, Mapping, Record)):
        inputs = [inputs]
    max_bytes = settings.section("clean").get("max_bytes")
    numbered = list(enumerate(inputs))

    def read() -> Iterator[Record | Reject | Skipped]:
        # Consecutive paths are read together, as `pipeline run --input A --input B` reads them.
        for is_path, group in itertools.groupby(numbered, key=lambda item: isinstance(item[1], os.PathLike)):
            if is_path:
                yield from file_items([path for _, path in group], max_bytes)
            else:
                yield from (_record(position, value) for position, value in group)

    return checked_records(read(), max_bytes)


def _record(position: int, value: Any) -> Record | Reject:
    source = f"analyse() input {position}"
    if isinstance(value, Record):
        return value
    if isinstance(value, str):
        return Record(doc_id=f"text-{position}", source=source, text=value)
    if isinstance(value, Mapping):
        return record_from_mapping(dict(value), source, [])
    return Reject(source, f"a {type(value).__name__}, expected a text (str), a record (mapping with id and text) or a pathlib.Path")


def _chunks(items: list, size: int) -> Iterator[list]:
    for first in range(0, len(items), size):
        yield items[first : first + size]


def _partitions(tables: dict[str, pa.Table], doc_ids: list[str], size: int) -> Iterator[dict[str, pd.DataFrame]]:
    """The rows of ``size`` consecutive documents at a time, as one frame per table."""
    offsets = {name: _document_offsets(table, doc_ids) for name, table in tables.items()}
    for first in range(0, len(doc_ids), size):
        stop = min(first + size, len(doc_ids))
        yield {
            name: table.slice(int(offsets[name][first]), int(offsets[name][stop] - offsets[name][first])).to_pandas()
            for name, table in tables.items()
        }


def _document_offsets(table: pa.Table, doc_ids: list[str]) -> np.ndarray:
    """Where each document's rows start in ``table`` (rows in document order), then its length."""
    positions = pc.index_in(table.column("doc_id"), value_set=pa.array(doc_ids, pa.string())).to_numpy(zero_copy_only=False)
    counts = np.bincount(positions.astype(np.int64), minlength=len(doc_ids)) if len(positions) else np.zeros(len(doc_ids), dtype=np.int64)
    return np.concatenate([[0], np.cumsum(counts)])


def _concat(spec: TableSpec, frames: list[pd.DataFrame]) -> pa.Table:
    return pa.concat_tables([spec.schema.empty_table(), *(to_arrow(spec, frame) for frame in frames)])


def _frame(table: pa.Table) -> Callable[[], pd.DataFrame]:
    return table.to_pandas


def _connection(tables: dict[str, pa.Table]) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for name, table in tables.items():
        connection.register(name, table)
    return connection
