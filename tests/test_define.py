"""The look-up against the real store (data/dictionary.sqlite, built by `make install`):
messy selections, inflections, expressions, 404 with suggestions, 422s, the Free
Dictionary shape and completion, through the HTTP API."""

from __future__ import annotations

import pytest

from server.settings import Settings

STORE = Settings().dictionary_path


@pytest.fixture(autouse=True, scope="module")
def _store_built():
    assert STORE.exists(), (f"{STORE} is missing: run `make install` (or `gloss build-dictionary`) "
                            "before these tests; `make test` does it first.")


async def define(client, q: str, context: str | None = None, status: int = 200) -> dict:
    params = {"q": q} if context is None else {"q": q, "context": context}
    response = await client.get("/api/define", params=params)
    assert response.status == status, await response.text()
    return await response.json(content_type=None)


@pytest.mark.parametrize("selection", [" detente ", "detente.", "“detente”", "'detente'", "(detente),",
                                       "Detente", "DETENTE", "détente", "de\u0301tente", "Détente"])
async def test_messy_selections_find_detente(client, selection):
    entry = await define(client, selection)
    assert entry["word"] == "detente"
    assert entry["found"] is None
    assert "easing of tensions" in entry["meanings"][0]["senses"][0]["definition"]


async def test_entry_shape(client):
    entry = await define(client, "allies")
    assert entry["query"] == "allies"
    assert entry["word"] == "ally"
    assert entry["found"] == {"form": "allies", "relation": "plural of", "lemma": "ally"}
    assert entry["pronunciations"][0] == {"ipa": "/ˈæ.laɪ/", "source": "CMU Pronouncing Dictionary"}
    assert entry["frequency"]["band"] in ("very common", "common", "uncommon", "rare", "very rare")
    assert 3 < entry["frequency"]["zipf"] < 5
    meaning = entry["meanings"][0]
    assert meaning["part_of_speech"] == "noun"
    sense = meaning["senses"][0]
    assert set(sense) >= {"definition", "examples", "synonyms", "antonyms", "source", "older", "sense_key"}
    assert sense["source"] == "Open English WordNet" and sense["older"] is False
    assert sense["sense_key"].startswith("ally%1:")
    assert any(s["source"] == "GCIDE" and s["older"] for m in entry["meanings"] for s in m["senses"])
    assert entry["etymology"] and "alligare" in entry["etymology"]
    assert {s["name"] for s in entry["sources"]} >= {"Open English WordNet", "CMU Pronouncing Dictionary", "wordfreq"}
    assert all(s["license"] and s["url"] for s in entry["sources"])


@pytest.mark.parametrize("selection, word, relation", [
    ("government’s", "government", "possessive of"),
    ("allies’", "ally", "plural of"),
    ("restructuring", "restructure", "present participle of"),
    ("dashed", "dash", "past tense and past participle of"),
    ("women", "woman", "plural of"),
    ("is", "be", "third-person singular of"),
    ("better", "good", "comparative of"),
    ("went", "go", "past tense of"),
    ("biggest", "big", "superlative of"),
    ("don’t", "do", "contraction of"),
    ("in limbo", "limbo", "expression with"),
    ("working groups", "working group", "plural of"),
    ("inter-Korean", "Korean", "derived from"),
    ("all-digital", "digital", "compound of"),
    ("unsurprisingly", "unsurprising", "derived from"),
])
async def test_forms_show_how_they_were_reached(client, selection, word, relation):
    entry = await define(client, selection)
    assert entry["word"] == word
    assert entry["found"]["relation"] == relation
    assert entry["found"]["lemma"] == word


@pytest.mark.parametrize("selection, word", [
    ("long-standing", "long-standing"), ("working group", "working group"), ("air-conditioning", "air conditioning"),
    ("ﬁnance", "finance"), ("Fahrenheit", "Fahrenheit"), ("fahrenheit", "Fahrenheit"),
])
async def test_headwords_as_selected(client, selection, word):
    entry = await define(client, selection)
    assert entry["word"] == word
    assert entry["found"] is None


async def test_expression_found_around_selected_word(client):
    context = "The agreement would only preserve the status quo in the strait, officials said."
    entry = await define(client, "status", context)
    assert entry["word"] == "status quo"
    assert entry["found"] == {"form": "status", "relation": "part of the expression", "lemma": "status quo"}
    assert {"relation": "the word alone", "lemma": "status"} in entry["other_readings"]
    alone = await define(client, "status")
    assert alone["word"] == "status"


async def test_compound_that_is_a_kind_of_the_word_shows_the_word_first(client):
    # A working group is "a group of people working together...": the word's own sense
    # first, the expression one step away.
    context = ("State Department reiterated its support for its working group with South Korea on policy "
               "regarding the North.")
    entry = await define(client, "group", context)
    assert entry["word"] == "group"
    assert {"relation": "part of the expression", "lemma": "working group"} in entry["other_readings"]


async def test_context_puts_fitting_sense_first(client):
    river = await define(client, "bank", "He sat on the bank of the river and watched the water flow.")
    money = await define(client, "bank", "The bank raised the interest it pays on deposits and loans.")
    assert river["meanings"][0]["senses"][0]["sense_key"] == "bank%1:17:01::"
    assert money["meanings"][0]["senses"][0]["sense_key"] == "bank%1:14:00::"


async def test_not_found_has_suggestions_definable_first(client):
    response = await client.get("/api/define", params={"q": "detante"})
    assert response.status == 404
    assert response.content_type == "application/problem+json"
    problem = await response.json(content_type=None)
    assert problem["status"] == 404 and problem["title"] and problem["detail"]
    assert problem["suggestions"][0] == "detente"


@pytest.mark.parametrize("selection", ["12345", "3.14", "https://example.com/page", "www.example.com",
                                       "someone@example.com", "x" * 200,
                                       "This is a whole sentence that somebody selected by mistake today.",
                                       "   ", "?!"])
async def test_not_a_word_is_422(client, selection):
    response = await client.get("/api/define", params={"q": selection})
    assert response.status == 422
    assert response.content_type == "application/problem+json"
    assert (await response.json(content_type=None))["detail"]


async def test_missing_q_is_400(client):
    response = await client.get("/api/define")
    assert response.status == 400


async def test_free_dictionary_shape(client):
    response = await client.get("/api/v2/entries/en/ally")
    assert response.status == 200
    body = await response.json()
    assert isinstance(body, list) and body[0]["word"] == "ally"
    entry = body[0]
    assert entry["phonetics"][0]["text"].startswith("/")
    meaning = entry["meanings"][0]
    assert meaning["partOfSpeech"] == "noun"
    definition = meaning["definitions"][0]
    assert set(definition) >= {"definition", "synonyms", "antonyms"}
    assert any("example" in d for m in entry["meanings"] for d in m["definitions"])
    assert entry["license"]["name"] and entry["license"]["url"]
    assert entry["sourceUrls"]


async def test_free_dictionary_not_found_shape(client):
    response = await client.get("/api/v2/entries/en/detantez")
    assert response.status == 404
    body = await response.json()
    assert body["title"] == "No Definitions Found"
    assert body["message"] and body["resolution"]


async def test_complete(client):
    response = await client.get("/api/complete", params={"prefix": "det", "limit": "10"})
    body = await response.json()
    assert body["prefix"] == "det"
    assert 0 < len(body["completions"]) <= 10
    assert all(c.lower().startswith("det") for c in body["completions"])
    assert "determine" in body["completions"]
    response = await client.get("/api/complete", params={"prefix": "det", "limit": "0"})
    assert response.status == 400


async def test_missing_store_answers_503_and_says_how_to_build(aiohttp_client, tmp_path):
    from server.app import create_app
    client = await aiohttp_client(create_app(Settings(dictionary_path=tmp_path / "none.sqlite",
                                                      render_workers=1)))
    response = await client.get("/api/define", params={"q": "detente"})
    assert response.status == 503
    assert "build-dictionary" in (await response.json(content_type=None))["detail"]


@pytest.mark.parametrize("raw, query", [
    ("  Seoul\u2019s  ", "Seoul's"), ("allies\u2019", "allies'"), ("\u201cdetente,\u201d", "detente"),
    ("\ufb01nance", "finance"), ("long\u2011standing", "long-standing"), ("'quoted'", "quoted"),
    ("working   group", "working group"),
])
def test_clean_selection(raw, query):
    from server.dictionary.normalise import clean_selection
    assert clean_selection(raw) == query


def test_keys_fold_case_and_accents():
    from server.dictionary.normalise import key
    assert key("Détente") == key("DETENTE") == key("de\u0301tente") == "detente"


def test_meanings_put_first_by_splicing_match_decoding_and_sorting():
    import json
    import sqlite3

    from server.dictionary.lookup import put_first
    db = sqlite3.connect(f"file:{STORE}?mode=ro", uri=True)
    checked = 0
    for answer, pos in db.execute("SELECT CAST(answer AS BLOB), pos FROM entries WHERE pos LIKE '%,%' LIMIT 3000"):
        for part_of_speech in pos.split(","):
            expected = json.loads(answer)
            expected["meanings"].sort(key=lambda m: m["part_of_speech"] != part_of_speech)
            assert json.loads(put_first(answer, part_of_speech)) == expected
            checked += 1
    db.close()
    assert checked > 3000


@pytest.mark.parametrize("selection, sentence, lemma, relation", [
    ("leaves", "The leaves fell from the old oak tree in autumn.", "leaf", "plural of"),
    ("leaves", "She leaves the office at five every day.", "leave", "third-person singular of"),
    ("lives", "Many lives were lost in the flood.", "life", "plural of"),
    ("lives", "She lives in a small flat near the station.", "live", "third-person singular of"),
])
async def test_context_chooses_between_lemmas(client, selection, sentence, lemma, relation):
    entry = await define(client, selection, sentence)
    assert entry["found"]["lemma"] == lemma and entry["found"]["relation"] == relation


async def test_compound_part_is_a_word_before_a_name(client):
    # "fed" is also "the Fed" (a headword written with a capital): in "grass-fed" it is feed.
    entry = await define(client, "grass-fed")
    assert entry["word"] == "feed" and entry["found"]["relation"] == "compound of"
