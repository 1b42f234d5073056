"""Gloss as a shared service, with real parts started here: Debian's redis-server on a free
loopback port, two `gloss serve` replicas and `gloss worker` processes.

Replica A renders itself (one render process); replica B renders nothing
(GLOSS_RENDER_WORKERS=0) and sends every print to the Redis queue, where worker W runs
it. Both share the cache and the rate counters in Redis and ask for client tokens.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import http.server
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from seed import pdf_text, seed_body
from service_parts import (
    Gloss,
    free_port,
    gloss_processes,
    needs_redis,
    redis_server,
    wait_until,
)

from server.fetching.fetch import GuardedFetcher
from server.service.page_cache import CachingFetcher, SharedPageCache, page_key
from server.settings import Settings

pytestmark = [needs_redis, pytest.mark.slow, pytest.mark.timeout(300)]

OPS_TOKEN = "ops-token-0123456789abcdef"
LIMITED_TOKEN = "limited-token-0123456789ab"
TOKENS = f"""# name  token  prints  look-ups
ops      {OPS_TOKEN}      1000/s  1000/s
limited  {LIMITED_TOKEN}  2/h     5/h
"""
QUEUE_MAX = 4
# A reader's patience in these tests: a request still open after it is a hang.
PATIENCE = 120


def call(url: str, body: dict | bytes | None = None, token: str = OPS_TOKEN, timeout: float = PATIENCE,
         headers: dict | None = None) -> tuple[int, dict[str, str], bytes]:
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Authorization": f"Bearer {token}",
                                                              "Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def long_article(paragraphs: int, tag: str) -> dict:
    """An article that takes WeasyPrint a couple of seconds: a job a worker can die in."""
    body = "".join(f"<p>Paragraph {i} of the {tag} read: the committee met again on day {i} and weighed the "
                   "evidence, the testimony of witnesses and the letters that had arrived since the last "
                   "session, before it adjourned without a vote.</p>" for i in range(paragraphs))
    html = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>The {tag} read</title></head>"
            f"<body><article><h1>The {tag} read</h1><p>By A. Writer</p>{body}</article></body></html>")
    return {"url": f"https://example.com/{tag}", "html": html}


@contextlib.contextmanager
def counting_site(pages: dict[str, str]):
    """Serves `pages` ({path: HTML}) on a free loopback port and counts the requests for
    each path; yields (base URL, counts)."""
    counts: dict[str, int] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            counts[self.path] = counts.get(self.path, 0) + 1
            body = pages.get(self.path, "").encode("utf-8")
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", counts
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    directory: Path = tmp_path_factory.mktemp("shared-service")
    tokens = directory / "tokens"
    tokens.write_text(TOKENS, encoding="utf-8")
    metrics_port = free_port()
    with redis_server(directory) as redis:
        common = {"GLOSS_REDIS_URL": redis.url, "GLOSS_TOKENS": str(tokens), "GLOSS_ACCESS_LOG": "1",
                  "GLOSS_RENDER_TIMEOUT": "15", "GLOSS_QUEUE_MAX": str(QUEUE_MAX),
                  "GLOSS_ALLOW_PRIVATE_FETCH": "1"}  # the counting site below is on 127.0.0.1
        with gloss_processes(directory, ("serve", {**common, "GLOSS_RENDER_WORKERS": "1"}),
                             ("serve", {**common, "GLOSS_RENDER_WORKERS": "0"}),
                             ("worker", {**common, "GLOSS_RENDER_WORKERS": "1"},
                              ("--metrics-port", str(metrics_port)))) as (a, b, w):
            wait_until(lambda: call(a.url + "/readyz")[0] == 200 and call(b.url + "/readyz")[0] == 200, 60,
                       "both replicas ready")
            yield {"redis": redis, "a": a, "b": b, "w": w, "dir": directory, "env": common,
                   "worker_metrics": f"http://127.0.0.1:{metrics_port}"}


def test_a_print_through_one_replica_is_a_cache_hit_through_the_other(stack):
    a, b, redis = stack["a"], stack["b"], stack["redis"]
    body = seed_body(page_size="A5")
    status, headers, pdf = call(a.url + "/api/print", body)
    assert status == 200 and headers["X-Gloss-Cache"] == "miss", pdf[:300]
    assert b"gloss:pdf:" in redis.command("KEYS", "gloss:pdf:*")
    status, headers, again = call(b.url + "/api/print", body)
    assert status == 200 and headers["X-Gloss-Cache"] == "hit"
    assert again == pdf and headers["Content-Disposition"].startswith('attachment; filename="State Department')
    # And the other way: B's print goes through the queue to the worker, then A has it.
    other = seed_body(page_size="Letter")
    status, headers, queued = call(b.url + "/api/print", other)
    assert status == 200 and headers["X-Gloss-Cache"] == "miss", queued[:300]
    assert "months of detente on the peninsula" in pdf_text(queued)
    assert '"render"' in stack["w"].output() or "render(" in stack["w"].output()  # the worker ran it
    status, headers, _ = call(a.url + "/api/print", other)
    assert status == 200 and headers["X-Gloss-Cache"] == "hit"


def test_a_full_queue_answers_503_before_reading_the_body(stack):
    b, redis = stack["b"], stack["redis"]
    # Jobs due in the far future fill the queue without any worker taking them.
    fillers = [f"filler-{i}" for i in range(QUEUE_MAX)]
    for name in fillers:
        redis.command("ZADD", "gloss:render", "99999999999999", name)
    try:
        status, headers, problem = call(b.url + "/api/print", b"{ not json at all")
        assert status == 503, problem  # not 400: the body was never parsed
        assert int(headers["Retry-After"]) >= 1
        assert json.loads(problem)["status"] == 503
    finally:
        redis.command("ZREM", "gloss:render", *fillers)
    status, _, _ = call(b.url + "/api/print", b"{ not json at all")
    assert status == 400  # room again: now the body is read, and refused for what it is


def test_a_token_over_its_rate_gets_429_from_either_replica(stack):
    a, b = stack["a"], stack["b"]
    for i in range(5):  # the limited client's 5 look-ups an hour, alternating replicas
        status, _, _ = call((a, b)[i % 2].url + "/api/define?q=peninsula", token=LIMITED_TOKEN)
        assert status == 200
    for replica in (a, b):
        status, headers, problem = call(replica.url + "/api/define?q=peninsula", token=LIMITED_TOKEN)
        assert status == 429 and int(headers["Retry-After"]) >= 1
        assert json.loads(problem)["title"] == "Too many requests"
    # Other clients are not affected, and an unknown token is refused.
    assert call(a.url + "/api/define?q=peninsula")[0] == 200
    assert call(a.url + "/api/define?q=peninsula", token="x" * 20)[0] == 401
    # Prints count apart: 2 an hour.
    assert call(a.url + "/api/print", seed_body(page_size="A5"), token=LIMITED_TOKEN)[0] == 200
    assert call(b.url + "/api/print", seed_body(page_size="A5"), token=LIMITED_TOKEN)[0] == 200
    assert call(b.url + "/api/print", seed_body(page_size="A5"), token=LIMITED_TOKEN)[0] == 429
    assert call(a.url + "/api/print", seed_body(page_size="A5"), token=LIMITED_TOKEN)[0] == 429


def _samples(url: str) -> dict[tuple, float]:
    status, _, text = call(url + "/metrics")
    assert status == 200
    samples = {}
    for family in text_string_to_metric_families(text.decode()):  # raises if it is not Prometheus text
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_metrics_parse_and_count_what_was_done(stack):
    a = stack["a"]
    before = _samples(a.url)
    look_up = ("gloss_request_seconds_count", (("method", "GET"), ("route", "/api/define"), ("status", "200")))
    printed = ("gloss_request_seconds_count", (("method", "POST"), ("route", "/api/print"), ("status", "200")))
    hits = ("gloss_print_cache_total", (("result", "hit"),))
    for _ in range(3):
        assert call(a.url + "/api/define?q=summit")[0] == 200
    assert call(a.url + "/api/print", seed_body(page_size="A5"))[0] == 200  # printed before: a hit
    after = _samples(a.url)
    assert after[look_up] - before.get(look_up, 0) == 3
    assert after[printed] - before.get(printed, 0) == 1
    assert after[hits] - before.get(hits, 0) == 1
    assert after[("gloss_redis_up", ())] == 1
    assert ("gloss_render_queue_depth", ()) in after and ("gloss_render_worker_restarts_total", ()) in after
    b_samples = _samples(stack["b"].url)
    assert b_samples[("gloss_render_queue_wait_seconds_count", ())] >= 1  # B's print waited in the queue
    assert b_samples[("gloss_renders_total", (("outcome", "ok"),))] >= 1
    assert b_samples[("gloss_shared_cache_total", (("result", "hit"),))] >= 1  # A's print, found by B
    w_samples = _samples(stack["worker_metrics"])  # the worker's own: B's queued print ran there
    assert w_samples[("gloss_renders_total", (("outcome", "ok"),))] >= 1
    assert ("gloss_render_worker_restarts_total", ()) in w_samples


def test_logs_are_json_lines_with_the_request_id_sent_back(stack):
    a = stack["a"]
    status, headers, _ = call(a.url + "/api/define?q=detente", headers={"X-Request-Id": "trace-42"})
    assert status == 200 and headers["X-Request-Id"] == "trace-42"
    status, headers, _ = call(a.url + "/api/define?q=detente")
    generated = headers["X-Request-Id"]
    assert generated and generated != "trace-42"
    wait_until(lambda: generated in a.output(), 10, "the access line")
    lines = [json.loads(line) for line in a.output().splitlines() if line.startswith("{")]
    ours = [line for line in lines if line.get("request_id") in ("trace-42", generated)]
    assert {line["path"] for line in ours} == {"/api/define"} and all(line["status"] == 200 for line in ours)


def test_redis_stopped_and_restarted_under_load(stack):
    """Look-ups all 200, prints 200 or 503 with Retry-After, none 500, none hanging; then the
    shared cache works again."""
    a, b, redis = stack["a"], stack["b"], stack["redis"]
    stop = threading.Event()
    results: list[tuple[str, int, dict, float]] = []
    lock = threading.Lock()

    def load(kind: str, replica: Gloss, n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            started = time.monotonic()
            if kind == "lookup":
                status, headers, _ = call(replica.url + "/api/define?q=peninsula")
            else:  # a new print each time, so each one needs a render
                status, headers, _ = call(replica.url + "/api/print",
                                          seed_body(page_size="A5", font_size=9 + (n * 50 + i) % 40 / 10))
            with lock:
                results.append((kind, status, headers, time.monotonic() - started))
            time.sleep(0.05)

    threads = [threading.Thread(target=load, args=(kind, replica, n), daemon=True)
               for n, (kind, replica) in enumerate([("lookup", a), ("lookup", b), ("print", a), ("print", b)])]
    for thread in threads:
        thread.start()
    time.sleep(3)
    redis.stop()
    time.sleep(6)
    redis.start()
    time.sleep(8)  # workers reconnect, replicas leave their cool-down
    stop.set()
    for thread in threads:
        thread.join(PATIENCE + 10)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    lookups = [r for r in results if r[0] == "lookup"]
    prints = [r for r in results if r[0] == "print"]
    assert lookups and all(status == 200 for _, status, _, _ in lookups), {r[1] for r in lookups}
    assert prints and all(status in (200, 503) for _, status, _, _ in prints), {r[1] for r in prints}
    assert all("Retry-After" in headers for _, status, headers, _ in prints if status == 503)
    assert any(status == 200 for _, status, _, _ in prints)
    # After the outage the shared cache and the queue work again.
    body = seed_body(page_size="A5", font_size=13.5)
    wait_until(lambda: call(b.url + "/api/print", body)[0] == 200, 60, "B prints through the queue again")
    status, headers, _ = call(a.url + "/api/print", body)
    assert status == 200 and headers["X-Gloss-Cache"] == "hit"


def test_a_page_fetched_through_one_replica_is_not_fetched_again_through_the_other(stack):
    a, b, redis = stack["a"], stack["b"], stack["redis"]
    html = long_article(12, "fetched")["html"]
    with counting_site({"/story": html}) as (site, counts):
        url = site + "/story"
        # A renders itself: its render process fetches the page (GET, as a bookmarklet would).
        status, headers, first = call(a.url + "/api/print?" + urllib.parse.urlencode({"url": url, "page_size": "A5"}))
        assert status == 200 and headers["X-Gloss-Cache"] == "miss", first[:300]
        assert counts == {"/story": 1}
        assert b"gloss:page:" in redis.command("KEYS", "gloss:page:*")
        # B sends its print (other options, so another PDF) to the queue; the worker takes
        # the page from Redis instead of the site.
        status, headers, second = call(b.url + "/api/print", {"url": url, "options": {"page_size": "Letter"}})
        assert status == 200 and headers["X-Gloss-Cache"] == "miss", second[:300]
        assert counts == {"/story": 1}
        for pdf in (first, second):
            assert "Paragraph 11 of the fetched read" in pdf_text(pdf)
        assert first != second
        # A page the server was sent is not a fetch: nothing is stored for it.
        keys_before = redis.command("KEYS", "gloss:page:*")
        status, _, _ = call(a.url + "/api/print", long_article(3, "posted"))
        assert status == 200 and redis.command("KEYS", "gloss:page:*") == keys_before


def test_the_page_cache_fetches_when_redis_is_away_and_shares_when_it_is_there(stack):
    settings = Settings(allow_private_fetch=True, fetch_timeout=10.0)
    with counting_site({"/a": long_article(2, "away")["html"]}) as (site, counts):
        async def fetch_twice(cache: SharedPageCache) -> list[str]:
            fetcher = CachingFetcher(GuardedFetcher(settings), cache, settings)
            try:
                return [(await fetcher.fetch_page(site + "/a")).html for _ in range(2)]
            finally:
                await fetcher.close()

        # Nothing listens on this port: every fetch goes to the site, none fails.
        away = SharedPageCache(f"redis://127.0.0.1:{free_port()}/0", ttl_seconds=60, max_bytes=1 << 20)
        started = time.monotonic()
        pages = asyncio.run(fetch_twice(away))
        assert counts == {"/a": 2} and all("The away read" in page for page in pages)
        assert time.monotonic() - started < 10
        # The same with the real Redis: fetched once, answered from Redis the second time.
        shared = SharedPageCache(stack["redis"].url, ttl_seconds=60, max_bytes=1 << 20)
        assert asyncio.run(fetch_twice(shared)) == pages
        assert counts == {"/a": 3}
        ttl = int(stack["redis"].command("TTL", page_key(site + "/a")).strip().lstrip(b":"))
        assert 0 < ttl <= 60
        # A page over the size bound is not stored: fetched every time.
        small = SharedPageCache(stack["redis"].url, ttl_seconds=60, max_bytes=100)
        with counting_site({"/big": long_article(2, "big")["html"]}) as (big_site, big_counts):
            async def fetch_big() -> None:
                fetcher = CachingFetcher(GuardedFetcher(settings), small, settings)
                try:
                    for _ in range(2):
                        await fetcher.fetch_page(big_site + "/big")
                finally:
                    await fetcher.close()
            asyncio.run(fetch_big())
            assert big_counts == {"/big": 2}


def test_a_worker_killed_mid_job_still_gives_the_reader_one_pdf(stack):
    """Runs last: it kills the module's worker and starts the one that takes over."""
    b, w, redis = stack["b"], stack["w"], stack["redis"]
    job = long_article(300, "killed-worker")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        answer = pool.submit(call, b.url + "/api/print", job)
        wait_until(lambda: b"arq:in-progress:" in redis.command("KEYS", "arq:in-progress:*"), 60,
                   "the worker took the job")
        w.kill()
        assert not answer.done()
        with gloss_processes(stack["dir"], ("worker", {**stack["env"], "GLOSS_RENDER_WORKERS": "1"})) as (spare,):
            status, headers, pdf = answer.result(timeout=PATIENCE)
            assert "render(" in spare.output() and "try=2" in spare.output()  # the spare ran it again
    assert "stopped beating" in b.output()  # the replica saw the dead worker and freed its job
    assert status == 200, pdf[:500]
    assert headers["Content-Type"] == "application/pdf"
    text = pdf_text(pdf)
    assert text.count("Paragraph 299 of the killed-worker read") == 1  # one whole document, once
