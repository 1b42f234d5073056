"""Which part of speech a word has in its sentence: the features and the decision of a small tagger.

In: the sentence's tokens (as written) and the position of the selected word; the
tagger's weights for the features found there (the store's `tagger` table, trained at
build time by `build/tagger.py` on MASC). Out: the scores of each coarse class
(`CLASSES`): noun, name (a proper noun), verb, adjective, adverb, other.

Each word is tagged from the words around it alone (no previous tags), so tagging the
one selected word costs a dozen feature look-ups: well under a millisecond. Held-out
accuracy is printed by the build.
"""

from __future__ import annotations

import re

CLASSES = ("noun", "name", "verb", "adjective", "adverb", "other")
PENN = {"NN": "noun", "NNS": "noun", "NNP": "name", "NNPS": "name", "VB": "verb", "VBD": "verb", "VBG": "verb",
        "VBN": "verb", "VBP": "verb", "VBZ": "verb", "MD": "other", "JJ": "adjective", "JJR": "adjective",
        "JJS": "adjective", "RB": "adverb", "RBR": "adverb", "RBS": "adverb"}


# Tokens as the training data has them: clitics apart ("do" "n't", "Harris" "'s"),
# punctuation apart, hyphenated words whole.
TOKEN = re.compile(r"[^\W\d_]+(?=n't\b)|n't\b|'(?:s|re|ve|ll|d|m)\b|[^\W_]+(?:[-.][^\W_]+)*|[^\w\s]",
                   re.IGNORECASE)
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text.translate(APOSTROPHES))


def coarse(penn_tag: str) -> str:
    return PENN.get(penn_tag, "other")


def _shape(word: str) -> str:
    if word[:1].isupper():
        return "Xx" if word[1:].islower() or len(word) == 1 else "XX"
    if any(c.isdigit() for c in word):
        return "d"
    return "x" if word.isalpha() else "p"


def neighbours(words: list[str], i: int) -> list[str]:
    """The words whose usual class `features` asks for (two before, two after), lowercase."""
    return [words[j].lower() for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(words)]


def features(words: list[str], i: int, lexicon: dict[str, str]) -> list[str]:
    """The features of word i: itself, its ending and shape, its two neighbours on each
    side and their usual classes (`lexicon`: lowercase word -> its most frequent class in
    the training data; no previous tags, so one word is tagged alone)."""
    word = words[i]
    lower = word.lower()
    before = words[i - 1].lower() if i > 0 else "<s>"
    before2 = words[i - 2].lower() if i > 1 else "<s>"
    after = words[i + 1].lower() if i + 1 < len(words) else "</s>"
    after2 = words[i + 2].lower() if i + 2 < len(words) else "</s>"
    shape = _shape(word)
    return ["b", "w=" + lower, "s3=" + lower[-3:], "s2=" + lower[-2:], "s1=" + lower[-1:], "p3=" + lower[:3],
            "sh=" + shape + ("0" if i == 0 else ""), "b1=" + before, "b2=" + before2, "a1=" + after,
            "a2=" + after2, "b1w=" + before + " " + lower, "wa1=" + lower + " " + after,
            "b1s=" + before[-2:] + " " + shape, "a1s=" + _shape(words[i + 1]) if i + 1 < len(words) else "a1s=",
            "b1sh=" + (_shape(words[i - 1]) if i > 0 else "<s>")] + _usual(words, i, lexicon)


def _usual(words: list[str], i: int, lexicon: dict[str, str]) -> list[str]:
    def usual(j: int) -> str:
        return lexicon.get(words[j].lower(), "?") if 0 <= j < len(words) else "<>"
    b1, b2, a1 = usual(i - 1), usual(i - 2), usual(i + 1)
    return ["b1t=" + b1, "b2t=" + b2 + " " + b1, "a1t=" + a1, "ba=" + b1 + " " + a1]


def scores(weights: dict[str, list[float]], feats: list[str]) -> list[float]:
    total = [0.0] * len(CLASSES)
    for feat in feats:
        vector = weights.get(feat)
        if vector:
            for c, w in enumerate(vector):
                total[c] += w
    return total


def decide(weights: dict[str, list[float]], words: list[str], i: int, lexicon: dict[str, str],
           allowed: set[str] | None = None) -> tuple[str, float]:
    """(class, margin over the runner-up) of word i, among the `allowed` classes when given
    (the parts of speech the dictionary knows the word in: a tagger unsure between noun
    and verb should not answer adjective for "amble")."""
    total = scores(weights, features(words, i, lexicon))
    order = sorted((c for c in range(len(CLASSES)) if allowed is None or CLASSES[c] in allowed),
                   key=lambda c: -total[c])
    if not order:
        order = sorted(range(len(CLASSES)), key=lambda c: -total[c])
    margin = total[order[0]] - total[order[1]] if len(order) > 1 else float("inf")
    return CLASSES[order[0]], margin
