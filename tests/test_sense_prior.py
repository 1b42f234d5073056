"""The prior for senses no tagged text counted (`sense_prior`): on senses built in the test,
and in the store `make install` builds (where OEWN's own order is read from its sources)."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.dictionary.build import oewn
from server.dictionary.build.sense_prior import WEIGHTS, SensePrior

ROOT = Path(__file__).resolve().parent.parent


def synset(id: str, words: list[str], examples: int = 0, relations: int = 0) -> oewn.Synset:
    return oewn.Synset(id, "n", "noun.state", words, f"definition of {id}", ["an example"] * examples,
                       {"hypernym": [f"h{i}" for i in range(relations)]})


def wordnet(senses: dict[str, list[oewn.Sense]]) -> oewn.WordNet:
    return oewn.WordNet({s.synset.id: s.synset for ss in senses.values() for s in ss},
                        {lemma: {"n": ss} for lemma, ss in senses.items()}, [])


def test_uncounted_senses_go_in_the_order_the_signals_agree_on():
    # OEWN lists the bare sense first; the second has a tagged synonym, relatives,
    # relations and an example, and the word heads its synset.
    bare = oewn.Sense(synset("1-n", ["other", "plight"]), "plight", "plight%1:26:00::")
    rich = oewn.Sense(synset("2-n", ["plight", "predicament"], examples=1, relations=3), "plight",
                      "plight%1:26:01::", relatives=["plighted%3:00:00::"])
    synonym = oewn.Sense(rich.synset, "predicament", "predicament%1:26:00::", count=12)
    prior = SensePrior(wordnet({"plight": [bare, rich], "predicament": [synonym]}))
    signals = prior.signals("plight", rich)
    assert signals["synonyms_tagged"] > 0 and signals["has_relatives"] == 1 and signals["first_member"] == 1
    assert prior.score("plight", rich) > prior.score("plight", bare)
    assert prior.order("plight", [bare, rich]) == [rich, bare]


def test_tagged_senses_keep_their_places_and_only_the_untagged_after_them_move():
    """WordNet's order is its corpus's frequency order as far as it counted; an untagged
    sense before a tagged one lost its count to a renamed key and stays."""
    def sense(n: int, count: int = 0, rich: bool = False) -> oewn.Sense:
        return oewn.Sense(synset(f"{n}-n", ["plight"], examples=2 * rich, relations=5 * rich), "plight",
                          f"plight%1:26:0{n}::", count=count, relatives=["plighted%3:00:00::"] * rich)
    renamed, tagged, bare, rich = sense(1, rich=True), sense(2, count=1), sense(3), sense(4, rich=True)
    prior = SensePrior(wordnet({"plight": [renamed, tagged, bare, rich]}))
    assert prior.order("plight", [renamed, tagged, bare, rich]) == [renamed, tagged, rich, bare]
    assert prior.order("plight", [tagged, rich]) == [tagged, rich]


def test_senses_the_signals_cannot_tell_apart_keep_oewns_order():
    first = oewn.Sense(synset("1-n", ["plight"]), "plight", "plight%1:26:00::")
    second = oewn.Sense(synset("2-n", ["plight"]), "plight", "plight%1:26:01::")
    prior = SensePrior(wordnet({"plight": [first, second]}))
    assert prior.order("plight", [first, second]) == [first, second]


def test_every_signal_has_a_weight_and_every_weight_raises_the_score():
    sense = oewn.Sense(synset("1-n", ["plight"]), "plight", "plight%1:26:00::")
    assert set(SensePrior(wordnet({"plight": [sense]})).signals("plight", sense)) == set(WEIGHTS)
    assert all(weight > 0 for weight in WEIGHTS.values())  # each signal, as fitted, agrees with the counts


@pytest.mark.parametrize("word, part_of_speech, sense_key", [
    # OEWN lists these first only because of their lexicographer files' numbers; no sense
    # of the word was ever tagged: "split (wood) with a maul", "view the outline of by
    # means of an X-ray", "someone who listens attentively".
    ("maul", "verb", "maul%2:35:00::"),            # injure badly by beating
    ("visualise", "verb", "visualise%2:36:00::"),  # imagine; conceive of
    ("auditor", "noun", "auditor%1:18:00::"),      # an accountant who inspects the records
])
def test_the_store_orders_a_never_tagged_word_by_the_prior(dictionary, word, part_of_speech, sense_key):
    entry = dictionary.define(word)
    meaning = next(m for m in entry["meanings"] if m["part_of_speech"] == part_of_speech)
    assert meaning["senses"][0]["sense_key"] == sense_key


def test_the_benches_baseline_is_oewns_own_first_sense(monkeypatch):
    """WordNet's first sense, the peer of `make bench-define`, is read from OEWN's sources,
    not from the store the prior reordered."""
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import wsd_sets
    case = wsd_sets.Case("mauled", "The dog mauled the postman.", frozenset({"maul%2:35:00::"}), "maul", "verb")
    assert wsd_sets.wordnet_first_sense(case) == "maul%2:35:01::"
