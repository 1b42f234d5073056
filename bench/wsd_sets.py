"""The sense-choice sets `make bench-define` scores, read as a user would meet them.

In: bench/wsd/semeval2007.data.xml and .gold.key.txt (see bench/wsd/README.md), and
tests/data/senses.json. Out: `Case`s: the selection as written, its sentence as one
string (the tokens joined back into text), the gold sense keys, and the gold lemma and
part of speech (used only for WordNet's first-sense baseline, which is given them).

`score(cases, first_key, baseline_key)` counts how often the first sense listed, and
WordNet's first sense of the gold lemma and part of speech, carry a gold sense key.
`wordnet_first_sense(case)` is that baseline: the first of OEWN's own senses of the gold
lemma and part of speech, read from OEWN's sources (the store may order them otherwise:
the current-English supplement, the prior for senses never tagged).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SEMEVAL_DATA = ROOT / "bench" / "wsd" / "semeval2007.data.xml"
SEMEVAL_GOLD = ROOT / "bench" / "wsd" / "semeval2007.gold.key.txt"
SENSES = ROOT / "tests" / "data" / "senses.json"
UPOS = {"NOUN": "noun", "VERB": "verb", "ADJ": "adjective", "ADV": "adverb"}
# Tokens written against the word before them ("years ,", "do n't", "Harris 's").
NO_SPACE_BEFORE = re.compile(r"^(?:[.,;:!?%)\]}]|'s|'re|'ve|'ll|'d|'m|n't|'|'')$", re.IGNORECASE)
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


@dataclass(frozen=True)
class Case:
    selection: str
    sentence: str
    gold: frozenset[str]
    lemma: str | None = None
    part_of_speech: str | None = None


def detokenize(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        token = {"``": '"', "''": '"', "-LRB-": "(", "-RRB-": ")"}.get(token, token)
        if text and not NO_SPACE_BEFORE.match(token) and not text.endswith(tuple(NO_SPACE_AFTER)):
            text += " "
        text += token
    return text


def semeval2007() -> list[Case]:
    gold = {}
    for line in SEMEVAL_GOLD.read_text(encoding="utf-8").splitlines():
        instance, *keys = line.split()
        gold[instance] = frozenset(keys)
    cases = []
    for sentence in ElementTree.parse(SEMEVAL_DATA).getroot().iter("sentence"):
        tokens = list(sentence)
        text = detokenize([t.text or "" for t in tokens])
        for token in tokens:
            if token.tag == "instance":
                cases.append(Case(token.text or "", text, gold[token.get("id")],
                                  token.get("lemma"), UPOS.get(token.get("pos", ""))))
    return cases


def our_sentences() -> list[Case]:
    """tests/data/senses.json: the word as a reader selects it, the senses that fit as sense keys."""
    return [Case(item["word"], item["sentence"], frozenset(item["sense_keys"]), item.get("lemma"),
                 item.get("part_of_speech"))
            for item in json.loads(SENSES.read_text(encoding="utf-8"))]


@cache
def _wordnet_order() -> dict[tuple[str, str], list[str]]:
    from server.dictionary.build import oewn
    return oewn.sense_order()


def wordnet_first_sense(case: Case) -> str | None:
    """WordNet's first sense of the gold lemma in the gold part of speech (both given)."""
    senses = _wordnet_order().get(((case.lemma or "").replace("_", " ").lower(), case.part_of_speech or ""))
    return senses[0] if senses else None


def score(cases: list[Case], first_key: Callable[[Case], str | None]) -> int:
    return sum(first_key(case) in case.gold for case in cases)
