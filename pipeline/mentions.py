"""From spaCy entity spans to clean mentions with canonical names.

spaCy's French model gets the shape of news names wrong in predictable ways: articles
and titles inside spans (`l’OTAN`, `M. Stoltenberg`), spans across line breaks, verbs
and common words taken for names, demonym nouns labelled LOC, job titles labelled ORG.
Each fix is one small function below, fed by the lexicons of ``configs/lexicons``;
``GUIDELINES.md`` section 1 is the specification.

Lexicon entries that are names (seats of power, media, demonyms, streets) go to an
``entity_ruler`` placed before ``ner``, so the statistical model builds its spans
around them instead of swallowing them.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.names import fold

LABELS = ("PER", "ORG", "LOC", "MISC")
LEADING_ARTICLES = frozenset({"l'", "l’", "le", "la", "les", "un", "une"})
PREPOSITIONS = frozenset({"de", "du", "des", "d'", "d’", "à", "au", "aux"})
TRAILING_WORDS = LEADING_ARTICLES | PREPOSITIONS | {"et", "ou"}
# Function words skipped when reading an acronym off its long form.
ACRONYM_SKIPPED = PREPOSITIONS | LEADING_ARTICLES | {"et", "pour", "sur", "en"}
LEADING_MARKS = "-–—«»\"'’“”(["
TRAILING_MARKS = ".,;:!?-–—«»\"'’“”)]"
# A single word with one of these parts of speech is not a name, whatever its case.
NOT_NAME_POS = frozenset({"VERB", "AUX", "ADV", "PRON", "ADP", "DET", "CCONJ", "SCONJ", "PUNCT", "SYM", "NUM", "INTJ"})
COMMON_POS = frozenset({"NOUN", "ADJ"})
NAME_PARTICLES = frozenset({"Le", "La", "De", "Du", "Van", "Von", "Del", "Da"})
# Facilities whose own name follows directly (`école Maurice-Henry`) are organisations.
NAMED_FACILITIES = frozenset({"école", "lycée", "collège", "université", "hôpital", "clinique", "musée"})


@dataclass(frozen=True)
class Lexicons:
    titles: frozenset[str]
    job_domains: frozenset[str]
    not_names: frozenset[str]
    demonyms: frozenset[str]
    demonym_suffixes: tuple[str, ...]
    seats_of_power: frozenset[str]
    media: frozenset[str]
    media_tails: frozenset[str]
    org_heads: frozenset[str]
    street_words: frozenset[str]
    road_prefixes: frozenset[str]
    misc_heads: frozenset[str]
    person_heads: frozenset[str]
    route_words: frozenset[str]
    first_names: frozenset[str]

    @classmethod
    def from_file(cls, path: Path) -> "Lexicons":
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        lowered = lambda key: frozenset(word.lower() for word in data[key])  # noqa: E731
        return cls(
            titles=lowered("titles"),
            job_domains=lowered("job_domains"),
            not_names=frozenset(fold(word) for word in data["not_names"]),
            demonyms=frozenset(form for base in data["demonyms"] for form in demonym_forms(base)),
            demonym_suffixes=tuple(data["demonym_suffixes"]),
            seats_of_power=frozenset(data["seats_of_power"]),
            media=frozenset(data["media"]),
            media_tails=lowered("media_tails"),
            org_heads=lowered("org_heads") | NAMED_FACILITIES,
            street_words=lowered("street_words"),
            road_prefixes=frozenset(data["road_prefixes"]),
            misc_heads=lowered("misc_heads"),
            person_heads=lowered("person_heads"),
            route_words=lowered("route_words"),
            first_names=frozenset(data["first_names"]),
        )

    def is_known_name(self, text: str) -> bool:
        return text in self.seats_of_power or text in self.media


def demonym_forms(base: str) -> list[str]:
    """Masculine singular -> the four forms: `Ukrainien` -> Ukrainien(ne)(s)."""
    if base.endswith("e"):
        return [base, base + "s"]
    if base.endswith(("s", "x")):
        return [base, base + "e", base + "es"]
    if base.endswith(("en", "on")):
        return [base, base + "s", base + "ne", base + "nes"]
    return [base, base + "s", base + "e", base + "es"]


# -- the entity ruler ------------------------------------------------------------------

def ruler_patterns(nlp: Language, lexicons: Lexicons) -> list[dict]:
    """Names the lexicons know for sure, as entity_ruler patterns (case-sensitive).

    Names become token patterns here (the tokenizer alone splits them), because phrase
    patterns added to a ruler placed after the tagger would run the whole pipeline.
    Demonyms are not ruled: a model span that is only a demonym is relabelled instead,
    so that `Crédit Lyonnais` stays whole.
    """
    names = sorted(lexicons.seats_of_power | lexicons.media)
    patterns: list[dict] = [
        {"label": "ORG", "pattern": [{"ORTH": token.text} for token in nlp.make_doc(name)]} for name in names
    ]
    capitalised = {"TEXT": {"REGEX": r"^[A-ZÀ-ÖØ-Þ0-9]"}}
    name_part = {"TEXT": {"REGEX": r"^([A-ZÀ-ÖØ-Þ0-9]|-$|d[’']$|de$|du$|des$|la$|l[’']$)"}, "OP": "*"}
    street = [
        {"LOWER": {"IN": sorted(lexicons.street_words)}},
        {"LOWER": {"IN": ["de", "du", "des", "d'", "d’"]}, "OP": "?"},
        {"LOWER": {"IN": ["la", "l'", "l’", "les"]}, "OP": "?"},
        capitalised,
        name_part,
        capitalised,
    ]
    patterns.append({"label": "LOC", "pattern": street})
    patterns.append({"label": "LOC", "pattern": street[:4]})
    patterns.append({"label": "LOC", "pattern": [{"TEXT": {"IN": sorted(lexicons.road_prefixes)}}, {"IS_DIGIT": True}]})
    return patterns


def add_entity_ruler(nlp: Language, lexicons: Lexicons) -> None:
    ruler = nlp.add_pipe("entity_ruler", name="lexicon_ruler", before="ner", config={"validate": True})
    ruler.add_patterns(ruler_patterns(nlp, lexicons))


# -- cleaning one spaCy span -----------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str
    text: str


def starts_upper(text: str) -> bool:
    return text[:1].isupper() or text[:1].isdigit()


def line_pieces(span: Span) -> list[tuple[int, int]]:
    """Token ranges of the span between line breaks: a name never crosses one."""
    pieces, start = [], span.start
    for token in span:
        if token.is_space and "\n" in token.text:
            pieces.append((start, token.i))
            start = token.i + 1
    pieces.append((start, span.end))
    return [(start, end) for start, end in pieces if end > start]


def with_particle(doc: Doc, start: int, label: str) -> int:
    """`M. Le Pen`: the model often leaves a capitalised particle out of a person's name."""
    before = doc[start - 1] if start > 0 else None
    if label == "PER" and before is not None and before.text in NAME_PARTICLES and not before.is_sent_start:
        return start - 1
    return start


def is_name_particle(doc: Doc, index: int, end: int, label: str) -> bool:
    """`Le Pen`, `de Villepin`: a particle opening a person's name is part of it."""
    return label == "PER" and index + 1 < end and doc[index].text[:1].isupper() and starts_upper(doc[index + 1].text)


def keeps_head(doc: Doc, index: int, end: int, lexicons: Lexicons) -> bool:
    """Street words and the generic word of an event or a treaty stay in the span; so
    does an institution directly followed by its own name (`école Maurice-Henry`)."""
    lower = doc[index].lower_
    if lower in lexicons.street_words or (lower in lexicons.misc_heads and index + 1 < end):
        return True
    return lower in NAMED_FACILITIES and index + 1 < end and starts_upper(doc[index + 1].text)


@dataclass(frozen=True)
class Lead:
    """Where the name starts once determiners, titles and common-noun heads are skipped."""

    start: int
    titled: bool
    complement: bool
    person_head: bool


def skip_lead(doc: Doc, start: int, end: int, label: str, lexicons: Lexicons) -> Lead:
    titled = complement = person_head = False
    first = start
    while start < end:
        token, lower = doc[start], doc[start].lower_
        if keeps_head(doc, start, end, lexicons):
            break
        if lower in lexicons.titles:
            titled = True
        elif lower in lexicons.person_heads:
            person_head = True
        elif lower in LEADING_ARTICLES or lower in PREPOSITIONS:
            if start == first and is_name_particle(doc, start, end, label):
                break
            complement |= lower in PREPOSITIONS
        elif starts_upper(token.text) and not token.is_punct:
            break
        start += 1
    return Lead(start, titled, complement, person_head)


def skip_tail(doc: Doc, start: int, end: int) -> int:
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].lower_ in TRAILING_WORDS):
        end -= 1
    return end


def trimmed_chars(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in LEADING_MARKS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in TRAILING_MARKS or text[end - 1].isspace()):
        end -= 1
    return start, end


def is_job_title(tokens: Span, lead: Lead, lexicons: Lexicons) -> bool:
    """`ministre russe des Affaires étrangères`: what follows the title is its domain, not a name."""
    return lead.titled and tokens[0].lower_ in lexicons.job_domains


def is_demonym(tokens: Span, lexicons: Lexicons) -> bool:
    if tokens.text in lexicons.demonyms:
        return True
    if len(tokens) != 1:
        return False
    token = tokens[0]
    return (
        token.pos_ in COMMON_POS
        and token.text[:1].isupper()
        and not token.text.isupper()
        and token.lower_.endswith(lexicons.demonym_suffixes)
    )


def is_common_word(tokens: Span, lexicons: Lexicons) -> bool:
    """A lone capitalised common word (`SUITE`, `Partagez`, a sentence-initial noun)."""
    if len(tokens) != 1:
        return False
    token = tokens[0]
    if fold(token.text) in lexicons.not_names or token.pos_ in NOT_NAME_POS:
        return True
    # A noun or adjective opening a sentence is capitalised for that reason alone.
    return token.pos_ in COMMON_POS and not token.text.isupper() and token.is_sent_start


def label_by_lexicon(tokens: Span, label: str, lexicons: Lexicons) -> str:
    """Labels the guidelines settle by what the name is, whatever the model said."""
    text, first, last = tokens.text, tokens[0].lower_, tokens[-1].lower_
    if text in lexicons.seats_of_power or text in lexicons.media:
        return "ORG"
    if is_demonym(tokens, lexicons):
        return "MISC"
    if first in lexicons.street_words:
        return "LOC"
    if first in lexicons.misc_heads:
        return "MISC"
    if len(tokens) == 1 and text in lexicons.first_names:
        return "PER"
    if len(tokens) > 1 and (first in lexicons.org_heads or last in lexicons.media_tails):
        return "ORG"
    return label


def label_by_lead(lead: Lead, tokens: Span, label: str) -> str:
    """What the skipped words say about the name that follows them."""
    if lead.titled and lead.complement and label == "PER":
        # `Premier ministre de Norvège`: the complement of a title is a place, not the person.
        return "LOC"
    if lead.person_head and len(tokens) == 1:
        return "PER"
    return label


def clean_piece(doc: Doc, start: int, end: int, label: str, lexicons: Lexicons) -> list[Mention]:
    """The mentions one line of a model span stands for: usually one, none for a job
    title or a common word, several for a route (`ligne Paris-Nantes`)."""
    if lexicons.is_known_name(doc[start:end].text):
        return [Mention(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "ORG", doc[start:end].text)]
    lead = skip_lead(doc, start, end, label, lexicons)
    end = skip_tail(doc, lead.start, end)
    if end <= lead.start:
        return []
    tokens = doc[lead.start : end]
    if is_job_title(tokens, lead, lexicons):
        return []
    label = label_by_lexicon(tokens, label_by_lead(lead, tokens, label), lexicons)
    if not (label == "MISC" and is_demonym(tokens, lexicons)) and is_common_word(tokens, lexicons):
        return []
    start_char, end_char = trimmed_chars(doc.text, tokens.start_char, tokens.end_char)
    text = doc.text[start_char:end_char]
    if not any(char.isupper() for char in text):
        return []
    return route_places(doc, tokens, Mention(start_char, end_char, label, text), lexicons)


def route_places(doc: Doc, tokens: Span, mention: Mention, lexicons: Lexicons) -> list[Mention]:
    """`ligne Paris-Nantes`, `route Commercy-Void`: a route names the places it joins."""
    words = [token for token in tokens if not (token.is_punct and token.text == "-")]
    before = doc[tokens.start - 1].lower_ if tokens.start > 0 else ""
    heads = {before, tokens[0].lower_}
    places = words[1:] if tokens[0].lower_ in lexicons.route_words else words
    joined = all(token.text == "-" for token in tokens if token not in words)
    if not (heads & lexicons.route_words and len(places) >= 2 and joined and all(token.text[:1].isupper() for token in places)):
        return [mention]
    return [Mention(token.idx, token.idx + len(token), "LOC", token.text) for token in places]


def repeated_mentions(text: str, mentions: list[Mention], lexicons: Lexicons) -> list[Mention]:
    """Other occurrences of a name the document already marked somewhere: the model
    misses some repeats (`Stoltenberg` in one sentence, not in the next)."""
    taken = [(mention.start, mention.end) for mention in mentions]
    found: list[Mention] = []
    for name, label in {mention.text: mention.label for mention in reversed(mentions)}.items():
        if len(name) < 3 or fold(name) in lexicons.not_names:
            continue
        for match in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            if not any(start < match.end() and match.start() < end for start, end in taken):
                found.append(Mention(match.start(), match.end(), label, name))
                taken.append((match.start(), match.end()))
    return found


def doc_mentions(doc: Doc, lexicons: Lexicons) -> list[Mention]:
    """Clean mentions of a parsed document, in text order."""
    mentions = [
        mention
        for ent in doc.ents
        if ent.label_ in LABELS
        for start, end in line_pieces(ent)
        for mention in clean_piece(doc, with_particle(doc, start, ent.label_), end, ent.label_, lexicons)
    ]
    mentions += repeated_mentions(doc.text, mentions, lexicons)
    return sorted(mentions, key=lambda mention: (mention.start, mention.end))


# -- canonical names within a document -------------------------------------------------

def name_words(text: str) -> tuple[str, ...]:
    return tuple(fold(text).replace("-", " ").split())


def acronym_of(text: str) -> str:
    """Initials of the content words: `Organisation du traité de l'Atlantique nord` -> `OTAN`."""
    words = fold(text).replace("-", " ").replace("'", "' ").split()
    return "".join(word[0] for word in words if word not in ACRONYM_SKIPPED).upper()


def is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 8 and text.isalpha() and text.isupper()


def contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    size = len(shorter)
    return size < len(longer) and any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def fullest_name(mention: Mention, mentions: list[Mention]) -> Mention:
    """The fullest mention of the same entity: a full name for a partial one, a long form for an acronym."""
    words = name_words(mention.text)
    partial_of = [
        other
        for other in mentions
        if other.label == "PER" and mention.label in ("PER", "MISC") and contains(name_words(other.text), words)
    ]
    if is_acronym(mention.text):
        partial_of += [other for other in mentions if other is not mention and acronym_of(other.text) == mention.text]
    if not partial_of:
        return mention
    return max(partial_of, key=lambda other: (len(name_words(other.text)), len(other.text)))


def resolve(mentions: list[Mention]) -> list[tuple[Mention, str]]:
    """(mention with its entity's label, canonical name) for every mention.

    The label of an entity is the one most of its mentions carry, so a city the model
    once took for an organisation gets the label of its other mentions.
    """
    fullest = [fullest_name(mention, mentions) for mention in mentions]
    votes: dict[str, Counter] = {}
    for mention, full in zip(mentions, fullest):
        votes.setdefault(fold(full.text), Counter())[mention.label] += 1
    resolved = []
    for mention, full in zip(mentions, fullest):
        label = full.label if full is not mention and full.label == "PER" else _majority(votes[fold(full.text)], full.label)
        resolved.append((Mention(mention.start, mention.end, label, mention.text), full.text))
    return resolved


def _majority(counts: Counter, tie_break: str) -> str:
    best = max(counts.values())
    return tie_break if counts[tie_break] == best else next(label for label, count in counts.most_common() if count == best)
