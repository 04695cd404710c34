"""WARC files: every HTML 200 response is an article; the rest is skipped and counted;
a truncated file keeps what was read and rejects what is lost."""
import io
import json
import tracemalloc

import pandas as pd
import pytest
from hypothesis import given, strategies as st
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.cli import app
from pipeline.paths import safe_file_name
from pipeline.readers import Record, Reject, Skipped, read_records
from pipeline.readers_warc import url_doc_id

ARTICLE_URLS = ["https://journal.example/politique/budget-vote", "https://journal.example/sport/match?id=3", "https://journal.example/%C3%A9t%C3%A9/canicule"]
LAST_URL = "https://journal.example/culture/festival"


def html(number: int) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraphe {n} de l'article {number} : le conseil municipal a voté le budget de la commune hier soir.</p>" for n in range(3)
    )
    return (
        f"<html><head><title>Article {number}</title></head><body><nav><a href='/'>Accueil</a></nav>"
        f"<article><h1>Article {number}</h1>{paragraphs}</article></body></html>"
    ).encode("utf-8")


def response(writer: WARCWriter, url: str, status: str, headers: list[tuple[str, str]], payload: bytes) -> None:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http))


def write_warc(path, gzipped: bool, *, images: int = 1) -> None:
    """A small crawl: warcinfo, then per page a request and its response, an image, a
    redirect, a metadata record, and one more article last."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for number, url in enumerate(ARTICLE_URLS):
            request = f"GET {url} HTTP/1.1\r\nHost: journal.example\r\n\r\n".encode()
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(request)))
            response(writer, url, "200 OK", [("Content-Type", "text/html; charset=utf-8")], html(number))
        for number in range(images):
            response(writer, f"https://journal.example/logo{number}.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG\r\n" + bytes(10_000))
        response(writer, "https://journal.example/ancien", "301 Moved Permanently", [("Location", ARTICLE_URLS[0])], b"")
        writer.write_record(writer.create_warc_record(ARTICLE_URLS[0], "metadata", payload=io.BytesIO(b"outlinks: 3"), warc_content_type="application/warc-fields"))
        response(writer, LAST_URL, "200 OK", [("Content-Type", "text/html")], html(9))


def split(items):
    items = list(items)
    return (
        [item for item in items if isinstance(item, Record)],
        [item for item in items if isinstance(item, Reject)],
        [item for item in items if isinstance(item, Skipped)],
    )


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_every_html_response_is_an_article_and_the_rest_is_skipped(tmp_path, name):
    path = tmp_path / name
    write_warc(path, gzipped=name.endswith(".gz"))
    records, rejects, skipped = split(read_records([tmp_path]))
    assert [record.url for record in records] == ARTICLE_URLS + [LAST_URL]
    assert [record.title for record in records] == ["Article 0", "Article 1", "Article 2", "Article 9"]
    assert all("Accueil" not in record.text and record.source.startswith(f"{path}@") for record in records)
    assert rejects == []
    assert sorted(item.what for item in skipped) == sorted(
        ["WARC warcinfo record", "WARC request record", "WARC request record", "WARC request record", "image/png response", "HTTP 301 response", "WARC metadata record"]
    )


@pytest.mark.parametrize("gzipped", [False, True])
@pytest.mark.parametrize("cut", [100, 700])
def test_a_truncated_file_keeps_what_was_read_and_rejects_what_is_lost(tmp_path, gzipped, cut):
    whole = tmp_path / "whole.warc"
    write_warc(whole, gzipped)
    path = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) - cut])
    records, rejects, _ = split(read_records([path]))
    assert [record.url for record in records] == ARTICLE_URLS
    assert len(rejects) == 1
    assert rejects[0].reason.startswith(("truncated WARC record (https://journal.example/culture/festival)", "WARC cut short or damaged here"))
    # The lost record is named when its headers were kept.
    if LAST_URL in rejects[0].reason:
        assert rejects[0].doc_id == url_doc_id(LAST_URL)


@pytest.mark.parametrize("content, reason", [(b"ceci n'est pas une archive", "not a readable WARC file"), (b"\x1f\x8b\x08\x00garbage", "not a readable WARC file")])
def test_a_file_that_is_no_warc_is_rejected(tmp_path, content, reason):
    (tmp_path / "faux.warc.gz").write_bytes(content)
    _, rejects, _ = split(read_records([tmp_path]))
    assert len(rejects) == 1 and rejects[0].reason.startswith(reason) and rejects[0].source == str(tmp_path / "faux.warc.gz")


def test_a_warc_without_html_says_so(tmp_path):
    path = tmp_path / "images.warc"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        response(writer, "https://journal.example/a.png", "200 OK", [("Content-Type", "image/png")], b"\x89PNG")
    _, rejects, skipped = split(read_records([path]))
    assert [item.what for item in skipped] == ["image/png response"]
    assert [reject.reason for reject in rejects] == ["no article in file (1 records skipped)"]


def test_the_charset_of_the_http_headers_wins_over_the_pages(tmp_path):
    path = tmp_path / "cp1252.warc"
    page = html(5).decode("utf-8").replace("le budget", "l’œuvre").replace("<head>", '<head><meta charset="iso-8859-1">').encode("cp1252")
    with path.open("wb") as out:
        response(WARCWriter(out, gzip=False), LAST_URL, "200 OK", [("Content-Type", "text/html; charset=windows-1252")], page)
    (record,) = read_records([path])
    assert "a voté l’œuvre de la commune" in record.text and record.warnings == []


def test_records_are_read_one_at_a_time(tmp_path):
    """Memory follows the largest record, not the file: 2 000 images of 10 kB are skipped
    with a peak far below the 20 MB file."""
    path = tmp_path / "big.warc"
    write_warc(path, gzipped=False, images=2000)
    tracemalloc.start()
    try:
        records, _, skipped = split(read_records([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(records) == 4 and len(skipped) == 2006
    assert path.stat().st_size > 20_000_000 and peak < 5_000_000


URLS = st.builds(
    lambda host, path, query: f"https://{host}.example/{path}" + (f"?{query}" if query else ""),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=20),
    st.text(max_size=300),
    st.text(max_size=20),
)


@given(first=URLS, second=URLS)
def test_doc_ids_from_urls_are_stable_unique_and_safe_file_names(first, second):
    doc_id = url_doc_id(first)
    assert doc_id == url_doc_id(first)
    assert safe_file_name(doc_id) == doc_id and len(doc_id) <= 100
    assert (doc_id == url_doc_id(second)) == (first == second)


def test_a_readable_doc_id():
    assert url_doc_id("https://www.journal.example/société/2021/03/03/le-budget.html").startswith("www-journal-example-societe-2021-03-03-le-budget-html-")


def test_the_run_summary_counts_what_was_skipped(tmp_path):
    write_warc(tmp_path / "crawl.warc.gz", gzipped=True)
    output = tmp_path / "out"
    result = CliRunner().invoke(app, ["clean", "--input", str(tmp_path / "crawl.warc.gz"), "--output", str(output), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "written 4, rejected 0, skipped 7 (HTTP 301 response 1, WARC metadata record 1, WARC request record 3, WARC warcinfo record 1, image/png response 1)" in result.output
    assert json.loads((output / "_state" / "last_run.json").read_text())[0]["skipped"]["WARC request record"] == 3
    documents = pd.read_parquet(output / "documents.parquet")
    assert list(documents["url"]) == ARTICLE_URLS + [LAST_URL]
    assert list(documents["doc_id"]) == [url_doc_id(url) for url in ARTICLE_URLS + [LAST_URL]]
