"""Names made of several capitalised words, as a reader meets them mid-sentence.

A dictionary expression inside a longer run of capitalised words is part of a name ("the
Dover High School" is a school's name, no high school in general); a name the dictionary
writes with capitals is its entry, not a sense of one of its words ("the United States"
is no plural of "state"). Against the real store `make install` builds; the cases are of
the kinds held-out MASC tags as proper nouns.
"""

from __future__ import annotations

import pytest


def first_pos(entry: dict) -> str:
    return entry["meanings"][0]["part_of_speech"]


@pytest.mark.parametrize("selection, sentence", [
    ("High", "My oldest is at the Dover High School now."),
    ("School", "My oldest is at the Dover High School now."),
    ("Stock", "Shares fell on the New York Stock Exchange today."),
    ("District", "Did you attend meetings of the Dover Area School District Board that summer?"),
])
def test_an_expression_inside_a_longer_run_of_capitals_is_part_of_a_name(dictionary, selection, sentence):
    assert first_pos(dictionary.define(selection, sentence)) == "name"


@pytest.mark.parametrize("selection, sentence, expression", [
    ("Court", "The Supreme Court ruled on Monday.", "supreme court"),  # "The" opens the sentence: no run of three
    ("House", "He went to the White House on Monday.", "White House"),  # the run is the expression
    ("Fibrosis", "NC Babies Now Being Tested For Cystic Fibrosis", "cystic fibrosis"),  # a headline
])
def test_the_expression_stays_where_the_run_is_no_longer_than_it(dictionary, selection, sentence, expression):
    entry = dictionary.define(selection, sentence)
    assert first_pos(entry) != "name"
    assert expression in [entry["word"], *(r["lemma"] for r in entry.get("other_readings", []))]


@pytest.mark.parametrize("selection", ["United", "States"])
def test_a_name_the_dictionary_writes_with_capitals_is_its_entry(dictionary, selection):
    entry = dictionary.define(selection, "He was the president of the United States for years.")
    assert entry["word"] == "United States"
    assert entry["found"]["relation"] == "part of the expression"
    assert entry["other_readings"][0]["relation"] == "the word alone"


def test_an_expression_defined_by_its_word_still_puts_the_word_first(dictionary):
    entry = dictionary.define("group", "The working group met on Monday.")
    assert entry["word"] == "group"
