"""From a word form to the headwords it may come from, each with how it was reached.

In: a key (see `normalise.key`) and a store. Out: `Reading`s, best first: the form's
lemma and the relation ("plural of", "past tense of", "comparative of", "possessive
of", "contraction of", "derived from", "compound of").

Sources, in order: the forms table (WordNet's exception lists and GCIDE's inflection
notes: "women", "was", "better"), a few forms of "be", "have" and "do" neither lists,
WordNet's detachment rules for regular inflections (checked against what the store
defines, and only for a lemma with the matching part of speech), possessives and
contractions, then compounds ("all-digital") and derived forms ("-ly", "-ness", "re-",
"un-"), at most two affixes deep so that the search stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Lexicon(Protocol):
    def has(self, keys) -> set[str]: ...
    def forms(self, key: str) -> list[tuple[str, str]]: ...
    def parts_of_speech(self, key: str) -> set[str]: ...
    def info(self, keys) -> dict[str, tuple[str, float, set[str]]]: ...
    def forms_and_info(self, form: str, keys) -> tuple[list[tuple[str, str]], dict[str, tuple[str, float, set[str]]]]: ...


@dataclass(frozen=True)
class Reading:
    lemma: str          # a key the store defines
    relation: str       # how the form relates to it
    regular: bool = True  # False for forms the data lists (irregulars)


AUXILIARIES = {
    "is": ("be", "third-person singular of"), "am": ("be", "first-person singular of"),
    "are": ("be", "present plural of"), "was": ("be", "past tense of"), "were": ("be", "past tense of"),
    "been": ("be", "past participle of"), "being": ("be", "present participle of"),
    "has": ("have", "third-person singular of"), "had": ("have", "past tense of"),
    "does": ("do", "third-person singular of"), "did": ("do", "past tense of"), "done": ("do", "past participle of"),
}
# (ending, replacement, part of speech of the lemma, relation): WordNet's morphy rules.
RULES = [
    ("ies", "y", "noun", "plural of"), ("ses", "s", "noun", "plural of"), ("xes", "x", "noun", "plural of"),
    ("zes", "z", "noun", "plural of"), ("ches", "ch", "noun", "plural of"), ("shes", "sh", "noun", "plural of"),
    ("men", "man", "noun", "plural of"), ("s", "", "noun", "plural of"),
    ("ies", "y", "verb", "third-person singular of"), ("es", "e", "verb", "third-person singular of"),
    ("es", "", "verb", "third-person singular of"), ("s", "", "verb", "third-person singular of"),
    ("ied", "y", "verb", "past tense and past participle of"), ("ed", "e", "verb", "past tense and past participle of"),
    ("ed", "", "verb", "past tense and past participle of"),
    ("ing", "e", "verb", "present participle of"), ("ing", "", "verb", "present participle of"),
    ("ying", "ie", "verb", "present participle of"),
    ("ier", "y", "adjective", "comparative of"), ("iest", "y", "adjective", "superlative of"),
    ("er", "", "adjective", "comparative of"), ("est", "", "adjective", "superlative of"),
    ("er", "e", "adjective", "comparative of"), ("est", "e", "adjective", "superlative of"),
    ("er", "", "adverb", "comparative of"), ("est", "", "adverb", "superlative of"),
]
# RULES by ending, each with its place in RULES: a key's rules are found by slicing its
# last one to four letters rather than by trying every ending.
RULES_BY_ENDING: dict[str, list[tuple[int, str, str, str, str]]] = {}
for _index, _rule in enumerate(RULES):
    RULES_BY_ENDING.setdefault(_rule[0], []).append((_index, *_rule))
ENDING_LENGTHS = sorted({len(ending) for ending in RULES_BY_ENDING})
CONTRACTIONS = {"n't": "not", "'re": "are", "'ve": "have", "'ll": "will", "'d": "would", "'m": "am"}
CONTRACTED_S = frozenset("it he she that there what who where here how let this when why everyone "
                         "everybody nobody somebody someone something nothing".split())
# (suffix, replacements, part of speech the lemma must have): derivations whose meaning
# follows from the base word, so the base's entry explains them.
SUFFIXES = [
    ("ically", ("ic", "ical"), None), ("ily", ("y",), None), ("ly", ("", "le", "e"), None),
    ("iness", ("y",), None), ("ness", ("",), None), ("lessly", ("less",), None), ("less", ("",), None),
    ("fully", ("ful",), None), ("ful", ("",), None), ("ments", ("ment",), None), ("ment", ("",), None),
    ("ability", ("able",), None), ("ibility", ("ible",), None), ("ity", ("", "e"), None),
    ("ization", ("ize",), None), ("isation", ("ise", "ize"), None), ("izing", ("ize",), None),
    ("ization", ("",), None), ("ize", ("", "y"), None), ("ise", ("", "y"), None),
    ("ism", ("", "e"), None), ("ist", ("", "e", "ism"), None), ("ists", ("", "e", "ism"), None),
    ("ers", ("", "e"), "verb"), ("er", ("", "e"), "verb"), ("ors", ("", "e"), "verb"), ("or", ("", "e"), "verb"),
    ("ability", ("",), "verb"), ("able", ("", "e"), "verb"), ("ably", ("able", "", "e"), None),
    ("ship", ("",), None), ("hood", ("",), None), ("wise", ("",), None), ("like", ("",), None),
    ("ation", ("e", "", "ate"), None), ("ations", ("e", "", "ate"), None), ("ion", ("e", ""), None),
    ("ive", ("e", ""), None), ("ic", ("", "y"), None), ("al", ("", "e"), None), ("ally", ("al",), None),
    ("ish", ("", "e"), None), ("ian", ("", "y", "ia", "a"), None), ("ans", ("a",), None), ("an", ("a", ""), None),
    ("ese", ("", "a"), None), ("ee", ("",), None), ("ees", ("",), None), ("dom", ("",), None),
    ("esque", ("",), None), ("ette", ("",), None), ("ettes", ("",), None), ("ology", ("",), None),
]
PREFIXES = ("un", "re", "non", "pre", "dis", "mis", "over", "under", "anti", "co", "counter", "inter",
            "multi", "post", "semi", "sub", "super", "out", "self", "trans", "pro", "de", "mid", "micro",
            "mega", "mini", "ultra", "cyber", "bio", "eco", "geo", "neo", "para", "pseudo", "quasi", "tele",
            "hyper", "auto", "cross", "extra", "intra", "macro", "meta", "mono", "poly", "fore", "pan",
            "euro", "afro", "sino", "techno")
# A derivation's base must be a real, reasonably common word: without this "regis" would
# be "re-" + "gis" and "bastante" "bast" + "ante".
MIN_BASE_ZIPF = 2.5
MIN_COMPOUND_PART_ZIPF = 3.0


def inflections(key: str, lexicon: Lexicon, cache: dict | None = None, also: tuple[str, ...] = ()) -> list[Reading]:
    """Readings of `key` as an inflected form, irregular ones (from the data) first.

    `cache`, when given, receives the store's (word, zipf, parts of speech) of `key`, of
    every lemma considered and of the keys in `also`, fetched in the one query this makes."""
    matched: list[tuple[int, str, str, str, str]] = []
    for size in ENDING_LENGTHS:
        if len(key) > size + 1:
            matched += RULES_BY_ENDING.get(key[-size:], ())
    matched.sort()
    candidates: list[tuple[str, str, str]] = []
    for _, ending, replacement, pos, relation in matched:
        stem = key[: -len(ending)] + replacement
        candidates.append((stem, pos, relation))
        # "dashed" -> "dash" is above; "stopped" -> "stop", "bigger" -> "big" undouble.
        if replacement == "" and len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
            candidates.append((stem[:-1], pos, relation))
    auxiliary = AUXILIARIES.get(key)
    forms, info = lexicon.forms_and_info(
        key, [key, *(c[0] for c in candidates), *((auxiliary[0],) if auxiliary else ()), *also])
    readings = [Reading(lemma, relation, regular=False) for lemma, relation in forms]
    if auxiliary:
        readings.insert(0, Reading(auxiliary[0], auxiliary[1], regular=False))
    seen = {(r.lemma, r.relation) for r in readings}
    for stem, pos, relation in candidates:
        pos_of_stem = set(info[stem][2]) if stem in info else set()
        if pos == "noun" and "pronoun" in pos_of_stem:
            pos_of_stem.add("noun")  # "others"
        if stem in info and stem != key and (stem, relation) not in seen and pos in pos_of_stem:
            readings.append(Reading(stem, relation))
            seen.add((stem, relation))
    if cache is not None:
        cache.update(info)
    return readings


def is_regular(form: str, lemma: str) -> bool:
    """Whether the rules make `form` from `lemma` ("leaves" from "leave", not from "leaf")."""
    for ending, replacement, _, _ in RULES:
        if lemma.endswith(replacement):
            stem = lemma[: len(lemma) - len(replacement)]
            if form in (stem + ending, stem + stem[-1:] + ending):
                return True
    return False


def possessive_or_contraction(key: str) -> tuple[str, str, str] | None:
    """(base form, relation, what the rest stands for) for "seoul's", "allies'", "don't"."""
    for ending, meaning in CONTRACTIONS.items():
        if key.endswith(ending) and len(key) > len(ending):
            base = key[: -len(ending)]
            if ending == "n't":
                base = {"wo": "will", "ca": "can", "sha": "shall", "ai": "be"}.get(base, base)
            return base, "contraction of", meaning
    if key.endswith("'s") and len(key) > 2:
        base = key[:-2]
        if base in CONTRACTED_S:
            return base, "contraction of", "is"
        return base, "possessive of", ""
    if key.endswith("s'") and len(key) > 2:
        return key[:-1], "possessive of", ""
    return None


def derivations(key: str, lexicon: Lexicon, depth: int = 2) -> list[Reading]:
    """Readings of `key` as a derived word or a compound, base words the store defines."""
    found: list[Reading] = []
    _derive(key, lexicon, depth, found)
    return found


def _base_readings(key: str, lexicon: Lexicon) -> list[str]:
    """The headword `key` is, or the lemma it inflects; the lemma first when the headword
    is a name written with capitals ("grass-fed" is fed, of feed, not the Fed)."""
    info = lexicon.info([key])
    if key in info and info[key][0] == info[key][0].lower():
        return [key]
    lemmas = [r.lemma for r in inflections(key, lexicon) if r.lemma != key]
    return lemmas + [key] if key in info else lemmas


def _derive(key: str, lexicon: Lexicon, depth: int, found: list[Reading], whole: bool = True) -> None:
    """`whole`: `key` is the word selected, not what is left of it once a suffix is cut;
    only a whole word is read as a closed compound ("lawmaker"): "programmatic" less
    its "-ic" is no compound of "program" and "mat"."""
    if depth == 0 or len(key) < 4:
        return
    parts = [p for p in key.replace("-", " ").split(" ") if p]
    if "-" in key and len(parts) > 1:
        bases = [_base_readings(p, lexicon) for p in parts]
        head = next((b[0] for b in reversed(bases) if b), None)
        if head and (all(bases) or (bases[-1] and parts[0] in PREFIXES)):
            relation = "derived from" if parts[0] in PREFIXES and len(parts) == 2 else "compound of"
            found.append(Reading(head, relation))
            return
        if head and sum(1 for b in bases if b) >= len(parts) - 1:
            found.append(Reading(head, "compound of"))
            return
    candidates: list[tuple[str, str | None]] = []
    for suffix, replacements, pos in SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 3:
            stem = key[: -len(suffix)]
            for replacement in replacements:
                candidates.append((stem + replacement, pos))
            if len(stem) > 2 and stem[-1] == stem[-2]:
                candidates.append((stem[:-1], pos))
    for prefix in PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= 4:
            candidates.append((key[len(prefix):].lstrip("-"), None))
    info = lexicon.info(c for c, _ in candidates)
    for candidate, pos in candidates:
        if candidate in info and (pos is None or pos in info[candidate][2]) and info[candidate][1] >= MIN_BASE_ZIPF:
            found.append(Reading(candidate, "derived from"))
            return
    for candidate, pos in candidates:  # one more step: "unsurprisingly" -> "surprising" -> "surprise"
        if len(candidate) < 5:
            continue
        bases = [r.lemma for r in inflections(candidate, lexicon)]
        if bases:
            found.append(Reading(bases[0], "derived from"))
            return
        before = len(found)
        _derive(candidate, lexicon, depth - 1, found, whole=False)
        if len(found) > before:
            return
    # A closed compound of two common words ("lawmaker", "ceasefire", "payout").
    if not whole:
        return
    cuts = [(key[:cut], key[cut:]) for cut in range(3, len(key) - 2)]
    info = lexicon.info(part for cut in cuts for part in cut)
    for left, right in cuts:
        if left in info and right in info and min(info[left][1], info[right][1]) >= MIN_COMPOUND_PART_ZIPF:
            found.append(Reading(right, "compound of"))
            return
