"""Every error is application/problem+json with type, title, status and detail."""

from __future__ import annotations

from server.web.problems import PROBLEM_JSON


def assert_problem(resp, body, status: int) -> None:
    assert resp.status == status
    assert resp.content_type == PROBLEM_JSON
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status


async def test_healthz(client):
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert (await resp.json())["status"] == "ok"


async def test_unknown_route_is_problem_json(client):
    resp = await client.get("/no/such/thing")
    assert_problem(resp, await resp.json(content_type=None), 404)


async def test_web_origin_is_refused(client):
    resp = await client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert_problem(resp, await resp.json(content_type=None), 403)
    resp = await client.get("/healthz", headers={"Origin": "chrome-extension://ajmeccjpncahkglinakhnejbbkofnhja"})
    assert resp.status == 200  # Gloss's own extension
    resp = await client.get("/healthz", headers={"Origin": "chrome-extension://abcdef"})
    assert_problem(resp, await resp.json(content_type=None), 403)  # any other extension
