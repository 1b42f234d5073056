"""Train the look-up's part-of-speech tagger on MASC at build time (an averaged perceptron).

In: vendor/masc-tagged/masc_tagged.zip (`word_TAG` tokens, one sentence a line; Penn
Treebank tags folded to `tagging.CLASSES`). Out: {feature: [weight per class]} (averaged,
rounded, near-zero features dropped), the usual class of each word seen often enough,
and the accuracy on the sentences held out (every tenth), which the build prints. Deterministic: the same data gives the same weights.
"""

from __future__ import annotations

import random
from collections import Counter
import zipfile
from pathlib import Path

from server.dictionary import tagging

MASC = Path(__file__).resolve().parents[3] / "vendor" / "masc-tagged" / "masc_tagged.zip"
ITERATIONS = 2
HELD_OUT_EVERY = 10
MIN_LEXICON = 3  # a word's usual class is kept when it was seen this often
MIN_WEIGHT = 0.0005  # averaged weights below this change no decision worth storing


def sentences(path: Path = MASC) -> list[list[tuple[str, str]]]:
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
                        tokens.append((word, tagging.coarse(tag)))
                if tokens:
                    found.append(tokens)
    return found


def train(path: Path = MASC, limit: int | None = None) -> tuple[dict[str, list[float]], dict[str, str], float]:
    """(weights, lexicon of usual classes, held-out accuracy); `limit`: of the first sentences only."""
    data = sentences(path)[:limit]
    held_out = data[::HELD_OUT_EVERY]
    training = [s for n, s in enumerate(data) if n % HELD_OUT_EVERY]
    n_classes = len(tagging.CLASSES)
    index = {c: n for n, c in enumerate(tagging.CLASSES)}
    counts: dict[str, Counter[str]] = {}
    for sentence in training:
        for word, tag in sentence:
            counts.setdefault(word.lower(), Counter())[tag] += 1
    lexicon = {word: tags.most_common(1)[0][0] for word, tags in counts.items() if sum(tags.values()) >= MIN_LEXICON}
    examples = []
    for sentence in training:
        words = [w for w, _ in sentence]
        examples.append(([tagging.features(words, i, lexicon) for i in range(len(words))],
                         [w.lower() for w in words], [index[tag] for _, tag in sentence]))
    weights: dict[str, list[float]] = {}
    totals: dict[str, list[float]] = {}   # for averaging: sum of weights over time,
    stamps: dict[str, list[int]] = {}     # kept lazily (the step each weight last changed)
    step = 0
    shuffle = random.Random(0)
    zeros, classes = [0.0] * n_classes, range(n_classes)
    for _ in range(ITERATIONS):
        shuffle.shuffle(examples)
        for static, lowers, golds in examples:
            tag1 = tag2 = "<s>"
            for fixed, lower, gold in zip(static, lowers, golds):
                step += 1
                feats = fixed + tagging.tag_features(lower, tag1, tag2)
                vectors = [v for v in map(weights.get, feats) if v]
                score = [sum(column) for column in zip(*vectors)] if vectors else zeros
                guess = max(classes, key=score.__getitem__)
                tag2, tag1 = tag1, tagging.CLASSES[guess]
                if guess == gold:
                    continue
                for feat in feats:
                    vector = weights.setdefault(feat, [0.0] * n_classes)
                    total = totals.setdefault(feat, [0.0] * n_classes)
                    stamp = stamps.setdefault(feat, [0] * n_classes)
                    for c, delta in ((gold, 1.0), (guess, -1.0)):
                        total[c] += (step - stamp[c]) * vector[c]
                        stamp[c] = step
                        vector[c] += delta
    averaged = {}
    for feat, vector in weights.items():
        total, stamp = totals[feat], stamps[feat]
        mean = [round((total[c] + (step - stamp[c]) * vector[c]) / step, 3) for c in range(n_classes)]
        if max(abs(w) for w in mean) >= MIN_WEIGHT:
            averaged[feat] = mean
    right = seen = 0
    for sentence in held_out:
        words = [w for w, _ in sentence]
        for i, (_, tag) in enumerate(sentence):
            right += tagging.decide(averaged, words, i, lexicon)[0] == tagging.ANSWER[tag]
            seen += 1
    return averaged, lexicon, right / seen
