"""Admission control for print jobs: `with gate.admit(): <the whole job>`, or Busy (503) at once.

    gate = PrintGate(limit, workers)       # limit = render_workers + render_queue
    with gate.admit():                     # raises Busy (503 + Retry-After) when `limit` jobs run
        ...fetch, extract, typeset, render...

A print or preview takes one slot for its whole life, from fetching the page to the
render's answer, so that work (threads extracting, bodies held, renders queued) is bounded
by `limit` however many requests arrive. A request beyond it is refused before any of
that work starts. The slot is given back however the job ends: an answer, an error, or
the task being cancelled. Everything runs on the event loop's thread, so a plain counter
is exact.

Retry-After is an estimate of when a slot is likely to be free again: the time the jobs
in flight need to drain through `workers` renderers, from a running mean of how long
admitted jobs took.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator

from server.errors import Busy

# Mean job time assumed before any job has finished, in seconds.
INITIAL_JOB_SECONDS = 1.0
# Weight of the newest job in the running mean: recent load counts most.
SMOOTHING = 0.2
# Retry-After stays within these bounds whatever the estimate says.
MIN_RETRY_AFTER, MAX_RETRY_AFTER = 1, 120


class PrintGate:
    def __init__(self, limit: int, workers: int = 1) -> None:
        self.limit = max(1, limit)
        self.workers = max(1, workers)
        self.in_flight = 0
        self.refused = 0
        self.job_seconds = INITIAL_JOB_SECONDS

    def retry_after(self) -> int:
        """Seconds after which a retry is likely to be admitted."""
        estimate = math.ceil(self.job_seconds * self.in_flight / self.workers)
        return min(MAX_RETRY_AFTER, max(MIN_RETRY_AFTER, estimate))

    @contextlib.contextmanager
    def admit(self) -> Iterator[None]:
        if self.in_flight >= self.limit:
            self.refused += 1
            raise Busy(f"The server is working on {self.in_flight} prints, as many as it takes at once; "
                       "try again shortly.", retry_after=self.retry_after())
        self.in_flight += 1
        started = time.monotonic()
        try:
            yield
        finally:
            # `finally`: an error or a cancellation gives the slot back as surely as an answer.
            self.in_flight -= 1
            self.job_seconds += SMOOTHING * (time.monotonic() - started - self.job_seconds)
