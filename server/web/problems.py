"""One middleware turns every error into `application/problem+json`.

GlossError subclasses carry their status; aiohttp's own HTTP errors (404 for an unknown
route, 405, 413 from `client_max_size`) are mapped to the same shape; anything else is
logged and answered 500, and the server keeps serving.
"""

from __future__ import annotations

import json
import logging

from aiohttp import web

from server.errors import GlossError

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


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
