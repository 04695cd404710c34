"""The data dictionary (docs/tables.md), generated from the schemas in tables.py."""
from __future__ import annotations

from pathlib import Path

from pipeline.tables import PRODUCER, TABLES

# Relative to the current folder (the repository's root, where the committed copy lives),
# never to the installed package.
DICTIONARY_PATH = Path("docs") / "tables.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "\\n")


def render() -> str:
    lines = [
        "# Data dictionary",
        "",
        "Generated from `pipeline/tables.py` by `pipeline dictionary`; do not edit by hand.",
        "Every span table carries `doc_id`, `start`, `end` (character offsets into `documents.text`).",
        "Each column's meaning and example are also in the Parquet field metadata (`description`, `example`),",
        "and `pipeline query` exposes each table as a DuckDB view named after it (`documents`, `quotes`, ...).",
        "",
    ]
    for spec in TABLES.values():
        lines += [
            f"## `{spec.file_name}`",
            "",
            f"{spec.meaning} Written by `{PRODUCER[spec.name]}`.",
            "",
            "| column | type | null | meaning | example |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | {_cell(c.meaning)} | `{_cell(c.example)}` |"
            for c in spec.columns
        ]
        lines.append("")
    return "\n".join(lines)


def write(path: Path = DICTIONARY_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    return path
