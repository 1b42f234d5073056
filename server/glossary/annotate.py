"""Glossed words on the page: marked where they first stand, defined in a footnote there,
listed again after the article.

    gloss_article(article, glossary)  -> Article   (a new value carrying the glossary)
    annotate_body(body, glossary)     -> [(gloss, anchor id)] in reading order (marks `body` in place)
    closing_glossary(placed, title)   -> HTML of the closing <section class="glossary">
    glossary_stylesheet()             -> the CSS both need (glossary.css)

`annotate_body` works on the body tree (lxml) the typesetter has just cleaned and owns: for
each gloss, the first word of running text spelling one of its forms (a link, heading
or caption only when the word stands nowhere else; see text.py) is wrapped in
`<span class="gloss-word" id=...>` and followed by `<span class="gloss-note">`, which
the print stylesheet floats to the foot of the page (`float: footnote`). A note never
sits inside a link: it follows the link.

A page never carries more note than text: besides the stylesheet's cap on the footnote
area, notes are rationed along the text (see NOTE_CHARS_PER_TEXT_CHAR). Where words
glossed close together would need more notes than the text around them can carry, the
later ones are marked with a dagger instead and defined in the closing glossary only. The closing glossary links each entry to its
marked word, so that print shows the page it stands on (`target-counter`). Everything is built from text nodes, so no
dictionary text is ever read as HTML.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from lxml import etree
from lxml import html as lxml_html

from server.article.model import Article, Gloss
from server.article.tree import TextNode, insert_after, replace_text, text_of, xml_safe
from server.glossary.text import BodyText

# A footnote is read at the foot of a page in the middle of the article: one short
# sense. The closing glossary has room for the whole definition kept by select.py.
MAX_NOTE_DEFINITION_CHARS = 150
GLOSSARY_TITLE = "Glossary"
# Notes are rationed like credit: the running text earns this many characters of note
# per character of text, a note spends its length plus NOTE_LINE_OVERHEAD (the unused end
# of its last line), and unspent credit is capped at NOTE_CREDIT_CAP so that a long
# stretch without a glossed word does not allow a burst of notes on one page. At the
# print style's sizes a character of note takes about half the height of a character of
# text (0.76 of the font size, at 1.25 line height against 1.42), so a ratio of 1.2 keeps
# the notes of any stretch of text well under the text's own height. Measured on the seed
# article with 30 glossed words in A4, Letter and A5 (see the README's glossary section).
NOTE_CHARS_PER_TEXT_CHAR = 1.2
NOTE_LINE_OVERHEAD = 45
NOTE_CREDIT_CAP = 700
GLOSSARY_ONLY_MARK = "\u2020"  # dagger: "defined in the glossary after the article"
GLOSSARY_ONLY_HINT = "\u2020 Defined here only: glossed words stood too close together for a footnote each."
GLOSSARY_CSS = Path(__file__).with_name("glossary.css")
# What the closing glossary says of a word defined in a footnote, before its page number.
NOTED_POINTER = "see the note on"


@lru_cache(maxsize=1)
def glossary_stylesheet() -> str:
    """The footnote and glossary styles, added after the print stylesheet."""
    return GLOSSARY_CSS.read_text(encoding="utf-8")


def gloss_article(article: Article, glossary: Sequence[Gloss]) -> Article:
    # The same body (tree and all) goes on: `replace` alone would hand on its HTML.
    return dataclasses.replace(article, glossary=tuple(glossary), body_html=article.body)


class Placed(NamedTuple):
    gloss: Gloss
    anchor: str = ""  # id of its marked word; "" when the body does not hold it
    noted: bool = False  # defined in a footnote (else in the closing glossary only)


def annotate_body(body: etree._Element, glossary: Sequence[Gloss]) -> list[Placed]:
    """Marks and notes each gloss at its first occurrence in `body`; returns the glossary
    in reading order with the ids of the marks, glosses without one (headline-only
    words) first."""
    text = BodyText(body)
    taken: set[int] = set()
    placed: list[tuple[int, int, Gloss]] = []
    unplaced: list[Gloss] = []
    for gloss in glossary:
        run = text.first(gloss.forms, taken)
        if run is None:
            unplaced.append(gloss)
            continue
        taken.update(range(run[0], run[1] + 1))
        placed.append((run[0], run[1], gloss))
    placed.sort(key=lambda p: p[0])
    by_node: dict[int, list[tuple[int, int, Placed]]] = {}
    nodes: dict[int, TextNode] = {}
    result = [Placed(gloss) for gloss in unplaced]
    credit, at = float(NOTE_CREDIT_CAP), 0
    for number, (first, last, gloss) in enumerate(placed, start=1):
        word = text.words[first]
        credit = min(NOTE_CREDIT_CAP, credit + (word.offset - at) * NOTE_CHARS_PER_TEXT_CHAR)
        at = word.offset
        cost = len(text_of(_note(gloss))) + NOTE_LINE_OVERHEAD
        noted = cost <= credit
        if noted:
            credit -= cost
        nodes[id(word.node)] = word.node
        mark = Placed(gloss, f"gloss-{number}", noted)
        by_node.setdefault(id(word.node), []).append((word.start, text.words[last].end, mark))
        result.append(mark)
    # Last run first: a note that follows a link takes the link's tail text after it, so
    # a run in that tail must already have been marked.
    for node_id, marks in reversed(by_node.items()):
        _mark(nodes[node_id], marks)
    return result


def _mark(node: TextNode, marks: list[tuple[int, int, Placed]]) -> None:
    source = node.value
    link = next((p for p in node.ancestors() if p.tag == "a"), None)
    pieces: list[str | etree._Element] = []
    after_link: list[etree._Element] = []
    cursor = 0
    for start, end, mark in sorted(marks, key=lambda m: m[0]):
        if start > cursor:
            pieces.append(source[cursor:start])
        word = _element("span", {"class": "gloss-word", "id": mark.anchor}, source[start:end])
        pieces.append(word)
        if mark.noted:
            note = _note(mark.gloss)
        else:
            note = _element("sup", {"class": "gloss-mark"}, GLOSSARY_ONLY_MARK)
        (after_link if link is not None else pieces).append(note)
        cursor = end
    if cursor < len(source):
        pieces.append(source[cursor:])
    replace_text(node, pieces)
    if link is not None:
        anchor = link
        for note in after_link:
            insert_after(anchor, note)
            anchor = note


def _element(tag: str, attrs: dict[str, str], text: str = "") -> etree._Element:
    """A new element holding `text` as text (dictionary text is never read as HTML)."""
    element = etree.Element(tag, attrs)
    element.text = xml_safe(text) or None
    return element


def _note(gloss: Gloss) -> etree._Element:
    note = _element("span", {"class": "gloss-note"})
    _append_parts(note, _entry_parts(gloss, MAX_NOTE_DEFINITION_CHARS))
    return note


def _append_parts(parent: etree._Element, parts: Sequence[str | etree._Element]) -> None:
    """Appends strings (as text) and elements to `parent`, in order."""
    for part in parts:
        if not isinstance(part, str):
            parent.append(part)
        elif len(parent):
            parent[-1].tail = (parent[-1].tail or "") + xml_safe(part)
        else:
            parent.text = (parent.text or "") + xml_safe(part)


def _entry_parts(gloss: Gloss, limit: int) -> list[str | etree._Element]:
    """headword (relation headword /ipa/) part-of-speech definition, as strings and elements."""

    def span(cls: str, value: str) -> etree._Element:
        return _element("span", {"class": cls}, value)

    parts: list[str | etree._Element] = []
    if gloss.relation:
        parts += [span("gloss-head", gloss.word), " ", span("gloss-relation", f"{gloss.relation} {gloss.headword}")]
    else:
        parts.append(span("gloss-head", gloss.headword))
    if gloss.ipa:
        parts += [" ", span("gloss-ipa", gloss.ipa)]
    if gloss.part_of_speech:
        parts += [" ", span("gloss-pos", gloss.part_of_speech)]
    parts += [" ", span("gloss-definition", _cut(gloss.definition, limit))]
    return parts


def closing_glossary(placed: Sequence[Placed], title: str = GLOSSARY_TITLE) -> str:
    """The glossary after the article: each word once, in the order given (reading order),
    with a link to its marked word that print turns into its page number. A word defined
    in a footnote is listed without its definition, pointing to the note: a definition
    prints once, never twice on the page where the article ends and the glossary begins."""
    if not placed:
        return ""
    items = []
    for gloss, anchor, noted in placed:
        term = _element("dt", {})
        _append_parts(term, [_element("span", {"class": "gloss-head"}, gloss.headword)])
        if anchor and not noted:
            _append_parts(term, [GLOSSARY_ONLY_MARK])
        if gloss.ipa:
            _append_parts(term, [" ", _element("span", {"class": "gloss-ipa"}, gloss.ipa)])
        definition = _element("dd", {})
        if gloss.part_of_speech:
            _append_parts(definition, [_element("span", {"class": "gloss-pos"}, gloss.part_of_speech),
                                       ": " if noted else " "])
        # Defined once: in its note, on the page where the word stands (the glossary
        # may well start on that very page). Here it points there.
        _append_parts(definition, [NOTED_POINTER if noted else gloss.definition])
        if anchor:
            _append_parts(definition, [" ", _element("a", {"class": "gloss-page", "href": f"#{anchor}"})])
        items.append(f'<div class="gloss-entry">{_html(term)}{_html(definition)}</div>')
    hint = ""
    if any(p.anchor and not p.noted for p in placed):
        hint = f'<p class="gloss-hint">{html.escape(GLOSSARY_ONLY_HINT)}</p>'
    return (f'<section class="glossary"><h2>{html.escape(title)}</h2>'
            f'<dl>{"".join(items)}</dl>{hint}</section>')


def _html(element: etree._Element) -> str:
    return lxml_html.tostring(element, encoding="unicode")


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
