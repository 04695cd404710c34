import re
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from pipeline.stages.dates import Clause, dates
from pipeline.tables import DATES
from pipeline.temporal import find_dates, normalise
from pipeline.temporal import grammar
from pipeline.temporal.grammar import PATTERNS, LineCue, Reading, Shape, Then, cue_case, line_starts, number_value, scan
from pipeline.temporal.timex import FUTURE, PAST, PRESENT, TENSED_KINDS, Anchor, interval, resolve


def reading(expression, anchor=None, tense=None, reference=None):
    timex = normalise(expression, anchor=anchor, tense=tense, reference=reference)
    assert timex is not None, expression
    return timex.type, timex.value, timex.mod


def spans(text, anchor=None, tense=None):
    return [(d.text, d.timex.value) for d in find_dates(text, anchor=anchor, tense=tense)]


# ---------------------------------------------------------------- the examples

def test_end_of_month_against_a_month_anchor():
    timex = normalise("fin février", anchor="2022-12")
    assert (timex.type, timex.value, timex.mod) == ("DATE", "2022-02", "END")
    assert (timex.start, timex.end) == (date(2022, 2, 19), date(2022, 2, 28))


def test_this_month_with_a_month_anchor():
    assert reading("ce mois-ci", anchor="2022-12") == ("DATE", "2022-12", None)


def test_weekday_with_only_the_month_known():
    assert reading("vendredi", anchor="2022-12", tense="past") == ("DATE", "2022-WXX-5", None)


def test_no_publication_date_leaves_x():
    assert reading("le 10 janvier") == ("DATE", "XXXX-01-10", None)
    assert reading("hier") == ("DATE", "XXXX-XX-XX", None)
    assert reading("vendredi") == ("DATE", "XXXX-WXX-5", None)


@pytest.mark.parametrize("tense, value", [("future", "2022-10-16"), ("past", "2022-10-09")])
def test_weekday_follows_the_tense(tense, value):
    # 2022-10-12 is a Wednesday.
    assert reading("dimanche", anchor="2022-10-12", tense=tense)[1] == value


def test_weekday_with_direction():
    assert reading("vendredi dernier", anchor="1999-05-27")[1] == "1999-05-21"
    assert reading("lundi prochain", anchor="1999-05-27")[1] == "1999-05-31"


def test_publication_line_dotted_date():
    assert reading("26.2.2022") == ("DATE", "2022-02-26", None)


def test_numeric_date_with_slashes():
    assert reading("15/01/2009") == ("DATE", "2009-01-15", None)


def test_ordinal_first_of_month():
    assert reading("le 1er mars", anchor="2022-02-26", tense="future")[1] == "2022-03-01"


def test_abbreviated_month_needs_its_full_stop():
    assert reading("le 3 sept. 2021")[1] == "2021-09-03"
    assert spans("Ils étaient sept au départ.") == []


@pytest.mark.parametrize("expression, value", [
    ("hier soir", "2022-02-25TEV"), ("mardi matin", "2022-02-22TMO"), ("vendredi soir", "2022-02-25TEV"),
    ("hier après-midi", "2022-02-25TAF"), ("ce matin", "2022-02-26TMO"),
])
def test_day_parts(expression, value):
    assert reading(expression, anchor="2022-02-26", tense="past") == ("TIME", value, None)


def test_clock_time_takes_the_day_of_its_sentence():
    found = find_dates("Il a été admis mardi vers 21 h 45. Il est décédé hier matin.", anchor="1999-05-20", tense="past")
    assert [(d.text, d.timex.value, d.timex.mod) for d in found] == [
        ("mardi", "1999-05-18", None), ("21 h 45", "1999-05-18T21:45", "APPROX"), ("hier matin", "1999-05-19TMO", None),
    ]
    assert found[1].reference == 0


def test_clock_time_before_its_day():
    found = find_dates("Vers 0 h 40, jeudi, deux voitures se sont heurtées.", anchor="2003-02-22", tense="past")
    assert [(d.text, d.timex.value) for d in found] == [("0 h 40", "2003-02-20T00:40"), ("jeudi", "2003-02-20")]


def test_clock_time_with_minutes_written_together():
    assert reading("à 15h45", anchor="2022-02-26") == ("TIME", "2022-02-26T15:45", None)
    assert reading("15 h 45", anchor="2022-02-26")[1] == "2022-02-26T15:45"


@pytest.mark.parametrize("expression, value, mod", [
    ("quelques mois", "PXM", None), ("plus de vingt ans", "P20Y", "MORE_THAN"), ("30,4 secondes", "PT30.4S", None),
    ("quinze minutes", "PT15M", None), ("environ deux mois", "P2M", "APPROX"), ("dix-huit mois", "P18M", None),
    ("un quart de siècle", "P25Y", None), ("des années", "PXY", None), ("plusieurs jours", "PXD", None),
    ("ces derniers jours", "PXD", None), ("une dizaine de jours", "P10D", "APPROX"), ("deux ans et demi", "P2.5Y", None),
    ("un an auparavant", "P1Y", None), ("moins de trois semaines", "P3W", "LESS_THAN"),
])
def test_durations(expression, value, mod):
    assert reading(expression) == ("DURATION", value, mod)


@pytest.mark.parametrize("expression, value", [
    ("chaque jour", "P1D"), ("tous les jeudis", "XXXX-WXX-4"), ("chaque année", "P1Y"), ("tous les mois", "P1M"),
    ("les deuxième et quatrième jeudis", "XXXX-WXX-4"), ("le lot quotidien", "P1D"),
    ("chaque été", "XXXX-SU"), ("tous les hivers", "XXXX-WI"), ("chaque printemps", "XXXX-SP"),
])
def test_sets(expression, value):
    assert reading(expression)[:2] == ("SET", value)


def test_range_of_days_gives_both_ends():
    assert spans("du 10 au 12 janvier", anchor="2022-01-02", tense="future") == [("10", "2022-01-10"), ("12 janvier", "2022-01-12")]
    assert spans("les 6 et 13 avril prochains", anchor="2003-02-24") == [("les 6", "2003-04-06"), ("13 avril prochains", "2003-04-13")]


def test_expressions_anchored_on_another_date():
    found = find_dates("Il est arrivé le 3 mars 2020. Le lendemain, il est reparti ; la veille, il pleuvait.")
    assert [(d.text, d.timex.value, d.timex.anchored) for d in found] == [
        ("le 3 mars 2020", "2020-03-03", None), ("Le lendemain", "2020-03-04", "reference"), ("la veille", "2020-03-03", "reference"),
    ]


@pytest.mark.parametrize("expression, value", [
    ("actuellement", "PRESENT_REF"), ("maintenant", "PRESENT_REF"), ("désormais", "PRESENT_REF"), ("autrefois", "PAST_REF"),
    ("prochainement", "FUTURE_REF"),
])
def test_vague_references(expression, value):
    assert reading(expression) == ("TIME", value, None)


@pytest.mark.parametrize("expression, anchor, value", [
    ("la semaine prochaine", "2022-10", "2022-WXX"), ("la semaine prochaine", "2022-10-12", "2022-W42"),
    ("l'année dernière", "2002-09-01", "2001"), ("ce week-end", "2003-02-08", "2003-W06-WE"),
    ("cette semaine", "1999-07-09", "1999-W27"), ("le mois prochain", "2022-12", "2023-01"),
    ("l’hiver dernier", "2003-02-04", "2002-WI"), ("en été", "2003-02-04", "XXXX-SU"),
])
def test_relative_periods(expression, anchor, value):
    assert reading(expression, anchor=anchor)[1] == value


def test_position_inside_a_relative_year():
    assert reading("la fin de l'année dernière", anchor="2003-02-23") == ("DATE", "2002", "END")
    assert reading("début octobre", anchor="2002-09-14", tense="future") == ("DATE", "2002-10", "START")
    assert reading("mi-juin", anchor="2022-03") == ("DATE", "2022-06", "MID")


@pytest.mark.parametrize("expression, anchor, tense, value", [
    ("le 11 septembre", "2002-02-09", "past", "2001-09-11"), ("le 2 juin", "1999-05-27", "future", "1999-06-02"),
    ("le 6 mai dernier", "1999-05-27", None, "1999-05-06"), ("juin prochain", "1999-05-23", None, "1999-06"),
    ("septembre dernier", "2002-02-09", None, "2001-09"), ("octobre 98", "1999-05-23", None, "1998-10"),
    ("le 10 novembre 93", "2002-01-21", None, "1993-11-10"), ("le 25 février", "2022-02-26", None, "2022-02-25"),
])
def test_year_of_a_day_or_month(expression, anchor, tense, value):
    assert reading(expression, anchor=anchor, tense=tense)[1] == value


def test_today_and_tomorrow():
    assert reading("aujourd'hui", anchor="2022-02-26")[1] == "2022-02-26"
    assert reading("Aujourd’hui vendredi", anchor="1999-07-09")[1] == "1999-07-09"
    assert reading("demain", anchor="2002-05-23")[1] == "2002-05-24"
    assert reading("hier", anchor="2022-12")[1] == "2022-12-XX"


@pytest.mark.parametrize("text", [
    "Il a versé environ 6 m3 d'eau.", "sept voitures ont passé la ligne", "Une fillette de 6 ans s'est noyée.",
    "Agé de 54 ans, il rentre.", "les Jeux olympiques d'hiver", "dans le quotidien local", "en dehors des heures scolaires",
    "Il a été élu.", "1500 manifestants", "la 35e victoire",
])
def test_not_dates(text):
    assert spans(text) == []


def test_years():
    assert spans("En 1995, il a ouvert ; depuis 1999, la saison 2002/2003.") == [("1995", "1995"), ("1999", "1999"), ("2002", "2002"), ("2003", "2003")]
    assert reading("les années 80") == ("DATE", "198", None)


def test_number_words():
    assert [number_value(w) for w in ("vingt et un", "dix-huit", "soixante-dix", "quatre-vingt-dix", "deux cents", "30,4")] == [21, 18, 70, 90, 200, 30.4]


def test_interval_convention():
    assert interval("2022-02", "END") == (date(2022, 2, 19), date(2022, 2, 28))
    assert interval("2022-02", "START") == (date(2022, 2, 1), date(2022, 2, 10))
    assert interval("2022-W05") == (date(2022, 1, 31), date(2022, 2, 6))
    assert interval("2022-WXX-5") == (date(2022, 1, 1), date(2022, 12, 31))
    assert interval("XXXX-01-10") == (None, None)
    assert interval("2022-02-25TEV") == (date(2022, 2, 25), date(2022, 2, 25))


# ---------------------------------------------------------------- properties

@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from([None, "2022", "2022-12", "2022-02-26"]), st.sampled_from([None, "past", "present", "future"]))
def test_any_text_gives_valid_spans(text, anchor, tense):
    found = find_dates(text, anchor=anchor, tense=tense)
    previous_end = 0
    for item in found:
        assert 0 <= item.start < item.end <= len(text)
        assert item.text == text[item.start:item.end]
        assert item.start >= previous_end
        previous_end = item.end
        assert item.timex.type in ("DATE", "TIME", "DURATION", "SET")


date_words = st.sampled_from(["le", "10", "1er", "janvier", "sept.", "sept", "vendredi", "hier", "soir", "à", "15", "h", "45",
                              "plus", "de", "vingt", "ans", "chaque", "jour", "fin", "février", "ce", "mois-ci", "prochain",
                              "dernière", "l'année", "du", "au", "12", "2022", "26.2.2022", "environ", "quelques", "mois", ","])


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(date_words, max_size=12), st.sampled_from([None, "2022-12", "2022-02-26"]))
def test_date_like_word_salad_resolves(words, anchor):
    text = " ".join(words)
    for item in find_dates(text, anchor=anchor):
        assert item.text == text[item.start:item.end]
        if item.timex.start is not None:
            assert item.timex.start <= item.timex.end


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(date_words, max_size=12), st.sampled_from([None, "2022", "2022-12", "2022-02-26"]),
       st.sampled_from([None, "2022-02-25", "2022-02-25TEV"]))
def test_only_tensed_readings_depend_on_the_tense(words, anchor, reference):
    """find_dates asks the clause its tense only for TENSED_KINDS: the others read the same
    whatever the tense."""
    publication = Anchor.parse(anchor)
    for match in scan(" ".join(words)):
        if match.parse.kind not in TENSED_KINDS:
            readings = {resolve(match.parse, publication, tense, reference) for tense in (None, PAST, PRESENT, FUTURE)}
            assert len(readings) == 1, match.parse


# ---------------------------------------------------------------- the stage

def _tokens(doc_id, text, rows):
    """Hand-made tokens table: (text, lemma, pos, morph, dep, head)."""
    records, position = [], 0
    for token_id, (word, lemma, pos, morph, dep, head) in enumerate(rows):
        start = text.index(word, position)
        position = start + len(word)
        records.append((doc_id, token_id, 0, start, position, word, lemma, pos, morph, dep, head))
    return pd.DataFrame(records, columns=["doc_id", "token_id", "sent_id", "start", "end", "text", "lemma", "pos", "morph", "dep", "head"])


def test_stage_reads_tense_from_tokens():
    past_text, future_text = "Il a déclaré dimanche.", "La fête se déroulera dimanche."
    past = _tokens("a", past_text, [
        ("Il", "il", "PRON", "", "nsubj", 2), ("a", "avoir", "AUX", "Mood=Ind|Tense=Pres|VerbForm=Fin", "aux:tense", 2),
        ("déclaré", "déclarer", "VERB", "Tense=Past|VerbForm=Part", "ROOT", 2), ("dimanche", "dimanche", "NOUN", "", "obl:mod", 2),
        (".", ".", "PUNCT", "", "punct", 2),
    ])
    future = _tokens("b", future_text, [
        ("La", "le", "DET", "", "det", 1), ("fête", "fête", "NOUN", "", "nsubj", 3), ("se", "se", "PRON", "", "expl", 3),
        ("déroulera", "dérouler", "VERB", "Mood=Ind|Tense=Fut|VerbForm=Fin", "ROOT", 3),
        ("dimanche", "dimanche", "NOUN", "", "obl:mod", 3), (".", ".", "PUNCT", "", "punct", 3),
    ])
    documents = pd.DataFrame({"doc_id": ["a", "b"], "text": [past_text, future_text], "published": ["2022-10-12", "2022-10-12"]})
    sentences = pd.DataFrame({"doc_id": ["a", "b"], "sent_id": [0, 0], "para_id": [0, 0], "start": [0, 0],
                              "end": [len(past_text), len(future_text)], "text": [past_text, future_text]})
    table = dates(documents, sentences, pd.concat([past, future], ignore_index=True))
    assert list(table.columns) == DATES.column_names
    assert table["value"].tolist() == ["2022-10-09", "2022-10-16"]
    assert table["anchor"].tolist() == ["publication", "publication"]
    for row in table.itertuples():
        text = documents.set_index("doc_id").loc[row.doc_id, "text"]
        assert text[row.start:row.end] == row.text


def test_stage_without_tokens_still_resolves():
    text = "Publié hier, fin février."
    documents = pd.DataFrame({"doc_id": ["c"], "text": [text], "published": [None]})
    sentences = pd.DataFrame({"doc_id": ["c"], "sent_id": [0], "para_id": [0], "start": [0], "end": [len(text)], "text": [text]})
    empty = _tokens("c", text, [])
    table = dates(documents, sentences, empty)
    assert table["value"].tolist() == ["XXXX-XX-XX", "XXXX-02"]
    assert table["anchor"].isna().all()


def test_stage_reads_tokens_in_any_row_order():
    """Tokens are read per document in token order, whatever the order of the rows."""
    texts = {"a": "Il a déclaré dimanche.", "b": "La fête se déroulera dimanche."}
    past = _tokens("a", texts["a"], [
        ("Il", "il", "PRON", "", "nsubj", 2), ("a", "avoir", "AUX", "Mood=Ind|Tense=Pres|VerbForm=Fin", "aux:tense", 2),
        ("déclaré", "déclarer", "VERB", "Tense=Past|VerbForm=Part", "ROOT", 2), ("dimanche", "dimanche", "NOUN", None, "obl:mod", 2),
        (".", ".", "PUNCT", None, "punct", 2),
    ])
    future = _tokens("b", texts["b"], [
        ("La", "le", "DET", "", "det", 1), ("fête", "fête", "NOUN", "", "nsubj", 3), ("se", None, "PRON", "", None, 3),
        ("déroulera", "dérouler", "VERB", "Mood=Ind|Tense=Fut|VerbForm=Fin", "ROOT", 3),
        ("dimanche", "dimanche", "NOUN", "", "obl:mod", 3), (".", ".", None, "", "punct", 3),
    ])
    documents = pd.DataFrame({"doc_id": list(texts), "text": list(texts.values()), "published": ["2022-10-12", "2022-10-12"]})
    sentences = pd.DataFrame({"doc_id": list(texts), "sent_id": [0, 0], "para_id": [0, 0], "start": [0, 0],
                              "end": [len(t) for t in texts.values()], "text": list(texts.values())})
    in_order = pd.concat([past, future], ignore_index=True)
    shuffled = in_order.sample(frac=1, random_state=3).reset_index(drop=True)
    expected = dates(documents, sentences, in_order)
    assert expected["value"].tolist() == ["2022-10-09", "2022-10-16"]
    pd.testing.assert_frame_equal(dates(documents, sentences, shuffled), expected)


def test_clause_tense_of_an_infinitive_under_a_modal():
    text = "Il devrait arriver lundi."
    tokens = _tokens("d", text, [
        ("Il", "il", "PRON", "", "nsubj", 1), ("devrait", "devoir", "VERB", "Mood=Cnd|Tense=Pres|VerbForm=Fin", "ROOT", 1),
        ("arriver", "arriver", "VERB", "VerbForm=Inf", "xcomp", 1), ("lundi", "lundi", "NOUN", "", "obl:mod", 2),
        (".", ".", "PUNCT", "", "punct", 1),
    ])
    assert Clause.of(tokens).tense(19, 24) == "future"


# ---------------------------------------------------------------- cues

@pytest.mark.parametrize("drawn_from", PATTERNS, ids=lambda pattern: pattern.name)
@hypothesis_settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_cues_never_hide_a_match(drawn_from, data):
    """scan runs a pattern only over the lines where its cues hold: it must find there
    all the bare regex finds in the whole text (texts drawn from each pattern's regex,
    on lines of their own or not)."""
    drawn = st.from_regex(drawn_from.regex)
    text = data.draw(st.lists(drawn, min_size=1, max_size=3).flatmap(
        lambda texts: st.sampled_from(["", " ", "\n", "\r\n"]).map(lambda joiner: joiner.join(texts))))
    reading = Reading(text)
    for pattern in PATTERNS:
        found = [(m.span(), m.groupdict()) for m in reading.matches(pattern)]
        assert found == [(m.span(), m.groupdict()) for m in pattern.regex.finditer(text)], (pattern.name, text)


def _all_cues():
    for pattern in PATTERNS:
        for needed in pattern.needs:
            parts = (needed.first, needed.second) if isinstance(needed, Then) else (needed,)
            yield from (part for part in parts if isinstance(part, LineCue))


def test_case_fold_reads_letters_and_word_ends_as_re_does():
    every_character = "".join(map(chr, range(0x110000)))
    letters = {c for cue in _all_cues() for piece in cue.pieces for c in piece}
    for letter in letters:
        matched = re.findall(re.escape(letter), every_character, re.IGNORECASE)
        assert {cue_case(c) for c in matched} == {letter}, letter
    # Folding keeps every character one character, so the folded text lines up with the text.
    assert all(len(cue_case(c)) == 1 for c in every_character)
    # A word_end (word_start) cue reads the character after (before) a piece in the folded text.
    assert not re.search(r"\w", "".join(cue_case(c) for c in re.findall(r"\W", every_character)))
    # Chunks are cut at spaces: no piece holds one, and folding keeps spaces spaces.
    assert not any(c.isspace() for c in letters)
    assert all(cue_case(c).isspace() == c.isspace() for c in every_character)


def _cue_regex(needed):
    """A cue as a regex over the case-folded text."""
    return re.compile(("(?<!\\w)" if needed.word_start else "") + ("(?<!\\S)" if needed.chunk_start else "")
                      + "(?:" + "|".join(map(re.escape, needed.pieces)) + ")"
                      + ("(?!\\w)" if needed.word_end else "") + ("(?!\\S)" if needed.chunk_end else ""))


def _holds_in_chunk(needed, chunk):
    found = needed.regex.search(chunk) if isinstance(needed, Shape) else _cue_regex(needed).search(cue_case(chunk))
    return found is not None


def _cue_lines_read_directly(text, pattern):
    """Lines of ``text`` where every cue of ``pattern`` holds, searched on the whole text:
    each cue and shape as a regex; a Then on each pair of neighbouring words."""
    folded = cue_case(text)
    line_of = [line for line, part in enumerate(folded.split("\n")) for _ in range(len(part) + 1)]
    lines = set(range(len(line_starts(text))))
    for needed in pattern.needs:
        if isinstance(needed, Shape):
            lines &= {line_of[match.start()] for match in needed.regex.finditer(text)}
        elif isinstance(needed, Then):
            lines &= {line for line, part in enumerate(text.split("\n")) for first, second in zip(part.split(), part.split()[1:])
                      if _holds_in_chunk(needed.first, first) and _holds_in_chunk(needed.second, second)}
        else:
            lines &= {line_of[at] for at in range(len(folded)) if _cue_regex(needed).match(folded, at)}
    return sorted(lines)


cue_text = st.lists(st.one_of(
    st.sampled_from(sorted({piece for cue in _all_cues() for piece in cue.pieces})),
    st.sampled_from([" ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u2009", "'", "’", "-", ".", ",", "/", ":", "_", "«", "(", "h"]),
    st.sampled_from(["İ", "ı", "ſ", "Σ", "É", "JANVIER", "Août", "ÉTÉ", "Été", "Ete", "l'été", "a été", "x", "é", "2", "19", "2022",
                     "26.2.2022", "2003-02-04", "18 h", "9:30", "3", "1er", "Premier", "sept.", "'21", "1٠", "le", "LE", "en", "par"]),
), max_size=30).map("".join)


@hypothesis_settings(max_examples=400, deadline=None)
@given(cue_text)
def test_cues_read_on_chunks_hold_where_a_search_finds_them(text):
    reading = Reading(text)
    for pattern in PATTERNS:
        assert reading.lines(pattern) == _cue_lines_read_directly(text, pattern), pattern.name


def test_chunk_cues_survive_forgetting(monkeypatch):
    monkeypatch.setattr(grammar, "_CHUNK_LIMIT", 3)
    texts = ["Le 3 mars 2020, il y a deux ans.", "Ce week-end\nPar jour : 18 h", "l’été dernier, aujourd'hui"]
    for text in texts * 2:
        reading = Reading(text)
        for pattern in PATTERNS:
            assert reading.lines(pattern) == _cue_lines_read_directly(text, pattern), (pattern.name, text)


# ---------------------------------------------------------------- first characters

def test_first_characters_of_small_patterns():
    def firsts(pattern, flags=0):
        atoms = grammar.first_characters(re.compile(pattern, flags))
        return None if atoms is None else sorted(grammar._class_items(op, av) for _, op, av in atoms)

    letter = lambda c: "\\U%08x" % ord(c)
    assert firsts(r"(?<![\w-])(?:le\s)?(?:a|bc)?\d+x") == sorted([letter("l"), letter("a"), letter("b"), r"\d"])
    assert firsts(r"(?=x)y") == [letter("y")]
    assert firsts(r"a*") is None  # matches the empty string
    assert firsts(r".b") is None  # any character: no guard
    assert firsts(r"(?-i:[ÉE])t|été", re.IGNORECASE) == sorted([letter("É") + letter("E"), letter("é")])


def test_every_pattern_is_searched_behind_a_guard():
    assert [pattern.name for pattern in PATTERNS if pattern.search is pattern.regex] == []


def test_guards_accept_every_first_character():
    """Each atom a match can start with, compiled on its own by re, accepts no character
    the guard of its pattern refuses (checked over every character)."""
    from re import _compiler, _parser

    every_character = "".join(map(chr, range(0x110000)))
    for pattern in PATTERNS:
        guard = re.compile(pattern.search.pattern[:len(pattern.search.pattern) - len(pattern.regex.pattern)] + r"[\s\S]", pattern.regex.flags)
        accepted = set(guard.findall(every_character))
        state = _parser.State()
        for ignore_case, op, av in grammar.first_characters(pattern.regex):
            flags = re.IGNORECASE if ignore_case else 0
            atom = _compiler.compile(_parser.SubPattern(state, [(op, av)]), flags)
            assert set(atom.findall(every_character)) <= accepted, pattern.name


# ---------------------------------------------------------------- lexicon alternations

def _plain_alternation(forms):
    """What words() stands for: the forms one after the other, longest first."""
    return "(?:" + "|".join(grammar._pieces_of(form) for form in sorted(set(forms), key=len, reverse=True)) + ")"


lexicon_forms = st.lists(st.text(alphabet="abA '’é-", min_size=1, max_size=4), min_size=1, max_size=8)


@hypothesis_settings(max_examples=400, deadline=None)
@given(forms=lexicon_forms, text=st.text(alphabet="abéAÉ '’-\n", max_size=40),
       after=st.sampled_from(["", "b", r"(?![\w-])", r"\s+a", "(?=é)"]))
def test_words_trie_matches_as_the_plain_alternation(forms, text, after):
    """words() writes its forms as a trie: it finds what the alternation of the forms,
    longest first, finds, also where what follows makes re backtrack into it."""
    for flags in (0, re.IGNORECASE):
        trie = re.compile(grammar.words(forms) + after, flags)
        plain = re.compile(_plain_alternation(forms) + after, flags)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], (forms, text, after)


def test_words_shares_the_prefixes_of_its_forms():
    assert grammar.words(["avril", "août", "a"]) == "(?:a(?:oût|vril|))"
    pattern = re.compile(grammar.words(["l'an", "l'année", "lundi"]), re.IGNORECASE)
    assert [m.group() for m in pattern.finditer("L’année, l'an, lundi, l an")] == ["L’année", "l'an", "lundi"]
