#!/usr/bin/env python3
"""Extraction benchmark: `make bench-extract`.

Extracts the article of every page in bench/extraction/pages/*.html.gz (each at the URL
ground-truth.json gives it), writes the bodies as predictions JSON under bench/results/,
then prints the line of bench/extraction/score.py (F1, precision, recall, accuracy) and
how long extraction took per page. A page where no article is found scores as empty.

Usage: bench/extract.py [--out PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.article.extract import extract_article  # noqa: E402
from server.article.model import Page  # noqa: E402
from server.errors import NoArticle  # noqa: E402

DATA = ROOT / "bench" / "extraction"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "extract-predictions.json")
    parser.add_argument("--repeat", type=int, default=1, help="extract each page N times (timing only)")
    args = parser.parse_args()

    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    predictions: dict[str, dict[str, str]] = {}
    timings: list[float] = []
    failures: list[str] = []
    for page_id in sorted(truth):
        raw = gzip.decompress((DATA / "pages" / f"{page_id}.html.gz").read_bytes())
        page = Page(url=truth[page_id]["url"], html=raw.decode("utf-8", errors="replace"))
        body = ""
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            try:
                body = extract_article(page).text
            except NoArticle:
                body = ""
            timings.append(time.perf_counter() - started)
        if not body:
            failures.append(page_id)
        predictions[page_id] = {"articleBody": body}

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(predictions, ensure_ascii=False, indent=1), encoding="utf-8")
    score = subprocess.run([sys.executable, str(DATA / "score.py"), str(args.out)],
                           capture_output=True, text=True, check=True)
    print(score.stdout.strip())
    ms = [t * 1000 for t in timings]
    print(f"extraction: mean {statistics.mean(ms):.1f} ms, median {statistics.median(ms):.1f} ms, "
          f"max {max(ms):.1f} ms per page ({len(ms)} extractions, one process)")
    if failures:
        print(f"no article found on {len(failures)} page(s): {', '.join(f[:12] for f in failures)}")
    print(f"predictions: {args.out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
