"""Admission control: a print or preview beyond render_workers + render_queue is 503 at once.

The gate is filled with a real job held in its first step: `GET /api/print` of a page
that a local server (127.0.0.1, reached through the fetcher's test resolver) keeps back
until the test lets it go. While it is held, other prints and previews must be refused
with 503 + Retry-After (the held job proves they were not queued behind it), cached
prints must still be served, /healthz must answer; once it is let go, prints succeed.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from hostile_sites import HeldSite
from server.app import create_app
from server.errors import Busy
from server.fetching.fetch import Routed
from server.printing.admission import PrintGate
from server.settings import Settings
from server.web.keys import FETCH_HOSTS, RENDER_POOL
from server.web.print_api import PRINT_GATE
from server.web.problems import PROBLEM_JSON

FIXTURES = Path(__file__).parent / "fixtures"
SEED_HTML = (FIXTURES / "seed-article.html").read_text(encoding="utf-8")
PAGE_URL = "https://koreajoongangdaily.joins.com/2020/07/29/national/northKorea/seed/"
PUBLIC = "93.184.216.34"  # the address the fetcher's guard checks; no socket ever goes there
HELD_URL = "http://held.test/article"
HANG_GUARD = 120.0  # seconds: only so that a broken gate fails the test instead of hanging it


@asynccontextmanager
async def gloss_with_held_site(**settings) -> AsyncIterator[tuple[TestClient, HeldSite]]:
    site = HeldSite()
    site_app = web.Application()
    site_app.router.add_get("/article", site.article)
    site_server = TestServer(site_app, host="127.0.0.1")
    await site_server.start_server()
    app = create_app(Settings(**settings))
    app[FETCH_HOSTS] = {"held.test": Routed(PUBLIC, "127.0.0.1", site_server.port)}
    try:
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            await client.app[RENDER_POOL].wait_ready()
            yield client, site
    finally:
        site.release.set()
        await site_server.close()


def seed_body(**options) -> dict:
    body = {"url": PAGE_URL, "html": SEED_HTML, "options": {"images": False, **options}}
    return body


async def busy_problem(resp) -> None:
    assert resp.status == 503, await resp.text()
    assert resp.content_type == PROBLEM_JSON
    assert (await resp.json())["status"] == 503
    assert int(resp.headers["Retry-After"]) >= 1


async def test_full_gate_is_503_at_once_cached_prints_still_served_and_it_frees_again():
    async with gloss_with_held_site(render_workers=1, render_queue=0, cache_entries=8) as (client, site):
        gate = client.app[PRINT_GATE]
        assert gate.limit == 1
        cached = await client.post("/api/print", json=seed_body())
        assert cached.status == 200, await cached.text()
        cached_pdf = await cached.read()
        assert gate.in_flight == 0

        held = asyncio.ensure_future(client.get("/api/print", params={"url": HELD_URL, "images": "0"}))
        await asyncio.wait_for(site.arrived.wait(), HANG_GUARD)
        assert gate.in_flight == 1  # the held job has its slot while it is still fetching

        await busy_problem(await client.post("/api/print", json=seed_body(font_size=12)))
        await busy_problem(await client.post("/api/preview", json=seed_body(font_size=13)))
        await busy_problem(await client.get("/api/print", params={"url": HELD_URL, "font_size": "9"}))
        assert gate.refused == 3
        assert site.requests == 1  # the refused GET never reached the site: refused before its fetch
        assert not held.done()  # answered while the job holding the only slot is still held

        # Cached answers take no slot: the byte-identical repeat and the same request spelled otherwise.
        again = await client.post("/api/print", json=seed_body())
        assert again.status == 200 and again.headers["X-Gloss-Cache"] == "hit"
        assert await again.read() == cached_pdf
        respelled = json.dumps(seed_body(), indent=1, sort_keys=True)
        again = await client.post("/api/print", data=respelled, headers={"Content-Type": "application/json"})
        assert again.status == 200 and again.headers["X-Gloss-Cache"] == "hit"

        health = await client.get("/healthz")
        assert health.status == 200 and (await health.json())["status"] == "ok"

        site.release.set()
        first = await asyncio.wait_for(held, HANG_GUARD)
        assert first.status == 200, await first.text()
        assert (await first.read()).startswith(b"%PDF-")
        assert gate.in_flight == 0
        later = await client.post("/api/print", json=seed_body(font_size=12))
        assert later.status == 200 and later.headers["X-Gloss-Cache"] == "miss"
        preview = await client.post("/api/preview", json=seed_body(font_size=13))
        assert preview.status == 200 and "<html" in await preview.text()
        assert gate.in_flight == 0


async def test_errors_give_the_slot_back():
    async with gloss_with_held_site(render_workers=1, render_queue=0, cache_entries=0) as (client, _):
        gate = client.app[PRINT_GATE]
        no_article = {"url": PAGE_URL, "html": "<html><body><nav><a href='/'>Home</a></nav></body></html>"}
        resp = await client.post("/api/print", json=no_article)
        assert resp.status == 422, await resp.text()
        resp = await client.post("/api/preview", json=no_article)
        assert resp.status == 422, await resp.text()
        resp = await client.get("/api/print", params={"url": "http://unknown.test/a"})
        assert resp.status == 502, await resp.text()
        assert gate.in_flight == 0 and gate.refused == 0
        resp = await client.post("/api/print", json=seed_body())
        assert resp.status == 200, await resp.text()


async def test_a_client_that_goes_away_gives_its_slot_back():
    async with gloss_with_held_site(render_workers=1, render_queue=0, cache_entries=0) as (client, site):
        gate = client.app[PRINT_GATE]
        held = asyncio.ensure_future(client.get("/api/print", params={"url": HELD_URL, "images": "0"}))
        await asyncio.wait_for(site.arrived.wait(), HANG_GUARD)
        held.cancel()  # the client closes its connection mid-job
        with pytest.raises(asyncio.CancelledError):
            await held
        site.release.set()

        async def drained() -> None:
            while gate.in_flight:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(drained(), HANG_GUARD)
        resp = await client.post("/api/print", json=seed_body())
        assert resp.status == 200, await resp.text()


async def test_a_cancelled_job_gives_its_slot_back_and_full_is_busy():
    gate = PrintGate(limit=2)
    started = asyncio.Event()

    async def job() -> None:
        with gate.admit():
            started.set()
            await asyncio.Event().wait()  # held until cancelled

    tasks = [asyncio.ensure_future(job()) for _ in range(2)]
    await asyncio.wait_for(started.wait(), HANG_GUARD)
    while gate.in_flight < 2:
        await asyncio.sleep(0)
    with pytest.raises(Busy) as refused:
        with gate.admit():
            pass
    assert int(refused.value.headers["Retry-After"]) >= 1
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert gate.in_flight == 0 and gate.refused == 1
    with gate.admit():
        assert gate.in_flight == 1
    assert gate.in_flight == 0


def test_retry_after_follows_how_long_jobs_take():
    gate = PrintGate(limit=18)
    assert gate.retry_after() == 1  # nothing measured yet
    gate.job_seconds = 4.2
    assert gate.retry_after() == 5
    gate.job_seconds = 0.01
    assert gate.retry_after() == 1
    gate.job_seconds = 10_000.0
    assert gate.retry_after() == 120


async def test_job_time_is_measured_from_admission_to_answer():
    gate = PrintGate(limit=1)
    gate.job_seconds = 100.0
    with gate.admit():
        await asyncio.sleep(0)
    assert gate.job_seconds < 100.0  # a quick job pulls the mean down
