"""Unwrapping inline elements without leaving the text in pieces.

lxml's `strip_tags` unwraps elements but leaves their text as separate, adjacent text
nodes in libxml2's tree; a parser never makes those. libxml2's XPath is quadratic in
them: trafilatura unwraps every `<span>` of the article's subtree and then asks for
`//p//text()`, so a paragraph of 49,000 spans took half a minute (and 20,000 five seconds,
in trafilatura alone).

`strip_tags_merged(tree, *tags)` does what `strip_tags` does and then, when there are
pieces, joins them (setting an element's text or tail replaces all adjacent text nodes
with one), so the tree is what parsing its HTML would give. `use_in_trafilatura()` makes trafilatura's
modules call it: their text and markup come out the same, in time that grows with the page.
"""

from __future__ import annotations

from types import ModuleType

from lxml import etree


# Below this many text nodes even a quadratic walk of them is quick: not worth counting more.
FEW_PIECES = 500


def strip_tags_merged(tree: etree._Element | etree._ElementTree, *tags: object) -> None:
    etree.strip_tags(tree, *tags)
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if root is None or not tags:
        return
    # A parsed tree has at most two text nodes per element (its text and its tail); more
    # means pieces left by unwrapping. Counting is cheap (libxml2 does it), joining is done
    # only when there are pieces to join.
    pieces = root.xpath("count(.//text())")
    if pieces < FEW_PIECES or pieces <= 2 * root.xpath("count(.//*)") + 2:
        return
    for element in root.iter():
        if isinstance(element, etree._Entity):
            continue  # its text is its name
        if element.text is not None:
            element.text = element.text
        if element is not root and element.tail is not None:
            element.tail = element.tail


_TRAFILATURA_MODULES = ("core", "external", "htmlprocessing", "main_extractor")


def use_in_trafilatura() -> None:
    """Points trafilatura's modules' `strip_tags` at `strip_tags_merged` (idempotent)."""
    import importlib

    for name in _TRAFILATURA_MODULES:
        module: ModuleType = importlib.import_module(f"trafilatura.{name}")
        if getattr(module, "strip_tags", None) is etree.strip_tags:
            module.strip_tags = strip_tags_merged
