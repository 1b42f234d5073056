"""`parse_json(raw: bytes) -> dict`: a request body as a JSON object, or BadRequest (400)
saying what is wrong (invalid UTF-8, malformed or truncated JSON, nesting too deep,
NaN/Infinity, a top level that is not an object). Pure: used by the web layer for small
bodies and by print jobs (server.printing.job) for the rest.
"""

from __future__ import annotations

import json
from typing import Any

from server.errors import BadRequest


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
