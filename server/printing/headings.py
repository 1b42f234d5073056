"""Permalink marks at the end of headings: `drop_permalink_marks(body)`, in place, on the
typesetter's own copy of the article body (an lxml tree).

Documentation and blog engines end every heading with a link to itself, shown as a
pilcrow ("Setting up¶") or a hash sign ("Write your own loader #"), which the page shows
on hover only. On paper it is a stray mark after every heading. The last run of a
heading's text loses a final pilcrow, or a final `#`, `§` or link sign standing as a
word of its own (so "C#" and "F#" stay).
"""

from __future__ import annotations

import re

from lxml import etree

from server.article.tree import text_nodes

HEADINGS = ("h2", "h3", "h4", "h5", "h6")
PERMALINK_MARK = re.compile(r"(\s*\u00b6|(^|\s)[#\u00a7\U0001F517\u2693])\s*$")


def drop_permalink_marks(body: etree._Element) -> None:
    for heading in body.iter(*HEADINGS):
        runs = [run for run in text_nodes(heading) if run.value.strip()]
        if runs and PERMALINK_MARK.search(runs[-1].value):
            runs[-1].value = PERMALINK_MARK.sub("", runs[-1].value)
