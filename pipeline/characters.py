"""Classes of characters for code that looks at them one by one: what a regular
expression's ``\\w`` matches, for code that checks word edges by hand (a string search
then a look at the characters around it) instead of running a regex; what a pictograph is."""
from __future__ import annotations

import unicodedata


def is_word_character(character: str, joining: str = "") -> bool:
    r"""What ``[\w...]`` matches, ``joining`` in place of the dots: for re on str, \w is
    what str.isalnum() accepts, and `_`."""
    return character.isalnum() or character == "_" or character in joining


def is_pictograph(token: str) -> bool:
    """An emoji or another pictographic symbol (😀, 🇫🇷, ➡️, ©, ★), as a token of its own: it
    holds a character of Unicode category So (symbol, other) and no letter or digit. No
    name holds one."""
    return not any(character.isalnum() for character in token) and any(unicodedata.category(character) == "So" for character in token)
