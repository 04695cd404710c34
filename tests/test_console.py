import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.console import LOADING_ROW, REASONS_SHOWN, Display, reject_lines, summary_table
from pipeline.engine import StageReport
from tests import tiny_outputs
from tests.conftest import SEEDS


def console(terminal: bool) -> Console:
    return Console(file=io.StringIO(), force_terminal=terminal, width=120)


def test_bars_only_on_a_terminal_and_not_when_quiet():
    for terminal, quiet, expected in ((True, False, True), (False, False, False), (True, True, False)):
        with Display(quiet, console(terminal)).progress("stage", 10) as advance:
            assert (advance is not None) == expected


def test_bar_counts_documents():
    display = Display(False, console(True))
    with display.progress("sentences", 5) as advance:
        advance(2)
        advance(3)
    assert "sentences" in display.console.file.getvalue()


def test_summary_table_has_rows_rejects_and_seconds_per_stage():
    reports = [StageReport("clean", 3, {"documents": 2, "rejects": 1}, 0.25), StageReport("sentences", 2, {"sentences": 9}, 1.5, carried=7)]
    out = console(False)
    out.print(summary_table(reports))
    text = out.file.getvalue()
    assert "documents 2" in text and "sentences 9" in text and "0.2" in text and "1.5" in text
    clean_row = next(line for line in text.splitlines() if "clean" in line)
    assert clean_row.split("│")[5].strip() == "1"
    sentences_row = next(line for line in text.splitlines() if "sentences 9" in line)
    assert sentences_row.split("│")[3].strip() == "7"


def test_run_prints_the_summary_table_and_quiet_only_the_line(tmp_path):
    runner = CliRunner()
    loud = runner.invoke(app, ["run", "--input", str(SEEDS), "--output", str(tmp_path)])
    assert loud.exit_code == 0, loud.output
    assert "sentences" in loud.stdout and "rejects" in loud.stdout and "\x1b[" not in loud.stdout
    # The model is loaded (in the workers' fork server, or here) once: its own row.
    assert LOADING_ROW in loud.stdout
    quiet = runner.invoke(app, ["run", "--input", str(SEEDS), "--output", str(tmp_path), "--quiet"])
    assert quiet.exit_code == 0 and len(quiet.stdout.strip().splitlines()) == 1
    assert quiet.stdout.startswith("documents read 5, written 5, rejected 0")


def test_report_command(tmp_path):
    folder = tiny_outputs.build(tmp_path / "outputs")
    result = CliRunner().invoke(app, ["report", "--output", str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (folder / "report" / "index.html").exists()
    missing = CliRunner().invoke(app, ["report", "--output", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "pipeline clean" in missing.stderr


def test_report_and_query_on_a_damaged_documents_table_exit_2(tmp_path):
    folder = tiny_outputs.build(tmp_path / "outputs")
    (folder / "documents.parquet").write_bytes(b"not parquet")
    for arguments in (["report"], ["query", "SELECT 1"]):
        result = CliRunner().invoke(app, [*arguments, "--output", str(folder)])
        assert result.exit_code == 2 and "pipeline clean" in result.stderr


def test_rate_is_documents_over_elapsed_time():
    from rich.progress import Progress

    from pipeline.console import RateColumn

    progress = Progress(RateColumn(), console=console(True), auto_refresh=False)
    task_id = progress.add_task("stage", total=10)
    task = progress.tasks[0]
    assert "–" in RateColumn().render(task).plain
    progress.start_task(task_id)
    task.start_time -= 2.0
    progress.advance(task_id, 4)
    rate = float(RateColumn().render(task).plain.split()[0])
    assert 1.0 < rate <= 2.0


def test_model_loading_is_its_own_row_and_left_out_of_the_stages_seconds():
    reports = [StageReport("sentences", 2, {"sentences": 9}, 0.5), StageReport("entities", 2, {"entities": 3}, 1.5, load_seconds=4.25)]
    out = console(False)
    out.print(summary_table(reports))
    rows = {line.split("│")[1].strip(): line.split("│")[6].strip() for line in out.file.getvalue().splitlines() if line.startswith("│")}
    assert rows == {"sentences": "0.5", "entities": "1.5", LOADING_ROW: "4.2"}
    unchanged = console(False)
    unchanged.print(summary_table([StageReport("entities", 0, {"entities": 3}, 0.01)]))
    assert LOADING_ROW not in unchanged.file.getvalue()


def test_rejects_are_grouped_by_reason_commonest_first():
    rejects = [("a.txt", "empty file"), ("b.jsonl:3", "no text"), ("c.txt", "empty file"), ("d.txt", "empty file"), ("e.txt", "empty file")]
    assert reject_lines(rejects, "out/rejects.parquet") == [
        "rejected 5 (by reason; all in out/rejects.parquet):",
        "  4 × empty file: a.txt, c.txt, d.txt, and 1 more",
        "  1 × no text: b.jsonl:3",
    ]
    many = [(f"{number}.txt", f"reason {number}") for number in range(REASONS_SHOWN + 2)]
    assert reject_lines(many, "rejects.parquet")[-1] == "  and 2 other reasons"
    assert reject_lines([], "rejects.parquet") == []


def test_run_ends_with_the_rejects_and_their_reasons(tmp_path):
    corpus = Path(shutil.copytree(SEEDS, tmp_path / "corpus"))
    for name in ("blank.txt", "void.txt"):
        (corpus / name).write_bytes(b"")
    result = CliRunner().invoke(app, ["clean", "--input", str(corpus), "--output", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[1:] == [f"  2 × empty file: {corpus / 'blank.txt'}, {corpus / 'void.txt'}"]
    assert result.stdout.strip() == "documents read 7, written 5, rejected 2; " + result.stdout.split("; ")[1].strip()


def test_missing_input_is_one_line_and_writes_nothing(tmp_path):
    folder = tiny_outputs.build(tmp_path / "outputs")
    before = (folder / "documents.parquet").read_bytes()
    result = CliRunner().invoke(app, ["run", "--input", str(tmp_path / "nope"), "--output", str(folder)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"error: nothing to read: --input {tmp_path / 'nope'}: path does not exist"]
    assert (folder / "documents.parquet").read_bytes() == before, "the tables already written are kept"


def test_without_input_outside_the_repository_says_what_to_pass(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: no input given, and data/raw (paths.input of the settings) is not in {tmp_path}: pass --input FILES_OR_FOLDERS"]
    assert not (tmp_path / "outputs").exists()


@pytest.mark.parametrize("output", ["a-file", "a-file/tables"])
def test_an_output_that_is_a_file_is_one_line(tmp_path, output):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(app, ["clean", "--input", str(SEEDS), "--output", str(tmp_path / output)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: cannot write the tables to {tmp_path / output}: {tmp_path / 'a-file'} is a file, not a folder"]


def test_an_output_that_is_not_writable_is_one_line(tmp_path, monkeypatch):
    import errno

    from pipeline import paths

    def refuse(folder):
        raise PermissionError(errno.EACCES, "Permission denied", str(folder / ".pipeline.lock"))

    # Root (CI) may write anywhere, so the refusal is the file system's answer, simulated.
    monkeypatch.setattr(paths, "claim_output_folder", refuse)  # the CLI imports it when a command runs
    result = CliRunner().invoke(app, ["clean", "--input", str(SEEDS), "--output", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: cannot write the tables to {tmp_path / 'out'}: {tmp_path / 'out'} is not writable (Permission denied)"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_output_folder_is_one_line(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = CliRunner().invoke(app, ["clean", "--input", str(SEEDS), "--output", str(locked / "out")])
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 2 and result.stderr.splitlines() == [f"error: cannot write the tables to {locked / 'out'}: {locked} is not writable (Permission denied)"]


def test_dictionary_writes_where_it_is_told(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(app, ["dictionary"]).exit_code == 0
    assert (tmp_path / "docs" / "tables.md").read_text(encoding="utf-8").startswith("# Data dictionary")
    result = CliRunner().invoke(app, ["dictionary", "--output", str(tmp_path / "elsewhere" / "dictionary.md")])
    assert result.exit_code == 0 and (tmp_path / "elsewhere" / "dictionary.md").is_file()


def test_python_dash_m_pipeline_is_the_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Usage: python -m pipeline" in result.stdout and "dictionary" in result.stdout
