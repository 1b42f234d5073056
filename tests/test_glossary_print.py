"""Print with a glossary, end to end through the API: real extraction, the real dictionary,
real WeasyPrint renders, PDFs read page by page with pypdf.

The golden seed is posted as the extension posts it, with `options.glossary` as the
extension sends a reader's look-ups (objects with the sentence) or as plain words.
"""

from __future__ import annotations

import base64
import re
from io import BytesIO
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from bs4 import BeautifulSoup
from pypdf import PdfReader

from server.app import create_app
from server.dictionary.lookup import Dictionary
from server.dictionary.store import Store
from server.glossary.select import RARE_BANDS
from server.settings import Settings
from server.web.problems import PROBLEM_JSON

pytestmark = pytest.mark.asyncio(loop_scope="module")

FIXTURES = Path(__file__).parent / "fixtures"
SEED_HTML = (FIXTURES / "seed-article.html").read_text(encoding="utf-8")
CANONICAL = re.search(r'<link rel="canonical" href="([^"]+)"', SEED_HTML).group(1)
IMAGE_URL = "https://koreajoongangdaily.joins.com/images/2020/07/29/lee-harris.jpg"
IMAGE_DATA = "data:image/jpeg;base64," + base64.b64encode(
    (FIXTURES / "images/2020/07/29/lee-harris.jpg").read_bytes()).decode("ascii")
WORDS = ["detente", "dissonance", "subservience"]
# The sentences the words stand in, as the extension's look-up history keeps them.
CONTEXTS = {
    "detente": "The failed summit dashed hopes for an immediate settlement on Pyongyang’s nuclear weapons "
               "following months of detente on the peninsula.",
    "dissonance": "The issue of the working group highlights a long-standing dissonance between Seoul and "
                  "Washington over approaches to North Korea.",
    "subservience": "With negotiations in a continuous limbo, Pyongyang took to bashing Seoul for what it "
                    "characterized as the South’s failure to uphold inter-Korean agreements due to its "
                    "subservience to Washington.",
}


def seed_body(**options) -> dict:
    return {"url": CANONICAL, "html": SEED_HTML, "images": {IMAGE_URL: IMAGE_DATA}, "options": options}


def fold(text: str) -> str:
    """Text with automatic hyphenation (U+2010 at a line end) and line ends folded away."""
    return " ".join(re.sub("\u2010\\s*\n", "", text).split())


def pages_text(pdf: bytes) -> list[str]:
    return [fold(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client():
    app = create_app(Settings(render_workers=1, cache_entries=8))
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture(scope="module")
def dictionary():
    store = Store(Settings().dictionary_path)
    yield Dictionary(store)
    store.close()


async def notes_of(client, **options) -> list[tuple[str, str]]:
    """(marked word, definition) of each footnote in the preview, in order."""
    resp = await client.post("/api/preview", json=seed_body(**options))
    assert resp.status == 200, await resp.text()
    soup = BeautifulSoup(await resp.text(), "lxml")
    return [(word.get_text(), word.find_next_sibling(class_="gloss-note").find(class_="gloss-definition").get_text())
            for word in soup.select(".article-body .gloss-word")]


async def closing_headwords(client, **options) -> list[str]:
    resp = await client.post("/api/preview", json=seed_body(**options))
    soup = BeautifulSoup(await resp.text(), "lxml")
    return [head.get_text() for head in soup.select("section.glossary dt .gloss-head")]


@pytest.mark.parametrize("glossary", [
    WORDS,
    [{"word": w, "context": CONTEXTS[w]} for w in WORDS],
], ids=["plain words", "history objects"])
async def test_each_word_is_defined_on_its_own_page(client, glossary):
    resp = await client.post("/api/print", json=seed_body(glossary=glossary))
    assert resp.status == 200, await resp.text()
    pages = pages_text(await resp.read())
    notes = await notes_of(client, glossary=glossary)
    assert [word for word, _ in notes] == ["dissonance", "detente", "subservience"]
    for word, definition in notes:
        # The first page that shows the word is where it is marked: its note is there too.
        page = next(i for i, text in enumerate(pages) if word in text)
        assert fold(definition)[:60] in pages[page], (word, page)
    # The closing glossary lists the three in reading order, after the article's last words.
    last = pages[-1]
    closing = last[last.index("Glossary"):]
    assert "within the bounds of international sanctions" in " ".join(pages)[:" ".join(pages).index("Glossary")]
    assert [closing.index(w) for w in ["dissonance", "detente", "subservience"]] == \
        sorted(closing.index(w) for w in ["dissonance", "detente", "subservience"])


async def test_auto_glosses_rare_words_only(client, dictionary):
    headwords = await closing_headwords(client, glossary="auto")
    assert headwords
    for headword in headwords:
        assert dictionary.define(headword)["frequency"]["band"] in RARE_BANDS, headword
    fewer = await closing_headwords(client, glossary="auto", glossary_max=2)
    assert len(fewer) == 2 and set(fewer) <= set(headwords)


async def test_a_glossary_changes_the_pdf_and_its_cache_entry(client):
    plain = await client.post("/api/print", json=seed_body())
    glossed = await client.post("/api/print", json=seed_body(glossary=["detente"]))
    assert plain.status == glossed.status == 200
    assert glossed.headers["X-Gloss-Cache"] == "miss"
    plain_text, glossed_text = " ".join(pages_text(await plain.read())), " ".join(pages_text(await glossed.read()))
    assert "Glossary" not in plain_text and "Glossary" in glossed_text
    again = await client.post("/api/print", json=seed_body(glossary=["detente"]))
    assert again.headers["X-Gloss-Cache"] == "hit"


async def test_the_preview_carries_no_glossary_markup_without_the_option(client):
    resp = await client.post("/api/preview", json=seed_body())
    html = await resp.text()
    assert "gloss-note" not in html and 'class="glossary"' not in html


@pytest.mark.parametrize("options, field", [
    ({"glossary": "everything"}, "options.glossary"),
    ({"glossary": 3}, "options.glossary"),
    ({"glossary": [""]}, "options.glossary[0].word"),
    ({"glossary": ["x" * 65]}, "options.glossary[0].word"),
    ({"glossary": [{"word": "detente", "context": "x" * 1001}]}, "options.glossary[0].context"),
    ({"glossary": [{"word": "detente", "why": "?"}]}, "options.glossary[0].why"),
    ({"glossary": [f"word{n}" for n in range(51)]}, "options.glossary"),
    ({"glossary": "auto", "glossary_max": 0}, "options.glossary_max"),
    ({"glossary": "auto", "glossary_max": "5"}, "options.glossary_max"),
])
async def test_bad_glossary_values_are_422_naming_the_field(client, options, field):
    for path in ("/api/print", "/api/preview"):
        resp = await client.post(path, json=seed_body(**options))
        assert resp.status == 422, await resp.text()
        assert resp.content_type == PROBLEM_JSON
        body = await resp.json()
        assert body["field"] == field and field.split(".")[-1].split("[")[0] in body["detail"]


async def test_without_a_dictionary_a_glossary_is_503_and_printing_still_works(tmp_path):
    app = create_app(Settings(render_workers=1, dictionary_path=tmp_path / "missing.sqlite"))
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        resp = await client.post("/api/preview", json=seed_body(glossary=["detente"]))
        assert resp.status == 503 and resp.content_type == PROBLEM_JSON
        assert "dictionary" in (await resp.json())["detail"].lower()
        assert (await client.post("/api/preview", json=seed_body())).status == 200
    finally:
        await client.close()
