"""Rank senses by how well they fit the sentence a word was selected from.

In: an entry's meanings (as stored), the signatures of its senses ({sense id: "stem
stem ..."}, built from each sense's definition, examples, synonyms and WordNet
neighbours), the selected word and its sentence. Out: the same meanings, reordered so
that the best-fitting sense comes first in the first meaning, each meaning's senses in
order of fit, and meanings in order of their best sense.

The score is a simplified Lesk overlap: each context word shared with a sense's
signature counts by its rarity (common words say little), plus a prior from how often
WordNet's tagged corpus used the sense, plus a nudge for the part of speech the
sentence suggests ("the X" is a noun, "to X" a verb). All of it is a handful of set
look-ups per sense, so ranking stays well under a millisecond for any entry.
"""

from __future__ import annotations

import math
import re
from typing import Any

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


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def signature_words(text: str) -> list[str]:
    """The stems a text contributes to a signature or a context, stop words left out."""
    return [stem(w) for w in WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1]


# Which part of speech the word before the selection points to.
NOUN_BEFORE = frozenset("a an the this that these those its his her their our my your of some any every "
                        "each no many several".split())
VERB_BEFORE = frozenset("to will would can could may might must shall should does did do not never "
                        "is are was were be been being has have had".split())


def pos_hint(before: str | None, form_relation: str | None) -> str | None:
    if form_relation:
        if "participle" in form_relation or "past tense" in form_relation or "third-person" in form_relation:
            return "verb"
        if "plural" in form_relation:
            return "noun"
        if "comparative" in form_relation or "superlative" in form_relation:
            return "adjective"
    if before in NOUN_BEFORE:
        return "noun"
    if before in VERB_BEFORE:
        return "verb"
    return None


def rank(meanings: list[dict[str, Any]], signatures: dict[str, str], context_words: list[str],
         weights: dict[str, float], hint: str | None) -> list[dict[str, Any]]:
    """Meanings reordered by fit to the context (see the module docstring); input is not changed."""
    context = set(context_words)
    scored_meanings = []
    for m_index, meaning in enumerate(meanings):
        scored = []
        for s_index, sense in enumerate(meaning["senses"]):
            signature = set(signatures.get(sense.get("id", ""), "").split())
            overlap = sum(weights.get(w, 1.0) for w in context & signature)
            prior = math.log1p(sense.get("count", 0)) * 0.35 - s_index * 0.05
            if sense.get("older"):
                prior -= 1.0
            if hint and meaning["part_of_speech"] == hint:
                prior += 1.0
            scored.append((overlap + prior, -s_index, sense))
        scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
        best = scored[0][0] if scored else -99.0
        scored_meanings.append((best, -m_index, {**meaning, "senses": [s for _, _, s in scored]}))
    scored_meanings.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [m for _, _, m in scored_meanings]
