"""How much of today's English the dictionary answers: the probe list in, figures out.

In: bench/current_english/probe.tsv (200-odd terms of news English since 2010, each with
a pattern its meant sense matches; how the list was drawn up is said at its top) and the
built store. Each term is looked up as a reader would select it (`Dictionary.define`,
no context). Out (printed): how many terms have the meant sense anywhere in the entry
("covered") and as the first sense listed ("first"), over all senses and over Open
English WordNet's senses alone, by kind and by domain, and the terms still missed.

The supplement of current English and this probe list were written by the same hands,
so the figure is a check that the supplement is built in and reachable, not an
independent measure of how much of today's English it covers.

    .venv/bin/python bench/current_english.py [--store PATH]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.dictionary.lookup import Dictionary  # noqa: E402
from server.dictionary.store import Store  # noqa: E402
from server.errors import GlossError  # noqa: E402
from server.settings import Settings  # noqa: E402

PROBE = ROOT / "bench" / "current_english" / "probe.tsv"
WORDNET = "Open English WordNet"


def probe(path: Path = PROBE) -> list[tuple[str, str, str, re.Pattern]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, kind, domain, pattern = line.split("\t")
            rows.append((term, kind, domain, re.compile(pattern, re.IGNORECASE)))
    return rows


def senses_of(dictionary: Dictionary, term: str) -> list[dict]:
    try:
        entry = dictionary.define(term, suggest=False)
    except GlossError:
        return []
    return [sense for meaning in entry["meanings"] for sense in meaning["senses"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Settings().dictionary_path)
    args = parser.parse_args()
    dictionary = Dictionary(Store(args.store))
    rows = probe()
    tally: Counter[str] = Counter()
    missed = []
    for term, kind, domain, pattern in rows:
        senses = senses_of(dictionary, term)
        meant = [bool(pattern.search(s["definition"])) for s in senses]
        wordnet = [m for m, s in zip(meant, senses) if s["source"] == WORDNET]
        for name, hit in (("covered", any(meant)), ("first", bool(meant) and meant[0]),
                          ("wordnet covered", any(wordnet)), ("wordnet first", bool(wordnet) and wordnet[0])):
            if hit:
                tally[name] += 1
                tally[f"{name} {kind}"] += 1
                tally[f"{name} {domain}"] += 1
        tally[kind] += 1
        tally[domain] += 1
        if not any(meant):
            missed.append(term)
    total = len(rows)
    print(f"probe: {total} terms of news English since 2010 ({PROBE.relative_to(ROOT)})")
    print(f"  meant sense in the entry:   {tally['covered']}/{total} ({tally['covered'] / total:.1%}); "
          f"Open English WordNet's senses alone {tally['wordnet covered']}/{total}")
    print(f"  meant sense listed first:   {tally['first']}/{total} ({tally['first'] / total:.1%}); "
          f"Open English WordNet's order alone {tally['wordnet first']}/{total}")
    for group in ("word", "sense", "idiom", "technology", "internet", "politics", "health", "economy", "culture"):
        if tally[group]:
            print(f"  {group:<11} covered {tally[f'covered {group}']:>3}/{tally[group]:<3} "
                  f"first {tally[f'first {group}']:>3}/{tally[group]}")
    print("  missed: " + (", ".join(missed) or "none"))


if __name__ == "__main__":
    main()
