"""Load test: `make bench-load` (or `.venv/bin/python bench/load.py [--prints N] [--lookups N]`).

Starts `gloss serve` on a free 127.0.0.1 port (loopback only, nothing else is
contacted), then sends at once N_PRINTS print requests for distinct pages (the seed
article with a different sentence in each, so the cache cannot answer) while N_LOOKUPS
dictionary look-ups run alongside, LOOKUP_CONCURRENCY at a time.

It checks that every request got an answer it is allowed to give, and no other:
- print: 200 application/pdf, or 503 with a Retry-After header;
- define: 200 JSON entry, 404 problem (a word it does not know), or 503 + Retry-After;
none failed, none lost (connection errors) and none left hanging (each request has a
REQUEST_TIMEOUT, the whole run a RUN_TIMEOUT). Meanwhile it samples the memory of the
server's whole process tree (the server, the forkserver, the render workers) from /proc
every 100 ms, and prints the peak against MEMORY_BOUND_MB, throughput and p50/p99
latency per kind of request. Exit status 0 when every check holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import socket
import statistics
import subprocess
import sys
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
N_PRINTS = 200
N_LOOKUPS = 2000
LOOKUP_CONCURRENCY = 50
REQUEST_TIMEOUT = 300.0  # a request not answered by then counts as hanging
RUN_TIMEOUT = 540.0  # the whole run, under the 10-minute limit of a foreground command
# The bound the server tree must stay under: the server process itself (aiohttp, the
# article parser, the dictionary, queued request bodies: 400 MiB) plus, per render
# worker, what a WeasyPrint process with fonts loaded needs for these pages (350 MiB).
# The render workers' hard cap (render_memory_mb, RLIMIT_AS) is far above that: it is
# there to stop a pathological page, not to size the machine.
SERVER_BOUND_MB = 400
WORKER_BOUND_MB = 350
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
    peak_total_kb: int = 0
    peak_server_kb: int = 0
    peak_processes: int = 0
    samples: list[int] = field(default_factory=list)


def render_workers() -> int:
    """The server's render worker count, read the way `gloss serve` reads it."""
    sys.path.insert(0, str(ROOT))
    from server.settings import Settings

    return max(1, Settings.from_env().render_workers)


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


def memory_kb(pid: int) -> int:
    """Proportional set size (shared pages split between sharers), else RSS, in KiB."""
    for path, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
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
        tree = [pid, *children(pid)]
        sizes = [memory_kb(p) for p in tree]
        total = sum(sizes)
        memory.samples.append(total)
        memory.peak_total_kb = max(memory.peak_total_kb, total)
        memory.peak_server_kb = max(memory.peak_server_kb, sizes[0])
        memory.peak_processes = max(memory.peak_processes, len(tree))
        try:
            await asyncio.wait_for(stop.wait(), 0.1)
        except asyncio.TimeoutError:
            pass


def print_bodies(n: int) -> list[dict]:
    html = SEED.read_text(encoding="utf-8")
    image = "data:image/jpeg;base64," + base64.b64encode(SEED_IMAGE.read_bytes()).decode()
    bodies = []
    for i in range(n):
        sentence = (f"<p>Load copy {i}: the consultative body met for the {i + 1}th time, "
                    f"and {WORDS[i % len(WORDS)]} was the word of the day.</p>")
        bodies.append({"url": f"{SEED_URL}?copy={i}", "html": html.replace(ANCHOR, ANCHOR + sentence, 1),
                       "images": {SEED_IMAGE_URL: image}})
    return bodies


async def one_print(session: aiohttp.ClientSession, base: str, body: dict, retry: bool = False) -> Result:
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


async def _print_once(session: aiohttp.ClientSession, base: str, body: dict, started: float) -> Result:
    try:
        async with session.post(f"{base}/api/print", json=body) as resp:
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


async def run(base: str, pid: int, n_prints: int, n_lookups: int, retry: bool) -> bool:
    memory = Memory()
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(pid, memory, stop))
    await asyncio.sleep(0.5)
    idle_kb = memory.peak_total_kb
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=0)  # the server, not the client, is what bounds the load
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        define_there = await has_define(session, base)
        bodies = print_bodies(n_prints)
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

    print_results = [t.result() for t in prints if t in done]
    lookup_results = [t.result() for t in lookups if t in done]
    print(f"gloss load test against {base} (server pid {pid}), {wall:.1f} s wall")
    report("print", print_results)
    if define_there:
        report("define", lookup_results)
    else:
        print("define: skipped, /api/define is not served by this build")
    workers = render_workers()
    bound_mb = SERVER_BOUND_MB + WORKER_BOUND_MB * workers
    peak_mb = memory.peak_total_kb / 1024
    print(f"memory (PSS of the server tree, {memory.peak_processes} processes at most): idle {idle_kb / 1024:.0f} MiB, "
          f"peak {peak_mb:.0f} MiB (server process alone {memory.peak_server_kb / 1024:.0f} MiB); "
          f"bound {bound_mb} MiB = {SERVER_BOUND_MB} + {WORKER_BOUND_MB} x {workers} render workers")
    lost = len(pending)
    ok = (lost == 0 and all(r.ok for r in print_results + lookup_results) and peak_mb <= bound_mb)
    print(f"unanswered when the run ended: {lost}")
    print("RESULT:", "PASS" if ok else "FAIL")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prints", type=int, default=N_PRINTS)
    parser.add_argument("--lookups", type=int, default=N_LOOKUPS)
    parser.add_argument("--retry", action="store_true",
                        help="clients honour Retry-After and try again until served (shows sustained PDF throughput)")
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "GLOSS_HOST": "127.0.0.1", "GLOSS_PORT": str(port)}
    env.pop("GLOSS_TOKEN", None)
    server = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
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
        return 0 if asyncio.run(run(base, server.pid, args.prints, args.lookups, args.retry)) else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
