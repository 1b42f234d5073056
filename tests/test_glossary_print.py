"""Print with a glossary, end to end through the API: real extraction, the real dictionary,
real WeasyPrint renders, PDFs read page by page with pypdf.

The golden seed is posted as the extension posts it, with `options.glossary` as the
extension sends a reader's look-ups (objects with the sentence) or as plain words.
"""

from __future__ import annotations

import asyncio
from io import BytesIO

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from lxml import html as lxml_html
from pypdf import PdfReader
from seed import IMAGE_DATA, SEED_HTML, fold, seed_body
from weasyprint import HTML

from server.app import create_app
from server.glossary.select import RARE_BANDS
from server.glossary.text import WORD_RE
from server.printing.worker import LockedFetcher
from server.settings import Settings
from server.web.problems import PROBLEM_JSON

pytestmark = pytest.mark.asyncio(loop_scope="module")

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


def pages_text(pdf: bytes) -> list[str]:
    return [fold(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client():
    app = create_app(Settings(render_workers=1, cache_entries=8))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def notes_of(client, **options) -> list[tuple[str, str]]:
    """(marked word, definition) of each footnote in the preview, in order."""
    resp = await client.post("/api/preview", json=seed_body(**options))
    assert resp.status == 200, await resp.text()
    root = lxml_html.fromstring(await resp.text())
    notes = []
    for word in root.cssselect(".article-body .gloss-word"):
        note = next(s for s in word.itersiblings() if "gloss-note" in (s.get("class") or "").split())
        notes.append((word.text_content(), note.cssselect(".gloss-definition")[0].text_content()))
    return notes


async def closing_headwords(client, **options) -> list[str]:
    resp = await client.post("/api/preview", json=seed_body(**options))
    root = lxml_html.fromstring(await resp.text())
    return [head.text_content() for head in root.cssselect("section.glossary dt .gloss-head")]


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
    everything = " ".join(pages)
    closing = everything[everything.rindex("Glossary"):]
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


@pytest.mark.parametrize("word, fitting, first_without_a_sentence", [
    # "severing ties with the South": the relationship, not the neckwear WordNet lists first.
    ("ties", "a social or business relationship", "neckwear"),
    # "demolishing the liaison office": the channel between groups, not the affair.
    ("liaison", "a channel for communication between groups", "sexual relationship"),
])
async def test_the_glossary_prints_the_sense_its_sentence_fits(client, dictionary, word, fitting,
                                                               first_without_a_sentence):
    # The premise: without its sentence the word's first sense is the other one.
    alone = dictionary.define(word)["meanings"][0]["senses"][0]["definition"]
    assert first_without_a_sentence in alone and fitting not in alone
    resp = await client.post("/api/print", json=seed_body(glossary=[word]))
    assert resp.status == 200, await resp.text()
    everything = " ".join(pages_text(await resp.read()))
    closing = everything[everything.rindex("Glossary"):]
    assert fitting in closing
    assert first_without_a_sentence not in everything


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
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        resp = await client.post("/api/preview", json=seed_body(glossary=["detente"]))
        assert resp.status == 503 and resp.content_type == PROBLEM_JSON
        assert "dictionary" in (await resp.json())["detail"].lower()
        assert (await client.post("/api/preview", json=seed_body())).status == 200


def thirty_words(dictionary, text: str) -> list[str]:
    """The 30 least frequent lowercase words of the text that the dictionary defines (the
    reader who looked up everything)."""
    zipf: dict[str, float] = {}
    for word in WORD_RE.findall(text):
        if word[0].islower() and len(word) > 4 and word not in zipf:
            try:
                entry = dictionary.define(word)
            except Exception:  # noqa: BLE001 - not a word the dictionary knows: not one to gloss
                continue
            if entry["word"][0].islower():
                zipf[word] = entry["frequency"]["zipf"]
    return sorted(zipf, key=zipf.get)[:30]


def boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from boxes(child)


def check_layout(html: str) -> int:
    """Renders `html` and checks, on WeasyPrint's own page boxes, that every page has less
    note than text, every note stands on the page of its word, and every figure keeps its
    caption on its page. Returns the number of notes laid out."""
    document = HTML(string=html, url_fetcher=LockedFetcher()).render()
    root_element = document.pages[0]._page_box.children[0].element
    before = {b: a for parent in root_element.iter() for a, b in zip(list(parent), list(parent)[1:])}
    figure_of = {child: parent for parent in root_element.iter() if parent.tag == "figure" for child in parent.iter()}
    notes_seen = 0
    figure_pages: dict[object, set[int]] = {}
    for number, page in enumerate(document.pages, start=1):
        root, *others = page._page_box.children
        area = next((b for b in others if type(b).__name__ == "FootnoteAreaBox"), None)
        notes = list(area.children) if area is not None else []
        text_height = sum(b.height for b in boxes(root) if type(b).__name__ == "LineBox")
        assert (area.height if notes else 0) < text_height, f"page {number}: more note than text"
        marked = {b.element.get("id") for b in boxes(root)
                  if getattr(b, "element", None) is not None and "gloss-word" in (b.element.get("class") or "")}
        for note in notes:
            assert before[note.element].get("id") in marked, f"page {number}: a note away from its word"
        notes_seen += len(notes)
        for box in boxes(root):
            element = getattr(box, "element", None)
            if element is not None and element in figure_of and element.tag in ("img", "figcaption"):
                figure_pages.setdefault(figure_of[element], set()).add(number)
    assert figure_pages and all(len(pages) == 1 for pages in figure_pages.values()), figure_pages
    return notes_seen


@pytest.mark.parametrize("page_size", ["A4", "A5"])
async def test_thirty_words_print_balanced(client, dictionary, page_size):
    seed_text = " ".join(lxml_html.fromstring(SEED_HTML).xpath("//text()[not(ancestor::script or ancestor::style)]"))
    words = thirty_words(dictionary, seed_text[seed_text.index("The U.S. State Department reiterated"):])
    assert len(words) == 30
    resp = await client.post("/api/preview", json=seed_body(glossary=words, page_size=page_size))
    assert resp.status == 200, await resp.text()
    html = await resp.text()
    notes = await asyncio.to_thread(check_layout, html)
    root = lxml_html.fromstring(html)
    assert notes == len(root.cssselect(".gloss-note")) >= 20
    # Every word is in the closing glossary, footnoted or not.
    assert len(root.cssselect("section.glossary dt")) == len(root.cssselect(".article-body .gloss-word"))


async def test_a_word_only_in_a_caption_keeps_the_figure_whole(client):
    figure = ('<figure><img src="https://koreajoongangdaily.joins.com/images/second.jpg" width="640" height="427" '
              'alt="Envoys"><figcaption>Envoys of both allies toast the rapprochement in Seoul in 2018.'
              "</figcaption></figure>\n")
    anchor = "<p>The issue of the working group"
    body = seed_body(glossary=["rapprochement", "detente"])
    body["html"] = SEED_HTML.replace(anchor, figure + anchor, 1)
    body["images"]["https://koreajoongangdaily.joins.com/images/second.jpg"] = IMAGE_DATA
    resp = await client.post("/api/preview", json=body)
    html = await resp.text()
    captions = lxml_html.fromstring(html).cssselect(".article-body figure figcaption")
    assert captions and captions[0].cssselect(".gloss-note")
    assert await asyncio.to_thread(check_layout, html) == 2
