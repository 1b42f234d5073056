"""Scale benchmark: `make bench-scale` (or `.venv/bin/python bench/scale.py [--prints N] [--rounds R]`).

Prints through the Redis render queue against the local render pool, on this machine,
in the same run: for 1 and 2 render processes, a replica that renders itself
(`GLOSS_RENDER_WORKERS=n`, no Redis) and a replica that renders nothing
(`GLOSS_RENDER_WORKERS=0`) with n `gloss worker` processes of one render process each
behind Debian's redis-server on a free loopback port (every part on 127.0.0.1 only).

Each round sends N distinct prints (the seed article under a different address each
time, so no cache can answer) from 2n closed-loop clients to each set-up in turn, so
that other load on the shared machine hits all set-ups alike; a set-up's figures are
the median over rounds. Printed per set-up: prints per second, p50/p99 latency, and CPU
seconds per print of its whole process tree (replica, render processes, workers); then
the queue's throughput as a ratio to the local pool's (goal: >= 0.90), and how many
cores 100 prints a second would need at the measured CPU per print.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed-article.html"
START_TIMEOUT = 120.0
REQUEST_TIMEOUT = 120.0
WARM_UP = 4  # prints per set-up before timing: the first renders load fonts and caches


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of `pid` and all its descendants, from /proc."""
    total, pending, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
    return total


def wait_for(url: str, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready within {timeout}s")


@dataclass
class SetUp:
    name: str
    processes: int
    url: str
    procs: list[subprocess.Popen]
    redis_pid: int | None = None  # counted with the queue set-ups: Redis works for them
    rates: list[float] = field(default_factory=list)
    latencies: list[list[float]] = field(default_factory=list)
    cpu_per_print: list[float] = field(default_factory=list)
    # CPU per print of each part: the replica, the workers (queue only), Redis (queue only).
    parts: list[tuple[float, float, float]] = field(default_factory=list)

    def cpu(self) -> tuple[float, float, float]:
        replica = cpu_seconds(self.procs[0].pid)
        workers = sum(cpu_seconds(p.pid) for p in self.procs[1:])
        return replica, workers, cpu_seconds(self.redis_pid) if self.redis_pid else 0.0


def start(command: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    # Same session as the bench: with the kernel's autogroup scheduling, a process in a
    # session of its own gets a whole share of a busy machine, which would favour the
    # set-ups with more processes.
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "server", command], cwd=ROOT,
                                env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)


async def print_many(url: str, count: int, clients: int, tag: str) -> list[float]:
    html = SEED.read_text(encoding="utf-8")
    numbers = iter(range(count))
    latencies: list[float] = []
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async def client() -> None:
            for n in numbers:
                body = json.dumps({"url": f"https://example.com/{tag}/{n}", "html": html})
                started = time.perf_counter()
                async with session.post(url + "/api/print", data=body,
                                        headers={"Content-Type": "application/json"}) as response:
                    await response.read()
                    if response.status != 200 or response.headers.get("X-Gloss-Cache") != "miss":
                        raise RuntimeError(f"{url}: {response.status} {response.headers.get('X-Gloss-Cache')}")
                latencies.append(time.perf_counter() - started)
        await asyncio.gather(*(client() for _ in range(clients)))
    return latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prints", type=int, default=30, help="prints per set-up per round")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        print("bench-scale needs redis-server (make install)", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="gloss-scale-"))
    redis_port = free_port()
    redis = subprocess.Popen([redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(workdir)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    setups: list[SetUp] = []
    everything: list[subprocess.Popen] = [redis]
    try:
        common = {"GLOSS_HOST": "127.0.0.1", "GLOSS_CACHE_ENTRIES": "0", "GLOSS_RENDER_QUEUE": "64"}
        for n in (1, 2):
            port = free_port()
            serve = start("serve", {**common, "GLOSS_PORT": str(port), "GLOSS_RENDER_WORKERS": str(n)},
                          workdir / f"local-{n}.log")
            setups.append(SetUp(f"local pool, {n} render process{'es' if n > 1 else ''}", n,
                                f"http://127.0.0.1:{port}", [serve]))
            # Its own Redis database: the other set-up's workers cannot take its jobs.
            queue_env = {**common, "GLOSS_REDIS_URL": f"redis://127.0.0.1:{redis_port}/{n}",
                         "GLOSS_SHARED_CACHE_MAX_MB": "0"}
            port = free_port()
            serve = start("serve", {**queue_env, "GLOSS_PORT": str(port), "GLOSS_RENDER_WORKERS": "0"},
                          workdir / f"queue-{n}.log")
            workers = [start("worker", {**queue_env, "GLOSS_RENDER_WORKERS": "1"}, workdir / f"worker-{n}-{i}.log")
                       for i in range(n)]
            setups.append(SetUp(f"Redis queue, {n} gloss worker{'s' if n > 1 else ''}", n,
                                f"http://127.0.0.1:{port}", [serve, *workers], redis_pid=redis.pid))
        everything += [p for s in setups for p in s.procs]
        for setup in setups:
            wait_for(setup.url + "/readyz")
        for setup in setups:
            asyncio.run(print_many(setup.url, WARM_UP, 2 * setup.processes, f"warm-{id(setup)}"))
        for round_number in range(args.rounds):
            # Each round in another order, so that no set-up always follows the same one.
            for setup in setups[round_number % len(setups):] + setups[:round_number % len(setups)]:
                cpu_before = setup.cpu()
                started = time.perf_counter()
                latencies = asyncio.run(print_many(setup.url, args.prints, 2 * setup.processes,
                                                   f"r{round_number}-{id(setup)}"))
                wall = time.perf_counter() - started
                parts = tuple((after - before) / args.prints for after, before in zip(setup.cpu(), cpu_before,
                                                                                       strict=True))
                setup.rates.append(args.prints / wall)
                setup.latencies.append(latencies)
                setup.cpu_per_print.append(sum(parts))
                setup.parts.append(parts)
        print(f"bench-scale: {args.rounds} rounds of {args.prints} distinct prints per set-up, 2 clients per "
              f"render process, {os.cpu_count()} cores (shared); medians over rounds")
        for setup in setups:
            p50 = statistics.median(percentile(r, 0.5) for r in setup.latencies) * 1000
            p99 = statistics.median(percentile(r, 0.99) for r in setup.latencies) * 1000
            print(f"  {setup.name:<36} {statistics.median(setup.rates):5.2f} prints/s   p50 {p50:5.0f} ms   "
                  f"p99 {p99:5.0f} ms   CPU {statistics.median(setup.cpu_per_print) * 1000:4.0f} ms/print   "
                  f"(rounds: {' '.join(f'{r:.2f}' for r in setup.rates)})")
        for n in (1, 2):
            local, queue = setups[2 * (n - 1)], setups[2 * (n - 1) + 1]
            ratios = [q / lo for q, lo in zip(queue.rates, local.rates, strict=True)]
            print(f"  queue / local throughput, {n} process{'es' if n > 1 else ''}: median "
                  f"{statistics.median(ratios):.2f} (goal >= 0.90; rounds {' '.join(f'{r:.2f}' for r in ratios)})")
        for n in (1, 2):
            local, queue = setups[2 * (n - 1)], setups[2 * (n - 1) + 1]
            print(f"  CPU per print, {n} process{'es' if n > 1 else ''}: queue / local "
                  f"{statistics.median(queue.cpu_per_print) / statistics.median(local.cpu_per_print):.2f}")
        queued = [p for s in setups if "queue" in s.name for p in s.parts]
        replica, worker, redis_cpu = (statistics.median(p[i] for p in queued) for i in range(3))
        print(f"  capacity: CPU per print through the queue: replica {replica * 1000:.0f} ms, worker "
              f"{worker * 1000:.0f} ms, Redis {redis_cpu * 1000:.1f} ms -> 100 prints/s need about "
              f"{100 * worker:.1f} worker cores, {100 * replica:.1f} replica cores and "
              f"{100 * redis_cpu:.2f} of a core for Redis, at full use")
        return 0
    finally:
        for proc in everything:  # SIGTERM: each stops its own render processes
            proc.terminate()
        for proc in everything:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
