"""The guarded fetcher alone, against aiohttp servers on 127.0.0.1.

Names like "allowed.test" go through a test resolver: it maps them to a public-looking
address the guard checks while the socket actually reaches a local server (`Routed`),
so redirects from an allowed host to a private one exercise the real check. A canary
server on 127.0.0.1 counts every request it gets; where the guard refuses, it gets none.
"""

from __future__ import annotations

import asyncio
import socket
import tracemalloc

import pytest
from hostile_sites import CANARY_TEXT, PUBLIC, Canary, MiB, bombs, origin_app

from server.errors import (
    Forbidden,
    GatewayTimeout,
    Unprocessable,
    UnsupportedMediaType,
    UpstreamError,
)
from server.fetching import addresses
from server.fetching.fetch import MAX_REDIRECTS, GuardedFetcher, Routed
from server.settings import Settings

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


@pytest.fixture
async def canary(aiohttp_server):
    bird = Canary()
    server = await aiohttp_server(bird.app())
    bird.port = server.port
    return bird


@pytest.fixture
async def site(aiohttp_server, canary):
    stats: dict[str, int] = {}
    server = await aiohttp_server(origin_app(canary.port, stats))
    server.canary, server.stats = canary, stats
    server.hosts = {
        "allowed.test": Routed(PUBLIC, "127.0.0.1", server.port),
        "other.test": Routed("2606:2800:220:1:248:1893:25c8:1946", "127.0.0.1", server.port),
        "internal.test": "127.0.0.1",  # the canary's address
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
    assert CANARY_TEXT in page.html
    assert canary.hits == ["GET /hello"]


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
    bombs()  # built before tracing: the local server builds them in this same process
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
