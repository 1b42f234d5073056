"""Debian's Firefox ESR with the extension installed, driven over WebDriver BiDi.

Playwright's Firefox is a patched build that cannot be downloaded here, so the tests
speak BiDi (the W3C protocol Firefox ships) over a WebSocket themselves; only the few
commands they need are used. Firefox starts headless with a fresh profile whose
preferences fix the extension's internal UUID (so its pages have a known address),
save downloads into a given folder without asking, and send every request that is not
for 127.0.0.1 to a closed port, so nothing reaches the internet.
`--remote-allow-system-access` lets the test open the extension's own page in a tab,
which a content page cannot do; the checks then run in that page and in the article.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

import aiohttp

from tests.conftest import free_port

FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")
EXTENSION_ID = "gloss@gloss.invalid"


class BiDiError(RuntimeError):
    pass


class Firefox:
    """One running Firefox and its BiDi session."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, extension_uuid: str, downloads: Path):
        self.ws = ws
        self.extension_uuid = extension_uuid
        self.downloads = downloads
        self._next = 0
        self._waiting: dict[int, asyncio.Future] = {}
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            future = self._waiting.pop(data.get("id"), None)
            if future and not future.done():
                future.set_result(data)

    async def call(self, method: str, **params: Any) -> dict:
        self._next += 1
        future = asyncio.get_running_loop().create_future()
        self._waiting[self._next] = future
        await self.ws.send_json({"id": self._next, "method": method, "params": params})
        data = await asyncio.wait_for(future, timeout=60)
        if data.get("type") == "error":
            raise BiDiError(f"{method}: {data.get('error')}: {data.get('message')}")
        return data["result"]

    async def evaluate(self, context: str, expression: str) -> Any:
        """Runs `expression` (may be a promise) in a tab; its value travels as JSON."""
        result = await self.call("script.evaluate", expression=f"Promise.resolve({expression}).then(JSON.stringify)",
                                 target={"context": context}, awaitPromise=True)
        if result["type"] == "exception":
            raise BiDiError(result["exceptionDetails"]["text"])
        value = result["result"].get("value")
        return None if value is None else json.loads(value)

    async def wait_for(self, context: str, expression: str, timeout: float = 30.0) -> Any:
        """Polls `expression` until it is truthy; returns its value."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = await self.evaluate(context, expression)
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{expression!r} stayed falsy for {timeout}s")
            await asyncio.sleep(0.05)

    async def contexts(self) -> list[dict]:
        return (await self.call("browsingContext.getTree"))["contexts"]

    def extension_url(self, path: str) -> str:
        return f"moz-extension://{self.extension_uuid}/{path}"

    async def open_extension_page(self, path: str) -> str:
        """Opens one of the extension's pages in a new tab (from the browser window itself)."""
        url = self.extension_url(path)
        chrome = (await self.call("browsingContext.getTree", **{"moz:scope": "chrome"}))["contexts"][0]["context"]
        await self.call("script.evaluate", target={"context": chrome}, awaitPromise=False, expression=(
            f"gBrowser.selectedTab = gBrowser.addTab({json.dumps(url)}, "
            "{triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal()}); 0"))
        for _ in range(200):
            for context in await self.contexts():
                if context["url"] == url:
                    with contextlib.suppress(BiDiError):
                        if await self.evaluate(context["context"], "typeof GlossStorage === 'object'"):
                            return context["context"]
            await asyncio.sleep(0.05)
        raise TimeoutError(f"{url} did not open")

    async def double_click(self, context: str, x: float, y: float) -> None:
        click = [{"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]
        await self.call("input.performActions", context=context, actions=[{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "x": round(x), "y": round(y)}, *click, *click]}])


def _preferences(extension_uuid: str, downloads: Path, closed_port: int) -> dict[str, Any]:
    return {
        "extensions.webextensions.uuids": json.dumps({EXTENSION_ID: extension_uuid}),
        "browser.download.dir": str(downloads),
        "browser.download.folderList": 2,
        "browser.download.useDownloadDir": True,
        "browser.download.always_ask_before_handling_new_types": False,
        "pdfjs.disabled": True,
        # Everything but the loopback test servers goes to a port where nothing listens.
        "network.proxy.type": 1,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": closed_port,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": closed_port,
        "network.proxy.no_proxies_on": "127.0.0.1",
        "network.proxy.allow_hijacking_localhost": False,
        "network.dns.disablePrefetch": True,
        "network.trr.mode": 5,
    }


@contextlib.asynccontextmanager
async def firefox_with_extension(extension: Path, extension_uuid: str | None = None):
    """Yields a `Firefox` with `extension` installed as a temporary add-on (under `extension_uuid`)."""
    profile = Path(tempfile.mkdtemp(prefix="gloss-firefox-"))
    downloads = profile / "downloads"
    downloads.mkdir()
    extension_uuid = extension_uuid or str(uuid.uuid4())
    prefs = _preferences(extension_uuid, downloads, free_port())
    (profile / "user.js").write_text("".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()))
    port = free_port()
    process = subprocess.Popen([FIREFOX, "--headless", "--no-remote", "--profile", str(profile),
                                f"--remote-debugging-port={port}", "--remote-allow-system-access"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        async with aiohttp.ClientSession() as http:
            ws = None
            for _ in range(300):
                try:
                    ws = await http.ws_connect(f"ws://127.0.0.1:{port}/session", max_msg_size=0)
                    break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
            if ws is None:
                raise TimeoutError("Firefox did not open its WebDriver BiDi port")
            firefox = Firefox(ws, extension_uuid, downloads)
            try:
                await firefox.call("session.new", capabilities={})
                await firefox.call("webExtension.install", extensionData={"type": "path", "path": str(extension)})
                yield firefox
            finally:
                with contextlib.suppress(Exception):
                    await firefox.call("session.end")
                await ws.close()
                firefox._reader.cancel()
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)
