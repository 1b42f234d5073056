"""A verb of its own that is also another verb's irregular past: "lay" (lay, and lie's
past). The tagger, trained on text that tags "lay" a base form even where it is lie's
past, reads every "lay" as a base form; where only a finite verb can stand and no
object follows, the sentence says lie ("He lay on the floor"), and where an object
follows or the position wants a base form, lay ("lay the table", "to lay off staff").

Against the real store `make install` builds; the sentences are of the kinds held-out
MASC has ("Tiled marble floor lay underneath me", "Tasha lay sprawled on a rumpled bed").
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("sentence", [
    "He lay on the floor.",
    "Tiled marble floor lay underneath me.",
    "Tasha lay sprawled on a rumpled bed.",
    "Much of the city still lay in ruins.",
    "She lay awake all night.",
    "He lay motionless.",
    "The answer lay in the data.",
    "I lay there for hours.",
])
def test_lay_with_no_object_where_a_finite_verb_stands_is_the_past_of_lie(dictionary, sentence):
    entry = dictionary.define("lay", sentence)
    assert entry["word"] == "lie"
    assert entry["found"] == {"form": "lay", "relation": "past tense of", "lemma": "lie"}
    assert entry["meanings"][0]["part_of_speech"] == "verb"


@pytest.mark.parametrize("sentence", [
    "Please lay the book on the table.",   # an object
    "They lay the table for dinner.",
    "Hens lay eggs every day.",
    "He lay the dog on the table.",        # an object, whatever the tense
    "He will lay the foundation tomorrow.",  # after a modal: a base form
    "She did not lay a finger on him.",
    "The company had to lay off workers.",
    "They lay off workers every winter.",  # a particle, then an object
])
def test_lay_with_an_object_or_as_a_base_form_stays_lay(dictionary, sentence):
    entry = dictionary.define("lay", sentence)
    assert entry["word"] == "lay"
    assert entry["meanings"][0]["part_of_speech"] == "verb"


@pytest.mark.parametrize("selection, sentence, lemma", [
    ("found", "They found the keys under the sofa.", "find"),
    ("saw", "We saw them in the park.", "see"),
    ("fell", "He fell on the ice.", "fall"),
])
def test_the_other_forms_of_the_kind_keep_their_past_reading(dictionary, selection, sentence, lemma):
    assert dictionary.define(selection, sentence)["found"]["lemma"] == lemma


def test_an_auxiliary_is_not_read_as_a_past(dictionary):
    """"are" is be's present, with no object after it ("processes are misaligned")."""
    entry = dictionary.define("are", "The processes are misaligned.")
    assert entry["found"]["relation"] == "present plural of"


@pytest.mark.parametrize("sentence", [
    "They lay down on the grass.",
    "He lay down for a nap after lunch.",
])
def test_lay_down_with_no_object_is_lie_down_not_the_expression_lay_down(dictionary, sentence):
    """The expression around the word is read with the verb the sentence says it is a form
    of: "lie down" (a sense of "lie" too, so "lie" answers with it first), not "lay down"
    (institute, enact)."""
    entry = dictionary.define("lay", sentence)
    assert entry["word"] == "lie"
    assert entry["found"]["relation"] == "past tense of"
    assert entry["meanings"][0]["senses"][0]["definition"] == "assume a reclining position"


@pytest.mark.parametrize("sentence", [
    "They lay down their arms.",
    "The new rules lay down strict limits.",
])
def test_lay_down_with_an_object_stays_the_expression(dictionary, sentence):
    entry = dictionary.define("lay", sentence)
    assert entry["word"] == "lay down"
    assert entry["found"]["relation"] == "part of the expression"


def test_the_united_states_stays_the_entry_written_so(dictionary):
    """Only a verb that is another verb's irregular past is read so: "United" (unite's
    regular past, and an adjective) keeps the expression the dictionary writes with capitals."""
    assert dictionary.define("United", "He stressed that the United States was at war.")["word"] == "United States"
