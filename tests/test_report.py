import os
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st
from PIL import Image

from pipeline.paths import safe_file_name
from pipeline.report import LABEL_COLOURS, LAYERS, PAGES_FOLDER, Span, build_report, render_text
from pipeline.tables import DATES, ENTITIES, QUOTES, read_table
from tests import tiny_outputs

# Elements the report writes with no closing tag.
VOID = {"meta", "br", "img", "link", "input", "hr"}


class SpanCollector(HTMLParser):
    """Checks tags nest properly; gathers the text of the document and of each data-span.

    Badge text (labels, speakers) is kept apart, so that the text outside badges must be
    exactly the document text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.spans: dict[str, list[str]] = defaultdict(list)
        self.attributes: dict[str, dict] = {}
        self.tags: dict[str, str] = {}
        self.elements: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)
        if tag in VOID:
            return
        attributes = dict(attrs)
        self.stack.append((tag, attributes))
        if "data-span" in attributes:
            self.attributes.setdefault(attributes["data-span"], attributes)
            self.tags[attributes["data-span"]] = tag

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes <{self.stack[-1][0] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data):
        if any("badge" in (a.get("class") or "").split() for _, a in self.stack):
            return
        self.text.append(data)
        for span_id in {a["data-span"] for _, a in self.stack if "data-span" in a}:
            self.spans[span_id].append(data)

    def span_text(self, span_id: str) -> str:
        return "".join(self.spans[span_id])


def collect(markup: str) -> SpanCollector:
    collector = SpanCollector()
    collector.feed(markup)
    collector.close()
    return collector


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


def test_report_writes_one_page_per_document_inside_the_report(tiny):
    index = build_report(tiny)
    assert index == tiny / "report" / "index.html"
    pages = sorted(p.name for p in (tiny / "report" / PAGES_FOLDER).iterdir())
    assert pages == sorted(safe_file_name(d, ".html") for d in tiny_outputs.TEXTS)
    assert not (tiny.parent / "etc").exists() and not Path("/etc/x.html").exists()
    for page in [index, *(tiny / "report" / PAGES_FOLDER).iterdir()]:
        markup = page.read_text(encoding="utf-8")
        collector = collect(markup)
        # Self-contained: nothing to run, nothing to fetch.
        assert not {"script", "link", "img", "iframe", "object", "embed"} & set(collector.elements) and not collector.stack
        assert "http:" not in markup and "https:" not in markup and "src=" not in markup and "url(" not in markup
    index_markup = index.read_text(encoding="utf-8")
    for expected in ("Jens Stoltenberg", "OTAN", "2021-05-03 – 2022-03-31", "not valid JSON: &lt;unexpected &#x27;&amp;&#x27;&gt;"):
        assert expected in index_markup


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

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


def _chromium(profile: Path, *arguments: str) -> str:
    result = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1200,1000", *arguments],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _png_colours(path: Path) -> set[tuple[int, int, int]]:
    with Image.open(path) as image:
        return {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 24)}


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


@pytest.mark.skipif(not CHROMIUM and not os.environ.get("PIPELINE_REQUIRE_BROWSER"), reason="headless Chromium not found, so the report is not checked in a browser: `apt-get install chromium` (.ci/run does)")
@pytest.mark.parametrize("doc_id", list(tiny_outputs.TEXTS))
def test_pages_render_in_chromium_with_every_span(tiny, tmp_path, doc_id):
    assert CHROMIUM, "PIPELINE_REQUIRE_BROWSER is set but chromium is not installed"
    page = build_report(tiny).parent / PAGES_FOLDER / safe_file_name(doc_id, ".html")
    url = page.resolve().as_uri()

    dom = collect(_chromium(tmp_path / "profile", "--dump-dom", url))
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
    _chromium(tmp_path / "profile", f"--screenshot={screenshot}", url)
    colours = _png_colours(screenshot)
    labels = set(read_table(ENTITIES, tiny).query("doc_id == @doc_id")["label"])
    for label in labels:
        assert _rgb(LABEL_COLOURS[label]) in colours, f"no {label} highlight in the screenshot"
