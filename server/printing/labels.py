"""The few words Gloss prints itself, in the article's language: `labels_for(lang) -> Labels`,
and dates: `local_date("2024-05-02", lang) -> "2. Mai 2024"`.

Dates come from CLDR through Babel (the long date format of the language's locale);
the labels are our own short table, since CLDR has no words for "Links" or "page N of
M". A language missing from the table gets English labels, while its dates still
follow its locale when Babel knows it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from babel import Locale, UnknownLocaleError
from babel.dates import format_date


class Labels(NamedTuple):
    # "{page}" and "{pages}" are replaced by the page counters.
    page_of: str
    links: str
    glossary: str


LABELS: dict[str, Labels] = {
    "en": Labels("page {page} of {pages}", "Links", "Glossary"),
    "de": Labels("Seite {page} von {pages}", "Links", "Glossar"),
    "fr": Labels("page {page} sur {pages}", "Liens", "Glossaire"),
    "es": Labels("página {page} de {pages}", "Enlaces", "Glosario"),
    "pt": Labels("página {page} de {pages}", "Links", "Glossário"),
    "it": Labels("pagina {page} di {pages}", "Link", "Glossario"),
    "nl": Labels("pagina {page} van {pages}", "Links", "Woordenlijst"),
    "pl": Labels("strona {page} z {pages}", "Linki", "Słowniczek"),
    "ru": Labels("стр. {page} из {pages}", "Ссылки", "Глоссарий"),
    "uk": Labels("стор. {page} з {pages}", "Посилання", "Глосарій"),
    "ja": Labels("{page} / {pages} ページ", "リンク", "用語集"),
    "ko": Labels("{pages}쪽 중 {page}쪽", "링크", "용어 풀이"),
    "zh": Labels("第 {page} 页，共 {pages} 页", "链接", "词汇表"),
    "zh-hant": Labels("第 {page} 頁，共 {pages} 頁", "連結", "詞彙表"),
    "ar": Labels("صفحة {page} من {pages}", "روابط", "مسرد"),
    "he": Labels("עמוד {page} מתוך {pages}", "קישורים", "מילון מונחים"),
    "tr": Labels("sayfa {page} / {pages}", "Bağlantılar", "Sözlük"),
}
TRADITIONAL_CHINESE = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def labels_for(lang: str) -> Labels:
    tag = (lang or "").lower().replace("_", "-")
    if tag.startswith(TRADITIONAL_CHINESE):
        return LABELS["zh-hant"]
    return LABELS.get(tag.split("-")[0], LABELS["en"])


def local_date(value: str, lang: str) -> str:
    """An ISO date in the long format of the language ("2 May 2024", "2024년 5월 2일");
    anything that is not an ISO date comes back unchanged."""
    match = ISO_DATE.match(value)
    if not match:
        return value
    try:
        day = date(*(int(g) for g in match.groups()))
    except ValueError:
        return value
    return format_date(day, format="long", locale=_locale(lang))


def _locale(lang: str) -> Locale:
    tag = (lang or "").replace("_", "-")
    try:
        return Locale.parse(tag, sep="-") if tag else Locale("en")
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(tag.split("-")[0])
        except (UnknownLocaleError, ValueError):
            return Locale("en")
