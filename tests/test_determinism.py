"""Two runs on the same input give identical table contents."""
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import SEEDS, TIMEBANK


@pytest.mark.slow
def test_two_runs_give_identical_tables(tmp_path):
    runner = CliRunner()
    folders = [tmp_path / "first", tmp_path / "second"]
    for folder in folders:
        result = runner.invoke(app, ["run", "--input", str(SEEDS), "--input", str(TIMEBANK), "--output", str(folder)])
        assert result.exit_code == 0, result.output
    names = sorted(path.name for path in folders[0].glob("*.parquet"))
    assert names == sorted(path.name for path in folders[1].glob("*.parquet"))
    assert {"documents.parquet", "sentences.parquet", "rejects.parquet"} <= set(names)
    for name in names:
        first, second = (pd.read_parquet(folder / name) for folder in folders)
        pd.testing.assert_frame_equal(first, second, obj=name)
