"""Glossary bench: what a glossary costs and how the pages it makes balance.

Run with `make bench-glossary` (or `.venv/bin/python bench/glossary.py`). On the golden
seed article (tests/fixtures), with the real dictionary and WeasyPrint in this process,
it prints:

- the median time to choose and define the words (`server.glossary.select.choose`)
  for 3 listed words, "auto" (12) and the article's 30 least frequent words;
- the median render time of the typeset document without a glossary, with 3 and with
  30 words (the closing glossary's page numbers included);
- for 30 words in A4, Letter and A5, each page's share of height taken by text lines
  (and images) and by footnotes, and how many words got a footnote or a dagger.
"""

from __future__ import annotations

import asyncio
import base64
import statistics
import sys
import time
from pathlib import Path

from lxml import html as lxml_html
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.article.extract import extract_article  # noqa: E402
from server.article.model import Page  # noqa: E402
from server.dictionary.lookup import Dictionary  # noqa: E402
from server.dictionary.store import Store  # noqa: E402
from server.glossary.select import choose, parse_glossary  # noqa: E402
from server.glossary.text import WORD_RE  # noqa: E402
from server.printing import pipeline  # noqa: E402
from server.printing.worker import LockedFetcher  # noqa: E402
from server.settings import Settings  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SEED_URL = "https://koreajoongangdaily.joins.com/2020/07/29/national/northKorea/working-group/20200729184900123.html"
IMAGE_URL = "https://koreajoongangdaily.joins.com/images/2020/07/29/lee-harris.jpg"
THREE = ["detente", "dissonance", "subservience"]
REPEATS = 5


def median_ms(run, repeats: int = REPEATS) -> float:
    run()  # warm: imports, font loading, SQLite pages
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def rarest_words(text: str, dictionary: Dictionary, count: int = 30) -> list[str]:
    zipf: dict[str, float] = {}
    for word in WORD_RE.findall(text):
        if word[0].islower() and len(word) > 4 and word not in zipf:
            try:
                entry = dictionary.define(word)
            except Exception:  # noqa: BLE001 - a word the dictionary does not know is not glossed
                continue
            if entry["word"][0].islower():
                zipf[word] = entry["frequency"]["zipf"]
    return sorted(zipf, key=zipf.get)[:count]


def typeset(html: str, images: dict[str, str], dictionary: Dictionary, **options) -> str:
    request = pipeline.parse_request({"url": SEED_URL, "html": html, "images": images, "options": options})
    return asyncio.run(pipeline.preview(request, None, dictionary=dictionary)).html


def boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from boxes(child)


def main() -> None:
    html = (FIXTURES / "seed-article.html").read_text(encoding="utf-8")
    image = base64.b64encode((FIXTURES / "images/2020/07/29/lee-harris.jpg").read_bytes()).decode("ascii")
    images = {IMAGE_URL: f"data:image/jpeg;base64,{image}"}
    article = extract_article(Page(url=SEED_URL, html=html, images=images))
    dictionary = Dictionary(Store(Settings().dictionary_path))
    thirty = rarest_words(article.text, dictionary)

    print("choose (select + define), median of", REPEATS)
    for name, spec in (("3 listed words", THREE), ('"auto", 12', "auto"), (f"{len(thirty)} listed words", thirty)):
        requested = parse_glossary(spec)
        print(f"  {name:>16}: {median_ms(lambda: choose(article, requested, 12, dictionary)):6.1f} ms")

    fonts = FontConfiguration()
    print("render (WeasyPrint, PDF/UA), median of 3")
    for name, options in (("no glossary", {}), ("3 words", {"glossary": THREE}),
                          (f"{len(thirty)} words", {"glossary": thirty})):
        document = typeset(html, images, dictionary, **options)
        render = lambda: HTML(string=document, url_fetcher=LockedFetcher()).write_pdf(pdf_variant="pdf/ua-1")  # noqa: E731
        print(f"  {name:>16}: {median_ms(render, 3):6.0f} ms")

    print(f"{len(thirty)} words: share of each page's height, text lines (+images) / footnotes")
    for size in ("A4", "Letter", "A5"):
        document = typeset(html, images, dictionary, glossary=thirty, page_size=size)
        root = lxml_html.fromstring(document)
        noted, daggered = len(root.cssselect(".gloss-note")), len(root.cssselect("sup.gloss-mark"))
        pages = []
        for page in HTML(string=document, url_fetcher=LockedFetcher()).render(font_config=fonts).pages:
            root, *others = page._page_box.children
            area = next((b for b in others if type(b).__name__ == "FootnoteAreaBox"), None)
            notes = area.height if area is not None and area.children else 0
            text = sum(b.height for b in boxes(root) if type(b).__name__ in ("LineBox", "BlockReplacedBox"))
            height = page._page_box.height
            pages.append(f"{text / height:.0%}/{notes / height:.0%}")
        print(f"  {size:>6}: {noted} footnotes, {daggered} daggers; pages " + "  ".join(pages))


if __name__ == "__main__":
    main()
