"""Formulas as a reader of the plain text and of the printed page meets them: MathML
written out with its scripts marked (x^2, a_k), operands set side by side kept apart, and
a formula a page shows as a picture (its MathML hidden beside it) printed as text. Small
pages of our own, extracted as `gloss extract` does and printed as /api/print does."""

from __future__ import annotations

import io
import re

from lxml import html as lxml_html
from pypdf import PdfReader

from server.article.extract import extract_article
from server.article.model import Page
from server.printing.options import PrintOptions
from server.printing.typeset import typeset
from server.printing.worker import GlossFonts, render_pdf

URL = "https://journal.example.net/2025/04/estuary-model/"
PROSE = [
    "The harbour board asked the college to model the estuary after the storm tide of 1839, and the "
    "two engineers who took the work wrote their reasoning into a notebook that the library now keeps.",
    "Their model treats the channel as a line of basins joined by narrow passages, each filling and "
    "emptying with the tide, and it predicted the height of high water at the quay within a hand's width.",
    "The notebook closes with a table of the heights they measured against the heights they predicted, "
    "and a note that the model fails only when the wind holds from the east for several days.",
]
QUADRATIC = ("<math><mi>a</mi><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><mi>b</mi><mi>x</mi><mo>+</mo>"
             "<mi>c</mi><mo>=</mo><mn>0</mn></math>")
CAUCHY = ("<math display='block'><msup><mrow><mo>(</mo><munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>1</mn>"
          "</mrow><mi>n</mi></munderover><msub><mi>a</mi><mi>k</mi></msub><msub><mi>b</mi><mi>k</mi></msub><mo>)</mo>"
          "</mrow><mn>2</mn></msup></math>")
ROOTS = ("<math display='block'><mi>x</mi><mo>=</mo><mfrac><mrow><mo>−</mo><mi>b</mi><mo>±</mo><msqrt><msup><mi>b</mi>"
         "<mn>2</mn></msup><mo>−</mo><mn>4</mn><mi>a</mi><mi>c</mi></msqrt></mrow><mrow><mn>2</mn><mi>a</mi></mrow>"
         "</mfrac></math>")


def page(body: str) -> Page:
    before, after = (f"<p>{p}</p>" for p in PROSE[:2]), f"<p>{PROSE[2]}</p>"
    return Page(url=URL, html=("<!DOCTYPE html><html lang='en'><head><title>A model of the estuary</title></head>"
                               f"<body><main><article><h1>A model of the estuary</h1>{''.join(before)}"
                               f"{body}{after}</article></main></body></html>"))


def text(body: str) -> str:
    """The article's plain text, thin spaces read as the spaces they are."""
    return re.sub(r"[ \u2009]+", " ", extract_article(page(body)).text)


def test_scripts_are_marked_and_operands_side_by_side_kept_apart_in_the_text():
    got = text(f"<p>They began from {QUADRATIC}, whose roots are</p>{ROOTS}<p>and bounded the flow with</p>{CAUCHY}")
    assert "They began from a x^2 + b x + c = 0, whose roots are" in got
    assert "x = (−b ± √(b^2 − 4 a c))/(2 a)" in got
    assert "(∑_(k = 1)^n a_k b_k)^2" in got
    # Counter-example: a superscript in prose (a note's number) is no formula: no mark.
    assert "the storm tide of 18391" in text("<p>Their notes cite the storm tide of 1839<sup>1</sup> twice.</p>")


def test_the_printed_formula_keeps_real_scripts_and_a_class_a_page_cannot_borrow():
    article = extract_article(page(f"<p>They began from {QUADRATIC}, which the <span class='math highlight'>clerk"
                                   "</span> knew.</p>"))
    body = lxml_html.fragment_fromstring(article.body_html, create_parent="div")
    formula = body.find(".//span[@class='math']")
    assert formula is not None and [s.text for s in formula.iter("sup")] == ["2"]
    # The page's own classes never reach the print: only the formula's mark is kept.
    assert all(s.get("class") in (None, "math") for s in body.iter("span"))
    document = lxml_html.document_fromstring(typeset(article, PrintOptions(links="none"), {}))
    assert document.find(".//div[@class='article-body']//span[@class='math']/sup") is not None
    assert all(s.get("class") != "math highlight" for s in document.iter("span"))


def test_a_binomial_an_accent_and_a_prime_read_as_written():
    binomial = ("<math><mrow><mo>(</mo><mfrac linethickness='0'><mi>n</mi><mi>k</mi></mfrac><mo>)</mo></mrow>"
                "<msup><mi>p</mi><mi>k</mi></msup></math>")
    fraction = "<math><mfrac><mi>n</mi><mi>k</mi></mfrac></math>"
    accent = "<math><mover><mi>x</mi><mo>˙</mo></mover><mo>=</mo><msup><mi>f</mi><mo>′</mo></msup></math>"
    wide = "<math><mover><mrow><mi>A</mi><mo>+</mo><mi>B</mi></mrow><mo>¯</mo></mover></math>"
    got = text(f"<p>The chance is {binomial}, the share {fraction}, the rate {accent} and the mean {wide} here.</p>")
    assert "The chance is (n choose k) p^k, the share n/k," in got  # a stacked pair, no bar
    assert "the rate ẋ = f′ and" in got
    # Counter-example: an accent over more than one letter stays a script over the group.
    assert "the mean A + B^¯ here" in got


def test_a_matrix_writes_its_cells_apart():
    matrix = ("<math><mrow><mo>[</mo><mtable><mtr><mtd><mn>2</mn></mtd><mtd><mn>2</mn><mo>+</mo><mi>i</mi></mtd></mtr>"
              "<mtr><mtd><mn>2</mn><mo>−</mo><mi>i</mi></mtd><mtd><mn>3</mn></mtd></mtr></mtable><mo>]</mo></mrow></math>")
    # Counter-example: a system of equations set in a table only to align them.
    system = ("<math><mtable><mtr><mtd><mi>x</mi></mtd><mtd><mo>=</mo><mn>1</mn></mtd></mtr>"
              "<mtr><mtd><mi>y</mi></mtd><mtd><mo>=</mo><mn>2</mn></mtd></mtr></mtable></math>")
    got = text(f"<p>The matrix {matrix} is Hermitian, and the system {system} has one solution.</p>")
    assert "The matrix [2, 2 + i; 2 − i, 3] is Hermitian" in got
    assert "the system x = 1; y = 2 has one solution" in got


def formula_picture(math: str, tex: str, display: bool = False) -> str:
    """A formula as an encyclopedia page shows it: a picture of it, its MathML hidden
    beside it for screen readers, the two alone in a box of their own."""
    box = "div" if display else "span"
    return (f"<{box} class='formula'><{box} class='formula-a11y' style='display: none;'>{math}</{box}>"
            f"<img src='/render/{abs(hash(tex))}.svg' alt='{tex}' aria-hidden='true'></{box}>")


def test_a_formula_shown_as_a_picture_prints_from_its_hidden_mathml():
    inner = "<math><mrow><mo>⟨</mo><mo>⋅</mo><mo>,</mo><mo>⋅</mo><mo>⟩</mo></mrow></math>"
    display = "<math display='block'><msup><mi>A</mi><mi>H</mi></msup><mo>=</mo><mi>A</mi></math>"
    body = ("<div><p>A square matrix is its own adjoint when</p>" + formula_picture(display, "A^H=A", True)
            + "for any pair of vectors, where " + formula_picture(inner, "\\langle\\cdot\\rangle")
            + " denotes <a href='/inner'>the inner product</a> operation, which the engineers wrote by hand."
            "<p>They checked it on the tide gauges of three harbours before they trusted it.</p></div>")
    got = text(body)
    assert "A^H = A" in got
    assert "for any pair of vectors, where ⟨⋅,⋅⟩ denotes the inner product operation" in got
    pdf, _ = render_pdf(typeset(extract_article(page(body)), PrintOptions(images=False), {}), GlossFonts(),
                        pdf_variant=None)
    printed = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "where ⟨⋅,⋅⟩ denotes the inner product" in printed


def test_hidden_mathml_without_a_picture_in_its_place_stays_hidden():
    # Counter-examples: a hidden answer (no picture shown instead), and a box that holds
    # words beside the picture, are not a formula's picture and its MathML.
    hidden = ("<p>The question set for the apprentices:</p><div style='display:none' class='answer'>"
              "<math><mi>h</mi><mo>=</mo><mn>4.1</mn></math></div>")
    assert "h = 4.1" not in text(hidden)
    worded = ("<p>The gauge reads <span class='formula'><span style='display:none'><math><mi>h</mi><mo>=</mo>"
              "<mn>7</mn></math></span>height seven<img src='/gauge.svg' alt='h=7'></span> at noon.</p>")
    assert "h = 7" not in text(worded)


def test_one_letter_variables_print_in_italics_and_names_upright():
    sine = ("<math><mi>sin</mi><mo>&#x2061;</mo><mi>θ</mi><mo>=</mo><mi mathvariant='normal'>A</mi>"
            "<mover><mi>x</mi><mo>˙</mo></mover></math>")
    article = extract_article(page(f"<p>They wrote {sine} for the swing of the tide gauge.</p>"))
    body = lxml_html.fragment_fromstring(article.body_html, create_parent="div")
    assert [v.text for v in body.iter("var")] == ["θ", "ẋ"]  # an accent stays on its letter
    assert "sin θ = A ẋ for the swing" in re.sub(r"[ \u2009]+", " ", article.text)
