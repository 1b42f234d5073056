"""Admission control for print jobs: `with gate.admit(): <the whole job>`, or Busy (503) at once.

    gate = PrintGate(limit)                # limit = render_workers + render_queue
    with gate.admit():                     # raises Busy (503 + Retry-After) when `limit` jobs run
        ...fetch, extract, typeset, render...

A print or preview takes one slot for its whole life, from fetching the page to the
render's answer, so that work (threads extracting, bodies held, renders queued) is bounded
by `limit` however many requests arrive. A request beyond it is refused before any of
that work starts. The slot is given back however the job ends: an answer, an error, or
the task being cancelled. Everything runs on the event loop's thread, so a plain counter
is exact.

Retry-After is a running mean of how long an admitted job takes, from its admission to
its answer (waiting for a thread and a render worker included): by then the jobs in
flight when the request was refused have made room. Clients refused together retry
together, so a shorter hint (one slot's worth) would only bring them back to be refused.
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
    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.in_flight = 0
        self.refused = 0
        self.job_seconds = INITIAL_JOB_SECONDS

    def retry_after(self) -> int:
        """Seconds after which a retry is likely to be admitted."""
        return min(MAX_RETRY_AFTER, max(MIN_RETRY_AFTER, math.ceil(self.job_seconds)))

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
