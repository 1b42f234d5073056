#!/usr/bin/env python3
"""Structure benchmark: `make bench-structure`.

Does the printed article keep the structure the page gave it? On the pages of
`bench/readability-pages/` (the expected article as HTML, structure included), Gloss's
printed HTML (exactly what /api/preview answers: extraction, then typesetting, every
picture given as if the extension had sent its bytes) is compared with the expected HTML:

- paragraphs: the share of expected paragraphs (8 words or more) that appear whole, with
  their spaces, inside one block of the printed HTML; over the paragraphs whose text
  Gloss printed at all ("whole / printed"), and over all of them ("whole / expected");
- block quotes, lists, data tables, figures, code blocks and sub/superscripts: the share
  of the expected ones whose text Gloss printed that print as that kind of element (a
  quote as `<blockquote>`, a list as `<ul>`/`<ol>`, ...), and the share of all of them.
  Data tables are tables with a header cell or a grid of short cells (two rows or more
  of at least two cells holding text or a picture); layout tables
  (one cell holding the article) are meant to print as ordinary flow and are not counted.

Then every page of both development sets is printed to PDF (WeasyPrint, no pictures) and
read back with pypdf: a page before the last with fewer than 25 words is a defect (an
unbreakable table pushed to the next page, a figure alone). `--no-pdf` skips this part.

Usage: bench/structure.py [--no-pdf] [--only ID,ID] [--show-misses] [--workers N]
"""

from __future__ import annotations

import argparse
import gzip
import io
import logging
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extract import READABILITY, READABILITY_URL, extraction_pages, synthetic_ids  # noqa: E402
from server.article.extract import extract_article  # noqa: E402
from server.article.model import Page  # noqa: E402
from server.errors import NoArticle  # noqa: E402
from server.printing.options import PrintOptions  # noqa: E402
from server.printing.typeset import typeset  # noqa: E402

# A 1x1 PNG standing for every picture's bytes (structure, not pixels, is measured).
PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
         "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
BLOCKS = ("p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "pre",
          "caption", "blockquote")
KINDS = {
    "blockquote": ("blockquote",),
    "list": ("ul", "ol"),
    "table": ("table",),
    "figure": ("figure",),
    "code": ("pre",),
    "sub/sup": ("sub", "sup"),
}
MIN_PARAGRAPH_WORDS = 8
MIN_PAGE_WORDS = 25
PROBE = 60
CAPTION_PROBE = 30
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def key(text: str) -> str:
    return _SPACE.sub("", text or "")


def text_of(element: etree._Element) -> str:
    """The element's text, a line break (`<br>`) read as the white space it shows as."""
    if element.find(".//br") is None:
        return "".join(element.itertext())
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.tag == "br":
            parts.append(" ")
        elif isinstance(node.tag, str):
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")

    walk(element)
    return "".join(parts)


def is_data_table(table: etree._Element) -> bool:
    if table.find(".//table") is not None:
        return False
    rows = table.findall(".//tr")
    if table.find(".//th") is not None and rows:
        return True
    cells = table.findall(".//td")
    # A grid: at least two rows of two or more cells that hold something (text or a
    # picture); a box drawn with a table (a title row above one cell of links) is layout.
    grid_rows = sum(1 for r in rows if sum(1 for c in r if c.tag in ("td", "th")
                                           and (text_of(c).strip() or c.find(".//img") is not None)) >= 2)
    words = len(text_of(table).split())
    return grid_rows >= 2 and bool(cells) and words / len(cells) < 30


def printed_html(html: str, url: str) -> str | None:
    try:
        article = extract_article(Page(url=url, html=html))
    except NoArticle:
        return None
    body = lxml_html.fragment_fromstring(article.body_html or "<p></p>", create_parent="div")
    images = {img.get("src"): PIXEL for img in body.iter("img") if img.get("src")}
    if article.lead_image is not None:
        images[article.lead_image.src] = PIXEL
    return typeset(article, PrintOptions(), images)


def expected_units(expected: etree._Element, source: str = ""):
    for paragraph in expected.iter("p"):
        text = fold(text_of(paragraph))
        if len(text.split()) >= MIN_PARAGRAPH_WORDS:
            yield "paragraph", paragraph, text
    for kind, tags in KINDS.items():
        for element in expected.iter(*tags):
            if kind == "table" and not is_data_table(element):
                continue
            if kind == "figure" and element.find(".//img") is None:
                continue
            if kind in ("list", "blockquote") and any(a.tag in tags for a in element.iterancestors()):
                continue  # a nested list counts with its outer list
            caption = element.find(".//figcaption") if kind == "figure" else None
            text = fold(text_of(caption if caption is not None else element))
            if not text and kind != "figure":
                continue
            yield kind, element, text


def compare(expected_html: str, printed: str | None, source: str) -> dict[str, list[tuple[bool, bool, str]]]:
    """Per kind, one (printed at all, printed as that kind, sample) triple per expected unit."""
    expected = lxml_html.fragment_fromstring(expected_html, create_parent="div")
    out: dict[str, list[tuple[bool, bool, str]]] = {k: [] for k in ("paragraph", *KINDS)}
    if printed is None:
        for kind, _, text in expected_units(expected, source):
            out[kind].append((False, False, text[:80]))
        return out
    doc = lxml_html.document_fromstring(printed)
    body = doc.find(".//div[@class='article-body']")
    if body is None:
        body = doc
    for note in list(body.iter("sup")):
        if "link-ref" in (note.get("class") or ""):
            note.drop_tree()  # the number of a link's note, added by typesetting
    everything = key(text_of(doc))
    blocks = [fold(text_of(b)) for b in body.iter(*BLOCKS)]
    by_kind = {kind: [key(text_of(e)) for e in body.iter(*tags)] for kind, tags in KINDS.items()}
    sub_sup = [fold(text_of(e)) for e in body.iter("sub", "sup")]
    figures = [(key(text_of(f)), [i.get("src") for i in f.iter("img")]) for f in doc.iter("figure")]  # lead too
    for kind, element, text in expected_units(expected, source):
        probe = key(text)[:PROBE]
        if kind == "paragraph":
            found = key(text) in everything
            kept = found and any(text in block for block in blocks)
        elif kind == "sub/sup":
            found = probe in everything
            kept = found and text in sub_sup
            if kept:
                sub_sup.remove(text)
        elif kind == "figure":
            caption = key(text)
            found = bool(caption) and caption[:PROBE] in everything or bool(figures)
            # Known by the opening of its caption (credits are laid out differently).
            kept = any((caption and caption[:CAPTION_PROBE] in f_text) or (not caption and srcs)
                       for f_text, srcs in figures)
            found = found or kept
        else:
            found = probe in everything
            kept = found and any(probe in k for k in by_kind[kind])
        out[kind].append((found, kept, text[:80]))
    return out


def short_pages(html: str, url: str) -> tuple[int, list[int]] | None:
    """(pages, [numbers of pages before the last with fewer than MIN_PAGE_WORDS words])."""
    from pypdf import PdfReader

    from server.printing.worker import GlossFonts, render_pdf

    try:
        article = extract_article(Page(url=url, html=html))
    except NoArticle:
        return None
    pdf, _ = render_pdf(typeset(article, PrintOptions(images=False), {}), GlossFonts(), pdf_variant=None)
    reader = PdfReader(io.BytesIO(pdf))
    words = [len((page.extract_text() or "").split()) for page in reader.pages]
    return len(words), [n + 1 for n, count in enumerate(words[:-1]) if count < MIN_PAGE_WORDS]


def _short_pages_job(item: tuple[str, str, str]) -> tuple[str, tuple[int, list[int]] | None]:
    logging.disable(logging.WARNING)
    name, url, html = item
    try:
        return name, short_pages(html, url)
    except Exception as error:  # noqa: BLE001 - a page that fails to print is reported, not fatal
        return name, (0, [f"error: {error}"])


def readability_pages(only: set[str]):
    for folder in sorted((READABILITY / "pages").iterdir()):
        if only and folder.name not in only:
            continue
        source = gzip.decompress((folder / "source.html.gz").read_bytes()).decode("utf-8", "replace")
        expected = gzip.decompress((folder / "expected.html.gz").read_bytes()).decode("utf-8", "replace")
        yield folder.name, source, expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="skip printing every page to PDF")
    parser.add_argument("--only", default="", help="comma-separated page ids")
    parser.add_argument("--show-misses", action="store_true", help="list the units printed but not kept")
    parser.add_argument("--workers", type=int, default=2, help="processes printing PDFs")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    only = {i for i in args.only.split(",") if i}
    synthetic = synthetic_ids()
    totals = {scope: {k: [0, 0, 0] for k in ("paragraph", *KINDS)} for scope in ("real", "all")}
    misses = []
    for name, source, expected in readability_pages(only):
        result = compare(expected, printed_html(source, READABILITY_URL), source)
        for kind, rows in result.items():
            for found, kept, sample in rows:
                for scope in ("real", "all"):
                    if scope == "real" and name in synthetic:
                        continue
                    counts = totals[scope][kind]
                    counts[0] += 1
                    counts[1] += found
                    counts[2] += kept
                if found and not kept:
                    misses.append((name, kind, sample))
    print("bench/readability-pages: expected structure found in Gloss's printed HTML")
    print(f"{'':<12}{'real pages: kept / printed':>32}{'kept / expected':>18}{'all pages: kept / printed':>30}")
    for kind in ("paragraph", *KINDS):
        cells = []
        for scope in ("real", "all"):
            expected_n, found_n, kept_n = totals[scope][kind]
            share = kept_n / found_n if found_n else 1.0
            overall = kept_n / expected_n if expected_n else 1.0
            cells.append((share, kept_n, found_n, overall, expected_n))
        (s, k, f, o, e), (s2, k2, f2, _, _) = cells
        print(f"{kind:<12}{s:>20.1%} ({k}/{f}){o:>12.1%} of {e}{s2:>22.1%} ({k2}/{f2})")
    if args.show_misses:
        for name, kind, sample in misses:
            print(f"  miss {kind:<10} {name:<28} {sample}")
    if args.no_pdf:
        return 0
    items = [(f"readability/{name}", READABILITY_URL, source) for name, source, _ in readability_pages(only)]
    if not only:
        items += [(f"extraction/{pid[:12]}", url, html) for pid, url, html, _ in extraction_pages()]
    printed, defects = 0, []
    with ProcessPoolExecutor(max_workers=max(1, args.workers)) as pool:
        for name, outcome in pool.map(_short_pages_job, items, chunksize=4):
            if outcome is None:
                continue
            printed += 1
            if outcome[1]:
                defects.append((name, outcome))
    print(f"\nPDF: {printed} pages printed; {len(defects)} with a page before the last holding fewer than "
          f"{MIN_PAGE_WORDS} words")
    for name, (pages, numbers) in defects:
        print(f"  {name}: page(s) {', '.join(map(str, numbers))} of {pages}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
