"""Which blocks are the article: the agreement of two independent content extractors.

In: the page (an lxml tree, not modified) and its address. Out: a `<body>` holding the
article's blocks in page order (extractor output, to be mapped back onto the page's own
elements by align.py), or None when neither extractor finds any text.

trafilatura (recall setting: tags, text density and link density) and readability-lxml
(Arc90's scoring of paragraph containers, then their siblings) fail on different pages.
trafilatura chooses first; its choice stands alone when it is plainly an article (long
enough, not mostly one block, and mostly the page's own prose paragraphs), which holds
on most pages and saves readability-lxml's time there. Otherwise readability-lxml is
asked too. Where they agree, the blocks both hold mark where the article lies on the page (its
span, from the first agreed block to the last). A block only one of them holds is kept
when it lies inside that span and dropped outside it (leading teasers, trailing related
links and comments are what one of them takes and the other leaves), and inside it too
when it outweighs half of what they share (a gallery between two paragraphs). When they barely
agree, one of them has missed the article: trafilatura's choice stands, and when it
finds nothing, readability's does (a page trafilatura finds empty is not "no article"
if the other finds one).

Positions are offsets in the page's text with all whitespace removed, so matching is
cheap (string search) and indifferent to how either extractor spaces its output.
"""

from __future__ import annotations

import copy
import logging

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from readability import Document
from readability.readability import clean as readability_clean
from trafilatura.core import determine_returnstring
from trafilatura.settings import Extractor

from server.article.page_index import PageIndex

# Tags of the blocks compared (outermost of them in each extractor's output).
BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "pre", "blockquote", "table",
              "figure")
# Elements that separate blocks even when they hold only inline content.
CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "header", "footer", "aside", "center",
                            "address", "details", "li", "dt", "dd", "figcaption", "body"})
# The share of the shorter extractor's text the other must also hold for them to agree.
MIN_AGREEMENT = 0.4
# When trafilatura's blocks are too coarse to match readability's one by one, readability's
# choice stands for both if trafilatura's holds this share of it and is not much longer.
MIN_COARSE_HELD = 0.8
MAX_COARSE_GROWTH = 1.5
# A block only one extractor holds is dropped, even inside the agreed span, when it is
# longer than this share of the text both hold.
MAX_LONE_SHARE = 0.5
# Characters of a block's start that tell two versions of one block.
VERSION_PROBE_CHARS = 30
# Characters of a block's start used to find it in the page and in the other output.
PROBE_CHARS = 80

# trafilatura's choice stands alone when it holds this many characters (whitespace left
# out) and this share of them lies in the page's own prose paragraphs (at least
# PROSE_PARAGRAPH_CHARS long, at most MAX_PROSE_LINKED of it link text). Measured on both
# development sets: below either, readability-lxml's second opinion gains on average;
# above both, it changes little, so its cost is saved on most pages.
CONFIDENT_CHARS = 1000
# A choice more than half of which is one block (a list, a table, a box of text) is a
# gallery, a link list or a layout table as often as an article: worth a second look.
MAX_BLOCK_SHARE = 0.5
CONFIDENT_PROSE = 0.8
# A choice that ends in this many short blocks in a row may have run on into furniture.
MAX_TRAILING_LINES = 3
PROSE_PARAGRAPH_CHARS = 60
MAX_PROSE_LINKED = 0.3

logging.getLogger("readability.readability").setLevel(logging.CRITICAL)


def _key(text: str) -> str:
    return "".join(text.split())  # the same as removing \s+, at a third of the cost


def trafilatura_html(root: lxml_html.HtmlElement, url: str) -> str:
    """What `trafilatura.extract(root, output_format="html", favor_recall=True, ...)` returns,
    without the content fingerprint `extract` computes for every non-text format: a hash of
    the whole text that only metadata output shows, a quarter of the call's time on the
    bench pages."""
    options = Extractor(
        output_format="html", recall=True, comments=False, tables=True, images=False, formatting=True,
        links=False, dedup=False, url=url, with_metadata=False)
    document = trafilatura.bare_extraction(root, options=options)
    return determine_returnstring(document, options) if document is not None else ""


def trafilatura_blocks(root: lxml_html.HtmlElement, url: str) -> list[etree._Element]:
    found = trafilatura_html(root, url)
    if not found or not found.strip():
        return []
    body = lxml_html.document_fromstring(found).find("body")
    return [] if body is None else blocks_of(body)


class _Readable(Document):
    """readability-lxml on a page already parsed: a copy of the tree instead of a new parse
    and an lxml Cleaner pass (it drops scripts and styles itself; links are not used)."""

    def _parse(self, input):  # the library names it so
        return copy.deepcopy(input)

    # Scoring measures the links of every candidate container, and a link lies in its
    # parent's and grandparent's candidates alike: while scoring (which changes no text),
    # each link's length is measured once. Later calls (on a tree being cleaned) measure.
    _link_lengths: dict | None = None

    def score_paragraphs(self):
        self._link_lengths = {}
        try:
            return super().score_paragraphs()
        finally:
            self._link_lengths = None

    def get_link_density(self, elem):
        lengths = self._link_lengths
        link_length = 0
        for link in elem.iterfind(".//a"):
            length = None if lengths is None else lengths.get(link)
            if length is None:
                length = _readability_text_length(link)
                if lengths is not None:
                    lengths[link] = length
            link_length += length
        return float(link_length) / max(_readability_text_length(elem), 1)


def _readability_text_length(element: etree._Element) -> int:
    """readability-lxml's `text_length`: the length of its `clean()` of the text, which
    folds each whitespace run holding a line break, or two or more spaces, to one
    character, and strips the ends. Where the text's only whitespace is spaces and line
    breaks, every run between words becomes one character: counted without the three
    regular-expression passes (most of readability's time on long pages). Other text
    (tabs, no-break spaces: runs it may keep longer) is cleaned as readability does."""
    text = element.text_content() or ""
    words = text.split()
    letters = sum(map(len, words))
    if len(text) - letters == text.count(" ") + text.count("\n"):
        return letters + max(len(words) - 1, 0)
    return len(readability_clean(text))


def readability_blocks(root: lxml_html.HtmlElement, url: str) -> list[etree._Element]:
    try:
        summary = _Readable(root, url=url).summary(html_partial=True)
    except Exception:  # noqa: BLE001 - the library wraps any failure in a bare Exception subclass
        return []
    if not summary or not summary.strip():
        return []
    return blocks_of(lxml_html.fragment_fromstring(summary, create_parent="div"))


def blocks_of(container: etree._Element) -> list[etree._Element]:
    """The outermost block elements of an extractor's output; a run of loose text and
    inline elements between them becomes one paragraph (never one per element)."""
    out: list[etree._Element] = []
    run: list[etree._Element | str] = []

    def close_run() -> None:
        if any(isinstance(item, str) and item.strip() or not isinstance(item, str) and "".join(item.itertext()).strip()
               for item in run):
            paragraph = lxml_html.Element("p")
            for item in run:
                if isinstance(item, str):
                    if len(paragraph):
                        paragraph[-1].tail = (paragraph[-1].tail or "") + item
                    else:
                        paragraph.text = (paragraph.text or "") + item
                else:
                    paragraph.append(item)
            out.append(paragraph)
        run.clear()

    def walk(element: etree._Element) -> None:
        if element.text:
            run.append(element.text)
        for child in list(element):
            tail = child.tail
            child.tail = None
            if not isinstance(child.tag, str):
                pass
            elif child.tag in BLOCK_TAGS:
                close_run()
                out.append(child)
            elif any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in child.iterdescendants()):
                close_run()
                walk(child)
                close_run()
            elif child.tag == "br":
                close_run()
            elif child.tag in CONTAINER_TAGS:
                close_run()
                if "".join(child.itertext()).strip():
                    out.append(child)
            else:
                run.append(child)
            if tail:
                run.append(tail)

    walk(container)
    close_run()
    return out


def agree(root: lxml_html.HtmlElement, url: str, page: PageIndex | None = None) -> lxml_html.HtmlElement | None:
    """`page`: the index of `root` when the caller has it (its texts are then not read again)."""
    page = PageIndex(root) if page is None else page
    first = trafilatura_blocks(root, url)
    first_keys = [_key("".join(b.itertext())) for b in first]
    if _confident(first_keys, page):
        chosen = [b for b, k in zip(first, first_keys) if k]
    else:
        second = readability_blocks(root, url)
        chosen = combine(first, second, page.page_text)
    return body_of(chosen)


def combine(first: list[etree._Element], second: list[etree._Element], page: str) -> list[etree._Element]:
    """The article's blocks from two extractors' blocks, in page order (see the module doc)."""
    first_keys = [_key("".join(b.itertext())) for b in first]
    second_keys = [_key("".join(b.itertext())) for b in second]
    first_all, second_all = "".join(first_keys), "".join(second_keys)
    if not first_all:
        return [b for b, k in zip(second, second_keys) if k]
    if not second_all:
        return [b for b, k in zip(first, first_keys) if k]
    first_agreed = [bool(k) and _holds(second_all, k) for k in first_keys]
    second_agreed = [bool(k) and _holds(first_all, k) for k in second_keys]
    shared = sum(len(k) for k, a in zip(first_keys, first_agreed) if a)
    if shared < MIN_AGREEMENT * min(len(first_all), len(second_all)):
        held = sum(len(k) for k, a in zip(second_keys, second_agreed) if a)
        if held >= MIN_COARSE_HELD * len(second_all) and len(first_all) <= MAX_COARSE_GROWTH * len(second_all):
            # trafilatura holds nearly all of readability's choice, but in coarser blocks
            # (a whole layout table as one) that match none of readability's: the same
            # article, and readability's blocks are the ones that map onto the page.
            return [b for b, k in zip(second, second_keys) if k]
        return [b for b, k in zip(first, first_keys) if k]
    placed: list[tuple[int, int, etree._Element]] = []
    span_start, span_end = None, None
    cursor = 0
    for block, key, agreed in zip(first, first_keys, first_agreed):
        at = _locate(page, key, cursor)
        if at < 0:
            at = cursor
        cursor = at
        placed.append((at, 0, block, agreed, key))
        if agreed:
            span_start = at if span_start is None else min(span_start, at)
            span_end = max(span_end or 0, at + len(key))
    if span_start is None:
        return [b for b, k in zip(first, first_keys) if k]
    # Inside the span a block one of them alone holds is kept (a subheading, a caption, a
    # paragraph the other passed over), unless it outweighs what they share: a gallery or
    # a list of other stories the other skipped between two blocks of the article.
    lone_limit = MAX_LONE_SHARE * shared
    out = [(at, order, block) for at, order, block, agreed, key in placed
           if key and (agreed or (span_start <= at < span_end and len(key) <= lone_limit))]
    # Blocks of the same kind that open alike are two versions of one block (a table one of
    # them copied with a cell missing): trafilatura's stands.
    taken = {(block.tag, _key("".join(block.itertext()))[:VERSION_PROBE_CHARS]) for _, _, block in out}
    cursor = 0
    for block, key, agreed in zip(second, second_keys, second_agreed):
        if not key or agreed:
            continue
        at = _locate(page, key, cursor)
        if at < 0:
            continue
        cursor = at
        if span_start <= at < span_end and len(key) <= lone_limit and (block.tag, key[:VERSION_PROBE_CHARS]) not in taken:
            out.append((at, 1, block))
    out.sort(key=lambda item: (item[0], item[1]))
    return [block for _, _, block in out]


def _confident(keys: list[str], page: PageIndex) -> bool:
    """True when trafilatura's choice needs no second opinion: it is long enough to be an
    article, not mostly one block, does not end in a run of short lines, and most of it is
    running prose the page itself sets as paragraphs. A short choice may have missed the
    article; one made of other text (link lists, galleries, captions, bare lines) may have
    taken furniture."""
    chosen = "".join(keys)
    if len(chosen) < CONFIDENT_CHARS or max(map(len, keys)) > MAX_BLOCK_SHARE * len(chosen):
        return False
    trailing = 0
    for key in reversed(keys):
        if len(key) >= PROSE_PARAGRAPH_CHARS:
            break
        trailing += 1
    if trailing >= MAX_TRAILING_LINES:
        return False  # it ends in a run of short lines: tags, share links, a slideshow's chrome
    prose = 0
    for paragraph in page.after("p", -1):
        length = page.text_length(paragraph)
        if length < PROSE_PARAGRAPH_CHARS:
            continue
        linked = sum(page.text_length(a) for a in paragraph.iter("a"))
        if linked <= MAX_PROSE_LINKED * length and page.text(paragraph)[:PROSE_PARAGRAPH_CHARS] in chosen:
            prose += length
    return prose >= CONFIDENT_PROSE * len(chosen)


def _holds(text: str, key: str) -> bool:
    if len(key) <= PROBE_CHARS:
        return key in text
    return key[:PROBE_CHARS] in text and key[-PROBE_CHARS:] in text


def _locate(page: str, key: str, start: int) -> int:
    probe = key[:PROBE_CHARS]
    at = page.find(probe, start)
    return at if at >= 0 else page.find(probe)


def most_prose(root: lxml_html.HtmlElement, url: str, page: PageIndex | None = None) -> lxml_html.HtmlElement | None:
    """The one extractor's choice that holds the most running prose (blocks of at least
    PROSE_PARAGRAPH_CHARS characters), each extractor asked alone: the last resort when
    what they agree on is next to nothing, as when one of them took a notice and the
    other the article (agreement then lets the first stand)."""
    best, best_prose = [], 0
    for blocks in (trafilatura_blocks(root, url), readability_blocks(root, url)):
        keys = [_key("".join(b.itertext())) for b in blocks]
        prose = sum(len(k) for k in keys if len(k) >= PROSE_PARAGRAPH_CHARS)
        if prose > best_prose:
            best, best_prose = [b for b, k in zip(blocks, keys) if k], prose
    return body_of(best)


def body_of(blocks: list[etree._Element]) -> etree._Element | None:
    """A <body> holding `blocks` (their tails left behind), or None when there are none."""
    if not blocks:
        return None
    body = lxml_html.Element("body")
    for block in blocks:
        block.tail = None
        body.append(block)
    return body
