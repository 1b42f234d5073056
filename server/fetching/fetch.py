"""The one guarded HTTP client the server uses for its own fetches.

`GuardedFetcher(settings, resolver=None)`:
- `await fetch_page(url) -> Page`: an HTML page (text/html or application/xhtml+xml),
  decoded to text; `Page.url` is the address after redirects.
- `await fetch_image(url) -> str`: a raster image as a `data:` URI, its type taken from
  its header, refused past the caps of `server.fetching.image_guard`.
- `await close()`.
`fetch_page_sync(url, settings) -> Page` does one fetch for the command line; the
application keeps one fetcher for its lifetime (server.web.fetcher).

What it guarantees, and the error each refusal raises:
- http and https only, no credentials in the URL: 422 (Unprocessable).
- Every address the host name resolves to is public (see `addresses.refusal`): 403.
  The check happens inside the connector's resolver and the connection goes to the
  very addresses that were checked, so a name cannot resolve once to a public address
  for the check and again to a private one for the connection. IP literals, which
  aiohttp never hands to a resolver, are checked before the request.
- Redirects are followed by hand, each target checked like the first URL, at most
  MAX_REDIRECTS: more is 502.
- Connect time-out and one deadline for the whole fetch (every hop, every byte): 504.
- The body is read as a stream and decompressed here (gzip, deflate) with a bounded
  output, so `settings.fetch_max_mb` caps the *decoded* bytes: a gzip bomb stops at the
  limit, having held at most the limit in memory: 502.
- Pages must be HTML, images must be images: 415 otherwise.
- Any other upstream failure (refused connection, DNS failure, TLS error, a 4xx/5xx
  answer, a broken encoding): 502.
- No cookies are kept between fetches and no proxy settings from the environment apply.

`resolver` is for tests: a mapping from host name to address that replaces DNS. An
entry may be a `Routed(address, host, port)`: the guard checks `address` (say a public
one) while the socket goes to `host:port` (a local test server), so a test can make
"allowed.test" look public and redirect to a name that maps to 127.0.0.1, and see the
second hop refused by the same check that guards real traffic.
"""

from __future__ import annotations

import asyncio
import codecs
import re
import socket
import zlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from server.article.model import Page
from server.errors import (
    Forbidden,
    GatewayTimeout,
    Unprocessable,
    UnsupportedMediaType,
    UpstreamError,
)
from server.fetching import addresses, image_guard
from server.settings import Settings

MAX_REDIRECTS = 5
# A host that cannot complete a TCP (and TLS) handshake in this time is not serving.
CONNECT_TIMEOUT = 10.0
MAX_URL_LENGTH = 8192
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024
USER_AGENT = "Mozilla/5.0 (compatible; Gloss/0.1; article printer)"
# Only encodings decoded here with a bounded output are asked for (and accepted).
ACCEPT_ENCODING = "gzip, deflate"
# Numeric hosts in the old inet_aton forms (2130706433, 0x7f.1, 127.1) mean an address too.
_LEGACY_NUMERIC = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}\.?$", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Routed:
    """Test resolver entry: the guard checks `address`; the socket goes to host:port."""
    address: str
    host: str
    port: int


# A test resolver maps a name to one address, a Routed one, or several (all are checked).
HostEntry = str | Routed | list[str | Routed]


class GuardedResolver(AbstractResolver):
    """Resolves a name once, refuses it unless every address is public, and returns
    exactly those addresses for the connector to dial."""

    def __init__(self, allow_loopback: bool, hosts: Mapping[str, HostEntry] | None = None) -> None:
        self._allow_loopback = allow_loopback
        self._hosts = {k.lower().rstrip("."): v for k, v in hosts.items()} if hosts is not None else None
        self._system: aiohttp.ThreadedResolver | None = None

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        if self._hosts is not None:
            results, checked = self._from_table(host, port)
        else:
            if self._system is None:
                self._system = aiohttp.ThreadedResolver()
            try:
                results = await self._system.resolve(host, port, family)
            except OSError as error:
                raise UpstreamError(f"Could not resolve {host}: {error.strerror or error}.") from None
            checked = [r["host"] for r in results]
        if not results:
            raise UpstreamError(f"{host} has no address.")
        for address in checked:
            why = addresses.refusal(address, self._allow_loopback)
            if why is not None:
                raise Forbidden(f"Gloss does not fetch from private or reserved addresses: "
                                f"{host} resolves to {address} ({why}).", host=host, address=address)
        return results

    def _from_table(self, host: str, port: int) -> tuple[list[ResolveResult], list[str]]:
        assert self._hosts is not None
        entry = self._hosts.get(host.lower().rstrip("."))
        if entry is None:
            raise UpstreamError(f"Could not resolve {host}: not in the test resolver.")
        results, checked = [], []
        for one in (entry if isinstance(entry, (list, tuple)) else [entry]):
            target, target_port = (one.host, one.port) if isinstance(one, Routed) else (one, port)
            family = socket.AF_INET6 if ":" in target else socket.AF_INET
            results.append(ResolveResult(hostname=host, host=target, port=target_port, family=family,
                                         proto=0, flags=socket.AI_NUMERICHOST))
            checked.append(one.address if isinstance(one, Routed) else one)
        return results, checked

    async def close(self) -> None:
        if self._system is not None:
            await self._system.close()


class GuardedFetcher:
    def __init__(self, settings: Settings, resolver: Mapping[str, HostEntry] | None = None) -> None:
        self._settings = settings
        self._hosts = resolver
        self._session: aiohttp.ClientSession | None = None

    async def fetch_page(self, url: str) -> Page:
        async with self._deadline(url):
            final_url, content_type, charset, body = await self._get(
                url, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1", PAGE_TYPES, "a web page",
                self._settings.fetch_max_mb * 1024 * 1024)
        return Page(url=final_url, html=decode_html(body, charset))

    async def fetch_image(self, url: str) -> str:
        limit = min(self._settings.fetch_max_mb * 1024 * 1024, image_guard.MAX_BYTES)
        async with self._deadline(url):
            _, _, _, body = await self._get(url, "image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8",
                                            None, "an image", limit)
        try:
            info = image_guard.inspect_image(body)
        except image_guard.ImageRefused as error:
            raise UnsupportedMediaType(f"The image at {url} is refused: {error}.") from None
        return image_guard.to_data_uri(body, info)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- internals ---------------------------------------------------------------------

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            resolver = GuardedResolver(self._settings.allow_private_fetch, self._hosts)
            connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False, limit=32,
                                             limit_per_host=4, family=0)
            self._session = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar(), trust_env=False,
                auto_decompress=False, headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
                timeout=aiohttp.ClientTimeout(total=None, connect=min(CONNECT_TIMEOUT, self._settings.fetch_timeout),
                                              sock_read=self._settings.fetch_timeout))
        return self._session

    def _deadline(self, url: str):
        return _Deadline(self._settings.fetch_timeout, url)

    async def _get(self, url: str, accept: str, types: frozenset[str] | None, what: str,
                   limit: int) -> tuple[str, str, str | None, bytes]:
        """Follows up to MAX_REDIRECTS redirects, checking each hop; returns
        (final URL, content type, charset, decoded body)."""
        current = check_url(url, self._settings.allow_private_fetch)
        for hop in range(MAX_REDIRECTS + 1):
            try:
                async with self._client().get(current, allow_redirects=False, headers={"Accept": accept},
                                              max_line_size=16384, max_field_size=16384) as resp:
                    if resp.status in REDIRECTS:
                        location = resp.headers.get("Location")
                        if not location:
                            raise UpstreamError(f"{current} answered {resp.status} without a Location.")
                        if hop == MAX_REDIRECTS:
                            raise UpstreamError(f"{url} redirects more than {MAX_REDIRECTS} times.")
                        try:
                            target = current.join(URL(location))
                        except ValueError:
                            raise UpstreamError(f"{current} redirects to an invalid address.") from None
                        current = check_url(str(target), self._settings.allow_private_fetch, redirected=True)
                        continue
                    if resp.status != 200:
                        raise UpstreamError(f"{current} answered {resp.status} {resp.reason or ''}".rstrip() + ".",
                                            upstream_status=resp.status)
                    content_type = resp.content_type.lower()
                    if not (content_type in types if types is not None else content_type.startswith("image/")):
                        raise UnsupportedMediaType(
                            f"{current} is not {what}: it is served as {content_type or 'an unknown type'}.")
                    body = await read_body(resp, limit, str(current))
                    return str(current), content_type, resp.charset, body
            except aiohttp.ClientConnectorDNSError as error:
                raise UpstreamError(f"Could not resolve {current.host}: {error.os_error}.") from None
            except aiohttp.InvalidURL as error:
                raise Unprocessable(f"Not a fetchable address: {error}.") from None
            except (aiohttp.ClientError, ValueError) as error:
                if isinstance(error, asyncio.TimeoutError):
                    raise
                raise UpstreamError(f"Fetching {current} failed: {describe(error)}.") from None
        raise AssertionError("unreachable: the loop returns or raises")


class _Deadline:
    """One deadline over a whole fetch (every hop and byte); time-outs become 504."""

    def __init__(self, seconds: float, url: str) -> None:
        self._timeout = asyncio.timeout(seconds)
        self._seconds, self._url = seconds, url

    async def __aenter__(self) -> None:
        await self._timeout.__aenter__()

    async def __aexit__(self, kind, error, tb) -> bool:
        try:
            await self._timeout.__aexit__(kind, error, tb)
        except TimeoutError:
            raise GatewayTimeout(f"Fetching {self._url} took longer than {self._seconds:g} s.") from None
        if isinstance(error, asyncio.TimeoutError):  # connect or read time-out inside aiohttp
            raise GatewayTimeout(f"Fetching {self._url} timed out ({describe(error)}).") from None
        return False


def check_url(url: str, allow_loopback: bool, redirected: bool = False) -> URL:
    """The URL parsed, when it is one the fetcher may request; else 422 or 403."""
    where = "redirects to" if redirected else "is"
    if not isinstance(url, str) or not url.strip():
        raise Unprocessable("A `url` is required.")
    if len(url) > MAX_URL_LENGTH:
        raise Unprocessable(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parsed = URL(url.strip())
    except (ValueError, TypeError):
        raise Unprocessable(f"Not a valid URL: {url[:200]!r}.") from None
    if parsed.scheme not in ("http", "https"):
        raise Unprocessable(f"Only http and https URLs are fetched; {url[:200]!r} {where} "
                            f"{(parsed.scheme or 'no') + ' scheme'}.")
    host = parsed.raw_host
    if not host:
        raise Unprocessable(f"The URL {url[:200]!r} has no host.")
    if parsed.user is not None or parsed.password is not None:
        raise Unprocessable("URLs with a user name or password are not fetched.")
    try:
        addresses.parse(host)
    except ValueError:
        if _LEGACY_NUMERIC.match(host):
            raise Forbidden(f"The host {host!r} is a numeric address in a legacy form; "
                            f"write it as a dotted IPv4 address.") from None
        return parsed.with_fragment(None)
    why = addresses.refusal(host, allow_loopback)
    if why is not None:
        raise Forbidden(f"Gloss does not fetch from private or reserved addresses: "
                        f"{url[:200]} {where} {host} ({why}).", address=host)
    return parsed.with_fragment(None)


async def read_body(resp: aiohttp.ClientResponse, limit: int, url: str) -> bytes:
    """The decoded body, read in chunks; 502 as soon as the decoded bytes pass `limit`."""
    encoding = resp.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise UpstreamError(f"{url} is sent with an encoding Gloss does not read ({encoding}).")
    too_big = UpstreamError(f"{url} is larger than the {limit // (1024 * 1024)} MiB limit for fetched "
                            f"{'pages' if limit >= 1024 * 1024 else 'content'} (counted after decompression); "
                            f"reading stopped there.", limit_bytes=limit)
    declared = resp.content_length
    if encoding in ("identity", "") and declared is not None and declared > limit:
        raise too_big
    decoder = None if encoding in ("identity", "") else zlib.decompressobj(zlib.MAX_WBITS | 32)
    body = bytearray()
    async for chunk in _chunks(resp):
        if decoder is None:
            body += chunk
        else:
            try:
                _inflate(decoder, chunk, body, limit)
            except zlib.error as error:
                raise UpstreamError(f"{url} sent a broken {encoding} body ({error}).") from None
        if len(body) > limit:
            raise too_big
    if decoder is not None:
        body += decoder.flush()[: limit + 1 - len(body)]
        if len(body) > limit:
            raise too_big
    return bytes(body)


def _inflate(decoder, chunk: bytes, out: bytearray, limit: int) -> None:
    """Decompresses one chunk, never producing more than one byte past `limit`: a
    kilobyte that inflates to gigabytes stops at the limit, not in memory."""
    data = chunk
    while data and not decoder.eof:
        budget = limit + 1 - len(out)
        if budget <= 0:
            return
        out += decoder.decompress(data, budget)
        data = decoder.unconsumed_tail


async def _chunks(resp: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    async for chunk in resp.content.iter_chunked(CHUNK):
        yield chunk


def decode_html(body: bytes, charset: str | None) -> str:
    """Text of an HTML body: a byte-order mark wins, then the HTTP charset, then a
    <meta> charset in the first 4 KiB, then UTF-8; undecodable bytes become U+FFFD."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace")
    candidates = [charset] if charset else []
    match = _META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "replace"))
    for name in candidates:
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        return body.decode(name, errors="replace")
    return body.decode("utf-8", errors="replace")


def describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def fetch_page_sync(url: str, settings: Settings) -> Page:
    """One guarded page fetch from synchronous code (the command line)."""
    async def once() -> Page:
        fetcher = GuardedFetcher(settings)
        try:
            return await fetcher.fetch_page(url)
        finally:
            await fetcher.close()
    return asyncio.run(once())

