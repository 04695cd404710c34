import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.query import connect, read_or_empty, run_query
from pipeline.stages import TABLE_STAGES
from pipeline.tables import QUOTES, TABLES
from tests import tiny_outputs

TOP_SPEAKERS = "SELECT speaker, count(*) AS quotes FROM quotes GROUP BY 1 ORDER BY 2 DESC, 1"


@pytest.fixture()
def tiny(tmp_path):
    return tiny_outputs.build(tmp_path / "outputs")


def invoke(*arguments):
    return CliRunner().invoke(app, list(arguments))


def test_every_table_is_a_view_named_after_it(tiny):
    connection = connect(tiny)
    names = {row[0] for row in connection.sql("SELECT table_name FROM information_schema.tables").fetchall()}
    assert names == set(TABLES)


def test_query_prints_the_result_as_a_table(tiny):
    result = invoke("query", TOP_SPEAKERS, "--output", str(tiny))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    order = [next(i for i, line in enumerate(lines) if name in line) for name in ("Emmanuel Macron", "Jens Stoltenberg", 'Marie "Curie" O’Neil')]
    assert order == sorted(order) and "3 rows" in result.stdout


def test_query_writes_csv_and_parquet(tiny, tmp_path):
    for name in ("speakers.csv", "speakers.parquet"):
        out = tmp_path / "results" / name
        result = invoke("query", TOP_SPEAKERS, "--output", str(tiny), "--out", str(out))
        assert result.exit_code == 0, result.output
        frame = pd.read_csv(out) if out.suffix == ".csv" else pd.read_parquet(out)
        assert frame["speaker"].tolist() == ["Emmanuel Macron", "Jens Stoltenberg", 'Marie "Curie" O’Neil']


def test_list_columns_go_to_csv(tiny, tmp_path):
    out = tmp_path / "documents.csv"
    assert invoke("query", "SELECT doc_id, boilerplate FROM documents", "-o", str(tiny), "--out", str(out)).exit_code == 0
    assert len(pd.read_csv(out)) == len(tiny_outputs.TEXTS)


@pytest.mark.parametrize("sql", ["SELEC 1", "SELECT * FROM nowhere", "SELECT no_such_column FROM quotes"])
def test_bad_sql_is_one_line_and_exit_2(tiny, sql):
    result = invoke("query", sql, "--output", str(tiny))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1


def test_bad_out_suffix_and_missing_folder_are_usage_errors(tiny, tmp_path):
    assert invoke("query", "SELECT 1", "-o", str(tiny), "--out", str(tmp_path / "x.txt")).exit_code == 2
    result = invoke("query", "SELECT 1", "-o", str(tmp_path / "nothing"))
    assert result.exit_code == 2 and "pipeline clean" in result.stderr
    assert not (tmp_path / "nothing").exists()


def test_a_table_no_stage_wrote_reads_as_empty_and_is_named(tiny):
    (tiny / QUOTES.file_name).unlink()
    assert run_query("SELECT count(*) AS n FROM quotes", tiny).to_pylist() == [{"n": 0}]
    assert list(read_or_empty(QUOTES, tiny).columns) == QUOTES.column_names
    result = invoke("query", TOP_SPEAKERS, "--output", str(tiny))
    assert result.exit_code == 0 and "quotes" in result.stderr and "pipeline quotes" in result.stderr


def test_long_results_are_cut_and_say_so(tiny):
    result = invoke("query", "SELECT * FROM range(100)", "-o", str(tiny), "--max-rows", "5")
    assert result.exit_code == 0 and "100 rows, first 5 shown" in result.stdout


def test_values_are_printed_literally_not_as_rich_markup(tiny):
    result = invoke("query", "SELECT '[red]x[/red]' AS s, NULL AS n", "-o", str(tiny))
    assert result.exit_code == 0 and "[red]x[/red]" in result.stdout and "NULL" in result.stdout


@pytest.mark.slow
@pytest.mark.skipif("quotes" not in {stage.name for stage in TABLE_STAGES}, reason="the quote stage is not registered yet")
def test_top_speaker_of_the_default_corpus(default_outputs):
    result = invoke("query", "SELECT speaker, count(*) FROM quotes GROUP BY 1 ORDER BY 2 DESC", "--output", str(default_outputs))
    assert result.exit_code == 0, result.output
    first_row = next(line for line in result.stdout.splitlines() if line.startswith("│"))
    # The five seed articles quote the NATO secretary general far more than anyone else.
    assert "Jens Stoltenberg" in first_row
