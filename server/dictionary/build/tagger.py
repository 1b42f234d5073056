"""Train the look-up's part-of-speech tagger on MASC at build time (an averaged perceptron).

In: vendor/masc-tagged/masc_tagged.zip (`word_TAG` tokens, one sentence a line; Penn
Treebank tags folded to `tagging.CLASSES`) and the parts of speech Open English WordNet
gives each word (`word_classes`, also stored for the look-up). Out: {feature: [weight per
class]} (averaged, rounded, near-zero features dropped), the usual and the possible
classes of each word seen often enough, and the accuracy on the sentences held out (every
tenth), which the build prints. Deterministic: the same data gives the same weights.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
import zipfile
from pathlib import Path

from server.dictionary import tagging
from server.dictionary.normalise import key

MASC = Path(__file__).resolve().parents[3] / "vendor" / "masc-tagged" / "masc_tagged.zip"
# Passes over the training data: on held-out MASC, 2 passes tag 97.97% of words right and
# 5 passes 98.24% (96.4% and 96.7% of the lowercase open-class words MASC has in two
# parts of speech or more); each pass costs about 13 s of CPU. With plural nouns a class
# of their own, 5 passes tag 98.17% (98.19% without), and the open-class words, among the
# classes the dictionary allows, 94.70% (94.69%); SemEval-2007 and MASC's look-ups gain.
ITERATIONS = 5
HELD_OUT_EVERY = 10
MIN_LEXICON = 3  # a word's usual class is kept when it was seen this often
AMBIGUITY_SHARE = 0.05  # a class counts in a word's ambiguity class when it has this share of its uses
MIN_WEIGHT = 0.0005  # averaged weights below this change no decision worth storing


def sentences(path: Path = MASC, tag_of: Callable[[str], str] = tagging.coarse) -> list[list[tuple[str, str]]]:
    """MASC's sentences as (word, tag) pairs, each Penn tag mapped by `tag_of` (the
    tagger's coarse classes by default; the bench reads the Penn tags as they are)."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith(".txt") or name.endswith("categories.txt"):
                continue
            for line in archive.read(name).decode("utf-8", errors="replace").splitlines():
                tokens = []
                for token in line.split():
                    word, _, tag = token.rpartition("_")
                    if word and tag:
                        tokens.append((word, tag_of(tag)))
                if tokens:
                    found.append(tokens)
    return found


def _lexicon(training: list[list[tuple[str, str]]]) -> dict[str, str]:
    """{word: "usual-class ambiguity-class"} (see `tagging.known`) for the words seen at
    least MIN_LEXICON times: a word written in lower case under its lower case, a word
    with capitals as written, so that the name "Mark" says nothing of the verb "mark"."""
    counts: dict[str, Counter[str]] = {}
    for sentence in training:
        for word, tag in sentence:
            counts.setdefault(word, Counter())[tagging.LEXICON_CLASS.get(tag, tag)] += 1
    lexicon = {}
    for word, tags in counts.items():
        seen = sum(tags.values())
        if seen >= MIN_LEXICON:
            ambiguity = "/".join(sorted(t for t, n in tags.items() if n >= seen * AMBIGUITY_SHARE))
            lexicon[word] = tags.most_common(1)[0][0] + " " + ambiguity
    return lexicon


# The relation an irregular form of each part of speech stands in (only the part of speech
# it implies matters here, see `tagging.RELATION_POS`).
IRREGULAR_RELATION = {"n": "plural of", "v": "past tense or past participle of", "a": "comparative of",
                      "s": "comparative of", "r": "comparative of"}


def word_classes(parts_of_speech: dict[str, set[str]],
                 exceptions: list[tuple[str, str, str]]) -> dict[str, tagging.WordClass]:
    """{key: `tagging.WordClass`} from {lemma: {part of speech name}} and the (form, lemma,
    WordNet part-of-speech letter) triples of the irregular forms (`oewn.WordNet`): what the
    store's `word_classes` table holds and what the tagger's training reads."""
    table: dict[str, tagging.WordClass] = {key(k): (set(v), []) for k, v in parts_of_speech.items()}
    for form, lemma, pos in exceptions:
        pair = (key(lemma), IRREGULAR_RELATION.get(pos, "form of"))
        if key(form) != pair[0] and pair[0] in table:
            irregular = table.setdefault(key(form), (set(), []))[1]
            if pair not in irregular:
                irregular.append(pair)
    return table


def lexicon_of(table: dict[str, tagging.WordClass]) -> tagging.WordClasses:
    return tagging.WordClasses(lambda keys: {k: table[k] for k in keys if k in table})


def dictionary_features(data: list[list[tuple[str, str]]],
                        lexicon: tagging.WordClasses | None) -> list[list[str]]:
    """`tagging.dictionary_feature` of every word of `data` ("?" for all without a lexicon)."""
    if lexicon is None:
        return [["?"] * len(sentence) for sentence in data]
    known: dict[str, str] = {}
    found = []
    for sentence in data:
        row = []
        for word, _ in sentence:
            k = key(word)
            if k not in known:
                known[k] = tagging.dictionary_feature(tagging.dictionary_classes(k, "", lexicon))
            row.append(known[k])
        found.append(row)
    return found


def train(path: Path = MASC, limit: int | None = None,
          dictionary: dict[str, tagging.WordClass] | None = None) -> tuple[dict[str, list[float]], dict[str, str], float]:
    """(weights, lexicon of usual classes, held-out accuracy); `limit`: of the first sentences
    only; `dictionary`: the parts of speech the sources give each word (see `word_classes`)."""
    data = sentences(path)[:limit]
    classes = dictionary_features(data, lexicon_of(dictionary) if dictionary is not None else None)
    held_out_classes = classes[::HELD_OUT_EVERY]
    training_classes = [c for n, c in enumerate(classes) if n % HELD_OUT_EVERY]
    held_out = data[::HELD_OUT_EVERY]
    training = [s for n, s in enumerate(data) if n % HELD_OUT_EVERY]
    n_classes = len(tagging.CLASSES)
    index = {c: n for n, c in enumerate(tagging.CLASSES)}
    lexicon = _lexicon(training)
    examples = []
    for sentence, dictionary_row in zip(training, training_classes):
        words = [w for w, _ in sentence]
        examples.append(([tagging.features(words, i, lexicon, dictionary_row[i]) for i in range(len(words))],
                         [(w.lower(), d) for w, d in zip(words, dictionary_row)],
                         [index[tag] for _, tag in sentence]))
    weights: dict[str, list[float]] = {}
    # Per feature, for averaging: (its weights, their sum over time, the step each last
    # changed at), kept lazily; one look-up finds all three (the loop below is most of the
    # build's CPU time, so it avoids calls and repeated look-ups).
    records: dict[str, tuple[list[float], list[float], list[int]]] = {}
    step = 0
    shuffle = random.Random(0)
    zeros, class_names, tag_features = [0.0] * n_classes, tagging.CLASSES, tagging.tag_features
    for _ in range(ITERATIONS):
        shuffle.shuffle(examples)
        for static, lowers, golds in examples:
            tag1 = tag2 = "<s>"
            for fixed, (lower, dictionary_class), gold in zip(static, lowers, golds):
                step += 1
                feats = fixed + tag_features(lower, dictionary_class, tag1, tag2)
                vectors = [v for v in map(weights.get, feats) if v]
                score = list(map(sum, zip(*vectors))) if vectors else zeros
                guess = score.index(max(score))  # the first best class, as max() over the classes gives
                tag2, tag1 = tag1, class_names[guess]
                if guess == gold:
                    continue
                for feat in feats:
                    record = records.get(feat)
                    if record is None:
                        record = records[feat] = ([0.0] * n_classes, [0.0] * n_classes, [0] * n_classes)
                        weights[feat] = record[0]
                    vector, total, stamp = record
                    total[gold] += (step - stamp[gold]) * vector[gold]
                    stamp[gold] = step
                    vector[gold] += 1.0
                    total[guess] += (step - stamp[guess]) * vector[guess]
                    stamp[guess] = step
                    vector[guess] -= 1.0
    averaged = {}
    for feat, vector in weights.items():
        _, total, stamp = records[feat]
        mean = [round((total[c] + (step - stamp[c]) * vector[c]) / step, 3) for c in range(n_classes)]
        if max(abs(w) for w in mean) >= MIN_WEIGHT:
            averaged[feat] = mean
    right = seen = 0
    for sentence, dictionary_row in zip(held_out, held_out_classes):
        words = [w for w, _ in sentence]
        for i, (_, tag) in enumerate(sentence):
            right += tagging.decide(averaged, words, i, lexicon, None, dict(enumerate(dictionary_row)))[0] \
                == tagging.ANSWER[tag]
            seen += 1
    return averaged, lexicon, right / seen
