"""The same extension/ folder in Firefox: it installs, prints a tab, and defines a word.

Firefox runs the background as an event page from `background.scripts`, where Chromium
runs the service worker; this test is what shows the one folder works in both. It
drives Debian's Firefox ESR over WebDriver BiDi (tests/e2e/firefox.py) against the
same real `gloss serve` and fixture site as the Chromium tests.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from pathlib import Path

import pytest

import uuid

from tests.conftest import free_port, gloss_server
from tests.e2e.browser import EXTENSION, WORD_CENTRE_JS, folded, granted_copy, pdf_text, seed_expected  # noqa: F401 (fixture)
from tests.e2e.firefox import FIREFOX, firefox_with_extension

pytestmark = pytest.mark.e2e


def send(message: dict) -> str:
    """An expression that sends `message` from an extension page and yields the reply."""
    return f"browser.runtime.sendMessage({json.dumps(message)})"


def test_firefox_prints_and_defines(fixture_site, seed_expected, tmp_path):
    assert FIREFOX, "Firefox is missing: run `make install` (Debian package firefox-esr)"
    # Firefox gives each install of an extension a random UUID, and that is its origin: a
    # server accepts it when listed (the options page shows it to the reader).
    extension_uuid = str(uuid.uuid4())
    with gloss_server(GLOSS_EXTENSION_ORIGINS=f"moz-extension://{extension_uuid}") as server:
        # Its own thread and event loop: the Chromium tests' Playwright holds this thread's loop.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, drive_firefox(server, fixture_site, seed_expected, granted_copy(tmp_path),
                                                   extension_uuid)).result()


async def drive_firefox(live_server: str, fixture_site: str, seed_expected: dict, extension: Path,
                        extension_uuid: str) -> None:
    async with firefox_with_extension(extension, extension_uuid) as firefox:
        options = await firefox.open_extension_page("options/options.html")
        # Both shortcuts are assigned in Firefox too.
        commands = await firefox.evaluate(options, "browser.commands.getAll()")
        assert {c["name"]: c["shortcut"] for c in commands} == {
            "print-article": "Alt+Shift+G", "define-selection": "Alt+Shift+D"}, commands
        # The address the reader gives a server's GLOSS_EXTENSION_ORIGINS.
        origin = await firefox.evaluate(options, "document.getElementById('own-origin').textContent")
        assert origin == f"moz-extension://{extension_uuid}"
        await firefox.evaluate(options, f"GlossStorage.saveSettings({{serverUrl: {json.dumps(live_server)}}})")

        article = next(c["context"] for c in await firefox.contexts() if not c["url"].startswith("moz-extension:"))
        seed_url = f"{fixture_site}/seed-article.html"
        await firefox.call("browsingContext.navigate", context=article, url=seed_url, wait="complete")
        tab = await firefox.wait_for(options, (
            f"browser.tabs.query({{}}).then(ts => (ts.find(t => t.url === {json.dumps(seed_url)}) || {{}}).id)"))

        # Print, as the popup asks for it; the event page saves the PDF through a blob URL.
        reply = await firefox.evaluate(options, send({"type": "print.tab", "tabId": tab}))
        assert reply["ok"], reply
        item = await firefox.wait_for(options, (
            f"browser.downloads.search({{id: {reply['value']['downloadId']}}})"
            ".then(([d]) => d && d.state === 'complete' && d)"), timeout=60)
        path = Path(item["filename"])
        assert path.parent == firefox.downloads and path.name.startswith("State Department reiterates support")
        text = folded(pdf_text(path))
        assert folded(seed_expected["must_contain"][0]) in text
        assert all(folded(s) not in text for s in seed_expected["must_not_contain"])

        # Define: a real double-click on "detente" opens the bubble in the page.
        centre = await firefox.evaluate(article, f"({WORD_CENTRE_JS})('detente')")
        await firefox.double_click(article, centre["x"], centre["y"])
        state = await firefox.wait_for(article, (
            "((document.getElementById('gloss-bubble') || {dataset: {}}).dataset.state || 'loading').replace('loading', '')"))
        assert state == "found"
        bubble = await firefox.evaluate(article, """(() => {
            const root = document.getElementById('gloss-bubble').shadowRoot;
            return {word: root.querySelector('.g-word').textContent,
                    definition: root.querySelector('.g-def').textContent,
                    role: root.querySelector('[role=dialog]').getAttribute('aria-label')};
        })()""")
        assert bubble["word"] == "detente" and "tension" in bubble["definition"]
        assert bubble["role"] == "Definition of detente"
        history = await firefox.evaluate(options, "GlossStorage.history()")
        assert [(h["word"], h["url"]) for h in history] == [("detente", seed_url)]

        # The server gone: a clear message, no hang.
        closed = f"http://127.0.0.1:{free_port()}"
        await firefox.evaluate(options, f"GlossStorage.saveSettings({{serverUrl: {json.dumps(closed)}}})")
        reply = await firefox.evaluate(options, send({"type": "print.tab", "tabId": tab}))
        assert reply == {"ok": False, "error": (f"Gloss cannot reach its server at {closed}. Check that the Gloss "
                                                "server is running, or correct its address in Gloss’s options.")}


def test_firefox_install_not_listed_is_refused(live_server, fixture_site):
    """Installed as it comes (no site access), Firefox's requests carry the install's own origin: a server
    that does not list it refuses it (403), and the reader is told what to do."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        error = pool.submit(asyncio.run, refused_in_firefox(live_server, fixture_site, EXTENSION)).result()
    assert error == (f"The Gloss server at {live_server} does not accept this browser yet. Give whoever runs it the "
                     "address shown in Gloss’s options, or enter an access token there.")


async def refused_in_firefox(live_server: str, fixture_site: str, extension: Path) -> str:
    async with firefox_with_extension(extension) as firefox:
        options = await firefox.open_extension_page("options/options.html")
        await firefox.evaluate(options, f"GlossStorage.saveSettings({{serverUrl: {json.dumps(live_server)}}})")
        reply = await firefox.evaluate(options, send({"type": "define.lookup", "query": "detente"}))
        assert reply["ok"], reply
        return reply["value"].get("message")
