"""The masthead on paper: the byline and date printed once, a headline never empty.
Pages of our own, typeset and rendered by the real WeasyPrint path, read back from the PDF."""

from __future__ import annotations

from io import BytesIO

import pdf_layout
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from server.article.model import Article
from server.printing.masthead import repeats_masthead
from server.printing.options import PrintOptions
from server.printing.typeset import typeset

pytestmark = pytest.mark.timeout(120)

TEXT = ("<p>The city council approved the new budget for public transport on Tuesday evening. Construction of "
        "the northern tram line will begin next spring and take three years.</p>"
        "<p>Residents who spoke at the meeting asked for more frequent buses at night.</p>")


def printed(body: str, *, title: str = "Council approves the tram line", byline: str = "Jane Doe",
            published: str = "2019-11-19", lang: str = "en") -> tuple[str, bytes, str]:
    """(the typeset HTML, the PDF, the PDF's text as one line)."""
    from server.printing.worker import GlossFonts, render_pdf

    article = Article(url="https://news.example/tram", title=title, byline=byline, published=published,
                      site_name="City News", body_html=body, text="", lang=lang)
    html = typeset(article, PrintOptions(), {})
    pdf, _ = render_pdf(html, GlossFonts())
    return html, pdf, " ".join(pdf_layout.page_texts(pdf))


@pytest.mark.parametrize(("dateline", "lang", "published", "gone"), [
    ("5:45 AM PST 11/19/2019 by Jane Doe", "en", "2019-11-19", "11/19/2019"),
    ("Posted on Tuesday, November 19th, 2019", "en", "2019-11-19T05:45:00-08:00", "Tuesday"),
    ("By Jane Doe", "en", "", "By Jane"),
    ("Veröffentlicht am 19. November 2019 von Jane Doe", "de", "2019-11-19", "Veröffentlicht"),
    ("2018-08-16", "ja", "2018-08-16", "2018-08-16"),
])
def test_a_dateline_repeating_the_masthead_prints_once(dateline, lang, published, gone):
    """The masthead prints the byline and date; a body opening with the same facts in the
    page's own format ("5:45 AM PST 11/19/2019 by Patrick Shanley") printed them twice."""
    _, _, text = printed(f"<p>{dateline}</p>{TEXT}", lang=lang, published=published)
    assert gone not in text
    assert text.count("Jane Doe") == 1  # in the masthead
    assert "The city council approved" in text


@pytest.mark.parametrize("opening", [
    "Updated 11/20/2019 by Jane Doe",  # another date: news the masthead does not give
    "By Jane Doe and John Roe",  # a second author
    "Jane Doe covered the council for ten years.",  # a sentence about the author
    "5 min read · Nov 19, 2019",
])
def test_an_opening_line_saying_more_than_the_masthead_stays(opening):
    _, _, text = printed(f"<p>{opening}</p>{TEXT}")
    assert " ".join(opening.split()) in text


def test_the_date_is_matched_in_any_common_format():
    for line in ("11/19/2019", "19.11.19, 14:30 CET", "19 de noviembre de 2019", "Nov 19", "2019年11月19日",
                 "Tuesday 19 November 2019 | Jane Doe"):
        assert repeats_masthead(line, "Jane Doe", "2019-11-19", "es" if "de" in line else "en"), line
    for line in ("11/20/2019", "Nov 19, 2018", "On 11/19/2019 the council met and voted for the budget."):
        assert not repeats_masthead(line, "Jane Doe", "2019-11-19", "en"), line


def test_a_page_without_a_title_prints_no_empty_heading():
    html, pdf, text = printed(TEXT, title="")
    assert lxml_html.fromstring(html).find(".//h1") is None
    assert text.startswith("CITY NEWS")
    assert "The city council approved" in text


def test_a_page_without_a_title_takes_the_heading_its_text_opens_with():
    heading = "Northern tram line approved"
    html, pdf, text = printed(f"<h2>{heading}</h2>{TEXT}", title="")
    assert lxml_html.fromstring(html).find(".//h1").text_content() == heading
    assert text.count(heading) == 1  # moved to the masthead, not printed twice
    assert PdfReader(BytesIO(pdf)).metadata.title == heading
    # Set as the headline: in the heading face, larger than the text.
    sizes = [run.size for run in pdf_layout.runs(pdf) if run.text.strip() and run.text.strip() in heading]
    body = [run.size for run in pdf_layout.runs(pdf) if "council approved" in run.text]
    assert sizes and body and min(sizes) > 1.5 * max(body)
    # A heading further down is a section heading, not a headline.
    html, _, _ = printed(f"{TEXT}<h2>{heading}</h2>{TEXT}", title="")
    assert lxml_html.fromstring(html).find(".//h1") is None
