"""A run killed mid-stage (SIGKILL: no cleanup code runs) loses nothing: every table
already there stays readable and unchanged, its temporary file is never taken for a
table, and the next run removes the stray file and completes the work."""
import os
import signal
import subprocess
import sys

import pandas as pd
import pytest

from pipeline.stages import SOURCE_STAGE, TABLE_STAGES
from pipeline.tables import TABLES, check_schema, table_path
from pipeline.validate import validate_folder
from tests.conftest import ROOT, SEEDS, TIMEBANK

STAGES = (SOURCE_STAGE, *TABLE_STAGES)
# Runs the CLI with one stage wrapped so that the process kills itself with SIGKILL
# when that stage is about to handle its second batch (the first is already written
# to the stage's temporary files).
KILLING_CLI = """
import dataclasses, os, signal, sys
import pipeline.cli as cli

def killing(stage):
    def prepare(settings):
        function = stage.prepare(settings)
        batches = 0
        def run(frames):
            nonlocal batches
            if batches == 1:
                os.kill(os.getpid(), signal.SIGKILL)
            batches += 1
            return function(frames)
        return run
    return dataclasses.replace(stage, prepare=prepare)

target = os.environ["KILL_IN_STAGE"]
if cli.SOURCE_STAGE.name == target:
    cli.SOURCE_STAGE = killing(cli.SOURCE_STAGE)
cli.TABLE_STAGES = tuple(killing(s) if s.name == target else s for s in cli.TABLE_STAGES)
cli.app(sys.argv[1:], prog_name="pipeline")
"""


def pipeline(*arguments, kill_in_stage=None):
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    code = ["-m", "pipeline.cli"]
    if kill_in_stage:
        environment["KILL_IN_STAGE"] = kill_in_stage
        code = ["-c", KILLING_CLI]
    return subprocess.run([sys.executable, *code, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)


def snapshot(folder):
    return {path.name: path.read_bytes() for path in folder.glob("*.parquet")}


@pytest.fixture(scope="module")
def small_batches(tmp_path_factory):
    config = tmp_path_factory.mktemp("config") / "small-batches.toml"
    config.write_text("[engine]\ndocs_per_batch = 8\n", encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory, small_batches):
    """The tables of a completed run on the seeds: what a later, killed run must not damage."""
    output = tmp_path_factory.mktemp("seeds-run")
    first = pipeline("run", "--input", str(SEEDS), "--output", str(output), "--config", str(small_batches))
    assert first.returncode == 0, first.stderr
    return snapshot(output)


@pytest.mark.slow
@pytest.mark.parametrize("stage", [stage.name for stage in STAGES])
def test_killed_run_keeps_previous_tables_and_next_run_completes(tmp_path, stage, small_batches, seeds_run):
    output = tmp_path / "out"
    output.mkdir()
    for name, content in seeds_run.items():
        (output / name).write_bytes(content)
    common = ["--output", str(output), "--config", str(small_batches)]
    before = snapshot(output)

    # One process: the stage kills the process that writes the tables, not a pool worker.
    killed = pipeline("run", "--input", str(SEEDS), "--input", str(TIMEBANK), *common, "--workers", "1", kill_in_stage=stage)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
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

    rerun = pipeline("run", "--input", str(SEEDS), "--input", str(TIMEBANK), *common)
    assert rerun.returncode == 0, rerun.stderr
    assert not [path for path in output.iterdir() if path.name.endswith(".tmp")]
    assert validate_folder(output, STAGES)[1] == []
    assert len(pd.read_parquet(table_path(TABLES["documents"], output))) == 59


def test_a_second_process_cannot_write_to_a_busy_folder(tmp_path):
    from pipeline.paths import claim_output_folder

    claim_output_folder(tmp_path)
    busy = pipeline("clean", "--input", str(SEEDS), "--output", str(tmp_path))
    assert busy.returncode == 2
    assert busy.stderr.strip().splitlines() == [f"error: {tmp_path.resolve()}: another pipeline process is writing here; wait for it to finish"]
