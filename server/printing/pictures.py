"""Pictures set inside a paragraph's text: `lift_pictures(body)`, in place, on the
typesetter's own copy of the article body (an lxml tree) once its images are `data:` URIs.

On the web a photograph that opens (or closes) a paragraph usually floats beside its text.
On paper, inline, it stands on the first line's baseline: the line becomes as tall as the
picture, and since a line never breaks across pages, the picture and that line move to the
next page together and leave the page before it half empty (a portrait opening a
paragraph did this to page 1 of a bench article). Lifted out into a paragraph of its own,
before (or after) the text, the picture is set like a figure and can wait for the next
page while the text goes on (figures.py).

Every paragraph that then holds a picture and no text gets the class `picture`, which
print.css sets like a figure (a CSS selector cannot tell a paragraph holding only an
image from one where an image stands in the text: `p > img:only-child` matched both, and
set an icon opening a line of text as a block of its own above it).

Only pictures are lifted: an image at least PICTURE_PX pixels wide or high (by its
`width`/`height` attributes, else by its bytes). Small images (icons, formula images,
emoji as pictures) stay in the line, and so does any image with text on both sides.
"""

from __future__ import annotations

import base64
import binascii
import io

from lxml import etree

from server.article.tree import text_of

# Smaller than this (in CSS pixels, both ways) an image is a glyph in the line, not a picture.
PICTURE_PX = 200
PICTURE_CLASS = "picture"
# What may wrap a picture at a paragraph's edge and go with it.
WRAPPERS = frozenset({"a", "span", "picture"})


def lift_pictures(body: etree._Element) -> None:
    for paragraph in list(body.iter("p")):
        if paragraph.getparent() is None or not text_of(paragraph).strip():
            continue  # a paragraph holding only a picture is set like a figure already
        first = _edge(paragraph, last=False)
        if first is not None:
            _move_out(paragraph, first, before=True)
        last = _edge(paragraph, last=True)
        if last is not None:
            _move_out(paragraph, last, before=False)
    for paragraph in body.iter("p"):
        if paragraph.find(".//img") is not None and not text_of(paragraph).strip():
            paragraph.set("class", PICTURE_CLASS)


def _edge(paragraph: etree._Element, last: bool) -> etree._Element | None:
    """The picture (with its wrappers) that opens (or closes) the paragraph's text, or None."""
    if len(paragraph) == 0:
        return None
    child = paragraph[-1] if last else paragraph[0]
    if (child.tail if last else paragraph.text) and (child.tail if last else paragraph.text).strip():
        return None  # text comes first (or last)
    if not isinstance(child.tag, str):
        return None
    images = [child] if child.tag == "img" else list(child.iter("img"))
    if len(images) != 1 or (child.tag != "img" and (child.tag not in WRAPPERS or text_of(child).strip())):
        return None
    return child if _is_picture(images[0]) else None


def _is_picture(img: etree._Element) -> bool:
    sizes = [_pixels(img.get("width")), _pixels(img.get("height"))]
    if any(s is not None for s in sizes):
        return any(s is not None and s >= PICTURE_PX for s in sizes)
    width, height = _intrinsic(img.get("src", ""))
    return max(width, height) >= PICTURE_PX


def _pixels(value: str | None) -> int | None:
    try:
        return int(float(str(value).strip().removesuffix("px")))
    except (TypeError, ValueError):
        return None


def _intrinsic(src: str) -> tuple[int, int]:
    """The size of a `data:` image from its header (0, 0 when it cannot be read)."""
    from PIL import Image, UnidentifiedImageError

    header, _, data = src.partition(",")
    if not header.startswith("data:") or ";base64" not in header:
        return 0, 0
    try:
        with Image.open(io.BytesIO(base64.b64decode(data))) as image:
            return image.size
    except (binascii.Error, ValueError, OSError, UnidentifiedImageError):
        return 0, 0


def _move_out(paragraph: etree._Element, picture: etree._Element, before: bool) -> None:
    """The picture in a paragraph of its own, before or after `paragraph`; the text that
    followed the picture stays in the paragraph."""
    tail, picture.tail = picture.tail, None
    if before:
        paragraph.text = (tail or "").lstrip() or None
    else:
        previous = picture.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "").rstrip() or None
        else:
            paragraph.text = (paragraph.text or "").rstrip() or None
    alone = etree.Element("p")
    alone.append(picture)
    if before:
        alone.tail = "\n"
        paragraph.addprevious(alone)
    else:
        alone.tail, paragraph.tail = paragraph.tail, "\n"
        paragraph.addnext(alone)
