"""Commands that need no model never import spaCy (nor Dask, unless its engine is asked
for), and an unchanged `run` starts no worker that would load the model: each command
runs in a fresh interpreter that reports what it imported. Speed itself is measured by
`make bench` (help_s, unchanged_make_all_s), not here."""
import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEEDS

HEAVY = ("spacy", "thinc", "dask", "distributed")

# Runs the console script's main() with the given arguments, then prints the heavy modules
# imported and how many fork servers (which prepare stages, loading the model) were started.
PROBE = f"""
import json, sys
from multiprocessing import forkserver
started = []
ensure_running = forkserver.ensure_running
forkserver.ensure_running = lambda: (started.append(1), ensure_running())[1]
from pipeline.cli import main
sys.argv = ["pipeline", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({{"code": code, "heavy": [name for name in {HEAVY!r} if name in sys.modules], "fork_servers": len(started)}}))
"""


def probe(*arguments: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_cli_imports_no_model_and_no_dask():
    code = f"import sys, pipeline.cli; print([name for name in {HEAVY!r} if name in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stdout + result.stderr


@pytest.mark.parametrize("arguments", [["--help"], ["run", "--help"], ["query", "--help"]])
def test_help_imports_no_model(arguments):
    assert probe(*arguments) == {"code": 0, "heavy": [], "fork_servers": 0}


def test_clean_and_sentences_import_no_model(tmp_path):
    output = str(tmp_path / "out")
    assert probe("clean", "--input", str(SEEDS), "--output", output, "--quiet") == {"code": 0, "heavy": [], "fork_servers": 0}
    assert probe("sentences", "--output", output, "--quiet", "--workers", "1") == {"code": 0, "heavy": [], "fork_servers": 0}


@pytest.mark.slow
def test_reading_commands_and_an_unchanged_run_load_no_model(default_outputs, tmp_path):
    folder = str(shutil.copytree(default_outputs, tmp_path / "outputs"))
    for arguments in (["validate", "--output", folder], ["query", "SELECT count(*) FROM quotes", "--output", folder], ["report", "--output", folder, "--quiet"]):
        assert probe(*arguments) == {"code": 0, "heavy": [], "fork_servers": 0}, arguments
    # Two workers: the pool's fork server would load the model if anything had to be computed.
    unchanged = probe("run", "--input", str(ROOT / "data" / "raw"), "--output", folder, "--quiet", "--workers", "2")
    assert unchanged == {"code": 0, "heavy": [], "fork_servers": 0}
    summary = json.loads((tmp_path / "outputs" / "_state" / "last_run.json").read_text(encoding="utf-8"))
    assert [report["documents"] for report in summary[1:]] == [0] * (len(summary) - 1), "nothing recomputed"
