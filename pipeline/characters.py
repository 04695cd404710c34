"""What a regular expression's ``\\w`` matches, for code that checks word edges by hand
(a string search then a look at the characters around it) instead of running a regex."""
from __future__ import annotations


def is_word_character(character: str, joining: str = "") -> bool:
    r"""What ``[\w...]`` matches, ``joining`` in place of the dots: for re on str, \w is
    what str.isalnum() accepts, and `_`."""
    return character.isalnum() or character == "_" or character in joining
