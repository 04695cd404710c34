import pandas as pd
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from pipeline import dictionary
from pipeline.tables import SENTENCES, ColumnsByDoc, TableError, TableWriter, check_schema, read_metadata, read_table, table_path, write_table
from tests.conftest import ROOT


def test_data_dictionary_is_up_to_date():
    assert (ROOT / dictionary.DICTIONARY_PATH).read_text(encoding="utf-8") == dictionary.render(), "run `pipeline dictionary`"


def _sentences():
    return pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "para_id": [0], "start": [0], "end": [3], "text": ["Oui"]})


def test_write_then_read_with_metadata(tmp_path):
    write_table(SENTENCES, _sentences(), tmp_path, {"config_hash": "abc"})
    assert read_table(SENTENCES, tmp_path)["text"].tolist() == ["Oui"]
    meta = read_metadata(table_path(SENTENCES, tmp_path))
    assert meta["stage"] == "sentences" and meta["config_hash"] == "abc" and "pipeline_version" in meta


def test_aborted_write_leaves_previous_table(tmp_path):
    write_table(SENTENCES, _sentences(), tmp_path)
    writer = TableWriter(SENTENCES, table_path(SENTENCES, tmp_path))
    writer.write(_sentences().assign(text=["Non"]))
    writer.abort()
    assert read_table(SENTENCES, tmp_path)["text"].tolist() == ["Oui"]
    assert [p.name for p in tmp_path.iterdir()] == ["sentences.parquet"]


def test_wrong_schema_names_the_rebuilding_command(tmp_path):
    _sentences().drop(columns=["para_id"]).to_parquet(table_path(SENTENCES, tmp_path))
    with pytest.raises(TableError, match="pipeline sentences"):
        check_schema(SENTENCES, table_path(SENTENCES, tmp_path))


def _interleaved_rows():
    return pd.DataFrame({
        "doc_id": ["b", "a", "b", "a", "b"],
        "start": [9, 4, 2, 0, 2],
        "text": ["x", None, "y", "z", "w"],
    })


def test_columns_by_doc_keeps_table_order_within_a_document():
    by_doc = ColumnsByDoc(_interleaved_rows(), ("start", "text"))
    assert by_doc.of("b") == [[9, 2, 2], ["x", "y", "w"]]
    (first_start, missing), second = by_doc.rows("a")
    assert first_start == 4 and pd.isna(missing) and second == (0, "z")


def test_columns_by_doc_orders_by_a_column_with_ties_in_table_order():
    by_doc = ColumnsByDoc(_interleaved_rows(), ("start", "text"), order_by="start", empty_when_null=("text",))
    assert by_doc.of("b") == [[2, 2, 9], ["y", "w", "x"]]
    assert by_doc.of("a") == [[0, 4], ["z", ""]]


def test_columns_by_doc_takes_only_kept_rows_and_knows_no_other_document():
    frame = _interleaved_rows()
    by_doc = ColumnsByDoc(frame, ("text",), keep=(frame["text"] != "y").to_numpy())
    assert by_doc.of("b") == [["x", "w"]]
    assert by_doc.of("c") == [[]] and by_doc.rows("c") == []
    assert ColumnsByDoc(frame.iloc[:0], ("text",)).of("a") == [[]]


def test_columns_by_doc_cuts_arrays_as_it_cuts_lists():
    frame = _interleaved_rows()
    by_doc = ColumnsByDoc(frame, ("start",), order_by="start")
    first, last = by_doc.span("b")
    assert by_doc.ordered(frame["start"].to_numpy())[first:last].tolist() == by_doc.of("b")[0] == [2, 2, 9]
    assert by_doc.span("c") == (0, 0)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 3), st.booleans()), max_size=12),
       st.sampled_from([None, "start"]), st.booleans(), st.booleans())
def test_columns_by_doc_agrees_with_filtering_each_document(rows, order_by, use_keep, presorted):
    """Whether the rows come sorted (nothing to reorder) or not, each document's cut is
    its rows in table order, stably sorted by ``order_by``, among the kept rows."""
    if presorted:
        rows = sorted(rows, key=lambda row: row[:2])
    frame = pd.DataFrame(rows, columns=["doc_id", "start", "kept"]).assign(row=range(len(rows)))
    keep = frame["kept"].to_numpy() if use_keep else None
    by_doc = ColumnsByDoc(frame, ("row",), order_by=order_by, keep=keep)
    for doc_id in ("a", "b", "c", "d"):
        expected = frame[(frame["doc_id"] == doc_id) & (frame["kept"] if use_keep else True)]
        if order_by:
            expected = expected.sort_values(order_by, kind="stable")
        assert by_doc.of(doc_id) == [expected["row"].tolist()]
        first, last = by_doc.span(doc_id)
        assert by_doc.ordered(frame["row"].to_numpy())[first:last].tolist() == expected["row"].tolist()
