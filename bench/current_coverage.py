"""How much of the English in use today the dictionary answers, measured on real word counts.

`bench/current_english.py` checks the supplement against a probe written by the same
hands; this bench does not depend on any list of ours. In: the N most frequent English
words of wordfreq (its data counts web, news, subtitles, books and social text up to about
2021; N = 40,000 unless `--top` says otherwise) and the built store. Each word is looked up
as a reader selecting it would (`Dictionary.define`, no context) and the answer is classed:

- **current**: the entry reached (the word's own, or the lemma it inflects) has a sense of
  Open English WordNet or of the supplement of current English;
- **older only**: only GCIDE's senses (the 1913 dictionary and its additions);
- **parts only**: answered only as a compound or derivation of other words;
- **not found**: no entry, with or without spelling suggestions.

What a dictionary need not have, or the look-up answers by rule, is left out and counted
apart, each told by a signal from data, not by eye:
- tokens `define` refuses as no word (digits, symbols: wordfreq writes digits as 0) and
  single letters;
- contractions and possessives (tokens with an apostrophe), which the look-up reads by rule;
- names: words the en_US spelling dictionary (hunspell, through Enchant) accepts only with
  a capital ("David", "Ohio", "Netflix"); in a sentence the name rules answer them;
- abbreviations it accepts only in capitals ("BBC", "GDP");
- words it does not know in any case ("gonna", "tbh", "colour", a foreign word): counted
  and their misses listed apart, since they mix slang and spellings a reader does meet
  with fragments and foreign words;
- closed-class words (pronoun, preposition, conjunction, determiner, interjection): Open
  English WordNet has none, so GCIDE answers them by design; counted apart.

The headline is over the rest, the words hunspell accepts in lower case. Printed: the
figures per class, then the misses (older only, parts only, not found) most frequent first.

    .venv/bin/python bench/current_coverage.py [--top N] [--show 150] [--store PATH]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from importlib.metadata import version

import enchant
import wordfreq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.dictionary.lookup import Dictionary  # noqa: E402
from server.dictionary.spelling import Speller  # noqa: E402
from server.dictionary.store import Store  # noqa: E402
from server.errors import NotFound, Unprocessable  # noqa: E402
from server.settings import Settings  # noqa: E402

OLDER = "GCIDE"
CLOSED_CLASS = frozenset({"pronoun", "preposition", "conjunction", "determiner", "interjection"})
# By the parts of the word only, not an entry of its own ("written as one word of" is an
# entry: "plugin" is "plug-in").
PARTS = frozenset({"derived from", "compound of"})
OUTCOMES = ("current", "older only", "parts only", "not found, suggestions", "not found")
GROUPS = ("words", "closed class", "names", "abbreviations", "unknown to the speller")


def outcome(dictionary: Dictionary, word: str) -> tuple[str, str]:
    """(outcome, what the reader is shown first, in a few words) for `word` alone."""
    try:
        entry = dictionary.define(word, suggest=False)
    except Unprocessable:
        return "no word", ""
    except NotFound:
        offered = dictionary.suggest(word)  # as the bubble would offer them, hunspell's included
        return ("not found, suggestions", ", ".join(offered[:3])) if offered else ("not found", "")
    found = entry.get("found") or {}
    senses = [(meaning["part_of_speech"], sense) for meaning in entry["meanings"] for sense in meaning["senses"]]
    first = f"{senses[0][0]}: {senses[0][1]['definition'][:70]}" if senses else ""
    if found.get("relation") in PARTS:
        return "parts only", f"{found['relation']} {found['lemma']}"
    if any(sense["source"] != OLDER for _, sense in senses):
        return "current", first
    if {pos for pos, _ in senses} & CLOSED_CLASS:
        return "closed class", first
    return "older only", first


def group(speller: enchant.Dict, word: str) -> str:
    if speller.check(word):
        return "words"
    if speller.check(word[:1].upper() + word[1:]):
        return "names"
    if speller.check(word.upper()):
        return "abbreviations"
    return "unknown to the speller"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=40_000, help="how many of wordfreq's most frequent words")
    parser.add_argument("--show", type=int, default=150, help="how many misses to list per group")
    parser.add_argument("--store", type=Path, default=Settings().dictionary_path)
    args = parser.parse_args()
    dictionary = Dictionary(Store(args.store), Speller())
    speller = enchant.Dict("en_US")
    words = wordfreq.top_n_list("en", args.top)
    left_out: Counter[str] = Counter()
    tally: dict[str, Counter[str]] = {g: Counter() for g in GROUPS}
    misses: dict[str, list[tuple[int, str, str, str]]] = {g: [] for g in GROUPS}
    for rank, word in enumerate(words, 1):
        if len(word) == 1:
            left_out["single letters"] += 1
            continue
        if "'" in word:
            left_out["contractions and possessives"] += 1
            continue
        result, shown = outcome(dictionary, word)
        if result == "no word":
            left_out["no word (digits, symbols)"] += 1
            continue
        kind = group(speller, word)
        if result == "closed class":
            kind, result = "closed class", "older only"
        tally[kind][result] += 1
        if result != "current":
            misses[kind].append((rank, word, result, shown))

    print(f"wordfreq {version('wordfreq')}: the {len(words):,} most frequent English words, looked up alone (Dictionary.define)")
    print("  left out: " + ", ".join(f"{name} {count}" for name, count in left_out.items()))
    print(f"  {'group (en_US hunspell)':<24} {'words':>6}  " + "  ".join(f"{o:>22}" for o in OUTCOMES))
    for kind in GROUPS:
        total = sum(tally[kind].values())
        if total:
            print(f"  {kind:<24} {total:>6}  " + "  ".join(
                f"{tally[kind][o]:>6} ({tally[kind][o] / total:6.1%})".rjust(22) for o in OUTCOMES))
    words_total = sum(tally["words"].values())
    print(f"headline, words hunspell accepts in lower case: current sense {tally['words']['current']}/{words_total} "
          f"({tally['words']['current'] / words_total:.2%}); missed (older only, parts only or not found) "
          f"{words_total - tally['words']['current']}")
    for kind in ("words", "unknown to the speller"):
        print(f"\nmisses among {kind}, most frequent first ({len(misses[kind])}; first {args.show}):")
        for rank, word, result, shown in misses[kind][: args.show]:
            print(f"  {rank:>6} {word:<18} {result:<24} {shown}")


if __name__ == "__main__":
    main()
