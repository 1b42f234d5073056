"""The extension loaded unpacked in Debian's Chromium, driven by Playwright: fixtures and helpers.

Test modules import the fixtures they use from here (a conftest.py in this folder
would shadow the suite's own `conftest` module). One headless Chromium per test
module (a fresh profile in a temporary folder, with its download folder set there
too), the unpacked extension loaded, and every host name but 127.0.0.1 (and the test
names of `HOST_RULES`) unresolvable, so no test can reach the internet even when a page
links out. `browser_session` loads a copy of `extension/` as a reader has it after
granting the optional access to all sites ("Define on every page" in the options: a
browser asks for that in a prompt a test cannot answer); `fresh_session` loads
`extension/` itself, as installed, with no host access at all. The
`gloss` fixture gives the extension's service worker, its id and helpers; before each
test its settings and history are reset and its server URL points at the real
`gloss serve` of the session (`live_server`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Worker, sync_playwright

from server.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
EXTENSION = PROJECT_ROOT / "extension"
# `make screenshots` writes the README's pictures into docs/; an ordinary run takes them
# too (taking them is part of the test) but into a temporary folder, so that running the
# tests leaves the working tree as it was.
SCREENSHOTS = Path(os.environ.get("GLOSS_SCREENSHOT_DIR") or Path(tempfile.gettempdir()) / "gloss-screenshots")
# Names a test page uses to look like public sites; all of them are the loopback servers.
TEST_HOSTS = ("news.example", "img.news.example", "cdn.example")
HOST_RULES = ", ".join(f"MAP {host} 127.0.0.1" for host in TEST_HOSTS)


def chromium_flags(extension: Path) -> list[str]:
    return [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        # Tests never touch the internet: only the loopback servers the tests start resolve.
        f"--host-resolver-rules={HOST_RULES}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--disable-extensions-except={extension}",
        f"--load-extension={extension}",
    ]


def granted_copy(folder: Path) -> Path:
    """A copy of extension/ whose optional host access is granted at install, as after the reader allowed it."""
    copy = folder / "extension"
    shutil.copytree(EXTENSION, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["host_permissions"] = manifest.pop("optional_host_permissions")
    (copy / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return copy
# Finding the word on the page: its centre, after scrolling it into view.
WORD_CENTRE_JS = """(word) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.search(new RegExp(`\\\\b${word}\\\\b`));
    if (at < 0) continue;
    node.parentElement.scrollIntoView({block: "center"});
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const box = range.getBoundingClientRect();
    return {x: box.left + box.width / 2, y: box.top + box.height / 2};
  }
  return null;
}"""


def pdf_text(path: Path) -> str:
    """The text of a PDF (poppler's pdftotext), as one string."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def folded(text: str) -> str:
    """Text with line ends, hyphenation breaks and spacing folded away, for comparing prose."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", unicodedata.normalize("NFKC", text))


def server_json(base: str, path: str, **query: str) -> tuple[int, dict]:
    """GET from the Gloss server directly (as the command line would: no Origin)."""
    url = f"{base}{path}?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@dataclass
class Gloss:
    """The loaded extension: its browser context, id, download folder, and helpers."""

    context: BrowserContext
    extension_id: str
    downloads: Path

    @property
    def worker(self) -> Worker:
        """The extension's service worker, started again if the browser had stopped it."""
        for worker in self.context.service_workers:
            if worker.url.startswith(f"chrome-extension://{self.extension_id}/"):
                return worker
        with self.context.expect_event("serviceworker") as event:
            page = self.context.new_page()
            page.goto(self.url("options/options.html"))
        page.close()
        return event.value

    def url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path}"

    def configure(self, **settings) -> dict:
        return self.worker.evaluate("(s) => GlossStorage.saveSettings(s)", settings)

    def tab_id(self, page: Page) -> int:
        return self.worker.evaluate(
            "async (url) => (await chrome.tabs.query({})).find((t) => t.url === url).id", page.url)

    def open(self, url: str) -> tuple[Page, int]:
        page = self.context.new_page()
        page.goto(url)
        # The content script is in once the page is idle; its listeners answer from then on.
        page.wait_for_load_state("load")
        return page, self.tab_id(page)

    def wait_download(self, download_id: int, timeout_ms: int = 30_000) -> dict:
        """The finished download's record (chrome.downloads), failing when it was interrupted."""
        item = self.worker.evaluate(
            """async ([id, timeout]) => {
                 const end = Date.now() + timeout;
                 for (;;) {
                   const [item] = await chrome.downloads.search({id});
                   if (item && item.state !== "in_progress") return item;
                   if (Date.now() > end) return item || null;
                   await new Promise((r) => setTimeout(r, 50));
                 }
               }""",
            [download_id, timeout_ms],
        )
        assert item is not None, f"download {download_id} not found"
        assert item["state"] == "complete", item
        return item

    def double_click_word(self, page: Page, word: str) -> None:
        centre = page.evaluate(WORD_CENTRE_JS, word)
        assert centre, f"{word!r} is not on the page"
        page.mouse.dblclick(centre["x"], centre["y"])


# One browser per test module, not per session: Playwright's synchronous API holds the
# thread's event loop while it runs, which the asyncio tests of other modules need.
@pytest.fixture(scope="module")
def browser_session(tmp_path_factory):
    yield from _session(tmp_path_factory, granted_copy(tmp_path_factory.mktemp("granted")))


@pytest.fixture(scope="module")
def fresh_session(tmp_path_factory):
    yield from _session(tmp_path_factory, EXTENSION)


def _session(tmp_path_factory, extension: Path, locale: str = "en-US"):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make install` (Debian package chromium)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    downloads = tmp_path_factory.mktemp("downloads")
    # The downloads API saves under the name Gloss gives only with the browser's own
    # download handling, so the profile is told where to save and never to ask.
    (profile / "Default").mkdir()
    (profile / "Default" / "Preferences").write_text(json.dumps(
        {"download": {"default_directory": str(downloads), "prompt_for_download": False}}))
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            # The extension's language follows the browser's (--lang, and LANGUAGE on Linux).
            str(profile), executable_path=CHROMIUM, headless=True, args=[*chromium_flags(extension), f"--lang={locale}"],
            env={**os.environ, "LANGUAGE": locale.replace("-", "_")},
            accept_downloads=True, viewport={"width": 1100, "height": 800}, locale=locale,
        )
        try:
            worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
            extension_id = worker.url.split("/")[2]
            page = context.pages[0] if context.pages else context.new_page()
            # Playwright otherwise routes downloads to its own folder under generated names.
            context.new_cdp_session(page).send("Browser.setDownloadBehavior", {"behavior": "default"})
            yield Gloss(context, extension_id, downloads)
        finally:
            context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def gloss(browser_session: Gloss, live_server: str):
    """The extension, reset: default settings with the test server's URL, no history, no error."""
    browser_session.worker.evaluate("chrome.storage.local.clear()")
    # Registered at install; awaited here so the first page a test opens has the content scripts.
    assert browser_session.worker.evaluate("GlossAccess.sync()") is True
    browser_session.configure(serverUrl=live_server)
    yield browser_session
    for page in browser_session.context.pages[1:]:
        page.close()


@pytest.fixture
def seed_page(gloss: Gloss, fixture_site: str) -> tuple[Page, int]:
    return gloss.open(f"{fixture_site}/seed-article.html")


@pytest.fixture(scope="session")
def seed_expected() -> dict:
    return json.loads((PROJECT_ROOT / "tests" / "fixtures" / "seed-article.expected.json").read_text())


def screenshot(page: Page, name: str, **kwargs) -> Path:
    """Saves a picture for the README (see SCREENSHOTS)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), **kwargs)
    return path
