import pytest

from pipeline import gazetteer
from pipeline.config import load_settings

pytestmark = pytest.mark.slow


def test_the_place_file_is_what_the_packages_give(tmp_path):
    """configs/lexicons/places.tsv is generated, never edited: regenerate it after an upgrade."""
    path = load_settings().lexicon_path("entities", "places")
    assert path.read_text(encoding="utf-8") == gazetteer.render(gazetteer.build_places())


def test_places_have_their_kind_and_common_words_are_left_out():
    places = gazetteer.load_places(load_settings().lexicon_path("entities", "places"))
    assert places["Argentine"] == "country" and places["Chine"] == "country"
    assert places["Afrique"] == "area" and places["Union européenne"] == "area"
    assert places["Finistère"] == "subdivision" and places["Bretagne"] == "subdivision" and places["Floride"] == "subdivision"
    assert places["Londres"] == "city" and places["Villeurbanne"] == "city"
    # Common French words are no evidence of a place, whatever a far-off state is called.
    assert "Unité" not in places and "Orange" not in places


def test_a_name_is_kept_as_written_in_running_text():
    assert gazetteer.usable("Barcelona [Barcelona]") == "Barcelona"
    assert gazetteer.usable("Guyane (française)") == "Guyane"
    assert gazetteer.usable("Åland, Îles") is None
    assert gazetteer.usable("Provence-Alpes-Côte-d’Azur") == "Provence-Alpes-Côte-d'Azur"
