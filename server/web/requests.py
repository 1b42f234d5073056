"""Reading a request body: bounded in size, time and memory, with a clear 4xx for each way
it can be wrong. Nothing here parses a large body: that happens in a print job.

    check_body_headers(request)                   before a byte is read
    await read_body(request, timeout) -> bytes    a small body, whole
    await spool_body(request, folder, timeout, salt) -> Body
        any body, streamed: kept in memory up to IN_MEMORY_BYTES, past that written to a
        file in `folder` (the caller deletes it with `Body.discard()`), hashed as it comes

They raise:
- PayloadTooLarge (413) past the application's `client_max_size` (settings.max_body_mb):
  a declared Content-Length over it before a byte is read, a chunked body as soon as it
  passes the limit;
- UnsupportedMediaType (415) for the form and text types a web page can send without a
  CORS preflight (the origin check is the first defence; this is the second);
- RequestTimeout (408) when the body has not all arrived `timeout` seconds after the
  first read (a body that trickles in is cut off, its connection closed);
- BadRequest (400) for an empty body;
- ClientGone when the client closed the connection while sending.
`parse_json` (server.json_body) turns bytes into the JSON object, 400 otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from server.errors import BadRequest, GlossError, PayloadTooLarge, UnsupportedMediaType
from server.json_body import parse_json

# Types a browser form or `fetch(no-cors)` may post cross-site with no preflight.
SIMPLE_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
# A body up to this size is held in memory; a larger one goes to a file as it arrives, so
# the server process holds at most this much of any one request.
IN_MEMORY_BYTES = 1024 * 1024
CHUNK = 64 * 1024


class RequestTimeout(GlossError):
    status, title, slug = 408, "Request timeout", "request-timeout"


class ClientGone(GlossError):
    """The client closed its connection; nobody is left to read an answer."""
    status, title, slug = 499, "Client closed request", "client-closed-request"


@dataclass
class Body:
    data: bytes | None  # the body, when small enough to keep in memory
    path: str | None  # else the file holding it
    size: int
    digest: str  # sha256 of salt + NUL + body: the cache's key for byte-identical repeats

    def discard(self) -> None:
        if self.path:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            self.path = None

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        return Path(self.path or "").read_bytes()


def check_body_headers(request: web.Request) -> None:
    limit = request.client_max_size
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"The request body is {request.content_length} bytes, over the limit of {limit} bytes.")
    content_type = request.content_type.lower() if "Content-Type" in request.headers else ""
    if content_type in SIMPLE_TYPES:
        raise UnsupportedMediaType(f"Send the body as JSON with `Content-Type: application/json`, not {content_type}.")


async def read_body(request: web.Request, timeout: float) -> bytes:
    body = await spool_body(request, None, timeout)
    return body.read()


async def read_json(request: web.Request, timeout: float = 30.0) -> dict[str, Any]:
    return parse_json(await read_body(request, timeout))


async def spool_body(request: web.Request, folder: Path | None, timeout: float, salt: str = "") -> Body:
    """The body, streamed (see the module's docstring). Without `folder` it all stays in memory."""
    check_body_headers(request)
    limit = request.client_max_size
    digest = hashlib.sha256(salt.encode("utf-8", "replace") + b"\x00")
    buffer = bytearray()
    file = None
    path: str | None = None
    size = 0
    try:
        async with asyncio.timeout(timeout):
            while True:
                chunk = await request.content.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"The request body is over the limit of {limit} bytes.")
                digest.update(chunk)
                if file is not None:
                    file.write(chunk)
                    continue
                buffer += chunk
                if folder is not None and len(buffer) > IN_MEMORY_BYTES:
                    folder.mkdir(parents=True, exist_ok=True)
                    handle, path = tempfile.mkstemp(prefix="body-", suffix=".json", dir=folder)
                    file = os.fdopen(handle, "wb")
                    file.write(buffer)
                    buffer = bytearray()
    except TimeoutError:
        _discard(file, path)
        raise RequestTimeout(f"The request body did not arrive within {timeout:g} s.") from None
    except (ConnectionError, asyncio.IncompleteReadError, web.HTTPException) as error:
        _discard(file, path)
        if isinstance(error, web.HTTPRequestEntityTooLarge):
            raise PayloadTooLarge(f"The request body is over the limit of {limit} bytes.") from None
        raise ClientGone("The client closed the connection while sending the body.") from None
    except BaseException:
        _discard(file, path)
        raise
    if file is not None:
        file.close()
    if size == 0 or (file is None and not bytes(buffer).strip()):
        raise BadRequest("The request body is empty; send a JSON object.")
    return Body(data=None if file is not None else bytes(buffer), path=path, size=size,
                digest=digest.hexdigest())


def _discard(file, path: str | None) -> None:
    if file is not None:
        with contextlib.suppress(OSError):
            file.close()
    if path:
        with contextlib.suppress(OSError):
            os.unlink(path)
