"""The HTML report: a corpus summary (index.html) and one page per document.

Document pages show the text the way displaCy does: entities highlighted by label,
quotes marked with their speaker and cue, dates with their normalised value on hover,
and a legend. Files are self-contained (inline CSS, no script, nothing fetched), and
every string from the tables goes through ``html.escape``, so any text renders as text.

Spans overlap (a quote holds entities and dates; a date may straddle a quote's end).
``render_text`` nests them and, where one crosses another's boundary, closes and
reopens the inner one, so the markup is always well formed; every fragment of one
span carries the same ``data-span``.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import quote as url_quote

import pandas as pd

from pipeline import __version__
from pipeline.paths import safe_file_name
from pipeline.query import missing_tables, read_or_empty
from pipeline.tables import DATES, DOCUMENTS, ENTITIES, QUOTES, REJECTS

REPORT_FOLDER = "report"
PAGES_FOLDER = "docs"
TOP = 20

# displaCy's palette for the labels it shares with ours.
LABEL_COLOURS = {"PER": "#aa9cfc", "ORG": "#7aecec", "LOC": "#ff9561", "MISC": "#bfeeb7"}
OTHER_LABEL_COLOUR = "#ddd"

# When spans share both ends, the earlier layer is the outer one.
LAYERS = ("quote", "entity", "speaker", "cue", "date")

@dataclass(frozen=True)
class Span:
    start: int
    end: int
    layer: str
    span_id: str
    classes: str
    attributes: tuple[tuple[str, str], ...] = ()
    badge: str = ""  # shown after the span's last character

    @property
    def tag(self) -> str:
        return "mark" if self.layer == "entity" else "span"

    def open_tag(self, continued: bool) -> str:
        attributes = [("class", self.classes + (" cont" if continued else "")), ("data-span", self.span_id), *self.attributes]
        rendered = "".join(f' {name}="{html.escape(value)}"' for name, value in attributes)
        return f"<{self.tag}{rendered}>"

    def close_tag(self, finished: bool) -> str:
        badge = f'<span class="badge">{html.escape(self.badge)}</span>' if finished and self.badge else ""
        return f"{badge}</{self.tag}>"


def _order(span: Span) -> tuple[int, int, int]:
    return (span.start, -span.end, LAYERS.index(span.layer))


def render_text(text: str, spans: Iterable[Span]) -> str:
    """``text`` escaped, with every span inside ``text`` wrapped in its tag."""
    valid = sorted((s for s in spans if 0 <= s.start < s.end <= len(text)), key=_order)
    boundaries = sorted({0, len(text)} | {s.start for s in valid} | {s.end for s in valid})
    out: list[str] = []
    stack: list[Span] = []
    for position, following in zip(boundaries, boundaries[1:] + [len(text)]):
        wanted = [s for s in valid if s.start <= position < s.end]
        kept = 0
        while kept < min(len(stack), len(wanted)) and stack[kept] is wanted[kept]:
            kept += 1
        for span in reversed(stack[kept:]):
            out.append(span.close_tag(finished=span.end <= position))
        out.extend(span.open_tag(continued=span.start < position) for span in wanted[kept:])
        stack = wanted
        out.append(html.escape(text[position:following]))
    out.extend(span.close_tag(finished=True) for span in reversed(stack))
    return "".join(out)


def _text(value: object) -> str:
    return "" if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)) else str(value)


def _offset(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def entity_spans(entities: pd.DataFrame) -> Iterator[Span]:
    for row in entities.itertuples(index=False):
        label = _text(row.label)
        yield Span(
            int(row.start), int(row.end), "entity", f"e{row.ent_id}", "ent",
            (("data-label", label), ("title", f"{label} · {_text(row.entity_key)}")), badge=label,
        )


def quote_spans(quotes: pd.DataFrame) -> Iterator[Span]:
    for row in quotes.itertuples(index=False):
        speaker, cue = _text(row.speaker), _text(row.cue)
        yield Span(
            int(row.start), int(row.end), "quote", f"q{row.quote_id}", f"quote quote-{_css_word(_text(row.kind))}",
            (("data-speaker", speaker), ("data-cue", cue), ("title", f"{_text(row.kind)} quote · speaker: {speaker or 'unknown'} · cue: {cue or 'none'}")),
            badge=" · ".join(part for part in (speaker or "unknown speaker", cue) if part),
        )
        speaker_start, speaker_end = _offset(row.speaker_start), _offset(row.speaker_end)
        if speaker_start is not None and speaker_end is not None:
            yield Span(speaker_start, speaker_end, "speaker", f"q{row.quote_id}s", "speaker", (("title", f"speaker of quote {row.quote_id}: {speaker}"),))
        cue_start, cue_end = _offset(row.cue_start), _offset(row.cue_end)
        if cue_start is not None and cue_end is not None:
            yield Span(cue_start, cue_end, "cue", f"q{row.quote_id}c", "cue", (("title", f"cue of quote {row.quote_id}: {cue}"),))


def date_spans(dates: pd.DataFrame) -> Iterator[Span]:
    for row in dates.itertuples(index=False):
        value = _text(row.value) + (f" ({_text(row.mod)})" if _text(row.mod) else "")
        yield Span(
            int(row.start), int(row.end), "date", f"d{row.date_id}", "date",
            (("data-value", value), ("data-type", _text(row.type)), ("title", f"{_text(row.type)} {value}")),
        )


def _css_word(value: str) -> str:
    return re.sub(r"[^a-z]", "", value.lower()) or "other"


STYLE = """
body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222;line-height:1.5}
a{color:#0b5cad}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.meta{color:#555;font-size:.9rem}
.note{background:#fff5d6;border-left:4px solid #e0b400;padding:.4rem .8rem}
.legend{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:1rem 0}
.text{white-space:pre-wrap;line-height:2.6;font-size:1.05rem;border:1px solid #eee;border-radius:.4rem;padding:1rem 1.25rem}
mark.ent{background:""" + OTHER_LABEL_COLOUR + """;padding:.2em .35em;margin:0 .1em;border-radius:.35em;box-decoration-break:clone;-webkit-box-decoration-break:clone}
""" + "".join(f'mark.ent[data-label="{label}"]{{background:{colour}}}\n' for label, colour in LABEL_COLOURS.items()) + """
mark.ent.cont{margin-left:0;border-top-left-radius:0;border-bottom-left-radius:0}
.badge{font-size:.62em;font-weight:bold;line-height:1;text-transform:uppercase;vertical-align:middle;margin-left:.4rem;white-space:nowrap}
.quote{background:rgba(255,214,102,.28);border-bottom:3px solid #e0a800;padding:.15em 0;box-decoration-break:clone;-webkit-box-decoration-break:clone}
.quote>.badge,.quote .badge:last-child{text-transform:none}
.quote>.badge{background:#e0a800;color:#fff;border-radius:.3em;padding:.1em .4em;font-size:.7em}
.speaker{border-bottom:3px double #6a4c93;font-weight:600}
.cue{font-style:italic;border-bottom:2px dotted #b5179e;color:#7a0f6a}
.date{position:relative;border:1px dashed #2a9d8f;background:#e3f6f3;border-radius:.25em;padding:0 .15em}
.date:hover::after{content:attr(data-value);position:absolute;left:0;top:-1.9em;background:#2a9d8f;color:#fff;font-size:.75rem;line-height:1.4;padding:.1em .4em;border-radius:.25em;white-space:nowrap;z-index:1}
.legend .date,.legend .quote,.legend .speaker,.legend .cue,.legend mark{line-height:1.6}
"""


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No network: nothing may be fetched, even if a string slipped through unescaped.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _table(headers: list[str], rows: Iterable[list[str]], numeric: set[int] = frozenset()) -> str:
    """An HTML table; cells are already escaped HTML."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{cell}</td>' if i in numeric else f"<td>{cell}</td>" for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if body else '<p class="meta">none</p>'


def legend(labels: Iterable[str]) -> str:
    items = [f'<mark class="ent" data-label="{html.escape(label)}">{html.escape(label)}</mark>' for label in labels]
    items += [
        '<span class="quote">quotation</span>',
        '<span class="speaker">speaker</span>',
        '<span class="cue">cue</span>',
        '<span class="date" data-value="normalised value">date (hover: value)</span>',
    ]
    return f'<div class="legend"><strong>Legend</strong> {" ".join(items)}</div>'


def _missing_note(missing: list[str]) -> str:
    if not missing:
        return ""
    return f'<p class="note">Not built yet, shown as empty: {html.escape(", ".join(missing))}.</p>'


def document_page(document: pd.Series, entities: pd.DataFrame, quotes: pd.DataFrame, dates: pd.DataFrame, missing: list[str]) -> str:
    text = _text(document["text"])
    spans = [*entity_spans(entities), *quote_spans(quotes), *date_spans(dates)]
    labels = sorted(set(LABEL_COLOURS) | set(entities["label"].dropna()))
    quote_rows = (
        [
            html.escape(_text(q.speaker) or "unknown"), html.escape(_text(q.speaker_label)), html.escape(_text(q.cue)),
            html.escape(_text(q.kind)), html.escape(_text(q.text)),
        ]
        for q in quotes.itertuples(index=False)
    )
    date_rows = (
        [html.escape(_text(d.text)), html.escape(_text(d.type)), html.escape(_text(d.value)), html.escape(_text(d.mod)), html.escape(_text(d.anchor))]
        for d in dates.itertuples(index=False)
    )
    meta = " · ".join(
        html.escape(part)
        for part in (f"doc_id {_text(document['doc_id'])}", _text(document["source"]), f"published {_text(document['published']) or 'unknown'}")
    )
    body = (
        f'<p><a href="../index.html">← corpus</a></p>'
        f"<h1>{html.escape(_text(document['title']) or _text(document['doc_id']))}</h1>"
        f'<p class="meta">{meta}</p>'
        f"{_missing_note(missing)}"
        f"{legend(labels)}"
        f'<div class="text" id="text">{render_text(text, spans)}</div>'
        f"<h2>Quotes ({len(quotes)})</h2>{_table(['speaker', 'label', 'cue', 'kind', 'quotation'], quote_rows)}"
        f"<h2>Dates ({len(dates)})</h2>{_table(['as written', 'type', 'value', 'mod', 'anchor'], date_rows)}"
    )
    return _page(_text(document["title"]) or _text(document["doc_id"]), body)


def _top_speakers(quotes: pd.DataFrame) -> list[list[str]]:
    named = quotes.dropna(subset=["speaker"])
    if named.empty:
        return []
    grouped = named.groupby("speaker").agg(label=("speaker_label", "first"), quotes=("quote_id", "size"), documents=("doc_id", "nunique"))
    top = grouped.sort_values(["quotes", "documents"], ascending=False).head(TOP)
    return [[html.escape(str(name)), html.escape(_text(row.label)), str(row.quotes), str(row.documents)] for name, row in top.iterrows()]


def _top_entities(entities: pd.DataFrame) -> list[list[str]]:
    if entities.empty:
        return []
    grouped = entities.groupby("entity_key").agg(
        canonical=("canonical", lambda names: names.mode().iloc[0]), label=("label", "first"), mentions=("ent_id", "size"), documents=("doc_id", "nunique")
    )
    top = grouped.sort_values(["mentions", "documents"], ascending=False).head(TOP)
    return [[html.escape(row.canonical), html.escape(row.label), str(row.mentions), str(row.documents)] for _, row in top.iterrows()]


def _range(first: object, last: object) -> str:
    if pd.isna(first) or pd.isna(last):
        return "none"
    return f"{first} – {last}"


def index_page(documents: pd.DataFrame, entities: pd.DataFrame, quotes: pd.DataFrame, dates: pd.DataFrame, rejects: pd.DataFrame, pages: dict[str, str], missing: list[str]) -> str:
    counts = {
        name: frame.groupby("doc_id").size() if len(frame) else pd.Series(dtype=int)
        for name, frame in (("entities", entities), ("quotes", quotes), ("dates", dates))
    }
    published = documents["published"].dropna()
    summary = [
        ["documents", str(len(documents))],
        ["rejected inputs", str(len(rejects))],
        ["entity mentions", str(len(entities))],
        ["quotes", str(len(quotes))],
        ["temporal expressions", str(len(dates))],
        ["dates mentioned", html.escape(_range(dates["date_start"].min(), dates["date_end"].max()) if len(dates) else "none")],
        ["publication dates", html.escape(_range(published.min(), published.max()) if len(published) else "none")],
    ]
    document_rows = (
        [
            f'<a href="{PAGES_FOLDER}/{url_quote(pages[d.doc_id])}">{html.escape(d.doc_id)}</a>',
            html.escape(_text(d.title)), html.escape(_text(d.published)),
            *(str(int(counts[name].get(d.doc_id, 0))) for name in ("entities", "quotes", "dates")),
        ]
        for d in documents.itertuples(index=False)
    )
    reject_rows = ([html.escape(_text(r.source)), html.escape(_text(r.doc_id)), html.escape(_text(r.stage)), html.escape(_text(r.reason))] for r in rejects.itertuples(index=False))
    body = (
        "<h1>Corpus report</h1>"
        f'<p class="meta">pipeline {html.escape(__version__)}</p>'
        f"{_missing_note(missing)}"
        f"<h2>Summary</h2>{_table(['', 'value'], summary, numeric={1})}"
        f"<h2>Top speakers</h2>{_table(['speaker', 'label', 'quotes', 'documents'], _top_speakers(quotes), numeric={2, 3})}"
        f"<h2>Top entities</h2>{_table(['entity', 'label', 'mentions', 'documents'], _top_entities(entities), numeric={2, 3})}"
        f"<h2>Rejected inputs ({len(rejects)})</h2>{_table(['source', 'doc_id', 'stage', 'reason'], reject_rows)}"
        f"<h2>Documents ({len(documents)})</h2>{_table(['document', 'title', 'published', 'entities', 'quotes', 'dates'], document_rows, numeric={3, 4, 5})}"
    )
    return _page("Corpus report", body)


def _by_document(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {doc_id: rows for doc_id, rows in frame.groupby("doc_id", sort=False)}


def build_report(folder: Path, progress: Callable[[int], None] | None = None) -> Path:
    """Write ``folder``/report (index.html and docs/*.html) from the tables in ``folder``.

    The report is written next to the old one and swapped in at the end, so pages of
    documents that are gone do not linger and a failed run leaves the old report whole.
    """
    folder = Path(folder)
    missing = [name for name in missing_tables(folder) if name in (ENTITIES.name, QUOTES.name, DATES.name, REJECTS.name)]
    documents = read_or_empty(DOCUMENTS, folder)
    entities, quotes, dates, rejects = (read_or_empty(spec, folder) for spec in (ENTITIES, QUOTES, DATES, REJECTS))
    entities_of, quotes_of, dates_of = _by_document(entities), _by_document(quotes), _by_document(dates)
    pages = {doc_id: safe_file_name(doc_id, ".html") for doc_id in documents["doc_id"]}

    target = folder / REPORT_FOLDER
    staging = Path(tempfile.mkdtemp(prefix=f".{REPORT_FOLDER}.", dir=folder))
    try:
        (staging / PAGES_FOLDER).mkdir()
        for _, document in documents.iterrows():
            doc_id = document["doc_id"]
            page = document_page(
                document,
                entities_of.get(doc_id, entities.iloc[:0]),
                quotes_of.get(doc_id, quotes.iloc[:0]),
                dates_of.get(doc_id, dates.iloc[:0]),
                missing,
            )
            (staging / PAGES_FOLDER / pages[doc_id]).write_text(page, encoding="utf-8")
            if progress:
                progress(1)
        (staging / "index.html").write_text(index_page(documents, entities, quotes, dates, rejects, pages, missing), encoding="utf-8")
        os.chmod(staging, 0o755)
        previous = folder / f".{REPORT_FOLDER}.old"
        shutil.rmtree(previous, ignore_errors=True)
        if target.exists():
            target.rename(previous)
        staging.rename(target)
        shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target / "index.html"
