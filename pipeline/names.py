"""Folding names into keys that stay the same across documents.

Shared by every stage that groups mentions: the entity stage builds ``entity_key`` with
it, the quote stage uses it for speakers.
"""
from __future__ import annotations

import unicodedata

APOSTROPHES = "’‘ʼ`´′"
_APOSTROPHE_TABLE = str.maketrans({mark: "'" for mark in APOSTROPHES})
_DASHES = [*range(0x2010, 0x2016), 0x2212]


class _AccentsAndDashes(dict):
    """A ``str.translate`` table that drops combining marks and writes dashes as `-`.

    Which characters are combining marks is asked of ``unicodedata`` the first time each
    character is met, so translating stays in C without a table of all of Unicode."""

    def __missing__(self, code: int) -> int | None:
        kept = self[code] = None if unicodedata.combining(chr(code)) else code
        return kept


_ACCENTS_AND_DASHES = _AccentsAndDashes.fromkeys(_DASHES, ord("-"))


def fold(name: str) -> str:
    """Case, accents, apostrophes, dashes and spacing folded: ``L’Élysée `` -> ``l'elysee``."""
    # Apostrophes go first: NFKD would split `´` into a space and a combining accent.
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHE_TABLE)).translate(_ACCENTS_AND_DASHES)
    return " ".join(text.split()).casefold()


def entity_key(label: str, canonical: str) -> str:
    """``PER`` + ``Jens Stoltenberg`` -> ``PER:jens stoltenberg``."""
    return f"{label}:{fold(canonical)}"
