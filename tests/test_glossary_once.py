"""A glossary defines each word once where it stands, and never by the word itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.article.extract import extract_article
from server.article.model import Page
from server.glossary.select import _circular, choose, parse_glossary
from server.glossary.text import WORD_RE, word_key

FIXTURES = Path(__file__).parent / "fixtures"
SEED_URL = "https://koreajoongangdaily.joins.com/2020/07/29/national/northKorea/seed/"


@pytest.fixture(scope="module")
def seed():
    return extract_article(Page(url=SEED_URL, html=(FIXTURES / "seed-article.html").read_text(encoding="utf-8")))


def test_a_definition_that_repeats_the_word_gives_way(dictionary, seed):
    # WordNet's only noun sense of "severing" is "the act of severing": the verb it is a
    # form of defines it without repeating it.
    (gloss,) = choose(seed, parse_glossary(["severing"]), 10, dictionary)
    assert gloss.word == "severing" and gloss.headword == "sever"
    assert gloss.relation.startswith("present participle")
    assert "sever" not in gloss.definition


def test_no_auto_gloss_is_circular(dictionary, seed):
    glossary = choose(seed, parse_glossary("auto"), 30, dictionary)
    assert len(glossary) >= 3
    for gloss in glossary:
        own = {word_key(gloss.word), word_key(gloss.headword), *gloss.forms}
        assert not _circular(gloss.definition, own), gloss
        words = {word_key(w) for w in WORD_RE.findall(gloss.definition)}
        assert word_key(gloss.word) not in words


def test_circular_means_the_word_or_a_word_built_on_it():
    assert _circular("the act of severing", {"sever"})
    assert _circular("the act of severing", {"severing"})
    assert not _circular("cut off from a whole", {"sever", "severing"})
    assert not _circular("a small act", {"ac"})  # too short a stem to count as a root


def test_a_footnoted_word_is_defined_once():
    from lxml import html as lxml_html

    from server.article.model import Gloss
    from server.glossary.annotate import Placed, annotate_body, closing_glossary
    from server.glossary.select import body_tree

    body = body_tree("<p>Months of detente and dissonance.</p>")
    noted = Gloss(word="detente", forms=("detente",), headword="detente", definition="the easing of tensions")
    only = Gloss(word="dissonance", forms=("dissonance",), headword="dissonance", definition="a conflict")
    annotate_body(body, [noted])
    closing = lxml_html.fromstring(closing_glossary([Placed(noted, "gloss-1", True),
                                                      Placed(only, "gloss-2", False)]))
    notes = body.xpath('.//*[@class="gloss-note"]')
    assert len(notes) == 1 and "the easing of tensions" in "".join(notes[0].itertext())
    # The closing glossary lists both words; the footnoted one points to its note.
    assert ["".join(dt.xpath('.//*[@class="gloss-head"]')[0].itertext()) for dt in closing.iter("dt")] \
        == ["detente", "dissonance"]
    closing_text = "".join(closing.itertext())
    assert "the easing of tensions" not in closing_text and "a conflict" in closing_text
