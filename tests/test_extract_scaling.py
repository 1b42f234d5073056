"""Extraction's work grows with the page, not faster: counted, never timed.

A paragraph of 49,000 `<span>`s once took half a minute (trafilatura's XPath on the text
pieces lxml's `strip_tags` leaves behind); Gloss's own steps walked every subtree again.
The timing figures live in `make bench-extract`; here the work is counted (Python calls
made during an extraction) and the cause is checked where it lies (the text pieces).
"""

from __future__ import annotations

import sys

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import SEED_HTML as SEED_FILE
from conftest import SEED_URL
from server.article.extract import extract_article
from server.article.model import Page
from server.article.page_index import PageIndex, squeeze
from server.article.text_nodes import strip_tags_merged

pytestmark = pytest.mark.timeout(120)

FIRST_PARAGRAPH_END = "between the two allies.</p>"
SEED_HTML = SEED_FILE.read_text(encoding="utf-8")


def span_page(spans: int) -> str:
    return SEED_HTML.replace(FIRST_PARAGRAPH_END, FIRST_PARAGRAPH_END + "<p>" + "<span>word</span> " * spans + "</p>", 1)


def calls_made(run) -> int:
    """Python and built-in calls made while `run()` runs: the same for the same input."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def test_extraction_work_grows_linearly_with_inline_elements():
    results = {}
    calls = {}
    for spans in (5_000, 20_000):
        page = Page(url=SEED_URL, html=span_page(spans))
        calls[spans] = calls_made(lambda page=page, spans=spans: results.__setitem__(spans, extract_article(page)))
    for spans, article in results.items():
        assert article.text.count("word") >= spans  # the whole paragraph, every word
    # Four times the spans: about four times the work (quadratic would be sixteen).
    assert calls[20_000] <= 4.6 * calls[5_000], calls


def test_unwrapping_leaves_one_text_node_per_run():
    source = "<div><p>a " + "<span>word</span> " * 1_000 + "<b>end</b> tail</p></div>"
    stock = lxml_html.fromstring(source)
    merged = lxml_html.fromstring(source)
    etree.strip_tags(stock, "span")
    strip_tags_merged(merged, "span")
    assert etree.tostring(merged) == etree.tostring(stock)  # the same tree to any reader
    assert stock.xpath("count(//p/text())") > 2_000  # lxml leaves the pieces: XPath walks each
    assert merged.xpath("count(//p/text())") == 2  # before and after <b>, as parsing gives


def test_trafilatura_unwraps_without_leaving_pieces():
    import trafilatura.core
    import trafilatura.external
    import trafilatura.htmlprocessing
    import trafilatura.main_extractor

    for module in (trafilatura.core, trafilatura.external, trafilatura.htmlprocessing,
                   trafilatura.main_extractor):
        assert module.strip_tags is strip_tags_merged, module.__name__


def test_page_index_matches_a_walk_of_each_element():
    parser = lxml_html.HTMLParser(remove_comments=False)
    root = lxml_html.document_fromstring(
        "<html><body><div id=a> one <!-- note --> two <p>three <i>four </i>five</p>\n six"
        "<?pi x?> seven<ul><li> eight</li><li/></ul></div><p>nine</p></body></html>", parser=parser)
    page = PageIndex(root)
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    assert page.elements == elements
    for at, element in enumerate(elements):
        assert page.position[id(element)] == at
        assert page.text(element) == squeeze("".join(element.itertext()))
        descendants = [e for e in element.iterdescendants() if isinstance(e.tag, str)]
        assert page.end[id(element)] == (page.position[id(descendants[-1])] if descendants else at)
    assert page.text(root.find(".//div")) == "onetwothreefourfivesixseveneight"
    assert [e.tag for e in page.after("p", page.position[id(root.find(".//p"))])] == ["p"]


def _seed_tree():
    from server.article.extract import parse_html

    return parse_html(SEED_HTML)


def test_trafilatura_html_is_what_extract_returns():
    """Skipping the fingerprint changes nothing trafilatura chooses or writes."""
    import trafilatura

    from server.article.agreement import trafilatura_html

    root = _seed_tree()
    ours = trafilatura_html(root, SEED_URL)
    stock = trafilatura.extract(
        root, url=SEED_URL, output_format="html", favor_recall=True, include_comments=False, include_tables=True,
        include_images=False, include_formatting=True, include_links=False, deduplicate=False,
        with_metadata=False)
    assert ours == stock
    assert "between the two allies." in ours


def test_readability_measures_each_link_once_with_the_same_choice():
    from readability import Document

    from server.article import agreement

    class Stock(agreement._Readable):
        score_paragraphs = Document.score_paragraphs
        get_link_density = Document.get_link_density

    # Link density decides whether the linked box is taken: at its true density it is.
    linked = "".join(f"<p>Paragraph {i} of the list, with <a href='/{i}'>a linked phrase of some length here</a>, "
                     "and words.</p>" for i in range(8))
    plain = "".join(f"<p>Plain paragraph {i} of the story, written as running prose with no links at all.</p>"
                    for i in range(6))
    page = lxml_html.document_fromstring(f"<html><body><div id=one>{linked}</div><div id=two>{plain}</div></body></html>")
    chosen = agreement._Readable(page).summary(html_partial=True)
    assert chosen == Stock(page).summary(html_partial=True)
    assert "Paragraph 7 of the list" in chosen
    root = _seed_tree()
    assert agreement._Readable(root).summary(html_partial=True) == Stock(root).summary(html_partial=True)


@pytest.mark.parametrize("text", [
    "", "   ", "one", " one  two\n\nthree ", "a\n \n b", "a" + " " * 300 + "b", "a" + "\n" * 300 + "b",
    "tab\tand\t\ttabs", "no\xa0break \xa0 spaces", "carriage\r\nreturn", "thin\u2009space", " \t a \t\t b \t",
])
def test_readability_text_length_is_readabilitys(text):
    from readability.readability import text_length

    from server.article.agreement import _readability_text_length

    element = lxml_html.fromstring("<div><p>x</p></div>")
    element.text, element[0].text, element[0].tail = text, text, text
    assert _readability_text_length(element) == text_length(element)


@pytest.mark.parametrize("summary", [
    "Σε μια νέα έκθεση η κυβέρνηση εξηγεί", "İstanbul'da yeni bir dönem için karar verildi", "The report the page shows",
])
def test_standfirst_reads_only_elements_opening_with_its_letter(summary):
    from server.article.extract import _standfirst, parse_html
    from server.article.metadata import Metadata

    root = parse_html(f"<html><body><div><span>Menu</span><p> \n {summary.upper()} </p></div>"
                      "<p>The article itself.</p></body></html>")
    meta = Metadata(title="A title", description=summary)
    assert _standfirst(meta, root, "The article itself.", PageIndex(root)) == summary
    assert _standfirst(meta, root, "The article itself.") == summary
    other = Metadata(title="A title", description="Nothing the page shows at all")
    assert _standfirst(other, root, "The article itself.", PageIndex(root)) == ""
