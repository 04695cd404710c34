"""Consistency of an output folder: every table present is checked against the contract.

Checks, one problem per line:
- schema and schema version (``tables.check_schema``), and the stage version recorded
  in the metadata against the stage's current version;
- ids unique; every ``doc_id`` in ``documents``, every ``(doc_id, sent_id)`` in ``sentences``,
  every row another table points to there (``REFERENCES``: a quote mention's quote and
  entity), one row per row where a table promises it (``ONE_ROW_PER``: a date per quote);
- the offset invariant ``text == documents.text[start:end]`` for every span table, and
  for the speaker mention of quotes (the cue is a lemma: its offsets are only bounded);
- documents: ``n_chars`` and ``content_sha256`` match ``text``; each has sentences;
- completeness, judged against the manifests (``_state/``): every stage has written all
  its tables and a manifest that describes them; no stage holds a document computed
  from other inputs, settings or code than the current ones (a run stopped between
  stages); no run is writing to the folder now, none stopped inside a stage (its
  checkpoint is still in ``_parts/``). With ``partial``, a stage never run (no table, no
  manifest) is not a problem: it is listed as not built.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from pipeline.checkpoints import part_folders, read_journal
from pipeline.config import Settings
from pipeline.engine import Stage, keyed, load_manifest, manifest_path, stage_key, upstream_fingerprints
from pipeline.paths import folder_busy
from pipeline.tables import PRODUCER, TABLES, TableError, TableSpec, check_schema, documents_fingerprint, read_metadata, table_path

# The columns that identify a row of each table.
KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "sentences": ("doc_id", "sent_id"),
    "tokens": ("doc_id", "token_id"),
    "entities": ("doc_id", "ent_id"),
    "quotes": ("doc_id", "quote_id"),
    "dates": ("doc_id", "date_id"),
    "quote_mentions": ("doc_id", "quote_id", "ent_id"),
    "quote_dates": ("doc_id", "quote_id"),
}
# Rows of other tables a row points to, by (table, columns); a null in the columns points nowhere.
REFERENCES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "quote_mentions": (("quotes", ("doc_id", "quote_id")), ("entities", ("doc_id", "ent_id"))),
    "quote_dates": (("quotes", ("doc_id", "quote_id")), ("dates", ("doc_id", "date_id"))),
}
# Tables holding one row for every row of another: (table, columns of the key they share).
ONE_ROW_PER: dict[str, tuple[str, tuple[str, ...]]] = {
    "quote_dates": ("quotes", ("doc_id", "quote_id")),
}
# Offsets other than (start, end, text): (start column, end column, surface text column or None).
EXTRA_SPANS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "quotes": (("speaker_start", "speaker_end", "speaker_mention"), ("cue_start", "cue_end", None)),
}
# At most this many lines for one kind of problem in one table; the rest are counted.
MAX_LINES_PER_PROBLEM = 10


@dataclass(frozen=True)
class Problem:
    table: str
    message: str

    def __str__(self) -> str:
        return f"{self.table}: {self.message}"


def _capped(table: str, what: str, rows: list[str]) -> list[Problem]:
    problems = [Problem(table, f"{what}: {row}") for row in rows[:MAX_LINES_PER_PROBLEM]]
    if len(rows) > MAX_LINES_PER_PROBLEM:
        problems.append(Problem(table, f"{what}: ... and {len(rows) - MAX_LINES_PER_PROBLEM} more"))
    return problems


def stage_version_problem(spec: TableSpec, folder: Path, stages: Iterable[Stage]) -> str | None:
    """Why the table's recorded stage version is not the current one (None when it is)."""
    producer = next((stage for stage in stages if spec in stage.writes), None)
    if producer is None:
        return None
    recorded = read_metadata(table_path(spec, folder)).get("stage_version")
    if recorded != producer.version:
        return (
            f"{table_path(spec, folder)}: written by {producer.name} stage version {recorded or '?'}, "
            f"current is {producer.version}; rebuild it with `{PRODUCER.get(spec.name, 'pipeline run')}`"
        )
    return None


def staleness_problem(spec: TableSpec, folder: Path, current: str) -> str | None:
    """Why the table was built from other documents than documents.parquet holds (None when not)."""
    recorded = read_metadata(table_path(spec, folder)).get("documents_sha256")
    if recorded is not None and recorded != current:
        return (
            f"{table_path(spec, folder)}: built from another documents.parquet (a run interrupted between stages?); "
            f"rebuild it with `{PRODUCER.get(spec.name, 'pipeline run')}`"
        )
    return None


def check_upstream(stage: Stage, folder: Path, stages: Iterable[Stage]) -> None:
    """Refuse to run ``stage`` on an upstream table of the wrong schema or stage version."""
    stages = tuple(stages)
    for spec in stage.reads:
        check_schema(spec, table_path(spec, folder))
        if reason := stage_version_problem(spec, folder, stages):
            raise TableError(reason)
    current = documents_fingerprint(folder)
    for spec in stage.reads:
        if spec.name not in ("documents", "rejects") and (reason := staleness_problem(spec, folder, current)):
            raise TableError(reason)


def _row_label(frame: pd.DataFrame, index, key: tuple[str, ...]) -> str:
    return ", ".join(f"{column} {frame.at[index, column]}" for column in key if column in frame.columns)


def _check_keys(name: str, frame: pd.DataFrame) -> list[Problem]:
    key = KEYS.get(name)
    if not key or not set(key) <= set(frame.columns):
        return []
    duplicated = frame[frame.duplicated(list(key), keep="first")]
    return _capped(name, "duplicate id", [_row_label(frame, i, key) for i in duplicated.index])


def _check_documents(frame: pd.DataFrame) -> list[Problem]:
    wrong_length = [row.doc_id for row in frame.itertuples() if row.n_chars != len(row.text)]
    wrong_hash = [row.doc_id for row in frame.itertuples() if row.content_sha256 != hashlib.sha256(row.text.encode("utf-8")).hexdigest()]
    return _capped("documents", "n_chars is not len(text)", wrong_length) + _capped("documents", "content_sha256 does not match text", wrong_hash)


def _check_spans(name: str, frame: pd.DataFrame, texts: dict[str, str]) -> list[Problem]:
    key = KEYS.get(name, ("doc_id",))
    problems: list[Problem] = []
    spans = [("start", "end", "text")] if {"start", "end", "text"} <= set(frame.columns) else []
    spans += [span for span in EXTRA_SPANS.get(name, ()) if {span[0], span[1]} <= set(frame.columns)]
    for start_column, end_column, text_column in spans:
        bad_offsets: list[str] = []
        bad_text: list[str] = []
        for index, doc_id, start, end, surface in zip(
            frame.index, frame["doc_id"], frame[start_column], frame[end_column], frame[text_column] if text_column else [None] * len(frame)
        ):
            if doc_id not in texts:
                continue  # reported by _check_references
            if pd.isna(start) and pd.isna(end) and (surface is None or pd.isna(surface)):
                continue  # an optional span left empty
            if pd.isna(start) or pd.isna(end) or not 0 <= int(start) <= int(end) <= len(texts[doc_id]):
                bad_offsets.append(f"{_row_label(frame, index, key)} ({start_column}={start}, {end_column}={end})")
                continue
            if text_column and texts[doc_id][int(start) : int(end)] != surface:
                bad_text.append(f"{_row_label(frame, index, key)}: {surface!r} != documents.text[{start}:{end}] {texts[doc_id][int(start):int(end)]!r}")
        problems += _capped(name, f"{start_column}/{end_column} out of the document", bad_offsets)
        problems += _capped(name, f"{text_column} is not documents.text[{start_column}:{end_column}]", bad_text)
    return problems


def _check_references(name: str, frame: pd.DataFrame, doc_ids: set[str], sentences: pd.DataFrame | None) -> list[Problem]:
    problems = _capped(name, "doc_id not in documents", sorted({d for d in frame["doc_id"] if d not in doc_ids}))
    if name != "sentences" and "sent_id" in frame.columns and sentences is not None:
        bounds = sentences[["doc_id", "sent_id", "start", "end"]].rename(columns={"start": "start_sentence", "end": "end_sentence"})
        merged = frame[frame["doc_id"].isin(doc_ids)].merge(bounds, on=["doc_id", "sent_id"], how="left")
        missing = merged[merged["start_sentence"].isna()]
        problems += _capped(name, "sent_id not in sentences", [_row_label(merged, i, KEYS.get(name, ("doc_id",)) + ("sent_id",)) for i in missing.index])
        if "start" in frame.columns:
            # Sentences are trimmed, so whitespace between two of them (spaCy's space tokens) lies in none.
            found = merged[merged["start_sentence"].notna() & ~merged["text"].str.isspace()]
            outside = found[(found["start"] < found["start_sentence"]) | (found["start"] >= found["end_sentence"])]
            problems += _capped(name, "span does not start inside its sentence", [_row_label(outside, i, KEYS.get(name, ("doc_id",))) for i in outside.index])
    return problems


def _keys(frame: pd.DataFrame, columns: tuple[str, ...]) -> set[tuple]:
    return set(frame[list(columns)].dropna().itertuples(index=False, name=None))


def _check_row_references(name: str, frame: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> list[Problem]:
    problems: list[Problem] = []
    for table, columns in REFERENCES.get(name, ()):
        if table in frames:
            known = _keys(frames[table], columns)
            dangling = sorted(key for key in _keys(frame, columns) if key not in known)
            problems += _capped(name, f"no such row in {table}", [", ".join(f"{c} {v}" for c, v in zip(columns, key)) for key in dangling])
    if name in ONE_ROW_PER and ONE_ROW_PER[name][0] in frames:
        table, columns = ONE_ROW_PER[name]
        rejects = frames.get("rejects")
        # A document the stage failed on has no rows, and a reject saying so.
        failed = set(rejects.loc[rejects["stage"] == TABLES[name].stage, "doc_id"]) if rejects is not None else set()
        missing = sorted(key for key in _keys(frames[table], columns) - _keys(frame, columns) if key[columns.index("doc_id")] not in failed)
        problems += _capped(name, f"no row for this row of {table}", [", ".join(f"{c} {v}" for c, v in zip(columns, key)) for key in missing])
    return problems


def _rebuild(stage: Stage) -> str:
    return PRODUCER.get(stage.writes[0].name, "pipeline run") if stage.writes else "pipeline run"


def stages_not_built(folder: Path, stages: Iterable[Stage]) -> list[str]:
    """The stages of which no table is in ``folder``."""
    return [stage.name for stage in stages if not any(table_path(spec, folder).exists() for spec in stage.writes)]


def completeness_problems(folder: Path, stages: Iterable[Stage], settings: Settings | None = None, partial: bool = False) -> list[Problem]:
    """What is missing or incomplete, stage by stage, judged against the manifests;
    with ``settings``, also the documents a stage computed from other inputs than the
    current ones (their fingerprints, recomputed from the upstream manifests)."""
    folder = Path(folder)
    stages = tuple(stages)
    problems: list[Problem] = []
    if folder_busy(folder):
        problems.append(Problem("(folder)", f"{folder}: a pipeline process is writing here now; its tables are incomplete until it ends"))
    not_built = set(stages_not_built(folder, stages))
    producers = {spec.name: stage for stage in stages for spec in stage.writes}
    for stage in stages:
        rebuild = _rebuild(stage)
        stopped = [path for path in part_folders(folder, stage.name) if read_journal(path)[0] is not None]
        if stopped and not partial:
            batches = sum(len(read_journal(path)[1]) for path in stopped)
            problems.append(Problem(stage.name, f"a run stopped inside this stage ({batches} finished batch(es) kept in {stopped[0].parent}); `pipeline run` resumes it"))
        if stage.name in not_built:
            if not partial:
                files = ", ".join(spec.file_name for spec in stage.writes)
                problems.append(Problem(stage.name, f"stage not run: {files} missing; run `{rebuild}` (or `pipeline validate --partial` for a folder built only in part)"))
            continue
        absent = [spec.file_name for spec in stage.writes if not table_path(spec, folder).exists()]
        if absent:
            problems.append(Problem(stage.name, f"incomplete: {', '.join(absent)} missing; run `{rebuild}`"))
            continue
        upstream = sorted({producers[spec.name].name for spec in stage.reads if spec.name in producers and producers[spec.name].name in not_built})
        if upstream:
            problems.append(Problem(stage.name, f"built on {', '.join(upstream)}, whose tables are missing; run `pipeline run`"))
        manifest = load_manifest(stage.name, folder)
        if manifest is None:
            problems.append(Problem(stage.name, f"incomplete: {manifest_path(stage.name, folder)} is missing or describes other tables (a run stopped while committing this stage?); run `{rebuild}`"))
            continue
        if settings is not None and stage.reads:
            problems += _outdated(stage, settings, folder, manifest, rebuild)
    return problems


def _outdated(stage: Stage, settings: Settings, folder: Path, manifest, rebuild: str) -> list[Problem]:
    """Documents whose rows in this stage were computed from other inputs, settings or code."""
    upstream = {spec.stage: load_manifest(spec.stage, folder) for spec in stage.reads if keyed(spec)}
    if any(other is None for other in upstream.values()):
        return []  # the upstream stage is reported incomplete itself
    expected = upstream_fingerprints(stage, stage_key(stage, settings), manifest.doc_ids, upstream)
    rejects = TABLES["rejects"]
    failed: set = set()
    if table_path(rejects, folder).exists():
        frame = pd.read_parquet(table_path(rejects, folder), columns=["doc_id", "stage"])
        failed = set(frame.loc[frame["stage"] == stage.name, "doc_id"])
    stale = [doc_id for doc_id, recorded, wanted in zip(manifest.doc_ids, manifest.fingerprints, expected) if recorded != wanted and doc_id not in failed]
    if not stale:
        return []
    return [Problem(stage.name, f"incomplete: {len(stale)} of {len(manifest.doc_ids)} document(s) computed from other inputs, settings or code than the current ones (first: {stale[0]}); run `{rebuild}`")]


def validate_folder(folder: Path, stages: Iterable[Stage] = (), settings: Settings | None = None, partial: bool = False) -> tuple[list[str], list[Problem]]:
    """(tables checked, problems) for every table present in ``folder``, and for the
    stages missing or incomplete (see ``completeness_problems``)."""
    folder = Path(folder)
    stages = tuple(stages)
    present = [spec for spec in TABLES.values() if table_path(spec, folder).exists()]
    problems: list[Problem] = completeness_problems(folder, stages, settings, partial) if present else []
    frames: dict[str, pd.DataFrame] = {}
    for spec in present:
        try:
            check_schema(spec, table_path(spec, folder))
        except TableError as exc:
            problems.append(Problem(spec.name, str(exc)))
            continue
        if reason := stage_version_problem(spec, folder, stages):
            problems.append(Problem(spec.name, reason))
        frames[spec.name] = pd.read_parquet(table_path(spec, folder))
    if not present:
        problems.append(Problem("(folder)", f"{folder}: no table found; run `pipeline run`"))
    documents = frames.get("documents")
    if documents is None:
        if any(name not in ("documents", "rejects") for name in frames):
            problems.append(Problem("documents", "missing or unreadable, so no other table can be checked against it; run `pipeline clean`"))
        return [spec.file_name for spec in present], problems
    current = documents_fingerprint(folder)
    for name in frames:
        if name not in ("documents", "rejects") and (reason := staleness_problem(TABLES[name], folder, current)):
            problems.append(Problem(name, reason))
    texts = dict(zip(documents["doc_id"], documents["text"]))
    doc_ids = set(texts)
    sentences = frames.get("sentences")
    for name, frame in frames.items():
        problems += _check_keys(name, frame)
        if name == "documents":
            problems += _check_documents(frame)
        elif name != "rejects":
            problems += _check_references(name, frame, doc_ids, sentences)
            problems += _check_spans(name, frame, texts)
            problems += _check_row_references(name, frame, frames)
    if sentences is not None:
        rejects = frames.get("rejects")
        failed = set(rejects.loc[rejects["stage"] == "sentences", "doc_id"]) if rejects is not None else set()
        without = sorted(doc_ids - set(sentences["doc_id"]) - failed)
        problems += _capped("sentences", "document without any sentence (sentences.parquet is older than documents.parquet?)", without)
    return [spec.file_name for spec in present], problems
