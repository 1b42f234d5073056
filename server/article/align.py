"""Maps the blocks a content extractor chose back onto the page they came from.

In: the extractor's output (`<body>` of text blocks, HTML vocabulary, links and images
left out because asking for them makes its choice worse) and the page tree it read.
Out: `Aligned`: for each chosen block the page's own element when one carries exactly
that text (so links, inline formatting and pictures inside it survive), else the
extractor's block; plus, between consecutive page elements, the pictures the page shows
there and the subheadings and quotations the extractor skipped (when they are siblings
of the blocks around them, not links, and not already chosen in another form); and the
page position of the first block (where the body starts).

Matching is by text with whitespace removed, in document order (a block never matches an
element before the previous match), preferring the innermost of nested elements that
carry the same text. Elements are keyed by `id()`: `order` holds every element proxy
for the whole call, so lxml hands back the same proxy objects throughout.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from server.article.trim import is_link_only

_SPACE = re.compile(r"\s+")
# Page elements that can stand for one extracted block.
CANDIDATE_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "table", "div", "section", "td", "th", "span", "font", "center", "article", "figcaption", "header",
    "aside", "code", "em", "strong", "b", "i", "a", "main",
})

# Inline elements: never a block of their own when they stand inside a paragraph.
INLINE_TAGS = frozenset({"a", "em", "strong", "b", "i", "code", "span", "font", "u", "s", "sub", "sup", "small",
                         "mark", "kbd", "samp", "var", "q", "cite", "abbr", "time", "tt"})
# Elements that are one paragraph of the page (the unit kept whole).
PARAGRAPH_TAGS = frozenset({"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figcaption",
                            "td", "th", "caption"})
# Elements printed as what they are (a quote, a list, a table, a figure) when the blocks
# taken from inside them carry at least STRUCTURE_COVER of their text.
STRUCTURE_TAGS = ("blockquote", "ul", "ol", "dl", "table", "figure")
STRUCTURE_COVER = 0.6
# A piece shorter than this only stands for the next paragraph, and only when it opens it.
MIN_PIECE_CHARS = 12
# A block this long that the previous one already holds is a repeat, whatever that one is.
MIN_REPEAT_CHARS = 40
# A paragraph holding a piece may be this many times longer (plus a margin for short pieces).
MAX_PIECE_RATIO = 20


def fold(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


@dataclass
class Aligned:
    nodes: list[etree._Element] = field(default_factory=list)  # what the body is copied from
    first_position: int | None = None  # page position of the first matched element
    matched: int = 0


def element_text(element: etree._Element) -> str:
    """The element's text without any whitespace: the key blocks are matched by (an
    extractor spaces its output its own way: "walk.</p><p>By" against "walk.</p> <p>By")."""
    return _SPACE.sub("", "".join(element.itertext()))


def align(found: lxml_html.HtmlElement, root: lxml_html.HtmlElement,
          picture_at: dict[int, etree._Element], gap_tags: frozenset[str] = frozenset()) -> Aligned:
    """`picture_at` maps page positions to picture elements (figures or images) that may be
    inserted between matched blocks; the caller decides which pictures qualify. Page
    elements named in `gap_tags` (headings, quotes) that lie between two matched blocks are
    taken too: the extractor's precision-first choice drops some that are plainly body."""
    position: dict[int, int] = {}
    end: dict[int, int] = {}
    by_text: dict[str, list[etree._Element]] = defaultdict(list)
    order = [e for e in root.iter() if isinstance(e.tag, str)]
    for index, element in enumerate(order):
        position[id(element)] = index
    # The last descendant's position bounds each element, to find what lies between blocks.
    for element in reversed(order):
        last = element[-1] if len(element) else None
        while last is not None and not isinstance(last.tag, str):
            last = last.getprevious()
        end[id(element)] = end[id(last)] if last is not None else position[id(element)]
    picture_at = dict(picture_at)
    gap_source: dict[int, int] = {}
    found_text = " ".join(element_text(block) for block in found if isinstance(block.tag, str))
    for element in order:
        if element.tag not in gap_tags:
            continue
        text = element_text(element)
        # Not empty, not a teaser (inside a link, or nothing but a link), and not already
        # among the extracted blocks in a slightly different form.
        if text and not any(a.tag == "a" for a in element.iterancestors()) and not is_link_only(element) \
                and text[:60] not in found_text:
            at = position[id(element)]
            if at not in picture_at:
                picture_at[at] = element
                gap_source[at] = id(element)
    paragraphs: list[tuple[etree._Element, str]] = []
    for element in order:
        if element.tag in CANDIDATE_TAGS:
            text = element_text(element)
            if text:
                by_text[text].append(element)
                if element.tag in PARAGRAPH_TAGS:
                    paragraphs.append((element, text))

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
                and text in element_text(last):
            continue  # the rest of a paragraph already taken whole, or a block said twice
        match = None
        for candidate in by_text.get(text, ()):
            if position[id(candidate)] > cursor:
                match = candidate
                break
        if match is not None and match.tag in INLINE_TAGS:
            # A piece of a paragraph (a link, a bold phrase, inline code) the extractor gave
            # as a block of its own: the paragraph stands for it, whole.
            paragraph = _paragraph_of(match)
            match = match if paragraph is None else paragraph
        if match is None and text and block.tag in STRUCTURE_TAGS:
            match = _same_kind_holding(block.tag, text, order, position, cursor)
        if match is None and text:
            match = _paragraph_holding(text, paragraphs, position, cursor)
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
                     and element_text(c) == text]
            if len(inner) != 1:
                break
            match = inner[0]
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
                    parent = _outermost_wrapper(element).getparent()
                    if end[source_id] >= start or (parent is not match.getparent()
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
        previous_parent = match.getparent()
    result.nodes = _regroup(result.nodes, position)
    return result


def _regroup(nodes: list[etree._Element], position: dict[int, int]) -> list[etree._Element]:
    """Consecutive page elements that lie in one quote, list, table or figure of the page
    and carry most of its text are replaced by that element: the extractor's blocks are
    its paragraphs or items, the reader's is the quote or the list."""
    out: list[etree._Element] = []
    index = 0
    while index < len(nodes):
        node = nodes[index]
        holders = [a for a in node.iterancestors(*STRUCTURE_TAGS)] if id(node) in position else []
        chosen, run_end = None, index + 1
        for holder in reversed(holders):  # outermost first
            end = index
            covered = 0
            while end < len(nodes) and id(nodes[end]) in position and _inside(nodes[end], holder):
                covered += len(_key(element_text(nodes[end])))
                end += 1
            whole = len(_key(element_text(holder)))
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


def _inside(element: etree._Element, holder: etree._Element) -> bool:
    return any(a is holder for a in element.iterancestors())


def _key(text: str) -> str:
    return _SPACE.sub("", text)


def _paragraph_of(element: etree._Element) -> etree._Element | None:
    """The paragraph-level element an inline element stands in (None when there is none
    close by: then the element stays a block of its own)."""
    for depth, ancestor in enumerate(element.iterancestors()):
        if ancestor.tag in PARAGRAPH_TAGS:
            return ancestor
        if depth >= 3 or ancestor.tag not in INLINE_TAGS:
            return None
    return None


def _same_kind_holding(tag: str, text: str, order: list[etree._Element], position: dict[int, int],
                       cursor: int) -> etree._Element | None:
    """The next page element of the same kind (a quote, a list, a table) whose text holds
    the block's, and not much more: the extractor left out its attribution or caption."""
    for element in order[cursor + 1:]:
        if element.tag == tag:
            whole = element_text(element)
            if text in whole and len(whole) <= 1.5 * len(text) + 200:
                return element
    return None


def _paragraph_holding(text: str, paragraphs: list[tuple[etree._Element, str]], position: dict[int, int],
                       cursor: int) -> etree._Element | None:
    """The first paragraph-level element after `cursor` whose text holds `text`: the
    extractor split the paragraph around inline markup and this is one piece of it."""
    short = len(text) < MIN_PIECE_CHARS
    for element, whole in paragraphs:
        if position[id(element)] <= cursor:
            continue
        if short:
            # A word or two: only where a paragraph opens with it, and only the next one.
            return element if whole.startswith(text) and len(whole) > len(text) else None
        if text in whole and len(whole) <= MAX_PIECE_RATIO * len(text) + 400:
            return element
    return None


def _outermost_wrapper(element: etree._Element) -> etree._Element:
    """The element itself, or the outermost ancestor that holds nothing else (embed boxes)."""
    text = element_text(element)
    while True:
        parent = element.getparent()
        if parent is None or parent.tag in ("body", "article", "main") or element_text(parent) != text:
            return element
        element = parent
