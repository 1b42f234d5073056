"""Short paragraphs that introduce the block after them: `mark_lead_ins(body)`, in place,
on the typesetter's own copy of the article body (an lxml tree).

Pages set many headings as ordinary paragraphs ("Step 3", "What you'll need:") and
introduce a list, a quotation or a code sample with a line of its own ("The contents can
be queried and retrieved:"). Such a line printed alone at the foot of a page, its block
on the next: a heading at the foot of a page, which a real heading never is (print.css
keeps headings with what follows). A lead-in is a paragraph of the body of at most
LEAD_IN_WORDS words and LEAD_IN_CHARACTERS characters, not ending a sentence, followed by
another block; it gets the class `lead-in`, kept with the next block like a heading.

A run of such lines (a poem, a list of links set as paragraphs) is not marked: kept
together, a long run could not break at all and would end the page before it early.
"""

from __future__ import annotations

from lxml import etree

from server.article.tree import text_of

LEAD_IN_CLASS = "lead-in"
LEAD_IN_WORDS = 8
# Also a bound for scripts written without spaces (a CJK line counts as one word).
LEAD_IN_CHARACTERS = 60
# Ends a sentence (or a quotation that ends one): such a line is a short paragraph, not a lead-in.
SENTENCE_END = tuple(".!?…。！？\"”»'’)")


def mark_lead_ins(body: etree._Element) -> None:
    children = [c for c in body if isinstance(c.tag, str)]
    short = [_is_short_line(c) for c in children]
    for index, child in enumerate(children):
        if not short[index] or index + 1 >= len(children):
            continue
        if short[index + 1] or (index > 0 and short[index - 1]):
            continue  # one of a run of short lines
        child.set("class", " ".join(c for c in (child.get("class"), LEAD_IN_CLASS) if c))


def _is_short_line(element: etree._Element) -> bool:
    if element.tag != "p" or element.find(".//img") is not None:
        return False
    text = " ".join(text_of(element).split())
    return bool(text) and len(text.split()) <= LEAD_IN_WORDS and len(text) <= LEAD_IN_CHARACTERS \
        and not text.endswith(SENTENCE_END)
