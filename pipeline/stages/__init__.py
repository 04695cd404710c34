"""The stages, in pipeline order. The first reads records; the others read tables.

Each stage is declared here as plain data: its name, what it does, the columns it reads
of each table, the tables it writes. The stage modules build their ``Stage`` from it
(``declared``), the engine reads only the declared columns, and the command line builds
its commands from it without importing the stages' code (pandas, pyarrow, the rule
tables), which takes longer than `pipeline --help` may. ``SOURCE_STAGE`` and
``TABLE_STAGES`` import the stage modules when first asked for.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Declaration:
    name: str
    description: str
    reads: tuple[tuple[str, tuple[str, ...]], ...]  # (table, the columns read of it), in order
    writes: tuple[str, ...]  # tables

    @property
    def read_files(self) -> list[str]:
        return [f"{table}.parquet" for table, _ in self.reads]

    @property
    def written_files(self) -> list[str]:
        return [f"{table}.parquet" for table in self.writes]


SOURCE = Declaration(
    "clean",
    "Read the inputs (txt, jsonl, csv, parquet, tml, html, warc) and write documents.parquet and rejects.parquet.",
    reads=(),
    writes=("documents", "rejects"),
)
TABLES = (
    Declaration(
        "sentences",
        "Split documents.parquet into sentences.parquet (rule-based; no statistical model).",
        reads=(("documents", ("doc_id", "text")),),
        writes=("sentences",),
    ),
    Declaration(
        "entities",
        "Parse documents once with spaCy (sentence boundaries preset) into tokens.parquet and entities.parquet.",
        reads=(("documents", ("doc_id", "text")), ("sentences", ("doc_id", "sent_id", "start", "end", "text"))),
        writes=("tokens", "entities"),
    ),
    Declaration(
        "quotes",
        "Find quotations with their speaker, cue and kind: tokens.parquet + entities.parquet -> quotes.parquet (no parsing).",
        reads=(
            ("documents", ("doc_id", "text")),
            ("sentences", ("doc_id", "sent_id", "start", "end", "text")),
            ("tokens", ("doc_id", "token_id", "sent_id", "start", "end", "text", "lemma", "pos", "morph", "dep", "head")),
            ("entities", ("doc_id", "ent_id", "sent_id", "start", "end", "text", "label", "canonical", "entity_key")),
        ),
        writes=("quotes",),
    ),
    Declaration(
        "dates",
        "Find temporal expressions and normalise them as TIMEX3 values anchored on the publication date.",
        reads=(
            ("documents", ("doc_id", "text", "published")),
            ("sentences", ("doc_id", "sent_id", "start", "end", "text")),
            ("tokens", ("doc_id", "token_id", "sent_id", "start", "end", "text", "lemma", "pos", "morph", "dep", "head")),
        ),
        writes=("dates",),
    ),
    Declaration(
        "quote_context",
        "Whom each quote is about and when it was made: quotes + entities + dates + tokens -> quote_mentions.parquet, quote_dates.parquet.",
        reads=(
            ("documents", ("doc_id", "published")),
            ("tokens", ("doc_id", "token_id", "sent_id", "start", "end", "pos", "dep", "head")),
            ("entities", ("doc_id", "ent_id", "start", "end", "label", "entity_key")),
            ("quotes", ("doc_id", "quote_id", "start", "end", "speaker_start", "speaker_end", "entity_key", "cue_start")),
            ("dates", ("doc_id", "date_id", "start", "end", "type", "value", "date_start", "date_end")),
        ),
        writes=("quote_mentions", "quote_dates"),
    ),
)
DECLARATIONS = {declaration.name: declaration for declaration in (SOURCE, *TABLES)}


def declared(name: str) -> dict:
    """The keyword arguments of the stage ``name``'s ``Stage``, from its declaration."""
    from pipeline.tables import TABLES as SPECS

    declaration = DECLARATIONS[name]
    return {
        "name": declaration.name,
        "description": declaration.description,
        "reads": tuple(SPECS[table] for table, _ in declaration.reads),
        "writes": tuple(SPECS[table] for table in declaration.writes),
        "columns": declaration.reads,
    }


def __getattr__(name: str):
    if name == "SOURCE_STAGE":
        return importlib.import_module(f"{__name__}.{SOURCE.name}").STAGE
    if name == "TABLE_STAGES":
        return tuple(importlib.import_module(f"{__name__}.{declaration.name}").STAGE for declaration in TABLES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
