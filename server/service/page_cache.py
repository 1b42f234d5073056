"""Pages the server fetched itself, shared by every replica and worker through Redis.

    cache = SharedPageCache.from_settings(settings)    # None without GLOSS_REDIS_URL
    fetcher = CachingFetcher(GuardedFetcher(settings), cache, settings)
    page = await fetcher.fetch_page(url)                # Redis first, then the network

Fetching happens inside a print job (server.printing.job), in a render process of a
replica's local pool or of `gloss worker`, so the cache lives there: one per process,
kept in the job context. It uses redis-py's plain (blocking) client, because every job
runs in an event loop of its own (`asyncio.run`) and an asyncio client cannot outlive
its loop; one command takes well under a millisecond, and a render process runs one job
at a time, so blocking costs nothing that matters.

Keyed by the URL as the request named it (SHA-256, so any length fits), the value is
the page after redirects: its final URL and its HTML. Bounded like the shared PDF cache:
in age (`shared_cache_ttl` on each entry, the same as the PDFs made from the page) and
in size (a page over `shared_cache_max_mb` is not stored). Only pages fetched without an
error are stored. A cached URL is checked again by the fetcher's own URL rules
(scheme, credentials, address literals) before it is answered from the cache.

Fail-soft like RedisLink: every command has `COMMAND_TIMEOUT`; after a failure Redis is
not tried for `COOL_DOWN` seconds; a miss, a broken entry or an unreachable Redis all
mean "fetch it", never an error for the reader.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time

import redis
from redis.exceptions import RedisError

from server.article.model import Page
from server.fetching.fetch import check_url
from server.service.redis_link import COMMAND_TIMEOUT, COOL_DOWN
from server.settings import Settings

log = logging.getLogger(__name__)
PREFIX = "gloss:page:"
UNAVAILABLE = (RedisError, OSError)


def page_key(url: str) -> str:
    return PREFIX + hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


def encode(page: Page) -> bytes:
    # ensure_ascii keeps lone surrogates (from broken pages) encodable.
    return json.dumps({"url": page.url, "html": page.html}).encode("ascii")


def decode(value: bytes) -> Page | None:
    try:
        data = json.loads(value)
        url, html = data["url"], data["html"]
    except (ValueError, TypeError, KeyError):
        return None  # not one of ours: a miss
    if not isinstance(url, str) or not isinstance(html, str):
        return None
    return Page(url=url, html=html)


class SharedPageCache:
    def __init__(self, url: str, ttl_seconds: int, max_bytes: int, timeout: float = COMMAND_TIMEOUT) -> None:
        self.url = url
        self.ttl_seconds = max(1, ttl_seconds)
        self.max_bytes = max_bytes
        self.client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                           retry_on_timeout=False)
        self._down_until = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SharedPageCache | None:
        if not settings.redis_url:
            return None
        return cls(settings.redis_url, settings.shared_cache_ttl, settings.shared_cache_max_mb * 1024 * 1024)

    def get(self, url: str) -> Page | None:
        value = self._run(lambda: self.client.get(page_key(url)))
        return decode(value) if value else None

    def put(self, url: str, page: Page) -> None:
        value = encode(page)
        if len(value) > self.max_bytes:
            return
        self._run(lambda: self.client.set(page_key(url), value, ex=self.ttl_seconds))

    def _run(self, command):
        if time.monotonic() < self._down_until:
            return None
        try:
            return command()
        except UNAVAILABLE as error:
            log.warning("Redis at %s is unavailable for the page cache (%s: %s); fetching without it for %gs",
                        self.url, type(error).__name__, error, COOL_DOWN)
            self._down_until = time.monotonic() + COOL_DOWN
            return None

    def close(self) -> None:
        try:
            self.client.close()
        except UNAVAILABLE:
            pass


class CachingFetcher:
    """A fetcher that looks in the shared page cache before it fetches a page; images and
    everything else go straight to the wrapped fetcher."""

    def __init__(self, fetcher, cache: SharedPageCache, settings: Settings) -> None:
        self.fetcher = fetcher
        self.cache = cache
        self.settings = settings

    async def fetch_page(self, url: str) -> Page:
        check_url(url, self.settings.allow_private_fetch)  # the same refusals as a fetch, cached or not
        page = self.cache.get(url)
        if page is not None:
            log.debug("page cache hit for %s", url)
            return page
        page = await self.fetcher.fetch_page(url)
        self.cache.put(url, page)
        return page

    async def fetch_image(self, url: str) -> str:
        return await self.fetcher.fetch_image(url)

    async def close(self) -> None:
        await self.fetcher.close()
