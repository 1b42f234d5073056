"""The print API through the aiohttp test client, with the real pipeline and real WeasyPrint.

The golden page (tests/fixtures/seed-article.html) is posted as the extension would post
it: its canonical address, its HTML, and its lead photograph as a data: URI. The PDF's
text (pdftotext, hyphenation folded) must hold every `must_contain` of the expected file
and none of its `must_not_contain`; the photograph must be embedded; the metadata set.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from io import BytesIO

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from pypdf import PdfReader
from seed import (
    CANONICAL,
    EXPECTED,
    IMAGE_DATA,
    IMAGE_URL,
    SEED_HTML,
    pdf_text,
    seed_body,
)

from server.app import create_app
from server.fetching.fetch import Routed
from server.settings import Settings
from server.web.keys import FETCH_HOSTS, PRINT_CACHE, RENDER_POOL
from server.web.problems import PROBLEM_JSON

pytestmark = pytest.mark.asyncio(loop_scope="module")

PUBLIC = "93.184.216.34"  # the address the fetcher's guard checks; no socket ever goes there

KOREAN_TITLE = "통일부 장관, 한미 워킹그룹 재조정 제안"
KOREAN_PAGE = f"""<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">
<title>{KOREAN_TITLE}</title><meta property="og:title" content="{KOREAN_TITLE}">
<meta property="og:site_name" content="중앙일보"></head><body><main><article>
<h1>{KOREAN_TITLE}</h1>
{"".join(f"<p>이인영 통일부 장관은 해리스 주한 미국대사를 만나 한미 워킹그룹을 재조정하고 격상하자고 제안했다. "
         f"미 국무부는 워킹그룹의 역할을 지지한다고 밝혔다. 문단 {n}.</p>" for n in range(1, 9))}
</article></main></body></html>"""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client(fixture_site):
    app = create_app(Settings(render_workers=1, cache_entries=8))
    # "seed.test" looks public to the fetcher's guard and reaches the local fixture server;
    # every other name fails to resolve, so nothing here reaches the internet.
    app[FETCH_HOSTS] = {"seed.test": Routed(PUBLIC, "127.0.0.1", int(fixture_site.rsplit(":", 1)[1]))}
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def seed_pdf(client) -> bytes:
    resp = await client.post("/api/print", json=seed_body())
    assert resp.status == 200, await resp.text()
    assert resp.content_type == "application/pdf"
    return await resp.read()


def embedded_images(pdf: bytes) -> list:
    """Distinct images of the article in the PDF (WeasyPrint shares one resource dictionary
    between pages), without the QR code of the source address on the first page."""
    unique = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        for image in page.images:
            unique.setdefault(image.data, image)
    return [image for image in unique.values() if not is_qr_code(image.image)]


def is_qr_code(image) -> bool:
    """Square, and nothing but black and white."""
    colours = image.convert("L").getcolors(2)
    return image.width == image.height and colours is not None and {c for _, c in colours} <= {0, 255}


async def problem(resp, status: int) -> dict:
    assert resp.status == status, await resp.text()
    assert resp.content_type == PROBLEM_JSON
    body = await resp.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


async def test_seed_prints_the_article_and_nothing_else(seed_pdf):
    assert seed_pdf.startswith(b"%PDF-")
    text = pdf_text(seed_pdf)
    for snippet in EXPECTED["must_contain"]:
        assert " ".join(snippet.split()) in text, snippet
    for snippet in EXPECTED["must_not_contain"]:
        assert snippet not in text, snippet


async def test_seed_embeds_the_lead_photograph(seed_pdf):
    images = embedded_images(seed_pdf)
    assert len(images) == len(EXPECTED["images"])
    assert images[0].image.size == (640, 427)


async def test_seed_pdf_metadata_bookmarks_and_tags(seed_pdf):
    reader = PdfReader(BytesIO(seed_pdf))
    assert reader.metadata.title == EXPECTED["title"]
    assert reader.metadata["/Author"] == EXPECTED["site_name"]
    assert reader.metadata["/CreationDate"].startswith("D:" + EXPECTED["published"].replace("-", ""))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == EXPECTED["lang"]
    assert root["/MarkInfo"]["/Marked"] == True and "/StructTreeRoot" in root  # tagged PDF
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()  # declared PDF/UA-1
    assert [item["/Title"] for item in reader.outline][0] == EXPECTED["title"]


async def test_seed_running_head_and_footer(seed_pdf):
    pages = subprocess.run(["pdftotext", "-layout", "-", "-"], input=seed_pdf, capture_output=True,
                           check=True).stdout.decode().split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    total = len([p for p in pages if p.strip()])
    for number, page in enumerate([p for p in pages if p.strip()], start=1):
        assert f"page {number} of {total}" in page
        assert CANONICAL[:60] in page
    second = [p for p in pages if p.strip()][1]
    assert "Korea JoongAng Daily · State Department reiterates support" in second


async def test_filename_is_the_headline(client):
    resp = await client.post("/api/print", json=seed_body())
    assert resp.headers["Content-Disposition"] == f'attachment; filename="{EXPECTED["title"]}.pdf"'


async def test_korean_headline_gets_an_rfc6266_filename(client):
    resp = await client.post("/api/print", json={"url": "https://news.example.kr/a/1", "html": KOREAN_PAGE})
    assert resp.status == 200, await resp.text()
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="article.pdf"; filename*=UTF-8\'\'')
    from urllib.parse import unquote
    assert unquote(disposition.split("''", 1)[1]) == KOREAN_TITLE + ".pdf"
    text = pdf_text(await resp.read())
    assert "이인영 통일부 장관은 해리스 주한 미국대사를" in text


async def test_preview_is_the_html_that_prints(client):
    resp = await client.post("/api/preview", json=seed_body(font_size=12, page_size="A5"))
    assert resp.status == 200
    assert resp.content_type == "text/html"
    html = await resp.text()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "size: A5" in html and "font-size: 12pt" in html
    assert IMAGE_DATA in html  # images travel inside the document
    # Nothing the renderer could fetch besides data: images and our own fonts.
    for url in re.findall(r'(?:src|href)="([^"#]+)"|url\("([^"]+)"\)', html):
        url = url[0] or url[1]
        assert url.startswith(("data:image/", "gloss-font:")) or re.match(r"https?://", url), url
    assert not re.search(r'<img[^>]+src="https?:', html)
    assert "<script" not in html and "Most Viewed" not in html


async def test_options_change_the_pdf(client):
    letter = await client.post("/api/print", json=seed_body(page_size="Letter", images=False))
    pdf = await letter.read()
    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert embedded_images(pdf) == []


@pytest.mark.parametrize("language, size", [("en-US,en;q=0.9", (612, 792)), ("fr-CA", (612, 792)),
                                            ("de-DE,de;q=0.8", (595, 842)), ("ko-KR", (595, 842))])
async def test_default_page_size_follows_the_locale(client, language, size):
    resp = await client.post("/api/print", json=seed_body(), headers={"Accept-Language": language})
    box = PdfReader(BytesIO(await resp.read())).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


async def test_link_notes_number_each_url_once(client):
    html = SEED_HTML.replace(
        "months of detente on the peninsula.",
        'months of <a href="https://example.org/detente">detente</a> on the '
        '<a href="https://example.org/peninsula">peninsula</a>, <a href="https://example.org/detente">again</a>.')
    body = {"url": CANONICAL, "html": html, "images": {IMAGE_URL: IMAGE_DATA}}
    text = pdf_text(await (await client.post("/api/print", json=body)).read())
    # Each distinct URL once, in order of first use; the text carries the numbers.
    assert "Links https://example.org/detente https://example.org/peninsula" in text
    assert re.search(r"months of detente ?1 on the peninsula ?2 ?, again ?1 ?\.", text), text[text.find("months"):][:200]
    assert text.count("https://example.org/detente") == 1
    body["options"] = {"links": "none"}
    text = pdf_text(await (await client.post("/api/print", json=body)).read())
    assert "https://example.org/detente" not in text and "Links" not in text


@pytest.mark.parametrize("options, field", [
    ({"page_size": "A3"}, "options.page_size"), ({"font_size": 7}, "options.font_size"),
    ({"font_size": 18.5}, "options.font_size"), ({"font_size": "big"}, "options.font_size"),
    ({"font_size": True}, "options.font_size"), ({"images": "yes"}, "options.images"),
    ({"links": "inline"}, "options.links"), ({"colour": "red"}, "options.colour"), ("A4", "options"),
])
async def test_bad_options_are_422_naming_the_field(client, options, field):
    body = await problem(await client.post("/api/print", json={**seed_body(), "options": options}), 422)
    assert body["field"] == field and field.split(".")[-1] in body["detail"]


@pytest.mark.parametrize("url", [None, "", "ftp://example.com/a", "javascript:alert(1)", "/relative", 42])
async def test_missing_or_non_http_url_is_422(client, url):
    body = {"html": SEED_HTML} if url is None else {"url": url, "html": SEED_HTML}
    assert (await problem(await client.post("/api/print", json=body), 422))["field"] == "url"
    await problem(await client.post("/api/preview", json=body), 422)


async def test_get_print_without_url_is_422(client):
    await problem(await client.get("/api/print"), 422)
    await problem(await client.get("/api/print", params={"url": "https://example.com/", "font_size": "x"}), 422)


@pytest.mark.parametrize("payload", [b"{", b"not json", b'{"url": "https://a.example/",}', b"\xff\xfe", b"[" * 100_000])
async def test_malformed_json_is_400(client, payload):
    resp = await client.post("/api/print", data=payload, headers={"Content-Type": "application/json"})
    await problem(resp, 400)


async def test_json_that_is_not_an_object_is_400(client):
    await problem(await client.post("/api/print", json=["https://a.example/"]), 400)


async def test_page_without_an_article_is_422_saying_so(client):
    html = "<html><body><nav><a href='/'>Home</a></nav><footer>All rights reserved</footer></body></html>"
    body = await problem(await client.post("/api/print", json={"url": "https://a.example/", "html": html}), 422)
    assert "article" in body["detail"].lower()
    assert (await client.get("/healthz")).status == 200


async def test_second_identical_request_comes_from_the_cache(client):
    cache = client.app[PRINT_CACHE]
    first = await client.post("/api/print", json=seed_body(font_size=9))
    hits = cache.hits
    # Same request, keys in another order: still the same print.
    body = seed_body(font_size=9)
    second = await client.post("/api/print", json={"options": body["options"], "images": body["images"],
                                                   "html": body["html"], "url": body["url"]})
    assert second.headers["X-Gloss-Cache"] == "hit" and cache.hits == hits + 1
    assert await first.read() == await second.read()
    assert first.headers["Content-Disposition"] == second.headers["Content-Disposition"]
    # A byte-for-byte repeat is matched before its JSON is even parsed.
    third = await client.post("/api/print", data=json.dumps(body), headers={"Content-Type": "application/json"})
    fourth = await client.post("/api/print", data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert third.headers["X-Gloss-Cache"] == fourth.headers["X-Gloss-Cache"] == "hit"
    assert await fourth.read() == await first.read()


async def test_images_missing_from_the_map_are_fetched_by_the_server(client):
    resp = await client.post("/api/print", json={"url": "http://seed.test/2020/07/29/story.html",
                                                 "html": SEED_HTML})
    assert resp.status == 200
    images = embedded_images(await resp.read())
    assert len(images) == 1 and images[0].image.size == (640, 427)


@pytest.mark.parametrize("url", ["http://seed.test/2020/07/29/story.html",  # 404 on the image
                                 CANONICAL])  # a host the test resolver does not know
async def test_images_that_cannot_be_fetched_are_left_out(client, url):
    html = SEED_HTML.replace("/images/2020/07/29/lee-harris.jpg", "/images/missing.jpg")
    resp = await client.post("/api/print", json={"url": url, "html": html})
    assert resp.status == 200
    pdf = await resp.read()
    assert embedded_images(pdf) == []
    assert "months of detente on the peninsula" in pdf_text(pdf)


async def test_get_print_fetches_the_page(client):
    resp = await client.get("/api/print", params={"url": "http://seed.test/seed-article.html",
                                                  "page_size": "A5", "font_size": "10"})
    assert resp.status == 200, await resp.text()
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=")
    pdf = await resp.read()
    assert "readjust and upgrade" in pdf_text(pdf)
    assert len(embedded_images(pdf)) == 1
    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)


async def test_unreachable_page_is_an_upstream_error(client):
    await problem(await client.get("/api/print", params={"url": "https://unknown.example/a"}), 502)


async def test_render_over_time_is_504_and_the_next_request_works():
    app = create_app(Settings(render_workers=1, render_timeout=0.01, cache_entries=0))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        await client.app[RENDER_POOL].wait_ready()
        body = await problem(await client.post("/api/print", json=seed_body()), 504)
        assert "0.01" in body["detail"]
        client.app[RENDER_POOL].timeout = 120.0  # the worker that overran was killed and replaced
        resp = await client.post("/api/print", json=seed_body())
        assert resp.status == 200 and (await resp.read()).startswith(b"%PDF-")


async def test_page_cap_is_413():
    app = create_app(Settings(render_workers=1, render_max_pages=1, cache_entries=0))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        body = await problem(await client.post("/api/print", json=seed_body()), 413)
        assert "pages" in body["detail"]
        resp = await client.post("/api/print", json=seed_body(images=False, font_size=8, page_size="Letter"))
        assert resp.status in (200, 413)  # the worker is still serving either way


async def test_beyond_the_queue_is_503_with_retry_after():
    app = create_app(Settings(render_workers=1, render_queue=0, cache_entries=0))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        pool = client.app[RENDER_POOL]
        await pool.wait_ready()
        first = asyncio.ensure_future(client.post("/api/print", json=seed_body()))
        while pool.busy == 0:
            await asyncio.sleep(0.005)
        resp = await client.post("/api/print", json=seed_body(font_size=12))
        await problem(resp, 503)
        assert int(resp.headers["Retry-After"]) >= 1
        assert (await first).status == 200
