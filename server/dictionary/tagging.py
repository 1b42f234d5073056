"""Which part of speech a word has in its sentence: the features and the decision of a small tagger.

In: the sentence's tokens (as written) and the position of the selected word; the
tagger's weights for the features found there (the store's `tagger` table, trained at
build time by `build/tagger.py` on MASC). Out: the word's class as a part of speech
(`ANSWER`): noun, name (a proper noun), verb, adjective, adverb, other, and its margin.

A greedy tagger: to tag the selected word it tags the three words before it, left to
right, each from its own features and the two tags before it, so one query fetches all
the weights it may need and tagging stays well under a millisecond. Held-out accuracy is
printed by the build.

Besides the words, their endings and the tags before them, each word's features say
which parts of speech the dictionary gives it (`dictionary_feature`: "noun/verb" for
"balloon"): the training data has "balloon" only as a noun, but "you can still balloon"
is a verb, and a tagger that knows the dictionary allows it learns when the words
before say so. The same table serves the training and the look-up (`WordClasses`).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from server.dictionary import morphology
from server.dictionary.normalise import key

# The tagger's own classes: finer than what it answers, because the tags before a word
# say most when they tell a modal ("can't steer"), a determiner ("no wish") or a plural
# noun apart: a noun-or-verb word after a plural noun is mostly its verb ("the cows amble",
# "voters favor"), after a singular one often a compound's noun ("the parts list" aside).
CLASSES = ("noun", "noun-plural", "name", "verb", "verb-past", "verb-participle", "verb-ing", "verb-s", "adjective",
           "adverb", "modal", "determiner", "preposition", "to", "pronoun", "conjunction", "particle", "number",
           "punctuation", "other")
# What each class answers as: a part of speech the dictionary has, or "other" (a modal is
# a verb: "it might rain" is the verb "may", not the noun "might").
ANSWER = {c: ("verb" if c.startswith("verb") or c == "modal" else "noun" if c.startswith("noun")
              else c if c in ("name", "adjective", "adverb") else "other") for c in CLASSES}
# The classes and words after which English has no modal verb (the tagger's weights for
# "can" and "will" as modals outweigh an article before them); not every determiner:
# "which will support", "this can fit".
NO_MODAL_AFTER = frozenset({"preposition", "to"})
NO_MODAL_AFTER_WORDS = frozenset("a an the my your his her its our their".split())
# The words after which English has no finite or base verb (a participle may follow: "the
# finished work", "their growing debt"): articles and possessives, "no" ("no wish to see",
# "no need to"), "every" (not "each": "each has"); after "her", also an object, a base
# form may ("let her go"), but no past or present ("watching her shows").
_NO_VERB = frozenset({"verb", "verb-past", "verb-s", "modal"})
NO_VERB_AFTER = {**dict.fromkeys("a an the my your his its our their no every".split(), _NO_VERB),
                 "her": frozenset({"verb-past", "verb-s"})}
# The tagger's lexicon (a word's usual class, the store's `usual_class`) keeps the coarser
# class: "years" and "year" are both usually nouns there.
LEXICON_CLASS = {"noun-plural": "noun"}
# Words tagged before the selected one (left to right, each from the tags before it).
WINDOW = 3
PENN = {"NN": "noun", "NNS": "noun-plural", "NNP": "name", "NNPS": "name", "VB": "verb", "VBP": "verb",
        "VBD": "verb-past", "VBN": "verb-participle", "VBG": "verb-ing", "VBZ": "verb-s", "MD": "modal",
        "JJ": "adjective", "JJR": "adjective", "JJS": "adjective", "RB": "adverb", "RBR": "adverb", "RBS": "adverb",
        "WRB": "adverb", "DT": "determiner", "PDT": "determiner", "WDT": "determiner", "PRP$": "determiner",
        "WP$": "determiner", "POS": "determiner", "IN": "preposition", "TO": "to", "PRP": "pronoun",
        "WP": "pronoun", "EX": "pronoun", "CC": "conjunction", "RP": "particle", "CD": "number"}


# The parts of speech an inflection implies ("went": past tense of, a verb's form).
RELATION_POS = {"plural of": "noun", "comparative of": "adjective", "superlative of": "adjective",
                "past tense of": "verb", "past participle of": "verb", "present participle of": "verb",
                "past tense and past participle of": "verb", "third-person singular of": "verb",
                "past tense or past participle of": "verb"}
# The tagger's answers as the parts of speech of the entries ("name": a proper noun).
TAG_POS = {"noun": "noun", "name": "noun", "verb": "verb", "adjective": "adjective", "adverb": "adverb"}


# A word as the tagger's dictionary knows it: (its parts of speech as a lemma, the
# (lemma, relation) pairs it is an irregular form of).
WordClass = tuple[set[str], list[tuple[str, str]]]


class WordClasses:
    """The dictionary as the tagger reads it (a `morphology.Lexicon` for the calls
    `dictionary_classes` makes): each lemma's parts of speech in Open English WordNet and
    its irregular forms, the same at build time (from the sources, where the tagger trains)
    and at run time (the store's `word_classes` table), so that what the tagger learnt
    from a feature is what the feature says when it tags."""

    def __init__(self, fetch: Callable[[Iterable[str]], dict[str, WordClass]]) -> None:
        self.fetch = fetch

    def forms_and_info(self, form: str, keys: Iterable[str]) -> tuple[list[tuple[str, str]],
                                                                       dict[str, tuple[str, float, set[str]]]]:
        keys = list(keys)
        rows = self.fetch([form, *keys])
        forms = rows[form][1] if form in rows else []
        missing = [lemma for lemma, _ in forms if lemma not in rows]
        if missing:
            rows.update(self.fetch(missing))
        return forms, {k: (k, 0.0, rows[k][0]) for k in [*keys, *(lemma for lemma, _ in forms)]
                       if k in rows and rows[k][0]}


def dictionary_classes(k: str, written: str, lexicon: morphology.Lexicon) -> set[str] | None:
    """The answers a word can have by the dictionary (`lexicon`: the store, or `WordClasses`
    for the tagger's features): the parts of speech of its headword and of the lemmas it
    inflects (in the part of speech the inflection implies), a name when capitalised;
    None (any) when the dictionary knows none."""
    info: dict[str, tuple[str, float, set[str]]] = {}
    readings = morphology.inflections(k, lexicon, info)
    parts = set(info[k][2]) if k in info else set()
    for reading in readings:
        implied = RELATION_POS.get(reading.relation)
        lemma_pos = info[reading.lemma][2] if reading.lemma in info else set()
        parts |= {implied} & lemma_pos if implied else lemma_pos
    classes = {c for c, p in TAG_POS.items() if p in parts}
    if written[:1].isupper():
        classes.add("name")
    return classes or None


def dictionary_feature(classes: set[str] | None) -> str:
    """A word's dictionary classes as one feature value ("noun/verb"): the tagger learns
    what "can still balloon" says of a word that the dictionary knows as a noun and a verb,
    where the training data has only its noun."""
    return ("/".join(sorted({TAG_POS[c] for c in classes if c != "name"})) or "none") if classes else "none"


def sentence_dictionary(words: list[str], i: int, lexicon: WordClasses) -> dict[int, str]:
    """{position: `dictionary_feature`} of the words `decide` tags to tag word i."""
    return {j: dictionary_feature(dictionary_classes(key(words[j]), words[j], lexicon))
            for j in range(max(0, i - WINDOW), i + 1)}


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
    """The words whose classes the tagging of word i asks the lexicon for: as written and
    in lower case ("Mark" the name and "mark" the word are apart in the lexicon)."""
    window = words[max(0, i - WINDOW - 2):i + 3]
    return list({*window, *(w.lower() for w in window)})


def known(lexicon: dict[str, str], word: str) -> tuple[str, str]:
    """(usual class, ambiguity class) of a word: the class it has most often in the
    training data, and every class it has there often enough ("noun/verb"); "?" for both
    when the lexicon does not know it. The lexicon's entries are written "usual ambiguity"
    (as the store's `usual_class` table keeps them), keyed by the word as written, else
    in lower case."""
    value = lexicon.get(word) or lexicon.get(word.lower())
    if not value:
        return "?", "?"
    usual, _, ambiguity = value.partition(" ")
    return usual, ambiguity or usual


def features(words: list[str], i: int, lexicon: dict[str, str], dictionary: str = "?") -> list[str]:
    """The features of word i that do not depend on the tags before it: itself, its
    ending and shape, its two neighbours on each side, the classes of the next two words
    (`lexicon`, see `known`), and its classes by the dictionary (`dictionary_feature`).
    Its own ambiguity class in the training data is left out: learnt from the very words
    it describes, it outweighed everything else ("not only lack safety" a noun)."""
    word = words[i]
    lower = word.lower()
    before = words[i - 1].lower() if i > 0 else "<s>"
    before2 = words[i - 2].lower() if i > 1 else "<s>"
    after = words[i + 1].lower() if i + 1 < len(words) else "</s>"
    after2 = words[i + 2].lower() if i + 2 < len(words) else "</s>"
    shape = _shape(word)
    after_class, after_ambiguity = known(lexicon, words[i + 1]) if i + 1 < len(words) else ("</s>", "</s>")
    after2_class = known(lexicon, words[i + 2])[0] if i + 2 < len(words) else "</s>"
    return ["b", "w=" + lower, "s3=" + lower[-3:], "s2=" + lower[-2:], "s1=" + lower[-1:], "p3=" + lower[:3],
            "sh=" + shape + ("0" if i == 0 else ""), "b1=" + before, "b2=" + before2, "a1=" + after,
            "a2=" + after2, "b1w=" + before + " " + lower, "wa1=" + lower + " " + after,
            "a1t=" + after_class, "wa1t=" + lower + " " + after_class,
            "da1=" + dictionary + " " + after_ambiguity, "a12t=" + after_class + " " + after2_class,
            "wc=" + word if shape != "x" else "wc", "d=" + dictionary]


def tag_features(lower: str, dictionary: str, tag1: str, tag2: str) -> list[str]:
    """The features of a word that depend on the two tags before it (`dictionary`: its
    `dictionary_feature`: "to" before a "noun/verb" word says verb)."""
    return ["t1=" + tag1, "t12=" + tag2 + " " + tag1, "t1w=" + tag1 + " " + lower,
            "t1d=" + tag1 + " " + dictionary, "t12d=" + tag2 + " " + tag1 + " " + dictionary]


TAGS_BEFORE = (*CLASSES, "<s>")


def wanted(words: list[str], i: int, lexicon: dict[str, str], dictionary: dict[int, str]) -> list[str]:
    """The features of the words `decide` tags to tag word i that do not depend on tags:
    one query fetches their weights (those of TAG_PAIRS are few and kept in memory; those
    of `tag_features` are asked for as the tags become known, see `_want`)."""
    found = []
    for j in range(max(0, i - WINDOW), i + 1):
        found += features(words, j, lexicon, dictionary.get(j, "?"))
    return found


# Every "t1=" and "t12=" feature: a few hundred, the same for every sentence.
TAG_PAIRS = ["t1=" + t for t in TAGS_BEFORE] + ["t12=" + a + " " + b for a in TAGS_BEFORE for b in TAGS_BEFORE]


def scores(weights: dict[str, list[float]], feats: list[str]) -> list[float]:
    vectors = [v for v in map(weights.get, feats) if v]
    return [sum(column) for column in zip(*vectors)] if vectors else [0.0] * len(CLASSES)


def _want(weights, feats: list[str]) -> None:
    """Lets weights fetched lazily (the look-up's) fetch a word's tag features in one go."""
    want = getattr(weights, "want", None)
    if want is not None:
        want(feats)


def decide(weights: dict[str, list[float]], words: list[str], i: int, lexicon: dict[str, str],
           allowed: set[str] | None = None, dictionary: dict[int, str] | None = None) -> tuple[str, float, str]:
    """(class, margin over the runner-up, the tagger's own finer class: "verb-past") of word
    i, among the `allowed` classes when given (the parts of speech the dictionary knows the
    word in: a tagger unsure between noun and verb should not answer adjective for "amble"). The WINDOW words before it are
    tagged first, left to right; the two before those count as their usual class."""
    start = max(0, i - WINDOW)
    tag2 = known(lexicon, words[start - 2])[0] if start > 1 else "<s>"
    tag1 = known(lexicon, words[start - 1])[0] if start > 0 else "<s>"
    dictionary = dictionary or {}
    for j in range(start, i):
        d = dictionary.get(j, "?")
        late = tag_features(words[j].lower(), d, tag1, tag2)
        _want(weights, late)
        total = scores(weights, features(words, j, lexicon, d) + late)
        tag2, tag1 = tag1, CLASSES[max(range(len(CLASSES)), key=total.__getitem__)]
    d = dictionary.get(i, "?")
    late = tag_features(words[i].lower(), d, tag1, tag2)
    _want(weights, late)
    total = scores(weights, features(words, i, lexicon, d) + late)
    best: dict[str, float] = {}  # each answer's best class
    finest: dict[str, str] = {}  # and which of the tagger's classes it was ("verb-past")
    for c, score in enumerate(total):
        if CLASSES[c] == "modal" and (tag1 in NO_MODAL_AFTER or i and words[i - 1].lower() in NO_MODAL_AFTER_WORDS):
            continue  # "a can of beans", "the will to win": no modal follows an article
        if i and CLASSES[c] in NO_VERB_AFTER.get(words[i - 1].lower(), ()):
            continue  # "no wish to see", "watching her shows"
        answer = ANSWER[CLASSES[c]]
        if (allowed is None or answer in allowed) and score > best.get(answer, float("-inf")):
            best[answer] = score
            finest[answer] = CLASSES[c]
    if not best:
        return decide(weights, words, i, lexicon, None, dictionary)
    order = sorted(best, key=lambda a: -best[a])
    margin = best[order[0]] - best[order[1]] if len(order) > 1 else float("inf")
    return order[0], margin, finest[order[0]]
