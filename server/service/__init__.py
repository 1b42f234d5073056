"""Gloss as a shared service: what lets many `gloss serve` replicas share one Redis.

Everything here is off unless `GLOSS_REDIS_URL` is set, except what any operator wants
from a single process too: `/metrics`, `/readyz`, request ids and JSON logs, per-token
rates (`GLOSS_TOKENS`, counted in this process when there is no Redis).

    redis_link     one Redis client with a breaker: a Redis that went away costs no request
    shared_cache   rendered PDFs in Redis, bounded in size and age, behind the in-memory cache
    page_cache     pages the server fetched itself, in Redis, used inside print jobs
    render_queue   the replica's side of the render queue (arq): enqueue, wait, 503 when full
    worker         `gloss worker`: render processes fed from the queue
    rates          tokens and their rates, counted across replicas
    metrics        Prometheus counters and histograms, `GET /metrics`
    ready          `GET /readyz`
    logs           JSON log lines carrying the request id, echoed in `X-Request-Id`
    printing       the few hooks the print endpoints call
"""
