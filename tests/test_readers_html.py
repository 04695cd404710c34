"""HTML pages: the article's text, headline, URL and date, without the page's furniture."""
import json

import pytest

from pipeline.evaluate import normalise
from pipeline.readers import Record, Reject, read_records
from pipeline.readers_html import article_from_html
from pipeline.stages.clean import Boilerplate, TextChecks, clean_batch, clean_record
from tests.conftest import LABELLED, ROOT

WIKINEWS = ROOT / "data" / "raw" / "wikinews-fr-dev"

BODY = """
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/culture">Culture</a></li></ul></nav></header>
<main><article>
<h1>Le conseil municipal vote le budget</h1>
<div class="share"><a href="https://facebook.example/share">Partager sur Facebook</a>
<a href="https://twitter.example/share">Partager sur Twitter</a> <a href="mailto:">Envoyer par courriel</a></div>
<p>Réunis mardi soir, les élus ont adopté le budget primitif de la commune par vingt voix
contre sept. L'opposition dénonce une hausse des impôts locaux déguisée.</p>
<h2>Une hausse de la taxe foncière</h2>
<p>« Nous n'avions pas le choix », a déclaré le maire, Paul Durand, en rappelant que la
dotation de l'État a baissé de 4 % depuis 2019.<br>Le taux passe de 21 % à 22,5 %.</p>
<ul><li>Écoles : 1,2 million d'euros</li><li>Voirie : 800 000 euros</li></ul>
<p>La prochaine séance du conseil est prévue le 15 avril. Les comptes rendus sont consultables en mairie.</p>
</article>
<aside class="related"><h3>À lire aussi</h3><ul>
<li><a href="/a">Les travaux du centre-ville prennent du retard</a></li>
<li><a href="/b">Le marché de Noël attire les foules</a></li>
<li><a href="/c">Une nouvelle école ouvrira en septembre</a></li></ul></aside>
</main>
<footer><p>© 2021 La Gazette du Val - Mentions légales - Contact</p></footer>
"""
PARAGRAPHS = [
    "Le conseil municipal vote le budget",
    "Réunis mardi soir, les élus ont adopté le budget primitif de la commune par vingt voix contre sept. "
    "L'opposition dénonce une hausse des impôts locaux déguisée.",
    "Une hausse de la taxe foncière",
    "« Nous n'avions pas le choix », a déclaré le maire, Paul Durand, en rappelant que la dotation de l'État "
    "a baissé de 4 % depuis 2019. Le taux passe de 21 % à 22,5 %.",
    "Écoles : 1,2 million d'euros",
    "Voirie : 800 000 euros",
    "La prochaine séance du conseil est prévue le 15 avril. Les comptes rendus sont consultables en mairie.",
]
CANONICAL = "https://gazette-du-val.example/politique/2021/03/04/budget-vote"


def page(head: str = "", body: str = BODY, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="{charset}">'
        f"<title>Le conseil municipal vote le budget - La Gazette du Val</title>{head}</head><body>{body}</body></html>"
    )


@pytest.fixture(scope="module")
def boilerplate(settings):
    return Boilerplate.from_settings(settings)


def test_the_article_without_menus_share_buttons_related_links_or_footer():
    record = article_from_html(page(f'<link rel="canonical" href="{CANONICAL}">'), doc_id="d", source="s")
    assert record.text.split("\n\n") == PARAGRAPHS
    for furniture in ("Accueil", "Partager", "courriel", "À lire aussi", "marché de Noël", "Mentions légales"):
        assert furniture not in record.text
    assert record.url == CANONICAL


def test_the_document_starts_with_the_headline_once(boilerplate):
    row = clean_record(article_from_html(page(), doc_id="d", source="s"), boilerplate)
    assert row["title"] == "Le conseil municipal vote le budget"
    assert row["text"] == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize(
    "head, date",
    [
        ('<meta property="article:published_time" content="2021-03-03T18:05:00+01:00">'
         '<script type="application/ld+json">{"datePublished": "2021-03-02"}</script>', "2021-03-03"),
        ('<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
         '{"@type": "NewsArticle", "datePublished": "2021-03-02T09:00:00Z"}]}</script>', "2021-03-02"),
        ('<script type="application/ld+json">{not json</script><meta itemprop="datePublished" content="2021-03-01">', "2021-03-01"),
        ('<meta property="article:published_time" content="hier">', None),
    ],
)
def test_the_date_comes_from_metadata(head, date):
    assert article_from_html(page(head), doc_id="d", source="s").date == date


def test_a_time_element_of_the_article_gives_the_date():
    body = BODY.replace("<h1>", '<p class="byline">Par Jeanne Martin, <time datetime="2021-03-03T18:05">le 3 mars</time></p><h1>', 1)
    body = body.replace("</article>", '</article><aside><time datetime="2020-01-01">ancien</time></aside>')
    assert article_from_html(page(body=body), doc_id="d", source="s").date == "2021-03-03"


def test_no_date_is_guessed_from_the_url_or_the_text():
    body = BODY.replace("<p>Réunis", "<p>Le 2 février 2021, réunis", 1)
    record = article_from_html(page(f'<link rel="canonical" href="{CANONICAL}">', body=body), doc_id="d", source="s")
    assert record.date is None


def test_a_dateline_dates_a_page_without_metadata(boilerplate):
    body = BODY.replace("<p>Réunis", "<p>4 mars 2021. - Réunis", 1)
    assert clean_record(article_from_html(page(body=body), doc_id="d", source="s"), boilerplate)["published"] == "2021-03-04"


def test_a_page_whose_body_is_the_article_keeps_its_headings():
    body = "<h1>Titre de la page</h1><h2>Un chapeau qui résume l'article.</h2>" + "".join(
        f"<p>Paragraphe {n} de l'article, qui raconte ce que le conseil municipal a décidé hier soir.</p>" for n in range(3)
    )
    record = article_from_html(page(body=body), doc_id="d", source="s")
    assert record.text.split("\n\n")[:3] == ["Titre de la page", "Un chapeau qui résume l'article.", "Paragraphe 0 de l'article, qui raconte ce que le conseil municipal a décidé hier soir."]


def test_pages_in_folders_and_their_declared_encoding(tmp_path):
    (tmp_path / "rubrique").mkdir()
    (tmp_path / "rubrique" / "budget.htm").write_bytes(page(charset="iso-8859-1").encode("latin-1"))
    (tmp_path / "autre.HTML").write_text(page(), encoding="utf-8")
    records = [item for item in read_records([tmp_path]) if isinstance(item, Record)]
    assert sorted(record.doc_id for record in records) == ["autre", "budget"]
    assert all(record.text.split("\n\n") == PARAGRAPHS and record.warnings == [] for record in records)


def test_a_page_neither_utf8_nor_declared_is_decoded_with_a_warning(tmp_path):
    (tmp_path / "ancien.html").write_bytes(page().replace('<meta charset="utf-8">', "").encode("cp1252"))
    (record,) = read_records([tmp_path])
    assert record.text.split("\n\n") == PARAGRAPHS and record.warnings == ["not UTF-8: decoded as Latin-1"]


@pytest.mark.parametrize(
    "content, reason",
    [
        ("<html><head><title>Vide</title><script>var x = 1;</script></head><body><img src='a.png'></body></html>", "no article text found in the HTML page"),
        ("\u00a0 \n", "not an HTML page (no element could be parsed)"),
    ],
)
def test_a_page_without_article_is_rejected_with_its_reason(tmp_path, content, reason):
    (tmp_path / "vide.html").write_text(content, encoding="utf-8")
    items = list(read_records([tmp_path / "vide.html"]))
    assert len(items) == 1 and isinstance(items[0], Reject)
    assert items[0].doc_id == "vide" and items[0].reason == reason


@pytest.fixture(scope="module")
def wikinews(settings):
    documents, rejects = clean_batch(read_records([WIKINEWS]), Boilerplate.from_settings(settings), TextChecks.from_settings(settings))
    assert rejects.empty, rejects
    gold = {doc["doc_id"]: doc for doc in json.loads((LABELLED / "wikinews-dev.json").read_text(encoding="utf-8"))}
    return documents.set_index("doc_id"), gold


def test_wikinews_titles_and_dates_are_all_right(wikinews):
    documents, gold = wikinews
    assert sorted(documents.index) == sorted(gold)
    assert {doc_id: documents.loc[doc_id, "title"] for doc_id in gold} == {doc_id: doc["title"] for doc_id, doc in gold.items()}
    assert {doc_id: documents.loc[doc_id, "published"] for doc_id in gold} == {doc_id: doc["published"] for doc_id, doc in gold.items()}


def test_wikinews_text_holds_every_gold_entity_quote_and_date(wikinews):
    documents, gold = wikinews
    missing = [
        (doc_id, kind, item["text"])
        for doc_id, doc in gold.items()
        for kind in ("entities", "quotes", "dates")
        for item in doc[kind]
        if normalise(item["text"]) not in normalise(documents.loc[doc_id, "text"])
    ]
    assert missing == []
