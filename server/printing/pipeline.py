"""The print pipeline: `PrintRequest -> PDF`, joining fetch, extraction, typesetting and rendering.

    parse_request(json, accept_language) -> PrintRequest     (400/422 on bad input)
    await preview(request, fetcher, dictionary=...)  -> Typeset(article, html)
    await print_pdf(request, fetcher, pool, cache, dictionary=..., gate=..., threads=...)
        -> Printed(pdf, title, cached)

`preview` is exactly what `print_pdf` renders. Steps that cost CPU (extraction,
typesetting) run in threads, rendering in the pool's processes, so the event loop only
waits. The server passes `threads`, a pool as small as the render pool: a thread cannot
be stopped, so the number of them extracting at once is what bounds a hostile page's
cost. `print_pdf` takes a slot of `gate` (server.printing.admission) for everything after
the cache look-up, so a cached print is answered even when the server is full. Images the request did not carry are fetched through the server's guarded
fetcher (a bounded number, concurrently; a failure just leaves that image out), so the
renderer itself needs no network. Identical requests are answered from the cache.
With `options.glossary`, the extracted article becomes a new one carrying its glossary
(server.glossary, dictionary look-ups in a thread) before it is typeset.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import re
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from server.article.model import Article, Page
from server.errors import BadRequest, GlossError, Unprocessable, UpstreamError
from server.fetching.image_guard import filter_images
from server.printing.admission import PrintGate
from server.printing.cache import CachedPrint, PrintCache
from server.printing.options import PrintOptions, parse_options
from server.printing.render import RenderPool
from server.printing.typeset import DATA_IMAGE, typeset

# Images fetched at once for one print: enough to hide latency, few enough not to
# look like a flood to the site.
IMAGE_FETCH_CONCURRENCY = 4
KNOWN_FIELDS = frozenset({"url", "html", "images", "options"})
IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)


class Fetcher(Protocol):
    async def fetch_page(self, url: str) -> Page: ...
    async def fetch_image(self, url: str) -> str: ...


@dataclass(frozen=True)
class PrintRequest:
    url: str
    options: PrintOptions
    html: str | None = None
    images: dict[str, str] = field(default_factory=dict)

    def cache_key(self) -> str:
        """A digest of everything that changes the PDF, independent of JSON key order."""
        digest = hashlib.sha256()  # the fastest digest here (CPU SHA extensions): ~0.5 ms per MiB
        for part in (self.url, json.dumps(self.options.to_json(), sort_keys=True),
                     "\x00" if self.html is None else "\x01" + self.html):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
        for key in sorted(self.images):
            for part in (key, self.images[key]):
                data = part.encode("utf-8", "surrogatepass")
                digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()


def raw_key(body: bytes, accept_language: str | None) -> str:
    """A digest of the request exactly as it came: the cache's shortcut for byte-identical repeats."""
    digest = hashlib.sha256((accept_language or "").encode("utf-8", "replace") + b"\x00")
    digest.update(body)
    return digest.hexdigest()


@dataclass(frozen=True)
class Typeset:
    article: Article
    html: str


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    title: str
    cached: bool
    render_seconds: float = 0.0  # time inside WeasyPrint; 0 for a cached print
    key: str = ""  # the request's cache key


def parse_request(body: Any, accept_language: str | None = None) -> PrintRequest:
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object: {\"url\": ..., \"html\": ..., \"options\": {...}}.")
    unknown = sorted(set(body) - KNOWN_FIELDS)
    if unknown:
        raise Unprocessable(f"Unknown field `{unknown[0]}`; known: {', '.join(sorted(KNOWN_FIELDS))}.",
                            field=unknown[0])
    url = body.get("url")
    if not isinstance(url, str) or not url.strip():
        raise Unprocessable("`url` is required: the address of the page to print.", field="url")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Unprocessable(f"`url` must be an http(s) address; got {url[:200]!r}.", field="url")
    html = body.get("html")
    if html is not None and not isinstance(html, str):
        raise Unprocessable("`html` must be a string: the page's HTML as the browser has it.", field="html")
    images = body.get("images") or {}
    if not isinstance(images, dict):
        raise Unprocessable("`images` must be an object mapping absolute image URLs to data: URIs.",
                            field="images")
    for key, value in images.items():
        if not isinstance(value, str):
            raise Unprocessable(f"`images[{key[:100]!r}]` must be a data: URI string.", field="images")
    return PrintRequest(url=url, html=html if html else None, images=dict(images),
                        options=parse_options(body.get("options"), accept_language))


async def _in_thread(threads: Executor | None, function: Any, *args: Any) -> Any:
    """`function(*args)` in `threads` (the loop's default pool when None). A job cancelled
    before a thread took it up is dropped from the pool's queue, never run."""
    return await asyncio.get_running_loop().run_in_executor(threads, functools.partial(function, *args))


async def preview(request: PrintRequest, fetcher: Fetcher | None, max_images: int = 24,
                  dictionary: Any = None, threads: Executor | None = None) -> Typeset:
    page = await _page(request, fetcher)
    # Every image the caller sent passes the image guard (type, bytes, pixels) or is left out.
    page = Page(url=page.url, html=page.html, images=await _in_thread(threads, filter_images, page.images))
    article = await _in_thread(threads, _extract, page)
    if request.options.glossary:
        article = await _in_thread(threads, _glossed, article, request.options, dictionary)
    images = dict(page.images)
    if request.options.images and fetcher is not None and max_images > 0:
        images.update(await _fetch_missing_images(article, images, fetcher, max_images))
    html = await _in_thread(threads, typeset, article, request.options, images)
    return Typeset(article=article, html=html)


async def print_pdf(request: PrintRequest, fetcher: Fetcher | None, pool: RenderPool,
                    cache: PrintCache | None, max_images: int = 24, dictionary: Any = None,
                    gate: PrintGate | None = None, threads: Executor | None = None) -> Printed:
    key = request.cache_key()
    if cache is not None and (hit := cache.get(key)) is not None:
        return Printed(pdf=hit.pdf, title=hit.filename, cached=True, key=key)
    with gate.admit() if gate is not None else contextlib.nullcontext():
        document = await preview(request, fetcher, max_images, dictionary, threads)
        result = await pool.render(document.html)
    if cache is not None:
        cache.put(key, CachedPrint(pdf=result.pdf, filename=document.article.title))
    return Printed(pdf=result.pdf, title=document.article.title, cached=False, render_seconds=result.seconds,
                   key=key)


async def _page(request: PrintRequest, fetcher: Fetcher | None) -> Page:
    if request.html is not None:
        return Page(url=request.url, html=request.html, images=request.images)
    if fetcher is None:
        raise UpstreamError("This server does not fetch pages itself; send the page's `html`.")
    page = await fetcher.fetch_page(request.url)
    # Images the caller sent still count when the server fetched the page.
    return Page(url=page.url, html=page.html, images={**page.images, **request.images})


def _extract(page: Page) -> Article:
    from server.article.extract import (
        extract_article,  # the extraction stage, imported when used
    )

    return extract_article(page)


def _glossed(article: Article, options: PrintOptions, dictionary: Any) -> Article:
    """The article with its glossary; `dictionary` is the app's (a StoreMissing error when not built)."""
    from server.dictionary.store import StoreMissing
    from server.glossary.annotate import gloss_article
    from server.glossary.select import choose

    if isinstance(dictionary, GlossError):
        raise dictionary
    if dictionary is None:
        raise StoreMissing("This server has no dictionary to gloss words with: run `make install`.")
    return gloss_article(article, choose(article, options.glossary, options.glossary_max, dictionary))


def image_urls(article: Article) -> list[str]:
    """The http(s) images a print of the article shows, lead first, each once."""
    urls: list[str] = []
    if article.lead_image is not None:
        urls.append(article.lead_image.src)
    for match in IMG_SRC.finditer(article.body_html):
        urls.append(_unquote_attr(match.group(1)))
    seen: set[str] = set()
    return [u for u in urls if urlsplit(u).scheme in ("http", "https") and not (u in seen or seen.add(u))]


def _unquote_attr(value: str) -> str:
    import html as html_lib

    return html_lib.unescape(value.strip("\"'"))


async def _fetch_missing_images(article: Article, images: dict[str, str], fetcher: Fetcher,
                                limit: int) -> dict[str, str]:
    missing = [u for u in image_urls(article) if u not in images][:limit]
    if not missing:
        return {}
    gate = asyncio.Semaphore(IMAGE_FETCH_CONCURRENCY)

    async def one(url: str) -> tuple[str, str | None]:
        async with gate:
            try:
                return url, await fetcher.fetch_image(url)
            except (GlossError, OSError, ValueError, asyncio.TimeoutError):
                return url, None  # an image that cannot be had is left out, the print goes on

    fetched = await asyncio.gather(*(one(u) for u in missing))
    return {url: data for url, data in fetched if data and DATA_IMAGE.match(data)}
