"""Extraction: `extract_article(Page) -> Article`, the article alone out of a whole page.

Pure and synchronous; it parses its own copy of the page and changes nothing it is
given. Raises NoArticle (422) when no article text is found (a short notice that is
the whole page is an article). Steps:
1. parse the page (lxml) and read its metadata (metadata.py: JSON-LD, OpenGraph, meta
   tags, `<time>`, `rel=author`, `<html lang>`);
2. make lazy images real (images.py), write MathML out as text (mathml.py) and cut page
   furniture no article contains (boilerplate.py: navigation, comment and log-in boxes,
   share and tool bars, related and most-read lists, newsletter and cookie prompts, ads,
   footers, hover cards, other stories' cards);
3. let trafilatura (recall setting) choose the article's blocks and, where its choice is
   in doubt, readability-lxml too, and keep what they agree on (agreement.py);
4. map those blocks back onto the page's own elements (align.py), so links, inline
   formatting and pictures survive, paragraphs stay whole and quotes, lists and tables
   stay what they are, and take back the pictures, subheadings and quotes between them,
   the lead set apart just above the body (lead.py) and text left loose between two of
   its blocks (loose.py);
5. drop what is still furniture (trim.py: teaser cards, cross-reference lines such as
   "Related:" or "Lesen Sie auch:", trailing link lists, filing lines), caption copies
   beside their figures, and the author's dateline and closing card (the byline and date
   print above the body);
6. rebuild the result from the allow-list (clean.py) and render its text; the rebuilt
   tree is the Article's body, handed on as it is (model.ArticleBody);
7. find the lead picture (the declared image where the page shows it before the body,
   else the first photograph between headline and body) and keep it as `lead_image`
   when the body does not already hold it.
When steps 2-6 find next to nothing, two last resorts follow, each standing only when it
holds clearly more running prose: the extractors' own choice on the page with none of
our furniture rules applied (agreement.most_prose), then the page's largest box of
running prose (prose_box.py: an article set in a box named "comments", which every
extractor cuts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from server.article import boilerplate
from server.article.agreement import agree, most_prose
from server.article.align import Aligned, align
from server.article.clean import absolute_url, clean_fragment, fragment_text
from server.article.images import resolve_images
from server.article.lead import lead_paragraph
from server.article.loose import with_loose_text
from server.article.mathml import linearize
from server.article.metadata import Metadata, extract_metadata, fold
from server.article.model import Article, ArticleBody, Figure, Page
from server.article.prose_box import largest_prose_box
from server.article.page_index import PageIndex
from server.article.text_nodes import use_in_trafilatura
from server.article.trim import trim
from server.errors import NoArticle, PayloadTooLarge

# A body without a word is no article; a short notice that is the whole page is one.
MIN_ARTICLE_WORDS = 1
# A body shorter than this (characters) is checked against the extractors' choice on the
# page with none of our furniture rules applied, which stands when it holds at least
# FALLBACK_GAIN times the running prose (paragraphs of PROSE_BLOCK_CHARS characters or
# more, whitespace left out: words are not counted, as Chinese and Japanese set none
# apart), and FALLBACK_MIN_CHARS more.
FALLBACK_CHARS = 500
FALLBACK_GAIN = 2
FALLBACK_MIN_CHARS = 300
PROSE_BLOCK_CHARS = 100
# How far past the headline a lead picture may sit, in elements of the page, when the
# first body paragraph cannot be located.
LEAD_SEARCH_ELEMENTS = 400
# How far above the headline a captioned lead picture may sit, in elements of the page.
LEAD_ABOVE_HEADLINE = 12
# Pictures narrower than this (declared width) are icons, avatars or logos.
MIN_FIGURE_WIDTH = 150
# A picture's own box (image, caption, credit) holds less text than this; a bigger
# container is the story or the page, and a caption found there may be another picture's.
CAPTION_BOX_CHARS = 600
# Page elements taken when they sit between two blocks of the body even though the
# content extractor left them out: subheadings, quotations and paragraphs of running prose
# (align.py checks what a paragraph holds).
GAP_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "blockquote", "p"})
_CAPTION_CLASS = re.compile(r"caption|credit|legend|figcaption|attribution", re.I)
_CREDIT_CLASS = re.compile(r"credit|copyright|source|byline|author|attribution", re.I)
_IMAGE_FILE = re.compile(r"\.(jpe?g|png|gif|webp|avif)(\?|$)", re.I)
# File names of pictures that are page chrome, not photographs of the story.
_NOT_A_PHOTO = re.compile(r"(?<![a-z])(?:avatars?|logos?|icons?|sprites?|gravatar|badges?|headshots?|author|"
                          r"buttons?|placeholder|spacer)(?![a-z])", re.I)
_SIZE_PARAM = re.compile(r"[?&](w|width|h|height)=(\d{1,5})(?=&|$)", re.I)
# What is left of a dateline once its byline is taken out: figures, separators, AM/PM and
# a time zone's capitals ("5:45 AM PST 11/19/2019").
_TIME_ONLY = re.compile(r"^[\s\d:/.,|·•–—-]*(?:(?:[aApP]\.?[mM]\.?|[A-Z]{2,4})(?!\w)[\s\d:/.,|·•–—-]*){0,3}$")
DATELINE_CHARS = 100
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# libxml2's HTML parser does not know that <embed> is empty: an unclosed one (the usual
# way to write it) swallows everything after it, the article included. Embeds are never
# printed, so they go before parsing.
_EMBED = re.compile(r"<embed\b[^>]*>", re.I)
# More elements than this is a data dump (a 100,000-row table), not an article; past it
# extraction time grows faster than the page does, so the page is refused (413) at once.
MAX_ELEMENTS = 50_000


# trafilatura unwraps inline elements in a way that makes it quadratic in them (see
# text_nodes.py): it gets the same unwrapping without the quadratic part.
use_in_trafilatura()

# Comments go at parse time: text split by an empty comment ("a<!-- -->b", common in
# server-rendered pages) would otherwise be cut short by content extraction.
_PARSER = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
# lxml.html picks each element's Python class in Python code (forms and inputs get classes
# of their own), called for every element object it creates: on every walk of the tree,
# the extractors' included. One class for all elements, chosen in C, does the same job:
# nothing here uses the form classes' extras.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity))


@dataclass(frozen=True)
class _Picture:
    src: str
    alt: str
    caption: str
    credit: str
    position: int
    element: lxml_html.HtmlElement


def parse_html(source: str) -> lxml_html.HtmlElement:
    """The page as an lxml document; NoArticle when there is nothing to parse."""
    # NUL characters would each parse into a replacement character.
    text = _XML_DECLARATION.sub("", (source or "").replace("\x00", ""), count=1)
    if not text.strip():
        raise NoArticle("The page is empty: there is no article to extract.")
    try:
        root = lxml_html.document_fromstring(_EMBED.sub("", text), parser=_PARSER)
    except (etree.ParserError, ValueError) as error:
        raise NoArticle(f"The page could not be parsed as HTML ({error}).") from error
    elements = int(root.xpath("count(//*)"))
    if elements > MAX_ELEMENTS:
        raise PayloadTooLarge(f"The page has {elements:,} elements; Gloss prints pages of up to "
                              f"{MAX_ELEMENTS:,} (a table or list this long is not an article).")
    return root


def extract_article(page: Page) -> Article:
    root = parse_html(page.html)
    meta = extract_metadata(root, page.url)
    base_url = _base_url(root, page.url)
    body = _body(page, base_url, meta, "all", root)
    if body is None:
        # Furniture rules cut a page whose article box is named like furniture: look again
        # at the page with only what is furniture by its element or role cut.
        body = _body(page, base_url, meta, "by_role")
    # Little or nothing found: two last resorts, in turn, each standing only when it finds
    # clearly more running prose than what is held.
    # 1. The article may sit in a box our furniture rules cut (named "comments", an
    #    <aside>) and what is left is a notice: the extractors on the page as it came decide.
    # 2. Every extractor cuts a box named like furniture ("comments"), so an article set in
    #    one is found by none of them: the page's largest box of running prose stands.
    for rules, choose in (("none", most_prose), ("by_role", largest_prose_box)):
        if body is not None and len(body.text) >= FALLBACK_CHARS:
            break
        held = _prose_chars(body.text) if body is not None else 0
        found = _body(page, base_url, meta, rules, choose=choose,
                      min_chars=max(FALLBACK_GAIN * held, held + FALLBACK_MIN_CHARS))
        if found is not None and (body is None or _outweighs(found.text, body.text)):
            body = found
    if body is None:
        raise NoArticle("No article text was found on this page: it may be an index, a log-in "
                        "wall or a page that builds its content with scripts.")
    root, page_index, pictures, aligned, clean, text = (body.root, body.page_index, body.pictures, body.aligned,
                                                        body.clean, body.text)

    in_body = {img.get("src") for img in clean.iter("img")}
    lead = _lead_picture(page_index, pictures, aligned.first_position, meta)
    lead_image = None
    if lead is not None and lead.src not in in_body:
        lead_image = Figure(src=lead.src, caption=lead.caption, alt=lead.alt, credit=lead.credit)
    standfirst = _standfirst(meta, root, text, page_index)
    # The tree itself travels on (model.ArticleBody); its HTML is written out only if asked for.
    return Article(url=page.url, title=meta.title, body_html=ArticleBody(tree=clean), text=text, standfirst=standfirst,
                   byline=meta.byline, published=meta.published, site_name=meta.site_name,
                   canonical_url=meta.canonical_url, lang=meta.lang, lead_image=lead_image)


@dataclass
class _Body:
    root: lxml_html.HtmlElement
    page_index: PageIndex
    pictures: dict[int, _Picture]
    aligned: Aligned
    clean: lxml_html.HtmlElement
    text: str


def _body(page: Page, base_url: str, meta: Metadata, furniture: str, root: lxml_html.HtmlElement | None = None,
          choose: Callable[..., lxml_html.HtmlElement | None] = agree, min_chars: int = 0) -> _Body | None:
    """The article body found on the page with `furniture` cut first ("all" our rules,
    "by_role": only what is furniture by its element or role, "none") and its blocks
    chosen by `choose` (the extractors' agreement), or None when no text is found.
    `root`: the page already parsed, when the caller has it. A page with less text than
    `min_chars` (whitespace left out) is not looked at: what it could give would not be used."""
    root = parse_html(page.html) if root is None else root
    if min_chars and len("".join(root.text_content().split())) < min_chars:
        return None
    resolve_images(root, base_url, page.images.keys())
    linearize(root)
    if furniture != "none":
        boilerplate.prune(root, by_name=furniture == "all")
    # The page tree changes no more (the extractors work on copies): one walk indexes it
    # for every step below.
    page_index = PageIndex(root)
    found = choose(root, base_url, page_index)
    if found is None:
        return None
    pictures = _pictures(page_index)
    _drop_repeated_metadata(found, meta)
    aligned = align(found, page_index, _insertable_figures(pictures), GAP_TAGS)
    lead = lead_paragraph(aligned.nodes, root, meta.title)
    if lead is not None:
        aligned.nodes.insert(0, lead)
    aligned.nodes = with_loose_text(aligned.nodes, root)
    clean = clean_fragment(_without_author_lines(trim(_without_loose_captions(aligned.nodes)), meta), base_url)
    text = fragment_text(clean)
    if len(text.split()) < MIN_ARTICLE_WORDS:
        return None
    return _Body(root=root, page_index=page_index, pictures=pictures, aligned=aligned, clean=clean, text=text)


def _prose_chars(text: str) -> int:
    """Characters (whitespace left out) in the text's paragraphs of running prose, not in
    its short lines."""
    counts = (len("".join(block.split())) for block in text.split("\n\n"))
    return sum(n for n in counts if n >= PROSE_BLOCK_CHARS)


def _outweighs(found: str, current: str) -> bool:
    more, held = _prose_chars(found), _prose_chars(current)
    return more >= FALLBACK_GAIN * held and more - held >= FALLBACK_MIN_CHARS


def _base_url(root: lxml_html.HtmlElement, url: str) -> str:
    for base in root.iter("base"):
        resolved = absolute_url(base.get("href"), url, ("http", "https"))
        if resolved:
            return resolved
    return url


def _drop_repeated_metadata(body: lxml_html.HtmlElement, meta: Metadata) -> None:
    """The headline (and a standfirst shown as a heading) and the byline print above the
    body, not in it."""
    title = fold(meta.title).lower()
    description = fold(meta.description).lower()
    byline = fold(meta.byline).lower()
    for element in list(body)[:3]:
        text = fold(element.text_content()).lower()
        if not text:
            continue
        if element.tag in ("h1", "h2", "h3", "p") and (text == title or (
                element.tag != "p" and description and text == description)):
            body.remove(element)
        elif element.tag in ("p", "div") and byline and re.sub(r"^by\s+", "", text) == byline:
            body.remove(element)


def _without_author_lines(nodes: list[etree._Element], meta: Metadata) -> list[etree._Element]:
    """The body without the author's lines that print above it: among its first blocks a
    line of the byline and a time ("5:45 AM PST 11/19/2019 by Ann Tidewell"), and at its
    end the author's card (their name, their portrait)."""
    byline = fold(meta.byline).lower()
    if not byline:
        return nodes
    def names_author(node: etree._Element) -> bool:
        text = fold("".join(node.itertext())).lower()
        if node.tag == "figure" and not text:
            return any(fold(img.get("alt")).lower() == byline for img in node.iter("img"))
        return text == byline
    out = list(nodes)
    while out and names_author(out[-1]):
        out.pop()
    for index, node in enumerate(out[:3]):
        text = fold("".join(node.itertext()))
        if byline not in text.lower() or len(text) > DATELINE_CHARS:
            continue
        rest = re.sub(re.escape(byline), " ", text, flags=re.I)
        rest = re.sub(r"(?<!\w)(?:by|von|par|por|di|door)(?!\w)", " ", rest, flags=re.I)
        if any(c.isdigit() for c in rest) and _TIME_ONLY.match(rest):
            del out[index]
            break
    return out


def _pictures(page: PageIndex) -> dict[int, _Picture]:
    """Every resolved picture of the page by its position in document order (elements
    only, as align.py counts), with the caption the page gives it. A picture shown again
    counts again only with a caption of its own (a chart discussed twice); else its first
    showing stands."""
    found: dict[int, _Picture] = {}
    captions: dict[str, set[str]] = {}
    for element in page.after("img", -1):
        position = page.position[id(element)]
        src = element.get("src") or ""
        if not src:
            continue
        caption, credit = _caption_for(element, page)
        if src in captions and (not caption or caption in captions[src]):
            continue
        captions.setdefault(src, set()).add(caption)
        found[position] = _Picture(src=src, alt=fold(element.get("alt")), caption=caption, credit=credit,
                                   position=position, element=element)
    return found


def _caption_for(img: lxml_html.HtmlElement, page: PageIndex) -> tuple[str, str]:
    """The caption and credit the page shows with this picture: its figure's figcaption,
    or a caption-classed element beside it in the same small container."""
    figure = next(img.iterancestors("figure"), None)
    if figure is not None and len(fold(figure.text_content())) <= CAPTION_BOX_CHARS:
        caption = figure.find(".//figcaption")
        if caption is not None:
            return _split_credit(caption)  # however deep the picture sits in wrappers
    container = img
    for _ in range(4):
        container = container.getparent()
        while container is not None and container.tag in ("source", "picture", "a", "span"):
            container = container.getparent()  # wrappers of the image itself, not its box
        if container is None:
            return "", ""
        if container.tag == "figure":
            caption = container.find(".//figcaption")
            if caption is not None:
                return _split_credit(caption)
        # Its text without whitespace is no longer than its folded text: past the limit, the
        # folding (a walk of the whole container) is not needed.
        if page.text_length(container) > CAPTION_BOX_CHARS or len(fold(container.text_content())) > CAPTION_BOX_CHARS:
            return "", ""  # grown past the picture's own box: a caption here may be another's
        caption = next((e for e in container.iter() if e is not img and e is not container and isinstance(e.tag, str)
                        and (e.tag == "figcaption" or _CAPTION_CLASS.search(e.get("class") or ""))
                        and fold(e.text_content())), None)
        if caption is not None:
            return _split_credit(caption)
    return "", ""


def _split_credit(caption: lxml_html.HtmlElement) -> tuple[str, str]:
    text = fold(caption.text_content())
    names = caption.get("class") or ""
    if caption.tag != "figcaption" and _CREDIT_CLASS.search(names) and not re.search(r"caption|legend", names, re.I):
        return "", text  # the picture's box holds a credit line alone
    for element in caption.iter():
        if element is not caption and _CREDIT_CLASS.search(element.get("class") or ""):
            credit = fold(element.text_content())
            if credit and credit != text:
                return fold(text.replace(credit, "")), credit
    return text, ""


def _insertable_figures(pictures: dict[int, _Picture]) -> dict[int, etree._Element]:
    """Pictures that may sit between two body blocks, each as a `<figure>` with its caption:
    captioned ones, those in a `<figure>`, and wide ones; not thumbnails linking elsewhere."""
    out: dict[int, etree._Element] = {}
    by_figure: dict[int, int] = {}
    for picture in pictures.values():
        if not _looks_like_content(picture):
            continue
        figure = next(picture.element.iterancestors("figure"), None)
        if figure is not None:
            # One picture per page figure: a lazy page puts a blurred preview first and
            # the real picture (often a <noscript> copy) after it; the later one stands.
            out.pop(by_figure.get(id(figure), -1), None)
            by_figure[id(figure)] = picture.position
        out[picture.position] = _figure_element(picture)
    return out


def _figure_element(picture: _Picture) -> etree._Element:
    figure = lxml_html.Element("figure")
    attrs = {"src": picture.src}
    if picture.alt:
        attrs["alt"] = picture.alt
    figure.append(lxml_html.Element("img", attrs))
    if picture.caption or picture.credit:
        caption = etree.SubElement(figure, "figcaption")
        caption.text = " ".join(t for t in (picture.caption, picture.credit) if t)
    figure.set("data-caption", fold(picture.caption).lower())
    return figure


def _without_loose_captions(nodes: list[etree._Element]) -> list[etree._Element]:
    """Drops a block that only repeats (part of) the caption of a figure beside it."""
    if not any(n.tag == "figure" and n.get("data-caption") for n in nodes):
        return nodes
    kept = []
    for index, node in enumerate(nodes):
        if node.tag != "figure":
            text = fold("".join(node.itertext())).lower()
            neighbours = nodes[max(0, index - 2):index] + nodes[index + 1:index + 3]
            if text and any(_repeats_caption(text, n.get("data-caption") or "") for n in neighbours
                            if n.tag == "figure"):
                continue
        kept.append(node)
    return kept


def _repeats_caption(text: str, caption: str) -> bool:
    if not caption:
        return False
    if text == caption or (len(text) >= 20 and text in caption):
        return True
    # The caption block plus a credit line ("… (Image: Agency)").
    return len(caption) >= 20 and caption in text and len(text) <= 1.5 * len(caption)


def _lead_picture(page: PageIndex, pictures: dict[int, _Picture], body_at: int | None,
                  meta: Metadata) -> _Picture | None:
    """The article's lead picture: the declared image where the page shows it before the body,
    else the first content-like picture between the headline and the body."""
    if not pictures:
        return None
    title = fold(meta.title).lower()
    headline_at = None
    for element in page.after("h1", -1):
        if fold(element.text_content()).lower() == title:
            headline_at = page.position[id(element)]
            break
    if body_at is None:
        body_at = (headline_at or 0) + LEAD_SEARCH_ELEMENTS
    if meta.image:
        declared = _same_picture_key(meta.image)
        for picture in pictures.values():
            if _same_picture_key(picture.src) == declared and picture.position <= body_at \
                    and _plausible_photo(picture):
                return picture
    if headline_at is None:
        return None
    for picture in sorted(pictures.values(), key=lambda p: p.position):
        if headline_at < picture.position < body_at and _looks_like_content(picture):
            return picture
    # A page may set its captioned lead picture just above the headline, in the same header.
    for picture in sorted(pictures.values(), key=lambda p: -p.position):
        if headline_at - LEAD_ABOVE_HEADLINE <= picture.position < headline_at and (picture.caption or picture.credit) \
                and _looks_like_content(picture):
            return picture
    return None


def _same_picture_key(url: str) -> str:
    """Compares pictures across size variants: the path without query or size suffix."""
    path = re.sub(r"[?#].*$", "", url)
    return re.sub(r"[-_](\d{2,4}x\d{2,4}|\d{2,4}w)(?=\.\w+$)", "", path.rsplit("/", 1)[-1]).lower()


def _plausible_photo(picture: _Picture) -> bool:
    """Not an icon, logo, avatar or thumbnail, judging by declared size and file name."""
    width = (picture.element.get("width") or "").strip()
    if width.isdigit() and int(width) < MIN_FIGURE_WIDTH:
        return False
    if _NOT_A_PHOTO.search(picture.src.rsplit("/", 1)[-1].split("?")[0]):
        return False
    # Image services take the display size in the query ("?w=105&h=105"): a thumbnail.
    return all(int(value) >= MIN_FIGURE_WIDTH for _, value in _SIZE_PARAM.findall(picture.src))


def _looks_like_content(picture: _Picture) -> bool:
    if not _plausible_photo(picture):
        return False
    img = picture.element
    width = (img.get("width") or "").strip()
    ancestors = list(img.iterancestors())
    tags = {a.tag for a in ancestors}
    if tags & {"header", "nav", "footer", "aside"} and "figure" not in tags:
        return False
    link = next((a for a in ancestors if a.tag == "a"), None)
    if link is not None and not _IMAGE_FILE.search(link.get("href") or "") and fold(link.text_content()):
        return False  # a teaser: picture plus headline linking to another page
    return bool(picture.caption) or "figure" in tags or (width.isdigit() and int(width) >= 300) or (
        not width and link is None)


def _standfirst(meta: Metadata, root: lxml_html.HtmlElement, text: str, page: PageIndex | None = None) -> str:
    """The page's summary when the reader sees it on the page and the body does not open with it.
    `page`: the index of `root`, when the caller has it."""
    description = meta.description
    if len(description) < 20 or description.lower() == fold(meta.title).lower():
        return ""
    folded_text = fold(text).lower()
    probe = description.rstrip(".… ").lower()[:120]
    if probe in folded_text:
        return ""
    body = root.find("body")
    if body is None:
        return ""
    opening = probe[:60]
    for element in body.iter("p", "h2", "div", "span"):
        # An element whose text opens otherwise is passed over without reading its text
        # (its first letter, lowered, is the first of its lowered text).
        if len(element) < 5 and (page is None or page.first_letter(element).lower()[:1] == opening[:1]) \
                and fold(element.text_content()).lower().startswith(opening):
            return description
    return ""
