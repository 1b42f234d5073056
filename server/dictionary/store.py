"""The dictionary store: one SQLite file, opened read-only, queried by key.

In: the path `gloss build-dictionary` wrote. Out: `Store`, whose methods answer one
indexed query each: `entry(key)` (the stored entry: word, pronunciations, zipf,
meanings with senses, etymology), `forms(key)` (what a form is an inflection of),
`signatures(key)` and `weights(stems)` (for context ranking), `has(keys)`,
`complete(prefix)`, and for spelling suggestions `readable(keys)`, `under_deletions(strings)`
and `expressions_with(word)`. Tables, all keyed by `normalise.key`:

- entries(id, key, word, zipf, pos,     one row per headword; pos lists its parts of speech;
          answer, sources)              answer is the JSON object of the API's entry from
                                        "pronunciations" to "etymology" (frequency order, no
                                        context); sources is a bit mask over SOURCES. A rowid
                                        table (key has its own index): answers run to a few
                                        KB, which a WITHOUT ROWID table keyed by text spills
                                        into overflow pages of a seven-level tree
- forms(form, lemma, relation)          "allies" -> "ally", "plural of"
- signatures(key, data JSON)            {sense id: [tagged count, "stem stem ..."]}
- capitalised(key, senses)              the ids of the senses written with a capital ("Allies",
                                        "Monday", GCIDE's proper nouns), space-separated: what
                                        a word capitalised mid-sentence may mean as a name
- weights(stem, weight)                 inverse document frequency over all senses
- readings(key, entry, head, first_pos) what the look-up of the selection `key` without
                                        context answers, computed at build time by
                                        `Dictionary.precomputed`: entry is the id of the
                                        headword's row, head the JSON text between "query"
                                        and the stored answer; first_pos the part of speech
                                        put first ("leaves": noun)
- deletions(deletion, key)              each common single word or form (SUGGESTION_MIN_ZIPF,
                                        letters only) under itself and under each spelling
                                        with one letter deleted: the index of the two-edit
                                        spelling search (`suggestions`)
- expression_words(word, key)           each word of each expression: "quo" -> "status quo"
- tagger(feature, weights)              the part-of-speech tagger's weights (see `tagging`),
                                        one 32-bit float per class, packed (`pack_weights`:
                                        read back ten times faster than text)
- usual_class(word, class)              the tagger's lexicon: a word's most frequent class
- word_classes(key, pos, irregular)     each Open English WordNet lemma's parts of speech and
                                        the lemmas an irregular form is of ("lemma|relation;..."):
                                        the tagger's dictionary features (`tagging.WordClasses`)
- meta(name, value)                     store version, sources and licences
"""

from __future__ import annotations

import json
import sqlite3
import threading
from array import array
from pathlib import Path
from typing import Any, Iterable, Iterator

from server.errors import GlossError

STORE_VERSION = 11  # 11: the tagger has a class for plural nouns (its weights are one longer)
# Zipf thresholds of the frequency bands (wordfreq: Zipf 6 is once per thousand words,
# 3 once per million): >= 5 very common, >= 4 common, >= 3 uncommon, >= 2 rare, below
# (or absent from wordfreq) very rare.
BANDS = [(5.0, "very common"), (4.0, "common"), (3.0, "uncommon"), (2.0, "rare"), (float("-inf"), "very rare")]


CACHE_MB = 64
# The `deletions` index holds the words and forms at least this frequent (Zipf 1 is once
# per 100 million words): rarer ones would crowd out the word the reader meant.
SUGGESTION_MIN_ZIPF = 1.0
# SQLite allows 32,766 parameters to a statement; lists of candidates are cut well below it.
MAX_QUERY_KEYS = 900


def pack_weights(weights: list[float]) -> bytes:
    return array("f", weights).tobytes()


def band(zipf: float) -> str:
    return next(name for floor, name in BANDS if zipf >= floor)

SCHEMA = """
CREATE TABLE entries (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, word TEXT NOT NULL, zipf REAL NOT NULL,
                      pos TEXT NOT NULL, answer TEXT NOT NULL, sources INTEGER NOT NULL);
CREATE TABLE forms (form TEXT NOT NULL, lemma TEXT NOT NULL, relation TEXT NOT NULL, PRIMARY KEY (form, lemma)) WITHOUT ROWID;
CREATE TABLE signatures (key TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE capitalised (key TEXT PRIMARY KEY, senses TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE weights (stem TEXT PRIMARY KEY, weight REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE readings (key TEXT PRIMARY KEY, entry INTEGER NOT NULL, head TEXT NOT NULL, first_pos TEXT)
                       WITHOUT ROWID;
CREATE TABLE deletions (deletion TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (deletion, key)) WITHOUT ROWID;
CREATE TABLE expression_words (word TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (word, key)) WITHOUT ROWID;
CREATE TABLE tagger (feature TEXT PRIMARY KEY, weights BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE usual_class (word TEXT PRIMARY KEY, class TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE word_classes (key TEXT PRIMARY KEY, pos TEXT NOT NULL, irregular TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""
SOURCES = [
    {"name": "Open English WordNet", "license": "CC BY 4.0, Open English WordNet team; derived from "
     "Princeton WordNet 3.0 under the WordNet licence (BSD-style), Princeton University",
     "url": "https://en-word.net/"},
    {"name": "GCIDE", "license": "GNU General Public License v3 or later",
     "url": "https://gcide.gnu.org.ua/"},
    {"name": "CMU Pronouncing Dictionary", "license": "BSD 2-Clause, Carnegie Mellon University",
     "url": "http://www.speech.cs.cmu.edu/cgi-bin/cmudict"},
    {"name": "wordfreq", "license": "Apache 2.0 (code), CC BY-SA 4.0 (data)",
     "url": "https://github.com/rspeer/wordfreq"},
    # Listed last so that the bits of the sources above keep their places.
    {"name": "Gloss current English", "license": "MIT, the Gloss authors (written for Gloss: "
     "server/dictionary/build/current_english)", "url": ""},
]
# The sources of current English: an expression from one of them is meant as written
# (GCIDE's phrases are older usage).
CURRENT_SOURCES = {"Open English WordNet", "Gloss current English"}


def source_mask(names: set[str]) -> int:
    return sum(1 << i for i, s in enumerate(SOURCES) if s["name"] in names)


def sources_of(mask: int) -> list[dict[str, str]]:
    return [s for i, s in enumerate(SOURCES) if mask & (1 << i)]


# The end of an answer, its "sources" member, as UTF-8 JSON for every mask: spliced, not encoded.
SOURCES_TAIL = {mask: (',"sources":' + json.dumps(sources_of(mask), ensure_ascii=False) + "}").encode()
                for mask in range(1 << len(SOURCES))}


class StoreMissing(GlossError):
    status, title, slug = 503, "Dictionary not built", "dictionary-missing"


class Store:
    """Read-only access to the store; safe to share between threads (one connection each)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise StoreMissing(f"No dictionary at {self.path}: run `make install` or "
                               f"`gloss build-dictionary --output {self.path}`.")
        self._local = threading.local()
        self.meta = meta = dict(self._db().execute("SELECT name, value FROM meta").fetchall())
        if meta.get("version") != str(STORE_VERSION):
            raise StoreMissing(f"The dictionary at {self.path} is version {meta.get('version')}, this server "
                               f"reads version {STORE_VERSION}: rebuild it with `gloss build-dictionary`.")
        self.sources: list[dict[str, str]] = json.loads(meta["sources"])
        self.size = int(meta["entries"])

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            # SQLite's own page cache (2 MB by default) holds the B-tree pages of the words
            # read recently: up to CACHE_MB each connection, filled only as pages are read.
            db.execute(f"PRAGMA cache_size = -{CACHE_MB * 1024}")
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def entry(self, key: str) -> dict[str, Any] | None:
        """{"word", "pronunciations", "frequency", "meanings", "etymology", "sources"}."""
        row = self.answer(key)
        return {"word": row[0], **json.loads(row[1])} if row else None

    def answer(self, key: str) -> tuple[str, bytes, list[str]] | None:
        """(word, the answer as UTF-8 JSON from "pronunciations" to "sources", its parts of
        speech in order) for a headword, put together without decoding anything: the fast
        path of a look-up, which sends these bytes as they are."""
        row = self._db().execute("SELECT word, CAST(answer AS BLOB), sources, pos FROM entries WHERE key = ?",
                                 (key,)).fetchone()
        if row is None:
            return None
        word, answer, mask, pos = row
        return word, answer[:-1] + SOURCES_TAIL[mask], pos.split(",")

    def reading(self, key: str) -> tuple[str, bytes, str | None] | None:
        """The stored reading of a selection that is its own key, with its answer: (the
        JSON members between "query" and the answer, the answer as in `answer`, the part
        of speech to put first or None), or None (not stored)."""
        row = self._db().execute(
            "SELECT r.head, CAST(e.answer AS BLOB), e.sources, r.first_pos FROM readings r "
            "JOIN entries e ON e.id = r.entry WHERE r.key = ?", (key,)).fetchone()
        if row is None:
            return None
        head, answer, mask, first_pos = row
        return head, answer[:-1] + SOURCES_TAIL[mask], first_pos

    def info(self, keys: Iterable[str]) -> dict[str, tuple[str, float, set[str]]]:
        """{key: (word, zipf, parts of speech)} for those of `keys` that are headwords, in one query."""
        return {k: (w, z, set(p.split(","))) for k, w, z, p in self._rows_for(
            "SELECT key, word, zipf, pos FROM entries WHERE key IN ({})", keys)}

    def forms_and_info(self, form: str, keys: Iterable[str]) -> tuple[list[tuple[str, str]], dict[str, tuple[str, float, set[str]]]]:
        """`forms(form)` and `info` of `keys` plus the lemmas of those forms, in one query:
        the look-up of a word makes this one round trip before fetching its answer."""
        keys = list(dict.fromkeys(keys))
        marks = ",".join("?" * len(keys))
        forms: list[tuple[float, str, str]] = []
        info: dict[str, tuple[str, float, set[str]]] = {}
        for is_form, k, w, z, p, relation in self._db().execute(
                f"SELECT 0, key, word, zipf, pos, NULL FROM entries WHERE key IN ({marks}) UNION ALL "
                "SELECT 1, f.lemma, e.word, e.zipf, e.pos, f.relation FROM forms f JOIN entries e ON e.key = f.lemma "
                "WHERE f.form = ?", (*keys, form)):
            if is_form:
                forms.append((z, k, relation))
            if k not in info:
                info[k] = (w, z, set(p.split(",")))
        # The order of `forms`: the most frequent lemma first, then by key (SQLite's binary
        # collation orders text as Python does).
        forms.sort(key=lambda f: (-f[0], f[1]))
        return [(k, relation) for _, k, relation in forms], info

    def has(self, keys: Iterable[str]) -> set[str]:
        return {r[0] for r in self._rows_for("SELECT key FROM entries WHERE key IN ({})", keys)}

    def zipf(self, key: str) -> float:
        row = self._db().execute("SELECT zipf FROM entries WHERE key = ?", (key,)).fetchone()
        return row[0] if row else 0.0

    def parts_of_speech(self, key: str) -> set[str]:
        row = self._db().execute("SELECT pos FROM entries WHERE key = ?", (key,)).fetchone()
        return set(row[0].split(",")) if row else set()

    def word(self, key: str) -> str | None:
        row = self._db().execute("SELECT word FROM entries WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def forms(self, key: str) -> list[tuple[str, str]]:
        """(lemma, relation) pairs for a form, most frequent lemma first."""
        return self._db().execute(
            "SELECT f.lemma, f.relation FROM forms f JOIN entries e ON e.key = f.lemma "
            "WHERE f.form = ? ORDER BY e.zipf DESC, f.lemma", (key,)).fetchall()

    def signatures(self, key: str) -> dict[str, list]:
        row = self._db().execute("SELECT data FROM signatures WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else {}

    def capitalised(self, keys: Iterable[str]) -> dict[str, set[str]]:
        """{key: ids of its senses written with a capital} for those of `keys` that have any."""
        return {k: set(ids.split()) for k, ids in self._rows_for("SELECT key, senses FROM capitalised WHERE key IN ({})", keys)}

    def tagger_weights(self, features: Iterable[str]) -> dict[str, list[float]]:
        return {feature: array("f", weights).tolist() for feature, weights in
                self._rows_for("SELECT feature, weights FROM tagger WHERE feature IN ({})", features)}

    def current(self, keys: Iterable[str], supplement_only: bool = False) -> set[str]:
        """Those of `keys` that are headwords with senses from a current source (OEWN, the
        supplement of current English), not only GCIDE; with `supplement_only`, from the
        supplement."""
        mask = source_mask({"Gloss current English"} if supplement_only else CURRENT_SOURCES)
        return {r[0] for r in self._rows_for(f"SELECT key FROM entries WHERE sources & {mask} AND key IN ({{}})", keys)}

    def usual_classes(self, words: Iterable[str]) -> dict[str, str]:
        return dict(self._rows_for("SELECT word, class FROM usual_class WHERE word IN ({})", words))

    def word_classes(self, keys: Iterable[str]) -> dict[str, tuple[set[str], list[tuple[str, str]]]]:
        """{key: (parts of speech, [(lemma, relation)])} of `word_classes` rows (see there)."""
        return {k: (set(p.split(",")) - {""}, [tuple(i.split("|", 1)) for i in irregular.split(";") if i])
                for k, p, irregular in self._rows_for("SELECT key, pos, irregular FROM word_classes WHERE key IN ({})",
                                                      keys)}

    def weights(self, stems: Iterable[str]) -> dict[str, float]:
        return dict(self._rows_for("SELECT stem, weight FROM weights WHERE stem IN ({})", stems))

    def readable(self, keys: Iterable[str]) -> dict[str, tuple[str, float, bool]]:
        """{key: (spelling to show, zipf of its headword, whether it is a headword itself)}
        for those of `keys` a look-up reads (headwords, their forms and variants), in one query."""
        return {k: (word if k == headword else k, zipf, k == headword) for k, headword, word, zipf in self._rows_for(
            "SELECT r.key, e.key, e.word, e.zipf FROM readings r JOIN entries e ON e.id = r.entry WHERE r.key IN ({})",
            keys)}

    def under_deletions(self, strings: Iterable[str]) -> set[str]:
        """Keys of the common single words that are one of `strings` or become one with a letter deleted."""
        return {r[0] for r in self._rows_for("SELECT key FROM deletions WHERE deletion IN ({})", strings)}

    def _rows_for(self, query: str, keys: Iterable[str]) -> Iterator[tuple]:
        """The rows of `query` (its `{}` the list of `keys`), a chunk of MAX_QUERY_KEYS keys at a time."""
        keys = list(dict.fromkeys(keys))
        for start in range(0, len(keys), MAX_QUERY_KEYS):
            part = keys[start:start + MAX_QUERY_KEYS]
            yield from self._db().execute(query.format(",".join("?" * len(part))), part)

    def expressions_with(self, word: str, limit: int) -> list[str]:
        """Keys of the expressions that have `word` (a key) as one of their words, the most frequent first."""
        return [r[0] for r in self._db().execute(
            "SELECT x.key FROM expression_words x JOIN entries e ON e.key = x.key WHERE x.word = ? "
            "ORDER BY e.zipf DESC, x.key LIMIT ?", (word, limit))]

    def complete(self, prefix: str, limit: int) -> list[str]:
        """Headwords starting with `prefix` (a key), the most frequent first."""
        if not prefix:
            return []
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return [r[0] for r in self._db().execute(
            "SELECT word FROM entries WHERE key >= ? AND key < ? ORDER BY zipf DESC, key LIMIT ?",
            (prefix, upper, limit))]
