"""Quote context: whom each quote is about and when it was made.

documents + tokens + entities + quotes + dates -> quote_mentions + quote_dates. The stage
runs after the quote, entity and date stages and reads their tables; it parses nothing.

About whom: the entity mentions lying wholly inside a quote's text (the quoted words,
without marks or attribution clause). A speaker is never counted as mentioned in their
own quote: mentions sharing the speaker's ``entity_key`` are left out, and so is any
mention overlapping the speaker's mention span (a speaker that is no named entity).

When: the quote's *clause* is the predicate that reports it (the cue: "a déclaré",
"selon") with everything that depends on it in the parse, except what heads a clause of
its own (a subordinate, relative, adverbial or participial clause, an incise, a
coordinated predicate). The quote is dated by the first dated expression of that clause
outside quoted words: "« … », a déclaré vendredi X" is dated vendredi, while a date a
speaker talks about ("nous partirons en mars"), in this quote or another, is content,
not the time of the quote. A date qualifying a noun of the clause ("la prise d'otages en
1975") dates what the noun names, so it does not date the quote either. A quote without
a cue takes the clause of its first word. Without such a date, the publication date;
without one, nothing.
"""
from __future__ import annotations

import bisect
from typing import NamedTuple

import numpy as np
import pandas as pd

from pipeline.config import Settings
from pipeline.engine import Stage
from pipeline.stages import declared
from pipeline.tables import QUOTE_DATES, QUOTE_MENTIONS, ColumnsByDoc
from pipeline.temporal.timex import interval

VERBAL = frozenset({"VERB", "AUX"})
# Universal Dependencies relations by which a predicate heads a clause of its own under
# another one. xcomp is not among them: it has no subject of its own and completes its
# governor ("a tenu à préciser", "vient de déclarer"), so the two make one clause.
CLAUSE_RELATIONS = frozenset({"ccomp", "csubj", "csubj:pass", "advcl", "acl", "acl:relcl", "parataxis"})
# Coordinated predicates are clauses of their own ("est arrivé lundi et a déclaré");
# coordinated nouns are not.
COORDINATION = "conj"
# Relations by which a word qualifies a noun: a date attached so ("la prise d'otages en
# 1975", "le sondage de septembre") dates what the noun names, not the clause's event.
NOUN_MODIFIERS = frozenset({"nmod", "amod", "appos", "nummod"})
# Expressions that place an event in time. Durations and sets do not, nor the vague
# references PAST_REF, PRESENT_REF, FUTURE_REF ("autrefois", "actuellement").
DATED_TYPES = frozenset({"DATE", "TIME"})
REFERENCE_SUFFIX = "_REF"

CLAUSE, PUBLICATION = "clause", "publication"


class Quote(NamedTuple):
    """What this stage reads of a quotes row (offsets None when absent)."""

    quote_id: int
    start: int
    end: int
    speaker_key: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue_start: int | None


QUOTE_COLUMNS = ("quote_id", "start", "end", "entity_key", "speaker_start", "speaker_end", "cue_start")


class Clauses:
    """One document's dependency trees cut into clauses: the head of each token's clause."""

    def __init__(self, starts: list[int], heads: list[int], deps: list[str], pos: list[str]):
        self._starts = starts
        self._heads = heads
        self._deps = deps
        self._opens = [dep in CLAUSE_RELATIONS or (dep == COORDINATION and tag in VERBAL) for dep, tag in zip(deps, pos)]
        self._clause: dict[int, int] = {}

    def token_at(self, offset: int) -> int | None:
        """The token holding ``offset`` (the last one starting at or before it)."""
        if not self._starts:
            return None
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def tops(self, start: int, end: int) -> list[int]:
        """The tokens of the span start..end whose head lies outside it (or which are roots)."""
        first = self.token_at(start)
        last = max(bisect.bisect_left(self._starts, end) - 1, first)
        return [token for token in range(first, last + 1) if not first <= self._heads[token] <= last or self._heads[token] == token]

    def clauses_dated_by(self, start: int, end: int) -> set[int]:
        """The clauses of which the span start..end is an adverbial: those to which one of its
        top tokens belongs without qualifying a noun."""
        return {self.clause_of(top) for top in self.tops(start, end) if self._deps[top] not in NOUN_MODIFIERS}

    def clause_of(self, token: int) -> int:
        """The token heading ``token``'s clause: climbing the heads, the first that opens a
        clause of its own, or the root."""
        path: list[int] = []
        node = token
        while node not in self._clause:
            path.append(node)
            parent = self._heads[node]
            if self._opens[node] or parent == node or not 0 <= parent < len(self._heads) or parent in path:
                self._clause[node] = node
                break
            node = parent
        head = self._clause[node]
        for visited in path:
            self._clause[visited] = head
        return head


def _clauses(tokens_by_doc: ColumnsByDoc, doc_id: str) -> Clauses | None:
    token_ids, starts, heads, deps, pos = tokens_by_doc.of(doc_id)
    if not token_ids:
        return None
    first = token_ids[0]  # heads are token ids; the clause tree reads list positions
    return Clauses(starts, [head - first for head in heads], deps, pos)


def _overlaps(start: int, end: int, other_start: int | None, other_end: int | None) -> bool:
    return other_start is not None and other_end is not None and start < other_end and other_start < end


def _dated(kind: str, value: str | None) -> bool:
    return kind in DATED_TYPES and bool(value) and not value.endswith(REFERENCE_SUFFIX)


def quote_mention_rows(doc_id: str, quote: Quote, entities: list[tuple]) -> list[tuple]:
    """QUOTE_MENTIONS rows of one quote, from the document's (ent_id, start, end,
    entity_key, label) rows in text order."""
    starts = [entity[1] for entity in entities]
    rows = []
    for ent_id, start, end, key, label in entities[bisect.bisect_left(starts, quote.start) : bisect.bisect_left(starts, quote.end)]:
        own = (quote.speaker_key is not None and key == quote.speaker_key) or _overlaps(start, end, quote.speaker_start, quote.speaker_end)
        if end <= quote.end and not own:
            rows.append((doc_id, quote.quote_id, ent_id, key, label))
    return rows


def unquoted(dates: list[tuple], quotes: list[Quote]) -> list[tuple]:
    """The dates rows (date_id, start, end, ...) lying outside the quoted words of every quote."""
    quoted: list[list[int]] = []  # the quotes' spans merged, in text order
    for start, end in sorted((quote.start, quote.end) for quote in quotes):
        if quoted and start <= quoted[-1][1]:
            quoted[-1][1] = max(quoted[-1][1], end)
        else:
            quoted.append([start, end])
    starts = [start for start, _ in quoted]

    def inside(start: int, end: int) -> bool:
        last = bisect.bisect_left(starts, end) - 1  # the last span starting before the date ends
        return last >= 0 and _overlaps(start, end, *quoted[last])

    return [date for date in dates if not inside(date[1], date[2])]


def first_date_of_clause(dates: list[tuple], clauses: Clauses) -> dict[int, tuple]:
    """Clause head -> the first dated expression of the clause, from the document's
    (date_id, start, end, type, value, date_start, date_end) rows in text order: read once
    per document rather than once per quote."""
    first: dict[int, tuple] = {}
    for date in dates:
        if _dated(date[3], date[4]):
            for clause in clauses.clauses_dated_by(date[1], date[2]):
                first.setdefault(clause, date)
    return first


def quote_date_row(doc_id: str, quote: Quote, clause_dates: dict[int, tuple], clauses: Clauses | None, published: str | None) -> tuple:
    """The QUOTE_DATES row of one quote, from the first date of each clause of its document
    (``first_date_of_clause``, dates outside quoted words)."""
    if clauses is not None:
        clause = clauses.clause_of(clauses.token_at(quote.start if quote.cue_start is None else quote.cue_start))
        if clause in clause_dates:
            date_id, _, _, _, value, first_day, last_day = clause_dates[clause]
            return (doc_id, quote.quote_id, CLAUSE, date_id, value, first_day, last_day)
    if published:
        first_day, last_day = interval(published)
        return (doc_id, quote.quote_id, PUBLICATION, None, published, first_day, last_day)
    return (doc_id, quote.quote_id, None, None, None, None, None)


def quote_context(documents: pd.DataFrame, tokens: pd.DataFrame, entities: pd.DataFrame, quotes: pd.DataFrame, dates: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """documents + tokens + entities + quotes + dates -> {"quote_mentions", "quote_dates"}."""
    quoted = quotes["doc_id"].unique() if len(quotes) else np.array([], dtype=object)
    quotes_by_doc = ColumnsByDoc(quotes, QUOTE_COLUMNS, order_by="quote_id")
    entities_by_doc = ColumnsByDoc(entities, ("ent_id", "start", "end", "entity_key", "label"), order_by="start")
    dates_by_doc = ColumnsByDoc(dates, ("date_id", "start", "end", "type", "value", "date_start", "date_end"), order_by="start")
    # Only the documents holding quotes need their parse.
    keep = tokens["doc_id"].isin(quoted).to_numpy() if len(tokens) else None
    tokens_by_doc = ColumnsByDoc(tokens, ("token_id", "start", "head", "dep", "pos"), order_by="token_id", keep=keep, empty_when_null=("dep", "pos"))
    mentions: list[tuple] = []
    dated: list[tuple] = []
    for doc_id, published in zip(documents["doc_id"].tolist(), documents["published"].tolist()):
        doc_quotes = quotes_by_doc.rows(doc_id)
        if not doc_quotes:
            continue
        quotes_here = [Quote(*(_nullable(value) for value in row)) for row in doc_quotes]
        doc_entities, doc_dates = entities_by_doc.rows(doc_id), unquoted(dates_by_doc.rows(doc_id), quotes_here)
        clauses = _clauses(tokens_by_doc, doc_id)
        clause_dates = first_date_of_clause(doc_dates, clauses) if clauses is not None else {}
        for quote in quotes_here:
            mentions += quote_mention_rows(doc_id, quote, doc_entities)
            dated.append(quote_date_row(doc_id, quote, clause_dates, clauses, published if isinstance(published, str) else None))
    quote_dates = pd.DataFrame(dated, columns=QUOTE_DATES.column_names)
    quote_dates["date_id"] = quote_dates["date_id"].astype("Int32")
    return {"quote_mentions": pd.DataFrame(mentions, columns=QUOTE_MENTIONS.column_names), "quote_dates": quote_dates}


def _nullable(value):
    """A missing value of a pandas column (NA, NaN) as None; numbers as int."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return int(value) if isinstance(value, (int, np.integer, float, np.floating)) else value


def _prepare(settings: Settings):
    return lambda frames: quote_context(frames["documents"], frames["tokens"], frames["entities"], frames["quotes"], frames["dates"])


STAGE = Stage(
    **declared("quote_context"),
    prepare=_prepare,
)
