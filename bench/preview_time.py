#!/usr/bin/env python3
"""Preview CPU benchmark: `make bench-preview`.

Runs `server.printing.pipeline.preview` (extraction, image selection, typesetting: the
HTML a print renders) in this process over every page of bench/extraction/pages, and
times each with `time.process_time` (CPU time of this process: the machine is shared,
and this work is pure CPU). Every picture the article shows is answered by a local
fetcher with a 1x1 PNG, as if the extension had sent its bytes, so the image path runs
too. In the same run it times extraction alone (`extract_article`) on the same page, the
peer that shows what typesetting adds. With `--glossary` every page is also previewed
with `options.glossary = "auto"` (the dictionary's look-ups included).

Prints, over the pages with an article: the median and total CPU seconds of a preview,
of extraction alone, and their difference (pipeline + typesetting).

Usage: bench/preview_time.py [--limit N] [--repeat N] [--glossary]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.article.extract import extract_article  # noqa: E402
from server.article.model import Page  # noqa: E402
from server.errors import GlossError  # noqa: E402
from server.printing.options import PrintOptions  # noqa: E402
from server.printing.pipeline import PrintRequest, preview  # noqa: E402

DATA = ROOT / "bench" / "extraction"
# A 1x1 PNG standing for every picture's bytes (the pipeline, not pixels, is timed).
PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
         "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


class PixelFetcher:
    """Answers every image with the same tiny PNG; pages come from the request."""

    async def fetch_page(self, url: str) -> Page:
        raise GlossError(f"the benchmark fetches no pages: {url}")

    async def fetch_image(self, url: str) -> str:
        return PIXEL


def cpu(work) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page; the fastest counts")
    parser.add_argument("--glossary", action="store_true", help="also preview with glossary=auto")
    args = parser.parse_args()

    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[: args.limit or None]
    modes = {"plain": PrintOptions()}
    dictionary = None
    if args.glossary:
        from server.dictionary.lookup import Dictionary
        from server.dictionary.store import Store
        from server.settings import Settings

        dictionary = Dictionary(Store(Settings.from_env().dictionary_path))
        modes["glossary"] = PrintOptions(glossary="auto")
    fetcher = PixelFetcher()
    times: dict[str, list[float]] = {"extract": [], **{m: [] for m in modes}}
    skipped = 0
    for page_id in ids:
        html = gzip.decompress((DATA / "pages" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        url = truth[page_id].get("url") or f"https://bench.example/{page_id}"
        try:
            extract_article(Page(url=url, html=html))
        except GlossError:
            skipped += 1
            continue
        times["extract"].append(min(cpu(lambda: extract_article(Page(url=url, html=html)))
                                    for _ in range(args.repeat)))
        for mode, options in modes.items():
            request = PrintRequest(url=url, options=options, html=html)
            run = lambda: asyncio.run(preview(request, fetcher, dictionary=dictionary))  # noqa: E731
            times[mode].append(min(cpu(run) for _ in range(args.repeat)))

    print(f"pages: {len(times['extract'])} with an article, {skipped} skipped; "
          f"CPU seconds (time.process_time), fastest of {args.repeat} per page")
    print(f"{'':28} {'median ms':>10} {'total s':>9}")
    rows = [("extraction alone", times["extract"])]
    for mode in modes:
        rows.append((f"preview ({mode})", times[mode]))
        rows.append(("  preview - extraction", [p - e for p, e in zip(times[mode], times["extract"])]))
    for name, values in rows:
        print(f"{name:28} {statistics.median(values) * 1000:10.1f} {sum(values):9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
