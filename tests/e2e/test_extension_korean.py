"""A Korean reader's browser: the extension speaks Korean (_locales/ko), the bubble's
headings and labels included; the dictionary's entries stay English."""

from __future__ import annotations

import pytest

from tests.e2e.browser import _session, granted_copy

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def korean_session(tmp_path_factory):
    yield from _session(tmp_path_factory, granted_copy(tmp_path_factory.mktemp("granted-ko")), locale="ko-KR")


def test_korean_reader_sees_korean(korean_session, live_server, fixture_site):
    korean_session.worker.evaluate("chrome.storage.local.clear()")
    korean_session.configure(serverUrl=live_server)
    assert korean_session.worker.evaluate("chrome.i18n.getUILanguage()").startswith("ko")
    page, tab = korean_session.open(f"{fixture_site}/seed-article.html")
    korean_session.double_click_word(page, "detente")
    bubble = page.locator("#gloss-bubble:not([data-state=loading])")
    bubble.wait_for(state="attached", timeout=15_000)
    assert page.locator("#gloss-bubble [role=dialog]").get_attribute("aria-label") == "detente의 뜻"
    assert page.locator("#gloss-bubble .close").get_attribute("aria-label") == "닫기"
    popup = korean_session.context.new_page()
    popup.goto(korean_session.url(f"popup/popup.html?tab={tab}"))
    assert popup.locator("#print").text_content() == "기사를 PDF로 인쇄"
    assert popup.locator("#search-heading").text_content() == "단어 찾기"
    options = korean_session.context.new_page()
    options.goto(korean_session.url("options/options.html"))
    assert options.locator("#check").text_content() == "연결 확인"
    assert options.locator("option[value=dblclick]").text_content() == "단어를 두 번 클릭"
    # The entry's headings, as the bubble and the popup show them.
    headings = popup.evaluate("""() => {
        const sense = (definition) => ({definition, synonyms: ["calm"], antonyms: ["strain"]});
        const entry = {word: "detente", etymology: "French", meanings: [{part_of_speech: "noun",
                       senses: [sense("one"), sense("two"), sense("three")]}]};
        const box = document.createElement("div");
        box.append(GlossEntryView.render(document, {status: "found", entry}));
        return [...new Set([...box.querySelectorAll(".g-label, .g-more")].map((n) => n.textContent))];
    }""")
    assert headings == ["비슷한 말: ", "반대말: ", "어원: ", "더 보기 (뜻 1개 더)"], headings

