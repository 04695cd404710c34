import pyarrow.parquet as pq

from pipeline import dictionary
from pipeline.tables import TABLES, empty_frame, write_table


def test_dictionary_lists_every_column_with_type_meaning_and_example():
    text = dictionary.render()
    for spec in TABLES.values():
        assert f"## `{spec.file_name}`" in text
        for column in spec.columns:
            assert f"| `{column.name}` | {column.type} |" in text
            assert column.meaning.replace("|", "\\|") in text and column.example


def test_parquet_files_carry_each_column_description(tmp_path):
    for spec in TABLES.values():
        schema = pq.read_schema(write_table(spec, empty_frame(spec), tmp_path))
        for column in spec.columns:
            metadata = schema.field(column.name).metadata
            assert metadata[b"description"].decode() == column.meaning
            assert metadata[b"example"].decode() == column.example
