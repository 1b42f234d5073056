"""Who may call the server.

Web pages in the reader's browser must not drive it: a request whose `Origin` is a web
origin (http, https, anything but an extension) is refused with 403. Extension origins
and requests without `Origin` (command line, curl) pass. When a token is configured,
every /api request must carry `Authorization: Bearer <token>`, compared in constant time.
"""

from __future__ import annotations

import hmac

from aiohttp import web

from server.errors import Forbidden, Unauthorized
from server.web.keys import SETTINGS

EXTENSION_SCHEMES = ("chrome-extension://", "moz-extension://", "safari-web-extension://")


def origin_allowed(origin: str | None) -> bool:
    return not origin or origin.startswith(EXTENSION_SCHEMES)


@web.middleware
async def access_middleware(request: web.Request, handler):
    if not origin_allowed(request.headers.get("Origin")):
        raise Forbidden("Requests from web pages are refused; use the Gloss extension or the command line.")
    token = request.app[SETTINGS].token
    if token and request.path.startswith("/api/"):
        sent = request.headers.get("Authorization", "")
        expected = f"Bearer {token}"
        if not hmac.compare_digest(sent.encode(), expected.encode()):
            raise Unauthorized("This server needs an access token: send `Authorization: Bearer <token>`.")
    return await handler(request)
