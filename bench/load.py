"""Load test: `make bench-load` (or `.venv/bin/python bench/load.py [--prints N] [--lookups N] [--retry]`).

Starts `gloss serve` on a free 127.0.0.1 port (loopback only, nothing else is
contacted) with its own empty temporary directory (TMPDIR), then runs three phases:

1. Isolation: an ordinary print (the seed article, a new sentence each time so the cache
   cannot answer) timed on the idle server, then again while two 49,000-span pages
   (extraction's worst case) are in flight; the ratio of the medians is the figure (goal:
   at most 3). The two pages' clients then leave.
2. Load: N_PRINTS distinct heavy prints sent at once (page text plus four camera-size
   photographs, about 7 MiB each; every tenth carries instead a 23 MiB percent-encoded
   `data:` image), while N_LOOKUPS dictionary look-ups run alongside, LOOKUP_CONCURRENCY at
   a time. Every request must get an answer it is allowed to give, and no other:
   print: 200 application/pdf, 503 with Retry-After, or 413 (a too-big image); define:
   200 JSON entry, 404 problem, or 503 + Retry-After; none lost, none left hanging.
3. Shutdown: the server is stopped (SIGTERM) and its temporary directory must be empty.

Memory is sampled from /proc every 100 ms: the server process alone (RSS; goal: under
SERVER_BOUND_MB whatever the requests), each worker (the forkserver's children), and the
whole tree (PSS). It prints status counts, p50/p99 latency, the peaks, the isolation
ratio, and exits 0 when every check holds (answers, server memory, temporary directory).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed-article.html"
SEED_IMAGE = ROOT / "tests" / "fixtures" / "images" / "2020" / "07" / "29" / "lee-harris.jpg"
SEED_URL = "https://koreajoongangdaily.joins.com/2020/07/29/national/northKorea/seed/"
SEED_IMAGE_URL = "https://koreajoongangdaily.joins.com/images/2020/07/29/lee-harris.jpg"
ANCHOR = "between the two allies.</p>"
N_PRINTS = 50
N_LOOKUPS = 2000
PHOTOS = 4  # per heavy print
PHOTO_SIZE = (1600, 1100)  # pixels: a camera photo scaled for the web, ~1.4 MB as JPEG of noise
PERCENT_IMAGE_MB = 23  # every tenth heavy print carries one `%00`-encoded data: URI this big
SPANS = 49_000  # the isolation phase's pathological pages
ISOLATION_SAMPLES = 5  # ordinary prints timed in each condition (median)
ISOLATION_GOAL = 3.0
LOOKUP_CONCURRENCY = 50
REQUEST_TIMEOUT = 300.0  # a request not answered by then counts as hanging
RUN_TIMEOUT = 420.0  # the load phase, under the 10-minute limit of a foreground command
# The server process alone (aiohttp, the dictionary, small requests parsed in place; large
# bodies are streamed to disk, and parsing, extraction and rendering run in workers).
SERVER_BOUND_MB = 500
WORDS = ("detente peninsula summit sanctions allies working group ambassador minister "
         "restructure reiterate dissonance subservience liaison diplomatic negotiation limbo "
         "affirm validity pursue independent cooperation proposal consultative spokesperson "
         "environment secure stable important role phrase rejection statement agreement").split()


@dataclass
class Result:
    kind: str
    status: int  # 0 for a connection error, -1 for a time-out
    seconds: float
    ok: bool
    note: str = ""
    finished: float = 0.0  # seconds from the start of the run, set when it is answered
    retry_after: int = 0


@dataclass
class Memory:
    peak_total_kb: int = 0  # PSS of the whole tree
    peak_server_kb: int = 0  # RSS of the server process
    peak_worker_kb: int = 0  # RSS of the largest worker
    peak_workers_kb: int = 0  # RSS of all workers together
    peak_processes: int = 0
    samples: list[int] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """Every descendant of `pid`, from /proc (the forkserver and its render workers)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def direct_children(pid: int) -> set[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return {int(p) for p in f.read().split()}
    except OSError:
        return set()


def memory_kb(pid: int, rss: bool = False) -> int:
    """Proportional set size (shared pages split between sharers), else RSS, in KiB."""
    sources = ((f"/proc/{pid}/status", "VmRSS:"),) if rss else (
        (f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:"))
    for path, key in sources:
        try:
            with open(path, encoding="ascii") as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


async def sample_memory(pid: int, memory: Memory, stop: asyncio.Event) -> None:
    while not stop.is_set():
        descendants = children(pid)
        tree = [pid, *descendants]
        total = sum(memory_kb(p) for p in tree)
        # The forkserver is the server's child; the workers are the forkserver's children.
        workers = [memory_kb(p, rss=True) for p in descendants if p not in direct_children(pid)]
        memory.samples.append(total)
        memory.peak_total_kb = max(memory.peak_total_kb, total)
        memory.peak_server_kb = max(memory.peak_server_kb, memory_kb(pid, rss=True))
        memory.peak_worker_kb = max([memory.peak_worker_kb, *workers])
        memory.peak_workers_kb = max(memory.peak_workers_kb, sum(workers))
        memory.peak_processes = max(memory.peak_processes, len(tree))
        try:
            await asyncio.wait_for(stop.wait(), 0.1)
        except asyncio.TimeoutError:
            pass


def seed_variant(i: int, extra: str = "") -> str:
    html = SEED.read_text(encoding="utf-8")
    sentence = (f"<p>Load copy {i}: the consultative body met for the {i + 1}th time, "
                f"and {WORDS[i % len(WORDS)]} was the word of the day.</p>")
    return html.replace(ANCHOR, ANCHOR + sentence + extra, 1)


def photos() -> list[bytes]:
    """PHOTOS camera-size JPEGs of noise (they compress as badly as photographs do)."""
    from PIL import Image

    rng = random.Random(7)
    out = []
    for _ in range(PHOTOS):
        pixels = rng.randbytes(PHOTO_SIZE[0] * PHOTO_SIZE[1] * 3)
        buffer = io.BytesIO()
        Image.frombytes("RGB", PHOTO_SIZE, pixels).save(buffer, "JPEG", quality=85)
        out.append(buffer.getvalue())
    return out


@dataclass
class Body:
    """A request body sent in parts, so that 50 bodies of 7-23 MiB share their big strings."""
    parts: list[bytes]

    @property
    def size(self) -> int:
        return sum(len(p) for p in self.parts)

    async def stream(self):
        for part in self.parts:
            for start in range(0, len(part), 256 * 1024):
                yield part[start:start + 256 * 1024]


def heavy_bodies(n: int) -> list[Body]:
    """n distinct heavy prints: long page text and PHOTOS photographs each; every tenth
    carries a PERCENT_IMAGE_MB `%00`-encoded data: URI instead of the photographs."""
    encoded = [base64.b64encode(p) for p in photos()]
    percent = b"%00" * (PERCENT_IMAGE_MB * 1024 * 1024 // 3)
    extra_text = "".join(f"<p>Paragraph {k} of the long report: {' '.join(WORDS)}.</p>" for k in range(150))
    bodies = []
    for i in range(n):
        urls = [f"https://koreajoongangdaily.joins.com/images/load/{i}-{k}.jpg" for k in range(PHOTOS)]
        figures = "".join(f'<figure><img src="{u}" alt="photo {k}"><figcaption>Photo {k}</figcaption></figure>'
                          for k, u in enumerate(urls))
        html = seed_variant(i, extra_text + figures)
        head = json.dumps({"url": f"{SEED_URL}?heavy={i}", "html": html})[:-1].encode() + b', "images": {'
        parts = [head]
        if i % 10 == 9:
            parts += [json.dumps(urls[0]).encode(), b': "data:image/png,', percent, b'"']
        else:
            for k, (url, data) in enumerate(zip(urls, encoded)):
                parts += [b", " if k else b"", json.dumps(url).encode(), b': "data:image/jpeg;base64,', data, b'"']
        parts.append(b"}}")
        bodies.append(Body(parts))
    return bodies


async def one_print(session: aiohttp.ClientSession, base: str, body: Body, retry: bool = False) -> Result:
    """One print; with `retry`, a 503 is retried after its Retry-After until it is served."""
    started = time.perf_counter()
    attempts = 0
    while True:
        result = await _print_once(session, base, body, started)
        attempts += 1
        if not (retry and result.status == 503 and result.ok):
            result.note = result.note or f"{attempts} attempts"
            return result
        await asyncio.sleep(float(result.retry_after))


async def _print_once(session: aiohttp.ClientSession, base: str, body: Body, started: float) -> Result:
    try:
        async with session.post(f"{base}/api/print", data=body.stream(),
                                headers={"Content-Type": "application/json",
                                         "Content-Length": str(body.size)}) as resp:
            data = await resp.read()
            seconds = time.perf_counter() - started
            if resp.status == 200:
                ok = resp.content_type == "application/pdf" and data.startswith(b"%PDF-")
                return Result("print", 200, seconds, ok, "" if ok else "200 without a PDF")
            if resp.status == 503:
                retry_after = resp.headers.get("Retry-After", "")
                ok = retry_after.isdigit()
                return Result("print", 503, seconds, ok, "" if ok else "503 without Retry-After",
                              retry_after=int(retry_after) if ok else 0)
            if resp.status == 413:  # an image or document over a limit: allowed, said as a problem
                ok = resp.content_type == "application/problem+json"
                return Result("print", 413, seconds, ok, data[:200].decode("utf-8", "replace"))
            return Result("print", resp.status, seconds, False, data[:200].decode("utf-8", "replace"))
    except asyncio.TimeoutError:
        return Result("print", -1, time.perf_counter() - started, False, "no answer in time")
    except aiohttp.ClientError as error:
        return Result("print", 0, time.perf_counter() - started, False, f"lost: {error!r}")


async def one_lookup(session: aiohttp.ClientSession, base: str, word: str, gate: asyncio.Semaphore) -> Result:
    async with gate:
        started = time.perf_counter()
        try:
            async with session.get(f"{base}/api/define",
                                   params={"q": word, "context": f"They spoke of {word} at the summit."}) as resp:
                data = await resp.read()
                seconds = time.perf_counter() - started
                if resp.status == 200:
                    ok = resp.content_type == "application/json" and data.startswith(b"{")
                elif resp.status == 404:
                    ok = resp.content_type == "application/problem+json"
                elif resp.status == 503:
                    ok = resp.headers.get("Retry-After", "").isdigit()
                else:
                    ok = False
                return Result("define", resp.status, seconds, ok, "" if ok else data[:200].decode("utf-8", "replace"))
        except asyncio.TimeoutError:
            return Result("define", -1, time.perf_counter() - started, False, "no answer in time")
        except aiohttp.ClientError as error:
            return Result("define", 0, time.perf_counter() - started, False, f"lost: {error!r}")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(kind: str, results: list[Result]) -> None:
    if not results:
        return
    wall = max(r.finished for r in results)  # from the start of the run to this kind's last answer
    statuses = Counter(r.status for r in results)
    answered = [r.seconds for r in results if r.status > 0]
    served = [r.seconds for r in results if r.status == 200]
    print(f"{kind}: {len(results)} requests, statuses {dict(sorted(statuses.items()))}, "
          f"failed checks {sum(not r.ok for r in results)}")
    print(f"  throughput {len(results) / wall:.1f} answers/s, {len(served) / wall:.2f} served (200)/s over {wall:.1f} s")
    print(f"  latency of all answers  p50 {percentile(answered, 50) * 1000:.0f} ms  p99 {percentile(answered, 99) * 1000:.0f} ms")
    if served:
        print(f"  latency of 200 answers  p50 {percentile(served, 50) * 1000:.0f} ms  p99 {percentile(served, 99) * 1000:.0f} ms")
    busy = [r.seconds for r in results if r.status == 503]
    if busy:
        print(f"  latency of 503 answers  p50 {percentile(busy, 50) * 1000:.0f} ms  p99 {percentile(busy, 99) * 1000:.0f} ms")
    attempts = [int(r.note.split()[0]) for r in results if r.note.endswith(" attempts")]
    if attempts and max(attempts) > 1:
        print(f"  attempts per request (503 then retried after Retry-After): max {max(attempts)}, "
              f"total {sum(attempts)}")
    for r in [r for r in results if not r.ok][:5]:
        print(f"  failure: status {r.status} after {r.seconds:.1f} s: {r.note}")


async def has_define(session: aiohttp.ClientSession, base: str) -> bool:
    async with session.get(f"{base}/api/define", params={"q": "detente"}) as resp:
        body = await resp.text()
        # An unknown route answers aiohttp's own 404; a missing word answers a problem with a detail.
        return not (resp.status == 404 and '"Not Found"' in body)


def peak_rss_kb(pid: int) -> int:
    """The process's high-water mark of resident memory (VmHWM): no spike escapes it."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0


async def ordinary_print(session: aiohttp.ClientSession, base: str, i: int) -> float:
    """Seconds for one ordinary print (the seed article and its photograph, never cached)."""
    image = "data:image/jpeg;base64," + base64.b64encode(SEED_IMAGE.read_bytes()).decode()
    body = {"url": f"{SEED_URL}?ordinary={i}", "html": seed_variant(100_000 + i), "images": {SEED_IMAGE_URL: image}}
    started = time.perf_counter()
    async with session.post(f"{base}/api/print", json=body) as resp:
        await resp.read()
        if resp.status != 200:
            raise RuntimeError(f"an ordinary print was answered {resp.status}")
    return time.perf_counter() - started


async def isolation(session: aiohttp.ClientSession, base: str) -> tuple[float, float, bool]:
    """(median idle seconds, median seconds with two span pages in flight, both still in flight)."""
    await ordinary_print(session, base, -1)  # the first print of a worker warms caches: not timed
    idle = [await ordinary_print(session, base, i) for i in range(ISOLATION_SAMPLES)]
    spans = "<p>" + "<span>word</span> " * SPANS + "</p>"

    async def hog(i: int) -> None:
        async with session.post(f"{base}/api/print", json={"url": f"{SEED_URL}?spans={i}",
                                                           "html": seed_variant(200_000 + i, spans)}) as resp:
            await resp.read()
    hogs = [asyncio.create_task(hog(i)) for i in range(2)]
    await asyncio.sleep(2)  # as in the report: the ordinary print comes 2 s after them
    busy = [await ordinary_print(session, base, ISOLATION_SAMPLES + i) for i in range(ISOLATION_SAMPLES)]
    in_flight = not any(h.done() for h in hogs)
    for h in hogs:  # their clients leave: the server stops their work
        h.cancel()
    await asyncio.gather(*hogs, return_exceptions=True)
    return statistics.median(idle), statistics.median(busy), in_flight


async def run(base: str, pid: int, n_prints: int, n_lookups: int, retry: bool, temporary: Path) -> bool:
    memory = Memory()
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(pid, memory, stop))
    await asyncio.sleep(0.5)
    idle_kb = memory.peak_total_kb
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=0)  # the server, not the client, is what bounds the load
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        define_there = await has_define(session, base)
        idle_s, busy_s, hogs_in_flight = await isolation(session, base)
        await asyncio.sleep(5)  # the stopped hogs' workers are replaced
        bodies = heavy_bodies(n_prints)
        gate = asyncio.Semaphore(LOOKUP_CONCURRENCY)
        started = time.perf_counter()

        async def timed(job) -> Result:
            result = await job
            result.finished = time.perf_counter() - started
            return result
        prints = [asyncio.create_task(timed(one_print(session, base, b, retry))) for b in bodies]
        lookups = ([asyncio.create_task(timed(one_lookup(session, base, WORDS[i % len(WORDS)], gate)))
                    for i in range(n_lookups)] if define_there else [])
        done, pending = await asyncio.wait([*prints, *lookups], timeout=RUN_TIMEOUT)
        wall = time.perf_counter() - started
        for task in pending:
            task.cancel()
    stop.set()
    await sampler
    server_hwm_kb = peak_rss_kb(pid)
    await asyncio.sleep(2)  # workers stopped at the end of the run are being removed
    after_run = temporary_report(temporary, pid)

    ratio = busy_s / idle_s
    print(f"gloss load test against {base} (server pid {pid})")
    print(f"isolation: ordinary print p50 {idle_s * 1000:.0f} ms idle, {busy_s * 1000:.0f} ms with two "
          f"{SPANS:,}-span pages in flight{'' if hogs_in_flight else ' (they had ended: not a valid sample)'}: "
          f"ratio {ratio:.2f} (goal <= {ISOLATION_GOAL:g}: {'met' if ratio <= ISOLATION_GOAL else 'NOT met'})")
    sizes = sorted(b.size for b in bodies)
    print(f"load: {len(bodies)} heavy prints ({sizes[0] / 2**20:.1f}-{sizes[-1] / 2**20:.1f} MiB each, "
          f"{sum(sizes) / 2**20:.0f} MiB in all) and {n_lookups} look-ups at once, {wall:.1f} s wall")
    print_results = [t.result() for t in prints if t in done]
    lookup_results = [t.result() for t in lookups if t in done]
    report("print", print_results)
    if define_there:
        report("define", lookup_results)
    else:
        print("define: skipped, /api/define is not served by this build")
    server_mb = max(memory.peak_server_kb, server_hwm_kb) / 1024
    print(f"memory: server process peak {server_mb:.0f} MiB RSS (bound {SERVER_BOUND_MB} MiB); workers: largest "
          f"{memory.peak_worker_kb / 1024:.0f} MiB RSS, all together {memory.peak_workers_kb / 1024:.0f} MiB; "
          f"whole tree ({memory.peak_processes} processes at most) idle {idle_kb / 1024:.0f} MiB PSS, "
          f"peak {memory.peak_total_kb / 1024:.0f} MiB PSS")
    lost = len(pending)
    print(f"unanswered when the run ended: {lost}")
    print(f"temporary directory after the load run: {after_run[1]}")
    return (lost == 0 and all(r.ok for r in print_results + lookup_results) and server_mb <= SERVER_BOUND_MB
            and after_run[0])


def temporary_report(temporary: Path, pid: int) -> tuple[bool, str]:
    """(clean, description): no spooled body left, and one folder per live worker at most."""
    if not temporary.is_dir():
        return True, "not watched"
    bodies = [p for p in temporary.rglob("body-*")]
    worker_dirs = [p for p in temporary.rglob("worker-*") if p.is_dir()]
    live = len([p for p in children(pid) if p not in direct_children(pid)])
    clean = not bodies and len(worker_dirs) <= live
    return clean, (f"{len(bodies)} spooled bodies, {len(worker_dirs)} worker folders for {live} live workers"
                   f" ({'clean' if clean else 'NOT clean'})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prints", type=int, default=N_PRINTS, help="heavy prints sent at once")
    parser.add_argument("--lookups", type=int, default=N_LOOKUPS)
    parser.add_argument("--retry", action="store_true",
                        help="clients honour Retry-After and try again until served (shows sustained PDF throughput)")
    args = parser.parse_args()
    port = free_port()
    temporary = Path(tempfile.mkdtemp(prefix="gloss-load-"))
    env = {**os.environ, "GLOSS_HOST": "127.0.0.1", "GLOSS_PORT": str(port), "TMPDIR": str(temporary)}
    env.pop("GLOSS_TOKEN", None)
    server = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    ok = False
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    print("gloss serve did not start", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        time.sleep(3)  # the render workers do a warm-up render after the server answers
        ok = asyncio.run(run(base, server.pid, args.prints, args.lookups, args.retry, temporary))
    finally:
        server.send_signal(signal.SIGTERM)  # a clean shutdown, as an operator stops it
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            ok = False
        left = sorted(str(p.relative_to(temporary)) for p in temporary.rglob("*"))
        print(f"temporary directory after shutdown: {len(left)} entries"
              + (f" ({', '.join(left[:5])}{'...' if len(left) > 5 else ''})" if left else " (empty)"))
        ok = ok and not left
        shutil.rmtree(temporary, ignore_errors=True)
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
