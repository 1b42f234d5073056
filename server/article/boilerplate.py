"""Page furniture no article contains, cut before the main content is looked for.

In: a parsed page the caller owns (changed in place). Out: nothing; the tree has lost
its navigation, breadcrumbs, tool and share bars, comment and log-in boxes, related and
most-read lists, newsletter and cookie prompts, ads, footers, forms and hidden parts,
and other stories' cards inside the article (nested `<article>` teasers, rows of
picture-and-link items).

The rules are general: element names, ARIA roles and the words sites use in class and
id names for these parts. A rule never removes the part holding the headline or the
declared article body, so a site that names its whole page "with-comments" keeps it.
Inside paragraphs, hover cards (a picture plus links tucked into the running text) go.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

# Always furniture, whatever their name.
FURNITURE_TAGS = ("nav", "form", "button", "select", "textarea", "input", "dialog", "template", "iframe")
FURNITURE_ROLES = frozenset({"navigation", "contentinfo", "search", "dialog", "alertdialog", "menu", "menubar",
                             "toolbar", "complementary", "banner"})
# Words in class/id names of furniture, matched as whole words of the name ("share-bar",
# "most_viewed"), never inside other words ("shared" "address" "headline" stay).
_FURNITURE_WORDS = (
    r"comments?|comment[-_]?(?:box|list|form|section|area|count)|disqus|respond|reply|replies|"
    r"share|sharing|sharebar|share[-_]?(?:bar|tools|buttons|links)|social|social[-_]?(?:bar|links|share)|"
    r"related|recommend(?:ed|ations?)?|most[-_](?:viewed|read|popular|shared|commented)|mostread|mostviewed|"
    r"popular|trending|more[-_](?:stories|news|articles)|read[-_]?(?:next|more|also)|also[-_]read|"
    r"newsletter|subscribe|subscription|signup|sign[-_]up|log[-_]?in|sign[-_]?in|register|"
    r"cookies?|consent|gdpr|breadcrumbs?|"
    r"ads?|advert|adverts|advertisement|advertising|ad[-_]?(?:slot|unit|container|wrapper|banner)|dfp|sponsor(?:ed)?|"
    r"promo|outbrain|taboola|"
    r"toolbar|tools|article[-_]tools|print[-_]?(?:button|link)|utility|"
    r"footer|site[-_]footer|page[-_]footer|navbar|menu|sidebar|masthead|skip[-_]link|"
    r"tags|tag[-_]list|keywords|pagination|pager|rating|poll|author[-_]?(?:bio|box|card)|bio|"
    # The same parts as sites in other languages name them: comments, ads, sharing,
    # related stories (de, fr, es, pt, it, nl, pl, cs, sv/da/no, ru in Latin letters).
    r"kommentare?|leserkommentare|commentaires?|comentarios?|comentários|commenti|reacties|komentarze|"
    r"komentáře|komentare|kommentarer|kommentarii|"
    r"werbung|anzeigen?|publicit[eé]|publicidad|publicidade|pubblicit[aà]|reclame|advertenties?|reklama|reklame|"
    r"teilen|partage|partager|compartir|compartilhar|condividi|delen|"
    r"verwandte|similaires|relacionad[oa]s|correlati|gerelateerde?|powiazane|souvisejici"
)
_FURNITURE = re.compile(rf"(?:^|[\s_-])(?:{_FURNITURE_WORDS})(?:$|[\s_-])", re.I)
# A name that also says "content" or "article" describes the article's own box
# ("entry-content read-more", "content-with-sidebar"), and "embed" a post quoted in it
# ("social-media-embed"): never furniture by name.
_CONTENT = re.compile(r"article|body|content|entry|main|post|story|text|hentry|embed", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# A box named like furniture that holds this much running text in paragraphs of at least
# PROSE_PARAGRAPH_CHARS is article all the same.
PROSE_CHARS = 600
PROSE_PARAGRAPH_CHARS = 120
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NOT_SLUG = re.compile(r"[^\w]+|_")
# A nested `<article>` is another story's card only when it holds less than this share of
# the outer article's text, and its headline is a link or this share of its text is.
TEASER_SHARE = 0.3
TEASER_LINKED = 0.5
# A list of cards: every item a picture and (this share of its text) a link.
TEASER_LIST_LINKED = 0.9
# Elements whose removal would take the article with it.
_PROTECTED_TAGS = frozenset({"html", "body", "main", "article"})


def is_furniture(element: lxml_html.HtmlElement, by_name: bool = True) -> bool:
    tag = element.tag
    if not isinstance(tag, str) or tag in _PROTECTED_TAGS:
        return False
    if tag == "footer" and any(a.tag in ("blockquote", "figure") for a in element.iterancestors()):
        return False  # a quotation's attribution
    if tag in FURNITURE_TAGS or tag == "footer":
        return True
    role = element.get("role")
    if role and role.strip().lower() in FURNITURE_ROLES and tag not in ("header", "figure", "img"):
        return True
    style = element.get("style")
    if element.get("hidden") is not None or (style and _HIDDEN_STYLE.search(style)):
        return True
    hidden = element.get("aria-hidden")
    if hidden and hidden.strip().lower() == "true" and tag not in ("img", "figure", "picture"):
        return True
    if not by_name:
        return False
    classes = element.get("class") or ""
    identifier = element.get("id") or ""
    named = _named_furniture(f"{classes} {identifier}".strip())
    if identifier:
        # An id made from the element's own heading does not count; looking for the
        # heading walks the subtree, so only when leaving the id out changes the answer.
        without_id = _named_furniture(classes.strip())
        if without_id != named and _named_after_heading(element, identifier):
            named = without_id
    return named and not holds_prose(element)


@lru_cache(maxsize=8192)
def _named_furniture(names: str) -> bool:
    """True when class and id names say furniture (pages repeat their names: cached)."""
    return bool(names) and _FURNITURE.search(names) is not None and _CONTENT.search(names) is None


def _named_after_heading(element: lxml_html.HtmlElement, identifier: str) -> bool:
    """True when the id is made from the element's own heading ("read-more" on a section
    headed "Read more"): it names the section, not furniture."""
    heading = element if element.tag in _HEADINGS else next(element.iter(*_HEADINGS), None)
    if heading is None:
        return False
    slug = _NOT_SLUG.sub("-", heading.text_content().lower()).strip("-")
    return bool(slug) and slug == _NOT_SLUG.sub("-", identifier.lower()).strip("-")


def holds_prose(element: lxml_html.HtmlElement) -> bool:
    """True when the element holds paragraphs of running text: a name says what a box was
    meant for ("read-more" around the rest of a story, a section id made from its heading,
    "Sharing with a single developer"), its prose says what it holds. Furniture (link
    lists, share bars, prompts) has little of it; comments are left to the extractors."""
    prose = 0
    for paragraph in element.iter("p"):
        text = " ".join(paragraph.text_content().split())
        if len(text) < PROSE_PARAGRAPH_CHARS:
            continue
        linked = sum(len(" ".join(a.text_content().split())) for a in paragraph.iter("a"))
        if linked < 0.3 * len(text):
            prose += len(text)
            if prose >= PROSE_CHARS:
                return True
    return False


def _protected(element: lxml_html.HtmlElement) -> bool:
    """True when the element holds the headline or the declared article body."""
    if element.get("itemprop") == "articleBody":
        return True
    if next(element.iter("h1", "article"), None) is not None:
        return True
    return element.find('.//*[@itemprop="articleBody"]') is not None


def _is_card(element: lxml_html.HtmlElement) -> bool:
    return next(element.iter("img"), None) is not None and len(element.findall(".//a")) >= 2


def _cards_in_paragraph(paragraph: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Pop-up cards inside running text (a person's or company's preview: picture plus
    links, shown on hover): the innermost element holding a picture and two links."""
    cards = []
    for element in paragraph.iterdescendants("span", "div", "aside", "section"):
        if _is_card(element) and not any(_is_card(c) for c in element.iterdescendants("span", "div", "aside", "section")):
            cards.append(element)
    return cards


def _in_code(element: lxml_html.HtmlElement) -> bool:
    """Syntax highlighters name their spans "comment", "tag", "keyword": code, not furniture."""
    return any(a.tag in ("pre", "code") for a in element.iterancestors())


def _text_length(element: lxml_html.HtmlElement) -> int:
    return len("".join(element.text_content().split()))


def _linked_length(element: lxml_html.HtmlElement) -> int:
    return sum(_text_length(a) for a in element.iter("a"))


def is_teaser(element: lxml_html.HtmlElement) -> bool:
    """True for another story's card inside the article: an `<article>` nested in the
    article that links its headline (or is mostly links) and holds no prose of its own
    and little of the outer article's text; or a list whose every item is a picture and
    a link (a row of story cards). Either way the reader of this story has no use for it."""
    if element.tag == "article":
        outer = next(element.iterancestors("article"), None)
        if outer is None or next(element.iter("h1"), None) is not None or holds_prose(element):
            return False
        length = _text_length(element)
        if not length or length > TEASER_SHARE * _text_length(outer):
            return False
        headline_link = any(h.find(".//a") is not None or next(h.iterancestors("a"), None) is not None
                            for h in element.iter(*_HEADINGS))
        return headline_link or _linked_length(element) >= TEASER_LINKED * length
    if element.tag in ("ul", "ol"):
        items = [child for child in element if child.tag == "li"]
        return len(items) >= 2 and all(
            next(item.iter("img"), None) is not None and _text_length(item)
            and _linked_length(item) >= TEASER_LIST_LINKED * _text_length(item) for item in items)
    return False


def prune(root: lxml_html.HtmlElement, by_name: bool = True) -> None:
    """Cuts the furniture; `by_name=False` keeps what only its class or id names furniture."""
    doomed = []
    walk = etree.iterwalk(root, events=("start",))
    for _, element in walk:
        if is_furniture(element, by_name) and not _protected(element) and not _in_code(element):
            doomed.append(element)
            walk.skip_subtree()  # goes with it: what it holds needs no judging
        elif element.tag in ("article", "ul", "ol") and is_teaser(element):
            doomed.append(element)
            walk.skip_subtree()
    for paragraph in root.iter("p"):
        doomed += _cards_in_paragraph(paragraph)
    for element in doomed:
        # Keep the tail text (it belongs to the parent), drop the element and its content.
        if element.getparent() is not None:
            element.drop_tree()
