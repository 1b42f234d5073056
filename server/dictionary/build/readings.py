"""What the look-up derives from the store: the stored readings and the spelling-suggestion index.

In: a store being built or already built (its `entries` and `forms`), opened read-write.
Out: its `readings` (what the look-up answers for each headword, listed form and regular
inflection without context, see `Dictionary.precomputed`), `deletions` and
`expression_words` tables, refilled, and `meta.readings_of`, the fingerprint of the
look-up code that computed them.

This is the one part of the build that runs the run-time look-up. It runs at the end of
`gloss build-dictionary`, and alone with `gloss build-dictionary --readings-only` (a few
tens of seconds) when the look-up changed: the store itself is not rebuilt for that, and
until it runs a server whose look-up differs from the fingerprint answers every
selection the long way (correct, only slower).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from server.dictionary import morphology
from server.dictionary.build.frequency import zipf_of
from server.dictionary.store import SUGGESTION_MIN_ZIPF


def derive(db: sqlite3.Connection, path: Path, freqs: dict[str, float] | None = None) -> int:
    """Refills the derived tables of the store open as `db` at `path`; returns the number of readings."""
    from server.dictionary.lookup import readings_fingerprint
    if freqs is None:
        import wordfreq
        freqs = wordfreq.get_frequency_dict("en", wordlist="best")
    rows = db.execute("SELECT key, word, zipf, pos, id FROM entries ORDER BY id").fetchall()
    form_rows = db.execute("SELECT form, lemma, relation FROM forms ORDER BY form, lemma").fetchall()
    for table in ("readings", "deletions", "expression_words"):
        db.execute(f"DELETE FROM {table}")
    db.execute("DELETE FROM meta WHERE name IN ('readings', 'readings_of')")
    db.commit()
    reading_rows = _readings(path, rows, form_rows)
    entry_ids = {row[0]: row[4] for row in rows}
    db.executemany("INSERT INTO readings VALUES (?, ?, ?, ?)",
                   ((k, entry_ids[headword], head, first_pos) for k, headword, head, first_pos in reading_rows))
    deletion_rows, expression_rows = _suggestion_rows(rows, reading_rows, freqs)
    db.executemany("INSERT INTO deletions VALUES (?, ?)", deletion_rows)
    db.executemany("INSERT INTO expression_words VALUES (?, ?)", expression_rows)
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("readings", str(len(reading_rows))),
                                                       ("readings_of", readings_fingerprint())])
    db.commit()
    return len(reading_rows)


def refresh(path: Path, log=print) -> int:
    """`--readings-only`: the derived tables of the store at `path` recomputed in place."""
    db = sqlite3.connect(path)
    try:
        count = derive(db, path)
    finally:
        db.close()
    log(f"Refreshed {path}: {count} readings")
    return count


def inflected_forms(lemma: str, parts_of_speech: set[str]) -> set[str]:
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
            wanted |= inflected_forms(k, set(pos.split(",")))
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
