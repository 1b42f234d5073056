"""The values that flow through the print pipeline: `Page -> Article`.

A `Page` is what the extension (or the server's own fetch) hands over: the address, the
HTML as the browser had it, and image bytes as `data:` URIs keyed by absolute URL.
An `Article` is what extraction finds in it: metadata plus the *clean* body, a fragment
built only from the allow-listed elements and attributes below, with absolute URLs.
Printing trusts nothing else about the page.

The body is carried as a tree (`ArticleBody`): extraction hands over the lxml tree it
built, and glossary selection, image selection and typesetting read that same tree, so
a page is parsed once on its way to paper. Its HTML (`Article.body_html`, what the JSON
answer and `gloss extract --format html` show) is serialised from the tree once, when
first asked for. An article built from HTML (`Article(body_html="<p>...</p>")`: a stored
article, a test) is parsed once, when its tree is first asked for. The tree is shared:
a stage that changes it works on `article.body.copy()`.
"""

from __future__ import annotations

import copy
import html as html_lib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from lxml import etree
from lxml import html as lxml_html

# What a clean body may contain: the typeset document is rebuilt from this list only,
# so page scripts, styles, forms, frames and attachments can never reach the renderer.
ALLOWED_ELEMENTS = frozenset({
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "pre", "code", "kbd", "samp", "var", "table", "caption", "thead", "tbody", "tfoot", "tr",
    "th", "td", "figure", "figcaption", "img", "a", "em", "strong", "i", "b", "u", "s",
    "sub", "sup", "small", "mark", "abbr", "cite", "q", "time", "br", "hr", "span",
    "del", "ins",
})
ALLOWED_ATTRIBUTES = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "abbr": frozenset({"title"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "code": frozenset({"class"}),  # language-* hints only, filtered by the cleaner
    "span": frozenset({"class"}),  # MATH_CLASS only (a formula written out as text)
    "p": frozenset({"class"}),  # MATH_CLASS only (a displayed formula)
    "*": frozenset({"lang", "dir"}),
}

# The class that marks a formula written out from MathML (article/mathml.py): the only
# class a `<span>` or `<p>` keeps, so that its text can show scripts as x^2 and a_k.
MATH_CLASS = "math"


def allowed_classes(tag: str, value: str) -> str:
    """The classes of `value` an element `tag` of a clean body may keep: a `<code>`'s
    language-* hints, a formula's MATH_CLASS; nothing a page's style sheet could name."""
    if tag == "code":
        return " ".join(c for c in value.split() if _LANGUAGE_CLASS.match(c))
    if tag in ("span", "p"):
        return MATH_CLASS if MATH_CLASS in value.split() else ""
    return ""


_LANGUAGE_CLASS = re.compile(r"^(?:language|lang)-[\w+#.-]{1,30}$")


@dataclass(frozen=True)
class Page:
    url: str
    html: str
    images: dict[str, str] = field(default_factory=dict)  # absolute URL -> data: URI


@dataclass(frozen=True)
class Figure:
    src: str  # absolute URL (resolved from lazy attributes, srcset at print resolution)
    caption: str = ""
    alt: str = ""
    credit: str = ""


@dataclass(frozen=True)
class Gloss:
    """One word of a printed glossary: where it stands in the body and what it means there.

    `forms` are the store keys (see server.dictionary.normalise.key) of the spellings
    that count as the word in this article ("allies" and "ally"); the first body text
    holding one of them is marked. The rest is plain text from the dictionary entry,
    in the sense that fits the sentence of that first occurrence."""

    word: str  # as it first stands in the article ("allies")
    forms: tuple[str, ...]
    headword: str  # the entry's headword ("ally")
    definition: str
    part_of_speech: str = ""
    ipa: str = ""
    relation: str = ""  # how `word` reaches `headword` ("plural of"), empty when they are one
    band: str = ""  # frequency band of the headword ("rare")


class ArticleBody:
    """A clean body as a tree and as HTML, either made at most once from the other.

    The tree is a `<div>` whose children are the body's blocks (no loose text at its top
    level); the HTML is the concatenation of those blocks. Neither is ever changed."""

    __slots__ = ("_tree", "_html")

    def __init__(self, tree: etree._Element | None = None, html: str | None = None) -> None:
        if (tree is None) == (html is None):
            raise TypeError("an ArticleBody is made from a tree or from HTML, not both")
        self._tree = tree
        self._html = html

    @property
    def tree(self) -> etree._Element:
        """The body's `<div>`, parsed on first use when made from HTML. Read only: see copy()."""
        if self._tree is None:
            self._tree = parse_fragment(self._html or "")
        return self._tree

    @property
    def html(self) -> str:
        if self._html is None:
            self._html = serialize_children(self._tree)  # type: ignore[arg-type]
        return self._html

    def copy(self) -> etree._Element:
        """A tree of one's own to change (a copy in C, far cheaper than a parse)."""
        return copy.deepcopy(self.tree)

    def __reduce__(self) -> tuple:
        # Across processes a body travels as its HTML (an lxml tree does not pickle).
        return (ArticleBody, (None, self.html))


def parse_fragment(html: str) -> etree._Element:
    """A `<div>` holding the parsed HTML fragment (lxml's HTML parser)."""
    return lxml_html.fragment_fromstring(html, create_parent="div")


def serialize_children(root: etree._Element) -> str:
    """The HTML of what `root` holds (its own tag left out)."""
    if not root.attrib and isinstance(root.tag, str):
        # One call for the whole tree (a call per child costs four times as much): the
        # bare start and end tags are then cut off.
        html = etree.tostring(root, method="html", encoding="unicode", with_tail=False)
        start, end = f"<{root.tag}>", f"</{root.tag}>"
        if html.startswith(start) and html.endswith(end):
            return html[len(start):-len(end)]
    head = html_lib.escape(root.text, quote=False) if root.text else ""
    return head + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


class _BodyField:
    """`Article.body_html`: takes HTML or an ArticleBody, keeps an ArticleBody, reads as HTML.

    Every caller that builds an article from HTML keeps working, and extraction hands
    over its tree without writing it out (see the module docstring)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, article: Any, owner: type | None = None) -> str:
        if article is None:
            raise AttributeError(self.slot)  # the dataclass then sees a field without a default
        return getattr(article, self.slot).html

    def __set__(self, article: Any, value: str | ArticleBody) -> None:
        body = value if isinstance(value, ArticleBody) else ArticleBody(html=value or "")
        object.__setattr__(article, self.slot, body)


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    # The clean fragment (ALLOWED_ELEMENTS/ALLOWED_ATTRIBUTES only, absolute URLs): HTML or
    # an ArticleBody when set, HTML when read; `body` is the same body as a tree.
    body_html: str = _BodyField()  # type: ignore[assignment]  # required, like the fields around it
    # The body's running text, paragraphs separated by blank lines, a <br> a line break.
    # Figure captions are not in it: they print with their pictures, and are in the body
    # (and `lead_image`). Measured both ways: the two development sets' truths disagree on
    # captions (one keeps them, one leaves every kind out), and no rule of which to keep helps both.
    text: str
    standfirst: str = ""
    byline: str = ""
    published: str = ""  # ISO 8601 date (YYYY-MM-DD) or date-time when the page gives one
    site_name: str = ""
    canonical_url: str = ""
    lang: str = ""  # BCP 47 tag, e.g. "en", "ko"
    lead_image: Figure | None = None  # shown above the body when not already inside it
    glossary: tuple[Gloss, ...] = ()  # words to define where they stand, in reading order

    @property
    def body(self) -> ArticleBody:
        return self._body_html  # type: ignore[attr-defined]

    def to_json(self) -> dict:
        return asdict(self)
