"""Paths inside the output folder: file names from doc ids, the folder's lock, stray temp files.

Doc ids come from the inputs (file stems, record ids), so they are untrusted: a report
page or a part file named after one must never land outside its folder. Every file
name derived from a doc id goes through ``safe_file_name``.
"""
from __future__ import annotations

import fcntl
import hashlib
import re
from pathlib import Path
from typing import IO

from pipeline.tables import TEMP_PREFIX, TEMP_SUFFIX

# Characters kept as they are; every other character is written %XX per UTF-8 byte, so
# that two different doc ids never give the same name (the mapping is one-to-one).
_KEPT = re.compile(r"[A-Za-z0-9_-]")
# Well under the 255-byte limit of common file systems, leaving room for a suffix.
MAX_NAME_CHARS = 150
LOCK_NAME = ".pipeline.lock"

_claimed: dict[Path, IO] = {}


class FolderBusy(Exception):
    """Another process is writing to the same output folder."""


def safe_file_name(doc_id: str, suffix: str = "") -> str:
    """A file name for ``doc_id``: one path component, never hidden, never `..`, one-to-one.

    ``suffix`` (e.g. ".html") must itself be a plain extension.
    """
    if not doc_id:
        raise ValueError("an empty doc_id has no file name")
    if suffix and not re.fullmatch(r"(\.[A-Za-z0-9]+)+", suffix):
        raise ValueError(f"unsafe suffix {suffix!r}")
    name = "".join(char if _KEPT.fullmatch(char) else "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass")) for char in doc_id)
    if len(name) > MAX_NAME_CHARS:
        digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        name = f"{name[: MAX_NAME_CHARS - 17]}~{digest}"
    return name + suffix


def safe_path(folder: Path, doc_id: str, suffix: str = "") -> Path:
    """``folder``/safe_file_name(doc_id, suffix), checked to be inside ``folder``."""
    folder = Path(folder)
    path = folder / safe_file_name(doc_id, suffix)
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"{doc_id!r} would escape {folder}")
    return path


def claim_output_folder(folder: Path) -> None:
    """Lock ``folder`` for this process (released when it exits, even when killed),
    then remove temporary files left by a run that was killed while writing."""
    folder = Path(folder).resolve()
    if folder in _claimed:
        return
    handle = open(folder / LOCK_NAME, "a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise FolderBusy(f"{folder}: another pipeline process is writing here; wait for it to finish") from None
    _claimed[folder] = handle
    remove_stray_temp_files(folder)


def folder_busy(folder: Path) -> bool:
    """Whether another process holds ``folder``'s lock (a run writing there now)."""
    folder = Path(folder).resolve()
    if folder in _claimed or not (folder / LOCK_NAME).exists():
        return False
    with open(folder / LOCK_NAME, "rb") as handle:
        try:
            # Shared and released at once: a probe, not a claim.
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return False


def remove_stray_temp_files(folder: Path) -> list[Path]:
    """Delete the temporary files of tables whose writing never finished."""
    removed = []
    for path in Path(folder).glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
