"""The analyst's side of the output folder: tables as pandas frames or DuckDB views.

A table a stage has not written yet reads as an empty frame (or view) with the right
columns, so a query, the report or the notebook never fail on a partial folder;
`missing_tables` names what is absent so callers can say so.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Group
from rich.table import Table
from rich.text import Text

from pipeline.tables import PRODUCER, TABLES, TableSpec, check_schema, empty_frame, read_table, table_path


class QueryError(Exception):
    """The SQL could not run; the message is one line."""


def missing_tables(folder: Path) -> list[str]:
    return [name for name, spec in TABLES.items() if not table_path(spec, folder).exists()]


def read_or_empty(spec: TableSpec, folder: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The table as a DataFrame; an empty one with the contract's columns when absent."""
    if not table_path(spec, folder).exists():
        frame = empty_frame(spec)
        return frame[columns] if columns else frame
    return read_table(spec, folder, columns=columns)


def connect(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per table, named after the table."""
    connection = duckdb.connect()
    for name, spec in TABLES.items():
        path = table_path(spec, folder)
        if path.exists():
            check_schema(spec, path)
            literal = str(path.resolve()).replace("'", "''")
            connection.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet(\'{literal}\')')
        else:
            connection.register(name, spec.schema.empty_table())
    return connection


def run_query(sql: str, folder: Path) -> pa.Table:
    connection = connect(folder)
    try:
        relation = connection.sql(sql)
        return relation.to_arrow_table() if relation is not None else pa.table({})
    except duckdb.Error as exc:
        raise QueryError(_one_line(exc)) from exc
    finally:
        connection.close()


def missing_note(folder: Path) -> str:
    """One line naming the tables queried as empty because no stage wrote them."""
    missing = missing_tables(folder)
    if not missing:
        return ""
    rebuild = ", ".join(sorted({f"`{PRODUCER.get(name, 'pipeline run')}`" for name in missing}))
    return f"note: {', '.join(missing)} not in {folder}, read as empty (run {rebuild})"


# DuckDB writes the CSV because it can spell list columns (pyarrow's writer refuses them).
WRITERS = {
    ".csv": lambda table, path: duckdb.from_arrow(table).write_csv(str(path), header=True),
    ".parquet": lambda table, path: pq.write_table(table, path, compression="zstd"),
}


def write_result(result: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[path.suffix](result, path)


def result_table(result: pa.Table, max_rows: int) -> Group:
    """The first ``max_rows`` rows as a rich table, then a line saying how many were left out."""
    shown = result.slice(0, max_rows)
    hidden = result.num_rows - shown.num_rows
    caption = f"{result.num_rows} row{'' if result.num_rows == 1 else 's'}" + (f", first {shown.num_rows} shown (use --out FILE.csv for all)" if hidden else "")
    table = Table()
    for name, column_type in zip(result.column_names, result.schema.types):
        table.add_column(name, justify="right" if pa.types.is_integer(column_type) or pa.types.is_floating(column_type) else "left")
    for row in shown.to_pylist():
        table.add_row(*(Text("NULL", style="dim") if value is None else Text(str(value)) for value in row.values()))
    return Group(table, Text(caption))


def _one_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
