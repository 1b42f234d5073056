"""`gloss worker`: job processes fed from the Redis render queue, on any machine.

    run(settings) -> exit code     (GLOSS_REDIS_URL required; GLOSS_RENDER_WORKERS processes)

The worker holds the same job pool a replica does (server.printing.render) and runs the
same job function in it (server.printing.job.run_job), so a queued print has the same
limits as a local one: the time limit, the address-space cap, the page limit, the
guarded fetcher and the locked renderer, and a process that is replaced after a
failure. arq runs the jobs, as many at once as there are render processes. A finished
job's id is published on DONE_CHANNEL so the waiting replica wakes at once. The worker
writes a heartbeat key every HEARTBEAT_SECONDS and names itself as the owner of each
job it starts, so that a replica can tell a job whose worker died (render_queue).

When Redis goes away the worker keeps its render processes and reconnects every
RECONNECT_DELAY seconds; SIGTERM or SIGINT stops it (a job it was running goes back to
the queue for another worker, as arq does). With `--metrics-port`, the worker serves
its own Prometheus metrics on GLOSS_HOST at that port: jobs by outcome
(gloss_renders_total) and render processes replaced (gloss_render_worker_restarts_total).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from arq.worker import Worker, func
from prometheus_client import start_http_server

from server.errors import GlossError
from server.printing.job import JobResult
from server.printing.render import RenderPool
from server.service.metrics import Metrics
from server.service.redis_link import UNAVAILABLE, RedisLink
from server.service.render_queue import (
    ALIVE_PREFIX,
    ALIVE_SECONDS,
    DONE_CHANNEL,
    HEARTBEAT_SECONDS,
    OWNER_PREFIX,
    QUEUE_NAME,
    RENDER_FUNCTION,
    RESULT_SECONDS,
    Queued,
    job_timeout,
)
from server.settings import Settings

log = logging.getLogger(__name__)

# Seconds an idle worker waits between looks at the queue: the latency it adds to a
# print on an idle queue (a busy worker takes the next job as soon as it is free).
POLL_DELAY = 0.02
# Seconds between the worker's health-check writes (/readyz reads them: a worker is
# alive while its key, set for this + 1 s, has not expired).
HEALTH_CHECK_SECONDS = 2
RECONNECT_DELAY = 1.0
# A job is tried this many times: a worker that died mid-job is a try.
MAX_TRIES = 3
HEALTH_CHECK_KEY = QUEUE_NAME + ":health-check"
# Jobs taken beyond one per render process: each waits in the pool's own queue, so a
# render process starts its next job the moment it is free instead of after a round of
# Redis bookkeeping and a poll. One is enough to hide that gap and keeps the jobs spread
# over the workers.
PREFETCH = 1


def build_worker(settings: Settings, pool: RenderPool, link: RedisLink, worker_id: str,
                 metrics: Metrics | None = None) -> Worker:
    async def run(ctx: dict, queued: Queued) -> JobResult:
        job = queued.job
        # Who runs the job: a replica waiting on it frees the job at once if this worker dies.
        owner = OWNER_PREFIX + ctx["job_id"]
        await link.run(lambda r: r.set(owner, worker_id, ex=int(job_timeout(settings)) + 15), default=None)
        try:
            result = await pool.run(job)
        except GlossError as error:
            if metrics is not None:
                metrics.renders.labels(error.slug).inc()
            raise
        if metrics is not None:
            metrics.renders.labels("ok").inc()
            metrics.count_restarts(pool.replaced)
        return result

    async def announce(ctx: dict) -> None:
        await link.run(lambda r: r.publish(DONE_CHANNEL, ctx["job_id"]), default=None)

    return Worker(
        functions=[func(run, name=RENDER_FUNCTION, timeout=job_timeout(settings), max_tries=MAX_TRIES)],
        queue_name=QUEUE_NAME, redis_pool=link.client, max_jobs=pool.size + PREFETCH, poll_delay=POLL_DELAY,
        keep_result=RESULT_SECONDS, health_check_interval=HEALTH_CHECK_SECONDS, health_check_key=HEALTH_CHECK_KEY,
        handle_signals=False, after_job_end=announce, job_timeout=job_timeout(settings),
        log_results=False,  # the repr of a result holding a PDF costs ~17 ms of CPU per 200 KB
    )


async def heartbeat(link: RedisLink, worker_id: str) -> None:
    """Keeps `gloss:worker:<id>` alive while this process lives (see render_queue.ALIVE_SECONDS)."""
    key = ALIVE_PREFIX + worker_id
    while True:
        await link.run(lambda r: r.set(key, b"1", ex=ALIVE_SECONDS), default=None)
        await asyncio.sleep(HEARTBEAT_SECONDS)


async def serve_queue(settings: Settings, metrics_port: int | None = None) -> None:
    metrics = None
    if metrics_port:
        # The worker's own /metrics: jobs by outcome and render processes replaced.
        metrics = Metrics()
        start_http_server(metrics_port, addr=settings.host, registry=metrics.registry)
    pool = RenderPool(settings)
    await pool.start()
    await pool.wait_ready()
    link = RedisLink(settings.redis_url)
    worker_id = os.urandom(8).hex()
    beating = asyncio.ensure_future(heartbeat(link, worker_id))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    log.info("gloss worker: %d render processes on queue %s at %s", pool.size, QUEUE_NAME, settings.redis_url)
    try:
        while not stop.is_set():
            worker = build_worker(settings, pool, link, worker_id, metrics)
            main = asyncio.ensure_future(worker.main())
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait([main, stopping], return_when=asyncio.FIRST_COMPLETED)
            if not main.done():
                worker.handle_sig(signal.SIGTERM)  # cancels its jobs: arq queues them again
            stopping.cancel()
            try:
                await main
            except asyncio.CancelledError:
                pass
            except UNAVAILABLE as error:
                link.mark_down(error)
                await asyncio.sleep(RECONNECT_DELAY)
    finally:
        beating.cancel()
        await link.run(lambda r: r.delete(ALIVE_PREFIX + worker_id), default=None)
        await pool.close()
        await link.close()


def run(settings: Settings, metrics_port: int | None = None) -> int:
    if not settings.redis_url:
        raise GlossError("`gloss worker` needs GLOSS_REDIS_URL: the Redis its jobs come from.")
    asyncio.run(serve_queue(settings, metrics_port))
    return 0
