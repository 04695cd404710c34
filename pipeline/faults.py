"""Test-only fault injection: kill or fail a run at a chosen batch, deterministically.

Tests of crash safety must stop a run at an exact place, not after a sleep. The engine
calls ``fault_point`` at two places of every batch; nothing happens unless the
environment variable ``PIPELINE_FAULT`` names that place:

    PIPELINE_FAULT=STAGE:BATCH:POINT:ACTION[:once=FILE]

- ``STAGE``: a stage name (``clean``, ``entities``...); ``BATCH``: the batch (partition)
  number, from 0;
- ``POINT``: ``computed`` — in the process that computed the batch (a pool worker, a
  Dask worker or the run itself), after the stage function ran on the batch's new or
  changed documents, before its part files are written; ``committed`` — in the run's
  own process, once the batch is committed (its part files and its line in the
  checkpoint journal written; for clean, which keeps no checkpoint: once the batch is
  handed to the table writers);
- ``ACTION``: a signal the process sends itself (``SIGKILL``, ``SIGTERM``, ``SIGINT``),
  or ``ENOSPC``: an ``OSError`` "No space left on device", as a full disk raises;
- ``once=FILE``: act only the first time, across processes (the first to create FILE).

The variable is read by every process the run starts. It is never set outside tests.
"""
from __future__ import annotations

import errno
import os
import signal
from functools import lru_cache

VARIABLE = "PIPELINE_FAULT"
POINTS = ("computed", "committed")


@lru_cache(maxsize=8)
def _parse(value: str) -> tuple[str, int, str, str, str | None]:
    stage, batch, point, action, *options = value.split(":")
    once = next((option.removeprefix("once=") for option in options if option.startswith("once=")), None)
    if point not in POINTS:
        raise ValueError(f"{VARIABLE}: point must be one of {', '.join(POINTS)}, not {point!r}")
    return stage, int(batch), point, action, once


def fault_point(stage: str, batch: int, point: str) -> None:
    value = os.environ.get(VARIABLE)
    if not value:
        return
    wanted_stage, wanted_batch, wanted_point, action, once = _parse(value)
    if (stage, batch, point) != (wanted_stage, wanted_batch, wanted_point) or not _first_time(once):
        return
    if action == "ENOSPC":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f"(injected by {VARIABLE})")
    os.kill(os.getpid(), signal.Signals[action])


def _first_time(once: str | None) -> bool:
    if once is None:
        return True
    try:
        os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        return True
    except FileExistsError:
        return False
