"""The article's structure on the way to paper: small pages of our own, each holding one
kind of structure, extracted and typeset as /api/preview does, checked in the printed
HTML (and, for a page laid out in a table and a short notice, in the PDF read back)."""

from __future__ import annotations

import io
import re

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from server.article.extract import extract_article
from server.article.loose import with_loose_text
from server.article.model import Page
from server.errors import NoArticle
from server.printing.options import PrintOptions
from server.printing.typeset import typeset
from server.printing.worker import GlossFonts, render_pdf

URL = "https://journal.example.net/2025/03/tides/"
PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
         "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
# Prose of our own, so that each page is an article by any measure.
PROSE = [
    "Tide tables for the estuary were first printed in 1833 by a harbour clerk who walked the quay "
    "at every low water for eleven years and wrote the heights into a ledger now kept at the library.",
    "His figures were good enough that the pilots used them until the survey of 1901, when the new "
    "gauges showed that the channel had silted and the times of high water had moved by a quarter hour.",
    "The survey's maps are still consulted by the dredging crews, who say the old soundings show where "
    "the river used to run before the embankments pushed it against the northern shore of the bay.",
    "A copy of the clerk's ledger is on display this month, opened at the page where he noted the great "
    "storm tide of 1839 and the boats that were lifted over the sea wall into the market square.",
]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def page(body: str, images: dict[str, str] | None = None) -> Page:
    html = ("<!DOCTYPE html><html lang='en'><head><title>The clerk who measured the tides</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/history'>History</a></nav><main><article>"
            f"<h1>The clerk who measured the tides</h1>{body}</article></main>"
            "<footer><p>About us · Contact · Privacy</p></footer></body></html>")
    return Page(url=URL, html=html, images=images or {})


def printed(body: str, images: dict[str, str] | None = None) -> lxml_html.HtmlElement:
    """The article body of the document /api/preview would answer for this page."""
    source = page(body, images)
    article = extract_article(source)
    document = typeset(article, PrintOptions(links="none"), dict(source.images))
    tree = lxml_html.document_fromstring(document)
    return tree.find(".//div[@class='article-body']")


def prose(*indexes: int) -> str:
    return "".join(f"<p>{PROSE[i]}</p>" for i in indexes)


def pdf_pages(body: str, options: PrintOptions | None = None) -> list[str]:
    article = extract_article(page(body))
    pdf, _ = render_pdf(typeset(article, options or PrintOptions(images=False), {}), GlossFonts(), pdf_variant=None)
    return [fold(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_a_paragraph_stays_whole_with_its_inline_markup_and_spaces():
    body = printed(prose(0) + "<p>The ledger lists the <b>great storm tide</b> of 1839, the <a href='/boats'>boats "
                   "lifted over the wall</a> and a note in <code>ink</code> that reads <i>never again</i>, then "
                   "goes on for another forty pages of heights.</p>" + prose(1, 2))
    paragraphs = [p for p in body.iter("p") if "great storm tide" in p.text_content()]
    assert len(paragraphs) == 1
    text = fold(paragraphs[0].text_content())
    assert "the great storm tide of 1839, the boats lifted over the wall and a note in ink that reads never again," \
        in text
    assert [e.tag for e in paragraphs[0] if e.tag in ("b", "a", "code", "i")] == ["b", "a", "code", "i"]


def test_block_quotes_keep_their_paragraphs_and_attribution():
    body = printed(prose(0) + "<blockquote><p>The water came in faster than a man could walk.</p>"
                   "<p>By morning the square was a lake.</p><footer>— Harbour clerk, 1839</footer></blockquote>"
                   + prose(1) + "<figure><blockquote><p>We steered by his numbers for seventy years.</p></blockquote>"
                   "<figcaption>— A river pilot</figcaption></figure>" + prose(2, 3))
    quotes = list(body.iter("blockquote"))
    assert len(quotes) == 2
    assert "The water came in faster" in quotes[0].text_content()
    assert "By morning the square was a lake." in quotes[0].text_content()
    assert "Harbour clerk, 1839" in quotes[0].text_content()
    assert "We steered by his numbers" in quotes[1].text_content()
    assert "A river pilot" in fold(body.text_content())


def test_nested_lists_stay_nested():
    body = printed(prose(0, 1) + "<ul><li>Low water marks<ul><li>spring tides</li><li>neap tides</li></ul></li>"
                   "<li>High water marks</li><li>Storm surges recorded by the clerk</li></ul>" + prose(2, 3))
    outer = [u for u in body.iter("ul") if u.getparent().tag != "li"]
    assert len(outer) == 1
    inner = outer[0].find("li/ul")
    assert inner is not None and [fold(li.text_content()) for li in inner] == ["spring tides", "neap tides"]


def test_a_data_table_prints_as_a_table():
    body = printed(prose(0, 1) + "<table><caption>Heights at the quay</caption><tr><th>Year</th><th>Height (m)</th></tr>"
                   "<tr><td>1833</td><td>4.1</td></tr><tr><td>1839</td><td>6.3</td></tr></table>" + prose(2, 3))
    tables = list(body.iter("table"))
    assert len(tables) == 1
    assert [fold(c.text_content()) for c in tables[0].iter("th", "td")] == ["Year", "Height (m)", "1833", "4.1",
                                                                           "1839", "6.3"]


LAYOUT_TABLE = ("<table width='100%'><tr><td valign='top'>" + prose(0, 1, 2, 3)
                + "<p>" + " ".join(PROSE) + "</p><p>" + " ".join(reversed(PROSE)) + "</p>"
                + "</td><td width='200'><p>Pull quote: the water came in faster than a man could walk.</p></td></tr>"
                "</table>")


def test_a_layout_table_prints_as_flow():
    body = printed(LAYOUT_TABLE)
    assert body.find(".//table") is None and body.find(".//td") is None
    assert PROSE[0][:60] in fold(body.text_content())


def test_a_layout_table_article_starts_on_page_one():
    pages = pdf_pages(LAYOUT_TABLE)
    assert PROSE[0][:40] in pages[0]
    assert all(len(text.split()) >= 25 for text in pages[:-1])


def test_figures_keep_their_captions_and_empty_containers_go():
    images = {"https://journal.example.net/img/ledger.jpg": PIXEL}
    body = printed(prose(0) + "<figure><img src='/img/ledger.jpg' alt='The ledger' width='800'>"
                   "<figcaption>The clerk's ledger, open at 1839.</figcaption></figure>" + prose(1)
                   + "<figure><img src='/img/missing.jpg' width='800'><figcaption>A picture that never came."
                   "</figcaption></figure><div class='image-wrapper'><span></span></div>" + prose(2, 3), images)
    figures = list(body.iter("figure"))
    assert len(figures) == 1
    assert fold(figures[0].find("figcaption").text_content()) == "The clerk's ledger, open at 1839."
    assert "A picture that never came." not in body.text_content()
    assert not [e for e in body.iter() if e is not body and e.tag not in ("img", "br", "hr", "td", "th")
                and not fold(e.text_content()) and e.find(".//img") is None]


def test_code_keeps_its_lines():
    body = printed(prose(0, 1) + "<pre><code>def height(t):<br>    return 4.1 + 2.2 * cos(t)\n</code></pre>"
                   + prose(2, 3))
    pre = body.find(".//pre")
    assert pre is not None
    text = "".join(pre.itertext()) if pre.find(".//br") is None else pre.text_content()
    assert "def height(t):" in text and "return 4.1" in text
    assert "\n" in text or pre.find(".//br") is not None


def test_sub_and_superscripts_keep_their_markup():
    body = printed(prose(0, 1) + "<p>The clerk summed Σ<sub><i>i</i>=1</sub><sup><i>n</i></sup> h<sub>i</sub> "
                   "over each year and wrote the mean in m<sup>2</sup> of flooded ground.</p>" + prose(2, 3))
    subs = [fold(s.text_content()) for s in body.iter("sub")]
    sups = [fold(s.text_content()) for s in body.iter("sup")]
    assert subs == ["i=1", "i"] and sups == ["n", "2"]
    assert body.find(".//sub/i") is not None


def test_mathml_prints_as_readable_text():
    body = printed(prose(0, 1) + "<p>The height follows <math><msup><mi>h</mi><mn>2</mn></msup><mo>=</mo>"
                   "<mfrac><mi>a</mi><mi>b</mi></mfrac></math> at every tide.</p>" + prose(2, 3))
    paragraph = next(p for p in body.iter("p") if "The height follows" in p.text_content())
    assert "h2 = a/b" in fold(paragraph.text_content())
    assert paragraph.find(".//sup") is not None and fold(paragraph.find(".//sup").text_content()) == "2"


def test_a_short_notice_that_is_the_whole_page_prints():
    notice = ("The reading room is closed on Monday for the installation of the new shelving. The ledger "
              "exhibition reopens on Tuesday at ten, and the library apologises to visitors for the short "
              "notice and thanks them for their patience while the work is done.")
    article = extract_article(Page(url=URL, html=f"<html><head><title>Closed Monday</title></head><body>"
                                                 f"<div><p>{notice}</p></div></body></html>"))
    assert fold(article.text) == notice
    pdf, pages = render_pdf(typeset(article, PrintOptions(images=False), {}), GlossFonts(), pdf_variant=None)
    assert pages == 1 and "installation of the new shelving" in fold(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def test_a_one_line_page_is_an_article_and_furniture_alone_is_not():
    assert fold(extract_article(Page(url=URL, html="<html><body><p>Closed today.</p></body></html>")).text) \
        == "Closed today."
    with pytest.raises(NoArticle):
        extract_article(Page(url=URL, html="<html><body><nav><a href='/'>Home</a></nav>"
                                           "<footer>Contact</footer></body></html>"))


def test_a_section_named_after_its_heading_is_not_furniture():
    body = printed(prose(0) + "<section id='read-more'><h2>Read more</h2>" + prose(1, 2) + "</section>"
                   "<div class='share-bar'><a href='/s'>Share</a></div>" + prose(3))
    text = fold(body.text_content())
    assert PROSE[1][:60] in text and PROSE[2][:60] in text
    assert "Share" not in text


def test_a_body_split_over_sibling_containers_is_kept_whole():
    body = printed("<div class='story-part'>" + prose(0, 1) + "</div><div class='ad-slot'><a href='/ad'>Buy</a></div>"
                   "<div class='story-part'>" + prose(2, 3) + "</div>")
    text = fold(body.text_content())
    assert all(p[:60] in text for p in PROSE)


CROSS_REFERENCES = {
    "de": ("Lesen Sie auch: Der Pegel steigt weiter", "Mehr zum Thema: Sturmflut an der Küste"),
    "fr": ("À lire aussi : La marée du siècle", "Sur le même sujet : Les digues du port"),
    "es": ("Lee también: La marea más alta del año", "Noticias relacionadas: El puerto cierra"),
    "pt": ("Leia também: A maré mais alta do ano", "Saiba mais: O porto fecha"),
    "it": ("Leggi anche: La marea più alta dell'anno", "Per saperne di più: Il porto chiude"),
    "nl": ("Lees ook: Het hoogste tij van het jaar", "Zie ook: De haven gaat dicht"),
    "en": ("Read more: The highest tide of the year", "See also: The harbour closes"),
    "pl": ("Czytaj też: Najwyższy przypływ roku", "Zobacz także: Port zostaje zamknięty"),
    "cs": ("Čtěte také: Nejvyšší příliv roku", "Související články: Přístav se zavírá"),
    "sv": ("Läs också: Årets högsta tidvatten", "Läs mer: Hamnen stänger"),
    "da": ("Læs også: Årets højeste tidevand", "Læs mere: Havnen lukker"),
    "no": ("Les også: Årets høyeste tidevann", "Les mer: Havna stenger"),
    "fi": ("Lue myös: Vuoden korkein vuorovesi", "Lue lisää: Satama suljetaan"),
    "id": ("Baca juga: Air pasang tertinggi tahun ini", "Berita terkait: Pelabuhan ditutup"),
    "tr": ("İlgili haberler: Yılın en yüksek gelgiti", "Bunlar da ilginizi çekebilir: Liman kapanıyor"),
    "ru": ("Читайте также: Самый высокий прилив года", "По теме: Порт закрывается"),
    "uk": ("Читайте також: Найвищий приплив року", "Дивіться також: Порт закривається"),
    "zh": ("相关阅读: 年度最高潮位", "延伸阅读: 港口关闭"),
    "ja": ("関連記事: 今年最高の潮位", "あわせて読みたい: 港が閉鎖"),
}


@pytest.mark.parametrize("language", sorted(CROSS_REFERENCES))
def test_cross_reference_lines_go_in_every_common_language(language):
    first, second = CROSS_REFERENCES[language]
    label, headline = first.split(":", 1)
    body = printed(prose(0) + f"<p><strong>{label}:</strong> <a href='/other-story'>{headline.strip()}</a></p>"
                   + prose(1, 2) + f"<p><a href='/more'>{second}</a></p>" + prose(3))
    text = fold(body.text_content())
    assert all(p[:60] in text for p in PROSE)
    assert headline.strip() not in text and second.split(":", 1)[1].strip() not in text


def test_prose_that_opens_like_a_cross_reference_stays():
    line = ("Mehr zum Thema Gezeiten erzählt die Ausstellung im Hafenmuseum, die der Schreiber mit seinen "
            "Aufzeichnungen über elf Jahre möglich gemacht hat.")
    text = fold(printed(prose(0, 1) + f"<p>{line}</p>" + prose(2, 3)).text_content())
    assert line in text
    russian = "По теме приливов в музее порта открылась выставка, которую подготовил писарь за одиннадцать лет."
    text = fold(printed(prose(0, 1) + f"<p>{russian}</p>" + prose(2, 3)).text_content())
    assert russian in text


def test_a_cross_reference_with_a_full_width_colon_goes():
    body = printed(prose(0, 1) + "<p>相关阅读：<a href='/other-story'>港口的潮汐记录首次公开展出</a></p>" + prose(2, 3))
    text = fold(body.text_content())
    assert all(p[:60] in text for p in PROSE) and "港口的潮汐记录" not in text


@pytest.mark.parametrize("name", ["kommentare", "kommentarer", "comentarios", "reacties", "komentarze"])
def test_a_comment_box_named_in_another_language_goes(name):
    comments = "".join(f"<div class='entry'><p><a href='/user/{i}'>Leser {i}</a></p><p>Danke für den Bericht über "
                       f"den Hafen, Nummer {i}.</p></div>" for i in range(4))
    body = printed(prose(0, 1, 2, 3) + f"<section class='{name}'>{comments}</section>")
    text = fold(body.text_content())
    assert all(p[:60] in text for p in PROSE) and "Danke für den Bericht" not in text


def test_a_box_whose_name_only_contains_a_furniture_word_in_another_language_stays():
    # "teilnehmer" is not "teilen", "werbungsfrei" not "werbung": names count as whole words.
    line = ("Die Teilnehmer der Führung sahen das Hauptbuch des Schreibers, das in einer Vitrine "
            "neben den Karten der Vermessung liegt.")
    body = printed(prose(0, 1) + f"<div class='teilnehmer werbungsfrei'><p>{line}</p></div>" + prose(2, 3))
    assert line in fold(body.text_content())


def test_related_posts_nested_as_articles_inside_the_article_go():
    teasers = "".join(
        f"<article class='card'><a href='/story-{i}'><img src='https://journal.example.net/t{i}.jpg' width='120'></a>"
        f"<h3><a href='/story-{i}'>Another story number {i} about boats</a></h3><p>A line of teaser text {i}.</p>"
        f"</article>" for i in range(3))
    body = printed(prose(0, 1) + f"<div>{teasers}</div>" + prose(2, 3))
    text = fold(body.text_content())
    assert all(p[:60] in text for p in PROSE)
    assert "Another story number" not in text and "teaser text" not in text


def test_a_teaser_list_inside_the_article_goes():
    teasers = "".join(
        f"<li><a href='/story-{i}'><img src='https://journal.example.net/t{i}.jpg' width='120'>"
        f"<span>Another story number {i} about boats and the harbour</span></a></li>" for i in range(4))
    body = printed(prose(0, 1) + f"<ul class='list'>{teasers}</ul>" + prose(2, 3))
    text = fold(body.text_content())
    assert all(p[:60] in text for p in PROSE)
    assert "Another story number" not in text


def test_lead_text_loose_between_line_breaks_is_kept():
    lead = ("The harbour clerk's ledger, kept for eleven years at every low water, goes on show this month "
            "in the library where it has been stored since the survey of 1901.")
    second = "Visitors may turn its pages with gloves, and a copy lies open beside it for anyone to read."
    body = printed(f"<div class='intro'>{lead}<br><br>{second}<br></div>" + prose(0, 1, 2, 3))
    text = fold(body.text_content())
    assert lead in text and second in text
    assert all(p[:60] in text for p in PROSE)


def test_a_body_split_around_a_box_of_other_stories_is_kept_whole():
    more = PROSE + [
        "The library hopes to scan the whole ledger by the end of the year and put the pages online, so that "
        "the pilots' descendants can look up the tides their grandfathers sailed on.",
        "Until then the ledger stays in its glass case, and the librarians turn one page every morning so that "
        "the light falls evenly on the paper and no page fades more than another.",
    ]
    first = "".join(f"<p>{p}</p>" for p in more[:3])
    rest = "".join(f"<p>{p}</p>" for p in more[3:])
    box = ("<aside class='inline-box'><h4>Most read</h4><ul><li><a href='/a'>A story</a></li>"
           "<li><a href='/b'>Another story</a></li></ul></aside>")
    body = printed(f"<div class='text-block'>{first}</div>{box}<div class='text-block text-block--continued'>{rest}</div>")
    text = fold(body.text_content())
    assert all(p[:60] in text for p in more)
    assert "Another story" not in text


def test_a_lazy_figure_deep_in_wrappers_prints_once_with_its_caption():
    preview = "https://journal.example.net/img/max/60/ledger.png?q=20"
    real = "https://journal.example.net/img/max/2000/ledger.png"
    figure = (f"<figure><div><div><div><div><img src='{preview}' width='1894' height='970'></div>"
              f"<img width='1894' height='970'><noscript><img src='{real}' width='1894' height='970'></noscript>"
              "</div></div></div><figcaption>The ledger at the page of the storm tide.</figcaption></figure>")
    body = printed(prose(0, 1) + figure + prose(2, 3), {preview: PIXEL, real: PIXEL})
    figures = list(body.iter("figure"))
    assert len(figures) == 1 and len(list(figures[0].iter("img"))) == 1
    assert fold(figures[0].find("figcaption").text_content()) == "The ledger at the page of the storm tide."
    extracted = extract_article(page(prose(0, 1) + figure + prose(2, 3), {preview: PIXEL, real: PIXEL})).body_html
    assert real in extracted and preview not in extracted


def test_a_picture_shown_again_with_another_caption_prints_again():
    chart = "https://journal.example.net/img/heights.png"
    body = printed(prose(0) + f"<figure><img src='{chart}' width='800'><figcaption>Heights by year.</figcaption></figure>"
                   + prose(1, 2) + f"<figure><img src='{chart}' width='800'><figcaption>The storm tide of 1839, "
                   "again.</figcaption></figure>" + prose(3), {chart: PIXEL})
    captions = [fold(f.find("figcaption").text_content()) for f in body.iter("figure")]
    assert captions == ["Heights by year.", "The storm tide of 1839, again."]


def test_a_captioned_lead_picture_just_above_the_headline_is_the_lead_image():
    html = ("<html><head><title>The clerk who measured the tides</title></head><body><main><article><header>"
            "<figure><picture><img srcset='https://journal.example.net/img/quay-940.jpg 940w' alt=''></picture>"
            "<figcaption class='lead-image__credit'><span class='lead-image__caption'>The quay at low water</span> "
            "<span class='lead-image__attribution'>Harbour Archive</span></figcaption></figure>"
            "<h1>The clerk who measured the tides</h1></header>" + prose(0, 1, 2, 3) + "</article></main></body></html>")
    article = extract_article(Page(url=URL, html=html))
    lead = article.lead_image
    if lead is None:  # or the body opens with it
        assert article.body_html.startswith("<figure><img") and "quay-940.jpg" in article.body_html
        assert "The quay at low water" in article.body_html
    else:
        assert lead.src == "https://journal.example.net/img/quay-940.jpg"
        assert (lead.caption, lead.credit) == ("The quay at low water", "Harbour Archive")


def test_a_data_table_whose_header_cell_has_two_lines_stays_a_table():
    header = "<td><p>Patch size</p><p>(% of original)</p></td>"
    body = printed(prose(0, 1) + f"<table><tr><td><p>Application</p></td>{header}</tr>"
                   "<tr><td><p>Maps</p></td><td><p>8.0 MB (-89%)</p></td></tr>"
                   "<tr><td><p>Mail</p></td><td><p>3.2 MB (-71%)</p></td></tr></table>" + prose(2, 3))
    tables = list(body.iter("table"))
    assert len(tables) == 1 and "8.0 MB (-89%)" in fold(tables[0].text_content())


def test_code_that_opens_with_a_bracketed_section_is_not_a_shortcode():
    config = "[extensions]\nevolve =\ntopic =\n\n[phases]\npublish = false"
    body = printed(prose(0, 1) + f"<pre>{config}</pre><p>[figure 3: the ledger's first page]</p>" + prose(2, 3))
    assert "[extensions]" in body.find(".//pre").text_content()
    assert "[figure 3: the ledger's first page]" in fold(body.text_content())


def test_text_after_a_chosen_element_prints_once():
    body = printed(prose(0) + "<div><table><tr><td><img src='https://journal.example.net/d.png' width='600'></td></tr>"
                   "<tr><td>The ledger's first page</td></tr></table>" + PROSE[1] + "</div>" + prose(2, 3))
    assert fold(body.text_content()).count(PROSE[1][:60]) == 1


def test_a_lead_set_apart_above_the_body_is_kept():
    lead = ("For eleven years a harbour clerk walked the quay at every low water and wrote down what he saw; "
            "his ledger goes on show this month.")
    html = ("<html><head><title>The clerk who measured the tides</title></head><body><main><article><header>"
            "<h1>The clerk who measured the tides</h1></header><div class='perex'>" + lead + "</div>"
            "<div class='byline'>By Ann Tidewell</div><div class='article-body'>"
            + "".join(f"<p>{p}</p>" for p in PROSE * 2) + "</div></article></main></body></html>")
    text = extract_article(Page(url=URL, html=html)).text
    assert fold(text).startswith(lead)
    assert "Ann Tidewell" not in text


def test_a_sentence_left_loose_after_a_picture_box_in_the_body_is_kept():
    loose = ("The ledger's last page records a calm sea, a light wind from the west and the clerk's "
             "note that the new quay wall had held.")
    box = ("<div class='picture-frame'><figure><img src='https://journal.example.net/img/wall.jpg' width='600'>"
           "</figure><p class='legend'>The quay wall</p></div>")
    body = printed("<div class='story'>" + prose(0, 1) + box + loose + " <a href='/wall'>More on the wall</a> "
                   "was built in 1840." + prose(2, 3) + "</div>", {"https://journal.example.net/img/wall.jpg": PIXEL})
    text = fold(body.text_content())
    assert loose in text and "was built in 1840." in text
    assert all(p[:60] in text for p in PROSE)
    # The step itself, on the blocks an extractor might give: the two paragraphs around
    # the box and the caption inside it, not the loose sentence.
    root = lxml_html.document_fromstring("<html><body><div class='story'>" + prose(0) + box + loose
                                         + " <a href='/wall'>More on the wall</a> was built in 1840." + prose(1)
                                         + "</div></body></html>")
    paragraphs = root.findall(".//p")
    nodes = with_loose_text([paragraphs[0], paragraphs[1], paragraphs[2]], root)
    assert [fold(n.text_content())[:40] for n in nodes] == [
        PROSE[0][:40], "The quay wall", fold(loose + " More on the wall was built in 1840.")[:40], PROSE[1][:40]]
    assert nodes[2].find("a") is not None


def test_text_loose_beside_formula_boxes_in_the_body_is_kept():
    # A page in the way a script-built math renderer leaves it: every formula in a box of
    # the renderer's own (a <p> inside, nothing else), straight in the body, the sentences
    # around the inline ones loose in the body too, and subheadings between the boxes.
    def formula(text: str, block: bool) -> str:
        inner = f"<p>{text}</p>" if block else f"<span>{text}</span>"
        return f"<math-box><math-assistive>{inner}</math-assistive></math-box>"

    root = lxml_html.document_fromstring(
        "<html><body><p>When</p>" + formula("a ≠ 0", False) + ", there are two solutions to "
        + formula("ax + b = 0", False) + " and they are" + formula("x = −b/a, for every real b.", True)
        + "<h2>The tides</h2>" + formula("h(t) = A cos(ωt) + B sin(ωt), the height of the tide.", True)
        + "<p>Finally, the same formula can also sit inside a sentence, as in</p>" + formula("h(0) = A", False)
        + " which is the height of the water when the clock starts.<script>var x = 1;</script></body></html>")
    blocks = [p for p in root.iter("p")]
    nodes = with_loose_text(blocks, root)
    texts = [fold(n.text_content()) for n in nodes]
    assert texts == ["When", "a ≠ 0, there are two solutions to ax + b = 0 and they are",
                     "x = −b/a, for every real b.", "h(t) = A cos(ωt) + B sin(ωt), the height of the tide.",
                     "Finally, the same formula can also sit inside a sentence, as in",
                     "h(0) = A which is the height of the water when the clock starts."]


def test_a_short_loose_line_that_opens_a_sentence_of_its_own_or_holds_a_picture_is_left_out():
    root = lxml_html.document_fromstring(
        "<html><body><div>" + prose(0) + "Continue reading below" + prose(1)
        + "<span class='picture'><img src='/wall.jpg'><span class='caption'>The quay wall in 1840, "
          "seen from the lighthouse at low water</span></span></div></body></html>")
    paragraphs = root.findall(".//p")
    nodes = with_loose_text(paragraphs, root)
    assert [fold(n.text_content())[:40] for n in nodes] == [PROSE[0][:40], PROSE[1][:40]]


def test_a_subheading_between_two_formula_boxes_is_taken_with_them():
    # The extractor took the formulas (each a <p> inside a box that holds nothing else)
    # and left out the subheading between the boxes: it is a sibling of the boxes, so it
    # is the body's, as it would be between two paragraphs.
    from server.article.align import align
    from server.article.page_index import PageIndex

    def formula(text: str) -> str:
        return f"<math-box><math-assistive><p>{text}</p></math-assistive></math-box>"

    root = lxml_html.document_fromstring(
        "<html><body><h1>Tide formulas</h1>" + formula("h = A cos(ωt) + B sin(ωt)") + "<h2>The harmonic constants</h2>"
        + formula("A = 2.1 m and B = 0.4 m") + "</body></html>")
    found = lxml_html.fragment_fromstring("<p>h = A cos(ωt) + B sin(ωt)</p><p>A = 2.1 m and B = 0.4 m</p>",
                                          create_parent="body")
    nodes = align(found, PageIndex(root), {}, frozenset({"h2"})).nodes
    assert [fold(n.text_content()) for n in nodes] == [
        "h = A cos(ωt) + B sin(ωt)", "The harmonic constants", "A = 2.1 m and B = 0.4 m"]


def test_the_byline_opening_the_body_and_a_filing_line_of_links_are_left_out():
    html = ("<html><head><title>The clerk who measured the tides</title>"
            "<meta name='author' content='Ann Tidewell'></head><body><main><article>"
            "<h1>The clerk who measured the tides</h1><div class='story'><p>By Ann Tidewell</p>"
            "<p class='topics'>Topics: <a href='/t/tides'>tides</a>, <a href='/t/history'>history</a>, "
            "<a href='/t/harbours'>harbours</a></p>" + prose(0, 1, 2, 3) + "</div></article></main></body></html>")
    article = extract_article(Page(url=URL, html=html))
    assert article.byline == "Ann Tidewell"
    assert "Tidewell" not in article.text and "Topics" not in article.text
    assert all(p[:60] in fold(article.text) for p in PROSE)


def test_a_filing_word_opening_a_sentence_of_prose_is_kept():
    sentence = "Topics: the clerk wrote about tides, storms and the boats in the harbour, in his own words."
    text = extract_article(page(prose(0, 1) + f"<p>{sentence} <a href='/ledger'>The ledger</a> is online.</p>"
                                + prose(2, 3))).text
    assert sentence in fold(text)


def test_a_line_break_closing_an_inline_element_that_text_follows_stays_a_break():
    from server.article.clean import clean_fragment, fragment_text
    item = lxml_html.fragment_fromstring(
        "<ul><li><strong>Not just the tides<br></strong>The clerk also noted the wind.</li></ul>")
    assert fragment_text(clean_fragment([item], URL)) == "Not just the tides\nThe clerk also noted the wind."
    # At the very end or start of a block, however deep, it is still dropped (a blank line).
    paragraph = lxml_html.fragment_fromstring("<p><b><br>The ledger</b> is on show.<i>Now<br></i></p>")
    clean = clean_fragment([paragraph], URL)
    assert clean.find(".//br") is None and fragment_text(clean) == "The ledger is on show.Now"


def test_inline_elements_chosen_as_blocks_of_their_own_print_as_paragraphs():
    from server.article.clean import clean_fragment, fragment_text
    box = lxml_html.fragment_fromstring("<div><a href='/ledger'>The clerk's ledger</a> <br> "
                                        "<a href='/more'>Learn more about the tides</a></div>")
    clean = clean_fragment(list(box.iter("a")), URL)
    assert [fold(p.text_content()) for p in clean.iter("p")] == ["The clerk's ledger", "Learn more about the tides"]
    assert fragment_text(clean) == "The clerk's ledger\n\nLearn more about the tides"


def test_a_table_an_extractor_copied_without_its_linked_cells_is_the_page_table():
    from server.article.align import align
    from server.article.page_index import PageIndex
    rows = [("Harbour", "Depth"), ("Old quay", "4.1 m"), ("New quay", "6.3 m"), ("Lock", "5.0 m")]
    page_rows = "".join(f"<tr><td><a href='/{a}'>{a}</a></td><td>{b}</td></tr>" for a, b in rows[1:])
    root = lxml_html.document_fromstring(
        f"<html><body>{prose(0)}<table><tr><th>{rows[0][0]}</th><th>{rows[0][1]}</th></tr>{page_rows}</table>"
        f"{prose(1)}</body></html>")
    copied_rows = "".join(f"<tr><td></td><td>{b}</td></tr>" for _, b in rows[1:])
    found = lxml_html.fragment_fromstring(
        f"{prose(0)}<table><tr><th>Harbour</th><th>Depth</th></tr>{copied_rows}</table>{prose(1)}",
        create_parent="body")
    nodes = align(found, PageIndex(root), {}).nodes
    table = nodes[1]
    assert table.getroottree().getroot() is root  # the page's own table
    assert [a.text for a in table.iter("a")] == ["Old quay", "New quay", "Lock"]


def test_a_dateline_above_the_body_is_neither_lead_nor_body():
    # A dateline long enough to pass for a lead, and a list of date, section and comments
    # that an extractor took: both carry the page's date markup, and the date prints
    # above the body.
    from server.article.lead import lead_paragraph
    from server.article.trim import trim
    dateline = ("<p class='info'>The Harbour Journal | <time datetime='2025-03-04T13:36'>04.03.2025 at 13:36</time> "
                "· Updated <time datetime='2025-03-05T20:13'>05.03.2025 at 20:13</time> | By "
                "<span itemprop='author'>Ann Tidewell (with the archive's own staff and readers)</span>.</p>")
    info = ("<ul class='info-list'><li><div data-datetime='4 March 2025'>4 March 2025</div></li>"
            "<li><a href='/harbour'>Harbour</a></li><li>12 comments</li></ul>")
    root = lxml_html.document_fromstring("<html><body><article><h1>The clerk</h1>" + dateline
                                         + "<div class='story'>" + info + prose(0, 1) + "</div></article></body></html>")
    story = root.find(".//div")
    nodes = list(story)
    assert lead_paragraph(nodes[1:], root, "The clerk") is None
    assert [fold(n.text_content())[:40] for n in trim(nodes)] == [PROSE[0][:40], PROSE[1][:40]]
    # A sentence with a date opening the body is the body's (in Japanese too: no spaces).
    opening = [lxml_html.fragment_fromstring(html) for html in (
        "<p>On <time datetime='1851-03-04'>4 March 1851</time> the clerk closed the ledger.</p>",
        "<p><time datetime='1851-03-04'>1851年3月4日</time>、書記は帳面を閉じた。</p>")]
    for line in opening:
        assert trim([line, nodes[1]]) == [line, nodes[1]]
    # Once the body's sentences have begun, a line with a date is the article's.
    later = lxml_html.fragment_fromstring("<p>The ledger closes on <time>4 March 1851</time>.</p>")
    assert trim([nodes[1], later]) == [nodes[1], later]


def test_a_lead_below_the_authors_portrait_is_a_lead_and_below_a_picture_a_caption():
    from server.article.lead import lead_paragraph
    lead = ("Eleven years at the quay: a harbour clerk wrote the heights of every low water into a ledger, "
            "and his figures served the pilots until 1901.")
    author = ("<div class='author-box'><a href='/authors/ann'><img src='/ann-80x80.jpg' alt='Ann Tidewell'></a>"
              "<a href='/authors/ann'>Ann Tidewell</a></div>")
    picture = "<div class='picture'><img src='/quay.jpg' alt='The quay'></div>"
    for box, expected in ((author, lead), (picture, None)):
        root = lxml_html.document_fromstring(f"<html><body><article><h1>The clerk</h1>{box}<div>{lead}</div>"
                                             f"<div class='story'>{prose(0, 1)}</div></article></body></html>")
        nodes = root.findall(".//div[@class='story']/p")
        found = lead_paragraph(nodes, root, "The clerk")
        assert (None if found is None else fold(found.text_content())) == expected


def test_cards_of_other_stories_under_their_own_heading_closing_the_body_go_and_a_roundup_stays():
    from server.article.trim import trim

    def blocks(html: str) -> list:
        return list(lxml_html.fragment_fromstring(html, create_parent="div"))

    cards = "<h2>Other columns</h2>" + "".join(
        f"<h4><b>Opinion</b> <a href='/opinion/{i}'>Another writer's column {i}</a></h4>"
        f"<p>A summary of that other column, number {i}, in a line or two of its own words.</p>" for i in range(3))
    nodes = blocks(prose(0, 1, 2, 3, 0, 1, 2, 3) + cards)
    assert [fold(n.text_content())[:30] for n in trim(nodes)] == [p[:30] for p in PROSE * 2]
    # A roundup: its linked items follow its introduction, with no heading of their own.
    roundup = blocks(prose(0) + "".join(f"<h3><a href='/game/{i}'>Game {i} ($20)</a></h3><p>{PROSE[i]}</p>"
                                        for i in range(1, 4)))
    assert trim(roundup) == roundup
    # A post that is a list of links under a heading: the links are its body.
    links = blocks("<p>This week's reading.</p><h2>Links</h2>" + "".join(
        f"<h3><a href='https://example.org/{i}'>A story worth reading, number {i}</a></h3><p>{PROSE[i]}</p>"
        for i in range(4)))
    assert trim(links) == links
    # Headings whose links point inside the page are the article's own sections.
    sections = blocks(prose(0) + "<h2>Further notes</h2>" + "".join(
        f"<h3><a href='#note-{i}'>Note {i}</a></h3><p>{PROSE[i][:70]}</p>" for i in range(1, 4)))
    assert trim(sections) == sections


def test_a_paragraph_of_prose_the_extractor_skipped_between_two_body_blocks_is_taken():
    from server.article.align import align
    from server.article.page_index import PageIndex
    root = lxml_html.document_fromstring(
        "<html><body><div class='story'><h3>The ledger</h3><div class='video'><iframe src='/v'></iframe></div>"
        f"<p>{PROSE[0]}</p><p>{PROSE[1]}</p><p><a href='/more'>More from the archive and the library</a></p>"
        f"<p>Short line.</p><p>{PROSE[2]}</p></div></body></html>")
    found = lxml_html.fragment_fromstring(f"<h3>The ledger</h3><p>{PROSE[1]}</p><p>{PROSE[2]}</p>",
                                          create_parent="body")
    nodes = align(found, PageIndex(root), {}, frozenset({"p"})).nodes
    # The prose paragraph after the video box joins; the link line and the short line do not.
    assert [fold(n.text_content())[:30] for n in nodes] == ["The ledger", PROSE[0][:30], PROSE[1][:30], PROSE[2][:30]]


def test_the_readers_comments_go_from_the_heading_that_opens_them():
    from server.article.trim import trim

    def blocks(html: str) -> list:
        return list(lxml_html.fragment_fromstring(html, create_parent="div"))

    for heading, after in (("<h3>2 comments</h3>", "<p>Great piece!</p><p>" + PROSE[2] + "</p>"),
                           ("<h3>Kommentare (12)</h3>", "<p>" + PROSE[3] + "</p>"),
                           ("<h2>Laisser un commentaire</h2>", "<p>Votre adresse ne sera pas publiée.</p>"),
                           ("<h3>Comments</h3>", "<p>Loading Comments...</p>")):
        nodes = blocks(prose(0, 1) + heading + after)
        assert [fold(n.text_content())[:30] for n in trim(nodes)] == [PROSE[0][:30], PROSE[1][:30]]
    # A section about comments in code, or about an object named Response, is the article's.
    for heading in ("<h2>Comments</h2>", "<h2>Response</h2>", "<h2>Discussion</h2>"):
        nodes = blocks(prose(0) + heading + prose(1, 2))
        assert trim(nodes) == nodes


def test_a_line_in_capitals_that_is_only_a_link_inside_the_body_is_a_promotion():
    from server.article.trim import trim
    nodes = list(lxml_html.fragment_fromstring(
        prose(0) + "<p><a href='/app'>GET THE HARBOUR APP BY CLICKING HERE</a></p>" + prose(1)
        + "<p><a href='/report'>Read the survey's full report</a></p>" + prose(2)
        + "<p>THE TIDE TURNS AT NOON, <a href='/tables'>SAYS THE TABLE</a></p>" + prose(3), create_parent="div"))
    texts = [fold(n.text_content()) for n in trim(nodes)]
    assert "GET THE HARBOUR APP BY CLICKING HERE" not in texts
    assert "Read the survey's full report" in texts and "THE TIDE TURNS AT NOON, SAYS THE TABLE" in texts


def test_a_link_picked_out_of_a_sentence_written_in_a_div_prints_with_its_sentence():
    # A tip box: its sentence sits in a <div> with no <p>, and the extractor keeps only
    # the bold link at its end. The whole sentence prints, not the fragment.
    sentence = ("To compare the clerk's heights with today's gauges, open the tide tables in the "
                "<strong><a href='https://tides.example.org/ledger'>harbour ledger viewer</a></strong>")
    body = (prose(0, 1) + "<div class='note tip'><p class='note-title'>Ledger viewer</p>"
            "<div style='display:flex'><svg viewBox='0 0 10 10'><path d='M0 0h10v10'></path></svg>"
            f"<div style='flex-grow:1'>{sentence}</div></div></div>" + prose(2, 3))
    article = extract_article(page(body))
    text = fold(article.text)
    assert "To compare the clerk's heights with today's gauges, open the tide tables in the harbour ledger viewer" in text
    assert all(fold(p) in text for p in PROSE)
    # The link keeps its place inside its sentence.
    link = article.body.tree.find(".//a[@href='https://tides.example.org/ledger']")
    assert link is not None and "open the tide tables in the" in fold(link.getparent().getparent().text_content())


def test_a_div_holding_blocks_is_no_paragraph_for_a_link_inside_it():
    from server.article.align import _paragraph_of

    inline = lxml_html.fragment_fromstring("<div>Read the <b><a href='/l'>ledger</a></b> today</div>")
    assert _paragraph_of(inline.find(".//a")) is inline
    mixed = lxml_html.fragment_fromstring("<div>Read the <b><a href='/l'>ledger</a></b><p>A paragraph.</p></div>")
    assert _paragraph_of(mixed.find(".//a")) is None
    bare = lxml_html.fragment_fromstring("<div><b><a href='/l'>ledger</a></b></div>")  # no text of its own
    assert _paragraph_of(bare.find(".//a")) is None
    # A story written into one <div> between line breaks is not one paragraph.
    story = lxml_html.fragment_fromstring(f"<div>{PROSE[0]}<br><br>Read the <b><a href='/l'>ledger</a></b>.</div>")
    assert _paragraph_of(story.find(".//a")) is None
    long = lxml_html.fragment_fromstring(f"<div>{' '.join(PROSE * 2)} Read the <b><a href='/l'>ledger</a></b>.</div>")
    assert _paragraph_of(long.find(".//a")) is None


SLIDES = [("The lighthouse keeper's log", "A page from 1839, the night of the storm tide, in the keeper's hand."),
          ("The quay in 1901", "Surveyors at low water, with the new gauge on its post beside the steps."),
          ("The market square flooded", "Boats lifted over the sea wall, as drawn by a visitor from the city.")]


def _trimmed(body: str) -> str:
    """The text of the body's blocks that trim keeps (the extractors take a slide show on
    some pages and not on others; trim's rule is what is tested here)."""
    from server.article.trim import trim

    blocks = list(lxml_html.fragment_fromstring(body, create_parent="div"))
    return fold(" ".join(" ".join(b.itertext()) for b in trim(blocks)))


def test_a_slide_show_built_from_one_template_after_the_last_paragraph_goes():
    items = "".join(f"<li class='slide'><ul class='controls'><li>Previous</li><li>Next</li></ul>"
                    f"<h4>{title}</h4></li>" for title, _ in SLIDES)
    text = _trimmed(prose(0, 1, 2, 3) + f"<h3>Featured Slide Shows</h3><ul class='slides'>{items}</ul>")
    assert all(fold(p) in text for p in PROSE)
    assert "Featured Slide Shows" not in text and "Previous" not in text and SLIDES[0][0] not in text


def test_a_list_with_a_repeated_line_before_the_last_paragraph_and_a_closing_refrain_stay():
    # Events each "Free entry" in the middle of the story; a song's refrain closing it.
    events = "".join(f"<li><p>{day}: the ledger on show at the library</p><p>Free entry</p></li>"
                     for day in ("Monday", "Wednesday", "Friday", "Saturday"))
    refrain = "Haul away, the tide is turning"
    song = "".join(f"<p>{line}</p>" for line in ("The clerk walked out at the low water", refrain,
                                                 "He wrote the height in his ledger", refrain,
                                                 "The boats came over the sea wall", refrain))
    text = _trimmed(prose(0, 1) + f"<ul>{events}</ul>" + prose(2, 3) + "<h3>The quay song</h3>" + song)
    assert all(fold(p) in text for p in PROSE)
    assert text.count("Free entry") == 4 and "Friday: the ledger on show" in text
    assert text.count(refrain) == 3 and "The quay song" in text
    # A slide show that is most of the body is left alone: it may be the body.
    items = "".join(f"<li><ul><li>Previous</li><li>Next</li></ul><h4>{title}</h4><p>{caption}</p></li>"
                    for title, caption in SLIDES)
    text = _trimmed(prose(0) + f"<h3>Slides</h3><ul>{items}</ul>")
    assert "Previous" in text and SLIDES[2][1] in text


def test_the_text_breaks_lines_only_where_the_page_breaks_them():
    # The source wraps a paragraph over three lines; an address is set with <br>s.
    wrapped = PROSE[0].replace(" harbour clerk ", "\n            harbour clerk\n            ")
    text = extract_article(page(f"<p>{wrapped}</p>" + prose(1, 2)
                                + "<p>The Library<br>1 Quay Street<br>Harbour Town</p>" + prose(3))).text
    assert PROSE[0] in text.split("\n\n")
    assert "The Library\n1 Quay Street\nHarbour Town" in text.split("\n\n")


def test_a_list_copied_without_the_linked_list_nested_in_an_item_prints_whole():
    # "In progress:" introduces a list of links; an extractor that leaves out link-only
    # text copies the outer list without it. The page's own list prints, nesting and all.
    bugs = [f"Ledger {year}: {what}" for year, what in (
        (1839, "storm tide heights copied twice"), (1840, "quay wall courses missing a page"),
        (1841, "timber jetty entry in another hand"), (1842, "pilot fees added up wrongly"),
        (1843, "two pages stuck together by damp"), (1844, "a ship's name spelt three ways"),
        (1845, "the spring survey bound out of order"), (1846, "a pressed flower between the tides"))]
    nested = "".join(f"<li><a href='https://archive.example.org/issue/{n}'>{bug}</a></li>" for n, bug in enumerate(bugs))
    listing = ("<ul><li>The volunteers have finished the index of the first volume, with every name and ship.</li>"
               f"<li>In progress:<ul>{nested}</ul></li></ul>")
    article = extract_article(page(prose(0, 1) + "<h3>The ledger project</h3>" + listing + prose(2, 3)))
    text = fold(article.text)
    assert all(bug in text for bug in bugs)
    inner = article.body.tree.find(".//ul/li/ul")
    assert inner is not None and len(inner.findall("li")) == len(bugs)
    assert all(fold(p) in text for p in PROSE)


def test_a_page_list_with_other_items_does_not_stand_for_a_copied_list():
    from server.article.align import _same_kind_holding
    from server.article.page_index import PageIndex

    nested = "".join(f"<li><a href='/s/{n}'>Another story about the harbour, number {n}</a></li>" for n in range(12))
    root = lxml_html.document_fromstring(
        "<html><body><ul><li>The index of the first volume is finished.</li><li>In progress:"
        f"<ul>{nested}</ul></li><li>More from the harbour desk</li></ul></body></html>")
    copy = lxml_html.fragment_fromstring("<ul><li>The index of the first volume is finished.</li>"
                                         "<li>In progress:</li></ul>")
    text = "".join("".join(copy.itertext()).split())
    # The page's list has a third item the copy lacks: it is another list, not this one whole.
    assert _same_kind_holding("ul", text, PageIndex(root), -1, copy) is None
    copy.append(lxml_html.fragment_fromstring("<li>More from the harbour desk</li>"))
    text = "".join("".join(copy.itertext()).split())
    assert _same_kind_holding("ul", text, PageIndex(root), -1, copy) is root.find(".//ul")


def test_a_line_that_is_only_a_date_in_figures_opening_the_body_is_a_dateline():
    # No date markup at all: the line is a date in figures and nothing else.
    for date in ("2025-03-04", "04.03.2025", "2025年3月4日", "3/4/2025"):
        text = fold(extract_article(page(f"<div class='pagedate'>{date}</div>" + prose(0, 1, 2, 3))).text)
        assert date not in text and text.startswith(PROSE[0][:40])
    # Among the body's sentences, or with words around it, a date stays.
    from server.article.trim import trim
    blocks = [lxml_html.fragment_fromstring(html) for html in (
        "<p>2025-03-04: the ledger goes on show</p>", f"<p>{PROSE[0]}</p>", "<p>2025-03-04</p>")]
    assert trim(blocks) == blocks


def _by_ann(body: str) -> Page:
    return Page(url=URL, html=(
        "<!DOCTYPE html><html lang='en'><head><title>The clerk who measured the tides</title>"
        "<meta name='author' content='Ann Tidewell'></head><body><main><article>"
        f"<h1>The clerk who measured the tides</h1>{body}</article></main></body></html>"))


def test_the_authors_dateline_and_card_around_the_body_go_as_they_print_above_it():
    portrait = "https://journal.example.net/staff/ann-tidewell.jpg"
    card = f"<ul class='staff'><li><img src='{portrait}' alt='Ann Tidewell' width='383'><p>Ann Tidewell</p></li></ul>"
    article = extract_article(_by_ann("<p><span>5:45 AM PST 11/19/2019</span> by <span>Ann Tidewell</span></p>"
                                      + prose(0, 1, 2, 3) + card))
    assert article.byline == "Ann Tidewell"
    text = fold(article.text)
    assert text.startswith(PROSE[0][:40]) and text.endswith(PROSE[3][-40:])
    assert "Tidewell" not in text and "5:45" not in text
    assert not [img for img in article.body.tree.iter("img") if img.get("alt") == "Ann Tidewell"]


def test_sentences_naming_the_author_stay():
    opening = "Ann Tidewell has kept the harbour's archive since 2019 and found the ledger in 2024."
    closing = "Ann Tidewell"  # a letter signed at its foot, then a postscript: not the end of the body
    text = fold(extract_article(_by_ann(f"<p>{opening}</p>" + prose(0, 1, 2) + f"<p>{closing}</p>"
                                        + "<p>P.S. The ledger goes back to the library in May, after the "
                                          "photographs of every page are taken.</p>")).text)
    assert text.startswith(opening) and "Ann Tidewell P.S." in text


def test_a_loose_sentence_an_extractor_gives_in_pieces_is_taken_whole_with_its_link():
    # The sentence opens the story loose in its box, cut by the extractor where a link
    # stands: the page's own run, link and all, replaces the pieces.
    opening = ("The harbour clerk's ledger was <a href='/ledger'>found</a> in a sea chest in 1902. Nearly a century "
               "later the library bought it at auction and put it on show beside the survey's maps.")
    root = lxml_html.document_fromstring(f"<html><body><div class='story'><h2>The ledger</h2>{opening}{prose(0)}"
                                         "</div></body></html>")
    heading, paragraph = root.find(".//h2"), root.find(".//p")
    pieces = lxml_html.fragment_fromstring(
        "<p>The harbour clerk's ledger was</p><p>found in a sea chest in 1902. Nearly a century later the library "
        "bought it at auction and put it on show beside the survey's maps.</p>", create_parent="body")
    nodes = with_loose_text([heading, *pieces, paragraph], root)
    assert [fold(n.text_content())[:40] for n in nodes] == [
        "The ledger", fold(lxml_html.fromstring(f"<p>{opening}</p>").text_content())[:40], PROSE[0][:40]]
    assert nodes[1].find("a") is not None
    # Counter-example: two lines parted by a line break are two runs; each piece stays.
    lines = ("The reading room is closed on Monday for new shelving.<br>The ledger exhibition reopens on "
             "Tuesday at ten, and the library thanks visitors for their patience.")
    root = lxml_html.document_fromstring(f"<html><body><div class='story'><h2>Notice</h2>{lines}{prose(0)}"
                                         "</div></body></html>")
    pieces = lxml_html.fragment_fromstring(
        "<p>The reading room is closed on Monday for new shelving.</p><p>The ledger exhibition reopens on "
        "Tuesday at ten, and the library thanks visitors for their patience.</p>", create_parent="body")
    nodes = with_loose_text([root.find(".//h2"), *pieces, root.find(".//p")], root)
    assert [fold(n.text_content())[:20] for n in nodes] == [
        "Notice", "The reading room is ", "The ledger exhibitio", PROSE[0][:20]]
