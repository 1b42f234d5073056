"""`gloss serve [--host H] [--port P]`: run the HTTP server."""

from __future__ import annotations

import argparse
import logging


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="serve the HTTP API (default http://127.0.0.1:8080)")
    p.add_argument("--host", help="address to bind (env HOST or GLOSS_HOST; default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (env PORT or GLOSS_PORT; default 8080)")
    p.set_defaults(handler=serve)


# A token an attacker on the network could guess is no token: 16 characters at least
# (`python -c "import secrets; print(secrets.token_urlsafe(24))"` makes a good one).
MIN_TOKEN_LENGTH = 16


def check_bind(host: str, token: str) -> None:
    """Raises Forbidden unless `host` is loopback or a strong enough token is set."""
    from server.errors import Forbidden
    from server.web.access import is_loopback_host

    if host and is_loopback_host(host):
        return
    shown = host or "every interface"
    if not token:
        raise Forbidden(f"Binding {shown} exposes the server beyond this machine: set GLOSS_TOKEN first.")
    if len(token) < MIN_TOKEN_LENGTH:
        raise Forbidden(f"GLOSS_TOKEN is too short to guard {shown}: use at least {MIN_TOKEN_LENGTH} characters.")


def serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from server.app import create_app
    from server.settings import Settings

    settings = Settings.from_env(host=args.host, port=args.port)
    check_bind(settings.host, settings.token)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    web.run_app(create_app(settings), host=settings.host, port=settings.port,
                access_log=logging.getLogger("aiohttp.access") if settings.access_log else None,
                print=lambda _: print(f"Gloss serving on http://{settings.host}:{settings.port}", flush=True))
    return 0
