"""Print endpoints: POST/GET /api/print, POST /api/preview (being built, see issue 2)."""

from aiohttp import web


def setup(app: web.Application) -> None:
    pass
