"""Rendered PDFs shared by every replica.

    await cache.get(key) -> CachedPrint | None
    await cache.key_of(raw_key) -> str | None       the key of a request seen as these exact bytes
    await cache.put(key, entry, raw_key=None)

Keyed by the print request's cache key (pipeline.PrintRequest.cache_key), so a print
made through one replica is answered by any other; the digest of a request's raw body
(web.requests.spool_body) points at its key, so a large body sent again is answered
without being parsed, on any replica. Bounded in age (`shared_cache_ttl`,
set on each entry) and in size (a PDF over `shared_cache_max_mb` is not stored); the
total is Redis's own `maxmemory` with an LRU policy (see the README and compose file).
An entry is the headline (UTF-8, length-prefixed) followed by the PDF bytes, one value
read in one round trip. With Redis away both methods do nothing (RedisLink's breaker):
prints are rendered as without a shared cache.
"""

from __future__ import annotations

from server.printing.cache import CachedPrint
from server.service.redis_link import RedisLink

PREFIX = "gloss:pdf:"
ALIAS_PREFIX = "gloss:pdf-alias:"
TITLE_LENGTH_BYTES = 4


def encode(entry: CachedPrint) -> bytes:
    title = entry.filename.encode("utf-8", "surrogatepass")
    return len(title).to_bytes(TITLE_LENGTH_BYTES, "big") + title + entry.pdf


def decode(value: bytes) -> CachedPrint | None:
    length = int.from_bytes(value[:TITLE_LENGTH_BYTES], "big")
    title_end = TITLE_LENGTH_BYTES + length
    if len(value) < title_end:
        return None  # not one of ours: treated as a miss
    return CachedPrint(pdf=value[title_end:], filename=value[TITLE_LENGTH_BYTES:title_end].decode("utf-8", "replace"))


class SharedPrintCache:
    def __init__(self, link: RedisLink, ttl_seconds: int, max_bytes: int) -> None:
        self.link = link
        self.ttl_seconds = max(1, ttl_seconds)
        self.max_bytes = max_bytes

    async def get(self, key: str) -> CachedPrint | None:
        value = await self.link.run(lambda r: r.get(PREFIX + key), default=None)
        return decode(value) if value else None

    async def key_of(self, raw_key: str) -> str | None:
        value = await self.link.run(lambda r: r.get(ALIAS_PREFIX + raw_key), default=None)
        return value.decode("ascii", "replace") if value else None

    async def put(self, key: str, entry: CachedPrint, raw_key: str | None = None) -> None:
        if len(entry.pdf) > self.max_bytes:
            return
        value = encode(entry)

        async def store(r) -> None:
            async with r.pipeline(transaction=False) as p:
                p.set(PREFIX + key, value, ex=self.ttl_seconds)
                if raw_key:
                    p.set(ALIAS_PREFIX + raw_key, key, ex=self.ttl_seconds)
                await p.execute()
        await self.link.run(store, default=None)
