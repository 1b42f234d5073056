"""Print with my words: the words a reader looked up on a page, defined in the PDF of it.

The reader double-clicks "dissonance" and "detente" in the seed article (real bubble,
real server, real history); "Print with my words" (popup, context menu, or
`printTab(tab, {words: true})`, which both call) must send those look-ups with their
sentences as `options.glossary`, and the PDF must define both where they stand and
list them, in reading order, in its closing glossary. With no look-ups on the page the
reader is told what to do; the options' automatic level glosses a plain print.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import (browser_session, folded, gloss, pdf_text, seed_page,  # noqa: F401 (fixtures)
                               server_json)

pytestmark = pytest.mark.e2e

SENTENCES = {
    "dissonance": "The issue of the working group highlights a long-standing dissonance between Seoul and "
                  "Washington over approaches to North Korea.",
    "detente": "The failed summit dashed hopes for an immediate settlement on Pyongyang’s nuclear weapons "
               "following months of detente on the peninsula.",
}


def look_up(gloss, page, word: str) -> None:
    gloss.double_click_word(page, word)
    expect(page.locator("#gloss-bubble[data-state=found]")).to_be_attached(timeout=15_000)
    page.keyboard.press("Escape")
    expect(page.locator("#gloss-bubble[data-state=found]")).not_to_be_attached()


def test_print_with_my_words_defines_the_looked_up_words(gloss, seed_page, live_server):
    page, tab = seed_page
    for word in ("detente", "dissonance"):  # looked up out of reading order
        look_up(gloss, page, word)
    lookups = gloss.worker.evaluate("(url) => GlossStorage.pageLookups(url)", page.url)
    assert {item["word"] for item in lookups} == {"detente", "dissonance"}
    for item in lookups:
        assert folded(SENTENCES[item["word"]]) in folded(item["context"])

    popup = gloss.context.new_page()
    popup.goto(gloss.url(f"popup/popup.html?tab={tab}"))
    expect(popup.locator("#print-words")).to_be_enabled()
    expect(popup.locator("#print-words-note")).to_contain_text("2 words you looked up here")
    popup.close()

    download_id = gloss.worker.evaluate("(tab) => printTab(tab, {words: true})", tab)
    text = pdf_text(Path(gloss.wait_download(download_id)["filename"]))
    assert "Glossary" in text, "the PDF has no closing glossary"
    for word, sentence in SENTENCES.items():
        status, entry = server_json(live_server, "/api/define", q=word, context=sentence)
        assert status == 200
        definition = folded(entry["meanings"][0]["senses"][0]["definition"])[:40]
        # Once, in the footnote beside the word; the closing glossary points to that note.
        assert folded(text).count(definition) == 1, word
    closing = text[text.index("Glossary"):]
    assert closing.index("dissonance") < closing.index("detente")  # reading order, not look-up order
    assert gloss.worker.evaluate("GlossStorage.lastError()") is None


def test_print_with_my_words_and_no_look_ups_says_what_to_do(gloss, seed_page):
    page, tab = seed_page
    result = gloss.worker.evaluate(
        "(tab) => printTab(tab, {words: true}).then((id) => ({id}), (error) => ({error: error.message}))", tab)
    assert result["error"].startswith("No words looked up on this page yet")
    notifications = gloss.worker.evaluate("chrome.notifications.getAll()")
    assert any(key.startswith("gloss-print-") for key in notifications), notifications

    popup = gloss.context.new_page()
    popup.goto(gloss.url(f"popup/popup.html?tab={tab}"))
    expect(popup.locator("#print-words")).to_be_disabled()
    popup.close()


def test_automatic_glossary_level_glosses_a_plain_print(gloss, seed_page):
    page, tab = seed_page
    gloss.configure(autoGlossary="few")
    options = gloss.worker.evaluate("async () => GlossPrint.printOptions(await GlossStorage.settings())")
    assert options["glossary"] == "auto" and options["glossary_max"] == 6
    download_id = gloss.worker.evaluate("(tab) => printTab(tab)", tab)
    text = pdf_text(Path(gloss.wait_download(download_id)["filename"]))
    closing = text[text.index("Glossary"):]
    assert "detente" in closing and "subservience" in closing  # the seed's rare words
