"""Tables that are boxes, not tables: `unbox_tables(body)`, in place, on the typesetter's
own copy of the article body (an lxml tree), before the allow-list and the images.

Pages put things in a table of one column to draw a frame or centre them: a code sample
in a one-cell table, a call-out box, and (Blogger and many CMSs) a picture in one row with
its caption in the row below. Printed as a table, each is a grid: a rule under every
cell, the caption in table type, a picture that cannot move to the next page with its
caption the way a figure does (figures.py). A table with no header cell, no table inside
it and at most one cell in every row holds no data to read across, so it prints as what
it holds:

- a picture cell (pictures and links only, no text) followed by cells of text is a
  `<figure>` with the text as its `<figcaption>`; when the picture is not printed, the
  figure goes with its caption, like any other (typeset.py);
- anything else becomes ordinary flow, cell after cell: the blocks a cell holds stay
  blocks, its loose text and inline elements become paragraphs.

A data table of one column keeps its header cell (`<th>`) and stays a table.
"""

from __future__ import annotations

from lxml import etree

from server.article.tree import drop, text_of

# What a cell may hold that is a block of its own in the flow (anything else is inline).
BLOCKS = frozenset({"p", "div", "ul", "ol", "dl", "pre", "blockquote", "figure", "table", "hr",
                    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "aside", "header", "footer",
                    "address", "details", "center"})
# A caption is a line or two; more text under a picture is an article laid out beside it.
CAPTION_WORDS = 80


def unbox_tables(body: etree._Element) -> None:
    for table in list(body.iter("table")):
        if table.getparent() is None or not _is_box(table):
            continue
        cells = _cells(table)
        figure = _as_figure(cells)
        blocks = [figure] if figure is not None else [b for cell in cells for b in _blocks_of(cell)]
        for block in blocks:
            block.tail = "\n"
            table.addprevious(block)
        drop(table)


def _rows(table: etree._Element) -> list[etree._Element]:
    return [row for row in table.iter("tr") if next(row.iterancestors("table"), None) is table]


def _cells(table: etree._Element) -> list[etree._Element]:
    return [cell for row in _rows(table) for cell in row if cell.tag in ("td", "th")]


def _is_box(table: etree._Element) -> bool:
    rows = _rows(table)
    if not rows or table.find(".//th") is not None or table.find(".//table") is not None:
        return False
    return all(sum(1 for cell in row if cell.tag in ("td", "th")) <= 1 for row in rows)


def _is_picture(cell: etree._Element) -> bool:
    return cell.find(".//img") is not None and not text_of(cell).strip() and \
        all(e.tag in ("img", "a", "span", "br", "p", "picture", "source") for e in cell.iterdescendants()
            if isinstance(e.tag, str))


def _as_figure(cells: list[etree._Element]) -> etree._Element | None:
    """A figure of a picture cell and the caption cells below it, or None."""
    if len(cells) < 2 or not _is_picture(cells[0]):
        return None
    captions = cells[1:]
    words = sum(len(text_of(c, " ").split()) for c in captions)
    if not 0 < words <= CAPTION_WORDS or any(c.find(".//img") is not None for c in captions) or \
            any(e.tag in BLOCKS and e.tag != "p" for c in captions for e in c.iterdescendants()):
        return None
    figure = etree.Element("figure")
    _move_content(cells[0], figure)
    caption = etree.SubElement(figure, "figcaption")
    for cell in captions:
        for p in list(cell.iter("p")):
            p.tag = "span"  # a caption is one run of text
            p.tail = " " + (p.tail or "")
        if len(caption) or caption.text:
            _append_text(caption, " ")
        _move_content(cell, caption)
    return figure


def _blocks_of(cell: etree._Element) -> list[etree._Element]:
    """What the cell holds as blocks: its own blocks, and its loose text and inline
    elements gathered into paragraphs."""
    blocks: list[etree._Element] = []
    paragraph: etree._Element | None = None

    def inline(piece: str | etree._Element) -> None:
        nonlocal paragraph
        if paragraph is None:
            if isinstance(piece, str) and not piece.strip():
                return
            paragraph = etree.Element("p")
            blocks.append(paragraph)
        if isinstance(piece, str):
            _append_text(paragraph, piece)
        else:
            paragraph.append(piece)

    text, cell.text = cell.text or "", None
    inline(text)
    for child in list(cell):
        tail, child.tail = child.tail or "", None
        if isinstance(child.tag, str) and child.tag in BLOCKS:
            blocks.append(child)
            paragraph = None
        else:
            inline(child)
        inline(tail)
    return blocks


def _move_content(source: etree._Element, target: etree._Element) -> None:
    """Appends what `source` holds (text and children, with their tails) to `target`."""
    _append_text(target, source.text or "")
    source.text = None
    for child in list(source):
        target.append(child)


def _append_text(element: etree._Element, text: str) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text
