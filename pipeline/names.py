"""Folding names into keys that stay the same across documents.

Shared by every stage that groups mentions: the entity stage builds ``entity_key`` with
it, the quote stage uses it for speakers.
"""
from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "’‘ʼ`´′"
_APOSTROPHE_TABLE = str.maketrans({mark: "'" for mark in APOSTROPHES})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")


def fold(name: str) -> str:
    """Case, accents, apostrophes, dashes and spacing folded: ``L’Élysée `` -> ``l'elysee``."""
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHE_TABLE))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text).strip().casefold()


def entity_key(label: str, canonical: str) -> str:
    """``PER`` + ``Jens Stoltenberg`` -> ``PER:jens stoltenberg``."""
    return f"{label}:{fold(canonical)}"
