"""The gender of a first name, from gender-guesser's dictionary of ~40 000 first names
(Jörg Michael's nam_dict), loaded once per process on first use."""
from __future__ import annotations

from functools import cache, lru_cache

GENDERS = {"male": "Masc", "mostly_male": "Masc", "female": "Fem", "mostly_female": "Fem"}
# Names the dictionary gives one gender only; a "mostly" one (Camille, Claude) is worn by both.
CERTAIN = frozenset({"male", "female"})


@cache
def _detector():
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def first_name_gender(name: str, certain: bool = False) -> str | None:
    """"Masc", "Fem" or None for a person's name (« Jean-Marc Ayrault » -> its first part, « Jean »);
    with ``certain``, None for a first name worn by both genders."""
    words = name.split()
    if len(words) < 2:
        return None  # a surname alone says nothing
    first = words[0].split("-")[0]
    if not first[:1].isupper() or not first.isalpha():
        return None
    found = _detector().get_gender(first)
    return GENDERS.get(found) if found in CERTAIN or not certain else None
