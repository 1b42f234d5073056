"""The lead: the paragraph a page sets just above its body, outside the body's own box.

In: the body's blocks in order (page elements and extractor blocks, never modified) and
the page they came from. Out: the page element that is the article's lead, or None.

Pages often set their lead (standfirst, perex, intro) apart from the body: loose text in
a `<div>` after the byline, or a long `<h2>`. Content extractors then leave it out, as
it is not in the body's box. Looking back from the body's first block through the
elements before it (its preceding siblings, then its parent's, within the article's
box), the lead is the first that reads as a sentence of prose (long enough, ending like
a sentence, hardly linked, not a picture's box or caption, nor the line under a
picture); short lines on the way (a byline, a date) are passed over, and the search
stops at the headline or at anything else.
"""

from __future__ import annotations

import re

from lxml import etree

from server.article.metadata import fold

# A lead holds at least this many characters and at most LEAD_MAX_CHARS (more is a body
# part of its own, which the extractors would have seen).
LEAD_MIN_CHARS = 100
LEAD_MAX_CHARS = 600
# Lines shorter than this before the body are passed over (bylines, dates, labels).
SHORT_LINE_CHARS = 80
# How many elements before the body are looked at, on how many levels (the body's first
# block's siblings, then its parent's).
LOOK_BACK = 4
LEVELS = 2
MAX_LINKED = 0.3
_SENTENCE_END = re.compile(r"[.!?…:;\"”»)」。！？]$")
_NOT_LEAD = frozenset({"figure", "figcaption", "img", "picture", "ul", "ol", "table", "pre", "blockquote", "script",
                       "style", "a", "time", "address", "h1"})
_CAPTION_NAME = re.compile(r"caption|credit|byline|author|date|meta|share|tag", re.I)
_AUTHOR_BOX = re.compile(r"author|byline", re.I)
_BOX_TAGS = frozenset({"body", "main", "article", "html"})


def _text(element: etree._Element) -> str:
    return fold("".join(element.itertext()))


def lead_paragraph(nodes: list[etree._Element], root: etree._Element, title: str) -> etree._Element | None:
    first = next((n for n in nodes if n.getroottree().getroot() is root), None)
    if first is None:
        return None
    body_text = " ".join(_text(n) for n in nodes[:3])
    folded_title = fold(title).lower()
    element = first
    for _ in range(LEVELS):
        for looked, candidate in enumerate(element.itersiblings(preceding=True)):
            if looked >= LOOK_BACK or not isinstance(candidate.tag, str):
                break
            text = _text(candidate)
            if not text:
                continue
            if text.lower() == folded_title or candidate.tag in _NOT_LEAD or candidate.find(".//h1") is not None:
                return None  # the headline (the lead lies below it), or a part that is no lead
            if _is_lead(candidate, text) and text[:60] not in body_text:
                return candidate
            if len(text) >= SHORT_LINE_CHARS:
                return None
        element = element.getparent()
        if element is None or element.tag in _BOX_TAGS:
            return None
    return None


def _is_lead(candidate: etree._Element, text: str) -> bool:
    if not LEAD_MIN_CHARS <= len(text) <= LEAD_MAX_CHARS or not _SENTENCE_END.search(text):
        return False
    if _CAPTION_NAME.search(f"{candidate.get('class') or ''} {candidate.get('id') or ''}"):
        return False
    if any(a.tag == "a" for a in candidate.iterancestors()):
        return False
    if candidate.find(".//img") is not None or candidate.find(".//time") is not None or any(
            _CAPTION_NAME.search(f"{e.get('class') or ''} {e.get('id') or ''} {e.get('itemprop') or ''}")
            for e in candidate.iterdescendants() if isinstance(e.tag, str)):
        return False  # a picture's box, its caption and credit; a dateline, a byline
    before = candidate.getprevious()
    if before is not None and isinstance(before.tag, str) and (before.tag == "img" or before.find(".//img") is not None) \
            and not _AUTHOR_BOX.search(f"{before.get('class') or ''} {before.get('id') or ''}"):
        return False  # the line under a picture is its caption (not the line under a byline's portrait)
    linked = sum(len(_text(a)) for a in candidate.iter("a"))
    return linked <= MAX_LINKED * len(text)
