"""The renderer's side of the pool: `typeset HTML -> PDF bytes`, inside a worker process.

`render_pdf(html, font_config)` is the plain synchronous function; `worker_main(conn,
...)` is the loop a worker process runs: cap its own address space, warm WeasyPrint
up, then answer `(html,)` jobs on a pipe with `("ok", pdf, pages)` or an error tuple
until the pipe closes. The parent (render.py) owns the clock and kills a worker that
overruns; this side only reports what it can (MemoryError, too many pages).

WeasyPrint gets `LockedFetcher` as its URL fetcher: `data:` URIs and our own font files
(`gloss-font:<name>` from fonts/), nothing else: no http, no file:. The typeset HTML
carries its images as data: URIs, so a render never touches the network.
"""

from __future__ import annotations

import base64
import gc
import logging
import resource
import time
from functools import lru_cache
from urllib.parse import unquote_to_bytes

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from server.fetching.image_guard import install_pillow_limits
from server.printing.typeset import FONT_SCHEME, FONTS_DIR, stylesheet

# PDF/UA-1: tagged PDF (structure tree, /Lang, alt texts) plus the UA identification
# in the XMP metadata; WeasyPrint 70 supports it directly. Its cost is measured by
# bench/print_latency.py (tagged vs untagged bare renders).
PDF_VARIANT = "pdf/ua-1"
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
MEMORY_RESERVE = 8 * 1024 * 1024


class TooManyPages(Exception):
    def __init__(self, pages: int) -> None:
        super().__init__(pages)
        self.pages = pages


class LockedFetcher(URLFetcher):
    """Serves data: URIs and Gloss's font files; refuses every other URL."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:  # noqa: ARG002 - WeasyPrint's signature
        if url.startswith("data:"):
            mime, body = decode_data_uri(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime})
        if url.startswith(FONT_SCHEME):
            return URLFetcherResponse(url, font_bytes(url[len(FONT_SCHEME):]),
                                      {"Content-Type": "font/ttf"})
        raise ValueError(f"the renderer fetches nothing but data: URIs and its own fonts: {url[:80]}")


def decode_data_uri(url: str) -> tuple[str, bytes]:
    header, sep, payload = url[5:].partition(",")
    if not sep:
        raise ValueError("malformed data: URI")
    params = header.split(";")
    mime = params[0] or "text/plain"
    if "base64" in params[1:]:
        return mime, base64.b64decode(payload + "=" * (-len(payload) % 4))
    return mime, unquote_to_bytes(payload)


@lru_cache(maxsize=16)
def font_bytes(name: str) -> bytes:
    # Only a bare file name of a font that ships in fonts/: no path can be smuggled in.
    path = FONTS_DIR / name
    if "/" in name or "\\" in name or name.startswith(".") or not name.endswith(FONT_SUFFIXES) \
            or path.parent != FONTS_DIR or not path.is_file():
        raise ValueError(f"not a Gloss font: {name!r}")
    return path.read_bytes()


def render_pdf(html: str, font_config: FontConfiguration, *, max_pages: int = 0,
               pdf_variant: str | None = PDF_VARIANT) -> tuple[bytes, int]:
    """Renders one typeset document; returns the PDF and its page count."""
    document = HTML(string=html, url_fetcher=LockedFetcher(), media_type="print").render(
        font_config=font_config)
    pages = len(document.pages)
    if max_pages and pages > max_pages:
        raise TooManyPages(pages)
    return document.write_pdf(pdf_variant=pdf_variant), pages


def warm_up(font_config: FontConfiguration) -> None:
    """One small render so the first real request does not pay for imports and font loading."""
    html = (f"<html lang='en'><head><style>{stylesheet()}</style></head><body><h1>Gloss</h1>"
            "<p>Warm <i>up</i> <b>once</b>. Ключ κλειδί 열쇠 鍵 مفتاح</p></body></html>")
    render_pdf(html, font_config)


def cap_address_space(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def worker_main(conn, memory_mb: int, max_pages: int) -> None:
    """Runs in the worker process until its pipe closes or a None job arrives."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused fetches are expected
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    cap_address_space(memory_mb)
    install_pillow_limits()
    font_config = FontConfiguration()
    try:
        warm_up(font_config)
    except MemoryError:
        conn.send(("memory", "the render memory cap leaves no room to start WeasyPrint"))
        return
    conn.send(("ready",))
    # Headroom set aside now and released on MemoryError, so the worker can still say why.
    reserve = bytearray(MEMORY_RESERVE)
    while True:
        try:
            job = conn.recv()
            if job is None:
                return
            conn.send(_render_job(job[0], font_config, max_pages))
            continue
        except (EOFError, OSError):
            return
        except MemoryError:
            job = None  # reported below, once the failed render's objects are gone
        del reserve
        gc.collect()
        conn.send(("memory", f"the render needed more than the {memory_mb} MiB a render may use"))
        return  # a process that ran out of memory is not trusted with the next job


def _render_job(html: str, font_config: FontConfiguration, max_pages: int) -> tuple:
    """One job's reply; MemoryError is left to the caller, which must free memory first."""
    started = time.perf_counter()
    try:
        pdf, pages = render_pdf(html, font_config, max_pages=max_pages)
    except MemoryError:
        raise
    except TooManyPages as error:
        return ("pages", error.pages)
    except Exception as error:  # reported to the parent, which answers 500
        return ("error", f"{type(error).__name__}: {error}")
    return ("ok", pdf, pages, time.perf_counter() - started)
