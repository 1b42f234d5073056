"""Print endpoints: `POST /api/print`, `GET /api/print?url=...`, `POST /api/preview`.

POST bodies are JSON `{"url", "html"?, "images"?: {absolute URL: data: URI}, "options"?}`;
GET takes `url` and the options as query parameters. /api/print answers the PDF as an
attachment named after the headline; /api/preview answers the exact HTML /api/print
renders. The work itself (parsing a large body, fetching, extraction, typesetting,
rendering) is one print job (server.printing.job) run by the job pool's worker
processes, with their time limit and memory cap; this module only admits, reads and maps.

Order of a POST, so that nothing costly happens before a request is let in:
1. headers: a declared body over `max_body_mb` is 413, a form or text type 415;
2. a small body (declared, at most INLINE_BODY_BYTES) is read and parsed here, so bad
   input is answered at once and a cached print (the same bytes, or the same request
   spelled otherwise) is answered without a slot;
3. admission: at most render_workers + render_queue prints and previews at once (whole
   jobs); beyond that 503 + Retry-After, before a larger body is read at all;
4. a larger body is streamed to a file under the pool's temporary directory (never held
   in this process), cut off after `body_timeout` seconds (408) or past the size limit;
5. the job runs in a worker; if the client goes away meanwhile, the job is cancelled
   (its worker killed and replaced) and the slot given back at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from typing import Any

from aiohttp import web

from server.json_body import parse_json
from server.printing import pipeline
from server.printing.admission import PrintGate
from server.printing.cache import CachedPrint, PrintCache
from server.printing.filename import content_disposition
from server.printing.job import JobResult, PrintJob
from server.service import printing as shared
from server.web.keys import PRINT_CACHE, RENDER_POOL, SETTINGS
from server.web.requests import Body, ClientGone, check_body_headers, spool_body

PRINT_GATE = web.AppKey("print_gate", PrintGate)
# Bodies up to this size are parsed in the server (about a millisecond): enough for an
# article page without its images; anything larger is parsed by the job, in a worker.
INLINE_BODY_BYTES = 256 * 1024
# How often a running job checks that its client is still connected, in seconds.
DISCONNECT_POLL = 0.25


def _pdf_response(pdf: bytes, title: str, cached: bool, render_seconds: float = 0.0) -> web.Response:
    return web.Response(body=pdf, content_type="application/pdf", headers={
        "Content-Disposition": content_disposition(title),
        "X-Gloss-Cache": "hit" if cached else "miss",
        # Standard Server-Timing: lets a client (or the benchmark) tell render time from the rest.
        "Server-Timing": f"render;dur={render_seconds * 1000:.1f}",
    })


def _cached(hit: CachedPrint) -> web.Response:
    return _pdf_response(hit.pdf, hit.filename, cached=True)


async def _while_connected(request: web.Request, work: Awaitable[JobResult]) -> JobResult:
    """`work`'s result; cancelled (ClientGone) as soon as the client's connection closes.
    aiohttp does not cancel a handler whose client left, so the connection is watched."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=DISCONNECT_POLL)
            if done:
                return task.result()
            transport = request.transport
            if transport is None or transport.is_closing():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                raise ClientGone("The client closed the connection; its print was stopped.")
    finally:
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def _run(request: web.Request, job: PrintJob, raw_key: str | None = None) -> JobResult:
    # shared.ran: renders counted by outcome; a PDF goes to the shared cache too (with Redis).
    return await shared.ran(request.app, _while_connected(request, request.app[RENDER_POOL].run(job)), raw_key)


def _remember(request: web.Request, result: JobResult, raw_key: str | None) -> None:
    cache: PrintCache = request.app[PRINT_CACHE]
    cache.put(result.key, CachedPrint(pdf=result.content, filename=result.title))
    if raw_key:
        cache.alias(raw_key, result.key)


async def _post(request: web.Request, kind: str) -> web.Response:
    app = request.app
    settings = app[SETTINGS]
    cache: PrintCache = app[PRINT_CACHE]
    language = request.headers.get("Accept-Language")
    await shared.check_room(app)  # a full Redis render queue: 503 before the body is read
    check_body_headers(request)
    declared = request.content_length
    if declared is not None and declared <= INLINE_BODY_BYTES:
        body = await spool_body(request, None, settings.body_timeout, salt=language or "")
        if kind == "pdf" and (hit := cache.get_alias(body.digest) or await shared.cached(app, raw_key=body.digest)):
            return _cached(hit)
        print_request = pipeline.parse_request(parse_json(body.read()), language)
        if kind == "pdf" and (hit := cache.get(print_request.cache_key())
                              or await shared.cached(app, key=print_request.cache_key())) is not None:
            cache.alias(body.digest, print_request.cache_key())
            return _cached(hit)
        with app[PRINT_GATE].admit():
            result = await _run(request, PrintJob(kind=kind, request=print_request), body.digest)
        return _answer(request, result, body.digest)
    with app[PRINT_GATE].admit():
        spooled: Body = await spool_body(request, app[RENDER_POOL].temp_root / "bodies", settings.body_timeout,
                                         salt=language or "")
        try:
            if kind == "pdf" and (hit := cache.get_alias(spooled.digest)
                                  or await shared.cached(app, raw_key=spooled.digest)) is not None:
                return _cached(hit)
            job = PrintJob(kind=kind, body=spooled.data, body_path=spooled.path, accept_language=language)
            result = await _run(request, job, spooled.digest)
        finally:
            spooled.discard()
    return _answer(request, result, spooled.digest)


def _answer(request: web.Request, result: JobResult, raw_key: str | None) -> web.Response:
    if result.kind == "html":
        return web.Response(body=result.content, content_type="text/html", charset="utf-8")
    _remember(request, result, raw_key)
    return _pdf_response(result.content, result.title, cached=False, render_seconds=result.render_seconds)


async def post_print(request: web.Request) -> web.Response:
    return await _post(request, "pdf")


async def post_preview(request: web.Request) -> web.Response:
    return await _post(request, "html")


def _query_options(query) -> dict[str, Any]:
    """Options from a link: strings turned into the JSON types the validator expects."""
    options: dict[str, Any] = {}
    for name in ("page_size", "links"):
        if name in query:
            options[name] = query[name]
    if "font_size" in query:
        try:
            options["font_size"] = float(query["font_size"])
        except ValueError:
            options["font_size"] = query["font_size"]  # the validator names the field
    if "images" in query:
        value = query["images"].strip().lower()
        options["images"] = {"1": True, "true": True, "yes": True, "on": True,
                             "0": False, "false": False, "no": False, "off": False}.get(value, value)
    if "glossary" in query:  # "auto", or words separated by commas
        value = query["glossary"].strip()
        options["glossary"] = value if value.lower() == "auto" else [w for w in value.split(",") if w.strip()]
    if "glossary_max" in query:
        try:
            options["glossary_max"] = int(query["glossary_max"])
        except ValueError:
            options["glossary_max"] = query["glossary_max"]  # the validator names the field
    return options


async def get_print(request: web.Request) -> web.Response:
    await shared.check_room(request.app)
    body = {"url": request.query.get("url"), "options": _query_options(request.query)}
    print_request = pipeline.parse_request(body, request.headers.get("Accept-Language"))
    if (hit := request.app[PRINT_CACHE].get(print_request.cache_key())
            or await shared.cached(request.app, key=print_request.cache_key())) is not None:
        return _cached(hit)
    with request.app[PRINT_GATE].admit():
        result = await _run(request, PrintJob(kind="pdf", request=print_request))
    return _answer(request, result, None)


async def printing_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    pool = shared.job_runner(app)  # the local pool, or the Redis queue (GLOSS_RENDER_WORKERS=0)
    await pool.start()
    app[RENDER_POOL] = pool
    app[PRINT_CACHE] = PrintCache(settings.cache_entries)
    app[PRINT_GATE] = PrintGate(pool.size + max(0, settings.render_queue))
    try:
        yield
    finally:
        await pool.close()


def setup(app: web.Application) -> None:
    app.router.add_post("/api/print", post_print)
    app.router.add_get("/api/print", get_print)
    app.router.add_post("/api/preview", post_preview)
    app.cleanup_ctx.append(printing_context)

