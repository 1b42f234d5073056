"""Today's English in the dictionary, names and expressions first, a clean display.

Against the real store `make install` builds: words and senses of news English since
2010 (the supplement of current English after Open English WordNet), the news idioms
that come first in their sentence with the word's own entry reachable, names answered
as names, and every definition and part of speech of the store as a reader sees it.
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from server.dictionary.build import current
from server.dictionary.store import CURRENT_SOURCES, SOURCES
from server.settings import Settings

SUPPLEMENT = current.SOURCE
READER_KNOWS = {"noun", "verb", "adjective", "adverb", "pronoun", "preposition", "conjunction", "interjection",
                "prefix", "suffix", "phrase", "name", "determiner"}


def first(entry: dict) -> dict:
    return entry["meanings"][0]["senses"][0]


# -- the supplement's file ----------------------------------------------------------------

def test_every_row_of_the_supplement_is_well_formed():
    rows = current.load()
    assert sum(map(len, rows.values())) >= 400  # several hundred entries, not the examples alone
    domains = {row.domain for listed in rows.values() for row in listed}
    assert domains == set(current.DOMAINS)
    for listed in rows.values():
        for row in listed:
            assert row.pos in current.PARTS_OF_SPEECH
            assert bool(row.definition) != bool(row.sense_key)
            assert not re.search(r"[\[\]{}<>\\]", row.definition)


def test_a_row_naming_a_sense_key_the_word_lacks_fails_the_build(tmp_path):
    path = tmp_path / "entries.tsv"
    path.write_text("drone\tnoun\tfirst\t=drone%1:06:99::\ttechnology\n", encoding="utf-8")
    rows = current.load(path)
    with pytest.raises(ValueError, match="not a noun sense"):
        current.check(rows, {"drone": {"noun": {"drone%1:06:01::"}}})
    path.write_text("drone\tnoun phrase\tfirst\ta thing\ttechnology\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown part of speech"):
        current.load(path)


# -- new words and senses -----------------------------------------------------------------

@pytest.mark.parametrize("selection, meant", [
    ("selfie", "photograph"), ("app", "program"), ("apps", "program"), ("anonymize", "identify"),
    ("cryptocurrency", "currency"), ("emoji", "smileys"), ("influencer", "social media"),
    ("texting", "SMS"), ("fake news", "false"), ("tipping point", "irreversible"), ("game changer", "transforms"),
    ("walk back", "retract"), ("double down", "firmly"), ("boots on the ground", "soldiers"),
])
def test_words_of_the_last_fifteen_years_are_found(dictionary, selection, meant):
    assert meant in first(dictionary.define(selection))["definition"]


@pytest.mark.parametrize("selection, meant, older", [
    ("drone", "aircraft", "bee"),
    ("lockdown", "keeps people at home", "prisoners"),
    ("startup", "company", "setting in operation"),
    ("red line", "must not be crossed", "hockey"),
    ("bottom line", "decisive", "audit"),
    ("headwinds", "slows progress", "ship"),
])
def test_the_sense_news_writing_means_comes_first_and_the_older_one_stays(dictionary, selection, meant, older):
    entry = dictionary.define(selection)
    definitions = [s["definition"] for m in entry["meanings"] for s in m["senses"]]
    assert meant in definitions[0]
    assert any(older in d for d in definitions[1:])


@pytest.mark.parametrize("selection, meant, relation", [
    ("hoodie", "sweatshirt", None),           # was "compound of die"
    ("airstrikes", "military aircraft", "plural of"),
    ("media", "news", None),                  # was GCIDE's "the latinic plural form of medium"
    ("oops", "small mistake", None),          # was GCIDE's verb "to bind with a thread"
    ("nuanced", "fine distinctions", None),   # was not found
    ("gonna", "going to", None),
    ("rehab", "addiction", None),
    ("showcased", "show it at its best", "past tense and past participle of"),
    ("hoodies", "sweatshirt", "plural of"),  # hoodie's, before GCIDE's "hoody" (the hooded crow)
])
def test_common_words_that_real_word_counts_showed_missing_are_found(dictionary, selection, meant, relation):
    entry = dictionary.define(selection)
    assert meant in first(entry)["definition"] and first(entry)["source"] == SUPPLEMENT
    assert (entry["found"] or {}).get("relation") == relation


@pytest.mark.parametrize("selection, lemma, relation", [
    ("wrote", "write", "past tense of"),            # not GCIDE's "to root with the snout"
    ("taught", "teach", "past tense and past participle of"),  # not "see taut"
    ("doing", "do", "present participle of"),
    ("guidelines", "guideline", "plural of"),
])
def test_a_form_the_dictionary_has_only_from_gcide_is_the_form_of_a_current_lemma(
        dictionary, selection, lemma, relation):
    entry = dictionary.define(selection)
    assert (entry["word"], entry["found"]["relation"]) == (lemma, relation)
    assert first(entry)["source"] == "Open English WordNet"
    assert {"relation": "headword itself", "lemma": selection} in entry["other_readings"]  # the 1913 entry


def test_a_current_headword_is_no_form_of_a_lemma_with_older_senses_only(dictionary):
    entry = dictionary.define("laser")  # not the comparative of GCIDE's "las" ("Less.")
    assert entry["word"] == "laser" and entry["found"] is None
    assert "light" in first(entry)["definition"]


@pytest.mark.parametrize("selection, headword", [
    ("groundwater", "ground water"), ("standalone", "stand-alone"), ("toolkit", "tool kit"),
    ("bestselling", "best-selling"), ("airbag", "air bag"),
])
def test_a_closed_compound_the_dictionary_writes_apart_is_that_entry_not_its_last_part(
        dictionary, selection, headword):
    entry = dictionary.define(selection)
    assert entry["word"] == headword and entry["found"]["relation"] == "written as one word of"


def test_a_current_sense_next_to_the_first_is_brought_up_by_its_sentence(dictionary):
    assert "processing units" in first(dictionary.define("cores", "The new chip has eight cores and runs cooler."))[
        "definition"]
    assert "processing units" not in first(dictionary.define("cores"))["definition"]


def test_the_supplements_senses_are_marked_by_their_source_and_licence(dictionary):
    entry = dictionary.define("selfie")
    assert first(entry)["source"] == SUPPLEMENT and not first(entry)["older"]
    assert SUPPLEMENT in {s["name"] for s in entry["sources"]}
    licence = next(s["license"] for s in SOURCES if s["name"] == SUPPLEMENT)
    assert "MIT" in licence
    assert SUPPLEMENT in CURRENT_SOURCES
    # An OEWN sense the supplement puts first keeps its source and sense key.
    drone = first(dictionary.define("drone"))
    assert drone["source"] == "Open English WordNet" and drone["sense_key"] == "drone%1:06:01::"


# -- expressions ------------------------------------------------------------------------

@pytest.mark.parametrize("selection, sentence, expression", [
    ("boots", "The president ruled out boots on the ground in Syria.", "boots on the ground"),
    ("walked", "The minister walked back her remarks on Monday.", "walk back"),
    ("back", "The minister walked back her remarks on Monday.", "walk back"),
    ("doubled", "Rather than apologise, he doubled down on the claim.", "double down"),
    ("down", "The company doubled down on its bet.", "double down"),
    ("table", "All options remain on the table, the envoy said.", "on the table"),
    ("line", "Chemical weapons were a red line for the alliance.", "red line"),
    ("point", "The protests reached a tipping point last week.", "tipping point"),
])
def test_an_expression_of_news_english_comes_first_and_the_word_stays_reachable(
        dictionary, selection, sentence, expression):
    entry = dictionary.define(selection, sentence)
    assert entry["word"] == expression
    assert entry["found"]["relation"] == "part of the expression"
    assert any(r["relation"] == "the word alone" for r in entry["other_readings"])


def test_a_verb_form_beside_a_particle_is_read_as_an_expression_only_of_current_english(dictionary):
    # OEWN's phrasal verbs read from an inflected verb are literal more often than not.
    entry = dictionary.define("drove", "Back in the chase car, we drove around some more.")
    assert entry["word"] == "drive"


# -- names -------------------------------------------------------------------------------

@pytest.mark.parametrize("selection, sentence", [
    ("Seoul", "The two leaders met in Seoul on Monday."),
    ("Seoul", "Seoul said it would respond in kind."),          # unknown, even where the sentence starts
    ("Washington", "Critics mocked its subservience to Washington."),
    ("Washington", "Washington and Seoul agreed to talk."),    # no compound of "ton"
    ("Xi", "He met President Xi in Beijing."),
    ("Harris", "Ambassador Harry Harris met the foreign minister."),
    ("Turkey", "Talks with Turkey stalled again."),            # the bird comes after
])
def test_a_name_is_answered_as_a_name(dictionary, selection, sentence):
    entry = dictionary.define(selection, sentence)
    assert entry["meanings"][0]["part_of_speech"] == "name"
    assert "2000 pounds" not in json.dumps(entry)  # "Washington" is no compound of "ton"


def test_a_name_with_a_common_namesake_keeps_it_reachable(dictionary):
    entry = dictionary.define("Turkey", "Talks with Turkey stalled again.")
    assert [m["part_of_speech"] for m in entry["meanings"]][:2] == ["name", "noun"]
    assert {"relation": "the word alone", "lemma": "turkey"} in entry["other_readings"]


@pytest.mark.parametrize("selection, sentence", [
    ("President", "He met President Xi in Beijing."),        # a title, not the name
    ("Monday", "The two sides met again on Monday."),      # the dictionary writes it with a capital
    ("Republicans", "It was blocked by Republicans in the House."),
    ("Brexit", "Trade fell sharply after Brexit took effect."),  # current English writes it so
    ("Covid", "Cases of Covid rose again in the winter."),
])
def test_a_title_or_a_word_the_dictionary_capitalises_is_not_a_name(dictionary, selection, sentence):
    entry = dictionary.define(selection, sentence)
    assert entry["meanings"][0]["part_of_speech"] != "name"


def test_the_allies_capitalised_are_the_allies(dictionary):
    entry = dictionary.define("Allies", "It was the day the Allies landed in Normandy.")
    assert "World War II" in first(entry)["definition"]
    assert {"relation": "plural of", "lemma": "ally"} in entry["other_readings"]
    assert "friendly" in first(dictionary.define("allies", "The two allies signed a pact."))["definition"]


def test_a_proper_noun_of_gcide_is_a_name_without_its_labels(dictionary):
    entry = dictionary.define("Beijing")
    assert entry["word"] == "Beijing"
    assert entry["meanings"][0]["part_of_speech"] == "name"
    assert first(entry)["definition"].startswith("The capital city of China")
    assert "prop. n." not in json.dumps(entry) and "Population" not in json.dumps(entry)


# -- display over the whole store ------------------------------------------------------------

LEFT_OVER = re.compile(
    r"[\[\]{}\\]|<[a-z/!]|&\w+;"                        # brackets, markup, entities
    r"|^(?:prop\. n\.|n\.|v\. ?[ti]\.|a\.|adj\.|adv\.|pl\.)(?:\s|$)"  # a header's part of speech
    r"|1913 Webster|\bPJC\b|Century Dict|\bMW10\b"      # source tags and initials
    r"|Population \(\d{4}\)|^\W*$")


def test_every_definition_and_part_of_speech_of_the_store_reads_clean():
    """Every sense of every entry, whatever its source (a script over the whole store)."""
    db = sqlite3.connect(f"file:{Settings().dictionary_path}?mode=ro", uri=True)
    bad = []
    try:
        for key, answer in db.execute("SELECT key, answer FROM entries"):
            for meaning in json.loads(answer)["meanings"]:
                if meaning["part_of_speech"] not in READER_KNOWS:
                    bad.append((key, meaning["part_of_speech"]))
                for sense in meaning["senses"]:
                    text = sense["definition"]
                    # OEWN's chemistry and typography definitions write brackets as symbols.
                    if LEFT_OVER.search(text) and not (sense["source"] == "Open English WordNet"
                                                       and re.search(r"‘.’|\[[A-Z][A-Za-z0-9]*\]", text)):
                        bad.append((key, text[:80]))
    finally:
        db.close()
    assert not bad, bad[:20]
