"""Which job queue on Redis: `python bench/queues.py [--only arq|dramatiq|taskiq]`.

The render queue needed a library; this measures the candidates on the same Debian
redis-server (a free loopback port), each with one worker process and a no-op job, so
what is measured is the queue itself: the round trip from enqueueing a job to holding
its result, one job at a time (p50/p99 over 200 jobs), and throughput with 16 jobs in
flight (500 jobs). Each library is used the way its documentation shows, with result
polling tightened to 5 ms where it polls. A library not installed in the interpreter
running the script is skipped (taskiq-redis needs redis-py 8, arq needs redis-py < 6,
so taskiq is measured from a separate virtual environment).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROUND_TRIPS = 200
THROUGHPUT_JOBS = 500
IN_FLIGHT = 16

WORKERS = {
    "arq": """
        from arq.connections import RedisSettings
        from arq.worker import Worker, func
        async def noop(ctx, x):
            return x
        Worker(functions=[func(noop, name="noop")], redis_settings=RedisSettings.from_dsn(URL),
               poll_delay=0.005, max_jobs=16).run()
    """,
    "dramatiq": """
        import dramatiq
        from dramatiq.brokers.redis import RedisBroker
        from dramatiq.results import Results
        from dramatiq.results.backends import RedisBackend
        broker = RedisBroker(url=URL)
        broker.add_middleware(Results(backend=RedisBackend(url=URL)))
        dramatiq.set_broker(broker)
        @dramatiq.actor(store_results=True)
        def noop(x):
            return x
    """,
    "taskiq": """
        from taskiq_redis import ListQueueBroker, RedisAsyncResultBackend
        broker = ListQueueBroker(URL).with_result_backend(RedisAsyncResultBackend(URL))
        @broker.task
        async def noop(x):
            return x
    """,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def available(name: str) -> bool:
    modules = {"arq": ["arq"], "dramatiq": ["dramatiq", "redis"], "taskiq": ["taskiq", "taskiq_redis"]}[name]
    try:
        for module in modules:
            __import__(module)
    except ImportError:
        return False
    return True


def start_worker(name: str, url: str, folder: Path) -> subprocess.Popen:
    module = folder / f"queue_{name}.py"
    module.write_text(f"URL = {url!r}\n" + textwrap.dedent(WORKERS[name]), encoding="utf-8")
    command = {
        "arq": [sys.executable, str(module)],
        "dramatiq": [sys.executable, "-m", "dramatiq", f"queue_{name}", "--processes", "1", "--threads", "16"],
        "taskiq": [sys.executable, "-m", "taskiq", "worker", f"queue_{name}:broker", "--workers", "1"],
    }[name]
    return subprocess.Popen(command, cwd=folder, env={**os.environ, "PYTHONPATH": str(folder)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


async def measure_arq(url: str) -> tuple[list[float], float]:
    from arq.connections import ArqRedis

    redis = ArqRedis.from_url(url)

    async def one(i: int) -> float:
        started = time.perf_counter()
        job = await redis.enqueue_job("noop", i)
        assert await job.result(timeout=30, poll_delay=0.005) == i
        return time.perf_counter() - started
    return await _run_async(one)


async def measure_taskiq(url: str, folder: Path) -> tuple[list[float], float]:
    sys.path.insert(0, str(folder))
    module = __import__("queue_taskiq")
    await module.broker.startup()

    async def one(i: int) -> float:
        started = time.perf_counter()
        task = await module.noop.kiq(i)
        result = await task.wait_result(check_interval=0.005, timeout=30)
        assert result.return_value == i
        return time.perf_counter() - started
    try:
        return await _run_async(one)
    finally:
        await module.broker.shutdown()


async def _run_async(one) -> tuple[list[float], float]:
    for i in range(20):  # warm-up
        await one(i)
    latencies = [await one(i) for i in range(ROUND_TRIPS)]
    numbers = iter(range(THROUGHPUT_JOBS))

    async def client() -> None:
        for i in numbers:
            await one(i)
    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(IN_FLIGHT)))
    return latencies, THROUGHPUT_JOBS / (time.perf_counter() - started)


def measure_dramatiq(url: str, folder: Path) -> tuple[list[float], float]:
    sys.path.insert(0, str(folder))
    module = __import__("queue_dramatiq")
    backend = module.broker.get_results_backend() if hasattr(module.broker, "get_results_backend") else None
    backend = backend or next(m.backend for m in module.broker.middleware if type(m).__name__ == "Results")

    def one(i: int) -> float:
        started = time.perf_counter()
        message = module.noop.send(i)
        assert message.get_result(backend=backend, block=True, timeout=30_000) == i
        return time.perf_counter() - started
    for i in range(20):
        one(i)
    latencies = [one(i) for i in range(ROUND_TRIPS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(IN_FLIGHT) as pool:
        list(pool.map(one, range(THROUGHPUT_JOBS)))
    return latencies, THROUGHPUT_JOBS / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(WORKERS))
    args = parser.parse_args()
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        print("needs redis-server (make install)", file=sys.stderr)
        return 1
    folder = Path(tempfile.mkdtemp(prefix="gloss-queues-"))
    port = free_port()
    redis = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(folder)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(0.5)
    try:
        for db, name in enumerate(sorted(WORKERS), start=1):
            if (args.only and name != args.only) or not available(name):
                print(f"{name:>9}: not installed here, skipped")
                continue
            url = f"redis://127.0.0.1:{port}/{db}"
            worker = start_worker(name, url, folder)
            try:
                time.sleep(3)  # the worker connects and starts polling
                if name == "arq":
                    latencies, rate = asyncio.run(measure_arq(url))
                elif name == "taskiq":
                    latencies, rate = asyncio.run(measure_taskiq(url, folder))
                else:
                    latencies, rate = measure_dramatiq(url, folder)
            finally:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(worker.pid, 15)
                worker.wait(timeout=20)
            ordered = sorted(latencies)
            print(f"{name:>9}: round trip p50 {statistics.median(ordered) * 1000:5.1f} ms, "
                  f"p99 {ordered[int(0.99 * (len(ordered) - 1))] * 1000:5.1f} ms; "
                  f"{rate:6.0f} jobs/s with {IN_FLIGHT} in flight")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(redis.pid, 15)
        redis.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
