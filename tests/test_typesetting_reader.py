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


def rules(pdf: bytes) -> list[int]:
    """How many horizontal rules each page shows, read from the page as a picture: a row
    of grey or darker pixels running unbroken across a third of the paper's width or more."""
    import subprocess
    import tempfile
    from pathlib import Path

    from PIL import Image

    counts = []
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "page.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-gray", "-png", "page.pdf", "p"], cwd=folder, check=True)
        for png in sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            image = Image.open(png).convert("L")
            width, height = image.size
            pixels = image.load()
            found, previous = 0, False
            for y in range(height):
                run = longest = 0
                for x in range(width):
                    run = run + 1 if pixels[x, y] < 235 else 0
                    longest = max(longest, run)
                is_rule = longest >= width // 3
                found += is_rule and not previous  # a rule two pixels thick counts once
                previous = is_rule
            counts.append(found)
    return counts


def test_code_in_a_table_of_one_cell_prints_as_code_without_rules():
    """Pages frame code samples (and call-outs) in a table of one cell: printed as a
    table, every sample had a rule drawn under it."""
    code = "<pre>fetch('/data.json').then(function (response) {\n  return response.json();\n});</pre>"
    boxed = f"<table><tbody><tr><td>{code}</td></tr></tbody></table>"
    say = "<p>The response is read as JSON once it has arrived, and the promise resolves with it.</p>"
    plain = render(say + code + say + code + say)
    framed = render(say + boxed + say + boxed + say)
    assert rules(plain) == [1]  # the rule under the masthead
    assert rules(framed) == rules(plain)
    assert pdf_layout.page_texts(framed) == pdf_layout.page_texts(plain)


def test_a_picture_above_its_caption_in_a_table_prints_as_a_figure():
    """Blogger and many CMSs set a picture and its caption in two rows of a table. As a
    figure, the caption is set as a caption (italic, smaller) and the picture can wait
    for the next page without leaving the page before it empty (figures.py)."""
    import typeset_pages

    from server.printing.geometry import BOTTOM_MM, TOP_MM
    from server.printing.worker import GlossFonts, render_pdf

    src = typeset_pages.TALL_IMAGE
    images = typeset_pages.images()
    boxed = (f'<table><tbody><tr><td><a href="{src}"><img src="{src}" alt=""></a></td></tr>'
             "<tr><td>The block diagram of the device, from its datasheet</td></tr></tbody></table>")
    emptiest = 0.0
    for count in range(2, 9):  # the picture meets the foot of page 1 at every height
        body = "".join(typeset_pages.paragraphs("en", count)) + boxed + "".join(typeset_pages.paragraphs("en", 5))
        html = typeset(Article(url="https://news.example/f", title="Figures", body_html=body, text="", lang="en"),
                       PrintOptions(), images)
        pdf, _ = render_pdf(html, GlossFonts())
        caption = [r for r in pdf_layout.runs(pdf) if "datasheet" in r.text]
        assert caption and all("Italic" in r.font for r in caption), caption
        emptiest = max(emptiest, pdf_layout.empty_at_foot(pdf, TOP_MM, BOTTOM_MM)[0])
    assert emptiest < 0.25


def test_emoji_print_as_pictures_not_empty_boxes():
    """Emoji are in none of the text faces: without a font of their own each printed as an
    empty box (the Makefile installs Noto Color Emoji). Read from the page as a picture:
    the emoji are the only colour on it."""
    import subprocess
    import tempfile
    from pathlib import Path

    from PIL import Image

    pdf = render("<p>We lost a lot of time \U0001F641 and then the rainbow came \U0001F308 "
                 "with a star \U0001F31F over the tree \U0001F384.</p>")
    assert any("Emoji" in name for name in pdf_layout.fonts(pdf))
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "page.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "page.pdf", "p"], cwd=folder, check=True)
        image = Image.open(next(Path(folder).glob("p-*.png"))).convert("RGB")
    coloured = sum(1 for r, g, b in image.getdata() if max(r, g, b) - min(r, g, b) > 80)
    assert coloured > 4 * 20  # four emoji, each some twenty coloured pixels or more at 60 dpi


def test_a_portrait_opening_a_paragraph_does_not_leave_the_page_before_it_empty():
    """A photograph opening a paragraph (floated beside the text on the web) stood inline
    on the first line: that line and the picture went to the next page together, leaving
    half of page 1 empty. An icon opening a paragraph stays in its line."""
    import typeset_pages

    from server.printing.geometry import BOTTOM_MM, TOP_MM
    from server.printing.worker import GlossFonts, render_pdf

    portrait, icon = "https://news.example/portrait.png", "https://news.example/icon.png"
    images = {portrait: typeset_pages.tall_png(300, 362), icon: _square_png(16)}
    opening = (f'<p><img src="{portrait}" alt="The author">If we have not met yet, my name is Pamela '
               "and I have been working online since 2010.</p>")
    emptiest = 0.0
    for count in range(2, 8):  # the portrait meets the foot of page 1 at every height
        body = "".join(typeset_pages.paragraphs("en", count)) + opening + "".join(typeset_pages.paragraphs("en", 4))
        html = typeset(Article(url="https://news.example/p", title="Portrait", body_html=body, text="", lang="en"),
                       PrintOptions(), images)
        pdf, _ = render_pdf(html, GlossFonts())
        emptiest = max(emptiest, pdf_layout.empty_at_foot(pdf, TOP_MM, BOTTOM_MM)[0])
        assert "my name is Pamela" in " ".join(pdf_layout.page_texts(pdf))
    assert emptiest < 0.25

    body = f'<p><img src="{icon}" alt="">Tip: the icon stands in the line, before these words.</p>'
    html = typeset(Article(url="https://news.example/i", title="Icon", body_html=body, text="", lang="en"),
                   PrintOptions(), images)
    pdf, _ = render_pdf(html, GlossFonts())
    page = pdf_layout.text_lines(pdf)[0]
    tip = next(line for line in page if line.text.startswith("Tip:"))
    headline = next(line for line in page if line.text == "Icon")
    assert tip.x0 > headline.x0 + 5  # the words start after the icon, on its line


def _square_png(side: int) -> str:
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (90, 120, 160)).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_a_column_of_years_keeps_each_year_whole():
    """A table of films (title, year, a long description): breaking words anywhere let
    the year column shrink to one character, and each year printed one digit a line."""
    rows = "".join(
        f"<tr><td>{title}</td><td>{1946 + 7 * n}</td><td>{' '.join(OPENING)} {CLOSINGS[n % 2]}</td></tr>"
        for n, title in enumerate(["Repeat Performance", "The Time Travelers", "Journey to the Center of Time",
                                   "Groundhog Day", "Run Lola Run", "Christmas Every Day"]))
    pdf = render(f"<table><thead><tr><th>Film</th><th>Year</th><th>Description</th></tr></thead>"
                 f"<tbody>{rows}</tbody></table>")
    words = " ".join(pdf_layout.page_texts(pdf)).split()
    assert [str(1946 + 7 * n) in words for n in range(6)] == [True] * 6
    assert "Year" in words and "Performance" in words


def test_a_short_line_introducing_the_next_block_never_ends_a_page():
    """Pages set headings as paragraphs ("Step 3") and introduce lists with a line of
    their own ("What you'll need:"): such a line printed alone at the foot of page 1, its
    block on page 2."""
    from io import BytesIO

    import typeset_pages
    from pypdf import PdfReader

    from server.printing.geometry import BOTTOM_MM, MM_PER_PT

    labels = ("Step 3", "What you will need:")
    one_line = "<p>Residents asked for more buses at night.</p>"
    last_lines = []
    for count, label in [(c, label) for c in range(14, 20) for label in labels]:
        # From 14 to 19 one-line paragraphs, the label meets the foot of page 1 at every line.
        after = "<ul><li>A small saucer</li><li>Moss</li></ul>" if label.endswith(":") else \
            "<p>You can add various plants if you wish, and move them later.</p>"
        body = "".join(typeset_pages.paragraphs("en", 2)) + one_line * count + f"<p>{label}</p>" + \
            after + "".join(typeset_pages.paragraphs("en", 2))
        pdf = render(body)
        height = float(PdfReader(BytesIO(pdf)).pages[0].mediabox.height)
        text_bottom = height - BOTTOM_MM / MM_PER_PT
        for page in pdf_layout.text_lines(pdf):
            body_lines = [line for line in page if line.y1 < text_bottom]
            last_lines.append(body_lines[-1].text if body_lines else "")
    assert [line for line in last_lines if line in labels] == []


def test_headings_print_without_their_permalink_marks():
    """Documentation and blog engines end each heading with a link to itself, a pilcrow
    or a hash sign shown on hover; on paper a stray mark after every heading."""
    body = ("<h2>Sharing with a single developer\u00b6</h2><p>The key to shared history is the phase.</p>"
            "<h3>Write your own JavaScript loader #</h3><p>The loader fetches the module first.</p>"
            "<h3>Why C# and F# stay</h3><p>A hash sign that is part of a name is kept.</p>")
    printed = lines(render(body))
    assert "Sharing with a single developer" in printed
    assert "Write your own JavaScript loader" in printed
    assert "Why C# and F# stay" in printed
    assert not any("\u00b6" in line or line.endswith(" #") for line in printed)


def test_a_link_around_a_figure_s_picture_changes_nothing_on_paper():
    """Pictures are often links to their full size. The inline link held the picture in a
    line of its own, which put a line of space between the picture and its caption."""
    import typeset_pages

    from server.printing.worker import GlossFonts, render_pdf

    src = typeset_pages.TALL_IMAGE
    gaps = []
    for picture in (f'<img src="{src}" alt="">', f'<a href="https://news.example/full.png"><img src="{src}" alt=""></a>'):
        # As pages have it: the markup laid out on lines of its own.
        body = f"<p>The diagram below shows the line.</p><figure>\n    {picture}\n    <figcaption>A diagram of " \
               "the line</figcaption>\n</figure><p>After the figure.</p>"
        html = typeset(Article(url="https://news.example/f", title="Figures", body_html=body, text="", lang="en"),
                       PrintOptions(), typeset_pages.images())
        pdf, _ = render_pdf(html, GlossFonts())
        caption = next(line for page in pdf_layout.text_lines(pdf) for line in page
                       if line.text.startswith("A diagram"))
        gaps.append(caption.y0 - _picture_bottom(pdf))
    assert abs(gaps[1] - gaps[0]) < 2, gaps


def _picture_bottom(pdf: bytes) -> float:
    """The lowest row of page 1 (in points from the top) showing the test picture's colour."""
    import subprocess
    import tempfile
    from pathlib import Path

    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "page.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", "page.pdf", "p"], cwd=folder, check=True)
        image = Image.open(next(Path(folder).glob("p-*.png"))).convert("RGB")
    pixels = image.load()
    rows = [y for y in range(image.height) if any(pixels[x, y] == (200, 215, 230) for x in range(0, image.width, 3))]
    return float(max(rows))
