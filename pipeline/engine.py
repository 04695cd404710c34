"""How a stage runs over many documents: streaming batches in document order.

Stages own *what* (plain functions from DataFrames to DataFrames); the engine owns
*how*: reading upstream tables batch by batch, handing each batch to the stage's
worker function, and writing the results as row groups of an atomically committed
table. Every table is kept in the document order of ``documents.parquet`` so that
upstream tables can be streamed side by side without loading them whole.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd
import pyarrow.parquet as pq

from pipeline.config import Settings
from pipeline.failures import FAILED, isolate_failures, record_stage_rejects
from pipeline.tables import DOCUMENTS, TableSpec, TableWriter, check_schema, documents_fingerprint, table_path

Frames = dict[str, pd.DataFrame]
BatchFunction = Callable[[Frames], Frames]


@dataclass(frozen=True)
class Stage:
    """A table stage: reads upstream tables, writes its own, one batch of documents at a time."""

    name: str
    version: str
    reads: tuple[TableSpec, ...]
    writes: tuple[TableSpec, ...]
    # Builds the per-batch function once per process (loads models, lexicons...).
    prepare: Callable[[Settings], BatchFunction]
    description: str = ""


@dataclass
class StageReport:
    stage: str
    documents: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class DocStream:
    """Rows of one table, in file order, handed out document by document."""

    def __init__(self, spec: TableSpec, folder: Path, columns: list[str] | None = None):
        parquet = check_schema(spec, table_path(spec, folder))
        self._batches = parquet.iter_batches(columns=columns, batch_size=8192)
        self._pending: pd.DataFrame | None = None
        self.spec = spec

    def _fill(self) -> bool:
        for batch in self._batches:
            frame = batch.to_pandas()
            if len(frame):
                self._pending = frame if self._pending is None or not len(self._pending) else pd.concat([self._pending, frame], ignore_index=True)
                return True
        return False

    def take(self, doc_ids: list[str]) -> pd.DataFrame:
        """All rows of these documents, which must come next in the file."""
        wanted = set(doc_ids)
        parts: list[pd.DataFrame] = []
        while True:
            if self._pending is None or not len(self._pending):
                if not self._fill():
                    break
            pending = self._pending
            inside = pending["doc_id"].isin(wanted).to_numpy()
            if inside.all():
                parts.append(pending)
                self._pending = None
                continue
            first_outside = int((~inside).argmax())
            parts.append(pending.iloc[:first_outside])
            self._pending = pending.iloc[first_outside:].reset_index(drop=True)
            break
        if not parts:
            return pd.DataFrame(columns=self.spec.column_names)
        return pd.concat(parts, ignore_index=True)


def document_batches(folder: Path, size: int, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    parquet = check_schema(DOCUMENTS, table_path(DOCUMENTS, folder))
    for batch in parquet.iter_batches(batch_size=size, columns=columns):
        yield batch.to_pandas()


def run_stage(stage: Stage, settings: Settings, folder: Path, progress: Callable[[int], None] | None = None) -> StageReport:
    """Run one table stage over every document of ``folder``/documents.parquet."""
    started = time.perf_counter()
    report = StageReport(stage.name)
    function = isolate_failures(stage.name, stage.writes, stage.prepare(settings))
    failed: list[pd.DataFrame] = []
    upstream = [spec for spec in stage.reads if spec is not DOCUMENTS]
    streams = {spec.name: DocStream(spec, folder) for spec in upstream}
    writers = _open_writers(stage, settings, folder)
    try:
        for documents in document_batches(folder, settings.docs_per_batch):
            doc_ids = documents["doc_id"].tolist()
            frames: Frames = {"documents": documents}
            frames.update({name: stream.take(doc_ids) for name, stream in streams.items()})
            outputs = function(frames)
            failed.append(outputs[FAILED])
            _write_outputs(writers, outputs)
            report.documents += len(documents)
            if progress:
                progress(len(documents))
    except BaseException:
        _abort(writers)
        raise
    report = _commit(writers, report, started)
    report.rows["rejects"] = record_stage_rejects(folder, stage.name, failed)
    return report


def count_documents(folder: Path) -> int:
    return pq.ParquetFile(table_path(DOCUMENTS, folder)).metadata.num_rows


def run_source_stage(stage: Stage, items: Iterable, settings: Settings, folder: Path, progress: Callable[[int], None] | None = None) -> StageReport:
    """Run the first stage, whose input is a stream of records rather than tables.

    ``stage.prepare`` returns a function taking ``{"records": [...]}``.
    """
    started = time.perf_counter()
    report = StageReport(stage.name)
    function = stage.prepare(settings)
    writers = _open_writers(stage, settings, folder)
    try:
        for chunk in _chunks(items, settings.docs_per_batch):
            _write_outputs(writers, function({"records": chunk}))
            report.documents += len(chunk)
            if progress:
                progress(len(chunk))
    except BaseException:
        _abort(writers)
        raise
    return _commit(writers, report, started)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _open_writers(stage: Stage, settings: Settings, folder: Path) -> dict[str, TableWriter]:
    metadata = {"config_hash": settings.stage_fingerprint(stage.name), "stage_version": stage.version, "model": settings.model_name}
    if DOCUMENTS not in stage.writes:
        metadata["documents_sha256"] = documents_fingerprint(folder)
    return {spec.name: TableWriter(spec, table_path(spec, folder), metadata) for spec in stage.writes}


def _write_outputs(writers: dict[str, TableWriter], outputs: Frames) -> None:
    for name, writer in writers.items():
        writer.write(outputs[name])


def _abort(writers: dict[str, TableWriter]) -> None:
    for writer in writers.values():
        writer.abort()


def _commit(writers: dict[str, TableWriter], report: StageReport, started: float) -> StageReport:
    for name, writer in writers.items():
        writer.commit()
        report.rows[name] = writer.rows
    report.seconds = time.perf_counter() - started
    return report
