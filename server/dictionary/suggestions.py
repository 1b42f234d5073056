"""Spelling suggestions: a selection no reading leads to in, spellings to look up instead out.

`suggest(text, store, speller, limit)` gathers candidates from four places:
- common words and forms (Zipf >= 1) within two edits: a letter dropped, added or
  changed, two swapped ("occured" -> "occurred", "tommorow" -> "tomorrow"), through the
  store's `deletions` index: two spellings within two edits of each other meet when the
  typed one loses at most two letters and the word at most one (the symmetric-deletion
  method); the true distance is then computed and kept if <= 2;
- the selection split in two by a space or hyphen, where that is a headword ("login" ->
  "log in", "alot" -> "a lot"), ranked as the closest of edits;
- expressions the selection is one word of ("quo" -> "status quo", "entendre" ->
  "double entendre"), from `expression_words`;
- hunspell's quick suggestions (`spelling.Speller.suggest`): its table of common
  misspellings ("fenomenon" -> "phenomenon"), a word split in two ("onmeth" -> "on meth").

Ranked with what the dictionary can define before what it cannot, then by edit
distance, then frequency, then hunspell's order: "detante" gives "detente" first
(hunspell alone puts "dentate" first). A word hunspell accepts is no misspelling, so the expressions it
is part of come first. Forms the store derives by rule but hunspell rejects ("comeing")
are left out. All of it is a few indexed queries and at most one hunspell call: about
half a millisecond, where hunspell's own full search took 25-35 ms for every word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from rapidfuzz.distance.OSA import distance  # Damerau-Levenshtein (optimal string alignment), in C++

from server.dictionary.normalise import key
from server.dictionary.store import SUGGESTION_MIN_ZIPF, Store

if TYPE_CHECKING:
    from server.dictionary.spelling import Speller

# Longer selections are rarely one misspelt word, and their deletions many (n + n(n-1)/2).
MAX_EDIT_WORD = 20
MAX_DISTANCE = 2
# Two edits turn a word of up to four letters into hundreds of others ("et" -> "the",
# "pre" -> "prey"): one edit only for those.
ONE_EDIT_UP_TO = 4
# Expressions offered for one of their words: the most frequent few, not every "de ..." phrase.
MAX_EXPRESSIONS = 3
# A word of a split hunspell proposes must be longer than one letter, or one of these.
ONE_LETTER_WORDS = frozenset({"a", "i"})


def suggest(text: str, store: Store, speller: Speller | None, limit: int = 8,
            resolves: Callable[[str], bool] = lambda _: False) -> list[str]:
    """`resolves(spelling)`: whether a look-up finds an entry for a spelling the store has
    no reading of (hunspell's "on meth" is read as "meth")."""
    k = key(text)
    if not k:
        return []
    accepted = speller.check(text) if speller else False
    candidates: dict[str, float] = {}  # key -> edit distance (expressions: see below)

    def add(candidate: str, dist: float) -> None:
        if candidate != k and dist < candidates.get(candidate, MAX_DISTANCE + 1):
            candidates[candidate] = dist

    if k.isalpha() and len(k) <= MAX_EDIT_WORD:
        for candidate in store.under_deletions(_deletions(k, 1 if len(k) <= ONE_EDIT_UP_TO else MAX_DISTANCE)):
            add(candidate, distance(k, candidate))
        # Every letter right, a space or hyphen missing: closer than any other edit ("alot"
        # is "a lot" before "lot").
        for candidate in (k[:i] + joint + k[i:] for i in range(1, len(k)) for joint in " -"):
            add(candidate, 0.5)
    for expression in store.expressions_with(k, MAX_EXPRESSIONS):
        add(expression, 0.5 if accepted else 1)
    known = store.readable(candidates)
    chosen: dict[str, tuple] = {}
    for candidate, dist in candidates.items():
        if candidate in known:
            display, zipf, headword = known[candidate]
            if headword or (speller and speller.check(display)):
                chosen[candidate] = (False, dist, -zipf, limit, display)
    # Hunspell can only add words one edit away or further that the index lacks: rare
    # ones, which rank after common ones at the same distance, or ones the dictionary
    # does not define, which rank after all it defines. With `limit` common words one
    # edit away ("pre", "et"), its answer could not change the list: it is not asked.
    close = sum(1 for _, dist, minus_zipf, *_ in chosen.values() if dist <= 1 and -minus_zipf >= SUGGESTION_MIN_ZIPF)
    if speller and close < limit:
        _add_hunspell(k, speller.suggest(text), chosen, store, resolves)
    ranked = sorted(chosen.values())
    return list(dict.fromkeys(item[-1] for item in ranked))[:limit]


def _add_hunspell(k: str, hunspell: list[str], chosen: dict[str, tuple], store: Store,
                  resolves: Callable[[str], bool]) -> None:
    """Hunspell's suggestions into `chosen`, ranked by their own position after
    definability, distance and frequency."""
    rank: dict[str, int] = {}
    for position, spelling in enumerate(hunspell):
        rank.setdefault(key(spelling), position)
    parts = {p for s in rank for p in s.replace("-", " ").split(" ")}
    known = store.readable([*rank, *parts])
    for candidate, position in rank.items():
        if candidate == k:
            continue
        if candidate.endswith("'s") and "'" not in k:
            continue  # "helpline's" for "helplines": the possessive was not what was typed
        words = candidate.replace("-", " ").split(" ")
        definable = candidate in known or resolves(candidate)
        if len(words) > 1 and not (definable and all(w in known and (len(w) > 1 or w in ONE_LETTER_WORDS)
                                                     for w in words)):
            continue  # "helpline s", "hap pend": hunspell's splits that lead nowhere
        display, zipf, _ = known.get(candidate, (hunspell[position], 0.0, False))
        entry = (not definable, distance(k, candidate), -zipf, position, display)
        chosen[candidate] = min(chosen.get(candidate, entry), entry)  # one the store found may rank closer


def _deletions(k: str, depth: int) -> set[str]:
    """`k` and every spelling with up to `depth` letters deleted."""
    found = {k}
    frontier = {k}
    for _ in range(depth):
        frontier = {s[:i] + s[i + 1:] for s in frontier for i in range(len(s))}
        found |= frontier
    return found

