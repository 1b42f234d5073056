"""`create_app(settings) -> web.Application`: the one way an application is built.

Each area registers its own routes and its own cleanup context (shared objects are
created on start-up and closed on shutdown); tests build the app through this factory.
"""

from __future__ import annotations

from aiohttp import web

from server.service import wiring as service
from server.settings import Settings
from server.web import access, define_api, fetcher, health, print_api, problems
from server.web.keys import SETTINGS


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or Settings.from_env()
    app = web.Application(
        middlewares=[*service.outer_middlewares(settings), problems.problems_middleware, access.access_middleware,
                     *service.inner_middlewares(settings)],
        client_max_size=settings.max_body_mb * 1024 * 1024,
    )
    app[SETTINGS] = settings
    problems.setup(app)
    health.setup(app)
    service.setup(app)  # before print_api: Redis is open before the render pool starts
    fetcher.setup(app)
    print_api.setup(app)
    define_api.setup(app)
    return app
