"""The replica's side of the render queue: `await QueueRenderer.run(PrintJob) -> JobResult`, like RenderPool.

With `GLOSS_RENDER_WORKERS=0` and `GLOSS_REDIS_URL`, a replica runs no print job itself:
each job (server.printing.job: parse, fetch, extract, typeset, render) goes into an arq
queue in Redis, `gloss worker` processes (server.service.worker) on any machine run it
in their own job pools, and the replica waits for its result.

- **One job per request.** The job id is the digest of what the job carries, so
  identical prints waiting at once, on any replicas, share one job and one render.
  A body the replica spooled to a file travels in the job as bytes.
- **A job whose worker dies is run again.** arq keeps a job in the queue until its
  result is written; a worker claims it with an in-progress key that expires
  (render time limit + JOB_MARGIN + arq's 10 s), after which another worker runs it.
  Sooner than that: each worker names itself as the job's owner and keeps a heartbeat
  key alive; a replica waiting on a job whose owner's heartbeat is gone (ALIVE_SECONDS)
  deletes the in-progress key, and the next idle worker runs the job at once. The
  reader waits for the one result and gets one PDF (were the owner only slow, two
  renders write the same result; the reader reads one).
- **Woken, not polling.** Workers publish each finished job id on DONE_CHANNEL; one
  subscriber per replica wakes the waiting requests. A slow poll (RESULT_CHECK) covers
  a notice lost while Redis reconnected.
- **Full -> 503 before the body is read.** `check_room()` compares the queue's length
  with `queue_max`; the print endpoint calls it before reading the body. Retry-After
  is the running mean of how long a job took from enqueue to result.
- **Redis away -> 503, never a hang.** Enqueueing fails fast (RedisLink's breaker);
  a request already waiting gives up with 503 once Redis has been unreachable for
  UNREACHABLE_GRACE seconds. If Redis comes back without the job (restarted without
  persistence), the job is enqueued again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from arq.connections import ArqRedis
from arq.constants import in_progress_key_prefix, result_key_prefix
from arq.jobs import JobResult as ArqResult
from arq.jobs import deserialize_result

from server.errors import Busy, GatewayTimeout, GlossError
from server.printing.job import JobResult, PrintJob
from server.printing.render import RenderFailed, RenderResult
from server.service.redis_link import UNAVAILABLE, RedisLink
from server.settings import Settings

log = logging.getLogger(__name__)

QUEUE_NAME = "gloss:render"
RENDER_FUNCTION = "render"
DONE_CHANNEL = "gloss:render:done"
# Seconds added to the render time limit for a job as a whole (a worker may wait for one
# of its render processes to be replaced before it starts).
JOB_MARGIN = 5.0
# Seconds between checks of a job's result when no notice came: a safety net only.
RESULT_CHECK = 0.5
# Seconds Redis may stay unreachable while a request waits before it is answered 503.
UNREACHABLE_GRACE = 5.0
# Seconds a finished job's result is kept in Redis for the replicas waiting on it.
RESULT_SECONDS = 120
MIN_RETRY_AFTER, MAX_RETRY_AFTER = 1, 120
SMOOTHING = 0.2
# Worker liveness: a heartbeat every HEARTBEAT_SECONDS, gone ALIVE_SECONDS after the last.
HEARTBEAT_SECONDS = 1.0
ALIVE_SECONDS = 4
ALIVE_PREFIX = "gloss:worker:"
OWNER_PREFIX = "gloss:job-owner:"


def job_timeout(settings: Settings) -> float:
    """Seconds a worker gives one job, including a wait in its pool behind one other job
    (the worker takes one job ahead); arq re-runs it this + 10 s after its worker died."""
    return 2 * settings.render_timeout + JOB_MARGIN


def wait_limit(settings: Settings) -> float:
    """Seconds a reader waits at most: a queue's worth of waiting, plus one re-run after a dead worker."""
    return max(60.0, 2 * (job_timeout(settings) + 10) + 2 * settings.render_timeout)


def job_id(job: PrintJob) -> str:
    """A digest of everything the job's answer depends on."""
    digest = hashlib.sha256(f"{job.kind}\x00{job.accept_language or ''}\x00".encode())
    if job.request is not None:
        digest.update(b"request\x00" + job.request.cache_key().encode())
    elif job.body is not None:
        digest.update(b"body\x00" + job.body)
    else:
        digest.update(b"html\x00" + (job.html or "").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class Queued:
    """A job as it travels through the queue: arq logs the repr of every job's arguments,
    and the repr of a PrintJob carrying megabytes of body would cost that much CPU."""

    __slots__ = ("job",)

    def __init__(self, job: PrintJob) -> None:
        self.job = job

    def __getstate__(self) -> PrintJob:
        return self.job

    def __setstate__(self, job: PrintJob) -> None:
        self.job = job

    def __repr__(self) -> str:
        return f"PrintJob(kind={self.job.kind!r})"


def portable(job: PrintJob) -> PrintJob:
    """The job with a spooled body read back into bytes: a worker elsewhere has no such file."""
    if job.body is None and job.body_path is not None:
        return dataclasses.replace(job, body=Path(job.body_path).read_bytes(), body_path=None)
    return job


class QueueRenderer:
    def __init__(self, link: RedisLink, settings: Settings,
                 observe_wait: Callable[[float], None] | None = None) -> None:
        self.link = link
        # Threads that extract and typeset locally (print_api sizes its thread pool by this).
        self.size = max(2, os.cpu_count() or 2)
        self.timeout = settings.render_timeout
        self.queue_max = max(0, settings.queue_max)
        self.wait_limit = wait_limit(settings)
        self.job_seconds = 1.0  # running mean, enqueue to result
        self.observe_wait = observe_wait
        self._waiters: dict[str, asyncio.Event] = {}  # job id -> set when a worker reports it done
        self._waiting: dict[str, int] = {}  # job id -> requests waiting on it
        # The print endpoints spool large bodies under the pool's temporary directory.
        self.temp_root = Path(tempfile.mkdtemp(prefix="gloss-"))
        self._listener: asyncio.Task | None = None
        self._closed = False

    busy = 0  # renders run elsewhere

    async def start(self) -> None:
        self._listener = asyncio.ensure_future(self._listen())

    async def wait_ready(self) -> None:
        return None

    async def close(self) -> None:
        self._closed = True
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
        shutil.rmtree(self.temp_root, ignore_errors=True)

    def retry_after(self) -> int:
        return min(MAX_RETRY_AFTER, max(MIN_RETRY_AFTER, math.ceil(self.job_seconds)))

    async def depth(self) -> int | None:
        """Jobs in the queue (waiting or running), or None when Redis is unreachable."""
        return await self.link.run(lambda r: r.zcard(QUEUE_NAME), default=None)

    async def check_room(self) -> None:
        """Raises Busy (503) when the queue is full or unreachable."""
        depth = await self.depth()
        if depth is None:
            raise Busy("The render queue is unreachable and this server renders nothing itself; "
                       "try again shortly.", retry_after=self.retry_after())
        if depth >= self.queue_max:
            raise Busy(f"{depth} prints are waiting for a render worker, as many as the queue takes; "
                       "try again shortly.", retry_after=self.retry_after())

    async def render(self, html: str) -> RenderResult:
        """The render-only job, as RenderPool.render."""
        result = await self.run(PrintJob(kind="render", html=html))
        return RenderResult(pdf=result.content, pages=result.pages, seconds=result.render_seconds)

    async def run(self, print_job: PrintJob) -> JobResult:
        if self._closed:
            raise RenderFailed("The render queue is shut down.")
        await self.check_room()
        print_job = await asyncio.to_thread(portable, print_job)
        job = job_id(print_job)
        started = time.monotonic()
        deadline = started + self.wait_limit
        event = self._waiters.setdefault(job, asyncio.Event())
        self._waiting[job] = self._waiting.get(job, 0) + 1
        try:
            if not await self._enqueue(job, print_job):
                raise Busy("The render queue is unreachable; try again shortly.", retry_after=self.retry_after())
            unreachable_since: float | None = None
            while True:
                state = await self._state(job)
                now = time.monotonic()
                if isinstance(state, ArqResult):
                    self.job_seconds += SMOOTHING * (now - started - self.job_seconds)
                    return self._result(state)
                if state is None:  # Redis unreachable
                    unreachable_since = unreachable_since or now
                    if now - unreachable_since > UNREACHABLE_GRACE:
                        raise Busy("The render queue became unreachable while this print waited; "
                                   "try again shortly.", retry_after=self.retry_after())
                else:
                    unreachable_since = None
                    if state == "lost":  # Redis came back without it
                        await self._enqueue(job, print_job)
                if now > deadline:
                    raise GatewayTimeout(f"No render worker finished this print within {self.wait_limit:g} s; "
                                         "try again later.")
                event.clear()
                try:
                    await asyncio.wait_for(event.wait(), RESULT_CHECK)
                except TimeoutError:
                    pass
        finally:
            self._waiting[job] -= 1
            if not self._waiting[job]:  # the last request waiting on this job
                del self._waiting[job]
                self._waiters.pop(job, None)

    async def _enqueue(self, job: str, print_job: PrintJob) -> bool:
        """True once the job is in the queue (or already there, or done); False when Redis is away."""
        async def enqueue(r: ArqRedis) -> bool:
            await r.enqueue_job(RENDER_FUNCTION, Queued(print_job), _job_id=job, _queue_name=QUEUE_NAME,
                                _expires=self.wait_limit)
            return True  # None from arq means "exists already": this request waits on that one
        return await self.link.run(enqueue, default=False)

    async def _state(self, job: str) -> ArqResult | str | None:
        """The job's result, "queued" (waiting or running), "lost", or None when Redis is away.
        A job whose worker died is freed for another on the way."""
        async def read(r: ArqRedis) -> ArqResult | str:
            async with r.pipeline(transaction=True) as tr:
                tr.get(result_key_prefix + job)
                tr.zscore(QUEUE_NAME, job)
                tr.get(OWNER_PREFIX + job)
                tr.exists(in_progress_key_prefix + job)
                value, score, owner, running = await tr.execute()
            if value:
                return deserialize_result(value)
            if score is None:
                return "lost"
            if running and owner and not await r.exists(ALIVE_PREFIX + owner.decode("ascii", "replace")):
                log.warning("render job %s: its worker %s stopped beating; freeing the job for another worker",
                            job[:12], owner.decode("ascii", "replace"))
                await r.delete(in_progress_key_prefix + job, OWNER_PREFIX + job)
            return "queued"
        return await self.link.run(read, default=None)

    def _result(self, result: ArqResult) -> JobResult:
        if self.observe_wait is not None and result.start_time and result.enqueue_time:
            self.observe_wait(max(0.0, (result.start_time - result.enqueue_time).total_seconds()))
        if result.success:
            return result.result
        error = result.result
        if isinstance(error, GlossError):
            raise error
        raise RenderFailed(f"The render worker failed on this document ({type(error).__name__}: {error}).")

    async def _listen(self) -> None:
        """Wakes the requests waiting on each job a worker reports done."""
        while not self._closed:
            pubsub = self.link.client.pubsub()
            try:
                await pubsub.subscribe(DONE_CHANNEL)
                while not self._closed:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if message and message.get("type") == "message":
                        event = self._waiters.get(message["data"].decode("ascii", "replace"))
                        if event is not None:
                            event.set()
            except UNAVAILABLE:
                await asyncio.sleep(1.0)  # the waiters' slow checks cover the gap
            finally:
                try:
                    await pubsub.aclose()
                except UNAVAILABLE:
                    pass
