"""Quote attribution: one test per construction, on small texts parsed once by the entity stage."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from hypothesis import strategies as st

from pipeline.quotes.document import DocView, Token, build_views
from pipeline.quotes.lexicon import QuoteLexicon
from pipeline.marks import marked_spans
from pipeline.stages import entities as entity_stage
from pipeline.stages.quotes import document_quotes, quotes
from pipeline.stages.sentences import Splitter, sentences
from pipeline.tables import ENTITIES, QUOTES, TOKENS


@pytest.fixture(scope="session")
def lexicon(settings):
    return QuoteLexicon.from_settings(settings)


@pytest.fixture(scope="session")
def analyse(settings, lexicon):
    """text -> quotes frame, through the real sentence and entity stages (model loaded once)."""
    nlp, entity_lexicons = entity_stage.load_model(settings)
    splitter = Splitter.from_settings(settings)

    def run(*paragraphs: str) -> pd.DataFrame:
        documents = pd.DataFrame({"doc_id": ["d"], "text": ["\n\n".join(paragraphs)]})
        sents = sentences(documents, splitter)
        parsed = entity_stage.extract(documents, sents, nlp, entity_lexicons, 8)
        return quotes(documents, sents, parsed["tokens"], parsed["entities"], lexicon)

    return run


def only(frame: pd.DataFrame, text: str) -> pd.Series:
    rows = frame[frame["text"] == text]
    assert len(rows) == 1, frame[["text", "kind", "speaker", "cue"]].to_string()
    return pd.Series({key: (None if not isinstance(value, str) and pd.isna(value) else value) for key, value in rows.iloc[0].items()})


# -- quote marks -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, content",
    [
        ("Il a dit « bonjour à tous » hier.", "bonjour à tous"),
        ("Il a dit «\u00a0bonjour à tous\u00a0» hier.", "bonjour à tous"),
        ("Il a dit “bonjour à tous” hier.", "bonjour à tous"),
        ('Il a dit "bonjour à tous" hier.', "bonjour à tous"),
        ("Il a dit « un “petit” mot » hier.", "un “petit” mot"),
    ],
)
def test_every_mark_style(text, content):
    (span,) = marked_spans(text)
    assert text[span.start : span.end] == content


def test_unclosed_mark_stops_at_its_paragraph():
    text = "Il a dit « ceci sans fin.\n\nUn autre paragraphe « fermé »."
    first, second = marked_spans(text)
    assert not first.closed and text[first.start : first.end] == "ceci sans fin."
    assert second.closed and text[second.start : second.end] == "fermé"


# -- direct quotes -----------------------------------------------------------------------------
def test_cue_after(analyse):
    row = only(analyse("« Nous sommes prêts à négocier avec la Russie », Jens Stoltenberg a déclaré vendredi."), "Nous sommes prêts à négocier avec la Russie")
    assert (row.kind, row.speaker, row.cue, row.entity_key) == ("direct", "Jens Stoltenberg", "déclarer", "PER:jens stoltenberg")


def test_cue_before_colon(analyse):
    frame = analyse("Jens Stoltenberg était à Bruxelles. Il a déclaré : « Le moment est venu d'être ferme avec la Russie. »")
    row = only(frame, "Le moment est venu d'être ferme avec la Russie.")
    assert (row.speaker, row.speaker_mention, row.cue) == ("Jens Stoltenberg", "Il", "déclarer")


def test_inverted_cue_with_pronoun(analyse):
    frame = analyse(
        "Angela Merkel a parlé aux journalistes.",
        "« La situation en Europe reste très grave », a-t-elle ajouté.",
    )
    row = only(frame, "La situation en Europe reste très grave")
    assert (row.speaker, row.speaker_mention, row.cue) == ("Angela Merkel", "elle", "ajouter")


def test_inverted_cue_with_name(analyse):
    row = only(analyse("« Le moyen le plus rapide est d'armer Kiev », dit Dmitri Medvedev."), "Le moyen le plus rapide est d'armer Kiev")
    assert (row.speaker, row.cue) == ("Dmitri Medvedev", "dire")


def test_split_around_the_cue(analyse):
    frame = analyse("Jacques Chirac était à Paris. « Nous devons agir vite, a-t-il dit, car le temps presse. »")
    first, second = only(frame, "Nous devons agir vite"), only(frame, "car le temps presse.")
    assert first.speaker == second.speaker == "Jacques Chirac"
    assert first.cue == second.cue == "dire"


def test_quotation_paragraph_continues_the_previous_speaker(analyse):
    frame = analyse(
        "« La tâche la plus importante est d'empêcher une guerre », a déclaré Jens Stoltenberg.",
        "« Nous travaillons sur cela chaque jour avec tous nos alliés. »",
    )
    row = only(frame, "Nous travaillons sur cela chaque jour avec tous nos alliés.")
    assert (row.kind, row.speaker, row.cue) == ("direct", "Jens Stoltenberg", None)


def test_term_used_by_a_named_source_is_a_quote(analyse):
    frame = analyse("Dmitri Medvedev a appelé le commentaire « une confirmation ouverte de la participation de l'OTAN ».")
    row = only(frame, "une confirmation ouverte de la participation de l'OTAN")
    assert (row.speaker, row.cue) == ("Dmitri Medvedev", "appeler")


def test_scare_quotes_around_a_name_are_not_quotes(analyse):
    frame = analyse("Les pilotes de la «Scuderia» sont arrivés à Monaco. C'est le principe du « low profile ».")
    assert frame.empty


def test_headline_with_a_dash(analyse):
    frame = analyse(
        "« Le risque de conflit est réel » – chef de l'OTAN",
        "Le chef de l'OTAN, Jens Stoltenberg, a déclaré que l'alliance était prête à négocier.",
    )
    row = only(frame, "Le risque de conflit est réel")
    assert (row.speaker, row.speaker_mention, row.cue) == ("Jens Stoltenberg", "chef de l'OTAN", None)


# -- indirect quotes ---------------------------------------------------------------------------
def test_declared_that(analyse):
    row = only(analyse("Bill Clinton a annoncé qu'il mettra son veto à la réduction d'impôts."), "il mettra son veto à la réduction d'impôts")
    assert (row.kind, row.speaker, row.cue) == ("indirect", "Bill Clinton", "annoncer")


def test_content_then_inverted_cue(analyse):
    frame = analyse("Le conflit pourrait dégénérer en une guerre, a déclaré le secrétaire général de l'OTAN, Jens Stoltenberg.")
    row = only(frame, "Le conflit pourrait dégénérer en une guerre")
    assert (row.kind, row.speaker, row.speaker_mention, row.cue) == ("indirect", "Jens Stoltenberg", "Jens Stoltenberg", "déclarer")


def test_warned_someone_that(analyse):
    frame = analyse("Jens Stoltenberg a averti le président Vladimir Poutine que l'OTAN défendrait ses membres.")
    row = only(frame, "l'OTAN défendrait ses membres")
    assert (row.speaker, row.cue) == ("Jens Stoltenberg", "avertir")


def test_selon(analyse):
    row = only(analyse("Selon une source officielle, la panne serait due à un incident à la centrale."), "la panne serait due à un incident à la centrale")
    assert (row.kind, row.speaker, row.speaker_label, row.cue) == ("indirect", "source officielle", "OTHER", "selon")


def test_d_apres_with_a_pronoun(analyse):
    frame = analyse("Bernard affirme qu'il a chuté en se promenant. D'après lui, deux jeunes filles l'ont découvert.")
    row = only(frame, "deux jeunes filles l'ont découvert")
    assert (row.speaker, row.speaker_mention, row.cue) == ("Bernard", "lui", "selon")


@pytest.mark.parametrize(
    "text",
    [
        "Jens Stoltenberg n'a pas déclaré que l'OTAN était en guerre.",
        "Jens Stoltenberg pourrait déclarer que l'OTAN est en guerre.",
        "S'il déclare que l'OTAN est en guerre, tout changera.",
    ],
)
def test_negated_and_hypothetical_cues_are_not_quotes(analyse, text):
    assert analyse(text).empty


def test_mixed(analyse):
    frame = analyse("Sergueï Lavrov a déclaré que les États-Unis étaient déjà “directement impliqués” dans le conflit.")
    row = only(frame, "les États-Unis étaient déjà “directement impliqués” dans le conflit")
    assert (row.kind, row.speaker, row.cue) == ("mixed", "Sergueï Lavrov", "déclarer")


# -- speakers ----------------------------------------------------------------------------------
def test_description_resolved_by_apposition(analyse):
    frame = analyse(
        "Le secrétaire général de l'alliance, Jens Stoltenberg, était à Oslo.",
        "Le secrétaire général a expliqué que l'alliance restait unie.",
    )
    row = only(frame, "l'alliance restait unie")
    assert (row.speaker, row.speaker_mention) == ("Jens Stoltenberg", "Le secrétaire général")


def test_plural_description_stays_a_phrase(analyse):
    frame = analyse("Les responsables russes ont souligné que les livraisons d'armes augmentaient le risque.")
    row = only(frame, "les livraisons d'armes augmentaient le risque")
    assert (row.speaker, row.speaker_label) == ("responsables russes", "OTHER")


def test_multiword_cue(analyse):
    frame = analyse("L'Occident a mis en garde la Russie contre de graves « conséquences ».")
    row = only(frame, "conséquences")
    assert row.cue == "mettre en garde"


def test_group_subject_the_parse_missed_is_the_counted_noun_phrase(analyse):
    frame = analyse("Hier à 10 h, une vingtaine de militants de la CGT Force Ouvrière ont appelé les salariés à bloquer le dépôt de carburant.")
    row = only(frame, "bloquer le dépôt de carburant")
    assert (row.speaker, row.speaker_label, row.cue) == ("militants de la CGT Force Ouvrière", "OTHER", "appeler")
    assert row.speaker_mention.startswith("une vingtaine de militants")


def test_demonstrative_phrase_points_back_to_the_same_noun(analyse):
    frame = analyse(
        "Les prix baissent, selon une étude publiée hier par l'institut Ipsos.",
        "Cette même étude, qui porte sur mille foyers, révèle que les loyers ont augmenté.",
    )
    row = only(frame, "les loyers ont augmenté")
    assert (row.speaker, row.speaker_mention, row.cue) == ("étude publiée hier par l'institut Ipsos", "Cette même étude", "révéler")


def test_participle_takes_the_subject_of_the_reporting_verb(analyse):
    frame = analyse("Le Kremlin a démenti que le ministre soit souffrant, indiquant sèchement que la réunion avait été reportée.")
    row = only(frame, "la réunion avait été reportée")
    assert (row.speaker, row.cue) == ("Kremlin", "indiquer")


def test_role_noun_goes_to_the_person_without_another_role_never_to_a_quoted_name(analyse):
    frame = analyse(
        "L'adjoint expliqua : « Vesoul peut réussir ce projet, car la commune a préparé un dossier solide. »",
        "Paul Martin, maire, ouvrit la séance. Le maire passa ensuite la parole à Jean Dupont pour la présentation du budget.",
    )
    row = only(frame, "Vesoul peut réussir ce projet, car la commune a préparé un dossier solide.")
    assert (row.speaker, row.speaker_mention) == ("Jean Dupont", "L'adjoint")


def test_cue_ending_the_sentence_before_a_quotation(analyse):
    frame = analyse("Pierre Dubois, le patron du restaurant, confirme. « Je sers les touristes étrangers dès le mois de juin. »")
    row = only(frame, "Je sers les touristes étrangers dès le mois de juin.")
    assert (row.speaker, row.cue) == ("Pierre Dubois", "confirmer")


def test_verb_with_its_own_object_does_not_attribute_the_quote(analyse):
    frame = analyse("Le navire croise au large. L'armée « qui voit une provocation dans cette présence », a lancé des avions et des navires à sa recherche.")
    row = only(frame, "qui voit une provocation dans cette présence")
    assert (row.speaker, row.cue) == (None, None)


def test_reflexive_reporting_verb_with_an_adjective(analyse):
    frame = analyse("Martine Aubry se dit favorable à une « réforme profonde » du système de retraite.")
    row = only(frame, "favorable à une « réforme profonde » du système de retraite")
    assert (row.kind, row.speaker, row.cue) == ("mixed", "Martine Aubry", "dire")


def test_survey_figures_are_not_speakers(analyse):
    assert analyse("Par ailleurs, 48 % se disent inquiets pour l'avenir de leurs enfants.").empty


def test_quoted_fragments_after_a_colon_continue_the_reported_content(analyse):
    frame = analyse("Le ministre juge que la réforme présente « deux défauts » : elle « coûte trop cher » et « arrive bien trop tard ».")
    row = only(frame, "la réforme présente « deux défauts » : elle « coûte trop cher » et « arrive bien trop tard »")
    assert (row.kind, row.cue) == ("mixed", "juger")
    assert len(frame) == 1


def test_selon_a_rule_is_not_a_source(analyse):
    assert analyse("Selon la tradition, le nouveau président prononce un long discours devant le Parlement.").empty


def test_pour_a_name_gives_the_source_of_quoted_words(analyse):
    """GUIDELINES §4: « Pour X, P » with a quoted fragment inside P is one mixed quote over P."""
    frame = analyse("Le mannequin roule japonais : pour Suzuki, Carla Bruni incarne la « femme moderne et dynamique ».")
    row = only(frame, "Carla Bruni incarne la « femme moderne et dynamique »")
    assert (row.kind, row.speaker, row.cue) == ("mixed", "Suzuki", "selon")


def test_reflexive_use_with_another_sense_is_not_a_cue(analyse):
    frame = analyse("Le nouveau Premier ministre s'est aussitôt lancé dans les consultations pour former son gouvernement « de combat ».")
    assert frame.empty or frame["cue"].isna().all()


def test_quoted_object_after_a_comma_and_verb_is_not_an_inverted_subject(analyse):
    frame = analyse("Conseiller du ministre, Paul Durand, qui suivait ce dossier, a avancé des « raisons personnelles » à son départ.")
    row = only(frame, "raisons personnelles")
    assert (row.speaker, row.cue) == ("Paul Durand", "avancer")
    assert len(frame) == 1


# -- any text ----------------------------------------------------------------------------------
def _tiny_view(text: str) -> DocView:
    """A view with one pseudo-token per word, so the property test needs no model."""
    import re

    words = list(re.finditer(r"\S+", text))
    tokens = [
        Token(i, 0, m.start(), m.end(), m.group(), m.group().lower(), "VERB" if m.group().lower() in {"a", "dit", "déclaré"} else "NOUN", "", "ROOT" if i == 0 else "dep", 0)
        for i, m in enumerate(words)
    ]
    return DocView("d", text, tokens, [(0, 0, len(text))], [])


@hypothesis_settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["«", "»", "“", "”", '"', " ", "\n\n", ",", ".", ":", "–", "\u00a0", "dit", " a déclaré ", " que ", "selon", "Il", "nous"]), st.text(max_size=5)), max_size=40).map("".join))
def test_any_text_gives_valid_offsets(text):
    lexicon = QuoteLexicon.from_files(*_lexicon_paths())
    view = _tiny_view(text)
    for row in document_quotes(view, lexicon):
        record = dict(zip(QUOTES.column_names, row))
        assert text[record["start"] : record["end"]] == record["text"]
        assert 0 <= record["start"] <= record["end"] <= len(text)
        if record["speaker_start"] is not None:
            assert 0 <= record["speaker_start"] <= record["speaker_end"] <= len(text)
            assert text[record["speaker_start"] : record["speaker_end"]] == record["speaker_mention"]


def _lexicon_paths():
    from pipeline.config import load_settings

    settings = load_settings()
    return settings.lexicon_path("quotes", "speech_verbs"), settings.lexicon_path("quotes", "speakers")


def test_empty_tables_give_an_empty_quotes_table(lexicon):
    documents = pd.DataFrame({"doc_id": ["d"], "text": [""]})
    empty_sentences = pd.DataFrame(columns=["doc_id", "sent_id", "para_id", "start", "end", "text"])
    frame = quotes(documents, empty_sentences, pd.DataFrame(columns=TOKENS.column_names), pd.DataFrame(columns=ENTITIES.column_names), lexicon)
    assert list(frame.columns) == QUOTES.column_names and frame.empty
    assert next(build_views(documents, empty_sentences, pd.DataFrame(columns=TOKENS.column_names), pd.DataFrame(columns=ENTITIES.column_names))).tokens == []


def test_views_group_rows_by_document_in_text_order_without_spaces():
    documents = pd.DataFrame({"doc_id": ["a", "b"], "text": ["Il a dit  non", "Oui"]})
    sentences = pd.DataFrame({"doc_id": ["b", "a"], "sent_id": [0, 0], "para_id": [0, 0], "start": [0, 0], "end": [3, 13], "text": ["Oui", "Il a dit  non"]})
    rows = [  # doc_id, token_id, start, end, text, pos, head: rows out of text order, documents interleaved
        ("a", 2, 5, 8, "dit", "VERB", 2),
        ("b", 0, 0, 3, "Oui", "INTJ", 0),
        ("a", 0, 0, 2, "Il", "PRON", 2),
        ("a", 3, 8, 9, " ", "SPACE", 2),
        ("a", 4, 10, 13, "non", "ADV", 3),
        ("a", 1, 3, 4, "a", "AUX", 2),
    ]
    tokens = pd.DataFrame(
        {
            "doc_id": [r[0] for r in rows], "token_id": [r[1] for r in rows], "sent_id": 0, "start": [r[2] for r in rows], "end": [r[3] for r in rows],
            "text": [r[4] for r in rows], "lemma": [r[4].lower() for r in rows], "pos": [r[5] for r in rows], "morph": "", "dep": "dep", "head": [r[6] for r in rows],
        }
    )
    entities = pd.DataFrame(columns=ENTITIES.column_names)
    a, b = build_views(documents, sentences, tokens, entities)
    assert [t.text for t in a.tokens] == ["Il", "a", "dit", "non"] and [t.index for t in a.tokens] == [0, 1, 2, 3]
    assert [t.head for t in a.tokens] == [2, 2, 2, 3]  # « non » hung on the dropped space: its own root
    assert [t.text for t in a.children(2)] == ["Il", "a"] and a.children(3) == [] and a.subtree(2) == [0, 1, 2]
    assert a.lowers == ["il", "a", "dit", "non"] and a.sentences == [(0, 0, 13)]
    from_tokens = DocView(a.doc_id, a.text, a.tokens, a.sentences, a.mentions)  # the columns taken from the tokens instead
    assert (from_tokens.lowers, list(from_tokens.lemmas), list(from_tokens._starts)) == (a.lowers, list(a.lemmas), list(a._starts))
    assert [from_tokens.children(i) for i in range(4)] == [a.children(i) for i in range(4)]
    assert [t.text for t in b.tokens] == ["Oui"] and b.sentences == [(0, 0, 3)]
