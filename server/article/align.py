"""Maps the blocks a content extractor chose back onto the page they came from.

In: the extractor's output (`<body>` of text blocks, HTML vocabulary, links and images
left out because asking for them makes its choice worse) and the page tree it read.
Out: `Aligned`: for each chosen block the page's own element when one carries exactly
that text (so links, inline formatting and pictures inside it survive), or the page's
quote, list or table the block is a copy of with parts left out (a caption, linked
cells, the linked lists nested in its items), else the extractor's block; plus, between consecutive page elements, the pictures the page shows
there and the subheadings and quotations the extractor skipped (when they are siblings
of the blocks around them, not links, and not already chosen in another form); and the
page position of the first block (where the body starts).

Matching is by text with whitespace removed, in document order (a block never matches an
element before the previous match), preferring the innermost of nested elements that
carry the same text. Page elements are known by `id()` through the page's index
(page_index.py), which holds every element proxy, and their texts come from it: aligning
costs time in proportion to the page and the blocks, not to elements times depth.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from server.article.page_index import PageIndex, squeeze
from server.article.trim import is_link_only

# Page elements that can stand for one extracted block.
CANDIDATE_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "table", "div", "section", "td", "th", "span", "font", "center", "article", "figcaption", "header",
    "aside", "code", "em", "strong", "b", "i", "a", "main",
})

# Inline elements: never a block of their own when they stand inside a paragraph.
INLINE_TAGS = frozenset({"a", "em", "strong", "b", "i", "code", "span", "font", "u", "s", "sub", "sup", "small",
                         "mark", "kbd", "samp", "var", "q", "cite", "abbr", "time", "tt"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that are one paragraph of the page (the unit kept whole).
PARAGRAPH_TAGS = frozenset({"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figcaption",
                            "td", "th", "caption"})
# Elements printed as what they are (a quote, a list, a table, a figure) when the blocks
# taken from inside them carry at least STRUCTURE_COVER of their text.
STRUCTURE_TAGS = ("blockquote", "ul", "ol", "dl", "table", "figure")
STRUCTURE_COVER = 0.6
# An extracted table stands for the next page table holding this share of its cells.
TABLE_CELLS_HELD = 0.9
# A paragraph between two matched blocks is taken only when it is running prose: this
# long (characters without whitespace) and at most this share of it link text.
GAP_PARAGRAPH_CHARS = 150
GAP_PARAGRAPH_LINKED = 0.3
# A page element skipped by the extractor counts as already taken when this much of its
# opening (characters without whitespace) is met in a block; a shorter element only when a
# block opens with it and is at most SEEN_SHORT_RATIO times its length.
SEEN_OPENING_CHARS = 60
SEEN_SHORT_RATIO = 2
# A quote's box may hold one line after the quote, this short: its attribution.
ATTRIBUTION_WORDS = 12
# A <div> holding only text and inline elements, and no more than this (whitespace left
# out), is a paragraph written as a div.
PARAGRAPH_DIV_CHARS = 1000
# A piece shorter than this only stands for the next paragraph, and only when it opens it.
MIN_PIECE_CHARS = 12
# A block this long that the previous one already holds is a repeat, whatever that one is.
MIN_REPEAT_CHARS = 40
# A paragraph holding a piece may be this many times longer (plus a margin for short pieces).
MAX_PIECE_RATIO = 20


@dataclass
class Aligned:
    nodes: list[etree._Element] = field(default_factory=list)  # what the body is copied from
    first_position: int | None = None  # page position of the first matched element
    matched: int = 0


def element_text(element: etree._Element) -> str:
    """The element's text without any whitespace: the key blocks are matched by (an
    extractor spaces its output its own way: "walk.</p><p>By" against "walk.</p> <p>By")."""
    return squeeze("".join(element.itertext()))


def align(found: lxml_html.HtmlElement, page: PageIndex, picture_at: dict[int, etree._Element],
          gap_tags: frozenset[str] = frozenset()) -> Aligned:
    """`page` indexes the page tree the blocks were chosen from. `picture_at` maps page
    positions to picture elements (figures or images) that may be inserted between matched
    blocks; the caller decides which pictures qualify. Page elements named in `gap_tags`
    (headings, quotes) that lie between two matched blocks are taken too: the extractor's
    precision-first choice drops some that are plainly body."""
    position, end, order = page.position, page.end, page.elements

    def text_of(element: etree._Element) -> str:
        return page.text(element) if id(element) in position else element_text(element)

    by_text: dict[str, list[etree._Element]] = defaultdict(list)
    picture_at = dict(picture_at)
    gap_source: dict[int, int] = {}
    found_blocks = [element_text(block) for block in found if isinstance(block.tag, str)]
    found_text = " ".join(found_blocks)
    # The blocks short enough to be a short element given in another form, sorted: the
    # ones that open with a text are found by bisection, not by a walk over every block.
    short_blocks = sorted(b for b in found_blocks if len(b) < SEEN_SHORT_RATIO * SEEN_OPENING_CHARS)
    for element in order:
        if element.tag not in gap_tags:
            continue
        text = page.text(element)
        # Not empty, not a teaser (inside a link, or nothing but a link), and not already
        # among the extracted blocks in a slightly different form.
        if element.tag == "p" and not _is_prose(element, page):
            continue
        if text and not any(a.tag == "a" for a in element.iterancestors()) and not is_link_only(element) \
                and not _already_found(text, found_text, short_blocks):
            if element.tag == "blockquote":
                element = _with_attribution(element, page, found_text, short_blocks)
            at = position[id(element)]
            if at not in picture_at:
                picture_at[at] = element
                gap_source[at] = id(element)
    paragraphs: list[tuple[etree._Element, str]] = []
    for element in order:
        if element.tag in CANDIDATE_TAGS and page.text_length(element):
            text = page.text(element)
            by_text[text].append(element)
            if element.tag in PARAGRAPH_TAGS:
                paragraphs.append((element, text))
    # Candidates of one text, and paragraphs, are in document order: the first after the
    # cursor is found by bisection, not by a walk from the top of the page.
    by_text_at = {text: [position[id(e)] for e in elements] for text, elements in by_text.items()}
    paragraph_at = [position[id(e)] for e, _ in paragraphs]

    result = Aligned()
    cursor = -1
    previous_end = None
    previous_parent = None
    for block in found:
        if not isinstance(block.tag, str):
            continue
        text = element_text(block)
        last = result.nodes[-1] if result.nodes else None
        if text and last is not None and (last.tag in PARAGRAPH_TAGS or len(text) >= MIN_REPEAT_CHARS) \
                and text in text_of(last):
            continue  # the rest of a paragraph already taken whole, or a block said twice
        match = None
        candidates = by_text.get(text)
        if candidates:
            first = bisect_right(by_text_at[text], cursor)
            if block.tag in HEADING_TAGS:
                # A subheading is not its entry in the table of contents above it (a link
                # to a place on the page) when the heading itself follows.
                later = next((at for at in range(first, len(candidates))
                              if not _contents_entry(candidates[at])), None)
                first = later if later is not None else first
            if first < len(candidates):
                match = candidates[first]
        if match is not None and match.tag in INLINE_TAGS:
            # A piece of a paragraph (a link, a bold phrase, inline code) the extractor gave
            # as a block of its own: the paragraph stands for it, whole.
            paragraph = _paragraph_of(match)
            match = match if paragraph is None else paragraph
        if match is None and text and block.tag in STRUCTURE_TAGS:
            match = _same_kind_holding(block.tag, text, page, cursor, block)
        if match is None and text:
            match = _paragraph_holding(text, paragraphs, paragraph_at, cursor)
        if match is None:
            if text or block.tag in ("table", "hr"):
                result.nodes.append(block)
            continue
        if match is last:
            continue
        # The innermost element that carries the same text (div > p > span: the p).
        while True:
            inner = [c for c in match if isinstance(c.tag, str) and c.tag in CANDIDATE_TAGS
                     and c.tag not in ("a", "em", "strong", "b", "i", "span", "code", "font")
                     and page.text_length(c) == len(text) and page.text(c) == text]
            if len(inner) != 1:
                break
            match = inner[0]
        if match.tag == "blockquote":
            match = _with_attribution(match, page, found_text, short_blocks)
        start = position[id(match)]
        if previous_end is not None:
            covered = previous_end
            for at in sorted(p for p in picture_at if previous_end < p < start):
                if at <= covered:
                    continue  # inside a gap element already taken
                element = picture_at[at]
                source_id = gap_source.get(at)
                if source_id is not None:
                    # A page element joins only as a sibling of the blocks around it, and
                    # only when it ends before the next one (never holds matched text).
                    parent = _outermost_wrapper(element, page).getparent()
                    if end[source_id] >= start or (parent is not _outermost_wrapper(match, page).getparent()
                                                   and parent is not previous_parent):
                        continue
                    covered = end[source_id]
                result.nodes.append(element)
        if result.first_position is None:
            result.first_position = start
        result.nodes.append(match)
        result.matched += 1
        cursor = end[id(match)]
        previous_end = cursor
        previous_parent = _outermost_wrapper(match, page).getparent()
    result.nodes = _regroup(result.nodes, page)
    return result


def _contents_entry(element: etree._Element) -> bool:
    """True for an element inside a link to a place on the same page (an entry of a table
    of contents)."""
    return any(a.tag == "a" and (a.get("href") or "").startswith("#") for a in (element, *element.iterancestors()))


def _with_attribution(quote: etree._Element, page: PageIndex, found_text: str, short_blocks: list[str]) -> etree._Element:
    """The quote's box when it holds nothing but the quote and one short line after it
    (its attribution, "News industry analyst Ken Doctor") that the extractor left out,
    else the quote itself."""
    box = quote.getparent()
    if box is None or box.tag not in ("div", "figure", "aside", "section"):
        return quote
    children = [c for c in box if isinstance(c.tag, str)]
    if len(children) != 2 or children[0] is not quote or (box.text or "").strip() \
            or any((c.tail or "").strip() for c in children):
        return quote
    line = children[1]
    words = len("".join(line.itertext()).split())
    if not 0 < words <= ATTRIBUTION_WORDS or is_link_only(line) or line.find(".//img") is not None \
            or _already_found(page.text(line), found_text, short_blocks):
        return quote
    return box


def _already_found(text: str, found_text: str, short_blocks: list[str]) -> bool:
    """True when a page element's text is among the extracted blocks in another form (a
    quote given as its paragraphs, a heading run into a block). A long text is that when
    its opening is met anywhere in a block; a short one (a subheading of a word or two,
    "The hand", "Our ruling") only when a block opens with it and is not much longer: its
    words met inside a sentence or a caption ("The hand is protecting the slot") are not it.
    `short_blocks` are the blocks shorter than SEEN_SHORT_RATIO * SEEN_OPENING_CHARS, sorted."""
    head = text[:SEEN_OPENING_CHARS]
    if len(text) >= SEEN_OPENING_CHARS:
        return head in found_text
    for at in range(bisect_left(short_blocks, head), len(short_blocks)):
        block = short_blocks[at]
        if not block.startswith(head):
            return False  # sorted: no later block opens with `head`
        if len(block) <= SEEN_SHORT_RATIO * len(head):
            return True
    return False


def _is_prose(element: etree._Element, page: PageIndex) -> bool:
    """A paragraph of running prose: long enough, and not mostly links."""
    length = page.text_length(element)
    if length < GAP_PARAGRAPH_CHARS:
        return False
    linked = sum(page.text_length(a) for a in element.iter("a") if id(a) in page.position)
    return linked <= GAP_PARAGRAPH_LINKED * length


def _regroup(nodes: list[etree._Element], page: PageIndex) -> list[etree._Element]:
    """Consecutive page elements that lie in one quote, list, table or figure of the page
    and carry most of its text are replaced by that element: the extractor's blocks are
    its paragraphs or items, the reader's is the quote or the list."""
    position, end_of = page.position, page.end
    out: list[etree._Element] = []
    index = 0
    while index < len(nodes):
        node = nodes[index]
        holders = [a for a in node.iterancestors(*STRUCTURE_TAGS)] if id(node) in position else []
        chosen, run_end = None, index + 1
        for holder in reversed(holders):  # outermost first
            end = index
            covered = 0
            # A page element lies inside the holder when its position is within the holder's span.
            first, last = position[id(holder)], end_of[id(holder)]
            while end < len(nodes) and id(nodes[end]) in position and first < position[id(nodes[end])] <= last:
                covered += page.text_length(nodes[end])
                end += 1
            whole = page.text_length(holder)
            if whole and covered >= STRUCTURE_COVER * whole:
                chosen, run_end = holder, end
                break
        if chosen is None:
            out.append(node)
            index += 1
        else:
            out.append(chosen)
            index = run_end
    # A page figure taken for its caption stands for the same picture inserted beside it
    # (not for the same picture shown again elsewhere in the story with another caption).
    def taken_beside(index: int) -> set[str]:
        return {img.get("src") for node in out[max(0, index - 2):index + 3]
                if node.tag == "figure" and id(node) in position for img in node.iter("img")}

    return [node for index, node in enumerate(out) if not (
        node.tag == "figure" and id(node) not in position
        and any(img.get("src") in taken_beside(index) for img in node.iter("img")))]


def _paragraph_of(element: etree._Element) -> etree._Element | None:
    """The paragraph-level element an inline element stands in (None when there is none
    close by: then the element stays a block of its own). A `<div>` that holds text of
    its own and nothing but inline elements is a paragraph written as a div: the link an
    extractor picked out of its sentence ("… check out the <a>editor</a>") stands for
    the whole sentence, not for a fragment of it."""
    for depth, ancestor in enumerate(element.iterancestors()):
        if ancestor.tag in PARAGRAPH_TAGS or (ancestor.tag == "div" and _inline_paragraph(ancestor)):
            return ancestor
        if depth >= 3 or ancestor.tag not in INLINE_TAGS:
            return None
    return None


def _inline_paragraph(element: etree._Element) -> bool:
    """True for an element of a paragraph's size (at most PARAGRAPH_DIV_CHARS) with text
    of its own beside its children, all of them inline and no line break among them (a
    page that writes its whole story into one <div> between <br>s is not one paragraph)."""
    if not ((element.text or "").strip() or any((child.tail or "").strip() for child in element)):
        return False
    if len("".join("".join(element.itertext()).split())) > PARAGRAPH_DIV_CHARS:
        return False
    return all(not isinstance(d.tag, str) or d.tag in INLINE_TAGS for d in element.iterdescendants())


def _same_kind_holding(tag: str, text: str, page: PageIndex, cursor: int,
                       block: etree._Element | None = None) -> etree._Element | None:
    """The next page element of the same kind (a quote, a list, a table) whose text holds
    the block's, and not much more: the extractor left out its attribution or caption."""
    for element in page.after(tag, cursor):
        whole = page.text(element)
        if text in whole and len(whole) <= 1.5 * len(text) + 200:
            return element
    if tag == "table" and block is not None:
        # A table copied with some cells left empty or cut short (an extractor that leaves
        # out link text drops a column of linked names, or the linked items of a cell's
        # list): the next page table that holds its cells, each whole or as its opening.
        cells = [squeeze("".join(c.itertext())) for c in block.iter("td", "th")]
        cells = [c for c in cells if c]
        for element in page.after(tag, cursor):
            whole = page.text(element)
            if len(whole) > 1.5 * len(text) + 200:
                continue
            page_cells = sorted({page.text(c) for c in element.iter("td", "th")})
            if cells and sum(_opens_one_of(c, page_cells) for c in cells) >= TABLE_CELLS_HELD * len(cells):
                return element
            break  # only the next table of the page
    if tag in ("ul", "ol") and block is not None:
        # A list copied without the lists nested in its items (an extractor that leaves out
        # link-only text drops "In progress:"'s list of linked bugs): the next page list
        # whose items are the copy's, one for one and in order, each opening with its text.
        # The extractor writes a definition list as a list too (each term and each
        # definition an item), so the next page <dl> is looked at as well.
        items = [squeeze("".join(item.itertext())) for item in block if item.tag == "li"]
        if not items or not all(items):
            return None
        kinds = (tag, "dl") if tag == "ul" else (tag,)
        for kind in kinds:
            if kind == "dl" and (whole := _same_kind_holding("dl", text, page, cursor)) is not None:
                return whole
            for element in page.after(kind, cursor):
                if not page.text(element).startswith(items[0]):
                    continue
                page_items = [page.text(item) for item in _list_items(element)]
                if len(page_items) == len(items) and all(whole.startswith(item)
                                                         for whole, item in zip(page_items, items)):
                    return element
                break  # only the page list that opens like the copy
    return None


def _opens_one_of(text: str, ordered: list[str]) -> bool:
    """True when `text` is one of the sorted strings or the opening of one."""
    at = bisect_left(ordered, text)
    return at < len(ordered) and ordered[at].startswith(text)


def _list_items(element: etree._Element) -> list[etree._Element]:
    """The items of a list: `<li>`s, or a definition list's terms and definitions (which
    HTML lets a `<div>` group)."""
    if element.tag != "dl":
        return [item for item in element if item.tag == "li"]
    return [item for child in element
            for item in ([child] if child.tag in ("dt", "dd") else child if child.tag == "div" else ())
            if item.tag in ("dt", "dd")]


def _paragraph_holding(text: str, paragraphs: list[tuple[etree._Element, str]], paragraph_at: list[int],
                       cursor: int) -> etree._Element | None:
    """The first paragraph-level element after `cursor` whose text holds `text`: the
    extractor split the paragraph around inline markup and this is one piece of it.
    `paragraph_at` holds the paragraphs' page positions (ascending)."""
    short = len(text) < MIN_PIECE_CHARS
    for at in range(bisect_right(paragraph_at, cursor), len(paragraphs)):
        element, whole = paragraphs[at]
        if short:
            # A word or two: only where a paragraph opens with it, and only the next one.
            return element if whole.startswith(text) and len(whole) > len(text) else None
        if text in whole and len(whole) <= MAX_PIECE_RATIO * len(text) + 400:
            return element
    return None


def _outermost_wrapper(element: etree._Element, page: PageIndex) -> etree._Element:
    """The element itself, or the outermost ancestor that holds nothing else (embed boxes)."""
    text = page.text(element)
    while True:
        parent = element.getparent()
        if parent is None or parent.tag in ("body", "article", "main") or page.text_length(parent) != len(text) \
                or page.text(parent) != text:
            return element
        element = parent
