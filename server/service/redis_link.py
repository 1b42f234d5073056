"""`RedisLink(url)`: the one Redis client of a process, and a breaker in front of it.

    link = RedisLink("redis://127.0.0.1:6379/0")
    value = await link.run(lambda r: r.get(key), default=None)

`run` never raises for Redis being away: a refused connection, a timeout or a Redis
error returns `default`, and for the next `COOL_DOWN` seconds every call returns its
default at once (no connection attempt), so a replica whose Redis is gone answers at
its own speed instead of paying a timeout per request. After the cool-down the next
call tries again, and the shared parts resume by themselves when Redis is back.
The client is arq's (a `redis.asyncio.Redis` that can also enqueue jobs).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from arq.connections import ArqRedis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
T = TypeVar("T")

# Seconds one Redis command may take: Redis answers in well under a millisecond, so a
# command this slow means Redis (or the network to it) is gone.
COMMAND_TIMEOUT = 1.0
# Seconds after a failure during which Redis is not tried again.
COOL_DOWN = 2.0
# What a Redis that went away raises: its own errors, socket errors, timeouts.
UNAVAILABLE = (RedisError, OSError, asyncio.TimeoutError)


class RedisLink:
    def __init__(self, url: str, timeout: float = COMMAND_TIMEOUT) -> None:
        self.url = url
        self.timeout = timeout
        self.client = ArqRedis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                        retry_on_timeout=False)
        self._down_until = 0.0
        self.failures = 0

    @property
    def up(self) -> bool:
        """False while in the cool-down after a failure."""
        return time.monotonic() >= self._down_until

    async def run(self, operation: Callable[[ArqRedis], Awaitable[T]], default: T) -> T:
        if not self.up:
            return default
        try:
            return await asyncio.wait_for(operation(self.client), 2 * self.timeout)
        except UNAVAILABLE as error:
            self.mark_down(error)
            return default

    async def ping(self) -> bool:
        """True when Redis answers now (tries even during the cool-down)."""
        try:
            return bool(await asyncio.wait_for(self.client.ping(), 2 * self.timeout))
        except UNAVAILABLE as error:
            self.mark_down(error)
            return False

    def mark_down(self, error: BaseException) -> None:
        if self.up:  # once per outage, not once per request
            log.warning("Redis at %s is unavailable (%s: %s); going on without it for %gs",
                        self.url, type(error).__name__, error, COOL_DOWN)
        self.failures += 1
        self._down_until = time.monotonic() + COOL_DOWN

    async def close(self) -> None:
        try:
            await self.client.aclose()
        except UNAVAILABLE:
            pass
