"""Prometheus metrics of one process, and `GET /metrics` in the text format (prometheus-client).

    gloss_request_seconds{route,method,status}   histogram; its _count is the request count
    gloss_renders_total{outcome}                 prints rendered: ok, or the problem's slug
    gloss_print_cache_total{result}              prints answered from a cache (hit) or rendered (miss)
    gloss_shared_cache_total{result}             look-ups in the Redis cache, after the memory cache missed
    gloss_render_queue_depth                     jobs in the Redis queue (read at scrape time)
    gloss_render_queue_wait_seconds              histogram: enqueue to a worker starting the job
    gloss_render_worker_restarts_total           local render processes replaced
    gloss_rate_limited_total{kind}               requests answered 429
    gloss_redis_up                               1 when Redis answered the last scrape's ping

Each application has its own registry (tests build several in one process). Routes are
labelled by their pattern (`/api/v2/entries/en/{word}`), never the raw path, so a
scanner cannot blow up the number of series.
"""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

# Look-ups take about 0.1 ms, prints 0.1 to 60 s: buckets cover both.
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
WAIT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.request_seconds = Histogram("gloss_request_seconds", "Requests by route, method and status, and "
                                         "their latency in seconds.", ("route", "method", "status"),
                                         buckets=LATENCY_BUCKETS, registry=r)
        self.renders = Counter("gloss_renders", "Prints rendered, by outcome (ok or the problem's slug).",
                               ("outcome",), registry=r)
        self.cache = Counter("gloss_print_cache", "Prints answered from a cache (hit) or rendered (miss), "
                             "as X-Gloss-Cache says.", ("result",), registry=r)
        self.shared_cache = Counter("gloss_shared_cache", "Look-ups in the shared (Redis) cache after the "
                                    "memory cache missed.", ("result",), registry=r)
        self.queue_depth = Gauge("gloss_render_queue_depth", "Jobs in the Redis render queue (waiting or "
                                 "running).", registry=r)
        self.queue_wait = Histogram("gloss_render_queue_wait_seconds", "Seconds from enqueueing a render job to "
                                    "a worker starting it.", buckets=WAIT_BUCKETS, registry=r)
        self.worker_restarts = Counter("gloss_render_worker_restarts", "Render processes replaced (time limit, "
                                       "memory cap, crash, or renders per process reached).", registry=r)
        self.rate_limited = Counter("gloss_rate_limited", "Requests refused 429 by a token's rate.", ("kind",),
                                    registry=r)
        self.redis_up = Gauge("gloss_redis_up", "1 when Redis answered at the last scrape, 0 when it did not, "
                              "absent without Redis.", registry=r)
        self._restarts_seen = 0
        self._series: dict[tuple, Histogram] = {}

    def observe_request(self, request: web.Request, status: int, seconds: float) -> None:
        # The labelled child is found once per series, not on every request (a look-up
        # costs about 0.1 ms in all: every microsecond here shows in its throughput).
        key = (request.match_info.route, request.method, status)
        child = self._series.get(key)
        if child is None:
            child = self._series[key] = self.request_seconds.labels(route_label(request), request.method, str(status))
        child.observe(seconds)

    def count_restarts(self, total: int) -> None:
        """Brings the restarts counter up to a pool's running total."""
        if total > self._restarts_seen:
            self.worker_restarts.inc(total - self._restarts_seen)
            self._restarts_seen = total

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


METRICS = web.AppKey("metrics", Metrics)


def route_label(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


CONTENT_TYPE = CONTENT_TYPE_LATEST
