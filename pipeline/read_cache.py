"""What the web-page readers (HTML, WARC) extracted, kept from one run to the next.

Extracting articles from HTML (trafilatura) or WARC files costs more than the rest of a
run with nothing to do: importing those libraries alone takes most of a second. A file
whose path and bytes are unchanged, read by the same reading code (its modules' version,
the libraries' versions, the clean settings), gives the same items; they are taken from
``OUTPUT/_state/read_cache.json`` instead of being extracted again. The cache holds the
files of the last run only, and is rewritten, whole, when a run has read every input.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pipeline.readers import Record, Reject, Skipped, input_suffix
from pipeline.versions import code_version

CACHE_FILE = "read_cache.json"
CACHED_SUFFIXES = (".html", ".htm", ".warc", ".warc.gz")
# The libraries the web readers rely on: a new release may extract other text.
LIBRARIES = ("trafilatura", "lxml", "warcio")
KINDS = {kind.__name__: kind for kind in (Record, Reject, Skipped)}
Item = Record | Reject | Skipped


class ReadCache:
    """Items of the web files read by the last run, by file; ``settings`` names what else
    the reading depends on (the clean stage's settings)."""

    def __init__(self, state_folder: Path, settings: str):
        self._path = Path(state_folder) / CACHE_FILE
        self._identity = _identity(settings)
        self._old: dict[str, list[dict]] = {}
        self._new: dict[str, list[dict]] = {}
        try:
            saved = json.loads(self._path.read_text(encoding="utf-8"))
            if saved.get("identity") == self._identity:
                self._old = saved["files"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass

    def items(self, path: Path, read: Callable[[], Iterable[Item]]) -> Iterator[Item]:
        """The items of ``path``: the cached ones when its bytes are those last read, else ``read()``'s."""
        if input_suffix(path) not in CACHED_SUFFIXES:
            yield from read()
            return
        try:
            key = f"{path}\x1f{hashlib.sha256(path.read_bytes()).hexdigest()}"
        except OSError:
            yield from read()  # the reader names the problem
            return
        if key in self._old:
            self._new[key] = self._old[key]
            yield from (KINDS[entry["kind"]](**entry["item"]) for entry in self._old[key])
            return
        entries = []
        for item in read():
            entries.append({"kind": type(item).__name__, "item": asdict(item)})
            yield item
        self._new[key] = entries

    def save(self) -> None:
        """Keep the files this run read (and only those), for the next run."""
        if self._new == self._old:
            return
        temporary = self._path.with_name(f".{self._path.name}.tmp")
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps({"identity": self._identity, "files": self._new}), encoding="utf-8")
            os.replace(temporary, self._path)
        except OSError:  # a cache: the next run extracts the pages again
            temporary.unlink(missing_ok=True)


def _identity(settings: str) -> str:
    versions = []
    for library in LIBRARIES:
        try:
            versions.append(f"{library}=={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{library}==?")
    return f"{code_version('pipeline.readers')}; {settings}; {'; '.join(versions)}"
