"""The hooks the print endpoints call; each does nothing new without GLOSS_REDIS_URL.

    job_runner(app)        -> RenderPool, or QueueRenderer for GLOSS_RENDER_WORKERS=0 with Redis
    await check_room(app)     503 before the body is read when the render queue is full
    await cached(app, key=... | raw_key=...) -> CachedPrint | None
        the shared cache, after the memory cache missed (a hit is kept in memory too)
    await ran(app, work, raw_key) -> JobResult
        awaits the job; counts it by outcome; puts a PDF in the shared cache
"""

from __future__ import annotations

from collections.abc import Awaitable

from aiohttp import web

from server.errors import GlossError
from server.printing.cache import CachedPrint
from server.printing.job import JobResult
from server.printing.render import RenderPool
from server.service.keys import METRICS, REDIS, SHARED_CACHE
from server.service.render_queue import QueueRenderer
from server.web.keys import FETCH_HOSTS, PRINT_CACHE, RENDER_POOL, SETTINGS


def job_runner(app: web.Application) -> RenderPool | QueueRenderer:
    settings = app[SETTINGS]
    link = app.get(REDIS)
    if link is not None and settings.render_workers == 0:
        return QueueRenderer(link, settings, observe_wait=app[METRICS].queue_wait.observe)
    return RenderPool(settings, resolver=app.get(FETCH_HOSTS))


async def check_room(app: web.Application) -> None:
    pool = app.get(RENDER_POOL)
    if isinstance(pool, QueueRenderer):
        await pool.check_room()


async def cached(app: web.Application, key: str | None = None, raw_key: str | None = None) -> CachedPrint | None:
    shared = app.get(SHARED_CACHE)
    if shared is None:
        return None
    if key is None and raw_key is not None:
        key = await shared.key_of(raw_key)
    hit = await shared.get(key) if key else None
    app[METRICS].shared_cache.labels("miss" if hit is None else "hit").inc()
    if hit is not None and key:
        app[PRINT_CACHE].put(key, hit)
        if raw_key:
            app[PRINT_CACHE].alias(raw_key, key)
    return hit


async def ran(app: web.Application, work: Awaitable[JobResult], raw_key: str | None) -> JobResult:
    try:
        result = await work
    except GlossError as error:
        app[METRICS].renders.labels(error.slug).inc()
        raise
    if result.kind != "pdf":
        return result
    app[METRICS].renders.labels("ok").inc()
    shared = app.get(SHARED_CACHE)
    if shared is not None:
        await shared.put(result.key, CachedPrint(pdf=result.content, filename=result.title), raw_key)
    return result
