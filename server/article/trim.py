"""The last cut: blocks content extraction kept that are page furniture after all.

In: the body's blocks in order (page elements or extractor blocks, never modified).
Out: the blocks worth printing. Dropped, by general rules only:
- blocks that sit inside a link: teaser cards ("you may also like" headlines);
- cross-reference lines: "Related: …", "Read more: …", "See also: …", "DON'T MISS";
- CMS shortcodes left as text ("[button link=…]…[/button]");
- at the end of the body, lines and lists made only of links (further reading),
  and filing lines ("Filed under: …", "Tags: …"). A copyright or "Source:" line is the
  article's own (a photo's rights, a roundup's sources): measured on both development
  sets, cutting them gained nothing, and on other pages it cut real text.
"""

from __future__ import annotations

import re

from lxml import etree

_CROSS_REFERENCE = re.compile(
    r"^(?:related(?:\s+(?:articles?|stories|content|coverage|news|reading|links?))?|read\s+(?:more|also|next)|"
    r"see\s+(?:more|also)|also\s+read|more\s+(?:on\s+this|from|stories|coverage|news)|don'?t\s+miss|"
    r"recommended(?:\s+for\s+you)?|you\s+may\s+also\s+like|trending(?:\s+now)?|most\s+(?:read|popular|viewed)|"
    r"sign\s+up\s+for|subscribe\s+to|further\s+reading|more)\b\s*(?P<colon>[:\-–—|>»]?)",
    re.I)
_SHORTCODE = re.compile(r"^\[/?[a-z_][\w-]*(?:\s[^\]]*)?\].*(?:\[/[a-z_][\w-]*\])?$", re.I | re.S)
# Filing lines a page closes its article with ("Filed under: Politics |", "Tags: …").
_FILING = re.compile(r"^(?:filed\s+under|tags?|tagged(?:\s+with)?|categor(?:y|ies)|posted\s+in|topics?)\s*:", re.I)
FILING_MAX_WORDS = 15
# A cross-reference line longer than this is prose that happens to start that way.
CROSS_REFERENCE_MAX_WORDS = 25


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _link_text(element: etree._Element) -> str:
    if element.tag == "a":
        return _text(element)
    return " ".join(_text(a) for a in element.iter("a"))


def is_link_only(element: etree._Element) -> bool:
    text = _text(element)
    if not text:
        return False
    linked = "".join(_link_text(element).split())
    return len(linked) >= 0.9 * len("".join(text.split()))


def _inside_link(element: etree._Element) -> bool:
    return any(a.tag == "a" for a in element.iterancestors())


def _cross_reference(element: etree._Element) -> bool:
    text = _text(element)
    match = _CROSS_REFERENCE.match(text)
    if not match:
        return False
    words = len(text.split())
    # "Related: <headline>" needs its colon; a bare "DON'T MISS" is short.
    return words <= CROSS_REFERENCE_MAX_WORDS and (bool(match.group("colon")) or words <= 4)


def trim(nodes: list[etree._Element]) -> list[etree._Element]:
    kept = []
    for node in nodes:
        if node.tag == "figure":
            kept.append(node)
            continue
        text = _text(node)
        if _inside_link(node) or _cross_reference(node) or (text and _SHORTCODE.match(text)):
            continue
        kept.append(node)
    # Further reading and legal lines gather at the end of a page's main column.
    while kept and kept[-1].tag != "figure":
        last = kept[-1]
        text = _text(last)
        if not text or is_link_only(last) or (
                _FILING.match(text) and len(text.split()) <= FILING_MAX_WORDS):
            kept.pop()
            continue
        break
    return kept
