"""Printing a tab through the extension, as the toolbar, menu and shortcut do it.

`printTab(tabId)` in the service worker captures the tab (lazy images resolved, images
as data: URIs), posts it to a real `gloss serve`, and saves the PDF with the downloads
API. The PDF must hold the article and nothing of the page around it; when the server
is down or refuses, the reader gets a notification that says what to do, and no call hangs.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import FIXTURES, free_port, static_server
from tests.e2e.browser import browser_session, folded, gloss, pdf_text, seed_expected, seed_page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

# How long a failing print may take before the test calls it hung (the worker's own
# limits are far below: a refused connection fails at once).
HANG_LIMIT_MS = 20_000
PRINT_OR_HANG_JS = """async ([tabId, limit]) => {
  const hung = new Promise((resolve) => setTimeout(() => resolve({hung: true}), limit));
  const printed = printTab(tabId).then((downloadId) => ({downloadId}), (error) => ({error: error.message}));
  return Promise.race([printed, hung]);
}"""


def test_print_tab_downloads_the_article_alone(gloss, seed_page, seed_expected):
    page, tab = seed_page
    download_id = gloss.worker.evaluate("(tab) => printTab(tab)", tab)
    assert isinstance(download_id, int)
    item = gloss.wait_download(download_id)

    path = Path(item["filename"])
    assert path.parent == gloss.downloads
    assert path.suffix == ".pdf" and path.name.startswith("State Department reiterates support")
    assert item["mime"] == "application/pdf"
    text = folded(pdf_text(path))
    for snippet in seed_expected["must_contain"]:
        assert folded(snippet) in text, snippet
    for snippet in seed_expected["must_not_contain"]:
        assert folded(snippet) not in text, snippet
    # The lead photograph travelled with the request (the server may not fetch loopback pages).
    assert sum(len(p.images) for p in PdfReader(path).pages) >= 1
    assert gloss.worker.evaluate("(tab) => chrome.action.getBadgeText({tabId: tab})", tab) == "✓"
    assert gloss.worker.evaluate("GlossStorage.lastError()") is None


def test_capture_sends_the_page_with_its_images(gloss, seed_page, fixture_site):
    page, tab = seed_page
    captured = gloss.worker.evaluate(
        """async (tab) => {
             const p = await GlossCapture.capturePage(tab);
             return {url: p.url, html: p.html, images: Object.fromEntries(
               Object.entries(p.images).map(([k, v]) => [k, v.slice(0, 30)]))};
           }""", tab)
    photo = f"{fixture_site}/images/2020/07/29/lee-harris.jpg"
    assert captured["url"] == page.url
    assert list(captured["images"]) == [photo]
    assert captured["images"][photo].startswith("data:image/jpeg;base64,/9j/")  # JPEG's magic bytes
    assert f'src="{photo}"' in captured["html"]
    assert "months of detente on the peninsula" in captured["html"]
    assert "analytics.js" not in captured["html"]  # scripts stay behind
    assert '"@type":"NewsArticle"' in captured["html"]  # JSON-LD metadata travels


def test_server_not_running_is_told_and_nothing_hangs(gloss, seed_page):
    page, tab = seed_page
    closed = f"http://127.0.0.1:{free_port()}"
    gloss.configure(serverUrl=closed)
    result = gloss.worker.evaluate(PRINT_OR_HANG_JS, [tab, HANG_LIMIT_MS])
    # Said for a reader: what to check, with no developer command in it.
    message = (f"Gloss cannot reach its server at {closed}. Check that the Gloss server is running, "
               "or correct its address in Gloss’s options.")
    assert result == {"error": message}
    notifications = gloss.worker.evaluate("chrome.notifications.getAll()")
    assert any(key.startswith("gloss-print-") for key in notifications), notifications
    assert gloss.worker.evaluate("GlossStorage.lastError()")["message"] == message
    assert gloss.worker.evaluate("(tab) => chrome.action.getBadgeText({tabId: tab})", tab) == "!"


def test_server_error_shows_the_problem_detail(gloss, live_server, tmp_path):
    # A page with no article in it: the server answers a problem, and its detail is what the reader reads.
    (tmp_path / "menu.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><title>Menu</title></head><body>"
        "<nav><a href='/a'>Home</a> <a href='/b'>News</a></nav></body></html>")
    with static_server(tmp_path) as site:
        page, tab = gloss.open(f"{site}/menu.html")
        result = gloss.worker.evaluate(PRINT_OR_HANG_JS, [tab, HANG_LIMIT_MS])
        body = json.dumps({"url": page.url, "html": (tmp_path / "menu.html").read_text()}).encode()
        request = urllib.request.Request(f"{live_server}/api/print", data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=60)
            pytest.fail("the server printed a page without an article")
        except urllib.error.HTTPError as error:
            assert error.headers["Content-Type"].startswith("application/problem+json")
            problem = json.load(error)
    assert result == {"error": problem["detail"]}
    assert gloss.worker.evaluate("GlossStorage.lastError()")["message"] == problem["detail"]


NEXT_DOWNLOAD_JS = """async (known) => {
  for (let i = 0; i < 600; i += 1) {
    const fresh = (await chrome.downloads.search({})).filter((d) => !known.includes(d.id));
    if (fresh.length && fresh[0].state !== "in_progress") return fresh[0];
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}"""


@pytest.mark.parametrize("gesture", [
    "GlossMenus.onMenuClicked({menuItemId: 'gloss-print'}, {id: tab})",  # "Print article as PDF" menu item
    "GlossMenus.onCommand('print-article', {id: tab})",  # Alt+Shift+P
])
def test_menu_and_shortcut_print_like_the_button(gloss, seed_page, gesture):
    page, tab = seed_page
    known = gloss.worker.evaluate("chrome.downloads.search({}).then((all) => all.map((d) => d.id))")
    gloss.worker.evaluate(f"(tab) => {{ {gesture}; }}", tab)
    item = gloss.worker.evaluate(NEXT_DOWNLOAD_JS, known)
    assert item and item["state"] == "complete", item
    path = Path(item["filename"])
    assert path.name.startswith("State Department reiterates support") and path.suffix == ".pdf"
    assert folded("months of detente on the peninsula") in folded(pdf_text(path))


def test_capture_bounds_image_count_and_bytes(gloss, tmp_path):
    limits = gloss.worker.evaluate(
        "({count: GlossCapture.MAX_IMAGES, each: GlossCapture.MAX_IMAGE_BYTES, total: GlossCapture.MAX_TOTAL_BYTES})")
    photo = (FIXTURES / "images" / "2020" / "07" / "29" / "lee-harris.jpg").read_bytes()
    (tmp_path / "photo.jpg").write_bytes(photo)
    # One image just over the per-image bound, and enough just under it to pass the total bound.
    (tmp_path / "huge.jpg").write_bytes(photo + b"\0" * (limits["each"] + 1 - len(photo)))
    near = limits["each"] - 1024
    big_count = limits["total"] // near + 1
    for i in range(big_count):
        (tmp_path / f"big{i}.jpg").write_bytes(photo + bytes([i]) * (near - len(photo)))
    many = "".join(f'<img src="photo.jpg?n={i}" width="300" height="200">' for i in range(limits["count"] + 5))
    (tmp_path / "many.html").write_text(f"<!DOCTYPE html><title>Many</title><article>{many}</article>")
    bigs = "".join(f'<img src="big{i}.jpg" width="300" height="200">' for i in range(big_count))
    (tmp_path / "big.html").write_text(
        f'<!DOCTYPE html><title>Big</title><article><img src="huge.jpg" width="300" height="200">{bigs}</article>')
    sizes_js = """async (tab) => Object.fromEntries(Object.entries((await GlossCapture.capturePage(tab)).images)
                     .map(([url, data]) => [url.split('/').pop(), atob(data.split(',')[1]).length]))"""
    with static_server(tmp_path) as site:
        page, tab = gloss.open(f"{site}/many.html")
        assert len(gloss.worker.evaluate(sizes_js, tab)) == limits["count"]
        page, tab = gloss.open(f"{site}/big.html")
        sizes = gloss.worker.evaluate(sizes_js, tab)
    assert "huge.jpg" not in sizes
    assert all(size == near for size in sizes.values())
    assert sum(sizes.values()) <= limits["total"] and len(sizes) == big_count - 1
