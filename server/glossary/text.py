"""The body's words as the glossary sees them: which may be marked, in what order, in what sentence.

In: the lxml tree of a clean article body (the article's own, model.ArticleBody, or the
typesetter's copy of it). Out: `BodyText`, its words (`Word`: the run of text
(server.article.tree.TextNode), the span in it, the store key, the tier) in reading order, with
`first(forms)` (the first word, or run of words, spelling one of the forms: running
text before links, headings and captions) and `sentence(...)` (the sentence around
a run of words, the context a dictionary ranks senses by).

Selection (select.py) and marking (annotate.py) both walk the body through this
module, so the word a footnote is attached to is the word whose sentence chose its
sense.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from lxml import etree

from server.article.tree import TextNode, text_nodes
from server.dictionary.normalise import key

# Running text: where a glossed word is marked.
TIER_TEXT = 0
# Links, headings and captions: marked only when the word stands nowhere else, since a
# note there sits in a link's text, a heading's line or a figure kept whole on its page.
TIER_FALLBACK = 1
FALLBACK_ELEMENTS = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "caption"})
# Never marked: code is quoted verbatim, superscripts and subscripts are notes or formulae,
# and text that is already a gloss or a link number is ours.
NEVER_ELEMENTS = frozenset({"pre", "code", "kbd", "samp", "var", "sup", "sub", "script", "style"})
OWN_CLASSES = frozenset({"gloss-word", "gloss-note", "link-ref"})
# Elements whose text forms one run of sentences.
BLOCK_ELEMENTS = frozenset({"p", "li", "blockquote", "dd", "dt", "td", "th", "h1", "h2", "h3", "h4", "h5",
                            "h6", "figcaption", "caption", "div", "section", "article", "body"})
WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019\-\u2010\u2011][^\W\d_]+)*")
# A sentence ends at . ! ? or … (closing quotes and brackets may follow) before a space.
SENTENCE_END_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+")
# What may stand between a sentence's end and its first word.
OPENERS = " \u00a0\t\n\"'\u201c\u201d\u2018\u2019()[]\u2014\u2013-"
# A full stop after these is an abbreviation's, not a sentence's end.
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "no", "prof", "gen", "gov", "sen",
                           "rep", "lt", "col", "capt", "sgt", "inc", "co", "corp", "ltd", "etc", "e.g", "i.e",
                           "approx", "fig", "vol", "mt", "ft"})
INITIALS_RE = re.compile(r"(?:^|[\s(\"'\u201c\u2018])(?:[A-Za-z]\.)*[A-Za-z]$")
# Context handed to the dictionary: a sentence, not a page (the look-up cuts it anyway).
MAX_SENTENCE_CHARS = 600


@dataclass(frozen=True)
class Word:
    node: TextNode
    start: int  # span of the word in the node's text
    end: int
    text: str  # as written
    key: str  # store key, a possessive "'s" dropped ("Seoul's" -> "seoul")
    tier: int
    offset: int = 0  # characters of body text before the word


def word_key(text: str) -> str:
    k = key(text)
    return k[:-2] if k.endswith("'s") and len(k) > 3 else k


def tier_of(node: TextNode, root: etree._Element) -> int | None:
    """TIER_TEXT, TIER_FALLBACK, or None where no word may be marked."""
    tier = TIER_TEXT
    for parent in node.ancestors():
        if parent is root:
            break
        if parent.tag in NEVER_ELEMENTS or OWN_CLASSES.intersection((parent.get("class") or "").split()):
            return None
        if parent.tag in FALLBACK_ELEMENTS:
            tier = TIER_FALLBACK
    return tier


class BodyText:
    """The words of one body tree, read once. The tree must not change while this is used."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.words: list[Word] = []
        offset = 0
        for node in text_nodes(root):
            text = node.value
            tier = tier_of(node, root)
            if tier is not None:
                for match in WORD_RE.finditer(text):
                    self.words.append(Word(node, match.start(), match.end(), match.group(),
                                           word_key(match.group()), tier, offset + match.start()))
            offset += len(text)
        # Keyed by the block element itself (holding it keeps its lxml proxy, and so its
        # identity, alive) and, inside, by the place of each run (element, is it the tail).
        self._blocks: dict[etree._Element, tuple[str, dict[tuple[etree._Element, bool], int]]] = {}

    # -- finding ----------------------------------------------------------------------
    def runs(self, forms: Iterable[str]) -> list[tuple[int, int]]:
        """Every (first, last) index of words spelling one of `forms`, in reading order.

        A form of several words ("working group") matches consecutive words of one text
        node with only spaces or hyphens between them."""
        single = {f for f in forms if " " not in f}
        phrases = [f.split(" ") for f in forms if " " in f]
        found: list[tuple[int, int]] = []
        phrases.sort(key=len, reverse=True)  # "working group" before "working"
        for i, word in enumerate(self.words):
            for parts in phrases:
                j = i + len(parts) - 1
                if j < len(self.words) and self._is_phrase(i, j, parts):
                    found.append((i, j))
                    break
            else:
                if word.key in single:
                    found.append((i, i))
        return found

    def _is_phrase(self, i: int, j: int, parts: list[str]) -> bool:
        words = self.words[i:j + 1]
        if any(w.node is not words[0].node for w in words) or [w.key for w in words] != parts:
            return False
        text = str(words[0].node)
        return all(not text[a.end:b.start].strip(" \u00a0-\u2010\u2011") for a, b in zip(words, words[1:]))

    def first(self, forms: Iterable[str], taken: set[int] = frozenset()) -> tuple[int, int] | None:  # type: ignore[assignment]
        """The first run spelling one of `forms` in running text, else in a link, heading
        or caption; runs touching a `taken` word index are passed over."""
        runs = [r for r in self.runs(forms) if not any(k in taken for k in range(r[0], r[1] + 1))]
        for tier in (TIER_TEXT, TIER_FALLBACK):
            for run in runs:
                if all(self.words[k].tier == tier for k in range(run[0], run[1] + 1)):
                    return run
        return None

    # -- sentences --------------------------------------------------------------------
    def _block(self, node: TextNode) -> tuple[str, int]:
        """(text of the block holding `node`, offset of `node` in it)."""
        block = node.parent
        while block is not self.root and block.tag not in BLOCK_ELEMENTS and block.getparent() is not None:
            block = block.getparent()
        cached = self._blocks.get(block)
        if cached is None:
            offsets: dict[tuple[etree._Element, bool], int] = {}
            parts: list[str] = []
            length = 0
            for piece in text_nodes(block):
                offsets[(piece.element, piece.is_tail)] = length
                parts.append(piece.value)
                length += len(piece.value)
            cached = ("".join(parts), offsets)
            self._blocks[block] = cached
        return cached[0], cached[1][(node.element, node.is_tail)]

    def sentence(self, first: int, last: int | None = None) -> str:
        """The sentence holding words `first`..`last`, spaces collapsed."""
        a, b = self.words[first], self.words[first if last is None else last]
        text, offset = self._block(a.node)
        start, end = offset + a.start, self._block(b.node)[1] + b.end
        begin = max((m.end() for m in _sentence_ends(text) if m.end() <= start), default=0)
        finish = next((m.start() + 1 for m in _sentence_ends(text) if m.start() >= end), len(text))
        sentence = " ".join(text[begin:finish].split())
        if len(sentence) > MAX_SENTENCE_CHARS:  # a run-on list: keep the words around the word
            middle = start - begin
            sentence = " ".join(text[max(begin, begin + middle - MAX_SENTENCE_CHARS // 2):]
                                [:MAX_SENTENCE_CHARS].split())
        return sentence

    def starts_sentence(self, index: int) -> bool:
        """Whether word `index` opens its sentence (its capital then says nothing about it)."""
        word = self.words[index]
        text, offset = self._block(word.node)
        before = text[:offset + word.start].rstrip(OPENERS)
        if not before:
            return True
        return before[-1] in ".!?\u2026" and not (before[-1] == "." and _abbreviation_before(before, len(before) - 1))


def _sentence_ends(text: str):
    for match in SENTENCE_END_RE.finditer(text):
        if text[match.start()] == "." and _abbreviation_before(text, match.start()):
            continue
        yield match


def _abbreviation_before(text: str, dot: int) -> bool:
    head = text[max(0, dot - 12):dot]
    last = re.split(r"[\s(\"'\u201c\u2018]", head)[-1].lower()
    return last in ABBREVIATIONS or bool(INITIALS_RE.search(head))
