"""The job pool: `await pool.run(PrintJob) -> JobResult`, every job in a worker process.

A small pool of worker processes (multiprocessing, forkserver context: each new worker
forks from a server that has WeasyPrint imported already, so a replacement is ready
quickly) that this module can kill one at a time, which
concurrent.futures.ProcessPoolExecutor cannot. Each worker runs worker.worker_main,
which runs server.printing.job.run_job: parsing, fetching, extraction, typesetting and
rendering of a request all happen there, none in the server process.
`await pool.render(html) -> RenderResult(pdf, pages)` is the render-only job.

Limits, each answered with its own error:
- wall clock per job (`render_timeout`): the worker is killed and replaced -> 504;
- address space per worker (`render_memory_mb`, RLIMIT_AS set inside the worker):
  MemoryError -> 413, the worker is replaced;
- pages per document (`render_max_pages`) -> 413;
- waiting jobs (`render_queue`): beyond it -> 503 Busy with Retry-After.
A worker that dies for any other reason is replaced and the request answered 500. A
job whose caller is cancelled (its client went away) has its worker killed and replaced
at once: the work stops and the place is free.

One job must not slow another down: a job still running after `demote_after` seconds
has its worker's CPU priority lowered (nice 10) and stops counting against the pool's
size: a fresh worker starts in its place (at most `size` demoted workers at once), so
ordinary jobs keep a full-priority worker while a pathological one runs out its clock
(twice the time limit for a demoted job: its slowness under load is the others' doing).
A demoted worker ends with its job (its priority cannot be raised again unprivileged).

Temporary files: the pool makes one directory (`temp_root`) in the system's temporary
directory, one sub-directory per worker inside it (the worker's TMPDIR), removes a
worker's directory as soon as the worker ends (killed or not), and the whole root at
`close()`. The web layer spools large request bodies under `temp_root` too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server.errors import Busy, GatewayTimeout, GlossError, PayloadTooLarge
from server.printing.job import JobResult, PrintJob
from server.settings import Settings

log = logging.getLogger(__name__)
# Seconds a new worker may take to import WeasyPrint and do its warm-up render.
START_TIMEOUT = 120.0
# Renders a worker does before it is replaced, so that font caches and heap
# fragmentation cannot grow without bound in a long-running server.
RENDERS_PER_WORKER = 500
_context: Any = None
# How a worker dies when C code (GLib's g_malloc, used by Pango) cannot allocate under the
# address-space cap: GLib reports the failure and aborts with SIGTRAP or SIGABRT. Python
# allocations that fail raise MemoryError instead, which the worker reports itself.
ALLOCATION_ABORTS = (-signal.SIGTRAP, -signal.SIGABRT)
# Seconds after which a running job is demoted (lower CPU priority, replaced in the pool):
# an ordinary print takes well under it, a pathological page far longer.
DEMOTE_AFTER = 3.0
# Nice 10: a demoted job gets about a tenth of a core while ordinary jobs want it all
# (CFS weights 110 vs 1024), and the whole core when nothing else runs. Nice 19 starved
# long but legitimate prints under sustained load until their time limit (bench-load).
DEMOTED_NICE = 10
# A demoted job may run this many times the time limit: it runs at a low priority, and
# its slowness under load is the others' doing. Still bounded.
DEMOTED_TIME_FACTOR = 2


class RenderFailed(GlossError):
    status, title, slug = 500, "Render failed", "render-failed"


def _mp_context():
    global _context
    if _context is None:
        try:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(["server.printing.worker"])
        except ValueError:  # platforms without forkserver
            _context = multiprocessing.get_context("spawn")
    return _context


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    pages: int
    seconds: float  # time inside WeasyPrint, as the worker measured it


class _Worker:
    """One process, the parent's end of its pipe and its temporary directory. All methods
    block: run them in threads."""

    def __init__(self, memory_mb: int, max_pages: int, settings: Settings | None = None,
                 resolver: Any = None, temp_root: Path | None = None) -> None:
        from server.printing import worker  # noqa: F401 - fail here, not in the child, if it cannot import

        ctx = _mp_context()
        self.temporary_directory = tempfile.mkdtemp(prefix="worker-", dir=temp_root)
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=worker.worker_main,
                                   args=(child, memory_mb, max_pages, settings, resolver, self.temporary_directory),
                                   name="gloss-render", daemon=True)
        self.process.start()
        child.close()
        self.renders = 0
        self.demoted = False

    def wait_ready(self) -> None:
        if not self.conn.poll(START_TIMEOUT):
            raise RenderFailed("A render worker did not start in time.")
        message = self.conn.recv()
        if message[0] != "ready":
            raise RenderFailed(f"A render worker could not start: {message[1:]}")

    def call(self, job: PrintJob) -> tuple:
        self.conn.send(job)
        return self.conn.recv()

    def demote(self) -> None:
        """Lowest CPU priority for this worker: it keeps running, but yields to the others."""
        with contextlib.suppress(OSError, TypeError):
            os.setpriority(os.PRIO_PROCESS, self.process.pid, DEMOTED_NICE)
        self.demoted = True

    def signal_kill(self) -> None:
        """SIGKILL without waiting (safe on the event loop's thread)."""
        with contextlib.suppress(Exception):
            self.process.kill()

    def exit_code(self) -> int | None:
        self.process.join(2)
        return self.process.exitcode

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()
        self._remove_files()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()
        self._remove_files()

    def _remove_files(self) -> None:
        if not self.process.is_alive():
            shutil.rmtree(self.temporary_directory, ignore_errors=True)


class RenderPool:
    def __init__(self, settings: Settings, workers: int | None = None, resolver: Any = None) -> None:
        self.settings = settings
        self.resolver = resolver  # tests only: the fetcher's host table (see server.fetching.fetch)
        self.size = max(1, workers or settings.render_workers)
        self.demote_after = DEMOTE_AFTER  # an attribute, so a test can tune it
        self.timeout = settings.render_timeout  # an attribute, so an operator (or test) can tune it live
        self.queue_limit = max(0, settings.render_queue)
        self.memory_mb = settings.render_memory_mb
        self.max_pages = settings.render_max_pages
        # Two thread pools, so that threads blocked on jobs can never keep a worker from
        # being started, stopped or cleaned up: one thread per busy worker (demoted ones
        # included) waits on its pipe; the others start workers and stop them.
        self._threads = ThreadPoolExecutor(max_workers=2 * self.size + 2, thread_name_prefix="gloss-job")
        self._admin = ThreadPoolExecutor(max_workers=2 * self.size + 2, thread_name_prefix="gloss-workers")
        self.temp_root = Path(tempfile.mkdtemp(prefix="gloss-"))
        self._demoted = 0
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._waiting = 0
        self._busy: set[_Worker] = set()
        self._all: set[_Worker] = set()  # every live worker process, idle, busy or starting
        self._starting: set[asyncio.Task] = set()
        self._closed = False
        self.replaced = 0  # workers retired and replaced so far (reported by /metrics)

    @property
    def busy(self) -> int:
        """Workers rendering right now."""
        return len(self._busy)

    @property
    def waiting(self) -> int:
        """Renders waiting for a worker right now."""
        return self._waiting

    @property
    def ready(self) -> int:
        """Workers started and able to render: idle or rendering."""
        return self._idle.qsize() + len(self._busy)

    async def start(self) -> None:
        """Starts the workers in the background; renders wait for the first to be ready."""
        for _ in range(self.size):
            self._spawn()

    async def wait_ready(self) -> None:
        """Waits until every worker is started (benchmarks call this before timing)."""
        while self._starting:
            await asyncio.gather(*list(self._starting), return_exceptions=True)

    def _spawn(self) -> None:
        if self._closed:
            return
        task = asyncio.ensure_future(self._start_worker())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    def _new_worker(self) -> _Worker:
        worker = _Worker(self.memory_mb, self.max_pages, self.settings, self.resolver, self.temp_root)
        self._all.add(worker)
        return worker

    async def _start_worker(self) -> None:
        loop = asyncio.get_running_loop()
        worker: _Worker | None = None
        try:
            worker = await loop.run_in_executor(self._admin, self._new_worker)
            await loop.run_in_executor(self._admin, worker.wait_ready)
        except Exception:
            if worker is not None:
                self._all.discard(worker)
                worker.kill()
            if self._closed:
                return
            log.exception("a render worker failed to start; retrying in 5 s")
            await asyncio.sleep(5)
            self._spawn()
            return
        if self._closed:
            self._all.discard(worker)
            worker.stop()
        else:
            self._idle.put_nowait(worker)

    def _retire(self, worker: _Worker, kill: bool) -> None:
        """Replaces a worker; the old one is stopped in a thread so the loop never waits on it.
        A demoted worker was replaced when it was demoted."""
        self._all.discard(worker)
        self.replaced += 1
        loop = asyncio.get_running_loop()
        if kill:
            worker.signal_kill()  # at once: the work stops now, whatever the threads are doing
        loop.run_in_executor(self._admin, worker.kill if kill else worker.stop)
        if worker.demoted:
            self._demoted -= 1
        else:
            self._spawn()

    def _demote(self, worker: _Worker) -> None:
        """The job on `worker` has run long: lower its priority and start a worker in its place."""
        if worker.demoted or worker not in self._busy or self._closed or self._demoted >= self.size:
            return
        worker.demote()
        self._demoted += 1
        self._spawn()

    def _release(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        if worker.demoted:
            self._demoted -= 1
            self._all.discard(worker)  # its replacement is running already
            asyncio.get_running_loop().run_in_executor(self._admin, worker.stop)
        elif worker.renders >= RENDERS_PER_WORKER:
            self._retire(worker, kill=False)
        elif not self._closed:
            self._idle.put_nowait(worker)

    async def render(self, html: str) -> RenderResult:
        """Typeset HTML to PDF: the render-only job."""
        result = await self.run(PrintJob(kind="render", html=html))
        return RenderResult(pdf=result.content, pages=result.pages, seconds=result.render_seconds)

    async def run(self, job: PrintJob) -> JobResult:
        if self._closed:
            raise RenderFailed("The render pool is shut down.")
        # A worker being started (a replacement) counts as one that will be free.
        if self._idle.empty() and self._waiting >= self.queue_limit + len(self._starting):
            raise Busy(f"All {self.size} render workers are busy and {self._waiting} requests are waiting; "
                       "try again shortly.", retry_after=max(1, int(self.timeout // 10) or 1))
        self._waiting += 1
        try:
            # Bounded even if no worker ever comes back (one that cannot start, say).
            worker = await asyncio.wait_for(self._idle.get(), max(START_TIMEOUT, 2 * self.timeout))
        except asyncio.TimeoutError:
            raise Busy("No render worker became free in time; try again shortly.",
                       retry_after=max(1, int(self.timeout // 10) or 1)) from None
        finally:
            self._waiting -= 1
        self._busy.add(worker)
        worker.renders += 1
        loop = asyncio.get_running_loop()
        job_future = loop.run_in_executor(self._threads, worker.call, job)
        demotion = loop.call_later(self.demote_after, self._demote, worker) if self.demote_after > 0 else None
        started = time.monotonic()
        try:
            reply = await self._wait(job_future, worker)
        except asyncio.TimeoutError:
            # The killed worker's pipe ends in EOFError in the waiting thread: expected, consumed.
            job_future.add_done_callback(lambda f: f.cancelled() or f.exception())
            self._busy.discard(worker)
            self._retire(worker, kill=True)
            limit = self.timeout * (DEMOTED_TIME_FACTOR if worker.demoted else 1)
            raise GatewayTimeout(f"The print took longer than {limit:g} s and was stopped; "
                                 "try fewer images or a smaller page.") from None
        except asyncio.CancelledError:
            # The caller went away: stop the work now and give the place back.
            job_future.add_done_callback(lambda f: f.cancelled() or f.exception())
            self._busy.discard(worker)
            self._retire(worker, kill=True)
            raise
        except (EOFError, OSError) as error:
            self._busy.discard(worker)
            exitcode = await loop.run_in_executor(self._admin, worker.exit_code)
            self._retire(worker, kill=True)
            if exitcode in ALLOCATION_ABORTS and self.memory_mb > 0:
                raise PayloadTooLarge(
                    f"The document is too big to print: it needed more than the {self.memory_mb} MiB a print "
                    "may use. Try without images or with fewer of them.") from error
            raise RenderFailed(f"The print worker died on this document (exit {exitcode}); "
                               "it has been replaced.") from error
        finally:
            if demotion is not None:
                demotion.cancel()
        return self._result(worker, reply, time.monotonic() - started)

    async def _wait(self, job_future: asyncio.Future, worker: _Worker) -> tuple:
        """The job's reply within the time limit (DEMOTED_TIME_FACTOR times it once demoted)."""
        try:
            return await asyncio.wait_for(asyncio.shield(job_future), self.timeout)
        except asyncio.TimeoutError:
            if not worker.demoted or DEMOTED_TIME_FACTOR <= 1:
                raise
        return await asyncio.wait_for(asyncio.shield(job_future), self.timeout * (DEMOTED_TIME_FACTOR - 1))

    def _result(self, worker: _Worker, reply: tuple, elapsed: float) -> JobResult:
        kind = reply[0]
        if kind == "memory":
            self._busy.discard(worker)
            self._retire(worker, kill=True)
            raise PayloadTooLarge(f"The document is too big to print: {reply[1]}. "
                                  "Try without images or with fewer of them.")
        self._release(worker)
        if kind == "ok":
            return reply[1]
        if kind == "problem":
            raise reply[1]
        if kind == "pages":
            raise PayloadTooLarge(f"The article would print as {reply[1]} pages; the limit is {self.max_pages}.")
        raise RenderFailed(f"WeasyPrint could not render this document ({reply[1]}).")

    async def close(self) -> None:
        self._closed = True
        workers = list(self._all)
        self._all.clear()
        loop = asyncio.get_running_loop()
        for worker in workers:
            worker.signal_kill()
        await asyncio.gather(*(loop.run_in_executor(self._admin, w.kill) for w in workers),
                             return_exceptions=True)
        # Start-ups in flight see their worker die (or the pool closed) and end.
        if self._starting:
            await asyncio.wait(list(self._starting), timeout=10)
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._admin.shutdown(wait=False, cancel_futures=True)
        # Every worker is gone: nothing of theirs (or a spooled body) is left behind.
        shutil.rmtree(self.temp_root, ignore_errors=True)
