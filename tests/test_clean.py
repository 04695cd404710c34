import pytest

from pipeline.readers import Record
from pipeline.stages.clean import Boilerplate, CleanError, clean_record, parse_date


@pytest.fixture(scope="module")
def boilerplate(settings):
    return Boilerplate.from_settings(settings)


def test_date_header_with_headline_on_the_same_line(boilerplate):
    row = clean_record(Record("d", "s", " date 2022-12 Le titre\n\nLe corps."), boilerplate)
    assert row["published"] == "2022-12" and row["published_precision"] == "month"
    assert row["title"] == "Le titre"
    assert row["text"] == "Le titre\n\nLe corps."
    assert row["boilerplate"] == ["date 2022-12"]


def test_repeated_title_kept_once_and_published_line_removed(boilerplate):
    raw = "OTAN : « Titre » – suite du titre\n\n« Titre » – suite du titre\n\nPublié le 26.2.2022\n\nCorps."
    row = clean_record(Record("d", "s", raw), boilerplate)
    assert row["title"] == "OTAN : « Titre » – suite du titre"
    assert row["published"] == "2022-02-26"
    assert row["text"] == "OTAN : « Titre » – suite du titre\n\nCorps."


@pytest.mark.parametrize(
    "line",
    [
        "LIRE LA SUITE: Les États-Unis donnent leur feu vert – The Times",
        "Vous aimer cet article ? Partagez-le avec un ami !",
        "*********************************",
        "Vous pouvez lire l’article original ici",
        "Votre soutien est essentiel pour nous permettre de vous partager une information libre.",
    ],
)
def test_boilerplate_lines_removed(boilerplate, line):
    row = clean_record(Record("d", "s", f"Titre\n\nCorps de l'article.\n\n{line}\n\nSuite du corps."), boilerplate)
    assert line not in row["text"] and row["boilerplate"] == [line]


def test_dangling_plus_only_at_the_end(boilerplate):
    row = clean_record(Record("d", "s", "Titre\n\nPlus\n\nCorps.\n\nPlus"), boilerplate)
    assert row["text"] == "Titre\n\nPlus\n\nCorps."


def test_typography_kept_whitespace_folded_controls_removed(boilerplate):
    row = clean_record(Record("d", "s", "\ufeffTitre\n\n«\u00a0Oui\u00a0»,  dit-il\x07 l’homme.\tFin."), boilerplate)
    assert row["text"] == "Titre\n\n«\u00a0Oui\u00a0», dit-il l’homme. Fin."


def test_lines_are_paragraphs_when_no_blank_line(boilerplate):
    row = clean_record(Record("d", "s", "\nTitre court.\nPremier paragraphe.\nSecond.\n"), boilerplate)
    assert row["text"] == "Titre court.\n\nPremier paragraphe.\n\nSecond."


def test_empty_text_is_an_error(boilerplate):
    with pytest.raises(CleanError, match="no text"):
        clean_record(Record("d", "s", " \n\t\n"), boilerplate)


@pytest.mark.parametrize(
    "text, iso",
    [("26.2.2022", "2022-02-26"), ("15/01/2009", "2009-01-15"), ("2022-12", "2022-12"), ("le 1er mars 2021", "2021-03-01"), ("2019", "2019"), ("32.13.2020", None)],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso
