"""Worker processes that never outlive the run, and a stop on SIGTERM like Ctrl-C.

A killed run must leave nothing behind: a fork server or a worker still alive after its
parent died holds the model's memory and the parent's stderr (a caller reading that
output would wait for ever). On Linux each of them asks the kernel for SIGKILL when its
parent dies (``prctl(PR_SET_PDEATHSIG)``), then checks that the parent is still the one
it was started by, in case it died before the request took effect. Elsewhere a thread
watches the parent and ends the process when it is gone.

The private parts of ``multiprocessing`` and ``concurrent.futures`` that the engine
needs are wrapped here and nowhere else; ``tests/test_processes.py`` fails as soon as
a Python release changes them.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import forkserver
from multiprocessing.process import BaseProcess

# Set for the fork server: the process id of the run that started it.
PARENT_VARIABLE = "PIPELINE_PARENT_PID"
PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


class Stopped(BaseException):
    """The run was asked to stop (SIGTERM, SIGINT): unwind, clean up, exit 128 + signal.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` takes it for
    a document's failure."""

    def __init__(self, signal_number: int):
        super().__init__(signal.Signals(signal_number).name)
        self.signal_number = signal_number

    @property
    def exit_code(self) -> int:
        return 128 + self.signal_number


def stop_on_signals(signals: tuple[int, ...] = (signal.SIGTERM, signal.SIGINT)) -> None:
    """In the main thread: the first of ``signals`` raises Stopped; a second one ends the
    process at once (the default action), for an operator who does not want to wait."""

    def stop(signal_number: int, frame) -> None:
        for number in signals:
            signal.signal(number, signal.SIG_DFL)
        raise Stopped(signal_number)

    for number in signals:
        signal.signal(number, stop)


def die_with_parent(parent_pid: int) -> None:
    """End this process when ``parent_pid``, its parent, dies (or has died already)."""
    if not _ask_kernel_for_death_signal():
        threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the request was in place
        os._exit(1)


def _ask_kernel_for_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        threading.Event().wait(WATCH_SECONDS)
    os._exit(1)


def fork_server_lifeline() -> None:
    """In the fork server (imported through its preload): die with the run that started it."""
    parent = os.environ.get(PARENT_VARIABLE)
    if parent:
        die_with_parent(int(parent))


def worker_started(parent_pid: int) -> None:
    """A pool worker's initializer: die with its parent (the fork server, or the run when
    workers are spawned); leave Ctrl-C to the run, which stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)


# --------------------------------------------------------------------------- private API, in one place


def fork_server_pid() -> int | None:
    """The running fork server's process id (None when none runs)."""
    return forkserver._forkserver._forkserver_pid


def stop_fork_server() -> None:
    """Stop the fork server: it frees what it preloaded, and the next pool starts a new one."""
    forkserver._forkserver._stop()


def pool_processes(pool: ProcessPoolExecutor) -> list[BaseProcess]:
    """The worker processes of a pool (``terminate_workers`` only exists from Python 3.14)."""
    return list((pool._processes or {}).values())
