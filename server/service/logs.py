"""Log lines as JSON objects carrying the request id; the id is echoed in `X-Request-Id`.

    configure(settings)               GLOSS_LOG_FORMAT=json|text, INFO and above on stderr
    request_id_middleware             outermost: sets the id for everything the request logs

A request's id is the caller's `X-Request-Id` when it is a short token (a load balancer
or client that already has one keeps it across hops), otherwise 16 random hex digits.
It lives in a context variable, so every line logged while the request is handled
(a problem's traceback included) carries it. With `GLOSS_ACCESS_LOG` and the json
format, one line per request gives method, path, route, status and milliseconds.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
import time
from datetime import UTC, datetime

from aiohttp import web

from server.settings import Settings
from server.web.keys import SETTINGS

HEADER = "X-Request-Id"
# An id taken from the caller: short and plain, so it can be logged and echoed safely.
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
access_log = logging.getLogger("gloss.access")
# Libraries that log every step at INFO: their warnings are worth a line, their progress is not.
NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id.get()
        if rid:
            line["request_id"] = rid
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for chatty in NOISY_LOGGERS:
        logging.getLogger(chatty).setLevel(logging.WARNING)


def new_id() -> str:
    return os.urandom(8).hex()


@web.middleware
async def request_id_middleware(request: web.Request, handler):
    sent = request.headers.get(HEADER, "")
    rid = sent if ACCEPTED_ID.match(sent) else new_id()
    token = request_id.set(rid)
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        response.headers[HEADER] = rid
        return response
    except web.HTTPException as error:  # redirects and the like, raised rather than returned
        status = error.status
        error.headers[HEADER] = rid
        raise
    finally:
        settings = request.app[SETTINGS]
        if settings.access_log and settings.log_format == "json":
            access_log.info("request", extra={"fields": {
                "method": request.method, "path": request.path, "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 2)}})
        request_id.reset(token)
