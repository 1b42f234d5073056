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


def check_bind(host: str, token: str | bool) -> None:
    """Raises Forbidden unless `host` is loopback or a strong enough token is set (True: a
    GLOSS_TOKENS file, whose tokens are checked for length when it is read)."""
    from server.errors import Forbidden
    from server.web.access import is_loopback_host

    if host and is_loopback_host(host):
        return
    shown = host or "every interface"
    if not token:
        raise Forbidden(f"Binding {shown} exposes the server beyond this machine: set GLOSS_TOKEN first.")
    if isinstance(token, str) and len(token) < MIN_TOKEN_LENGTH:
        raise Forbidden(f"GLOSS_TOKEN is too short to guard {shown}: use at least {MIN_TOKEN_LENGTH} characters.")


def serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from server.app import create_app
    from server.service import logs
    from server.settings import Settings

    settings = Settings.from_env(host=args.host, port=args.port)
    check_bind(settings.host, settings.token or bool(settings.tokens))
    logs.configure(settings)
    # With JSON logs the request-id middleware writes the access line (server.service.logs).
    aiohttp_access_log = settings.access_log and settings.log_format != "json"
    web.run_app(create_app(settings), host=settings.host, port=settings.port,
                access_log=logging.getLogger("aiohttp.access") if aiohttp_access_log else None,
                print=lambda _: print(f"Gloss serving on http://{settings.host}:{settings.port}", flush=True))
    return 0
