"""The words a text contributes to a sense's signature or to a sentence's context: stems, stop words left out.

Shared by the build (which stores each sense's signature) and the look-up (which reads the
sentence the same way), so that the two meet on the same stems.
"""

from __future__ import annotations

import functools
import re

STOPWORDS = frozenset("""a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with would
you your yours yourself yourselves said says say one two new also like would may might must shall us
get got make made use used something someone especially usually often etc esp""".split())

WORD = re.compile(r"[a-z]+")
# Suffixes removed so that "negotiations" meets "negotiate" and "nuclear" meets "nuclear".
SUFFIXES = ("ational", "ization", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ities", "ity",
            "ies", "ied", "ers", "er", "ed", "es", "ly", "al", "s", "e", "y")


@functools.lru_cache(maxsize=1 << 17)  # the same few thousand words recur across all senses
def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def signature_words(text: str) -> list[str]:
    """The stems a text contributes to a signature or a context, stop words left out."""
    return [stem(w) for w in WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1]
