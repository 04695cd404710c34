"""A record that is not valid Unicode (a lone surrogate escape in JSONL, a Parquet string that
is not UTF-8) is one reject with its reason: the run completes and the good articles stay."""
import pyarrow as pa
import pyarrow.parquet as pq

from tests.test_bad_inputs import assert_good_rows_intact, good_rows, only_reject, run_clean  # noqa: F401 (good_rows is a fixture)
from tests.test_robustness_properties import unchecked_strings

TEXT = "Le conseil municipal a voté jeudi le budget de la ville, après un long débat sur les écoles."


def test_a_lone_surrogate_escape_in_any_field_of_a_jsonl_record_is_a_reject(tmp_path, good_rows):
    lines = "\n".join(
        [
            '{"id": "ok", "text": "%s"}' % TEXT,
            '{"id": "in-text", "text": "Il a d\\udc80clar\\u00e9 que %s"}' % TEXT,
            '{"id": "d\\udc80id", "text": "%s"}' % TEXT,
            '{"id": "in-title", "title": "Le d\\ud800bat", "text": "%s"}' % TEXT,
        ]
    )
    result, documents, rejects = run_clean(tmp_path, {"records.jsonl": lines})
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert_good_rows_intact(documents, good_rows)
    assert "ok" in set(documents["doc_id"])
    assert only_reject(rejects, "records.jsonl:2")["reason"] == "field text holds a lone surrogate (U+DC80) at character 7: not valid Unicode"
    assert only_reject(rejects, "records.jsonl:3") == {
        "source": f"{tmp_path}/corpus/records.jsonl:3",
        "doc_id": "d\\udc80id",  # written as its escape: a reject is stored as valid UTF-8
        "stage": "read",
        "reason": "field id holds a lone surrogate (U+DC80) at character 2: not valid Unicode",
    }
    assert only_reject(rejects, "records.jsonl:4")["reason"] == "field title holds a lone surrogate (U+D800) at character 5: not valid Unicode"


def test_a_parquet_string_that_is_not_utf8_is_a_reject_and_its_neighbours_are_read(tmp_path, good_rows):
    table = pa.table({"id": ["p0", "p1", "p2"], "text": unchecked_strings([TEXT.encode(), b"Le d\xe9bat " + TEXT.encode(), TEXT.encode()])})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    result, documents, rejects = run_clean(tmp_path, {"records.parquet": sink.getvalue().to_pybytes()})
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert_good_rows_intact(documents, good_rows)
    assert {"p0", "p2"} <= set(documents["doc_id"]) and "p1" not in set(documents["doc_id"])
    reject = only_reject(rejects, "records.parquet:1")
    assert (reject["doc_id"], reject["reason"]) == ("p1", "field text is not valid UTF-8 (byte 0xE9 at byte 5)")
