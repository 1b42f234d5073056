"""Blocks that would leave a page a quarter empty let the text go on before them, or shrink into it.

    mark_figures(body)                  typesetting: each figure of the body gets an id
    lay_out(root, document, relay)      after a first layout (`document`, of the tree
                                        `root` WeasyPrint parsed): every block that left
                                        a quarter of the page before it empty moved in
                                        that tree, which `relay()` lays out again; the
                                        best of the layouts
    empty_space(doc)                    the share of a page left empty at the foot of
                                        the portrait pages before the last, summed

Two kinds of block strand a page. A figure is kept whole with its caption (print.css),
so one that does not fit at the foot of a page moves to the next and leaves the rest of
the page blank. A table too wide for the portrait page sits on a landscape page of its
own (print.css `@page wide`), so the portrait page before it ends wherever the table
stands in the text. Books float both to a later page and let the text run on; WeasyPrint
has no page floats, so the renderer lays the document out once, measures the gap before
each such block that starts a page, and moves the block (with the figures right after
it: they would strand the page in its stead) in the parsed tree:

- a figure (with the figures right after it) past the blocks after it, when they fill
  the gap without crossing a heading or a lead-in line: the text goes on before it and
  it starts wherever that text leaves room for it, its picture at full size;
- else the first figure's picture shrinks (a max-height of its own, proportions kept) so
  that the figure, or the heading kept with it, ends the page it stranded, when the
  picture keeps MIN_SHRINK of its height and MIN_PICTURE_SHARE of the text area's: one
  shrink per layout, since every page after it changes;
- else a figure past as many of the following blocks as the first layout shows are
  needed to fill the gap, or (nothing after it) up before the text of the page it
  stranded;
- a landscape table past the blocks whose height, added to the page before, ends
  nearest the foot of a page (the table still breaks the page where it stands, so the
  text moved before it must end a page, not begin one), or back before the blocks of
  the page it stranded when that leaves less empty; never right after a heading,
  which would be left at the foot of a page, away from its text.

Then it lays the same parsed tree out again (not written out and parsed anew), up to
MAX_ROUNDS times (fewer for a long document, MIN_ROUNDS at least) while blocks are still
stranded, and keeps the best layout: the fewest pages a quarter empty, then the least
empty space, never more pages than the first. A document with no stranded block (most
of them) costs nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from server.article.tree import text_of

FIGURE_ID = "gloss-figure-"
LANDSCAPE_CLASS = "landscape"
# The share of a page's text area left empty that is worth a second layout.
EMPTY_SHARE = 0.25
# Moves start a little below it: the layout measures to the foot of the last block's
# margin, a reader's eye to the last line's ink, a line or so higher.
MOVE_SHARE = 0.2
# A figure moves past at most this many blocks: beyond, it would drift from its text.
MAX_BLOCKS_PASSED = 4
# A landscape table may move further (it is referred to, not looked at beside its
# text), but never past more than this many pages of text and figures.
MAX_PAGES_PASSED_LANDSCAPE = 1.5
# Layouts after the first, at most: a move can strand a later block the first layout
# did not show stranded.
MAX_ROUNDS = 6
# ... and about this many pages laid out again in all: a layout's time grows with its
# pages, so a long document gets fewer rounds (MIN_ROUNDS at least).
MAX_PAGES_RELAID = 60
MIN_ROUNDS = 2
# A stranded figure shrinks to fit the room left when its picture keeps at least this
# share of its height, and of the text area's height (a picture smaller than that is
# better printed whole on the next page).
MIN_SHRINK = 0.5
MIN_PICTURE_SHARE = 0.15
# CSS pixels kept free below a shrunk figure: layout positions are rounded.
SHRINK_SLACK = 2.0
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Blocks kept with the block after them (print.css: headings, and lead-in lines).
LEAD_IN_CLASS = "lead-in"


def mark_figures(body: etree._Element) -> None:
    """Ids on the body's own figures (and images standing alone in a paragraph)."""
    number = 0
    for child in body:
        alone = child.tag == "p" and child.find(".//img") is not None and not text_of(child).strip()
        if child.tag == "figure" or alone:
            number += 1
            child.set("id", f"{FIGURE_ID}{number}")


@dataclass
class _Block:
    """A child of the article body as the first layout placed it (all its fragments)."""

    element: Any
    height: float
    page: int
    box: Any = None  # its first fragment


@dataclass
class _Shrink:
    """A picture to be set at most `height` CSS pixels tall."""

    element: Any
    height: float


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
                flow.append(_Block(element, box.margin_height(), number, box))
    return flow


def _is_figure(element: Any) -> bool:
    return element is not None and (element.get("id") or "").startswith(FIGURE_ID)


def _is_landscape(element: Any) -> bool:
    return element is not None and LANDSCAPE_CLASS in (element.get("class") or "").split()


def _tag(element: Any) -> str:
    return str(getattr(element, "tag", "")).rsplit("}", 1)[-1]


def _keeps_with_next(element: Any) -> bool:
    """A heading or a lead-in line: it goes to the next page with the block after it."""
    return _tag(element) in HEADINGS or LEAD_IN_CLASS in ((element.get("class") or "").split()
                                                          if element is not None else [])


def _pictures(box: Any) -> list[Any]:
    """The laid-out pictures (replaced boxes of <img>) inside a box."""
    found, stack = [], [box]
    while stack:
        current = stack.pop()
        if hasattr(current, "replacement") and _tag(getattr(current, "element", None)) == "img":
            found.append(current)
        stack.extend(getattr(current, "children", None) or [])
    return found


def _bottom(box: Any) -> float:
    return box.border_box_y() + box.border_height()


def _shrink_to_fit(page: _Page, unit: list[_Block]) -> _Shrink | None:
    """The picture of the figure ending `unit` (a figure, or a heading and its figure: they
    start the next page together) made small enough for the unit to end the page it
    stranded, when the picture keeps MIN_SHRINK of its height and MIN_PICTURE_SHARE of the
    text area's. The caption keeps its width, so it takes the same room."""
    pictures = _pictures(unit[-1].box)
    if len(pictures) != 1 or not page.blocks:
        return None  # several pictures side by side or stacked: not measured here
    picture = pictures[0]
    last = page.blocks[-1]
    first = unit[0].box
    # Where the unit would start on the page it stranded: below the last block, the two
    # margins between them collapsed into the larger; only its border box must fit.
    top = _bottom(last) + max(last.margin_bottom, first.margin_top)
    height = _bottom(unit[-1].box) - first.border_box_y()
    page_bottom = _bottom(last) + last.margin_bottom + page.gap
    excess = top + height + SHRINK_SLACK - page_bottom
    wanted = picture.height - excess
    if excess <= 0 or wanted < MIN_SHRINK * picture.height or wanted < MIN_PICTURE_SHARE * page.height:
        return None
    return _Shrink(picture.element, wanted)


def _figure_blocks_to_pass(following: list[_Block], gap: float, *, past_headings: bool = True) -> tuple[int, bool]:
    """(how many of the following blocks fill the gap a figure left (it then starts
    wherever they leave room for it), whether they fill it)."""
    filled, passed = 0.0, 0
    for block in following[:MAX_BLOCKS_PASSED]:
        if _is_figure(block.element) or _is_landscape(block.element):
            break  # never past another figure or table
        if not past_headings and _keeps_with_next(block.element):
            break
        filled += block.height
        passed += 1
        if filled >= gap:
            break
    return passed, filled >= gap


def _landscape_blocks_to_pass(following: list[_Block], gap: float, height: float) -> tuple[int, float]:
    """(how many of the following blocks to move before a landscape table, what the page
    before it then leaves empty): the table still breaks the page where it stands, so
    the text moved before it must end a page, not begin one. Text runs on across the
    foot of a page; a figure that does not fit lets the text go on and waits for the top
    of the next page (as the next round of moves will have it)."""
    best, best_left = 0, gap
    used, moved = height - gap, 0.0  # on the page the table would end; moved so far
    waiting: list[float] = []  # figures for the top of the next page
    for passed, block in enumerate(following, start=1):
        if _is_landscape(block.element) or moved > MAX_PAGES_PASSED_LANDSCAPE * height:
            break
        moved += block.height
        if _is_figure(block.element) and (waiting or used + block.height > height):
            waiting.append(block.height)
        else:
            used += block.height
            while used > height:  # on to the next page, the waiting figures at its top
                used += sum(waiting) - height
                waiting = []
        if _tag(block.element) in HEADINGS:
            continue  # the table would part the heading from its text
        left = (height - used) % height
        if waiting:  # they go before the table, on a page of their own
            left = max(left, (height - sum(waiting)) % height)
        if left < best_left:
            best, best_left = passed, left
    return best, best_left


def _landscape_blocks_to_precede(pages: list[_Page], number: int, flow: list[_Block], start: int) -> tuple[int, float]:
    """(how many blocks the block at flow[start] (a landscape table, a figure with no text
    after it) may go back, what the page before it then leaves empty): back before the
    blocks of the page it stranded, when they all began on that page (a paragraph
    carried over from the page before cannot be parted) and the page before does not
    end with a heading."""
    back = start
    while back > 0 and flow[back - 1].page == number:
        back -= 1
    if back == start or back == 0 or number == 0:
        return 0, pages[number].gap
    first_box = getattr(pages[number].blocks[0], "element", None)
    if first_box is not flow[back].element or _tag(flow[back - 1].element) in HEADINGS:
        return 0, pages[number].gap
    # After a landscape page the blocks start a fresh page: nothing is left empty.
    return start - back, 0.0 if pages[number - 1].landscape else pages[number - 1].gap


def _stranded(document: Any) -> list[Any]:
    """The changes the layout of `document` asks for, in order: (the elements of a
    stranded group, blocks to let go before it: negative to go back), or a _Shrink."""
    pages = _pages(document)
    flow = _flow(pages)
    index = {id(b.element): n for n, b in enumerate(flow) if b.element is not None}
    moves: list[Any] = []
    reach = 0
    for number, (page, following) in enumerate(zip(pages, pages[1:], strict=False)):
        if page.landscape or not page.blocks or not following.blocks or page.gap < MOVE_SHARE * page.height:
            continue
        first = getattr(following.blocks[0], "element", None)
        landscape = _is_landscape(first)
        if id(first) not in index:
            continue
        start = end = index[id(first)]
        end += 1
        if not (landscape or _is_figure(first)):
            # A heading (or lead-in) gone to the next page with the figure after it.
            if _keeps_with_next(first) and end < len(flow) and _is_figure(flow[end].element) \
                    and flow[end].page == number + 1 and not moves:
                shrink = _shrink_to_fit(page, flow[start:end + 1])
                if shrink is not None:
                    moves.append(shrink)
                    break  # every page after it changes: the next layout shows what is left
            continue
        if landscape:
            passed, left = _landscape_blocks_to_pass(flow[end:], page.gap, page.height)
            back, left_back = _landscape_blocks_to_precede(pages, number, flow, start)
            if back and left_back < left:
                passed, left = -back, left_back
            if left >= MOVE_SHARE * page.height:
                passed = 0
        else:
            while end < len(flow) and _is_figure(flow[end].element):
                end += 1  # figures right after it go with it
            # The text after them fills the gap without leaving its section: it goes on
            # before them, the pictures keep their size.
            passed, filled = _figure_blocks_to_pass(flow[end:], page.gap, past_headings=False)
            if not filled and not moves:
                # Else the first of them shrinks into the room left, when it stays large enough.
                shrink = _shrink_to_fit(page, flow[start:start + 1])
                if shrink is not None:
                    moves.append(shrink)
                    break  # every page after it changes: the next layout shows what is left
            if not filled:
                passed = _figure_blocks_to_pass(flow[end:], page.gap)[0]
            while not passed and start > reach and _is_figure(flow[start - 1].element) \
                    and flow[start - 1].page == number:
                start -= 1  # the figures before it on the page it stranded go up with it
            if not passed and sum(b.height for b in flow[start:end]) < page.height:
                # Nothing after them to fill the gap (the article ends): they go up to the
                # top of the page they stranded, before the text that began on it.
                passed = -_landscape_blocks_to_precede(pages, number, flow, start)[0]
        if passed and start + min(passed, 0) >= reach:  # inside an earlier move's span: next layout
            moves.append(([b.element for b in flow[start:end]], passed))
            reach = end + max(passed, 0)
            if landscape:
                break  # every page after it changes: the next layout shows what is left
    return moves


def lay_out(root: Any, document: Any, relay: Callable[[], Any]) -> Any:
    """The best of `document` and up to MAX_ROUNDS layouts of `root` (the tree it was
    laid out from) with its stranded blocks moved; `relay()` lays `root` out again."""
    best, best_score = document, _score(document)
    for _ in range(min(MAX_ROUNDS, max(MIN_ROUNDS, MAX_PAGES_RELAID // max(1, len(document.pages))))):
        if not defer_stranded_blocks(root, document):
            break
        document = relay()
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


def defer_stranded_blocks(root: Any, document: Any) -> bool:
    """Moves the stranded blocks of `document` in `root`, the tree it was laid out from
    (WeasyPrint's own parse, `HTML.etree_element`: xml.etree elements, the very objects
    the layout's boxes point to). True when a block moved."""
    moves = _stranded(document)
    if not moves:
        return False
    parents = {child: parent for parent in root.iter() for child in parent}
    moved = False
    for move in moves:
        if isinstance(move, _Shrink):
            # A style of its own beats the sheet's cap; aspect ratio kept (height and width auto).
            move.element.set("style", f"max-height: {move.height:.2f}px")
            moved = True
            continue
        group, passed = move
        if group[0] not in parents:
            continue
        parent = parents[group[0]]
        siblings = list(parent)
        first, last = siblings.index(group[0]), siblings.index(group[-1])
        if passed > 0:
            anchor, after = siblings[min(last + passed, len(siblings) - 1)], True
        else:
            anchor, after = siblings[max(first + passed, 0)], False
        if anchor in group:
            continue
        for element in group:
            _take_out(parent, element)
        _put_in(parent, group, anchor, after)
        moved = True
    return moved


def _take_out(parent: Any, element: Any) -> None:
    """Out of its place; the text after it stays there."""
    siblings = list(parent)
    index = siblings.index(element)
    if element.tail:
        if index:
            siblings[index - 1].tail = (siblings[index - 1].tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
        element.tail = None
    parent.remove(element)


def _put_in(parent: Any, group: list[Any], anchor: Any, after: bool) -> None:
    """In after `anchor` (before the text that follows it), or before it."""
    index = list(parent).index(anchor) + (1 if after else 0)
    if after:
        group[-1].tail, anchor.tail = anchor.tail, None
    for offset, element in enumerate(group):
        parent.insert(index + offset, element)
