"""Local servers and payloads shared by the fetcher and hostile-input tests.

- `Canary`: an aiohttp app on 127.0.0.1 that records every request; a test that points
  hostile content at it asserts it got none.
- `origin_app(canary_port, stats)`: the "allowed" site a test resolver names (pages,
  the seed article, redirects to private addresses, a 50 MB stream, compression bombs,
  wrong types, slow answers, images).
- `bombs()`: 100 MiB of zeros as ~100 KiB gzip and deflate, and a 20,000 x 20,000 PNG
  of ~50 KB, each built once.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import io
import zlib
from pathlib import Path

from aiohttp import web
from PIL import Image

MiB = 1024 * 1024
PUBLIC = "93.184.216.34"  # a globally routable address; tests never connect to it
PAGE = "<!doctype html><html><head><title>Hello</title></head><body><p>Caf\u00e9 article</p></body></html>"
SEED_HTML = Path(__file__).parent / "fixtures" / "seed-article.html"
CANARY_TEXT = "CANARY-SECRET-7f3a"


class Canary:
    """A local server that must stay untouched: it counts whatever reaches it."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.port = 0

    def app(self) -> web.Application:
        async def any_path(request: web.Request) -> web.Response:
            self.hits.append(f"{request.method} {request.rel_url}")
            if request.path.endswith(".css"):
                return web.Response(text=f'p::after {{ content: "{CANARY_TEXT}"; }}', content_type="text/css")
            if request.path.endswith((".png", ".jpg", ".webp")):
                return web.Response(body=png_bytes(8, 8), content_type="image/png")
            return web.Response(text=f"<html><body><p>{CANARY_TEXT}</p></body></html>", content_type="text/html")
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", any_path)
        return app


def png_bytes(width: int, height: int, color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def bombs() -> dict[str, bytes]:
    block = bytes(MiB)
    gzipper = zlib.compressobj(9, zlib.DEFLATED, 31)
    deflater = zlib.compressobj(9)
    gz = b"".join([gzipper.compress(block) for _ in range(100)] + [gzipper.flush()])
    deflate = b"".join([deflater.compress(block) for _ in range(100)] + [deflater.flush()])
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000), 0).save(buffer, "PNG")  # 1-bit: 50 MB in memory once, ~50 KB on disk
    return {"gzip": gz, "deflate": deflate, "png": buffer.getvalue()}


def origin_app(canary_port: int, stats: dict) -> web.Application:
    """The "allowed" site: pages, redirects, big and broken bodies."""
    routes = web.RouteTableDef()

    @routes.get("/page")
    async def page(request):
        return web.Response(text=PAGE, content_type="text/html", charset="utf-8")

    @routes.get("/article")
    async def article(request):
        return web.Response(body=SEED_HTML.read_bytes(), headers={"Content-Type": "text/html; charset=utf-8"})

    @routes.get("/latin1")
    async def latin1(request):
        return web.Response(body=PAGE.encode("latin-1"), headers={"Content-Type": "text/html; charset=iso-8859-1"})

    @routes.get("/gzipped")
    async def gzipped(request):
        return web.Response(body=gzip.compress(PAGE.encode()), headers={
            "Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})

    @routes.get("/to-private-name")
    async def to_private_name(request):
        raise web.HTTPFound(f"http://internal.test:{canary_port}/secret")

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
        chunk = b"<p>" + b"x" * (64 * 1024 - 8) + b"</p>\n"
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
        return web.Response(body=bombs()["gzip"], headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    @routes.get("/bomb.deflate")
    async def bomb_deflate(request):
        return web.Response(body=bombs()["deflate"], headers={
            "Content-Type": "text/html", "Content-Encoding": "deflate"})

    @routes.get("/brotli")
    async def brotli_page(request):
        return web.Response(body=b"\x0b\x02\x80hello\x03", headers={"Content-Type": "text/html", "Content-Encoding": "br"})

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


class HeldSite:
    """A local page server whose answers (the seed article) wait until `release` is set."""

    def __init__(self) -> None:
        self.arrived = asyncio.Event()
        self.release = asyncio.Event()
        self.requests = 0

    async def article(self, request: web.Request) -> web.Response:
        self.requests += 1
        self.arrived.set()
        await self.release.wait()
        return web.Response(body=SEED_HTML.read_bytes(), headers={"Content-Type": "text/html; charset=utf-8"})
