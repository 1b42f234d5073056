"""The printed page as a reader gets it, in Korean, Japanese, Chinese, Arabic, Russian and
English (tests/typeset_pages.py: a wide table, long code lines, nested lists, sub- and
superscripts, a tall image, tracked links), rendered by the real typesetter and renderer
at A4, Letter and A5 and read back: positions with pypdf, lines with pdftotext, fonts
with pdffonts.
"""

from __future__ import annotations

from io import BytesIO

import pdf_layout
import pytest
import pytest_asyncio
import segno
import typeset_pages
from pypdf import PdfReader

from server.printing.figures import EMPTY_SHARE
from server.printing.geometry import BOTTOM_MM, TOP_MM
from server.printing.labels import labels_for, local_date
from server.printing.links import clean_url
from server.printing.options import PrintOptions
from server.printing.qr import FIXED_MASK
from server.printing.render import RenderPool
from server.printing.typeset import typeset
from server.settings import Settings

pytestmark = pytest.mark.asyncio(loop_scope="module")

LANGUAGES = typeset_pages.LANGUAGES
SIZES = ("A4", "Letter", "A5")
NO_ITALIC_SCRIPTS = ("ko", "ja", "zh", "ar")
MONOSPACE = ("DejaVu-Sans-Mono", "Noto-Sans-Mono")
# Fewer words than this on a page before the last means a page mostly left empty.
MIN_WORDS_PER_PAGE = 25


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def render():
    pool = RenderPool(Settings(render_workers=1))
    await pool.start()
    images = typeset_pages.images()
    done: dict[tuple[str, str], bytes] = {}

    async def one(lang: str, size: str = "A4") -> bytes:
        if (lang, size) not in done:
            html = typeset(typeset_pages.article(lang), PrintOptions(page_size=size), images)
            done[lang, size] = (await pool.render(html)).pdf
        return done[lang, size]

    try:
        yield one
    finally:
        await pool.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGUAGES)
async def test_nothing_lies_outside_the_paper_and_no_page_is_left_empty(render, lang, size):
    pdf = await render(lang, size)
    assert pdf_layout.text_outside_paper(pdf) == []
    words = pdf_layout.words_per_page(pdf)
    assert len(words) >= 3
    assert min(words[:-1]) >= MIN_WORDS_PER_PAGE, words


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGUAGES)
async def test_no_page_is_left_a_quarter_empty_before_a_landscape_table_or_a_figure(render, lang, size):
    """The text goes on before a block that would otherwise start a page early: a table
    on a landscape page of its own, a figure too tall for the room left (figures.py).
    Read from the pages as pictures, so a page ending in an image counts as full."""
    shares = pdf_layout.empty_at_foot(await render(lang, size), TOP_MM, BOTTOM_MM)
    assert None in shares  # the twelve-column table still has its landscape page
    portrait = [(n + 1, round(s, 2)) for n, s in enumerate(shares[:-1]) if s is not None]
    assert all(share < EMPTY_SHARE for _, share in portrait), portrait


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGUAGES)
async def test_table_words_are_never_broken_inside_a_column(render, lang, size):
    """The eight-column table, too wide for the portrait measure and too short for a page
    of its own, is set small enough that every word of it stays whole (tables.py)."""
    pages = pdf_layout.text_lines(await render(lang, size), portrait_only=True)
    words = {w.strip("\u2068\u2069") for page in pages for line in page for w in line.text.split()}
    heads = typeset_pages.COLUMN_HEADS[:8]
    assert [w for h in heads for w in (h, h.lower()) if w not in words] == []


async def test_a_nested_list_breaks_between_its_items():
    """A list inside a list item may start a page (WeasyPrint's own sheet says otherwise
    for every list), so the page before does not end early."""
    from server.article.model import Article
    from server.printing.worker import GlossFonts, render_pdf

    s = typeset_pages.SENTENCES["en"]
    nested = (f"<ul><li>{s[0]}<ul><li>{s[1]}<ol><li>{s[2]}</li><li>{s[3]}</li></ol></li></ul></li>"
              f"<li>{s[1]}</li></ul>")
    fonts = GlossFonts()
    empty = []
    for count in range(3, 7):  # the list meets the foot of page 1 at every height
        body = "".join(typeset_pages.paragraphs("en", count)) + nested + "".join(typeset_pages.paragraphs("en", 4))
        html = typeset(Article(url="https://news.example/l", title="Lists", body_html=body, text="", lang="en"),
                       PrintOptions(page_size="Letter"), {})
        pdf, _ = render_pdf(html, fonts)
        empty.append(round(pdf_layout.empty_at_foot(pdf, TOP_MM, BOTTOM_MM)[0], 2))
    assert max(empty) < 0.1, empty


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_code_is_monospace_headings_sans_and_no_synthesised_italic(render, lang):
    pdf = await render(lang)
    runs = pdf_layout.runs(pdf)
    code = [r for r in runs if "curl" in r.text or "transit.example.org/api" in r.text]
    assert code and all(r.font.startswith(MONOSPACE) for r in code), {r.font for r in code}
    headline = [r for r in runs if r.page == 0 and r.size > 20]  # 2 em: the h1
    assert headline and all("Sans" in r.font for r in headline), {(r.text, r.font) for r in headline}
    fonts = pdf_layout.fonts(pdf)
    assert not [f for f in fonts if "Oblique" in f]
    if lang in NO_ITALIC_SCRIPTS:
        # Not even the Latin italic: captions and emphasis follow the script's convention.
        assert not [f for f in fonts if "Italic" in f], fonts


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_labels_and_dates_in_the_page_language(render, lang):
    pdf = await render(lang)
    pages = pdf_layout.page_texts(pdf)
    text = "\n".join(pages)
    labels = labels_for(lang)
    date = local_date("2024-05-02", lang)
    for piece in date.split():
        assert piece in pages[0], (piece, pages[0][:400])
    assert " ".join(labels.links.split()) in text
    # The page label of the last page, its numbers in place ("page 6 of 6" / "6쪽 중 6쪽").
    expected = labels.page_of.format(page=len(pages), pages=len(pages))
    last_words = set(pages[-1].split())
    assert set(expected.split()) <= last_words, (expected, pages[-1][-200:])


@pytest.mark.parametrize("lang", ["en", "ru", "ko"])
async def test_sub_and_superscripts_keep_the_line_spacing(render, lang):
    pdf = await render(lang)
    runs = pdf_layout.runs(pdf)
    formula = next(r for r in runs if "CO" in r.text)
    # Baselines of the body text on that page, top to bottom.
    baselines = sorted({round(r.y, 1) for r in runs if r.page == formula.page and 10 < r.size < 12}, reverse=True)
    at = baselines.index(round(formula.y, 1))
    around = baselines[max(0, at - 3): at + 4]
    pitches = [round(a - b, 2) for a, b in zip(around, around[1:], strict=False) if a - b < 20]  # within the paragraph
    leading = 11 * 1.42
    assert len(pitches) >= 2 and all(abs(p - leading) < 0.1 for p in pitches), pitches


async def test_korean_lines_break_between_words_only(render):
    pdf = await render("ko")
    vocabulary = {w.strip(".,") for s in typeset_pages.SENTENCES["ko"] for w in s.split()}
    vocabulary |= {w for label in labels_for("ko") for w in label.split()}
    body = [line for page in pdf_layout.text_lines(pdf) for line in page
            if any("\uac00" <= ch <= "\ud7a3" for ch in line.text)]
    checked = 0
    for line in body:
        for word in line.text.split():
            if all("\uac00" <= ch <= "\ud7a3" for ch in word.strip(".,")) and len(word) > 1:
                assert word.strip(".,") in vocabulary | {typeset_pages.BYLINES["ko"].split()[0]} \
                    | set(typeset_pages.TITLES["ko"].replace(",", "").split()) | {"기자", "중"}, (word, line.text)
                checked += 1
    assert checked > 300


async def test_table_cells_never_hyphenate_and_the_widest_table_gets_a_landscape_page(render):
    pdf = await render("en")
    reader = PdfReader(BytesIO(pdf))
    landscape = [i for i, p in enumerate(reader.pages) if float(p.mediabox.width) > float(p.mediabox.height)]
    assert len(landscape) == 1
    table_text = " ".join(line.text for line in pdf_layout.text_lines(pdf)[landscape[0]])
    for head in typeset_pages.COLUMN_HEADS:
        # The header and every row, each word whole (the small table is on a portrait page).
        assert table_text.count(head) >= typeset_pages.TABLE_ROWS + 1, (head, table_text[:300])
    assert "\u2010" not in table_text and "-" not in table_text


async def test_narrow_paper_keeps_every_table_column(render):
    pdf = await render("ru", "A5")
    text = " ".join(line.text for page in pdf_layout.text_lines(pdf) for line in page)
    for head in typeset_pages.COLUMN_HEADS:
        assert head[:4] in text  # even broken as a last resort, each column's text is there


@pytest.mark.parametrize("size", ["A4", "Letter"])
async def test_the_measure_is_60_to_75_characters(render, size):
    pdf = await render("en", size)
    assert 60 <= pdf_layout.chars_per_full_line(pdf) <= 75


@pytest.mark.parametrize("lang", ["en", "ar"])
async def test_first_page_carries_the_full_address_and_its_qr_code(render, lang):
    pdf = await render(lang)
    first = PdfReader(BytesIO(pdf)).pages[0]
    address = clean_url(typeset_pages.article(lang).url)
    assert "utm_" not in address
    assert address in first.extract_text().replace("\n", "")
    codes = [img.image for img in first.images if img.image.width == img.image.height]
    assert len(codes) == 1
    matrix = segno.make_qr(address, error="m", boost_error=False, mask=FIXED_MASK).matrix
    image = codes[0].convert("L")
    module = image.width / (len(matrix) + 4)
    read = [[image.getpixel((int((x + 2.5) * module), int((y + 2.5) * module))) < 128
             for x in range(len(matrix))] for y in range(len(matrix))]
    assert read == [[bool(v) for v in row] for row in matrix]


async def test_right_to_left_pages_mirror_the_running_head_and_foot(render):
    pdf = await render("ar")
    reader = PdfReader(BytesIO(pdf))
    # A page after the first with running text: portrait (the wide table's page is not).
    number = next(n for n, page in enumerate(reader.pages) if n and page.mediabox.width < page.mediabox.height)
    width = float(reader.pages[number].mediabox.width)
    runs = [r for r in pdf_layout.runs(pdf) if r.page == number]
    head = [r for r in runs if r.y > float(reader.pages[number].mediabox.height) - 60]
    foot_page = [r for r in runs if r.y < 60 and any(ch.isdigit() for ch in r.text)]
    body_left = min(r.x for r in runs if 10 < r.size < 12)
    # The running head ends at the right edge and starts well inside (it is right-aligned);
    # the page number stands at the left.
    assert head and min(r.x for r in head) > body_left + 50, (head, body_left)
    assert foot_page and max(r.x for r in foot_page) < width / 2


async def test_link_notes_drop_tracking_parameters(render):
    text = " ".join(line.text for page in pdf_layout.text_lines(await render("en")) for line in page)
    assert "https://transit.example.org/plans/northern-line?id=42" in text
    assert "utm_" not in text and "fbclid" not in text


async def test_a_figure_that_does_not_fit_lets_the_text_go_on_before_it():
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from server.article.model import Article
    from server.printing.figures import _stranded
    from server.printing.geometry import MM_PER_PT
    from server.printing.worker import LockedFetcher, render_pdf

    fonts = FontConfiguration()
    figure = (f'<figure><img src="{typeset_pages.TALL_IMAGE}" alt=""><figcaption>A diagram of the line.'
              "</figcaption></figure>")
    # Find how much text before the figure leaves it stranded at the foot of page 1.
    for count in range(2, 16):
        body = "".join(typeset_pages.paragraphs("en", count)) + figure + "".join(typeset_pages.paragraphs("en", 6))
        html = typeset(Article(url="https://news.example/f", title="Figures", body_html=body, text="", lang="en"),
                       PrintOptions(), typeset_pages.images())
        if _stranded(HTML(string=html, url_fetcher=LockedFetcher()).render(font_config=fonts)):
            break
    else:
        pytest.fail("no layout left the figure stranded")
    pdf, _ = render_pdf(html, fonts)
    first = pdf_layout.text_lines(pdf)[0]
    height = float(PdfReader(BytesIO(pdf)).pages[0].mediabox.height)
    text_bottom = height - BOTTOM_MM / MM_PER_PT
    text_height = text_bottom - TOP_MM / MM_PER_PT
    lowest = max(line.y1 for line in first if line.y1 < text_bottom)
    # The text went on where the figure did not fit: less than a quarter of page 1 is empty.
    assert text_bottom - lowest < 0.25 * text_height, (count, text_bottom - lowest, text_height)
