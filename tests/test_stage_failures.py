"""A document that makes a later stage fail is rejected by that stage; the run goes on."""
import dataclasses

import pandas as pd
import pytest

from pipeline.engine import run_source_stage, run_stage
from pipeline.readers import read_records
from pipeline.stages import SOURCE_STAGE, TABLE_STAGES
from pipeline.tables import REJECTS, SENTENCES, read_table
from pipeline.validate import validate_folder
from tests.conftest import SEEDS

SENTENCE_STAGE = next(stage for stage in TABLE_STAGES if stage.name == "sentences")


def failing_on(doc_ids):
    def prepare(settings):
        function = SENTENCE_STAGE.prepare(settings)

        def run(frames):
            bad = set(frames["documents"]["doc_id"]) & set(doc_ids)
            if bad:
                raise ValueError(f"cannot split {sorted(bad)[0]}\nsecond line")
            return function(frames)

        return run

    return dataclasses.replace(SENTENCE_STAGE, prepare=prepare)


@pytest.fixture
def cleaned(tmp_path, settings):
    run_source_stage(SOURCE_STAGE, read_records([SEEDS]), settings, tmp_path)
    return tmp_path


def test_failing_document_is_rejected_and_the_others_processed(cleaned, settings):
    bad = "002_0f40d0b53e695aba"
    report = run_stage(failing_on({bad}), settings, cleaned)
    sentences = read_table(SENTENCES, cleaned)
    assert bad not in set(sentences["doc_id"]) and sentences["doc_id"].nunique() == 4
    rejects = read_table(REJECTS, cleaned)
    assert rejects.to_dict("records") == [
        {"source": str(SEEDS / f"{bad}.txt"), "doc_id": bad, "stage": "sentences", "reason": f"stage failed on this document: ValueError: cannot split {bad} second line"}
    ]
    assert report.rows["rejects"] == 1
    assert validate_folder(cleaned, (SOURCE_STAGE, *TABLE_STAGES), settings, partial=True)[1] == []

    run_stage(SENTENCE_STAGE, settings, cleaned)  # fixed: the re-run replaces this stage's rejects
    assert read_table(REJECTS, cleaned).empty
    assert read_table(SENTENCES, cleaned)["doc_id"].nunique() == 5


def test_a_stage_failing_on_every_document_stops_the_run(cleaned, settings):
    everyone = set(pd.read_parquet(cleaned / "documents.parquet")["doc_id"])
    before = (cleaned / "rejects.parquet").read_bytes()
    with pytest.raises(ValueError, match="cannot split"):
        run_stage(failing_on(everyone), settings, cleaned)
    assert not (cleaned / "sentences.parquet").exists() and not list(cleaned.glob(".*.tmp"))
    assert (cleaned / "rejects.parquet").read_bytes() == before
