"""The glossary stage alone, against the real dictionary store: the option's validation,
which words are chosen (listed or "auto"), where they are marked, and what the notes say.

Articles here are either the golden seed, extracted by the real extractor, or small
hand-written ones where a case needs an exact shape (a word only in the headline, a
word in a link, dictionary text that looks like HTML).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from server.article.extract import extract_article
from server.article.model import Article, Gloss, Page
from server.errors import Unprocessable
from server.glossary.annotate import GLOSSARY_ONLY_MARK, Placed, annotate_body, closing_glossary, gloss_article
from server.glossary.select import (AUTO, MAX_AUTO_WORDS, MAX_WORDS, RARE_BANDS, Requested, body_tree, choose,
                                    parse_glossary, parse_glossary_max)
from server.glossary.text import BodyText

FIXTURES = Path(__file__).parent / "fixtures"
SEED_URL = "https://koreajoongangdaily.joins.com/2020/07/29/national/northKorea/seed/"
SEED_WORDS = ["detente", "dissonance", "subservience"]


@pytest.fixture(scope="module")
def seed() -> Article:
    html = (FIXTURES / "seed-article.html").read_text(encoding="utf-8")
    return extract_article(Page(url=SEED_URL, html=html))


def article(body_html: str, title: str = "A test", standfirst: str = "", lang: str = "en") -> Article:
    return Article(url="https://example.com/a", title=title, body_html=body_html, text="", standfirst=standfirst,
                   lang=lang)


def by_class(root, cls: str) -> list:
    """Elements under `root` carrying the class `cls` (the body trees are lxml's)."""
    return root.xpath(f'.//*[contains(concat(" ", normalize-space(@class), " "), " {cls} ")]')


def text(element) -> str:
    return "".join(element.itertext())


def sentence_of(seed: Article, word: str) -> str:
    text = " ".join(seed.text.split())
    start = text.index(word)
    return text[text.rindex(". ", 0, start) + 2:text.index(".", start) + 1]


# -- the option -----------------------------------------------------------------------
def test_glossary_accepts_words_objects_and_auto():
    assert parse_glossary(None) is None and parse_glossary([]) is None
    assert parse_glossary("auto") == AUTO and parse_glossary(" AUTO ") == AUTO
    parsed = parse_glossary(["detente", {"word": " dissonance ", "context": "a long-standing  dissonance"},
                             {"word": "Detente"}, {"word": "limbo", "context": None}])
    # A word looked up twice is glossed once; spaces are collapsed.
    assert parsed == (Requested("detente"), Requested("dissonance", "a long-standing dissonance"),
                      Requested("limbo"))


@pytest.mark.parametrize("raw, field", [
    ("sometimes", "options.glossary"),
    (5, "options.glossary"),
    ({"word": "detente"}, "options.glossary"),
    ([""], "options.glossary[0].word"),
    (["x" * 65], "options.glossary[0].word"),
    (["ok", {"word": 3}], "options.glossary[1].word"),
    ([{"context": "no word"}], "options.glossary[0].word"),
    ([{"word": "ok", "context": "x" * 1001}], "options.glossary[0].context"),
    ([{"word": "ok", "context": ["a"]}], "options.glossary[0].context"),
    ([{"word": "ok", "sense": 1}], "options.glossary[0].sense"),
    ([["nested"]], "options.glossary[0]"),
    ([f"w{n}" for n in range(MAX_WORDS + 1)], "options.glossary"),
])
def test_bad_glossary_is_422_naming_the_field(raw, field):
    with pytest.raises(Unprocessable) as error:
        parse_glossary(raw)
    assert error.value.extra["field"] == field


def test_glossary_max_bounds():
    assert parse_glossary_max(None) == 12 and parse_glossary_max(MAX_AUTO_WORDS) == MAX_AUTO_WORDS
    for bad in (0, MAX_AUTO_WORDS + 1, 2.5, "5", True):
        with pytest.raises(Unprocessable) as error:
            parse_glossary_max(bad)
        assert error.value.extra["field"] == "options.glossary_max"


# -- the words of the body --------------------------------------------------------------
def test_sentences_and_sentence_starts():
    body = BodyText(body_tree("<p>The U.S. State Department spoke. “Detente,” he said, was over! "
                              "Mr. Lee agreed.</p>"))
    words = [w.text for w in body.words]
    assert body.sentence(words.index("Department")) == "The U.S. State Department spoke."
    assert body.sentence(words.index("Detente")) == "“Detente,” he said, was over!"
    assert body.starts_sentence(words.index("The")) and body.starts_sentence(words.index("Detente"))
    assert body.starts_sentence(words.index("Mr"))
    assert not body.starts_sentence(words.index("State")) and not body.starts_sentence(words.index("Lee"))


# -- choosing ---------------------------------------------------------------------------
def test_listed_words_in_reading_order_with_the_sense_of_their_sentence(seed, dictionary):
    glossary = choose(seed, parse_glossary(["subservience", "detente", "dissonance"]), 12, dictionary)
    assert [g.headword for g in glossary] == ["dissonance", "detente", "subservience"]
    detente = glossary[1]
    assert detente.part_of_speech == "noun" and detente.ipa.startswith("/") and detente.band
    # The sense is the one the dictionary ranks first for the sentence the word stands in.
    entry = dictionary.define("detente", sentence_of(seed, "detente"))
    assert detente.definition == entry["meanings"][0]["senses"][0]["definition"]


def test_history_objects_and_plain_strings_choose_the_same(seed, dictionary):
    objects = [{"word": w, "context": sentence_of(seed, w)} for w in SEED_WORDS]
    assert choose(seed, parse_glossary(objects), 12, dictionary) == \
        choose(seed, parse_glossary(SEED_WORDS), 12, dictionary)


def test_an_inflected_form_is_found_and_named(seed, dictionary):
    (gloss,) = choose(seed, parse_glossary(["ally"]), 12, dictionary)
    # The body says "allies" (never "ally"): that is the word marked and explained.
    assert gloss.word == "allies" and gloss.headword == "ally" and gloss.relation.startswith("plural")
    assert "allies" in gloss.forms


def test_words_the_print_does_not_hold_are_left_out(dictionary):
    art = article("<p>Months of detente followed.</p>", title="The long limbo", standfirst="")
    glossary = choose(art, parse_glossary(["detente", "limbo", "zeppelin", "qwzxv"]), 12, dictionary)
    # "limbo" stands only in the headline: it is in the closing glossary, before the body's words.
    assert [g.headword for g in glossary] == ["limbo", "detente"]


def test_auto_picks_rare_words_only_and_no_names(seed, dictionary):
    glossary = choose(seed, AUTO, 12, dictionary)
    assert glossary, "the seed article has rare words"
    for gloss in glossary:
        assert gloss.band in RARE_BANDS, gloss
        # Checked against the entry itself, as a reader's look-up would answer it.
        assert dictionary.define(gloss.word, None)["frequency"]["band"] in RARE_BANDS or \
            dictionary.define(gloss.headword)["frequency"]["band"] in RARE_BANDS
        assert gloss.word[0].islower() and gloss.headword[0].islower()
    text = " ".join(seed.text.split())
    positions = [text.index(g.word) for g in glossary]
    assert positions == sorted(positions)  # reading order


def test_auto_takes_the_rarest_first_up_to_the_limit(seed, dictionary):
    every = choose(seed, AUTO, MAX_AUTO_WORDS, dictionary)
    two = choose(seed, AUTO, 2, dictionary)
    assert len(two) == 2 and len(every) > 2
    rarest = sorted(every, key=lambda g: dictionary.define(g.headword)["frequency"]["zipf"])[:2]
    assert {g.headword for g in two} == {g.headword for g in rarest}


def test_auto_leaves_names_and_numbers_alone(dictionary):
    art = article("<p>In 2019 the envoy Xanthippe Quibble met Pyongyang officials; the detente held. "
                  "Zeugma, a rare figure, followed. NATO watched the rapprochement.</p>")
    words = {g.word for g in choose(art, AUTO, 12, dictionary)}
    assert {"detente", "rapprochement"} <= words
    assert not words & {"Xanthippe", "Quibble", "Pyongyang", "NATO", "2019"}


def test_auto_picks_nothing_in_another_language(dictionary):
    art = article("<p>La détente fut brève.</p>", lang="fr")
    assert choose(art, AUTO, 12, dictionary) == ()


# -- marking ----------------------------------------------------------------------------
def gloss(word: str, definition: str = "the easing of tensions", **fields) -> Gloss:
    return Gloss(word=word, forms=(word,), headword=word, definition=definition, part_of_speech="noun",
                 ipa="/deɪˈtɑnt/", **fields)


def test_first_running_text_occurrence_is_marked_once():
    body = body_tree('<h2>Detente</h2><p>See <a href="https://example.com">detente</a>.</p>'
                     "<figure><figcaption>detente</figcaption></figure><p>Months of detente. Detente again.</p>")
    ordered = annotate_body(body, [gloss("detente")])
    assert ordered == [Placed(gloss("detente"), "gloss-1", True)]
    (word,) = by_class(body, "gloss-word")
    assert word.get("id") == "gloss-1"
    assert word.getparent().tag == "p" and text(word.getparent()).startswith("Months of detente")
    note = word.getnext()
    assert note.get("class") == "gloss-note" and "the easing of tensions" in text(note)


def test_a_word_only_in_a_link_gets_its_note_after_the_link():
    body = body_tree('<p>See <a href="https://example.com">the detente</a> here.</p>')
    annotate_body(body, [gloss("detente")])
    link = body.find(".//a")
    assert by_class(link, "gloss-word") and not by_class(link, "gloss-note")
    assert link.getnext().get("class") == "gloss-note"
    # The note goes right after the link, the text that followed the link after it.
    assert link.getnext().tail == " here."


def test_two_words_in_one_text_node_and_a_phrase():
    body = body_tree("<p>The working group saw detente and dissonance.</p>")
    phrase = Gloss(word="working group", forms=("working group",), headword="working group", definition="a team")
    ordered = annotate_body(body, [gloss("dissonance"), phrase, gloss("detente")])
    assert [p.gloss.word for p in ordered] == ["working group", "detente", "dissonance"]
    assert [text(w) for w in by_class(body, "gloss-word")] == ["working group", "detente", "dissonance"]
    assert text(body.find("p")).startswith("The working group")


def test_notes_are_rationed_where_glossed_words_crowd():
    words = ["detente", "dissonance", "subservience", "limbo", "rapprochement", "rationale", "liaison",
             "aftermath", "validity", "sanctions"]
    crowded = body_tree("<p>" + " ".join(words) + ".</p>" + "<p>" + "Plain words follow here. " * 60 + "</p>"
                        + "<p>Then the zeugma.</p>")
    ordered = annotate_body(crowded, [gloss(w) for w in [*words, "zeugma"]])
    noted = [p.gloss.word for p in ordered if p.noted]
    daggered = [p.gloss.word for p in ordered if not p.noted]
    # The first notes fit; the rest of the crowd is marked with a dagger and defined after the article.
    assert noted[:2] == words[:2] and daggered and set(daggered) <= set(words)
    assert len(by_class(crowded, "gloss-note")) == len(noted)
    assert [text(m) for m in by_class(crowded, "gloss-mark") if m.tag == "sup"] == [GLOSSARY_ONLY_MARK] * len(daggered)
    # Text between glossed words earns room for notes again.
    assert "zeugma" in noted
    closing = lxml_html.fromstring(closing_glossary(ordered))
    assert len(closing.findall(".//dt")) == len(words) + 1 and by_class(closing, "gloss-hint")


def test_dictionary_text_is_never_read_as_html():
    body = body_tree("<p>Months of detente.</p>")
    hostile = gloss("detente", definition='<img src="https://evil.example/x.png"> easing')
    annotate_body(body, [hostile])
    # Defined in the closing glossary only (no footnote), the definition is printed there.
    closing = closing_glossary([Placed(hostile, "gloss-1", False)])
    assert body.find(".//img") is None and "<img" not in closing and "&lt;img" in closing


def test_closing_glossary_in_the_order_given_with_links_to_the_marks():
    html = closing_glossary([Placed(gloss("limbo")), Placed(gloss("dissonance"), "gloss-1", True),
                             Placed(gloss("detente"), "gloss-2", True)])
    section = lxml_html.fromstring(html)
    assert text(section.find(".//h2")) == "Glossary"
    assert [text(by_class(dt, "gloss-head")[0]) for dt in section.iter("dt")] == ["limbo", "dissonance", "detente"]
    # A word marked in the body links to its mark (print shows that page); a headline word has no page.
    assert [a.get("href") for a in by_class(section, "gloss-page") if a.tag == "a"] == ["#gloss-1", "#gloss-2"]
    assert closing_glossary([]) == ""


def test_gloss_article_is_a_new_value(seed):
    glossed = gloss_article(seed, [gloss("detente")])
    assert glossed is not seed and seed.glossary == () and glossed.glossary[0].word == "detente"
    assert glossed.body_html == seed.body_html
