"""Clean fragments: any HTML subtree in, a safe, allow-listed HTML fragment and its text out.

`clean_fragment(nodes, base_url)` rebuilds the content element by element, creating only
ALLOWED_ELEMENTS with ALLOWED_ATTRIBUTES (model.py). Nothing of the source survives
unless it is copied on purpose, so scripts, styles, forms, frames, embedded objects,
`on*` handlers and `javascript:` addresses cannot reach the renderer whatever the page
holds. Every link and image address comes out absolute; body headings are demoted so the
highest becomes `<h2>` (the headline is the document's only `<h1>`). Unknown containers
are unwrapped; one holding only inline content becomes a paragraph. A table that lays
out the page rather than holding data (`is_layout_table`) prints as ordinary flow, its
cells one after another; figures left without a picture go with their captions.

`fragment_text(root)` renders a clean tree as plain text: one block per paragraph,
separated by blank lines, whitespace folded as a browser would; figure captions are
left out (they belong to the pictures, not to the running text); a formula written out
from MathML (`<span class="math">`) marks its scripts as plain text does, x^2 and a_k.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from server.article.images import is_placeholder
from server.article.model import ALLOWED_ATTRIBUTES, ALLOWED_ELEMENTS, MATH_CLASS, allowed_classes

# Dropped with everything inside: active content, page furniture and controls.
DROP_WITH_CONTENT = frozenset({
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "param", "link", "meta", "base", "form", "input", "button", "select", "option",
    "optgroup", "textarea", "label", "svg", "math", "canvas", "video", "audio", "source", "track",
    "map", "area", "dialog", "head", "title", "nav", "menu", "fieldset", "legend", "output",
    "progress", "meter", "slot", "portal",
})
# Containers that separate blocks: a paragraph when they hold only inline content.
BLOCK_CONTAINERS = frozenset({
    "div", "section", "article", "main", "header", "footer", "aside", "center", "address",
    "details", "summary", "hgroup", "body", "html",
})
BLOCK_ELEMENTS = frozenset({
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "figure", "figcaption", "hr",
}) | BLOCK_CONTAINERS | {"h1"}
# Inline elements that, chosen as a block of the body, print as a paragraph of their own.
INLINE_BLOCKS = frozenset({"a", "span", "em", "strong", "b", "i", "u", "s", "small", "font", "code", "cite", "q",
                           "mark", "abbr", "time", "sub", "sup", "tt", "kbd", "samp", "var", "big", "label"})
# Parts of a table: outside a data table being copied they are containers.
TABLE_PARTS = frozenset({"td", "th", "tr", "tbody", "thead", "tfoot"})
# A table cell with more words than this is running text: the table lays out a page.
LAYOUT_CELL_WORDS = 120
# Paragraphs in a cell are running text when they hold more words than this; a header cell
# set as two short lines ("Patch size" / "(% of original)") is still data.
LAYOUT_PARAGRAPHS_WORDS = 25
# Source elements that print as one of the allowed ones.
RENAMED = {"h1": "h2", "tt": "code", "strike": "s", "big": "span", "font": "span", "center": "div",
           "listing": "pre", "xmp": "pre", "plaintext": "pre", "dfn": "i", "main": "div"}
URL_SCHEMES = ("http", "https", "mailto")
RASTER_DATA_URIS = ("data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/gif", "data:image/webp")
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_HEADING = re.compile(r"^h([1-6])$")
_HEADING_LEVELS = {f"h{level}": level for level in range(1, 7)}
# The attributes each element keeps: its own and those every element keeps.
_ALLOWED_FOR = {tag: names | ALLOWED_ATTRIBUTES["*"] for tag, names in ALLOWED_ATTRIBUTES.items()}


def absolute_url(url: str | None, base_url: str, schemes: tuple[str, ...] = URL_SCHEMES) -> str | None:
    """`url` resolved against `base_url`, or None when it is empty or not one of `schemes`."""
    if not url:
        return None
    url = url.strip()
    if not url or url.startswith("#"):
        return None
    try:
        absolute = urljoin(base_url, url)
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    return absolute if scheme in schemes else None


def clean_fragment(nodes: Iterable[etree._Element], base_url: str) -> lxml_html.HtmlElement:
    """A new `<div>` holding the clean rebuild of `nodes` (never modified)."""
    nodes = list(nodes)
    top = min((int(m.group(1)) for n in nodes for e in n.iter() if isinstance(e.tag, str)
               for m in [_HEADING.match(e.tag)] if m), default=2)
    shift = max(0, 2 - top)  # the highest body heading becomes h2
    out = lxml_html.Element("div")
    builder = _Builder(base_url, shift)
    for node in nodes:
        # A node's tail is its parent's text after it, not part of the node: a block chosen
        # on its own, or the next one, carries that text if it is the article's.
        tail, node.tail = node.tail, None
        # An inline element chosen as a block of its own (a link on a line of its own
        # between <br>s) is a paragraph: it never runs into the next one ("favoritesLearn more").
        target = out
        if isinstance(node.tag, str) and node.tag.lower() in INLINE_BLOCKS:
            target = etree.SubElement(out, "p")
        try:
            builder.copy(node, target)
        finally:
            node.tail = tail
    _prune_empty(out)
    wrap_loose_inline(out)
    return out


def is_layout_table(table: etree._Element) -> bool:
    """A table used to lay out a page rather than to hold data: one that holds another
    table, headings or block quotes, a cell of running text (several paragraphs, or more
    words than a data cell has), or a single column."""
    if table.find(".//table") is not None:
        return True
    cells = _cells(table)
    if not cells:
        return False
    rows = [r for r in table.iter("tr")]
    widest = max((sum(1 for c in r if isinstance(c.tag, str) and c.tag in ("td", "th")) for r in rows), default=0)
    if widest <= 1 and len(" ".join(table.itertext()).split()) > LAYOUT_CELL_WORDS:
        return True
    for cell in cells:
        if cell.find(".//h1") is not None or cell.find(".//h2") is not None or cell.find(".//blockquote") is not None:
            return True
        words = len(" ".join(cell.itertext()).split())
        if (len(cell.findall(".//p")) >= 2 and words > LAYOUT_PARAGRAPHS_WORDS) or words > LAYOUT_CELL_WORDS:
            return True
    return False


def _picture_key(url: str) -> str:
    """A picture's file name without query or size suffix: its sizes share it."""
    name = re.sub(r"[?#].*$", "", url or "").rsplit("/", 1)[-1]
    return re.sub(r"[-_](\d{2,4}x\d{2,4}|\d{2,4}w)(?=\.\w+$)", "", name).lower()


def _shown_again_in_its_figure(img: etree._Element) -> bool:
    """True for a picture its figure shows again further on in another size: a lazy page's
    blurred preview before the real picture (often a <noscript> copy)."""
    figure = next(img.iterancestors("figure"), None)
    key = _picture_key(img.get("src") or "")
    if figure is None or not key:
        return False
    later = False
    for other in figure.iter("img"):
        if other is img:
            later = True
        elif later and _picture_key(other.get("src") or "") == key:
            return True
    return False


def _cells(table: etree._Element) -> list[etree._Element]:
    """The table's own cells (not those of tables inside it), in order."""
    return [c for c in table.iter("td", "th")
            if next((a for a in c.iterancestors("table")), None) is table]


def wrap_loose_inline(root: etree._Element) -> None:
    """Gathers text and inline elements left directly in the fragment into paragraphs, and
    lays the blocks out one per line."""
    items: list[etree._Element | str] = []
    if root.text and root.text.strip():
        items.append(root.text)
    for child in list(root):
        tail = child.tail
        child.tail = None
        items.append(child)
        if tail and tail.strip():
            items.append(tail)
        root.remove(child)
    root.text = None
    run: list[etree._Element | str] = []

    def close_run() -> None:
        if not run:
            return
        paragraph = etree.SubElement(root, "p")
        for item in run:
            if isinstance(item, str):
                _append_text(paragraph, item)
            else:
                paragraph.append(item)
        run.clear()

    for item in items:
        if isinstance(item, str) or item.tag not in BLOCK_ELEMENTS:
            run.append(item)
        else:
            close_run()
            root.append(item)
    close_run()
    for child in root:
        child.tail = "\n"


class _Builder:
    def __init__(self, base_url: str, heading_shift: int) -> None:
        self.base_url = base_url
        self.heading_shift = heading_shift
        self.tables = 0  # depth of data tables being copied

    def copy(self, node: etree._Element, parent: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else None
        if tag is None:  # comments and processing instructions: only their tail is text
            _append_text(parent, node.tail)
            return
        tag = tag.lower()
        if tag in DROP_WITH_CONTENT:
            _append_text(parent, node.tail)
            return
        level = _HEADING_LEVELS.get(tag)
        if level:
            tag = f"h{min(6, level + self.heading_shift)}"
        tag = RENAMED.get(tag, tag)
        if tag in BLOCK_CONTAINERS:
            has_blocks = any(isinstance(c.tag, str) and c.tag.lower() in BLOCK_ELEMENTS for c in node)
            tag = "div" if has_blocks else "p"
        if tag == "table" and is_layout_table(node):
            # A page laid out in a table: its cells are the page's columns, printed one
            # after another as ordinary flow (a table row cannot break across pages).
            for cell in _cells(node):
                self._copy_container(cell, parent)
            _append_text(parent, node.tail)
            return
        if tag in TABLE_PARTS and not self.tables:
            # A cell or row taken without its table: a container like any other.
            self._copy_container(node, parent)
            _append_text(parent, node.tail)
            return
        if tag == "div":
            # Unwrapped: its children join the parent, and it still separates paragraphs.
            self._copy_children(node, parent)
            _append_text(parent, node.tail)
            return
        if tag not in ALLOWED_ELEMENTS:
            # Unknown inline element (custom tags, <picture>, <ins> ads...): keep its content.
            _append_text(parent, node.text)
            for child in node:
                self.copy(child, parent)
            _append_text(parent, node.tail)
            return
        if tag == "img" and _shown_again_in_its_figure(node):
            _append_text(parent, node.tail)
            return
        element = self._element(tag, node)
        if element is None:  # an image without a usable address, a dead link
            if tag == "a":
                _append_text(parent, node.text)
                for child in node:
                    self.copy(child, parent)
            _append_text(parent, node.tail)
            return
        parent.append(element)
        if tag == "table":
            self.tables += 1
            self._copy_children(node, element)
            self.tables -= 1
        elif tag != "img":
            self._copy_children(node, element)
        element.tail = None
        _append_text(parent, node.tail)

    def _copy_container(self, node: etree._Element, parent: etree._Element) -> None:
        """A block container: unwrapped when it holds blocks, else one paragraph."""
        if any(isinstance(c.tag, str) and c.tag.lower() in BLOCK_ELEMENTS | TABLE_PARTS for c in node):
            self._copy_children(node, parent)
        elif "".join(node.itertext()).strip() or node.find(".//img") is not None:
            paragraph = etree.SubElement(parent, "p")
            self._copy_children(node, paragraph)

    def _copy_children(self, node: etree._Element, target: etree._Element) -> None:
        _append_text(target, node.text)
        for child in node:
            self.copy(child, target)

    def _element(self, tag: str, node: etree._Element) -> etree._Element | None:
        allowed = _ALLOWED_FOR.get(tag, ALLOWED_ATTRIBUTES["*"])
        attrs: dict[str, str] = {}
        for name, value in node.attrib.items():
            name = name.lower()
            if name not in allowed or value is None:
                continue
            if name in ("href", "cite"):
                resolved = absolute_url(value, self.base_url)
                if resolved is None:
                    continue
                value = resolved
            elif name == "src":
                value = value.strip()
                if value.startswith("data:"):
                    # Raster data only: an SVG document may carry scripts and links.
                    if is_placeholder(value) or not value.lower().startswith(RASTER_DATA_URIS):
                        continue
                else:
                    resolved = absolute_url(value, self.base_url, ("http", "https"))
                    if resolved is None:
                        continue
                    value = resolved
            elif name == "class":
                value = allowed_classes(tag, value)
                if not value:
                    continue
            elif name in ("width", "height", "colspan", "rowspan", "start", "value"):
                if not value.strip().isdigit():
                    continue
            attrs[name] = value.strip() if name != "alt" else value
        if tag == "img" and "src" not in attrs:
            return None
        if tag == "a" and "href" not in attrs:
            return None
        return lxml_html.Element(tag, attrs)


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    # parent[-1], not len(parent): lxml counts children by walking them, which made
    # copying a long table quadratic.
    try:
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


KEEP_EMPTY = frozenset({"img", "br", "hr", "td", "th"})


def _prune_empty(root: etree._Element) -> None:
    """Drops elements left with neither text nor images (emptied links, bare wrappers),
    and figures left without a picture (a caption of nothing)."""
    for figure in list(root.iter("figure")):
        if figure.find(".//img") is not None or figure.getparent() is None:
            continue
        outside_caption = "".join(t for c in figure if c.tag != "figcaption" for t in c.itertext())
        outside_caption += figure.text or ""
        if not outside_caption.strip():
            figure.drop_tree()
    for element in reversed(list(root.iter())):
        if element is root or element.tag in KEEP_EMPTY:
            continue
        if (element.text or "").strip() or len(element):
            continue
        if element.tag == "tr":
            continue
        element.drop_tag()
    # A line break at the very start or end of a block prints as a blank line. One at the
    # end of an inline element that text follows ("<b>Heading<br></b>Text") is a line break.
    for br in list(root.iter("br")):
        if br.getparent() is None:
            continue
        if _opens_block(br) or _closes_block(br):
            br.drop_tag()


def _opens_block(element: etree._Element) -> bool:
    while True:
        parent = element.getparent()
        if element.getprevious() is not None or (parent.text or "").strip():
            return False
        if parent.tag in BLOCK_ELEMENTS or parent.getparent() is None:
            return True
        element = parent


def _closes_block(element: etree._Element) -> bool:
    while True:
        if element.getnext() is not None or (element.tail or "").strip():
            return False
        parent = element.getparent()
        if parent.tag in BLOCK_ELEMENTS or parent.getparent() is None:
            return True
        element = parent


# ---------------------------------------------------------------------- text rendering

# Captions print with their pictures but are not body text (nor in what extraction is
# scored against): fragment_text leaves them out.
TEXT_SKIPPED = frozenset({"figcaption", "img"})
# Stands for a <br> while a block's text is gathered (lxml text never holds a NUL).
_LINE_BREAK = "\x00"
TEXT_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre",
                         "caption", "tr", "blockquote", "ul", "ol", "dl", "table", "figure", "hr",
                         "thead", "tbody", "tfoot", "div"})


def _pre_text(pre: etree._Element) -> str:
    """Preformatted text as printed: its line breaks, `<br>`s included, kept."""
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        if element.tag == "br":
            parts.append("\n")
        else:
            parts.append(element.text or "")
            for child in element:
                walk(child)
                parts.append(child.tail or "")

    walk(pre)
    return "".join(parts)


# A script written without parentheses: one word, number or sign ("x^2", "a_k", "A^*").
_BARE_SCRIPT = re.compile(r"[^\W_]+|\S")
# Primes are written as they are: f′, not f^′.
_PRIMES = frozenset("′″‴'")


def _formula_text(element: etree._Element) -> str:
    """A formula written out from MathML (mathml.py) as plain text, its scripts marked as
    plain-text mathematics marks them: `x^2`, `a_k`, `∑_(k=1)^n`, `e^(−x^2)`. Printed, the
    scripts are set as scripts; flattened, "x<sup>2</sup>" would read "x2"."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in ("sup", "sub"):
            script = _SPACE.sub(" ", _formula_text(child)).strip()
            if script and set(script) <= _PRIMES:
                parts.append(script)
            elif script:
                mark = "^" if child.tag == "sup" else "_"
                parts.append(mark + (script if _BARE_SCRIPT.fullmatch(script) else f"({script})"))
        elif child.tag != "br":
            parts.append(_formula_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def fragment_text(root: etree._Element) -> str:
    """Plain text of a clean fragment: blocks separated by blank lines."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = "".join(current)
        current.clear()
        # Only a <br> breaks a line: the source's own line breaks are white space.
        lines = [_SPACE.sub(" ", line).strip() for line in text.split(_LINE_BREAK)]
        joined = "\n".join(line for line in lines if line)
        if joined:
            blocks.append(joined)

    def walk(element: etree._Element, in_pre: bool) -> None:
        tag = element.tag
        if tag in TEXT_SKIPPED:
            return
        if tag == "pre":
            flush()
            blocks.append(_pre_text(element).strip("\n"))
            return
        is_block = tag in TEXT_BLOCKS
        if is_block:
            flush()
        if tag == "br":
            current.append(_LINE_BREAK)
        elif tag in ("td", "th"):
            current.append(" ")
        if tag in ("span", "p") and MATH_CLASS in (element.get("class") or "").split():
            current.append(_formula_text(element))
        else:
            current.append(element.text or "")
            for child in element:
                walk(child, in_pre)
                current.append(child.tail or "")
        if is_block:
            flush()

    walk(root, False)
    flush()
    return "\n\n".join(blocks)
