"""Checkpoints inside a stage: a killed run redoes only the batches it lost.

Every partition a stage computes is written as part files (one per table) under
``OUTPUT/_parts/<stage>-<run token>/``, by whichever process computed it (a pool worker,
a Dask worker, the run itself), and the run then commits it: one line in the folder's
journal, ``done.jsonl``, naming the partition's key, its part files, its row counts and
content hashes per document, and its rejects. Part files are written under a temporary
name and renamed, so a journal line only ever names complete files.

The key of a partition is a hash of the stage's identity (code version, settings,
lexicons, model) and of the fingerprints of its documents: the same key means the same
rows. When a stage starts, it moves the committed part files of an earlier run of the
same stage with the same identity into its own folder (and its journal lines into its
journal), and removes every other part folder of the stage. A task of a dead client
(a Dask worker still running one) knows only the folder of its own run, which is gone:
it cannot write into the live run's folder. The stage commits its tables from the part
files in partition order, then removes its folder.
"""
from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

PARTS_FOLDER = "_parts"
JOURNAL = "done.jsonl"
# A folder being removed is renamed first, so that nothing can find it under its old name.
REMOVED_PREFIX = ".removed-"


@dataclass
class Done:
    """A committed partition, as its journal line holds it."""

    key: str
    documents: int
    processed: int
    parts: dict[str, str]  # table -> part file name, in the checkpoint folder
    counts: dict[str, list[int]]  # keyed table -> rows per document
    hashes: dict[str, list[str]]  # keyed table -> content hash per document
    failed: list[dict]  # reject rows of the documents the stage failed on


def parts_root(output: Path) -> Path:
    return Path(output) / PARTS_FOLDER


def part_folders(output: Path, stage: str) -> list[Path]:
    """The part folders of ``stage`` in ``output``, whatever run made them."""
    root = parts_root(output)
    return sorted(path for path in root.glob(f"{stage}-*") if path.is_dir()) if root.is_dir() else []


def read_journal(folder: Path) -> tuple[dict | None, list[Done]]:
    """The header and the committed partitions of a checkpoint folder; a torn last line
    (the run was killed while writing it) is ignored."""
    try:
        lines = (folder / JOURNAL).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None, []
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    if not records or "stage_key" not in records[0]:
        return None, []
    done = []
    for record in records[1:]:
        try:
            done.append(Done(**record))
        except TypeError:
            continue
    return records[0], done


class Checkpoint:
    """This run's checkpoint folder for one stage, with what it took over from a killed run.

    ``size`` is the partition size to use: that of the run taken over (the keys of its
    partitions name their documents, so only the same cut can reuse them), else ``size``.
    """

    def __init__(self, output: Path, stage: str, token: str, stage_key: str, size: int):
        self.folder = parts_root(output) / f"{stage}-{token}"
        self.done: dict[str, Done] = {}
        earlier = [(folder, *read_journal(folder)) for folder in part_folders(output, stage) if folder != self.folder]
        same = [(folder, header, done) for folder, header, done in earlier if header is not None and header["stage_key"] == stage_key]
        self.size = int(same[0][1].get("size", size)) if same else size
        self.folder.mkdir(parents=True)
        _append(self.folder / JOURNAL, [{"stage_key": stage_key, "size": self.size}])
        for folder, header, done in same:
            if header.get("size") == self.size:
                self._take_over(folder, done)
        for folder, _, _ in earlier:
            remove_folder(folder)
        _remove_leftovers(parts_root(output))

    def _take_over(self, folder: Path, done: list[Done]) -> None:
        for entry in done:
            if entry.key in self.done or not all((folder / name).is_file() for name in entry.parts.values()):
                continue
            for name in entry.parts.values():
                os.replace(folder / name, self.folder / name)
            self.commit(entry)

    def commit(self, entry: Done) -> None:
        _append(self.folder / JOURNAL, [asdict(entry)])
        self.done[entry.key] = entry

    def path(self, name: str) -> Path:
        return self.folder / name

    def close(self) -> None:
        """The stage's tables are committed: its part files are no longer needed."""
        remove_folder(self.folder)
        _remove_if_empty(self.folder.parent)


def discard_part_folders(output: Path, stage: str) -> None:
    """Remove the part folders of ``stage`` left by earlier runs (when this run has nothing
    to compute, nothing in them is of use)."""
    for folder in part_folders(output, stage):
        remove_folder(folder)
    _remove_leftovers(parts_root(output))
    _remove_if_empty(parts_root(output))


def remove_folder(folder: Path) -> None:
    """Rename, then delete: a process still writing there (a task of a dead Dask client)
    finds no folder under the old name, and one holding a file open writes into a folder
    being deleted, never into a live run's."""
    removed = folder.parent / f"{REMOVED_PREFIX}{uuid.uuid4().hex}"
    try:
        os.rename(folder, removed)
    except FileNotFoundError:
        return
    shutil.rmtree(removed, ignore_errors=True)


def _remove_leftovers(root: Path) -> None:
    for folder in root.glob(f"{REMOVED_PREFIX}*"):
        shutil.rmtree(folder, ignore_errors=True)


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:  # another stage's parts are still there, or it is gone already
        pass


def _append(path: Path, records: list[dict]) -> None:
    """Append JSON lines in one write: a kill leaves at most a torn last line, which
    ``read_journal`` skips."""
    data = "".join(json.dumps(record) + "\n" for record in records).encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)
