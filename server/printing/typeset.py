"""Typesetting: `Article + PrintOptions + images -> one self-contained HTML document`.

The result is exactly what the renderer turns into a PDF (and what /api/preview shows):
a head with the PDF metadata WeasyPrint reads (title, author, dcterms.created,
description, the `lang` of <html>), our stylesheets inlined, a masthead built from the
article's metadata, the lead figure when the body does not already hold it, the body,
and numbered link notes. It holds no reference the renderer could fetch except
`data:` images and our own font files (`gloss-font:` URLs, see FONT_SCHEME).

The page is set for reading (see the README's "Printing"): the article's language
(language.py) on <html> picks the fonts, hyphenation, labels and dates (labels.py);
margins from the paper set a measure of 60-75 characters (geometry.py); tables are
classed by how wide their words make them (tables.py); figures get ids so that the
renderer can let the text go on before one that would strand a page (figures.py);
Korean and right-to-left text get what their line breaking needs (scripts.py); the
masthead ends with the full source address and a QR code of it (qr.py).

Links (option `links: "footnotes"`) become numbered notes collected at the end of the
article, each distinct URL once with one number wherever it recurs, rather than CSS
`float: footnote` notes at the foot of each page: with per-page footnotes a URL cited
on pages 1 and 4 is either printed twice or its second number points back three pages,
and WeasyPrint's footnote area misbehaves for calls inside tables, captions and list
items, where news articles put many links. A list of notes at the end cannot break the
layout and keeps "each URL once" literally true. Tracking parameters are removed from
every link first (links.py), so two links differing only in them are one note.

The body is the article's own tree (model.ArticleBody), copied, never parsed again; the
document is written out once, here. The body is filtered again through the model's
allow-list, whatever extraction did:
only ALLOWED_ELEMENTS and ALLOWED_ATTRIBUTES reach the page, links keep http(s) targets
only, and an image stays only when its bytes are in `images` (an inline data: image too:
the caller puts it there once it has passed the image guard).
Typesetting never reads the network or the input's objects in place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from server.article.model import (ALLOWED_ATTRIBUTES, ALLOWED_ELEMENTS, Article, Figure, allowed_classes,
                                  serialize_children)
from server.article.tree import drop, insert_after, text_nodes, text_of, unwrap, wrap
from server.glossary.annotate import (
    annotate_body,
    closing_glossary,
    glossary_stylesheet,
)
from server.printing.boxes import unbox_tables
from server.printing.breaks import tidy_breaks
from server.printing.figures import mark_figures
from server.printing.geometry import (
    BOTTOM_MM,
    LANDSCAPE_BOTTOM_MM,
    LANDSCAPE_SIDE_MM,
    LANDSCAPE_TOP_MM,
    TOP_MM,
    Geometry,
    page_geometry,
)
from server.printing.labels import Labels, labels_for, local_date
from server.printing.headings import drop_permalink_marks, drop_trailing_headings
from server.printing.language import article_language
from server.printing.lead_ins import mark_lead_ins
from server.printing.masthead import drop_repeated_dateline, printed_title
from server.printing.links import clean_url, display_url
from server.printing.options import PrintOptions
from server.printing.pictures import lift_pictures
from server.printing.qr import qr_data_uri
from server.printing.scripts import is_rtl, isolate, isolate_latin_runs, keep_korean_words, left_to_right, primary
from server.printing.tables import keeps_words_whole, table_class
from server.settings import PROJECT_ROOT

FONTS_DIR = PROJECT_ROOT / "fonts"
PRINT_CSS = Path(__file__).with_name("print.css")
# The renderer's URL fetcher maps `gloss-font:<file>` to a file in FONTS_DIR and nothing else.
FONT_SCHEME = "gloss-font:"
# Elements whose content is never text a reader wants, dropped with their content when
# they appear where the allow-list does not expect them (the others are unwrapped).
DROP_WITH_CONTENT = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed",
                               "svg", "math", "canvas", "video", "audio", "form", "button", "input",
                               "select", "textarea", "head", "title", "meta", "link"})
# Text set verbatim: never changed for the line breaker.
VERBATIM = frozenset({"pre", "code", "kbd", "samp"})
# The most of the text block's height one image may take: a figure that does not fit
# where it stands moves to the next page and leaves at most about this much blank.
IMAGE_SHARE = 0.4
# Raster images only, as server.fetching.image_guard admits them: SVG can reference other
# resources and run arbitrarily long layouts.
DATA_IMAGE = re.compile(r"^data:image/(png|jpe?g|gif|webp|bmp|tiff)[;,]", re.I)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """fonts.css with its URLs moved to the font scheme, then print.css."""
    fonts_css = (FONTS_DIR / "fonts.css").read_text(encoding="utf-8")
    fonts_css = re.sub(r'url\("([A-Za-z0-9_.-]+)"\)', rf'url("{FONT_SCHEME}\1")', fonts_css)
    return fonts_css + "\n" + PRINT_CSS.read_text(encoding="utf-8")


def css_string(text: str) -> str:
    """A CSS string literal that cannot end the string or the <style> element it sits in."""
    text = " ".join(text.split())
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace(">", "\\3E ")
    return f'"{escaped}"'


def typeset(article: Article, options: PrintOptions, images: dict[str, str]) -> str:
    lang = article_language(article).lower()
    labels = labels_for(lang)
    geometry = page_geometry(options.page_size, options.font_size)
    body = article.body.copy()
    unbox_tables(body)  # tables of one column print as what they hold (boxes.py)
    body = _clean_body(body, options, images)
    tidy_breaks(body)  # blank lines made of <br>s, paragraphs left empty (breaks.py)
    # The body's opening dateline when the masthead says the same; a headline when the page has none.
    drop_repeated_dateline(body, article.byline, article.published, lang)
    title = printed_title(article.title, body)
    drop_trailing_headings(body)  # a heading ending the body has nothing under it
    body_srcs = {img.get("data-src-url", "") for img in body.iter("img")}
    lead = ""
    if options.images and article.lead_image and article.lead_image.src not in body_srcs:
        lead = _lead_figure(article.lead_image, images)
    for img in body.iter("img"):
        img.attrib.pop("data-src-url", None)
    lift_pictures(body)  # a picture opening or closing a paragraph gets a paragraph of its own
    mark_lead_ins(body)  # a short line introducing the next block stays with it
    drop_permalink_marks(body)  # "Setting up¶", "Applications[edit]": a heading's links for the screen
    mark_figures(body)
    for table in list(body.iter("table")):
        if next(table.iterancestors("table"), None) is None:
            width = table_class(table, geometry.text_width_em, geometry.landscape_width_em)
            whole = keeps_words_whole(table, width, geometry.text_width_em, geometry.landscape_width_em)
            if width or whole:
                table.set("class", " ".join(c for c in (width, "whole" if whole else "") if c))
            if width == "widest":
                # The named page goes on a block around the table: WeasyPrint starts and
                # ends a page of another name only between block boxes.
                wrap(table, etree.Element("div", {"class": "landscape"}))
    # Glossed words get their footnotes in the cleaned tree, built from text nodes only.
    glossary = annotate_body(body, article.glossary) if article.glossary else []
    notes = _number_links(body) if options.links == "footnotes" else []
    script_text = _script_text(lang)
    _apply_to_text(body, script_text)
    if is_rtl(lang):
        for code in body.iter("code", "kbd", "samp"):
            only = _only_text(code)
            if next(code.iterancestors("pre"), None) is None and only is not None:
                only.text = left_to_right(only.text)
    source = clean_url(article.canonical_url or article.url)
    head_text = " · ".join(t for t in (article.site_name.strip(), title.strip()) if t)

    meta = [f"<title>{html.escape(title)}</title>",
            '<meta name="generator" content="Gloss">']
    author = article.byline or article.site_name
    if author:
        meta.append(f'<meta name="author" content="{html.escape(author)}">')
    if article.published:
        meta.append(f'<meta name="dcterms.created" content="{html.escape(article.published)}">')
    if article.standfirst:
        meta.append(f'<meta name="description" content="{html.escape(article.standfirst)}">')
    if source:
        meta.append(f'<link rel="canonical" href="{html.escape(source)}">')

    def text(value: str) -> str:
        return html.escape(script_text(value))

    masthead = ['<header class="masthead">']
    if article.site_name:
        masthead.append(f'<p class="site">{text(article.site_name)}</p>')
    if title.strip():  # an empty heading would print as a gap
        masthead.append(f"<h1>{text(title)}</h1>")
    if article.standfirst:
        masthead.append(f'<p class="standfirst">{text(article.standfirst)}</p>')
    # In right-to-left text each part is isolated: a Latin name or date keeps its order.
    bidi = isolate if is_rtl(lang) else str
    byline_parts = [html.escape(bidi(article.byline))] if article.byline else []
    if article.published:
        byline_parts.append(f'<time datetime="{html.escape(article.published)}">'
                            f"{html.escape(bidi(local_date(article.published, lang)))}</time>")
    if byline_parts:
        masthead.append('<p class="byline">' + "".join(f"<span>{p}</span>" for p in byline_parts) + "</p>")
    if source:
        masthead.append(_source_line(source))
    masthead.append("</header>")

    lang_attr = f' lang="{html.escape(lang)}"' if lang else ""
    dir_attr = ' dir="rtl"' if is_rtl(lang) else ""
    parts = [
        "<!DOCTYPE html>",
        f"<html{lang_attr}{dir_attr}>",
        '<head><meta charset="utf-8">',
        *meta,
        f"<style>\n{stylesheet()}\n{glossary_stylesheet() if glossary else ''}\n"
        f"{_page_css(options, geometry, lang, head_text, source, labels)}\n</style>",
        "</head>",
        "<body><article>",
        *masthead,
        lead,
        f'<div class="article-body">{serialize_children(body)}</div>',
        closing_glossary(glossary, title=labels.glossary),
        _notes_section(notes, labels.links),
        "</article></body></html>",
    ]
    return "\n".join(p for p in parts if p)


def _page_css(options: PrintOptions, geometry: Geometry, lang: str, head_text: str, source: str,
              labels: Labels) -> str:
    """Paper, margins (the measure, see geometry.py), running head and foot in the
    article's language; mirrored for right-to-left languages."""
    page_of = labels.page_of.replace("{page}", '" counter(page) "').replace("{pages}", '" counter(pages) "')
    page_of = f'"{page_of}"'.replace('"" ', "").replace(' ""', "")
    start, end = ("right", "left") if is_rtl(lang) else ("left", "right")
    side = f"{geometry.side_mm:g}mm"
    return (
        f"@page {{ size: {options.page_size}; margin: {TOP_MM:g}mm {side} {BOTTOM_MM:g}mm {side}; "
        f"@top-{start} {{ content: {css_string(head_text)}; text-align: {start}; width: 100%; }} "
        f"@bottom-{start} {{ content: {css_string(display_url(source, 200))}; text-align: {start}; }} "
        f"@bottom-{end} {{ content: {page_of}; text-align: {end}; }} }}\n"
        f"@page :first {{ @bottom-{start} {{ content: none; }} }}\n"
        f"@page wide {{ size: {options.page_size} landscape; "
        f"margin: {LANDSCAPE_TOP_MM:g}mm {LANDSCAPE_SIDE_MM:g}mm {LANDSCAPE_BOTTOM_MM:g}mm; }}\n"
        f"html {{ font-size: {options.font_size:g}pt; }}\n"
        # Every image at most this share of the text block's height, so that one that
        # does not fit where it stands leaves less of a page empty.
        f"img {{ max-height: {geometry.text_height_mm * IMAGE_SHARE:.0f}mm; }}"
    )


def _source_line(source: str) -> str:
    """The article's address in full, wrapped, beside a QR code of it."""
    return (f'<p class="source"><img src="{qr_data_uri(source)}" alt="">'
            f'<a href="{html.escape(source)}">{html.escape(source)}</a></p>')


def _script_text(lang: str) -> Callable[[str], str]:
    """What running text of this language needs before the line breaker sees it."""
    if primary(lang) == "ko":
        return keep_korean_words
    if is_rtl(lang):
        return isolate_latin_runs
    return str


def _apply_to_text(body: etree._Element, change: Callable[[str], str]) -> None:
    if change is str:
        return  # nothing to change: most languages
    for node in list(text_nodes(body)):
        if not any(e.tag in VERBATIM for e in node.ancestors()):
            node.value = change(node.value)


def _only_text(element: etree._Element) -> etree._Element | None:
    """The element whose `.text` is all the text `element` holds, when it holds one run
    of text alone or inside single wrappers (`<code><b>x</b></code>`), else None."""
    while True:
        if len(element) == 0:
            return element if element.text else None
        if element.text or len(element) > 1 or element[0].tail or not isinstance(element[0].tag, str):
            return None
        element = element[0]


def _clean_body(root: etree._Element, options: PrintOptions, images: dict[str, str]) -> etree._Element:
    """The allow-list applied to `root` (the typesetter's own copy of the body), in place."""
    dropped: set[etree._Element] = set()
    for node in list(root.iter()):
        if node is root:
            continue
        parent = node.getparent()
        if parent in dropped:
            dropped.add(node)  # inside a dropped element: gone with it
            continue
        tag = node.tag if isinstance(node.tag, str) else ""  # comments and processing instructions
        if not tag or tag in DROP_WITH_CONTENT:
            drop(node)
            dropped.add(node)
        elif tag not in ALLOWED_ELEMENTS:
            unwrap(node)
        else:
            allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset()) | ALLOWED_ATTRIBUTES["*"]
            for name in [k for k in node.attrib if k not in allowed]:
                del node.attrib[name]
            if "class" in node.attrib:
                classes = allowed_classes(tag, node.get("class", ""))
                if classes:
                    node.set("class", classes)
                else:
                    del node.attrib["class"]
    for a in root.iter("a"):
        if not _is_web_url(a.get("href", "")):
            a.attrib.pop("href", None)
    for img in list(root.iter("img")):
        src = img.get("src", "")
        data = images.get(src)  # inline data: images too: only what passed the image guard prints
        if not options.images or not data or not DATA_IMAGE.match(data):
            _drop_image(img)
            continue
        img.set("data-src-url", src)  # remembered to spot the lead figure; removed before output
        img.set("src", data)
    return root


def _drop_image(img: etree._Element) -> None:
    figure = next(img.iterancestors("figure"), None)
    drop(img)
    # A caption without its picture describes nothing on the page.
    if figure is not None and figure.find(".//img") is None:
        drop(figure)


def _lead_figure(lead: Figure, images: dict[str, str]) -> str:
    data = images.get(lead.src, "")
    if not DATA_IMAGE.match(data):
        return ""
    caption = html.escape(lead.caption)
    if lead.credit and lead.credit not in lead.caption:
        caption += f' <span class="credit">{html.escape(lead.credit)}</span>'
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return (f'<figure class="lead"><img src="{html.escape(data)}" alt="{html.escape(lead.alt)}">'
            f"{figcaption}</figure>")


def _number_links(body: etree._Element) -> list[str]:
    """Marks every link with the number of its URL (tracking parameters removed, so two
    links differing only in them share one); returns the distinct URLs in order."""
    numbers: dict[str, int] = {}
    for a in [a for a in body.iter("a") if a.get("href") is not None]:
        url = clean_url(a.get("href"))
        a.set("href", url)
        text = " ".join(text_of(a).split())
        # A link that prints its own address needs no note.
        if not text or text.rstrip("/") == url.rstrip("/"):
            continue
        number = numbers.setdefault(url, len(numbers) + 1)
        ref = etree.Element("sup", {"class": "link-ref"})
        inner = etree.SubElement(ref, "a", {"href": f"#link-{number}"})
        inner.text = str(number)
        insert_after(a, ref)
    return list(numbers)


def _notes_section(urls: list[str], title: str) -> str:
    if not urls:
        return ""
    items = "".join(f'<li id="link-{n}"><a href="{html.escape(u)}">{html.escape(display_url(u))}</a></li>'
                    for n, u in enumerate(urls, start=1))
    return f'<section class="links"><h2>{html.escape(title)}</h2><ol>{items}</ol></section>'


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)
