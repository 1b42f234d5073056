"""The guarded fetcher alone, against aiohttp servers on 127.0.0.1.

Names like "allowed.test" go through a test resolver: it maps them to a public-looking
address the guard checks while the socket actually reaches a local server (`Routed`),
so redirects from an allowed host to a private one exercise the real check. A canary
server on 127.0.0.1 counts every request it gets; where the guard refuses, it gets none.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import io
import socket
import tracemalloc
import zlib

import pytest
from aiohttp import web
from PIL import Image

from server.article import addresses
from server.article.fetch import MAX_REDIRECTS, GuardedFetcher, Routed
from server.errors import Forbidden, GatewayTimeout, UnsupportedMediaType, Unprocessable, UpstreamError
from server.settings import Settings

PUBLIC = "93.184.216.34"  # a globally routable address; the test never connects to it
PAGE = "<!doctype html><html><head><title>Hello</title></head><body><p>Caf\u00e9 article</p></body></html>"
MiB = 1024 * 1024

PRIVATE_URLS = [
    "http://127.0.0.1/", "http://127.8.9.10:8080/x", "http://[::1]/", "http://[::1]:8080/",
    "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://172.16.5.4/",
    "http://192.168.1.1/", "http://100.64.0.1/", "http://100.127.255.254/", "http://0.0.0.0/",
    "http://224.0.0.1/", "http://239.255.255.250/", "http://240.0.0.1/", "http://255.255.255.255/",
    "http://192.0.2.1/", "http://198.18.0.1/", "http://[::]/", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/", "http://[::ffff:a00:1]/", "http://[::127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[64:ff9b:1::1]/",
    "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::1]/", "http://[fe80::1]/", "http://[fc00::1]/",
    "http://[fd12:3456::1]/", "http://[ff02::1]/", "http://[fec0::1]/", "http://[2001:db8::1]/",
    "https://169.254.169.254/", "http://2130706433/", "http://0x7f.1/", "http://127.1/", "http://017700000001/",
]
NON_HTTP = ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com/", "javascript:alert(1)",
            "data:text/html,<p>x</p>", "//example.com/", "/relative/path", "", "http:///nohost",
            "http://user:secret@example.com/"]


def settings(**overrides) -> Settings:
    values = {"fetch_timeout": 5.0, "fetch_max_mb": 1, "allow_private_fetch": False, **overrides}
    return Settings(**values)


class Canary:
    """A local server that must stay untouched: it counts whatever reaches it."""

    def __init__(self) -> None:
        self.hits: list[str] = []

    def app(self) -> web.Application:
        async def any_path(request: web.Request) -> web.Response:
            self.hits.append(str(request.rel_url))
            return web.Response(text="<html><body><p>CANARY-SECRET</p></body></html>", content_type="text/html")
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", any_path)
        return app


@pytest.fixture
async def canary(aiohttp_server):
    bird = Canary()
    server = await aiohttp_server(bird.app())
    bird.port = server.port
    return bird


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def gzip_of_zeros(total: int) -> bytes:
    """A gzip stream of `total` zero bytes, built a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MiB)
    parts = [packer.compress(block) for _ in range(total // MiB)]
    parts.append(packer.flush())
    return b"".join(parts)


def origin_app(canary_port: int, stats: dict[str, int]) -> web.Application:
    """The "allowed" site: pages, redirects, big and broken bodies."""
    routes = web.RouteTableDef()

    @routes.get("/page")
    async def page(request):
        return web.Response(text=PAGE, content_type="text/html", charset="utf-8")

    @routes.get("/latin1")
    async def latin1(request):
        return web.Response(body=PAGE.encode("latin-1"), headers={"Content-Type": "text/html; charset=iso-8859-1"})

    @routes.get("/gzipped")
    async def gzipped(request):
        return web.Response(body=gzip.compress(PAGE.encode()), headers={
            "Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})

    @routes.get("/to-private-name")
    async def to_private_name(request):
        raise web.HTTPFound("http://internal.test/secret")

    @routes.get("/to-private-ip")
    async def to_private_ip(request):
        raise web.HTTPFound(f"http://127.0.0.1:{canary_port}/secret")

    @routes.get("/to-metadata")
    async def to_metadata(request):
        raise web.HTTPMovedPermanently("http://169.254.169.254/latest/meta-data/")

    @routes.get("/to-mapped")
    async def to_mapped(request):
        raise web.HTTPTemporaryRedirect(f"http://[::ffff:127.0.0.1]:{canary_port}/secret")

    @routes.get("/to-file")
    async def to_file(request):
        raise web.HTTPFound("file:///etc/passwd")

    @routes.get("/to-other-allowed")
    async def to_other_allowed(request):
        raise web.HTTPFound("http://other.test/page")

    @routes.get("/chain/{n}")
    async def chain(request):
        n = int(request.match_info["n"])
        if n == 0:
            return web.Response(text=PAGE, content_type="text/html")
        raise web.HTTPFound(f"/chain/{n - 1}")

    @routes.get("/huge")
    async def huge(request):
        # 50 MB streamed a chunk at a time with no length announced: never 50 MB in memory.
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        await resp.prepare(request)
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        stats["huge_sent"] = 0
        try:
            for _ in range(50 * MiB // len(chunk)):
                await resp.write(chunk)
                stats["huge_sent"] += len(chunk)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return resp

    @routes.get("/huge-declared")
    async def huge_declared(request):
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        resp.content_length = 50 * MiB
        await resp.prepare(request)
        await resp.write(b"<p>start</p>")
        return resp

    @routes.get("/bomb.gz")
    async def bomb(request):
        return web.Response(body=bombs()["gzip"], headers={
            "Content-Type": "text/html", "Content-Encoding": "gzip"})

    @routes.get("/bomb.deflate")
    async def bomb_deflate(request):
        return web.Response(body=bombs()["deflate"], headers={
            "Content-Type": "text/html", "Content-Encoding": "deflate"})

    @routes.get("/brotli")
    async def brotli_page(request):
        return web.Response(body=b"\x0b\x02\x80hello\x03", headers={
            "Content-Type": "text/html", "Content-Encoding": "br"})

    @routes.get("/broken.gz")
    async def broken(request):
        return web.Response(body=b"\x1f\x8b\x08\x00garbage-not-gzip" * 10, headers={
            "Content-Type": "text/html", "Content-Encoding": "gzip"})

    @routes.get("/pdf")
    async def pdf(request):
        return web.Response(body=b"%PDF-1.7\n", content_type="application/pdf")

    @routes.get("/untyped")
    async def untyped(request):
        return web.Response(body=b"<p>no type</p>", headers={"Content-Type": ""})

    @routes.get("/missing")
    async def missing(request):
        raise web.HTTPNotFound()

    @routes.get("/slow-head")
    async def slow_head(request):
        await asyncio.sleep(30)
        return web.Response(text=PAGE, content_type="text/html")

    @routes.get("/slow-body")
    async def slow_body(request):
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        await resp.prepare(request)
        for _ in range(300):  # a byte every 100 ms: each read is quick, the whole is not
            await resp.write(b" ")
            await asyncio.sleep(0.1)
        return resp

    @routes.get("/image.png")
    async def image(request):
        return web.Response(body=png_bytes(40, 30), content_type="image/png")

    @routes.get("/mislabelled.png")
    async def mislabelled(request):
        return web.Response(body=png_bytes(40, 30), content_type="image/jpeg")

    @routes.get("/bomb.png")
    async def bomb_png(request):
        return web.Response(body=bombs()["png"], content_type="image/png")

    @routes.get("/drawing.svg")
    async def svg(request):
        return web.Response(text='<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
                            content_type="image/svg+xml")

    @web.middleware
    async def count(request, handler):
        stats.setdefault("paths", []).append(request.path)
        return await handler(request)

    app = web.Application(middlewares=[count])
    app.add_routes(routes)
    return app


@functools.cache
def bombs() -> dict[str, bytes]:
    """100 MiB of zeros as ~100 KiB of gzip and of zlib deflate, and a 20,000 x 20,000
    PNG written from a 1-bit image (50 MB of pixels in memory once, a small file)."""
    deflater = zlib.compressobj(9)
    block = bytes(MiB)
    deflate = b"".join([deflater.compress(block) for _ in range(100)] + [deflater.flush()])
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000), 0).save(buffer, "PNG")
    return {"gzip": gzip_of_zeros(100 * MiB), "deflate": deflate, "png": buffer.getvalue()}


@pytest.fixture
async def site(aiohttp_server, canary):
    stats: dict[str, int] = {}
    server = await aiohttp_server(origin_app(canary.port, stats))
    server.canary, server.stats = canary, stats
    server.hosts = {
        "allowed.test": Routed(PUBLIC, "127.0.0.1", server.port),
        "other.test": Routed("2606:2800:220:1:248:1893:25c8:1946", "127.0.0.1", server.port),
        "internal.test": "127.0.0.1",
    }
    return server


async def fetch_page(url: str, hosts=None, **overrides):
    fetcher = GuardedFetcher(settings(**overrides), resolver=hosts)
    try:
        return await fetcher.fetch_page(url)
    finally:
        await fetcher.close()


async def fetch_image(url: str, hosts=None, **overrides):
    fetcher = GuardedFetcher(settings(**overrides), resolver=hosts)
    try:
        return await fetcher.fetch_image(url)
    finally:
        await fetcher.close()


# -- addresses -------------------------------------------------------------------------

@pytest.mark.parametrize("address", [
    "127.0.0.1", "::1", "169.254.169.254", "10.1.2.3", "100.64.0.1", "0.0.0.0", "::", "224.0.0.251",
    "ff02::fb", "fe80::1%eth0", "::ffff:10.0.0.1", "64:ff9b::c0a8:101", "2002:c0a8:101::1", "fd00::1",
])
def test_non_public_addresses_have_a_reason(address):
    assert addresses.refusal(address)


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946",
                                     "64:ff9b::808:808", "::ffff:8.8.8.8", "2002:808:808::1"])
def test_public_addresses_pass(address):
    assert addresses.refusal(address) is None


def test_loopback_allowance_is_loopback_only():
    assert addresses.refusal("127.0.0.1", allow_loopback=True) is None
    assert addresses.refusal("::1", allow_loopback=True) is None
    assert addresses.refusal("::ffff:127.0.0.1", allow_loopback=True) is None
    for address in ("169.254.169.254", "10.0.0.1", "192.168.0.1", "fd00::1", "100.64.0.1"):
        assert addresses.refusal(address, allow_loopback=True)


# -- URLs and names --------------------------------------------------------------------

@pytest.mark.parametrize("url", PRIVATE_URLS)
async def test_private_literal_addresses_are_refused(url):
    with pytest.raises(Forbidden) as refused:
        await fetch_page(url)
    assert "private or reserved" in refused.value.detail or "legacy form" in refused.value.detail


@pytest.mark.parametrize("url", NON_HTTP)
async def test_only_http_and_https(url):
    with pytest.raises(Unprocessable):
        await fetch_page(url)


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "169.254.169.254", "10.0.0.7", "100.100.1.1",
                                     "::ffff:127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "fe80::1"])
async def test_names_resolving_to_private_addresses_are_refused(address, canary):
    with pytest.raises(Forbidden) as refused:
        await fetch_page(f"http://evil.test:{canary.port}/", hosts={"evil.test": address})
    assert address in refused.value.detail
    assert canary.hits == []


async def test_every_resolved_address_must_be_public(canary):
    # One public and one private address: connecting to "the first" would be a gamble.
    hosts = {"split.test": [Routed(PUBLIC, "127.0.0.1", canary.port), "127.0.0.1"]}
    with pytest.raises(Forbidden):
        await fetch_page(f"http://split.test:{canary.port}/", hosts=hosts)
    assert canary.hits == []


async def test_system_resolver_refuses_localhost(canary):
    with pytest.raises(Forbidden) as refused:
        await fetch_page(f"http://localhost:{canary.port}/")
    assert "loopback" in refused.value.detail
    assert canary.hits == []


async def test_allow_private_fetch_reaches_loopback_through_the_system_resolver(canary):
    page = await fetch_page(f"http://localhost:{canary.port}/hello", allow_private_fetch=True)
    assert "CANARY-SECRET" in page.html
    assert canary.hits == ["/hello"]


async def test_allowed_host_is_fetched_and_decoded(site):
    page = await fetch_page("http://allowed.test/page", hosts=site.hosts)
    assert page.url == "http://allowed.test/page"
    assert "Caf\u00e9 article" in page.html
    assert "Caf\u00e9 article" in (await fetch_page("http://allowed.test/latin1", hosts=site.hosts)).html
    assert "Caf\u00e9 article" in (await fetch_page("http://allowed.test/gzipped", hosts=site.hosts)).html


# -- redirects -------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/to-private-name", "/to-private-ip", "/to-metadata", "/to-mapped"])
async def test_redirect_from_allowed_host_to_private_is_refused(site, path):
    with pytest.raises(Forbidden) as refused:
        await fetch_page(f"http://allowed.test{path}", hosts=site.hosts)
    assert "private or reserved" in refused.value.detail
    assert site.stats["paths"] == [path]  # the allowed host was really asked, and redirected
    assert site.canary.hits == []


async def test_redirect_to_file_is_refused(site):
    with pytest.raises(Unprocessable):
        await fetch_page("http://allowed.test/to-file", hosts=site.hosts)


async def test_redirect_between_allowed_hosts_is_followed(site):
    page = await fetch_page("http://allowed.test/to-other-allowed", hosts=site.hosts)
    assert page.url == "http://other.test/page"
    assert "Caf\u00e9 article" in page.html


async def test_at_most_five_redirects(site):
    page = await fetch_page(f"http://allowed.test/chain/{MAX_REDIRECTS}", hosts=site.hosts)
    assert page.url == "http://allowed.test/chain/0"
    with pytest.raises(UpstreamError) as refused:
        await fetch_page(f"http://allowed.test/chain/{MAX_REDIRECTS + 1}", hosts=site.hosts)
    assert "more than 5" in refused.value.detail


# -- size, encodings, types ------------------------------------------------------------

async def test_fifty_megabyte_body_is_cut_at_the_limit(site):
    with pytest.raises(UpstreamError) as refused:
        await fetch_page("http://allowed.test/huge", hosts=site.hosts)
    assert "1 MiB limit" in refused.value.detail
    await asyncio.sleep(0.2)
    # Reading stopped near the limit: the server could not push the whole 50 MB.
    assert site.stats["huge_sent"] < 20 * MiB


async def test_declared_length_over_the_limit_is_refused_before_reading(site):
    with pytest.raises(UpstreamError):
        await fetch_page("http://allowed.test/huge-declared", hosts=site.hosts)


@pytest.mark.parametrize("path", ["/bomb.gz", "/bomb.deflate"])
async def test_compression_bomb_stops_at_the_decoded_limit(site, path):
    tracemalloc.start()
    try:
        with pytest.raises(UpstreamError) as refused:
            await fetch_page(f"http://allowed.test{path}", hosts=site.hosts)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "after decompression" in refused.value.detail
    # 100 MiB of zeros behind ~100 KiB: memory stayed near the 1 MiB limit (the server's
    # own copy of the compressed body is counted too).
    assert peak < 12 * MiB, peak


@pytest.mark.parametrize("path", ["/brotli", "/broken.gz"])
async def test_unreadable_encodings_are_upstream_errors(site, path):
    with pytest.raises(UpstreamError):
        await fetch_page(f"http://allowed.test{path}", hosts=site.hosts)


@pytest.mark.parametrize("path", ["/pdf", "/untyped", "/image.png"])
async def test_pages_must_be_html(site, path):
    with pytest.raises(UnsupportedMediaType) as refused:
        await fetch_page(f"http://allowed.test{path}", hosts=site.hosts)
    assert "is not a web page" in refused.value.detail


async def test_images_come_back_as_data_uris_typed_by_their_header(site):
    uri = await fetch_image("http://allowed.test/image.png", hosts=site.hosts)
    assert uri.startswith("data:image/png;base64,")
    assert (await fetch_image("http://allowed.test/mislabelled.png", hosts=site.hosts)).startswith("data:image/png;")


@pytest.mark.parametrize("path", ["/page", "/drawing.svg", "/bomb.png"])
async def test_images_must_be_small_raster_images(site, path):
    with pytest.raises(UnsupportedMediaType):
        await fetch_image(f"http://allowed.test{path}", hosts=site.hosts, fetch_max_mb=10)


async def test_image_fetch_is_guarded_too(canary):
    with pytest.raises(Forbidden):
        await fetch_image(f"http://127.0.0.1:{canary.port}/x.png")
    assert canary.hits == []


# -- upstream failures and time ----------------------------------------------------------

async def test_upstream_error_status_is_502(site):
    with pytest.raises(UpstreamError) as failed:
        await fetch_page("http://allowed.test/missing", hosts=site.hosts)
    assert "404" in failed.value.detail


async def test_unknown_name_is_502(site):
    with pytest.raises(UpstreamError):
        await fetch_page("http://nowhere.test/", hosts=site.hosts)


async def test_refused_connection_is_502():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(UpstreamError):
        await fetch_page(f"http://closed.test:{port}/", hosts={"closed.test": Routed(PUBLIC, "127.0.0.1", port)})


@pytest.mark.parametrize("path", ["/slow-head", "/slow-body"])
async def test_slow_upstream_times_out_with_504(site, path):
    with pytest.raises(GatewayTimeout):
        await fetch_page(f"http://allowed.test{path}", hosts=site.hosts, fetch_timeout=1.0)
