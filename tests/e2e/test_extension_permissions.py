"""What a careful reader accepts at install: no site access, and shortcuts that work.

`fresh_session` is the extension as installed from `extension/`, in a fresh profile:
no host permission at all (activeTab only), and both keyboard shortcuts assigned, read
from chrome.commands.getAll() as chrome://extensions/shortcuts shows them (Chromium
leaves a suggested key unassigned when it keeps that key for itself, as Alt+Shift+P).
"""

from __future__ import annotations

import pytest

from tests.e2e.browser import fresh_session  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e


def test_fresh_install_asks_for_no_site_and_assigns_both_shortcuts(fresh_session):
    worker = fresh_session.worker
    granted = worker.evaluate("chrome.permissions.getAll()")
    assert granted["origins"] == [], granted
    assert "activeTab" in granted["permissions"]
    shortcuts = {c["name"]: c["shortcut"] for c in worker.evaluate("chrome.commands.getAll()")}
    assert shortcuts["print-article"] == "Alt+Shift+G", shortcuts
    assert shortcuts["define-selection"] == "Alt+Shift+D", shortcuts
    # Nothing is registered into pages until the reader allows every site.
    assert worker.evaluate("GlossAccess.sync()") is False
    assert worker.evaluate("chrome.scripting.getRegisteredContentScripts()") == []


def test_without_host_access_the_server_still_answers(fresh_session, live_server):
    """The server answers Gloss's own origin with CORS, so no host permission is needed to reach it."""
    fresh_session.configure(serverUrl=live_server)
    assert fresh_session.worker.evaluate("GlossServer.check()")["status"] == "ok"
    result = fresh_session.worker.evaluate("GlossDefine.lookup({query: 'detente'})")
    assert result["status"] == "found" and result["entry"]["word"] == "detente"
