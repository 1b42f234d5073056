"""Figures on paper, with pictures of real sizes: no page left a quarter empty before a
figure, no figure alone on the last page when it can shrink into the page before, each
picture with its caption and in its section. Pages of our own, typeset and rendered by
the real WeasyPrint path (figures.py), read back from the PDF: text with pdftotext, the
pictures and the empty space from the pages rendered as images."""

from __future__ import annotations

import base64
import io
import subprocess
import tempfile
from pathlib import Path

import pdf_layout
import pytest

from server.article.model import Article
from server.printing.geometry import BOTTOM_MM, TOP_MM
from server.printing.options import PrintOptions
from server.printing.typeset import typeset

pytestmark = pytest.mark.timeout(600)

SENTENCES = ["The city council approved the new budget for public transport on Tuesday evening.",
             "Construction of the northern tram line will begin next spring and take three years.",
             "Residents who spoke at the meeting asked for more frequent buses at night.",
             "The mayor said the plan balances the needs of commuters with the cost to taxpayers."]
DPI = 30


def picture(width: int, height: int) -> str:
    """A photograph-sized JPEG in saturated colours (told apart from text on the page)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (30, 110, 210))
    draw = ImageDraw.Draw(image)
    for k in range(8):
        draw.ellipse((k * width // 10, k * height // 12, k * width // 10 + width // 4, k * height // 12 + height // 4),
                     fill=(220, 40 + 20 * k, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def paragraphs(count: int, start: int = 0) -> str:
    return "".join("<p>" + " ".join(SENTENCES[(start + n + k) % 4] for k in range(5)) + "</p>" for n in range(count))


class Page:
    """An article of our own: its body, built piece by piece, and its pictures."""

    def __init__(self) -> None:
        self.body: list[str] = []
        self.images: dict[str, str] = {}

    def figure(self, width: int, height: int, caption: str) -> Page:
        src = f"https://pictures.example/{len(self.images)}-{width}x{height}.jpg"
        self.images[src] = picture(width, height)
        self.body.append(f'<figure><img src="{src}" alt="" width="{width}" height="{height}">'
                         f"<figcaption>{caption}</figcaption></figure>")
        return self

    def add(self, html: str) -> Page:
        self.body.append(html)
        return self

    def pdf(self) -> bytes:
        from server.printing.worker import GlossFonts, render_pdf

        article = Article(url="https://news.example/steps", title="How to plant a terrarium",
                          body_html="".join(self.body), text="", lang="en")
        pdf, _ = render_pdf(typeset(article, PrintOptions(), self.images), GlossFonts())
        return pdf


def pictures(pdf: bytes) -> list[list[tuple[int, int, int, int]]]:
    """Per page, the boxes (left, top, right, bottom, in pixels at DPI) of the pictures:
    runs of rows holding saturated pixels (text is black and grey)."""
    from PIL import Image

    found = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-", f"{folder}/p"], input=pdf, check=True)
        for path in sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            image = Image.open(path).convert("HSV")
            width, height = image.size
            pixels = image.load()
            boxes, top, left, right = [], None, width, 0
            for y in range(height):
                xs = [x for x in range(width) if pixels[x, y][1] > 120 and pixels[x, y][2] > 80]
                if xs and top is None:
                    top, left, right = y, width, 0
                if xs:
                    left, right = min(left, xs[0]), max(right, xs[-1])
                elif top is not None:
                    boxes.append((left, top, right + 1, y))
                    top = None
            found.append(boxes)
    return found


def empty_before_last(pdf: bytes) -> list[float]:
    return [share for share in pdf_layout.empty_at_foot(pdf, TOP_MM, BOTTOM_MM)[:-1] if share is not None]


def test_a_figure_too_tall_for_the_room_left_shrinks_into_it_and_stays_in_its_step():
    """Steps of a how-to: "Step N", a line, a picture with its caption. A picture that did
    not fit at the foot of a page went to the next one and left a third of the page blank,
    or, when the text after it filled the gap, printed under the next step's heading."""
    checked = 0
    for lines in range(1, 12):
        page = Page().add(paragraphs(lines))
        page.add("<p>Step 1</p>" + paragraphs(1)).figure(1200, 800, "Cut the foam to fit the dish.")
        page.add("<p>Step 2</p>" + paragraphs(1, 1)).figure(1200, 800, "Press the moss onto the foam.")
        page.add("<p>Step 3</p>" + paragraphs(2, 2))
        pdf = page.pdf()
        text = " ".join(pdf_layout.page_texts(pdf))
        # Each picture in its own step, its caption with it, in the page's order.
        order = [text.index(s) for s in ("Step 1", "Cut the foam", "Step 2", "Press the moss", "Step 3")]
        assert order == sorted(order), (lines, order)
        assert max(empty_before_last(pdf)) < 0.25, (lines, empty_before_last(pdf))
        full = max(b[3] - b[1] for boxes in pictures(pdf) for b in boxes)
        for number, boxes in enumerate(pictures(pdf)):
            for left, top, right, bottom in boxes:
                # Shrunk, never below half its height; its proportions kept.
                assert bottom - top >= 0.5 * full - 1, (lines, number, bottom - top, full)
                assert abs((right - left) / (bottom - top) - 1.5) < 0.12, (lines, right - left, bottom - top)
                checked += 1
    assert checked == 2 * 11


def test_the_last_figure_is_not_left_alone_on_the_last_page():
    """An article ending with its picture: when the picture did not fit under the last
    paragraph, the last page held the picture alone."""
    alone = 0
    for count in range(2, 9):
        pdf = Page().add(paragraphs(count)).figure(1600, 900, "The finished tram stop, seen from the square.").pdf()
        words = pdf_layout.page_texts(pdf)
        last = words[-1]
        if len(words) > 1 and "finished tram stop" in last and not any(s.split()[0] in last for s in SENTENCES):
            alone += 1
        text = " ".join(words)
        assert text.index("finished tram stop") > text.rindex("taxpayers")  # still after the text it closes
        assert max(empty_before_last(pdf), default=0) < 0.25, (count, empty_before_last(pdf))
    assert alone == 0


def test_a_group_of_figures_leaves_no_page_a_quarter_empty_and_keeps_its_order():
    """Three pictures in a row between sections, of several proportions."""
    worst = 0.0
    for count in range(1, 9):
        page = Page().add(paragraphs(count)).add("<h2>The route</h2>" + paragraphs(1))
        for number, (width, height) in enumerate(((1000, 1000), (900, 1200), (1500, 500))):
            page.figure(width, height, f"Picture {number + 1} of the route.")
        page.add("<h2>The cost</h2>" + paragraphs(4, 1))
        pdf = page.pdf()
        text = " ".join(pdf_layout.page_texts(pdf))
        order = [text.index(s) for s in ("The route", "Picture 1", "Picture 2", "Picture 3", "The cost")]
        assert order == sorted(order), (count, order)
        worst = max(worst, *empty_before_last(pdf))
    assert worst < 0.25


def test_a_heading_gone_to_the_next_page_with_its_figure_lets_the_figure_shrink():
    """A heading is kept with the figure under it: when the figure did not fit, both went
    to the next page and left the foot of the page before empty."""
    for count in range(2, 10):
        page = Page().add(paragraphs(count)).add("<h2>The finished terrarium</h2>")
        page.figure(1000, 1000, "Displayed alone or in a group.").add(paragraphs(3, 2))
        pdf = page.pdf()
        texts = pdf_layout.page_texts(pdf)
        heading = next(n for n, text in enumerate(texts) if "The finished terrarium" in text)
        assert "Displayed alone" in texts[heading], count  # the heading stays with its figure
        assert max(empty_before_last(pdf)) < 0.25, (count, empty_before_last(pdf))
