"""What a reader trips over in a real browser, each done the way the reader did it.

Chromium (Debian's, through Playwright) with the extension as a reader has it after
allowing "Define on every page": the popup's focus rings and tab order, the popup after
Clear, a hyphenated word double-clicked, a PDF tab and a number look-up, words inside a
same-origin frame, the bubble above a word growing with More, the history without
duplicates, and the names of the saved PDFs.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.conftest import FIXTURES, static_server
from tests.e2e.browser import browser_session, gloss, seed_page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

POPUP_SIZE = {"width": 380, "height": 640}
HEADLINE = "State Department reiterates support for Korea-U.S. working group"
# The centre of `part` inside the first occurrence of `whole` on the page (scrolled into view).
PART_CENTRE_JS = """([whole, part, block]) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(whole);
    if (at < 0) continue;
    node.parentElement.scrollIntoView({block});
    const start = at + whole.indexOf(part);
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + part.length);
    const box = range.getBoundingClientRect();
    return {x: box.left + box.width / 2, y: box.top + box.height / 2, top: box.top, bottom: box.bottom};
  }
  return null;
}"""


def open_popup(gloss, tab: int):
    popup = gloss.context.new_page()
    popup.set_viewport_size(POPUP_SIZE)
    popup.goto(gloss.url(f"popup/popup.html?tab={tab}"))
    return popup


def double_click_part(page, whole: str, part: str, block: str = "center") -> dict:
    centre = page.evaluate(PART_CENTRE_JS, [whole, part, block])
    assert centre, f"{whole!r} is not on the page"
    page.mouse.dblclick(centre["x"], centre["y"])
    return centre


def settled(where, expected: str = "found"):
    """The bubble in a page or frame once it has an answer, failing with what it shows when it is not `expected`."""
    bubble = where.locator("#gloss-bubble:not([data-state=loading])")
    expect(bubble).to_be_attached(timeout=15_000)
    assert bubble.get_attribute("data-state") == expected, bubble.text_content()
    return bubble


def test_popup_focus_rings_and_tab_order(gloss, seed_page):
    page, tab = seed_page
    double_click_part(page, "detente", "detente")
    settled(page)
    popup = open_popup(gloss, tab)
    expect(popup.locator("#print-words")).to_be_enabled()
    popup.locator("#open-options").focus()
    order = []
    for _ in range(3):
        popup.keyboard.press("Tab")
        order.append(popup.evaluate("document.activeElement.id"))
    # The layout: Print and Preview on the first row, Print with my words under them.
    assert order == ["print", "preview", "print-words"]
    for button in order:
        popup.locator(f"#{button}").focus()
        popup.keyboard.press("Shift+Tab")
        popup.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        ring = popup.evaluate("""(id) => {
            const style = getComputedStyle(document.getElementById(id));
            return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor};
        }""", button)
        assert ring["style"] == "solid" and ring["width"] >= 2, (button, ring)
        assert ring["color"] not in ("rgba(0, 0, 0, 0)", "transparent"), (button, ring)


def test_popup_after_clear_offers_no_words(gloss, seed_page):
    page, tab = seed_page
    for word in ("detente", "liberals"):
        double_click_part(page, word, word)
        settled(page)
        page.keyboard.press("Escape")
    popup = open_popup(gloss, tab)
    expect(popup.locator("#print-words-note")).to_have_text("2 words you looked up here will be defined where they stand.")
    popup.locator("#clear").click()
    popup.locator("#clear").click()
    expect(popup.locator("#history li")).to_have_count(0)
    expect(popup.locator("#print-words")).to_be_disabled()
    expect(popup.locator("#print-words-note")).to_have_text(
        "Words you look up on this page can be printed with it, defined in footnotes.")


@pytest.mark.parametrize("whole,part", [("inter-Korean", "Korean"), ("inter-Korean", "inter"),
                                        ("long-standing", "standing")])
def test_double_click_inside_a_hyphenated_word_defines_the_compound(gloss, seed_page, whole, part):
    page, tab = seed_page
    double_click_part(page, whole, part)
    bubble = settled(page)
    # The entry of the compound, or of the word it is made from, saying so ("inter-Korean → Korean").
    shown = bubble.locator(".g-word").text_content()
    if shown.lower() != whole.lower():
        assert bubble.locator(".g-inflection").text_content().startswith(f"{whole} → {shown}")
    assert page.evaluate("getSelection().toString()") == whole  # the reader sees what was looked up
    assert [h["word"] for h in gloss.worker.evaluate("GlossStorage.history()")] == [whole]


def test_pdf_tab_chrome_page_and_a_number(gloss, seed_page, tmp_path):
    page, seed_tab = seed_page
    pdf = next((FIXTURES.parent / "data").rglob("*.pdf"), None) if (FIXTURES.parent / "data").exists() else None
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "paper.pdf").write_bytes(pdf.read_bytes() if pdf else MINIMAL_PDF)
    with static_server(folder) as site:
        pdf_page, pdf_tab = gloss.open(f"{site}/paper.pdf")
        # A failure in another tab is not this tab's "Last problem".
        gloss.worker.evaluate("(tab) => GlossStorage.recordError('print', 'Something failed over there.', tab)", seed_tab)
        popup = open_popup(gloss, pdf_tab)
        expect(popup.locator("#print")).to_be_disabled()
        expect(popup.locator("#preview")).to_be_disabled()
        expect(popup.locator("#print-words")).to_be_disabled()
        expect(popup.locator("#status")).to_have_text("This tab shows a file (a PDF or a picture), not an article.")
        # A number is no word: said plainly, not as a problem.
        popup.locator("#query").fill("1,200")
        popup.locator("#query").press("Enter")
        expect(popup.locator("#entry .g-message")).to_contain_text("is a number")
        assert popup.locator("#entry .g-error").count() == 0
        assert gloss.worker.evaluate("GlossStorage.lastError()")["message"] == "Something failed over there."
        popup.close()

        before = gloss.worker.evaluate("async () => (await chrome.tabs.query({})).map((t) => t.id)")
        browser_page = gloss.context.new_page()
        browser_page.goto("chrome://version")
        tab = gloss.worker.evaluate(  # the extension may not see a browser page's address: the new tab
            "async (before) => (await chrome.tabs.query({})).find((t) => !before.includes(t.id)).id", before)
        popup = open_popup(gloss, tab)
        expect(popup.locator("#print")).to_be_disabled()
        expect(popup.locator("#status")).to_have_text("Open an article (a web page) to print it.")

    seed_popup = open_popup(gloss, seed_tab)
    expect(seed_popup.locator("#status")).to_have_text("Last problem: Something failed over there.")


def test_define_and_print_inside_a_frame(gloss, fixture_site):
    page, tab = gloss.open(f"{fixture_site}/frames/host.html")
    frame = page.frame_locator("#story")
    story = page.frame(url=lambda url: url.endswith("story.html"))
    story.wait_for_load_state("load")
    # A double-click inside the frame: the bubble opens in the frame, at the word.
    box = page.locator("#story").bounding_box()
    word = story.evaluate(PART_CENTRE_JS, ["detente", "detente", "nearest"])
    page.mouse.dblclick(box["x"] + word["x"], box["y"] + word["y"])
    bubble = settled(frame)
    near = bubble.bounding_box()
    assert abs(near["y"] - (box["y"] + word["bottom"])) < 40, (near, word)
    page.keyboard.press("Escape")

    # The context menu's Define, used on a selection inside the frame: the frame's bubble, at the word.
    story.evaluate("""() => {
        const p = document.querySelector("article p:nth-of-type(2)");
        const at = p.firstChild.data.indexOf("cordial");
        const range = document.createRange();
        range.setStart(p.firstChild, at);
        range.setEnd(p.firstChild, at + "cordial".length);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }""")
    frame_id = gloss.worker.evaluate("""async (tab) => {
        const results = await chrome.scripting.executeScript({target: {tabId: tab, allFrames: true}, func: () => location.href});
        return results.find((r) => r.result.endsWith("story.html")).frameId;
    }""", tab)
    assert frame_id > 0
    gloss.worker.evaluate("""([tab, frameId]) => GlossMenus.onMenuClicked(
        {menuItemId: 'gloss-define', selectionText: 'cordial', frameId}, {id: tab})""", [tab, frame_id])
    bubble = settled(frame)
    assert bubble.locator(".g-word").text_content() == "cordial"
    assert page.locator("#gloss-bubble").count() == 0  # not the host page's, mid-page

    # Print from the host page says where the article is; from inside the frame it prints the frame.
    host = gloss.worker.evaluate("(tab) => GlossPrint.printTab(tab).then((r) => JSON.stringify(r), (e) => e.message)", tab)
    # Whether the server finds an article in the host page's few lines or not, the reader
    # learns of the frame: the popup's "Saved" says a frame holds more, or the failure says where to click.
    if host.startswith("{"):
        assert json.loads(host)["framed"] == 1, host
    else:
        assert host.endswith("A frame on this page may hold the article: right-click inside it and choose "
                             "Print article as PDF."), host
    inner = gloss.worker.evaluate("([tab, frameId]) => GlossPrint.printTab(tab, {frameId})", [tab, frame_id])
    assert inner["filename"] == "Talks resume after a long pause.pdf"
    gloss.wait_download(inner["downloadId"])


def test_bubble_above_a_word_grows_upward(gloss, seed_page):
    page, tab = seed_page
    centre = double_click_part(page, "liberals", "liberals", block="end")
    bubble = settled(page)
    box = bubble.bounding_box()
    assert box["y"] + box["height"] <= centre["top"] + 1, "the bubble should open above a word at the bottom"
    more = bubble.locator(".g-more")
    expect(more).to_be_visible()
    before = box["height"]
    more.click()
    expect(more).to_have_attribute("aria-expanded", "true")
    page.wait_for_function("""([h]) => document.getElementById('gloss-bubble').getBoundingClientRect().height > h + 1""",
                           arg=[before])
    page.wait_for_timeout(100)  # the resize observer places it again
    grown = bubble.bounding_box()
    assert grown["y"] + grown["height"] <= centre["top"] + 1, (grown, centre)  # never over the word


def test_more_is_offered_only_for_more_than_source_lines(gloss, seed_page):
    page, tab = seed_page
    popup = open_popup(gloss, tab)
    counts = popup.evaluate("""() => {
        const sense = (definition) => ({definition, source: "WordNet"});
        const entry = (senses) => ({word: "w", meanings: [{part_of_speech: "noun", senses}]});
        const render = (e) => {
            const box = document.createElement("div");
            box.append(GlossEntryView.render(document, {status: "found", entry: e}));
            return {more: box.querySelectorAll(".g-more").length,
                    hiddenSources: box.querySelectorAll(".g-sense-source[hidden]").length};
        };
        return [render(entry([sense("one")])), render(entry([sense("one"), sense("two"), sense("three")]))];
    }""")
    assert counts == [{"more": 0, "hiddenSources": 0}, {"more": 1, "hiddenSources": 3}]


def test_history_without_duplicates_and_the_pdf_names(gloss, seed_page):
    page, tab = seed_page
    for _ in range(3):
        double_click_part(page, "detente", "detente")
        settled(page)
        page.keyboard.press("Escape")
    popup = open_popup(gloss, tab)
    for query in ("recieve", "recieve"):  # a misspelling is answered with suggestions, not kept
        popup.locator("#query").fill(query)
        popup.locator("#query").press("Enter")
        expect(popup.locator("#entry .g-suggestion").first).to_be_visible()
    expect(popup.locator("#history li")).to_have_count(1)
    assert [h["word"] for h in gloss.worker.evaluate("GlossStorage.history()")] == ["detente"]

    popup.locator("#print").click()
    expect(popup.locator("#status")).to_have_text(f"Saved {HEADLINE}.pdf to your downloads.", timeout=60_000)
    expect(popup.locator("#open-pdf")).to_be_visible()
    popup.locator("#print-words").click()
    expect(popup.locator("#status")).to_have_text(f"Saved {HEADLINE} (with my words).pdf to your downloads.",
                                                  timeout=60_000)
    names = gloss.worker.evaluate("""() => [
        GlossPrint.safeFilename("Scientists find that the ocean beneath the ice shell of Jupiter's moon Europa is saltier and warmer than anyone had expected"),
        GlossPrint.safeFilename("A".repeat(200)),
    ]""")
    assert names[0] == ("Scientists find that the ocean beneath the ice shell of Jupiter's moon Europa is saltier "
                        "and warmer than anyone had….pdf")
    assert names[1] == "A" * 120 + "….pdf"


MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
               b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
