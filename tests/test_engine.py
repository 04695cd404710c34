"""The engine: same tables with 1 or 2 workers and on Dask; incremental re-runs."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pipeline.config import load_settings
from pipeline.checkpoints import PARTS_FOLDER, Checkpoint, Done
from pipeline.engine import (
    InProcess, ProcessPool, _write_part, document_hashes, load_manifest, manifest_path, open_executor, preload_payload, run_source_stage, run_stage, stage_key,
)
from pipeline.readers import read_records
from pipeline.stages import SOURCE_STAGE, TABLE_STAGES
from pipeline.tables import TABLES, TableWriter, table_path
from pipeline.versions import model_identity
from tests.conftest import SEEDS, TIMEBANK

pytestmark = pytest.mark.slow
STAGES_BY_NAME = {stage.name: stage for stage in TABLE_STAGES}

# Twelve articles in partitions of four: enough for several partitions per stage.
CORPUS = sorted(SEEDS.glob("*.txt")) + sorted(TIMEBANK.glob("*.tml"))[:7]
TABLE_NAMES = ("documents", "rejects", *(spec.name for stage in TABLE_STAGES for spec in stage.writes))


@pytest.fixture(scope="module")
def small_settings(settings):
    return settings.with_overrides({"engine": {"docs_per_batch": 4}})


def copy_corpus(folder: Path) -> Path:
    """The articles, plus a blank file that the clean stage rejects on every run."""
    folder.mkdir()
    for path in CORPUS:
        shutil.copy(path, folder / path.name)
    (folder / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    return folder


# The rejected input is tried again on every run; it never becomes a document.
RETRIED = 1


@pytest.fixture()
def corpus(tmp_path, monkeypatch) -> Path:
    """The corpus as a relative path, so documents.source is the same in every test."""
    monkeypatch.chdir(tmp_path)
    return copy_corpus(Path("in"))


def run_all(settings, inputs: Path, folder: Path, executor=None, force: bool = False) -> dict[str, int]:
    """Documents processed per stage."""
    reports = [run_source_stage(SOURCE_STAGE, read_records([inputs]), settings, folder, force=force)]
    reports += [run_stage(stage, settings, folder, executor=executor or InProcess(), force=force) for stage in TABLE_STAGES]
    return {report.stage: report.documents for report in reports}


def tables(folder: Path) -> dict:
    return {name: pq.read_table(table_path(TABLES[name], folder)) for name in TABLE_NAMES}


def assert_same_tables(left: Path, right: Path) -> None:
    first, second = tables(left), tables(right)
    for name in TABLE_NAMES:
        assert first[name].equals(second[name]), name


@pytest.fixture(scope="module")
def first_run(small_settings, tmp_path_factory) -> Path:
    """One in-process run over the corpus, copied by each test that changes it."""
    scratch = tmp_path_factory.mktemp("first-run")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(scratch)
        run_all(small_settings, copy_corpus(Path("in")), scratch / "out")
    return scratch / "out"


@pytest.fixture()
def reference(first_run, corpus, tmp_path) -> Path:
    """A previous run over ``corpus`` (same files, same contents)."""
    return Path(shutil.copytree(first_run, tmp_path / "reference"))


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warmed"])
def test_two_workers_write_the_same_tables_as_one(warm, small_settings, corpus, reference, tmp_path):
    pool = ProcessPool(2)
    try:
        if warm:
            pool.warm(small_settings, TABLE_STAGES)
        run_all(small_settings, corpus, tmp_path / "pool", executor=pool)
    finally:
        pool.close()
    assert_same_tables(reference, tmp_path / "pool")


SENTENCE_STAGE = next(stage for stage in TABLE_STAGES if stage.name == "sentences")


def prepare_and_sign(settings):
    """The sentence stage's prepare, which also writes the preparing process's id to the file
    that ``[test] prepared_in`` names."""
    with open(settings.raw["test"]["prepared_in"], "a", encoding="utf-8") as signatures:
        signatures.write(f"{os.getpid()}\n")
    return SENTENCE_STAGE.prepare(settings)


SIGNING_SENTENCES = dataclasses.replace(SENTENCE_STAGE, prepare=prepare_and_sign)


def test_warmed_pool_prepares_a_stage_once_for_every_worker(small_settings, corpus, tmp_path):
    signatures = tmp_path / "prepared-in.txt"
    settings = small_settings.with_overrides({"test": {"prepared_in": str(signatures)}})
    run_source_stage(SOURCE_STAGE, read_records([corpus]), settings, tmp_path / "out")
    pool = ProcessPool(2)
    try:
        pool.warm(settings, [SIGNING_SENTENCES])
        run_stage(SIGNING_SENTENCES, settings, tmp_path / "out", executor=pool)
    finally:
        pool.close()
    preparers = signatures.read_text(encoding="utf-8").split()
    assert len(preparers) == 1 and preparers != [str(os.getpid())], "prepared once, in the fork server"
    assert run_stage(SENTENCE_STAGE, small_settings, tmp_path / "out").documents == 0, "a complete sentences table"


def test_only_named_stages_and_plain_settings_are_preloaded(small_settings):
    assert json.loads(preload_payload(small_settings, TABLE_STAGES))["stages"][1] == ["pipeline.stages.entities", "STAGE"]
    unnamed = dataclasses.replace(SENTENCE_STAGE, name="unnamed")
    assert preload_payload(small_settings, [unnamed]) is None
    assert preload_payload(small_settings.with_overrides({"test": {"when": object()}}), TABLE_STAGES) is None


def test_clean_announces_work_only_for_new_or_changed_documents(small_settings, corpus, reference):
    announced = []
    run_source_stage(SOURCE_STAGE, read_records([corpus]), small_settings, reference, on_fresh=announced.append)
    assert announced == [], "the blank file is read again and rejected again: no work for later stages"
    for article in (corpus / CORPUS[0].name, corpus / CORPUS[4].name):
        article.write_text(article.read_text(encoding="utf-8") + "\n\nUn paragraphe ajouté.\n", encoding="utf-8")
    run_source_stage(SOURCE_STAGE, read_records([corpus]), small_settings, reference, on_fresh=announced.append)
    assert announced == [1, 2], "one call per batch of four records that wrote a changed document"


def test_dask_cluster_writes_the_same_tables_as_the_local_engine(small_settings, corpus, reference, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        settings = small_settings.with_overrides({"engine": {"kind": "dask", "scheduler": cluster.scheduler_address}})
        with open_executor(settings) as executor:
            assert executor.workers == 2
            run_all(settings, corpus, tmp_path / "dask", executor=executor)
    assert_same_tables(reference, tmp_path / "dask")
    assert not any((tmp_path / "dask" / "_parts").glob("*/*")), "part files are removed once assembled"


def test_unchanged_rerun_processes_nothing(small_settings, corpus, reference):
    before = {name: table_path(TABLES[name], reference).stat().st_mtime_ns for name in TABLE_NAMES if name != "rejects"}
    assert run_all(small_settings, corpus, reference) == {"clean": RETRIED, **{stage.name: 0 for stage in TABLE_STAGES}}
    after = {name: table_path(TABLES[name], reference).stat().st_mtime_ns for name in before}
    assert before == after, "unchanged tables are not rewritten"


def test_changed_article_is_the_only_one_reprocessed(small_settings, corpus, reference, tmp_path):
    article = corpus / CORPUS[1].name
    article.write_text(article.read_text(encoding="utf-8") + "\n\nUn paragraphe ajouté à Paris.\n", encoding="utf-8")
    assert run_all(small_settings, corpus, reference) == {"clean": 1 + RETRIED, **{stage.name: 1 for stage in TABLE_STAGES}}
    run_all(small_settings, corpus, tmp_path / "fresh")
    assert_same_tables(reference, tmp_path / "fresh")


def test_removed_article_disappears_from_every_table(small_settings, corpus, reference, tmp_path):
    (corpus / CORPUS[0].name).unlink()
    assert run_all(small_settings, corpus, reference) == {"clean": RETRIED, **{stage.name: 0 for stage in TABLE_STAGES}}
    run_all(small_settings, corpus, tmp_path / "fresh")
    assert_same_tables(reference, tmp_path / "fresh")


def with_lexicon_added(settings, stage: str, key: str, addition: str, folder: Path):
    """Settings naming a copy of the stage's lexicon with ``addition`` at its end."""
    original = settings.lexicon_path(stage, key)
    lexicon = folder / original.name
    lexicon.write_text(original.read_text(encoding="utf-8") + addition, encoding="utf-8")
    return settings.with_overrides({stage: {key: str(lexicon)}})


def test_settings_change_reruns_that_stage_and_later_ones_where_their_input_changed(small_settings, corpus, reference, tmp_path):
    # "janvier." no longer ends a sentence: one article of the corpus has a sentence ending so.
    changed = with_lexicon_added(small_settings, "sentences", "abbreviations", "janvier\n", tmp_path)
    before = pq.read_table(table_path(TABLES["sentences"], reference)).to_pandas()
    processed = run_all(changed, corpus, reference)
    after = pq.read_table(table_path(TABLES["sentences"], reference)).to_pandas()
    resplit = {doc_id for doc_id in before["doc_id"].unique() if not before[before["doc_id"] == doc_id].reset_index(drop=True).equals(after[after["doc_id"] == doc_id].reset_index(drop=True))}
    assert len(resplit) == 1
    assert processed == {"clean": RETRIED, "sentences": len(CORPUS), "entities": len(resplit), "quotes": len(resplit), "dates": len(resplit), "quote_context": len(resplit)}
    run_all(changed, corpus, tmp_path / "fresh")
    assert_same_tables(reference, tmp_path / "fresh")


def test_entity_lexicon_change_reruns_entities_but_not_dates(small_settings, corpus, reference, tmp_path):
    """Dates read tokens, which the entity lexicon does not make: they are not re-run."""
    changed = with_lexicon_added(small_settings, "entities", "lexicons", "\n# edited\n", tmp_path)
    assert run_all(changed, corpus, reference) == {"clean": RETRIED, "sentences": 0, "entities": len(CORPUS), "quotes": 0, "dates": 0, "quote_context": 0}
    run_all(changed, corpus, tmp_path / "fresh")
    assert_same_tables(reference, tmp_path / "fresh")


def test_model_identity_is_part_of_the_parsing_stage_only(small_settings):
    identity = model_identity(small_settings.model_name)
    assert identity.startswith(f"{small_settings.model_name}==3.") and "spacy==" in identity
    assert [stage.name for stage in (SOURCE_STAGE, *TABLE_STAGES) if identity in stage_key(stage, small_settings)] == ["entities"]


def test_force_recomputes_everything(small_settings, corpus, reference):
    assert run_all(small_settings, corpus, reference, force=True) == {"clean": len(CORPUS) + RETRIED, **{stage.name: len(CORPUS) for stage in TABLE_STAGES}}


def test_manifest_not_matching_its_table_is_ignored(small_settings, corpus, reference):
    """A crash between committing a table and its manifest must not skip any document."""
    sentences = TABLES["sentences"]
    rows = pq.read_table(table_path(sentences, reference))
    with TableWriter(sentences, table_path(sentences, reference), {"run_token": "from-another-run"}) as writer:
        writer.write(rows)
    assert manifest_path("sentences", reference).exists()
    assert load_manifest("sentences", reference) is None
    processed = run_all(small_settings, corpus, reference)
    assert processed["clean"] == RETRIED and processed["sentences"] == len(CORPUS)


ARTICLE_IDS = [f"a{number}" for number in range(8)]
corpora = st.lists(
    st.tuples(st.sampled_from(ARTICLE_IDS), st.sampled_from(["Titre\n\nUn texte.", "Autre titre\n\nDeux phrases. Encore une.", "Court"])),
    max_size=8,
    unique_by=lambda article: article[0],
)


def write_corpus(path: Path, articles: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n" for doc_id, text in articles), encoding="utf-8")
    return path


@hypothesis_settings(max_examples=40, deadline=None)
@given(before=corpora, after=corpora, sentence_batch=st.integers(1, 5))
def test_incremental_run_equals_a_fresh_run(before, after, sentence_batch):
    """Whatever changed (added, removed, edited, reordered articles), carrying rows over
    gives the tables a fresh run would write."""
    config = load_settings().with_overrides({"engine": {"docs_per_batch": sentence_batch}})
    stages = [SOURCE_STAGE, TABLE_STAGES[0]]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for folder, runs in ((work / "incremental", (before, after)), (work / "fresh", (after,))):
            for articles in runs:
                corpus = write_corpus(work / "corpus.jsonl", articles)
                run_source_stage(stages[0], read_records([corpus]), config, folder)
                run_stage(stages[1], config, folder)
        for name in ("documents", "sentences"):
            spec = TABLES[name]
            assert pq.read_table(table_path(spec, work / "incremental")).equals(pq.read_table(table_path(spec, work / "fresh"))), name


def test_part_folders_of_earlier_runs_are_taken_over_or_removed(small_settings, corpus, reference):
    """A stage removes the part folders its earlier runs left (a killed Dask client's); those of
    another stage wait for that stage, which may take them over."""
    parts = reference / PARTS_FOLDER
    for name in ("sentences-0f0f", "dates-0f0f"):
        (parts / name).mkdir(parents=True)
        (parts / name / "tokens-late.parquet").write_bytes(b"written by a task of a dead client")
    article = corpus / CORPUS[1].name
    article.write_text(article.read_text(encoding="utf-8") + "\n\nUn paragraphe ajouté.\n", encoding="utf-8")
    run_source_stage(SOURCE_STAGE, read_records([corpus]), small_settings, reference)
    run_stage(SENTENCE_STAGE, small_settings, reference)
    assert sorted(path.name for path in parts.iterdir()) == ["dates-0f0f"]
    assert run_stage(STAGES_BY_NAME["dates"], small_settings, reference).stage == "dates"
    assert not parts.exists()


def test_a_task_of_a_dead_client_cannot_write_into_the_live_run(tmp_path):
    dead = Checkpoint(tmp_path, "entities", "dead", "entities:key", 4)
    dead.commit(Done("k1", 1, 1, {"tokens": _write_part(TABLES["tokens"].schema.empty_table(), dead.folder, "tokens-k1")}, {"tokens": [0]}, {"tokens": ["h"]}, []))
    live = Checkpoint(tmp_path, "entities", "live", "entities:key", 4)
    assert set(live.done) == {"k1"} and live.path("tokens-k1.parquet").is_file(), "the finished partition is taken over"
    before = sorted(path.name for path in live.folder.iterdir())
    with pytest.raises(FileNotFoundError):
        _write_part(TABLES["tokens"].schema.empty_table(), dead.folder, "tokens-k2")
    assert not dead.folder.exists(), "the dead run's folder is not created again"
    assert sorted(path.name for path in live.folder.iterdir()) == before


def test_a_checkpoint_of_other_code_or_settings_is_not_taken_over(tmp_path):
    old = Checkpoint(tmp_path, "entities", "old", "entities:old-key", 4)
    old.commit(Done("k1", 1, 1, {"tokens": _write_part(TABLES["tokens"].schema.empty_table(), old.folder, "tokens-k1")}, {"tokens": [0]}, {"tokens": ["h"]}, []))
    new = Checkpoint(tmp_path, "entities", "new", "entities:new-key", 8)
    assert new.done == {} and new.size == 8 and not old.folder.exists()


def test_a_document_hash_is_its_rows_whatever_surrounds_them(first_run):
    tokens = pq.read_table(table_path(TABLES["tokens"], first_run))
    counts = tokens.to_pandas().groupby("doc_id", sort=False).size().to_numpy()
    whole = document_hashes(tokens, counts, [True] * len(counts))
    second_start = int(counts[0])
    alone = document_hashes(tokens.slice(second_start, int(counts[1])), counts[1:2], [True])
    rechunked = document_hashes(pa.concat_tables([tokens.slice(0, second_start + 3), tokens.slice(second_start + 3)]), counts, [True] * len(counts))
    assert alone == whole[1:2] and rechunked == whole and len(set(whole)) == len(whole)


def _die() -> None:
    os._exit(1)


def test_a_pool_broken_before_a_submission_loses_that_partition_too():
    """A worker may die between two submissions: the next one is lost like those in flight
    (and run again alone), instead of raising out of the stage."""
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPool(2)
    pool._pool = pool._new_pool()
    try:
        with pytest.raises(BrokenProcessPool):
            pool._pool.submit(_die).result()
        assert isinstance(pool._submit(None).exception(), BrokenProcessPool)
    finally:
        pool.close()
