"""Which occurrence the reader selected: `offset` (where the selection starts in its
context, in characters) makes the look-up read that occurrence when the word recurs in
the sentence; without it (older clients) the look-up reads as before.

Against the real store `make install` builds, in process and through `gloss serve` over
HTTP (a bad offset is a 400 problem, and the server keeps answering).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from server.errors import BadRequest


def nth(sentence: str, word: str, n: int) -> int:
    """Where the n-th (from 0) occurrence of `word` starts in `sentence`."""
    at = -1
    for _ in range(n + 1):
        at = sentence.index(word, at + 1)
    return at


def first_pos(entry: dict) -> str:
    return entry["meanings"][0]["part_of_speech"]


def test_the_second_occurrence_of_a_word_is_read_where_it_is(dictionary):
    sentence = "I used to go there to see it."
    first = dictionary.define("to", sentence, offset=nth(sentence, "to", 0))
    second = dictionary.define("to", sentence, offset=nth(sentence, "to", 1))
    assert first["word"] == "used to"  # the expression is around the first "to" only
    assert second["word"] == "to" and second["found"] is None


@pytest.mark.parametrize("selection, sentence, n, headword, part_of_speech", [
    ("will", "Ask Will if he will come.", 0, "will", "verb"),  # the modal, not the noun of "Will"
    ("saw", "We saw him cut the log with a saw.", 1, "saw", "noun"),  # the tool, not "see"
    ("saw", "We saw him cut the log with a saw.", 0, "see", "verb"),
    ("set", "They set up a new set of rules.", 1, "set", "noun"),
])
def test_the_part_of_speech_is_read_at_the_occurrence_selected(dictionary, selection, sentence, n, headword,
                                                                part_of_speech):
    entry = dictionary.define(selection, sentence, offset=nth(sentence, selection, n))
    assert entry["word"] == headword
    assert first_pos(entry) == part_of_speech


def test_an_expression_around_another_occurrence_is_not_answered(dictionary):
    sentence = "She walked back home and hurt her back."
    assert dictionary.define("back", sentence)["word"] == "walk back"  # no offset: as before
    entry = dictionary.define("back", sentence, offset=nth(sentence, "back", 1))
    assert entry["word"] == "back"
    assert all(r["relation"] != "part of the expression" for r in entry.get("other_readings", []))


def test_a_name_is_judged_at_the_occurrence_selected(dictionary):
    sentence = "Ask Will if he will come."
    assert first_pos(dictionary.define("Will", sentence, offset=4)) == "name"
    assert dictionary.define("will", sentence, offset=nth(sentence, "will", 0))["found"] is None


def test_the_offset_counts_what_the_context_folds(dictionary):
    """Spaces are collapsed and a long context cut: the offset still finds its word."""
    sentence = "I  used to\n go there   to see it."
    assert dictionary.define("to", sentence, offset=nth(sentence, "to", 1))["word"] == "to"
    long = "It was said that " + "nothing happened again " * 80 + "and she used to go there to see it."
    entry = dictionary.define("to", long, offset=long.rindex("to see"))
    assert entry["word"] == "to"
    entry = dictionary.define("to", long, offset=long.rindex("to go"))
    assert entry["word"] == "used to"


def test_a_selection_with_its_quote_or_space_is_found_at_its_offset(dictionary):
    sentence = 'He called it "progress" and left.'
    entry = dictionary.define('"progress"', sentence, offset=sentence.index('"'))
    assert entry["word"] == "progress"


@pytest.mark.parametrize("offset", [-1, 40, 3])
def test_a_bad_offset_is_refused(dictionary, offset):
    with pytest.raises(BadRequest):
        dictionary.define("to", "I used to go there to see it.", offset=offset)


def test_an_offset_without_context_is_refused(dictionary):
    with pytest.raises(BadRequest):
        dictionary.define("to", None, offset=0)


# -- over HTTP --------------------------------------------------------------------------

def get(base: str, **query: str) -> tuple[int, str, dict]:
    url = f"{base}/api/define?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], json.loads(error.read())


SENTENCE = "I used to go there to see it."


@pytest.mark.timeout(120)
def test_the_api_reads_the_occurrence_at_the_offset(live_server):
    status, _, entry = get(live_server, q="to", context=SENTENCE, offset=str(nth(SENTENCE, "to", 1)))
    assert status == 200 and entry["word"] == "to"
    status, _, entry = get(live_server, q="to", context=SENTENCE, offset=str(nth(SENTENCE, "to", 0)))
    assert status == 200 and entry["word"] == "used to"
    status, _, entry = get(live_server, q="to", context=SENTENCE)  # a client that sends no offset
    assert status == 200 and entry["word"] == "used to"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("query, detail", [
    ({"offset": "two"}, "whole number"),
    ({"offset": "-1"}, "whole number"),
    ({"offset": "1e3"}, "whole number"),
    ({"offset": "9" * 400}, "whole number"),
    ({"offset": "400"}, "outside the context"),
    ({"offset": "3"}, "is not where"),
    ({"offset": "0", "context": ""}, "give the context"),
])
def test_a_bad_offset_is_a_400_problem_and_the_server_keeps_serving(live_server, query, detail):
    status, content_type, problem = get(live_server, **{"q": "to", "context": SENTENCE, **query})
    assert status == 400
    assert content_type.startswith("application/problem+json")
    assert detail in problem["detail"] and problem["status"] == 400
    status, _, entry = get(live_server, q="to", context=SENTENCE, offset="19")
    assert status == 200 and entry["word"] == "to"
