import pytest
from hypothesis import given, strategies as st

from pipeline.paths import MAX_NAME_CHARS, remove_stray_temp_files, safe_file_name, safe_path
from pipeline.tables import SENTENCES, TableWriter, table_path


@pytest.mark.parametrize("doc_id", ["../../etc/x", "/etc/passwd", "..", ".", "a/../../b", "C:\\Windows\\x", ".hidden", "nul\x00byte", "~root"])
def test_doc_ids_cannot_escape_the_folder(tmp_path, doc_id):
    path = safe_path(tmp_path, doc_id, ".html")
    assert path.parent == tmp_path
    assert not path.name.startswith(".") and "/" not in path.name and "\\" not in path.name
    path.write_text("ok")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_ordinary_ids_stay_readable():
    assert safe_file_name("1999-05-20-0108", ".html") == "1999-05-20-0108.html"
    assert safe_file_name("../../etc/x") == "%2E%2E%2F%2E%2E%2Fetc%2Fx"


def test_unsafe_suffix_is_refused():
    with pytest.raises(ValueError):
        safe_file_name("a", "/../x")


@given(st.text(min_size=1), st.text(min_size=1))
def test_names_are_one_to_one_and_bounded(first, second):
    a, b = safe_file_name(first), safe_file_name(second)
    assert (a == b) == (first == second)
    assert len(a) <= MAX_NAME_CHARS and "/" not in a and a not in (".", "..")


def test_stray_temp_files_are_removed_but_tables_kept(tmp_path):
    (tmp_path / "sentences.parquet").write_bytes(b"kept")
    TableWriter(SENTENCES, table_path(SENTENCES, tmp_path))  # never committed: a killed run
    assert len(list(tmp_path.iterdir())) == 2
    removed = remove_stray_temp_files(tmp_path)
    assert len(removed) == 1 and [p.name for p in tmp_path.iterdir()] == ["sentences.parquet"]
