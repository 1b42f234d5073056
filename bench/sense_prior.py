"""`make bench-sense-prior`: how well each signal of `sense_prior` finds a word's common sense.

The words whose senses WordNet 3.0's tagged corpus counted are the test: their counts are
hidden, and each signal (and the combined score) is asked which sense was counted most.
Prints, over every lemma and part of speech with two or more OEWN senses and a single
most-counted one (and again over the rarer ones, wordfreq Zipf below 3, which are more
like the words no sense of which was ever counted):
- top-1: how often the signal's highest sense is the most-counted (a tie shares its
  credit), beside chance (one in the number of senses) and beside OEWN's order for
  uncounted words, the lexicographer files' numbers in descending order;
- pairwise: of the pairs of senses with different counts that the signal tells apart,
  how often it puts the more-counted first, and the share it tells apart;
- the combined score with the weights shipped in `sense_prior.WEIGHTS`, and a logistic
  model of "a was counted more than b" refitted five times, each time on four fifths of
  the words and scored on the fifth (held out by word): its weights are what WEIGHTS holds.
Then: how many uncounted words there are, and in how many OEWN's order is simply the
lexicographer files' order (and the same for the untagged senses after a word's last
tagged one, which `sense_prior` orders too). Candidate signals that were measured and left out of the
score are printed too (synonyms' and relatives' wordfreq frequency, members, gloss length).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.dictionary.build import oewn, sense_prior  # noqa: E402

FOLDS = 5
RARE_ZIPF = 3.0


def lexfile_number(sense_key: str) -> int:
    return int(sense_key.split("%")[1].split(":")[1])


def left_out(lemma: str, sense: oewn.Sense, zipf) -> dict[str, float]:
    """Candidate signals measured and not combined (they add nothing held out)."""
    others = [m for m in sense.synset.words if m.lower() != lemma]
    relatives = {k.split("%")[0].replace("_", " ") for k in sense.relatives} - {lemma}
    return {"synonyms_zipf": max((zipf(m) for m in others), default=0.0),
            "relatives_zipf": max((zipf(w) for w in relatives), default=0.0),
            "members": float(len(sense.synset.words)),
            "gloss_words": float(len(sense.synset.definition.split())),
            "lexfile_descending": float(lexfile_number(sense.key))}


def top1(words, score) -> float:
    total = 0.0
    for counts, rows in words:
        values = [score(r) for r in rows]
        best = max(values)
        winners = [i for i, v in enumerate(values) if v == best]
        total += (counts.index(max(counts)) in winners) / len(winners)
    return total / len(words)


def pairwise(words, score) -> tuple[float, float]:
    right = wrong = ties = 0
    for counts, rows in words:
        values = [score(r) for r in rows]
        for i in range(len(counts)):
            for j in range(i + 1, len(counts)):
                if counts[i] == counts[j]:
                    continue
                if values[i] == values[j]:
                    ties += 1
                elif (values[i] > values[j]) == (counts[i] > counts[j]):
                    right += 1
                else:
                    wrong += 1
    told = right + wrong
    return right / max(told, 1), told / max(told + ties, 1)


def fit(words, names: list[str], iterations: int = 8, l2: float = 1e-3) -> dict[str, float]:
    """Logistic regression of "a was counted more than b" on the signals' differences
    (no intercept: the model is symmetric), each word's pairs weighing one word, by Newton's method."""
    rows = []
    for counts, signals in words:
        pairs = [(i, j) for i in range(len(counts)) for j in range(len(counts)) if counts[i] > counts[j]]
        for i, j in pairs:
            rows.append(([signals[i][n] - signals[j][n] for n in names], 1.0 / len(pairs)))
    k = len(names)
    beta = [0.0] * k
    for _ in range(iterations):
        gradient = [0.0] * k
        hessian = [[0.0] * k for _ in range(k)]
        for x, weight in rows:  # each pair once as a win (y = 1); its mirror adds the same terms
            p = 1 / (1 + math.exp(-sum(b * v for b, v in zip(beta, x))))
            for a in range(k):
                gradient[a] += 2 * weight * (p - 1) * x[a]
                for b in range(a, k):
                    hessian[a][b] += 2 * weight * p * (1 - p) * x[a] * x[b]
        total = 2 * sum(w for _, w in rows)
        for a in range(k):
            gradient[a] += l2 * total * beta[a]
            hessian[a][a] += l2 * total
            for b in range(a):
                hessian[a][b] = hessian[b][a]
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step)]
    return dict(zip(names, beta))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a handful of unknowns)."""
    n = len(vector)
    m = [row[:] + [v] for row, v in zip(matrix, vector)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in reversed(range(n)):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def main() -> int:
    import wordfreq
    wn = oewn.load()
    prior = sense_prior.SensePrior(wn)
    cache: dict[str, float] = {}

    def zipf(word: str) -> float:
        if word not in cache:
            cache[word] = wordfreq.zipf_frequency(word.replace("_", " "), "en")
        return cache[word]

    counted, rare, uncounted, lexfile_ordered, several_lexfiles = [], [], 0, 0, 0
    tails = tails_ordered = 0
    for lemma, by_pos in sorted(wn.lemmas.items()):
        for senses in by_pos.values():
            if len(senses) < 2:
                continue
            counts = [s.count for s in senses]
            tail = [lexfile_number(s.key) for s in senses[max(i for i, c in enumerate(counts) if c) + 1:]] \
                if any(counts) else []
            if len(set(tail)) > 1:
                tails += 1
                tails_ordered += tail == sorted(tail, reverse=True)
            if not any(counts):
                uncounted += 1
                numbers = [lexfile_number(s.key) for s in senses]
                if len(set(numbers)) > 1:
                    several_lexfiles += 1
                    lexfile_ordered += numbers == sorted(numbers, reverse=True)
                continue
            if counts.count(max(counts)) > 1:
                continue
            rows = [{**prior.signals(lemma, s), **left_out(lemma, s, zipf)} for s in senses]
            counted.append((counts, rows))
            if zipf(lemma) < RARE_ZIPF:
                rare.append(counted[-1])

    names = list(sense_prior.WEIGHTS)
    shipped = sense_prior.WEIGHTS
    held_out = {"all": [], "rare": []}
    rare_ids = {id(w) for w in rare}
    for fold in range(FOLDS):
        train = [w for i, w in enumerate(counted) if i % FOLDS != fold]  # words in key order, every fifth out
        test = [w for i, w in enumerate(counted) if i % FOLDS == fold]
        weights = fit(train, names)
        held_out["all"].append(top1(test, lambda r, w=weights: sum(w[n] * r[n] for n in names)))
        rare_test = [w for w in test if id(w) in rare_ids]
        held_out["rare"].append(top1(rare_test, lambda r, w=weights: sum(w[n] * r[n] for n in names))
                                if rare_test else 0.0)

    print(f"sense prior: {len(counted)} counted words (two or more senses, one counted most), "
          f"{len(rare)} of them rare (Zipf < {RARE_ZIPF:g}); counts hidden, each signal picks the most-counted sense")
    for label, words in (("all counted", counted), ("rare counted", rare)):
        chance = sum(1 / len(c) for c, _ in words) / len(words)
        print(f"  {label}: chance top-1 {chance:.3f}")
        print(f"    {'signal':22s} {'top-1':>6s} {'pairwise':>8s} {'told apart':>10s}")
        for name in [*names, "synonyms_zipf", "relatives_zipf", "members", "gloss_words", "lexfile_descending"]:
            told_right, told = pairwise(words, lambda r, n=name: r[n])
            print(f"    {name:22s} {top1(words, lambda r, n=name: r[n]):6.3f} {told_right:8.3f} {told:10.3f}")
        score = lambda r: sum(shipped[n] * r[n] for n in names)  # noqa: E731
        told_right, told = pairwise(words, score)
        print(f"    {'combined (WEIGHTS)':22s} {top1(words, score):6.3f} {told_right:8.3f} {told:10.3f}")
    print(f"  combined, refitted on four fifths and scored on the fifth left out: top-1 "
          f"{sum(held_out['all']) / FOLDS:.3f} (rare: {sum(held_out['rare']) / FOLDS:.3f})")
    refit = fit(counted, names)
    print("  weights fitted on all counted words: " + ", ".join(f"{n} {v:.3f}" for n, v in refit.items()))
    print(f"uncounted words (two or more senses, none counted): {uncounted}; of the {several_lexfiles} whose senses "
          f"span lexicographer files, OEWN lists {lexfile_ordered} ({lexfile_ordered / several_lexfiles:.0%}) in "
          f"the files' descending order: the order `sense_prior` replaces; so are the untagged senses after the "
          f"last tagged one in {tails_ordered} of the {tails} words where they span files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
