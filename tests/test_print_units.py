"""The small parts of printing alone: options, file names, the cache, the typeset HTML."""

from __future__ import annotations

import pytest

from server.article.model import Article, Figure
from server.errors import Unprocessable
from server.printing.cache import CachedPrint, PrintCache
from server.printing.filename import content_disposition
from server.printing.options import PrintOptions, page_size_for_locale, parse_options
from server.printing.pipeline import PrintRequest, image_urls
from server.printing.typeset import typeset
from server.printing.worker import LockedFetcher

PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.mark.parametrize("header, size", [
    (None, "A4"), ("", "A4"), ("en-US,en;q=0.9", "Letter"), ("en", "A4"), ("en-GB", "A4"),
    ("es-MX", "Letter"), ("fr-CA,fr;q=0.8", "Letter"), ("fr;q=1,en-US;q=0.5", "Letter"),
    ("zh-Hant-TW", "A4"), ("de_DE", "A4"), ("pt-BR", "A4"), ("fil-PH", "Letter"),
])
def test_page_size_follows_the_locale(header, size):
    assert page_size_for_locale(header) == size


def test_options_defaults_and_normalisation():
    assert parse_options(None) == PrintOptions()
    options = parse_options({"page_size": "letter", "font_size": 9, "images": False, "links": "none"})
    assert options == PrintOptions(page_size="Letter", font_size=9.0, images=False, links="none")
    assert parse_options({"font_size": 8}).font_size == 8 and parse_options({"font_size": 18}).font_size == 18


@pytest.mark.parametrize("raw", [{"page_size": 4}, {"font_size": None.__class__}, {"images": 1}, {"links": None.__class__}])
def test_options_refuse_wrong_types(raw):
    with pytest.raises(Unprocessable):
        parse_options(raw)


@pytest.mark.parametrize("title, header", [
    ("Plain title", 'attachment; filename="Plain title.pdf"'),
    ("a/b\\c: d?", 'attachment; filename="a b c d.pdf"'),
    ("", 'attachment; filename="article.pdf"'),
    ("Café", "attachment; filename=\"Cafe.pdf\"; filename*=UTF-8''Caf%C3%A9.pdf"),
    ("Ελλάδα", "attachment; filename=\"article.pdf\"; filename*=UTF-8''%CE%95%CE%BB%CE%BB%CE%AC%CE%B4%CE%B1.pdf"),
])
def test_content_disposition(title, header):
    assert content_disposition(title) == header


def test_cache_is_bounded_by_entries_and_bytes():
    cache = PrintCache(max_entries=2, max_bytes=10)
    cache.put("a", CachedPrint(b"1234", "A"))
    cache.put("b", CachedPrint(b"1234", "B"))
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("c", CachedPrint(b"1234", "C"))
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    cache.put("d", CachedPrint(b"123456789", "D"))  # over the byte cap with the others
    assert len(cache) == 1 and cache.get("d")
    cache.put("e", CachedPrint(b"x" * 11, "E"))  # bigger than the whole cache: not kept
    assert cache.get("e") is None


def test_cache_key_is_the_normalised_request():
    one = PrintRequest(url="https://a.example/", options=PrintOptions(), html="<p>x</p>",
                       images={"https://a.example/1.png": PNG, "https://a.example/2.png": PNG})
    same = PrintRequest(url="https://a.example/", options=PrintOptions(), html="<p>x</p>",
                        images={"https://a.example/2.png": PNG, "https://a.example/1.png": PNG})
    assert one.cache_key() == same.cache_key()
    for other in (PrintRequest(url="https://a.example/", options=PrintOptions(font_size=12), html="<p>x</p>"),
                  PrintRequest(url="https://a.example/", options=PrintOptions(), html=None),
                  PrintRequest(url="https://a.example/", options=PrintOptions(), html="")):
        assert other.cache_key() != one.cache_key()


def article(body: str, **fields) -> Article:
    return Article(url="https://a.example/story", title="Headline", body_html=body, text="", **fields)


def body_of(html: str) -> str:
    return html.split("<body>", 1)[1]


def test_typeset_keeps_only_the_allow_list():
    html = typeset(article('<p onclick="x()">Text <script>alert(1)</script><a href="javascript:x()">j</a>'
                           '<iframe src="https://evil.example/"></iframe><span style="color:red">s</span>'
                           '<img src="file:///etc/passwd"><link rel="stylesheet" href="https://evil.example/x.css">'
                           '<div class="x">kept text</div></p>'), PrintOptions(), {})
    body = html.split('<div class="article-body">', 1)[1]
    for banned in ("onclick", "<script", "alert(1)", "javascript:", "<iframe", "evil.example", "style=",
                   "file:", "<img", "<link", 'class="x"'):
        assert banned not in body, banned
    assert "kept text" in body


def test_typeset_images_from_the_map_only_and_captions_go_with_them():
    body = ('<figure><img src="https://a.example/1.png"><figcaption>One</figcaption></figure>'
            '<figure><img src="https://a.example/2.png"><figcaption>Two</figcaption></figure>')
    html = body_of(typeset(article(body), PrintOptions(), {"https://a.example/1.png": PNG}))
    assert html.count(PNG) == 1 and "One" in html and "Two" not in html
    html = body_of(typeset(article(body), PrintOptions(images=False), {"https://a.example/1.png": PNG}))
    assert PNG not in html and "One" not in html


def test_typeset_lead_figure_once():
    lead = Figure(src="https://a.example/1.png", caption="Lead caption", credit="[AP]")
    images = {"https://a.example/1.png": PNG}
    html = typeset(article("<p>Body</p>", lead_image=lead), PrintOptions(), images)
    assert html.count(PNG) == 1 and "Lead caption" in html and "[AP]" in html
    inside = typeset(article('<figure><img src="https://a.example/1.png"></figure><p>Body</p>', lead_image=lead),
                     PrintOptions(), images)
    assert inside.count(PNG) == 1


def test_typeset_metadata_and_running_strings_are_escaped():
    html = typeset(article("<p>x</p>", byline='By "Q" </style><script>', published="2020-07-29", lang="ko",
                           site_name="Site\\Name", canonical_url="https://a.example/c"), PrintOptions(), {})
    assert '<html lang="ko">' in html
    assert '<meta name="author" content="By &quot;Q&quot; &lt;/style&gt;&lt;script&gt;">' in html
    assert '<meta name="dcterms.created" content="2020-07-29">' in html
    assert html.count("</style>") == 1 and "<script" not in html
    # The running foot shows the address, the masthead prints it whole with a link.
    assert 'content: "Site\\\\Name · Headline"' in html and 'content: "https://a.example/c"' in html
    assert '<a href="https://a.example/c">https://a.example/c</a>' in html


def test_image_urls_lead_first_each_once():
    a = article('<img src="https://a.example/2.png"><img src="https://a.example/1.png"><img src="data:x">',
                lead_image=Figure(src="https://a.example/1.png"))
    assert image_urls(a) == ["https://a.example/1.png", "https://a.example/2.png"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1/", "https://example.com/x.png",
                                 "gloss-font:../settings.py", "gloss-font:/etc/passwd", "gloss-font:fonts.css",
                                 "ftp://example.com/"])
def test_renderer_fetcher_refuses_everything_but_data_and_our_fonts(url):
    with pytest.raises(ValueError):
        LockedFetcher().fetch(url)


def test_renderer_fetcher_serves_data_and_fonts():
    assert LockedFetcher().fetch(PNG).read().startswith(b"\x89PNG")
    assert len(LockedFetcher().fetch("gloss-font:CharisSIL-Regular.ttf").read()) > 100_000
