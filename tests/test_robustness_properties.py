"""Any input, however broken, becomes documents with valid offsets or rejects with a reason."""
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from pipeline.readers import Record, Reject, Skipped, SUPPORTED_SUFFIXES, read_file
from pipeline.stages.clean import Boilerplate, CleanError, TextChecks, clean_record
from pipeline.stages.sentences import Splitter, split_document

# Text that looks like the inputs: French words, punctuation, quotes, headers, blank lines,
# mojibake, control characters, and any other character.
PIECES = st.sampled_from(
    ["Le", "président", "a", "déclaré", "«", "»", "“", "”", "’", ".", "!", "?", "…", "\n", "\n\n", " ", "\u00a0", "\t",
     " date 2022-12 ", "date 2022-13", "Publié le 26.2.2022", "LIRE LA SUITE: x", "Plus", "Ã©", "â€™", "\r\n", "\x00", "\ufeff", "M.", "l’OTAN"]
)
TEXTS = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=5, alphabet=st.characters(blacklist_categories=("Cs",)))), max_size=60).map("".join),
)


@pytest.fixture(scope="module")
def tools(settings):
    return Boilerplate.from_settings(settings), TextChecks.from_settings(settings), Splitter.from_settings(settings)


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(text=TEXTS, title=st.one_of(st.none(), TEXTS), date=st.one_of(st.none(), st.text(max_size=12)))
def test_any_text_cleans_to_valid_sentences_or_a_reason(tools, text, title, date):
    boilerplate, checks, splitter = tools
    try:
        row = clean_record(Record("d", "s", text, title=title, date=date), boilerplate, checks)
    except CleanError as exc:
        reason = str(exc)
        assert reason and "\n" not in reason
        return
    cleaned = row["text"]
    assert row["n_chars"] == len(cleaned) > 0
    assert unicodedata.is_normalized("NFC", cleaned)
    paragraphs = cleaned.split("\n\n")
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    if row["title"] is not None:
        assert paragraphs[0] == row["title"]
    previous_end = 0
    for para_id, start, end in split_document(cleaned, splitter):
        assert previous_end <= start < end <= len(cleaned)
        assert "\n\n" not in cleaned[start:end]
        previous_end = end


@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(data=st.one_of(st.binary(max_size=400), TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass"))), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_any_bytes_in_any_format_give_records_or_rejects(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = list(read_file(path, max_bytes=10_000))
    assert items
    for item in items:
        assert isinstance(item, (Record, Reject, Skipped))
        if isinstance(item, Reject):
            assert item.reason and "\n" not in item.reason
