"""Real parts for the shared-service tests: Debian's redis-server, `gloss serve` and `gloss worker`
processes, each on a free loopback port, each stopped however the test ends.

    with redis_server(tmp_path) as redis:          # redis.url, redis.stop(), redis.start()
        with gloss_processes(tmp_path, ("serve", {"GLOSS_REDIS_URL": redis.url}), ("worker", {...})) as (a, w):
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.settings import PROJECT_ROOT

REDIS_SERVER = shutil.which("redis-server")
needs_redis = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed (make install)")
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


class Redis:
    """One redis-server, no persistence: a restart loses everything, as the tests want."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.directory / f"redis-{self.port}.log", "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory), "--daemonize", "no"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise TimeoutError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc, signal.SIGKILL)  # as an outage would: no goodbye to the clients

    def command(self, *words: str) -> bytes:
        """One command over a raw socket (the test's view, independent of the code under test)."""
        payload = f"*{len(words)}\r\n".encode() + b"".join(
            f"${len(w.encode())}\r\n".encode() + w.encode() + b"\r\n" for w in words)
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(payload)
            return s.recv(65536)


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[Redis]:
    redis = Redis(directory)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def wait_until(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None,
               log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what}: the process exited ({proc.returncode}):\n"
                               + (log.read_text(errors="replace")[-3000:] if log else ""))
        with contextlib.suppress(Exception):
            if predicate():
                return
        time.sleep(0.1)
    raise TimeoutError(f"{what} within {timeout}s" + ("\n" + log.read_text(errors="replace")[-3000:] if log else ""))


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Gloss:
    """`gloss serve` or `gloss worker` as a process of its own (and its own process group)."""

    def __init__(self, directory: Path, command: str, *args: str, **env: str) -> None:
        port = free_port()
        self.command, self.name = command, f"{command}-{port}"
        self.url = f"http://127.0.0.1:{port}"
        self.log = directory / f"{self.name}.log"
        environ = {**os.environ, "GLOSS_PORT": str(port), "GLOSS_HOST": "127.0.0.1", "GLOSS_LOG_FORMAT": "json",
                   **env}
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "server", command, *args], cwd=PROJECT_ROOT, env=environ,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_started(self) -> Gloss:
        """A replica answers /healthz and its pool or queue is ready; a worker has said it is listening."""
        if self.command == "serve":
            wait_until(lambda: http_status(self.url + "/healthz") == 200, START_TIMEOUT, f"{self.name} up",
                       self.proc, self.log)
        else:
            wait_until(lambda: "render processes on queue" in self.output(), START_TIMEOUT,
                       f"{self.name} started", self.proc, self.log)
        return self

    def kill(self) -> None:
        """SIGKILL to the whole group, render processes included: a machine that died."""
        _stop(self.proc, signal.SIGKILL)

    def stop(self) -> None:
        _stop(self.proc)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def gloss_processes(directory: Path, *specs: tuple) -> Iterator[list[Gloss]]:
    """Starts every (command, env[, args]) at once, waits for each, stops them all at the end."""
    started: list[Gloss] = []
    try:
        for command, env, *args in specs:
            started.append(Gloss(directory, command, *(args[0] if args else ()), **env))
        for gloss in started:
            gloss.wait_started()
        yield started
    finally:
        for gloss in started:
            gloss.stop()
