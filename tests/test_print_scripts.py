"""Articles in Korean, Japanese, Chinese, Russian, Greek and Arabic print as real glyphs.

Each is typeset and rendered by the real pipeline stages; the PDF must name a font that
covers the script (our shipped fonts or the Noto fallbacks) and its text must come back
out of the PDF word for word, which an empty box (.notdef) never does.
"""

from __future__ import annotations

import subprocess

import pytest
import pytest_asyncio

from server.article.model import Article
from server.printing.options import PrintOptions
from server.printing.render import RenderPool
from server.printing.typeset import typeset
from server.settings import Settings

pytestmark = pytest.mark.asyncio(loop_scope="module")

SAMPLES = {
    "ko": ("대한민국의 수도는 서울이다", "Noto-Serif-CJK-KR"),
    "ja": ("日本の首都は東京です", "Noto-Serif-CJK-JP"),
    "zh": ("中国的首都是北京", "Noto-Serif-CJK-SC"),
    "ru": ("Столица России — Москва", "Gloss-Serif"),
    "el": ("Η πρωτεύουσα της Ελλάδας είναι η Αθήνα", "Noto-Serif"),
    "ar": ("عاصمة مصر هي القاهرة", "Noto-Naskh-Arabic"),
}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def pool():
    pool = RenderPool(Settings(render_workers=1))
    await pool.start()
    try:
        yield pool
    finally:
        await pool.close()


def article(lang: str, sentence: str) -> Article:
    body = "".join(f"<p>{sentence}. {sentence}.</p>" for _ in range(3))
    return Article(url=f"https://news.example/{lang}", title=sentence, body_html=body, text="",
                   lang=lang, site_name="Example")


@pytest.mark.parametrize("lang", list(SAMPLES))
async def test_script_prints_as_real_glyphs(pool, lang):
    sentence, font = SAMPLES[lang]
    pdf = (await pool.render(typeset(article(lang, sentence), PrintOptions(), {}))).pdf
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert f"+{font} " in fonts or f"+{font}-" in fonts, fonts
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    # Arabic comes out in visual order with direction marks; every word must still be whole.
    for word in sentence.split():
        assert word in text, (word, text)
    assert "\ufffd" not in text


async def test_mixed_scripts_in_one_english_article(pool):
    mixed = "Key: ключ, κλειδί, 열쇠, 鍵, مفتاح."
    pdf = (await pool.render(typeset(article("en", mixed), PrintOptions(), {}))).pdf
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    for word in ("ключ", "κλειδί", "열쇠", "鍵", "مفتاح"):
        assert word in text
