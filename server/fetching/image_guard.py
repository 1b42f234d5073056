"""Refuse images that would cost the renderer too much before anything decodes them.

`check_image(data_uri_or_bytes) -> bytes | None` takes a `data:` URI (base64 or
percent-encoded) or raw bytes and returns the image bytes when they are a raster image
within the caps below, else None (the caller drops the image). `inspect_image(bytes)
-> ImageInfo` does the same work but raises `ImageRefused(reason)`, for callers that
report why. `filter_images(images)` applies both caps and the per-page count to a
request's `{url: data URI}` map. `install_pillow_limits()` sets Pillow's own
decompression-bomb limit in a process that decodes images (the render workers), as a
second line behind these checks.

Only the header is read (Pillow's `Image.open` without `load`): a 20,000 x 20,000 PNG
of a few kilobytes is refused from its 33-byte IHDR chunk, never inflated to 1.6 GB.
SVG is not accepted: it can reference other resources and run arbitrarily long
layouts, and a page's figures are almost always raster.
"""

from __future__ import annotations

import base64
import binascii
import io
import urllib.parse
import warnings
from dataclasses import dataclass

from PIL import Image

# 25 megapixels holds a 6000 x 4000 camera photo (24 Mpx) yet decodes to at most 100 MB
# of RGBA; a print page needs far less than that.
MAX_PIXELS = 25_000_000
# No printed figure needs a side longer than this; very long thin images are how a
# pixel-count check is dodged (1 x 25,000,000).
MAX_SIDE = 16_384
# Compressed bytes per image: a print-quality photo is rarely 3 MB.
MAX_BYTES = 10 * 1024 * 1024
# Images per document: past this the rest are dropped (galleries are not articles).
MAX_IMAGES = 60
# Characters of a percent-encoded data: URI decoded at a time (see unquote_bounded).
UNQUOTE_SLICE = 64 * 1024
# Formats WeasyPrint draws through Pillow and browsers commonly serve.
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp",
           "BMP": "image/bmp", "TIFF": "image/tiff"}


class ImageRefused(ValueError):
    """The image is not a raster image within the caps; the message says which rule."""


@dataclass(frozen=True)
class ImageInfo:
    mime: str
    width: int
    height: int


def decode_data_uri(uri: str) -> bytes:
    """The bytes of a `data:` URI; ImageRefused when it is not one or is over MAX_BYTES."""
    if not uri[:5].lower() == "data:" or "," not in uri:
        raise ImageRefused("not a data: URI")
    header, payload = uri[5:].split(",", 1)
    if header.lower().endswith(";base64"):
        # Check the size the payload decodes to before decoding it.
        if len(payload) * 3 // 4 > MAX_BYTES + 3:
            raise ImageRefused(f"over {MAX_BYTES} bytes")
        try:
            return base64.b64decode("".join(payload.split()), validate=True)
        except (binascii.Error, ValueError) as error:
            raise ImageRefused(f"invalid base64 ({error})") from None
    if len(payload) > 3 * MAX_BYTES:
        raise ImageRefused(f"over {MAX_BYTES} bytes")
    return unquote_bounded(payload, MAX_BYTES)


def unquote_bounded(payload: str, limit: int) -> bytes:
    """Percent-decoding in slices, refused past `limit` bytes: `unquote_to_bytes` on the
    whole payload splits it at every `%` into one small bytes object each (a 23 MB run of
    `%00` became some 2 GB of objects); here at most one slice's pieces exist at a time."""
    out = bytearray()
    start = 0
    while start < len(payload):
        end = min(len(payload), start + UNQUOTE_SLICE)
        # Never cut an escape in two: move the cut before a `%` in the slice's last two chars.
        cut = payload.rfind("%", max(start, end - 2), end)
        if cut != -1 and end < len(payload):
            end = cut
        out += urllib.parse.unquote_to_bytes(payload[start:end])
        if len(out) > limit:
            raise ImageRefused(f"over {limit} bytes")
        start = end
    return bytes(out)


def inspect_image(data: bytes) -> ImageInfo:
    """The image's type and size, read from its header only; ImageRefused past any cap."""
    if len(data) > MAX_BYTES:
        raise ImageRefused(f"{len(data)} bytes, over the {MAX_BYTES}-byte limit")
    with warnings.catch_warnings():
        # Pillow warns (and past twice its limit, raises) on big images; either is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format, image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused("a decompression bomb (too many pixels)") from None
        except Exception as error:  # Pillow raises many types on garbage; all mean "not an image"
            raise ImageRefused(f"not a readable image ({type(error).__name__})") from None
    if fmt not in FORMATS:
        raise ImageRefused(f"format {fmt} is not printed")
    if width <= 0 or height <= 0 or width > MAX_SIDE or height > MAX_SIDE:
        raise ImageRefused(f"{width} x {height} pixels: a side is over {MAX_SIDE}")
    if width * height > MAX_PIXELS:
        raise ImageRefused(f"{width} x {height} pixels, over the {MAX_PIXELS:,}-pixel limit")
    return ImageInfo(FORMATS[fmt], width, height)


def check_image(data_uri_or_bytes: str | bytes) -> bytes | None:
    """The image bytes when they pass every cap, else None."""
    try:
        data = (decode_data_uri(data_uri_or_bytes) if isinstance(data_uri_or_bytes, str)
                else bytes(data_uri_or_bytes))
        inspect_image(data)
    except ImageRefused:
        return None
    return data


def to_data_uri(data: bytes, info: ImageInfo) -> str:
    return f"data:{info.mime};base64,{base64.b64encode(data).decode('ascii')}"


def filter_images(images: dict[str, str], limit: int = MAX_IMAGES) -> dict[str, str]:
    """The first `limit` entries of a `{url: data URI}` map whose images pass, re-encoded
    with the type their header shows (a mislabelled type cannot steer the renderer)."""
    kept: dict[str, str] = {}
    for url, uri in images.items():
        if len(kept) >= limit:
            break
        if not isinstance(url, str) or not isinstance(uri, str):
            continue
        try:
            data = decode_data_uri(uri)
            kept[url] = to_data_uri(data, inspect_image(data))
        except ImageRefused:
            continue
    return kept


def install_pillow_limits() -> None:
    """Make Pillow itself refuse bombs in this process (call once in each render worker):
    past MAX_PIXELS it warns, and the warning is made an error, which WeasyPrint treats
    as an image that failed to load (it leaves the image out)."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)
