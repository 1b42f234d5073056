"""`gloss build-dictionary` on a small slice of the real data, and `gloss define` on the command line."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from server.dictionary.build import build
from server.dictionary.lookup import Dictionary
from server.dictionary.build.pronunciation import to_ipa
from server.dictionary.spelling import Speller
from server.dictionary.store import Store
from server.settings import PROJECT_ROOT, Settings

SLICE = ["ally", "detente", "good", "limbo", "working group", "woman", "run"]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("dictionary") / "slice.sqlite"
    counts = build(path, words=SLICE, log=lambda _: None)
    return path, counts


def test_build_slice_has_the_words_and_their_forms(small_store):
    path, counts = small_store
    assert counts["entries"] == len(SLICE)
    store = Store(path)
    ally = store.entry("ally")
    assert ally["word"] == "ally" and ally["pronunciations"]
    assert [m["part_of_speech"] for m in ally["meanings"]] == ["noun", "verb"]
    assert store.forms("allies") == [("ally", "plural of")]
    assert ("good", "comparative of") in store.forms("better")
    assert store.forms("women") == [("woman", "plural of")]
    first = store.entry("detente")["meanings"][0]["senses"][0]
    assert first["source"] == "Open English WordNet" and first["sense_key"] == "detente%1:04:00::"
    accuracy = dict(sqlite3.connect(path).execute("SELECT name, value FROM meta").fetchall())["tagger_accuracy"]
    assert float(accuracy) > 0.85
    assert store.complete("wo", 5) == ["woman", "working group"]
    # The suggestion indexes: "aly" is "ally" with a letter deleted; "woman" is itself
    # (common forms are indexed too: "womans" is frequent enough in wordfreq's text).
    found = store.under_deletions(["aly", "woman", "xyz"])
    assert {"ally", "woman"} <= found and not found & {"detente", "good", "run"}
    assert store.expressions_with("group", 3) == ["working group"]


def test_build_slice_is_reproducible(small_store, tmp_path):
    path, _ = small_store
    again = tmp_path / "again.sqlite"
    build(again, words=SLICE, log=lambda _: None)
    dump = lambda p: list(sqlite3.connect(p).iterdump())  # noqa: E731
    assert dump(path) == dump(again)


def test_lookup_on_the_slice(small_store):
    dictionary = Dictionary(Store(small_store[0]), Speller())
    entry = dictionary.define("Allies’")
    assert entry["word"] == "ally" and entry["found"]["relation"] == "plural of"
    assert dictionary.define("ran")["found"] == {"form": "ran", "relation": "past tense of", "lemma": "run"}


def test_ipa_marks_stress_and_syllables():
    assert to_ipa(["AE1", "L", "AY0"]) == "/ˈæ.laɪ/"
    assert to_ipa(["D", "EY0", "T", "AA1", "N", "T"]) == "/deɪˈtɑnt/"
    assert to_ipa(["IH2", "N", "T", "ER0", "AH0", "K", "T"]) == "/ˌɪn.tɚ.əkt/"


def test_missing_store_says_how_to_build_it(tmp_path):
    from server.dictionary.store import StoreMissing
    with pytest.raises(StoreMissing, match="build-dictionary"):
        Store(tmp_path / "none.sqlite")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300)  # a slice still reads all of OEWN: tens of seconds on a busy machine


def test_cli_define_text_and_json():
    assert Settings().dictionary_path.exists(), "data/dictionary.sqlite is missing: run `make install` first."
    text = run_cli("define", "allies")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("ally")
    assert "allies: plural of ally" in text.stdout
    assert "a friendly nation" in text.stdout
    as_json = run_cli("define", "bank", "--context", "He sat on the bank of the river.", "--json")
    entry = json.loads(as_json.stdout)
    assert entry["meanings"][0]["senses"][0]["sense_key"] == "bank%1:17:01::"
    missing = run_cli("define", "detante")
    assert missing.returncode == 1 and "detente" in missing.stdout
    bad = run_cli("define", "12345")
    assert bad.returncode == 2 and "number" in bad.stderr


def test_cli_build_slice(tmp_path):
    out = tmp_path / "cli.sqlite"
    result = run_cli("build-dictionary", "--output", str(out), "--words", "detente,limbo")
    assert result.returncode == 0, result.stderr
    assert Store(out).size == 2


def test_stored_readings_answer_as_the_analysis_does(small_store):
    path, counts = small_store
    store = Store(path)
    assert counts["readings"] > counts["entries"]  # headwords, listed forms and regular inflections
    assert store.reading("allies") is not None and store.reading("women") is not None
    assert store.reading("detentes") is not None  # a regular plural no list gives
    assert store.reading("xyzzy") is None
    dictionary = Dictionary(store)
    for word in ["allies", "ally", "women", "better", "detente", "runs", "running", "ran", "working groups"]:
        # The stored reading and the analysis at request time give the same text.
        assert dictionary.define_json(word) == dictionary._define_json(word, None, False), word
    assert dictionary.define("allies")["found"] == {"form": "allies", "relation": "plural of", "lemma": "ally"}
