"""The console script's contract: usage errors are one line on stderr with exit code 2."""
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def pipeline(*arguments):
    code = "from pipeline.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["run", "--bogus"], "No such option: --bogus"),
        (["evaluate"], "Missing option '--gold'"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_usage_error_is_one_line_and_exit_code_2(arguments, message):
    result = pipeline(*arguments)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ") and message in result.stderr


def test_help_and_no_arguments_show_the_commands():
    for arguments in ([], ["--help"]):
        result = pipeline(*arguments)
        assert result.returncode == 0 and "run" in result.stdout and "evaluate" in result.stdout
