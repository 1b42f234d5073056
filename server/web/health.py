"""`GET /healthz`: answers while the server can take requests."""

from __future__ import annotations

from aiohttp import web

from server import __version__


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "version": __version__})


def setup(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz)
