"""Which blocks are the article (agreement.py): when the second extractor is asked, and
how its choice and trafilatura's are combined. Blocks and pages of our own."""

from __future__ import annotations

from lxml import html as lxml_html

from server.article import agreement
from server.article.agreement import _confident, _key, combine
from server.article.page_index import PageIndex

SENTENCE = ("The ferry timetable changed in spring, and the harbour master wrote to every household on the "
            "island to explain why the early crossing would leave twenty minutes sooner than before. ")


def block(tag: str, text: str) -> lxml_html.HtmlElement:
    element = lxml_html.Element(tag)
    element.text = text
    return element


def texts(blocks) -> list[str]:
    return ["".join(b.itertext()) for b in blocks]


def test_a_block_one_extractor_alone_holds_inside_the_span_stays_when_small():
    article = [f"Paragraph {i}. {SENTENCE}" for i in range(4)]
    caption = "The old quay at low water."
    page = _key("".join([article[0], article[1], caption, article[2], article[3]]))
    first = [block("p", t) for t in article]
    second = [block("p", t) for t in article[:2]] + [block("p", caption)] + [block("p", t) for t in article[2:]]
    assert texts(combine(first, second, page)) == [article[0], article[1], caption, article[2], article[3]]


def test_a_gallery_one_extractor_alone_takes_inside_the_span_goes():
    article = [f"Paragraph {i}. {SENTENCE}" for i in range(4)]
    gallery = " ".join(f"Slide {i} of 50: another story's picture and its long caption." for i in range(50))
    page = _key("".join([article[0], article[1], gallery, article[2], article[3]]))
    first = [block("p", article[0]), block("p", article[1]), block("ul", gallery), block("p", article[2]),
             block("p", article[3])]
    second = [block("p", t) for t in article]
    assert texts(combine(first, second, page)) == article


def _page(body: str) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(f"<html><body>{body}</body></html>")


def test_a_long_choice_of_the_page_s_own_prose_needs_no_second_opinion():
    paragraphs = [f"Paragraph {i}. {SENTENCE}" for i in range(8)]
    root = _page("".join(f"<p>{p}</p>" for p in paragraphs))
    assert _confident([_key(p) for p in paragraphs], PageIndex(root))


def test_a_short_choice_a_single_big_block_or_one_not_of_prose_asks_for_a_second_opinion():
    paragraphs = [f"Paragraph {i}. {SENTENCE}" for i in range(8)]
    root = _page("".join(f"<p>{p}</p>" for p in paragraphs))
    assert not _confident([_key(paragraphs[0])], PageIndex(root))  # too short to be sure
    assert not _confident([_key("".join(paragraphs))], PageIndex(root))  # one block holds it all
    lines = [f"Line {i} of a list of other stories, each a headline." * 3 for i in range(10)]
    assert not _confident([_key(line) for line in lines], PageIndex(_page("".join(f"<div>{t}</div>" for t in lines))))


def test_the_second_extractor_runs_only_when_the_first_choice_is_in_doubt(monkeypatch):
    calls = []
    original = agreement.readability_blocks

    def counting(root, url):
        calls.append(url)
        return original(root, url)

    monkeypatch.setattr(agreement, "readability_blocks", counting)
    prose = "".join(f"<p>Paragraph {i}. {SENTENCE}</p>" for i in range(10))
    found = agreement.agree(_page(f"<nav><a href='/'>Home</a></nav><article>{prose}</article>"), "https://x.example/")
    assert found is not None and "Paragraph 9." in found.text_content()
    assert calls == []
    found = agreement.agree(_page(f"<article><p>{SENTENCE}</p></article>"), "https://x.example/")
    assert found is not None and "harbour master" in found.text_content()
    assert calls == ["https://x.example/"]
