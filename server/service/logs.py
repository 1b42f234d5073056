"""Log lines as JSON objects carrying the request id; the id is echoed in `X-Request-Id`.

    configure(settings)               GLOSS_LOG_FORMAT=json|text, INFO and above on stderr
    take_id(request), request_id      the id of the request being handled (set by wiring's middleware)
    log_request(request, status, s)   the access line

A request's id is the caller's `X-Request-Id` when it is a short token (a load balancer
or client that already has one keeps it across hops), otherwise 12 random hex digits
fixed per process followed by a counter in hex.
It lives in a context variable, so every line logged while the request is handled
(a problem's traceback included) carries it. With `GLOSS_ACCESS_LOG` and the json
format, one line per request gives method, path, route, status and milliseconds.
"""

from __future__ import annotations

import contextvars
import itertools
import json
import logging
import os
import re
import sys
from datetime import UTC, datetime

from aiohttp import web

from server.settings import Settings

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


# Ids are this process's random prefix and a counter: unique across replicas (48 random
# bits per process) and cheaper than fresh randomness on every look-up.
_PREFIX = os.urandom(6).hex()
_counter = itertools.count(1)


def new_id() -> str:
    return f"{_PREFIX}{next(_counter):x}"


def take_id(request: web.Request) -> str:
    """The caller's id when it is a plain short token, else a new one."""
    sent = request.headers.get(HEADER, "")
    return sent if sent and ACCEPTED_ID.match(sent) else new_id()


def log_request(request: web.Request, status: int, seconds: float) -> None:
    """The access line (JSON format only: the text format keeps aiohttp's own)."""
    access_log.info("request", extra={"fields": {"method": request.method, "path": request.path, "status": status,
                                                 "ms": round(seconds * 1000, 2)}})
