"""`pipeline validate` finds what breaks the contract, one problem per line."""
import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.stages import SOURCE_STAGE, TABLE_STAGES
from pipeline.engine import manifest_path
from pipeline.tables import DOCUMENTS, SENTENCES, TABLES, TableError, read_metadata, table_path, write_table
from pipeline.validate import check_upstream, validate_folder
from tests.conftest import SEEDS

runner = CliRunner()
STAGES = (SOURCE_STAGE, *TABLE_STAGES)
SENTENCE_STAGE = next(stage for stage in TABLE_STAGES if stage.name == "sentences")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("built")
    result = runner.invoke(app, ["run", "--input", str(SEEDS), "--output", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def outputs(built, tmp_path):
    return Path(shutil.copytree(built, tmp_path / "out"))


def rewrite(spec, folder, change, stage_version=None):
    """Rewrite a table through ``change`` keeping its metadata (so only the data is wrong)."""
    meta = read_metadata(table_path(spec, folder))
    if stage_version is not None:
        meta["stage_version"] = stage_version
    frame = change(pd.read_parquet(table_path(spec, folder)))
    extra = {key: value for key, value in meta.items() if key in ("config_hash", "stage_version", "model", "run_token", "documents_sha256")}
    write_table(spec, frame, folder, extra)


def problems(folder):
    return [str(p) for p in validate_folder(folder, STAGES)[1]]


def test_a_fresh_run_is_valid(outputs):
    assert problems(outputs) == []
    result = runner.invoke(app, ["validate", "--output", str(outputs)])
    assert result.exit_code == 0 and result.output.startswith("valid: documents.parquet, sentences.parquet")


def test_shifted_offsets_are_reported(outputs):
    rewrite(SENTENCES, outputs, lambda f: f.assign(start=f["start"] + (f.index == 3), end=f["end"] + (f.index == 3)))
    assert any(p.startswith("sentences: text is not documents.text[start:end]: doc_id ") for p in problems(outputs))


def test_offsets_past_the_end_are_reported(outputs):
    rewrite(SENTENCES, outputs, lambda f: f.assign(end=f["end"] + 10_000 * (f.index == 0)))
    assert any("start/end out of the document" in p for p in problems(outputs))


def test_unknown_doc_and_duplicate_ids_are_reported(outputs):
    def change(frame):
        extra = frame.iloc[[0]].assign(doc_id="ghost")
        return pd.concat([frame, frame.iloc[[1]], extra], ignore_index=True)

    rewrite(SENTENCES, outputs, change)
    found = problems(outputs)
    assert "sentences: doc_id not in documents: ghost" in found
    assert any(p.startswith("sentences: duplicate id: doc_id ") for p in found)


def test_stale_sentences_are_reported(outputs):
    rewrite(SENTENCES, outputs, lambda f: f[f["doc_id"] != f["doc_id"].iloc[0]])
    assert any("document without any sentence" in p for p in problems(outputs))


def test_tables_built_from_other_documents_are_stale(outputs):
    rewrite(DOCUMENTS, outputs, lambda f: f.iloc[:-1])
    found = problems(outputs)
    assert any(p.startswith("sentences: ") and "built from another documents.parquet" in p and "`pipeline sentences`" in p for p in found)
    downstream = next(stage for stage in TABLE_STAGES if SENTENCES in stage.reads)
    result = runner.invoke(app, [downstream.name, "--output", str(outputs)])
    assert result.exit_code == 2 and "rebuild it with `pipeline sentences`" in result.stderr


def test_documents_text_and_hash_must_agree(outputs):
    rewrite(DOCUMENTS, outputs, lambda f: f.assign(text=f["text"].str.replace("OTAN", "ONU")))
    found = problems(outputs)
    assert any("content_sha256 does not match text" in p for p in found)


def test_wrong_stage_version_is_reported_and_refused(outputs):
    rewrite(SENTENCES, outputs, lambda f: f, stage_version="0")
    assert any("written by sentences stage version 0" in p and "`pipeline sentences`" in p for p in problems(outputs))
    reader = dataclasses.replace(SENTENCE_STAGE, name="reader", reads=(DOCUMENTS, SENTENCES), writes=())
    with pytest.raises(TableError, match="rebuild it with `pipeline sentences`"):
        check_upstream(reader, outputs, STAGES)


def test_wrong_schema_is_reported(outputs):
    pq.write_table(pq.read_table(table_path(SENTENCES, outputs)).drop(["para_id"]), table_path(SENTENCES, outputs))
    found = problems(outputs)
    assert len(found) == 1 and "rebuild it with `pipeline sentences`" in found[0]


def test_cli_prints_one_problem_per_line_and_exits_1(outputs):
    rewrite(SENTENCES, outputs, lambda f: f.assign(text=f["text"].str.upper()))
    result = runner.invoke(app, ["validate", "--output", str(outputs)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 11 and lines[-1].endswith("more")  # capped at 10 lines, then a count
    assert result.stderr.strip().startswith("error: 11 problem(s)")


def test_stage_command_refuses_an_outdated_upstream(outputs):
    rewrite(DOCUMENTS, outputs, lambda f: f, stage_version="0")
    result = runner.invoke(app, ["sentences", "--output", str(outputs)])
    assert result.exit_code == 2
    assert "rebuild it with `pipeline clean`" in result.stderr


def test_stages_not_run_are_reported_unless_the_folder_is_knowingly_partial(tmp_path):
    for command in (["clean", "--input", str(SEEDS)], ["sentences"]):
        assert runner.invoke(app, [*command, "--output", str(tmp_path)]).exit_code == 0
    result = runner.invoke(app, ["validate", "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{name}: stage not run: {files} missing; run `pipeline {name}` (or `pipeline validate --partial` for a folder built only in part)"
        for name, files in (("entities", "tokens.parquet, entities.parquet"), ("quotes", "quotes.parquet"), ("dates", "dates.parquet"), ("quote_context", "quote_mentions.parquet, quote_dates.parquet"))
    ]
    partial = runner.invoke(app, ["validate", "--output", str(tmp_path), "--partial"])
    assert partial.exit_code == 0, partial.output
    assert partial.stdout.strip() == "valid (partial; not built: entities, quotes, dates, quote_context): documents.parquet, sentences.parquet, rejects.parquet"


def test_a_stage_built_on_a_missing_one_is_reported_even_when_partial(outputs):
    for name in ("tokens", "entities"):
        table_path(TABLES[name], outputs).unlink()
    found = [str(p) for p in validate_folder(outputs, STAGES, partial=True)[1]]
    assert "quotes: built on entities, whose tables are missing; run `pipeline run`" in found
    assert "dates: built on entities, whose tables are missing; run `pipeline run`" in found


def test_a_manifest_that_does_not_describe_the_tables_is_incomplete(outputs):
    manifest_path("quotes", outputs).unlink()
    found = [str(p) for p in validate_folder(outputs, STAGES, partial=True)[1]]
    assert found == [f"quotes: incomplete: {manifest_path('quotes', outputs)} is missing or describes other tables (a run stopped while committing this stage?); run `pipeline quotes`"]


def test_documents_computed_from_other_settings_are_incomplete(outputs, settings, tmp_path):
    lexicon = tmp_path / "entities.toml"
    lexicon.write_text(settings.lexicon_path("entities", "lexicons").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    config = tmp_path / "other-lexicon.toml"
    config.write_text(f'[entities]\nlexicons = "{lexicon}"\n', encoding="utf-8")
    assert problems(outputs) == [] and validate_folder(outputs, STAGES, settings)[1] == []
    result = runner.invoke(app, ["validate", "--output", str(outputs), "--config", str(config)])
    assert result.exit_code == 1
    # Only entities: quotes and dates read rows that did not change.
    assert result.stdout.splitlines() == [
        "entities: incomplete: 5 of 5 document(s) computed from other inputs, settings or code than the current ones "
        f"(first: {pd.read_parquet(outputs / 'documents.parquet')['doc_id'].iloc[0]}); run `pipeline entities`"
    ]


HOLD_THE_LOCK = """
import sys
from pipeline.paths import claim_output_folder
claim_output_folder(sys.argv[1])
print("claimed", flush=True)
sys.stdin.read()
"""


def test_a_folder_being_written_is_not_valid(outputs):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(outputs)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "claimed"
        found = problems(outputs)
        assert found == [f"(folder): {outputs.resolve()}: a pipeline process is writing here now; its tables are incomplete until it ends"]
    finally:
        holder.communicate("")
    assert problems(outputs) == []
