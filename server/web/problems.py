"""One middleware turns every error into `application/problem+json`.

GlossError subclasses carry their status; aiohttp's own HTTP errors (404 for an unknown
route, 405, 413 from `client_max_size`) are mapped to the same shape; anything else is
logged and answered 500, and the server keeps serving. `setup(app)` also marks every
response `X-Content-Type-Options: nosniff`, and replaces aiohttp's answer to requests it
cannot even parse (a bad request line or header: text/plain echoing the bytes, sent
before any middleware runs) with a problem+json one that echoes nothing.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from aiohttp import web, web_protocol

from server.errors import GlossError

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
NOSNIFF = {"X-Content-Type-Options": "nosniff"}


def problem_response(status: int, title: str, detail: str, headers: dict[str, str] | None = None,
                     **extra) -> web.Response:
    slug = title.lower().replace(" ", "-")
    body = {"type": f"https://gloss.invalid/problems/{slug}", "title": title, "status": status,
            "detail": detail, **extra}
    return web.Response(status=status, text=json.dumps(body, ensure_ascii=False),
                        content_type=PROBLEM_JSON, headers=headers)


def error_response(error: GlossError) -> web.Response:
    return web.Response(status=error.status, text=json.dumps(error.problem(), ensure_ascii=False),
                        content_type=PROBLEM_JSON, headers=error.headers)


@web.middleware
async def problems_middleware(request: web.Request, handler):
    try:
        return await handler(request)
    except GlossError as error:
        return error_response(error)
    except web.HTTPRequestEntityTooLarge:
        # aiohttp keeps no `max_size` attribute on this error; the limit is the app's own.
        return problem_response(413, "Payload too large",
                                f"The request body is over the limit of {request.client_max_size} bytes.")
    except web.HTTPException as error:
        if error.status < 400:
            raise
        headers = {k: v for k, v in error.headers.items() if k in ("Allow", "Retry-After")}
        return problem_response(error.status, error.reason, error.text or error.reason, headers=headers)
    except Exception:  # the server must keep serving whatever one request did
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response(500, "Internal error", "The server failed on this request; it is logged.")


async def _nosniff(_request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(NOSNIFF)


def _protocol_error(self, request, status: int = 500, exc: BaseException | None = None,
                    message: str | None = None) -> web.StreamResponse:  # noqa: ARG001 - aiohttp's signature
    """aiohttp's RequestHandler.handle_error, answering problem+json without the request's bytes."""
    if request.writer.output_size > 0:  # as aiohttp's own: the connection is broken
        raise ConnectionError("Response is sent already, cannot send another response with the error message")
    if status >= 500:
        self.log_exception("Error handling request from %s", request.remote, exc_info=exc)
    else:
        log.debug("unreadable request from %s: %s", request.remote, exc)
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    detail = ("The request could not be read as HTTP (request line, headers or body framing)."
              if status < 500 else "The server failed on this request; it is logged.")
    response = problem_response(status, phrase, detail, headers=dict(NOSNIFF))
    response.force_close()
    return response


def setup(app: web.Application) -> None:
    app.on_response_prepare.append(_nosniff)
    # aiohttp has no hook for these answers; its handler method is replaced once per process.
    web_protocol.RequestHandler.handle_error = _protocol_error
