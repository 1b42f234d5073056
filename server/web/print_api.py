"""Print endpoints: `POST /api/print`, `GET /api/print?url=...`, `POST /api/preview`.

POST bodies are JSON `{"url", "html"?, "images"?: {absolute URL: data: URI}, "options"?}`;
GET takes `url` and the options as query parameters. /api/print answers the PDF as an
attachment named after the headline; /api/preview answers the exact HTML /api/print
renders. Handlers only parse and map: the work is in server.printing.pipeline.
The render pool, the PDF cache, the admission gate (at most render_workers + render_queue
prints and previews at once, whole jobs; beyond it 503 + Retry-After before any work) and
the threads that extract and typeset (as many as render workers) are created on start-up
and closed on shutdown. Cached prints are answered without a slot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from server.printing import pipeline
from server.printing.admission import PrintGate
from server.printing.cache import PrintCache
from server.printing.filename import content_disposition
from server.service import printing as shared
from server.web.keys import DICTIONARY, FETCHER, PRINT_CACHE, RENDER_POOL, SETTINGS
from server.web.requests import decode_json, read_body, read_json

PRINT_GATE = web.AppKey("print_gate", PrintGate)
PRINT_THREADS = web.AppKey("print_threads", ThreadPoolExecutor)


def _print_request(request: web.Request, body: Any) -> pipeline.PrintRequest:
    return pipeline.parse_request(body, request.headers.get("Accept-Language"))


def _pdf_response(printed: pipeline.Printed) -> web.Response:
    return web.Response(body=printed.pdf, content_type="application/pdf", headers={
        "Content-Disposition": content_disposition(printed.title),
        "X-Gloss-Cache": "hit" if printed.cached else "miss",
        # Standard Server-Timing: lets a client (or the benchmark) tell render time from the rest.
        "Server-Timing": f"render;dur={printed.render_seconds * 1000:.1f}",
    })


async def _printed(request: web.Request, print_request: pipeline.PrintRequest) -> pipeline.Printed:
    app = request.app
    return await shared.printed(app, print_request.cache_key(), lambda: pipeline.print_pdf(
        print_request, app.get(FETCHER), app[RENDER_POOL], app[PRINT_CACHE],
        max_images=app[SETTINGS].print_fetch_images, dictionary=app.get(DICTIONARY),
        gate=app[PRINT_GATE], threads=app[PRINT_THREADS]))


async def post_print(request: web.Request) -> web.Response:
    await shared.check_room(request.app)  # a full render queue answers 503 before the body is read
    raw = await read_body(request)
    cache = request.app[PRINT_CACHE]
    raw_key = pipeline.raw_key(raw, request.headers.get("Accept-Language"))
    if (hit := cache.get_alias(raw_key)) is not None:
        return _pdf_response(pipeline.Printed(pdf=hit.pdf, title=hit.filename, cached=True))
    response_printed = await _printed(request, _print_request(request, await decode_json(raw)))
    cache.alias(raw_key, response_printed.key)
    return _pdf_response(response_printed)


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
    return _pdf_response(await _printed(request, _print_request(request, body)))


async def post_preview(request: web.Request) -> web.Response:
    print_request = _print_request(request, await read_json(request))
    app = request.app
    with app[PRINT_GATE].admit():
        document = await pipeline.preview(print_request, app.get(FETCHER),
                                          max_images=app[SETTINGS].print_fetch_images,
                                          dictionary=app.get(DICTIONARY), threads=app[PRINT_THREADS])
    return web.Response(text=document.html, content_type="text/html", charset="utf-8")


async def printing_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    pool = shared.renderer(app)  # the local pool, or the Redis queue (GLOSS_RENDER_WORKERS=0)
    await pool.start()
    app[RENDER_POOL] = pool
    app[PRINT_CACHE] = PrintCache(settings.cache_entries)
    app[PRINT_GATE] = PrintGate(pool.size + max(0, settings.render_queue))
    # Extraction and typesetting: threads cannot be stopped, so there are only as many as
    # render workers; admitted jobs beyond them wait in this pool's queue, not in threads.
    threads = ThreadPoolExecutor(max_workers=pool.size, thread_name_prefix="gloss-extract")
    app[PRINT_THREADS] = threads
    try:
        yield
    finally:
        await pool.close()
        threads.shutdown(wait=False, cancel_futures=True)


def setup(app: web.Application) -> None:
    app.router.add_post("/api/print", post_print)
    app.router.add_get("/api/print", get_print)
    app.router.add_post("/api/preview", post_preview)
    app.cleanup_ctx.append(printing_context)
