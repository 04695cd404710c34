"""A tiny but complete outputs folder, written through the Parquet contract.

Built by hand (no spaCy) so that report, query and notebook tests run in a second.
The texts are awkward on purpose: markup, quotes, ampersands, emoji, a doc id that
looks like a path, a quote that holds entities and a date, and a date that
straddles an entity boundary.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from pipeline.tables import DOCUMENTS, DATES, ENTITIES, QUOTE_DATES, QUOTE_MENTIONS, QUOTES, REJECTS, SENTENCES, TABLES, TOKENS, empty_frame, write_table

NATO = "nato-2022"
HOSTILE = "../../etc/x"

TEXTS = {
    NATO: (
        "« Le risque de conflit est réel » – chef de l’OTAN\n\n"
        "Jens Stoltenberg a déclaré vendredi 15 février 2022 : « La Russie & l’OTAN doivent parler 🙂 ».\n\n"
        "Selon Emmanuel Macron, la France restera « unie » jusqu’en mars."
    ),
    HOSTILE: (
        "<script>alert(\"x\")</script> & Cie\n\n"
        "Marie \"Curie\" O’Neil a dit : « <b>pas</b> de <script> ici & là 🚀 » le 3 mai 2021."
    ),
}


def span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _documents() -> pd.DataFrame:
    rows = []
    for doc_id, text in TEXTS.items():
        rows.append(
            {
                "doc_id": doc_id,
                "source": f"data/raw/{doc_id}.txt",
                "url": None,
                "title": text.split("\n\n")[0],
                "published": "2022-02-18" if doc_id == NATO else None,
                "published_precision": "day" if doc_id == NATO else None,
                "text": text,
                "n_chars": len(text),
                "content_sha256": hashlib.sha256(text.encode()).hexdigest(),
                "boilerplate": [],
                "warnings": [],
            }
        )
    return pd.DataFrame(rows)


def _sentences() -> pd.DataFrame:
    rows = []
    for doc_id, text in TEXTS.items():
        offset = 0
        for para_id, paragraph in enumerate(text.split("\n\n")):
            rows.append({"doc_id": doc_id, "sent_id": para_id, "para_id": para_id, "start": offset, "end": offset + len(paragraph), "text": paragraph})
            offset += len(paragraph) + 2
    return pd.DataFrame(rows)


def _sent_id(doc_id: str, start: int) -> int:
    return TEXTS[doc_id][:start].count("\n\n")


def _entities() -> pd.DataFrame:
    mentions = [
        (NATO, "OTAN", 0, "ORG", "OTAN"),
        (NATO, "Jens Stoltenberg", 0, "PER", "Jens Stoltenberg"),
        (NATO, "Russie", 0, "LOC", "Russie"),
        (NATO, "OTAN", 1, "ORG", "OTAN"),
        (NATO, "Emmanuel Macron", 0, "PER", "Emmanuel Macron"),
        (NATO, "France", 0, "LOC", "France"),
        (HOSTILE, "Cie", 0, "ORG", "Cie"),
        (HOSTILE, "Marie \"Curie\" O’Neil", 0, "PER", "Marie \"Curie\" O’Neil"),
        (HOSTILE, "<script>", 1, "MISC", "<script>"),
    ]
    rows = []
    for doc_id, needle, occurrence, label, canonical in mentions:
        start, end = span(TEXTS[doc_id], needle, occurrence)
        rows.append({"doc_id": doc_id, "sent_id": _sent_id(doc_id, start), "start": start, "end": end, "text": needle, "label": label, "canonical": canonical, "entity_key": f"{label}:{canonical.lower()}"})
    return _numbered(pd.DataFrame(rows), "ent_id")


def _quotes() -> pd.DataFrame:
    quotes = [
        (NATO, "La Russie & l’OTAN doivent parler 🙂", "direct", "Jens Stoltenberg", "PER", "Jens Stoltenberg", "PER:jens stoltenberg", "déclarer", "déclaré"),
        (NATO, "la France restera « unie » jusqu’en mars", "indirect", "Emmanuel Macron", "PER", "Emmanuel Macron", "PER:emmanuel macron", "selon", "Selon"),
        (HOSTILE, "<b>pas</b> de <script> ici & là 🚀", "direct", "Marie \"Curie\" O’Neil", "PER", "Marie \"Curie\" O’Neil", "PER:marie \"curie\" o’neil", "dire", "dit"),
    ]
    rows = []
    for doc_id, content, kind, speaker, label, mention, key, cue, cue_text in quotes:
        text = TEXTS[doc_id]
        start, end = span(text, content)
        speaker_start, speaker_end = span(text, mention)
        cue_start, cue_end = span(text, cue_text)
        rows.append(
            {
                "doc_id": doc_id, "sent_id": _sent_id(doc_id, start),
                "start": start, "end": end, "text": content, "kind": kind, "speaker": speaker, "speaker_label": label,
                "speaker_mention": mention, "speaker_start": speaker_start, "speaker_end": speaker_end, "entity_key": key,
                "cue": cue, "cue_start": cue_start, "cue_end": cue_end,
            }
        )
    return _numbered(pd.DataFrame(rows), "quote_id")


def _dates() -> pd.DataFrame:
    expressions = [
        (NATO, "vendredi 15 février 2022", "DATE", "2022-02-15", "publication", "2022-02-15", "2022-02-15"),
        # Inside the indirect quote, which also holds the entity "France".
        (NATO, "jusqu’en mars", "DATE", "2022-03", "publication", "2022-03-01", "2022-03-31"),
        (HOSTILE, "3 mai 2021", "DATE", "2021-05-03", None, "2021-05-03", "2021-05-03"),
        # Straddles the end of the quote: layering must split, never break the HTML.
        (HOSTILE, "🚀 » le 3", "DATE", "XXXX-XX-03", None, None, None),
    ]
    rows = []
    for doc_id, needle, kind, value, anchor, first, last in expressions:
        start, end = span(TEXTS[doc_id], needle)
        rows.append(
            {
                "doc_id": doc_id, "sent_id": _sent_id(doc_id, start), "start": start, "end": end, "text": needle, "type": kind, "value": value,
                "mod": None, "anchor": anchor, "date_start": pd.Timestamp(first).date() if first else None, "date_end": pd.Timestamp(last).date() if last else None,
            }
        )
    return _numbered(pd.DataFrame(rows), "date_id")


def _quote_mentions() -> pd.DataFrame:
    """Entities inside each quote, the speaker's own left out (what the quote-context stage finds)."""
    entities, quotes = _entities(), _quotes()
    rows = []
    for quote in quotes.itertuples():
        inside = entities[(entities["doc_id"] == quote.doc_id) & (entities["start"] >= quote.start) & (entities["end"] <= quote.end)]
        rows += [{"doc_id": quote.doc_id, "quote_id": quote.quote_id, "ent_id": e.ent_id, "entity_key": e.entity_key, "label": e.label}
                 for e in inside.itertuples() if e.entity_key != quote.entity_key]
    return pd.DataFrame(rows)


def _quote_dates() -> pd.DataFrame:
    """Stoltenberg's quote dated by its clause ("a déclaré vendredi 15 février 2022"),
    Macron's by the publication date, the undated document's quote by nothing."""
    day = pd.Timestamp("2022-02-15").date()
    published = pd.Timestamp("2022-02-18").date()
    return pd.DataFrame([
        {"doc_id": NATO, "quote_id": 0, "dated_by": "clause", "date_id": 0, "value": "2022-02-15", "date_start": day, "date_end": day},
        {"doc_id": NATO, "quote_id": 1, "dated_by": "publication", "date_id": None, "value": "2022-02-18", "date_start": published, "date_end": published},
        {"doc_id": HOSTILE, "quote_id": 0, "dated_by": None, "date_id": None, "value": None, "date_start": None, "date_end": None},
    ]).astype({"date_id": "Int32"})


def _numbered(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Rows in document order, then offset order, numbered 0.. within each document."""
    frame = frame.assign(order=frame["doc_id"].map(list(TEXTS).index)).sort_values(["order", "start"]).drop(columns="order")
    frame[id_column] = frame.groupby("doc_id").cumcount()
    return frame.reset_index(drop=True)


def _rejects() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"source": "data/raw/empty.txt", "doc_id": "empty", "stage": "clean", "reason": "empty file"},
            {"source": "data/raw/bad.jsonl:3", "doc_id": None, "stage": "clean", "reason": "not valid JSON: <unexpected '&'>"},
        ]
    )


def build(folder: Path) -> Path:
    """Write every table of the contract into ``folder``."""
    frames = {
        DOCUMENTS.name: _documents(),
        SENTENCES.name: _sentences(),
        TOKENS.name: empty_frame(TOKENS),
        ENTITIES.name: _entities(),
        QUOTES.name: _quotes(),
        DATES.name: _dates(),
        REJECTS.name: _rejects(),
        QUOTE_MENTIONS.name: _quote_mentions(),
        QUOTE_DATES.name: _quote_dates(),
    }
    for name, frame in frames.items():
        write_table(TABLES[name], frame, folder)
    return Path(folder)


def build_empty(folder: Path) -> Path:
    """Documents only; every later stage found nothing."""
    build(folder)
    for spec in (SENTENCES, TOKENS, ENTITIES, QUOTES, DATES, QUOTE_MENTIONS, QUOTE_DATES, REJECTS):
        write_table(spec, empty_frame(spec), folder)
    return Path(folder)
