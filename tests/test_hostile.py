"""Hostile input against the real application (issue 4): each case gets its clear error,
a PDF made from hostile markup holds none of the forbidden content, a canary server on
127.0.0.1 that the hostile content points at receives zero requests, and /healthz
answers after every case.

One application (one render pool) serves the whole module; its fetcher resolves names
through a test resolver: "allowed.test" looks public and reaches a local origin server,
"internal.test" is 127.0.0.1, where the canary listens. `allow_private_fetch` is off.
"""

from __future__ import annotations

import asyncio
import base64
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from hostile_sites import (
    CANARY_TEXT,
    PUBLIC,
    SEED_HTML,
    Canary,
    MiB,
    bombs,
    origin_app,
    png_bytes,
)
from PIL import Image
from pypdf import PdfReader

from server.app import create_app
from server.fetching import image_guard
from server.fetching.fetch import Routed
from server.settings import Settings
from server.web.keys import FETCH_HOSTS
from server.web.problems import PROBLEM_JSON

pytestmark = pytest.mark.asyncio(loop_scope="module")

SEED_URL = "https://koreajoongangdaily.joins.com/2020/07/29/national/northKorea/seed/"
SEED_IMAGE = "https://koreajoongangdaily.joins.com/images/2020/07/29/lee-harris.jpg"
SEED_IMAGE_FILE = Path(__file__).parent / "fixtures" / "images" / "2020" / "07" / "29" / "lee-harris.jpg"
SEED_PHRASE = "readjust and upgrade"
FIRST_PARAGRAPH_END = "between the two allies.</p>"
# Text that must never reach a PDF: local files and whatever the canary would serve.
FORBIDDEN = ["root:x:0:0", "daemon:x:", "/bin/bash", CANARY_TEXT]
# Outcomes a pathological document may have: printed (degraded), refused as too big or
# as not an article, or stopped by the render clock. Never 500, never a hang.
BOUNDED = (200, 413, 422, 504)


@dataclass
class Env:
    client: TestClient
    canary: Canary
    stats: dict

    @property
    def c(self) -> int:
        return self.canary.port


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def env():
    canary = Canary()
    canary_server = TestServer(canary.app(), host="127.0.0.1")
    await canary_server.start_server()
    canary.port = canary_server.port
    stats: dict = {}
    origin = TestServer(origin_app(canary.port, stats), host="127.0.0.1")
    await origin.start_server()
    settings = Settings(render_workers=1, render_timeout=45.0, fetch_timeout=10.0, cache_entries=8,
                        allow_private_fetch=False)
    app = create_app(settings)
    # The table replaces DNS for the app's fetcher; localhost is there as /etc/hosts has it.
    app[FETCH_HOSTS] = {"allowed.test": Routed(PUBLIC, "127.0.0.1", origin.port), "internal.test": "127.0.0.1",
                        "localhost": ["127.0.0.1", "::1"],
                        "wireserver.test": Routed("168.63.129.16", "127.0.0.1", canary.port),
                        "translated.test": Routed("::ffff:0:7f00:1", "127.0.0.1", canary.port),
                        "translated-metadata.test": Routed("::ffff:0:a9fe:a9fe", "127.0.0.1", canary.port)}
    try:
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            yield Env(client, canary, stats)
    finally:
        await origin.close()
        await canary_server.close()


@pytest_asyncio.fixture(loop_scope="module")
async def after(env):
    """Every case ends with the server alive and the canary untouched."""
    yield env
    resp = await env.client.get("/healthz")
    assert resp.status == 200, "the server stopped answering /healthz"
    assert env.canary.hits == [], f"the canary was reached: {env.canary.hits}"


async def problem(resp, *statuses: int) -> dict:
    assert resp.status in statuses, (resp.status, (await resp.text())[:500])
    assert resp.content_type == PROBLEM_JSON
    body = await resp.json(content_type=None)
    assert body["status"] == resp.status and body["detail"] and body["title"]
    return body


def data_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def seed_with(extra_body: str = "", extra_head: str = "") -> str:
    html = SEED_HTML.read_text(encoding="utf-8")
    assert FIRST_PARAGRAPH_END in html
    html = html.replace(FIRST_PARAGRAPH_END, FIRST_PARAGRAPH_END + extra_body, 1)
    return html.replace("</head>", extra_head + "</head>", 1)


def hostile_markup(c: int) -> tuple[str, str]:
    """(head, body) snippets: local files, attachments, internal CSS and images, scripts."""
    canary = f"http://127.0.0.1:{c}"
    head = (f'<base href="{canary}/">'
            f'<link rel="stylesheet" href="{canary}/site.css">'
            f'<link rel="attachment" href="file:///etc/hostname">'
            f'<meta http-equiv="refresh" content="0;url={canary}/refresh">'
            f'<style>@import url("{canary}/import.css"); @import "http://169.254.169.254/latest/meta-data/";'
            f' body {{ background: url("{canary}/body.png"); }}'
            f' @font-face {{ font-family: Evil; src: url("{canary}/font.woff"); }}'
            f' p {{ font-family: Evil; }}</style>')
    body = (
        f'<p>Local file as an image: <img src="file:///etc/passwd" alt="passwd"> end.</p>'
        f'<p><link rel="attachment" href="file:///etc/hostname">'
        f'<a rel="attachment" href="file:///etc/passwd">an attachment link</a></p>'
        f'<object data="file:///etc/passwd" type="text/plain">object</object>'
        f'<embed src="file:///etc/passwd" type="text/plain">'
        f'<iframe src="file:///etc/passwd"></iframe><iframe src="{canary}/frame"></iframe>'
        f'<style>@import url("{canary}/body-import.css"); p::before {{ content: url("{canary}/before.png"); }}</style>'
        f'<p style="background-image: url(\'{canary}/inline.png\'); list-style-image: url(file:///etc/passwd)">'
        f'A styled paragraph.</p>'
        f'<figure><img src="{canary}/figure.png" alt="internal figure"><figcaption>Internal figure</figcaption></figure>'
        f'<p><img src="http://169.254.169.254/latest/meta-data/iam.png" alt="metadata">'
        f'<img src="http://[::1]:{c}/v6.png" alt="v6"><img src="relative.png" alt="relative to base">'
        f'<img src="//127.0.0.1:{c}/protocol-relative.png" alt="pr"></p>'
        f'<picture><source srcset="{canary}/pic.webp 800w"><img src="{canary}/pic.jpg" alt="picture"></picture>'
        f'<img data-src="{canary}/lazy.jpg" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="lazy">'
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/>'
        f'<image href="{canary}/svg.png"/></svg>'
        f'<video poster="{canary}/poster.jpg" src="{canary}/video.mp4"></video>'
        f'<script>fetch("{canary}/script")</script><script src="{canary}/script.js"></script>'
        f'<form action="{canary}/form"><input name="x" src="{canary}/input.png" type="image"></form>'
    )
    return head, body


def hostile_request(env: Env, url: str = SEED_URL) -> dict:
    head, body = hostile_markup(env.c)
    canary = f"http://127.0.0.1:{env.c}"
    return {
        "url": url,
        "html": seed_with(body, head),
        "images": {
            SEED_IMAGE: data_uri(SEED_IMAGE_FILE.read_bytes(), "image/jpeg"),
            # The <base> above moves the page's relative photo to the canary's address, as a
            # browser would; the captured bytes print from the map, nothing is fetched.
            f"{canary}/images/2020/07/29/lee-harris.jpg": data_uri(SEED_IMAGE_FILE.read_bytes(), "image/jpeg"),
            f"{canary}/figure.png": f"{canary}/figure-real.png",  # not a data: URI
            f"{canary}/pic.jpg": "file:///etc/passwd",
            "file:///etc/passwd": data_uri(b"root:x:0:0:root:/root:/bin/bash\n", "text/plain"),
        },
    }


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, after checking it carries no attachment or embedded file."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments, f"attachments: {list(reader.attachments)}"
    names = reader.trailer["/Root"].get("/Names")
    assert names is None or "/EmbeddedFiles" not in names.get_object()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            assert annot.get_object().get("/Subtype") != "/FileAttachment"
    # Words as a reader reads them, whatever the line breaks.
    text = " ".join("\n".join(page.extract_text() or "" for page in reader.pages).split())
    for needle in FORBIDDEN:
        assert needle not in text, f"{needle!r} reached the PDF"
    return text


def pdf_images(pdf: bytes) -> list[tuple[int, int]]:
    """(width, height) of every distinct image XObject, read from its dictionary only."""
    reader = PdfReader(io.BytesIO(pdf))
    seen: dict[int, tuple[int, int]] = {}

    def walk(resources) -> None:
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        for ref in (xobjects.get_object().values() if xobjects is not None else []):
            obj = ref.get_object()
            key = getattr(ref, "idnum", id(obj))
            if key in seen:
                continue
            if obj.get("/Subtype") == "/Image":
                seen[key] = (int(obj["/Width"]), int(obj["/Height"]))
            elif obj.get("/Subtype") == "/Form":
                seen[key] = (0, 0)
                walk(obj.get("/Resources"))
    for page in reader.pages:
        walk(page.get("/Resources"))
    return [size for size in seen.values() if size != (0, 0)]


async def print_pdf(env: Env, body: dict, *statuses: int):
    resp = await env.client.post("/api/print", json=body)
    if resp.status == 200:
        assert resp.content_type == "application/pdf"
        return await resp.read()
    await problem(resp, *statuses)
    return None


# -- hostile markup --------------------------------------------------------------------

async def test_hostile_markup_prints_without_files_attachments_or_fetches(after):
    env = after
    pdf = await print_pdf(env, hostile_request(env))
    text = pdf_text(pdf)
    assert SEED_PHRASE in text  # the article itself printed
    assert pdf_images(pdf), "the captured photo should still print"


async def test_page_claiming_an_internal_address_is_not_fetched(after):
    env = after
    pdf = await print_pdf(env, hostile_request(env, url=f"http://127.0.0.1:{env.c}/article"))
    assert SEED_PHRASE in pdf_text(pdf)


async def test_preview_references_nothing_but_data_and_own_fonts(after):
    env = after
    resp = await env.client.post("/api/preview", json=hostile_request(env))
    assert resp.status == 200
    html = await resp.text()
    lowered = html.lower()
    for needle in ("file:", "<script", "<iframe", "<object", "<embed", "<form", "<svg", "<video",
                   "@import", 'rel="attachment"', "<base", "http-equiv", "169.254.169.254",
                   'rel="stylesheet"', "style=", "[::1]"):
        assert needle not in lowered, f"{needle!r} reached the document the renderer sees"
    for src in re.findall(r'\ssrc\s*=\s*["\']?([^"\'\s>]+)', html, re.I):
        assert src.startswith("data:"), src
    for target in re.findall(r'url\(\s*["\']?([^"\')]+)', html, re.I):
        assert target.startswith(("data:", "gloss-font:", "#")), target


# -- URLs the server would fetch -----------------------------------------------------------

def private_urls(c: int) -> list[str]:
    return [f"http://127.0.0.1:{c}/article", f"http://localhost:{c}/", f"http://[::1]:{c}/",
            "http://[::1]/", "http://169.254.169.254/", "http://169.254.169.254/latest/meta-data/",
            f"http://[::ffff:127.0.0.1]:{c}/", f"http://internal.test:{c}/",
            "http://allowed.test/to-private-name", "http://allowed.test/to-private-ip",
            "http://allowed.test/to-metadata", "http://allowed.test/to-mapped", "http://10.0.0.1/",
            "http://100.64.0.1/", f"http://2130706433:{c}/"]


async def test_urls_at_private_addresses_are_refused(after):
    env = after
    for url in private_urls(env.c):
        body = await problem(await env.client.post("/api/print", json={"url": url}), 403)
        assert "private or reserved" in body["detail"] or "legacy form" in body["detail"], body
        await problem(await env.client.get("/api/print", params={"url": url}), 403)
    assert (await env.client.get("/healthz")).status == 200


async def test_redirect_from_allowed_host_was_really_followed(after):
    env = after
    env.stats["paths"] = []
    await problem(await env.client.post("/api/print", json={"url": "http://allowed.test/to-private-ip"}), 403)
    assert env.stats["paths"] == ["/to-private-ip"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/", "javascript:alert(1)",
                                 "gopher://127.0.0.1:70/", "http://allowed.test/to-file", ""])
async def test_non_http_urls_are_422(after, url):
    await problem(await after.client.post("/api/print", json={"url": url}), 422)


async def test_allowed_host_prints(after):
    """The control: the same path that refuses private addresses does fetch a public one."""
    pdf = await print_pdf(after, {"url": "http://allowed.test/article"})
    assert SEED_PHRASE in pdf_text(pdf)


@pytest.mark.parametrize("path", ["/huge", "/bomb.gz", "/bomb.deflate", "/huge-declared"])
async def test_huge_and_bomb_pages_are_502(after, path):
    body = await problem(await after.client.post("/api/print", json={"url": f"http://allowed.test{path}"}), 502)
    assert "limit" in body["detail"]


async def test_non_html_page_is_refused(after):
    await problem(await after.client.post("/api/print", json={"url": "http://allowed.test/pdf"}), 415)


# -- images --------------------------------------------------------------------------------

def bomb_cases() -> dict[str, dict]:
    bomb = data_uri(bombs()["png"])
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">'
           f'<image width="200" height="200" href="{bomb}"/></svg>')
    svg_uri = data_uri(svg.encode(), "image/svg+xml")
    return {
        "map": {"url": SEED_URL, "html": seed_with(), "images": {SEED_IMAGE: bomb}},
        "inline": {"url": SEED_URL, "html": seed_with(f'<figure><img src="{bomb}" alt="bomb"></figure>')},
        "svg": {"url": SEED_URL, "html": seed_with(f'<figure><img src="{svg_uri}" alt="svg bomb"></figure>')},
    }


@pytest.mark.parametrize("case", ["map", "inline", "svg"])
async def test_twenty_thousand_square_png_is_never_decoded(after, case):
    pdf = await print_pdf(after, bomb_cases()[case], 413, 422)
    if pdf is not None:
        pdf_text(pdf)
        assert all(w * h <= image_guard.MAX_PIXELS for w, h in pdf_images(pdf)), pdf_images(pdf)


async def test_image_count_is_capped(after):
    figures, images = [], {}
    for i in range(200):
        url = f"https://koreajoongangdaily.joins.com/images/gallery/{i}.png"
        figures.append(f'<figure><img src="{url}" alt="picture {i}"><figcaption>Picture {i}</figcaption></figure>')
        images[url] = data_uri(png_bytes(16, 16, (i, 255 - i, (i * 7) % 256)))
    body = {"url": SEED_URL, "html": seed_with("".join(figures)), "images": images}
    pdf = await print_pdf(after, body, 413, 422)
    if pdf is not None:
        pdf_text(pdf)
        # The article's images, and the QR code of its address on the first page.
        assert len(pdf_images(pdf)) <= image_guard.MAX_IMAGES + 1


# -- enormous markup -----------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["div", "blockquote", "span"])
async def test_hundred_thousand_nested_elements_end_in_bounded_time(after, tag):
    n = 100_000
    nested = f"<{tag}>" * n + "<p>Deep inside.</p>" + f"</{tag}>" * n
    pdf = await print_pdf(after, {"url": SEED_URL, "html": seed_with(nested)}, *BOUNDED)
    if pdf is not None:
        pdf_text(pdf)


async def test_hundred_thousand_row_table_ends_in_bounded_time(after):
    rows = "".join(f"<tr><td>{i}</td><td>row {i}</td></tr>" for i in range(100_000))
    html = seed_with(f"<table><caption>Long</caption>{rows}</table>")
    pdf = await print_pdf(after, {"url": SEED_URL, "html": html}, *BOUNDED)
    if pdf is not None:
        pdf_text(pdf)


# -- the request itself --------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", ["/api/print", "/api/preview"])
@pytest.mark.parametrize("raw", [
    b'{"url": "https://example.com/", "html": "<p>cut sh',
    b'{"url": "https://example.com/",',
    b"{url: https://example.com/}",
    b'{"url": "https://example.com/", "html": "\xff\xfe<p>\xc3\x28</p>"}',
    b"[\"https://example.com/\"]",
    b"[" * 100_000,
])
async def test_malformed_truncated_and_invalid_utf8_json_are_400(after, endpoint, raw):
    resp = await after.client.post(endpoint, data=raw, headers={"Content-Type": "application/json"})
    await problem(resp, 400)


async def test_fifty_megabyte_body_is_413(after):
    env = after
    payload = b'{"url": "https://example.com/", "html": "' + b"x" * (50 * MiB) + b'"}'
    resp = await env.client.post("/api/print", data=payload, headers={"Content-Type": "application/json"})
    body = await problem(resp, 413)
    assert "limit" in body["detail"]

    async def stream():  # no Content-Length: the cap trips while reading
        yield b'{"url": "https://example.com/", "html": "'
        block = b"x" * MiB
        for _ in range(50):
            yield block
        yield b'"}'
    resp = await env.client.post("/api/print", data=stream(), headers={"Content-Type": "application/json"})
    await problem(resp, 413)


async def test_web_origin_cannot_print(after):
    resp = await after.client.post("/api/print", json={"url": "http://allowed.test/article"},
                                   headers={"Origin": "https://evil.example"})
    await problem(resp, 403)
    resp = await after.client.get("/api/print", params={"url": "http://allowed.test/article"},
                                  headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors",
                                           "Sec-Fetch-Dest": "image"})
    await problem(resp, 403)


# -- round two: inline images get the same guard as mapped ones (failures 1 and 4) ---------

def image_file(fmt: str, width: int = 64, height: int = 64, seed: int = 0) -> bytes:
    """A real image in `fmt` (PCX, TGA, ...), noisy enough not to look like a placeholder;
    each `seed` gives different pixels (the PDF shares identical images)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), bytes((i * 37 + seed) % 251 for i in range(width * height * 3))).save(
        buffer, fmt)
    return buffer.getvalue()


SVG_TEXT = "SVGCANARYTEXT"
SVG_AS_PNG = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100">'
              f'<text x="10" y="50" font-size="30">{SVG_TEXT}</text>'
              + "<!-- " + "padding " * 60 + "--></svg>").encode()


@pytest.mark.parametrize("fmt", ["SVG", "PCX", "TGA"])
async def test_inline_image_is_judged_by_its_bytes_not_its_label(after, fmt):
    data = SVG_AS_PNG if fmt == "SVG" else image_file(fmt)
    inline = data_uri(data, "image/png")  # labelled PNG, written into the page's HTML
    html = seed_with(f'<figure><img src="{inline}" alt="labelled png"><figcaption>Labelled</figcaption></figure>')
    pdf = await print_pdf(after, {"url": SEED_URL, "html": html, "options": {"images": True}})
    assert SVG_TEXT not in pdf_text(pdf)
    assert pdf_images(pdf) == await images_without_figures(after), "an image that is not a raster one was drawn"


async def images_without_figures(env: Env) -> list[tuple[int, int]]:
    """The images the seed prints with when it has no figure of its own (the page's own
    furniture, such as a link code, if typesetting adds any)."""
    return pdf_images(await print_pdf(env, {"url": SEED_URL, "html": seed_with("<p>No figure here.</p>")}))


async def test_inline_png_that_passes_the_guard_still_prints(after):
    """The control: a real PNG written inline prints, so the refusals above are the guard's."""
    inline = data_uri(image_file("PNG"))
    html = seed_with(f'<figure><img src="{inline}" alt="real png"><figcaption>Real</figcaption></figure>')
    pdf = await print_pdf(after, {"url": SEED_URL, "html": html})
    assert sorted(pdf_images(pdf)) == sorted([(64, 64), *await images_without_figures(after)])


async def test_inline_images_obey_the_count_limit(after):
    figures = "".join(f'<figure><img src="{data_uri(image_file("PNG", 24, 24, seed=i))}" alt="inline {i}">'
                      f"<figcaption>Inline {i}</figcaption></figure>" for i in range(100))
    pdf = await print_pdf(after, {"url": SEED_URL, "html": seed_with(figures)}, 413, 422)
    if pdf is not None:
        pdf_text(pdf)
        assert len(pdf_images(pdf)) <= image_guard.MAX_IMAGES + len(await images_without_figures(after))


async def test_inline_strip_over_the_side_limit_is_not_printed(after):
    buffer = io.BytesIO()
    Image.new("1", (20, 1_000_000), 1).save(buffer, "PNG")  # 20 Mpx: under the pixel cap, over the side cap
    html = seed_with(f'<figure><img src="{data_uri(buffer.getvalue())}" alt="strip"><figcaption>Strip</figcaption>'
                     "</figure>")
    pdf = await print_pdf(after, {"url": SEED_URL, "html": html}, 413, 422)
    if pdf is not None:
        assert all(max(w, h) <= image_guard.MAX_SIDE for w, h in pdf_images(pdf)), pdf_images(pdf)


# -- round two: answers and addresses ------------------------------------------------------

async def raw_exchange(port: int, request: bytes, read_timeout: float = 30.0) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(65536), read_timeout)
    finally:
        writer.close()


@pytest.mark.parametrize("raw", [
    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad\x01Header: <script>alert(1)</script>\r\n\r\n",
    b"GET /<script>alert(1)</script> HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
    b"POST /api/print HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 6"
    b"<script>\r\n\r\nhello",
])
async def test_unparsable_requests_get_problem_json_echoing_nothing(after, raw):
    answer = await raw_exchange(after.client.server.port, raw)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert re.match(rb"HTTP/1\.[01] 4\d\d ", head), answer[:200]
    assert b"content-type: application/problem+json" in head.lower(), head
    assert b"x-content-type-options: nosniff" in head.lower(), head
    assert b"<script>" not in answer and b"alert" not in answer


async def test_every_answer_says_nosniff(after):
    for resp in (await after.client.get("/healthz"), await after.client.get("/no-such-page"),
                 await after.client.post("/api/print", json={"url": "ftp://x"}),
                 await after.client.post("/api/print", json={"url": SEED_URL, "html": seed_with()})):
        assert resp.headers.get("X-Content-Type-Options") == "nosniff", (resp.status, dict(resp.headers))


async def test_a_trickling_body_is_cut_off():
    app = create_app(Settings(render_workers=1, body_timeout=1.0))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        reader, writer = await asyncio.open_connection("127.0.0.1", client.server.port)

        async def trickle() -> None:  # two bytes a second, far slower than any real client
            writer.write(b"POST /api/print HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 3000000\r\n\r\n{\"url\": ")
            for _ in range(120):
                await asyncio.sleep(0.5)
                writer.write(b" ")
                await writer.drain()

        sender = asyncio.ensure_future(trickle())
        try:
            answer = await asyncio.wait_for(reader.read(65536), 30)
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            writer.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"application/problem+json" in answer


@pytest.mark.parametrize("host", ["wireserver.test", "translated.test", "translated-metadata.test"])
async def test_cloud_host_endpoint_and_ipv4_translated_addresses_are_refused(after, host):
    """Names that resolve (in the test table) to 168.63.129.16, ::ffff:0:7f00:1 and
    ::ffff:0:a9fe:a9fe; a connection, were it made, would reach the canary, never the net."""
    body = await problem(await after.client.post("/api/print", json={"url": f"http://{host}/"}), 403)
    assert "private or reserved" in body["detail"]
