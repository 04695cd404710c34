"""Invisible and foreign characters: the character table of configs/, HTML markup inside a
text record, emoji next to names."""
import json

import pandas as pd
import pytest

from pipeline.characters import is_pictograph
from pipeline.config import ConfigError
from pipeline.readers import Record, read_records
from pipeline.stages.clean import Characters, clean_record
from pipeline.stages.entities import extract
from pipeline.stages.sentences import Splitter, sentences
from tests.test_clean import boilerplate  # noqa: F401  (fixture)
from tests.test_quotes import analyse, lexicon  # noqa: F401  (fixtures)

NAME = "Emmanuel Macron"


@pytest.fixture(scope="module")
def characters(settings):
    return Characters.from_settings(settings)


@pytest.mark.parametrize(
    "invisible",
    ["\u2060", "\u00ad", "\u200b", "\ufeff", "\u200e", "\u202e", "\u2066", "\u200d", "\u200c", "\x00", "\x1b"],
    ids=["word joiner", "soft hyphen", "zero-width space", "BOM", "LRM", "RLO", "LRI", "ZWJ", "ZWNJ", "NUL", "ESC"],
)
def test_invisible_characters_inside_a_name_are_removed(characters, invisible):
    assert characters.apply(f"Emmanuel{invisible} Macron") == NAME
    assert characters.apply(f"Emma{invisible}nuel Macron") == NAME


def test_joiners_stay_where_they_shape_emoji_and_other_scripts(characters):
    family = "👨\u200d👩\u200d👧"
    persian = "می\u200cخواهم"
    assert characters.apply(f"{family} {persian}") == f"{family} {persian}"


def test_other_spaces_and_line_breaks_become_the_ones_the_rules_know(characters):
    assert characters.apply("le\u2009maire\u3000de\u2028Lyon\u2029fin") == "le maire de\nLyon\n\nfin"
    # The no-break spaces of French typography are kept; the figure space becomes one.
    assert characters.apply("« oui\u00a0» 10\u202f000 20\u2007000") == "« oui\u00a0» 10\u202f000 20\u00a0000"


def test_a_table_entry_that_is_not_a_code_point_is_a_config_error(tmp_path):
    table = tmp_path / "characters.toml"
    table.write_text('[odd]\nbecomes = ""\ncharacters = ["2060"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a code point"):
        Characters.from_file(table)
    table.write_text('[a]\nbecomes = ""\ncharacters = ["U+2060"]\n[b]\nbecomes = " "\ncharacters = ["U+2000..U+2060"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="already in another group"):
        Characters.from_file(table)


def test_cleaning_applies_the_table_to_text_and_title(boilerplate, characters):
    text = "Emmanuel\u2060 Macron est arrivé à Berlin.\n\nEmmanuel\u00ad Macron a parlé\u202e longuement."
    row = clean_record(Record("d1", "s", text, title="Visite d’Emmanuel\u200b Macron"), boilerplate, characters=characters)
    # The title opens the text as its first paragraph.
    assert row["text"].count(NAME) == 3 and row["title"] == "Visite d’Emmanuel Macron"
    assert not any(character in row["text"] for character in "\u2060\u00ad\u202e\u200b")


@pytest.mark.slow
def test_a_name_with_invisible_characters_is_one_person(entity_model, settings, boilerplate, characters):
    nlp, lexicons = entity_model
    texts = [f"Le président Emmanuel{invisible} Macron est arrivé jeudi à Berlin." for invisible in ("\u2060", "\u00ad", "\u200d", "\u202d")]
    cleaned = [clean_record(Record(f"d{n}", "s", text), boilerplate, characters=characters)["text"] for n, text in enumerate(texts)]
    documents = pd.DataFrame({"doc_id": [f"d{n}" for n in range(len(texts))], "text": cleaned})
    entities = extract(documents, sentences(documents, Splitter.from_settings(settings)), nlp, lexicons, 8)["entities"]
    people = entities[entities["label"] == "PER"]
    assert sorted(people["doc_id"]) == sorted(documents["doc_id"]) and set(people["text"]) == {NAME}


# -- HTML markup inside a text record ------------------------------------------------------
def read_jsonl(tmp_path, records):
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return [item for item in read_records([path]) if isinstance(item, Record)]


def test_the_tail_of_a_page_in_a_text_gives_its_article_with_a_warning(tmp_path):
    page_tail = (
        "Visite à Berlin</title><script>var tracker = 1;</script></head><body><nav>Accueil | Monde</nav>"
        "<article><h1>Visite à Berlin</h1><p>Le chancelier a reçu jeudi le président français à Berlin pour "
        "un long entretien sur la défense européenne et le budget de l’Union.</p><p>Les deux dirigeants ont "
        "promis de se revoir avant la fin de l’année pour conclure un accord.</p></article></body></html>"
    )
    record, = read_jsonl(tmp_path, [{"id": "page", "text": page_tail}])
    assert "<" not in record.text and "tracker" not in record.text
    assert "Le chancelier a reçu jeudi le président français à Berlin" in record.text
    assert record.warnings == ["text held a web page: its article was extracted from the HTML"]


def test_markup_of_the_text_alone_keeps_all_its_text_in_paragraphs(tmp_path):
    text = "<p>Le maire a <b>voté</b> le budget.<br>Il l’a dit.</p><p>Fin &amp; suite.</p>"
    record, = read_jsonl(tmp_path, [{"id": "p", "text": text, "title": "Le <i>budget</i>"}])
    assert [line for line in record.text.split("\n") if line] == ["Le maire a voté le budget.", "Il l’a dit.", "Fin & suite."]
    assert "\n\n" in record.text and record.title == "Le budget"
    assert record.warnings == ["text held HTML markup: tags removed", "title held HTML markup: tags removed"]


def test_angle_brackets_of_prose_are_not_markup(tmp_path):
    text = "Le taux est < 5 % et le signe <Paris> est un nom de code, a-t-il dit."
    record, = read_jsonl(tmp_path, [{"id": "prose", "text": text}])
    assert record.text == text and record.warnings == []


# -- emoji ----------------------------------------------------------------------------------
def test_pictographs_are_symbols_without_letters():
    assert all(is_pictograph(token) for token in ("😀", "🇫🇷", "➡️", "©", "★", "👨\u200d👩\u200d👧"))
    assert not any(is_pictograph(token) for token in ("Macron", "«", "-", "10", "€", "C'est😀"))


@pytest.mark.slow
def test_an_emoji_is_never_part_of_an_entity(entity_model, settings):
    nlp, lexicons = entity_model
    texts = [
        "Emmanuel Macron 😀 est arrivé jeudi à Berlin 🇩🇪 pour un sommet.",
        "🔴 Angela Merkel a reçu 👍 Olaf Scholz à la Chancellerie.",
        "Le ministre Bruno Le Maire 🇫🇷➡️ Bruxelles ce matin.",
    ]
    documents = pd.DataFrame({"doc_id": [f"d{n}" for n in range(len(texts))], "text": texts})
    entities = extract(documents, sentences(documents, Splitter.from_settings(settings)), nlp, lexicons, 8)["entities"]
    assert len(entities) >= 4
    for column in ("text", "canonical"):
        assert not any(is_pictograph(character) for value in entities[column] for character in value), entities[["text", "canonical"]]


@pytest.mark.slow
def test_an_emoji_is_never_part_of_a_speaker(analyse):
    frame = analyse(
        "« Nous voterons ce texte », a déclaré 📢 Paul Lemoine, député de Lyon.",
        "« Le budget est prêt », a affirmé Marie Dupont 👏 mardi.",
        "😀 a dit : « Bonjour à tous. »",
    )
    speakers = [speaker for speaker in frame["speaker"] if isinstance(speaker, str)]
    assert speakers and not any(is_pictograph(character) for speaker in speakers for character in speaker), frame[["text", "speaker"]]
