"""One tree from page to PDF: the article's body tree (model.ArticleBody) and the DOM-style
edits typesetting and the glossary make on it (server/article/tree.py)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from lxml import etree

from server.article import model
from server.article.extract import extract_article
from server.article.model import Article, ArticleBody, Gloss, Page, parse_fragment, serialize_children
from server.article.tree import drop, insert_after, replace_text, text_nodes, text_of, unwrap, wrap
from server.glossary.annotate import gloss_article
from server.printing.options import PrintOptions
from server.printing.pipeline import PrintRequest, image_refs, preview

FIXTURES = Path(__file__).parent / "fixtures"
SEED_URL = "https://koreajoongangdaily.joins.com/2020/07/29/national/northKorea/seed/"


def edited(html: str, edit) -> str:
    root = parse_fragment(html)
    edit(root)
    return serialize_children(root)


def test_text_runs_in_reading_order_with_the_text_after_comments():
    root = parse_fragment("a<!--note-->b<b>x<?pi y?>z</b>t")
    assert [(n.value, n.is_tail) for n in text_nodes(root)] == [
        ("a", False), ("b", True), ("x", False), ("z", True), ("t", True)]
    assert text_of(root) == "abxzt"
    # A tail stands in its element's parent: "t" is in the <div>, not in the <b>.
    tail = list(text_nodes(root))[-1]
    assert tail.parent is root and [e.tag for e in tail.ancestors()] == ["div"]


def test_edits_keep_every_tail_where_it_stood():
    assert edited("<p>a<span>b<i>c</i>d</span>e</p>", lambda r: unwrap(r.find(".//span"))) == "<p>ab<i>c</i>de</p>"
    assert edited("<p><span>b</span>e</p>", lambda r: unwrap(r.find(".//span"))) == "<p>be</p>"
    assert edited("<p>a<span>b<i>c</i></span>e</p>", lambda r: drop(r.find(".//span"))) == "<p>ae</p>"
    assert edited("<p>a<span>b</span>e</p>",
                  lambda r: wrap(r.find(".//span"), etree.Element("q"))) == "<p>a<q><span>b</span></q>e</p>"
    assert edited('<p><a href="x">l</a> after</p>',
                  lambda r: insert_after(r.find(".//a"), etree.Element("sup"))) == '<p><a href="x">l</a><sup></sup> after</p>'


def test_a_run_replaced_by_words_and_elements_in_order():
    def mark(root):
        run = [n for n in text_nodes(root) if n.value == "cde"][0]
        word, note = etree.Element("em"), etree.Element("sup")
        word.text, note.text = "W", "1"
        replace_text(run, ["c", word, "d", note, "e"])

    assert edited("<p>a<span>b</span>cde<b>f</b></p>", mark) == "<p>a<span>b</span>c<em>W</em>d<sup>1</sup>e<b>f</b></p>"

    def lead(root):
        word = etree.Element("em")
        word.text = "W"
        replace_text(next(text_nodes(root)), [word, " rest"])

    assert edited("<p>abc<b>f</b></p>", lead) == "<p><em>W</em> rest<b>f</b></p>"


def test_a_body_is_written_out_or_parsed_once_and_only_when_asked():
    tree = parse_fragment('<p>One <a href="https://a.example/">link</a>.</p><p>Two.</p>')
    body = ArticleBody(tree=tree)
    assert body.tree is tree  # the tree handed over, not a parse of its HTML
    assert body.html == '<p>One <a href="https://a.example/">link</a>.</p><p>Two.</p>'
    assert body.html is body.html  # written out once
    from_html = ArticleBody(html=body.html)
    assert from_html.tree is from_html.tree and len(from_html.tree) == 2  # parsed once
    copy = body.copy()
    copy.remove(copy[0])
    assert len(body.tree) == 2  # a copy to change leaves the article's own tree alone
    with pytest.raises(TypeError):
        ArticleBody(tree=tree, html="<p>both</p>")


def test_articles_take_html_or_a_tree_and_answer_html():
    from_html = Article(url="https://a.example/", title="T", body_html="<p>Hi.</p>", text="Hi.")
    from_tree = Article(url="https://a.example/", title="T", body_html=ArticleBody(tree=parse_fragment("<p>Hi.</p>")),
                        text="Hi.")
    assert from_html == from_tree and from_tree.body_html == "<p>Hi.</p>"
    assert from_tree.to_json()["body_html"] == "<p>Hi.</p>"
    assert pickle.loads(pickle.dumps(from_tree)) == from_tree  # across processes, as HTML
    glossed = gloss_article(from_tree, [Gloss(word="hi", forms=("hi",), headword="hi", definition="a greeting")])
    assert glossed.body is from_tree.body  # the same tree goes on with the glossary
    with pytest.raises(TypeError):
        Article(url="https://a.example/", title="T", text="no body")


async def test_a_print_of_a_page_parses_its_body_no_more(monkeypatch):
    """Extraction's tree is what image choice, the glossary's reading and typesetting
    use: the preview of the seed article, images included, never parses the body again."""
    html = (FIXTURES / "seed-article.html").read_text(encoding="utf-8")
    article = extract_article(Page(url=SEED_URL, html=html))
    assert article.body.tree is not None and image_refs(article)

    def no_parse(source: str):
        raise AssertionError("the article body was parsed again")

    monkeypatch.setattr(model, "parse_fragment", no_parse)

    class Images:
        async def fetch_page(self, url: str) -> Page:
            raise AssertionError("no page is fetched")

        async def fetch_image(self, url: str) -> str:
            return ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

    result = await preview(PrintRequest(url=SEED_URL, options=PrintOptions(), html=html), Images())
    assert 'class="article-body"' in result.html and "<img" in result.html and "link-ref" in result.html
    # Typesetting worked on a copy: the article's own tree is as extraction left it.
    assert "link-ref" not in etree.tostring(result.article.body.tree, encoding="unicode")
