"""The application's one guarded fetcher: `setup(app)` keeps a `GuardedFetcher` under
`FETCHER` from start-up to shutdown (closed then). Tests may set `FETCH_HOSTS` (host name
-> address) before start-up to replace DNS."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from server.fetching.fetch import GuardedFetcher
from server.web.keys import FETCH_HOSTS, FETCHER, SETTINGS


async def fetcher_context(app: web.Application) -> AsyncIterator[None]:
    fetcher = GuardedFetcher(app[SETTINGS], resolver=app.get(FETCH_HOSTS))
    app[FETCHER] = fetcher
    try:
        yield
    finally:
        await fetcher.close()


def setup(app: web.Application) -> None:
    app.cleanup_ctx.append(fetcher_context)
