"""DOM-style edits of an lxml tree that keep its text where it stands.

lxml keeps text in two places: an element's `.text` (before its first child) and its
`.tail` (after it, inside its parent). Code written in DOM terms (text nodes, insert
after, unwrap) easily moves a tail to the wrong side of an element or drops it with the
element. These helpers give the typesetter and the glossary those DOM operations on the
body tree the article carries (model.ArticleBody), so it never goes through another parser:

    TextNode(element, is_tail)     one run of text: `element.text`, or `element.tail`
    text_nodes(root)               every non-empty run under `root`, in reading order
    text_of(element, separator)    the text an element holds (its tail left out), runs joined
    replace_text(node, pieces)     the run replaced by strings and new elements, in order
    insert_after(element, new)     `new` right after `element`, before the text that followed it
    wrap(element, wrapper)         `wrapper` where `element` stood, holding it
    unwrap(element)                what `element` holds, where it stood
    drop(element)                  `element` and what it holds gone; the text after it stays
    xml_safe(text)                 `text` without the control characters lxml refuses
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from lxml import etree

# lxml refuses these in text and attribute values (they are not XML characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class TextNode:
    """A run of text in a tree: `element.text` (is_tail False) or `element.tail` (True).

    Made once per run by text_nodes(), so two words of one run share one TextNode."""

    __slots__ = ("element", "is_tail")

    def __init__(self, element: etree._Element, is_tail: bool) -> None:
        self.element = element
        self.is_tail = is_tail

    @property
    def value(self) -> str:
        return (self.element.tail if self.is_tail else self.element.text) or ""

    @value.setter
    def value(self, text: str) -> None:
        if self.is_tail:
            self.element.tail = text or None
        else:
            self.element.text = text or None

    @property
    def parent(self) -> etree._Element | None:
        """The element this text stands in (a tail stands in its element's parent)."""
        return self.element.getparent() if self.is_tail else self.element

    def ancestors(self) -> Iterator[etree._Element]:
        """The element the text stands in, then its ancestors, innermost first."""
        parent = self.parent
        if parent is not None:
            yield parent
            yield from parent.iterancestors()

    def __str__(self) -> str:
        return self.value


def text_nodes(root: etree._Element) -> Iterator[TextNode]:
    """The runs of text under `root` in reading order; `root`'s own tail is not under it.
    Comments and processing instructions are not text (the text after them is)."""
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if element.text and isinstance(element.tag, str):
                yield TextNode(element, False)
        elif element is not root and element.tail:
            yield TextNode(element, True)


def text_of(element: etree._Element, separator: str = "") -> str:
    return separator.join(node.value for node in text_nodes(element))


def replace_text(node: TextNode, pieces: Sequence[str | etree._Element]) -> None:
    """Puts `pieces` (strings and new elements without tails) where the run stood."""
    lead: list[str] = []
    index = 0
    while index < len(pieces) and isinstance(pieces[index], str):
        lead.append(pieces[index])  # type: ignore[arg-type]
        index += 1
    node.value = "".join(lead)
    last: etree._Element | None = None
    for piece in pieces[index:]:
        if isinstance(piece, str):
            last.tail = (last.tail or "") + piece  # type: ignore[union-attr]
            continue
        if last is not None:
            last.addnext(piece)  # after `last` and the text already given to it
        elif node.is_tail:
            node.element.addnext(piece)  # after the element and the run's leading text
        else:
            node.element.insert(0, piece)  # after the run's leading text, before any child
        last = piece


def insert_after(element: etree._Element, new: etree._Element) -> None:
    new.tail = (new.tail or "") + (element.tail or "") or None
    element.tail = None
    element.addnext(new)


def wrap(element: etree._Element, wrapper: etree._Element) -> None:
    wrapper.tail, element.tail = element.tail, None
    element.addprevious(wrapper)
    wrapper.append(element)


def unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    children, tail = list(element), element.tail
    _give_text(element, element.text or "")
    element.text = None
    if children:
        children[-1].tail = (children[-1].tail or "") + (tail or "") or None
        for child in reversed(children):
            element.addnext(child)  # each child keeps its own tail
    else:
        _give_text(element, tail or "")
    parent.remove(element)


def drop(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    _give_text(element, element.tail or "")
    parent.remove(element)


def _give_text(element: etree._Element, text: str) -> None:
    """Appends `text` to what precedes `element` (its previous sibling's tail, else its
    parent's text), so that removing `element` keeps it in place."""
    element.tail = None
    if not text:
        return
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent = element.getparent()
        parent.text = (parent.text or "") + text  # type: ignore[union-attr]


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)
