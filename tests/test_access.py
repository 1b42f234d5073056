"""Who may call the server: origins, fetch metadata, Host names, the token, the bind rule,
and the JSON body reader's rejections (400, 413, 415) through the real middleware."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from aiohttp import web

from server.app import create_app
from server.errors import Forbidden
from server.settings import Settings
from server.web.command import check_bind
from server.web.problems import PROBLEM_JSON
from server.web.requests import read_json

TOKEN = "s3cret-token-of-decent-length"
GLOSS_CHROME = "chrome-extension://ajmeccjpncahkglinakhnejbbkofnhja"
SELF_BUILT = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
FIREFOX_INSTALL = "moz-extension://0f7e1d62-4c3a-4a0a-9d55-6a1c2b0f3e11"
OTHER_EXTENSIONS = ["chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba",
                    "moz-extension://11111111-2222-4333-8444-555555555555"]
WEB_ORIGINS = ["https://evil.example", "http://127.0.0.1:8080", "null", "file://",
               "chrome-extension://abc/../evil", "https://chrome-extension.evil.example"]


def echo_app(settings: Settings) -> web.Application:
    """The real application plus one route that echoes what `read_json` returns."""
    app = create_app(settings)

    async def echo(request: web.Request) -> web.Response:
        return web.json_response(await read_json(request))
    app.router.add_post("/api/echo", echo)
    return app


@pytest.fixture
async def open_client(aiohttp_client):
    return await aiohttp_client(echo_app(Settings(max_body_mb=1, extension_origins=f"{SELF_BUILT}, {FIREFOX_INSTALL}")))


@pytest.fixture
async def token_client(aiohttp_client):
    return await aiohttp_client(echo_app(Settings(token=TOKEN)))


async def problem(resp, status: int) -> dict:
    assert resp.status == status, await resp.text()
    assert resp.content_type == PROBLEM_JSON
    body = await resp.json(content_type=None)
    assert body["status"] == status and body["detail"]
    return body


@pytest.mark.parametrize("origin", WEB_ORIGINS)
async def test_web_origins_are_refused(open_client, origin):
    await problem(await open_client.post("/api/echo", json={"a": 1}, headers={"Origin": origin}), 403)
    await problem(await open_client.get("/healthz", headers={"Origin": origin}), 403)


@pytest.mark.parametrize("origin", [GLOSS_CHROME, SELF_BUILT, FIREFOX_INSTALL])
async def test_gloss_extension_origins_pass_with_cors_headers(open_client, origin):
    resp = await open_client.post("/api/echo", json={"a": 1}, headers={"Origin": origin})
    assert resp.status == 200 and await resp.json() == {"a": 1}
    assert resp.headers["Access-Control-Allow-Origin"] == origin
    assert "Content-Disposition" in resp.headers["Access-Control-Expose-Headers"]
    # Errors are readable too, so the extension can show the problem's detail.
    resp = await open_client.get("/api/define", params={"q": ""}, headers={"Origin": origin})
    assert resp.status >= 400 and resp.headers["Access-Control-Allow-Origin"] == origin


@pytest.mark.parametrize("origin", OTHER_EXTENSIONS)
async def test_other_extensions_are_refused(open_client, origin):
    resp = await open_client.post("/api/echo", json={"a": 1}, headers={"Origin": origin})
    body = await problem(resp, 403)
    assert body["code"] == "unknown-extension"
    # Readable by that extension, so it can tell its reader why.
    assert resp.headers["Access-Control-Allow-Origin"] == origin
    await problem(await open_client.get("/api/define", params={"q": "detente"}, headers={"Origin": origin}), 403)


async def test_preflights_from_web_pages_are_refused(open_client):
    headers = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    resp = await open_client.options("/api/print", headers=headers)
    assert resp.status == 403 and "Access-Control-Allow-Origin" not in resp.headers


async def test_a_preflight_from_gloss_is_answered(open_client):
    headers = {"Origin": GLOSS_CHROME, "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "authorization, content-type"}
    resp = await open_client.options("/api/print", headers=headers)
    assert resp.status == 204
    assert resp.headers["Access-Control-Allow-Origin"] == GLOSS_CHROME
    assert "Authorization" in resp.headers["Access-Control-Allow-Headers"]


async def test_with_a_token_any_extension_may_present_it(token_client):
    origin = OTHER_EXTENSIONS[0]
    await problem(await token_client.post("/api/echo", json={"a": 1}, headers={"Origin": origin}), 401)
    resp = await token_client.post("/api/echo", json={"a": 1},
                                   headers={"Origin": origin, "Authorization": f"Bearer {TOKEN}"})
    assert resp.status == 200 and resp.headers["Access-Control-Allow-Origin"] == origin


def test_the_gloss_chrome_id_is_the_manifest_keys():
    import base64
    import hashlib

    from server.settings import PROJECT_ROOT
    from server.web.access import GLOSS_CHROME_ID
    key = json.loads((PROJECT_ROOT / "extension" / "manifest.json").read_text())["key"]
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    assert "".join(chr(ord("a") + int(c, 16)) for c in digest) == GLOSS_CHROME_ID


async def test_no_origin_passes(open_client):
    resp = await open_client.post("/api/echo", json={"a": 1})
    assert resp.status == 200


@pytest.mark.parametrize("dest,mode", [("image", "no-cors"), ("script", "no-cors"), ("empty", "no-cors"),
                                       ("iframe", "navigate"), ("style", "no-cors"), ("object", "no-cors")])
async def test_cross_site_embeds_without_origin_are_refused(open_client, dest, mode):
    headers = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": mode, "Sec-Fetch-Dest": dest}
    await problem(await open_client.get("/healthz", headers=headers), 403)


async def test_a_followed_link_is_a_navigation_and_passes(open_client):
    headers = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
    assert (await open_client.get("/healthz", headers=headers)).status == 200


async def test_an_extension_fetch_without_origin_passes(open_client):
    # Some browsers leave Origin off an extension's GET; its fetch() is still mode cors.
    headers = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}
    assert (await open_client.get("/healthz", headers=headers)).status == 200


async def test_rebound_host_names_are_refused(open_client):
    await problem(await open_client.get("/healthz", headers={"Host": "attacker.example:8080"}), 403)
    for host in ("localhost:8080", "127.0.0.1", "[::1]:8080", "127.0.0.2:80"):
        assert (await open_client.get("/healthz", headers={"Host": host})).status == 200


async def test_token_is_required_and_checked(token_client):
    body = {"a": 1}
    resp = await token_client.post("/api/echo", json=body)
    await problem(resp, 401)
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    for wrong in ("Bearer nope", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN, ""):
        await problem(await token_client.post("/api/echo", json=body, headers={"Authorization": wrong}), 401)
    resp = await token_client.post("/api/echo", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status == 200
    assert (await token_client.get("/healthz")).status == 200  # health needs no token


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "", "example.com"])
def test_non_loopback_bind_needs_a_strong_token(host):
    with pytest.raises(Forbidden):
        check_bind(host, "")
    with pytest.raises(Forbidden):
        check_bind(host, "short")
    check_bind(host, TOKEN)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.5"])
def test_loopback_bind_needs_no_token(host):
    check_bind(host, "")


# -- the JSON body ------------------------------------------------------------------------

@pytest.mark.parametrize("raw,words", [
    (b'{"url": "https://example.com/", "html": "<p>cut', "truncated"),
    (b'{"url": "https://example.com/",', "truncated"),
    (b"{url: 'x'}", "not valid JSON"),
    (b'{"a": 1} trailing', "not valid JSON"),
    (b'{"url": "\xff\xfe\xfd"}', "not valid UTF-8"),
    (b'{"a": "\xed\xa0\x80"}', "not valid UTF-8"),  # an encoded surrogate
    (b"[1, 2, 3]", "must be an object"),
    (b'"just a string"', "must be an object"),
    (b'{"n": NaN}', "cannot be read"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"n": ' + b"9" * 5000 + b"}", "cannot be read"),
    (b"", "empty"),
    (b"   \n", "empty"),
])
async def test_bad_json_is_400(open_client, raw, words):
    resp = await open_client.post("/api/echo", data=raw, headers={"Content-Type": "application/json"})
    body = await problem(resp, 400)
    assert words in body["detail"]
    assert (await open_client.get("/healthz")).status == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
async def test_form_types_are_415(open_client, content_type):
    resp = await open_client.post("/api/echo", data=b'{"a": 1}', headers={"Content-Type": content_type})
    await problem(resp, 415)


async def test_body_over_the_limit_is_413(open_client):
    big = json.dumps({"html": "x" * (2 * 1024 * 1024)}).encode()
    await problem(await open_client.post("/api/echo", data=big, headers={"Content-Type": "application/json"}), 413)

    async def chunks():  # no Content-Length: the limit trips while reading
        for _ in range(40):
            yield b" " * 65536
    await problem(await open_client.post("/api/echo", data=chunks(), headers={"Content-Type": "application/json"}), 413)
    assert (await open_client.get("/healthz")).status == 200


async def test_a_good_body_passes_unchanged(open_client):
    value = {"url": "https://example.com/", "html": "<p>Caf\u00e9 \u2014 \ud55c\uad6d\uc5b4</p>", "images": {}}
    resp = await open_client.post("/api/echo", data=b"\xef\xbb\xbf" + json.dumps(value).encode())
    assert resp.status == 200 and await resp.json() == value


def test_gloss_serve_refuses_an_open_bind_without_a_token():
    env = {k: v for k, v in os.environ.items() if k != "GLOSS_TOKEN"}
    done = subprocess.run([sys.executable, "-m", "server", "serve", "--host", "0.0.0.0", "--port", "1"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "GLOSS_TOKEN" in done.stderr
