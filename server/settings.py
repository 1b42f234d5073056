"""Every setting of the server, declared once with its default and its help text.

`Settings.from_env()` reads `GLOSS_<NAME>` environment variables (plus `HOST` and
`PORT`); the command line overrides those. Nothing else in the package reads the
environment, so a test builds exactly the settings it wants.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _setting(default, help: str):  # noqa: A002 - mirrors argparse's name
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    host: str = _setting("127.0.0.1", "Address to bind. Anything but loopback requires `token`.")
    port: int = _setting(8080, "TCP port to serve on.")
    token: str = _setting("", "Access token; when set, every request but /healthz needs `Authorization: Bearer <token>`.")
    extension_origins: str = _setting(
        "", "Extension origins accepted besides Gloss's Chrome build, comma-separated (chrome-extension://<id>, "
        "moz-extension://<uuid>): self-built copies and Firefox installs. Any extension may use the token when one is set.")
    dictionary_path: Path = _setting(
        PROJECT_ROOT / "data" / "dictionary.sqlite", "The SQLite dictionary built by `gloss build-dictionary`."
    )
    render_workers: int = _setting(2, "Worker processes that run print jobs (parsing, extraction, typesetting, WeasyPrint).")
    render_timeout: float = _setting(60.0, "Seconds one print job may take before its worker is replaced (504).")
    render_memory_mb: int = _setting(2048, "Address-space cap of a print worker in MiB (413 when exceeded).")
    render_queue: int = _setting(16, "Print requests waiting for a worker before the server answers 503.")
    render_max_pages: int = _setting(300, "Most pages one PDF may have (413 above it).")
    print_fetch_images: int = _setting(24, "Most images the server fetches itself for one print (the rest are left out).")
    max_body_mb: int = _setting(40, "Largest request body accepted, in MiB (413 above it).")
    body_timeout: float = _setting(30.0, "Seconds a request body may take to arrive in full (408 above it).")
    fetch_timeout: float = _setting(20.0, "Seconds the server waits for a page it fetches itself (504 above it).")
    fetch_max_mb: int = _setting(10, "Largest page or image the server fetches itself, in MiB.")
    allow_private_fetch: bool = _setting(False, "Let the server fetch loopback addresses, 127.0.0.0/8 and ::1 (tests only); other private ranges stay refused.")
    cache_entries: int = _setting(64, "Rendered PDFs kept in the in-memory cache.")
    access_log: bool = _setting(False, "Log one line per request (aiohttp's access log; off by default, it slows look-ups).")
    # Shared service (server.service): all off unless `redis_url` is set.
    redis_url: str = _setting("", "Redis for the shared cache, render queue and rate counters (redis://host:port/db); empty: none.")
    queue_max: int = _setting(64, "Render jobs waiting in the Redis queue before prints get 503 (with redis_url).")
    shared_cache_ttl: int = _setting(86400, "Seconds a PDF, or a page the server fetched, stays in the shared cache.")
    shared_cache_max_mb: int = _setting(20, "Largest PDF, or page the server fetched, kept in the shared cache, in MiB.")
    tokens: str = _setting("", "File of client tokens with per-token rates of prints and look-ups (see README).")
    log_format: str = _setting("text", "Log lines as `text` or `json` (one JSON object per line, with the request id).")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f"GLOSS_{f.name.upper()}")
            if f.name in ("host", "port") and raw is None:
                raw = env.get(f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _parse(f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _parse(type_name: str, raw: str):
    if type_name == "int":
        return int(raw)
    if type_name == "float":
        return float(raw)
    if type_name == "bool":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if type_name == "Path":
        return Path(raw)
    return raw
