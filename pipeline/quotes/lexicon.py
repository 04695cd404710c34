"""The quote stage's word lists, read once from configs/lexicons/ (see [quotes] in default.toml)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pipeline.config import Settings


@dataclass(frozen=True)
class Lexicon:
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
    pronoun_gender: dict[str, str]
    honorific_gender: dict[str, str]

    @cached_property
    def agent_nouns(self) -> frozenset[str]:
        """Common nouns that may head a speaker: people, groups, organisations, documents."""
        return self.person_roles | self.human_nouns | self.organisation_nouns | self.document_nouns

    @cached_property
    def cue_lemmas(self) -> frozenset[str]:
        """Lemmas that may start a cue: a speech verb or the first word of a multiword cue."""
        return self.speech_verbs | {words[0] for words in self.multiword}

    @cached_property
    def cue_forms(self) -> frozenset[str]:
        """Lowercase forms that may stand for a speech verb (the fallback tables)."""
        return frozenset(self.form_lemmas) | frozenset(self.noun_forms)

    @classmethod
    def from_files(cls, speech_verbs: Path, speakers: Path) -> "Lexicon":
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
            pronoun_gender=dict(people["pronoun_gender"]),
            honorific_gender=dict(people["honorific_gender"]),
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> "Lexicon":
        return cls.from_files(settings.lexicon_path("quotes", "speech_verbs"), settings.lexicon_path("quotes", "speakers"))
