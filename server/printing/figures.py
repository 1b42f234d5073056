"""Blocks that would leave a page a quarter empty let the text go on before them.

    mark_figures(body)                  typesetting: each figure of the body gets an id
    defer_stranded_figures(html, doc)   after a first layout: the HTML with every block
                                        that left a quarter of the page before it empty
                                        moved after the text that fills that space; None
                                        when no block did
    empty_space(doc)                    the share of a page left empty at the foot of
                                        the portrait pages before the last, summed: what
                                        the move must lower to be kept

Two kinds of block strand a page. A figure is kept whole with its caption (print.css),
so one that does not fit at the foot of a page moves to the next and leaves the rest of
the page blank. A table too wide for the portrait page sits on a landscape page of its
own (print.css `@page wide`), so the portrait page before it ends wherever the table
stands in the text. Books float both to a later page and let the text run on; WeasyPrint
has no page floats, so the renderer lays the document out once, measures the gap before
each such block that starts a page, and moves the block (with the figures right after
it: they would strand the page in its stead) later in the text:

- a figure past as many of the following blocks as the first layout shows are needed
  to fill the gap: it then starts wherever the text leaves room for it;
- a landscape table past the blocks whose height, added to the page before, ends
  nearest the foot of a page: the table still breaks the page where it stands, so the
  text moved before it must end a page, not begin one. Never right after a heading,
  which would be left at the foot of a page, away from its text.

Then it lays out once more and keeps the second layout only if it leaves less of its
pages empty and takes no more pages than the first. A document with no stranded block
(most of them) costs nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, Tag

FIGURE_ID = "gloss-figure-"
LANDSCAPE_CLASS = "landscape"
# The share of a page's text area left empty that is worth a second layout.
EMPTY_SHARE = 0.25
# A figure moves past at most this many blocks: beyond, it would drift from its text.
MAX_BLOCKS_PASSED = 4
# A landscape table may move further (it is referred to, not looked at beside its
# text), but never past more than this many pages of text and figures.
MAX_PAGES_PASSED_LANDSCAPE = 1.5
# Layouts after the first, at most: a move can strand a later block the first layout
# did not show stranded.
MAX_ROUNDS = 2
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def mark_figures(body: Tag) -> None:
    """Ids on the body's own figures (and images standing alone in a paragraph)."""
    number = 0
    for child in body.find_all(recursive=False):
        alone = child.name == "p" and child.find("img") is not None and not child.get_text(strip=True)
        if child.name == "figure" or alone:
            number += 1
            child["id"] = f"{FIGURE_ID}{number}"


@dataclass
class _Block:
    """A child of the article body as the first layout placed it (all its fragments)."""

    element: Any
    height: float
    page: int


@dataclass
class _Page:
    height: float  # of the text area
    gap: float  # left empty at its foot (below the last body block)
    landscape: bool
    blocks: list[Any]


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


def _pages(document: Any) -> list[_Page]:
    pages = []
    for page in document.pages:
        box = page._page_box
        bottom = box.content_box_y() + box.height
        for other in box.children[1:]:
            if type(other).__name__ == "FootnoteAreaBox":
                bottom -= other.margin_height()
        blocks = _body_blocks(page)
        used = max((b.position_y + b.margin_height() for b in blocks), default=bottom)
        pages.append(_Page(box.height, bottom - used, box.width > box.height, blocks))
    return pages


def _flow(pages: list[_Page]) -> list[_Block]:
    """The body's blocks in order, a block split across pages counted once, whole."""
    flow: list[_Block] = []
    for number, page in enumerate(pages):
        for box in page.blocks:
            element = getattr(box, "element", None)
            if flow and element is not None and flow[-1].element is element:
                flow[-1].height += box.margin_height()
            else:
                flow.append(_Block(element, box.margin_height(), number))
    return flow


def _is_figure(element: Any) -> bool:
    return element is not None and (element.get("id") or "").startswith(FIGURE_ID)


def _is_landscape(element: Any) -> bool:
    return element is not None and LANDSCAPE_CLASS in (element.get("class") or "").split()


def _tag(element: Any) -> str:
    return str(getattr(element, "tag", "")).rsplit("}", 1)[-1]


def _figure_blocks_to_pass(following: list[_Block], gap: float) -> int:
    """How many of the following blocks fill the gap a figure left (it then starts
    wherever they leave room for it)."""
    filled, passed = 0.0, 0
    for block in following[:MAX_BLOCKS_PASSED]:
        if _is_figure(block.element) or _is_landscape(block.element):
            break  # never past another figure or table
        filled += block.height
        passed += 1
        if filled >= gap:
            break
    return passed


def _landscape_blocks_to_pass(following: list[_Block], gap: float, height: float) -> tuple[int, float]:
    """(how many of the following blocks to move before a landscape table, what the page
    before it then leaves empty): the table still breaks the page where it stands, so
    the text moved before it must end a page, not begin one. Text runs on across the
    foot of a page; a figure goes whole to the next."""
    best, best_left = 0, gap
    start = filled = height - gap
    for passed, block in enumerate(following, start=1):
        if _is_landscape(block.element) or filled - start > MAX_PAGES_PASSED_LANDSCAPE * height:
            break
        if _is_figure(block.element) and (filled % height) + block.height > height:
            filled += height - filled % height
        filled += block.height
        if _tag(block.element) in HEADINGS:
            continue  # the table would part the heading from its text
        left = (height - filled % height) % height
        if left < best_left:
            best, best_left = passed, left
    return best, best_left


def _landscape_blocks_to_precede(pages: list[_Page], number: int, flow: list[_Block], start: int) -> tuple[int, float]:
    """(how many blocks the landscape table at flow[start] may go back, what the page
    before it then leaves empty): back before the blocks of the page it stranded, when
    they all began on that page (a paragraph carried over from the page before cannot
    be parted) and the page before does not end with a heading."""
    back = start
    while back > 0 and flow[back - 1].page == number:
        back -= 1
    if back == start or back == 0 or number == 0 or pages[number - 1].landscape:
        return 0, pages[number].gap
    first_box = getattr(pages[number].blocks[0], "element", None)
    if first_box is not flow[back].element or _tag(flow[back - 1].element) in HEADINGS:
        return 0, pages[number].gap
    return start - back, pages[number - 1].gap


def _stranded(document: Any) -> list[tuple[list[Any], int]]:
    """[(the elements of a stranded group, blocks to let go before it: negative to go back)]."""
    pages = _pages(document)
    flow = _flow(pages)
    index = {id(b.element): n for n, b in enumerate(flow) if b.element is not None}
    moves = []
    reach = 0
    for number, (page, following) in enumerate(zip(pages, pages[1:], strict=False)):
        if page.landscape or not page.blocks or not following.blocks or page.gap < EMPTY_SHARE * page.height:
            continue
        first = getattr(following.blocks[0], "element", None)
        landscape = _is_landscape(first)
        if not (landscape or _is_figure(first)) or id(first) not in index:
            continue
        start = end = index[id(first)]
        end += 1
        if landscape:
            passed, left = _landscape_blocks_to_pass(flow[end:], page.gap, page.height)
            back, left_back = _landscape_blocks_to_precede(pages, number, flow, start)
            if back and left_back < left:
                passed, left = -back, left_back
            if left >= EMPTY_SHARE * page.height:
                passed = 0
        else:
            while end < len(flow) and _is_figure(flow[end].element):
                end += 1  # figures right after it go with it
            passed = _figure_blocks_to_pass(flow[end:], page.gap)
        if passed and start + min(passed, 0) >= reach:  # inside an earlier move's span: next layout
            moves.append(([b.element for b in flow[start:end]], passed))
            reach = end + max(passed, 0)
            if landscape:
                break  # every page after it changes: the next layout shows what is left
    return moves


def lay_out(html: str, render: Callable[[str], Any]) -> Any:
    """The document `render(html)` lays out, with stranded blocks moved: up to
    MAX_ROUNDS more layouts, and the best of all is kept (the fewest pages left a
    quarter empty, then the least empty space, never more pages than the first)."""
    document = render(html)
    best, best_score = document, _score(document)
    for _ in range(MAX_ROUNDS):
        revised = defer_stranded_figures(html, document)
        if revised is None:
            break
        html, document = revised, render(revised)
        score = _score(document)
        if len(document.pages) <= len(best.pages) and score < best_score:
            best, best_score = document, score
    return best


def _score(document: Any) -> tuple[int, float]:
    pages = [p for p in _pages(document)[:-1] if not p.landscape and p.blocks]
    return (sum(1 for p in pages if p.gap >= EMPTY_SHARE * p.height),
            sum(max(0.0, p.gap) / p.height for p in pages))


def empty_space(document: Any) -> float:
    """Empty space at the foot of the portrait pages before the last, in pages."""
    return _score(document)[1]


def defer_stranded_figures(html: str, document: Any) -> str | None:
    moves = _stranded(document)
    if not moves:
        return None
    # The landscape blocks in document order, here and in the HTML (they carry no id).
    root = next(box.element for box in document.pages[0]._page_box.children if box.element is not None)
    layout_landscapes = [e for e in root.iter() if _is_landscape(e)]
    soup = BeautifulSoup(html, "lxml")
    soup_landscapes = soup.find_all("div", class_=LANDSCAPE_CLASS)
    for elements, passed in moves:
        group: list[Tag] = []
        for element in elements:
            if _is_landscape(element):
                at = next((n for n, e in enumerate(layout_landscapes) if e is element), None)
                tag = soup_landscapes[at] if at is not None and at < len(soup_landscapes) else None
            else:
                tag = soup.find(id=element.get("id"))
            if tag is not None:
                group.append(tag)
        if not group:
            continue
        if passed < 0:
            anchor = group[0]
            for _ in range(-passed):
                anchor = anchor.find_previous_sibling() or anchor
            if anchor is not group[0]:
                for tag in group:
                    anchor.insert_before(tag.extract())
            continue
        anchor = group[-1]
        for _ in range(passed):
            anchor = anchor.find_next_sibling() or anchor
        if anchor is not group[-1]:
            for tag in reversed(group):
                anchor.insert_after(tag.extract())
    return str(soup)
