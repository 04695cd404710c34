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
from collections import Counter, defaultdict
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.characters import is_pictograph, is_word_character
from pipeline.gazetteer import load_places
from pipeline.names import fold

if TYPE_CHECKING:  # only the model's users import spaCy (see stages/entities.py)
    from spacy.language import Language
    from spacy.tokens import Doc, Token
    from spacy.vocab import Vocab

LABELS = ("PER", "ORG", "LOC", "MISC")
LEADING_ARTICLES = frozenset({"l'", "l’", "le", "la", "les", "un", "une"})
PREPOSITIONS = frozenset({"de", "du", "des", "d'", "d’", "à", "au", "aux"})
# « de » alone, with no article: `aéroport de Nantes`, `théorème de Fermat`.
BARE_DE = frozenset({"de", "d'", "d’"})
NOUN_OPENERS = LEADING_ARTICLES | PREPOSITIONS | {"en", "ce", "cet", "cette", "son", "sa", "leur"}
TRAILING_WORDS = LEADING_ARTICLES | PREPOSITIONS | {"et", "ou"}
# An elided function word glued to the next word (`l'atlantique`, `d'energie`), folded.
ELIDED = re.compile(r"(?<![\w'])((?:l|d|qu|j|n|s|c)')")
# Function words skipped when reading an acronym off its long form.
ACRONYM_SKIPPED = frozenset(fold(word) for word in PREPOSITIONS | LEADING_ARTICLES | {"et", "pour", "sur", "en"})
LEADING_MARKS = "-–—«»\"'’“”(["
TRAILING_MARKS = ".,;:!?-–—«»\"'’“”)]"
# A single word with one of these parts of speech is not a name, whatever its case.
NOT_NAME_POS = frozenset({"VERB", "AUX", "ADV", "PRON", "ADP", "DET", "CCONJ", "SCONJ", "PUNCT", "SYM", "NUM", "INTJ"})
COMMON_POS = frozenset({"NOUN", "ADJ"})
NAME_PARTICLES = frozenset({"Le", "La", "De", "Du", "Van", "Von", "Del", "Da"})
# Inside a sentence a capitalised article belongs to the name after it (`La Haye`).
CAPITALISED_ARTICLES = frozenset({"Le", "La", "Les", "L'", "L’"})
OPENING_MARKS = frozenset({"«", "“", '"', "(", "[", "-", "–", "—", ":"})
# Tokens no name holds: the marks that end a clause or stand between a headline's parts.
NAME_BREAKS = frozenset({":", ";", "!", "?", "–", "—", "|"})
# A dateline's end glued to the place before it (`PARIS.-`).
DATELINE_ENDS = (".-", ".–", ".—")
# Facilities whose own name follows directly (`école Maurice-Henry`) are organisations.


@dataclass(frozen=True)
class EntityLexicon:
    titles: frozenset[str]
    job_domains: frozenset[str]
    not_names: frozenset[str]
    demonyms: frozenset[str]
    demonym_suffixes: tuple[str, ...]
    seats_of_power: frozenset[str]
    media: frozenset[str]
    team_words: frozenset[str]
    institutions: frozenset[str]
    institution_adjectives: frozenset[str]
    not_name_tails: frozenset[str]
    media_tails: frozenset[str]
    org_heads: frozenset[str]
    street_words: frozenset[str]
    place_heads: frozenset[str]
    facilities: frozenset[str]
    buildings: frozenset[str]
    storm_words: frozenset[str]
    honorifics: frozenset[str]
    named_facilities: frozenset[str]
    road_prefixes: frozenset[str]
    misc_heads: frozenset[str]
    eponym_heads: frozenset[str]
    # Generic words of events: MISC like misc_heads, but no sign of a name at a
    # sentence's start (`Tournoi de boules annulé` is a headline).
    event_heads: frozenset[str]
    person_heads: frozenset[str]
    route_words: frozenset[str]
    first_names: frozenset[str]
    place_introducers: frozenset[str]
    # Place name -> kind (country, area, subdivision, city): see pipeline/gazetteer.py;
    # the same folded (case, accents), for names written in capitals (`PONT-A-MOUSSON`).
    places: dict[str, str]
    folded_places: dict[str, str]

    @classmethod
    def from_file(cls, path: Path, places: Path | None = None) -> "EntityLexicon":
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        gazetteer = load_places(places) if places is not None else {}
        lowered = lambda key: frozenset(word.lower() for word in data[key])  # noqa: E731
        return cls(
            titles=lowered("titles"),
            job_domains=lowered("job_domains"),
            not_names=frozenset(fold(word) for word in data["not_names"]),
            demonyms=frozenset(form for base in data["demonyms"] for form in demonym_forms(base)),
            demonym_suffixes=tuple(data["demonym_suffixes"]),
            seats_of_power=frozenset(data["seats_of_power"]),
            media=frozenset(data["media"]) | frozenset(data["platforms"]),
            team_words=frozenset(data["team_words"]),
            institutions=lowered("institutions"),
            institution_adjectives=lowered("institution_adjectives"),
            not_name_tails=lowered("not_name_tails"),
            media_tails=lowered("media_tails"),
            org_heads=lowered("org_heads") | lowered("named_facilities"),
            named_facilities=lowered("named_facilities"),
            street_words=lowered("street_words"),
            place_heads=lowered("place_heads") | lowered("facilities"),
            facilities=lowered("facilities"),
            buildings=lowered("buildings"),
            storm_words=lowered("storm_words"),
            honorifics=lowered("honorifics"),
            road_prefixes=frozenset(data["road_prefixes"]),
            misc_heads=lowered("misc_heads"),
            eponym_heads=lowered("eponym_heads"),
            event_heads=lowered("event_heads"),
            person_heads=lowered("person_heads"),
            route_words=lowered("route_words"),
            first_names=frozenset(data["first_names"]),
            place_introducers=lowered("place_introducers"),
            places=gazetteer,
            folded_places={fold(name): kind for name, kind in reversed(gazetteer.items())},
        )

    def is_known_name(self, text: str) -> bool:
        """A seat of power or a medium, also written without its accents (`El Pais`, `Elysee`)."""
        return text in self.seats_of_power or text in self.media or (text[:1].isupper() and fold(text) in self._folded_known_names)

    @cached_property
    def _folded_known_names(self) -> frozenset[str]:
        return frozenset(fold(name) for name in self.seats_of_power | self.media)

    def is_generic_head(self, word: str) -> bool:
        """The generic word of an institution, an event, a street or a natural place."""
        return word in self.org_heads or word in self.misc_heads or word in self.street_words or word in self.place_heads

    def place_kind(self, text: str) -> str | None:
        """What kind of place the gazetteer knows ``text`` as, if any."""
        if text.isupper():
            return self.folded_places.get(fold(text))
        return self.places.get(text.replace("’", "'"))

    def is_surely_place(self, text: str) -> bool:
        """A country, a continent or bloc, or a region, state or département: no city,
        since many cities are also people's or companies' names (`Florence`, `Orange`)."""
        return self.place_kind(text) in ("country", "area", "subdivision")

    def is_given_name(self, text: str) -> bool:
        """`Marie`, and compound given names opening with one (`Jean-Luc`)."""
        return text in self.first_names or ("-" in text and text.split("-")[0] in self.first_names)


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

def ruler_patterns(lexicons: EntityLexicon) -> list[dict]:
    """Names the lexicons know for sure, as entity_ruler patterns (case-sensitive).

    Fixed names are phrase patterns: the phrase matcher looks each token up once, where
    a token pattern per name would be tried at every token. Streets and roads are
    token patterns (a street word, then capitalised words). Demonyms are not ruled: a
    model span that is only a demonym is relabelled instead, so that `Crédit Lyonnais`
    stays whole.
    """
    names = sorted(lexicons.seats_of_power | lexicons.media)
    patterns: list[dict] = [{"label": "ORG", "pattern": name} for name in names]
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


def add_entity_ruler(nlp: Language, lexicons: EntityLexicon) -> None:
    """The ruler goes first: its patterns read only the words, and ``ner`` (which keeps
    preset entities) is the first component to look at entities. First in line, its
    phrase patterns are made by the tokenizer alone."""
    ruler = nlp.add_pipe("entity_ruler", name="lexicon_ruler", first=True, config={"validate": True})
    ruler.add_patterns(ruler_patterns(lexicons))


# -- cleaning one spaCy span -----------------------------------------------------------

# Where a mention's label comes from, weakest first. The model's own labels vote on an
# entity's label; a label a lexicon or the gazetteer settles wins the vote; a copy (a
# repeat of a name marked elsewhere) has no say.
COPIED, MODEL, SETTLED = "copied", "model", "settled"


@dataclass(frozen=True)
class NameMention:
    start: int
    end: int
    label: str
    text: str
    evidence: str = MODEL


def starts_upper(text: str) -> bool:
    return text[:1].isupper() or text[:1].isdigit()


def name_pieces(tokens: list[Token], start: int, end: int) -> list[tuple[int, int]]:
    """Token ranges of tokens[start:end] that may be names: a name never crosses a line
    break, nor a mark that ends a clause or a headline (`Vendée Globe : le départ`), nor
    an emoji (`Berlin 🇩🇪 hier`), nor a dateline's `.-` (`PARIS.- Jean Dupont`), the mark
    glued to the word before."""
    pieces = []
    for index in range(start, end):
        token = tokens[index]
        if (token.is_space and "\n" in token.text) or token.text in NAME_BREAKS or is_spaced_hyphen(tokens, index) or is_pictograph(token.text):
            pieces.append((start, index))
            start = index + 1
        elif token.text.endswith(DATELINE_ENDS) and len(token.text) > 2:
            pieces.append((start, index + 1))
            start = index + 1
    pieces.append((start, end))
    return [(start, end) for start, end in pieces if end > start]


def with_surname_particle(tokens: list[Token], end: int, label: str) -> int:
    """`Armel Le Cléac'h`, `Vincent Van Gogh`: the model stops a person's name before or
    after a capitalised particle, without the surname after it; both belong to it (with
    the pieces the tokenizer cut from the surname: `Cléac'` `h`)."""
    if label != "PER" or end >= len(tokens):
        return end
    if tokens[end - 1].text in NAME_PARTICLES and starts_upper(tokens[end].text):
        end += 1
    elif end + 1 < len(tokens) and tokens[end].text in NAME_PARTICLES and starts_upper(tokens[end + 1].text):
        end += 2
    else:
        return end
    while end < len(tokens) and not tokens[end - 1].whitespace_ and tokens[end].is_alpha:
        end += 1
    return end


def is_spaced_hyphen(tokens: list[Token], index: int) -> bool:
    """` - ` between two words is a dash; a hyphen joins the parts of a name (`Bosnie-Herzégovine`)."""
    return tokens[index].text == "-" and index > 0 and bool(tokens[index].whitespace_) and bool(tokens[index - 1].whitespace_)


def with_name_joiners(tokens: list[Token], end: int) -> int:
    """`Standard & Poor's`, `Marks & Spencer`: `&` joins two names into one, and an
    English possessive `'s` belongs to its word (the tokenizer splits `Poor'` `s`)."""
    while end + 1 < len(tokens) and tokens[end].text == "&" and starts_upper(tokens[end + 1].text):
        end += 2
    last = tokens[end - 1]
    if end < len(tokens) and last.text.endswith(("'", "’")) and not last.whitespace_ and tokens[end].text == "s":
        end += 1
    return end


def opens_sentence(tokens: list[Token], index: int) -> bool:
    """The token starts a sentence or a quotation, where any word may be capitalised."""
    return index == 0 or tokens[index].is_sent_start or tokens[index - 1].text in OPENING_MARKS


def with_particle(tokens: list[Token], start: int, label: str) -> int:
    """`M. Le Pen`, `bâtiment Les Etourneaux`: the model often leaves a capitalised
    particle out of a person's name, and a capitalised article out of any name."""
    if start == 0 or opens_sentence(tokens, start - 1):
        return start
    before = tokens[start - 1].text
    return start - 1 if before in CAPITALISED_ARTICLES or (label == "PER" and before in NAME_PARTICLES) else start


def with_generic_head(tokens: list[Token], start: int, end: int, lexicons: EntityLexicon, label: str) -> int:
    """`fort Dorsner`, `détroit de Gibraltar`, `stade de la Beaujoire`, `école
    Maurice-Henry`, `prix Goncourt`: the model leaves out the generic word of a natural place,
    a fort or a facility, of an institution or a thing named after someone; it belongs to the name
    (GUIDELINES §4). A facility of a place is that place (`aéroport de Nantes` ->
    `Nantes`, as `université de Lille` -> `Lille`): a known place, or any name after a
    bare `de` (`église de Vrécourt`); `de la`, `du`, `des` name the facility itself."""
    before = tokens[start - 1].lower_ if start > 1 else None
    if before is not None and is_noun_head(tokens, start - 1) and (before in lexicons.place_heads or before in lexicons.named_facilities):
        return start - 1
    # a thing named after someone (`prix Goncourt`, `théorème de Fermat`, `maladie de Parkinson`),
    # whatever label the model gave the name; not an organisation (`les prix Renault`: its maker)
    if label != "ORG" and is_eponym(tokens, start, end):
        if before in lexicons.eponym_heads and is_noun_head(tokens, start - 1):
            return start - 1
        if start > 2 and before in BARE_DE and tokens[start - 2].lower_ in lexicons.eponym_heads and is_noun_head(tokens, start - 2):
            return start - 2
    for head in (start - 2, start - 3):
        between = [token.lower_ for token in tokens[head + 1 : start]] if head > 0 else []
        if not (between and between[0] in PREPOSITIONS and all(word in PREPOSITIONS or word in LEADING_ARTICLES for word in between)):
            continue
        word = tokens[head].lower_
        if is_noun_head(tokens, head) and word in lexicons.place_heads:
            if word in lexicons.facilities and ((len(between) == 1 and between[0] in BARE_DE) or is_place_name("".join(token.text_with_ws for token in tokens[start:end]).strip(), lexicons)):
                return start
            return head
    return start


def is_eponym(tokens: list[Token], start: int, end: int) -> bool:
    """One name, maybe after its particle and with a « de » complement (`Goncourt`, `de
    Fermat`, `Nobel de la paix`), not a person's full name (`Nobel Joseph Stiglitz`)."""
    names = 0
    for token in tokens[start:end]:
        if token.lower_ in PREPOSITIONS and names:
            break
        names += starts_upper(token.text)
    return names == 1


def is_place_name(name: str, lexicons: EntityLexicon) -> bool:
    """A place the gazetteer knows, or a word shaped like a French commune's name, with
    or without its article (`La Neuveville-sous-Montfort`)."""
    article, _, rest = name.partition(" ")
    bare = rest if article in CAPITALISED_ARTICLES and rest else name
    return lexicons.place_kind(name) is not None or lexicons.place_kind(bare) is not None or COMPOUND_PLACE.fullmatch(bare) is not None


def is_noun_head(tokens: list[Token], index: int) -> bool:
    """A determiner or a preposition before the word makes it a noun (`le fort`, `en
    mer`), not an adverb or a verb (`frapper fort`); the tagger is unsure on these."""
    return tokens[index - 1].lower_ in NOUN_OPENERS


def is_name_particle(tokens: list[Token], index: int, end: int, label: str) -> bool:
    """`Le Pen`, `de Villepin`, `La Farandole`: a particle opening a person's name is part
    of it, and so is a capitalised article inside a sentence."""
    if not (index + 1 < end and tokens[index].text[:1].isupper() and starts_upper(tokens[index + 1].text)):
        return False
    return label == "PER" or (tokens[index].text in CAPITALISED_ARTICLES and not opens_sentence(tokens, index))


def keeps_head(tokens: list[Token], index: int, end: int, lexicons: EntityLexicon, label: str) -> bool:
    """Street words and the generic word of an event or a treaty stay in the span; so
    does an institution directly followed by its own name (`école Maurice-Henry`), and the
    generic word of a thing the model names after someone (`prix Goncourt`, not the
    laureate of `le prix Nobel Joseph Stiglitz` nor the maker of `les prix Renault`)."""
    lower = tokens[index].lower_
    if lower in lexicons.street_words or ((lower in lexicons.misc_heads or lower in lexicons.place_heads) and index + 1 < end):
        return True
    if lower in lexicons.eponym_heads and label != "ORG" and index + 1 < end and is_eponym(tokens, index + 1, end):
        return True
    return lower in lexicons.named_facilities and index + 1 < end and starts_upper(tokens[index + 1].text)


@dataclass(frozen=True)
class Lead:
    """Where the name starts once determiners, titles and common-noun heads are skipped."""

    start: int
    titled: bool
    complement: bool
    person_head: bool


def skip_lead(tokens: list[Token], start: int, end: int, label: str, lexicons: EntityLexicon) -> Lead:
    titled = complement = person_head = False
    first = start
    while start < end:
        token = tokens[start]
        lower = token.lower_
        if keeps_head(tokens, start, end, lexicons, label):
            break
        if lower in lexicons.titles:
            titled = True
        elif lower in lexicons.person_heads:
            person_head = True
        elif lower in LEADING_ARTICLES or lower in PREPOSITIONS:
            # `Le Pen`, and `M. Le Pen` past a title
            if (start == first or titled) and is_name_particle(tokens, start, end, label):
                break
            complement |= lower in PREPOSITIONS
        elif starts_upper(token.text) and not token.is_punct:
            break
        start += 1
    return Lead(start, titled, complement, person_head)


def skip_tail(tokens: list[Token], start: int, end: int, lexicons: EntityLexicon) -> int:
    end = before_bare_complement(tokens, start, end)
    while end > start and (
        tokens[end - 1].is_punct
        or tokens[end - 1].is_space
        or tokens[end - 1].lower_ in TRAILING_WORDS
        # `au New Jersey mercredi`: a lowercase day or month after a name is a date.
        or (tokens[end - 1].text in lexicons.not_name_tails)
    ):
        end -= 1
    return end


def before_bare_complement(tokens: list[Token], start: int, end: int) -> int:
    """`le Congrès à majorité républicaine`: `à` and lowercase words without an article
    describe the name, they do not belong to it (`Commissariat à l'énergie atomique` does)."""
    for index in range(start + 1, end - 1):
        rest = tokens[index + 1 : end]
        if tokens[index].lower_ == "à" and rest[0].lower_ not in LEADING_ARTICLES and not any(starts_upper(token.text) for token in rest):
            return index
    return end


def chars_of(tokens: list[Token], start: int, end: int) -> tuple[int, int]:
    """Character offsets of tokens[start:end], without the last token's trailing space
    (what ``Span.start_char`` and ``Span.end_char`` give)."""
    return tokens[start].idx, tokens[end - 1].idx + len(tokens[end - 1])


def trimmed_chars(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in LEADING_MARKS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in TRAILING_MARKS or text[end - 1].isspace()):
        end -= 1
    return start, end


def is_job_title(words: list[Token], lead: Lead, lexicons: EntityLexicon) -> bool:
    """`ministre russe des Affaires étrangères`: what follows the title is its domain, not a name."""
    return lead.titled and words[0].lower_ in lexicons.job_domains


def is_demonym(words: list[Token], phrase: str, lexicons: EntityLexicon) -> bool:
    """``phrase`` is the text the words span."""
    if phrase in lexicons.demonyms:
        return True
    if len(words) != 1:
        return False
    token = words[0]
    return (
        token.pos_ in COMMON_POS
        and token.text[:1].isupper()
        and not token.text.isupper()
        and token.lower_.endswith(lexicons.demonym_suffixes)
    )


def is_common_word(words: list[Token], lexicons: EntityLexicon) -> bool:
    """A lone capitalised common word (`SUITE`, `Partagez`, a sentence-initial noun), or
    a sentence-initial phrase of common words (`Tournoi de boules annulé`, a headline)
    that is not headed by the generic word of an institution, an event or a place.
    After a quotation mark such a phrase is a title (`« Secours pop »`)."""
    token = words[0]
    if len(words) > 1:
        return (
            token.pos_ in COMMON_POS
            and token.is_sent_start
            and not any(starts_upper(word.text) for word in words[1:])
            and not lexicons.is_generic_head(token.lower_)
        )
    if fold(token.text) in lexicons.not_names or token.pos_ in NOT_NAME_POS:
        return True
    # A noun or adjective opening a sentence is capitalised for that reason alone.
    return token.pos_ in COMMON_POS and not token.text.isupper() and token.is_sent_start


def label_by_lexicon(words: list[Token], phrase: str, label: str, lexicons: EntityLexicon) -> tuple[str, str]:
    """(label, evidence): labels the guidelines settle by what the name is, whatever the
    model said, are SETTLED; otherwise the model's label stands."""
    first, last = words[0].lower_, words[-1].lower_
    if lexicons.is_known_name(phrase):
        return "ORG", SETTLED
    # Countries, continents, blocs, regions: a place, also where it stands for its
    # government or its team (GUIDELINES §1), and before a demonym of the same spelling
    # (`l'Argentine`); a person's name only when the model says so.
    if lexicons.is_surely_place(phrase) and label != "PER":
        return "LOC", SETTLED
    if is_demonym(words, phrase, lexicons):
        return "MISC", SETTLED
    if len(words) > 1 and first in lexicons.institutions and words[0].text[:1].isupper() and not words[0].is_sent_start:
        return "ORG", SETTLED
    if first in lexicons.street_words or (first in lexicons.place_heads and len(words) > 1):
        return "LOC", SETTLED
    if first in lexicons.misc_heads or first in lexicons.event_heads or (first in lexicons.eponym_heads and len(words) > 1):
        return "MISC", SETTLED
    if len(words) == 1 and lexicons.is_given_name(phrase):
        return "PER", SETTLED
    if len(words) > 1 and (words[0].text in lexicons.team_words or words[-1].text in lexicons.team_words):
        return "ORG", SETTLED
    if len(words) > 1 and (first in lexicons.org_heads or last in lexicons.media_tails):
        return "ORG", SETTLED
    # A lone capitalised institution word (`le Sénat`, `la Cour`) is the institution.
    if len(words) == 1 and first in lexicons.institutions and words[0].text[:1].isupper():
        return "ORG", SETTLED
    # A lone institution word (`le Congrès`) is no event or product.
    if label == "MISC" and first in lexicons.org_heads:
        return "ORG", MODEL
    return label, MODEL


def label_by_lead(lead: Lead, words: list[Token], label: str, lexicons: EntityLexicon) -> str:
    """What the skipped words say about the name that follows them."""
    if lead.titled and lead.complement and label == "PER":
        # `Premier ministre de Norvège`: the complement of a title is a place, not the person.
        return "LOC"
    if lead.person_head and len(words) == 1:
        return "PER"
    if lead.titled and not lead.complement and len(words) > 1 and lexicons.is_given_name(words[0].text):
        # `le Premier ministre Jean Castex`, which the model may call MISC: a title, then a first name
        return "PER"
    return label


def clean_piece(tokens: list[Token], text: str, start: int, end: int, label: str, lexicons: EntityLexicon) -> list[NameMention]:
    """The mention one line of a model span (tokens[start:end]) stands for, if any: none
    for a job title or a common word."""
    start_char, end_char = chars_of(tokens, start, end)
    if lexicons.is_known_name(text[start_char:end_char]):
        return [NameMention(start_char, end_char, "ORG", text[start_char:end_char], SETTLED)]
    lead = skip_lead(tokens, start, end, label, lexicons)
    end = skip_tail(tokens, lead.start, end, lexicons)
    if end <= lead.start:
        return []
    words = tokens[lead.start : end]
    if is_job_title(words, lead, lexicons):
        return []
    start_char, end_char = chars_of(tokens, lead.start, end)
    phrase = text[start_char:end_char]
    label, evidence = label_by_lexicon(words, phrase, label_by_lead(lead, words, label, lexicons), lexicons)
    if not (label == "MISC" and is_demonym(words, phrase, lexicons)) and is_common_word(words, lexicons):
        return []
    start_char, end_char = trimmed_chars(text, start_char, end_char)
    name = text[start_char:end_char]
    # A single letter is an abbreviation (`5.000 F`, `phase V`), never a name.
    if len(name) < 2 or not any(char.isupper() for char in name):
        return []
    return [NameMention(start_char, end_char, label, name, evidence)]


# A hyphenated run of capitalised words (`Paris-Nantes`, `Lyon-Saint-Étienne`): one
# place, or the places a route joins.
HYPHENATED_NAMES = re.compile(r"(?<![\w-])(?:(?:Saint|Sainte|St|Ste)-)?[A-ZÀ-ÖØ-Þ][\w'’]+(?:-(?:(?:Saint|Sainte|St|Ste)-)?[A-ZÀ-ÖØ-Þ][\w'’]+)+(?![\w-])")
# Part of every match above. A pattern that opens with a literal is searched for quickly;
# one that opens with a lookbehind is tried at every character of the text.
HYPHEN_BEFORE_CAPITAL = re.compile(r"-[A-ZÀ-ÖØ-Þ]")
PAIR_PART = re.compile(r"(?:(?:Saint|Sainte|St|Ste)-)?[A-ZÀ-ÖØ-Þ][\w'’]+")
WORD = re.compile(r"[\w-]+['’]?")


def word_before(text: str, start: int, skipped: frozenset[str] = LEADING_ARTICLES) -> str:
    """The lowercased word before ``start`` in its line, determiners skipped.

    The line is read back from ``start`` a stretch at a time, each cut just after a
    space, which no word holds: a paragraph is one line, and its head is rarely needed."""
    line_start = text.rfind("\n", 0, start) + 1
    end = start
    while end > line_start:
        space = text.rfind(" ", line_start, max(line_start, end - 40))
        cut = space + 1 if space >= 0 else line_start
        words = [word.lower() for word in WORD.findall(text, cut, end)]
        while words and words[-1] in skipped:
            words.pop()
        if words:
            return words[-1]
        end = cut
    return ""


def route_places(text: str, mentions: list[NameMention], lexicons: EntityLexicon) -> list[NameMention]:
    """`ligne Paris-Nantes`, `sens Nancy-Écuelle`, `un Nantes-Paris` where both are places
    of the document: a hyphenated pair of places is a route naming each of them, not
    one place. The model tags such pairs whole or cuts them at the hyphen."""
    places = {mention.text for mention in mentions if mention.label == "LOC"}
    result = list(mentions)
    for match in HYPHENATED_NAMES.finditer(text) if HYPHEN_BEFORE_CAPITAL.search(text) else ():
        inside = [m for m in result if m.start < match.end() and match.start() < m.end]
        if not inside or any(m.label != "LOC" for m in inside):
            continue
        parts = list(PAIR_PART.finditer(match.group()))
        is_route = word_before(text, match.start()) in lexicons.route_words
        if not (is_route or all(part.group() in places for part in parts)):
            continue
        result = [m for m in result if m not in inside]
        result += [NameMention(match.start() + part.start(), match.start() + part.end(), "LOC", part.group(), SETTLED) for part in parts]
        places.update(part.group() for part in parts)
    return result


def repeated_mentions(text: str, mentions: list[NameMention], lexicons: EntityLexicon) -> list[NameMention]:
    """Other occurrences of a name the document already marked somewhere: the model
    misses some repeats (`Stoltenberg` in one sentence, not in the next)."""
    taken = [(mention.start, mention.end) for mention in mentions]
    found: list[NameMention] = []
    for name, label in {mention.text: mention.label for mention in reversed(mentions)}.items():
        if len(name) < 3 or fold(name) in lexicons.not_names:
            continue
        for start in standalone_occurrences(text, name):
            end = start + len(name)
            if not any(taken_start < end and start < taken_end for taken_start, taken_end in taken):
                found.append(NameMention(start, end, label, name, COPIED))
                taken.append((start, end))
    return found


def standalone_occurrences(text: str, name: str, joining: str = "-") -> Iterator[int]:
    r"""Starts of a non-empty ``name`` in ``text`` with neither a word character nor one of
    ``joining`` on either side, left to right and without overlap: the matches of
    ``(?<![\w-])NAME(?![\w-])`` (for the default), found without compiling a pattern per
    name (re keeps only 512 compiled patterns, fewer than a corpus has names)."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if (start == 0 or not is_word_character(text[start - 1], joining)) and (end == len(text) or not is_word_character(text[end], joining)):
            yield start
            start = text.find(name, end)
        else:
            start = text.find(name, start + 1)


# `Elhamma d'Alger`: a name followed by the one-word place it is in.
LOCATED_NAME = re.compile(r"^(?P<name>.*\S)\s+(?:de\s+|du\s+|d['’])(?P<place>[A-ZÀ-ÖØ-Þ][\w'’-]*)$")


def located_names(vocab: Vocab, mentions: list[NameMention]) -> list[NameMention]:
    """`centrale Elhamma d'Alger`, `société CSIA de Pont-à-Mousson`, `hôpital Jeanne-d'Arc
    de Toul`: a name of its own followed by where it is, two names. A name of its own
    ends with a word the model's vocabulary does not know lowercased; a common word
    there makes the place part of the name (`Banque de France`, `Territoire de Belfort`)."""
    result = []
    for mention in mentions:
        match = LOCATED_NAME.match(mention.text) if mention.label != "PER" else None
        last = match["name"].split()[-1] if match else ""
        if not (match and starts_upper(last) and not vocab.has_vector(last.lower())):
            result.append(mention)
            continue
        result.append(NameMention(mention.start, mention.start + match.end("name"), mention.label, match["name"], mention.evidence))
        result.append(NameMention(mention.start + match.start("place"), mention.end, "LOC", match["place"], SETTLED))
    return result


# After an institution: `de` and a capitalised name, or its own words up to its acronym.
INSTITUTION_PLACE = re.compile(r"(?:\s+(?:de|du|des)\s+|\s+d['’])(?P<name>[A-ZÀ-ÖØ-Þ][\w'’-]*)")
INSTITUTION_ACRONYM = re.compile(r"(?P<words>(?:\s+[\w'’-]+){1,6}?)\s+\((?P<acronym>[A-Z]{2,8})\)")


def institutions_with_adjectives(tokens: list[Token], text: str, mentions: list[NameMention], lexicons: EntityLexicon) -> list[NameMention]:
    """`Conseil constitutionnel`, `Église catholique`: the model may stop the name at a capitalised
    institution word written alone, before the lowercase adjectives that belong to it. A
    nationality is none of them, and leaves a span the model ran over it (`le Sénat américain` is
    the Sénat: GUIDELINES §1 keeps lowercase adjectives out)."""
    starts = [token.idx for token in tokens]
    result = []
    for mention in mentions:
        position = bisect_left(starts, mention.start)
        words = mention.text.split()
        if mention.label != "ORG" or words[0].lower() not in lexicons.institutions or position >= len(tokens) or tokens[position].idx != mention.start:
            result.append(mention)
            continue
        end = bisect_left(starts, mention.end)
        if len(words) == 1:
            while end < len(tokens) and tokens[end].pos_ == "ADJ" and tokens[end].text.islower() and tokens[end].head.i == position and not is_nationality(tokens[end].text, lexicons):
                end += 1
        else:
            while end > position + 1 and tokens[end - 1].text.islower() and is_nationality(tokens[end - 1].text, lexicons):
                end -= 1  # `Sénat américain`, `Parlement russe`: the Sénat, the Parlement
        last = tokens[end - 1]
        stop = last.idx + len(last.text)
        result.append(mention if stop == mention.end else NameMention(mention.start, stop, "ORG", text[mention.start : stop], mention.evidence))
    return result


def is_nationality(word: str, lexicons: EntityLexicon) -> bool:
    """A lowercase adjective of nationality (`américain`, `russe`): a demonym's spelling."""
    return word.capitalize() in lexicons.demonyms and word not in lexicons.institution_adjectives


def completed_institutions(text: str, mentions: list[NameMention], lexicons: EntityLexicon) -> list[NameMention]:
    """`Parlement du Pays de Galles`, `Conseil représentatif des institutions juives de
    France`, `Conseil français du culte musulman (CFCM)`: the model stops the name of a
    capitalised institution early. It runs on over `de` and the place that follows it
    (a place mention or a capitalised word no mention holds), and over the words its
    acronym in brackets says belong to it."""
    result = sorted(mentions, key=lambda mention: mention.start)
    for index, mention in enumerate(result):
        if mention.label != "ORG":
            continue
        following = result[index + 1] if index + 1 < len(result) else None
        end = mention.end
        acronym = INSTITUTION_ACRONYM.match(text, end)
        place = INSTITUTION_PLACE.match(text, end)
        if acronym and acronym_of(mention.text + acronym["words"]) == acronym["acronym"]:
            end = acronym.end("words")
        elif place and mention.text[:1].isupper() and mention.text.split()[0].lower() in lexicons.org_heads:
            if following is not None and following.start == place.start("name") and following.label == "LOC":
                end = following.end
            elif following is None or following.start >= place.end("name"):
                end = place.end("name")
        if end != mention.end:
            result[index] = NameMention(mention.start, end, "ORG", text[mention.start : end], mention.evidence)
    merged = [(mention.start, mention.end) for mention in result if mention.label == "ORG"]
    return [m for m in result if m.label == "ORG" or not any(start <= m.start and m.end <= end for start, end in merged)]


# `ALN (Armée de libération nationale)` and `Front de libération nationale (FLN)`.
ACRONYM_THEN_BRACKETS = re.compile(r"(?<![\w-])(?P<acronym>[A-Z][A-Z&]{1,7})\s+\((?P<words>[A-ZÀ-ÖØ-Þ][^()\n]{2,150}?)\)")
BRACKETED_ACRONYM = re.compile(r"\s+\((?P<acronym>[A-Z][A-Z&]{1,7})\)")
EXPANSION_WORD = re.compile(r"[\w-]+")


def acronym_expansions(text: str, mentions: list[NameMention], lexicons: EntityLexicon) -> list[NameMention]:
    """The long form a document gives for an acronym, beside it in brackets, is one name
    (however the model cut it: `Armée` here, `Libération` there), with the acronym's
    entity label: the label its generic word settles (`Accord commercial...` MISC), a
    place's (`République démocratique du Congo`), else the one the model gave most to
    the pieces of both (a person's aside: initials are no person), else an organisation's. The acronym
    takes that label too, and links to the long form in ``resolve`` (its initials)."""
    found: list[tuple[int, int, int, int]] = []  # long form start, end; acronym start, end
    for match in ACRONYM_THEN_BRACKETS.finditer(text) if "(" in text else ():
        if acronym_of(match["words"]) == match["acronym"].replace("&", ""):
            found.append((match.start("words"), match.end("words"), match.start("acronym"), match.end("acronym")))
    for match in BRACKETED_ACRONYM.finditer(text) if "(" in text else ():
        start = long_form_before(text, match.start(), match["acronym"].replace("&", ""))
        if start is not None:
            found.append((start, match.start(), match.start("acronym"), match.end("acronym")))
    if not found:
        return mentions
    result = list(mentions)
    for start, end, acronym_start, acronym_end in found:
        words = text[start:end]
        pieces = Counter(m.label for m in result if m.label != "PER" and (start < m.end and m.start < end or (m.start, m.end) == (acronym_start, acronym_end)))
        label = label_of_long_form(words, lexicons) or (_majority(pieces, "ORG") if pieces else "ORG")
        result = [m for m in result if m.end <= start or end <= m.start]
        result = [m for m in result if not (m.start == acronym_start and m.end == acronym_end)]
        result.append(NameMention(start, end, label, words, SETTLED))
        result.append(NameMention(acronym_start, acronym_end, label, text[acronym_start:acronym_end], SETTLED))
    return result


def long_form_before(text: str, end: int, acronym: str) -> int | None:
    """Start of the fewest words before ``end`` (in its line) whose initials are
    ``acronym`` and whose first word is capitalised, if any."""
    line_start = text.rfind("\n", 0, end) + 1
    words = list(EXPANSION_WORD.finditer(text, max(line_start, end - 200), end))
    for first in reversed(words[-3 * len(acronym) :]):
        phrase = text[first.start() : end]
        if phrase[:1].isupper() and acronym_of(phrase) == acronym:
            return first.start()
    return None


def label_of_long_form(words: str, lexicons: EntityLexicon) -> str | None:
    """The label the words of a long form settle, if they do."""
    first = words.split()[0].lower()
    if lexicons.is_surely_place(words):
        return "LOC"
    if first in lexicons.misc_heads:
        return "MISC"
    if first in lexicons.org_heads:
        return "ORG"
    return None


# `ministère de l'`, `ministère des`: the generic word of a ministry before its domain.
MINISTRY_BEFORE = re.compile(r"(?<![\w-])[Mm]inistère\s+(?:de\s+la\s+|de\s+l['’]|des\s+|du\s+|de\s+)$")


def job_domains_after_titles(text: str, mentions: list[NameMention], lexicons: EntityLexicon) -> list[NameMention]:
    """`la secrétaire à l'Intérieur (Environnement)`: the domain of a title, however the
    model tagged it, is not a name (GUIDELINES: words inside a job title). After
    `ministère`, it names the ministry, which is an organisation with its generic word
    (`ministère de l'Intérieur`)."""
    skipped = LEADING_ARTICLES | PREPOSITIONS
    result = []
    for mention in mentions:
        ministry = MINISTRY_BEFORE.search(text, max(0, mention.start - 20), mention.start)
        if ministry:
            result.append(NameMention(ministry.start(), mention.end, "ORG", text[ministry.start() : mention.end], SETTLED))
        elif not (
            mention.text.lower() in lexicons.job_domains
            and (word_before(text, mention.start, skipped) in lexicons.titles or word_before(text, mention.start, skipped) in lexicons.job_domains)
        ):
            result.append(mention)
    return result


# French place names joined by `-sur-`, `-sous-`, `-lès-`, `-en-`, `-aux-`, `-le-`...
# (`Haréville-sous-Montfort`, `BAR-LE-DUC`, `Pont-à-Mousson`).
PLACE_LINK = r"-(?i:sur|sous|lès|lez|en|aux|au|à|le|la|les)-"
COMPOUND_PLACE = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[\w'’]+)*" + PLACE_LINK + r"[^\W\d_][\w'’-]*")
# Searched first, as HYPHEN_BEFORE_CAPITAL is: few texts have one.
HAS_PLACE_LINK = re.compile(PLACE_LINK)


def compound_places(text: str, mentions: list[NameMention]) -> list[NameMention]:
    """A word shaped like a French commune name is a place: added where the model missed
    it, relabelled where the model took it for something else."""
    result = list(mentions)
    for match in COMPOUND_PLACE.finditer(text) if HAS_PLACE_LINK.search(text) else ():
        inside = [m for m in result if m.start < match.end() and match.start() < m.end]
        if not inside:
            result.append(NameMention(match.start(), match.end(), "LOC", match.group(), SETTLED))
        elif len(inside) == 1 and (inside[0].start, inside[0].end) == match.span():
            result[result.index(inside[0])] = NameMention(match.start(), match.end(), "LOC", match.group(), SETTLED)
    return result


LOWERCASE_WORD = re.compile(r"(?<![\w'’-])[a-zà-öø-ÿœ][\w'’-]*")


def is_written_in_lowercase(text: str, word: str) -> bool:
    """``word`` is a LOWERCASE_WORD match of ``text``: looked for where needed rather
    than every lowercase word of the text listed."""
    return LOWERCASE_WORD.fullmatch(word) is not None and next(standalone_occurrences(text, word, "-'’"), None) is not None


# A capitalised article right before a name.
ARTICLE_BEFORE = re.compile(r"(?<![\w'’])(?:(?:Le|La|Les) |L['’])$")
# What may stand between a sentence's start and its first word.
SENTENCE_OPENING = re.compile(r"(?:^|[.!?:]|\n)[\s«»\"“”'’(_–—-]*$")


def capitalised_common_words(text: str, mentions: list[NameMention], lexicons: EntityLexicon) -> list[NameMention]:
    """`Déchetterie fermée.`, `SONDAGE.`, `Tournoi de boules annulé`: headlines and
    sentence openings the model takes for names. A word the document also writes in
    lowercase is a common word wherever its capital has another reason: the start of a
    sentence, or capitals throughout. The phrase must be common words all through, and
    generic heads of institutions, events and streets keep their names."""
    return [m for m in mentions if not is_capitalised_common_phrase(text, m, lexicons)]


def is_capitalised_common_phrase(text: str, mention: NameMention, lexicons: EntityLexicon) -> bool:
    first, *rest = mention.text.split()
    if len(first) < 4 or lexicons.is_generic_head(first.lower()) or not is_written_in_lowercase(text, first.lower()):
        return False
    if mention.text.isupper():
        return True
    line_start = text.rfind("\n", 0, mention.start)
    opens_sentence = SENTENCE_OPENING.search(text, max(line_start, 0), mention.start)
    return not any(starts_upper(word) for word in rest) and opens_sentence is not None


# A place preposition right before a name, and the word before it (`née à`, `maire de`).
PLACE_PREPOSITION_BEFORE = re.compile(r"(?:(?P<word>[\w-]+)\s+)?(?<![\w'’])(?:à|en|de|d['’])\s*$")


def places_taken_for_people(text: str, mentions: list[NameMention], lexicons: EntityLexicon) -> list[NameMention]:
    """Villages and towns the model takes for people (`née à Cintrey`, `à Lorient`): a
    one-word "person" that is never part of a full name in the document and is no given
    name is a place, in every mention, when it follows a place preposition in each of
    them, or once when the gazetteer knows it as a place or the word before the
    preposition introduces one (`née à`, `habitant de`, `maire de`). A preposition now
    and then is no evidence: people are spoken to and of (`a écrit à Durand`, `le fils
    de Martin`), and a person is also the subject or object of verbs."""
    surnames = {word for mention in mentions if mention.label == "PER" for word in name_words(mention.text)[1:]}
    after_preposition: dict[str, list[bool]] = defaultdict(list)
    evidence = set()
    for mention in mentions:
        name = mention.text
        if mention.label != "PER" or " " in name or fold(name) in surnames or lexicons.is_given_name(name):
            continue
        before = PLACE_PREPOSITION_BEFORE.search(text, max(0, mention.start - 40), mention.start)
        after_preposition[name].append(before is not None)
        if before and (lexicons.place_kind(name) is not None or (before["word"] or "").lower() in lexicons.place_introducers):
            evidence.add(name)
    places = evidence | {name for name, flags in after_preposition.items() if all(flags)}
    return [NameMention(m.start, m.end, "LOC", m.text, SETTLED) if m.text in places and m.label == "PER" else m for m in mentions]


def articles_of_names(text: str, mentions: list[NameMention]) -> list[NameMention]:
    """`La Poste a annoncé...` then `selon La Poste`: at a sentence's start a capital says
    nothing about the article, so the name keeps it when the document writes it
    capitalised inside a sentence too (GUIDELINES §4: `Le Monde`, `La Poste`)."""
    with_article = {m.text for m in mentions if m.text.split(maxsplit=1)[0] in CAPITALISED_ARTICLES or m.text.startswith(("L'", "L’"))}
    if not with_article:
        return mentions
    result = []
    for m in mentions:
        article = ARTICLE_BEFORE.search(text, max(0, m.start - 4), m.start)
        whole = text[article.start() : m.end] if article else None
        result.append(NameMention(article.start(), m.end, m.label, whole, m.evidence) if whole in with_article else m)
    return result


def dateline_places(text: str, mentions: list[NameMention], lexicons: EntityLexicon) -> list[NameMention]:
    """`PARIS.- Jean Dupont...`: a name the gazetteer knows, right before a dateline's `.-`,
    is the place the article was written in, whatever label the model gave the span."""
    return [
        NameMention(m.start, m.end, "LOC", m.text, SETTLED)
        if text.startswith(DATELINE_ENDS, m.end) and lexicons.place_kind(m.text) is not None
        else m
        for m in mentions
    ]


@dataclass(frozen=True)
class WordBefore:
    """A name right after one of ``words`` (read past ``skipped`` ones) is labelled ``label``
    when the model gave it one of ``relabelled``."""

    words: frozenset[str]
    skipped: frozenset[str]
    relabelled: frozenset[str]
    label: str


def labels_from_word_before(text: str, mentions: list[NameMention], lexicons: EntityLexicon) -> list[NameMention]:
    """The word right before a name says what it names, even when the model says otherwise: a
    building word a building, a place (`bâtiment Les Etourneaux`, `l'ex-hôtel Adriatik`); an
    honorific, past a particle, a person (`M. de Villepin`, `Mme Aubry`); a storm noun a storm
    (`l'ouragan Sandy`, `la tempête tropicale Isaac`)."""
    rules = (
        WordBefore(lexicons.buildings, frozenset(), frozenset({"PER", "MISC"}), "LOC"),
        WordBefore(lexicons.honorifics, PREPOSITIONS, frozenset(LABELS) - {"PER"}, "PER"),
        WordBefore(lexicons.storm_words, frozenset(), frozenset(LABELS) - {"MISC"}, "MISC"),
    )
    result = []
    for mention in mentions:
        for rule in rules:
            if mention.label in rule.relabelled and word_before(text, mention.start, rule.skipped).removeprefix("ex-") in rule.words:
                mention = NameMention(mention.start, mention.end, rule.label, mention.text, SETTLED)
        result.append(mention)
    return result


def doc_mentions(doc: Doc, text: str, lexicons: EntityLexicon) -> list[NameMention]:
    """Clean mentions of a parsed document of ``text``, in text order. (The caller has the
    text: ``Doc.text`` would rebuild it token by token.)"""
    # Indexing a Doc makes a new Token each time: the rules below read tokens around
    # every span many times over, so the document's tokens are made once.
    tokens = list(doc)
    mentions = [
        mention
        for ent in doc.ents
        if ent.label_ in LABELS
        for start, end in name_pieces(tokens, ent.start, with_surname_particle(tokens, with_name_joiners(tokens, ent.end), ent.label_))
        for mention in clean_piece(tokens, text, with_generic_head(tokens, with_particle(tokens, start, ent.label_), end, lexicons, ent.label_), end, ent.label_, lexicons)
    ]
    mentions = institutions_with_adjectives(tokens, text, located_names(doc.vocab, mentions), lexicons)
    mentions = acronym_expansions(text, completed_institutions(text, mentions, lexicons), lexicons)
    mentions = route_places(text, job_domains_after_titles(text, compound_places(text, mentions), lexicons), lexicons)
    mentions += repeated_mentions(text, mentions, lexicons)
    mentions = places_taken_for_people(text, capitalised_common_words(text, mentions, lexicons), lexicons)
    mentions = articles_of_names(text, dateline_places(text, labels_from_word_before(text, mentions, lexicons), lexicons))
    return sorted(mentions, key=lambda mention: (mention.start, mention.end))


# -- canonical names within a document -------------------------------------------------

# Resolving compares every mention with every other one of its document: the same few
# names are folded over and over, so their folded forms are cached (bounded).
@lru_cache(maxsize=8192)
def name_words(text: str) -> tuple[str, ...]:
    return tuple(fold(text).replace("-", " ").split())


@lru_cache(maxsize=8192)
def acronym_of(text: str) -> str:
    """Initials of the content words: `Organisation du traité de l'Atlantique nord` -> `OTAN`,
    `Standard & Poor's` -> `S&P` (an elided article is no word of its own, a possessive no
    initial)."""
    words = ELIDED.sub(r"\1 ", fold(text).replace("-", " ")).split()
    return "".join(word[0] for word in words if word not in ACRONYM_SKIPPED).upper()


def is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 8 and text.isalpha() and text.isupper()


def contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    size = len(shorter)
    return size < len(longer) and any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def ends_with(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """`Raffarin` ends `Jean-Pierre Raffarin`: a surname, whatever label the model gave it."""
    return longer[-len(shorter) :] == shorter


def starts_with(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    return len(shorter) < len(longer) and longer[: len(shorter)] == shorter


def names_person(partial: tuple[str, ...], label: str, full: tuple[str, ...]) -> bool:
    """A person's full name and a part of it: the surname, with its particle or not
    (`Villiers`, `de Villiers` of `Philippe de Villiers`), whatever label the model gave
    it; the given name or any inner part when the model took it for a person (`Michel`
    of `Michel Durand`) or a thing (MISC)."""
    return contains(full, partial) and (ends_with(full, partial) or label in ("PER", "MISC"))


def names_organisation(partial: tuple[str, ...], label: str, full: tuple[str, ...]) -> bool:
    """`Fitch` of `Fitch Ratings`: an organisation's leading words, said alone."""
    return starts_with(full, partial) and label != "LOC"


def fullest_names(mentions: list[NameMention]) -> list[NameMention]:
    """The fullest mention of the same entity for each mention (the mention → entity step
    of Muzny et al.'s sieve): a full name for a partial one (`names_person`,
    `names_organisation`), a long form for an acronym (its initials). Where the partial
    fits several entities (two Michels), the nearest mention before it decides, else the
    nearest after.

    A mention's candidates depend on its name words, its label and its acronym only, so
    they are gathered once for each distinct three (see _fullest_choice): a long article
    names the same people thousands of times, and comparing every mention with every other
    would take time growing with the square of their number."""
    named = [(other, name_words(other.text)) for other in mentions if other.label in ("PER", "ORG")]
    choices: dict[tuple[tuple[str, ...], str, str | None], Callable[[NameMention], NameMention]] = {}
    fullest = []
    for mention in mentions:
        acronym = mention.text.replace("&", "")
        key = (name_words(mention.text), mention.label, acronym if is_acronym(acronym) else None)
        if key not in choices:
            choices[key] = _fullest_choice(*key, mentions, named)
        fullest.append(choices[key](mention))
    return fullest


def _fullest_choice(
    words: tuple[str, ...], label: str, acronym: str | None, mentions: list[NameMention], named: list[tuple[NameMention, tuple[str, ...]]]
) -> Callable[[NameMention], NameMention]:
    """mention -> its fullest mention, for the mentions of these name words, label and
    acronym. No mention is among its own candidates: a name never contains itself (the
    containment is strict), and an acronym is never its own initials (one word, one letter).

    ``named`` are the PER and ORG mentions of ``mentions`` with their name words."""
    candidates = [
        other
        for other, other_words in named
        if (names_person if other.label == "PER" else names_organisation)(words, label, other_words)
    ]
    if acronym is not None:
        candidates += [other for other in mentions if acronym_of(other.text).replace("&", "") == acronym]
    if not candidates:
        return lambda mention: mention
    # A partial the model labelled like one entity's name belongs to that one first.
    candidates = [other for other in candidates if other.label == label] or candidates
    if len({name_words(other.text) for other in candidates}) > 1:
        # Sorting is stable: of candidates with the same start, the first found comes first.
        ordered = sorted(candidates, key=lambda other: other.start)
        starts = [other.start for other in ordered]

        def nearest(mention: NameMention) -> NameMention:
            after = bisect_right(starts, mention.start)
            return ordered[bisect_left(starts, starts[after - 1])] if after else ordered[0]

        return nearest
    longest = max(candidates, key=lambda other: len(other.text))
    return lambda mention: longest


def resolve(mentions: list[NameMention]) -> list[tuple[NameMention, str]]:
    """(mention with its entity's label, canonical name) for every mention.

    An entity's label is the one a lexicon or the gazetteer settled for one of its
    mentions, else the one most of the model's own labels for its mentions give (the
    fullest mention's on a tie): a city the model once took for an organisation gets the
    label of its other mentions. Copies of a name and partial names have no say, and no
    vote overrules a settled label. A partial name takes its entity's label.
    """
    fullest = fullest_names(mentions)
    # Many mentions share a fullest name: each name is folded once.
    folded = {text: fold(text) for text in {full.text for full in fullest}}
    votes: dict[str, dict[str, Counter]] = defaultdict(lambda: {SETTLED: Counter(), MODEL: Counter()})
    for mention, full in zip(mentions, fullest):
        # A partial name's model label is a guess about the part alone (`Fitch` PER).
        if mention.evidence == SETTLED or (mention.evidence == MODEL and fold(mention.text) == folded[full.text]):
            votes[folded[full.text]][mention.evidence][mention.label] += 1
    resolved = []
    for mention, full in zip(mentions, fullest):
        entity = votes[folded[full.text]]
        if full is not mention and full.label == "PER":
            label = "PER"
        elif entity[SETTLED] or entity[MODEL]:
            label = _majority(entity[SETTLED] or entity[MODEL], full.label)
        else:
            label = full.label
        resolved.append((NameMention(mention.start, mention.end, label, mention.text, mention.evidence), full.text))
    return resolved


def _majority(counts: Counter, tie_break: str) -> str:
    best = max(counts.values())
    return tie_break if counts[tie_break] == best else next(label for label, count in counts.most_common() if count == best)
