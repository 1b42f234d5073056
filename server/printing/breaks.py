"""Line breaks and empty blocks as a typesetter would leave them: `tidy_breaks(body)`,
in place, on the typesetter's own copy of the article body (an lxml tree).

Pages written in a WYSIWYG editor (Blogger, many CMSs) make paragraphs out of line
breaks: `text<br><br>text`, a `<br>` opening or closing a paragraph, a paragraph left
holding nothing but a link once its image is gone (the print leaves out what it could
not fetch or would not print). On paper each of these is a blank line or a hole in the
text. So:

- a run of two or more `<br>` inside a paragraph ends it and starts the next one;
- a `<br>` with nothing but white space (or other such breaks) before it or after it
  in its block is dropped: it breaks no line, it only adds one;
- a paragraph with no text and no image left in it is dropped;
- white space at the end of a block's last line, and before a `<br>`, is removed.
  CSS collapses it there anyway, but WeasyPrint measures it: a last line that fits only
  without its trailing space is broken at the first hyphenation point of its first word,
  leaving a line that holds one piece of a word ("gu-" / "ably even ...").

A single `<br>` between two runs of text (an address, a poem, a signature) stays.
"""

from __future__ import annotations

from lxml import etree

from server.article.tree import drop, text_of

# Blocks whose first and last line a stray <br> would leave blank.
BLOCKS = frozenset({"p", "li", "dd", "dt", "td", "th", "blockquote", "figcaption", "caption",
                    "h1", "h2", "h3", "h4", "h5", "h6"})
# Where a line ends for good: the end of these (their last line is their own), and the
# start of one nested in an inline run's block. Text set verbatim keeps its spaces.
LINE_BLOCKS = BLOCKS | {"div", "address", "summary"}
NOT_INLINE = LINE_BLOCKS | {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "pre", "figure",
                            "hr", "section", "article", "aside", "header", "footer", "details", "br", "img"}
VERBATIM = frozenset({"pre", "code", "kbd", "samp"})


def tidy_breaks(body: etree._Element) -> None:
    for paragraph in list(body.iter("p")):
        _split_at_blank_lines(paragraph)
    for br in list(body.iter("br")):
        parent = br.getparent()
        if parent is not None and parent.tag in BLOCKS and (_blank_before(br) or _blank_after(br)):
            drop(br)
    for paragraph in list(body.iter("p")):
        if paragraph.getparent() is not None and not text_of(paragraph).strip() \
                and paragraph.find(".//img") is None:
            drop(paragraph)
    for block in body.iter(*LINE_BLOCKS):
        _trim_end(block)
    for br in body.iter("br"):
        _trim_before(br)


def _verbatim(element: etree._Element) -> bool:
    return element.tag in VERBATIM or any(a.tag in VERBATIM for a in element.iterancestors())


def _trim_end(element: etree._Element) -> bool:
    """Removes the white space that ends what `element` holds, up to its last text, in
    place; True once text (or a picture, a break, a block) ends it."""
    if _verbatim(element):
        return True
    for child in reversed(element):
        if child.tail:
            child.tail = child.tail.rstrip() or None
            if child.tail:
                return True
        if not isinstance(child.tag, str):
            continue
        if child.tag in NOT_INLINE or _trim_end(child):
            return True
    if element.text:
        element.text = element.text.rstrip() or None
    return bool(element.text)


def _trim_before(br: etree._Element) -> None:
    """Removes the white space that ends the line a `<br>` breaks."""
    previous = br.getprevious()
    if previous is None:
        parent = br.getparent()
        if parent is not None and parent.text and not _verbatim(parent):
            parent.text = parent.text.rstrip() or None
        return
    if previous.tail:
        if _verbatim(previous.getparent()):
            return
        previous.tail = previous.tail.rstrip() or None
        if previous.tail:
            return
    if isinstance(previous.tag, str) and previous.tag not in NOT_INLINE:
        _trim_end(previous)


def _is_break(node: etree._Element) -> bool:
    return node.tag == "br" and not (node.tail or "").strip()


def _blank_before(br: etree._Element) -> bool:
    parent = br.getparent()
    if (parent.text or "").strip():
        return False
    for sibling in br.itersiblings(preceding=True):
        if not _is_break(sibling):
            return False
    return True


def _blank_after(br: etree._Element) -> bool:
    if (br.tail or "").strip():
        return False
    return all(_is_break(sibling) for sibling in br.itersiblings())


def _split_at_blank_lines(paragraph: etree._Element) -> None:
    """`<p>a<br><br>b</p>` -> `<p>a</p><p>b</p>`, for every run of two or more breaks."""
    children = list(paragraph)
    runs: list[tuple[int, int]] = []  # [first, last] indexes of each run of breaks
    index = 0
    while index < len(children):
        end = index
        while end < len(children) and children[end].tag == "br" and \
                (end == index or not (children[end - 1].tail or "").strip()):
            end += 1
        if end - index >= 2:
            runs.append((index, end - 1))
        index = max(end, index + 1)
    if not runs:
        return
    parent = paragraph.getparent()
    if parent is None:
        return
    tail, paragraph.tail = paragraph.tail, "\n"
    position = parent.index(paragraph)
    for first, last in reversed(runs):
        following = children[last + 1:]
        new = etree.Element("p", {k: v for k, v in paragraph.attrib.items() if k != "id"})
        new.text = children[last].tail
        for child in following:
            new.append(child)  # moves it, with its tail
        for br in children[first:last + 1]:
            paragraph.remove(br)
        children = children[:first]
        new.tail = "\n"
        parent.insert(position + 1, new)
    # The text that followed the paragraph now follows the last of its parts.
    parent[position + len(runs)].tail = tail
