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
