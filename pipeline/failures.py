"""One document that makes a stage fail must not stop the run.

``isolate_failures`` wraps a stage's batch function: when a batch raises, each of its
documents is run alone; those that still raise are left out of the stage's tables and
returned, as reject rows, under the ``FAILED`` key of the outputs (data, not state, so
that it works whatever process ran the batch). ``record_stage_rejects`` then writes
them into rejects.parquet, replacing the rows this stage wrote on a previous run.
When every document of a batch fails on its own, the fault is the stage's or the
set-up's, not an article's: the original error is raised and the run stops.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from pipeline.tables import REJECTS, empty_frame, read_metadata, read_table, table_path, write_table

Frames = dict[str, pd.DataFrame]
FAILED = "failed_documents"
MAX_REASON_CHARS = 300


def _reason(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"stage failed on this document: {type(exc).__name__}{': ' + message if message else ''}"[:MAX_REASON_CHARS]


def _one_document(frames: Frames, position: int) -> Frames:
    documents = frames["documents"]
    doc_id = documents["doc_id"].iloc[position]
    single = {name: frame[frame["doc_id"] == doc_id].reset_index(drop=True) for name, frame in frames.items() if name != "documents"}
    single["documents"] = documents.iloc[[position]].reset_index(drop=True)
    return single


def isolate_failures(stage_name: str, writes: Iterable, function: Callable[[Frames], Frames]) -> Callable[[Frames], Frames]:
    specs = tuple(writes)

    def run(frames: Frames) -> Frames:
        try:
            return {**function(frames), FAILED: empty_frame(REJECTS)}
        except MemoryError:
            raise
        except Exception as batch_error:
            documents = frames["documents"]
            outputs: list[Frames] = []
            failed: list[dict] = []
            for position in range(len(documents)):
                try:
                    outputs.append(function(_one_document(frames, position)))
                except MemoryError:
                    raise
                except Exception as exc:
                    row = documents.iloc[position]
                    failed.append({"source": row["source"], "doc_id": row["doc_id"], "stage": stage_name, "reason": _reason(exc)})
            if len(failed) == len(documents) and len(documents) > 1:
                raise batch_error
            merged = {
                spec.name: pd.concat([output[spec.name] for output in outputs], ignore_index=True) if outputs else empty_frame(spec)
                for spec in specs
            }
            merged[FAILED] = pd.DataFrame(failed, columns=REJECTS.column_names)
            return merged

    return run


def record_stage_rejects(folder: Path, stage_name: str, failed: list[pd.DataFrame]) -> int:
    """Put this run's failures of ``stage_name`` in rejects.parquet (instead of the last run's)."""
    new = pd.concat([frame for frame in failed if frame is not None and len(frame)] or [empty_frame(REJECTS)], ignore_index=True)
    path = table_path(REJECTS, folder)
    previous = read_table(REJECTS, folder) if path.exists() else empty_frame(REJECTS)
    if new.empty and not (previous["stage"] == stage_name).any():
        return 0  # nothing to add, nothing stale: leave the file alone
    kept = previous[previous["stage"] != stage_name]
    metadata = {key: value for key, value in (read_metadata(path) if path.exists() else {}).items() if key in ("config_hash", "stage_version", "model")}
    write_table(REJECTS, pd.concat([kept, new], ignore_index=True), folder, metadata)
    return len(new)
