"""Killed, stopped and starved runs lose nothing, leave nothing behind, and resume.

Faults are injected at an exact batch through ``PIPELINE_FAULT`` (``pipeline/faults.py``),
never after a sleep: each run here is stopped at the same place every time.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psutil
import pyarrow.parquet as pq
import pytest

from pipeline.checkpoints import PARTS_FOLDER
from pipeline.engine import WORKER_DIED, partition_size
from pipeline.stages import SOURCE_STAGE, TABLE_STAGES
from pipeline.tables import TABLES, check_schema, table_path
from pipeline.validate import validate_folder
from tests.conftest import ROOT, SEEDS, TIMEBANK

pytestmark = pytest.mark.slow

STAGES = (SOURCE_STAGE, *TABLE_STAGES)
TABLE_NAMES = tuple(TABLES)
# Five seeds and fifteen TimeBank articles, in batches of four: several batches per stage.
ARTICLES = sorted(SEEDS.glob("*.txt")) + sorted(TIMEBANK.glob("*.tml"))[:15]
DOCS_PER_BATCH = 4
# However long a run takes, it ends: a hung run fails the test instead of blocking CI.
RUN_LIMIT_SECONDS = 900
# A process the run started must be gone by then (it dies with its parent at once).
EXIT_LIMIT_SECONDS = 120


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    left: list[psutil.Process]  # processes of the run still alive once its output closed


def session_processes(session: int) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["status"]):
        try:
            if os.getsid(process.pid) == session and process.info["status"] != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (OSError, psutil.Error):
            continue
    return found


def pipeline(*arguments, fault=None) -> Run:
    """`pipeline ARGUMENTS` in a session of its own, so that every process it starts (fork
    server, workers, Dask's) is found afterwards by its session id, the run's PID."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    environment.pop("PIPELINE_FAULT", None)
    if fault:
        environment["PIPELINE_FAULT"] = fault
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *arguments], cwd=ROOT, env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    # Returns once every process holding the run's stdout and stderr has closed them.
    stdout, stderr = process.communicate(timeout=RUN_LIMIT_SECONDS)
    _, alive = psutil.wait_procs(session_processes(process.pid), timeout=EXIT_LIMIT_SECONDS)
    return Run(process.returncode, stdout, stderr, alive)


def run_summary(output: Path) -> dict[str, dict]:
    return {report["stage"]: report for report in json.loads((output / "_state" / "last_run.json").read_text(encoding="utf-8"))}


def assert_same_tables(left: Path, right: Path) -> None:
    for name in TABLE_NAMES:
        assert pq.read_table(table_path(TABLES[name], left)).equals(pq.read_table(table_path(TABLES[name], right))), name


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stderr, run.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in ARTICLES:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def small_batches(tmp_path_factory) -> Path:
    config = tmp_path_factory.mktemp("config") / "small-batches.toml"
    config.write_text(f"[engine]\ndocs_per_batch = {DOCS_PER_BATCH}\n", encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus, small_batches) -> Path:
    """The tables of an uninterrupted run: what every interrupted one must end with."""
    output = tmp_path_factory.mktemp("reference")
    done = pipeline("run", "--input", str(corpus), "--output", str(output), "--config", str(small_batches), "--workers", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    return output


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory, small_batches) -> Path:
    """A completed run on the seeds alone: what a later, killed run must not damage."""
    output = tmp_path_factory.mktemp("seeds-run")
    first = pipeline("run", "--input", str(SEEDS), "--output", str(output), "--config", str(small_batches), "--quiet")
    assert first.returncode == 0, first.stderr
    return output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.glob("*.parquet")}


def common(corpus: Path, output: Path, config: Path, workers: int) -> list[str]:
    return ["--input", str(corpus), "--output", str(output), "--config", str(config), "--workers", str(workers), "--quiet"]


@pytest.mark.parametrize("stage", [stage.name for stage in STAGES])
def test_killed_run_keeps_previous_tables_and_next_run_completes(tmp_path, stage, corpus, small_batches, seeds_run, reference):
    output = Path(shutil.copytree(seeds_run, tmp_path / "out"))
    before = snapshot(output)

    # One process: the run itself is killed right after its second batch of the stage.
    killed = pipeline("run", *common(corpus, output, small_batches, 1), fault=f"{stage}:1:committed:SIGKILL")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not killed.left
    stray = [path for path in output.iterdir() if path.name.endswith(".tmp")]
    assert stray, "the killed stage should have left its temporary file"
    after = snapshot(output)
    assert set(after) == set(before), "a temporary file must never appear as a table"
    killed_tables = {spec.file_name for s in STAGES if s.name == stage for spec in s.writes}
    for name in killed_tables:
        assert after[name] == before[name], f"{name} changed although its stage was killed"
    for spec in TABLES.values():
        if table_path(spec, output).exists():
            check_schema(spec, table_path(spec, output))
            pd.read_parquet(table_path(spec, output))
    if stage != SOURCE_STAGE.name:
        # documents.parquet is the new one, the killed stage's table the old one: validate says so.
        assert any("built from another documents.parquet" in str(p) for p in validate_folder(output, STAGES)[1])

    rerun = pipeline("run", *common(corpus, output, small_batches, 1))
    assert rerun.returncode == 0, rerun.stderr
    assert not [path for path in output.iterdir() if path.name.endswith(".tmp")]
    assert not (output / PARTS_FOLDER).exists()
    assert validate_folder(output, STAGES)[1] == []
    assert_same_tables(output, reference)


STOPS = [
    pytest.param("SIGTERM", 2, "local", id="sigterm-2-workers"),
    pytest.param("SIGKILL", 2, "local", id="sigkill-2-workers"),
    pytest.param("SIGKILL", 1, "local", id="sigkill-in-process"),
    pytest.param("SIGKILL", 2, "dask", id="sigkill-dask-client"),
]


@pytest.mark.parametrize("signal_name, workers, engine", STOPS)
def test_run_stopped_inside_entities_leaves_no_process_and_resumes_at_the_lost_batches(tmp_path, signal_name, workers, engine, corpus, small_batches, reference):
    output = tmp_path / "out"
    stopped_after = 2  # batches 0, 1 and 2 of entities are committed when the signal comes
    stopped = pipeline("run", *common(corpus, output, small_batches, workers), "--engine", engine, fault=f"entities:{stopped_after}:committed:{signal_name}")

    assert stopped.left == [], f"processes left behind: {stopped.left}"
    if signal_name == "SIGTERM":
        assert stopped.returncode == 143
        assert stopped.stderr.strip().splitlines() == ["error: stopped by SIGTERM; completed stages and checkpointed batches are kept; the next run resumes from there"]
    else:
        assert stopped.returncode == -signal.SIGKILL
    assert not (output / "entities.parquet").exists()
    size = partition_size(DOCS_PER_BATCH, len(ARTICLES), workers)
    status = pipeline("validate", "--output", str(output))
    assert status.returncode == 1
    assert f"entities: a run stopped inside this stage ({stopped_after + 1} finished batch(es)" in status.stdout
    assert "entities: stage not run: tokens.parquet, entities.parquet missing" in status.stdout

    # The next run (local, whatever engine was stopped) takes the finished batches over.
    resumed = pipeline("run", *common(corpus, output, small_batches, workers))
    assert resumed.returncode == 0, resumed.stderr
    entities = run_summary(output)["entities"]
    assert entities["resumed"] == (stopped_after + 1) * size
    assert entities["documents"] == len(ARTICLES) - entities["resumed"], "only the lost batches are computed again"
    assert_same_tables(output, reference)
    assert not (output / PARTS_FOLDER).exists()
    assert pipeline("validate", "--output", str(output)).returncode == 0


def test_worker_killed_in_the_pool_is_retried_in_a_fresh_worker(tmp_path, corpus, small_batches, reference):
    output = tmp_path / "out"
    done = pipeline("run", *common(corpus, output, small_batches, 2), fault=f"entities:1:computed:SIGKILL:once={tmp_path / 'fired'}")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fired").exists(), "the worker was killed"
    assert "entities: a worker process died" in done.stderr
    assert_no_traceback(done)
    assert not done.left
    assert_same_tables(output, reference)


def test_batch_whose_worker_dies_twice_is_rejected_and_the_run_goes_on(tmp_path, corpus, small_batches, reference):
    output = tmp_path / "out"
    done = pipeline("run", *common(corpus, output, small_batches, 2), fault="entities:1:computed:SIGKILL")
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done)
    assert not done.left
    size = partition_size(DOCS_PER_BATCH, len(ARTICLES), 2)
    documents = pd.read_parquet(output / "documents.parquet")
    lost = documents["doc_id"].iloc[size : 2 * size].tolist()
    rejects = pd.read_parquet(output / "rejects.parquet")
    assert rejects.to_dict("records") == [
        {"source": source, "doc_id": doc_id, "stage": "entities", "reason": WORKER_DIED}
        for source, doc_id in zip(documents["source"].iloc[size : 2 * size], lost)
    ]
    expected = pd.read_parquet(reference / "tokens.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(output / "tokens.parquet"), expected[~expected["doc_id"].isin(lost)].reset_index(drop=True))
    assert validate_folder(output, STAGES)[1] == []

    retried = pipeline("run", *common(corpus, output, small_batches, 2))
    assert retried.returncode == 0, retried.stderr
    assert run_summary(output)["entities"]["documents"] == len(lost), "the rejected documents are tried again, alone"
    assert_same_tables(output, reference)


@pytest.mark.parametrize("fault, workers", [("entities:1:computed:ENOSPC", 2), ("clean:1:committed:ENOSPC", 1)], ids=["worker-writing-entities", "clean"])
def test_full_disk_is_one_line_and_the_next_run_completes(tmp_path, fault, workers, corpus, small_batches, reference):
    output = tmp_path / "out"
    full = pipeline("run", *common(corpus, output, small_batches, workers), fault=fault)
    assert full.returncode == 1
    assert full.stderr.strip().splitlines() == [f"error: no space left on {output}: the tables are as they were before the stage that ran out; free space and run again"]
    assert not full.left
    stage = fault.split(":")[0]
    assert not any(table_path(spec, output).exists() for s in STAGES if s.name == stage for spec in s.writes)
    assert not [path for path in output.iterdir() if path.name.endswith(".tmp")]

    again = pipeline("run", *common(corpus, output, small_batches, workers))
    assert again.returncode == 0, again.stderr
    assert_same_tables(output, reference)


def test_a_second_process_cannot_write_to_a_busy_folder(tmp_path):
    from pipeline.paths import claim_output_folder

    claim_output_folder(tmp_path)
    busy = pipeline("clean", "--input", str(SEEDS), "--output", str(tmp_path))
    assert busy.returncode == 2
    assert busy.stderr.strip().splitlines() == [f"error: {tmp_path.resolve()}: another pipeline process is writing here; wait for it to finish"]
