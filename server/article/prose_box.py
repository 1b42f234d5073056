"""The page's largest box of running prose: the last resort of extraction.

In: a page tree (not modified) and its address, as `agreement.agree` takes them. Out: a
`<body>` holding the blocks of the one element that directly holds the most running
prose, or None when the page has no such paragraph.

Both content extractors skip a box whose class or id says furniture ("comments",
"sidebar"): an article set in one is cut by all of them, and what is left (a cookie
notice, a line of the masthead) is printed as the article. Prose is counted in `<p>`s of
at least PROSE_PARAGRAPH_CHARS characters (whitespace left out, so Chinese and Japanese
count) with at most MAX_LINKED of them link text; a paragraph counts for the element
that holds it. Readers' comments are many boxes, one per comment: an element that is one
of a series (a list item, or beside an element of the same kind and class, itself or
one of its nearest ancestors) is one comment or one card and is never chosen, so a long
comment under a short article does not stand for the article; nor does anything after
a heading that opens the comments ("12 comments", "Leave a reply").
"""

from __future__ import annotations

import copy

from lxml import etree
from lxml import html as lxml_html

from server.article.agreement import blocks_of, body_of
from server.article.page_index import PageIndex
from server.article.trim import opens_comments

PROSE_PARAGRAPH_CHARS = 100
MAX_LINKED = 0.3
# How many of an element's ancestors are looked at for a series it belongs to.
SERIES_DEPTH = 3
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NOT_TEXT = frozenset({"script", "style", "noscript", "template"})


def _length(element: etree._Element) -> int:
    """Characters of the element's visible text, whitespace left out (scripts are not text)."""
    total = len("".join((element.text or "").split())) if element.tag not in _NOT_TEXT else 0
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _NOT_TEXT:
            total += _length(child)
        total += len("".join((child.tail or "").split()))
    return total


def _in_series(element: etree._Element) -> bool:
    """True when the element, or one of its SERIES_DEPTH nearest ancestors, is a list item
    or has a sibling of the same tag and the same class: one comment of a thread, one
    card of a row. (A shared class word is not enough: a page grid's columns share one.)"""
    for _ in range(SERIES_DEPTH + 1):
        parent = element.getparent()
        if parent is None or element.tag in ("body", "html"):
            return False
        if element.tag in ("li", "dd"):
            return True
        classes = " ".join((element.get("class") or "").split())
        if classes and any(sibling is not element and sibling.tag == element.tag
                           and " ".join((sibling.get("class") or "").split()) == classes for sibling in parent):
            return True
        element = parent
    return False


def largest_prose_box(root: lxml_html.HtmlElement, url: str, page: PageIndex | None = None) -> lxml_html.HtmlElement | None:
    """The blocks of the element holding the most running prose (see the module doc).
    `url` and `page` are not used: the signature is the extractors' agreement's."""
    held: dict[etree._Element, int] = {}
    for element in root.iter("p", *_HEADINGS):
        if element.tag != "p":
            if opens_comments(" ".join(element.text_content().split())):
                break  # the readers' comments follow
            continue
        length = _length(element)
        if length < PROSE_PARAGRAPH_CHARS:
            continue
        linked = sum(_length(a) for a in element.iter("a"))
        parent = element.getparent()
        if linked <= MAX_LINKED * length and parent is not None:
            held[parent] = held.get(parent, 0) + length
    for box in sorted(held, key=held.get, reverse=True):
        if not _in_series(box):
            return body_of(blocks_of(copy.deepcopy(box)))
    return None
