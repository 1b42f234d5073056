"""The values that flow through the print pipeline: `Page -> Article`.

A `Page` is what the extension (or the server's own fetch) hands over: the address, the
HTML as the browser had it, and image bytes as `data:` URIs keyed by absolute URL.
An `Article` is what extraction finds in it: metadata plus the body as *clean* HTML, a
fragment built only from the allow-listed elements and attributes below, with absolute
URLs. Printing trusts nothing else about the page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

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
    "*": frozenset({"lang", "dir"}),
}


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


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    body_html: str  # clean fragment: ALLOWED_ELEMENTS/ALLOWED_ATTRIBUTES only, absolute URLs
    text: str  # the body as plain text, paragraphs separated by blank lines
    standfirst: str = ""
    byline: str = ""
    published: str = ""  # ISO 8601 date (YYYY-MM-DD) or date-time when the page gives one
    site_name: str = ""
    canonical_url: str = ""
    lang: str = ""  # BCP 47 tag, e.g. "en", "ko"
    lead_image: Figure | None = None  # shown above the body when not already inside it
    glossary: tuple[Gloss, ...] = ()  # words to define where they stand, in reading order

    def to_json(self) -> dict:
        return asdict(self)
