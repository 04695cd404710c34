import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st
from PIL import Image

from pipeline.paths import safe_file_name
from pipeline.report import LABEL_COLOURS, LAYERS, PAGES_FOLDER, SPEAKERS_FOLDER, Span, build_report, render_text
from pipeline.tables import DATES, ENTITIES, QUOTE_DATES, QUOTES, read_table, write_table
from tests import tiny_outputs
from tests.browser import chromium, collect, measure, needs_browser, table_rows

def _span(start, end, layer, span_id):
    return Span(start, end, layer, span_id, layer, badge=layer.upper() if layer in ("entity", "quote") else "")


def test_quote_holding_an_entity_nests_it():
    text = "Il a dit « Paris brûle » hier."
    start = text.index("Paris")
    quote = _span(start, start + len("Paris brûle"), "quote", "q0")
    city = _span(start, start + len("Paris"), "entity", "e0")
    markup = render_text(text, [city, quote])
    assert markup.index('data-span="q0"') < markup.index('data-span="e0"')
    spans = collect(markup)
    assert spans.span_text("q0") == "Paris brûle" and spans.span_text("e0") == "Paris"


def test_span_straddling_another_is_split_and_stays_well_formed():
    text = "« Viens » le 3 mai"
    quote = _span(2, 7, "quote", "q0")
    date = _span(6, 14, "date", "d0")
    markup = render_text(text, [quote, date])
    assert markup.count('data-span="d0"') == 2
    spans = collect(markup)
    assert spans.span_text("d0") == text[6:14] and spans.span_text("q0") == "Viens"
    # The quote's badge comes once, after its last character.
    assert markup.count("QUOTE") == 1


def test_text_is_escaped_and_bad_offsets_are_ignored():
    text = '<script>alert("&")</script>'
    markup = render_text(text, [_span(0, 8, "entity", "e0"), _span(5, 99, "date", "d0"), _span(3, 3, "date", "d1")])
    spans = collect(markup)
    assert "script" not in spans.elements
    assert "".join(spans.text) == text + ""
    assert set(spans.spans) == {"e0"}


@given(st.data())
@hypothesis_settings(max_examples=200, deadline=None)
def test_any_text_and_spans_render_well_formed(data):
    text = data.draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=40))
    bounds = st.integers(0, len(text))
    spans = [
        _span(*sorted(data.draw(st.tuples(bounds, bounds))), data.draw(st.sampled_from(LAYERS)), f"s{i}")
        for i in range(data.draw(st.integers(0, 6)))
    ]
    collector = collect(render_text(text, spans))
    assert not collector.stack
    assert "".join(collector.text) == text
    for span in spans:
        if span.start < span.end:
            assert collector.span_text(span.span_id) == text[span.start : span.end]


@given(st.text(min_size=1, max_size=300))
def test_safe_file_name_stays_in_its_folder(name):
    file_name = safe_file_name(name, ".html")
    folder = Path("/srv/report/docs")
    assert (folder / file_name).parent == folder and "/" not in file_name and "\\" not in file_name
    assert not file_name.startswith(".") and len(file_name.encode()) < 200
    assert file_name.endswith(".html")


def test_safe_file_name_keeps_plain_ids_and_separates_lookalikes():
    assert safe_file_name("000_8716f3df5ea4cf20", ".html") == "000_8716f3df5ea4cf20.html"
    names = {safe_file_name(doc_id, ".html") for doc_id in ("a/b", "a_b", "a?b", "a b", "../../etc/x", "..", ".")}
    assert len(names) == 7


@pytest.fixture()
def tiny(tmp_path):
    return tiny_outputs.build(tmp_path / "outputs")


SPEAKER_KEYS = ("PER:jens stoltenberg", "PER:emmanuel macron", "PER:marie \"curie\" o’neil")


def test_report_writes_one_page_per_document_and_per_speaker_inside_the_report(tiny):
    index = build_report(tiny)
    assert index == tiny / "report" / "index.html"
    pages = sorted(p.name for p in (tiny / "report" / PAGES_FOLDER).iterdir())
    assert pages == sorted(safe_file_name(d, ".html") for d in tiny_outputs.TEXTS)
    speakers = sorted(p.name for p in (tiny / "report" / SPEAKERS_FOLDER).iterdir())
    assert speakers == sorted(safe_file_name(key, ".html") for key in SPEAKER_KEYS)
    assert not (tiny.parent / "etc").exists() and not Path("/etc/x.html").exists()
    for page in [index, *(tiny / "report" / PAGES_FOLDER).iterdir(), *(tiny / "report" / SPEAKERS_FOLDER).iterdir()]:
        markup = page.read_text(encoding="utf-8")
        collector = collect(markup)
        # Self-contained: nothing to run, nothing to fetch (a chart's url(#id) names a part of itself).
        assert not {"script", "link", "img", "iframe", "object", "embed"} & set(collector.elements) and not collector.stack
        assert "http:" not in markup and "https:" not in markup and "src=" not in markup and not re.search(r"url\((?!#)", markup)
        assert len({a["id"] for _, a in collector.with_attribute("id")}) == len(collector.with_attribute("id")), f"an id is repeated in {page}"
    index_markup = index.read_text(encoding="utf-8")
    for expected in ("Jens Stoltenberg", "OTAN", "2021-05-03 – 2022-03-31", "not valid JSON: &lt;unexpected &#x27;&amp;&#x27;&gt;",
                     "2 documents published 2022-02-18 – 2022-02-18", "quotes dated 2022-02-15 – 2022-02-18"):
        assert expected in index_markup


def test_top_lists_name_entities_and_other_sources_apart(tiny):
    quotes, quote_dates = read_table(QUOTES, tiny), read_table(QUOTE_DATES, tiny)
    survey = quotes.iloc[[1]].assign(quote_id=2, speaker="sondage de l’institut", speaker_label="OTHER", entity_key=None,
                                     speaker_mention=None, speaker_start=None, speaker_end=None)
    write_table(QUOTES, pd.concat([quotes, survey], ignore_index=True), tiny)
    write_table(QUOTE_DATES, pd.concat([quote_dates, quote_dates.iloc[[1]].assign(quote_id=2)], ignore_index=True), tiny)
    markup = build_report(tiny).read_text(encoding="utf-8")
    top = table_rows(markup, "top-speakers")
    assert [row["cells"][:3] for row in top] == [["Emmanuel Macron", "PER", "1"], ["Jens Stoltenberg", "PER", "1"], ['Marie "Curie" O’Neil', "PER", "1"]]
    assert all(row["links"][0] == [f"{SPEAKERS_FOLDER}/{quote_file(key)}"] for row, key in zip(top, sorted(SPEAKER_KEYS)))
    assert [row["cells"] for row in table_rows(markup, "other-sources")] == [["sondage de l’institut", "1", "1"]]


def quote_file(entity_key: str) -> str:
    """The URL path of a speaker page: the safe file name, %-escaped once more in the link."""
    from urllib.parse import quote

    return quote(safe_file_name(entity_key, ".html"))


def test_document_pages_date_each_quote_and_name_whom_it_mentions(tiny):
    page = (build_report(tiny).parent / PAGES_FOLDER / "nato-2022.html").read_text(encoding="utf-8")
    rows = table_rows(page, "quotes")
    assert [row["cells"][5] for row in rows] == ["2022-02-15 « vendredi 15 février 2022 »", "2022-02-18 publication date"]
    assert [row["cells"][6] for row in rows] == ["Russie, OTAN", "France"]
    assert rows[0]["links"][0] == [f"../{SPEAKERS_FOLDER}/{quote_file('PER:jens stoltenberg')}"] and rows[0]["links"][4] == ["#quote-0"]


def test_rebuilding_drops_pages_of_documents_that_are_gone(tiny):
    build_report(tiny)
    stale = tiny / "report" / PAGES_FOLDER / "gone.html"
    stale.write_text("old", encoding="utf-8")
    build_report(tiny)
    assert not stale.exists()
    assert sorted(p.name for p in tiny.iterdir() if p.name.startswith(".")) == []


def test_report_of_a_folder_without_later_stages_says_so(tiny):
    for spec in (ENTITIES, QUOTES, DATES):
        (tiny / spec.file_name).unlink()
    page = (build_report(tiny).parent / PAGES_FOLDER / "nato-2022.html").read_text(encoding="utf-8")
    assert "Not built yet, shown as empty: entities, quotes, dates" in page


# --- In a real browser -------------------------------------------------------------


def _png_colours(path: Path) -> set[tuple[int, int, int]]:
    with Image.open(path) as image:
        return {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 24)}


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


@needs_browser
@pytest.mark.parametrize("doc_id", list(tiny_outputs.TEXTS))
def test_pages_render_in_chromium_with_every_span(tiny, tmp_path, doc_id):
    page = build_report(tiny).parent / PAGES_FOLDER / safe_file_name(doc_id, ".html")
    url = page.resolve().as_uri()

    dom = collect(chromium(tmp_path / "profile", "--dump-dom", url))
    assert "script" not in dom.elements
    text = read_table(tiny_outputs.DOCUMENTS, tiny).set_index("doc_id").loc[doc_id, "text"]
    shown = "".join(dom.text)
    assert text in shown.replace("\r\n", "\n")
    for entity in read_table(ENTITIES, tiny).query("doc_id == @doc_id").itertuples():
        span_id = f"e{entity.ent_id}"
        assert dom.tags[span_id] == "mark" and dom.attributes[span_id]["data-label"] == entity.label
        assert dom.span_text(span_id) == entity.text
    for quote in read_table(QUOTES, tiny).query("doc_id == @doc_id").itertuples():
        span_id = f"q{quote.quote_id}"
        assert dom.attributes[span_id]["data-speaker"] == quote.speaker and dom.attributes[span_id]["data-cue"] == quote.cue
        assert dom.span_text(span_id) == quote.text
        assert dom.span_text(f"{span_id}s") == quote.speaker_mention
    for date in read_table(DATES, tiny).query("doc_id == @doc_id").itertuples():
        span_id = f"d{date.date_id}"
        assert dom.attributes[span_id]["data-value"] == date.value and dom.span_text(span_id) == date.text

    screenshot = tmp_path / "page.png"
    chromium(tmp_path / "profile", f"--screenshot={screenshot}", url)
    colours = _png_colours(screenshot)
    labels = set(read_table(ENTITIES, tiny).query("doc_id == @doc_id")["label"])
    for label in labels:
        assert _rgb(LABEL_COLOURS[label]) in colours, f"no {label} highlight in the screenshot"


@needs_browser
def test_speaker_tags_are_legible_and_pages_use_the_window_up_to_a_measure(tiny, tmp_path):
    report = build_report(tiny).parent
    document, index = report / PAGES_FOLDER / "nato-2022.html", report / "index.html"
    narrow, wide = measure(document, tmp_path / "profile", 640), measure(document, tmp_path / "profile", 1900)
    assert narrow["badges"] and min(narrow["badges"] + narrow["quoteBadges"]) >= 11
    assert len(narrow["quoteBadges"]) == len(read_table(QUOTES, tiny).query("doc_id == 'nato-2022'"))
    # A narrow window is used whole, without sideways scrolling; a wide one up to the measure.
    assert narrow["body"] >= 0.85 * narrow["window"] and narrow["scroll"] <= narrow["window"]
    assert 1000 < wide["body"] <= 80 * 16 and wide["text"] <= 56 * 16 and wide["paragraph"] <= wide["text"]
    index_narrow, index_wide = measure(index, tmp_path / "profile", 640), measure(index, tmp_path / "profile", 1900)
    assert index_narrow["body"] >= 0.85 * index_narrow["window"] and index_narrow["scroll"] <= index_narrow["window"]
    assert index_wide["body"] > index_narrow["body"] and index_wide["body"] <= 80 * 16
