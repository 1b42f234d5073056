"""Marks and links a heading carries for the screen, and headings with nothing under
them: `drop_permalink_marks(body)` and `drop_trailing_headings(body)`, in place, on the
typesetter's own copy of the article body (an lxml tree).

Documentation and blog engines end every heading with a link to itself, shown as a
pilcrow ("Setting up¶") or a hash sign ("Write your own loader #"), which the page shows
on hover only. On paper it is a stray mark after every heading. The last run of a
heading's text loses a final pilcrow, or a final `#`, `§` or link sign standing as a
word of its own (so "C#" and "F#" stay). Wikis end each heading with a link to edit its
section, in brackets ("External links[edit]", "[modifier]", "[Bearbeiten]"): a heading
ending with one link of one word in brackets, with heading text before it, loses it when
the link is to an action (its address has a query: "index.php?title=…&action=edit");
a link to another page ("The [matrix]") stays.

A heading ending the body introduces nothing: a section whose content extraction left
out ("External links" above the list of links it dropped) printed its heading alone,
last. Headings at the end of the body go.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from server.article.tree import drop, text_nodes, text_of

HEADINGS = ("h2", "h3", "h4", "h5", "h6")
PERMALINK_MARK = re.compile(r"(\s*\u00b6|(^|\s)[#\u00a7\U0001F517\u2693])\s*$")


def drop_permalink_marks(body: etree._Element) -> None:
    for heading in body.iter(*HEADINGS):
        _drop_bracketed_link(heading)
        runs = [run for run in text_nodes(heading) if run.value.strip()]
        if runs and PERMALINK_MARK.search(runs[-1].value):
            runs[-1].value = PERMALINK_MARK.sub("", runs[-1].value)


def _drop_bracketed_link(heading: etree._Element) -> None:
    """"Applications[edit]" -> "Applications": a last link of one word, in brackets."""
    links = list(heading.iter("a"))
    if not links:
        return
    link = links[-1]
    words = text_of(link).split()
    if len(words) != 1 or link.find(".//img") is not None or not urlsplit(link.get("href") or "").query:
        return
    runs = [run for run in text_nodes(heading) if run.value.strip()]
    inside = [n for n, run in enumerate(runs) if not (run.is_tail and run.element is link)
              and link in run.ancestors()]
    if not inside or inside[0] == 0:
        return
    before, after = runs[inside[0] - 1], runs[inside[-1] + 1:]
    heading_text = "".join(run.value for run in runs[:inside[0]]).rstrip()
    if not heading_text.endswith("[") or not heading_text[:-1].strip() \
            or "".join(run.value for run in after).strip() != "]":
        return
    before.value = before.value.rstrip()[:-1].rstrip()
    for run in after:
        run.value = ""
    drop(link)


def drop_trailing_headings(body: etree._Element) -> None:
    """Headings that end the body, with nothing under them, go."""
    while True:
        children = [child for child in body if isinstance(child.tag, str)]
        if not children or children[-1].tag not in HEADINGS:
            return
        drop(children[-1])
