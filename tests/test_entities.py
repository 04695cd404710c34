import pandas as pd
import pytest
from hypothesis import given, strategies as st
from spacy.tokens import Span

from pipeline.mentions import Mention, acronym_of, demonym_forms, doc_mentions, resolve
from pipeline.names import entity_key, fold
from pipeline.readers import read_records
from pipeline.stages.clean import Boilerplate, clean_batch
from pipeline.stages.entities import extract
from pipeline.stages.sentences import Splitter, sentences

from tests.conftest import SEEDS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def splitter(settings):
    return Splitter.from_settings(settings)


def run_extract(texts, entity_model, splitter, settings):
    nlp, lexicons = entity_model
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    return extract(documents, sentences(documents, splitter), nlp, lexicons, settings.batch_size)


@pytest.fixture
def entities_of(entity_model, splitter, settings):
    def run(text):
        frame = run_extract([text], entity_model, splitter, settings)["entities"]
        return list(zip(frame["text"], frame["label"]))

    return run


def spans_of(entity_model, text, spans):
    """Mentions for hand-made model spans: tests a fix whatever the model would predict."""
    nlp, lexicons = entity_model
    with nlp.memory_zone():
        doc = nlp(text)
        doc.ents = [Span(doc, start, end, label=label) for start, end, label in spans]
        return [(mention.text, mention.label) for mention in doc_mentions(doc, lexicons)]


def test_elided_article_is_not_part_of_the_name(entities_of):
    assert entities_of("Il a parlé à l’OTAN hier. L'OTAN a répondu.") == [("OTAN", "ORG"), ("OTAN", "ORG")]


def test_honorifics_and_titles_are_not_part_of_the_name(entities_of):
    found = entities_of("M. Stoltenberg a parlé à Oslo. Le président Zelensky a répondu.")
    assert ("Stoltenberg", "PER") in found and ("Zelensky", "PER") in found
    assert not any(text.startswith(("M.", "Le", "président")) for text, _ in found)


def test_a_name_never_crosses_a_line_break(entity_model):
    text = "Réunion de l’OTAN\n\nStoltenberg a parlé."
    assert spans_of(entity_model, text, [(3, 6, "ORG")]) == [("OTAN", "ORG"), ("Stoltenberg", "ORG")]


def test_demonym_nouns_are_misc(entity_model, entities_of):
    assert spans_of(entity_model, "Les Ukrainiens résistent.", [(1, 2, "LOC")]) == [("Ukrainiens", "MISC")]
    assert spans_of(entity_model, "Les Spinaliens votent.", [(1, 2, "LOC")]) == [("Spinaliens", "MISC")]
    assert ("Norvégien", "MISC") in entities_of("L’honnête Norvégien a parlé de la Russie.")


def test_job_title_is_not_an_entity(entity_model, entities_of):
    text = "Le ministre russe des Affaires étrangères a parlé."
    assert spans_of(entity_model, text, [(1, 6, "ORG")]) == []
    assert not any("ministre" in name or "Affaires" in name for name, _ in entities_of(text))


def test_title_complement_keeps_the_place(entity_model):
    assert spans_of(entity_model, "Le Premier ministre de Norvège parle.", [(1, 5, "PER")]) == [("Norvège", "LOC")]


def test_seats_of_power_and_media_are_organisations(entities_of):
    found = entities_of("Le Kremlin a démenti. La Maison-Blanche et l’Élysée aussi, selon Bild.")
    assert {("Kremlin", "ORG"), ("Maison-Blanche", "ORG"), ("Élysée", "ORG"), ("Bild", "ORG")} <= set(found)


def test_street_keeps_its_generic_word(entities_of):
    assert ("rue de la Gare", "LOC") in entities_of("Un accident a eu lieu rue de la Gare à Belfort.")


def test_common_words_are_not_names(entity_model):
    assert spans_of(entity_model, "Partagez-le avec vos amis.", [(0, 3, "MISC")]) == []
    assert spans_of(entity_model, "LIRE LA SUITE maintenant.", [(2, 3, "MISC")]) == []


def test_surnames_join_the_full_name(entity_model, splitter, settings):
    text = "Jens Stoltenberg est arrivé. M. Stoltenberg a parlé. Puis Stoltenberg est parti."
    frame = run_extract([text], entity_model, splitter, settings)["entities"]
    people = frame[frame["label"] == "PER"]
    assert people["text"].tolist() == ["Jens Stoltenberg", "Stoltenberg", "Stoltenberg"]
    assert set(people["canonical"]) == {"Jens Stoltenberg"}
    assert set(people["entity_key"]) == {"PER:jens stoltenberg"}


def test_acronym_joins_its_long_form():
    long_form = "Organisation du traité de l’Atlantique nord"
    mentions = [Mention(0, len(long_form), "ORG", long_form), Mention(60, 64, "ORG", "OTAN"), Mention(70, 74, "LOC", "Oslo")]
    assert [canonical for _, canonical in resolve(mentions)] == [long_form, long_form, "Oslo"]
    assert acronym_of("Organisation des Nations unies") == "ONU"


def test_a_surname_takes_the_label_of_the_person():
    mentions = [Mention(0, 14, "PER", "Karen Demirtchian"), Mention(40, 51, "MISC", "Demirtchian")]
    assert [(m.label, canonical) for m, canonical in resolve(mentions)] == [("PER", "Karen Demirtchian")] * 2


def test_demonym_forms():
    assert demonym_forms("Ukrainien") == ["Ukrainien", "Ukrainiens", "Ukrainienne", "Ukrainiennes"]
    assert demonym_forms("Français") == ["Français", "Française", "Françaises"]
    assert demonym_forms("Russe") == ["Russe", "Russes"]


def test_fold_and_entity_key():
    assert fold("L’Élysée ") == "l'elysee"
    assert entity_key("PER", "Jens  Stoltenberg") == "PER:jens stoltenberg"


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@pytest.fixture(scope="module")
def seed_tables(entity_model, splitter, settings):
    documents, _ = clean_batch(read_records([str(SEEDS)]), Boilerplate.from_settings(settings))
    sents = sentences(documents, splitter)
    nlp, lexicons = entity_model
    return documents, sents, extract(documents, sents, nlp, lexicons, settings.batch_size)


@pytest.mark.parametrize("table", ["tokens", "entities"])
def test_offsets_and_sentences_hold_on_the_seeds(seed_tables, table):
    documents, sents, outputs = seed_tables
    texts = dict(zip(documents["doc_id"], documents["text"]))
    frame = outputs[table]
    assert len(frame)
    assert all(texts[d][s:e] == t for d, s, e, t in zip(frame["doc_id"], frame["start"], frame["end"], frame["text"]))
    bounds = {(d, i): (s, e) for d, i, s, e in zip(sents["doc_id"], sents["sent_id"], sents["start"], sents["end"])}
    assert all((d, i) in bounds for d, i in zip(frame["doc_id"], frame["sent_id"]))
    # Every span starts inside its own sentence.
    spans = frame if table == "entities" else frame[~frame["text"].str.isspace()]
    assert all(bounds[(d, i)][0] <= s < bounds[(d, i)][1] for d, i, s in zip(spans["doc_id"], spans["sent_id"], spans["start"]))


def test_parser_keeps_the_preset_sentences(seed_tables):
    tokens = seed_tables[2]["tokens"]
    sent_of = dict(zip(zip(tokens["doc_id"], tokens["token_id"]), tokens["sent_id"]))
    assert all(sent_of[(d, h)] == s for d, h, s in zip(tokens["doc_id"], tokens["head"], tokens["sent_id"]))


def test_entities_do_not_contain_line_breaks_or_edge_punctuation(seed_tables):
    entities = seed_tables[2]["entities"]
    assert not entities["text"].str.contains("\n").any()
    assert not entities["text"].str.match(r"^[\W_]|.*[.,;:!?]$").any()


def test_a_capitalised_particle_belongs_to_the_person(entity_model):
    assert spans_of(entity_model, "Il a vu M. Le Pen hier.", [(5, 6, "PER")]) == [("Le Pen", "PER")]
