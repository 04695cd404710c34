"""The data dictionary's examples fit their columns: each parses as its type, and a span
table's start, end and text examples describe one span of the table's own kind."""
import json
from datetime import date

import pyarrow as pa
import pytest

from pipeline.tables import TABLES

COLUMNS = [(spec, column) for spec in TABLES.values() for column in spec.columns]


def _parsed(column):
    if pa.types.is_integer(column.type):
        return int(column.example)
    if pa.types.is_date(column.type):
        return date.fromisoformat(column.example)
    if pa.types.is_list(column.type):
        return json.loads(column.example.replace("'", '"'))
    return column.example


@pytest.mark.parametrize("spec, column", COLUMNS, ids=[f"{spec.name}.{column.name}" for spec, column in COLUMNS])
def test_each_example_is_a_value_of_its_column(spec, column):
    assert column.example.strip()
    pa.array([_parsed(column)], type=column.type)  # raises when the example is no such value


SPAN_TABLES = [spec for spec in TABLES.values() if {"start", "end", "text"} <= set(spec.column_names)]


@pytest.mark.parametrize("spec", SPAN_TABLES, ids=[spec.name for spec in SPAN_TABLES])
def test_span_examples_are_one_span(spec):
    examples = {column.name: column.example for column in spec.columns}
    assert int(examples["end"]) - int(examples["start"]) == len(examples["text"])
    if "date_start" in examples:
        assert examples["date_start"] <= examples["date_end"]


def test_no_two_tables_show_the_same_text():
    texts = [next(column.example for column in spec.columns if column.name == "text") for spec in SPAN_TABLES]
    assert len(set(texts)) == len(texts), texts
