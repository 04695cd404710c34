"""Who said what about whom, and when, across documents: a small corpus through the whole
pipeline, its quote_mentions and quote_dates, its speaker pages and index charts in Chromium.

Two speakers quoted in three documents: a date in the reporting clause ("a déclaré mardi",
"a déclaré le 28 avril"), a date inside the quoted words that must not date the quote
("en juin"), a document dated to the month only, and a speaker naming himself.
"""
import json
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.names import entity_key
from pipeline.paths import safe_file_name
from pipeline.report import SPEAKERS_FOLDER, build_report
from pipeline.tables import QUOTE_DATES, QUOTE_MENTIONS, QUOTES, read_table
from tests.browser import charts, chromium, collect, needs_browser, table_rows

pytestmark = pytest.mark.slow

CORPUS = [
    {"id": "lyon-a", "date": "2023-03-10", "text": "Trois écoles pour Lyon\n\n« Nous ouvrirons trois écoles à Lyon », a déclaré mardi Marie Lefèvre.\n\nPaul Girard a affirmé que Marie Lefèvre se trompait."},
    {"id": "lyon-b", "date": "2023-04", "text": "La réponse de la maire\n\n« Paul Girard reviendra en juin à Lyon », a répondu Marie Lefèvre."},
    {"id": "lyon-c", "date": "2023-05-02", "text": "Le candidat persiste\n\nPaul Girard a déclaré le 28 avril : « Paul Girard ne renoncera jamais à Lyon. »"},
]
MARIE, PAUL, LYON = entity_key("PER", "Marie Lefèvre"), entity_key("PER", "Paul Girard"), entity_key("LOC", "Lyon")


@pytest.fixture(scope="module")
def lyon(tmp_path_factory):
    """`pipeline run` on the corpus, then `pipeline report`: the output folder."""
    folder = tmp_path_factory.mktemp("lyon")
    corpus = folder / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in CORPUS), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "--input", str(corpus), "--output", str(folder / "outputs"), "--quiet"])
    assert result.exit_code == 0, result.output
    build_report(folder / "outputs")
    return folder / "outputs"


def _with_speakers(frame: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    return frame.merge(quotes[["doc_id", "quote_id", "entity_key"]].rename(columns={"entity_key": "speaker_key"}), on=["doc_id", "quote_id"])


def test_each_quote_mentions_whom_it_names_never_its_speaker(lyon):
    quotes = read_table(QUOTES, lyon)
    assert sorted(zip(quotes["doc_id"], quotes["entity_key"])) == [("lyon-a", MARIE), ("lyon-a", PAUL), ("lyon-b", MARIE), ("lyon-c", PAUL)]
    mentions = _with_speakers(read_table(QUOTE_MENTIONS, lyon), quotes)
    assert sorted(zip(mentions["doc_id"], mentions["speaker_key"], mentions["entity_key"], mentions["label"])) == [
        ("lyon-a", MARIE, LYON, "LOC"),
        ("lyon-a", PAUL, MARIE, "PER"),
        ("lyon-b", MARIE, LYON, "LOC"),
        ("lyon-b", MARIE, PAUL, "PER"),
        ("lyon-c", PAUL, LYON, "LOC"),  # "« Paul Girard ne renoncera jamais à Lyon »", said Paul Girard
    ]


def test_each_quote_is_dated_by_its_clause_else_by_its_publication(lyon):
    dated = _with_speakers(read_table(QUOTE_DATES, lyon), read_table(QUOTES, lyon))
    found = {(row.doc_id, row.speaker_key): (row.dated_by, row.value, row.date_start, row.date_end) for row in dated.itertuples()}
    assert found == {
        ("lyon-a", MARIE): ("clause", "2023-03-07", date(2023, 3, 7), date(2023, 3, 7)),  # "a déclaré mardi", published Friday 10
        ("lyon-a", PAUL): ("publication", "2023-03-10", date(2023, 3, 10), date(2023, 3, 10)),
        ("lyon-b", MARIE): ("publication", "2023-04", date(2023, 4, 1), date(2023, 4, 30)),  # "en juin" is what she talks about
        ("lyon-c", PAUL): ("clause", "2023-04-28", date(2023, 4, 28), date(2023, 4, 28)),
    }


def _page(href: str, base: Path) -> tuple[Path, str]:
    """The file and the fragment a link of the page at ``base`` points to."""
    parts = urlsplit(href)
    return (base.parent / unquote(parts.path)).resolve(), parts.fragment


@needs_browser
def test_a_speaker_page_lists_the_quotes_in_date_order_with_links_to_them(lyon, tmp_path):
    report = lyon / "report"
    page = report / SPEAKERS_FOLDER / safe_file_name(MARIE, ".html")
    dom = chromium(tmp_path / "profile", "--dump-dom", page.resolve().as_uri())
    quotes = read_table(QUOTES, lyon).set_index(["doc_id", "quote_id"])
    said = table_rows(dom, "said")
    assert [(row["data"]["doc"], row["data"]["when"]) for row in said] == [("lyon-a", "2023-03-07"), ("lyon-b", "2023-04")]
    for row in said:
        quote = quotes.loc[(row["data"]["doc"], int(row["data"]["quote"]))]
        assert row["cells"][1] == quote["text"] and row["cells"][2] == quote["cue"]
        [link] = row["links"][5]
        target, fragment = _page(link, page)
        assert target.exists() and fragment == f"quote-{row['data']['quote']}"
        shown = collect(chromium(tmp_path / "profile", "--dump-dom", target.as_uri()))
        # The link lands on the quote itself, in the document's text.
        [(tag, attributes)] = [(tag, attributes) for tag, attributes in shown.found if attributes.get("id") == fragment]
        assert "quote" in attributes["class"].split() and shown.span_text(attributes["data-span"]) == quote["text"]
    assert [row["cells"][1] for row in said][1] == "Paul Girard reviendra en juin à Lyon"
    assert {row["cells"][0]: row["cells"][1] for row in table_rows(dom, "cues")} == {"déclarer": "1", "répondre": "1"}
    about = table_rows(dom, "about")
    assert [row["cells"][:3] for row in about] == [["Lyon", "LOC", "2"], ["Paul Girard", "PER", "1"]]
    [others] = table_rows(dom, "others")
    assert others["cells"][:3] == ["Paul Girard", "PER", "1"]
    target, _ = _page(others["links"][0][0], page)
    assert target == (report / SPEAKERS_FOLDER / safe_file_name(PAUL, ".html")).resolve()


@needs_browser
def test_the_index_charts_are_svg_holding_their_counts(lyon, tmp_path):
    dom = chromium(tmp_path / "profile", "--dump-dom", (lyon / "report" / "index.html").resolve().as_uri())
    found = charts(dom)
    assert found["quotes-per-month"]["counts"] == {"months": {"2023-03": 2, "2023-04": 2}, "undated": 0}
    assert found["quotes-per-month"]["desc"] == "2023-03: 2; 2023-04: 2. 4 quotes dated to the month, 0 not."
    assert found["top-speakers"]["counts"] == {MARIE: 2, PAUL: 2}
    assert found["speakers-by-entities"]["counts"] == {MARIE: {LYON: 2, PAUL: 1}, PAUL: {LYON: 1, MARIE: 1}}
    assert "Marie Lefèvre about Lyon: 2" in found["speakers-by-entities"]["desc"]
    assert 'data-corpus-range="2023-03-10 – 2023-05-02"' in dom
    top = table_rows(dom, "top-speakers")
    assert [row["cells"][:4] for row in top] == [["Marie Lefèvre", "PER", "2", "2"], ["Paul Girard", "PER", "2", "2"]]
