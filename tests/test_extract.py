"""Article extraction: the golden seed page, lazy images, the allow-list under attack,
no article where there is none, and `gloss extract` as a user runs it."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys

import pytest
from lxml import html as lxml_html

from conftest import FIXTURES, SEED_HTML, SEED_URL
from server.article.clean import clean_fragment
from server.article.extract import extract_article
from server.article.images import parse_srcset, pick_for_print, resolve_images
from server.article.model import ALLOWED_ATTRIBUTES, ALLOWED_ELEMENTS, Article, Page
from server.errors import NoArticle
from server.settings import PROJECT_ROOT

EXPECTED = json.loads((FIXTURES / "seed-article.expected.json").read_text(encoding="utf-8"))
# A few paragraphs of real prose, so that a test page is an article by any measure.
PROSE = [
    "The harbour authority opened the new breakwater on Monday after four years of work, "
    "ending a long dispute between the fishing fleet and the ferry operators over the channel.",
    "Engineers said the structure would protect the inner basin from winter storms that have "
    "repeatedly damaged moorings, and that dredging of the approach would finish in the spring.",
    "Local businesses welcomed the opening, although several owners said the closures during "
    "construction had cost them a season of visitors and asked the council for compensation.",
    "The council said it would consider the requests at its next meeting, and published a report "
    "showing that traffic through the port had already returned to the level it had before the works.",
]
BASE = "https://news.example.org/2024/05/harbour/"


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def article_page(body: str, head: str = "") -> Page:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE)
    html = (f"<!DOCTYPE html><html lang='en'><head><title>Harbour breakwater opens</title>{head}</head>"
            f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><main><article>"
            f"<h1>Harbour breakwater opens</h1>{body.replace('{PROSE}', paragraphs)}"
            f"</article></main><footer>All rights reserved</footer></body></html>")
    return Page(url=BASE, html=html)


def body_tree(article: Article) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(article.body_html, create_parent="div")


def captions(article: Article) -> list[str]:
    found = [fold(c.text_content()) for c in body_tree(article).iter("figcaption")]
    if article.lead_image is not None:
        found.append(article.lead_image.caption)
    return found


# ---------------------------------------------------------------- the golden seed page

@pytest.fixture(scope="module")
def seed() -> Article:
    return extract_article(Page(url=SEED_URL, html=SEED_HTML.read_text(encoding="utf-8")))


def test_seed_keeps_every_required_passage(seed):
    # The printed article is the body text plus the captions of its pictures.
    printed = fold(" ".join([seed.text, *captions(seed)]))
    for passage in EXPECTED["must_contain"]:
        assert fold(passage) in printed, passage


def test_seed_body_text_holds_the_paragraphs(seed):
    body = fold(seed.text)
    for passage in EXPECTED["must_contain"][:4]:
        assert fold(passage) in body


def test_seed_drops_all_page_furniture(seed):
    everything = fold(" ".join([seed.title, seed.standfirst, seed.byline, seed.text,
                                body_tree(seed).text_content(), *captions(seed)]))
    for junk in EXPECTED["must_not_contain"]:
        assert junk not in everything, junk


def test_seed_paragraph_count(seed):
    assert len(body_tree(seed).findall(".//p")) == EXPECTED["paragraph_count"]
    assert len(seed.text.split("\n\n")) == EXPECTED["paragraph_count"]


def test_seed_keeps_the_lead_figure_with_its_caption(seed):
    (path,) = EXPECTED["images"]
    in_body = [f for f in body_tree(seed).iter("figure")
               if any(img.get("src", "").endswith(path) for img in f.iter("img"))]
    if in_body:
        assert "Minister of Unification Lee In-young" in in_body[0].text_content()
    else:
        assert seed.lead_image is not None
        assert seed.lead_image.src == "https://koreajoongangdaily.joins.com" + path
        assert seed.lead_image.caption.startswith("Minister of Unification Lee In-young, right, greets")
        assert seed.lead_image.alt == "Lee In-young and Harry Harris shake hands"


def test_seed_metadata(seed):
    for field in ("title", "site_name", "published", "lang"):
        assert getattr(seed, field) == EXPECTED[field], field
    assert seed.canonical_url.startswith("https://koreajoongangdaily.joins.com/2020/07/29/")


def test_extraction_is_pure_and_repeatable():
    page = Page(url=SEED_URL, html=SEED_HTML.read_text(encoding="utf-8"), images={})
    before = (page.url, page.html, dict(page.images))
    first, second = extract_article(page), extract_article(page)
    assert first == second
    assert (page.url, page.html, dict(page.images)) == before


# ---------------------------------------------------------------- lazy images

def resolved_srcs(snippet: str, captured: tuple[str, ...] = ()) -> list[str]:
    root = lxml_html.document_fromstring(f"<html><body>{snippet}</body></html>")
    resolve_images(root, BASE, captured)
    return [img.get("src") for img in root.iter("img")]


PLACEHOLDER = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


@pytest.mark.parametrize("attribute", ["data-src", "data-lazy-src", "data-original"])
def test_lazy_attribute_replaces_placeholder(attribute):
    assert resolved_srcs(f'<img src="{PLACEHOLDER}" {attribute}="/img/harbour.jpg">') == [
        "https://news.example.org/img/harbour.jpg"]


def test_srcset_picks_the_largest_width_fit_for_print():
    srcset = "/a-480.jpg 480w, /a-1600.jpg 1600w, /a-3200.jpg 3200w"
    assert resolved_srcs(f'<img src="/a-480.jpg" srcset="{srcset}">') == ["https://news.example.org/a-1600.jpg"]
    assert resolved_srcs(f'<img data-srcset="{srcset}">') == ["https://news.example.org/a-1600.jpg"]
    # Only candidates wider than print: the narrowest of them.
    assert pick_for_print(parse_srcset("/x.jpg 2400w, /y.jpg 4000w")) == "/x.jpg"
    assert pick_for_print(parse_srcset("/one.jpg 1x, /two.jpg 2x")) == "/two.jpg"
    # No space after the commas, and commas inside CDN addresses.
    assert pick_for_print(parse_srcset("/s.jpg 300w,/m.jpg 900w")) == "/m.jpg"
    assert pick_for_print(parse_srcset("/c/w_400,h_300/a.jpg 400w, /c/w_900,h_600/a.jpg 900w")) == "/c/w_900,h_600/a.jpg"


def test_picture_sources_are_considered_and_unprintable_types_skipped():
    snippet = ('<picture><source type="image/x-unknown" srcset="/p.xyz 1800w">'
               '<source type="image/webp" srcset="/p-800.webp 800w, /p-1400.webp 1400w">'
               '<img src="/p-small.jpg"></picture>')
    assert resolved_srcs(snippet) == ["https://news.example.org/p-1400.webp"]
    root = lxml_html.document_fromstring(f"<html><body>{snippet}</body></html>")
    resolve_images(root, BASE)
    assert not list(root.iter("picture")) and not list(root.iter("source"))


def test_noscript_copy_stands_in_for_the_scripted_image():
    snippet = f'<div><img class="lazy" src="{PLACEHOLDER}"><noscript><img src="/real.jpg" alt="Real"></noscript></div>'
    assert resolved_srcs(snippet) == ["https://news.example.org/real.jpg"]
    # When the scripted image already resolves, the copy is not printed twice.
    snippet = '<div><img data-src="/real.jpg"><noscript><img src="/real.jpg"></noscript></div>'
    assert resolved_srcs(snippet) == ["https://news.example.org/real.jpg"]


def test_trackers_and_placeholders_are_dropped():
    snippet = (f'<img src="https://track.example/p.gif" width="1" height="1"><img src="{PLACEHOLDER}">'
               '<img src="/keep.png" width="600">')
    assert resolved_srcs(snippet) == ["https://news.example.org/keep.png"]


def test_captured_bytes_beat_a_larger_candidate():
    srcset = "/c-800.jpg 800w, /c-1600.jpg 1600w"
    assert resolved_srcs(f'<img srcset="{srcset}">', ("https://news.example.org/c-800.jpg",)) == [
        "https://news.example.org/c-800.jpg"]


def test_lazy_figure_in_an_article_prints_with_its_caption():
    page = article_page(
        f'<p>{PROSE[0]}</p><figure><img src="{PLACEHOLDER}" data-src="/img/breakwater.jpg" '
        f'data-srcset="/img/breakwater-600.jpg 600w, /img/breakwater-1800.jpg 1800w" alt="The breakwater">'
        '<figcaption>The new breakwater at dawn.</figcaption></figure>'
        + "".join(f"<p>{p}</p>" for p in PROSE[1:]))
    article = extract_article(page)
    figures = list(body_tree(article).iter("figure"))
    assert len(figures) == 1
    assert figures[0].find("img").get("src") == "https://news.example.org/img/breakwater-1800.jpg"
    assert fold(figures[0].find("figcaption").text_content()) == "The new breakwater at dawn."
    assert "The new breakwater at dawn." not in article.text  # captions are not body text
    assert article.lead_image is None


def test_lead_figure_above_the_body_becomes_lead_image():
    page = article_page('<figure class="hero"><img src="/img/lead.jpg" width="1200" alt="Lead">'
                        '<figcaption>Boats in the harbour.</figcaption></figure>'
                        '<div class="story">{PROSE}</div>')
    article = extract_article(page)
    assert article.lead_image is not None
    assert article.lead_image.src == "https://news.example.org/img/lead.jpg"
    assert article.lead_image.caption == "Boats in the harbour."
    assert "lead.jpg" not in article.body_html


# ---------------------------------------------------------------- the allow-list

SVG_WITH_SCRIPT = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(7)</script>' + b"<rect/>" * 80 + b"</svg>").decode()
HOSTILE = """
<p>Safe <a href="javascript:alert(1)">script link</a>, <a href=" JaVaScRiPt:alert(2)">spaced</a>,
 <a href="data:text/html,<script>alert(3)</script>">data link</a> and <a href="/ok" onclick="steal()">relative</a>.</p>
<script>alert("inline")</script><style>p { color: red }</style>
<iframe src="https://evil.example/frame"></iframe>
<object data="https://evil.example/x.swf"><embed src="https://evil.example/y.swf"></object>
<link rel="attachment" href="https://evil.example/file.pdf">
<link rel="stylesheet" href="https://evil.example/print.css">
<img src="/img/x.png" onerror="steal()" style="width: 9999px" class="big" data-track="1">
<img src="javascript:alert(4)">
<img src="data:image/svg+xml;base64,{svg}">
<form action="https://evil.example/post"><input name="q"><button>Go</button></form>
<svg><script>alert(5)</script></svg>
<h1 onmouseover="x()">A heading</h1><h2>A subheading</h2>
<table onclick="x()" border="9"><tr><td colspan="2" style="x">cell</td></tr></table>
<code class="language-python js-evil">print(1)</code>
<div style="background:url(javascript:alert(6))"><p id="x" class="y" data-z="1">Tagged paragraph</p></div>
""".replace("{svg}", SVG_WITH_SCRIPT)


def assert_clean(fragment_html: str) -> None:
    root = lxml_html.fragment_fromstring(fragment_html, create_parent="div")
    for element in root.iter():
        if element is root:
            continue
        assert element.tag in ALLOWED_ELEMENTS, element.tag
        allowed = ALLOWED_ATTRIBUTES.get(element.tag, frozenset()) | ALLOWED_ATTRIBUTES["*"]
        for name, value in element.attrib.items():
            assert name in allowed, (element.tag, name)
            assert not name.startswith("on")
            if name in ("href", "src", "cite"):
                assert value.startswith(("https://", "http://", "mailto:", "data:image/png", "data:image/jpeg",
                                         "data:image/gif", "data:image/webp")), value
        if element.tag == "code" and element.get("class"):
            assert element.get("class") == "language-python"
    lowered = fragment_html.lower()
    for bad in ("javascript:", "<script", "<style", "<iframe", "<object", "<embed", "<link", "<form", "onerror"):
        assert bad not in lowered, bad


def test_clean_fragment_rebuilds_hostile_markup_from_the_allow_list():
    source = lxml_html.fragment_fromstring(HOSTILE, create_parent="div")
    clean = clean_fragment(list(source), BASE)
    out = "".join(lxml_html.tostring(c, encoding="unicode") for c in clean)
    assert_clean(out)
    assert 'href="https://news.example.org/ok"' in out
    assert 'src="https://news.example.org/img/x.png"' in out
    assert "<h2>A heading</h2>" in out and "<h3>A subheading</h3>" in out  # demoted, order kept
    assert "script link" in out and "Tagged paragraph" in out  # the text of unsafe links stays
    assert 'colspan="2"' in out


def test_extracted_body_is_clean_even_from_a_hostile_article():
    article = extract_article(article_page("{PROSE}" + HOSTILE))
    assert_clean(article.body_html)
    assert "<h1" not in article.body_html
    assert fold(PROSE[2]) in fold(article.text)


# ---------------------------------------------------------------- no article

@pytest.mark.parametrize("html", [
    "",
    "   \n ",
    "<html><head><title>Nothing</title></head><body></body></html>",
    "<html><body><nav><a href='/a'>A</a> <a href='/b'>B</a></nav><footer>All rights reserved</footer></body></html>",
])
def test_no_article_raises_with_a_reason(html):
    with pytest.raises(NoArticle) as caught:
        extract_article(Page(url=BASE, html=html))
    assert caught.value.status == 422
    assert caught.value.detail


# ---------------------------------------------------------------- the command line

def gloss(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", "extract", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_text_is_the_body_alone():
    result = gloss(str(SEED_HTML), "--url", SEED_URL, "--format", "text")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(EXPECTED["must_contain"][0])
    assert fold(EXPECTED["must_contain"][1]) in fold(result.stdout)
    assert "Related Articles" not in result.stdout and "Most Viewed" not in result.stdout


def test_cli_json_has_every_field():
    result = gloss(str(SEED_HTML), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == EXPECTED["title"]
    assert data["lead_image"]["src"].endswith(EXPECTED["images"][0])
    # Without --url the page's canonical address resolves its links.
    assert data["url"].startswith("https://koreajoongangdaily.joins.com/")
    assert {"body_html", "text", "standfirst", "byline", "published", "site_name", "canonical_url",
            "lang"} <= data.keys()


def test_cli_html_is_a_clean_document():
    result = gloss(str(SEED_HTML), "--url", SEED_URL, "--format", "html")
    assert result.returncode == 0, result.stderr
    doc = lxml_html.document_fromstring(result.stdout)
    assert fold(doc.find(".//h1").text_content()) == EXPECTED["title"]
    assert doc.find(".//figure/figcaption") is not None
    assert len(doc.findall(".//article/p")) >= EXPECTED["paragraph_count"]
    assert "<script" not in result.stdout


def test_cli_reports_no_article_and_missing_files(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body></body></html>", encoding="utf-8")
    result = gloss(str(empty))
    assert result.returncode == 2 and "gloss:" in result.stderr and "Traceback" not in result.stderr
    result = gloss(str(tmp_path / "missing.html"))
    assert result.returncode == 2 and "No such file" in result.stderr


def test_hover_cards_inside_paragraphs_are_not_text():
    card = ('<span class="person"><a href="/people/ada">Ada Lovelace</a><span class="card"><span>'
            '<img src="/img/ada.jpg" width="100"><a href="/people/ada">Ada Lovelace</a>'
            '<a href="/story/1">Another story about engines</a> <a href="/story/2">Yet another story</a>'
            '</span></span></span>')
    article = extract_article(article_page(f"<p>The inquiry was led by {card} and reported in May.</p>{{PROSE}}"))
    assert "The inquiry was led by Ada Lovelace and reported in May." in fold(article.text)
    assert "Another story about engines" not in article.text and "ada.jpg" not in article.body_html


def test_cli_fetches_a_url_through_the_guarded_fetcher(fixture_site):
    url = f"{fixture_site}/seed-article.html"
    env = {**os.environ, "GLOSS_ALLOW_PRIVATE_FETCH": "1"}
    result = subprocess.run([sys.executable, "-m", "server", "extract", url, "--format", "json"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == EXPECTED["title"]
    # Pictures resolve against the address the page was fetched from.
    assert data["lead_image"]["src"] == fixture_site + EXPECTED["images"][0]
    # Loopback is refused unless the setting allows it: the guard applies to the CLI too.
    env.pop("GLOSS_ALLOW_PRIVATE_FETCH")
    refused = subprocess.run([sys.executable, "-m", "server", "extract", url], cwd=PROJECT_ROOT,
                             capture_output=True, text=True, timeout=120, env=env)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
