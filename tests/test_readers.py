import json

from pipeline.readers import Record, Reject, read_records
from tests.conftest import SEEDS, TIMEBANK


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Reject)]


def test_txt_doc_id_is_the_file_stem():
    records, rejects = _split(read_records([SEEDS / "000_8716f3df5ea4cf20.txt"]))
    assert not rejects
    assert records[0].doc_id == "000_8716f3df5ea4cf20"


def test_tml_reads_docid_dct_and_plain_text():
    records, _ = _split(read_records([TIMEBANK / "1999-05-20-0108.tml"]))
    record = records[0]
    assert record.doc_id == "1999-05-20-0108"
    assert record.date == "1999-05-20"
    assert "<TIMEX3" not in record.text and "hier matin" in record.text


def test_jsonl_csv_parquet_records(tmp_path):
    import pandas as pd

    rows = [{"id": "a", "text": "Texte A.", "title": "Titre A", "date": "2022-12"}, {"id": "b", "text": "Texte B."}]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    pd.DataFrame(rows).rename(columns={"id": "id"}).assign(id=lambda f: f["id"] + "c").to_csv(tmp_path / "in.csv", index=False)
    pd.DataFrame(rows).assign(id=lambda f: f["id"] + "p").to_parquet(tmp_path / "in.parquet")
    records, rejects = _split(read_records([tmp_path]))
    assert sorted(r.doc_id for r in records) == ["a", "ac", "ap", "b", "bc", "bp"]
    assert next(r for r in records if r.doc_id == "a").date == "2022-12"
    assert len(rejects) == 1 and rejects[0].source.endswith("in.jsonl:3") and "not JSON" in rejects[0].reason


def test_duplicate_ids_first_wins(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "un"}\n{"id": "x", "text": "deux"}\n', encoding="utf-8")
    records, rejects = _split(read_records([tmp_path / "a.jsonl"]))
    assert [r.text for r in records] == ["un"]
    assert "duplicate doc_id 'x'" in rejects[0].reason


def test_missing_path_is_rejected_with_reason(tmp_path):
    _, rejects = _split(read_records([tmp_path / "nope.txt"]))
    assert rejects[0].reason == "path does not exist"
