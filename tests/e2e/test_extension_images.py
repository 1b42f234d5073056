"""The images a print fetches in the reader's browser: cookies to the page's own site only,
nothing from a loopback or private address on a public page's behalf.

The page is served as "news.example" (a name the browser maps to the local test server,
so it looks public); it lists images on its own host, on its subdomain, on another site,
and on loopback and private addresses. The test server records each request and the
cookies it carried.
"""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.e2e.browser import browser_session, gloss  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


class _Recorder(BaseHTTPRequestHandler):
    """Serves the test page and its images; records who asked for what, with which cookies.

    The page's images are lazy (`data-src`), so the page itself loads none of them: every
    image request comes from the extension's capture.
    """

    requests: list[dict] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        host = self.headers.get("Host", "").split(":")[0]
        self.requests.append({"host": host, "path": self.path, "cookie": self.headers.get("Cookie", "")})
        if self.path == "/article.html":
            body = page_html(self.server.server_address[1]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            # The reader is signed in on every site of the test (host-only cookies).
            self.send_header("Set-Cookie", f"session={host}; Path=/")
        else:
            body = PNG
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def page_html(port: int) -> str:
    figures = "".join(
        f'<figure><img data-src="{src}" width="600" height="400" alt=""><figcaption>{caption}</figcaption></figure>'
        for src, caption in [
            (f"http://news.example:{port}/own.png", "The site's own image."),
            (f"http://img.news.example:{port}/subdomain.png", "Its image host."),
            (f"http://cdn.example:{port}/other.png", "Another site's."),
            (f"http://127.0.0.1:{port}/loopback.png", "A loopback address."),
            (f"http://10.0.0.1:{port}/private.png", "A private address."),
            (f"http://[::1]:{port}/loopback6.png", "IPv6 loopback."),
        ])
    words = " ".join(["The council met on Monday to weigh the plan for the harbour."] * 12)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Harbour plan weighed</title></head>"
            f"<body><article><h1>Harbour plan weighed</h1><p>{words}</p>{figures}<p>{words}</p></article></body></html>")


@contextlib.contextmanager
def recorder():
    _Recorder.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_images_get_cookies_only_from_their_own_site_and_none_from_local_addresses(gloss):
    with recorder() as port:
        for site in ("cdn.example", "img.news.example"):  # the reader has been to both before
            visit, _ = gloss.open(f"http://{site}:{port}/article.html")
            visit.close()
        page, tab = gloss.open(f"http://news.example:{port}/article.html")
        assert "session=news.example" in page.evaluate("document.cookie")
        captured = gloss.worker.evaluate("(tab) => GlossCapture.capturePage(tab)", tab)
        fetched = {r["path"]: r for r in _Recorder.requests if r["path"].endswith(".png")}
        # The control: the background's fetch would carry the other site's cookie if it asked for it.
        gloss.worker.evaluate("(url) => fetch(url, {credentials: 'include'}).then((r) => r.status)",
                              f"http://cdn.example:{port}/control.png")
        control = next(r for r in _Recorder.requests if r["path"] == "/control.png")
    images = captured["images"]
    assert set(images) == {f"http://news.example:{port}/own.png", f"http://img.news.example:{port}/subdomain.png",
                           f"http://cdn.example:{port}/other.png"}, sorted(images)
    # The page's site (and its subdomain) with the reader's cookie; another site without.
    assert control["cookie"] == "session=cdn.example"
    assert fetched["/own.png"]["cookie"] == "session=news.example"
    assert fetched["/subdomain.png"]["cookie"] == "session=img.news.example"
    assert fetched["/other.png"]["cookie"] == ""
    # Loopback and private addresses named by a public page: never asked.
    assert not {"/loopback.png", "/private.png", "/loopback6.png"} & fetched.keys(), sorted(fetched)


def test_a_local_page_may_show_local_images(gloss, fixture_site):
    """The seed article is served from 127.0.0.1: its own images are local, and fetched."""
    page, tab = gloss.open(f"{fixture_site}/seed-article.html")
    captured = gloss.worker.evaluate("(tab) => GlossCapture.capturePage(tab)", tab)
    assert any(url.endswith("lee-harris.jpg") for url in captured["images"]), captured["images"]
