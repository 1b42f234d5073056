"""The popup and the options page, opened as pages of the loaded extension.

The popup prints and previews the tab it was opened for, searches words with
completion, shows the history of look-ups, exports it as CSV and clears it. The
options page saves each setting as it changes and refuses invalid ones. The
screenshots docs/popup-light.png and docs/popup-dark.png are taken here (`make screenshots` writes them).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import gloss_server
from tests.e2e.browser import browser_session, gloss, screenshot, seed_page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

POPUP_SIZE = {"width": 380, "height": 640}


def open_popup(gloss, tab: int):
    popup = gloss.context.new_page()
    popup.set_viewport_size(POPUP_SIZE)
    popup.goto(gloss.url(f"popup/popup.html?tab={tab}"))
    return popup


def test_popup_search_history_export_and_clear(gloss, seed_page):
    page, tab = seed_page
    gloss.double_click_word(page, "detente")  # one look-up from the page, with its sentence
    expect(page.locator("#gloss-bubble[data-state=found]")).to_be_attached(timeout=15_000)

    popup = open_popup(gloss, tab)
    expect(popup.locator("#print")).to_be_enabled()
    expect(popup.locator("#history li")).to_have_count(1)

    # Completion: the datalist fills with headwords that start with what was typed.
    popup.locator("#query").press_sequentially("alli")
    options = popup.locator("#completions option")
    expect(options.first).to_be_attached()
    words = [o.get_attribute("value") for o in options.all()]
    assert words and all(w.lower().startswith("alli") for w in words), words

    popup.locator("#query").fill("liberals")
    popup.locator("#query").press("Enter")
    expect(popup.locator("#entry .g-word")).to_have_text("liberal")
    assert popup.locator("#entry .g-inflection").text_content() == "liberals → liberal, plural"

    # Not found: suggestions, and choosing one looks it up.
    popup.locator("#query").fill("detante")
    popup.locator("#query").press("Enter")
    expect(popup.locator("#entry .g-suggestion").first).to_have_text("detente")
    popup.locator("#entry .g-suggestion").first.click()
    expect(popup.locator("#entry .g-word")).to_have_text("detente")

    # One entry per word: the misspelling is not kept, and searching "detente" again moved
    # the page's entry up, keeping its sentence and page.
    expect(popup.locator("#history li")).to_have_count(2)
    assert popup.locator("#history li .word").all_text_contents() == ["detente", "liberals"]
    expect(popup.locator("#history li .sentence").first).to_contain_text("months of detente on the peninsula")
    popup.locator("#query").fill("")

    screenshot(popup, "popup-light.png", full_page=True)
    popup.emulate_media(color_scheme="dark")
    screenshot(popup, "popup-dark.png", full_page=True)
    popup.emulate_media(color_scheme="light")

    # CSV export through the downloads API.
    popup.locator("#export").click()
    expect(popup.locator("#status")).to_have_text("Exported your look-ups as gloss-lookups.csv.")
    exported = gloss.worker.evaluate(
        "async () => (await chrome.downloads.search({filenameRegex: 'gloss-lookups', orderBy: ['-startTime']}))[0].id")
    item = gloss.wait_download(exported)
    rows = list(csv.DictReader(io.StringIO(Path(item["filename"]).read_text(encoding="utf-8"))))
    assert [r["word"] for r in rows] == ["liberals", "detente"]
    assert rows[1]["sentence"].endswith("following months of detente on the peninsula.")
    assert rows[1]["url"] == page.url

    # Clear takes two clicks.
    popup.locator("#clear").click()
    expect(popup.locator("#clear")).to_have_text("Really clear?")
    assert gloss.worker.evaluate("GlossStorage.history()") != []
    popup.locator("#clear").click()
    expect(popup.locator("#history li")).to_have_count(0)
    assert gloss.worker.evaluate("GlossStorage.history()") == []


def test_popup_print_and_preview(gloss, seed_page):
    page, tab = seed_page
    popup = open_popup(gloss, tab)
    popup.locator("#print").click()
    expect(popup.locator("#status")).to_have_text(
        "Saved State Department reiterates support for Korea-U.S. working group.pdf to your downloads.", timeout=60_000)

    with gloss.context.expect_page() as opened:
        popup.locator("#preview").click()
    preview = opened.value
    expect(preview.locator("#status")).to_have_text(f"Preview of {page.url}", timeout=60_000)
    frame = preview.frame_locator("#article")
    expect(frame.locator("body")).to_contain_text("months of detente on the peninsula")
    assert "Log in to Twitter" not in frame.locator("body").text_content()
    assert preview.locator("#article").get_attribute("sandbox") == ""


def test_popup_without_a_web_page(gloss):
    popup = gloss.context.new_page()
    popup.set_viewport_size(POPUP_SIZE)
    popup.goto(gloss.url("popup/popup.html"))  # its own tab is the active one: not printable
    expect(popup.locator("#print")).to_be_disabled()
    expect(popup.locator("#status")).to_have_text("Open an article (a web page) to print it.")


def test_options_save_validate_and_check(gloss, live_server):
    options = gloss.context.new_page()
    options.goto(gloss.url("options/options.html"))
    expect(options.locator("#serverUrl")).to_have_value(live_server)
    expect(options.locator("#fontSize")).to_have_value("11")
    expect(options.locator("#trigger")).to_have_value("dblclick")

    options.locator("#fontSize").fill("12.5")
    options.locator("#fontSize").dispatch_event("change")
    options.locator("#pageSize").select_option("Letter")
    options.locator("#links").uncheck()
    options.locator("#history").uncheck()
    options.locator("#trigger").select_option("Shift")
    expect(options.locator("#status")).to_have_text("Saved.")
    saved = gloss.worker.evaluate("GlossStorage.settings()")
    assert (saved["fontSize"], saved["pageSize"], saved["links"], saved["history"], saved["trigger"]) == (
        12.5, "Letter", "none", False, "Shift")
    assert gloss.worker.evaluate("GlossStorage.settings().then(GlossPrint.printOptions)") == {
        "font_size": 12.5, "images": True, "links": "none", "page_size": "Letter"}

    # History off: look-ups are not kept.
    result = gloss.worker.evaluate("GlossDefine.lookup({query: 'detente', context: '', url: ''})")
    assert result["status"] == "found"
    assert gloss.worker.evaluate("GlossStorage.history()") == []

    # An invalid URL is marked and not saved.
    options.locator("#serverUrl").fill("ftp://example")
    options.locator("#serverUrl").dispatch_event("change")
    expect(options.locator("#serverUrl")).to_have_attribute("aria-invalid", "true")
    assert gloss.worker.evaluate("GlossStorage.settings()")["serverUrl"] == live_server

    options.locator("#serverUrl").fill(live_server)
    options.locator("#check").click()
    expect(options.locator("#check-status")).to_contain_text("Connected to Gloss")
    expect(options.locator("#check-status")).to_contain_text(live_server)
    expect(options.locator("#check-status")).to_be_in_viewport()  # beside the button, not below the fold


def test_check_connection_catches_a_missing_or_wrong_token(gloss):
    """/healthz needs no token: the check must also make a request that does."""
    with gloss_server(GLOSS_TOKEN="the-right-token-of-some-length") as guarded:
        options = gloss.context.new_page()
        options.set_viewport_size({"width": 900, "height": 600})
        options.goto(gloss.url("options/options.html"))
        options.locator("#serverUrl").fill(guarded)
        options.locator("#serverUrl").dispatch_event("change")
        options.locator("#check").click()
        expect(options.locator("#check-status")).to_have_text(
            "This Gloss server needs an access token. Enter the one you were given in Gloss’s options.")
        expect(options.locator("#check-status")).to_have_class("status error")
        expect(options.locator("#check-status")).to_be_in_viewport()

        options.locator("#token").fill("a-wrong-token")
        options.locator("#token").dispatch_event("change")
        options.locator("#check").click()
        expect(options.locator("#check-status")).to_have_text(
            "The Gloss server did not accept the access token. Check the token in Gloss’s options.")

        options.locator("#token").fill("the-right-token-of-some-length")
        options.locator("#token").dispatch_event("change")
        options.locator("#check").click()
        expect(options.locator("#check-status")).to_contain_text("Connected to Gloss")
        expect(options.locator("#check-status")).to_contain_text(guarded)


def test_messages_from_pages_are_checked(gloss, seed_page):
    """A content script may only ask for look-ups, and only in the declared shape."""
    page, tab = seed_page
    refusals = gloss.worker.evaluate(
        """(tab) => {
             const page = {id: chrome.runtime.id, url: "http://127.0.0.1/x", tab: {id: tab}};
             const popup = {id: chrome.runtime.id, url: chrome.runtime.getURL("popup/popup.html")};
             const stranger = {id: "abcdefghijklmnopabcdefghijklmnop", url: "chrome-extension://other/"};
             const check = GlossProtocol.check;
             return [
               check({type: "define.lookup", query: "detente", context: "", url: ""}, page),
               check({type: "print.tab", tabId: tab}, page),
               check({type: "print.tab", tabId: tab}, popup),
               check({type: "print.tab", tabId: "1"}, popup),
               check({type: "define.lookup", query: "x".repeat(201)}, page),
               check({type: "define.lookup", query: "detente", html: "<b>"}, page),
               check({type: "define.lookup", query: "detente"}, stranger),
               check({type: "nope"}, popup),
             ];
           }""", tab)
    assert refusals[0] is None and refusals[2] is None
    assert all(isinstance(r, str) for r in refusals[1:2] + refusals[3:]), refusals


def test_history_csv_quotes_and_defuses_formulas(gloss):
    text = gloss.worker.evaluate("""GlossStorage.historyCsv([
      {time: "2026-01-02T03:04:05.000Z", word: "=HYPERLINK(1)", headword: "", sentence: 'He said "no", then left.', url: "http://x/"},
    ])""")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["time", "word", "headword", "sentence", "url"],
                    ["2026-01-02T03:04:05.000Z", "'=HYPERLINK(1)", "", 'He said "no", then left.', "http://x/"]]
