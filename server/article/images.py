"""Lazy images made real: which address an `<img>` shows once the page's scripts have run.

In: an lxml `<img>` element, the page's base URL and the set of image URLs whose bytes
the extension captured. Out: the absolute URL best for print, or None when the element
is a placeholder, a tracking pixel or has no usable address.

Pages defer images in many ways: `data-src`-style attributes, `srcset` on the image or
on `<source>` siblings inside `<picture>`, and `<noscript>` copies for readers without
scripts. `resolve_images(root, ...)` rewrites a whole tree (one the caller owns) so that
every image keeps a single absolute `src`, and drops the ones that show nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from server.article import lazy_attributes

# Widest candidate worth fetching for print: an A4 text column at 300 dpi is about
# 2000 px, so anything wider only costs bytes and render time.
PRINT_WIDTH_PX = 2000
# Attributes lazy-loading libraries put the real address in, most specific first: the
# list the extension's capture uses too (server/article/lazy_attributes.py); a plain
# `srcset` comes after the lazy ones, which hold the real picture when both are there.
LAZY_SRC_ATTRIBUTES = lazy_attributes.LAZY_SRC_ATTRIBUTES
LAZY_SRCSET_ATTRIBUTES = (*lazy_attributes.LAZY_SRCSET_ATTRIBUTES, "srcset")
# Image formats WeasyPrint can draw; `<source type=...>` offering anything else is skipped.
PRINTABLE_TYPES = ("image/jpeg", "image/jpg", "image/png", "image/gif", "image/webp", "image/svg+xml")
# A data: URI this short is a spacer or blur placeholder, never the picture itself.
PLACEHOLDER_DATA_URI_CHARS = 400
# Pixels at or under this size in either dimension are trackers or spacers.
TRACKER_PX = 2



def parse_srcset(srcset: str) -> list[tuple[str, float, str]]:
    """`"a.jpg 640w, b.jpg 1280w"` -> [("a.jpg", 640, "w"), ("b.jpg", 1280, "w")]."""
    out: list[tuple[str, float, str]] = []
    # A URL may itself contain commas (image CDNs: "w_400,h_300"), so split only after a
    # descriptor ("640w,") or at a comma followed by white space.
    for part in re.split(r"(?<=\d[wxh]),\s*|,\s+(?=\S)", srcset.strip()):
        bits = part.strip().split()
        if not bits:
            continue
        url, value, unit = bits[0].rstrip(","), 1.0, "x"
        if len(bits) > 1:
            match = re.fullmatch(r"([\d.]+)([wxh])", bits[1].lower())
            if match:
                try:
                    value, unit = float(match.group(1)), match.group(2)
                except ValueError:
                    continue
        out.append((url, value, unit))
    return out


def pick_for_print(candidates: list[tuple[str, float, str]]) -> str | None:
    """The widest candidate up to PRINT_WIDTH_PX (the narrowest above it when none fits);
    density descriptors pick the highest density up to 3x."""
    widths = [c for c in candidates if c[2] == "w"]
    if widths:
        fitting = [c for c in widths if c[1] <= PRINT_WIDTH_PX]
        chosen = max(fitting, key=lambda c: c[1]) if fitting else min(widths, key=lambda c: c[1])
        return chosen[0]
    densities = [c for c in candidates if c[2] == "x"]
    if densities:
        fitting = [c for c in densities if c[1] <= 3] or densities
        return max(fitting, key=lambda c: c[1])[0]
    return candidates[0][0] if candidates else None


def is_placeholder(url: str) -> bool:
    url = url.strip()
    if not url or url.startswith(("#", "about:", "javascript:")):
        return True
    if url.startswith("data:"):
        return len(url) < PLACEHOLDER_DATA_URI_CHARS or not url.startswith("data:image/")
    return False


def _is_tracker(img: lxml_html.HtmlElement) -> bool:
    for name in ("width", "height"):
        value = (img.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= TRACKER_PX:
            return True
    style = (img.get("style") or "").replace(" ", "").lower()
    return "display:none" in style and not any(img.get(a) for a in LAZY_SRC_ATTRIBUTES)


def _absolute(url: str, base_url: str) -> str | None:
    url = url.strip()
    if url.startswith("data:"):
        return url
    try:
        absolute = urljoin(base_url, url)
    except ValueError:
        return None
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def best_src(img: lxml_html.HtmlElement, base_url: str, captured: Collection[str] = ()) -> str | None:
    """The absolute URL this `<img>` should print with, or None (placeholder, tracker)."""
    if _is_tracker(img):
        return None
    srcset_candidates: list[tuple[str, float, str]] = []
    picture = _picture_of(img)
    if picture is not None:
        for source in picture.iter("source"):
            kind = (source.get("type") or "").lower()
            if kind and kind not in PRINTABLE_TYPES:
                continue
            for attr in LAZY_SRCSET_ATTRIBUTES:
                if source.get(attr):
                    srcset_candidates += parse_srcset(source.get(attr, ""))
                    break
    for attr in LAZY_SRCSET_ATTRIBUTES:
        if img.get(attr):
            srcset_candidates += parse_srcset(img.get(attr, ""))
            break
    singles = [img.get(a, "") for a in LAZY_SRC_ATTRIBUTES] + [img.get("src", "")]
    singles = [s for s in singles if s and not is_placeholder(s) and not s.lstrip().startswith(("{", "["))]

    def absolute_all(cands: list[tuple[str, float, str]]) -> list[tuple[str, float, str]]:
        out = []
        for url, value, unit in cands:
            if is_placeholder(url):
                continue
            resolved = _absolute(url, base_url)
            if resolved:
                out.append((resolved, value, unit))
        return out

    # Bytes the browser already captured beat any better-sized address that would need
    # a fetch the renderer is not allowed to make.
    if captured:
        srcset_abs = absolute_all(srcset_candidates)
        in_hand = [c for c in srcset_abs if c[0] in captured]
        if in_hand:
            return pick_for_print(in_hand)
        for url in (_absolute(s, base_url) for s in singles):
            if url and url in captured:
                return url
        if srcset_abs:
            return pick_for_print(srcset_abs)
    elif srcset_candidates:
        # Resolving addresses is most of the work here, and only the chosen one is needed:
        # when it resolves, it is also the choice among those that resolve (pick_for_print
        # goes by size and order alone); when it does not, all are resolved.
        chosen = pick_for_print([c for c in srcset_candidates if not is_placeholder(c[0])])
        resolved = _absolute(chosen, base_url) if chosen is not None else None
        if resolved:
            return resolved
        srcset_abs = absolute_all(srcset_candidates)
        if srcset_abs:
            return pick_for_print(srcset_abs)
    return next((url for url in (_absolute(s, base_url) for s in singles) if url), None)


def resolve_images(root: lxml_html.HtmlElement, base_url: str, captured: Collection[str] = ()) -> None:
    """Rewrites `root` in place (a tree the caller parsed for itself): each `<img>` gets
    its print URL in `src` with lazy attributes gone; placeholders and trackers go; a
    `<noscript>` image replaces the placeholder it stands in for; `<picture>` collapses
    to its `<img>`."""
    for noscript in list(root.iter("noscript")):
        images = list(noscript.iter("img"))
        if not images:
            continue
        parent = noscript.getparent()
        if parent is None:
            continue
        # The scripted twin usually sits right before the noscript, sometimes inside a
        # wrapper; a twin that already resolves to a real address makes the copy redundant.
        twin = _neighbour_img(noscript)
        if twin is not None and best_src(twin, base_url, captured):
            noscript.drop_tree()
            continue
        if twin is not None:
            twin.drop_tree()
        index = parent.index(noscript)
        tail = noscript.tail
        parent.remove(noscript)
        for offset, image in enumerate(images):
            image.tail = None
            parent.insert(index + offset, image)
        if images:
            images[-1].tail = tail
    for img in list(root.iter("img")):
        src = best_src(img, base_url, captured)
        picture = _picture_of(img)
        if src is None:
            img.drop_tree()
            continue
        for attr in (*LAZY_SRC_ATTRIBUTES, *LAZY_SRCSET_ATTRIBUTES, "sizes", "data-sizes"):
            img.attrib.pop(attr, None)
        img.set("src", src)
        if picture is not None:
            # lxml's HTML parser nests what follows a <source> inside it: unwrap, keep the img.
            for source in list(picture.iter("source")):
                source.drop_tag()
            picture.drop_tag()


def _picture_of(img: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The `<picture>` an image belongs to (through any `<source>` the parser nested it in)."""
    parent = img.getparent()
    while parent is not None and parent.tag == "source":
        parent = parent.getparent()
    return parent if parent is not None and parent.tag == "picture" else None


def _neighbour_img(noscript: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    previous = noscript.getprevious()
    if previous is not None:
        if previous.tag == "img":
            return previous
        found = next(iter(previous.iter("img")), None) if previous.tag in ("picture", "span", "div", "a") else None
        if found is not None:
            return found
    parent = noscript.getparent()
    if parent is not None:
        siblings = [c for c in parent if c is not noscript and c.tag == "img"]
        if len(siblings) == 1:
            return siblings[0]
    return None
