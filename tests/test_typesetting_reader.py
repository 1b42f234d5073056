"""Faults a reader saw on printed bench pages, each reproduced on a small page of our own,
rendered by the real typesetter and WeasyPrint and read back from the PDF (pdftotext).
"""

from __future__ import annotations

import re

import pdf_layout
import pytest

from server.article.model import Article
from server.printing.options import PrintOptions
from server.printing.typeset import typeset

pytestmark = pytest.mark.timeout(300)

# Paragraph openings of growing length, so that the last line of one of them ends within
# a space's width of the right margin.
OPENING = ("Readers of the printed page follow each line to its end and back again, so a line "
           "that holds a single broken word stops them for no reason at all").split()
CLOSINGS = ("but allows (and arguably even encourages) informal software and firmware compatibility.",
            "and in addition, isolation within the same lambda is likewise achieved through queues.")
# One piece of a hyphenated word alone on its line: "gu‐" (pdftotext reads U+2010).
LONE_PIECE = re.compile(r"^\S{1,10}[\u2010\u00ad-]$")


def render(body: str, **options) -> bytes:
    from server.printing.worker import GlossFonts, render_pdf

    html = typeset(Article(url="https://news.example/page", title="A page", body_html=body, text="", lang="en"),
                   PrintOptions(**options), {})
    pdf, _ = render_pdf(html, GlossFonts())
    return pdf


def lines(pdf: bytes) -> list[str]:
    return [line.text for page in pdf_layout.text_lines(pdf) for line in page]


def test_no_line_holds_one_piece_of_a_hyphenated_word():
    """White space at the end of a paragraph, or before a <br>, as pages have it from
    their source ("compatibility.\\n   </p>"): WeasyPrint measured it, and a last line that
    fitted only without it was broken after the first syllable of its first word."""
    blocks = []
    for closing in CLOSINGS:
        for count in range(1, len(OPENING) + 1):
            text = f"{' '.join(OPENING[:count])} {closing}"
            blocks.append(f"<p>{text}\n        </p>")
            blocks.append(f"<p>{text} <br>A second line.</p>")
    pdf = render("".join(blocks))
    printed = lines(pdf)
    assert [line for line in printed if LONE_PIECE.match(line)] == []
    # Every paragraph printed whole: the words are all there, in order.
    flat = " ".join(printed).replace("\u2010 ", "")
    assert flat.count("compatibility.") == 2 * len(OPENING)
