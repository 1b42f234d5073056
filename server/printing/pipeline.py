"""The print pipeline: `PrintRequest -> typeset HTML`, joining fetch, extraction, glossary
and typesetting (rendering is server.printing.worker's; server.printing.job runs both).

    parse_request(json, accept_language) -> PrintRequest     (400/422 on bad input)
    await preview(request, fetcher, max_images=24, dictionary=None) -> Typeset(article, html)

`preview` is exactly what a print renders. It runs inside a job (a worker process with a
time limit and a memory cap), so its CPU steps run inline: only the guarded fetcher's
network waits are awaited. Images the request did not carry are fetched through the
fetcher (a bounded number, concurrently; a failure just leaves that image out).
Every image that reaches the typesetter, inline `data:` URIs of the page included,
passes the same guard (server.fetching.image_guard: the bytes decide the type, raster
only; size, pixels and count capped), in the order the article shows them.
With `options.glossary`, the extracted article becomes a new one carrying its glossary
(server.glossary) before it is typeset.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from server.article.model import Article, Page
from server.errors import BadRequest, GlossError, Unprocessable, UpstreamError
from server.fetching.image_guard import MAX_IMAGES, filter_images
from server.printing.options import PrintOptions, parse_options
from server.printing.typeset import DATA_IMAGE, typeset

# Images fetched at once for one print: enough to hide latency, few enough not to
# look like a flood to the site.
IMAGE_FETCH_CONCURRENCY = 4
KNOWN_FIELDS = frozenset({"url", "html", "images", "options"})


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


@dataclass(frozen=True)
class Typeset:
    article: Article
    html: str


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


async def preview(request: PrintRequest, fetcher: Fetcher | None, max_images: int = 24,
                  dictionary: Any = None) -> Typeset:
    page = await _page(request, fetcher)
    article = _extract(page)
    if request.options.glossary:
        article = _glossed(article, request.options, dictionary)
    images: dict[str, str] = {}
    if request.options.images:
        images = await _guarded_images(article, page.images, fetcher, max_images)
    return Typeset(article=article, html=typeset(article, request.options, images))


async def _guarded_images(article: Article, sent: dict[str, str], fetcher: Fetcher | None,
                          max_images: int) -> dict[str, str]:
    """{src as the article has it: guarded data: URI} for the images the print shows.

    Candidates come in the article's order: inline `data:` URIs as they are, others from
    the request's map or, when missing, fetched (at most `max_images`). All of them go
    through one `filter_images`, so the count, size and pixel caps and the type check
    (from the bytes) are the same whichever way an image came."""
    refs = image_refs(article)
    missing = [u for u in refs if not u.startswith("data:") and u not in sent][:max(0, max_images)]
    fetched = await _fetch_missing_images(missing, fetcher) if fetcher is not None and missing else {}
    candidates: dict[str, str] = {}
    for ref in refs:
        uri = ref if ref.startswith("data:") else sent.get(ref) or fetched.get(ref)
        if uri:
            candidates[ref] = uri
    return filter_images(candidates, MAX_IMAGES)


async def _page(request: PrintRequest, fetcher: Fetcher | None) -> Page:
    if request.html is not None:
        return Page(url=request.url, html=request.html, images=request.images)
    if fetcher is None:
        raise UpstreamError("This server does not fetch pages itself; send the page's `html`.")
    page = await fetcher.fetch_page(request.url)
    # Images the caller sent still count when the server fetched the page.
    return Page(url=page.url, html=page.html, images={**page.images, **request.images})


def _extract(page: Page) -> Article:
    # The extraction stage, imported when used.
    from server.article.extract import extract_article

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


def image_refs(article: Article) -> list[str]:
    """Every image source a print of the article shows (http(s) and data:), lead first, each once.
    Read from the article's body tree, the one typesetting uses."""
    urls: list[str] = []
    if article.lead_image is not None:
        urls.append(article.lead_image.src)
    urls.extend(img.get("src") or "" for img in article.body.tree.iter("img"))
    seen: set[str] = set()
    return [u for u in urls if (u[:5].lower() == "data:" or urlsplit(u).scheme in ("http", "https"))
            and not (u in seen or seen.add(u))]


def image_urls(article: Article) -> list[str]:
    """The http(s) images a print of the article shows, lead first, each once."""
    return [u for u in image_refs(article) if not u[:5].lower() == "data:"]


async def _fetch_missing_images(missing: list[str], fetcher: Fetcher) -> dict[str, str]:
    gate = asyncio.Semaphore(IMAGE_FETCH_CONCURRENCY)

    async def one(url: str) -> tuple[str, str | None]:
        async with gate:
            try:
                return url, await fetcher.fetch_image(url)
            except (GlossError, OSError, ValueError, asyncio.TimeoutError):
                return url, None  # an image that cannot be had is left out, the print goes on

    fetched = await asyncio.gather(*(one(u) for u in missing))
    return {url: data for url, data in fetched if data and DATA_IMAGE.match(data)}
