"""Processes die with their parent; the private multiprocessing API the engine uses is
still there (these tests fail as soon as a Python release changes it)."""
import os
import signal
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import forkserver, get_context

import psutil
import pytest

from pipeline.processes import Stopped, fork_server_pid, pool_processes, stop_fork_server, worker_started
from tests.conftest import ROOT

EXIT_LIMIT_SECONDS = 120

# A child that starts a grandchild bound to it, prints the grandchild's pid, then waits.
PARENT = """
import subprocess, sys
grandchild = subprocess.Popen([sys.executable, "-c", "import os, sys, time; from pipeline.processes import die_with_parent; die_with_parent(int(sys.argv[1])); print(os.getpid(), flush=True); sys.stdin.read()", str(__import__("os").getpid())], stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
print(grandchild.stdout.readline().strip(), flush=True)
sys.stdin.read()
"""


def test_a_process_bound_to_its_parent_dies_with_it():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    grandchild = psutil.Process(int(parent.stdout.readline()))
    assert grandchild.is_running()
    parent.kill()
    parent.wait()
    grandchild.wait(timeout=EXIT_LIMIT_SECONDS)  # raises TimeoutExpired if it outlived its parent


def test_a_process_whose_parent_is_already_gone_exits():
    # Told to live with a process that is not (any more) its parent: it was reparented.
    code = "import os; from pipeline.processes import die_with_parent; die_with_parent(os.getppid() + 1); print('alive')"
    child = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert child.returncode == 1 and "alive" not in child.stdout


def _parent_pid() -> int:
    return os.getppid()


def test_fork_server_and_pool_processes_are_found():
    forkserver.ensure_running()
    server = fork_server_pid()
    assert server and psutil.Process(server).ppid() == os.getpid()
    pool = ProcessPoolExecutor(2, mp_context=get_context("forkserver"), initializer=worker_started, initargs=(server,))
    try:
        assert pool.submit(_parent_pid).result() == server
        processes = pool_processes(pool)
        assert processes and all(psutil.Process(process.pid).ppid() == server for process in processes)
    finally:
        pool.shutdown()
    stop_fork_server()
    assert fork_server_pid() is None
    assert not psutil.pid_exists(server) or psutil.Process(server).status() == psutil.STATUS_ZOMBIE


def test_stopped_carries_the_exit_code_of_its_signal():
    assert Stopped(signal.SIGTERM).exit_code == 143 and str(Stopped(signal.SIGTERM)) == "SIGTERM"
    assert Stopped(signal.SIGINT).exit_code == 130
    with pytest.raises(BaseException) as caught:
        raise Stopped(signal.SIGTERM)
    assert not isinstance(caught.value, Exception), "no `except Exception` may take a stop for a failure"
