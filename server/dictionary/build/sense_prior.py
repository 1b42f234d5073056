"""A prior for the senses WordNet's tagged corpus never counted: which of them is the common one.

In: Open English WordNet as `oewn.load` reads it (senses with their WordNet 3.0 tag
counts, synsets with their members, examples and relations, senses with their
derivational relatives). Out: `SensePrior(wordnet).order(lemma, senses)`, the senses of
one lemma in one part of speech: those WordNet 3.0's tagged corpus counted keep their
places (WordNet's order is its corpus's frequency order), and the senses after the last
of them (all the senses, where none was ever tagged) go by `score`, highest first, OEWN's
order breaking ties.

Why: the order of senses never tagged says nothing about use. Where they span several
lexicographer files, OEWN lists them by the files' numbers in descending order (noun.state
before noun.attribute) in 96% of words none of whose senses was tagged, and in 97% of the
untagged senses after a tagged one; and as a guess of the most-tagged sense that order
is right as often as chance (`make bench-sense-prior`). Untagged senses before a tagged
one stay where they are: OEWN renamed some sense keys, so their counts are lost, not nil.

The score is the agreement of signals from the data the store ships, each measured on
the words whose senses do have tag counts, with the counts hidden: a sense is the common one when its synonyms in the
same synset were tagged often, when it has derivational relatives (and they were
tagged), when lexicographers gave it many relations and examples, and when the word is
the first member of its synset. The weights are a logistic model of "sense a was tagged
more than sense b" fitted on those counted words (the fit and the figures:
bench/sense_prior.py); no development set of sense-annotated sentences is involved.
"""

from __future__ import annotations

import math
from typing import Callable

from server.dictionary.build import oewn

# The signals, and their weights in the fitted model (bench/sense_prior.py prints both and
# refits them; held out by word, the score picks the most-counted sense of 56% of counted
# words, where OEWN's order for uncounted words, the lexicographer files' order, picks 36%
# and chance 36%).
WEIGHTS = {
    "synonyms_tagged": 0.214,    # log(1 + tag count of the synset's other members in it)
    "relatives_tagged": 0.169,   # log(1 + tag count of its derivational relatives and pertainyms)
    "has_relatives": 0.224,      # 1 when it has any
    "relations": 0.741,          # log(1 + relations of its synset and of the sense itself)
    "examples": 0.112,           # OEWN's examples of the synset
    "first_member": 0.618,       # 1 when the word is the first member of the synset
}


class SensePrior:
    def __init__(self, wordnet: oewn.WordNet) -> None:
        self.tagged: dict[str, int] = {}                  # sense key -> tag count
        self.member_tagged: dict[tuple[str, str], int] = {}  # (lemma, synset id) -> tag count
        for lemma, by_pos in wordnet.lemmas.items():
            for senses in by_pos.values():
                for sense in senses:
                    self.tagged[sense.key] = sense.count
                    self.member_tagged[(lemma, sense.id)] = sense.count

    def signals(self, lemma: str, sense: oewn.Sense) -> dict[str, float]:
        synset = sense.synset
        others = [m.lower() for m in synset.words if m.lower() != lemma]
        relations = sum(len(targets) for targets in synset.relations.values()) + len(sense.relatives)
        return {
            "synonyms_tagged": math.log1p(sum(self.member_tagged.get((m, synset.id), 0) for m in others)),
            "relatives_tagged": math.log1p(sum(self.tagged.get(k, 0) for k in sense.relatives)),
            "has_relatives": float(bool(sense.relatives)),
            "relations": math.log1p(relations),
            "examples": float(len(synset.examples)),
            "first_member": float(bool(synset.words) and synset.words[0].lower() == lemma),
        }

    def score(self, lemma: str, sense: oewn.Sense, weights: dict[str, float] = WEIGHTS) -> float:
        return sum(weights[name] * value for name, value in self.signals(lemma, sense).items())

    def order(self, lemma: str, senses: list[oewn.Sense],
              score: Callable[[str, oewn.Sense], float] | None = None) -> list[oewn.Sense]:
        """`senses` (one lemma's, one part of speech, OEWN's order) in the order the prior
        gives: those after the last tagged one (all of them when none was tagged) by score."""
        counted = [i for i, s in enumerate(senses) if s.count]
        start = counted[-1] + 1 if counted else 0
        tail = senses[start:]
        if len(tail) < 2:
            return senses
        score = score or self.score
        scores = [score(lemma.lower(), s) for s in tail]
        return senses[:start] + [tail[i] for i in sorted(range(len(tail)), key=lambda i: (-scores[i], i))]
