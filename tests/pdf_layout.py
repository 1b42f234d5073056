"""Reading a printed PDF back as a reader sees it: lines and their positions, words per
page, fonts, text outside the paper. Shared by the typesetting tests and `make bench-print`.

    text_lines(pdf)            -> per page, the lines pdftotext finds, with their boxes
    chars_per_full_line(pdf)   -> the median characters of the body's full lines (the measure)
    page_texts(pdf)            -> each page's text in reading order
    words_per_page(pdf)        -> how many words each page holds (a CJK character counts as one)
    text_outside_paper(pdf)    -> what is drawn beyond the paper's edge, described
    fonts(pdf)                 -> the font names pdffonts lists
    runs(pdf)                  -> (page, text, font name, x, y) of every text run (pypdf)

pdftotext silently drops what lies outside the page, so the check for text beyond the
paper reads the content streams with pypdf instead.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

from pypdf import PdfReader

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff]")
# A full line reaches the right edge of the text block, give or take a hair.
FULL_LINE_SHARE = 0.985


class Line(NamedTuple):
    x0: float
    x1: float
    y0: float
    y1: float
    text: str


class Run(NamedTuple):
    page: int
    text: str
    font: str
    x: float
    y: float
    size: float


def text_lines(pdf: bytes, *, portrait_only: bool = False) -> list[list[Line]]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode("utf-8")
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    root = ElementTree.fromstring(xml)
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        lines = []
        for line in page.iter("{http://www.w3.org/1999/xhtml}line"):
            words = [w.text or "" for w in line.iter("{http://www.w3.org/1999/xhtml}word")]
            lines.append(Line(float(line.get("xMin")), float(line.get("xMax")), float(line.get("yMin")),
                              float(line.get("yMax")), " ".join(words)))
        if portrait_only and float(page.get("width")) > float(page.get("height")):
            lines = []  # a landscape page holds a wide table, not running text
        pages.append(lines)
    return pages


def full_lines(pdf: bytes) -> list[Line]:
    """Lines of running text (the commonest line height) that fill the page's text block,
    on portrait pages."""
    pages = text_lines(pdf, portrait_only=True)
    heights = [round(line.y1 - line.y0, 1) for page in pages for line in page]
    if not heights:
        return []
    body_height = statistics.mode(heights)
    result = []
    for page in pages:
        body = [line for line in page if abs((line.y1 - line.y0) - body_height) < 0.6 and len(line.text.split()) > 3]
        if not body:
            continue
        left = min(line.x0 for line in body)
        right = max(line.x1 for line in body)
        result += [line for line in body if line.x0 - left < 1 and line.x1 >= left + (right - left) * FULL_LINE_SHARE]
    return result


def chars_per_full_line(pdf: bytes) -> float:
    lines = full_lines(pdf)
    return statistics.median(len(line.text) for line in lines) if lines else 0.0


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text in reading order (-raw keeps right-to-left text in logical order)."""
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    pages = out.decode("utf-8").split("\f")
    return [" ".join(page.replace("\u200e", "").replace("\u200f", "").replace("\u202a", "").replace(
        "\u202b", "").replace("\u202c", "").split()) for page in pages[:-1]]


def words_per_page(pdf: bytes) -> list[int]:
    counts = []
    for page in text_lines(pdf):
        text = " ".join(line.text for line in page)
        counts.append(len(CJK.sub(" ", text).split()) + len(CJK.findall(text)))
    return counts


def runs(pdf: bytes) -> list[Run]:
    found: list[Run] = []
    for number, page in enumerate(PdfReader(BytesIO(pdf)).pages):
        def visit(text, cm, tm, font, size, number=number):
            if not text.strip():
                return
            # Text space to page space: the text matrix, then the current transformation matrix.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            name = str(font.get("/BaseFont", "")) if font else ""
            found.append(Run(number, text, name.split("+")[-1], x, y, size * scale))
        page.extract_text(visitor_text=visit)
    return found


def text_outside_paper(pdf: bytes) -> list[str]:
    """What lies off the paper: runs that start outside it (pypdf), and on each page the
    characters pdftotext does not find (it keeps only what lies on the paper, so a line
    running past the edge comes back short)."""
    reader = PdfReader(BytesIO(pdf))
    boxes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    all_runs = runs(pdf)
    problems = [f"page {r.page + 1}: {r.text.strip()[:40]!r} starts at ({r.x:.0f}, {r.y:.0f})" for r in all_runs
                if not (-0.5 <= r.x <= boxes[r.page][0] + 0.5 and -0.5 <= r.y <= boxes[r.page][1] + 0.5)]
    for number, lines in enumerate(text_lines(pdf)):
        drawn = sum(len(re.sub(r"\s", "", r.text)) for r in all_runs if r.page == number)
        seen = sum(len(re.sub(r"\s", "", line.text)) for line in lines)
        if seen < drawn:
            problems.append(f"page {number + 1}: {drawn - seen} characters off the paper")
    return problems


def fonts(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()]



def empty_at_foot(pdf: bytes, top_mm: float, bottom_mm: float, dpi: int = 24) -> list[float | None]:
    """For each portrait page, the share of its text area left blank below the lowest ink
    in it (text or image: read from the page rendered as a picture; the running foot, in
    the bottom margin, is not in the text area); None for a landscape page, which holds
    a table, not running text."""
    from PIL import Image

    shares: list[float | None] = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-", f"{tmp}/p"], input=pdf, check=True)
        for path in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            image = Image.open(path)
            width, height = image.size
            if width > height:
                shares.append(None)
                continue
            top, bottom = round(top_mm / 25.4 * dpi), round(height - bottom_mm / 25.4 * dpi)
            ink = image.crop((0, top, width, bottom)).point(lambda v: 255 if v < 200 else 0).getbbox()
            lowest = top + ink[3] if ink else top
            shares.append(max(0, bottom - lowest) / (bottom - top))
    return shares
