#!/usr/bin/env python3
"""Extraction benchmark: `make bench-extract`.

Scores Gloss and its peers, in the same run and the same process, on both development
sets:

- `bench/extraction/`: 91 news and blog pages with their true body as text, scored by
  that set's own `score.py` (word 4-gram shingles, per-page normalised, averaged);
- `bench/readability-pages/`: 130 pages of Mozilla Readability's test suite with the
  expected article as HTML; its visible text (block elements on separate lines) is the
  truth, scored with the same shingle F1. Figures are given for the 96 real pages and
  for all 130 (`synthetic.txt` lists the 34 unit-test pages).

Systems: Gloss (`extract_article(...).text`), trafilatura in its recall and precision
settings (text, no comments, tables kept) and readability-lxml (its summary HTML turned
into text the same way as the expected HTML). A page where a system finds nothing scores
as empty and is counted under "empty". Per page each system runs once in turn, so the
timing ratio (Gloss's median time per page over trafilatura's) shares the machine's load;
it is given in wall-clock and in process time (which a shared machine disturbs less),
for every system (columns "median ms" and "cpu ms", and both over trafilatura recall's).
Each system is handed the page as a string and parses it itself, so each pays its own
parse.
Last, a scaling figure: Gloss's process time on a page with a paragraph of 5,000 and of
20,000 `<span>`s (linear work takes 4x the time, quadratic 16x).

`--repeat N` runs every system N times per page, in turn, and times the fastest run of
each (a steadier figure on a busy machine; the default is one run).

Usage: bench/extract.py [--set extraction|readability|both] [--only ID,ID] [--show-pages] [--no-scaling] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura
from lxml import html as lxml_html
from readability import Document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.article.extract import extract_article  # noqa: E402
from server.article.model import Page  # noqa: E402
from server.errors import NoArticle  # noqa: E402

EXTRACTION = ROOT / "bench" / "extraction"
READABILITY = ROOT / "bench" / "readability-pages"
READABILITY_URL = "http://fakehost/test/page.html"  # the address Readability's own tests give them

_spec = importlib.util.spec_from_file_location("extraction_score", EXTRACTION / "score.py")
score_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(score_module)

# Elements that start a new line when HTML is read as text (what a browser shows as a block).
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})


def html_text(fragment: str) -> str:
    """Visible text of an HTML fragment, each block on its own line."""
    if not fragment or not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIPPED_TAGS:
            return
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")
        if block:
            parts.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def gloss(html: str, url: str) -> str:
    try:
        return extract_article(Page(url=url, html=html)).text
    except NoArticle:
        return ""


def trafilatura_with(**settings) -> Callable[[str, str], str]:
    def run(html: str, url: str) -> str:
        return trafilatura.extract(html, url=url, include_comments=False, include_tables=True,
                                   deduplicate=False, **settings) or ""
    return run


def readability_lxml(html: str, url: str) -> str:
    try:
        return html_text(Document(html, url=url).summary(html_partial=True))
    except Exception:  # noqa: BLE001 - the library raises bare Exceptions on pages it cannot read
        return ""


SYSTEMS: dict[str, Callable[[str, str], str]] = {
    "gloss": gloss,
    "trafilatura recall": trafilatura_with(favor_recall=True),
    "trafilatura precision": trafilatura_with(favor_precision=True),
    "readability-lxml": readability_lxml,
}
TIME_PEER = "trafilatura recall"
TINY_SHARE = 0.25
TINY_PEER_WORDS = 50


def extraction_pages() -> list[tuple[str, str, str, str]]:
    """(set, id, url, html) with the truth in a dict kept by the caller."""
    truth = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    return [(page_id, truth[page_id]["url"],
             gzip.decompress((EXTRACTION / "pages" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace"),
             truth[page_id]["articleBody"]) for page_id in sorted(truth)]


def readability_pages() -> list[tuple[str, str, str, str]]:
    out = []
    for folder in sorted((READABILITY / "pages").iterdir()):
        html = gzip.decompress((folder / "source.html.gz").read_bytes()).decode("utf-8", "replace")
        expected = gzip.decompress((folder / "expected.html.gz").read_bytes()).decode("utf-8", "replace")
        out.append((folder.name, READABILITY_URL, html, html_text(expected)))
    return out


def synthetic_ids() -> set[str]:
    return {line.strip() for line in (READABILITY / "synthetic.txt").read_text().splitlines() if line.strip()}


def page_scores(truth: str, predicted: str) -> tuple[float | None, float | None]:
    counts = score_module.page_counts(truth, predicted)
    tp, fp, fn = counts
    p = score_module.precision(*counts) if tp + fp > 0 else None
    r = score_module.recall(*counts) if tp + fn > 0 else None
    return p, r


def f1(rows: list[tuple[float | None, float | None]]) -> tuple[float, float, float]:
    ps = [p for p, _ in rows if p is not None]
    rs = [r for _, r in rows if r is not None]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def run_set(name: str, pages, systems, subsets: dict[str, set[str] | None], show_pages: bool, repeat: int = 1):
    results = {s: {} for s in systems}
    timings = {s: [] for s in systems}
    cpu = {s: [] for s in systems}  # process time: what the shared machine's load disturbs least
    for page_id, url, html, truth in pages:
        wall_times = {s: [] for s in systems}
        cpu_times = {s: [] for s in systems}
        for _ in range(repeat):
            for system, extract in systems.items():
                started, started_cpu = time.perf_counter(), time.process_time()
                text = extract(html, url)
                wall_times[system].append(time.perf_counter() - started)
                cpu_times[system].append(time.process_time() - started_cpu)
                results[system][page_id] = (text, page_scores(truth, text))
        for system in systems:  # the fastest of the runs: the one the machine's load disturbed least
            timings[system].append(min(wall_times[system]))
            cpu[system].append(min(cpu_times[system]))
    print(f"\n{name}: {len(pages)} pages")
    header = f"{'system':<24}" + "".join(f"{label:>24}" for label in subsets) + f"{'empty':>7}{'median ms':>11}"
    print(header + f"{'cpu ms':>8}{'x peer: wall':>14}{'cpu':>7}")
    print(f"{'':<24}" + "".join(f"{'F1   (P / R)':>24}" for _ in subsets))
    peer_wall, peer_cpu = statistics.median(timings[TIME_PEER]), statistics.median(cpu[TIME_PEER])
    for system in systems:
        line = f"{system:<24}"
        for members in subsets.values():
            rows = [v[1] for k, v in results[system].items() if members is None or k in members]
            value, p, r = f1(rows)
            line += f"{value:>10.3f} ({p:.3f} / {r:.3f})"
        empty = [k for k, v in results[system].items() if not v[0].strip()]
        wall, spent = statistics.median(timings[system]), statistics.median(cpu[system])
        line += f"{len(empty):>7}{wall * 1000:>11.1f}{spent * 1000:>8.1f}{wall / peer_wall:>13.2f}x{spent / peer_cpu:>6.2f}x"
        print(line)
    ratio = statistics.median(timings["gloss"]) / statistics.median(timings[TIME_PEER])
    cpu_ratio = statistics.median(cpu["gloss"]) / statistics.median(cpu[TIME_PEER])
    print(f"median time per page, gloss / {TIME_PEER}: {ratio:.2f}x "
          f"(process time: {statistics.median(cpu['gloss']) * 1000:.1f} / "
          f"{statistics.median(cpu[TIME_PEER]) * 1000:.1f} ms, {cpu_ratio:.2f}x)")
    gloss_empty = [k for k, v in results["gloss"].items() if not v[0].strip()]
    peers_found = [k for k in gloss_empty if any(results[s][k][0].strip() for s in systems if s != "gloss")]
    print(f"gloss finds nothing where a peer finds text: {len(peers_found)}"
          + (f" ({', '.join(peers_found)})" if peers_found else ""))
    # Next to nothing: under a quarter of the words a peer finds, where that peer finds a
    # paragraph's worth or more (a notice kept instead of the article).
    tiny = [k for k, v in results["gloss"].items() if k not in gloss_empty and any(
        len(results[s][k][0].split()) >= TINY_PEER_WORDS and len(v[0].split()) < TINY_SHARE * len(results[s][k][0].split())
        for s in systems if s != "gloss")]
    print(f"gloss finds under {TINY_SHARE:.0%} of a peer's words: {len(tiny)}" + (f" ({', '.join(tiny)})" if tiny else ""))
    if show_pages:
        print(f"{'page':<40}" + "".join(f"{s[:14]:>16}" for s in systems))
        for page_id, *_ in pages:
            cells = []
            for system in systems:
                value, _, _ = f1([results[system][page_id][1]])
                cells.append(f"{value:>16.3f}")
            print(f"{page_id[:40]:<40}" + "".join(cells))
    return results


def span_page(spans: int) -> str:
    """The seed article with a paragraph of `spans` inline elements (the shape that once
    made extraction quadratic: 49,000 spans took half a minute)."""
    seed = (ROOT / "tests" / "fixtures" / "seed-article.html").read_text(encoding="utf-8")
    end = "between the two allies.</p>"
    return seed.replace(end, end + "<p>" + "<span>word</span> " * spans + "</p>", 1)


def scaling(sizes: tuple[int, int] = (5_000, 20_000)) -> None:
    """Process time of Gloss's extraction on the span page at two sizes: linear work shows
    the same factor as the sizes, quadratic its square."""
    spent = []
    for spans in sizes:
        html = span_page(spans)
        started = time.process_time()
        gloss(html, "https://example.org/spans")
        spent.append(time.process_time() - started)
    print(f"\nscaling: a paragraph of {sizes[0]:,} spans {spent[0] * 1000:.0f} ms, of {sizes[1]:,} spans "
          f"{spent[1] * 1000:.0f} ms (process time): {sizes[1] / sizes[0]:.0f}x the spans, "
          f"{spent[1] / spent[0]:.1f}x the time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("extraction", "readability", "both"), default="both")
    parser.add_argument("--only", default="", help="comma-separated page ids")
    parser.add_argument("--systems", default="", help="comma-separated system names (default: all)")
    parser.add_argument("--show-pages", action="store_true", help="print every page's F1 per system")
    parser.add_argument("--no-scaling", action="store_true", help="skip the inline-element scaling figure")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every system this many times per page, in turn, and time the fastest run")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # trafilatura and readability-lxml log every odd page
    only = {i for i in args.only.split(",") if i}
    systems = SYSTEMS
    if args.systems:
        wanted = [s.strip() for s in args.systems.split(",")]
        systems = {s: SYSTEMS[s] for s in wanted}
        systems.setdefault("gloss", gloss)
        systems.setdefault(TIME_PEER, SYSTEMS[TIME_PEER])
    if args.set in ("extraction", "both"):
        pages = [p for p in extraction_pages() if not only or p[0] in only]
        run_set("bench/extraction (text truth)", pages, systems, {"all": None}, args.show_pages, args.repeat)
    if args.set in ("readability", "both"):
        pages = [p for p in readability_pages() if not only or p[0] in only]
        real = {p[0] for p in pages} - synthetic_ids()
        run_set("bench/readability-pages (expected HTML as text)", pages, systems,
                {"real": real, "all": None}, args.show_pages, args.repeat)
    if not args.no_scaling:
        scaling()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
