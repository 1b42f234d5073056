"""`make bench-reader-pass`: a reader's pass over the English bench articles, over HTTP.

Starts a real `gloss serve` process on 127.0.0.1, splits the English article bodies of
bench/extraction/ground-truth.json into sentences, and selects words as a reader would,
a fixed-seed sample of each kind: rare words (zipf below 3 or not a headword), plurals,
past tenses, words capitalised mid-sentence, hyphenated words and words with an
apostrophe (curly ones as written). Each is asked of `GET /api/define` with its sentence
as `context`, and each answer is checked for what a reader would call broken:

- markup: a definition holding markup or source brackets (`<`, `{`, `\\`, `&name;`, `[`);
- abbreviation: a definition holding a source abbreviation ("Obs.", "Colloq.", "(Zoöl.)");
- cross-reference: a first definition that only says "See X.";
- part of speech: one a reader does not know (not in PARTS_OF_SPEECH);
- no answer: a 404 for a word hunspell accepts (an ordinary word);
- built: a headword reached by derivation or compound for a word hunspell accepts, which
  may be the wrong headword (listed for checking by hand).

Prints the count of each per kind of selection; every flagged answer and a sample of the
rest (headword, how it was found, the first definition) go to bench/results/reader-pass.txt
for checking by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from define import english_bodies, free_port, wait_for  # noqa: E402
from server.dictionary.normalise import key  # noqa: E402
from server.dictionary.spelling import Speller  # noqa: E402
from server.dictionary.store import Store  # noqa: E402

RESULTS = ROOT / "bench" / "results"
SENTENCE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
PARTS_OF_SPEECH = {"noun", "verb", "adjective", "adverb", "pronoun", "preposition", "conjunction",
                   "interjection", "prefix", "suffix", "phrase", "name", "determiner"}
MARKUP = re.compile(r"[<>{}\\]|&[a-z]+;|\[|\]")
ABBREVIATION = re.compile(r"\b(?:Obs|Colloq|Prov|Archaic|Zo[oö]l|Bot|Chem|Med|Naut|Mil|Eccl|Law|Mus|Geol|Min|"
                          r"Arch|Anat|Physiol|Math|Gram|Rhet|Theol|Webster|Shak|Milton|Dryden|Chaucer|"
                          r"Syn|Cf|Fig|Lit|Local|Scot|Eng|Amer|Gr|Heb|Lat|Fr|Ger|It|Sp|Icel|AS|OE)\.")
CROSS_REFERENCE = re.compile(r"^\s*(?:See|Same as|= )\s*[A-Z]?\w+\.?\s*$")
BUILT = {"derived from", "compound of", "written as one word of"}
KINDS = ("rare", "plural", "past", "capitalised", "hyphenated", "apostrophe")


def selections(bodies: list[str], store: Store, per_kind: int, seed: int) -> dict[str, list[tuple[str, str]]]:
    """{kind: [(selection as written, its sentence)]}: every candidate of each kind, then a sample."""
    found: dict[str, list[tuple[str, str]]] = {kind: [] for kind in KINDS}
    for body in bodies:
        for sentence in SENTENCE.split(body):
            sentence = " ".join(sentence.split())
            for index, match in enumerate(WORD.finditer(sentence)):
                word = match.group()
                lower = word == word.lower()
                if "-" in word:
                    found["hyphenated"].append((word, sentence))
                elif "'" in word or "\u2019" in word:
                    found["apostrophe"].append((word, sentence))
                elif word[:1].isupper() and index > 0 and not word.isupper():
                    found["capitalised"].append((word, sentence))
                elif lower and word.endswith("s") and not word.endswith("ss") and len(word) > 3:
                    found["plural"].append((word, sentence))
                elif lower and word.endswith("ed") and len(word) > 4:
                    found["past"].append((word, sentence))
                elif lower and len(word) > 3 and store.zipf(key(word)) < 3.0:
                    found["rare"].append((word, sentence))
    # One generator a kind, so that a change in one kind's candidates leaves the others' samples alone.
    return {kind: random.Random(f"{seed}-{kind}").sample(sorted(set(pairs)), min(per_kind, len(set(pairs))))
            for kind, pairs in found.items()}


def ask(base: str, word: str, sentence: str) -> tuple[int, dict]:
    query = urllib.parse.urlencode({"q": word, "context": sentence})
    try:
        with urllib.request.urlopen(f"{base}/api/define?{query}", timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def problems(status: int, entry: dict, word: str, speller: Speller) -> list[str]:
    ordinary = speller.check(word.replace("\u2019", "'"))
    if status != 200:
        return ["no answer"] if ordinary else []
    found = []
    definitions = [s["definition"] for m in entry["meanings"] for s in m["senses"]]
    if any(MARKUP.search(d) for d in definitions):
        found.append("markup")
    if any(ABBREVIATION.search(d) for d in definitions):
        found.append("abbreviation")
    if definitions and CROSS_REFERENCE.match(definitions[0]):
        found.append("cross-reference")
    if any(m["part_of_speech"] not in PARTS_OF_SPEECH for m in entry["meanings"]):
        found.append("part of speech")
    if ordinary and (entry.get("found") or {}).get("relation") in BUILT:
        found.append("built")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "dictionary.sqlite")
    parser.add_argument("--per-kind", type=int, default=150)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    speller = Speller()
    store = Store(args.store)
    chosen = selections(english_bodies(speller), store, args.per_kind, args.seed)
    port = free_port()
    env = {**os.environ, "GLOSS_PORT": str(port), "GLOSS_HOST": "127.0.0.1", "GLOSS_DICTIONARY_PATH": str(args.store)}
    server = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz")
        for kind, pairs in chosen.items():
            counts: Counter[str] = Counter()
            for word, sentence in pairs:
                status, entry = ask(base, word, sentence)
                flags = problems(status, entry, word, speller)
                counts.update(flags)
                first = entry["meanings"][0] if status == 200 else None
                summary = (f"{entry['word']}\t{(entry.get('found') or {}).get('relation', '')}\t"
                           f"{first['part_of_speech']}: {first['senses'][0]['definition'][:100]}"
                           if first else f"{status} {entry.get('title', '')}")
                lines.append(f"{kind}\t{','.join(flags) or '-'}\t{word}\t{summary}\t{sentence[:200]}")
            print(f"reader pass: {kind}: {len(pairs)} selections; " +
                  (", ".join(f"{flag} {n}" for flag, n in sorted(counts.items())) or "nothing flagged"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reader-pass.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
