"""`make bench-define-reader`: the step before sense ranking, as a reader meets it.

Which headword, which part of speech, whether the selection is a name or part of an
expression: measured against gold that Gloss never tuned on.

- headword: SemEval-2007 (bench/wsd), every instance selected as written with its
  sentence as context: is the headword answered the gold lemma, and the first meaning's
  part of speech the gold one?
- masc: the held-out sentences of MASC (every tenth, which the tagger never trains on,
  see build/tagger.py). MASC carries no lemmas, so its Penn tag is the gold: for every
  open-class token (NN NNS VB* JJ* RB*) selected in its sentence, is the first meaning's
  part of speech the tag's, and is the headword the token itself for a base tag (NN, VB,
  VBP, JJ, RB) or a lemma the token inflects in the tag's way for an inflected one (NNS
  "plural of", VBD/VBN a past form, VBG "present participle of", VBZ "third-person
  singular of", JJR/JJS, RBR/RBS)?
- names: MASC's NNP/NNPS tags as the gold of "a name here": recall (a proper noun
  answered as a name, or by a sense the dictionary writes with a capital) and precision
  (of the capitalised tokens answered as a name, how many MASC tags a proper noun), and
  the capitalised common words at the start of a sentence answered as a name.
- modals: MASC's MD tokens ("could", "might") answered first as a verb.
- expressions: how often an expression is answered for a MASC token, written to
  bench/results/reader-expressions.txt for checking by hand.
- repeated words: the MASC figures of the tokens whose word occurs more than once in its
  sentence, where the selection's offset (which every MASC selection is sent with, as the
  extension sends it) says which occurrence is read. `--no-offset` measures as a client
  that sends none.

Every loss goes to bench/results/reader-*.txt. `--every N` measures every Nth token only.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.dictionary.build.tagger import HELD_OUT_EVERY, MASC, sentences  # noqa: E402
from server.dictionary.lookup import Dictionary  # noqa: E402
from server.dictionary.normalise import key  # noqa: E402
from server.dictionary.store import Store  # noqa: E402
from server.errors import GlossError  # noqa: E402

import wsd_sets  # noqa: E402

RESULTS = ROOT / "bench" / "results"
WORD = re.compile(r"^[A-Za-z]+(?:[-'][A-Za-z]+)*$")
TAG_POS = {"NN": "noun", "NNS": "noun", "VB": "verb", "VBP": "verb", "VBD": "verb", "VBN": "verb", "VBG": "verb",
           "VBZ": "verb", "JJ": "adjective", "JJR": "adjective", "JJS": "adjective", "RB": "adverb",
           "RBR": "adverb", "RBS": "adverb"}
PARTICIPLE = {"past participle of", "past tense of", "past tense or past participle of",
              "past tense and past participle of", "present participle of"}
BASE_TAGS = {"NN", "VB", "VBP", "JJ", "RB"}
# The relations of `found` that an inflected tag allows.
INFLECTED = {"NNS": {"plural of"},
             "VBD": {"past tense of", "past tense or past participle of", "past tense and past participle of"},
             "VBN": {"past participle of", "past tense or past participle of", "past tense and past participle of"},
             "VBG": {"present participle of"}, "VBZ": {"third-person singular of"},
             "JJR": {"comparative of"}, "JJS": {"superlative of"}, "RBR": {"comparative of"},
             "RBS": {"superlative of"}}


def held_out_sentences() -> list[list[tuple[str, str]]]:
    """MASC's held-out sentences with their Penn tags (the same sentences build/tagger.py holds out)."""
    return sentences(MASC, tag_of=str)[::HELD_OUT_EVERY]


def answer(dictionary: Dictionary, selection: str, context: str, offset: int | None = None) -> dict | None:
    try:
        return dictionary.define(selection, context, suggest=False, offset=offset)
    except GlossError:
        return None


def token_offsets(tokens: list[str]) -> list[int]:
    """Where each token starts in `wsd_sets.detokenize(tokens)`."""
    offsets = []
    for i in range(len(tokens)):
        through = wsd_sets.detokenize(tokens[:i + 1])
        offsets.append(len(through) - len(wsd_sets.detokenize(tokens[i:i + 1])))
    return offsets


def first_pos(entry: dict | None) -> str | None:
    return entry["meanings"][0]["part_of_speech"] if entry and entry["meanings"] else None


def headword_measure(dictionary: Dictionary, lines: list[str]) -> None:
    cases = wsd_sets.semeval2007()
    lemma_ok = pos_ok = both = 0
    for case in cases:
        entry = answer(dictionary, case.selection, case.sentence)
        gold = key(case.lemma.replace("_", " "))
        got = key(entry["word"]) if entry else None
        pos = first_pos(entry)
        lemma_ok += got == gold
        pos_ok += pos == case.part_of_speech
        both += got == gold and pos == case.part_of_speech
        if got != gold or pos != case.part_of_speech:
            lines.append(f"semeval\t{case.selection}\t{gold}/{case.part_of_speech}\tgot {got}/{pos}"
                         f"\t{(entry or {}).get('found')}\t{case.sentence}")
    n = len(cases)
    print(f"headword: SemEval-2007: headword = gold lemma {lemma_ok}/{n} = {lemma_ok / n:.3f}; first part of "
          f"speech = gold {pos_ok}/{n} = {pos_ok / n:.3f}; both {both}/{n} = {both / n:.3f}")


def judge(dictionary: Dictionary, word: str, tag: str, got: str | None, pos: str | None,
          relation: str | None) -> tuple[bool, bool]:
    """(headword right, part of speech right) for a MASC token tagged `tag`. Lemmas the tag
    alone cannot tell are given the benefit of the doubt: a plural or comparative that is
    a headword of its own ("people", "more"), a past form written as its verb ("put"), a
    present form of "be" ("are"); and a participle tagged an adjective that the dictionary
    has only as a verb's form ("illuminated") is right as that verb's form."""
    k = key(word)
    pos_right = pos == TAG_POS[tag]
    if tag in BASE_TAGS:
        lemma_right = got == k or relation in ("present plural of", "first-person singular of")
    else:
        lemma_right = (got != k and relation in INFLECTED[tag]) or (got == k and pos_right)
    if tag == "JJ" and got != k and relation in PARTICIPLE and pos == "verb" and \
            "adjective" not in dictionary.store.parts_of_speech(k):
        lemma_right = pos_right = True
    return lemma_right, pos_right


def masc_measure(dictionary: Dictionary, every: int, lines: list[str], names: list[str],
                 expressions: list[str], send_offset: bool = True) -> None:
    counts: Counter[str] = Counter()
    seen = 0
    for sentence in held_out_sentences():
        context = wsd_sets.detokenize([w for w, _ in sentence])
        offsets = token_offsets([w for w, _ in sentence]) if send_offset else [None] * len(sentence)
        occurrences = Counter(key(w) for w, _ in sentence)
        for i, (word, tag) in enumerate(sentence):
            offset = offsets[i]
            if tag == "MD" and word.isalpha():
                counts["modal"] += 1  # a modal verb ("could", "might") answered as a verb
                counts["modal as verb"] += first_pos(answer(dictionary, word, context, offset)) == "verb"
                continue
            if not WORD.match(word) or len(word) < 2 or (tag not in TAG_POS and tag not in ("NNP", "NNPS")):
                continue
            if word.lower() == "n't" or i + 1 < len(sentence) and sentence[i + 1][0].lower() in ("'t", "n't", "t"):
                continue  # "didn" of "didn 't": not what a reader selects
            opens = i == 0 or sentence[i - 1][0] in ("``", '"', ":", "-LRB-", "--") or \
                all(not w[:1].isalpha() for w, _ in sentence[:i])
            capitalised = word[:1].isupper() and not word.isupper()
            if tag in TAG_POS and not capitalised and word.lower() != word:
                continue  # all capitals ("NASA", "OK"): neither a common word nor a name as read
            seen += 1
            if seen % every:
                continue
            entry = answer(dictionary, word, context, offset)
            pos = first_pos(entry)
            repeated = occurrences[key(word)] > 1
            found = (entry or {}).get("found") or {}
            if found.get("relation") == "part of the expression":
                expressions.append(f"{word}\t{entry['word']}\t{tag}\t{context}")
            if tag in ("NNP", "NNPS"):
                if not capitalised:
                    continue
                counts["proper"] += 1
                as_name = pos == "name"
                written = entry is not None and entry["word"][:1].isupper()
                counts["proper as name"] += as_name
                counts["repeated proper"] += repeated
                counts["repeated proper as name"] += as_name and repeated
                counts["proper as name or capitalised sense"] += as_name or written
                if not (as_name or written):
                    names.append(f"missed\t{word}\t{tag}\tgot {entry and entry['word']}/{pos}\t{context}")
                continue
            if capitalised:
                counts["common capitalised"] += 1
                counts["common capitalised opening"] += opens
                if pos == "name":
                    counts["common capitalised as name"] += 1
                    counts["common capitalised opening as name"] += opens
                    names.append(f"wrong\t{word}\t{tag}\t{'opening' if opens else 'inside'}\t{context}")
            got = key(entry["word"]) if entry else None
            relation = found.get("relation")
            if relation == "part of the expression":
                counts["expression"] += 1  # judged apart (reader-expressions.txt)
                counts["repeated expression"] += repeated
                continue
            counts["open"] += 1
            lemma_right, pos_right = judge(dictionary, word, tag, got, pos, relation)
            counts["lemma"] += lemma_right
            counts["pos"] += pos_right
            counts["both"] += lemma_right and pos_right
            if repeated:
                counts["repeated open"] += 1
                counts["repeated both"] += lemma_right and pos_right
            counts["answered"] += entry is not None
            if not (lemma_right and pos_right):
                lines.append(f"masc\t{word}\t{tag}\tgot {got}/{pos}\t{relation}\t{context}")
    n = counts["open"]
    print(f"masc: held-out MASC, {n} open-class tokens (every {every}) not answered as an expression "
          f"({counts['expression']} were): answered {counts['answered']}; headword "
          f"right {counts['lemma']} = {counts['lemma'] / n:.3f}; part of speech right {counts['pos']} = "
          f"{counts['pos'] / n:.3f}; both {counts['both']} = {counts['both'] / n:.3f}")
    print(f"repeated words ({'with' if send_offset else 'without'} the offset): {counts['repeated open']} "
          f"open-class tokens whose word recurs in its sentence, headword and part of speech right "
          f"{counts['repeated both']} = {counts['repeated both'] / max(counts['repeated open'], 1):.3f}, "
          f"{counts['repeated expression']} answered as an expression; capitalised NNP/NNPS among them "
          f"answered as a name {counts['repeated proper as name']}/{counts['repeated proper']}")
    print(f"modals: {counts['modal as verb']}/{counts['modal']} = {counts['modal as verb'] / counts['modal']:.3f} "
          f"of MASC's MD tokens answered first as a verb")
    proper, as_name = counts["proper"], counts["proper as name"]
    answered_name = as_name + counts["common capitalised as name"]
    print(f"names: recall {as_name}/{proper} = {as_name / proper:.3f} of capitalised NNP/NNPS answered as a name "
          f"({counts['proper as name or capitalised sense'] / proper:.3f} counting a sense written with a "
          f"capital); precision {as_name}/{answered_name} = {as_name / max(answered_name, 1):.3f} of the "
          f"capitalised tokens answered as a name; capitalised common words answered as a name: "
          f"{counts['common capitalised as name']}/{counts['common capitalised']}, at a sentence's start "
          f"{counts['common capitalised opening as name']}/{counts['common capitalised opening']}")
    print(f"expressions: {len(expressions)} MASC tokens answered as part of an expression "
          f"(bench/results/reader-expressions.txt)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "dictionary.sqlite")
    parser.add_argument("--every", type=int, default=3, help="measure every Nth MASC token")
    parser.add_argument("--only", choices=("headword", "masc"), default=None)
    parser.add_argument("--no-offset", action="store_true", help="send MASC selections without their offset")
    args = parser.parse_args()
    dictionary = Dictionary(Store(args.store))
    lines: list[str] = []
    names: list[str] = []
    expressions: list[str] = []
    if args.only in (None, "headword"):
        headword_measure(dictionary, lines)
    if args.only in (None, "masc"):
        masc_measure(dictionary, args.every, lines, names, expressions, not args.no_offset)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reader-losses.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / "reader-names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    (RESULTS / "reader-expressions.txt").write_text("\n".join(expressions) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
