"""The hooks the print endpoints call; each does nothing new without GLOSS_REDIS_URL.

    renderer(app)          -> RenderPool, or QueueRenderer for GLOSS_RENDER_WORKERS=0 with Redis
    await check_room(app)     503 before the body is read when the render queue is full
    await printed(app, key, run) -> Printed
        memory cache, then the shared cache, then `run()` (the pipeline); a rendered PDF
        goes into the shared cache; counts renders by outcome and shared-cache look-ups
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from server.errors import GlossError
from server.printing.cache import CachedPrint
from server.printing.pipeline import Printed
from server.printing.render import RenderPool
from server.service.keys import METRICS, REDIS, SHARED_CACHE
from server.service.render_queue import QueueRenderer
from server.web.keys import PRINT_CACHE, RENDER_POOL, SETTINGS


def renderer(app: web.Application) -> RenderPool | QueueRenderer:
    settings = app[SETTINGS]
    link = app.get(REDIS)
    if link is not None and settings.render_workers == 0:
        return QueueRenderer(link, settings, observe_wait=app[METRICS].queue_wait.observe)
    return RenderPool(settings)


async def check_room(app: web.Application) -> None:
    pool = app.get(RENDER_POOL)
    if isinstance(pool, QueueRenderer):
        await pool.check_room()


async def printed(app: web.Application, key: str, run: Callable[[], Awaitable[Printed]]) -> Printed:
    metrics = app[METRICS]
    shared = app.get(SHARED_CACHE)
    if shared is not None and app[PRINT_CACHE].get(key) is None:
        hit = await shared.get(key)
        metrics.shared_cache.labels("miss" if hit is None else "hit").inc()
        if hit is not None:
            app[PRINT_CACHE].put(key, hit)
            return Printed(pdf=hit.pdf, title=hit.filename, cached=True, key=key)
    try:
        result = await run()
    except GlossError as error:
        metrics.renders.labels(error.slug).inc()
        raise
    if result.cached:
        return result
    metrics.renders.labels("ok").inc()
    if shared is not None:
        await shared.put(key, CachedPrint(pdf=result.pdf, filename=result.title))
    return result
