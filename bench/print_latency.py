#!/usr/bin/env python3
"""Print latency benchmark: `make bench-print`.

Starts `gloss serve` itself (one render worker, so requests never queue behind each
other, and the server's own image fetching off: the pages' images are on the internet,
which a benchmark must not depend on). For every page in bench/extraction/pages (at the
URL ground-truth.json gives it) it posts the page to /api/preview, then to /api/print,
timing the print as a client sees it (HTTP, extraction, typesetting, render, transfer).
In the same run a separate, warmed-up process renders that very preview HTML with bare
WeasyPrint (one plain render with the worker's URL fetcher, fonts and PDF/UA variant, no
pipeline around it), once tagged and once untagged. Pages without an article (422) are skipped.

Prints: pages printed/skipped, median and p95 /api/print latency, the median bare
render, the median ratio print/bare (goal <= 1.3), the cost of PDF/UA tagging, and the
latency of repeated requests answered from the cache (goal <= 10 ms), for the page of
median size and for the biggest page. Requests go over one kept-alive connection, as
the extension's would. Print and bare render alternate in order.

It also reads the measure back from the PDFs (tests/pdf_layout.py: characters per full
line of running text, a justified line that reaches the right edge of the text block),
at A4 from the timed print and at Letter from one more, untimed print of the same page:
prints the median over the pages with at least MIN_FULL_LINES full lines (goal 60-75).

Usage: bench/print_latency.py [--limit N] [--cached-repeats N] [--out PATH]
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import pdf_layout  # noqa: E402 - the tests' reader of printed pages, after the path is set

DATA = ROOT / "bench" / "extraction"
# A page with fewer full lines than this (a short article, mostly a table) says little
# about the measure.
MIN_FULL_LINES = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One kept-alive HTTP connection, as a browser extension holds one to the server."""

    def __init__(self, base: str) -> None:
        self.host, port = base.removeprefix("http://").split(":")
        self.port = int(port)
        self.conn: http.client.HTTPConnection | None = None

    def post(self, path: str, body: bytes) -> tuple[int, bytes, float, float]:
        """Status, body, seconds as the client saw them, and the server's render time (Server-Timing)."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
            self.conn.connect()
        started = time.perf_counter()
        try:
            self.conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
            resp = self.conn.getresponse()
            data = resp.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = None
            raise
        elapsed = time.perf_counter() - started
        timing = resp.getheader("Server-Timing", "")
        render = float(timing.split("dur=")[1]) / 1000 if "dur=" in timing else 0.0
        return resp.status, data, elapsed, render


def bare_renderer(conn, memory_mb: int) -> None:
    """A process like a render worker: same limits, same warm-up, the worker's fetcher and
    font configuration; times one plain WeasyPrint render (one layout: none of the
    renderer's own work, such as a second layout that lets text go on before a figure)."""
    from weasyprint import HTML

    from server.printing import worker

    worker.cap_address_space(memory_mb)
    worker.install_pillow_limits()
    font_config = worker.GlossFonts()
    worker.warm_up(font_config)
    conn.send("ready")
    while (job := conn.recv()) is not None:
        html, variant = job
        started = time.perf_counter()
        try:
            HTML(string=html, url_fetcher=worker.LockedFetcher(), media_type="print").write_pdf(
                font_config=font_config, pdf_variant=variant)
            conn.send(time.perf_counter() - started)
        except Exception as error:  # reported, the page then counts as failed
            conn.send(f"{type(error).__name__}: {error}")


def bare_renders(conn, preview: bytes, untagged_first: bool) -> dict[str, float | str]:
    """The bare render time of the preview HTML, tagged (as the server renders) and untagged."""
    timings: dict[str, float | str] = {}
    order = [("bare", "pdf/ua-1"), ("untagged", None)]
    for name, variant in (order[::-1] if untagged_first else order):
        conn.send((preview.decode("utf-8"), variant))
        timings[name] = conn.recv()
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--cached-repeats", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "print-latency.json")
    args = parser.parse_args()

    from server.settings import Settings

    memory_mb = Settings.from_env().render_memory_mb
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    page_ids = sorted(truth)[: args.limit or None]

    port = free_port()
    env = {**os.environ, "GLOSS_HOST": "127.0.0.1", "GLOSS_PORT": str(port), "GLOSS_RENDER_WORKERS": "1",
           "GLOSS_PRINT_FETCH_IMAGES": "0", "GLOSS_CACHE_ENTRIES": "256", "GLOSS_RENDER_TIMEOUT": "120"}
    server = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    bare = ctx.Process(target=bare_renderer, args=(child, memory_mb), daemon=True)
    bare.start()
    base = f"http://127.0.0.1:{port}"
    rows: list[dict] = []
    skipped: list[str] = []
    failed: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gloss serve did not start") from None
                time.sleep(0.2)
        parent.recv()  # the bare renderer is warm
        client = Client(base)
        seed = (ROOT / "tests" / "fixtures" / "seed-article.html").read_text(encoding="utf-8")
        warm = json.dumps({"url": "https://koreajoongangdaily.joins.com/warm-up", "html": seed}).encode()
        client.post("/api/print", warm)  # the server's worker is warm too

        for n, page_id in enumerate(page_ids, start=1):
            html = gzip.decompress((DATA / "pages" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
            body = json.dumps({"url": truth[page_id]["url"], "html": html}).encode()
            status, preview, _, _ = client.post("/api/preview", body)
            if status == 422:
                skipped.append(page_id)
                continue
            if status != 200:
                failed.append(f"{page_id}: preview {status} {preview[:200]!r}")
                continue
            # Alternate which goes first, so neither gains from caches the other warmed.
            timings = {}
            if n % 2:
                status, pdf, print_s, render_s = client.post("/api/print", body)
                timings.update(bare_renders(parent, preview, untagged_first=n % 4 < 2))
            else:
                timings.update(bare_renders(parent, preview, untagged_first=n % 4 < 2))
                status, pdf, print_s, render_s = client.post("/api/print", body)
            if status != 200 or not pdf.startswith(b"%PDF-"):
                failed.append(f"{page_id}: print {status} {pdf[:200]!r}")
                continue
            if not all(isinstance(v, float) for v in timings.values()):
                failed.append(f"{page_id}: bare render {timings}")
                continue
            measures = {"A4": pdf_layout.full_lines(pdf)}
            letter = json.dumps({"url": truth[page_id]["url"], "html": html, "options": {"page_size": "Letter"}})
            status, letter_pdf, _, _ = client.post("/api/print", letter.encode())
            measures["Letter"] = pdf_layout.full_lines(letter_pdf) if status == 200 else []
            rows.append({"page": page_id, "print_s": print_s, "render_s": render_s, "bare_s": timings["bare"],
                         "untagged_s": timings["untagged"], "pdf_bytes": len(pdf), "html_bytes": len(html),
                         **{f"measure_{size}": statistics.median(len(line.text) for line in lines)
                            for size, lines in measures.items() if len(lines) >= MIN_FULL_LINES}})
            print(f"[{n}/{len(page_ids)}] {page_id[:12]} print {print_s * 1000:7.0f} ms  "
                  f"(render {render_s * 1000:5.0f})  bare {timings['bare'] * 1000:7.0f} ms  ratio {print_s / timings['bare']:.2f}", flush=True)

        # Repeats answered from the cache: a page of median size and the biggest page.
        cached: dict[str, list[float]] = {}
        if rows:
            sizes = sorted((r["html_bytes"], r["page"]) for r in rows)
            for label, (_, page_id) in (("median-size page", sizes[len(sizes) // 2]), ("largest page", sizes[-1])):
                html = gzip.decompress((DATA / "pages" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
                body = json.dumps({"url": truth[page_id]["url"], "html": html}).encode()
                label = f"{label}, {len(body) // 1024} KiB request"
                cached[label] = []
                for _ in range(args.cached_repeats):
                    status, _, seconds, _ = client.post("/api/print", body)
                    if status == 200:
                        cached[label].append(seconds)
    finally:
        parent.send(None)
        bare.join(5)
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()

    if not rows:
        print("no page printed", file=sys.stderr)
        return 1
    prints = [r["print_s"] for r in rows]
    ratios = [r["print_s"] / r["bare_s"] for r in rows]
    tagging = [r["bare_s"] / r["untagged_s"] for r in rows]
    summary = {
        "pages": len(page_ids), "printed": len(rows), "skipped": len(skipped), "failed": len(failed),
        "print_median_ms": statistics.median(prints) * 1000, "print_p95_ms": percentile(prints, 0.95) * 1000,
        "bare_median_ms": statistics.median(r["bare_s"] for r in rows) * 1000,
        "server_render_median_ms": statistics.median(r["render_s"] for r in rows) * 1000,
        "ratio_median": statistics.median(ratios),
        **{f"measure_{size}_median": statistics.median(r[f"measure_{size}"] for r in rows if f"measure_{size}" in r)
           for size in ("A4", "Letter") if any(f"measure_{size}" in r for r in rows)},
        **{f"measure_{size}_pages": sum(f"measure_{size}" in r for r in rows) for size in ("A4", "Letter")},
        "tagging_cost_median": statistics.median(tagging),
        "cached_median_ms": {k: statistics.median(v) * 1000 for k, v in cached.items() if v},
        "cached_max_ms": {k: max(v) * 1000 for k, v in cached.items() if v},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"summary": summary, "rows": rows, "skipped": skipped, "failed": failed},
                                   indent=1), encoding="utf-8")
    for line in failed:
        print("FAILED", line, file=sys.stderr)
    print(f"pages {len(page_ids)}: printed {len(rows)}, skipped (no article) {len(skipped)}, failed {len(failed)}")
    print(f"/api/print latency: median {summary['print_median_ms']:.0f} ms, p95 {summary['print_p95_ms']:.0f} ms")
    print(f"bare WeasyPrint render of the same preview HTML: median {summary['bare_median_ms']:.0f} ms "
          f"(the server's worker, inside WeasyPrint: median {summary['server_render_median_ms']:.0f} ms)")
    print(f"median ratio print/bare: {summary['ratio_median']:.3f} (goal <= 1.3)")
    for size in ("A4", "Letter"):
        if f"measure_{size}_median" in summary:
            print(f"measure at {size}: median {summary[f'measure_{size}_median']:.0f} characters per full line "
                  f"over {summary[f'measure_{size}_pages']} pages (goal 60-75)")
    print(f"PDF/UA tagging: tagged/untagged bare render median {summary['tagging_cost_median']:.3f}")
    for label, values in cached.items():
        if values:
            print(f"cached repeat ({label}, {len(values)}x): median {statistics.median(values) * 1000:.1f} ms, "
                  f"max {max(values) * 1000:.1f} ms (goal <= 10 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
