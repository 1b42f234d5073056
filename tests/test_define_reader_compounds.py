"""Hyphenated compounds as a reader selects them: the compound's own entry when the
dictionary has one (also when only a part of it is selected); otherwise its last word's
entry, in the part of speech that word has in the compound, which is not the compound's
("a four-game streak": the compound modifies like an adjective, but "game" is a noun in
it, not game's adjective "disabled in the feet").

Against the real store `make install` builds. The cases are of the kinds the reader's
pass over the bench articles (`bench/reader_pass.py`, hyphenated) found wrong; the
counter-cases keep the rule from reaching heads that are adjectives or verbs' forms.
"""

from __future__ import annotations

import pytest


def first_pos(entry: dict) -> str:
    return entry["meanings"][0]["part_of_speech"]


def offset(sentence: str, whole: str, part: str) -> int:
    return sentence.index(whole) + whole.index(part)


@pytest.mark.parametrize("selection, sentence, head, part_of_speech", [
    ("four-game", "The team is on a four-game winning streak.", "game", "noun"),
    ("multi-game", "They signed a multi-game deal with the league.", "game", "noun"),
    ("six-inch", "He carried a six-inch blade.", "inch", "noun"),
    ("white-label", "It is a white-label product sold under many names.", "label", "noun"),
    ("in-feed", "The company sells in-feed ads on its app.", "feed", "noun"),
    # counter-cases: a head that is an adjective, or a verb's form, keeps that
    ("protein-rich", "Eat a protein-rich breakfast.", "rich", "adjective"),
    ("intra-Afghan", "They hope for intra-Afghan peace talks.", "afghan", "adjective"),
])
def test_a_compound_without_an_entry_is_its_head_in_the_head_s_part_of_speech(dictionary, selection, sentence,
                                                                             head, part_of_speech):
    entry = dictionary.define(selection, sentence)
    assert entry["word"] == head
    assert entry["found"]["relation"] in ("compound of", "derived from")
    assert first_pos(entry) == part_of_speech


def test_a_head_that_is_a_verb_s_form_keeps_its_reading(dictionary):
    entry = dictionary.define("grass-fed", "They sell grass-fed beef.")
    assert entry["word"] == "feed" and first_pos(entry) == "verb"


def test_a_one_letter_head_is_no_reading(dictionary):
    entry = dictionary.define("USB-C", "The laptop has a USB-C port.")
    assert entry["word"] != "c"
    assert "speed" not in entry["meanings"][0]["senses"][0]["definition"]


@pytest.mark.parametrize("part", ["term", "long"])
def test_a_part_of_a_compound_with_an_entry_answers_the_compound(dictionary, part):
    sentence = "It is a long-term plan."
    entry = dictionary.define(part, sentence, offset=offset(sentence, "long-term", part))
    assert entry["word"] == "long-term"
    assert entry["found"] == {"form": part, "relation": "part of the compound", "lemma": "long-term"}
    assert entry["other_readings"] == [{"relation": "the word alone", "lemma": part}]
    # Without an offset nothing says the word was selected inside the compound.
    assert dictionary.define(part, sentence)["word"] == part


def test_the_last_part_of_a_compound_without_an_entry_is_read_as_its_head(dictionary):
    sentence = "The team is on a four-game winning streak."
    entry = dictionary.define("game", sentence, offset=offset(sentence, "four-game", "game"))
    assert entry["word"] == "game" and first_pos(entry) == "noun"
    entry = dictionary.define("rich", "Eat a protein-rich breakfast.",
                              offset=offset("Eat a protein-rich breakfast.", "protein-rich", "rich"))
    assert first_pos(entry) == "adjective"
