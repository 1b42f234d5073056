"""`gloss serve [--host H] [--port P]`: run the HTTP server."""

from __future__ import annotations

import argparse
import logging


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="serve the HTTP API (default http://127.0.0.1:8080)")
    p.add_argument("--host", help="address to bind (env HOST or GLOSS_HOST; default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (env PORT or GLOSS_PORT; default 8080)")
    p.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from server.app import create_app
    from server.errors import Forbidden
    from server.settings import Settings

    settings = Settings.from_env(host=args.host, port=args.port)
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not settings.token:
        raise Forbidden(f"Binding {settings.host} exposes the server beyond this machine: set GLOSS_TOKEN first.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    web.run_app(create_app(settings), host=settings.host, port=settings.port,
                print=lambda _: print(f"Gloss serving on http://{settings.host}:{settings.port}", flush=True))
    return 0
