"""Speaker attribution, one test per failure class of issue 15, on sentences written for the tests."""
from __future__ import annotations

import pandas as pd
import pytest

from pipeline.quotes.first_names import first_name_gender
from tests.test_quotes import analyse, lexicon, only  # noqa: F401  (fixtures)


def speakers_by_text(frame: pd.DataFrame) -> dict[str, str | None]:
    return {row.text: (None if pd.isna(row.speaker) else row.speaker) for row in frame.itertuples()}


# -- the wrong nearby person ---------------------------------------------------------------------
def test_speaker_is_the_subject_not_the_person_spoken_to(analyse):
    frame = analyse(
        "Le député Paul Lemoine a rencontré Marie Dupont mardi à Lyon.",
        "Le député a répondu à Marie Dupont : « Nous ne voterons jamais ce texte. »",
    )
    row = only(frame, "Nous ne voterons jamais ce texte.")
    assert row.speaker == "Paul Lemoine"


def test_a_person_named_inside_the_quote_is_not_its_speaker(analyse):
    frame = analyse("La maire de Nantes, Claire Vasseur, était à la tribune. « Je remercie Jacques Morel pour son aide », a-t-elle déclaré.")
    row = only(frame, "Je remercie Jacques Morel pour son aide")
    assert row.speaker == "Claire Vasseur"


def test_pronoun_goes_to_the_latest_subject_not_the_latest_speaker(analyse):
    frame = analyse(
        "« Le budget est sincère », a affirmé Sophie Garnier, ministre des Finances.",
        "Thomas Bernard, chef de l'opposition, a pris la parole ensuite. Il a déclaré que le budget était « truqué » et mensonger.",
    )
    assert only(frame, "Le budget est sincère").speaker == "Sophie Garnier"
    assert only(frame, "le budget était « truqué » et mensonger").speaker == "Thomas Bernard"


# -- a non-agent noun taken as speaker ------------------------------------------------------------
def test_non_agent_subject_gives_way_to_the_agent_it_names(analyse):
    frame = analyse("Les chiffres publiés par l'Insee montrent une hausse. Les chiffres publiés par l'Insee indiquent que le chômage a baissé de 2 % en un an.")
    row = only(frame, "le chômage a baissé de 2 % en un an")
    assert row.speaker == "Insee"


def test_non_agent_subject_gives_way_to_the_previous_speaker(analyse):
    frame = analyse("Le préfet Alain Roussel a parlé longuement mardi devant la presse. Selon lui, la situation reste tendue. Le bilan, a-t-il précisé, confirme que trois routes restent coupées.")
    row = only(frame, "trois routes restent coupées")
    assert row.speaker == "Alain Roussel"


def test_the_direction_of_a_company_speaks_for_it(analyse):
    frame = analyse("Le constructeur Valmont annonce un plan social. La direction de Valmont a indiqué que deux usines fermeront en 2025.")
    row = only(frame, "deux usines fermeront en 2025")
    assert row.speaker == "Valmont"


def test_an_organisation_description_points_back_to_its_name(analyse):
    frame = analyse(
        "L'ONG Terre Solidaire publie un rapport sur les prisons.",
        "L'ONG précise que « la surpopulation atteint un niveau record ».",
    )
    row = only(frame, "la surpopulation atteint un niveau record")
    assert row.speaker == "Terre Solidaire"


# -- coordinated sources ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence, content, speaker",
    [
        ("Paris et Berlin ont affirmé que l'accord serait signé avant l'été.", "l'accord serait signé avant l'été", "Paris et Berlin"),
        ("Renault et Stellantis estiment que le marché électrique va doubler.", "le marché électrique va doubler", "Renault et Stellantis"),
    ],
)
def test_coordinated_sources_stay_whole(analyse, sentence, content, speaker):
    row = only(analyse(sentence), content)
    assert row.speaker == speaker


# -- documents and the organisations behind them --------------------------------------------------
def test_a_document_named_by_selon_is_the_source(analyse):
    row = only(analyse("Selon un communiqué du ministère de la Santé, les hôpitaux manquent de 4 000 infirmiers."), "les hôpitaux manquent de 4 000 infirmiers")
    assert row.speaker == "communiqué du ministère de la Santé"


def test_an_organisation_speaking_through_a_document_is_the_source(analyse):
    row = only(analyse("L'agence Fitch explique dans un communiqué que la dette du pays reste soutenable."), "la dette du pays reste soutenable")
    assert row.speaker == "Fitch"


def test_a_medium_named_after_its_noun(analyse):
    row = only(analyse("Selon la chaîne France 24, deux hommes ont été arrêtés hier soir."), "deux hommes ont été arrêtés hier soir")
    assert row.speaker == "France 24"


# -- continuations --------------------------------------------------------------------------------
def test_interview_paragraphs_carry_the_speaker(analyse):
    frame = analyse(
        "Le chercheur Pierre Lambert a répondu à nos questions : « Le climat change plus vite que prévu. »",
        "« Nous devons agir maintenant, avant qu'il ne soit trop tard pour les glaciers. »",
    )
    assert only(frame, "Nous devons agir maintenant, avant qu'il ne soit trop tard pour les glaciers.").speaker == "Pierre Lambert"


def test_dialogue_dashes_are_turns(analyse):
    frame = analyse(
        "Nous avons interrogé l'entraîneur Marc Delorme après le match.",
        "— Êtes-vous déçu par ce résultat ?",
        "— Non, nous avons bien joué et je suis fier de mes joueurs, répond Marc Delorme.",
    )
    row = only(frame, "Non, nous avons bien joué et je suis fier de mes joueurs")
    assert (row.kind, row.speaker) == ("direct", "Marc Delorme")
    assert "Êtes-vous déçu par ce résultat ?" in set(frame["text"])


def test_reportive_conditional_continues_the_report(analyse):
    frame = analyse("La ministre Anne Perrot a déclaré que la réforme serait votée en mars. Elle concernerait près de deux millions de salariés.")
    row = only(frame, "Elle concernerait près de deux millions de salariés")
    assert (row.kind, row.speaker) == ("indirect", "Anne Perrot")


def test_a_conditional_with_a_condition_is_not_a_report(analyse):
    frame = analyse("La ministre Anne Perrot a déclaré que la réforme serait votée en mars. Si elle échouait, le gouvernement tomberait.")
    assert not any(text.startswith("Si elle") for text in frame["text"])


# -- pronouns and gender --------------------------------------------------------------------------
def test_elle_is_never_a_man(analyse):
    frame = analyse(
        "La ministre Camille Roche a reçu Michel Durand, le maire de Brest, mardi.",
        "Michel Durand a parlé de la pêche. Elle a ensuite affirmé que l'État aiderait les ports bretons.",
    )
    row = only(frame, "l'État aiderait les ports bretons")
    assert row.speaker == "Camille Roche"


def test_first_names_give_a_gender():
    assert first_name_gender("Michel Durand") == "Masc"
    assert first_name_gender("Sophie Garnier") == "Fem"
    assert first_name_gender("Durand") is None


# -- indirect quotes with infinitive complements --------------------------------------------------
@pytest.mark.parametrize(
    "sentence, content, cue",
    [
        ("Le syndicat a accusé la direction d'avoir menti aux salariés.", "avoir menti aux salariés", "accuser"),
        ("Le maire leur reproche de bloquer le chantier depuis un mois.", "bloquer le chantier depuis un mois", "reprocher"),
        ("Le groupe armé a menacé de s'en prendre aux convois humanitaires.", "s'en prendre aux convois humanitaires", "menacer"),
    ],
)
def test_infinitive_complements_are_indirect_quotes(analyse, sentence, content, cue):
    row = only(analyse(sentence), content)
    assert (row.kind, row.cue) == ("indirect", cue)


# -- scare-quote fragments ------------------------------------------------------------------------
def test_a_judged_fragment_is_one_mixed_quote(analyse):
    frame = analyse("Le sénateur Louis Martel juge la réforme « inacceptable » pour les retraités.")
    assert "inacceptable" not in set(frame["text"])
    row = only(frame, "la réforme « inacceptable » pour les retraités")
    assert (row.kind, row.speaker, row.cue) == ("mixed", "Louis Martel", "juger")
