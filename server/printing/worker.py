"""The worker's side of the pool: print jobs (server.printing.job) inside a worker process.

`render_pdf(html, font_config)` is the plain synchronous `typeset HTML -> PDF bytes`;
`worker_main(conn, ...)` is the loop a worker process runs: use its own temporary
directory, cap its own address space, warm WeasyPrint up, then answer PrintJob messages
on a pipe until the pipe closes or a None arrives, each with one reply:
`("ok", JobResult)`, `("problem", GlossError)` (the answer's status and detail),
`("pages", n)` past the page cap, `("memory", why)` (the worker then exits) or
`("error", why)` for anything unexpected. The parent (render.py) owns the clock, kills
a worker that overruns, and removes the worker's temporary directory when it ends.

Fonts: `GlossFonts` is WeasyPrint's font configuration admitting only `@font-face`
rules whose every source is one of Gloss's own font files. A document (or an SVG
inside it) cannot add a font, so it cannot rename one for the documents after it in the
same worker, and the one configuration can be kept warm across jobs (a fresh one per
job doubled the render time of the seed article: 0.25 s -> 0.53 s).

WeasyPrint gets `LockedFetcher` as its URL fetcher: `data:` URIs and our own font files
(`gloss-font:<name>` from fonts/), nothing else: no http, no file:. The typeset HTML
carries its images as data: URIs, so a render never touches the network.
"""

from __future__ import annotations

import base64
import gc
import logging
import os
import resource
import tempfile
from functools import lru_cache
from urllib.parse import unquote_to_bytes

import cssselect2
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from server.errors import GlossError
from server.fetching.image_guard import install_pillow_limits
from server.printing.figures import lay_out
from server.printing.language import detect_language
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


class GlossFonts(FontConfiguration):
    """A font configuration that takes `@font-face` rules from Gloss's own fonts only."""

    def add_font_face(self, rule_descriptors, url_fetcher):
        sources = rule_descriptors.get("src") or ()
        if not sources or not all(kind == "external" and isinstance(url, str) and url.startswith(FONT_SCHEME)
                                  for kind, url in sources):
            return None  # a document's own font (data:, local(), any URL) is ignored
        return super().add_font_face(rule_descriptors, url_fetcher)


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
    page = HTML(string=html, url_fetcher=LockedFetcher(), media_type="print")

    def relay():
        # The tree WeasyPrint parsed, changed in place: laid out again without a second parse.
        page.wrapper_element = cssselect2.ElementWrapper.from_html_root(page.etree_element, content_language=None)
        return page.render(font_config=font_config)

    # A figure or landscape table that left a quarter of a page empty lets the text go
    # on first (figures.py): more layouts only for such documents.
    document = lay_out(page.etree_element, page.render(font_config=font_config), relay)
    pages = len(document.pages)
    if max_pages and pages > max_pages:
        raise TooManyPages(pages)
    return document.write_pdf(pdf_variant=pdf_variant), pages


def warm_up(font_config: FontConfiguration) -> None:
    """One small render so the first real request does not pay for imports and font loading."""
    html = (f"<html lang='en'><head><style>{stylesheet()}</style></head><body><h1>Gloss</h1>"
            "<p>Warm <i>up</i> <b>once</b>. Ключ κλειδί 열쇠 鍵 مفتاح</p></body></html>")
    render_pdf(html, font_config)
    # The language detector's model, loaded now rather than on the first page without a lang.
    detect_language("Gloss warms up its language detector once, before the first print.")


def cap_address_space(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def use_temporary_directory(path: str | None) -> None:
    """Everything this process writes to temporary files goes under `path`, a directory
    the parent made for this worker and removes when the worker ends, however it ends
    (WeasyPrint keeps a font folder per font configuration: `weasyprint-*`)."""
    if path:
        os.environ["TMPDIR"] = path
        tempfile.tempdir = path


def worker_main(conn, memory_mb: int, max_pages: int, settings=None, resolver=None,
                temporary_directory: str | None = None) -> None:
    """Runs in the worker process until its pipe closes or a None job arrives."""
    from server.printing.job import JobContext
    from server.settings import Settings

    use_temporary_directory(temporary_directory)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused fetches are expected
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    cap_address_space(memory_mb)
    install_pillow_limits()
    settings = settings or Settings(render_max_pages=max_pages)
    context = JobContext(settings, resolver=resolver, font_config=GlossFonts())
    try:
        warm_up(context.font_config)
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
            conn.send(_run(job, context))
            continue
        except (EOFError, OSError):
            return
        except MemoryError:
            job = None  # reported below, once the failed job's objects are gone
        del reserve
        gc.collect()
        conn.send(("memory", f"the job needed more than the {memory_mb} MiB a print may use"))
        return  # a process that ran out of memory is not trusted with the next job


def _run(job, context) -> tuple:
    """One job's reply; MemoryError is left to the caller, which must free memory first."""
    from server.printing.job import run_job

    try:
        return ("ok", run_job(job, context))
    except MemoryError:
        raise
    except TooManyPages as error:
        return ("pages", error.pages)
    except GlossError as error:
        return ("problem", error)
    except RecursionError:
        return ("error", "the document is nested too deeply to lay out")
    except SystemError as error:
        # Under the address-space cap, C code can fail an allocation without setting
        # MemoryError; CPython then reports a SystemError. Near the cap, that is what it was.
        if near_address_space_cap():
            raise MemoryError(str(error)) from None
        return ("error", f"{type(error).__name__}: {error}")
    except Exception as error:  # reported to the parent, which answers 500
        return ("error", f"{type(error).__name__}: {error}")


def near_address_space_cap(margin: float = 0.15) -> bool:
    """Whether this process's address space is within `margin` of its RLIMIT_AS."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return False
    return size >= soft * (1 - margin)
