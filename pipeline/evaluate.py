"""Scoring the pipeline's tables against labelled gold: gold readers, matching, metrics, gate.

Gold comes in two shapes:
- JSON (``data/labelled/*.json``): a list of documents; each may carry ``title``,
  ``published``, ``boilerplate``, ``sentences``, ``entities``, ``quotes``, ``dates`` and
  the raw ``text`` its items were copied from (items in order of appearance, TimeBank
  items also with ``start``/``end`` into that text). A stage is scored for a document
  only when its gold field is present.
- TimeML (``.tml`` files, or a folder of them): TIMEX3 elements inside TEXT are the gold
  temporal expressions (the DCT is the publication date, not an expression of the text).

When a TimeML source and a JSON source both cover a document, the TimeML file is its
date gold (the corpus's own annotation) and the JSON source scores only its other stages.

Every string comparison uses :func:`normalise` (NFKC, ’ -> ', whitespace folded, case
folded). Counts are summed over documents before computing ratios (micro-average). Only
documents present both in the gold and in ``documents.parquet`` are compared; a gold
document missing from the outputs counts as all misses.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import re
import tomllib
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import defusedxml.ElementTree as SafeElementTree
import pandas as pd

from pipeline.tables import DATES, DOCUMENTS, ENTITIES, QUOTES, SENTENCES, TableError, TableSpec, read_table

STAGES = ("documents", "sentences", "entities", "quotes", "dates")
# Where each stage's predictions come from.
STAGE_TABLES: dict[str, TableSpec] = {
    "documents": DOCUMENTS,
    "sentences": SENTENCES,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "dates": DATES,
}
BASELINE = "entities_baseline"
# Every gold source is also scored as two fixed halves, by a hash of doc_id: rules are tuned
# on the errors of the tuning half only, and the check half estimates unseen articles.
TUNING, CHECK = "tuning", "check"
HALVES = (TUNING, CHECK)
LENIENT_OVERLAP = 0.3
STRICT_OVERLAP = 0.8


# --------------------------------------------------------------------------- normalisation

def _clusters(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each base character with the combining marks that follow it."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            yield start, index
            start = index


def _comparable(chunk: str) -> str:
    return unicodedata.normalize("NFKC", chunk).replace("’", "'").casefold()


@dataclass(frozen=True)
class Normalised:
    """A normalised text with, for each of its characters, the span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


def normalise_with_offsets(text: str) -> Normalised:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        for char in _comparable(text[start:end]):
            if char.isspace():
                if chars and chars[-1] == " ":
                    ends[-1] = end
                    continue
                char = " "
            chars.append(char)
            starts.append(start)
            ends.append(end)
    return Normalised("".join(chars), tuple(starts), tuple(ends))


def normalise(text: str | None) -> str | None:
    """NFKC, ’ -> ', whitespace runs folded to one space and stripped, case folded."""
    if text is None:
        return None
    return normalise_with_offsets(text).text.strip()


_WORD = re.compile(r"\w+")


def tokens(text: str | None) -> list[str]:
    """Normalised word tokens (punctuation dropped, apostrophes split: l'OTAN -> l, otan)."""
    return _WORD.findall(normalise(text) or "")


# --------------------------------------------------------------------------- alignment

def locate_spans(gold_text: str | None, text: str, items: list[tuple[str, int | None]]) -> list[tuple[int, int] | None]:
    """Where each gold item (string, optional offset in ``gold_text``) lies in ``text``.

    ``text`` (our ``documents.text``) differs from the gold document's own text: folded
    whitespace, boilerplate removed, title first, TimeML lines turned into paragraphs.
    Each item is searched in ``text`` by its normalised string; when it occurs several
    times, the occurrence nearest to where the gold places it wins. That place is the
    gold offset (or, without one, the next occurrence of the item in ``gold_text``
    after the previous item, since gold items are listed in order), carried into
    ``text`` through a word-level alignment of the two texts. Returns ``None`` for an
    item that ``text`` does not contain.
    """
    target = normalise_with_offsets(text)
    expected = _expected_positions(gold_text, target, items)
    taken: set[tuple[int, int]] = set()
    spans: list[tuple[int, int] | None] = []
    for (item, _), hint in zip(items, expected):
        needle = normalise(item)
        occurrences = _occurrences(target, needle) if needle else []
        if not occurrences:
            spans.append(None)
            continue
        free = [span for span in occurrences if span not in taken] or occurrences
        chosen = min(free, key=lambda span: (abs(span[0] - hint), span[0]))
        taken.add(chosen)
        spans.append(chosen)
    return spans


def _occurrences(target: Normalised, needle: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    position = target.text.find(needle)
    while position >= 0:
        found.append(target.original_span(position, position + len(needle)))
        position = target.text.find(needle, position + 1)
    return found


def _expected_positions(gold_text: str | None, target: Normalised, items: list[tuple[str, int | None]]) -> list[int]:
    """For each item, the offset in the target text where the gold places it."""
    if not gold_text:
        return _ordered_offsets(target, [(item, None) for item, _ in items])
    gold = normalise_with_offsets(gold_text)
    carry = _WordAlignment(gold, target)
    return [carry.map(offset) for offset in _ordered_offsets(gold, items)]


def _ordered_offsets(text: Normalised, items: list[tuple[str, int | None]]) -> list[int]:
    """Each item's own offset, or else where it next occurs after the previous item.

    An item found nowhere keeps the previous item's offset.
    """
    offsets: list[int] = []
    cursor = 0
    for item, start in items:
        if start is None:
            needle = normalise(item) or ""
            found = text.text.find(needle, cursor) if needle else -1
            if found < 0 and needle:
                found = text.text.find(needle)
            if found >= 0:
                cursor = found + 1
            start = text.starts[found] if found >= 0 else (offsets[-1] if offsets else 0)
        offsets.append(start)
    return offsets


class _WordAlignment:
    """Carries character offsets of one text into another through their common words."""

    def __init__(self, source: Normalised, target: Normalised):
        source_words = list(_WORD.finditer(source.text))
        target_words = list(_WORD.finditer(target.text))
        self._source_starts = [source.starts[m.start()] for m in source_words]
        self._target_starts = [target.starts[m.start()] for m in target_words]
        self._target_end = target.ends[-1] if target.ends else 0
        matcher = SequenceMatcher(None, [m.group() for m in source_words], [m.group() for m in target_words], autojunk=False)
        self._blocks = [block for block in matcher.get_matching_blocks() if block.size]

    def map(self, offset: int) -> int:
        word = bisect.bisect_left(self._source_starts, offset)
        best: int | None = None
        for block in self._blocks:
            if block.a <= word < block.a + block.size:
                best = block.b + (word - block.a)
                break
            if block.a + block.size <= word:
                best = block.b + block.size  # the target word after the last block before it
        if best is None:
            best = 0
        return self._target_starts[best] if best < len(self._target_starts) else self._target_end


# --------------------------------------------------------------------------- gold

@dataclass(frozen=True)
class GoldEntity:
    text: str
    label: str


@dataclass(frozen=True)
class GoldQuote:
    text: str
    kind: str | None
    speaker: str | None


@dataclass(frozen=True)
class GoldDate:
    text: str
    type: str | None
    value: str | None
    start: int | None = None


@dataclass
class GoldDocument:
    doc_id: str
    text: str | None = None
    # Only the fields the gold annotates are set; ``fields`` names them.
    fields: frozenset[str] = frozenset()
    title: str | None = None
    published: str | None = None
    boilerplate: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    entities: list[GoldEntity] = field(default_factory=list)
    quotes: list[GoldQuote] = field(default_factory=list)
    dates: list[GoldDate] = field(default_factory=list)


@dataclass
class GoldSource:
    name: str
    path: Path
    kind: str  # json | timeml
    documents: dict[str, GoldDocument]
    # Documents whose dates are scored from another (TimeML) source, by its name.
    dates_deferred: dict[str, str] = field(default_factory=dict)
    half: str | None = None  # TUNING or CHECK for a half of a source, None for a whole one

    def stages(self) -> list[str]:
        return [stage for stage in STAGES if self.documents_for(stage)]

    def documents_for(self, stage: str) -> list[GoldDocument]:
        docs = [doc for doc in self.documents.values() if stage in _stages_of(doc)]
        if stage == "dates":
            docs = [doc for doc in docs if doc.doc_id not in self.dates_deferred]
        return docs


DOCUMENT_FIELDS = {"title", "published", "boilerplate"}


def _stages_of(doc: GoldDocument) -> set[str]:
    stages = {stage for stage in ("sentences", "entities", "quotes", "dates") if stage in doc.fields}
    if doc.fields & DOCUMENT_FIELDS:
        stages.add("documents")
    return stages


class GoldError(Exception):
    """A gold file cannot be read."""


def read_json_gold(path: Path) -> dict[str, GoldDocument]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: not a readable JSON gold file ({exc})") from exc
    if not isinstance(data, list):
        raise GoldError(f"{path}: expected a JSON list of documents")
    documents: dict[str, GoldDocument] = {}
    for number, record in enumerate(data):
        try:
            doc = _json_document(record)
        except (KeyError, TypeError, AttributeError) as exc:
            raise GoldError(f"{path}: document {number} is malformed ({exc!r})") from exc
        documents[doc.doc_id] = doc
    return documents


def _json_document(record: dict[str, Any]) -> GoldDocument:
    doc = GoldDocument(doc_id=str(record["doc_id"]), text=record.get("text"), fields=frozenset(record))
    doc.title = record.get("title")
    doc.published = record.get("published")
    doc.boilerplate = list(record.get("boilerplate") or [])
    doc.sentences = list(record.get("sentences") or [])
    doc.entities = [GoldEntity(e["text"], e["label"]) for e in record.get("entities") or []]
    doc.quotes = [GoldQuote(q["text"], q.get("kind"), q.get("speaker")) for q in record.get("quotes") or []]
    doc.dates = [GoldDate(d["text"], d.get("type"), d.get("value"), d.get("start")) for d in record.get("dates") or []]
    return doc


def read_timeml_gold(path: Path) -> GoldDocument:
    """TIMEX3 elements inside TEXT, with offsets into TEXT's plain text (as the reader builds it)."""
    try:
        root = SafeElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        raise GoldError(f"{path}: not readable TimeML ({exc})") from exc
    body = root.find("TEXT")
    if body is None:
        raise GoldError(f"{path}: TimeML without a TEXT element")
    parts: list[str] = []
    dates: list[GoldDate] = []
    length = 0

    def walk(element: ElementTree.Element) -> None:
        nonlocal length
        if element.text:
            parts.append(element.text)
            length += len(element.text)
        for child in element:
            start = length
            walk(child)
            if child.tag == "TIMEX3" and length > start and child.get("functionInDocument") != "CREATION_TIME":
                dates.append(GoldDate("".join(child.itertext()), child.get("type"), child.get("value"), start))
            if child.tail:
                parts.append(child.tail)
                length += len(child.tail)

    walk(body)
    doc_id = (root.findtext("DOCID") or Path(path).stem).strip()
    return GoldDocument(doc_id=doc_id, text="".join(parts), fields=frozenset({"dates"}), dates=dates)


def read_gold(path: Path) -> GoldSource:
    """One gold source: a JSON file, a .tml file, or a folder of .tml files."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.tml"))
        if not files:
            raise GoldError(f"{path}: folder holds no .tml file")
        documents = {doc.doc_id: doc for doc in map(read_timeml_gold, files)}
        return GoldSource(path.name, path, "timeml", documents)
    if not path.exists():
        raise GoldError(f"{path}: gold file not found")
    if path.suffix.lower() == ".tml":
        doc = read_timeml_gold(path)
        return GoldSource(path.stem, path, "timeml", {doc.doc_id: doc})
    if path.suffix.lower() == ".json":
        return GoldSource(path.stem, path, "json", read_json_gold(path))
    raise GoldError(f"{path}: unsupported gold file; expected .json, .tml or a folder of .tml files")


def half_of(doc_id: str) -> str:
    """The fixed half a document belongs to (sha256 of its id; the same on every machine)."""
    return HALVES[hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).digest()[0] & 1]


def halves(source: GoldSource) -> list[GoldSource]:
    """The tuning and check halves of a source, named ``<source>/tuning`` and ``<source>/check``."""
    return [
        GoldSource(
            f"{source.name}/{half}",
            source.path,
            source.kind,
            {doc_id: doc for doc_id, doc in source.documents.items() if half_of(doc_id) == half},
            {doc_id: owner for doc_id, owner in source.dates_deferred.items() if half_of(doc_id) == half},
            half,
        )
        for half in HALVES
    ]


def read_gold_sources(paths: Iterable[Path]) -> list[GoldSource]:
    """Read every source; TimeML sources become the date gold of the documents they cover."""
    sources: list[GoldSource] = []
    for path in paths:
        source = read_gold(path)
        names = {s.name for s in sources}
        base, number = source.name, 2
        while source.name in names:
            source.name = f"{base}-{number}"
            number += 1
        sources.append(source)
    timeml_owner = {doc_id: s.name for s in sources if s.kind == "timeml" for doc_id in s.documents}
    for source in sources:
        if source.kind == "json":
            source.dates_deferred = {
                doc_id: timeml_owner[doc_id] for doc_id, doc in source.documents.items() if "dates" in doc.fields and doc_id in timeml_owner
            }
    return sources


# --------------------------------------------------------------------------- counting

@dataclass
class Counts:
    """Matches, predictions and gold items, summed over documents."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.pred + self.gold
        return 2 * self.tp / total if total else 0.0

    def metrics(self, prefix: str) -> dict[str, float]:
        return {f"{prefix}precision": self.precision, f"{prefix}recall": self.recall, f"{prefix}f1": self.f1}

    def as_dict(self) -> dict[str, int]:
        return {"tp": self.tp, "pred": self.pred, "gold": self.gold}


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    def add(self, right: bool | int, total: int = 1) -> None:
        self.right += int(right)
        self.total += total

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class StageResult:
    """One stage scored on one gold source: flat metrics, the counts behind them, errors."""

    metrics: dict[str, float] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    unavailable: str | None = None  # why the stage could not be scored

    def add_ratio(self, name: str, ratio: Ratio) -> None:
        self.metrics[name] = ratio.value
        self.counts[name] = {"right": ratio.right, "total": ratio.total}


def multiset_matches(gold: Iterable, predicted: Iterable) -> tuple[Counter, Counter, Counter]:
    """(matched, missed, spurious) multisets."""
    gold_counts, predicted_counts = Counter(gold), Counter(predicted)
    matched = gold_counts & predicted_counts
    return matched, gold_counts - matched, predicted_counts - matched


def _shown(item: str | tuple[str, str]) -> str:
    return f"{item[0]!r} {item[1]}" if isinstance(item, tuple) else repr(item)


def _describe(items: Counter, what: str, doc_id: str) -> list[str]:
    """``miss doc: 'otan' ORG`` lines, one per copy (items are normalised strings or (text, label))."""
    return [f"{what} {doc_id}: {_shown(item)}" for item, count in items.items() for _ in range(count)]


# --------------------------------------------------------------------------- documents

def _lines(text: str | None) -> Counter:
    return Counter(line for line in (normalise(line) for line in (text or "").split("\n")) if line)


def boilerplate_removed(gold_text: str | None, gold_boilerplate: list[str], cleaned_text: str) -> tuple[int, list[str]]:
    """How many gold boilerplate lines the cleaned text no longer holds, and those it keeps.

    A line listed as boilerplate may also be content elsewhere (a headline repeated under
    itself is listed once as boilerplate and stays once as the title). So a listed line
    counts as removed when the cleaned text keeps no more whole-line copies of it than
    the gold text has minus the copies listed.
    """
    listed = Counter(normalise(line) for line in gold_boilerplate if normalise(line))
    raw, kept = _lines(gold_text), _lines(cleaned_text)
    removed, left = 0, []
    for line, copies in listed.items():
        allowed = max(raw[line], copies) - copies
        excess = max(0, kept[line] - allowed)
        removed += copies - min(copies, excess)
        left += [line] * min(copies, excess)
    return removed, left


def score_documents(golds: list[GoldDocument], predicted: dict[str, dict]) -> StageResult:
    title, published, content = Ratio(), Ratio(), Ratio()
    boilerplate = Ratio()
    result = StageResult()
    for gold in golds:
        ours = predicted.get(gold.doc_id)
        if "title" in gold.fields:
            right = ours is not None and normalise(gold.title) == normalise(ours["title"])
            title.add(right)
            if not right:
                result.errors.append(f"wrong title {gold.doc_id}: gold {gold.title!r}, got {ours and ours['title']!r}")
        if "published" in gold.fields:
            right = ours is not None and gold.published == ours["published"]
            published.add(right)
            if not right:
                result.errors.append(f"wrong date {gold.doc_id}: gold {gold.published!r}, got {ours and ours['published']!r}")
        if "boilerplate" in gold.fields:
            lines = [line for line in gold.boilerplate if normalise(line)]
            if ours is None:
                removed, left = 0, lines
            else:
                removed, left = boilerplate_removed(gold.text, lines, ours["text"])
            boilerplate.add(removed, len(lines))
            result.errors += [f"boilerplate kept {gold.doc_id}: {line!r}" for line in left]
        if "sentences" in gold.fields:
            body = normalise(ours["text"]) if ours is not None else ""
            for sentence in gold.sentences:
                kept = normalise(sentence) in body
                content.add(kept)
                if not kept:
                    result.errors.append(f"content missing {gold.doc_id}: {sentence!r}")
    for name, ratio in (("title_accuracy", title), ("published_accuracy", published), ("boilerplate_removed", boilerplate), ("content_kept", content)):
        if ratio.total:
            result.add_ratio(name, ratio)
    return result


# --------------------------------------------------------------------------- sentences

def score_sentences(golds: list[GoldDocument], predicted: dict[str, list[str]]) -> StageResult:
    counts = Counts()
    result = StageResult()
    for gold in golds:
        ours = predicted.get(gold.doc_id, [])
        matched, missed, spurious = multiset_matches(map(normalise, gold.sentences), map(normalise, ours))
        counts.add(sum(matched.values()), len(ours), len(gold.sentences))
        result.errors += _describe(missed, "miss", gold.doc_id) + _describe(spurious, "spurious", gold.doc_id)
    result.metrics = counts.metrics("")
    result.counts = {"all": counts.as_dict()}
    return result


# --------------------------------------------------------------------------- entities

def score_entities(golds: list[GoldDocument], predicted: dict[str, list[tuple[str, str]]]) -> StageResult:
    """(text, label) multisets per document; the same on text alone; per label."""
    labelled, unlabelled = Counts(), Counts()
    per_label: dict[str, Counts] = {}
    result = StageResult()
    for gold in golds:
        gold_pairs = [(normalise(e.text), e.label) for e in gold.entities]
        our_pairs = [(normalise(text), label) for text, label in predicted.get(gold.doc_id, [])]
        matched, missed, spurious = multiset_matches(gold_pairs, our_pairs)
        labelled.add(sum(matched.values()), len(our_pairs), len(gold_pairs))
        text_matched, _, _ = multiset_matches((t for t, _ in gold_pairs), (t for t, _ in our_pairs))
        unlabelled.add(sum(text_matched.values()), len(our_pairs), len(gold_pairs))
        for label in {label for _, label in gold_pairs} | {label for _, label in our_pairs}:
            per_label.setdefault(label, Counts()).add(
                sum(n for (_, l), n in matched.items() if l == label),
                sum(1 for _, l in our_pairs if l == label),
                sum(1 for _, l in gold_pairs if l == label),
            )
        result.errors += _describe(missed, "miss", gold.doc_id) + _describe(spurious, "spurious", gold.doc_id)
    result.metrics = {**labelled.metrics(""), **unlabelled.metrics("unlabelled.")}
    result.counts = {"all": labelled.as_dict(), "unlabelled": unlabelled.as_dict()}
    for label in sorted(per_label):
        result.metrics.update(per_label[label].metrics(f"{label}."))
        result.counts[label] = per_label[label].as_dict()
    return result


# --------------------------------------------------------------------------- quotes

@dataclass(frozen=True)
class PredictedQuote:
    text: str
    kind: str | None
    speaker: str | None


def token_overlap(gold: list[str], predicted: list[str]) -> int:
    """Tokens shared in order: the sum of the longest common blocks."""
    matcher = SequenceMatcher(None, gold, predicted, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def quote_matches(gold: list[list[str]], predicted: list[list[str]], threshold: float, both_ways: bool) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, largest overlaps first.

    A pair qualifies when the overlap covers ``threshold`` of the gold tokens and, when
    ``both_ways``, of the predicted tokens too.
    """
    candidates = []
    for g, gold_tokens in enumerate(gold):
        for p, predicted_tokens in enumerate(predicted):
            overlap = token_overlap(gold_tokens, predicted_tokens)
            if not overlap or overlap < threshold * len(gold_tokens):
                continue
            if both_ways and overlap < threshold * len(predicted_tokens):
                continue
            candidates.append((-overlap, g, p))
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    for _, g, p in sorted(candidates):
        if g not in used_gold and p not in used_predicted:
            pairs.append((g, p))
            used_gold.add(g)
            used_predicted.add(p)
    return sorted(pairs)


def same_speaker(gold: str | None, predicted: str | None) -> bool:
    """Equal after normalisation, or one is the trailing words of the other (Stoltenberg ~ Jens Stoltenberg)."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    a, b = tokens(gold), tokens(predicted)
    if not a or not b:
        return normalise(gold) == normalise(predicted)
    shorter, longer = sorted((a, b), key=len)
    return longer[len(longer) - len(shorter):] == shorter


def score_quotes(golds: list[GoldDocument], predicted: dict[str, list[PredictedQuote]]) -> StageResult:
    result = StageResult()
    modes = {"lenient": (LENIENT_OVERLAP, False), "strict": (STRICT_OVERLAP, True)}
    found = {mode: Counts() for mode in modes}
    with_speaker = {mode: Counts() for mode in modes}
    speaker = {mode: Ratio() for mode in modes}
    kind = {mode: Ratio() for mode in modes}
    for gold in golds:
        ours = predicted.get(gold.doc_id, [])
        gold_tokens = [tokens(q.text) for q in gold.quotes]
        our_tokens = [tokens(q.text) for q in ours]
        for mode, (threshold, both_ways) in modes.items():
            pairs = quote_matches(gold_tokens, our_tokens, threshold, both_ways)
            right_speakers = [same_speaker(gold.quotes[g].speaker, ours[p].speaker) for g, p in pairs]
            found[mode].add(len(pairs), len(ours), len(gold.quotes))
            with_speaker[mode].add(sum(right_speakers), len(ours), len(gold.quotes))
            speaker[mode].add(sum(right_speakers), len(pairs))
            kind[mode].add(sum(gold.quotes[g].kind == ours[p].kind for g, p in pairs), len(pairs))
            if mode == "lenient":
                result.errors += _quote_errors(gold, ours, pairs, right_speakers)
    for mode in modes:
        result.metrics.update(found[mode].metrics(f"{mode}."))
        result.add_ratio(f"{mode}.speaker_accuracy", speaker[mode])
        result.add_ratio(f"{mode}.kind_accuracy", kind[mode])
        result.metrics.update(with_speaker[mode].metrics(f"{mode}.with_speaker."))
        result.counts[mode] = found[mode].as_dict()
        result.counts[f"{mode}.with_speaker"] = with_speaker[mode].as_dict()
    return result


def _quote_errors(gold: GoldDocument, ours: list[PredictedQuote], pairs: list[tuple[int, int]], right_speakers: list[bool]) -> list[str]:
    matched_gold = {g for g, _ in pairs}
    matched_ours = {p for _, p in pairs}
    errors = [f"miss {gold.doc_id}: {q.text!r} ({q.speaker})" for i, q in enumerate(gold.quotes) if i not in matched_gold]
    errors += [f"spurious {gold.doc_id}: {q.text!r} ({q.speaker})" for i, q in enumerate(ours) if i not in matched_ours]
    errors += [
        f"wrong speaker {gold.doc_id}: {gold.quotes[g].text[:60]!r}: gold {gold.quotes[g].speaker!r}, got {ours[p].speaker!r}"
        for (g, p), right in zip(pairs, right_speakers)
        if not right
    ]
    return errors


# --------------------------------------------------------------------------- dates

@dataclass(frozen=True)
class PredictedDate:
    start: int
    end: int
    text: str
    type: str | None
    value: str | None


def date_matches(gold: list[tuple[int, int] | None], predicted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of overlapping spans, exact spans first."""
    candidates = []
    for g, span in enumerate(gold):
        if span is None:
            continue
        for p, (start, end) in enumerate(predicted):
            overlap = min(span[1], end) - max(span[0], start)
            if overlap > 0:
                candidates.append((span != (start, end), -overlap, g, p))
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    for _, _, g, p in sorted(candidates):
        if g not in used_gold and p not in used_predicted:
            pairs.append((g, p))
            used_gold.add(g)
            used_predicted.add(p)
    return sorted(pairs)


def score_dates(golds: list[GoldDocument], predicted: dict[str, list[PredictedDate]], texts: dict[str, str]) -> StageResult:
    """TempEval-3: strict (same span) and relaxed (overlapping span) matching; value and type over relaxed matches."""
    strict, relaxed, value, type_ = Counts(), Counts(), Counts(), Counts()
    value_accuracy = Ratio()
    result = StageResult()
    for gold in golds:
        ours = predicted.get(gold.doc_id, [])
        text = texts.get(gold.doc_id)
        spans = locate_spans(gold.text, text, [(d.text, d.start) for d in gold.dates]) if text is not None else [None] * len(gold.dates)
        our_spans = [(d.start, d.end) for d in ours]
        pairs = date_matches(spans, our_spans)
        exact = sum(spans[g] == our_spans[p] for g, p in pairs)
        right_values = [gold.dates[g].value == ours[p].value for g, p in pairs]
        right_types = sum(gold.dates[g].type == ours[p].type for g, p in pairs)
        n_gold, n_ours = len(gold.dates), len(ours)
        strict.add(exact, n_ours, n_gold)
        relaxed.add(len(pairs), n_ours, n_gold)
        value.add(sum(right_values), n_ours, n_gold)
        type_.add(right_types, n_ours, n_gold)
        value_accuracy.add(sum(right_values), len(pairs))
        matched_gold = {g for g, _ in pairs}
        matched_ours = {p for _, p in pairs}
        result.errors += [f"miss {gold.doc_id}: {d.text!r} {d.type} {d.value}" for i, d in enumerate(gold.dates) if i not in matched_gold]
        result.errors += [f"spurious {gold.doc_id}: {d.text!r} {d.type} {d.value}" for i, d in enumerate(ours) if i not in matched_ours]
        result.errors += [
            f"wrong value {gold.doc_id}: {gold.dates[g].text!r} gold {gold.dates[g].value}, got {ours[p].value} ({ours[p].text!r})"
            for (g, p), right in zip(pairs, right_values)
            if not right
        ]
    for name, counts in (("strict", strict), ("relaxed", relaxed), ("value", value), ("type", type_)):
        result.metrics.update(counts.metrics(f"{name}."))
        result.counts[name] = counts.as_dict()
    result.add_ratio("value_accuracy", value_accuracy)
    return result


# --------------------------------------------------------------------------- predictions

@dataclass
class Predictions:
    """The pipeline's tables, grouped by document; a stage whose table is unusable says why."""

    documents: dict[str, dict]
    by_stage: dict[str, dict[str, list]]
    unavailable: dict[str, str]

    @property
    def texts(self) -> dict[str, str]:
        return {doc_id: row["text"] for doc_id, row in self.documents.items()}


def _group(frame: pd.DataFrame, make: Callable[[Any], Any]) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for row in frame.itertuples(index=False):
        grouped.setdefault(row.doc_id, []).append(make(row))
    return grouped


_ROW_MAKERS: dict[str, Callable[[Any], Any]] = {
    "sentences": lambda row: row.text,
    "entities": lambda row: (row.text, row.label),
    "quotes": lambda row: PredictedQuote(row.text, row.kind, None if pd.isna(row.speaker) else row.speaker),
    "dates": lambda row: PredictedDate(int(row.start), int(row.end), row.text, row.type, row.value),
}


def read_predictions(folder: Path, stages: Iterable[str]) -> Predictions:
    """Read documents.parquet (required) and the tables of the stages to score."""
    documents = read_table(DOCUMENTS, folder, columns=["doc_id", "title", "published", "text"])
    rows = {
        row.doc_id: {"title": None if pd.isna(row.title) else row.title, "published": None if pd.isna(row.published) else row.published, "text": row.text}
        for row in documents.itertuples(index=False)
    }
    by_stage: dict[str, dict[str, list]] = {}
    unavailable: dict[str, str] = {}
    for stage in stages:
        if stage == "documents":
            continue
        spec = STAGE_TABLES[stage]
        try:
            frame = read_table(spec, folder)
        except TableError as exc:
            unavailable[stage] = str(exc)
            continue
        by_stage[stage] = _group(frame.sort_values(["doc_id", "start"], kind="stable"), _ROW_MAKERS[stage])
    return Predictions(rows, by_stage, unavailable)


# The parser's sentence boundaries constrain where the recogniser may put a span, and
# the parser listens to tok2vec: without them doc.ents differ from the full model's.
BASELINE_COMPONENTS = ("tok2vec", "parser", "ner")


def baseline_entities(texts: dict[str, str], model_name: str) -> dict[str, list[tuple[str, str]]]:
    """Plain spaCy: the model's raw ``doc.ents`` on our cleaned texts (spaCy is loaded only here)."""
    import spacy

    model_path = spacy.util.get_package_path(model_name)
    pipeline = spacy.util.load_config(next(model_path.glob("*/config.cfg")))["nlp"]["pipeline"]
    nlp = spacy.load(model_name, exclude=[name for name in pipeline if name not in BASELINE_COMPONENTS])
    doc_ids = list(texts)
    return {doc_id: [(ent.text, ent.label_) for ent in doc.ents] for doc_id, doc in zip(doc_ids, nlp.pipe(texts[d] for d in doc_ids))}


# --------------------------------------------------------------------------- evaluation

@dataclass
class SourceReport:
    name: str
    path: str
    kind: str
    documents: int
    scored: int
    missing: list[str]
    stages: dict[str, StageResult]
    dates_deferred: dict[str, str]
    half: str | None = None

    def metrics(self) -> dict[str, float]:
        """Flat ``stage.metric`` -> value."""
        return {f"{stage}.{name}": value for stage, result in self.stages.items() for name, value in result.metrics.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "half": self.half,
            "documents_in_gold": self.documents,
            "documents_scored": self.scored,
            "documents_missing_from_outputs": self.missing,
            "dates_scored_from": dict(Counter(self.dates_deferred.values())),
            "metrics": self.metrics(),
            "counts": {stage: result.counts for stage, result in self.stages.items() if result.counts},
            "unavailable": {stage: result.unavailable for stage, result in self.stages.items() if result.unavailable},
        }


def evaluate_source(source: GoldSource, predictions: Predictions, baseline: dict[str, list[tuple[str, str]]] | None) -> SourceReport:
    stages: dict[str, StageResult] = {}
    for stage in source.stages():
        golds = source.documents_for(stage)
        if stage in predictions.unavailable:
            stages[stage] = StageResult(unavailable=predictions.unavailable[stage])
        elif stage == "documents":
            stages[stage] = score_documents(golds, predictions.documents)
        elif stage == "sentences":
            stages[stage] = score_sentences(golds, predictions.by_stage["sentences"])
        elif stage == "entities":
            stages[stage] = score_entities(golds, predictions.by_stage["entities"])
        elif stage == "quotes":
            stages[stage] = score_quotes(golds, predictions.by_stage["quotes"])
        elif stage == "dates":
            stages[stage] = score_dates(golds, predictions.by_stage["dates"], predictions.texts)
        if stage == "entities" and baseline is not None:
            stages[BASELINE] = score_entities(golds, baseline)
    missing = sorted(doc_id for doc_id in source.documents if doc_id not in predictions.documents)
    return SourceReport(
        name=source.name,
        path=str(source.path),
        kind=source.kind,
        documents=len(source.documents),
        scored=len(source.documents) - len(missing),
        missing=missing,
        stages=stages,
        dates_deferred=source.dates_deferred,
        half=source.half,
    )


POOLED = "all-labelled"


def pool_json_sources(sources: list[GoldSource]) -> GoldSource | None:
    """All JSON gold documents as one source, so targets set on the whole labelled gold are measured."""
    json_sources = [s for s in sources if s.kind == "json"]
    if len(json_sources) < 2:
        return None
    documents: dict[str, GoldDocument] = {}
    deferred: dict[str, str] = {}
    for source in json_sources:
        documents.update(source.documents)
        deferred.update(source.dates_deferred)
    path = Path(" + ".join(str(s.path) for s in json_sources))
    return GoldSource(POOLED, path, "json", documents, deferred)


def evaluate(gold_paths: Iterable[Path], outputs: Path, baseline_model: str | None = None) -> list[SourceReport]:
    """Score the tables in ``outputs`` against every gold source.

    ``baseline_model``: also score that spaCy model's raw entities on ``documents.text``.
    """
    sources = read_gold_sources(gold_paths)
    if pooled := pool_json_sources(sources):
        sources.append(pooled)
    sources = [part for source in sources for part in (source, *halves(source))]
    stages = {stage for source in sources for stage in source.stages()}
    predictions = read_predictions(Path(outputs), stages)
    baseline = None
    if baseline_model and "entities" in stages:
        wanted = {doc.doc_id for source in sources for doc in source.documents_for("entities")}
        baseline = baseline_entities({d: t for d, t in predictions.texts.items() if d in wanted}, baseline_model)
    return [evaluate_source(source, predictions, baseline) for source in sources]


def write_metrics(reports: list[SourceReport], outputs: Path, gate: list[str] | None = None) -> Path:
    path = Path(outputs) / "metrics.json"
    payload: dict[str, Any] = {"gold": {report.name: report.as_dict() for report in reports}}
    if gate is not None:
        payload["gate"] = {"passed": not gate, "failures": gate}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- gate

def load_floors(path: Path) -> dict[str, dict[str, float]]:
    """``[source] "stage.metric" = floor`` -> {source: {metric: floor}}."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GoldError(f"{path}: not a readable accuracy gate ({exc})") from exc
    return {source: {metric: float(floor) for metric, floor in floors.items()} for source, floors in data.items()}


ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")


def below_baseline(report: SourceReport) -> list[str]:
    """Labels whose F1 our post-processing made worse than plain spaCy's on this source."""
    ours, plain = report.stages.get("entities"), report.stages.get(BASELINE)
    if ours is None or plain is None or ours.unavailable or plain.unavailable:
        return []
    return [
        f"{report.name} entities.{label}.f1 = {ours.metrics.get(f'{label}.f1', 0.0):.4f}, under plain {BASELINE} {plain.metrics[f'{label}.f1']:.4f}"
        for label in ENTITY_LABELS
        if f"{label}.f1" in plain.metrics and ours.metrics.get(f"{label}.f1", 0.0) < plain.metrics[f"{label}.f1"] - 1e-9
    ]


def check_gate(reports: list[SourceReport], floors: dict[str, dict[str, float]]) -> list[str]:
    """One message per floor that is not met (metric under it, table missing, source not scored),
    and per entity label of a whole source that scores under plain spaCy's."""
    by_name = {report.name: report for report in reports}
    failures: list[str] = [line for report in reports if report.half is None for line in below_baseline(report)]
    for source, metrics in floors.items():
        report = by_name.get(source)
        if report is None:
            failures.append(f"{source}: gold source not evaluated (pass it with --gold)")
            continue
        values = report.metrics()
        for metric, floor in metrics.items():
            stage = metric.split(".", 1)[0]
            result = report.stages.get(stage)
            if result is not None and result.unavailable:
                failures.append(f"{source} {metric}: not measured: {result.unavailable}")
            elif metric not in values:
                failures.append(f"{source} {metric}: no such metric measured (floor {floor})")
            elif values[metric] < floor - 1e-9:
                failures.append(f"{source} {metric} = {values[metric]:.4f}, under its floor {floor}")
    return failures


# --------------------------------------------------------------------------- printing

_PRF = ("precision", "recall", "f1")
# How the measure without a prefix (its stage's main one) is shown.
_MAIN_MEASURE = {"sentences": "exact text", "entities": "labelled", BASELINE: "labelled"}


@dataclass(frozen=True)
class Row:
    """One measure of a stage: its headline figure (F1 or the ratio), P and R when it has them."""

    measure: str
    figure: float
    precision: float | None = None
    recall: float | None = None
    counts: str = ""


def _rows(stage: str, result: StageResult) -> Iterator[Row]:
    """The stage's measures in the order they were computed."""
    done: set[str] = set()
    for name, value in result.metrics.items():
        prefix, _, last = name.rpartition(".")
        if last in _PRF:
            if prefix in done:
                continue
            done.add(prefix)
            key = prefix or "all"
            counts = result.counts.get(key)
            part = {p: result.metrics[f"{prefix}.{p}" if prefix else p] for p in _PRF}
            yield Row(
                _MAIN_MEASURE.get(stage, key) if not prefix else key.replace(".", " ").replace("_", " "),
                part["f1"],
                part["precision"],
                part["recall"],
                f"{counts['tp']}/{counts['pred']}/{counts['gold']}" if counts else "",
            )
        else:
            counts = result.counts.get(name, {})
            yield Row(name.replace(".", " ").replace("_", " "), value, counts=f"{counts['right']}/{counts['total']}" if counts else "")


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _half_figures(report: SourceReport | None, stage: str) -> dict[str, float]:
    result = report.stages.get(stage) if report else None
    if result is None or result.unavailable:
        return {}
    return {row.measure: row.figure for row in _rows(stage, result)}


def render(reports: list[SourceReport], console, errors: int = 0, errors_from: str = TUNING) -> None:
    """A table per gold source, its halves beside it; with ``errors``, the first misses and wrong
    values per stage of the ``errors_from`` half (the tuning half: check-half errors stay unread)."""
    from rich.table import Table

    by_name = {report.name: report for report in reports}
    for report in (r for r in reports if r.half is None):
        parts = {half: by_name.get(f"{report.name}/{half}") for half in HALVES}
        caption = f"{report.documents} gold documents, {report.scored} scored"
        caption += "".join(f"; {half} half {part.documents}" for half, part in parts.items() if part)
        if report.missing:
            caption += f", {len(report.missing)} missing from the outputs (counted as misses): {', '.join(report.missing[:5])}"
        for owner, count in Counter(report.dates_deferred.values()).items():
            caption += f"; dates of {count} documents scored from {owner}"
        table = Table(title=f"{report.name} ({report.path})", caption=caption, title_justify="left")
        columns = (("stage", "left"), ("measure", "left"), ("F1 or value", "right"), ("P", "right"), ("R", "right"),
                   ("tp/pred/gold or right/total", "right"), (TUNING, "right"), (CHECK, "right"))
        for column, justify in columns:
            table.add_column(column, justify=justify)
        for stage, result in report.stages.items():
            if result.unavailable:
                table.add_row(stage, f"[red]not scored: {result.unavailable}[/red]", *[""] * 6)
                continue
            half_figures = {half: _half_figures(part, stage) for half, part in parts.items()}
            for index, row in enumerate(_rows(stage, result)):
                table.add_row(
                    stage if index == 0 else "", row.measure, _figure(row.figure), _figure(row.precision), _figure(row.recall), row.counts,
                    *(_figure(half_figures[half].get(row.measure)) for half in HALVES),
                )
            table.add_section()
        console.print(table)
        shown = report if errors_from == "all" else parts.get(errors_from)
        if errors and shown is not None:
            for stage, result in shown.stages.items():
                if result.errors:
                    console.print(f"[bold]{shown.name} {stage}[/bold]: first {min(errors, len(result.errors))} of {len(result.errors)} errors")
                    for line in result.errors[:errors]:
                        console.print(f"  {line}", markup=False, highlight=False)
