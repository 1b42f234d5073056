"""Rank senses by how well they fit the sentence a word was selected from.

In: an entry's meanings (as stored), the signatures of its senses ({sense id: "stem
stem ..."}, built from each sense's definition, examples, synonyms and WordNet
neighbours), the selected word and its sentence. Out: the same meanings, reordered so
that the best-fitting sense comes first in the first meaning, each meaning's senses in
order of fit, and meanings in order of their best sense.

The score is a simplified Lesk overlap: each context word shared with a sense's
signature counts by its rarity (common words say little), against a prior: the sense's
place in WordNet's order and how often WordNet 3.0's tagged corpus used it. Beside the
overlap, one collocation: when the word the selection is followed by in its sentence
also follows the headword in one of a sense's examples ("an attraction for", "wrestle
with", "begin a"), that sense gains COLLOCATION, shared among the senses it fits (one
sense per collocation; the examples are the only sense-annotated text the store has). The meaning of the part of speech the
tagger gives the word comes first. All of it is a handful of set look-ups per sense and
a scan of the entry's examples, so ranking stays well under a millisecond for any entry.
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterable

from server.dictionary.signatures import signature_words, stem  # noqa: F401 (used by the look-up)

# Which part of speech the words around the selection point to (no tagger: a handful
# of reliable cues, each with a strength).
DETERMINERS = frozenset("a an the this that these those its his her their our my your some any every each no "
                        "another either neither which whose".split())
VERB_BEFORE = frozenset("to will would can could may might must shall should does did do not never n't "
                        "they we i you he she who".split())
SUBJECT_BEFORE = frozenset("they we i you he she who it".split())
OBJECT_AFTER = frozenset("the a an his her their its our my your all this these those them him us me "
                         "myself yourself himself herself itself ourselves yourselves themselves".split())
AUXILIARY_BEFORE = frozenset("is are was were be been being has have had".split())
STRONG, MEDIUM, WEAK = 3.0, 1.5, 0.75
PREPOSITIONS_AFTER_NOUN = frozenset("of for in with on at from during about between against since".split())
# Words that end a noun phrase rather than modify what follows.
NOT_MODIFIERS = VERB_BEFORE | AUXILIARY_BEFORE | PREPOSITIONS_AFTER_NOUN | frozenset("and or but that".split())
OVERLAP_CAP = 8.0
OVERLAP_SCALE = 4.0
PRIOR_WEIGHT = 0.5
# The prior of a sense, in units of overlap: what each later place in WordNet's order
# costs it, what each step of log(1 + its WordNet 3.0 tag count) gives it, and what being
# a GCIDE sense costs. Chosen on bench/wsd (SemEval-2007) among 20 pairs, checked on
# tests/data/senses.json: SemEval 0.547 and senses.json 0.507, where WordNet's first sense
# scores 0.549 and 0.466.
RANK_COST = 1.0
COUNT_WEIGHT = 0.25
OLDER_COST = 1.0
PREFERRED = 1000.0
# What the senses gain when the word after the selection follows the headword in one of
# their examples, in units of overlap, shared among the senses of a meaning that it fits
# (a collocation several senses show says less about each: "refer to" is in the examples
# of three senses of "refer", not the first's). Calibrated on bench/wsd, SemEval-2007 (1,
# 1.5, 2, 2.5, 3 give 253, 255, 255, 255, 259 of 455 right, where 250 without it), checked
# on tests/data/senses.json (40, 39, 39, 39, 39 of 73, where 38 without it) and on 90
# common word-and-preposition pairs in one sentence ("the group depends on the plan"): 1.5
# changes two of them, both for the better ("agreed to", "hopes to"); 2 also makes
# "depends on" "have faith in", and 3 changes eight, three for the worse ("respond to",
# "issue of"). Not shared (the whole bonus to every sense it fits), matching the word
# before as well, or only content words, or only prepositions did worse on one set or
# the other.
COLLOCATION = 1.5
# A conjunction after the word begins the next conjunct: it is no collocate of the word.
NOT_COLLOCATES = frozenset(("and", "or", "but", "nor"))
TOKEN = re.compile(r"[a-z][a-z'-]*|\d+")


def pos_hint(before: str | None, form_relation: str | None, after: str | None = None,
             before2: str | None = None, before3: str | None = None) -> tuple[str, float] | None:
    """(part of speech, strength) that the form and its neighbours suggest, or None."""
    if form_relation:
        if "participle" in form_relation or "past tense" in form_relation or "third-person" in form_relation:
            return "verb", MEDIUM
        if "plural" in form_relation:
            return "noun", STRONG
        if "comparative" in form_relation or "superlative" in form_relation:
            return "adjective", MEDIUM
    if before in DETERMINERS:
        return "noun", STRONG
    if before in VERB_BEFORE or before in SUBJECT_BEFORE:
        return "verb", STRONG if before != "to" else MEDIUM
    if before and (before.endswith("'s") or before.endswith("s'")):
        return "noun", STRONG  # "the Union's top court" has "top" before; "Epstein's ring"
    if before2 in DETERMINERS and before not in AUXILIARY_BEFORE and before not in VERB_BEFORE:
        return "noun", MEDIUM  # "a clear plan", "the latest round"
    if before2 and (before2.endswith("'s") or before3 in DETERMINERS) and before not in NOT_MODIFIERS \
            and before2 not in NOT_MODIFIERS:
        return "noun", MEDIUM  # "an ever faster pace", "the Union's top court"
    if after in OBJECT_AFTER:
        return "verb", MEDIUM  # "sign the terms", "release all of"
    if after and after.endswith("s") and not after.endswith("ss") and before not in AUXILIARY_BEFORE:
        return "adjective", MEDIUM  # "key insights": before a plural noun, a modifier
    if after in PREPOSITIONS_AFTER_NOUN:
        return "noun", MEDIUM  # "the hold on", "a case of"
    if after is None:
        return "noun", WEAK  # a sentence ending on the word ends, mostly, on a noun
    return None


def follower(context: str, selection: str) -> str | None:
    """The stem of the word that follows `selection` (one word) in `context`, or None."""
    tokens = TOKEN.findall(context.lower())
    selected = selection.lower()
    for index, token in enumerate(tokens[:-1]):
        if token == selected:
            following = tokens[index + 1]
            return None if following in NOT_COLLOCATES else stem(following)
    return None


def followed_by(examples: Iterable[str], forms: set[str], word: str) -> bool:
    """Whether, in one of `examples`, a form of the headword (`forms`: its spellings and
    stem) is followed by a word whose stem is `word`."""
    for example in examples:
        example = example.lower()
        if word not in example or not any(form in example for form in forms):
            continue  # a stem is part of its word: neither is there (most examples), no need to read it
        tokens = TOKEN.findall(example)
        for index, token in enumerate(tokens[:-1]):
            if (token in forms or stem(token) in forms) and stem(tokens[index + 1]) == word:
                return True
    return False


def rank(meanings: list[dict[str, Any]], signatures: dict[str, list], context_words: list[str],
         weights: dict[str, float], hint: tuple[str, float] | None,
         preferred: set[str] = frozenset(), collocation: tuple[set[str], str] | None = None) -> list[dict[str, Any]]:
    """Meanings reordered by fit to the context (see the module docstring); input is not changed.

    The meaning of the part of speech the sentence gives the word comes first, the others
    keep their order. Within a meaning WordNet's order is the prior: a sense moves up only
    when its overlap with the sentence, and the collocation (`collocation`: the headword's
    forms and the stem of the word after the selection), beat the senses before it by
    RANK_COST a place. A `preferred` sense (one the expression around the word shares)
    comes first of all."""
    context = set(context_words)
    part_of_speech = hint[0] if hint else None
    ranked = []
    for m_index, meaning in enumerate(meanings):
        scored = []
        matched = [bool(collocation) and followed_by(sense.get("examples") or (), *collocation)
                   for sense in meaning["senses"]]
        share = COLLOCATION / sum(matched) if any(matched) else 0.0
        for s_index, sense in enumerate(meaning["senses"]):
            count = signatures.get(sense.get("id", ""), (0, ""))[0]
            score = (_overlap(sense, signatures, context, weights) - s_index * RANK_COST
                     + math.log1p(count) * COUNT_WEIGHT)
            if matched[s_index]:
                score += share
            if sense.get("older"):
                score -= OLDER_COST
            if sense.get("id") in preferred:
                score += PREFERRED
            scored.append((score, -s_index, sense))
        scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
        ranked.append((scored[0][2].get("id") not in preferred if scored else True,
                       meaning["part_of_speech"] != part_of_speech, m_index,
                       {**meaning, "senses": [s for _, _, s in scored]}))
    ranked.sort(key=lambda t: t[:3])
    return [m for *_, m in ranked]


def _overlap(sense: dict[str, Any], signatures: dict[str, list], context: set[str],
             weights: dict[str, float]) -> float:
    _, words = signatures.get(sense.get("id", ""), (0, ""))
    return sum(min(weights.get(w, 1.0), OVERLAP_CAP) for w in context & set(words.split())) / OVERLAP_SCALE


def best_fit(meanings: list[dict[str, Any]], signatures: dict[str, list], context_words: list[str],
             weights: dict[str, float], hint: tuple[str, float] | None, part_of_speech: str | None) -> float:
    """The score of the best-fitting sense among the meanings of `part_of_speech` (all
    when None): how well one entry fits the sentence, to choose between entries."""
    context = set(context_words)
    return max((_score(sense, s_index, meaning, signatures, context, weights, hint)
                for meaning in meanings if part_of_speech in (None, meaning["part_of_speech"])
                for s_index, sense in enumerate(meaning["senses"])), default=float("-inf"))


def _score(sense: dict[str, Any], s_index: int, meaning: dict[str, Any], signatures: dict[str, list],
           context: set[str], weights: dict[str, float], hint: tuple[str, float] | None) -> float:
    count, words = signatures.get(sense.get("id", ""), (0, ""))
    # Rare shared words say most, but one shared word must not outweigh everything.
    overlap = sum(min(weights.get(w, 1.0), OVERLAP_CAP) for w in context & set(words.split())) / OVERLAP_SCALE
    prior = math.log1p(count) * PRIOR_WEIGHT - s_index * 0.05
    if sense.get("older"):
        prior -= 1.0
    if hint and meaning["part_of_speech"] == hint[0]:
        prior += hint[1]
    return overlap + prior
