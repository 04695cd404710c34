import re
from dataclasses import replace

import pytest
from hypothesis import given, strategies as st

from pipeline.stages.sentences import Splitter, split_document


@pytest.fixture(scope="module")
def splitter(settings):
    return Splitter.from_settings(settings)


def texts(splitter, text):
    return [text[s:e] for _, s, e in split_document(text, splitter)]


def test_quotation_closed_then_attributed_stays_whole(splitter):
    text = "« Le risque est réel. Les actions sont graves », Stoltenberg a insisté vendredi. Puis il est parti."
    assert texts(splitter, text) == [
        "« Le risque est réel. Les actions sont graves », Stoltenberg a insisté vendredi.",
        "Puis il est parti.",
    ]


def test_closing_mark_never_starts_a_sentence(splitter):
    text = "Il joue un “rôle clé.” Il a juré. L’OTAN attend, a-t-il ajouté. »"
    assert texts(splitter, text) == ["Il joue un “rôle clé.”", "Il a juré.", "L’OTAN attend, a-t-il ajouté. »"]


def test_unclosed_mark_does_not_block_splitting(splitter):
    text = "Il a appelé le commentaire « une remarque sincère. L’honnête Norvégien l’a admis."
    assert len(texts(splitter, text)) == 2


def test_abbreviations_and_initials(splitter):
    text = "M. Stoltenberg a parlé à George W. Bush. Il est parti."
    assert texts(splitter, text) == ["M. Stoltenberg a parlé à George W. Bush.", "Il est parti."]


def test_a_full_stop_after_a_line_break_does_not_look_at_the_line_before(splitter):
    # `$` also matches before a final newline: the stop was taken to close "M." above it.
    text = "Il a vu M.\n. Puis il est parti."
    assert not splitter.is_abbreviation(text, text.index("\n.") + 1)


def test_never_crosses_a_paragraph(splitter):
    result = list(split_document("Titre sans point\n\nCorps ici. Fin", splitter))
    assert [(p, s, e) for p, s, e in result] == [(0, 0, 16), (1, 18, 28), (1, 29, 32)]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_gives_valid_offsets(settings, text):
    splitter = Splitter.from_settings(settings)
    previous_end = 0
    for _, start, end in split_document(text, splitter):
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end


# -- the sentence length limit ([sentences] max_tokens) ------------------------------------
TOKEN = re.compile(r"\w+|[^\w\s]")


def test_a_line_without_full_stop_is_cut_at_spaces_within_the_limit(settings):
    splitter = replace(Splitter.from_settings(settings), max_tokens=8)
    text = "le conseil a voté le budget de la ville pour l’année prochaine après un long débat sur les cantines"
    pieces = texts(splitter, text)
    assert pieces == ["le conseil a voté le budget de la", "ville pour l’année prochaine après un", "long débat sur les cantines"]
    assert all(len(TOKEN.findall(piece)) <= 8 for piece in pieces)


def test_sentences_within_the_limit_are_untouched(splitter):
    text = "Le conseil a voté le budget. " * 3
    assert texts(splitter, text) == ["Le conseil a voté le budget."] * 3
    assert splitter.max_tokens == 250


def test_a_run_of_marks_without_spaces_is_cut_at_the_limit(settings):
    splitter = replace(Splitter.from_settings(settings), max_tokens=4)
    assert texts(splitter, "!" * 10) == ["!!!!", "!!!!", "!!"]


def test_a_megabyte_line_without_punctuation_gives_sentences_within_the_limit(splitter):
    words = "le conseil municipal a voté jeudi le budget de la ville et des écoles".split()
    text = " ".join(words[number % len(words)] for number in range(210_000))
    found = list(split_document(text, splitter))
    assert len(text) > 1_000_000 and len(found) == -(-210_000 // splitter.max_tokens)
    assert max(len(TOKEN.findall(text, start, end)) for _, start, end in found) <= splitter.max_tokens
    # Every word is in a sentence, once, in order.
    assert " ".join(text[start:end] for _, start, end in found) == text


@given(
    text=st.lists(st.sampled_from(["mot", "l’OTAN", ",", ".", "!", " ", "  ", "\n", "\n\n", "Le", "«", "»", "aujourd’hui", "x" * 7]), max_size=80).map("".join),
    limit=st.integers(min_value=1, max_value=12),
)
def test_capped_sentences_keep_every_word_in_order_within_the_limit(settings, text, limit):
    capped = replace(Splitter.from_settings(settings), max_tokens=limit)
    uncapped = replace(capped, max_tokens=10**9)
    found = list(split_document(text, capped))
    for _, start, end in found:
        assert len(TOKEN.findall(text, start, end)) <= limit and text[start:end] == text[start:end].strip()
    # The capped sentences are the uncapped ones cut in pieces: the same words, in order.
    pieces = iter(found)
    for para_id, start, end in split_document(text, uncapped):
        covered = []
        while covered_end(covered) < end:
            piece = next(pieces)
            assert piece[0] == para_id and start <= piece[1]
            covered.append(piece)
        assert covered[0][1] == start and covered_end(covered) == end
        assert TOKEN.findall(text, start, end) == [token for _, s, e in covered for token in TOKEN.findall(text, s, e)]


def covered_end(pieces) -> int:
    return pieces[-1][2] if pieces else -1
