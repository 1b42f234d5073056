"""The occurrence a reader double-clicks is the one defined, in Chromium with the extension.

The content script sends where the selection starts in its sentence (`offset`); the real
server then reads that occurrence when the word recurs ("I used to go there to see it":
the second "to" is no part of "used to"). The page has an emoji before the word (the
offset is counted in characters, as the server counts them, not in UTF-16 units) and
white space that the sentence folds.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import static_server
from tests.e2e.browser import browser_session, gloss  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Offsets</title></head>
<body><article>
<p id="plain">I used to go there to see it.</p>
<p id="folded">\U0001F600 Back then,   I used
   to go there to see it, and I saw them cut a log with a saw.</p>
</article></body></html>"""
# The centre of the n-th (from 0) occurrence of `word` as a whole word in the element `id`.
NTH_CENTRE_JS = """([id, word, n]) => {
  const node = document.getElementById(id).firstChild;
  const re = new RegExp(`\\\\b${word}\\\\b`, "g");
  const found = [...node.data.matchAll(re)][n];
  if (!found) return null;
  const range = document.createRange();
  range.setStart(node, found.index);
  range.setEnd(node, found.index + word.length);
  const box = range.getBoundingClientRect();
  return {x: box.left + box.width / 2, y: box.top + box.height / 2};
}"""


def define_nth(page, element: str, word: str, n: int) -> str:
    """Double-clicks the n-th `word` in `element`; the headword the bubble shows."""
    centre = page.evaluate(NTH_CENTRE_JS, [element, word, n])
    assert centre, f"no {word!r} #{n} in #{element}"
    page.mouse.dblclick(centre["x"], centre["y"])
    bubble = page.locator("#gloss-bubble:not([data-state=loading])")
    expect(bubble).to_be_attached(timeout=15_000)
    assert bubble.get_attribute("data-state") == "found", bubble.text_content()
    headword = bubble.locator(".g-word").text_content()
    page.keyboard.press("Escape")
    expect(page.locator("#gloss-bubble")).to_have_count(0)
    return headword


@pytest.fixture
def offsets_page(gloss, tmp_path):  # noqa: F811 (the fixture imported above)
    (tmp_path / "offsets.html").write_text(PAGE, encoding="utf-8")
    with static_server(tmp_path) as site:
        page, _ = gloss.open(f"{site}/offsets.html")
        yield page


def test_the_occurrence_double_clicked_is_the_one_defined(gloss, offsets_page):  # noqa: F811
    page = offsets_page
    assert define_nth(page, "plain", "to", 0) == "used to"
    assert define_nth(page, "plain", "to", 1) == "to"


def test_the_offset_counts_characters_after_an_emoji_and_folded_space(gloss, offsets_page):  # noqa: F811
    page = offsets_page
    assert define_nth(page, "folded", "to", 0) == "used to"
    assert define_nth(page, "folded", "to", 1) == "to"
    assert define_nth(page, "folded", "saw", 1) == "saw"  # the tool, not the past of "see"
    assert define_nth(page, "folded", "saw", 0) == "see"
