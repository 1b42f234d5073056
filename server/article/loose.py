"""Body text a page leaves loose between the body's own blocks.

In: the body's blocks in order (page elements and extractor blocks, never modified) and
the page they came from. Out: the same blocks with, between two page elements that are
siblings, the text the page sets loose between them (the tail of a picture's box, a run
of text and links after a `<br>`) as a paragraph of its own.

Content extractors take elements; a sentence written straight into the body's container
after a figure or between line breaks belongs to no element and is easily left out,
although it sits in the middle of the body, between two blocks both extractors took.
Only runs of at least MIN_LOOSE_CHARS characters count (a stray "|" or "›" does not).

A block is taken with the wrappers that hold nothing else (a formula's `<p>` inside a
script-built math container), so the loose text beside the wrapper is found. An element
the page invents (a name with a hyphen, such as a math container) that holds no block
continues a run like an inline element: it is a word or a formula inside the sentence.
Text after the last block counts too when it closes the block's container (nothing but
inline content follows it there): the end of a sentence written around an inline formula.
An extractor may also give such a run in pieces, cut where an inline box stands (a
formula): two or more of its blocks that together carry nearly all of one run are
replaced by the run, whole and with its markup.
"""

from __future__ import annotations

import copy
import re

from lxml import etree
from lxml import html as lxml_html

MIN_LOOSE_CHARS = 60
# Extractor blocks that together carry this share of one loose run are pieces of it.
WHOLE_RUN_SHARE = 0.8
MIN_CLAUSE_CHARS = 15
MIN_CLAUSE_WORDS = 3
MAX_CLAUSE_LINKED = 0.3
# How far up from the last block taken its box may be a sibling of the next one.
MAX_LEVELS = 4
# Elements that continue a run of loose text (anything else ends it).
INLINE_TAGS = frozenset({"a", "em", "strong", "b", "i", "code", "span", "font", "u", "s", "sub", "sup", "small",
                         "mark", "kbd", "samp", "var", "q", "cite", "abbr", "time", "tt"})
# Elements that are no text of the page: passed over, they neither join nor end a run.
UNSEEN_TAGS = frozenset({"script", "style", "template", "noscript", "link", "meta"})
_SPACE = re.compile(r"\s+")
# Elements that hold or are blocks: an invented element holding one of them is no word.
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "ul", "ol",
                        "li", "dl", "dt", "dd", "table", "pre", "blockquote", "figure", "figcaption", "form", "hr",
                        "h1", "h2", "h3", "h4", "h5", "h6", "br", "address", "details", "iframe", "img", "video",
                        "audio", "picture", "svg", "canvas"})


def with_loose_text(nodes: list[etree._Element], root: etree._Element) -> list[etree._Element]:
    taken = "".join(_squeezed(n) for n in nodes)
    out: list[etree._Element] = []
    previous = None  # the last page element among the blocks (inserted pictures are not)
    pieces: list[int] = []  # where in `out` the extractor's own blocks since `previous` are
    for node in nodes:
        on_page = node.getroottree().getroot() is root
        if on_page:
            node_box = _wrapper(node)
            sibling = _sibling_holding(previous, node_box) if previous is not None else None
            if sibling is not None:
                runs = _runs_between(sibling, node_box, every=True)
                out.extend(run for run in runs if _is_prose(run) and _new(run, taken))
                if len(pieces) >= 2:
                    _whole_runs(out, pieces, runs)
            previous = node
            pieces = []
        elif node.tag == "p":
            pieces.append(len(out))
        out.append(node)
    if previous is not None:
        # The end of the last block's container, when only inline content follows it there.
        last = _wrapper(previous)
        if all(_is_inline(s) for s in last.itersiblings()):
            out.extend(run for run in _runs_between(last, None) if _new(run, taken))
    return out


def _squeezed(element: etree._Element) -> str:
    return _SPACE.sub("", "".join(element.itertext()))


def _whole_runs(out: list[etree._Element], pieces: list[int], runs: list[etree._Element]) -> None:
    """Replaces, in `out`, the extractor's blocks that are pieces of one loose run (a
    sentence cut where an inline formula or picture box stands) by the page's run, whole
    and with its markup: two or more pieces, together nearly all of the run's text."""
    held = {id(node) for node in out}
    texts = {i: _squeezed(out[i]) for i in pieces}
    for run in runs:
        text = _squeezed(run)
        if id(run) in held:
            continue
        inside = [i for i in pieces if out[i] is not None and texts[i] and texts[i] in text]
        if len(inside) >= 2 and sum(len(texts[i]) for i in inside) >= WHOLE_RUN_SHARE * len(text):
            out[inside[0]] = run
            for index in reversed(inside[1:]):
                out[index] = None  # type: ignore[call-overload]
    out[:] = [node for node in out if node is not None]


def _new(run: etree._Element, taken: str) -> bool:
    return _SPACE.sub("", "".join(run.itertext()))[:MIN_LOOSE_CHARS] not in taken


def _wrapper(node: etree._Element) -> etree._Element:
    """The node, or its outermost ancestor that holds the same text and nothing else."""
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "article", "main") or (parent.text or "").strip():
            return node
        for child in parent:
            # Anything else with text beside the node (looked at lazily: the first
            # character that is not whitespace settles it) makes the parent more than a wrapper.
            if (child.tail or "").strip() or (child is not node and isinstance(child.tag, str)
                                               and any(t.strip() for t in child.itertext())):
                return node
        node = parent


def _is_inline(element: etree._Element) -> bool:
    """An inline element, or one the page invented (a formula's box), holding no block and
    no picture: a `<span>` around a picture and its caption is a figure, not words."""
    tag = element.tag
    if not isinstance(tag, str) or tag in UNSEEN_TAGS:
        return True
    if tag not in INLINE_TAGS and "-" not in tag:
        return False
    return not any(isinstance(d.tag, str) and d.tag in BLOCK_TAGS for d in element.iterdescendants())


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


def _is_prose(run: etree._Element) -> bool:
    """Long enough, or a clause that continues a sentence (it opens in lower case or with
    punctuation: the words after an inline formula) in several words that are not links.
    A short line that opens like a sentence of its own ("Continue reading below") is not."""
    text = "".join(run.itertext())
    squeezed = len(_SPACE.sub("", text))
    if squeezed >= MIN_LOOSE_CHARS:
        return True
    opening = text.lstrip()[:1]
    if not opening or opening.isupper() or opening.isdigit() or opening in "|›»·•-–—":
        return False
    linked = sum(len(_SPACE.sub("", "".join(a.itertext()))) for a in run.iter("a"))
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    return squeezed >= MIN_CLAUSE_CHARS and len(words) >= MIN_CLAUSE_WORDS and linked <= MAX_CLAUSE_LINKED * squeezed


def _runs_between(start: etree._Element, stop: etree._Element | None, every: bool = False) -> list[etree._Element]:
    """The runs of loose text between `start` and `stop`: those that are prose, or `every` one."""
    runs: list[etree._Element] = []
    run = lxml_html.Element("p")

    def close() -> None:
        nonlocal run
        if every or _is_prose(run):
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
        if not isinstance(sibling.tag, str) or sibling.tag in UNSEEN_TAGS:
            pass
        elif _is_inline(sibling):
            piece = copy.deepcopy(sibling)
            piece.tail = None
            run.append(piece)
        else:
            close()
        add_text(sibling.tail)
    close()
    return runs
