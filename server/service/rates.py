"""Client tokens with per-token rates, counted across every replica: 429 + Retry-After beyond them.

`GLOSS_TOKENS` names a file, one client a line (`#` starts a comment):

    # name      token (16+ characters)            prints    look-ups
    newsroom    9f2c1e0b7a6d4c3e8f1a2b3c4d5e6f70  30/min    600/min
    library     Zq3vLk8pW1xY7mN4bR6tC2sD9fG5hJ0a  5/min     50/s

A rate is `<count>/<s|min|h>`. With the file set, every request but the open paths
(/healthz, /readyz) must carry `Authorization: Bearer <token>` of one of its lines
(401 otherwise); prints and previews count against the first rate, look-ups
(define, entries, complete) against the second, and anything over it is refused with
429 and a Retry-After. The client's name, never its token, is what Redis and the logs
see.

Counting is a sliding window over two fixed windows (the current one's count plus the
previous one's, weighted by how much of it the sliding window still covers), kept in
Redis as one INCR and one GET per request, so the rate holds for all replicas
together. While Redis is away, each replica counts in its own memory: the rate then
holds per replica, and no request waits for Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from server.errors import GlossError, Unauthorized
from server.service.redis_link import RedisLink

PRINT_PATHS = ("/api/print", "/api/preview")
LOOKUP_PATHS = ("/api/define", "/api/v2/entries/", "/api/complete")
OPEN_PATHS = frozenset({"/healthz", "/readyz"})
MIN_TOKEN_LENGTH = 16
PERIODS = {"s": 1, "sec": 1, "min": 60, "h": 3600}
RATE = re.compile(r"^(\d+)/(s|sec|min|h)$")
PREFIX = "gloss:rate:"
# Local windows kept while Redis is away before expired ones are dropped.
LOCAL_KEYS = 10_000


class TooManyRequests(GlossError):
    status, title, slug = 429, "Too many requests", "too-many-requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.headers["Retry-After"] = str(retry_after)


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = RATE.match(text.strip().lower())
        if not match:
            raise ValueError(f"a rate is <count>/<s|min|h>, like 30/min; got {text!r}")
        return cls(int(match.group(1)), PERIODS[match.group(2)])


@dataclass(frozen=True)
class Client:
    name: str
    token_digest: bytes
    prints: Rate
    lookups: Rate


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


def load_tokens(path: Path) -> dict[bytes, Client]:
    """token digest -> client; ValueError naming the line for anything malformed."""
    clients: dict[bytes, Client] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        try:
            if len(fields) != 4:
                raise ValueError("expected: name token prints-rate lookups-rate")
            name, token, prints, lookups = fields
            if len(token) < MIN_TOKEN_LENGTH:
                raise ValueError(f"the token of {name!r} is shorter than {MIN_TOKEN_LENGTH} characters")
            client = Client(name, _digest(token), Rate.parse(prints), Rate.parse(lookups))
        except ValueError as error:
            raise ValueError(f"{path}:{number}: {error}") from None
        clients[client.token_digest] = client
    if not clients:
        raise ValueError(f"{path}: no tokens")
    return clients


def kind_of(path: str) -> str | None:
    if path.startswith(PRINT_PATHS):
        return "prints"
    if path.startswith(LOOKUP_PATHS):
        return "lookups"
    return None


def sliding_count(previous: int, current: int, fraction_elapsed: float) -> float:
    """Requests in the last period: the current window's, plus the share of the previous one still in it."""
    return previous * (1.0 - fraction_elapsed) + current


class RateLimiter:
    def __init__(self, clients: dict[bytes, Client], link: RedisLink | None) -> None:
        self.clients = clients
        self.link = link
        self._local: dict[str, tuple[int, float]] = {}  # window key -> (count, expiry), while Redis is away

    def client(self, authorization: str) -> Client | None:
        scheme, _, sent = authorization.strip().partition(" ")
        if scheme.lower() != "bearer":
            return None
        digest = _digest(sent.strip())
        for known, client in self.clients.items():  # digests compared in constant time
            if hmac.compare_digest(known, digest):
                return client
        return None

    async def check(self, client: Client, kind: str, now: float | None = None) -> None:
        rate = client.prints if kind == "prints" else client.lookups
        now = time.time() if now is None else now
        window = int(now // rate.seconds)
        current_key = f"{PREFIX}{client.name}:{kind}:{window}"
        previous_key = f"{PREFIX}{client.name}:{kind}:{window - 1}"
        counts = None
        if self.link is not None:
            async def count(r) -> tuple[int, int]:
                async with r.pipeline(transaction=False) as p:
                    p.incr(current_key)
                    p.expire(current_key, 2 * rate.seconds + 1)
                    p.get(previous_key)
                    current, _, previous = await p.execute()
                return int(previous or 0), int(current)
            counts = await self.link.run(count, default=None)
        if counts is None:
            counts = self._count_locally(current_key, previous_key, rate.seconds)
        previous, current = counts
        elapsed = now / rate.seconds - window  # fraction of the current window gone by
        if sliding_count(previous, current, elapsed) > rate.count:
            raise TooManyRequests(f"Over the {kind} rate of {client.name!r}: {rate.count} per "
                                  f"{rate.seconds} s across all servers.",
                                  retry_after=retry_after(previous, current, elapsed, rate))

    def _count_locally(self, current_key: str, previous_key: str, seconds: int) -> tuple[int, int]:
        now = time.monotonic()
        if len(self._local) > LOCAL_KEYS:
            self._local = {k: v for k, v in self._local.items() if v[1] > now}
        count, expires = self._local.get(current_key, (0, now + 2 * seconds + 1))
        self._local[current_key] = (count + 1, expires)
        previous = self._local.get(previous_key)
        return (previous[0] if previous and previous[1] > now else 0), count + 1


def retry_after(previous: int, current: int, elapsed: float, rate: Rate) -> int:
    """Whole seconds until the sliding count is back within the rate (the next window at the latest)."""
    wait = (1.0 - elapsed) * rate.seconds
    if previous and current < rate.count:
        # previous * (1 - e) + current <= count once e >= 1 - (count - current) / previous
        wait = min(wait, (1.0 - (rate.count - current) / previous - elapsed) * rate.seconds)
    return max(1, math.ceil(wait))


RATES = web.AppKey("rates", RateLimiter)


@web.middleware
async def rates_middleware(request: web.Request, handler):
    if request.path in OPEN_PATHS:
        return await handler(request)
    limiter = request.app[RATES]
    client = limiter.client(request.headers.get("Authorization", ""))
    if client is None:
        raise Unauthorized("Send `Authorization: Bearer <token>` with one of this server's client tokens.")
    kind = kind_of(request.path)
    if kind is not None:
        try:
            await limiter.check(client, kind)
        except TooManyRequests:
            from server.service.metrics import METRICS

            request.app[METRICS].rate_limited.labels(kind).inc()
            raise
    return await handler(request)
