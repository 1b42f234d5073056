"""The article's language: `article_language(article) -> BCP 47 tag` ("" when unknown).

What the page declares (`<html lang>`, Content-Language, og:locale... as extraction
read them) wins; a page that says nothing gets the language its text is written in,
told by py3langid (a maintained fork of langid.py: a naive Bayes model over byte
n-grams, 97 languages, shipped inside the package; chosen over lingua after measuring
both on the bench pages, see the README's "Language" section: same accuracy, ten to
two hundred times faster). The language drives hyphenation (WeasyPrint hyphenates by
`<html lang>`), the fonts of the script, and the labels and dates (labels.py).
"""

from __future__ import annotations

import re

from server.article.model import Article

# Enough text to tell a language from its neighbours; more costs time and adds nothing.
DETECT_CHARS = 4000
# Below this many letters a guess is noise (a word or two; a CJK sentence has ten).
MIN_LETTERS = 10
# A declared tag must look like one: "en", "pt-BR", "zh-Hant-TW" (no "und", "x-default").
TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$", re.I)


def declared_language(tag: str) -> str:
    """A well-formed declared tag, with `_` read as `-`; "" for none or nonsense."""
    tag = (tag or "").strip().replace("_", "-")
    if not TAG.match(tag) or tag.lower() in ("und", "mul", "zxx"):
        return ""
    return tag


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language `text` is written in, or "" for too little text."""
    sample = " ".join(text[:DETECT_CHARS].split())
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return ""
    # The model loads on the first call in a process (about a second, numpy included).
    from py3langid.langid import classify

    code, _score = classify(sample)
    return code


def article_language(article: Article) -> str:
    declared = declared_language(article.lang)
    if declared:
        return declared
    return detect_language(f"{article.title}\n{article.standfirst}\n{article.text}")

