"""Typesetting's small parts without a render: language detection, link clean-up, dates."""

from __future__ import annotations

import typeset_pages

from server.printing.labels import local_date
from server.printing.language import detect_language
from server.printing.links import clean_url, display_url
from server.printing.options import PrintOptions
from server.printing.tables import table_class
from server.printing.typeset import typeset


def test_language_is_detected_when_the_page_does_not_say():
    for lang in typeset_pages.LANGUAGES:
        html = typeset(typeset_pages.article(lang, declare_lang=False), PrintOptions(), {})
        assert f'<html lang="{lang}"' in html
    assert detect_language("ok") == ""


def test_tracking_parameters_and_long_addresses():
    assert clean_url("https://a.example/p?id=1&utm_source=x&gclid=2&fbclid=3&mc_eid=4") == "https://a.example/p?id=1"
    assert clean_url("https://a.example/p?utm_medium=email#top") == "https://a.example/p#top"
    long = "https://a.example/" + "section/" * 20 + "the-article-slug"
    shown = display_url(long)
    assert len(shown) <= 90 and shown.startswith("https://a.example/") and shown.endswith("article-slug")


def test_dates_follow_the_language():
    assert local_date("2024-05-02", "de") == "2. Mai 2024"
    assert local_date("2024-05-02", "ko") == "2024년 5월 2일"
    assert local_date("2024-05-02", "ru").startswith("2 мая 2024")
    assert local_date("sometime", "fr") == "sometime"


def test_tables_are_set_by_how_wide_their_words_make_them():
    from lxml import html as lxml_html

    def table(columns: int, word: str, rows: int = 20) -> object:
        cells = "".join(f"<td>{word}</td>" for _ in range(columns))
        return lxml_html.fragment_fromstring(f"<table>{f'<tr>{cells}</tr>' * rows}</table>")

    assert table_class(table(3, "short"), 32, 70) == ""
    assert table_class(table(8, "short"), 32, 70) == "wide"
    assert table_class(table(12, "Construction"), 32, 70) == "widest"
    # A few rows are not worth a page of their own; no landscape page wider than the
    # portrait measure is either: smaller type it is.
    assert table_class(table(12, "Construction", rows=4), 32, 70) == "wide"
    assert table_class(table(12, "Construction"), 32, 30) == "wide"


def test_a_declared_language_gives_way_only_to_a_text_that_plainly_says_otherwise():
    from server.article.model import Article
    from server.printing.language import article_language

    german = ("Die Stadtverwaltung hat am Dienstagabend den neuen Haushalt für den öffentlichen Nahverkehr "
              "beschlossen. Der Bau der nördlichen Straßenbahnlinie beginnt im kommenden Frühjahr und dauert "
              "drei Jahre. Anwohner, die bei der Sitzung sprachen, forderten häufigere Busse in der Nacht. ") * 3
    english = " ".join(typeset_pages.SENTENCES["en"] * 4)

    def language(text: str, declared: str) -> str:
        return article_language(Article(url="", title="", body_html="", text=text, lang=declared))

    assert language(german, "en") == "de"  # a site-wide lang="en" over a German article
    assert language(english, "en-GB") == "en-GB"  # agreement keeps the declared tag, region and all
    assert language(german[:200], "en") == "en"  # too little text to overrule the page
    assert language(english, "") == "en"


def test_blank_lines_made_of_line_breaks_become_paragraph_breaks():
    from server.article.model import Article

    body = ('<p><br>\nThe fee was paid this morning.<br><br>\nThe keeper flew to London.<br> <br>'
            'He will sign <b>today</b>.<br></p><p><a href="https://a.example/photo.jpg"><img src="https://a.example/p.jpg">'
            '</a></p><p>12 High Street<br>Springfield</p><ul><li>one<br></li></ul>')
    html = typeset(Article(url="https://a.example/a", title="Breaks", body_html=body, text="", lang="en"),
                   PrintOptions(), {})
    article = html[html.index('<div class="article-body">'):]
    assert "<p>\nThe fee was paid this morning.</p>" in article
    assert "<p>\nThe keeper flew to London.</p>" in article
    assert "<p>He will sign <b>today</b>.</p>" in article
    # The paragraph that held only an image the print leaves out is gone, not left blank.
    assert "<p><a" not in article and "<p></p>" not in article
    # A single break between two runs of text is a line break the text means.
    # (A short line before a block is marked as its lead-in: lead_ins.py.)
    assert ">12 High Street<br>Springfield</p>" in article or ">12 High Street<br/>Springfield</p>" in article
    assert "<li>one</li>" in article
