"""Who may call the server.

Web pages in the reader's browser, and other extensions, must not drive it:
- a request whose `Origin` is a web origin (http, https, `null`, anything but a browser
  extension) is refused with 403; requests without `Origin` (command line, curl) pass;
- an extension's origin passes only when it is Gloss's: the Chrome build's fixed id
  (the public key in extension/manifest.json makes it the same on every install) or an
  origin listed in the `extension_origins` setting (self-built copies, and Firefox,
  whose extension origins are a random UUID per install). When a token is configured,
  any extension origin may try, since the token is what lets it in. Another
  extension's origin is refused with 403;
- extension origins get CORS answers (preflights answered here, responses readable), so
  Gloss needs no host permission for the server, and another extension, or a copy of
  Gloss the server does not list, can read its 403 and tell the reader what to do;
- a browser sends no `Origin` on an `<img>`, `<script>`, `<iframe>` or
  `fetch(..., {mode: "no-cors"})` GET, so a request the browser's fetch metadata marks
  as coming from another site (`Sec-Fetch-Site: cross-site|same-site`) in mode
  `no-cors`, or as a framed navigation, is refused; a top-level navigation (a link the
  reader follows) passes;
- while the server listens on loopback, the `Host` header must name loopback
  (localhost, 127.0.0.0/8, [::1]): a page whose own name was rebound to 127.0.0.1
  (DNS rebinding) still sends its own name, and is refused with 403.
When a token is configured (required by `gloss serve` for any other address), every
request but /healthz must carry `Authorization: Bearer <token>` (401 otherwise); the
digests of the two are compared in constant time, so neither content nor length leaks.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import re

from aiohttp import web

from server.errors import Forbidden, GlossError, Unauthorized
from server.web.keys import SETTINGS

# chrome-extension://<32 letters a-p>, moz-extension://<uuid>, safari-web-extension://<id>:
# an Origin is scheme://host only, so anything after the host is not an extension's.
_EXTENSION_ORIGIN = re.compile(r"^(chrome-extension|moz-extension|safari-web-extension)://[A-Za-z0-9-]{1,64}/?$")
# The id Chromium derives from the "key" in extension/manifest.json (a test checks it).
GLOSS_CHROME_ID = "ajmeccjpncahkglinakhnejbbkofnhja"
GLOSS_ORIGINS = frozenset({f"chrome-extension://{GLOSS_CHROME_ID}"})
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept",
    "Access-Control-Expose-Headers": "Content-Disposition, Retry-After",
    "Access-Control-Max-Age": "600",
}
# Fetch metadata values that mean "another site's page made this request".
_OTHER_SITE = frozenset({"cross-site", "same-site"})
OPEN_PATHS = frozenset({"/healthz"})


def origin_allowed(origin: str | None) -> bool:
    """True for no Origin and for a browser extension's origin (web origins are never allowed)."""
    return not origin or bool(_EXTENSION_ORIGIN.match(origin))


@functools.lru_cache(maxsize=16)
def _listed(setting: str) -> frozenset[str]:
    """The `extension_origins` setting as a set of origins; a bare Chrome id stands for its origin."""
    out = set()
    for item in setting.replace(",", " ").split():
        item = item.rstrip("/")
        out.add(item if "://" in item else f"chrome-extension://{item}")
    return frozenset(out)


def gloss_origin(origin: str, extension_origins: str) -> bool:
    """True when `origin` is one of Gloss's own extension origins."""
    origin = origin.rstrip("/")
    return origin in GLOSS_ORIGINS or origin in _listed(extension_origins)


@functools.lru_cache(maxsize=256)  # called on every request with a handful of distinct values
def is_loopback_host(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 (a `Host` header value, port allowed)."""
    name = host.strip().lower()
    if name.startswith("["):  # [::1]:8080
        name = name[1:].split("]", 1)[0]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    name = name.rstrip(".")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).digest()


def token_matches(authorization: str, token: str) -> bool:
    scheme, _, sent = authorization.strip().partition(" ")
    # Compare even when the scheme is wrong, so timing does not tell the two cases apart.
    same = hmac.compare_digest(_digest(sent.strip()), _digest(token))
    return same and scheme.lower() == "bearer"


def check(request: web.Request) -> None:
    """Raises Forbidden or Unauthorized when this request may not be served."""
    origins = request.headers.getall("Origin", [])
    if not all(origin_allowed(o) for o in origins):
        raise Forbidden("Requests from web pages are refused; use the Gloss extension or the command line.")
    settings = request.app[SETTINGS]
    strangers = [o for o in origins if not gloss_origin(o, settings.extension_origins)]
    if strangers and not settings.token:
        raise Forbidden(f"This server answers only the Gloss extension, not {strangers[0][:100]}; "
                        "list a self-built copy in GLOSS_EXTENSION_ORIGINS, or set a token.",
                        code="unknown-extension")
    if not origins and request.headers.get("Sec-Fetch-Site", "").lower() in _OTHER_SITE:
        # A page's CORS requests always carry its Origin (refused above); without one, a
        # cross-site request is an embed or a no-cors fetch, or a navigation. Only a
        # top-level navigation (a followed link) passes; an extension's own fetch() is
        # mode "cors" and passes too, whatever the browser says about its site.
        mode = request.headers.get("Sec-Fetch-Mode", "").lower()
        dest = request.headers.get("Sec-Fetch-Dest", "").lower()
        if mode == "no-cors" or (mode == "navigate" and dest not in ("document", "")):
            raise Forbidden("Requests that another site's page embeds or scripts are refused; "
                            "use the Gloss extension or the command line.")
    host = request.headers.get("Host")  # browsers always send it; HTTP/1.0 tools may not
    if host is not None and is_loopback_host(settings.host) and not is_loopback_host(host):
        raise Forbidden(f"This server answers only to loopback names (localhost, 127.0.0.1), not {host[:100]!r}.")
    if settings.token and request.path not in OPEN_PATHS:
        if not token_matches(request.headers.get("Authorization", ""), settings.token):
            error = Unauthorized("This server needs an access token: send `Authorization: Bearer <token>`.")
            error.headers["WWW-Authenticate"] = 'Bearer realm="gloss"'
            raise error


def _cors_headers(request: web.Request) -> dict[str, str]:
    """The CORS headers for an extension origin this request passed `check` with, else none."""
    origin = request.headers.get("Origin")
    if not origin or not _EXTENSION_ORIGIN.match(origin):
        return {}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin", **CORS_HEADERS}


@web.middleware
async def access_middleware(request: web.Request, handler):
    cors = _cors_headers(request)
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        _check_preflight(request)
        return web.Response(status=204, headers=cors)
    try:
        check(request)
        response = await handler(request)
    except (GlossError, web.HTTPException) as error:
        error.headers.update(cors)  # the extension reads the problem's detail too
        raise
    response.headers.update(cors)
    return response


def _check_preflight(request: web.Request) -> None:
    """A preflight carries nothing to act on: only web origins are refused here; the request itself is checked in full."""
    if not _EXTENSION_ORIGIN.match(request.headers.get("Origin", "")):
        raise Forbidden("Requests from web pages are refused; use the Gloss extension or the command line.")
