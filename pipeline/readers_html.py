"""HTML pages -> records: the article's text, headline, URL and publication date.

trafilatura, made for news pages, finds the article in the page and leaves menus, share
buttons, related links, comments and footers out; it also reads the headline and the
canonical URL. Its publication date is not used: htmldate, which it calls, falls back on
guesses (a date in the URL or the headline, the most plausible date in the body) that
are often wrong for news (a headline announcing « le 21 octobre » gives that day). The
date is read here from the page's metadata only (``article:published_time`` and its
kin, JSON-LD ``datePublished``, ``<time datetime>``); without one, the cleaning stage
looks for a byline or a dateline in the text.
"""
from __future__ import annotations

import codecs
import copy
import json
import re
from pathlib import Path
from typing import Any, Iterator

import trafilatura
from lxml.html import Element, HtmlElement
from trafilatura.xml import xmltotxt

from pipeline.readers import SNIFF_BYTES, InputError, Record, decode_bytes, has_lone_surrogate

# A page larger than this is not one news article; reading it would only fill memory.
MAX_HTML_BYTES = 50_000_000

# <meta> names, properties or itemprops giving the publication date, in order of trust
# (Open Graph's article:published_time first). Their value is ISO 8601 by their specs.
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publish-date",
    "dc.date",
    "date",
)
# <time> elements marked as the publication date, then the first one of the article,
# then the first one outside page furniture (menus, asides, footers).
_PUBLISHED_TIME_XPATHS = (
    "(.//time[@datetime][@itemprop='datePublished' or @pubdate])[1]",
    "(.//article//time[@datetime])[1]",
    "(.//time[@datetime][not(ancestor::nav or ancestor::aside or ancestor::footer)])[1]",
)
_ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})(?![\d])")
# Elements of trafilatura's output that are blocks: one paragraph each, unless they hold blocks.
_BLOCKS = frozenset({"p", "head", "list", "item", "table", "row", "quote", "code", "div"})
# <meta charset="…"> or <meta http-equiv="Content-Type" content="text/html; charset=…">.
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
# Spaces and line breaks of the markup; no-break spaces are typography and stay.
_LAYOUT_SPACE = re.compile(r"[ \t\n\r\f\v]+")
# Elements where trafilatura looks for an article's frame.
_FRAMES = ".//article|.//main|.//section|.//div"


def read_html_file(path: Path) -> Iterator[Record]:
    """One page, one record; its doc_id is the file stem."""
    size = path.stat().st_size
    if size > MAX_HTML_BYTES:
        raise InputError(f"HTML page is {size} bytes, over the limit of {MAX_HTML_BYTES} for a page")
    text, warnings = decode_page(path.read_bytes())
    yield article_from_html(text, doc_id=path.stem, source=str(path), warnings=warnings)


def decode_page(data: bytes, http_charset: str | None = None) -> tuple[str, list[str]]:
    """A page's text: UTF-8 when it is (a page that decodes as UTF-8 is UTF-8, whatever it
    declares), else the charset of its HTTP headers, else the one its <meta> declares, else
    Windows-1252 or Latin-1 with a warning, as for every text file (see decode_bytes)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _is_utf8(data):
        return decode_bytes(data)
    warnings: list[str] = []
    for charset, where in ((http_charset, "its HTTP headers"), (_meta_charset(data), "the page")):
        if not charset:
            continue
        try:
            page = data.decode(charset)
        except LookupError:
            warnings.append(f"unknown charset {charset!r} declared by {where}")
            continue
        except UnicodeDecodeError:
            page = None
        # A decoder may also give lone surrogates (UTF-7 does), which are no text.
        if page is None or has_lone_surrogate(page):
            warnings.append(f"not {charset} as declared by {where}")
            continue
        return page, warnings
    text, fallback = decode_bytes(data)
    return text, warnings + fallback


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:SNIFF_BYTES])
    return match[1].decode("ascii") if match else None


def article_from_html(page: str, doc_id: str, source: str, url: str | None = None, warnings: list[str] | None = None) -> Record:
    """The article of one HTML page; ``url`` is where the page came from, when known
    (the page's canonical link wins). Raises InputError when the page holds no article."""
    tree = trafilatura.load_html(page)
    if tree is None:
        raise InputError("not an HTML page (no element could be parsed)")
    published = metadata_date(tree)
    _frame_bare_body(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        # Recall keeps short paragraphs and lists that precision mode drops as teasers;
        # boilerplate is still removed by trafilatura's structural filters.
        favor_recall=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_tables=True,
        # Its date is not used (see the module docstring): no extensive search for it.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    paragraphs = list(_paragraphs(document.body)) if document is not None and document.body is not None else []
    if not paragraphs:
        raise InputError("no article text found in the HTML page")
    return Record(
        doc_id=doc_id,
        source=source,
        text="\n\n".join(paragraphs),
        title=document.title or None,
        date=published,
        url=document.url or url,
        warnings=list(warnings or []),
    )


def _frame_bare_body(tree: HtmlElement) -> None:
    """Make a page whose <body> holds the article's blocks directly (no article, main,
    section or div at all) an article frame of its own.

    trafilatura looks for the article in such a frame; without one it only recovers
    loose paragraphs and lists, and loses the headings and standfirst.
    """
    body = tree.find("body")
    if body is None or body.xpath(_FRAMES):
        return
    article = Element("article")
    article.text, body.text = body.text, None
    article.extend(list(body))
    body.append(article)


def _paragraphs(element) -> Iterator[str]:
    """The text of each block of trafilatura's output tree, whitespace folded.

    A block holding blocks (a list, a table, a quote of paragraphs) gives one paragraph
    per inner block: a list item or a table row is a paragraph of its own.
    """
    for child in element:
        if any(grandchild.tag in _BLOCKS for grandchild in child):
            yield from _text_parts(child.text)
            yield from _paragraphs(child)
        else:
            yield from _text_parts(_block_text(child))
        yield from _text_parts(child.tail)


def _block_text(element) -> str:
    """One block as trafilatura writes it as text, without the loose text after it (its
    tail, a paragraph of its own) and, for a list item, without trafilatura's « - » marker."""
    block = copy.copy(element)
    block.tail = None
    if block.tag == "item":
        block.tag = "p"
    return xmltotxt(block, include_formatting=False)


def _text_parts(text: str | None) -> list[str]:
    folded = _LAYOUT_SPACE.sub(" ", text or "").strip(" ")
    return [folded] if folded else []


def metadata_date(tree: HtmlElement) -> str | None:
    """The publication day given by the page's metadata (YYYY-MM-DD), else None."""
    values: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content") or meta.get("datetime")
        if key in PUBLISHED_META and content:
            values.setdefault(key, content)
    candidates = [values[key] for key in PUBLISHED_META if key in values]
    candidates += _json_ld_dates(tree)
    candidates += [found[0].get("datetime", "") for xpath in _PUBLISHED_TIME_XPATHS if (found := tree.xpath(xpath))]
    return next((match[1] for value in candidates if (match := _ISO_DAY.match(value))), None)


def _json_ld_dates(tree: HtmlElement) -> list[str]:
    dates: list[str] = []
    for script in tree.xpath(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        dates += _date_published(data)
    return dates


def _date_published(data: Any) -> list[str]:
    """Every ``datePublished`` string in a JSON-LD value, in document order."""
    if isinstance(data, list):
        return [date for item in data for date in _date_published(item)]
    if not isinstance(data, dict):
        return []
    own = [data["datePublished"]] if isinstance(data.get("datePublished"), str) else []
    return own + [date for key, value in data.items() if key != "datePublished" for date in _date_published(value)]
