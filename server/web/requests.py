"""Reading a JSON request body, with a clear 4xx for every way it can be wrong.

`await read_json(request) -> dict` returns the body as a JSON object, and
`await read_body(request) -> bytes` the checked raw body (for callers that key a cache on
the bytes before parsing them with `decode_json`); they raise:
- PayloadTooLarge (413) past the application's `client_max_size` (settings.max_body_mb);
  a declared Content-Length over it is refused before a byte is read;
- UnsupportedMediaType (415) for the form and text types a web page can send without a
  CORS preflight (the origin check is the first defence; this is the second);
- BadRequest (400) for an empty body, invalid UTF-8, malformed or truncated JSON,
  nesting too deep to parse, NaN/Infinity, or a top level that is not an object.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from server.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType

# Types a browser form or `fetch(no-cors)` may post cross-site with no preflight.
SIMPLE_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
# Bodies above this are parsed off the event loop so other requests keep flowing.
PARSE_INLINE_BYTES = 256 * 1024


async def read_json(request: web.Request) -> dict[str, Any]:
    return await decode_json(await read_body(request))


async def decode_json(raw: bytes) -> dict[str, Any]:
    """`parse_json`, off the event loop for large bodies."""
    if len(raw) > PARSE_INLINE_BYTES:
        return await asyncio.to_thread(parse_json, raw)
    return parse_json(raw)


async def read_body(request: web.Request) -> bytes:
    limit = request.client_max_size
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"The request body is {request.content_length} bytes, over the limit of {limit} bytes.")
    content_type = request.content_type.lower() if "Content-Type" in request.headers else ""
    if content_type in SIMPLE_TYPES:
        raise UnsupportedMediaType(f"Send the body as JSON with `Content-Type: application/json`, not {content_type}.")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise PayloadTooLarge(f"The request body is over the limit of {limit} bytes.") from None
    if not raw.strip():
        raise BadRequest("The request body is empty; send a JSON object.")
    return raw


def parse_json(raw: bytes) -> dict[str, Any]:
    """The JSON object in `raw` (UTF-8, a byte-order mark allowed); BadRequest otherwise."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadRequest(f"The request body is not valid UTF-8 (byte 0x{raw[error.start]:02x} "
                         f"at offset {error.start}).") from None
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        where = f"{error.msg}, line {error.lineno} column {error.colno}"
        # A string left open runs to the end of the text: that, too, is a body cut short.
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise BadRequest(f"The JSON body ends early: it is truncated ({where}).") from None
        raise BadRequest(f"The body is not valid JSON ({where}).") from None
    except RecursionError:
        raise BadRequest("The JSON body is nested too deeply to read.") from None
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        raise BadRequest(f"The JSON body has a value that cannot be read: {error}.") from None
    if not isinstance(value, dict):
        raise BadRequest(f"The JSON body must be an object, not {type(value).__name__}.")
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
