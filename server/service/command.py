"""`gloss worker`: run render processes fed from the Redis queue (see server.service.worker)."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser("worker", help="render prints from the Redis queue (needs GLOSS_REDIS_URL)")
    p.add_argument("--processes", type=int, help="render processes (env GLOSS_RENDER_WORKERS; default 2)")
    p.add_argument("--metrics-port", type=int, help="serve this worker's Prometheus metrics on GLOSS_HOST at this port")
    p.set_defaults(handler=worker)


def worker(args: argparse.Namespace) -> int:
    from server.service import logs
    from server.service.worker import run
    from server.settings import Settings

    settings = Settings.from_env(render_workers=args.processes)
    logs.configure(settings)
    return run(settings, args.metrics_port)
