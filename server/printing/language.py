"""The article's language: `article_language(article) -> BCP 47 tag` ("" when unknown).

What the page declares (`<html lang>`, Content-Language, og:locale... as extraction
read them) is taken unless the text plainly says otherwise (a site-wide `lang="en"` on
an article in German: the two signals disagree and the text, with a wide margin, wins;
see OVERRIDE_MARGIN); a page that says nothing gets the language its text is written in,
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
DETECT_CHARS = 2000
# Below this many letters a guess is noise (a word or two; a CJK sentence has ten).
MIN_LETTERS = 10
# The declared language gives way when the text is long enough and the detector scores
# the declared language this much lower per character than its own answer. On the bench
# pages every page whose declaration disagrees with its text scores 0.39 or more (an
# English template on a German article, Latin placeholder text under lang="en"), every
# page whose declaration is right scores 0.
OVERRIDE_MARGIN = 0.3
OVERRIDE_MIN_CHARS = 400
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
    text = f"{article.title}\n{article.standfirst}\n{article.text}"
    if not declared:
        return detect_language(text)
    sample = " ".join(text[:DETECT_CHARS].split())
    if len(sample) < OVERRIDE_MIN_CHARS:
        return declared
    from py3langid.langid import rank

    scores = dict(rank(sample))
    best = max(scores, key=scores.__getitem__)
    primary = declared.split("-")[0].lower()
    if best != primary and primary in scores and (scores[best] - scores[primary]) / len(sample) >= OVERRIDE_MARGIN:
        return best
    return declared

