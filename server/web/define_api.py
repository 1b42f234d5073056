"""Dictionary endpoints: /api/define, /api/v2/entries/en/<word>, /api/complete (being built, see issue 6)."""

from aiohttp import web


def setup(app: web.Application) -> None:
    pass
