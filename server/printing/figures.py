"""Figures that would leave a page a quarter empty let the text go on before them.

    mark_figures(body)                  typesetting: each figure of the body gets an id
    defer_stranded_figures(html, doc)   after a first layout: the HTML with every figure
                                        that did not fit where it stood (and so left a
                                        quarter of the page before it empty) moved after
                                        the text that fills that space; None when none did

A figure is kept whole with its caption (print.css), so one that does not fit at the
foot of a page moves to the next and leaves the rest of the page blank. Books float such
a figure to the top of the next page and let the text run on; WeasyPrint has no page
floats, so the renderer lays the document out once, measures the gap before each
figure that starts a page, and moves the figure after as many of the following blocks
as the first layout shows are needed to fill it. Then it lays out again, once: a
document with no stranded figure (most of them) costs nothing more.
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, Tag  # noqa: F401 - Tag: the stranded-figure pass below, while it uses BeautifulSoup
from lxml import etree

from server.article.tree import text_of

FIGURE_ID = "gloss-figure-"
# The share of a page's text area left empty that is worth a second layout.
EMPTY_SHARE = 0.25
# A figure moves past at most this many blocks: beyond, it would drift from its text.
MAX_BLOCKS_PASSED = 4


def mark_figures(body: etree._Element) -> None:
    """Ids on the body's own figures (and images standing alone in a paragraph)."""
    number = 0
    for child in body:
        alone = child.tag == "p" and child.find(".//img") is not None and not text_of(child).strip()
        if child.tag == "figure" or alone:
            number += 1
            child.set("id", f"{FIGURE_ID}{number}")


def _body_blocks(page: Any) -> list[Any]:
    """The block boxes directly inside the article body on a laid-out page."""
    stack = [page._page_box]
    while stack:
        box = stack.pop()
        element = getattr(box, "element", None)
        if element is not None and "article-body" in (element.get("class") or "").split():
            return list(getattr(box, "children", []) or [])
        stack.extend(reversed(getattr(box, "children", None) or []))
    return []


def _stranded(document: Any) -> dict[str, int]:
    """{figure id: blocks to let go before it} for figures opening a page after a gap."""
    moves: dict[str, int] = {}
    for page, following in zip(document.pages, document.pages[1:], strict=False):
        box = page._page_box
        bottom = box.content_box_y() + box.height
        for other in box.children[1:]:
            if type(other).__name__ == "FootnoteAreaBox":
                bottom -= other.margin_height()
        blocks = _body_blocks(page)
        nxt = _body_blocks(following)
        if not blocks or not nxt:
            continue
        used = max(b.position_y + b.margin_height() for b in blocks)
        gap = bottom - used
        first = nxt[0]
        ident = first.element.get("id", "") if getattr(first, "element", None) is not None else ""
        if not ident.startswith(FIGURE_ID) or gap < EMPTY_SHARE * box.height:
            continue
        filled, passed = 0.0, 0
        for block in nxt[1:1 + MAX_BLOCKS_PASSED]:
            if getattr(block, "element", None) is not None and (block.element.get("id") or "").startswith(FIGURE_ID):
                break  # never past another figure
            filled += block.margin_height()
            passed += 1
            if filled >= gap:
                break
        if passed:
            moves[ident] = passed
    return moves


def defer_stranded_figures(html: str, document: Any) -> str | None:
    moves = _stranded(document)
    if not moves:
        return None
    soup = BeautifulSoup(html, "lxml")
    for ident, passed in moves.items():
        figure = soup.find(id=ident)
        if figure is None:
            continue
        anchor = figure
        for _ in range(passed):
            following = anchor.find_next_sibling()
            if following is None:
                break
            anchor = following
        if anchor is not figure:
            anchor.insert_after(figure.extract())
    return str(soup)
