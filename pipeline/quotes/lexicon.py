"""The quote stage's word lists, read once from configs/lexicons/ (see [quotes] in default.toml)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pipeline.config import Settings


# Endings of the first group (-er) on the stem: indicative present, imperfect, simple past and
# future, the participles. Mute endings (-e, -es, -ent) may turn a stem's last « é » or « e » into
# « è » (« répète », « relève ») or double an « l » or « t » (« appelle »); « c » is « ç » and « g »
# is « ge » before « a » and « o » (« lança », « interrogeant »).
FIRST_GROUP_ENDINGS = (
    "e", "es", "ent", "ons", "ez", "ais", "ait", "aient", "ions", "iez", "ai", "as", "a", "âmes",
    "âtes", "èrent", "erai", "eras", "era", "erons", "erez", "eront", "é", "ée", "és", "ées", "ant",
)
MUTE_ENDINGS = frozenset({"e", "es", "ent", "erai", "eras", "era", "erons", "erez", "eront"})


def first_group_forms(stem: str) -> set[str]:
    forms = set()
    for ending in FIRST_GROUP_ENDINGS:
        base = stem
        if stem.endswith("c") and ending[0] in "aâo":
            base = stem[:-1] + "ç"
        if stem.endswith("g") and ending[0] in "aâo":
            base = stem + "e"
        forms.add(base + ending)
        if ending in MUTE_ENDINGS:
            accented = re.sub(r"[ée]([^aeiouyéèêâîôû]+)$", r"è\1", base)
            forms.add(accented + ending)
            if re.search(r"e[lt]$", base):  # « appelle », « rejette »
                forms.add(base + base[-1] + ending)
    return forms


def _phrases_pattern(phrases: list[str]) -> re.Pattern[str]:
    """Any of ``phrases`` as whole words, case folded, with either apostrophe and any spaces."""
    def pattern(phrase: str) -> str:
        return r"\s+".join(re.escape(word) for word in phrase.split()).replace("'", r"['’]\s*")

    return re.compile(r"(?<!\w)(?:" + "|".join(map(pattern, phrases)) + r")(?!\w)", re.IGNORECASE)


def _office_titles(table: dict[str, list[str]], function_words: set[str]) -> dict[frozenset[str], tuple[frozenset[str], ...]]:
    """« chef de l'État » -> ({président}, {roi}, …): each phrase as the set of its content words, lowercase."""
    dropped = {word.rstrip("'’") for word in function_words}

    def content(phrase: str) -> frozenset[str]:
        return frozenset(word for word in re.split(r"[\s'’]+", phrase.lower()) if word and word not in dropped)

    return {content(office): tuple(content(title) for title in titles) for office, titles in table.items()}


@dataclass(frozen=True)
class QuoteLexicon:
    speech_verbs: frozenset[str]
    multiword: tuple[tuple[str, ...], ...]
    infinitive_content: frozenset[str]
    attribute_content: frozenset[str]
    reflexive_other_sense: frozenset[str]
    small_clause_verbs: frozenset[str]
    form_lemmas: dict[str, str]
    noun_forms: dict[str, str]
    person_roles: frozenset[str]
    honorifics: frozenset[str]
    pronoun_number: dict[str, str]
    quantities: frozenset[str]
    anaphoric: frozenset[str]
    not_sources: frozenset[str]
    human_nouns: frozenset[str]
    organisation_nouns: frozenset[str]
    organisation_anaphors: frozenset[str]
    speaks_for_owner: frozenset[str]
    document_nouns: frozenset[str]
    media_nouns: frozenset[str]
    role_prefixes: tuple[str, ...]
    pronoun_gender: dict[str, str]
    honorific_gender: dict[str, str]
    # « selon », « d'après »…, and the press's phrases that work like them (« a-t-on appris auprès »)
    source_prepositions: re.Pattern[str]
    source_phrases: dict[str, str]
    inverted_subject_clitics: frozenset[str]
    negation: frozenset[str]
    modals: frozenset[str]
    undertaking_verbs: frozenset[str]
    undertaking_when_negated: frozenset[str]
    compound_que_heads: frozenset[str]
    selon_relatives: frozenset[str]
    first_person: frozenset[str]
    possessive_determiners: frozenset[str]
    of_words: frozenset[str]
    bare_of_words: frozenset[str]
    demonstratives: frozenset[str]
    pointing_back: frozenset[str]
    latest_named: dict[str, str]
    proximal_pronouns: dict[str, str]
    # the content words of an office's description -> the content words of each of its titles
    office_titles: dict[frozenset[str], tuple[frozenset[str], ...]]

    @cached_property
    def agent_nouns(self) -> frozenset[str]:
        """Common nouns that may head a speaker: people, groups, organisations, documents, media."""
        return self.person_roles | self.human_nouns | self.organisation_nouns | self.publications

    def is_agent_noun(self, word: str) -> bool:
        """A noun of the agent lexicons, maybe with a role prefix (« co-auteur », « ex-ministre »)."""
        if word in self.agent_nouns:
            return True
        prefix = next((prefix for prefix in self.role_prefixes if word.startswith(prefix)), None)
        return prefix is not None and word[len(prefix) :] in self.agent_nouns

    @cached_property
    def publications(self) -> frozenset[str]:
        """Documents and media: what people and organisations speak through."""
        return self.document_nouns | self.media_nouns

    @cached_property
    def definite_determiners(self) -> frozenset[str]:
        """Determiners of a noun phrase that names one known speaker: the definite and
        demonstrative ones a noun points back with, and the possessives."""
        return self.pointing_back | self.possessive_determiners

    def source_lemma(self, phrase: str) -> str:
        """The cue lemma of a matched source phrase: « selon » for the prepositions, the verb of the press's phrases."""
        written = " ".join(phrase.lower().replace("’", "'").split())
        return self.source_phrases.get(written, "selon")

    @cached_property
    def cue_lemmas(self) -> frozenset[str]:
        """Lemmas that may start a cue: a speech verb or the first word of a multiword cue."""
        return self.speech_verbs | {words[0] for words in self.multiword}

    @cached_property
    def cue_forms(self) -> frozenset[str]:
        """Lowercase forms that may stand for a speech verb (the fallback tables, the inflections)."""
        return frozenset(self.form_lemmas) | frozenset(self.noun_forms) | frozenset(self.inflections)

    @cached_property
    def inflections(self) -> dict[str, str]:
        """Form -> lemma of every indicative, participle and present-participle form of the
        first-group (-er) speech verbs: the lemmatizer leaves some of them as they are
        (« indique », « invite », « demande »); the tagger still calls them verbs."""
        forms: dict[str, str] = {}
        for lemma in sorted(self.speech_verbs):
            if lemma.endswith("er"):
                for form in first_group_forms(lemma[:-2]):
                    forms.setdefault(form, lemma)
        return forms

    @classmethod
    def from_files(cls, speech_verbs: Path, speakers: Path) -> "QuoteLexicon":
        verbs = tomllib.loads(speech_verbs.read_text(encoding="utf-8"))
        people = tomllib.loads(speakers.read_text(encoding="utf-8"))
        return cls(
            speech_verbs=frozenset(verbs["verbs"]),
            multiword=tuple(tuple(phrase.split()) for phrase in verbs.get("multiword", [])),
            infinitive_content=frozenset(verbs.get("infinitive_content", [])),
            attribute_content=frozenset(verbs.get("attribute_content", [])),
            reflexive_other_sense=frozenset(verbs.get("reflexive_other_sense", [])),
            small_clause_verbs=frozenset(verbs.get("small_clause_verbs", [])),
            form_lemmas=dict(verbs.get("form_lemmas", {})),
            noun_forms=dict(verbs.get("noun_forms", {})),
            person_roles=frozenset(people["person_roles"]),
            honorifics=frozenset(people["honorifics"]),
            pronoun_number=dict(people["pronouns"]),
            quantities=frozenset(people["quantities"]),
            anaphoric=frozenset(people["anaphoric"]),
            not_sources=frozenset(people["not_sources"]),
            human_nouns=frozenset(people["human_nouns"]),
            organisation_nouns=frozenset(people["organisation_nouns"]),
            organisation_anaphors=frozenset(people["organisation_anaphors"]),
            speaks_for_owner=frozenset(people["speaks_for_owner"]),
            document_nouns=frozenset(people["document_nouns"]),
            media_nouns=frozenset(people["media_nouns"]),
            role_prefixes=tuple(people["role_prefixes"]),
            pronoun_gender=dict(people["pronoun_gender"]),
            honorific_gender=dict(people["honorific_gender"]),
            source_prepositions=_phrases_pattern([*verbs["source_prepositions"], *verbs["source_phrases"]]),
            source_phrases={phrase.lower(): lemma for phrase, lemma in verbs["source_phrases"].items()},
            inverted_subject_clitics=frozenset(verbs["inverted_subject_clitics"]),
            negation=frozenset(verbs["negation"]),
            modals=frozenset(verbs["modals"]),
            undertaking_verbs=frozenset(verbs["undertaking_verbs"]),
            undertaking_when_negated=frozenset(verbs["undertaking_when_negated"]),
            compound_que_heads=frozenset(verbs["compound_que_heads"]),
            selon_relatives=frozenset(verbs["selon_relatives"]),
            first_person=frozenset(people["first_person"]),
            possessive_determiners=frozenset(people["possessive_determiners"]),
            of_words=frozenset(people["of_words"]),
            bare_of_words=frozenset(people["bare_of_words"]),
            demonstratives=frozenset(people["demonstratives"]),
            pointing_back=frozenset(people["pointing_back"]),
            latest_named=dict(people["latest_named"]),
            proximal_pronouns=dict(people["proximal_pronouns"]),
            office_titles=_office_titles(people["office_titles"], {*people["of_words"], *people["pointing_back"]}),
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> "QuoteLexicon":
        return cls.from_files(settings.lexicon_path("quotes", "speech_verbs"), settings.lexicon_path("quotes", "speakers"))
