"""The last resort of extraction: when what Gloss finds is next to nothing, the extractor
that finds clearly more running prose on the page as it came stands, mapped back to the
page's own elements; and a short article that is the whole page stays what it is."""

from __future__ import annotations

import re

from server.article.extract import FALLBACK_CHARS, FALLBACK_MIN_CHARS, extract_article
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


# Readers' comments, each long enough to be prose, longer together than the short article above them.
COMMENTS = [
    "I walked the quay last summer with my grandchildren and we counted the courses of granite from the "
    "steps to the top; the plaque was easy to find, though the lettering has worn down on the left side.",
    "My great-grandfather was one of the masons named on the plaque. The family kept his trowel and a "
    "letter he wrote home about the cold water, which we gave to the library when the ledger went on show.",
    "The timber jetty was rebuilt twice after 1841 and finally taken down in the sixties; there are "
    "photographs of both versions in the harbour office, if anyone wants to compare them with the wall.",
    "It would be good to see the town put up a board with the tide tables next to the plaque, since "
    "visitors keep asking when the evening walk starts and the harbour master cannot answer them all.",
    "Does anyone know whether the ledger is on show every day? We tried on a Sunday in the spring and the "
    "library was closed, so we only saw the wall and the plaque, which were worth the trip on their own.",
    "The granite came from the same quarry as the lighthouse stones, according to the parish records; "
    "the barges were unloaded at the old slipway, which you can still see at the lowest spring tides.",
]
SHORT_ARTICLE = [
    "The harbour office has restored the plaque on the quay wall, which names the masons who rebuilt it "
    "in 1840, and the evening walk along the quay will follow it on Saturday.",
    "The walk starts at the steps by the lighthouse at low water and is led by the harbour master.",
]


def _chars(text: str) -> int:
    return len("".join(text.split()))


def _with_comments(thread: str) -> str:
    return ("<html><head><title>The plaque is back</title></head><body><header><a href='/'>Harbour Journal</a></header>"
            "<main><h1>The plaque is back</h1>" + "".join(f"<p>{p}</p>" for p in SHORT_ARTICLE) + "</main>"
            + thread + "<footer><p>About us · Contact · Privacy</p></footer></body></html>")


def test_an_article_in_a_box_named_comments_is_found_though_every_extractor_cuts_the_box():
    # The site's template names the article's box "comments": every extractor skips it, and
    # what they leave is the cookie notice. The page's largest box of prose is the article.
    html = ("<html><head><title>The quay wall</title></head><body><header><a href='/'>Harbour Journal</a></header>"
            "<h1>The quay wall</h1><p class='notice'>We use cookies to improve the site. By continuing you accept them.</p>"
            "<div id='comments' class='comments-area'>"
            + "".join(f"<p>{p} <a href='/wall'>The wall</a>.</p>" for p in PROSE)
            + "</div><footer><p>About us · Contact · Privacy</p></footer></body></html>")
    article = extract_article(Page(url=URL, html=html))
    text = fold(article.text)
    assert all(p in text for p in PROSE)
    assert "cookies" not in text
    assert len(article.body.tree.findall(".//a")) == len(PROSE)  # the page's own paragraphs, links and all


def test_a_short_article_is_not_replaced_by_a_longer_thread_of_comments_under_it():
    # No heading announces the thread; each comment is its own box of the same class, and
    # one reader wrote at length, in paragraphs. Our furniture rules and the extractors cut
    # the boxes; the last resort sees them all.
    long_one = "".join(f"<p>{c}</p>" for c in COMMENTS[:4])
    short_ones = "".join(f"<div class='comment'><p class='who'>Reader {n}</p><p>{c}</p></div>"
                         for n, c in enumerate(COMMENTS[4:]))
    thread = f"<div id='comments'><div class='comment'><p class='who'>Reader</p>{long_one}</div>{short_ones}</div>"
    article = extract_article(Page(url=URL, html=_with_comments(thread)))
    text = fold(article.text)
    assert all(p in text for p in SHORT_ARTICLE)
    assert not any(c[:40] in text for c in COMMENTS)
    # The premise: the article is short, and the long comment holds more than twice its
    # running prose (paragraphs of 100 characters or more, whitespace left out), and 300 more.
    held = sum(n for n in map(_chars, SHORT_ARTICLE) if n >= 100)
    assert len(text) < FALLBACK_CHARS and sum(map(_chars, COMMENTS[:4])) > max(2 * held, held + FALLBACK_MIN_CHARS)


def test_a_short_article_is_not_replaced_by_one_long_comment_under_a_comments_heading():
    comment = " ".join(COMMENTS)  # one reader wrote at length
    thread = (f"<section class='comments'><h2>1 Comment</h2><div class='comment'><p class='who'>Reader</p>"
              f"<p>{comment}</p></div></section>")
    text = fold(extract_article(Page(url=URL, html=_with_comments(thread))).text)
    assert all(p in text for p in SHORT_ARTICLE)
    assert comment[:40] not in text
