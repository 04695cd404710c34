"""The Python API: `pipeline.analyse` in memory (the tables of `pipeline run`, nothing
written) and `pipeline.load` on an output folder; `import pipeline` stays cheap."""
import json
import os
import subprocess
import sys
import textwrap

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.tables import QUOTES, TABLES, TableError, table_path
from pipeline.validate import KEYS
from tests import tiny_outputs
from tests.conftest import ROOT, SEEDS


def _python(code: str, cwd, **environment) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", **environment}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_importing_the_package_the_api_and_the_report_loads_no_model(tmp_path):
    result = _python(
        """
        import sys
        import pipeline
        assert "pandas" not in sys.modules, "import pipeline must stay cheap"
        pipeline.load, pipeline.analyse
        import pipeline.api, pipeline.query, pipeline.report, pipeline.charts
        print(sorted(name for name in ("spacy", "matplotlib", "pipeline.stages") if name in sys.modules))
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --- load ----------------------------------------------------------------------------


def test_load_gives_every_table_by_name_and_a_duckdb_connection(tmp_path):
    folder = tiny_outputs.build(tmp_path / "outputs")
    tables = pipeline.load(folder)
    assert list(tables) == list(TABLES) and tables.missing == []
    assert tables.quotes is tables["quotes"] and list(tables.quotes.columns) == QUOTES.column_names
    assert tables.sql("SELECT count(*) AS n FROM quote_mentions").to_dict("records") == [{"n": 4}]
    assert tables.db.sql("SELECT speaker FROM quotes ORDER BY 1").fetchall()[0] == ("Emmanuel Macron",)
    with pytest.raises(KeyError, match="no table 'nowhere'"):
        tables["nowhere"]


def test_load_reads_a_table_no_stage_wrote_as_empty_and_names_it(tmp_path):
    folder = tiny_outputs.build(tmp_path / "outputs")
    table_path(TABLES["quote_dates"], folder).unlink()
    tables = pipeline.load(folder)
    assert tables.missing == ["quote_dates"] and tables.quote_dates.empty and len(tables.sql("SELECT * FROM quote_dates")) == 0


def test_load_of_a_folder_without_a_run_names_the_command_to_run(tmp_path):
    with pytest.raises(TableError, match="pipeline clean"):
        pipeline.load(tmp_path)


# --- analyse -------------------------------------------------------------------------


def _sorted(table: pa.Table, name: str) -> pa.Table:
    keys = KEYS.get(name) or tuple(table.column_names)
    return table.sort_by([(column, "ascending") for column in keys])


@pytest.mark.slow
def test_analyse_gives_the_tables_of_pipeline_run(tmp_path):
    folder = tmp_path / "outputs"
    result = CliRunner().invoke(app, ["run", "--input", str(SEEDS), "--output", str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    tables = pipeline.analyse([SEEDS])
    for name, spec in TABLES.items():
        written = pq.read_table(table_path(spec, folder))
        # The frames cast back to the contract are the run's tables, row for row.
        in_memory = pa.Table.from_pandas(tables[name], schema=spec.schema, preserve_index=False)
        assert in_memory.num_rows == written.num_rows and (name == "rejects" or written.num_rows), name
        assert _sorted(in_memory, name).equals(_sorted(written.cast(spec.schema), name)), name
        assert tables[name].dtypes.to_dict() == written.to_pandas().dtypes.to_dict(), name


NO_WRITES = """
import json, os, sys
from pathlib import Path

written = []
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CHANGES = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.symlink", "os.link", "os.truncate", "os.chmod", "os.utime", "shutil.copyfile", "shutil.rmtree"}

def audit(event, arguments):
    if str(arguments[0]).startswith("/dev/"):
        return  # /dev/null and the like are no files
    if event == "open" and ((arguments[1] and any(m in arguments[1] for m in "wax+")) or (arguments[2] or 0) & WRITING):
        written.append(f"open {arguments[0]}")
    elif event in CHANGES:
        written.append(f"{event} {arguments[0]}")

sys.addaudithook(audit)
import pipeline

tables = pipeline.analyse([
    "Un titre\\n\\nMarie Curie a déclaré : « Nous viendrons. »",
    {"id": "rec", "date": "2023-03-10", "text": "Autre titre\\n\\nPaul Girard a affirmé que Lyon gagnerait."},
    {"text": "sans identifiant"},
    {"id": "rec", "text": "Un doublon."},
    Path(sys.argv[1]),
])
print(json.dumps({
    "written": written,
    "doc_ids": tables.documents["doc_id"].tolist(),
    "rejects": tables.rejects["reason"].tolist(),
    "speakers": sorted(tables.quotes["speaker"].dropna().unique().tolist()),
    "dated_by": tables.quote_dates["dated_by"].tolist(),
    "sql": tables.sql("SELECT count(*) AS n FROM documents").to_dict("records"),
}))
"""


@pytest.mark.slow
def test_analyse_writes_nothing_even_in_a_read_only_folder(tmp_path):
    """Texts, records and a path, analysed from an empty read-only working folder (where the
    default output folder would be): every file opened for writing or changed (Python's
    audit events) is recorded, and the folder stays empty (root may write in it)."""
    work = tmp_path / "work"
    work.mkdir()
    work.chmod(0o555)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    try:
        result = _python(f"import sys; sys.argv[1:] = [{str(seed)!r}]\n" + NO_WRITES, work)
    finally:
        work.chmod(0o755)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["written"] == [] and list(work.iterdir()) == []
    assert found["doc_ids"] == ["text-0", "rec", seed.stem]
    assert found["rejects"] == ["record lacks id", f"duplicate doc_id 'rec' (first read from analyse() input 1)"]
    assert {"Marie Curie", "Paul Girard"} <= set(found["speakers"]) and found["sql"] == [{"n": 3}]
    assert len(found["dated_by"]) >= 2


@pytest.mark.slow
def test_analyse_leaves_out_what_readers_skip(tmp_path):
    from tests.test_readers_warc import ARTICLE_URLS, LAST_URL, write_warc

    crawl = tmp_path / "crawl.warc"
    write_warc(crawl, gzipped=False)  # requests, an image, a redirect: skipped, as in a run
    tables = pipeline.analyse(crawl)
    assert tables.documents["url"].tolist() == ARTICLE_URLS + [LAST_URL] and tables.rejects.empty
