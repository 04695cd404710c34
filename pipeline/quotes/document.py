"""A light in-memory view of one document built from the tables (no parsing here).

Tokens are addressed by their position in the document's token list (``Token.index``);
``head`` is translated from spaCy's token_id to that position once, here.

Tokens and mentions are named tuples: a document has thousands of tokens, and tuples of
plain values are cheap to build and soon left alone by the garbage collector.
"""
from __future__ import annotations

import bisect
from dataclasses import InitVar, dataclass, field
from itertools import repeat
from typing import Iterator, NamedTuple, Sequence

import numpy as np
import pandas as pd

from pipeline.marks import paragraphs
from pipeline.tables import ColumnsByDoc


class Token(NamedTuple):
    index: int
    sent_id: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    morph: str
    dep: str
    head: int

    def feature(self, name: str) -> str | None:
        for pair in self.morph.split("|"):
            key, _, value = pair.partition("=")
            if key == name:
                return value
        return None

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_finite_verb(self) -> bool:
        return self.pos in ("VERB", "AUX") and self.feature("VerbForm") == "Fin"


class EntityMention(NamedTuple):
    start: int
    end: int
    label: str
    canonical: str
    entity_key: str


@dataclass
class DocView:
    doc_id: str
    text: str
    tokens: list[Token]
    sentences: list[tuple[int, int, int]]  # (sent_id, start, end)
    mentions: list[EntityMention]
    # the token columns a caller already has ("start", "text", "lemma", "head" as a position);
    # without them the view takes them from the tokens
    columns: InitVar[dict[str, Sequence] | None] = None
    # the lowercase form and the lemma of every token, for the scans over the whole document
    lowers: list[str] = field(default_factory=list)
    lemmas: Sequence[str] = ()
    # children of token i: _child_indices[_child_bounds[i] : _child_bounds[i + 1]], in text order
    _child_indices: list[int] = field(default_factory=list)
    _child_bounds: list[int] = field(default_factory=list)
    _starts: Sequence[int] = ()
    _sentence_starts: list[int] = field(default_factory=list)
    _paragraph_starts: list[int] = field(default_factory=list)
    _paragraphs: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self, columns: dict[str, Sequence] | None) -> None:
        if columns is None:  # transposed in C: no Python code runs per token
            columns = dict(zip(Token._fields, zip(*self.tokens))) if self.tokens else dict.fromkeys(Token._fields, ())
        self._starts, self.lemmas = columns["start"], columns["lemma"]
        heads = np.array(columns["head"], dtype=np.int64)
        positions = np.arange(len(heads))
        children = np.flatnonzero(heads != positions)
        children = children[np.argsort(heads[children], kind="stable")]
        self._child_indices = children.tolist()
        self._child_bounds = np.searchsorted(heads[children], np.arange(len(heads) + 1)).tolist()
        self.lowers = list(map(str.lower, columns["text"]))
        self._sentence_starts = [start for _, start, _ in self.sentences]
        self._mention_starts = [mention.start for mention in self.mentions]
        self._paragraphs = list(paragraphs(self.text))
        self._paragraph_starts = [start for start, _ in self._paragraphs]

    def _children_of(self, index: int) -> list[int]:
        return self._child_indices[self._child_bounds[index] : self._child_bounds[index + 1]]

    def children(self, index: int) -> list[Token]:
        return [self.tokens[child] for child in self._children_of(index)]

    def head(self, token: Token) -> Token | None:
        return None if token.head == token.index else self.tokens[token.head]

    def name_head(self, token: Token) -> Token:
        """The first word of the name ``token`` is a later word of (« Peskov » -> « Dmitri »), else ``token``."""
        while token.dep in ("flat:name", "flat") and self.head(token) is not None:
            token = self.head(token)
        return token

    def ancestors(self, token: Token) -> list[Token]:
        chain: list[Token] = []
        seen = {token.index}
        current = self.head(token)
        while current is not None and current.index not in seen and current.sent_id == token.sent_id:
            chain.append(current)
            seen.add(current.index)
            current = self.head(current)
        return chain

    def subtree(self, index: int) -> list[int]:
        found, todo = [], [index]
        while todo:
            current = todo.pop()
            found.append(current)
            todo.extend(child for child in self._children_of(current) if child not in found)
        return sorted(found)

    def token_at(self, offset: int) -> int | None:
        """Index of the first token starting at or after ``offset``."""
        position = bisect.bisect_left(self._starts, offset)
        return position if position < len(self.tokens) else None

    def tokens_between(self, start: int, end: int) -> list[Token]:
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end)
        return self.tokens[first:last]

    def sentence_position(self, offset: int) -> int:
        """Position, in text order, of the sentence holding ``offset``."""
        return max(bisect.bisect_right(self._sentence_starts, offset) - 1, 0)

    def sentence_of(self, offset: int) -> int:
        return self.sentences[self.sentence_position(offset)][0] if self.sentences else 0

    def paragraph_of(self, offset: int) -> int:
        return max(bisect.bisect_right(self._paragraph_starts, offset) - 1, 0)

    def paragraph_bounds(self, para: int) -> tuple[int, int]:
        return self._paragraphs[para]

    @property
    def paragraph_count(self) -> int:
        return len(self._paragraphs)

    def mention_at(self, offset: int) -> EntityMention | None:
        """The mention whose span holds ``offset`` (mentions are in text order and do not overlap)."""
        position = bisect.bisect_right(self._mention_starts, offset) - 1
        return self.mentions[position] if position >= 0 and offset < self.mentions[position].end else None

    def mentions_between(self, start: int, end: int) -> list[EntityMention]:
        return [mention for mention in self.mentions if start <= mention.start and mention.end <= end]


TOKEN_COLUMNS = ("token_id", "sent_id", "start", "end", "text", "lemma", "pos", "morph", "dep", "head")
SENTENCE_COLUMNS = ("sent_id", "start", "end")
MENTION_COLUMNS = ("start", "end", "label", "canonical", "entity_key")
# Token columns spaCy may leave empty: read as "".
OPTIONAL_TOKEN_COLUMNS = ("lemma", "pos", "morph", "dep")


def build_views(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame, entities: pd.DataFrame) -> Iterator[DocView]:
    """One view per document, from the rows of the upstream tables, built as they are used: a
    batch's tokens alive all at once would make every garbage collection walk through them."""
    words = (tokens["pos"] != "SPACE").to_numpy(bool, na_value=True) if len(tokens) else None
    by_doc_tokens = ColumnsByDoc(tokens, TOKEN_COLUMNS, order_by="start", keep=words, empty_when_null=OPTIONAL_TOKEN_COLUMNS)
    by_doc_sentences = ColumnsByDoc(sentences, SENTENCE_COLUMNS, order_by="start")
    by_doc_mentions = ColumnsByDoc(entities, MENTION_COLUMNS, order_by="start")
    for doc_id, text in zip(documents["doc_id"].tolist(), documents["text"].tolist()):
        mentions = _named_tuples(EntityMention, by_doc_mentions.of(doc_id))
        yield _view(doc_id, text, by_doc_tokens.of(doc_id), list(zip(*by_doc_sentences.of(doc_id))), mentions)


def _view(doc_id: str, text: str, token_columns: list[list], sentences: list[tuple[int, int, int]], mentions: list[EntityMention]) -> DocView:
    """A document's view, its tokens in text order; ``head`` goes from spaCy's token_id to a position."""
    token_ids, sent_ids, starts, ends, texts, lemmas, pos, morphs, deps, heads = token_columns
    positions = range(len(token_ids))
    position_of = dict(zip(token_ids, positions))
    head_positions = list(map(position_of.get, heads, positions))  # a head on a dropped space token: root
    tokens = _named_tuples(Token, [positions, sent_ids, starts, ends, texts, lemmas, pos, morphs, deps, head_positions])
    return DocView(doc_id, text, tokens, sentences, mentions, {"start": starts, "text": texts, "lemma": lemmas, "head": head_positions})


def _named_tuples(kind: type[tuple], columns: list) -> list:
    """One ``kind`` per row of the columns; tuple.__new__ makes each in C, where calling ``kind``
    would run its Python __new__ per row."""
    return list(map(tuple.__new__, repeat(kind), zip(*columns)))
