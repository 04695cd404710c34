"""Any input, however broken, becomes documents with valid offsets or rejects with a reason."""
import csv
import dataclasses
import io
import json
import tempfile
import unicodedata
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from pipeline.readers import Record, Reject, Skipped, SUPPORTED_SUFFIXES, read_file, read_records
from pipeline.stages.clean import Boilerplate, CleanError, TextChecks, clean_record
from pipeline.stages.sentences import Splitter, split_document
from tests.test_bad_inputs import assert_good_rows_intact, good_rows, run_clean  # noqa: F401 (good_rows is a fixture)

# Text that looks like the inputs: French words, punctuation, quotes, headers, blank lines,
# mojibake, control characters, and any other character.
PIECES = st.sampled_from(
    ["Le", "président", "a", "déclaré", "«", "»", "“", "”", "’", ".", "!", "?", "…", "\n", "\n\n", " ", "\u00a0", "\t",
     " date 2022-12 ", "date 2022-13", "Publié le 26.2.2022", "LIRE LA SUITE: x", "Plus", "Ã©", "â€™", "\r\n", "\x00", "\ufeff", "M.", "l’OTAN"]
)
TEXTS = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=5, alphabet=st.characters(blacklist_categories=("Cs",)))), max_size=60).map("".join),
)


# Any code point, lone surrogates included (half of them: a text of a few holds one).
ANY_CODE_POINT = st.one_of(st.characters(exclude_categories=()), st.integers(0xD800, 0xDFFF).map(chr))
ANY_TEXT = st.one_of(TEXTS, st.lists(st.one_of(PIECES, ANY_CODE_POINT), max_size=40).map("".join))


@pytest.fixture(scope="module")
def tools(settings):
    return Boilerplate.from_settings(settings), TextChecks.from_settings(settings), Splitter.from_settings(settings)


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(text=TEXTS, title=st.one_of(st.none(), TEXTS), date=st.one_of(st.none(), st.text(max_size=12)))
def test_any_text_cleans_to_valid_sentences_or_a_reason(tools, text, title, date):
    boilerplate, checks, splitter = tools
    try:
        row = clean_record(Record("d", "s", text, title=title, date=date), boilerplate, checks)
    except CleanError as exc:
        reason = str(exc)
        assert reason and "\n" not in reason
        return
    cleaned = row["text"]
    assert row["n_chars"] == len(cleaned) > 0
    assert unicodedata.is_normalized("NFC", cleaned)
    paragraphs = cleaned.split("\n\n")
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    if row["title"] is not None:
        assert paragraphs[0] == row["title"]
    previous_end = 0
    for para_id, start, end in split_document(cleaned, splitter):
        assert previous_end <= start < end <= len(cleaned)
        assert "\n\n" not in cleaned[start:end]
        previous_end = end


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200, deadline=None)
@given(data=st.one_of(st.binary(max_size=400), ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_any_bytes_in_any_format_give_records_or_rejects(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = list(read_file(path, max_bytes=10_000))
        recorded = list(read_records([path], max_bytes=10_000))
    assert items
    for item in items:
        assert isinstance(item, (Record, Reject, Skipped))
        if isinstance(item, Reject):
            assert item.reason and "\n" not in item.reason
    assert_storable(recorded)


def assert_storable(items) -> None:
    """What read_records gives can be written to Parquet as it is: every string valid UTF-8."""
    for item in items:
        for value in dataclasses.asdict(item).values():
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    text.encode("utf-8")


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(text=ANY_TEXT, title=st.one_of(st.none(), ANY_TEXT), doc_id=ANY_TEXT.filter(bool))
def test_any_code_points_clean_to_valid_text_or_a_reason(tools, text, title, doc_id):
    boilerplate, checks, _ = tools
    try:
        row = clean_record(Record(doc_id, "s", text, title=title), boilerplate, checks)
    except CleanError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for value in (row["doc_id"], row["text"], row["title"] or ""):
        value.encode("utf-8")


# Records as the record formats may hold them: any code points in any field, surrogates too.
RECORDS = st.lists(
    st.fixed_dictionaries({"id": ANY_TEXT, "text": ANY_TEXT}, optional={"title": ANY_TEXT, "date": ANY_TEXT, "url": ANY_TEXT}),
    min_size=1,
    max_size=6,
)
RAW_STRINGS = st.lists(st.binary(max_size=60), min_size=1, max_size=6)


def unchecked_strings(values: list[bytes]) -> pa.Array:
    """A Parquet string column holding any bytes: Parquet does not check that they are UTF-8."""
    return pa.Array.from_buffers(pa.string(), len(values), pa.array(values, pa.binary()).buffers()[:3])


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25, deadline=None)
@given(records=RECORDS, raw_texts=RAW_STRINGS)
def test_any_record_ends_in_documents_or_rejects_and_the_good_articles_are_intact(good_rows, records, raw_texts):
    """The run completes whatever the records hold: each one is a document or a reject with
    a one-line reason, and the good articles beside them come out as they do alone."""
    lines = "".join(json.dumps(record) + "\n" for record in records)
    parquet = pa.table({"id": [f"p{number}" for number in range(len(raw_texts))], "text": unchecked_strings(raw_texts)})
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=["id", "text", "title", "date", "url"])
    writer.writeheader()
    writer.writerows(records)
    csv_rows = table.getvalue().encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as folder:
        sink = pa.BufferOutputStream()
        pq.write_table(parquet, sink)
        files = {"records.jsonl": lines, "records.parquet": sink.getvalue().to_pybytes(), "records.csv": csv_rows}
        result, documents, rejects = run_clean(Path(folder), files)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    assert_good_rows_intact(documents, good_rows)
    sources = list(documents["source"]) + list(rejects["source"] if rejects is not None else [])
    for name, count in (("records.jsonl", len(records)), ("records.parquet", len(raw_texts))):
        mine = [source for source in sources if f"/{name}" in source]
        assert len(mine) == len(set(mine)) == count, (name, mine)
    if rejects is not None:
        assert all(reason and "\n" not in reason for reason in rejects["reason"])
