#!/usr/bin/env python3
"""Language detection benchmark: `make bench-language`.

For every bench page that declares its language (bench/extraction: `<html lang>`;
bench/readability-pages: the language in its expected metadata), detects the language
of the article's true text (ground truth / Readability's expected article) with
server.printing.language.detect_language, as typesetting does for a page that declares
none, and prints the agreement with the declared language and the time per page.

A disagreement is not always the detector's fault: a page may declare a site-wide
language its article is not written in (the Readability test pages in Latin
placeholder text declare English), so each disagreement is printed for a look, with
the pages where typesetting (article_language) sets the text's language instead of
the declared one.

Usage: bench/language.py
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import html as lxml_html  # noqa: E402 - after the path is set

from server.article.model import Article  # noqa: E402
from server.printing.language import article_language, detect_language  # noqa: E402
from server.printing.scripts import primary  # noqa: E402


def extraction_pages() -> list[tuple[str, str, str]]:
    data = ROOT / "bench" / "extraction"
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    samples = []
    for page_id, entry in sorted(truth.items()):
        raw = gzip.decompress((data / "pages" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        declared = primary(lxml_html.fromstring(raw).get("lang") or "")
        if declared:
            samples.append((page_id, declared, entry["articleBody"]))
    return samples


def readability_pages() -> list[tuple[str, str, str]]:
    samples = []
    for folder in sorted((ROOT / "bench" / "readability-pages" / "pages").iterdir()):
        meta_path = folder / "expected-metadata.json.gz"
        if not meta_path.exists():
            continue
        declared = primary(json.loads(gzip.decompress(meta_path.read_bytes())).get("lang") or "")
        expected = gzip.decompress((folder / "expected.html.gz").read_bytes()).decode("utf-8", "replace")
        text = lxml_html.fromstring(expected).text_content()
        if declared and len(text.strip()) > 100:
            samples.append((folder.name, declared, text))
    return samples


def main() -> int:
    detect_language("The model loads on the first call; this one is not timed.")
    for name, samples in (("extraction", extraction_pages()), ("readability-pages", readability_pages())):
        times, agree, misses, overridden = [], 0, [], []
        for page, declared, text in samples:
            chosen = article_language(Article(url="", title="", body_html="", text=text, lang=declared))
            if chosen != declared:
                overridden.append(f"{page[:16]}: {declared} -> {chosen}")
            started = time.perf_counter()
            found = detect_language(text)
            times.append(time.perf_counter() - started)
            agree += found == declared
            if found != declared:
                misses.append(f"{page[:16]}: declared {declared}, detected {found or '-'}")
        languages = sorted({d for _, d, _ in samples})
        print(f"{name}: {agree}/{len(samples)} agree with the declared language "
              f"({len(languages)} languages: {', '.join(languages)}); "
              f"median {statistics.median(times) * 1000:.1f} ms per page")
        for miss in misses:
            print("  ", miss)
        print(f"  typesetting overrides the declared language on {len(overridden)} pages: "
              + ("; ".join(overridden) or "none"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
