#!/usr/bin/env python3
"""Contact sheets of printed pages: `make gallery`.

Prints, in this process and with the server's own stages (extraction, typesetting, the
render worker's WeasyPrint call; no images fetched, as the bench pages' images are on
the internet), the first pages of a spread of the bench pages and the first two pages
of each of the script test pages (tests/typeset_pages.py: Korean, Japanese, Chinese,
Arabic, Russian, English), and lays them out as contact sheets in docs/:

    docs/gallery-bench.png    first pages of every Nth bench page, A4
    docs/gallery-scripts.png  the six script pages, pages 1-2, A4
    docs/gallery-sizes.png    the English script page at A4, Letter and A5, pages 1-3

Look at them after every change to the print style.

Usage: bench/gallery.py [--pages N] [--dpi D]
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from PIL import Image, ImageDraw  # noqa: E402 - after the path is set

DATA = ROOT / "bench" / "extraction"
DOCS = ROOT / "docs"
GAP, LABEL = 12, 16


def page_images(pdf: bytes, first: int, last: int, dpi: int) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "print.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(first), "-l", str(last), str(path),
                        str(Path(tmp) / "p")], check=True)
        return [Image.open(p).convert("RGB") for p in sorted(Path(tmp).glob("p-*.png"))]


def sheet(cells: list[tuple[str, Image.Image]], columns: int, out: Path) -> None:
    """Cells left to right, top to bottom, each under its label, on a grey ground."""
    width = max(image.width for _, image in cells)
    height = max(image.height for _, image in cells)
    rows = -(-len(cells) // columns)
    canvas = Image.new("RGB", (columns * (width + GAP) + GAP, rows * (height + LABEL + GAP) + GAP), (128, 128, 128))
    draw = ImageDraw.Draw(canvas)
    for n, (label, image) in enumerate(cells):
        x = GAP + (n % columns) * (width + GAP)
        y = GAP + (n // columns) * (height + LABEL + GAP)
        draw.text((x, y), label, fill=(255, 255, 255))
        canvas.paste(image, (x, y + LABEL))
    out.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(out, optimize=True)
    print(f"wrote {out.relative_to(ROOT)} ({len(cells)} pages)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=12, help="bench pages on the bench sheet")
    parser.add_argument("--dpi", type=int, default=40)
    args = parser.parse_args()

    import typeset_pages
    from weasyprint.text.fonts import FontConfiguration

    from server.article.extract import extract_article
    from server.article.model import Page
    from server.errors import GlossError
    from server.printing import worker
    from server.printing.options import PrintOptions
    from server.printing.typeset import typeset

    fonts = FontConfiguration()

    def render(html: str) -> bytes:
        return worker.render_pdf(html, fonts)[0]

    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    step = max(1, len(ids) // args.pages)
    cells = []
    for page_id in ids[::step][: args.pages]:
        raw = gzip.decompress((DATA / "pages" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        try:
            article = extract_article(Page(url=truth[page_id]["url"], html=raw))
        except GlossError:
            continue  # no article on that page
        pdf = render(typeset(article, PrintOptions(page_size="A4"), {}))
        cells += [(page_id[:10], image) for image in page_images(pdf, 1, 1, args.dpi)]
    sheet(cells, 6, DOCS / "gallery-bench.png")

    images = typeset_pages.images()
    cells = []
    for lang in typeset_pages.LANGUAGES:
        pdf = render(typeset(typeset_pages.article(lang), PrintOptions(page_size="A4"), images))
        cells += [(f"{lang} p{n}", im) for n, im in enumerate(page_images(pdf, 1, 2, args.dpi), start=1)]
    sheet(cells, 6, DOCS / "gallery-scripts.png")

    cells = []
    for size in ("A4", "Letter", "A5"):
        pdf = render(typeset(typeset_pages.article("en"), PrintOptions(page_size=size), images))
        cells += [(f"{size} p{n}", im) for n, im in enumerate(page_images(pdf, 1, 3, args.dpi), start=1)]
    sheet(cells, 3, DOCS / "gallery-sizes.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
