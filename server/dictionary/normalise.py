"""Normalise text: a raw selection in, a clean query (or a 422) out; any word in, its store key out.

`key(text)` is the one form every headword and form is stored and looked up under:
NFKC, curly quotes made straight, accents removed, case folded, spaces collapsed. So
"Détente", "DETENTE" and "detente" share the key "detente".

`clean_selection(raw)` turns what a reader selected into the query to look up: it trims
spaces, surrounding punctuation and quotes, makes apostrophes straight, and rejects
what is not a word or a short phrase (numbers, URLs, e-mail addresses, long text) with
`Unprocessable`.
"""

from __future__ import annotations

import re
import unicodedata

from server.errors import Unprocessable

# A selection longer than this is a passage, not a word or an expression: the longest
# WordNet expressions run to about 60 characters.
MAX_SELECTION_CHARS = 80
# The longest multi-word expressions in the data have six words.
MAX_SELECTION_WORDS = 6

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'",
                             "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                             "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u00ad": ""})
# What may surround a selected word without being part of it.
EDGE = "\"'()[]{}<>.,;:!?\u2026*_/\\|#~=+^%&@"
EDGE_KEEP_APOSTROPHE = EDGE.replace("'", "")
WORD_RE = re.compile(r"^[^\W\d_]+(?:['\-.][^\W\d_]+)*'?$")
URL_RE = re.compile(r"(?i)^(?:[a-z][a-z0-9+.-]*://|www\.)|^[^\s@]+@[^\s@]+\.[a-z]{2,}$|\.(?:com|org|net|html?)(?:/|$)")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def key(text: str) -> str:
    """The store key of a word or phrase (see the module docstring)."""
    if text.isascii():  # most keys: NFKC and accent stripping change nothing in ASCII
        return " ".join(text.replace("_", " ").replace("`", "'").lower().split())
    text = unicodedata.normalize("NFKC", text).translate(APOSTROPHES)
    text = strip_accents(text).casefold()
    text = text.replace("\u00df", "ss").replace("\u00e6", "ae").replace("\u0153", "oe")
    return " ".join(text.replace("_", " ").split())


def clean_selection(raw: str) -> str:
    """The query for a selection, with its case and accents kept; raises Unprocessable."""
    if raw is None or not raw.strip():
        raise Unprocessable("Select a word or a short expression to define.")
    if raw.isascii() and raw.isalpha() and len(raw) <= MAX_SELECTION_CHARS:
        return raw  # one plain word, the common case: nothing below would change it
    text = unicodedata.normalize("NFKC", raw).translate(APOSTROPHES)
    text = " ".join(text.split())
    if len(text) > MAX_SELECTION_CHARS:
        raise Unprocessable(f"The selection has {len(text)} characters: select one word or a short "
                            f"expression (at most {MAX_SELECTION_CHARS} characters).")
    if URL_RE.search(text):
        raise Unprocessable("The selection is a web or e-mail address, not a word.")
    text = text.strip(EDGE_KEEP_APOSTROPHE + " ").lstrip("'")
    # A closing apostrophe after an s is a plural possessive ("allies'"); otherwise a quote.
    if text.endswith("'") and not text[:-1].lower().endswith("s"):
        text = text.rstrip("'")
    words = text.split(" ")
    if not text:
        raise Unprocessable("The selection has no letters in it.")
    if len(words) > MAX_SELECTION_WORDS:
        raise Unprocessable(f"The selection has {len(words)} words: select one word or an expression "
                            f"of at most {MAX_SELECTION_WORDS}.")
    for word in words:
        if not WORD_RE.match(word):
            if any(c.isdigit() for c in word):
                if not any(c.isalpha() for c in word):
                    raise Unprocessable(f"\u201c{word}\u201d is a number, not a word.")
                raise Unprocessable(f"\u201c{word}\u201d has digits in it: a code or a name, not a word "
                                    "the dictionary holds.")
            raise Unprocessable(f"\u201c{word}\u201d is not a word.")
    return text


TOKEN_RE = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*", re.UNICODE)


def tokens(text: str) -> list[str]:
    """The words of a sentence, in order, as written."""
    return TOKEN_RE.findall(unicodedata.normalize("NFKC", text))
