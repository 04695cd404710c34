"""How a stage runs over many documents: batches, workers, Dask, incremental skip.

Stages own *what* (plain functions from DataFrames to DataFrames); the engine owns
*how*. A table stage runs over *partitions*: consecutive documents of
``documents.parquet`` (``[engine] docs_per_batch`` of them). A partition task reads its
own rows from Parquet (documents, upstream tables, and the previous version of the
stage's tables for documents it can carry over), calls the stage function on the
documents that changed, and hands back its slice of every output table in document
order. The same task runs in this process, in a pool of worker processes, or on Dask
workers; results are written in partition order, so every engine writes the same rows
in the same order.

Incremental re-runs: each stage keeps a manifest ``_state/<stage>.parquet`` next to its
tables, one row per document: a fingerprint of everything the stage's output for that
document depends on, and the document's row count in each table. The clean stage's
fingerprint hashes the raw record, the stage's settings and version; a later stage's
hashes the fingerprints of its upstream stages for that document plus its own settings
and version. A document whose fingerprint is unchanged is carried over from the previous
table instead of recomputed. Tables carry a random ``run_token`` in their metadata, and
the manifest names the token of each table it describes: a manifest whose tokens do not
match the tables (a crash between the two commits) is ignored, so it never claims work
the tables do not hold.

What a document's rows depend on: the manifest also keeps, per document and table, a
hash of the document's rows (``document_hashes``). A later stage fingerprints a document
by the hashes of the rows it reads, not by how the upstream stage was configured: the
dates stage re-runs when a document's tokens change, not because the entity lexicon
(which makes no token) did. A stage's own identity (``stage_key``) is its code version
(``pipeline.versions``: a hash of its modules), its settings and the lexicons they name,
and, for a stage that parses, the model's name and version.

Inside a stage, finished partitions are committed as checkpoints
(``pipeline.checkpoints``): a run killed mid-stage resumes at the partitions it lost.
"""
from __future__ import annotations

import atexit
import gc
import hashlib
import importlib
import json
import logging
import os
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from itertools import chain
from multiprocessing import forkserver, get_all_start_methods, get_context
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.checkpoints import PARTS_FOLDER, Checkpoint, Done, discard_part_folders
from pipeline.config import Settings
from pipeline.failures import FAILED, isolate_failures, record_stage_rejects
from pipeline.faults import fault_point
from pipeline.processes import PARENT_VARIABLE, fork_server_pid, pool_processes, stop_fork_server, worker_started
from pipeline.tables import (
    DOCUMENTS,
    REJECTS,
    Column,
    TableError,
    TableSpec,
    TABLES,
    TableWriter,
    check_schema,
    documents_fingerprint,
    read_metadata,
    table_path,
    to_arrow,
)
from pipeline.versions import code_version, model_identity

Frames = dict[str, pd.DataFrame]
BatchFunction = Callable[[Frames], Frames]
Progress = Callable[[int], None]

STATE_FOLDER = "_state"
# Partitions queued per worker: enough to keep workers busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 2
# Imported by a worker pool's fork server; it calls prepare_from_environment.
PRELOAD_MODULE = "pipeline.preload"


@dataclass(frozen=True)
class Stage:
    """A table stage: reads upstream tables, writes its own, one batch of documents at a time."""

    name: str
    reads: tuple[TableSpec, ...]
    writes: tuple[TableSpec, ...]
    # Builds the per-batch function once per process (loads models, lexicons...).
    prepare: Callable[[Settings], BatchFunction]
    description: str = ""
    # Parses with the spaCy model: its name and version are part of the stage's identity.
    uses_model: bool = False
    # The module whose code, with the modules it imports, makes the stage's version
    # (default: the module defining ``prepare``; a test's wrapper keeps the stage's own).
    code: str = ""
    # The columns it reads of each table it reads, (table, columns) pairs; a table not
    # named is read whole. ``doc_id`` (and the documents' ``source``, which a reject
    # names) are read in any case.
    columns: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __post_init__(self) -> None:
        if not self.code:
            object.__setattr__(self, "code", self.prepare.__module__)

    @property
    def version(self) -> str:
        """Changes whenever the stage's code does (see ``pipeline.versions``)."""
        return code_version(self.code)

    def columns_read(self, spec: TableSpec) -> list[str] | None:
        """The columns of ``spec`` the stage reads, in table order (None: all of them)."""
        declared = dict(self.columns).get(spec.name)
        if declared is None:
            return None
        always = {"doc_id", "source"} if spec.name == DOCUMENTS.name else {"doc_id"}
        return [name for name in spec.column_names if name in always or name in declared]


@dataclass
class StageReport:
    stage: str
    documents: int = 0  # documents the stage function processed
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    carried: int = 0  # documents carried over unchanged from the previous run
    resumed: int = 0  # documents of partitions a killed run had finished (checkpoints)
    # Seconds spent preparing the stage (loading a model, lexicons) or waiting for workers
    # to be prepared; not counted in ``seconds``, so that a stage's time is its work.
    load_seconds: float = 0.0
    # Input parts that are no articles (a WARC's requests, images...), counted by what they are.
    skipped: dict[str, int] = field(default_factory=dict)


RUN_SUMMARY = "last_run.json"


def write_run_summary(folder: Path, reports: list[StageReport]) -> Path:
    """The last command's per-stage figures as JSON, for programs (the benchmark) that
    should not parse what the console shows."""
    path = Path(folder) / STATE_FOLDER / RUN_SUMMARY
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps([asdict(report) for report in reports], indent=1), encoding="utf-8")
    os.replace(temporary, path)
    return path


def count_documents(folder: Path) -> int:
    return pq.ParquetFile(table_path(DOCUMENTS, folder)).metadata.num_rows


# --------------------------------------------------------------------------- prepare, once per process

_PREPARED: dict[tuple[str, str, str, Callable], BatchFunction] = {}
_PREPARE_LOCK = threading.Lock()
# gc.freeze() (below) keeps objects from ever being freed; at exit, extension modules that
# check for leaks (DuckDB's nanobind, in a process that also queried) would report them.
atexit.register(gc.unfreeze)


def prepared(stage: Stage, settings: Settings) -> BatchFunction:
    """The stage's batch function, built once per process (and per stage settings)."""
    # The prepare function is part of the key: two stages may share a name (a test's wrapper).
    key = (stage.name, stage.version, settings.stage_fingerprint(stage.name), stage.prepare)
    with _PREPARE_LOCK:
        if key not in _PREPARED:
            # A document that makes the stage fail becomes a reject; the others go on.
            _PREPARED[key] = isolate_failures(stage.name, stage.writes, stage.prepare(settings))
            # What was just loaded (a model, lexicons) lives as long as the process: spare
            # it the collector's full passes, which batches of short-lived rows trigger.
            gc.freeze()
        return _PREPARED[key]


def timed_prepared(stage: Stage, settings: Settings) -> tuple[BatchFunction, float]:
    """``prepared``, and the seconds it took (next to nothing once prepared)."""
    started = time.perf_counter()
    function = prepared(stage, settings)
    return function, time.perf_counter() - started


# Names the settings and stages a worker pool's fork server prepares (see ProcessPool.warm).
PRELOAD_VARIABLE = "PIPELINE_PRELOAD"
# Names a file the fork server writes to once it has prepared them.
READY_VARIABLE = "PIPELINE_PRELOAD_READY"


def preload_payload(settings: Settings, stages: Sequence[Stage]) -> str | None:
    """JSON naming the settings and the stages (module and attribute of each), or None when
    they cannot be named so: a stage that is no module's attribute, settings that are not
    plain data."""
    references = [_reference(stage) for stage in stages]
    if None in references:
        return None
    try:
        return json.dumps({
            # Python 3.11's fork server does not take the parent's sys.path, which stages
            # defined outside the installed package (a test's) need.
            "path": sys.path,
            "settings": {"raw": settings.raw, "config_dir": str(settings.config_dir), "sources": [str(path) for path in settings.sources]},
            "stages": references,
        })
    except TypeError:
        return None


def _reference(stage: Stage) -> list[str] | None:
    module = sys.modules.get(getattr(stage.prepare, "__module__", ""))
    names = [name for name, value in vars(module).items() if value is stage] if module else []
    return [module.__name__, names[0]] if names else None


def prepare_from_environment() -> None:
    """Prepare the stages that PRELOAD_VARIABLE names, in this process (the fork server)."""
    payload = os.environ.get(PRELOAD_VARIABLE)
    if not payload:
        return
    try:
        work = json.loads(payload)
        sys.path[:] = work["path"]
        raw, config_dir, sources = work["settings"]["raw"], Path(work["settings"]["config_dir"]), work["settings"]["sources"]
        settings = Settings(raw, config_dir, tuple(Path(source) for source in sources))
        for module, name in work["stages"]:
            stage = getattr(importlib.import_module(module), name)
            if isinstance(stage, Stage):
                prepared(stage, settings)
    except Exception:  # noqa: BLE001 - each worker prepares again and reports the error per partition
        pass
    finally:
        _say_ready(os.environ.get(READY_VARIABLE))


def _say_ready(path: str | None) -> None:
    if path:
        try:
            Path(path).write_text("ready", encoding="utf-8")
        except OSError:  # the run waits for the workers instead
            pass


# --------------------------------------------------------------------------- reading row ranges


def keyed(spec: TableSpec) -> bool:
    """Tables whose every row belongs to a document; those are carried over per document."""
    return any(column.name == "doc_id" and not column.nullable for column in spec.columns)


class RangeReader:
    """Row ranges of a Parquet file, decoding only the row groups they touch."""

    def __init__(self, path: Path, columns: list[str] | None = None):
        self._file = pq.ParquetFile(path)
        self._columns = columns
        sizes = [self._file.metadata.row_group(i).num_rows for i in range(self._file.num_row_groups)]
        self._starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self._cached: tuple[int, pa.Table] | None = None

    def _group(self, index: int) -> pa.Table:
        # Documents keep their order from run to run, so the group needed next is
        # usually the last one decoded; any order works, only slower.
        if self._cached is None or self._cached[0] != index:
            self._cached = (index, self._file.read_row_group(index, columns=self._columns))
        return self._cached[1]

    def read(self, start: int, stop: int) -> pa.Table:
        if stop <= start:
            return self._file.schema_arrow.empty_table().select(self._columns) if self._columns else self._file.schema_arrow.empty_table()
        first = int(np.searchsorted(self._starts, start, side="right")) - 1
        last = int(np.searchsorted(self._starts, stop, side="left")) - 1
        pieces = []
        for index in range(first, last + 1):
            offset = int(self._starts[index])
            group = self._group(index)
            lo, hi = max(start - offset, 0), min(stop - offset, group.num_rows)
            pieces.append(group.slice(lo, hi - lo))
        return pa.concat_tables(pieces)


# --------------------------------------------------------------------------- manifests


def manifest_spec(stage: Stage) -> TableSpec:
    counts = tuple(Column(f"rows_{spec.name}", pa.int32(), f"Rows of this document in {spec.file_name}", "12") for spec in stage.writes if keyed(spec))
    hashes = tuple(
        Column(f"hash_{spec.name}", pa.string(), f"Hash of this document's rows in {spec.file_name}", "9c1e…", nullable=True)
        for spec in stage.writes if keyed(spec)
    )
    return TableSpec(
        f"{STATE_FOLDER}_{stage.name}",
        stage.name,
        f"Per-document state of the {stage.name} stage, for incremental re-runs.",
        (
            Column("doc_id", pa.string(), "Document identifier", "a12"),
            Column("fingerprint", pa.string(), "Hash of the stage's inputs for this document, settings and version", "3f2a…", nullable=True),
            *counts,
            *hashes,
        ),
    )


@dataclass
class Manifest:
    """What a stage wrote for each document, in table order."""

    doc_ids: list[str]
    fingerprints: list[str | None]
    rows: dict[str, np.ndarray]  # table name -> rows per document
    hashes: dict[str, list[str | None]]  # table name -> hash of the document's rows (None: unknown)

    def __post_init__(self) -> None:
        self.position = {doc_id: index for index, doc_id in enumerate(self.doc_ids)}
        self.offsets = {name: np.concatenate([[0], np.cumsum(counts)]).astype(np.int64) for name, counts in self.rows.items()}

    def row_range(self, table: str, first: int, stop: int) -> tuple[int, int]:
        """Rows of ``table`` holding documents ``first`` to ``stop - 1``."""
        return int(self.offsets[table][first]), int(self.offsets[table][stop])


def _token_key(table: str) -> str:
    return f"run_token:{table}"


def manifest_path(stage_name: str, folder: Path) -> Path:
    return Path(folder) / STATE_FOLDER / f"{stage_name}.parquet"


def load_manifest(stage_name: str, folder: Path) -> Manifest | None:
    """A stage's manifest, or None when absent or not describing the tables on disk."""
    path = manifest_path(stage_name, folder)
    if not path.exists():
        return None
    try:
        meta = read_metadata(path)
        manifest = pq.read_table(path)
        tables = [column.removeprefix("rows_") for column in manifest.column_names if column.startswith("rows_")]
        for name in tables:
            table = table_path(TABLES[name], folder)
            if not table.exists() or read_metadata(table).get("run_token") != meta.get(_token_key(name)):
                return None
    except (OSError, KeyError, pa.ArrowException):
        return None
    rows = {name: manifest.column(f"rows_{name}").to_numpy().astype(np.int64) for name in tables}
    unknown = [None] * manifest.num_rows
    hashes = {name: manifest.column(f"hash_{name}").to_pylist() if f"hash_{name}" in manifest.column_names else unknown for name in tables}
    return Manifest(manifest.column("doc_id").to_pylist(), manifest.column("fingerprint").to_pylist(), rows, hashes)


def _manifest_or_counts(specs: Sequence[TableSpec], folder: Path, doc_ids: list[str], manifests: dict[str, Manifest | None]) -> dict[str, np.ndarray]:
    """Rows per document of upstream tables, from their manifest or, lacking one, from the table."""
    counts: dict[str, np.ndarray] = {}
    for spec in specs:
        manifest = manifests.get(spec.stage)
        if manifest is not None and spec.name in manifest.rows:
            if manifest.doc_ids != doc_ids:
                raise TableError(f"{table_path(spec, folder)}: out of date with documents.parquet; run `pipeline {spec.stage}` first")
            counts[spec.name] = manifest.rows[spec.name]
        else:
            counts[spec.name] = _count_rows(spec, folder, doc_ids)
    return counts


def _count_rows(spec: TableSpec, folder: Path, doc_ids: list[str]) -> np.ndarray:
    parquet = check_schema(spec, table_path(spec, folder))
    column = parquet.read(columns=["doc_id"]).column("doc_id")
    return _rows_per_document(column, doc_ids, str(table_path(spec, folder)))


def _rows_per_document(doc_id_column: pa.ChunkedArray, doc_ids: list[str], what: str) -> np.ndarray:
    """Rows per document of a column of doc_ids, which must follow ``doc_ids``' order."""
    positions = pc.index_in(doc_id_column, value_set=pa.array(doc_ids, pa.string()))
    if positions.null_count or (np.diff(positions.to_numpy()) < 0).any():
        raise TableError(f"{what}: rows are not in the document order of documents.parquet; rebuild it")
    return np.bincount(positions.to_numpy().astype(np.int64), minlength=len(doc_ids))


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def stage_key(stage: Stage, settings: Settings) -> str:
    """The stage's identity: code version, settings and the lexicons they name, the model."""
    model = f":{model_identity(settings.model_name)}" if stage.uses_model else ""
    return f"{stage.name}:{stage.version}:{settings.stage_fingerprint(stage.name)}{model}"


def document_hashes(table: pa.Table, counts: np.ndarray, wanted: Sequence[bool]) -> list[str | None]:
    """For each document (``counts[i]`` consecutive rows of ``table``, in order) that is
    ``wanted``: a hash of its rows' content, the same whatever rows surround them."""
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    table = table.combine_chunks()
    hashes: list[str | None] = []
    for index, want in enumerate(wanted):
        if not want:
            hashes.append(None)
            continue
        digest = hashlib.blake2b(digest_size=12)
        rows = int(offsets[index + 1] - offsets[index])
        if rows:  # a document without rows hashes as nothing, however the table is chunked
            for batch in table.slice(int(offsets[index]), rows).to_batches():
                digest.update(batch.serialize())
        hashes.append(digest.hexdigest())
    return hashes


def record_fingerprint(record: Any, key: str) -> str:
    return _hash(key, json.dumps(asdict(record), sort_keys=True, ensure_ascii=False, default=str))


# --------------------------------------------------------------------------- partitions


@dataclass(frozen=True)
class Partition:
    """One task: consecutive documents, which of them to recompute, where their rows are."""

    index: int
    stage: Stage
    settings: Settings
    folder: str
    doc_range: tuple[int, int]  # rows of documents.parquet
    doc_ids: tuple[str, ...]
    fresh: tuple[bool, ...]
    upstream: dict[str, tuple[int, int]]  # upstream table -> row range of these documents
    carried: dict[str, tuple[tuple[int, int], ...]]  # own keyed table -> old row range per document
    known_hashes: dict[str, tuple[str | None, ...]]  # own keyed table -> old row hash per document (None: to compute)
    key: str  # names the partition's part files; the same key means the same rows
    part_folder: str  # where the part files go (the run's checkpoint folder)
    rejected: str | None = None  # set: reject the fresh documents with this reason, compute nothing


@dataclass
class PartitionResult:
    index: int
    documents: int
    processed: int
    counts: dict[str, np.ndarray]  # keyed table -> rows per document of the partition
    hashes: dict[str, list[str | None]]  # keyed table -> hash of each document's rows
    parts: dict[str, str]  # table -> part file name in the checkpoint folder
    failed: pd.DataFrame | None = None  # reject rows of the documents the stage failed on
    load_seconds: float = 0.0  # preparing the stage in the process that ran the partition


_READERS = threading.local()


def _reader(path: Path, columns: list[str] | None = None) -> RangeReader:
    """One reader per file and thread, so a worker decodes each row group once."""
    cache = getattr(_READERS, "cache", None)
    if cache is None:
        cache = _READERS.cache = {}
    # A rewritten table is a new inode (renamed into place) while the old one is held open.
    status = os.stat(path)
    key = (str(path), status.st_ino, status.st_mtime_ns, tuple(columns or ()))
    if key not in cache:
        if len(cache) >= 16:
            cache.clear()
        cache[key] = RangeReader(path, columns)
    return cache[key]


def run_partition(partition: Partition) -> PartitionResult:
    """Compute one partition: the stage function on fresh documents, old rows for the rest;
    write its part files and say what they hold."""
    folder = Path(partition.folder)
    stage = partition.stage
    fresh_ids = [doc_id for doc_id, fresh in zip(partition.doc_ids, partition.fresh) if fresh]
    outputs: dict[str, pa.Table] = {}
    failed = None
    load_seconds = 0.0
    if partition.rejected is not None:
        failed = _rejected_rows(partition, fresh_ids)
    elif fresh_ids:
        wanted = set(fresh_ids)
        frames: Frames = {}
        for spec in stage.reads:
            rows = partition.doc_range if spec.name == DOCUMENTS.name else partition.upstream[spec.name]
            frame = _reader(table_path(spec, folder), stage.columns_read(spec)).read(*rows).to_pandas()
            if len(fresh_ids) < len(partition.doc_ids):
                frame = frame[frame["doc_id"].isin(wanted)].reset_index(drop=True)
            frames[spec.name] = frame
        function, load_seconds = timed_prepared(stage, partition.settings)
        result = function(frames)
        outputs = {spec.name: to_arrow(spec, result[spec.name]) for spec in stage.writes}
        failed = result[FAILED]
        fault_point(stage.name, partition.index, "computed")
    tables: dict[str, pa.Table] = {}
    counts: dict[str, np.ndarray] = {}
    hashes: dict[str, list[str | None]] = {}
    for spec in stage.writes:
        fresh_table = outputs.get(spec.name, spec.schema.empty_table())
        if keyed(spec):
            old = _reader(table_path(spec, folder)) if not all(partition.fresh) else None
            fresh_table, counts[spec.name] = merge_rows(spec, partition.fresh, fresh_ids, fresh_table, partition.carried.get(spec.name, ()), old, stage.name)
            hashes[spec.name] = _complete_hashes(fresh_table, counts[spec.name], partition.known_hashes.get(spec.name, ()))
        tables[spec.name] = fresh_table
    parts = {spec.name: _write_part(tables[spec.name], Path(partition.part_folder), f"{spec.name}-{partition.key}") for spec in stage.writes}
    return PartitionResult(partition.index, len(partition.doc_ids), len(fresh_ids), counts, hashes, parts, failed, load_seconds)


def _complete_hashes(table: pa.Table, counts: np.ndarray, known: Sequence[str | None]) -> list[str | None]:
    """The known hashes, and those of the documents whose hash is not known yet."""
    known = list(known) or [None] * len(counts)
    computed = document_hashes(table, counts, [value is None for value in known])
    return [value if value is not None else new for value, new in zip(known, computed)]


# A partition whose worker process died twice (an out-of-memory kill, a crash in native code).
WORKER_DIED = "the worker process computing its batch died twice (killed: out of memory?); the batch's documents are rejected"


def _rejected_rows(partition: Partition, fresh_ids: list[str]) -> pd.DataFrame:
    documents = _reader(table_path(DOCUMENTS, Path(partition.folder)), ["doc_id", "source"]).read(*partition.doc_range).to_pandas()
    documents = documents[documents["doc_id"].isin(set(fresh_ids))]
    return pd.DataFrame({"source": documents["source"].tolist(), "doc_id": documents["doc_id"].tolist(), "stage": partition.stage.name, "reason": partition.rejected}, columns=REJECTS.column_names)


def merge_rows(
    spec: TableSpec,
    fresh: Sequence[bool],
    fresh_ids: list[str],
    fresh_table: pa.Table,
    carried: Sequence[tuple[int, int]],
    old: RangeReader | None,
    stage_name: str,
) -> tuple[pa.Table, np.ndarray]:
    """Rows of one table for a run of documents, in their order: fresh rows, and old rows
    (``carried[i]``, a row range of the old table) for the documents not recomputed.
    Returns the table and the number of rows of each document."""
    fresh_counts = _rows_per_document(fresh_table.column("doc_id"), fresh_ids, f"stage {stage_name}, table {spec.name}")
    if len(fresh_ids) == len(fresh):
        return fresh_table, fresh_counts
    fresh_offsets = np.concatenate([[0], np.cumsum(fresh_counts)]).astype(np.int64)
    pieces: list[pa.Table] = []
    counts = np.zeros(len(fresh), dtype=np.int64)
    next_fresh = 0
    for index, is_fresh in enumerate(fresh):
        if is_fresh:
            start, stop = fresh_offsets[next_fresh], fresh_offsets[next_fresh + 1]
            piece = fresh_table.slice(int(start), int(stop - start))
            next_fresh += 1
        else:
            piece = old.read(*carried[index]).cast(fresh_table.schema)
        counts[index] = piece.num_rows
        pieces.append(piece)
    return (pa.concat_tables(pieces) if pieces else fresh_table), counts


def _write_part(table: pa.Table, part_folder: Path, stem: str) -> str:
    """Write a part file complete or not at all; never create the folder: a task of a dead
    client, whose folder a later run removed, must fail rather than write anywhere."""
    name = f"{stem}.parquet"
    temporary = part_folder / f".{name}.{uuid.uuid4().hex[:12]}.tmp"
    try:
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, part_folder / name)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return name


def _result_tables(result: PartitionResult, stage: Stage, checkpoint: Checkpoint) -> dict[str, pa.Table]:
    return {spec.name: pq.read_table(checkpoint.path(result.parts[spec.name])).cast(spec.schema) for spec in stage.writes}


# --------------------------------------------------------------------------- executors


class Executor(Protocol):
    workers: int
    waited: float  # seconds spent so far waiting for workers to be prepared (warm)

    def map(self, partitions: Iterable[Partition], expected: int) -> Iterator[PartitionResult]: ...

    def warm(self, settings: Settings, stages: Sequence[Stage]) -> None:
        """Start preparing ``stages`` where partitions will run, if that can go on while this
        process does other work."""

    def close(self, abandon: bool = False) -> None:
        """Release the workers; ``abandon``: the run is stopping, do not wait for them."""


class InProcess:
    """Runs partitions one after the other in this process."""

    workers = 1
    waited = 0.0

    def map(self, partitions: Iterable[Partition], expected: int) -> Iterator[PartitionResult]:
        return (run_partition(partition) for partition in partitions)

    def warm(self, settings: Settings, stages: Sequence[Stage]) -> None:
        """Nothing ahead of time: preparing here would hold up this process."""

    def close(self, abandon: bool = False) -> None:
        """Nothing to release."""


def _done(result: PartitionResult) -> Future:
    future: Future = Future()
    future.set_result(result)
    return future


def _rejected(partition: Partition, reason: str) -> PartitionResult:
    """The partition with its fresh documents rejected for ``reason`` (computed here: only
    old rows are copied)."""
    return run_partition(replace(partition, rejected=reason))


# BLAS and OpenMP pools default to one thread per core; with one worker per core that
# oversubscribes the machine, so each worker process keeps to one thread.
THREAD_LIMITS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "NUMEXPR_NUM_THREADS")}


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for child processes started inside the block."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class ProcessPool:
    """Runs partitions in worker processes; each worker prepares a stage once.

    Started on first use and kept for every stage of the run. A stage with a single
    partition to compute runs in this process instead: starting workers and loading a
    model in each would cost more than it saves.

    Workers are forked from a fork server (spawned where there is none). The server has
    imported the pipeline, so workers do not import it again; after ``warm`` it has also
    prepared the stages, so the model is loaded once for all workers (they share its pages)
    while this process is still cleaning, instead of once per worker. The server and the
    workers die with their parent (``pipeline.processes``).

    A worker that dies (an out-of-memory kill) breaks the whole pool, and every partition
    in flight is lost with it: each is run again alone, in a fresh pool. One whose worker
    dies again is the culprit: its documents are rejected (``WORKER_DIED``) and the run
    goes on.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self.waited = 0.0
        self._warmed = False
        self._pool: ProcessPoolExecutor | None = None
        self._forking = "forkserver" in get_all_start_methods()
        self._server_started = False
        self._ready_file: Path | None = None

    def warm(self, settings: Settings, stages: Sequence[Stage]) -> None:
        if not self._forking or self._server_started:
            return
        payload = preload_payload(settings, stages)
        if payload is not None:
            descriptor, name = tempfile.mkstemp(prefix="pipeline-ready-")
            os.close(descriptor)
            self._ready_file = Path(name)
            self._start_server({PRELOAD_VARIABLE: payload, READY_VARIABLE: name})
            self._warmed = True

    def _preparing(self) -> bool:
        """The fork server is still preparing the stages: no worker can be forked yet."""
        try:
            return self._warmed and self._pool is None and self._ready_file is not None and self._ready_file.stat().st_size == 0
        except OSError:
            return False

    def _start_server(self, environment: dict[str, str]) -> None:
        # The server's children inherit its environment: thread limits and what to prepare;
        # the server itself reads whom to die with.
        forkserver.set_forkserver_preload([PRELOAD_MODULE])
        with _environment({**THREAD_LIMITS, PARENT_VARIABLE: str(os.getpid()), **environment}):
            forkserver.ensure_running()
        self._server_started = True

    def _new_pool(self) -> ProcessPoolExecutor:
        if self._forking:
            if not self._server_started:
                self._start_server({})
            context, parent = get_context("forkserver"), fork_server_pid()
        else:
            # spawn: forking a process that already runs Arrow's threads is unsafe.
            context, parent = get_context("spawn"), os.getpid()
        with _environment(THREAD_LIMITS):
            return ProcessPoolExecutor(self.workers, mp_context=context, initializer=worker_started, initargs=(parent,))

    def map(self, partitions: Iterable[Partition], expected: int) -> Iterator[PartitionResult]:
        if expected <= 1:
            return InProcess().map(partitions, expected)
        partitions = iter(partitions)
        first = next(partitions, None)
        if first is None:
            return iter(())
        partitions = chain([first], partitions)
        if not first.stage.uses_model and self._preparing():
            # A stage without the model (sentences) runs here while the fork server is
            # still loading the model on the other core, instead of waiting for it.
            return InProcess().map(partitions, expected)
        if self._pool is None:
            self._pool = self._new_pool()
            if self._warmed:
                # The fork server forks no worker before it has prepared the stages (loaded
                # the model): wait for that here, so that it counts as loading, not as the
                # work of the first stage that uses workers.
                started = time.perf_counter()
                self._pool.submit(os.getpid).result()
                self.waited += time.perf_counter() - started
        return self._results(partitions)

    def _results(self, partitions: Iterable[Partition]) -> Iterator[PartitionResult]:
        """Results in submission order, with at most 2 x workers partitions queued or running."""
        pending: deque[tuple[Partition, Future]] = deque()
        for partition in partitions:
            pending.append((partition, self._submit(partition)))
            if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                yield self._next(pending)
        while pending:
            yield self._next(pending)

    def _submit(self, partition: Partition) -> Future:
        try:
            return self._pool.submit(run_partition, partition)
        except BrokenProcessPool as broken:  # a worker died since the last result: lost too
            future: Future = Future()
            future.set_exception(broken)
            return future

    def _next(self, pending: deque[tuple[Partition, Future]]) -> PartitionResult:
        try:
            pending[0][1].result()
        except BrokenProcessPool:
            self._run_lost_alone(pending)
        return pending.popleft()[1].result()

    def _run_lost_alone(self, pending: deque[tuple[Partition, Future]]) -> None:
        lost = [index for index, (_, future) in enumerate(pending) if isinstance(future.exception(), BrokenProcessPool)]
        stage = pending[0][0].stage.name
        sys.stderr.write(f"warning: {stage}: a worker process died; its {len(lost)} batch(es) in flight are run again one at a time\n")
        for index in lost:
            partition = pending[index][0]
            self._replace_pool()
            try:
                result = self._pool.submit(run_partition, partition).result()
            except BrokenProcessPool:
                self._replace_pool()
                sys.stderr.write(f"warning: {stage}: the worker died again on batch {partition.index}; its {partition.fresh.count(True)} document(s) are rejected\n")
                result = _rejected(partition, WORKER_DIED)
            pending[index] = (partition, _done(result))

    def _replace_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._new_pool()

    def close(self, abandon: bool = False) -> None:
        if self._pool is not None:
            if abandon:  # the run is stopping: a worker's batch is not worth waiting for
                for process in pool_processes(self._pool):
                    process.kill()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._server_started:
            # The fork server outlives a pool; stopping it frees the model it holds, lets the
            # next pool prepare other settings, and counts its CPU time as this process's child.
            server = fork_server_pid()
            if abandon and server:  # it may be busy preparing stages: do not wait for that
                os.kill(server, signal.SIGKILL)
            stop_fork_server()
            self._server_started = False
            self._warmed = False
        if self._ready_file is not None:
            self._ready_file.unlink(missing_ok=True)
            self._ready_file = None


# A partition on which Dask's workers died again and again (Dask gives up on it).
DASK_WORKERS_DIED = "Dask workers died again and again computing its batch (out of memory?); the batch's documents are rejected"


class DaskEngine:
    """Runs partitions on Dask workers, which read and write Parquet themselves.

    The output folder must be on a file system the workers share with this process.
    Dask runs a task again when its worker dies; a task that kills every worker it runs
    on (Dask raises KilledWorker) has its documents rejected, as with local workers.
    """

    waited = 0.0

    def __init__(self, scheduler: str, workers: int):
        from dask.distributed import Client, LocalCluster

        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            with _environment(THREAD_LIMITS):
                # silence_logs: a stop cancels the tasks running, which Dask would log as warnings.
                self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
        self.workers = max(len(self._client.scheduler_info().get("workers", {})), 1)

    def map(self, partitions: Iterable[Partition], expected: int) -> Iterator[PartitionResult]:
        from dask.distributed import KilledWorker

        pending: deque[tuple[Partition, Any]] = deque()

        def next_result() -> PartitionResult:
            partition, future = pending.popleft()
            try:
                return future.result()
            except KilledWorker:
                return _rejected(partition, DASK_WORKERS_DIED)

        for partition in partitions:
            pending.append((partition, self._client.submit(run_partition, partition, pure=False)))
            if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                yield next_result()
        while pending:
            yield next_result()

    def warm(self, settings: Settings, stages: Sequence[Stage]) -> None:
        """Nothing ahead of time: each Dask worker prepares a stage on its first partition."""

    def close(self, abandon: bool = False) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


@contextmanager
def open_executor(settings: Settings) -> Iterator[Executor]:
    """The executor that ``[engine]`` asks for: local (in process or a pool) or Dask. Left
    by an exception (a stop, an error), it ends the workers without waiting for them."""
    kind = str(settings.raw["engine"].get("kind", "local"))
    if kind == "dask":
        executor: Any = DaskEngine(str(settings.raw["engine"].get("scheduler", "")), settings.workers)
    elif kind == "local":
        executor = ProcessPool(settings.workers) if settings.workers > 1 else InProcess()
    else:
        raise TableError(f"[engine] kind must be local or dask, not {kind!r}")
    try:
        yield executor
    except BaseException:
        executor.close(abandon=True)
        raise
    executor.close()


# --------------------------------------------------------------------------- table stages


def _upstream_stages(stage: Stage) -> list[str]:
    return list(dict.fromkeys(spec.stage for spec in stage.reads))


def _decide(doc_ids: Sequence[str], fingerprints: Sequence[str | None], old: Manifest | None, force: bool) -> list[bool]:
    """Which documents to recompute: new ones, changed ones, all of them when forced."""
    if old is None or force:
        return [True] * len(doc_ids)
    return [fingerprint is None or doc_id not in old.position or old.fingerprints[old.position[doc_id]] != fingerprint for doc_id, fingerprint in zip(doc_ids, fingerprints)]


def _nothing_changed(doc_ids: list[str], fresh: list[bool], old: Manifest | None) -> bool:
    return old is not None and not any(fresh) and old.doc_ids == doc_ids


@dataclass
class KeyedRows:
    """Per keyed table, the row count and the rows' hash of each document, batch after batch."""

    counts: dict[str, list[np.ndarray]]
    hashes: dict[str, list[str | None]]

    @classmethod
    def of(cls, specs: list[TableSpec]) -> "KeyedRows":
        return cls({spec.name: [] for spec in specs}, {spec.name: [] for spec in specs})

    def add(self, name: str, counts: np.ndarray, hashes: list[str | None]) -> None:
        self.counts[name].append(counts)
        self.hashes[name] += hashes

    def rows(self) -> dict[str, np.ndarray]:
        return {name: _concat(values) for name, values in self.counts.items()}


@dataclass
class StageInputs:
    """What a table stage is run on: the documents, where each one's upstream rows are,
    their fingerprints under the stage's key and whether each must be recomputed."""

    doc_ids: list[str]
    upstream_offsets: dict[str, np.ndarray]
    key: str
    fingerprints: list[str | None]
    old: Any
    fresh: list[bool]


def _stage_inputs(stage: Stage, settings: Settings, folder: Path, force: bool) -> StageInputs:
    documents = check_schema(DOCUMENTS, table_path(DOCUMENTS, folder))
    doc_ids = documents.read(columns=["doc_id"]).column("doc_id").to_pylist()
    upstream_specs = [spec for spec in stage.reads if spec.name != DOCUMENTS.name]
    for spec in upstream_specs:
        check_schema(spec, table_path(spec, folder))
    manifests = {name: load_manifest(name, folder) for name in _upstream_stages(stage)}
    upstream_counts = _manifest_or_counts(upstream_specs, folder, doc_ids, manifests)
    key = stage_key(stage, settings)
    fingerprints = upstream_fingerprints(stage, key, doc_ids, manifests)
    old = load_manifest(stage.name, folder)
    offsets = {name: np.concatenate([[0], np.cumsum(counts)]).astype(np.int64) for name, counts in upstream_counts.items()}
    return StageInputs(doc_ids, offsets, key, fingerprints, old, _decide(doc_ids, fingerprints, old, force))


def run_stage(stage: Stage, settings: Settings, folder: Path, progress: Progress | None = None, *, executor: Executor | None = None, force: bool = False) -> StageReport:
    """Run one table stage over every document of ``folder``/documents.parquet."""
    started = time.perf_counter()
    folder = Path(folder)
    inputs = _stage_inputs(stage, settings, folder, force)
    report = StageReport(stage.name, carried=inputs.fresh.count(False))
    if _nothing_changed(inputs.doc_ids, inputs.fresh, inputs.old):
        discard_part_folders(folder, stage.name)
        report.rows = {spec.name: int(inputs.old.rows[spec.name].sum()) for spec in stage.writes if keyed(spec)}
        report.seconds = time.perf_counter() - started
        return report

    executor = executor or InProcess()
    token = uuid.uuid4().hex
    checkpoint = Checkpoint(folder, stage.name, token, inputs.key, partition_size(settings.docs_per_batch, len(inputs.doc_ids), executor.workers))
    plan = _plan(inputs.key, inputs.doc_ids, inputs.fingerprints, checkpoint.size)
    resumed = {index for index, (_, _, partition_key) in enumerate(plan) if partition_key in checkpoint.done}
    partition = _partition_maker(stage, settings, folder, inputs, plan, str(checkpoint.folder))
    # Partitions with nothing to recompute are cheap: only count the others.
    expected = sum(1 for index, (first, stop, _) in enumerate(plan) if index not in resumed and any(inputs.fresh[first:stop]))
    # Waiting for the workers to be prepared (in warm or map) is this stage's load time.
    waited_before = executor.waited
    if expected > 1:
        # Workers not readied yet (nothing new to clean: a resumed run, a single stage's
        # command) get this stage prepared once for all of them.
        executor.warm(settings, [stage])
    computed = executor.map((partition(index) for index in range(len(plan)) if index not in resumed), expected)
    writers = _open_writers(stage, settings, folder, token)
    try:
        keyed_rows, failed, slowest_load = _write_partitions(stage, plan, resumed, computed, checkpoint, writers, inputs.fingerprints, report, progress)
    except BaseException:
        # The tables stay as they were; the committed partitions stay for the next run.
        _abort(writers)
        raise
    report.load_seconds = slowest_load + executor.waited - waited_before
    _commit(writers, report, started)
    report.rows["rejects"] = record_stage_rejects(folder, stage.name, failed)
    # A document the stage failed on is tried again on the next run.
    failed_ids = {doc_id for frame in failed if frame is not None for doc_id in frame["doc_id"]}
    fingerprints = [None if doc_id in failed_ids else fingerprint for doc_id, fingerprint in zip(inputs.doc_ids, inputs.fingerprints)]
    _write_manifest(stage, folder, token, inputs.doc_ids, fingerprints, keyed_rows.rows(), keyed_rows.hashes)
    checkpoint.close()
    report.seconds = time.perf_counter() - started - report.load_seconds
    return report


def _partition_maker(stage: Stage, settings: Settings, folder: Path, inputs: StageInputs, plan: list[tuple[int, int, str]],
                     part_folder: str) -> Callable[[int], Partition]:
    keyed_specs = [spec for spec in stage.writes if keyed(spec)]

    def partition(index: int) -> Partition:
        first, stop, partition_key = plan[index]
        ids, flags = inputs.doc_ids[first:stop], tuple(inputs.fresh[first:stop])
        return Partition(
            index=index,
            stage=stage,
            settings=settings,
            folder=str(folder),
            doc_range=(first, stop),
            doc_ids=tuple(ids),
            fresh=flags,
            upstream={name: (int(offsets[first]), int(offsets[stop])) for name, offsets in inputs.upstream_offsets.items()},
            carried={spec.name: _carried_ranges(spec, inputs.old, ids, flags) for spec in keyed_specs},
            known_hashes={spec.name: _known_hashes(spec, inputs.old, ids, flags) for spec in keyed_specs},
            key=partition_key,
            part_folder=part_folder,
        )

    return partition


def _write_partitions(stage: Stage, plan: list[tuple[int, int, str]], resumed: set[int], computed: Iterator, checkpoint: Checkpoint,
                      writers: dict, fingerprints: list[str | None], report: StageReport, progress: Progress | None
                      ) -> tuple[KeyedRows, list[pd.DataFrame], float]:
    """The partitions' tables written in plan order, each new one committed to the
    checkpoint; their keyed rows, failures and the longest preparation of a worker."""
    keyed_rows = KeyedRows.of([spec for spec in stage.writes if keyed(spec)])
    failed: list[pd.DataFrame] = []
    # Workers prepare at the same time: the stage waited about as long as the slowest.
    slowest_load = 0.0
    for index, (first, stop, partition_key) in enumerate(plan):
        if index in resumed:
            result = _resumed_result(index, checkpoint.done[partition_key])
            report.resumed += result.documents
        else:
            result = next(computed)
            report.documents += result.processed
            if None not in fingerprints[first:stop]:  # the same key will mean the same rows
                checkpoint.commit(_journal_entry(result, partition_key))
                fault_point(stage.name, index, "committed")
        _write_outputs(writers, _result_tables(result, stage, checkpoint))
        failed.append(result.failed)
        slowest_load = max(slowest_load, result.load_seconds)
        for name, values in result.counts.items():
            keyed_rows.add(name, values, result.hashes[name])
        if progress:
            progress(result.documents)
    return keyed_rows, failed, slowest_load


def _plan(key: str, doc_ids: list[str], fingerprints: list[str | None], size: int) -> list[tuple[int, int, str]]:
    """The partitions: first and last + 1 document of each, and its key (a hash of the
    stage's identity and of its documents' fingerprints)."""
    plan = []
    for first in range(0, len(doc_ids), size):
        stop = min(first + size, len(doc_ids))
        identity = [f"{doc_id}\x1e{fingerprint}" for doc_id, fingerprint in zip(doc_ids[first:stop], fingerprints[first:stop])]
        plan.append((first, stop, _hash(key, *identity)))
    return plan


def _journal_entry(result: PartitionResult, key: str) -> Done:
    failed = result.failed.to_dict("records") if result.failed is not None else []
    return Done(key, result.documents, result.processed, result.parts, {name: values.tolist() for name, values in result.counts.items()}, result.hashes, failed)


def _resumed_result(index: int, done: Done) -> PartitionResult:
    counts = {name: np.asarray(values, dtype=np.int64) for name, values in done.counts.items()}
    failed = pd.DataFrame(done.failed, columns=REJECTS.column_names)
    return PartitionResult(index, done.documents, 0, counts, done.hashes, done.parts, failed)


def partition_size(docs_per_batch: int, documents: int, workers: int) -> int:
    """Documents per partition: at most ``docs_per_batch``, and small enough that every
    worker gets several partitions (a small corpus would otherwise keep one worker idle)."""
    if workers <= 1:
        return docs_per_batch
    return max(1, min(docs_per_batch, -(-documents // (workers * 4))))


def upstream_fingerprints(stage: Stage, key: str, doc_ids: list[str], manifests: dict[str, Manifest | None]) -> list[str | None]:
    """Per document: hash of this stage's identity and of the document's rows in every
    table it reads (their hashes, from the upstream manifests)."""
    columns: list[list[str | None]] = []
    for spec in stage.reads:
        if not keyed(spec):
            continue
        manifest = manifests.get(spec.stage)
        if manifest is None or manifest.doc_ids != doc_ids or spec.name not in manifest.hashes:
            return [None] * len(doc_ids)
        columns.append(manifest.hashes[spec.name])
    return [None if None in upstream else _hash(key, *upstream) for upstream in zip(*columns)] if columns else [None] * len(doc_ids)


def _carried_ranges(spec: TableSpec, old: Manifest | None, doc_ids: Sequence[str], fresh: Sequence[bool]) -> tuple[tuple[int, int], ...]:
    """Old row range of ``spec`` for each document kept ((0, 0) for fresh ones)."""
    ranges = []
    for doc_id, is_fresh in zip(doc_ids, fresh):
        position = -1 if is_fresh else old.position[doc_id]
        ranges.append((0, 0) if is_fresh else old.row_range(spec.name, position, position + 1))
    return tuple(ranges)


def _known_hashes(spec: TableSpec, old: Manifest | None, doc_ids: Sequence[str], fresh: Sequence[bool]) -> tuple[str | None, ...]:
    """Old row hash of ``spec`` for each document kept (None for fresh ones, or unknown)."""
    return tuple(None if is_fresh else old.hashes[spec.name][old.position[doc_id]] for doc_id, is_fresh in zip(doc_ids, fresh))


def _write_manifest(
    stage: Stage, folder: Path, token: str, doc_ids: list[str], fingerprints: list[str | None], rows: dict[str, np.ndarray], hashes: dict[str, list[str | None]]
) -> None:
    spec = manifest_spec(stage)
    frame = pd.DataFrame({
        "doc_id": doc_ids,
        "fingerprint": fingerprints,
        **{f"rows_{name}": values.astype(np.int32) for name, values in rows.items()},
        **{f"hash_{name}": values for name, values in hashes.items()},
    })
    metadata = {_token_key(name): token for name in rows}
    with TableWriter(spec, manifest_path(stage.name, folder), metadata) as writer:
        writer.write(frame)


# --------------------------------------------------------------------------- the source stage


def run_source_stage(
    stage: Stage, items: Iterable, settings: Settings, folder: Path, progress: Progress | None = None, *, force: bool = False,
    on_fresh: Callable[[int], None] | None = None,
) -> StageReport:
    """Run the first stage, whose input is a stream of records rather than tables.

    ``stage.prepare`` returns a function taking ``{"records": [...]}``. A record (an item
    with a ``doc_id`` and ``text``) whose fingerprint is unchanged keeps its previous rows;
    other items (reader rejects) always go to the function. Tables not keyed by document
    (rejects) are rewritten every run. ``on_fresh`` is called after each batch that wrote
    rows for new or changed documents, with their number so far: the later stages will
    have that much work.
    """
    started = time.perf_counter()
    folder = Path(folder)
    report = StageReport(stage.name)
    token = uuid.uuid4().hex
    run = SourceRun(stage, settings, folder, report, force, on_fresh)
    writers = _open_writers(stage, settings, folder, token)
    try:
        for batch, chunk in enumerate(_chunks(items, settings.docs_per_batch)):
            run.batch(batch, chunk, writers)
            if progress:
                progress(len(chunk))
    except BaseException:
        _abort(writers)
        raise
    doc_ids, fingerprints, rows, hashes = run.accepted()
    if not force and _same_documents(run.old, doc_ids, fingerprints):
        # The same documents as last time (records re-tried and rejected again change
        # nothing): the keyed tables and their manifest stay as they are.
        for spec in run.keyed_specs:
            writers.pop(spec.name).abort()
            report.rows[spec.name] = int(rows[spec.name].sum())
        return _commit(writers, report, started)
    _commit(writers, report, started)
    _write_manifest(stage, folder, token, doc_ids, fingerprints, rows, hashes)
    report.seconds = time.perf_counter() - started - report.load_seconds
    return report


class SourceRun:
    """The state of a source stage's run: the records seen, their fingerprints and rows."""

    def __init__(self, stage: Stage, settings: Settings, folder: Path, report: StageReport, force: bool,
                 on_fresh: Callable[[int], None] | None):
        self.stage, self.settings, self.report, self.force, self.on_fresh = stage, settings, report, force, on_fresh
        self.key = stage_key(stage, settings)
        self.old = load_manifest(stage.name, folder)
        self.keyed_specs = [spec for spec in stage.writes if keyed(spec)]
        self.old_readers = {spec.name: RangeReader(table_path(spec, folder)) for spec in self.keyed_specs} if self.old else {}
        self.doc_ids: list[str] = []
        self.fingerprints: list[str | None] = []
        self.keyed_rows = KeyedRows.of(self.keyed_specs)
        self.fresh_written = 0

    def batch(self, batch: int, chunk: list, writers: dict) -> None:
        """One batch of items: the fresh ones through the stage, the others' rows carried."""
        report = self.report
        for item in chunk:
            if _is_skipped(item):
                report.skipped[item.what] = report.skipped.get(item.what, 0) + 1
        chunk = [item for item in chunk if not _is_skipped(item)]
        records = [item for item in chunk if _is_record(item)]
        record_ids = [record.doc_id for record in records]
        fingerprints = [record_fingerprint(record, self.key) for record in records]
        fresh = _decide(record_ids, fingerprints, self.old, self.force)
        fresh_ids = [doc_id for doc_id, is_fresh in zip(record_ids, fresh) if is_fresh]
        fresh_items = [item for item in chunk if not _is_record(item)] + [record for record, is_fresh in zip(records, fresh) if is_fresh]
        outputs = {}
        if fresh_items:
            function, load_seconds = timed_prepared(self.stage, self.settings)
            report.load_seconds += load_seconds
            outputs = function({"records": fresh_items})
        for spec in self.stage.writes:
            table = to_arrow(spec, outputs[spec.name]) if spec.name in outputs else spec.schema.empty_table()
            if keyed(spec):
                carried = _carried_ranges(spec, self.old, record_ids, fresh)
                table, table_counts = merge_rows(spec, fresh, fresh_ids, table, carried, self.old_readers.get(spec.name), self.stage.name)
                self.keyed_rows.add(spec.name, table_counts, _complete_hashes(table, table_counts, _known_hashes(spec, self.old, record_ids, fresh)))
            writers[spec.name].write(table)
        fault_point(self.stage.name, batch, "committed")
        if fresh_ids and self.on_fresh is not None:
            written = int(np.count_nonzero(_with_rows([values[-1] for values in self.keyed_rows.counts.values()], len(records)) & np.asarray(fresh)))
            if written:
                self.fresh_written += written
                self.on_fresh(self.fresh_written)
        self.doc_ids += record_ids
        self.fingerprints += fingerprints
        report.documents += len(fresh_ids)
        report.carried += len(records) - len(fresh_ids)

    def accepted(self) -> tuple[list[str], list[str | None], dict[str, np.ndarray], dict[str, list[str | None]]]:
        """Documents, fingerprints, row counts and hashes of the records that left rows:
        a rejected record is not remembered, so that it is tried again next time."""
        rows = self.keyed_rows.rows()
        accepted = _with_rows(list(rows.values()), len(self.doc_ids))
        doc_ids = [doc_id for doc_id, ok in zip(self.doc_ids, accepted) if ok]
        fingerprints = [fingerprint for fingerprint, ok in zip(self.fingerprints, accepted) if ok]
        hashes = {name: [value for value, ok in zip(values, accepted) if ok] for name, values in self.keyed_rows.hashes.items()}
        return doc_ids, fingerprints, {name: values[accepted] for name, values in rows.items()}, hashes


def _with_rows(counts: list[np.ndarray], records: int) -> np.ndarray:
    """Per record, from its row counts in each keyed table: whether it left any row."""
    return np.logical_or.reduce([values > 0 for values in counts]) if counts else np.zeros(records, dtype=bool)


def _is_record(item: Any) -> bool:
    return hasattr(item, "doc_id") and hasattr(item, "text")


def _is_skipped(item: Any) -> bool:
    """An input part the reader skipped (see pipeline.readers.Skipped): counted, not processed."""
    return hasattr(item, "what") and not hasattr(item, "reason")


def _same_documents(old: Manifest | None, doc_ids: list[str], fingerprints: list[str | None]) -> bool:
    """The same documents as the manifest describes, which knows all their row hashes."""
    return old is not None and old.doc_ids == doc_ids and old.fingerprints == fingerprints and all(None not in values for values in old.hashes.values())


def _concat(values: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(values).astype(np.int64) if values else np.zeros(0, dtype=np.int64)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _open_writers(stage: Stage, settings: Settings, folder: Path, token: str) -> dict[str, TableWriter]:
    metadata = {"config_hash": settings.stage_fingerprint(stage.name), "stage_version": stage.version, "model": settings.model_name, "run_token": token}
    if DOCUMENTS not in stage.writes:
        # Lineage: `pipeline validate` recognises a table left from other documents.
        metadata["documents_sha256"] = documents_fingerprint(folder)
    return {spec.name: TableWriter(spec, table_path(spec, folder), metadata) for spec in stage.writes}


def _write_outputs(writers: dict[str, TableWriter], outputs: dict[str, pa.Table]) -> None:
    for name, writer in writers.items():
        writer.write(outputs[name])


def _abort(writers: dict[str, TableWriter]) -> None:
    """Drop every table being written; a failure to close one (a full disk) must not keep
    the others' temporary files (the next run would remove them, but only then)."""
    for writer in writers.values():
        try:
            writer.abort()
        except OSError:
            pass


def _commit(writers: dict[str, TableWriter], report: StageReport, started: float) -> StageReport:
    for name, writer in writers.items():
        writer.commit()
        report.rows[name] = writer.rows
    report.seconds = time.perf_counter() - started - report.load_seconds
    return report
