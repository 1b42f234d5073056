"""Domain errors that know their HTTP status.

Every stage raises one of these; the web layer's middleware turns each into the same
`application/problem+json` body (type, title, status, detail, plus any extra fields),
and the command line prints `detail` and exits non-zero.
"""

from __future__ import annotations

from typing import Any


class GlossError(Exception):
    status = 500
    title = "Internal error"
    slug = "internal-error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}

    def problem(self) -> dict[str, Any]:
        body = {"type": f"https://gloss.invalid/problems/{self.slug}", "title": self.title,
                "status": self.status, "detail": self.detail}
        body.update(self.extra)
        return body


class BadRequest(GlossError):
    status, title, slug = 400, "Bad request", "bad-request"


class Unauthorized(GlossError):
    status, title, slug = 401, "Unauthorized", "unauthorized"


class Forbidden(GlossError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(GlossError):
    status, title, slug = 404, "Not found", "not-found"


class PayloadTooLarge(GlossError):
    status, title, slug = 413, "Payload too large", "payload-too-large"


class UnsupportedMediaType(GlossError):
    status, title, slug = 415, "Unsupported media type", "unsupported-media-type"


class Unprocessable(GlossError):
    status, title, slug = 422, "Unprocessable request", "unprocessable"


class NoArticle(Unprocessable):
    title, slug = "No article found", "no-article"


class UpstreamError(GlossError):
    status, title, slug = 502, "Upstream fetch failed", "upstream-error"


class Busy(GlossError):
    status, title, slug = 503, "Server busy", "busy"

    def __init__(self, detail: str, retry_after: int = 5, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["Retry-After"] = str(retry_after)


class GatewayTimeout(GlossError):
    status, title, slug = 504, "Timed out", "timeout"
