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
