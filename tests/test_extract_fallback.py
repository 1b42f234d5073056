"""The last resort of extraction: when what Gloss finds is next to nothing, the extractor
that finds clearly more running prose on the page as it came stands, mapped back to the
page's own elements; and a short article that is the whole page stays what it is."""

from __future__ import annotations

import re

from server.article.extract import extract_article
from server.article.model import Page

URL = "https://journal.example.net/2025/03/quay/"
PROSE = [
    "The quay wall was rebuilt in 1840 after the great storm tide, with granite brought down the coast "
    "on barges and set by masons who had worked on the lighthouse the year before.",
    "Its foundations were laid at low water in a season of calm weather, and the harbour clerk noted "
    "the depth of every course in the ledger that is now on show at the library.",
    "The new wall held through the winter gales of 1841, when the old timber jetty further along the "
    "shore was carried away and its piles were found on the sands for weeks after.",
    "A plaque on the wall names the masons, and the town still keeps the day the wall was finished "
    "with a walk along the quay at the evening low water, led by the harbour master.",
]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def test_an_article_set_in_an_aside_is_found_when_the_rest_of_the_page_is_a_notice():
    # Our furniture rules cut the <aside> (and the second look, by element and role, too):
    # what is left is a cookie notice. One extractor finds the article on the page as it came.
    html = ("<html><head><title>The quay wall</title></head><body><header><a href='/'>Harbour Journal</a></header>"
            "<p class='notice'>We use cookies to improve the site. By continuing you accept them.</p>"
            "<aside><h1>The quay wall</h1>" + "".join(f"<p>{p} <a href='/wall'>The wall</a>.</p>" for p in PROSE)
            + "</aside><footer><p>About us · Contact · Privacy</p></footer></body></html>")
    article = extract_article(Page(url=URL, html=html))
    text = fold(article.text)
    assert all(p in text for p in PROSE)
    # Mapped back onto the page's own paragraphs: their links are there.
    assert len(article.body.tree.findall(".//a")) == len(PROSE)


def test_a_short_notice_that_is_the_whole_page_is_not_replaced_by_the_page_around_it():
    notice = ("The harbour office is closed on Monday 3 March for the spring tide survey; "
              "the quay stays open to walkers.")
    html = ("<html><head><title>Office closed</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a> "
            "<a href='/tides'>Tide tables</a></nav><main><h1>Office closed</h1><p>" + notice + "</p></main>"
            "<footer><p>Harbour Journal · 1 Quay Street · Contact us · Privacy · Terms of use</p></footer></body></html>")
    text = fold(extract_article(Page(url=URL, html=html)).text)
    assert text == notice


def test_the_last_resort_measures_prose_in_characters_so_japanese_counts_too():
    # Japanese sets no spaces between words: a paragraph is one "word" to str.split().
    paragraphs = [
        "港の岸壁は一八四〇年の大きな高潮のあとに作り直され、灯台を建てた石工たちが南の海岸から運ばれた花崗岩を一つずつ積み上げた。"
        "工事は潮が引くたびに進められ、書記はその深さを毎日帳面に書き残した。",
        "新しい岸壁は翌年の冬の嵐にも耐え、古い木の桟橋が流されたあとも町の人々は岸壁の上を歩いて潮の満ち引きを眺めた。"
        "その帳面は今も町の図書館に保管されている。",
        "岸壁には石工たちの名前を刻んだ銘板があり、町では完成した日を記念して毎年夕方の干潮に港長と一緒に岸壁を歩く行事が続いている。",
    ]
    paragraphs = [p + p for p in paragraphs]  # long enough that a page this size is more than a notice
    html = ("<html lang='ja'><head><title>港の岸壁</title></head><body><header><a href='/'>港新聞</a></header>"
            "<p class='notice'>このサイトはクッキーを使用しています。続けて閲覧すると同意したものとみなされます。</p>"
            "<aside><h1>港の岸壁</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</aside>"
            "<footer><p>会社概要 · お問い合わせ · プライバシー</p></footer></body></html>")
    text = fold(extract_article(Page(url=URL, html=html)).text)
    assert all(p in text for p in paragraphs)
