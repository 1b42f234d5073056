"""One print job as a plain function: `run_job(job, context) -> JobResult`.

    context = JobContext(settings)                 # once per process (fonts, dictionary, fetcher settings)
    result = run_job(PrintJob(kind="pdf", body=raw_json_bytes, accept_language="ko"), context)
    result.content                                 # the PDF, or for kind "html" the typeset HTML (UTF-8)

A job carries its request in exactly one of three forms: `request` (an already parsed
PrintRequest), `body` (the raw JSON bytes of POST /api/print or /api/preview) or
`body_path` (a file holding those bytes: large bodies are spooled to disk by the server,
never held in its memory). `run_job` parses it (BadRequest/Unprocessable as the web
layer answers them), fetches the page when the request has no HTML and the images it
lacks (the guarded fetcher, server.fetching; pages through the shared page cache in
Redis when `settings.redis_url` is set, server.service.page_cache), extracts, glosses, typesets and, for kind
"pdf", renders. Kind "render" takes ready HTML (`html`) and only renders it. Every
failure is a GlossError (its status and detail are the answer); TooManyPages and
MemoryError are left to the caller, which knows the limits.

Where it runs is the caller's business: the render pool's worker processes
(server.printing.render) run it under a wall-clock limit and an address-space cap; any
other process (a queue consumer) can build a JobContext and call it the same way. Jobs
and results are plain dataclasses that pickle. Nothing a job builds outlives it: the
font configuration admits Gloss's own fonts only (worker.GlossFonts), so one document
cannot change how the next one prints.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from server.errors import GlossError
from server.printing import pipeline
from server.settings import Settings

KINDS = ("pdf", "html", "render")


@dataclass(frozen=True)
class PrintJob:
    kind: str = "pdf"  # "pdf" | "html" (the preview) | "render" (ready HTML to PDF)
    request: pipeline.PrintRequest | None = None
    body: bytes | None = None
    body_path: str | None = None
    html: str | None = None  # kind "render" only
    accept_language: str | None = None

    def load_request(self) -> pipeline.PrintRequest:
        """The request, parsed from whichever form the job carries."""
        if self.request is not None:
            return self.request
        from server.json_body import parse_json

        raw = self.body if self.body is not None else Path(self.body_path or "").read_bytes()
        return pipeline.parse_request(parse_json(raw), self.accept_language)


@dataclass(frozen=True)
class JobResult:
    kind: str
    content: bytes  # PDF bytes, or the HTML as UTF-8
    title: str = ""
    key: str = ""  # the request's cache key (pipeline.PrintRequest.cache_key)
    pages: int = 0
    render_seconds: float = 0.0  # time inside WeasyPrint
    seconds: float = 0.0  # the whole job


@dataclass
class JobContext:
    """What jobs in one process share: settings, the font configuration (made on first use,
    admitting Gloss's fonts only), the dictionary (opened on the first glossary), and the
    fetcher's test resolver (None: real DNS), and the shared page cache (with `redis_url`)."""
    settings: Settings
    resolver: Any = None
    font_config: Any = None
    _dictionary: Any = field(default=None, repr=False)
    _page_cache: Any = field(default=None, repr=False)

    def page_cache(self) -> Any:
        """The shared page cache (server.service.page_cache) with `redis_url`, else None."""
        if self._page_cache is None and self.settings.redis_url:
            from server.service.page_cache import SharedPageCache

            self._page_cache = SharedPageCache.from_settings(self.settings)
        return self._page_cache

    def fonts(self) -> Any:
        if self.font_config is None:
            from server.printing.worker import GlossFonts

            self.font_config = GlossFonts()
        return self.font_config

    def dictionary(self) -> Any:
        """The Dictionary, or the StoreMissing error the pipeline reports when it is not built."""
        if self._dictionary is None:
            from server.dictionary.lookup import Dictionary
            from server.dictionary.store import Store, StoreMissing

            try:
                self._dictionary = Dictionary(Store(self.settings.dictionary_path))
            except StoreMissing as error:
                self._dictionary = error
        return self._dictionary


def run_job(job: PrintJob, context: JobContext) -> JobResult:
    from server.printing.worker import render_pdf

    started = time.perf_counter()
    if job.kind not in KINDS:
        raise GlossError(f"unknown job kind {job.kind!r}")
    if job.kind == "render":
        render_started = time.perf_counter()
        pdf, pages = render_pdf(job.html or "", context.fonts(), max_pages=context.settings.render_max_pages)
        elapsed = time.perf_counter() - render_started
        return JobResult("render", pdf, pages=pages, render_seconds=elapsed, seconds=elapsed)
    request = job.load_request()
    document = asyncio.run(_document(request, context))
    if job.kind == "html":
        return JobResult("html", document.html.encode("utf-8"), title=document.article.title,
                         key=request.cache_key(), seconds=time.perf_counter() - started)
    render_started = time.perf_counter()
    pdf, pages = render_pdf(document.html, context.fonts(), max_pages=context.settings.render_max_pages)
    now = time.perf_counter()
    return JobResult("pdf", pdf, title=document.article.title, key=request.cache_key(), pages=pages,
                     render_seconds=now - render_started, seconds=now - started)


async def _document(request: pipeline.PrintRequest, context: JobContext) -> pipeline.Typeset:
    from server.fetching.fetch import GuardedFetcher

    fetcher = GuardedFetcher(context.settings, resolver=context.resolver)
    if request.html is None and context.page_cache() is not None:
        from server.service.page_cache import CachingFetcher

        fetcher = CachingFetcher(fetcher, context.page_cache(), context.settings)
    try:
        dictionary = context.dictionary() if request.options.glossary else None
        return await pipeline.preview(request, fetcher, max_images=context.settings.print_fetch_images,
                                      dictionary=dictionary)
    finally:
        await fetcher.close()
