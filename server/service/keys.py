"""Typed keys for the shared-service objects an application holds."""

from __future__ import annotations

from aiohttp import web

from server.service.metrics import METRICS, Metrics
from server.service.rates import RATES, RateLimiter
from server.service.redis_link import RedisLink
from server.service.shared_cache import SharedPrintCache

# Present only with GLOSS_REDIS_URL.
REDIS = web.AppKey("redis", RedisLink)
SHARED_CACHE = web.AppKey("shared_cache", SharedPrintCache)

__all__ = ["METRICS", "RATES", "REDIS", "SHARED_CACHE", "Metrics", "RateLimiter"]
