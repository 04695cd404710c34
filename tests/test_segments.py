"""Long texts: parsed in segments cut at paragraph breaks, every table holding the whole text."""
import pandas as pd
import pytest
import spacy

from pipeline.segments import parse_documents, segment_bounds
from pipeline.stages.entities import extract, make_doc
from pipeline.stages.sentences import Splitter, sentences

PARAGRAPHS = [
    "Le maire de Lyon, Pierre Martin, a présenté jeudi le budget de la ville devant le conseil municipal.",
    "« Nous ne lèverons pas de nouvel impôt », a déclaré Pierre Martin, sous les applaudissements de sa majorité.",
    "L’opposition, menée par Claire Dubois, a dénoncé un budget « sans ambition » pour les écoles de la Croix-Rousse.",
    "Le vote aura lieu en décembre, après un débat au Conseil d’État sur la dotation de l’Union européenne.",
]


def test_a_short_text_is_one_segment():
    assert segment_bounds("Un texte court.", [0], 100) == [0, 15]


def test_segments_end_at_paragraph_breaks_within_the_limit():
    text = "\n\n".join(PARAGRAPHS)
    bounds = segment_bounds(text, [0], 250)
    assert bounds[0] == 0 and bounds[-1] == len(text)
    for start, end in zip(bounds, bounds[1:]):
        assert 0 < end - start <= 250
    assert all(text[bound - 2 : bound] == "\n\n" for bound in bounds[1:-1])


def test_a_paragraph_longer_than_the_limit_is_cut_at_a_sentence_start_else_at_a_space():
    text = "Premier mot. Deuxième phrase un peu plus longue que la première"
    bounds = segment_bounds(text, [0, 13], 20)
    assert bounds[:2] == [0, 13] and bounds[-1] == len(text)
    assert all(0 < end - start <= 20 for start, end in zip(bounds, bounds[1:]))
    # After the sentence start, each cut follows the last space within the limit.
    assert all(text[bound - 1] == " " and " " not in text[bound : bound + 1] for bound in bounds[1:-1])
    assert bounds[2] == text.rfind(" ", 13, 13 + 20) + 1


def test_a_text_without_space_is_cut_at_the_limit():
    assert segment_bounds("x" * 25, [0], 10) == [0, 10, 20, 25]


def test_a_two_megabyte_article_is_one_doc_of_the_whole_text():
    """spaCy alone refuses a text over 1,000,000 characters (E088); in segments, the Doc is
    the whole text, its offsets the text's own."""
    nlp = spacy.blank("fr")
    paragraph = " ".join(PARAGRAPHS)
    text = "\n\n".join([paragraph] * (2_000_000 // len(paragraph) + 1))
    assert len(text) > 2_000_000
    with pytest.raises(ValueError, match="E088"):
        nlp(text)
    doc, = parse_documents(nlp, [(text, [0])], make_doc, batch_size=8, batch_chars=200_000, segment_chars=20_000)
    assert doc.text == text
    assert all(text[token.idx : token.idx + len(token)] == token.text for token in list(doc)[::997])


def test_documents_keep_their_order_and_their_text_whatever_the_batches():
    nlp = spacy.blank("fr")
    texts = ["\n\n".join(PARAGRAPHS[:count]) for count in (4, 1, 3, 2)]
    docs = list(parse_documents(nlp, [(text, [0]) for text in texts], make_doc, batch_size=2, batch_chars=150, segment_chars=120))
    assert [doc.text for doc in docs] == texts


@pytest.mark.slow
def test_a_text_parsed_in_segments_gives_the_tables_of_a_text_parsed_whole(entity_model, settings):
    """Tokens and entities of a document cut in segments at its paragraph breaks are those
    of the same document parsed at once: same offsets, same sentences, same entities."""
    nlp, lexicons = entity_model
    text = "\n\n".join(PARAGRAPHS * 3)
    documents = pd.DataFrame({"doc_id": ["long"], "text": [text]})
    sents = sentences(documents, Splitter.from_settings(settings))
    whole = extract(documents, sents, nlp, lexicons, settings.batch_size)
    cut = extract(documents, sents, nlp, lexicons, settings.batch_size, batch_chars=300, segment_chars=250)
    pd.testing.assert_frame_equal(cut["tokens"], whole["tokens"])
    pd.testing.assert_frame_equal(cut["entities"], whole["entities"])
    assert set(cut["tokens"]["sent_id"]) == set(sents["sent_id"])
