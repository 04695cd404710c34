"""A light in-memory view of one document built from the tables (no parsing here).

Tokens are addressed by their position in the document's token list (``Token.index``);
``head`` is translated from spaCy's token_id to that position once, here.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import pandas as pd

from pipeline.marks import paragraphs
from pipeline.tables import rows_by_doc


@dataclass(frozen=True)
class Token:
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


@dataclass(frozen=True)
class Mention:
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
    mentions: list[Mention]
    _children: list[list[int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)
    _paragraph_starts: list[int] = field(default_factory=list)
    _paragraphs: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._children = [[] for _ in self.tokens]
        for token in self.tokens:
            if token.head != token.index:
                self._children[token.head].append(token.index)
        self._starts = [token.start for token in self.tokens]
        self._paragraphs = list(paragraphs(self.text))
        self._paragraph_starts = [start for start, _ in self._paragraphs]

    def children(self, index: int) -> list[Token]:
        return [self.tokens[child] for child in self._children[index]]

    def head(self, token: Token) -> Token | None:
        return None if token.head == token.index else self.tokens[token.head]

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
            todo.extend(child for child in self._children[current] if child not in found)
        return sorted(found)

    def token_at(self, offset: int) -> int | None:
        """Index of the first token starting at or after ``offset``."""
        position = bisect.bisect_left(self._starts, offset)
        return position if position < len(self.tokens) else None

    def tokens_between(self, start: int, end: int) -> list[Token]:
        first = bisect.bisect_left(self._starts, start)
        last = bisect.bisect_left(self._starts, end)
        return self.tokens[first:last]

    def sentence_of(self, offset: int) -> int:
        starts = [start for _, start, _ in self.sentences]
        position = max(bisect.bisect_right(starts, offset) - 1, 0)
        return self.sentences[position][0] if self.sentences else 0

    def sentence_tokens(self, sent_id: int) -> list[Token]:
        return [token for token in self.tokens if token.sent_id == sent_id]

    def paragraph_of(self, offset: int) -> int:
        return max(bisect.bisect_right(self._paragraph_starts, offset) - 1, 0)

    def paragraph_bounds(self, para: int) -> tuple[int, int]:
        return self._paragraphs[para]

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        return [mention for mention in self.mentions if start <= mention.start and mention.end <= end]


TOKEN_COLUMNS = ("token_id", "sent_id", "start", "end", "text", "lemma", "pos", "morph", "dep", "head")
SENTENCE_COLUMNS = ("sent_id", "start", "end")
MENTION_COLUMNS = ("start", "end", "label", "canonical", "entity_key")


def _by_start(rows: list[tuple], start_column: int) -> list[tuple]:
    return sorted(rows, key=lambda row: row[start_column])  # stable, like the frame sort it replaces


def build_views(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame, entities: pd.DataFrame) -> list[DocView]:
    """One view per document, from the rows of the upstream tables."""
    by_doc_tokens = rows_by_doc(tokens, TOKEN_COLUMNS)
    by_doc_sentences = rows_by_doc(sentences, SENTENCE_COLUMNS)
    by_doc_entities = rows_by_doc(entities, MENTION_COLUMNS)
    return [
        _view(doc_id, text, by_doc_tokens.get(doc_id, []), by_doc_sentences.get(doc_id, []), by_doc_entities.get(doc_id, []))
        for doc_id, text in zip(documents["doc_id"].tolist(), documents["text"].tolist())
    ]


def _view(doc_id: str, text: str, tokens: list[tuple], sentences: list[tuple], entities: list[tuple]) -> DocView:
    ordered = _by_start([row for row in tokens if row[6] != "SPACE"], start_column=2)
    position_of = {int(row[0]): position for position, row in enumerate(ordered)}
    token_list = [
        Token(
            index=position,
            sent_id=int(sent_id),
            start=int(start),
            end=int(end),
            text=str(word),
            lemma=str(lemma or ""),
            pos=str(pos or ""),
            morph=str(morph or ""),
            dep=str(dep or ""),
            head=position_of.get(int(head), position),  # a head on a dropped space token: root
        )
        for position, (_, sent_id, start, end, word, lemma, pos, morph, dep, head) in enumerate(ordered)
    ]
    sentence_list = [(int(sent_id), int(start), int(end)) for sent_id, start, end in _by_start(sentences, start_column=1)]
    mention_list = [
        Mention(int(start), int(end), str(label), str(canonical), str(entity_key))
        for start, end, label, canonical, entity_key in _by_start(entities, start_column=0)
    ]
    return DocView(doc_id, text, token_list, sentence_list, mention_list)
