"""What the masthead already says, printed once: on the typesetter's own copy of the body.

    drop_repeated_dateline(body, byline, published, lang)   in place: the body's opening
                                                             lines that only repeat the
                                                             masthead's byline and date go
    printed_title(title, body) -> str                        the headline to print: the
                                                             article's title, else the body's
                                                             opening heading (taken out of
                                                             the body), else "" (no <h1>)

The masthead prints the byline and the date from the page's metadata. Many pages also
open their text with a dateline saying the same thing in their own format ("5:45 AM PST
11/19/2019 by Patrick Shanley", "2018-08-16"): printed, the reader sees it twice. Such a
line is recognised by what is left of it once the masthead's facts are taken out of it,
compared as normalised text (Unicode NFKC, case folded):
- each name of the byline, as written there;
- the date, in any common format: the year, month and day as numbers in any order and
  with any separators ("11/19/2019", "2018-08-16", "2018年8月16日", "19.11.19") or the
  month as a name in the article's language or in English ("Nov 19, 2019",
  "19 novembre 2019", "Tuesday, November 19"), a weekday name with it;
- a time of day with its zone ("5:45 AM PST", "14:30 CET").
What is left may be a few short words ("by", "Posted on", "Veröffentlicht am"): at most
MAX_LEFT_WITH_DATE when the date was found, MAX_LEFT_NAME_ONLY when only a name was (a
sentence about the author is longer than that). A line with any other number (another
date, "Updated 11/20/2019", "5 min read") says something the masthead does not, and stays.
Only the opening blocks are read (figures before them skipped), and only short ones.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names, get_month_names
from lxml import etree

from server.article.tree import drop, text_of

# Text blocks at the body's opening read for a dateline, figures not counted.
OPENING_BLOCKS = 3
# A dateline is a line, not a paragraph.
MAX_DATELINE_CHARACTERS = 120
# Words a dateline may hold besides the masthead's facts.
MAX_LEFT_WITH_DATE = 3
MAX_LEFT_NAME_ONLY = 1
MAX_LEFT_WORD = 16
TEXT_BLOCKS = frozenset({"p", "div", "h2", "h3", "h4", "h5", "h6", "address", "time", "span", "small"})
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# A time of day, with seconds, a.m./p.m. and a zone when they follow (case folded text).
_TIME = re.compile(r"(?<!\d)\d{1,2}[:h]\d{2}(?::\d{2})?(?!\d)\s*(?:[ap]\.?\s?m\.?)?"
                   r"(?:\s*(?:utc|gmt|z|[a-z]{1,3}[sd]?t)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\b)?")
_NUMBER = re.compile(r"\d+(?:st|nd|rd|th|er|e|º|\.)?")
_BYLINE_SEPARATORS = re.compile(r"\s*(?:[,;&·|/]|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*")
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=64)
def _calendar_names(lang: str) -> tuple[dict[str, int], tuple[str, ...]]:
    """({month name: number}, weekday names), folded, in the language's locale and in
    English, wide and abbreviated, longest first (so "sept." goes before "sep")."""
    locales = [Locale("en")]
    try:
        locales.insert(0, Locale.parse((lang or "en").replace("_", "-").split("-")[0]))
    except (UnknownLocaleError, ValueError):
        pass
    months: dict[str, int] = {}
    days: set[str] = set()
    for locale in locales:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    folded = _fold(name)
                    if folded and not _DIGIT.search(folded):  # "8月": the number says it
                        months.setdefault(folded, number)
                        months.setdefault(folded.rstrip("."), number)
                days.update(_fold(n) for n in get_day_names(width, context, locale).values())
    ordered = dict(sorted(months.items(), key=lambda item: -len(item[0])))
    return ordered, tuple(sorted((d for d in days if d), key=len, reverse=True))


def _name_pattern(name: str) -> re.Pattern[str]:
    # Whole words for scripts with spaces; anywhere for a CJK name followed by a title.
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)" if name.isascii() else re.escape(name))


def _without_names(text: str, byline: str) -> tuple[str, bool]:
    found = False
    for name in sorted({_fold(n) for n in _BYLINE_SEPARATORS.split(byline or "") if _fold(n)}, key=len, reverse=True):
        pattern = _name_pattern(name)
        if pattern.search(text):
            text, found = pattern.sub(" ", text), True
    return text, found


def _without_date(text: str, published: str, lang: str) -> tuple[str, bool]:
    """`text` without the published date (and the weekday beside it), and whether it held it."""
    match = _ISO_DATE.match(published or "")
    if not match:
        return text, False
    year, month, day = (int(g) for g in match.groups())
    months, days = _calendar_names(lang)
    named_month = False
    for name, number in months.items():
        pattern = re.compile(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])")
        if number == month and pattern.search(text):
            text, named_month = pattern.sub(" ", text, count=1), True
            break
    numbers = list(_NUMBER.finditer(text))
    values = [int(m.group().rstrip("stndrhº.e") or -1) for m in numbers]
    digits = [len(m.group().rstrip("stndrhº.e")) for m in numbers]
    used: list[int] = []

    def take(value: int, lengths: tuple[int, ...]) -> bool:
        for index, (number, length) in enumerate(zip(values, digits, strict=True)):
            if index not in used and number == value and length in lengths:
                used.append(index)
                return True
        return False

    has_year = take(year, (4,))
    has_month = named_month or take(month, (1, 2))
    has_day = take(day, (1, 2))
    if not has_year and has_month and has_day and not named_month:
        has_year = take(year % 100, (2,))  # "11/19/19"
    if not (has_month and has_day and (has_year or named_month)):
        return text, False
    for index in sorted(used, reverse=True):
        start, end = numbers[index].span()
        text = text[:start] + " " + text[end:]
    for name in days:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text)
    return text, True


def repeats_masthead(text: str, byline: str, published: str, lang: str) -> bool:
    """True when `text` says nothing but the masthead's byline and date (see the module)."""
    folded = _fold(text)
    if not folded or len(folded) > MAX_DATELINE_CHARACTERS:
        return False
    folded, has_name = _without_names(folded, byline)
    folded, has_date = _without_date(folded, published, lang)
    if not (has_name or has_date):
        return False
    if has_date:
        folded = _TIME.sub(" ", folded)
    left = _WORD.findall(folded)
    if any(_DIGIT.search(word) or len(word) > MAX_LEFT_WORD for word in left):
        return False
    return len(left) <= (MAX_LEFT_WITH_DATE if has_date else MAX_LEFT_NAME_ONLY)


def drop_repeated_dateline(body: etree._Element, byline: str, published: str, lang: str) -> list[str]:
    """Drops the opening blocks of `body` that only repeat the masthead; returns their text."""
    if not (byline or published):
        return []
    dropped: list[str] = []
    read = 0
    for child in list(body):
        if not isinstance(child.tag, str):
            continue
        if child.tag == "figure" or (child.find(".//img") is not None and not text_of(child).strip()):
            continue  # a picture before the text
        if child.tag not in TEXT_BLOCKS or read >= OPENING_BLOCKS:
            break
        read += 1
        text = text_of(child)
        if not repeats_masthead(text, byline, published, lang):
            break
        dropped.append(" ".join(text.split()))
        drop(child)
    return dropped


def printed_title(title: str, body: etree._Element) -> str:
    """The headline to print. A page with no title of its own (no headline in its
    metadata, no <title>, no <h1>: extraction found none) gets the body's opening heading,
    moved out of the body into the masthead; else none: an empty <h1> prints as a gap."""
    if " ".join(title.split()):
        return title
    for child in body:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "figure" or (child.find(".//img") is not None and not text_of(child).strip()):
            continue
        if child.tag in HEADINGS and " ".join(text_of(child).split()):
            heading = " ".join(text_of(child).split())
            drop(child)
            return heading
        break
    return ""
