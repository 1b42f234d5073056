"""Which part of speech a word has in its sentence: the features and the decision of a small tagger.

In: the sentence's tokens (as written) and the position of the selected word; the
tagger's weights for the features found there (the store's `tagger` table, trained at
build time by `build/tagger.py` on MASC). Out: the word's class as a part of speech
(`ANSWER`): noun, name (a proper noun), verb, adjective, adverb, other, and its margin.

A greedy tagger: to tag the selected word it tags the three words before it, left to
right, each from its own features and the two tags before it, so one query fetches all
the weights it may need and tagging stays well under a millisecond. Held-out accuracy is
printed by the build.
"""

from __future__ import annotations

import re

# The tagger's own classes: finer than what it answers, because the tags before a word
# say most when they tell a modal ("can't steer") or a determiner ("no wish") apart.
CLASSES = ("noun", "name", "verb", "verb-past", "verb-participle", "verb-ing", "verb-s", "adjective", "adverb",
           "modal", "determiner", "preposition", "to", "pronoun", "conjunction", "particle", "number", "punctuation",
           "other")
# What each class answers as: a part of speech the dictionary has, or "other".
ANSWER = {c: ("verb" if c.startswith("verb") else c if c in ("noun", "name", "adjective", "adverb") else "other")
          for c in CLASSES}
# Words tagged before the selected one (left to right, each from the tags before it).
WINDOW = 3
PENN = {"NN": "noun", "NNS": "noun", "NNP": "name", "NNPS": "name", "VB": "verb", "VBP": "verb",
        "VBD": "verb-past", "VBN": "verb-participle", "VBG": "verb-ing", "VBZ": "verb-s", "MD": "modal",
        "JJ": "adjective", "JJR": "adjective", "JJS": "adjective", "RB": "adverb", "RBR": "adverb", "RBS": "adverb",
        "WRB": "adverb", "DT": "determiner", "PDT": "determiner", "WDT": "determiner", "PRP$": "determiner",
        "WP$": "determiner", "POS": "determiner", "IN": "preposition", "TO": "to", "PRP": "pronoun",
        "WP": "pronoun", "EX": "pronoun", "CC": "conjunction", "RP": "particle", "CD": "number"}


# Tokens as the training data has them: clitics apart ("do" "n't", "Harris" "'s"),
# punctuation apart, hyphenated words whole.
TOKEN = re.compile(r"[^\W\d_]+(?=n't\b)|n't\b|'(?:s|re|ve|ll|d|m)\b|[^\W_]+(?:[-.][^\W_]+)*|[^\w\s]",
                   re.IGNORECASE)
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text.translate(APOSTROPHES))


def coarse(penn_tag: str) -> str:
    """The tagger's class of a Penn Treebank tag."""
    if penn_tag in PENN:
        return PENN[penn_tag]
    return "other" if penn_tag[:1].isalpha() else "punctuation"


def _shape(word: str) -> str:
    if word[:1].isupper():
        return "Xx" if word[1:].islower() or len(word) == 1 else "XX"
    if any(c.isdigit() for c in word):
        return "d"
    return "x" if word.isalpha() else "p"


def neighbours(words: list[str], i: int) -> list[str]:
    """The words whose usual class the tagging of word i asks for, lowercase."""
    return [w.lower() for w in words[max(0, i - WINDOW - 2):i + 2]]


def features(words: list[str], i: int, lexicon: dict[str, str]) -> list[str]:
    """The features of word i that do not depend on the tags before it: itself, its
    ending and shape, its two neighbours on each side and the usual class of the next
    (`lexicon`: lowercase word -> its most frequent class in the training data)."""
    word = words[i]
    lower = word.lower()
    before = words[i - 1].lower() if i > 0 else "<s>"
    before2 = words[i - 2].lower() if i > 1 else "<s>"
    after = words[i + 1].lower() if i + 1 < len(words) else "</s>"
    after2 = words[i + 2].lower() if i + 2 < len(words) else "</s>"
    shape = _shape(word)
    after_class = lexicon.get(after, "?") if i + 1 < len(words) else "</s>"
    return ["b", "w=" + lower, "s3=" + lower[-3:], "s2=" + lower[-2:], "s1=" + lower[-1:], "p3=" + lower[:3],
            "sh=" + shape + ("0" if i == 0 else ""), "b1=" + before, "b2=" + before2, "a1=" + after,
            "a2=" + after2, "b1w=" + before + " " + lower, "wa1=" + lower + " " + after,
            "a1t=" + after_class, "wa1t=" + lower + " " + after_class]


def tag_features(lower: str, tag1: str, tag2: str) -> list[str]:
    """The features of a word that depend on the two tags before it."""
    return ["t1=" + tag1, "t12=" + tag2 + " " + tag1, "t1w=" + tag1 + " " + lower]


TAGS_BEFORE = (*CLASSES, "<s>")


def wanted(words: list[str], i: int, lexicon: dict[str, str]) -> list[str]:
    """The features of the words `decide` tags to tag word i that do not depend on tags:
    one query fetches their weights (those of TAG_PAIRS are few and kept in memory; a
    "t1w=" feature is asked for as the tags become known)."""
    found = []
    for j in range(max(0, i - WINDOW), i + 1):
        found += features(words, j, lexicon)
    return found


# Every "t1=" and "t12=" feature: a few hundred, the same for every sentence.
TAG_PAIRS = ["t1=" + t for t in TAGS_BEFORE] + ["t12=" + a + " " + b for a in TAGS_BEFORE for b in TAGS_BEFORE]


def scores(weights: dict[str, list[float]], feats: list[str]) -> list[float]:
    vectors = [v for v in map(weights.get, feats) if v]
    return [sum(column) for column in zip(*vectors)] if vectors else [0.0] * len(CLASSES)


def decide(weights: dict[str, list[float]], words: list[str], i: int, lexicon: dict[str, str],
           allowed: set[str] | None = None) -> tuple[str, float]:
    """(class, margin over the runner-up) of word i, among the `allowed` classes when given
    (the parts of speech the dictionary knows the word in: a tagger unsure between noun
    and verb should not answer adjective for "amble"). The WINDOW words before it are
    tagged first, left to right; the two before those count as their usual class."""
    start = max(0, i - WINDOW)
    tag2 = lexicon.get(words[start - 2].lower(), "?") if start > 1 else "<s>"
    tag1 = lexicon.get(words[start - 1].lower(), "?") if start > 0 else "<s>"
    for j in range(start, i):
        total = scores(weights, features(words, j, lexicon) + tag_features(words[j].lower(), tag1, tag2))
        tag2, tag1 = tag1, CLASSES[max(range(len(CLASSES)), key=total.__getitem__)]
    total = scores(weights, features(words, i, lexicon) + tag_features(words[i].lower(), tag1, tag2))
    best: dict[str, float] = {}  # each answer's best class
    for c, score in enumerate(total):
        answer = ANSWER[CLASSES[c]]
        if (allowed is None or answer in allowed) and score > best.get(answer, float("-inf")):
            best[answer] = score
    if not best:
        return decide(weights, words, i, lexicon)
    order = sorted(best, key=lambda a: -best[a])
    margin = best[order[0]] - best[order[1]] if len(order) > 1 else float("inf")
    return order[0], margin
