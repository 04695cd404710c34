"""The HTML report: a corpus summary (index.html), one page per document, one per speaker.

Document pages show the text the way displaCy does: entities highlighted by label,
quotes marked with their speaker and cue, dates with their normalised value on hover,
and a legend. Speaker pages gather, across the corpus, what one speaker (an
``entity_key``) said and when, the cues used, whom the quotes mention and who else is
quoted in the same documents. The index has the corpus's date range, charts (quotes per
month, top speakers, speakers x the entities they mention; ``pipeline.charts``) and the
top lists. Files are self-contained (inline CSS and SVG, no script, nothing fetched),
and every string from the tables goes through ``html.escape``, so any text renders as text.

Spans overlap (a quote holds entities and dates; a date may straddle a quote's end).
``render_text`` nests them and, where one crosses another's boundary, closes and
reopens the inner one, so the markup is always well formed; every fragment of one
span carries the same ``data-span``.
"""
from __future__ import annotations

import html
import itertools
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import quote as url_quote

import pandas as pd

from pipeline import __version__, charts
from pipeline.paths import safe_file_name
from pipeline.query import missing_tables, read_or_empty
from pipeline.tables import DATES, DOCUMENTS, ENTITIES, QUOTE_DATES, QUOTE_MENTIONS, QUOTES, REJECTS

REPORT_FOLDER = "report"
PAGES_FOLDER = "docs"
SPEAKERS_FOLDER = "speakers"
TOP = 20
CHART_TOP = 15  # bars of the top speakers chart
GRID_TOP = 12  # rows and columns of the speakers x entities chart
# Speakers that are named entities; the others (label OTHER: "le sondage", "des
# délégués") are listed apart, so that the top lists name people and institutions.
NAMED_SPEAKERS = ("PER", "ORG", "LOC")

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
    anchor: str = ""  # id of the span's first fragment, for links to it

    @property
    def tag(self) -> str:
        return "mark" if self.layer == "entity" else "span"

    def open_tag(self, continued: bool) -> str:
        attributes = [("class", self.classes + (" cont" if continued else "")), ("data-span", self.span_id), *self.attributes]
        if self.anchor and not continued:
            attributes.append(("id", self.anchor))
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
            badge=" · ".join(part for part in (speaker or "unknown speaker", cue) if part), anchor=quote_anchor(row.quote_id),
        )
        speaker_start, speaker_end = _offset(row.speaker_start), _offset(row.speaker_end)
        if speaker_start is not None and speaker_end is not None:
            yield Span(speaker_start, speaker_end, "speaker", f"q{row.quote_id}s", "speaker", (("title", f"speaker of quote {row.quote_id}: {speaker}"),))
        cue_start, cue_end = _offset(row.cue_start), _offset(row.cue_end)
        if cue_start is not None and cue_end is not None:
            yield Span(cue_start, cue_end, "cue", f"q{row.quote_id}c", "cue", (("title", f"cue of quote {row.quote_id}: {cue}"),))


def quote_anchor(quote_id: object) -> str:
    """The id of a quote on its document page."""
    return f"quote-{int(quote_id)}"


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
body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;margin:1.5rem auto;max-width:80rem;padding:0 clamp(.75rem,3vw,2rem);color:#222;line-height:1.5}
a{color:#0b5cad}
p,li,blockquote,.legend{max-width:75ch}
.text{max-width:56rem;box-sizing:border-box}
.scroll{overflow-x:auto;max-width:100%;margin:.5rem 0 1.5rem}
table{border-collapse:collapse}
th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f4f4f4}
td.n{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal}
.meta{color:#555;font-size:.9rem}
.lead{font-size:1.1rem}
.note{background:#fff5d6;border-left:4px solid #e0b400;padding:.4rem .8rem}
.legend{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:1rem 0}
.text{white-space:pre-wrap;line-height:2.6;font-size:1.05rem;border:1px solid #eee;border-radius:.4rem;padding:1rem 1.25rem}
mark.ent{background:""" + OTHER_LABEL_COLOUR + """;padding:.2em .35em;margin:0 .1em;border-radius:.35em;box-decoration-break:clone;-webkit-box-decoration-break:clone}
""" + "".join(f'mark.ent[data-label="{label}"]{{background:{colour}}}\n' for label, colour in LABEL_COLOURS.items()) + """
mark.ent.cont{margin-left:0;border-top-left-radius:0;border-bottom-left-radius:0}
.badge{font-size:max(11px,.65em);font-weight:bold;line-height:1;text-transform:uppercase;vertical-align:middle;margin-left:.4rem;white-space:nowrap}
.quote{background:rgba(255,214,102,.28);border-bottom:3px solid #e0a800;padding:.15em 0;box-decoration-break:clone;-webkit-box-decoration-break:clone}
.quote>.badge,.quote .badge:last-child{text-transform:none}
.quote>.badge{background:#8a6100;color:#fff;border-radius:.3em;padding:.15em .45em;font-size:max(12px,.75em)}
.quote:target{outline:3px solid #0b5cad;outline-offset:2px}
.speaker{border-bottom:3px double #6a4c93;font-weight:600}
.cue{font-style:italic;border-bottom:2px dotted #b5179e;color:#7a0f6a}
.date{position:relative;border:1px dashed #2a9d8f;background:#e3f6f3;border-radius:.25em;padding:0 .15em}
.date:hover::after{content:attr(data-value);position:absolute;left:0;top:-1.9em;background:#2a9d8f;color:#fff;font-size:.75rem;line-height:1.4;padding:.1em .4em;border-radius:.25em;white-space:nowrap;z-index:1}
.legend .date,.legend .quote,.legend .speaker,.legend .cue,.legend mark{line-height:1.6}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,34rem),1fr));gap:1rem 2rem;align-items:start}
figure.chart{margin:0}
figure.chart svg{display:block;width:100%;height:auto}
figure.chart svg text{font-family:"DejaVu Sans",Verdana,sans-serif !important}
figcaption{color:#555;font-size:.9rem}
table[data-table=said] td:nth-child(2){min-width:30ch;max-width:65ch}
table[data-table=said] td:nth-child(5),table[data-table=said] td:nth-child(6){min-width:12ch;max-width:32ch}
.said{background:rgba(255,214,102,.28)}
ul.names{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;list-style:none;padding:0;max-width:none}
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


def _table(headers: list[str], rows: Iterable[list[str]], numeric: set[int] = frozenset(), name: str = "", row_data: Iterable[dict[str, str]] = ()) -> str:
    """An HTML table (scrolling sideways on a narrow window); cells are already escaped
    HTML; ``row_data`` gives each row data-* attributes."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        f"<tr{''.join(f' data-{key}={chr(34)}{html.escape(value)}{chr(34)}' for key, value in data.items())}>"
        + "".join(f'<td class="n">{cell}</td>' if i in numeric else f"<td>{cell}</td>" for i, cell in enumerate(row)) + "</tr>"
        for row, data in itertools.zip_longest(rows, row_data, fillvalue={})
    )
    data = f' data-table="{html.escape(name)}"' if name else ""
    return f'<div class="scroll"><table{data}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>' if body else '<p class="meta">none</p>'


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


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _range(first: object, last: object) -> str:
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return "none"
    return f"{first} – {last}"


# --------------------------------------------------------------------------- the corpus, joined once


def most_common(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """Per ``key``, its most frequent non-null ``value`` (ties: the first in sort order)."""
    counts = frame.dropna(subset=[key, value]).groupby([key, value]).size().rename("n").reset_index()
    counts = counts.sort_values(["n", value], ascending=[False, True], kind="stable")
    return counts.drop_duplicates(key).set_index(key)[value]


def _day(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce")


@dataclass
class Corpus:
    """The tables the report shows, read and joined once for every page."""

    documents: pd.DataFrame
    entities: pd.DataFrame
    quotes: pd.DataFrame  # with the quote's event date (quote_dates) and the words dating it
    dates: pd.DataFrame
    mentions: pd.DataFrame  # quote_mentions with the quote's speaker_key
    rejects: pd.DataFrame
    missing: list[str]
    pages: dict[str, str]  # doc_id -> file name of its page
    speakers: pd.DataFrame  # one row per speaker entity_key: name, label, quotes, documents, first, last, page
    entity_names: pd.Series  # entity_key -> canonical name

    @classmethod
    def read(cls, folder: Path) -> "Corpus":
        shown = (ENTITIES, QUOTES, DATES, QUOTE_MENTIONS, QUOTE_DATES, REJECTS)
        missing = [name for name in missing_tables(folder) if name in {spec.name for spec in shown}]
        documents = read_or_empty(DOCUMENTS, folder)
        entities, quotes, dates, mentions, quote_dates, rejects = (read_or_empty(spec, folder) for spec in shown)
        quotes = dated_quotes(quotes, quote_dates, dates)
        mentions = mentions.merge(quotes[["doc_id", "quote_id", "entity_key"]].rename(columns={"entity_key": "speaker_key"}), on=["doc_id", "quote_id"], how="left")
        pages = {doc_id: safe_file_name(doc_id, ".html") for doc_id in documents["doc_id"]}
        return cls(documents, entities, quotes, dates, mentions, rejects, missing, pages, speaker_table(quotes), most_common(entities, "entity_key", "canonical"))

    def name_of(self, entity_key: str) -> str:
        if entity_key in self.speakers.index:
            return str(self.speakers.at[entity_key, "name"])
        return str(self.entity_names.get(entity_key, entity_key))

    def speaker_link(self, entity_key: object, name: str, prefix: str) -> str:
        """The name, linked to the speaker's page when the key has one."""
        if isinstance(entity_key, str) and entity_key in self.speakers.index:
            return _link(f"{prefix}{SPEAKERS_FOLDER}/{url_quote(self.speakers.at[entity_key, 'page'])}", name)
        return html.escape(name)

    def document_link(self, doc_id: str, prefix: str, anchor: str = "") -> str:
        return f"{prefix}{PAGES_FOLDER}/{url_quote(self.pages[doc_id])}" + (f"#{anchor}" if anchor else "")


def dated_quotes(quotes: pd.DataFrame, quote_dates: pd.DataFrame, dates: pd.DataFrame) -> pd.DataFrame:
    """Quotes with their event date: ``dated_by``, ``event_value``, ``event_start``,
    ``event_end`` (Timestamps) and ``event_text`` (the words that date it, if any)."""
    events = quote_dates.rename(columns={"value": "event_value", "date_start": "event_start", "date_end": "event_end"})
    events["date_id"] = events["date_id"].astype("Int64")
    words = dates[["doc_id", "date_id", "text"]].rename(columns={"text": "event_text"}).astype({"date_id": "Int64"})
    joined = quotes.merge(events, on=["doc_id", "quote_id"], how="left").merge(words, on=["doc_id", "date_id"], how="left")
    joined["event_start"], joined["event_end"] = _day(joined["event_start"]), _day(joined["event_end"])
    return joined


def speaker_table(quotes: pd.DataFrame) -> pd.DataFrame:
    """One row per speaker entity_key, most quoted first: name and label (the most frequent
    for the key), quotes, documents, first and last day of their quotes, page file name."""
    named = quotes.dropna(subset=["entity_key"])
    table = named.groupby("entity_key").agg(quotes=("quote_id", "size"), documents=("doc_id", "nunique"), first=("event_start", "min"), last=("event_end", "max"))
    table["name"] = most_common(named, "entity_key", "speaker").reindex(table.index).fillna(pd.Series(table.index, index=table.index))
    table["label"] = most_common(named, "entity_key", "speaker_label").reindex(table.index).fillna("")
    table["page"] = [safe_file_name(key, ".html") for key in table.index]
    return table.sort_values(["quotes", "documents", "name"], ascending=[False, False, True], kind="stable")


def period(start: object, end: object) -> str:
    """Days start..end said shortly: a day, a calendar month or year, else first – last."""
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return "none"
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start == end:
        return start.date().isoformat()
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start.year:04d}"
    if start.day == 1 and (end + pd.Timedelta(days=1)).day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.date().isoformat()} – {end.date().isoformat()}"


def _when(row) -> str:
    """A quote's event date as shown: the days it may cover, and its value when that says more."""
    value = _text(row.event_value)
    if pd.isna(row.event_start):
        return value or "undated"
    days = period(row.event_start, row.event_end)
    return days if value in ("", days) else f"{days} ({value})"


def _dated_by(row) -> str:
    if row.dated_by == "clause":
        return f"« {_text(row.event_text)} »"
    return "publication date" if row.dated_by == "publication" else ""


def _month_of(start: pd.Timestamp, end: pd.Timestamp) -> str | None:
    """YYYY-MM when the days start..end lie in one calendar month."""
    if pd.isna(start) or pd.isna(end) or (start.year, start.month) != (end.year, end.month):
        return None
    return f"{start.year:04d}-{start.month:02d}"


# --------------------------------------------------------------------------- document pages


def document_page(document: pd.Series, entities: pd.DataFrame, quotes: pd.DataFrame, dates: pd.DataFrame, mentions: pd.DataFrame, corpus: Corpus) -> str:
    text = _text(document["text"])
    spans = [*entity_spans(entities), *quote_spans(quotes), *date_spans(dates)]
    labels = sorted(set(LABEL_COLOURS) | set(entities["label"].dropna()))
    about = mentions.groupby("quote_id")["entity_key"].agg(lambda keys: list(dict.fromkeys(keys)))
    quote_rows = (
        [
            corpus.speaker_link(q.entity_key, _text(q.speaker) or "unknown", "../"), html.escape(_text(q.speaker_label)), html.escape(_text(q.cue)),
            html.escape(_text(q.kind)), f'<a href="#{quote_anchor(q.quote_id)}">{html.escape(_text(q.text))}</a>',
            html.escape(_when(q)) + (f'<br><span class="meta">{html.escape(_dated_by(q))}</span>' if _dated_by(q) else ""),
            ", ".join(corpus.speaker_link(key, corpus.name_of(key), "../") for key in about.get(q.quote_id, [])),
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
        f"{_missing_note(corpus.missing)}"
        f"{legend(labels)}"
        f'<div class="text" id="text">{render_text(text, spans)}</div>'
        f"<h2>Quotes ({len(quotes)})</h2>{_table(['speaker', 'label', 'cue', 'kind', 'quotation', 'when', 'about'], quote_rows, name='quotes')}"
        f"<h2>Dates ({len(dates)})</h2>{_table(['as written', 'type', 'value', 'mod', 'anchor'], date_rows, name='dates')}"
    )
    return _page(_text(document["title"]) or _text(document["doc_id"]), body)


# --------------------------------------------------------------------------- speaker pages


def _said(corpus: Corpus, quotes: pd.DataFrame) -> str:
    """The quotes in date order (undated last), each with its date, document and mentions."""
    ordered = quotes.assign(order=quotes["doc_id"].map({doc_id: i for i, doc_id in enumerate(corpus.pages)}))
    ordered = ordered.sort_values(["event_start", "event_end", "order", "quote_id"], na_position="last", kind="stable")
    titles = corpus.documents.set_index("doc_id")["title"]
    about = corpus.mentions.groupby(["doc_id", "quote_id"])["entity_key"].agg(lambda keys: list(dict.fromkeys(keys)))
    rows, data = [], []
    for q in ordered.itertuples(index=False):
        dated_by = _dated_by(q)
        rows.append([
            html.escape(_when(q)) + (f'<br><span class="meta">{html.escape(dated_by)}</span>' if dated_by else ""),
            f'<span class="said">{html.escape(_text(q.text))}</span>',
            html.escape(_text(q.cue)), html.escape(_text(q.kind)),
            ", ".join(corpus.speaker_link(key, corpus.name_of(key), "../") for key in about.get((q.doc_id, q.quote_id), [])),
            _link(corpus.document_link(q.doc_id, "../", quote_anchor(q.quote_id)), _text(titles.get(q.doc_id)) or q.doc_id),
        ])
        data.append({"doc": q.doc_id, "quote": str(int(q.quote_id)), "when": _when(q)})
    return _table(["when", "quotation", "cue", "kind", "about", "document"], rows, name="said", row_data=data)


def speaker_page(entity_key: str, corpus: Corpus) -> str:
    speaker = corpus.speakers.loc[entity_key]
    quotes = corpus.quotes[corpus.quotes["entity_key"] == entity_key]
    cues = quotes["cue"].fillna("(no cue)").value_counts()
    cue_rows = ([html.escape(cue), str(count)] for cue, count in cues.items())
    mentions = corpus.mentions[corpus.mentions["speaker_key"] == entity_key]
    talked_about = mentions.groupby("entity_key").agg(mentions=("ent_id", "size"), label=("label", "first"))
    talked_about["quotes"] = mentions.drop_duplicates(["doc_id", "quote_id", "entity_key"]).groupby("entity_key").size()
    talked_about = talked_about.sort_values(["quotes", "mentions"], ascending=False, kind="stable").head(TOP)
    about_rows = ([corpus.speaker_link(key, corpus.name_of(key), "../"), html.escape(row.label), str(row.quotes), str(row.mentions)] for key, row in talked_about.iterrows())
    same_documents = corpus.quotes[corpus.quotes["doc_id"].isin(set(quotes["doc_id"])) & (corpus.quotes["entity_key"] != entity_key) & corpus.quotes["speaker"].notna()]
    others = same_documents.assign(who=same_documents["entity_key"].fillna("name:" + same_documents["speaker"]))
    others = others.groupby("who").agg(name=("speaker", "first"), key=("entity_key", "first"), label=("speaker_label", "first"), documents=("doc_id", "nunique"), quotes=("quote_id", "size"))
    others = others.sort_values(["documents", "quotes", "name"], ascending=[False, False, True], kind="stable").head(TOP)
    other_rows = (
        [corpus.speaker_link(row.key, corpus.name_of(row.key) if isinstance(row.key, str) else row.name, "../"), html.escape(_text(row.label)), str(row.documents), str(row.quotes)]
        for row in others.itertuples(index=False)
    )
    meta = f"{speaker['label']} · {entity_key} · {speaker['quotes']} quotes in {speaker['documents']} documents · dated {period(speaker['first'], speaker['last'])}"
    body = (
        f'<p><a href="../index.html">← corpus</a></p>'
        f"<h1>{html.escape(str(speaker['name']))}</h1>"
        f'<p class="meta">{html.escape(meta)}</p>'
        f"{_missing_note(corpus.missing)}"
        f"<h2>Quotes ({len(quotes)}), in date order</h2>"
        f'<p class="meta">Dated by the first date of the clause reporting the quote, else by the publication date.</p>'
        f"{_said(corpus, quotes)}"
        f"<h2>Cues</h2>{_table(['cue', 'quotes'], cue_rows, numeric={1}, name='cues')}"
        f"<h2>Talks about</h2>{_table(['entity', 'label', 'quotes', 'mentions'], about_rows, numeric={2, 3}, name='about')}"
        f"<h2>Also quoted in the same documents</h2>{_table(['speaker', 'label', 'shared documents', 'quotes there'], other_rows, numeric={2, 3}, name='others')}"
    )
    return _page(str(speaker["name"]), body)


def _iso(value: object) -> str | None:
    return None if value is None or pd.isna(value) else value.date().isoformat()


# --------------------------------------------------------------------------- the index


def _speaker_entity_pairs(corpus: Corpus) -> pd.DataFrame:
    """One row per (quote, entity it mentions) of a named speaker: speaker_key, entity_key."""
    pairs = corpus.mentions.dropna(subset=["speaker_key"])
    return pairs.drop_duplicates(["doc_id", "quote_id", "entity_key"])[["doc_id", "quote_id", "speaker_key", "entity_key"]]


def _charts(corpus: Corpus, named: pd.DataFrame) -> str:
    figures = []
    months = pd.Series([_month_of(start, end) for start, end in zip(corpus.quotes["event_start"], corpus.quotes["event_end"])], dtype=object)
    counts = months.dropna().value_counts()
    if len(counts):
        figures.append(("Quotes per month", charts.quotes_per_month({str(k): int(v) for k, v in counts.items()}, int(months.isna().sum())),
                        "Each quote in the month of its date (its clause's, else the publication's); quotes whose date spans more than a month are counted apart."))
    top = named.head(CHART_TOP)
    if len(top):
        rows = [(key, str(row["name"]), str(row["label"]), int(row["quotes"])) for key, row in top.iterrows()]
        figures.append((f"Top speakers (PER, ORG, LOC; {len(top)})", charts.top_speakers(rows, LABEL_COLOURS), "Quotes per speaker entity across the corpus."))
    pairs = _speaker_entity_pairs(corpus)
    pairs = pairs[pairs["speaker_key"].isin(named.index)]
    if len(pairs):
        rows = pairs["speaker_key"].value_counts().head(GRID_TOP).index
        columns = pairs[pairs["speaker_key"].isin(rows)]["entity_key"].value_counts().head(GRID_TOP).index
        grid = pd.crosstab(pairs["speaker_key"], pairs["entity_key"]).reindex(index=rows, columns=columns, fill_value=0)
        grid = grid.loc[grid.sum(axis=1) > 0]
        names = {key: corpus.name_of(key) for key in [*rows, *columns]}
        figures.append(("Speakers × entities they mention", charts.speakers_by_entities(grid, names, names), "Quotes of each speaker naming each entity (the speaker's own name left out)."))
    if not figures:
        return '<p class="meta">No quote to chart.</p>'
    return '<div class="charts">' + "".join(
        f'<figure class="chart"><h3>{html.escape(title)}</h3>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>' for title, svg, caption in figures
    ) + "</div>"


def _speaker_rows(corpus: Corpus, speakers: pd.DataFrame) -> list[list[str]]:
    return [
        [corpus.speaker_link(key, str(row["name"]), ""), html.escape(str(row["label"])), str(row["quotes"]), str(row["documents"]), html.escape(period(row["first"], row["last"]))]
        for key, row in speakers.head(TOP).iterrows()
    ]


def _other_sources(quotes: pd.DataFrame) -> list[list[str]]:
    other = quotes[quotes["entity_key"].isna() & quotes["speaker"].notna()]
    grouped = other.groupby("speaker").agg(quotes=("quote_id", "size"), documents=("doc_id", "nunique"))
    top = grouped.sort_values(["quotes", "documents"], ascending=False, kind="stable").head(TOP)
    return [[html.escape(str(name)), str(row.quotes), str(row.documents)] for name, row in top.iterrows()]


def _top_entities(corpus: Corpus) -> list[list[str]]:
    entities = corpus.entities
    if entities.empty:
        return []
    grouped = entities.groupby("entity_key").agg(label=("label", "first"), mentions=("ent_id", "size"), documents=("doc_id", "nunique"))
    grouped["canonical"] = corpus.entity_names.reindex(grouped.index)
    top = grouped.sort_values(["mentions", "documents"], ascending=False, kind="stable").head(TOP)
    pairs = _speaker_entity_pairs(corpus)
    quoted_by = pairs.groupby("entity_key")["speaker_key"].agg(lambda keys: keys.value_counts().head(3).index.tolist())
    about = pairs.groupby("entity_key").size()
    return [
        [
            html.escape(str(row.canonical)), html.escape(row.label), str(row.mentions), str(row.documents), str(int(about.get(key, 0))),
            ", ".join(corpus.speaker_link(speaker, corpus.name_of(speaker), "") for speaker in quoted_by.get(key, [])),
        ]
        for key, row in top.iterrows()
    ]


def index_page(corpus: Corpus) -> str:
    documents, quotes, dates, rejects = corpus.documents, corpus.quotes, corpus.dates, corpus.rejects
    counts = {
        name: frame.groupby("doc_id").size() if len(frame) else pd.Series(dtype=int)
        for name, frame in (("entities", corpus.entities), ("quotes", quotes), ("dates", dates))
    }
    published = documents["published"].dropna()
    publication_range = _range(published.min(), published.max()) if len(published) else "none"
    quote_range = _range(_iso(quotes["event_start"].min()), _iso(quotes["event_end"].max())) if quotes["event_start"].notna().any() else "none"
    named = corpus.speakers[corpus.speakers["label"].isin(NAMED_SPEAKERS)]
    summary = [
        ["documents", str(len(documents))],
        ["rejected inputs", str(len(rejects))],
        ["entity mentions", str(len(corpus.entities))],
        ["quotes", str(len(quotes))],
        ["speakers (named entities)", str(len(corpus.speakers))],
        ["temporal expressions", str(len(dates))],
        ["publication dates", html.escape(publication_range)],
        ["quotes dated", html.escape(quote_range)],
        ["dates mentioned", html.escape(_range(dates["date_start"].min(), dates["date_end"].max()) if len(dates) else "none")],
    ]
    document_rows = (
        [
            _link(corpus.document_link(d.doc_id, ""), d.doc_id),
            html.escape(_text(d.title)), html.escape(_text(d.published)),
            *(str(int(counts[name].get(d.doc_id, 0))) for name in ("entities", "quotes", "dates")),
        ]
        for d in documents.itertuples(index=False)
    )
    reject_rows = ([html.escape(_text(r.source)), html.escape(_text(r.doc_id)), html.escape(_text(r.stage)), html.escape(_text(r.reason))] for r in rejects.itertuples(index=False))
    everyone = "".join(f"<li>{corpus.speaker_link(key, str(row['name']), '')} <span class=meta>{row['quotes']}</span></li>" for key, row in corpus.speakers.iterrows())
    body = (
        "<h1>Corpus report</h1>"
        f'<p class="lead" data-corpus-range="{html.escape(publication_range)}">{len(documents)} documents published {html.escape(publication_range)}'
        f" · {len(quotes)} quotes dated {html.escape(quote_range)}</p>"
        f'<p class="meta">pipeline {html.escape(__version__)}</p>'
        f"{_missing_note(corpus.missing)}"
        f"<h2>Summary</h2>{_table(['', 'value'], summary, numeric={1}, name='summary')}"
        f"<h2>Charts</h2>{_charts(corpus, named)}"
        f"<h2>Top speakers</h2>{_table(['speaker', 'label', 'quotes', 'documents', 'dated'], _speaker_rows(corpus, named), numeric={2, 3}, name='top-speakers')}"
        f"<h2>Other sources (not named entities)</h2>{_table(['source', 'quotes', 'documents'], _other_sources(quotes), numeric={1, 2}, name='other-sources')}"
        f"<h2>Top entities</h2>{_table(['entity', 'label', 'mentions', 'documents', 'quotes about it', 'quoted about it by'], _top_entities(corpus), numeric={2, 3, 4}, name='top-entities')}"
        f"<h2>Every speaker ({len(corpus.speakers)})</h2>" + (f'<ul class="names">{everyone}</ul>' if everyone else '<p class="meta">none</p>') +
        f"<h2>Rejected inputs ({len(rejects)})</h2>{_table(['source', 'doc_id', 'stage', 'reason'], reject_rows, name='rejects')}"
        f"<h2>Documents ({len(documents)})</h2>{_table(['document', 'title', 'published', 'entities', 'quotes', 'dates'], document_rows, numeric={3, 4, 5}, name='documents')}"
    )
    return _page("Corpus report", body)


# --------------------------------------------------------------------------- writing


def _by_document(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {doc_id: rows for doc_id, rows in frame.groupby("doc_id", sort=False)}


def build_report(folder: Path, progress: Callable[[int], None] | None = None) -> Path:
    """Write ``folder``/report (index.html, docs/*.html and speakers/*.html) from the
    tables in ``folder``.

    The report is written next to the old one and swapped in at the end, so pages of
    documents that are gone do not linger and a failed run leaves the old report whole.
    """
    folder = Path(folder)
    corpus = Corpus.read(folder)
    entities_of, quotes_of, dates_of, mentions_of = (_by_document(frame) for frame in (corpus.entities, corpus.quotes, corpus.dates, corpus.mentions))

    target = folder / REPORT_FOLDER
    staging = Path(tempfile.mkdtemp(prefix=f".{REPORT_FOLDER}.", dir=folder))
    try:
        (staging / PAGES_FOLDER).mkdir()
        (staging / SPEAKERS_FOLDER).mkdir()
        for _, document in corpus.documents.iterrows():
            doc_id = document["doc_id"]
            page = document_page(
                document,
                *(rows.get(doc_id, frame.iloc[:0]) for rows, frame in ((entities_of, corpus.entities), (quotes_of, corpus.quotes), (dates_of, corpus.dates), (mentions_of, corpus.mentions))),
                corpus,
            )
            (staging / PAGES_FOLDER / corpus.pages[doc_id]).write_text(page, encoding="utf-8")
            if progress:
                progress(1)
        for entity_key, speaker in corpus.speakers.iterrows():
            (staging / SPEAKERS_FOLDER / speaker["page"]).write_text(speaker_page(entity_key, corpus), encoding="utf-8")
        (staging / "index.html").write_text(index_page(corpus), encoding="utf-8")
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
