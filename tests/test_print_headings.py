"""Headings on paper: no edit link in brackets after a wiki's headings, no heading left
alone at the end of the article. Pages of our own, typeset and rendered by the real
WeasyPrint path, read back from the PDF."""

from __future__ import annotations

import pdf_layout
import pytest

from server.article.model import Article
from server.printing.options import PrintOptions
from server.printing.typeset import typeset

pytestmark = pytest.mark.timeout(120)

TEXT = ("<p>A Hermitian matrix is a complex square matrix that is equal to its own conjugate transpose, "
        "so that the element in the i-th row and j-th column equals the conjugate of the element in the "
        "j-th row and i-th column.</p>")


def printed(body: str) -> list[str]:
    """The PDF's lines, running head and foot left out."""
    from server.printing.worker import GlossFonts, render_pdf

    article = Article(url="https://wiki.example/wiki/Hermitian_matrix", title="Hermitian matrix",
                      body_html=body, text="", lang="en")
    pdf, _ = render_pdf(typeset(article, PrintOptions(), {}), GlossFonts())
    return [line.text for page in pdf_layout.text_lines(pdf) for line in page]


def test_a_wiki_s_edit_links_do_not_print_after_its_headings():
    edit = '<span><span>[</span><a href="https://wiki.example/w/index.php?title=H&amp;action=edit&amp;section={n}">{word}</a><span>]</span></span>'
    body = (f'<h2><span>Applications</span>{edit.format(n=1, word="edit")}</h2>{TEXT}'
            '<h3>Spectral properties [<a href="https://wiki.example/w/index.php?title=H&amp;action=edit&amp;section=2">'
            f'modifier</a>]</h3>{TEXT}'
            # Brackets that are the heading's own words stay.
            '<h2>Arrays [<a href="https://wiki.example/wiki/Array">index</a>] and slices</h2>' + TEXT +
            '<h2>The [<a href="https://wiki.example/wiki/Matrix">matrix</a>]</h2>' + TEXT)
    lines = printed(body)
    assert "Applications" in lines
    assert "Spectral properties" in lines
    assert not any("edit" in line or "modifier" in line for line in lines)
    assert any(line.startswith("Arrays [index") and "and slices" in line for line in lines)
    assert any(line.startswith("The [matrix") and line.endswith("]") for line in lines)  # "[matrix 2 ]": its note


def test_a_heading_ending_the_article_does_not_print():
    """A section whose content was left out ("External links" without its links) printed
    its heading alone after the last paragraph."""
    lines = printed(f"<h2>Properties</h2>{TEXT}<h2>External links</h2><h3>Further reading</h3>")
    assert "Properties" in lines
    assert not any("External links" in line or "Further reading" in line for line in lines)
