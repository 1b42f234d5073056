"""One walk over a parsed page, so later steps never walk subtrees again.

In: a page tree that is not changed while the index is in use. Out: `PageIndex`:
- `elements`: every element in document order, the root first (comments and processing
  instructions left out). Holding the proxies keeps them alive, so lxml hands back these
  same objects on every later walk and `id()` stays a valid key for the index's lifetime;
- `position` and `end` by `id()`: an element's place in `elements`, and the place of the
  last element of its subtree (what lies between two blocks is what lies between them);
- `text(element)`: the element's text (`"".join(element.itertext())`) with all whitespace
  removed, the key blocks are matched by; `text_length(element)`, its length;
  `first_letter(element)`, its first character;
- `after(tag, position)`: the elements of a tag that come after a position.

The texts are slices of one string built in the walk (each node's text and tail once),
so indexing costs time in proportion to the page, not to elements times depth as
`itertext()` per element does on deeply nested pages.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator

from lxml import etree


def squeeze(text: str | None) -> str:
    """`text` without any whitespace (the same characters `\\s` matches)."""
    return "".join(text.split()) if text else ""


class PageIndex:
    def __init__(self, root: etree._Element) -> None:
        self.elements: list[etree._Element] = []
        self.position: dict[int, int] = {}
        self.end: dict[int, int] = {}
        self._tag_positions: dict[str, list[int]] = defaultdict(list)
        # By position: where the element's text starts and stops in the one string.
        self._starts: list[int] = []
        self._stops: list[int] = []
        parts: list[str] = []
        length = 0
        elements, position, end, starts, stops = self.elements, self.position, self.end, self._starts, self._stops
        tag_positions = self._tag_positions
        opened: list[int] = []  # positions of the elements whose end is still to come
        for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
            if event == "start":
                at = len(elements)
                position[id(node)] = at
                tag_positions[node.tag].append(at)
                elements.append(node)
                starts.append(length)
                stops.append(length)
                opened.append(at)
                text = node.text
            else:
                if event == "end":
                    end[id(node)] = len(elements) - 1
                    stops[opened.pop()] = length
                # The root's tail is outside the page (itertext leaves it out too); a
                # comment's or processing instruction's text is not text, its tail is.
                text = node.tail if node is not root else None
            if text:
                text = "".join(text.split())
                if text:
                    parts.append(text)
                    length += len(text)
        self._text = "".join(parts)

    @property
    def page_text(self) -> str:
        """The whole page's text without whitespace (the root's `text`)."""
        return self._text

    def __contains__(self, element: etree._Element) -> bool:
        return id(element) in self.position

    def text(self, element: etree._Element) -> str:
        at = self.position[id(element)]
        return self._text[self._starts[at]:self._stops[at]]

    def text_length(self, element: etree._Element) -> int:
        at = self.position[id(element)]
        return self._stops[at] - self._starts[at]

    def first_letter(self, element: etree._Element) -> str:
        """The first character of the element's text that is not whitespace ("" if none)."""
        at = self.position[id(element)]
        return self._text[self._starts[at]] if self._stops[at] > self._starts[at] else ""

    def after(self, tag: str, position: int) -> Iterator[etree._Element]:
        """The elements named `tag` after `position`, in document order."""
        positions = self._tag_positions.get(tag, [])
        for at in range(bisect_right(positions, position), len(positions)):
            yield self.elements[positions[at]]
