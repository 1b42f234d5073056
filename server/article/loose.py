"""Body text a page leaves loose between the body's own blocks.

In: the body's blocks in order (page elements and extractor blocks, never modified) and
the page they came from. Out: the same blocks with, between two page elements that are
siblings, the text the page sets loose between them (the tail of a picture's box, a run
of text and links after a `<br>`) as a paragraph of its own.

Content extractors take elements; a sentence written straight into the body's container
after a figure or between line breaks belongs to no element and is easily left out,
although it sits in the middle of the body, between two blocks both extractors took.
Only runs of at least MIN_LOOSE_CHARS characters count (a stray "|" or "›" does not).
"""

from __future__ import annotations

import copy
import re

from lxml import etree
from lxml import html as lxml_html

MIN_LOOSE_CHARS = 60
# How far up from the last block taken its box may be a sibling of the next one.
MAX_LEVELS = 4
# Elements that continue a run of loose text (anything else ends it).
INLINE_TAGS = frozenset({"a", "em", "strong", "b", "i", "code", "span", "font", "u", "s", "sub", "sup", "small",
                         "mark", "kbd", "samp", "var", "q", "cite", "abbr", "time", "tt"})
_SPACE = re.compile(r"\s+")


def with_loose_text(nodes: list[etree._Element], root: etree._Element) -> list[etree._Element]:
    taken = "".join(_SPACE.sub("", "".join(n.itertext())) for n in nodes)
    out: list[etree._Element] = []
    previous = None  # the last page element among the blocks (inserted pictures are not)
    for node in nodes:
        on_page = node.getroottree().getroot() is root
        sibling = _sibling_holding(previous, node) if on_page and previous is not None else None
        if sibling is not None:
            out.extend(run for run in _runs_between(sibling, node)
                       if _SPACE.sub("", "".join(run.itertext()))[:MIN_LOOSE_CHARS] not in taken)
        out.append(node)
        if on_page:
            previous = node
    return out


def _sibling_holding(previous: etree._Element, node: etree._Element) -> etree._Element | None:
    """`previous` or its ancestor that is an earlier sibling of `node` (a picture's box
    holding the caption taken last), if there is one close by."""
    parent = node.getparent()
    for _ in range(MAX_LEVELS):
        if previous is None or parent is None:
            return None
        if previous.getparent() is parent:
            return previous
        previous = previous.getparent()
    return None


def _runs_between(start: etree._Element, stop: etree._Element) -> list[etree._Element]:
    runs: list[etree._Element] = []
    run = lxml_html.Element("p")

    def close() -> None:
        nonlocal run
        if len(_SPACE.sub("", "".join(run.itertext()))) >= MIN_LOOSE_CHARS:
            runs.append(run)
        run = lxml_html.Element("p")

    def add_text(text: str | None) -> None:
        if not text:
            return
        if len(run):
            run[-1].tail = (run[-1].tail or "") + text
        else:
            run.text = (run.text or "") + text

    add_text(start.tail)
    for sibling in start.itersiblings():
        if sibling is stop:
            break
        if isinstance(sibling.tag, str) and sibling.tag in INLINE_TAGS:
            piece = copy.deepcopy(sibling)
            piece.tail = None
            run.append(piece)
        else:
            close()
        add_text(sibling.tail)
    close()
    return runs
