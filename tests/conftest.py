"""Shared test fixtures: paths, settings, the app under the aiohttp test client, and a
real `gloss serve` process plus a static file server, both on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from server.app import create_app
from server.dictionary.lookup import Dictionary
from server.dictionary.store import Store
from server.settings import PROJECT_ROOT, Settings

FIXTURES = Path(__file__).parent / "fixtures"
SEED_HTML = FIXTURES / "seed-article.html"
SEED_URL = "https://koreajoongangdaily.joins.com/2020/07/29/national/northKorea/seed/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dictionary():
    """The real dictionary store that `make install` builds, opened once per module."""
    path = Settings().dictionary_path
    assert path.exists(), f"{path} is missing: run `make install` before these tests."
    store = Store(path)
    yield Dictionary(store)
    store.close()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(render_workers=1, cache_entries=8)


@pytest.fixture
async def client(aiohttp_client, settings):
    return await aiohttp_client(create_app(settings))


def wait_for_http(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2):
                return
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@contextlib.contextmanager
def gloss_server(**env: str):
    """Runs `gloss serve` as a separate process on a free loopback port; yields its base URL."""
    port = free_port()
    environ = {**os.environ, "GLOSS_PORT": str(port), "GLOSS_HOST": "127.0.0.1", **env}
    proc = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=PROJECT_ROOT, env=environ,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/healthz")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def live_server():
    with gloss_server() as base:
        yield base


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def static_server(root: Path):
    """Serves `root` over HTTP on a free loopback port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def fixture_site():
    with static_server(FIXTURES) as base:
        yield base
