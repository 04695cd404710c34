import re
import re._constants as sre_constants
import re._parser as sre_parser
import tomllib

import ftfy
import pytest
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES
from hypothesis import given, strategies as st

from pipeline.config import ConfigError
from pipeline.publication_dates import PublicationDates
from pipeline.readers import Record
from pipeline.stages.clean import _MAY_BE_MOJIBAKE, _SPACE_RUN, Boilerplate, CleanError, clean_record


@pytest.fixture(scope="module")
def boilerplate(settings):
    return Boilerplate.from_settings(settings)


@pytest.fixture(scope="module")
def dates(settings):
    return PublicationDates.from_settings(settings)


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
    [
        ("26.2.2022", "2022-02-26"),
        ("15/01/2009", "2009-01-15"),
        ("2022-12", "2022-12"),
        ("le 1er mars 2021", "2021-03-01"),
        ("2019", "2019"),
        (" 2021-03-03T18:05:00+01:00 ", "2021-03-03"),
        ("2021/03/03", "2021-03-03"),
        ("March 3, 2021", "2021-03-03"),
        ("Wed, 03 Mar 2021 10:00:00 +0000", "2021-03-03"),
        ("mardi 3 mars 2021 à 10h32", "2021-03-03"),
        ("mars 2021", "2021-03"),
    ],
)
def test_record_dates_read_whole(dates, text, iso):
    assert dates.record_date(text).iso == iso


@pytest.mark.parametrize("text", ["32.13.2020", "NA", "hier", "2021-03-03 et plus", "3 mars"])
def test_what_is_not_a_record_date(dates, text):
    assert dates.record_date(text) is None


def test_an_impossible_record_date_is_read_but_has_no_value(dates):
    written = dates.record_date("2022-02-30")
    assert written.iso is None and written.problem == "names no real day"


@pytest.mark.parametrize(
    "date, published, warning",
    [
        ("2021/03/03", "2021-03-03", None),
        ("March 3, 2021", "2021-03-03", None),
        ("NA", None, "record date 'NA' is not a date (ignored)"),
        ("2022-02-30", None, "record date '2022-02-30' names no real day (ignored)"),
    ],
)
def test_a_bad_record_date_keeps_the_article_with_a_warning(boilerplate, date, published, warning):
    row = clean_record(Record("d", "s", "Titre\n\nLe corps de l'article.", date=date), boilerplate)
    assert row["published"] == published
    assert row["warnings"] == ([warning] if warning else [])


@pytest.mark.parametrize(
    "opening, published",
    [
        ("3 mars 2012. - ", "2012-03-03"),
        ("22 août 2012, Espagne. - ", "2012-08-22"),
        ("1er août 2012. – ", "2012-08-01"),
        ("LYON, 14 juillet 2020 (AFP) - ", "2020-07-14"),
        ("Marseille, le 5 mai 2019 — ", "2019-05-05"),
        ("7.11.2018 - ", "2018-11-07"),
    ],
)
def test_a_dateline_gives_the_publication_date_and_stays_in_the_text(boilerplate, opening, published):
    paragraph = opening + "Les élus ont voté le budget de la commune."
    row = clean_record(Record("d", "s", f"Le budget voté\n\n{paragraph}\n\nSuite."), boilerplate)
    assert row["published"] == published and row["published_precision"] == "day"
    assert row["text"] == f"Le budget voté\n\n{paragraph}\n\nSuite." and row["boilerplate"] == []


def test_a_dateline_after_a_standfirst_is_found(boilerplate):
    raw = "Le budget voté\n\nUn chapeau qui résume l'article en une phrase.\n\n9 juin 2015. - Le conseil a voté.\n\nSuite."
    assert clean_record(Record("d", "s", raw), boilerplate)["published"] == "2015-06-09"


def test_a_date_deep_in_the_article_is_no_dateline(boilerplate):
    raw = "Le budget voté\n\nUn.\n\nDeux.\n\nTrois.\n\n9 juin 2015. - Le conseil a voté."
    assert clean_record(Record("d", "s", raw), boilerplate)["published"] is None


@pytest.mark.parametrize("paragraph", ["3 mars 2012, le conseil a voté - enfin.", "Le 3 mars 2012 - jour du vote - le conseil a tranché."])
def test_a_sentence_starting_with_a_date_is_no_dateline(boilerplate, paragraph):
    assert clean_record(Record("d", "s", f"Titre\n\n{paragraph}"), boilerplate)["published"] is None


def test_a_dateline_without_year_leaves_published_unknown_with_a_warning(boilerplate):
    row = clean_record(Record("d", "s", "Titre\n\nPARIS, 3 mars (AFP) - Le conseil a voté."), boilerplate)
    assert row["published"] is None and row["published_precision"] is None
    assert row["warnings"] == ["'PARIS, 3 mars (AFP) -' gives no year: publication date unknown"]


def test_the_record_date_wins_over_the_dateline(boilerplate):
    row = clean_record(Record("d", "s", "Titre\n\n3 mars 2012. - Le conseil a voté.", date="2012-03-02"), boilerplate)
    assert row["published"] == "2012-03-02" and row["warnings"] == []


def test_a_bad_record_date_gives_way_to_the_dateline(boilerplate):
    row = clean_record(Record("d", "s", "Titre\n\n3 mars 2012. - Le conseil a voté.", date="NA"), boilerplate)
    assert row["published"] == "2012-03-03" and row["warnings"] == ["record date 'NA' is not a date (ignored)"]


def test_bylines_are_removed_and_publication_wins_over_update(boilerplate):
    raw = "Titre\n\nMis à jour le 5 mars 2021 à 08h00\n\nPar Jeanne Martin, publié le 03/03/2021 à 18h05\n\nLe corps."
    row = clean_record(Record("d", "s", raw), boilerplate)
    assert row["published"] == "2021-03-03" and row["text"] == "Titre\n\nLe corps."
    assert row["boilerplate"] == ["Mis à jour le 5 mars 2021 à 08h00", "Par Jeanne Martin, publié le 03/03/2021 à 18h05"]


def test_an_update_line_is_the_date_when_there_is_no_other(boilerplate):
    row = clean_record(Record("d", "s", "Titre\n\nLe corps.\n\nMis à jour le 5 mars 2021"), boilerplate)
    assert row["published"] == "2021-03-05" and row["text"] == "Titre\n\nLe corps."


def test_a_paragraph_starting_like_a_byline_is_kept(boilerplate):
    paragraph = "Publié le 3 mars 1990, ce roman a marqué toute une génération de lecteurs."
    row = clean_record(Record("d", "s", f"Titre\n\n{paragraph}"), boilerplate)
    assert row["published"] is None and paragraph in row["text"]


@pytest.mark.parametrize(
    "parts, error",
    [({"a": "{b}"}, "unknown part"), ({"a": "{b}", "b": "{a}"}, "refers to itself"), ({"a": "(unclosed"}, "not a valid regular expression")],
)
def test_bad_date_patterns_are_configuration_errors(tmp_path, parts, error):
    path = tmp_path / "dates.toml"
    path.write_text("[parts]\n" + "".join(f"{name} = '{value}'\n" for name, value in parts.items()) + "[datelines]\nx = '{a}'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=error):
        PublicationDates.from_file(path)


def test_boilerplate_alternation_matches_a_line_when_one_of_the_patterns_does(settings, boilerplate):
    data = tomllib.loads(settings.lexicon_path("clean", "boilerplate").read_text(encoding="utf-8"))
    trailing = set(data["trailing"]["patterns"])
    patterns = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in data["patterns"].items()}
    lines = ["LIRE AUSSI : la suite", "Plus", "Lire plus...", "Partagez cet article", "Abonnez-vous à notre newsletter", "-----", "---", "Le président a parlé.", "plus tard", ""]
    for line in lines:
        for at_end in (False, True):
            one_by_one = any(p.fullmatch(line) for name, p in patterns.items() if at_end or name not in trailing)
            assert boilerplate.matches(line, at_end) == one_by_one, (line, at_end)


@given(st.text(alphabet=" \t\f\vab\u00a0", max_size=30))
def test_space_runs_fold_as_one_space_per_run(text):
    assert _SPACE_RUN.sub(" ", text) == re.sub(r"[ \t\f\v]+", " ", text)


def _code_points(item) -> set[int] | None:
    """Code points one element of a parsed regex matches, or None when it is not one listed character."""
    op, value = item
    if op is sre_constants.LITERAL:
        return {value}
    if op is not sre_constants.IN:
        return None  # a repeat, an anchor, any character
    points: set[int] = set()
    for kind, arg in value:
        if kind is sre_constants.LITERAL:
            points.add(arg)
        elif kind is sre_constants.RANGE:
            points.update(range(arg[0], arg[1] + 1))
        else:
            return None  # a negated class or a category (\\s, \\w)
    return points


C1 = set(range(0x80, 0xA0))
(NOT_A_LETTER,) = list(sre_parser.parse("[^A-Za-z]"))


def _needs_a_prefilter_match(alternative: list) -> bool:
    """True when every match of this alternative of ftfy's badness pattern holds a match of
    _MAY_BE_MOJIBAKE: two adjacent non-ASCII characters, a C1 control, « œ » before a
    non-letter, « Ã »/« Â » before a space."""
    points = [_code_points(item) for item in alternative]
    non_ascii = [found is not None and min(found) > 0x7F for found in points]
    if len(points) == 1 and points[0] is not None and points[0] <= C1:
        return True
    for position in range(len(alternative) - 1):
        first, following = points[position], points[position + 1]
        if non_ascii[position] and non_ascii[position + 1]:
            return True
        if first is not None and first <= {ord("Œ"), ord("œ")} and alternative[position + 1] == NOT_A_LETTER:
            return True
        if first is not None and first <= {ord("Ã"), ord("Â")} and following is not None and all(c == ord(" ") or c > 0x7F for c in following):
            return True
    return False


def test_every_badness_alternative_needs_what_the_mojibake_prefilter_looks_for():
    [(op, (_, alternatives))] = list(sre_parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags))
    assert op is sre_constants.BRANCH and len(alternatives) > 30
    assert [str(list(alternative))[:120] for alternative in alternatives if not _needs_a_prefilter_match(list(alternative))] == []


@pytest.mark.parametrize("text", ["lâ€™OTAN", "Ã©tÃ©", "prix\x85", "sÅ“ur", "cœ.", "voilÃ le travail", "à l’Élysée"])
def test_mojibake_prefilter_lets_through_what_ftfy_may_repair(text):
    assert _MAY_BE_MOJIBAKE.search(text)


@pytest.mark.parametrize("text", ["Le président a déclaré : « oui ».", "plain ASCII", "cœur"])
def test_mojibake_prefilter_skips_text_without_suspect_sequences(text):
    assert _MAY_BE_MOJIBAKE.search(text) is None and ftfy.fix_encoding(text) == text


MOJIBAKE_CHARS = "".join(sorted(set("".join(MOJIBAKE_CATEGORIES.values()) + "ÃÂÎÐØÙŒœ°×²³àâäêó√≈‚вЂВГРСўβ€ΒΓΞΟā")))


@given(st.text(alphabet=st.sampled_from(list(MOJIBAKE_CHARS + "aeZ .,!?\n«»’é\xa0-")), max_size=12) | st.text(max_size=12))
def test_ftfy_changes_only_text_the_prefilter_lets_through(text):
    if _MAY_BE_MOJIBAKE.search(text) is None:
        assert ftfy.fix_encoding(text) == text and not BADNESS_RE.search(text)


DATE_PIECES = st.sampled_from(
    ["3", "1er", "31", "mars", "août", "sept.", "2012", "26.2.2022", " ", ", ", ". ", "- ", "– ", "(AFP) ", "PARIS", "Saint-Denis",
     "le ", "Publié le ", "Mis à jour le ", "à 10h32", "Par Jeanne Martin, ", "d'", "-", "é"]
)


@given(st.lists(DATE_PIECES, max_size=25).map("".join))
def test_a_found_dateline_is_the_start_of_its_paragraph_and_a_found_date_is_real(dates, text):
    for written in (dates.dateline(text), dates.byline(text), dates.update_byline(text), dates.record_date(text)):
        if written is not None:
            assert written.text and (written.iso is None) == (written.problem is not None)
    if (dateline := dates.dateline(text.strip())) is not None:
        assert text.strip().startswith(dateline.text)
