import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import given, strategies as st
from spacy.tokens import Span

from pipeline.mentions import (
    COMPOUND_PLACE, HAS_PLACE_LINK, HYPHEN_BEFORE_CAPITAL, HYPHENATED_NAMES, LEADING_ARTICLES, LOWERCASE_WORD, WORD, NameMention, acronym_of, demonym_forms, doc_mentions, is_written_in_lowercase, resolve,
    standalone_occurrences, word_before,
)
from pipeline.names import entity_key, fold
from pipeline.readers import read_records
from pipeline.stages.clean import Boilerplate, clean_batch
from pipeline.stages.entities import extract, make_doc, token_columns, tokens_frame
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
        return [(mention.text, mention.label) for mention in doc_mentions(doc, text, lexicons)]


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


@pytest.mark.parametrize("text, expected, place", [
    ("Les Touaregs et les Peuls vivent au nord du Mali.", [("Touaregs", "MISC"), ("Peuls", "MISC")], ("Mali", "LOC")),
    ("Les Philippins ont fui la côte. Le typhon a frappé les Philippines.", [("Philippins", "MISC")], ("Philippines", "LOC")),
    ("Il est parti en Mongolie avec des Mongols.", [("Mongols", "MISC")], ("Mongolie", "LOC")),
])
def test_peoples_and_nationalities_no_suffix_gives_are_misc_and_their_countries_stay_places(entities_of, text, expected, place):
    found = entities_of(text)
    assert all(item in found for item in expected) and place in found


@pytest.mark.parametrize("text, expected", [
    # the model stops at the capitalised word; the adjectives belong to the name
    ("Le Conseil constitutionnel a validé la loi.", ("Conseil constitutionnel", "ORG")),
    # capitalised, the Church is an institution; lowercase, a church is a building
    ("Le pape est le chef de l'Église catholique.", ("Église catholique", "ORG")),
    ("Selon l'Église, le nombre de baptêmes baisse.", ("Église", "ORG")),
    ("Ils se sont mariés à l'église Saint-Pierre de Lyon.", ("église Saint-Pierre", "LOC")),
    # a nationality is not part of the name (GUIDELINES §1), the Union's adjective is
    ("Le Sénat américain a voté le budget.", ("Sénat", "ORG")),
    ("Le Parlement russe a adopté la loi.", ("Parlement", "ORG")),
    ("Le Parlement européen a adopté la directive.", ("Parlement européen", "ORG")),
])
def test_capitalised_institution_words_name_the_institution(entities_of, text, expected):
    assert expected in entities_of(text)


@pytest.mark.parametrize("text, expected", [
    ("La tempête tropicale Isaac menace la Louisiane.", ("Isaac", "MISC")),
    ("Le typhon Damrey a touché la Chine.", ("Damrey", "MISC")),
])
def test_a_name_after_a_storm_noun_is_the_storm(entities_of, text, expected):
    assert expected in entities_of(text)


@pytest.mark.parametrize("text, expected", [
    # a capitalised article past the honorific belongs to the surname
    ("Marine Le Pen a répondu à M. Le Pen père.", ("Le Pen", "PER")),
    # after an honorific (past a particle) a name is a person's, though the model says a place
    ("Le Premier ministre, M. de Villepin, a démissionné.", ("Villepin", "PER")),
])
def test_a_name_after_an_honorific_is_a_person(entities_of, text, expected):
    assert expected in entities_of(text)


def test_a_medium_written_without_its_accents_is_still_the_medium(entities_of):
    assert ("El Pais", "ORG") in entities_of("Selon El Pais, le gouvernement prépare un plan.")


def test_job_title_is_not_an_entity(entity_model, entities_of):
    text = "Le ministre russe des Affaires étrangères a parlé."
    assert spans_of(entity_model, text, [(1, 6, "ORG")]) == []
    assert not any("ministre" in name or "Affaires" in name for name, _ in entities_of(text))


def test_title_complement_keeps_the_place(entity_model):
    assert spans_of(entity_model, "Le Premier ministre de Norvège parle.", [(1, 5, "PER")]) == [("Norvège", "LOC")]


def test_a_title_then_a_first_name_is_a_person_whatever_the_model_said(entity_model):
    # the model sometimes calls « Premier ministre Jean Castex » MISC (issue 15: speakers rest on it)
    assert spans_of(entity_model, "Le Premier ministre Jean Castex parle.", [(1, 5, "MISC")]) == [("Jean Castex", "PER")]


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
    mentions = [NameMention(0, len(long_form), "ORG", long_form), NameMention(60, 64, "ORG", "OTAN"), NameMention(70, 74, "LOC", "Oslo")]
    assert [canonical for _, canonical in resolve(mentions)] == [long_form, long_form, "Oslo"]
    assert acronym_of("Organisation des Nations unies") == "ONU"


def test_a_surname_takes_the_label_of_the_person():
    mentions = [NameMention(0, 14, "PER", "Karen Demirtchian"), NameMention(40, 51, "MISC", "Demirtchian")]
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


def plain_fold(name):
    """fold as first written: a regex per step, a generator over the characters."""
    text = unicodedata.normalize("NFKD", name.translate(str.maketrans({mark: "'" for mark in "’‘ʼ`´′"})))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


@given(st.text() | st.text(alphabet="aeÉé\u0301\u0327´`’\u2013\u2212-\u00a0\u2009 \t\nLŒﬁ"))
def test_fold_agrees_with_its_plain_definition(text):
    assert fold(text) == plain_fold(text)


# Word characters, hyphens, apostrophes and spaces, Unicode ones too: where a word's
# edges may or may not touch another word.
EDGES = "ab-_ 'é9٣\u00a0\u0301\u2013’"
AROUND = st.text(alphabet=EDGES, max_size=12)


@given(AROUND, AROUND, AROUND, st.text(alphabet=EDGES, min_size=1, max_size=3))
def test_standalone_occurrences_are_the_regex_matches(before, between, after, name):
    text = before + name + between + name + after
    expected = [match.start() for match in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text)]
    assert list(standalone_occurrences(text, name)) == expected


def test_standalone_occurrences_skip_names_inside_words():
    text = "Stoltenberg, Stoltenbergs, Stoltenberg-Nord, _Stoltenberg, (Stoltenberg) Stoltenberg"
    assert list(standalone_occurrences(text, "Stoltenberg")) == [0, text.index("(") + 1, text.rindex(" ") + 1]


# Long lines of short words, many of them skipped ones: the word before is far back.
LINES = st.lists(st.sampled_from(["le", "la", "l'", "de", "Rue", "ex-hôtel", "aujourd’hui", "_x", " ", "  ", "\n", ",", "-", "’"]), max_size=120).map("".join)


@given(LINES, st.integers(min_value=0), st.sampled_from([frozenset(), LEADING_ARTICLES]))
def test_word_before_reads_the_line_as_a_whole(text, start, skipped):
    start = start % (len(text) + 1)
    words = [word.lower() for word in WORD.findall(text[text.rfind("\n", 0, start) + 1 : start])]
    while words and words[-1] in skipped:
        words.pop()
    assert word_before(text, start, skipped) == (words[-1] if words else "")


@given(AROUND, AROUND, st.sampled_from("aéÉ_'"), st.text(alphabet="aAéß_-'’.\u0301", max_size=3))
def test_a_word_is_written_in_lowercase_when_the_text_has_it_as_a_lowercase_word(before, after, head, tail):
    word = head + tail
    text = before + word + after
    assert is_written_in_lowercase(text, word) == (word in set(LOWERCASE_WORD.findall(text)))


def test_only_whole_lowercase_words_count_as_written_in_lowercase():
    text = "Le sondage, l'enquête, pré-étude et reprise_2 ; Vote."
    assert is_written_in_lowercase(text, "sondage")
    assert not any(is_written_in_lowercase(text, word) for word in ("enquête", "étude", "reprise", "vote", "Vote"))


NAME_PIECES = st.lists(st.sampled_from(["Saint-", "Ste", "-", "-sur-", "-LE-", "-à-", "Paris", "É", "l'", "x", "_", " ", "9", "’"]), max_size=10).map("".join)


@given(NAME_PIECES)
def test_the_patterns_searched_first_are_in_every_match(text):
    assert all(HYPHEN_BEFORE_CAPITAL.search(match.group()) for match in HYPHENATED_NAMES.finditer(text))
    assert all(HAS_PLACE_LINK.search(match.group()) for match in COMPOUND_PLACE.finditer(text))


def test_token_columns_hold_what_the_tokens_say(entity_model):
    nlp, _ = entity_model
    texts = ["M. Stoltenberg a déclaré : « Nous restons unis. »\n\nL’OTAN se réunit à Bruxelles.", "Il pleut."]
    with nlp.memory_zone():
        docs = [make_doc(nlp, text, [0]) for text in texts]
        docs = list(nlp.pipe(docs))
        frame = tokens_frame(["a", "b"], [token_columns(doc, text, [7], [0]) for doc, text in zip(docs, texts)], nlp.vocab.strings)
        expected = pd.DataFrame(
            [
                (doc_id, token.i, 7, token.idx, token.idx + len(token), token.text, token.lemma_, token.pos_, str(token.morph), token.dep_, token.head.i)
                for doc_id, doc in zip(["a", "b"], docs)
                for token in doc
            ],
            columns=frame.columns,
        )
    pd.testing.assert_frame_equal(frame, expected)


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


def test_a_route_names_each_place_it_joins(entity_model):
    text = "Le train Paris-Nantes part. Un Nantes-Paris et un Nantes-Lille suivent."
    # The model cuts the first pair at its hyphen and tags the others whole.
    found = spans_of(entity_model, text, [(2, 3, "LOC"), (8, 11, "LOC"), (13, 16, "LOC")])
    # A pair of places of the document is a route too; `Lille` alone is no evidence.
    assert found == [("Paris", "LOC"), ("Nantes", "LOC"), ("Nantes", "LOC"), ("Paris", "LOC"), ("Nantes-Lille", "LOC")]


def test_a_hyphenated_place_is_not_a_route(entity_model):
    text = "Le train pour Bosnie-Herzégovine part de Pont-à-Mousson. Les chartes Allègre-Royal passent."
    spans = [(3, 6, "LOC"), (8, 9, "LOC"), (12, 15, "MISC")]
    assert spans_of(entity_model, text, spans) == [("Bosnie-Herzégovine", "LOC"), ("Pont-à-Mousson", "LOC"), ("Allègre-Royal", "MISC")]


def test_a_lone_person_after_a_place_preposition_is_a_place(entity_model):
    text = "Elle est née à Cintrey. Georges Garnier, également de Cintrey, vit là."
    found = spans_of(entity_model, text, [(4, 5, "PER"), (6, 8, "PER"), (11, 12, "PER")])
    assert found == [("Cintrey", "LOC"), ("Georges Garnier", "PER"), ("Cintrey", "LOC")]


def test_surnames_and_given_names_after_a_preposition_stay_people(entity_model):
    text = "Jens Stoltenberg a parlé. On a écrit à Stoltenberg. Elle est la fille de Jean-Luc."
    found = spans_of(entity_model, text, [(0, 2, "PER"), (9, 10, "PER"), (16, 17, "LOC")])
    assert found == [("Jens Stoltenberg", "PER"), ("Stoltenberg", "PER"), ("Jean-Luc", "PER")]


def test_a_name_the_model_gave_another_label_joins_the_person_it_ends():
    mentions = [NameMention(0, 8, "LOC", "Raffarin"), NameMention(20, 40, "PER", "Jean-Pierre Raffarin"), NameMention(50, 57, "LOC", "Pierre")]
    assert [(m.label, canonical) for m, canonical in resolve(mentions)] == [
        ("PER", "Jean-Pierre Raffarin"), ("PER", "Jean-Pierre Raffarin"), ("LOC", "Pierre")
    ]


def test_a_single_letter_is_not_a_name(entity_model):
    assert spans_of(entity_model, "Il a payé 5.000 F d'amende.", [(4, 5, "LOC")]) == []


def test_capitalised_words_the_document_writes_in_lowercase_are_common_words(entity_model):
    text = "SONDAGE. Le sondage est clair. EPINAL. Le maire parle."
    assert spans_of(entity_model, text, [(0, 1, "MISC"), (7, 8, "LOC")]) == [("EPINAL", "LOC")]
    text = "Déchetterie fermée. La déchetterie ferme. Conseil général. Le conseil général vote."
    assert spans_of(entity_model, text, [(0, 2, "MISC"), (7, 9, "ORG")]) == [("Conseil général", "ORG")]
    # Inside a sentence the capital is the name's own.
    text = "La déchetterie ferme. Il parle de la Déchetterie municipale."
    assert spans_of(entity_model, text, [(8, 10, "ORG")]) == [("Déchetterie municipale", "ORG")]


def test_generic_words_of_places_and_facilities_belong_to_the_name(entity_model):
    text = "Il passe le détroit de Gibraltar vers la mer Méditerranée et le fort Dorsner."
    found = spans_of(entity_model, text, [(5, 6, "LOC"), (9, 10, "LOC"), (13, 14, "PER")])
    assert found == [("détroit de Gibraltar", "LOC"), ("mer Méditerranée", "LOC"), ("fort Dorsner", "LOC")]
    text = "Les élèves de l'école Maurice-Henry jouent fort Dimanche."
    assert spans_of(entity_model, text, [(5, 8, "PER"), (10, 11, "MISC")]) == [("école Maurice-Henry", "ORG"), ("Dimanche", "MISC")]


def test_a_capitalised_article_inside_a_sentence_belongs_to_the_name(entity_model):
    text = "Ils vont à La Haye. La Haye est loin. Il cite « La Haye »."
    found = spans_of(entity_model, text, [(4, 5, "LOC"), (6, 8, "LOC"), (15, 16, "LOC")])
    # At a sentence's or a quotation's start the capital alone says nothing; the name
    # written inside a sentence says the article is its own (GUIDELINES §4).
    assert found == [("La Haye", "LOC")] * 3
    text = "La Haye est loin. Il cite « La Haye »."
    assert spans_of(entity_model, text, [(1, 2, "LOC"), (8, 9, "LOC")]) == [("Haye", "LOC"), ("Haye", "LOC")]


def test_a_name_of_its_own_and_its_place_are_two_names(entity_model):
    text = "Panne à la centrale Elhamma d'Alger et à la Banque de France."
    found = spans_of(entity_model, text, [(4, 7, "LOC"), (10, 13, "ORG")])
    assert found == [("Elhamma", "LOC"), ("Alger", "LOC"), ("Banque de France", "ORG")]


def test_an_institution_runs_on_over_its_place_and_up_to_its_acronym(entity_model):
    text = "Le Parlement du Pays de Galles et le Conseil représentatif des institutions juives de France siègent."
    found = spans_of(entity_model, text, [(1, 2, "ORG"), (3, 6, "LOC"), (8, 13, "ORG")])
    assert found == [("Parlement du Pays de Galles", "ORG"), ("Conseil représentatif des institutions juives de France", "ORG")]
    text = "Le futur Conseil français du culte musulman (CFCM) vote."
    assert spans_of(entity_model, text, [(2, 4, "ORG"), (8, 9, "ORG")]) == [("Conseil français du culte musulman", "ORG"), ("CFCM", "ORG")]


def test_the_domain_of_a_title_is_not_a_name(entity_model):
    text = "Selon la secrétaire à l'Intérieur (Environnement), Gale Norton."
    assert spans_of(entity_model, text, [(5, 6, "ORG"), (7, 8, "ORG"), (10, 12, "PER")]) == [("Gale Norton", "PER")]


def test_a_headline_of_common_words_is_not_a_name(entity_model):
    text = "Tournoi de boules annulé. Il est bénévole au « Secours pop » depuis dix ans."
    assert spans_of(entity_model, text, [(0, 3, "MISC"), (10, 12, "ORG")]) == [("Secours pop", "ORG")]


def test_words_shaped_like_commune_names_are_places(entity_model):
    text = "Elle a habité à Haréville-sous-Montfort.\n\nBAR-LE-DUC. _ Un mort."
    assert spans_of(entity_model, text, [(7, 8, "PER")]) == [("Haréville-sous-Montfort", "LOC"), ("BAR-LE-DUC", "LOC")]


def test_a_bare_complement_with_a_is_not_part_of_the_name(entity_model):
    text = "La loi adoptée par le Congrès à majorité républicaine et le Commissariat à l'énergie atomique."
    found = spans_of(entity_model, text, [(5, 9, "MISC"), (11, 16, "ORG")])
    assert found == [("Congrès", "ORG"), ("Commissariat à l'énergie atomique", "ORG")]


def test_a_capitalised_town_as_owner_is_an_institution(entity_model):
    assert spans_of(entity_model, "Le bâtiment appartient à la Ville de Belfort.", [(5, 8, "LOC")]) == [("Ville de Belfort", "ORG")]


def test_a_name_after_a_building_word_is_a_place(entity_model):
    text = "Il habite le bâtiment Les Etourneaux depuis un an."
    assert spans_of(entity_model, text, [(5, 6, "MISC")]) == [("Les Etourneaux", "LOC")]
    text = "La réunion a eu lieu au centre Jean-Moulin hier."
    assert spans_of(entity_model, text, [(7, 8, "PER")]) == [("Jean-Moulin", "LOC")]
    text = "Il logeait à l'ex-hôtel Adriatik avec Adriatik Berisha."
    assert spans_of(entity_model, text, [(5, 6, "PER"), (7, 9, "PER")]) == [("Adriatik", "LOC"), ("Adriatik Berisha", "PER")]


def test_lasting_words_outlive_memory_zones_up_to_their_capacity():
    import spacy

    from pipeline.stages.entities import LastingWords

    nlp = spacy.blank("fr")
    lasting = LastingWords(nlp, capacity=2)
    lasting.keep_words_of(["zorglub zorglab", "zorglib"])
    with nlp.memory_zone():
        nlp("zorglub zorglab zorglib xyzzyq")
    kept = {word for word in ("zorglab", "zorglib", "zorglub", "xyzzyq") if word in nlp.vocab}
    assert kept == {"zorglab", "zorglib"}  # the capacity's worth, in sorted order; the rest freed
    lasting.keep_words_of(["plugh"])
    assert "plugh" not in nlp.vocab and len(lasting.kept) == 2


def test_lasting_words_do_not_change_the_tables(entity_model, splitter, settings):
    from pipeline.stages.entities import LastingWords

    nlp, lexicons = entity_model
    texts = [SEEDS.joinpath(name).read_text(encoding="utf-8") for name in sorted(p.name for p in SEEDS.glob("*.txt"))[:2]]
    documents = pd.DataFrame({"doc_id": ["a", "b"], "text": texts})
    sents = sentences(documents, splitter)
    plain = extract(documents, sents, nlp, lexicons, settings.batch_size)
    lasting = LastingWords(nlp, capacity=50)
    for _ in range(2):  # the second pass meets the kept words
        kept = extract(documents, sents, nlp, lexicons, settings.batch_size, lasting)
        for name in plain:
            pd.testing.assert_frame_equal(plain[name], kept[name])


# -- labels: the model's own label is never made worse by a weaker signal --------------

def test_a_character_spoken_to_and_of_stays_a_person(entity_model):
    """A lone name after `à` or `de` now and then is a person, not a place: only a name
    that follows a place preposition every time, or that the gazetteer knows, is a place."""
    text = "Julien entra sans bruit. Sa mère parla à Julien. Le regard de Julien se figea."
    found = spans_of(entity_model, text, [(0, 1, "PER"), (8, 9, "PER"), (13, 14, "PER")])
    assert found == [("Julien", "PER")] * 3
    text = "Ils vivent à Bergerac depuis dix ans. Bergerac a grandi."
    assert spans_of(entity_model, text, [(3, 4, "PER"), (9, 10, "PER")]) == [("Bergerac", "LOC")] * 2


def test_copies_of_a_name_have_no_vote_and_a_settled_label_wins():
    copies = [NameMention(0, 6, "PER", "Lebrun"), NameMention(20, 26, "LOC", "Lebrun", "copied"), NameMention(40, 46, "LOC", "Lebrun", "copied")]
    assert [m.label for m, _ in resolve(copies)] == ["PER"] * 3
    settled = [NameMention(0, 4, "ORG", "Mali"), NameMention(20, 24, "ORG", "Mali"), NameMention(40, 44, "LOC", "Mali", "settled")]
    assert [m.label for m, _ in resolve(settled)] == ["LOC"] * 3


def test_countries_regions_and_blocs_are_places_whatever_the_model_said(entity_model):
    text = "Le Chili a voté. La Dordogne attend. L'Union européenne hésite. La Floride vote."
    spans = [(1, 2, "ORG"), (6, 7, "MISC"), (10, 12, "ORG"), (15, 16, "MISC")]
    assert spans_of(entity_model, text, spans) == [("Chili", "LOC"), ("Dordogne", "LOC"), ("Union européenne", "LOC"), ("Floride", "LOC")]
    # A person named like a place stays a person when the model says so.
    assert spans_of(entity_model, "Virginie a chanté.", [(0, 1, "PER")]) == [("Virginie", "PER")]


# -- acronyms ---------------------------------------------------------------------------

def canonical_names(entity_model, text, spans):
    """(text, label, canonical) for hand-made model spans, after the whole document's rules."""
    nlp, lexicons = entity_model
    with nlp.memory_zone():
        doc = nlp(text)
        doc.ents = [Span(doc, start, end, label=label) for start, end, label in spans]
        return [(m.text, m.label, canonical) for m, canonical in resolve(doc_mentions(doc, text, lexicons))]


def test_an_acronym_and_the_long_form_it_brackets_are_one_organisation(entity_model):
    text = "Les militants de l'URR (Union pour le Renouveau rural) ont défilé. L'URR proteste."
    # The model cut the long form in two and took the acronym for a place.
    found = canonical_names(entity_model, text, [(4, 5, "LOC"), (6, 7, "ORG"), (9, 11, "ORG"), (16, 17, "LOC")])
    long_form = "Union pour le Renouveau rural"
    assert found == [("URR", "ORG", long_form), (long_form, "ORG", long_form), ("URR", "ORG", long_form)]
    text = "Le Comité national des pêcheurs côtiers (CNPC) a voté."
    found = canonical_names(entity_model, text, [(1, 3, "ORG"), (4, 6, "MISC")])
    assert found == [("Comité national des pêcheurs côtiers", "ORG", "Comité national des pêcheurs côtiers"), ("CNPC", "ORG", "Comité national des pêcheurs côtiers")]


def test_an_acronym_takes_the_label_its_long_form_settles(entity_model):
    text = "Le TCL (Traité de coopération littorale) entre en vigueur."
    found = canonical_names(entity_model, text, [(1, 2, "ORG")])
    assert [(name, label) for name, label, _ in found] == [("TCL", "MISC"), ("Traité de coopération littorale", "MISC")]


def test_acronyms_that_dictionaries_list_as_common_nouns_are_not_names(entity_model):
    assert spans_of(entity_model, "Le SMIC augmente de 2 % et la TVA baisse.", [(1, 2, "ORG"), (9, 10, "MISC")]) == []


# -- spans ------------------------------------------------------------------------------

def test_a_name_stops_at_a_dateline_and_a_headline_colon(entity_model):
    text = "TOULON.- Paul Verdier a ouvert la séance."
    assert spans_of(entity_model, text, [(0, 3, "PER")]) == [("TOULON", "LOC"), ("Paul Verdier", "PER")]
    text = "Tour de Bretagne : les coureurs partent demain."
    assert spans_of(entity_model, text, [(0, 5, "MISC")]) == [("Tour de Bretagne", "MISC")]


def test_an_ampersand_joins_two_names_and_an_english_possessive_stays(entity_model):
    text = "Le cabinet Ernst & Young et Moody's ont publié leurs chiffres."
    # The model stopped at the ampersand and at the apostrophe.
    assert spans_of(entity_model, text, [(2, 3, "ORG"), (6, 7, "ORG")]) == [("Ernst & Young", "ORG"), ("Moody's", "ORG")]


def test_a_sentence_initial_article_stays_when_the_document_writes_it_inside_a_sentence(entity_model):
    text = "La Redoute licencie. Les salariés de La Redoute manifestent. La France s'inquiète."
    found = spans_of(entity_model, text, [(1, 2, "ORG"), (7, 9, "ORG"), (12, 13, "LOC")])
    assert found == [("La Redoute", "ORG"), ("La Redoute", "ORG"), ("France", "LOC")]


# -- names linked to their entity (canonical names, which the quote stage reads) --------

def canonicals(mentions):
    return [(m.label, canonical) for m, canonical in resolve(mentions)]


def test_a_given_name_alone_is_the_nearest_person_it_opens():
    mentions = [NameMention(0, 12, "PER", "Michel Roche"), NameMention(40, 46, "PER", "Michel"), NameMention(60, 73, "PER", "Michel Ferrat"), NameMention(90, 96, "PER", "Michel")]
    assert [canonical for _, canonical in canonicals(mentions)] == ["Michel Roche", "Michel Roche", "Michel Ferrat", "Michel Ferrat"]


def test_a_surname_with_or_without_its_particle_is_the_person(entity_model):
    text = "Anne de Kervennic a parlé à Brest. Mme de Kervennic a ensuite répondu aux élus."
    found = canonical_names(entity_model, text, [(0, 3, "PER"), (6, 7, "LOC"), (8, 11, "PER")])
    assert [canonical for _, _, canonical in found] == ["Anne de Kervennic", "Brest", "Anne de Kervennic"]
    mentions = [NameMention(0, 17, "PER", "Anne de Kervennic"), NameMention(30, 43, "LOC", "de Kervennic")]
    assert canonicals(mentions) == [("PER", "Anne de Kervennic")] * 2


def test_an_organisation_said_by_its_leading_words_or_initials_is_that_organisation():
    mentions = [NameMention(0, 13, "ORG", "Fitch Ratings"), NameMention(30, 35, "PER", "Fitch"), NameMention(50, 67, "ORG", "Standard & Poor's"), NameMention(80, 83, "ORG", "S&P")]
    assert canonicals(mentions) == [("ORG", "Fitch Ratings"), ("ORG", "Fitch Ratings"), ("ORG", "Standard & Poor's"), ("ORG", "Standard & Poor's")]
    # A place is no organisation's short name.
    mentions = [NameMention(0, 20, "ORG", "Lyon Métropole Habitat"), NameMention(30, 34, "LOC", "Lyon")]
    assert canonicals(mentions) == [("ORG", "Lyon Métropole Habitat"), ("LOC", "Lyon")]


def test_a_facility_keeps_its_generic_word_unless_it_is_named_after_its_place(entity_model):
    text = "Le match a lieu au stade de la Roseraie, près de la mosquée Al-Nour."
    found = spans_of(entity_model, text, [(8, 9, "LOC"), (14, 17, "PER")])
    assert found == [("stade de la Roseraie", "LOC"), ("mosquée Al-Nour", "LOC")]
    text = "Les obsèques auront lieu en l'église de Vrécourt, puis à l'aéroport de Toulouse."
    found = spans_of(entity_model, text, [(8, 9, "LOC"), (15, 16, "LOC")])
    assert found == [("Vrécourt", "LOC"), ("Toulouse", "LOC")]


def test_clubs_are_organisations_and_events_and_platforms_have_their_label(entity_model):
    text = "L'Olympique de Lyon a battu le Sporting Lisbonne. Lens a perdu."
    found = spans_of(entity_model, text, [(1, 4, "LOC"), (7, 9, "PER"), (10, 11, "LOC")])
    # A city's name alone standing for its team stays a place (GUIDELINES §1).
    assert found == [("Olympique de Lyon", "ORG"), ("Sporting Lisbonne", "ORG"), ("Lens", "LOC")]
    text = "Le Salon mondial du chocolat ouvre. Elle l'a écrit sur Facebook."
    found = spans_of(entity_model, text, [(1, 5, "ORG"), (12, 13, "MISC")])
    assert found == [("Salon mondial du chocolat", "MISC"), ("Facebook", "ORG")]


def test_ministries_lone_institutions_and_countries_spelled_like_demonyms(entity_model):
    text = "Le ministère de la Culture a répondu. Le Sénat a voté. Ils aiment l'Argentine."
    found = spans_of(entity_model, text, [(4, 5, "ORG"), (9, 10, "LOC"), (16, 17, "MISC")])
    assert found == [("ministère de la Culture", "ORG"), ("Sénat", "ORG"), ("Argentine", "LOC")]


def test_a_surname_after_a_particle_and_a_date_after_a_name(entity_model):
    text = "Ont fini Paul Le Bihan et Anne Van Dyck au Texas mardi."
    # The model stopped after the particle, before it, and ran over the weekday.
    found = spans_of(entity_model, text, [(2, 4, "PER"), (6, 7, "PER"), (10, 12, "LOC")])
    assert found == [("Paul Le Bihan", "PER"), ("Anne Van Dyck", "PER"), ("Texas", "LOC")]


def plain_fullest_name(mention, mentions):
    """fullest_names' definition, mention by mention: every other mention is a candidate."""
    from pipeline.mentions import acronym_of, is_acronym, name_words, names_organisation, names_person

    words = name_words(mention.text)
    candidates = [
        other
        for other in mentions
        if other.label in ("PER", "ORG") and (names_person if other.label == "PER" else names_organisation)(words, mention.label, name_words(other.text))
    ]
    acronym = mention.text.replace("&", "")
    if is_acronym(acronym):
        candidates += [other for other in mentions if other is not mention and acronym_of(other.text).replace("&", "") == acronym]
    if not candidates:
        return mention
    candidates = [other for other in candidates if other.label == mention.label] or candidates
    if len({name_words(other.text) for other in candidates}) > 1:
        before = [other for other in candidates if other.start <= mention.start]
        return max(before, key=lambda other: other.start) if before else min(candidates, key=lambda other: other.start)
    return max(candidates, key=lambda other: len(other.text))


NAMES = ["Michel", "Durand", "Michel Durand", "Michel Martin", "Martin", "Jean-Michel Durand", "de Villiers", "Villiers",
         "Philippe de Villiers", "Fitch", "Fitch Ratings", "FR", "OTAN", "Organisation du traité de l'Atlantique nord", "AT&T", "Paris"]


@given(st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(["PER", "ORG", "LOC", "MISC"]), st.integers(0, 3)), max_size=40))
def test_fullest_names_agree_with_their_plain_definition(rows):
    from pipeline.mentions import fullest_names

    mentions, start = [], 0
    for text, label, gap in rows:
        mentions.append(NameMention(start, start + len(text), label, text))
        start += len(text) + gap  # a gap of 0: two mentions may touch
    assert fullest_names(mentions) == [plain_fullest_name(mention, mentions) for mention in mentions]


@pytest.mark.parametrize("text, spans, expected", [
    # GUIDELINES §4: a thing named after someone is one MISC span with its generic word
    ("Le prix Goncourt a été décerné jeudi.", [(1, 3, "MISC")], [("prix Goncourt", "MISC")]),
    ("Le prix Goncourt a été décerné jeudi.", [(2, 3, "MISC")], [("prix Goncourt", "MISC")]),
    ("Le théorème de Fermat a été démontré.", [(3, 4, "PER")], [("théorème de Fermat", "MISC")]),
    # a laureate after « prix Nobel » and a maker after « prix » are themselves
    ("Les prix Renault sont en baisse.", [(1, 3, "ORG")], [("Renault", "ORG")]),
])
def test_a_thing_named_after_someone_keeps_its_generic_word(entity_model, text, spans, expected):
    assert spans_of(entity_model, text, spans) == expected
