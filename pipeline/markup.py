"""HTML markup inside a text record (a CMS export whose `text` holds the article's HTML,
or the tail of a whole page: `Berlin</title><script>…`) -> the text it marks up.

Only tags of HTML's own elements count as markup, so that prose writing `< 5 %` or
`<Paris>` is left alone. A record holding a page, or part of one (a head, a body, a
script), gives the article that the HTML reader's extractor finds in it, as an .html
file would; a record with markup in its text only (paragraphs, links, emphasis, line
breaks) keeps all its text, blocks and line breaks becoming paragraph and line breaks.
"""
from __future__ import annotations

import re

# Elements of HTML (the living standard's list, less the obsolete ones) whose tags may be
# found in a text record.
HTML_ELEMENTS = (
    "a abbr address article aside audio b bdi bdo blockquote body br button canvas caption cite code col colgroup "
    "data dd del details dfn dialog div dl dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 "
    "head header hr html i iframe img input ins kbd label legend li link main mark meta nav noscript object ol "
    "optgroup option p picture pre q s samp script section select small source span strong style sub summary sup "
    "svg table tbody td template textarea tfoot th thead time title tr u ul var video wbr"
).split()
# Elements whose content is no text of the article.
NOT_TEXT = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select", "button", "textarea")
# Elements that are blocks of text: each one is a paragraph of its own.
BLOCKS = (
    "address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tr", "ul",
)
# Elements that only a page has, around its article: their presence makes the record a page.
PAGE_ONLY = ("html", "head", "body", "title", "script", "style", "meta", "link", "nav", "footer", "aside")

_NAMES = "|".join(sorted(HTML_ELEMENTS, key=len, reverse=True))
# An opening, closing or empty tag of an HTML element (attributes as HTML writes them), a
# comment, or a doctype.
TAG = re.compile(rf"<(?:/?(?:{_NAMES})(?=[\s/>])[^<>]*>|!--|!doctype\s)", re.IGNORECASE)
PAGE_TAG = re.compile(rf"<(?:/?(?:{'|'.join(PAGE_ONLY)})(?=[\s/>])|!doctype\s)", re.IGNORECASE)


def holds_markup(text: str) -> bool:
    return TAG.search(text) is not None


def text_of_markup(text: str, doc_id: str, source: str) -> tuple[str, str]:
    """The text marked up by ``text`` and the warning that says what was done to it."""
    if PAGE_TAG.search(text):
        article = _article_of_page(text, doc_id, source)
        if article:
            return article, "text held a web page: its article was extracted from the HTML"
    return text_without_tags(text), "text held HTML markup: tags removed"


def _article_of_page(text: str, doc_id: str, source: str) -> str | None:
    from pipeline.readers import InputError
    from pipeline.readers_html import article_from_html

    # A page's tail (`…</title><script>…<body>…`) has no <html> to open it: the parser
    # then keeps the text before the first tag out of the body, where the extractor looks.
    page = text if re.search(r"<html[\s>]", text, re.IGNORECASE) else f"<html><body>{text}</body></html>"
    try:
        return article_from_html(page, doc_id=doc_id, source=source).text
    except InputError:
        return None


def text_without_tags(text: str) -> str:
    """All the text of ``text`` but the tags (and scripts, styles, comments): a block
    element or a <br> breaks the paragraph or the line, character references are decoded."""
    from lxml import html

    root = html.fragment_fromstring(text, create_parent="div")
    for element in list(root.iter(*NOT_TEXT)):
        element.drop_tree()
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in root.iterdescendants(*BLOCKS):
        element.text = "\n\n" + (element.text or "")
        element.tail = "\n\n" + (element.tail or "")
    return root.text_content()
