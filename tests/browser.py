"""Report pages in headless Chromium, and their HTML read back, for the report tests.

``.ci/run`` installs Chromium; without it the browser tests skip, unless
PIPELINE_REQUIRE_BROWSER is set (CI), when they fail.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
needs_browser = pytest.mark.skipif(not CHROMIUM and not os.environ.get("PIPELINE_REQUIRE_BROWSER"), reason="headless Chromium not found, so the report is not checked in a browser: `apt-get install chromium` (.ci/run does)")

# Elements the report writes with no closing tag.
VOID = {"meta", "br", "img", "link", "input", "hr", "path", "use", "rect", "stop", "circle"}


def chromium(profile: Path, *arguments: str, width: int = 1200, height: int = 1000) -> str:
    assert CHROMIUM, "PIPELINE_REQUIRE_BROWSER is set but chromium is not installed"
    result = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", *arguments],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class SpanCollector(HTMLParser):
    """Checks tags nest properly; gathers the text of the document and of each data-span,
    and every element's attributes.

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
        self.found: list[tuple[str, dict]] = []  # (tag, attributes) of every element, in order

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)
        attributes = dict(attrs)
        self.found.append((tag, attributes))
        if tag in VOID:
            return
        self.stack.append((tag, attributes))
        if "data-span" in attributes:
            self.attributes.setdefault(attributes["data-span"], attributes)
            self.tags[attributes["data-span"]] = tag

    def handle_startendtag(self, tag, attrs):
        self.elements.append(tag)
        self.found.append((tag, dict(attrs)))

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

    def with_attribute(self, name: str) -> list[tuple[str, dict]]:
        return [(tag, attributes) for tag, attributes in self.found if name in attributes]


def collect(markup: str) -> SpanCollector:
    collector = SpanCollector()
    collector.feed(markup)
    collector.close()
    return collector


class TableRows(HTMLParser):
    """Rows of one ``<table data-table=NAME>``: each row's data-* attributes, its cells'
    text and the links in each cell."""

    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name, self.inside, self.rows = name, False, []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            self.inside = attributes.get("data-table") == self.name
        elif self.inside and tag == "tr" and self.rows is not None:
            self.rows.append({"data": {k[5:]: v for k, v in attributes.items() if k.startswith("data-")}, "cells": [], "links": []})
        elif self.inside and tag == "td":
            self._cell = []
            self.rows[-1]["links"].append([])
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif self.inside and tag == "a" and self._cell is not None:
            self.rows[-1]["links"][-1].append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag == "td":
            self.rows[-1]["cells"].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(markup: str, name: str) -> list[dict]:
    parser = TableRows(name)
    parser.feed(markup)
    return [row for row in parser.rows if row["cells"]]


def charts(markup: str) -> dict[str, dict]:
    """Every inline SVG chart: name -> {"counts": its data-counts, "desc": its description}."""
    found = {}
    for tag, attributes in collect(markup).found:
        if tag == "svg" and "data-chart" in attributes:
            found[attributes["data-chart"]] = {"counts": json.loads(attributes["data-counts"])}
    for name in found:
        match = re.search(rf'<desc id="{re.escape(name)}-desc">(.*?)</desc>', markup, flags=re.S)
        found[name]["desc"] = match.group(1) if match else None
    return found


MEASURE_SCRIPT = """<script>
const px = value => parseFloat(value);
const box = element => element ? element.getBoundingClientRect().width : null;
document.body.dataset.measured = JSON.stringify({
  window: window.innerWidth,
  scroll: document.documentElement.scrollWidth,
  body: document.body.clientWidth - px(getComputedStyle(document.body).paddingLeft) - px(getComputedStyle(document.body).paddingRight),
  text: box(document.querySelector('.text')),
  paragraph: Math.max(0, ...[...document.querySelectorAll('p')].map(box)),
  badges: [...document.querySelectorAll('.badge')].map(e => px(getComputedStyle(e).fontSize)),
  quoteBadges: [...document.querySelectorAll('.quote > .badge')].map(e => px(getComputedStyle(e).fontSize)),
});
</script>"""


def measure(page: Path, profile: Path, width: int) -> dict:
    """Sizes the page takes in a window ``width`` pixels wide, measured by the browser: a copy
    of the page beside it, without its no-script policy, runs MEASURE_SCRIPT."""
    markup = page.read_text(encoding="utf-8")
    markup = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", markup).replace("</body>", MEASURE_SCRIPT + "</body>")
    copy = page.with_name(f"measured-{page.name}")
    copy.write_text(markup, encoding="utf-8")
    try:
        dom = chromium(profile, "--dump-dom", copy.resolve().as_uri(), width=width)
    finally:
        copy.unlink()
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found, "the measuring script did not run"
    return json.loads(found.group(1).replace("&quot;", '"'))
