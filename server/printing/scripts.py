"""What a script needs beyond its fonts (which print.css picks by `lang`).

    is_rtl(lang)                 -> the language is written right to left
    is_cjk(lang)                 -> Chinese, Japanese or Korean
    keep_korean_words(text)      -> Korean words that a line break never splits
    isolate(text)                -> text set as one direction-isolated run
    left_to_right(text)          -> text isolated and set left to right (code)
    isolate_latin_runs(text)     -> every Latin run (names, dates) in RTL text isolated

Korean is written with spaces between words and breaks lines only there (CSS
`word-break: keep-all`), but the line breaker treats each Hangul syllable as an
ideograph and breaks between any two. WeasyPrint has no `keep-all`, so a WORD JOINER
(U+2060, invisible, not extracted from the PDF) goes between the letters of each word.

A date or a name in Latin letters inside Arabic text is reordered by the bidirectional
algorithm as a whole line ("2 May 2024" reads "May 2024 2"); Unicode's isolates (FSI
U+2068 ... PDI U+2069, honoured by Pango's FriBidi) make each run keep its own order.
"""

from __future__ import annotations

import re

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "iw", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})
CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
WORD_JOINER = "\u2060"
FSI, LRI, PDI = "\u2068", "\u2066", "\u2069"
HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
# Between two letters or digits of one word, at least one of them Hangul.
_KOREAN_JOIN = re.compile(rf"(?<=[{HANGUL}])(?=\w)|(?<=\w)(?=[{HANGUL}])")
# A run that starts and ends with a Latin letter or digit, holds at least one Latin
# letter, and may hold spaces and the punctuation of names, dates and numbers.
_LATIN_RUN = re.compile(r"[0-9A-Za-z\u00c0-\u024f][0-9A-Za-z\u00c0-\u024f .,:/'’&-]*[0-9A-Za-z\u00c0-\u024f]"
                        r"|[A-Za-z\u00c0-\u024f]")
_HAS_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def primary(lang: str) -> str:
    return (lang or "").strip().replace("_", "-").split("-")[0].lower()


def is_rtl(lang: str) -> bool:
    return primary(lang) in RTL_LANGUAGES


def is_cjk(lang: str) -> bool:
    return primary(lang) in CJK_LANGUAGES


def keep_korean_words(text: str) -> str:
    return _KOREAN_JOIN.sub(WORD_JOINER, text)


def isolate(text: str) -> str:
    return f"{FSI}{text}{PDI}" if text else text


def left_to_right(text: str) -> str:
    """Text that reads left to right wherever it stands (code inside right-to-left text)."""
    return f"{LRI}{text}{PDI}" if text else text


def isolate_latin_runs(text: str) -> str:
    return _LATIN_RUN.sub(lambda m: isolate(m.group()) if _HAS_LATIN_LETTER.search(m.group()) else m.group(),
                          text)
