"""How the shared-service parts join an application: `middlewares(settings)` and `setup(app)`.

    web.Application(middlewares=[*outer_middlewares(s), problems, access, *inner_middlewares(s)])
    setup(app)    before the print endpoints' own setup: Redis is open before their pool starts

The outer middleware (request id, metrics, access line) sees every answer, problems included; the
token and rate check runs after the origin and host checks, and only with GLOSS_TOKENS.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from server.errors import GlossError
from server.printing.render import RenderPool
from server.service import logs, metrics, rates, ready
from server.service.keys import METRICS, RATES, REDIS, SHARED_CACHE
from server.service.redis_link import RedisLink
from server.service.render_queue import QueueRenderer
from server.service.shared_cache import SharedPrintCache
from server.settings import Settings
from server.web.keys import RENDER_POOL, SETTINGS

CACHE_HEADER = "X-Gloss-Cache"


def outer_middlewares(settings: Settings) -> list:
    return [observe_middleware]


@web.middleware
async def observe_middleware(request: web.Request, handler):
    """Request id (context and X-Request-Id), latency and status into /metrics, the access line."""
    rid = logs.take_id(request)
    token = logs.request_id.set(rid)
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers[logs.HEADER] = rid
        cache = response.headers.get(CACHE_HEADER)
        if cache is not None:
            request.app[METRICS].cache.labels(cache).inc()
        return response
    except web.HTTPException as error:  # redirects and the like, raised rather than returned
        status = error.status
        error.headers[logs.HEADER] = rid
        raise
    finally:
        seconds = time.perf_counter() - started
        request.app[METRICS].observe_request(request, status, seconds)
        settings = request.app[SETTINGS]
        if settings.access_log and settings.log_format == "json":
            logs.log_request(request, status, seconds)
        logs.request_id.reset(token)


def inner_middlewares(settings: Settings) -> list:
    return [rates.rates_middleware] if settings.tokens else []


async def get_metrics(request: web.Request) -> web.Response:
    app = request.app
    m = app[METRICS]
    pool = app.get(RENDER_POOL)
    if isinstance(pool, QueueRenderer):
        depth = await pool.depth()
        if depth is not None:
            m.queue_depth.set(depth)
    elif isinstance(pool, RenderPool):
        m.queue_depth.set(pool.waiting)
        m.count_restarts(pool.replaced)
    link = app.get(REDIS)
    if link is not None:
        m.redis_up.set(1 if await link.ping() else 0)
    return web.Response(body=m.exposition(), headers={"Content-Type": metrics.CONTENT_TYPE})


async def service_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    link = None
    if settings.redis_url:
        link = RedisLink(settings.redis_url)
        app[REDIS] = link
        app[SHARED_CACHE] = SharedPrintCache(link, settings.shared_cache_ttl,
                                             settings.shared_cache_max_mb * 1024 * 1024)
    if settings.tokens:
        try:
            clients = rates.load_tokens(Path(settings.tokens))
        except (OSError, ValueError) as error:
            raise GlossError(f"GLOSS_TOKENS: {error}") from None
        app[RATES] = rates.RateLimiter(clients, link)
    try:
        yield
    finally:
        if link is not None:
            await link.close()


def setup(app: web.Application) -> None:
    app[METRICS] = metrics.Metrics()
    app.router.add_get("/metrics", get_metrics)
    app.router.add_get("/readyz", ready.readyz)
    app.cleanup_ctx.append(service_context)
