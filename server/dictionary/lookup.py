"""The look-up: a selection (and the sentence around it) in, an entry out.

`Dictionary(store, speller).define(selection, context)` returns the entry dict that
`GET /api/define` answers (shape in the README): the query, the headword, how it was
reached (`found`), pronunciations, frequency band, meanings (senses ordered by fit to
the context when given, else by frequency), etymology and sources. It raises
`Unprocessable` for a selection that is not a word and `NotFound` (with `suggestions`)
for a word no reading leads to.

Order of readings for a selection: an expression around the selected word in the
context ("working group" when "group" is selected in "the working group met"); the
selection with its hyphens read as spaces or dropped, or a final stop put back ("U.S."),
when only that is a headword; the selection as a headword or as an inflected form
(choosing between the two by the sentence, by which has current senses or by frequency,
see `_choose`); possessives
and contractions; an expression with an inflected last word ("working groups") or minus
its function words ("in limbo" -> "limbo"); a closed compound the dictionary writes apart
("groundwater" -> "ground water"); derived forms and compounds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import Any

from server.dictionary import morphology, senses, suggestions, tagging
from server.dictionary.normalise import EDGE, TOKEN_RE, clean_selection, key, tokens
from server.dictionary.spelling import Speller
from server.dictionary.store import Store
from server.errors import BadRequest, NotFound

log = logging.getLogger(__name__)
# Context is cut to this many characters around the selection: ranking cost stays bounded.
MAX_CONTEXT_CHARS = 600
MAX_EXPRESSION_WORDS = 4
# The tagger's weights kept in memory: about 200 bytes each.
TAGGER_CACHE = 50_000
RELATION_POS = tagging.RELATION_POS
# Tokens after which a capital says nothing: the sentence or a quotation starts there.
SENTENCE_STARTS = frozenset('. ! ? : ; " \' ( [ -'.split())
NAME_DEFINITION = "a name here (of a person, a place or an organisation), not a word of the dictionary"
# Titles written before a name ("President Xi", "Ambassador Harry Harris"): a closed class
# of words that are never the name themselves.
TITLES = frozenset("""president vice prime minister ambassador senator sen governor gov general gen chancellor king
queen prince princess pope dr mr mrs ms miss judge justice secretary mayor chairman chairwoman chair rep
representative congressman congresswoman lord lady sir dame bishop archbishop cardinal rabbi imam father sister
professor prof commissioner director chief admiral captain capt colonel col major lieutenant lt sergeant sgt
inspector detective officer speaker premier emperor empress sultan sheikh emir ayatollah president-elect
chancellor-elect leader deputy minister-president crown st saint""".split())
TAG_POS = tagging.TAG_POS
# The inflections each of the tagger's verb classes can be ("verb": a base form, which no
# inflection is). Which of past tense and participle a form is, is not said from the tag:
# on held-out MASC it mislabelled more regular forms than "past tense and past participle".
PAST_EITHER = frozenset({"past tense and past participle of", "past tense or past participle of"})
VERB_FORM_RELATIONS = {"verb": set(), "verb-past": {"past tense of", *PAST_EITHER},
                       "verb-participle": {"past participle of", *PAST_EITHER},
                       "verb-ing": {"present participle of"}, "verb-s": {"third-person singular of"},
                       "modal": {"past tense of", *PAST_EITHER}}  # "could" of can, "might" of may
PAST_TENSE = frozenset({"past tense of", *PAST_EITHER})
# Do's forms before a verb make it a base form ("did lay"), like "to" and a modal.
DO_FORMS = frozenset({"do", "does", "did"})
LEADING_NOISE = frozenset("the a an to his her their its my your our".split())
FUNCTION_WORDS = frozenset("a an the in on of at to by for from with into out up as be is was under over "
                           "off about and or".split())
# The answer's own markers for `put_first` (see there).
# Readings built from parts of a word, not a word the dictionary lists.
DERIVED = frozenset({"derived from", "compound of", "written as one word of"})
MEANING_START = b'{"part_of_speech":"'
MEANINGS_END = b'],"etymology":'


def put_first(answer: bytes, part_of_speech: str) -> bytes:
    """The stored answer (compact UTF-8 JSON, see build._answer) with the meanings of
    `part_of_speech` moved first, the others kept in order, spliced without decoding it.
    The markers can only be the answer's own structure: inside a JSON string every quote
    is escaped, and no other member than a meaning has "part_of_speech" or is followed
    by "etymology"."""
    end = answer.index(MEANINGS_END)
    starts = []
    at = answer.find(MEANING_START)
    while at != -1 and at < end:
        starts.append(at)
        at = answer.find(MEANING_START, at + 1)
    meanings = [answer[a:b - 1] for a, b in zip(starts, starts[1:])] + [answer[starts[-1]:end]]
    marker = MEANING_START + part_of_speech.encode() + b'"'
    ordered = [m for m in meanings if m.startswith(marker)] + [m for m in meanings if not m.startswith(marker)]
    return answer[:starts[0]] + b",".join(ordered) + answer[end:]


# The modules whose code decides what `precomputed` answers: the store's readings are
# valid for the look-up they were computed with (see build/readings.py).
READINGS_CODE = ("lookup.py", "morphology.py", "normalise.py")


class Sentence(str):
    """A context that knows where in it the reader's selection starts (`offset`, in
    characters): when the selected word recurs ("used to ... to"), the occurrence selected
    is the one tagged, searched for expressions and judged a name. A plain str context
    does not know: every occurrence is searched for an expression, and the first one is
    tagged, as for clients that send no offset."""

    offset: int | None = None

    def __new__(cls, text: str, offset: int) -> Sentence:
        sentence = super().__new__(cls, text)
        sentence.offset = offset
        return sentence


def place(selection: str, query: str, context: str, offset: int) -> Sentence:
    """The context folded as `define_json` folds it (spaces collapsed, cut to
    2 x MAX_CONTEXT_CHARS around the selection), as a Sentence that knows where the
    selection starts. BadRequest when `offset` is no character of `context` or the
    selection (`query` once cleaned) is not written there."""
    if not 0 <= offset < len(context):
        raise BadRequest(f"offset {offset} is outside the context ({len(context)} characters).")
    # What a reader selects may start with a space or a quote the query does not have.
    start = offset
    while start < len(context) and (context[start].isspace() or context[start] in EDGE):
        start += 1
    window = key(context[start:start + len(selection) + 2])
    if not window.startswith(key(query)):
        raise BadRequest(f"offset {offset} is not where \u201c{query}\u201d is written in the context.",
                         offset=offset)
    before = " ".join(context[:start].split())
    at = len(before) + (1 if before and context[start - 1].isspace() else 0)
    folded = " ".join(context.split())
    limit = MAX_CONTEXT_CHARS * 2
    cut = 0 if at + len(query) <= limit else at - MAX_CONTEXT_CHARS
    return Sentence(folded[cut:cut + limit], at - cut)


def _selected(context: str, words: list[str], starts: Callable[[], list[int]],
              matches: Callable[[str], bool]) -> list[int]:
    """The indexes of `words` (the context's tokens) the selection may be: those that
    `matches`, or, when the context is a Sentence, the one among them that starts at its
    offset (`starts`: the tokens' character offsets). A token the offset is inside but
    that does not match (a part of "long-term") gives no index."""
    found = [i for i, w in enumerate(words) if matches(w)]
    offset = getattr(context, "offset", None)
    if offset is None:
        return found
    at = bisect_right(starts(), offset) - 1
    return [at] if at in found else []


def _starts(pattern: re.Pattern, text: str) -> Callable[[], list[int]]:
    return lambda: [m.start() for m in pattern.finditer(text)]


def readings_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in READINGS_CODE:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


class _TaggerWeights:
    """The tagger's weights as the look-up reads them: the tag pairs and the weights of
    every feature fetched so far kept in memory (up to TAGGER_CACHE features: the endings,
    shapes and neighbours that recur from sentence to sentence), the rest fetched, the
    features a sentence needs in one query (`want`). A feature the store lacks is kept
    as None, so that it is not asked for again."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.known: dict[str, list[float] | None] = dict(store.tagger_weights(tagging.TAG_PAIRS))
        self.recent: dict[str, list[float] | None] = {}  # the last fetched, once `known` is full

    def get(self, feature: str) -> list[float] | None:
        if feature in self.known:
            return self.known[feature]
        recent = self.recent
        return recent[feature] if feature in recent else self._fetch([feature]).get(feature)

    def want(self, features: list[str]) -> None:
        self._fetch(features)

    def _fetch(self, features: list[str]) -> dict[str, list[float] | None]:
        missing = [f for f in features if f not in self.known]
        found = self.store.tagger_weights(missing) if missing else {}
        values = {f: found.get(f) for f in missing}
        if len(self.known) < TAGGER_CACHE:  # never emptied: concurrent look-ups read the same values
            self.known.update(values)
        else:
            self.recent = values
        return values


class Dictionary:
    def __init__(self, store: Store, speller: Speller | None = None) -> None:
        self.store = store
        self.speller = speller
        # Readings computed by another look-up than this one are not used (see build/readings.py).
        self.readings_current = store.meta.get("readings_of") == readings_fingerprint()
        if not self.readings_current and store.meta.get("readings_of"):
            log.warning("The stored readings of %s were computed by another version of the look-up: every "
                        "selection is looked up in full until `gloss build-dictionary --readings-only` "
                        "refreshes them.", store.path)
        self._tagger_weights = _TaggerWeights(store)
        self._word_classes = tagging.WordClasses(store.word_classes)
        # The last selection tagged and its tag: one look-up asks several times.
        self._last_tag: tuple[tuple | None, tuple[str, float] | None] = (None, None)
        self._last_expression: tuple[tuple | None, str | None] = (None, None)

    # -- readings -------------------------------------------------------------------
    def resolve(self, text: str, context: str | None = None,
                suggest: bool = True) -> tuple[str, dict[str, str] | None, list[dict]]:
        """(headword key, found or None, other readings) for a cleaned selection; NotFound if none.

        With `suggest=False` the NotFound carries `suggestions: None`, for a caller that
        computes them elsewhere or not at all (the web handler decides where they run,
        the glossary needs none)."""
        k = key(text)
        compound = self._compound_at(k, context)
        if compound:
            # A part of a compound the dictionary has ("term" of "long-term"): the compound
            # first, the word's own entry one step away.
            whole = self._resolve_key(compound, compound, context)
            if whole and not (whole[1] and whole[1]["relation"] in DERIVED):
                alone = self._resolve_key(k, text, None)
                also = [{"relation": "the word alone", "lemma": self._word(alone[0])}] if alone else []
                return whole[0], {"form": text, "relation": "part of the compound", "lemma": self._word(whole[0])}, also
        expression = self._expression_in_context(k, context) if context else None
        alone = self._resolve_key(k, text, None) if expression and " " not in k else None
        # A name the dictionary writes with capitals, selected so, is no sense of its word:
        # "the United States" is not the plural of "state", though defined with "states".
        named = bool(expression) and text[:1].isupper() and not self._word(expression).islower()
        if expression and (named or not self._compositional(expression, k, alone[0] if alone else None)):
            # The word's own entry stays one step away.
            also = [{"relation": "the word alone", "lemma": self._word(alone[0])}] if alone else []
            return expression, {"form": text, "relation": "part of the expression",
                                "lemma": self.store.word(expression) or expression}, also
        words = k.split(" ")
        if context and len(words) > 1:
            # "made up" in "the sum made up of" is the verb "make up" before the adjective "made-up".
            tag = self._tag(words[0], context)
            phrasal = self._phrasal_verb(words, text) if tag and tag[0] == "verb" else None
            if phrasal:
                return phrasal
        result = self._resolve_key(k, text, context)
        if result:
            if expression:  # "a defense contractor" is a contractor: the word first, the expression next
                return result[0], result[1], [*result[2], {"relation": "part of the expression",
                                                           "lemma": self._word(expression)}]
            return result
        raise NotFound(f"No entry for \u201c{text}\u201d.", query=text,
                       suggestions=self.suggest(text) if suggest else None)

    def _resolve_key(self, k: str, text: str, context: str | None) -> tuple[str, dict | None, list] | None:
        # "air-conditioning" is "air conditioning" before "air-condition" + ing, and "U.S"
        # (its final stop taken as punctuation) or "etc" are "U.S." and "etc.". The
        # variants are asked for in the one query that reads `k`'s forms and stems.
        variants = tuple(v for v in (k.replace("-", " "), k.replace("-", ""), k.replace(" ", "-"),
                                     k.replace(" ", ""), k + ".") if v != k)
        info: dict[str, tuple[str, float, set[str]]] = {}
        readings = morphology.inflections(k, self.store, info, variants)
        if k not in info:
            variant = next((v for v in variants if v in info), None)
            if variant:
                return self._choose(variant, text, context)
        chosen = self._choose(k, text, context, (readings, info))
        if chosen:
            return chosen
        special = morphology.possessive_or_contraction(k)
        if special:
            base, relation, meaning = special
            inner = self._choose(base, base, context)
            if inner:
                lemma_key, inner_found, also = inner
                if relation == "contraction of":
                    found = {"form": text, "relation": relation, "lemma": self._word(lemma_key),
                             "stands_for": f"{base} {meaning}"}
                elif inner_found:  # "allies'" is the plural of "ally"
                    found = {**inner_found, "form": text}
                else:
                    found = {"form": text, "relation": relation, "lemma": self._word(lemma_key)}
                return lemma_key, found, also
        words = k.split(" ")
        if len(words) > 1:
            last = self._choose(words[-1], words[-1], None)
            if last and last[1]:  # "working groups" -> "working group"
                joined = " ".join(words[:-1] + [last[0]])
                if self.store.has([joined]):
                    return joined, {"form": text, "relation": last[1]["relation"], "lemma": self._word(joined)}, []
            phrasal = self._phrasal_verb(words, text)
            if phrasal:
                return phrasal
            core = [w for w in words if w not in FUNCTION_WORDS]
            if core and len(core) < len(words):
                inner = self._resolve_key(" ".join(core), " ".join(core), None)
                if inner:
                    return inner[0], {"form": text, "relation": "expression with", "lemma": self._word(inner[0])}, []
            return None
        # A closed compound the dictionary writes with a space or a hyphen ("groundwater",
        # "standalone", "toolkit") is that headword before a compound of its last part.
        as_one = self._written_as_one(k, text)
        if as_one:
            return as_one
        for reading in morphology.derivations(k, self.store):
            if len(reading.lemma) < 2:
                continue  # "USB-C" is no compound of "c" (the speed of light)
            return reading.lemma, {"form": text, "relation": reading.relation, "lemma": self._word(reading.lemma)}, []
        return None

    def _phrasal_verb(self, words: list[str], text: str) -> tuple[str, dict, list] | None:
        """"pointed out" -> "point out", "signed up" -> "sign up": the verb of a phrasal verb inflects."""
        verbs = [r for r in morphology.inflections(words[0], self.store) if RELATION_POS.get(r.relation) == "verb"]
        joined_verbs = {" ".join([r.lemma, *words[1:]]): r for r in verbs}
        for joined in sorted(self.store.has(joined_verbs)):
            return joined, {"form": text, "relation": joined_verbs[joined].relation, "lemma": self._word(joined)}, []
        return None

    def _written_as_one(self, k: str, text: str) -> tuple[str, dict, list] | None:
        """An expression written without its space or hyphen ("coverup" -> "cover-up",
        "datasets" -> "data set", plural): only when no inflection reads the word, and only
        a headword, so that "therapist" stays clear of "the rapist"."""
        if not k.isalpha() or len(k) < 5:
            return None
        stems = [(k, None)] + ([(k[:-1], "plural of")] if k.endswith("s") else [])
        candidates = {}
        for stem, relation in stems:
            for cut in range(2, len(stem) - 1):
                for joint in (" ", "-"):
                    candidates.setdefault(stem[:cut] + joint + stem[cut:], relation)
        info = self.store.info(self.store.current(candidates))
        # A plural is a noun's; the hyphenated compound before the phrase ("cover-up", a
        # noun, before "cover up", a verb).
        found = [c for c in info if candidates[c] is None or "noun" in info[c][2]]
        if not found:
            return None
        best = min(found, key=lambda c: (candidates[c] is not None, "-" not in c, c))
        return best, {"form": text, "relation": candidates[best] or "written as one word of",
                      "lemma": self._word(best)}, []

    def _choose(self, k: str, text: str, context: str | None,
                analysed: tuple[list[morphology.Reading], dict] | None = None) -> tuple[str, dict | None, list] | None:
        """The headword itself or the lemma it inflects, whichever the reader more likely meant.

        `analysed`: `k`'s inflections and the store's info they came with, when the caller
        has them already."""
        if analysed is None:
            info: dict[str, tuple[str, float, set[str]]] = {}
            readings = morphology.inflections(k, self.store, info)
        else:
            readings, info = analysed
        is_headword = k in info
        # A word in -ss adds -es: "loss" is no plural of "los", "bless" no form of "bles". (Here,
        # not in `morphology`: the tagger's dictionary features, trained on, stay as they were.)
        if k.endswith("ss"):
            readings = [r for r in readings if not (r.regular and r.lemma == k[:-1])]
        if not readings:
            return (k, None, []) if is_headword else None
        if context and len({r.lemma for r in readings}) > 1:
            readings = self._by_fit(k, readings, context)
        hint = self._hint(k, context, None)
        hint = hint[0] if hint else None
        # The tagger's finer class of a verb: "verb-past", "verb-participle"; "verb" alone is
        # a base form ("they need", "lay the table"), which no past reading fits.
        form = self._tag(k, context)[2] if hint == "verb" and context else None
        # A verb of its own that is also another verb's irregular past ("lay", "found", "saw").
        if form == "verb" and is_headword and "verb" in info[k][2] and k not in morphology.AUXILIARIES \
                and any(not r.regular and r.relation in PAST_TENSE and r.lemma != k for r in readings) \
                and self._finite_without_object(k, context):
            form = "verb-past"  # "He lay on the floor": lie's past, not lay (see there)
        fits = VERB_FORM_RELATIONS.get(form or "", set())
        if hint:  # the readings the sentence's part of speech allows first: "feet" as a noun
            readings = sorted(readings, key=lambda r: (RELATION_POS.get(r.relation, hint) != hint,
                                                       bool(form) and r.relation not in fits))
        current = self.store.current([k, *(r.lemma for r in readings)])
        if not hint:  # a lemma with current senses first: "hoodies" of hoodie, not GCIDE's "hoody"
            readings = sorted(readings, key=lambda r: r.lemma not in current)
        word = lambda key_: info[key_][0] if key_ in info else self._word(key_)  # noqa: E731
        zipf = lambda key_: info[key_][1] if key_ in info else 0.0  # noqa: E731
        also = [{"relation": r.relation, "lemma": word(r.lemma)} for r in readings]
        best = readings[0]
        as_lemma = (best.lemma, {"form": text, "relation": best.relation, "lemma": word(best.lemma)}, also[1:])
        if not is_headword or k in morphology.AUXILIARIES:
            return as_lemma
        own_word, own_zipf, own_pos = info[k]
        if own_word != own_word.lower() and text == text.lower():
            return as_lemma  # "allies" is the plural of "ally" before it is "the Allies"
        lemma_pos = info[best.lemma][2] if best.lemma in info else set()
        itself = {"relation": "headword itself", "lemma": own_word}
        if hint:
            # The sentence says which: "found" as a verb is "find", "years" as a noun
            # "year" ("news", far more frequent than "new", stays itself), "building"
            # as a noun is "building", "left" as an adjective "left". A regular reading
            # of a word far more frequent than its would-be lemma is no reading ("need"
            # is not the past of "nee", "loss" no plural of "los", "former" no
            # comparative of "forme"), and neither is one the verb's form contradicts.
            if RELATION_POS.get(best.relation) == hint and hint in lemma_pos \
                    and (not form or best.relation in fits) \
                    and not (best.regular and hint in own_pos and own_zipf > zipf(best.lemma) + 0.5):
                return as_lemma[0], as_lemma[1], as_lemma[2] + [itself]
            if hint in own_pos:
                return k, None, also
            if hint in lemma_pos:
                return as_lemma
        # Today's English before 1913's: a form the dictionary has only from GCIDE ("wrote":
        # "to root with the snout"; "added", "taught") is first the form of a lemma with
        # current senses, and a current headword ("laser") no form of a lemma with older
        # senses only ("las"), whatever their frequencies.
        if (best.lemma in current) != (k in current):
            return (k, None, also) if k in current else (as_lemma[0], as_lemma[1], as_lemma[2] + [itself])
        # A plural is first the plural of its singular ("allies"), unless it is much more
        # frequent as a word of its own ("means").
        if best.relation == "plural of":
            if own_zipf > zipf(best.lemma) + 0.5:
                return k, None, also
            return as_lemma[0], as_lemma[1], as_lemma[2] + [itself]
        # "meeting", "building": a noun of its own is what a reader of the -ing form usually wants.
        if best.relation == "present participle of" and "noun" in own_pos:
            return k, None, also
        if zipf(best.lemma) > own_zipf:
            return as_lemma  # "better" -> "good", "dashed" -> "dash"
        return k, None, also

    def _by_fit(self, k: str, readings: list[morphology.Reading], context: str) -> list[morphology.Reading]:
        """Readings of different lemmas ordered by how well each fits the sentence: "leaves"
        is the plural of "leaf" in "the leaves fell from the oak" and a form of "leave" in
        "she leaves the office at five". Each reading is scored by the best sense of its
        lemma in the part of speech its relation implies, with the part of speech the
        neighbouring words suggest; ties keep the order by frequency."""
        context_words = [w for w in senses.signature_words(context) if w not in senses.signature_words(k)]
        weights = self.store.weights(context_words)
        hint = self._hint(k, context, None)
        entries: dict[str, tuple[list, dict]] = {}
        scores = []
        for position, reading in enumerate(readings):
            if reading.lemma not in entries:
                entry = self.store.entry(reading.lemma)
                entries[reading.lemma] = (entry["meanings"] if entry else [], self.store.signatures(reading.lemma))
            meanings, signatures = entries[reading.lemma]
            fit = senses.best_fit(meanings, signatures, context_words, weights, hint,
                                  RELATION_POS.get(reading.relation))
            # A tie goes to the lemma whose form the data lists as irregular ("leaves" of leaf).
            scores.append((-fit, morphology.is_regular(k, reading.lemma), position, reading))
        return [reading for *_, reading in sorted(scores)]

    def _expression_in_context(self, k: str, context: str) -> str | None:
        """The longest headword of 2-4 words in the context that includes the selected word
        (the last answer is kept: one look-up asks up to three times)."""
        last = self._last_expression
        asked = (k, context, getattr(context, "offset", None))
        if last[0] == asked:
            return last[1]
        found = self._find_expression(k, context)
        if found and found.split(" ", 1)[0] == k:
            found = self._as_its_lemma(found, k, context)
        self._last_expression = (asked, found)
        return found

    def _as_its_lemma(self, expression: str, k: str, context: str) -> str | None:
        """An expression opening with the selected word, a verb that is also another verb's
        irregular past, when the sentence reads it as that past ("They lay down on the grass": lie's, see `_choose`): the
        expression of that verb ("lie down"), or none (the word's own reading answers);
        `expression` itself otherwise ("They lay down their arms")."""
        if "verb" not in self.store.parts_of_speech(k) or not any(
                not r.regular and r.relation in PAST_TENSE for r in morphology.inflections(k, self.store)):
            return expression  # only a verb that is another's irregular past ("the United States" stays)
        reading = self._choose(k, k, context)
        if not reading or reading[0] == k or not reading[1] or reading[1]["relation"] not in PAST_TENSE:
            return expression
        lemma_expression = reading[0] + " " + expression.split(" ", 1)[1]
        return lemma_expression if self.store.current([lemma_expression]) else None

    def _find_expression(self, k: str, context: str) -> str | None:
        words = [key(t) for t in tokens(context[:MAX_CONTEXT_CHARS * 2])]
        selected = k.split(" ")
        if len(selected) > 1:
            return None
        # tokens() reads the text in NFKC, which keeps the offsets of all but a few rare characters.
        positions = _selected(context, words, _starts(TOKEN_RE, context), lambda w: w == k)
        candidates: list[tuple[int, str]] = []
        # Spans read only as an idiom of the supplement of current English: function words
        # and the selected word alone ("on the table", but not "to his head", a GCIDE
        # phrase), and a verb's form read as the verb ("walked back"; measured on
        # SemEval-2007, OEWN's phrasal verbs read so, "drove around", "fallen through
        # cracks", are literal more often than not).
        supplement_only: set[str] = set()
        lemmas: dict[tuple[str, str], str] = {}

        def lemma_of(word: str, pos: str) -> str:
            """The noun a plural or the verb a verb form inflects, or "" (asked once a word)."""
            if (word, pos) not in lemmas:
                readings = morphology.inflections(word, self.store) if word not in FUNCTION_WORDS else []
                for p in ("noun", "verb"):
                    lemmas[word, p] = next((r.lemma for r in readings if RELATION_POS.get(r.relation) == p
                                            and (p == "verb" or r.relation == "plural of")), "")
            return lemmas[word, pos]

        for i in positions:
            for size in range(MAX_EXPRESSION_WORDS, 1, -1):
                for start in range(max(0, i - size + 1), min(i, len(words) - size) + 1):
                    span = words[start:start + size]
                    if span[0] in LEADING_NOISE:
                        continue
                    spans = [span]
                    # The expression's last word may be inflected ("working groups"), and its
                    # first word a verb's form ("walked back", "doubling down").
                    if span[-1] != k and lemma_of(span[-1], "noun"):
                        spans.append(span[:-1] + [lemma_of(span[-1], "noun")])
                    function_words_only = all(w in FUNCTION_WORDS for w in span if w != k)
                    for written in spans:
                        candidates.append((size, " ".join(written)))
                        if function_words_only:
                            supplement_only.add(" ".join(written))
                    if lemma_of(span[0], "verb"):
                        candidates.append((size, " ".join([lemma_of(span[0], "verb"), *span[1:]])))
                        supplement_only.add(candidates[-1][1])
        if not candidates:
            return None
        known = self.store.current(c for _, c in candidates)  # GCIDE's phrases ("it seems") are older usage
        known -= supplement_only - self.store.current(supplement_only, supplement_only=True)
        for size, candidate in sorted(candidates, key=lambda c: -c[0]):
            if candidate in known:
                return candidate
        return None

    def _compositional(self, expression: str, k: str, headword: str | None) -> bool:
        """Whether the word says what `expression` means, so that the word's own entry is
        the one to show first: an expression sense that is one of the word's own senses
        ("political party" is party's "organization to gain political power", "public
        figure" figure's "well-known person"), or an expression every current sense of
        which is defined with the word ("defense contractor": "a contractor concerned
        with..."). An idiom ("status quo"; "bottom line" as "the decisive fact") is not."""
        entry = self.store.entry(expression)
        if entry is None:
            return False
        if self._shared_senses(entry, headword):
            return True
        stems = {senses.stem(w) for w in k.split(" ")}
        definitions = [s["definition"] for m in entry["meanings"] for s in m["senses"] if not s.get("older")]
        return bool(definitions) and all(stems & set(senses.signature_words(d)) for d in definitions)

    def _shared_senses(self, expression_entry: dict | None, headword: str | None) -> set[str]:
        """The synsets an expression shares with a headword's own senses."""
        if not expression_entry or not headword:
            return set()
        ids = {s["id"] for m in expression_entry["meanings"] for s in m["senses"] if "sense_key" in s}
        return ids & set(self.store.signatures(headword))

    @staticmethod
    def _neighbours(k: str, context: str) -> tuple[str | None, str | None, str | None, str | None]:
        """(the words three, two and one before, the word after) the selection in the context."""
        words = [key(t) for t in tokens(context[:MAX_CONTEXT_CHARS * 2])]
        for i, w in enumerate(words):
            if w == k or w in (k + "'s", k + "s'"):
                return (words[i - 3] if i > 2 else None, words[i - 2] if i > 1 else None,
                        words[i - 1] if i else None, words[i + 1] if i + 1 < len(words) else None)
        return None, None, None, None

    def _hint(self, k: str, context: str | None, relation: str | None) -> tuple[str, float] | None:
        """(part of speech, strength) the selection has: from its sentence by the tagger,
        else from the form it was selected in ("allies": plural, a noun)."""
        if not context:
            return senses.pos_hint(None, relation, "", None) if relation else None
        if relation in ("compound of", "derived from") and "-" in k.strip("-"):
            head = self._compound_head(k, context)
            if head:
                return head, senses.STRONG
        compound = self._compound_at(k, context)
        if compound:  # a part of a hyphenated compound selected: "game" of "four-game"
            head = self._compound_head(compound, context) if compound.rsplit("-", 1)[1] == k else None
            return (head, senses.STRONG) if head else None  # the compound's class is no other part's
        tag = self._tag(k, context)
        if tag is not None and tag[0] == "name":
            # Not answered as a name (`is_name` said no), so which of the dictionary's classes
            # the word is in its sentence: "Absorbed in doling out..." opening a sentence.
            tag = self._tag(k, context, as_word=True) or tag
        if tag is None:
            return None
        part_of_speech = TAG_POS.get(tag[0])
        return (part_of_speech, senses.STRONG) if part_of_speech else None

    def _finite_without_object(self, k: str, context: str) -> bool:
        """Whether a verb the tagger reads as a base form stands where only a finite verb can
        and takes no object: then the past of an intransitive verb it is also a form of is
        what the sentence says ("the floor lay underneath me", "Tasha lay sprawled on the
        bed", "the city still lay in ruins": lie), where the base form would need one ("lay
        the table", "lay off staff", "he lay the dog down"). The tagger cannot learn it:
        its training text tags "lay" as a base form even where it is lie's past.

        Finite: not a sentence's first word (an imperative), not after "to", a modal or a
        form of "do" (adverbs between are passed over: "did not lay"). An object: a noun,
        name, number, determiner or a pronoun that is never an adverb ("there" is one),
        next, after an adjective ("lay fresh eggs") or after a particle ("lay down the
        law"); a word the training text never saw says nothing, and the rule stays out."""
        words = tagging.tokenize(context)
        at = next(iter(_selected(context, words, self._token_starts(context), lambda w: key(w) == k)), None)
        if at is None:
            return False
        classes = self.store.usual_classes({key(w) for w in words[max(0, at - 3):at + 4]})

        def seen(word: str) -> tuple[str, set[str]]:
            usual, _, all_seen = classes.get(key(word), "").partition(" ")
            return usual, set(all_seen.split("/")) - {""}

        before = at - 1
        while before >= 0 and seen(words[before])[0] == "adverb" and at - before <= 2:
            before -= 1
        if before < 0 or words[before] in SENTENCE_STARTS or seen(words[before])[0] in ("to", "modal") \
                or key(words[before]) in DO_FORMS:
            return False
        after = at + 1
        if after < len(words) and "particle" in seen(words[after])[1]:
            after += 1  # "lay down the law", "lay off a bunch of people"
        if after >= len(words):
            return True
        usual, all_seen = seen(words[after])
        if usual == "adjective" and after + 1 < len(words):
            usual, all_seen = seen(words[after + 1])  # "lay fresh eggs", but "lay dead, ..."
            if usual not in ("noun", "name", "number"):
                return True  # "lay awake all night"
        if not usual:
            # A word the training text never saw: a verb's participle ("lay sprawled") or a
            # word the dictionary has as no noun ("lay motionless") is no object.
            if not words[after].isalpha():
                return words[after] in SENTENCE_STARTS | {",", ")"}
            after_key = key(words[after])
            return "noun" not in self.store.parts_of_speech(after_key) and bool(self.store.parts_of_speech(after_key)) \
                or any(r.relation in PAST_EITHER | {"present participle of", "past participle of"}
                       for r in morphology.inflections(after_key, self.store))
        return not (usual in ("noun", "name", "determiner", "number") or (usual == "pronoun" and "adverb" not in all_seen))

    def _compound_at(self, k: str, context: str | None) -> str | None:
        """The hyphenated compound (its key) that the selection `k` is a part of, at the
        context's offset ("term" selected in "long-term"); None without an offset."""
        offset = getattr(context, "offset", None)
        if offset is None or "-" in k or " " in k:
            return None
        words = tagging.tokenize(context)
        at = _selected(context, words, self._token_starts(context), lambda w: "-" in w and k in key(w).split("-"))
        return key(words[at[0]]) if at else None

    def _compound_head(self, k: str, context: str) -> str | None:
        """The part of speech of a hyphenated compound's last word, when the compound has no
        entry and is answered by that word's: the compound's class in the sentence is not
        its head's. A compound modifier is an adjective, but its head is mostly a noun
        ("a four-game streak", "in-feed ads", "a six-figure sum": game, feed and figure are
        no adjectives or verbs there), an adjective only when the head word usually is one
        ("protein-rich", "rock-solid"), a verb only when the compound is one. A head that is
        a verb's form ("state-owned", "grass-fed", "top-selling") keeps the tagger's reading
        (None), and so does a head the training text saw mostly as something else ("-like")
        or never ("non-exocrine")."""
        head = k.rsplit("-", 1)[1]
        tag = self._tag(k, context)
        compound = TAG_POS.get(tag[0]) if tag else None
        if compound not in ("noun", "adjective", "verb"):
            return None
        head_pos = self.store.parts_of_speech(head)
        # The class the training text saw the head in most, written so or with a capital ("Afghan").
        seen = self.store.usual_classes([head, head.capitalize()])
        usual = (seen.get(head) or seen.get(head.capitalize()) or "").split(" ")[0]
        if compound == "verb" or usual not in ("noun", "verb", "adjective"):
            return compound if compound == "verb" and "verb" in head_pos else None
        if usual == "adjective" and "adjective" in head_pos:
            return "adjective"
        return "noun" if "noun" in head_pos else None

    def _tag(self, k: str, context: str, as_word: bool = False) -> tuple[str, float] | None:
        """(class, margin) the tagger gives the selected word in its sentence (see `tagging`);
        None when the selection is not one of the sentence's words. `as_word`: among the
        dictionary's parts of speech of the word only, not a name."""
        last = self._last_tag
        asked = (k, context, getattr(context, "offset", None), as_word)
        if last[0] == asked:
            return last[1]
        words = tagging.tokenize(context)
        # At an offset inside a hyphenated compound ("term" of "long-term") the compound's
        # class is the part's: "long-term" is an adjective, whatever "term" alone would be.
        index = next(iter(_selected(context, words, self._token_starts(context),
                                    lambda w: key(w) == k or k in key(w).split("-"))), None)
        if index is not None and getattr(context, "offset", None) is None and key(words[index]) != k:
            index = next((i for i, w in enumerate(words) if key(w) == k), None)
        found = None
        if index is not None:
            lexicon = self.store.usual_classes(tagging.neighbours(words, index))
            dictionary = tagging.sentence_dictionary(words, index, self._word_classes)
            weights = self._tagger_weights
            weights.want(tagging.wanted(words, index, lexicon, dictionary))
            allowed = tagging.dictionary_classes(k, words[index], self.store)
            if as_word:
                allowed = (allowed or set()) - {"name"} or None
            found = tagging.decide(weights, words, index, lexicon, allowed, dictionary)
        self._last_tag = (asked, found)
        return found

    @staticmethod
    def _token_starts(context: str) -> Callable[[], list[int]]:
        """The offsets of `tagging.tokenize`'s tokens (its apostrophes are one character each)."""
        return _starts(tagging.TOKEN, context.translate(tagging.APOSTROPHES))

    def _word(self, lemma_key: str) -> str:
        return self.store.word(lemma_key) or lemma_key

    # -- the entry ------------------------------------------------------------------
    def define(self, selection: str, context: str | None = None, suggest: bool = True,
               offset: int | None = None) -> dict[str, Any]:
        """The entry as a dict (see the module docstring)."""
        return json.loads(self.define_json(selection, context, suggest, offset))

    def define_json(self, selection: str, context: str | None = None, suggest: bool = True,
                    offset: int | None = None) -> bytes:
        """The entry as UTF-8 JSON, the body `GET /api/define` sends. Without context it is
        spliced from the stored answer (already in frequency order) without decoding it:
        the common case stays cheap. `offset`: where in `context` the selection starts (in
        characters), so that the occurrence selected is the one read (see `place`)."""
        query = clean_selection(selection)
        if offset is not None:
            if not context:
                raise BadRequest("An offset places the selection in its context: give the context too.")
            context = place(selection, query, context, offset)
        elif context:
            context = " ".join(context.split())[: MAX_CONTEXT_CHARS * 2]
        elif query == key(query) and self.readings_current:
            # A selection that is its own key (lower case, plain) has its reading stored
            # at build time by `precomputed` below: one query, nothing analysed.
            stored = self.store.reading(query)
            if stored:
                head, answer, first_pos = stored
                if first_pos is not None:  # "leaves", plural of "leave": the noun goes first
                    answer = put_first(answer, first_pos)
                return b"".join((b'{"query": ', _json(query), b", ", head.encode(), b",", answer[1:]))
        return self._define_json(query, context, suggest)

    def precomputed(self, k: str) -> tuple[str, str, str | None] | None:
        """(headword, the answer's members after "query" up to the stored answer, the part
        of speech whose meanings go first or None to keep the stored order) for the
        selection `k` (a key) without context, or None when no reading leads anywhere or
        the meanings are ranked. The build stores this for every headword and form, so
        that `define_json` answers it in one query."""
        try:
            headword, found, also = self.resolve(k, None, suggest=False)
        except NotFound:
            return None
        head, stored = self._head(k, headword, found, also)
        if head is None or stored is None:
            return None
        parts_of_speech = stored[2]
        ranked, wanted_pos = self._ordering(None, head["found"])
        if ranked:
            return None
        reorder = wanted_pos and wanted_pos in parts_of_speech and parts_of_speech[0] != wanted_pos
        del head["query"]
        return headword, json.dumps(head, ensure_ascii=False)[1:-1], wanted_pos if reorder else None

    def _head(self, query: str, headword: str, found: dict | None,
              also: list[dict]) -> tuple[dict[str, Any] | None, tuple[str, bytes, list[str]] | None]:
        """The members of the answer before the stored ones, and the stored (word, answer,
        parts of speech) of `headword`."""
        if found and key(found["form"]) == headword:
            found = None
        stored = self.store.answer(headword)
        if stored is None:
            return None, None
        head: dict[str, Any] = {"query": query, "word": stored[0], "found": found}
        if also:
            head["other_readings"] = also
        return head, stored

    @staticmethod
    def _ordering(context: str | None, found: dict | None) -> tuple[Any, str | None]:
        ranked = context or (found and found["relation"] in ("expression with", "part of the expression"))
        # "leaves", plural of "leave": the noun goes first although the verb is more frequent.
        wanted_pos = RELATION_POS.get(found["relation"]) if found else None
        return ranked, wanted_pos

    def is_name(self, text: str, context: str) -> bool:
        """Whether the selection is a name in its sentence: capitalised mid-sentence, not a
        title ("President"), not part of an expression the dictionary has ("White House"),
        and either next to another capitalised word (a given name, a title: "Ambassador
        Harry Harris", "President Xi") and tagged a noun there, or alone, tagged a proper
        noun and without a sense the dictionary writes with a capital ("Washington",
        "Seoul", but not "Allies" or "Monday")."""
        if not text[:1].isupper() or text.isupper() or " " in text or key(text) in TITLES | FUNCTION_WORDS | LEADING_NOISE:
            return False
        words = tagging.tokenize(context)
        starts = self._token_starts(context)
        for i in _selected(context, words, starts, lambda w: w == text):
            if i == 0 or words[i - 1] in SENTENCE_STARTS:
                # A sentence's first word: a name only when it starts a run of them ("Alan
                # Greenspan said"), which the tagger reads so; not "Golden rules apply".
                after = words[i + 1] if i + 1 < len(words) else ""
                if not (after[:1].isupper() and after[1:].islower() and key(after) not in TITLES
                        and key(after) not in FUNCTION_WORDS | LEADING_NOISE) \
                        or self._expression_in_context(key(text), context):
                    continue
                if any(r.relation in ("plural of", "comparative of") and r.regular
                       for r in morphology.inflections(key(text), self.store)):
                    continue  # a given name is no plural or comparative ("Doctors", "Cheaper")
                tag = self._tag(key(text), context)
                # The word after, where it is (a plain context: its first occurrence).
                following = self._tag(key(after), context if getattr(context, "offset", None) is None
                                      else Sentence(context, starts()[i + 1]))
                return tag is not None and tag[0] == "name" and following is not None and following[0] == "name"
            # A capitalised neighbour that says nothing: the sentence's first word ("The
            # Allies") unless a title ("President Xi said"), a function word ("Of").
            opens = i == 1 or words[i - 2] in SENTENCE_STARTS
            before = words[i - 1] if not opens or key(words[i - 1]) in TITLES else ""
            after = words[i + 1] if i + 1 < len(words) else ""
            beside_capital = any(w[:1].isupper() and w.isalpha() and key(w) not in FUNCTION_WORDS | LEADING_NOISE
                                 for w in (before, after))
            expression = self._expression_in_context(key(text), context)
            if expression and not self._inside_longer_name(words, i, expression):
                return False  # "the White House": the expression, not a name
            if not beside_capital and self._capitalised_senses(key(text)):
                return False  # "the Allies", "on Monday": the dictionary's own sense written so
            tag = self._tag(key(text), context)
            # Alone, only a word the tagger reads as a proper noun ("subservience to Washington").
            return tag is not None and tag[0] in (("name", "noun") if beside_capital else ("name",))
        return False

    @staticmethod
    def _inside_longer_name(words: list[str], i: int, expression: str) -> bool:
        """Whether word i, part of `expression`, is inside a longer run of capitalised words
        that the expression is only a part of: the name of a school, a board, a firm ("the
        Dover High School", "the Dover Area School District Board", "the New York Stock
        Exchange"), which is no high school or stock exchange in general. The run does not
        take in the sentence's first word, and there is none in a sentence
        written in title case (a headline: "Babies Now Being Tested For Cystic Fibrosis"),
        where every word has a capital."""
        def capitalised(word: str) -> bool:  # not "The" opening the sentence
            return word[:1].isupper() and word.isalpha() and not word.isupper() \
                and key(word) not in FUNCTION_WORDS | LEADING_NOISE

        start = end = i
        # A sentence's first word says nothing by its capital ("Key Security Council powers").
        while start > 1 and capitalised(words[start - 1]) and words[start - 2] not in SENTENCE_STARTS:
            start -= 1
        while end + 1 < len(words) and capitalised(words[end + 1]):
            end += 1
        if end - start + 1 <= len(expression.split(" ")) or end - start + 1 < 3:
            return False
        return any(w.isalpha() and w.islower() and len(w) > 3 and w not in FUNCTION_WORDS for w in words)

    def _capitalised_senses(self, k: str) -> set[str]:
        """The senses written with a capital of `k` and of the lemmas it inflects ("Allies")."""
        lemmas = [r.lemma for r in morphology.inflections(k, self.store)]
        return set().union(*self.store.capitalised([k, *lemmas]).values())

    def _capitalised_mid_sentence(self, text: str, context: str) -> bool:
        words = tagging.tokenize(context)
        return text[:1].isupper() and not text.isupper() and any(
            i > 0 and words[i - 1] not in SENTENCE_STARTS
            for i in _selected(context, words, self._token_starts(context), lambda w: w == text))

    def _name_json(self, query: str, context: str, written: str | None = None) -> bytes:
        """The answer for a name (`written`, when the selection is its possessive: "Epstein's"):
        said to be one first; what the dictionary has under the same spelling (a namesake,
        a common noun) after it, when it has anything."""
        name = {"part_of_speech": "name", "senses": [{
            "id": "name", "definition": NAME_DEFINITION, "examples": [context[:200]], "synonyms": [],
            "antonyms": [], "source": "the sentence", "older": False}]}
        written = written or query
        entry: dict[str, Any] = {"query": query, "word": written,
                                 "found": {"form": query, "relation": "name", "lemma": written},
                                 "pronunciations": [], "frequency": {"zipf": 0.0, "band": "very rare"}, "meanings": [name], "etymology": None,
                                 "sources": []}
        try:
            headword, found, _ = self.resolve(written, None, suggest=False)
        except NotFound:
            return _json(entry)
        if found and found["relation"] in DERIVED:
            return _json(entry)  # "Washington" has no namesake in "ton"
        stored = json.loads(self.store.answer(headword)[1])
        entry.update({k: v for k, v in stored.items() if k in ("pronunciations", "frequency", "etymology", "sources")})
        entry["meanings"] = [name, *stored["meanings"]]
        entry["other_readings"] = [{"relation": "the word alone", "lemma": self._word(headword)}]
        return _json(entry)

    def _define_json(self, query: str, context: str | None, suggest: bool) -> bytes:
        # A name's possessive is the name ("Epstein's friends", "Hong Kong's way of life").
        written = query[:-2] if query.endswith("'s") else query[:-1] if query.endswith("s'") else query
        if context and self.is_name(query, context):
            return self._name_json(query, context)
        if context and written != query and self.is_name(written, context):
            return self._name_json(query, context, written)
        maybe_name = bool(context) and query[:1].isupper() and " " not in query
        try:  # no spelling suggestions computed for what may turn out to be a name
            headword, found, also = self.resolve(query, context, suggest and not maybe_name)
        except NotFound:
            # A capitalised word no reading leads to is a name ("Seoul said...").
            if maybe_name and written in tagging.tokenize(context or ""):
                return self._name_json(query, context or "", written)
            if maybe_name and suggest:
                raise NotFound(f"No entry for \u201c{query}\u201d.", query=query, suggestions=self.suggest(query))
            raise
        if context and found and found["relation"] in DERIVED and query[:1].isupper() and not query.isupper():
            return self._name_json(query, context)  # "Washington" is no compound of "ton"
        if context and found and found["relation"] in RELATION_POS and key(query) != headword \
                and self._capitalised_mid_sentence(query, context) and self.store.capitalised([key(query)]):
            # "the Allies landed": the headword written so ("Allies"), not the plural of "ally",
            # which stays one step away.
            headword = key(query)
            also = [{"relation": found["relation"], "lemma": found["lemma"]},
                    *(a for a in also if key(a["lemma"]) != headword)]
            found = None
        head, stored = self._head(query, headword, found, also)
        assert head is not None and stored is not None  # a resolved headword is in the store
        found = head["found"]
        _, answer, parts_of_speech = stored
        ranked, wanted_pos = self._ordering(context, found)
        reorder = wanted_pos and wanted_pos in parts_of_speech and parts_of_speech[0] != wanted_pos
        if not ranked:
            if reorder:
                answer = put_first(answer, wanted_pos)
            return _json(head)[:-1] + b"," + answer[1:]
        entry = json.loads(answer)
        entry["meanings"] = self._rank(headword, entry["meanings"], context or query, query, found)
        return _json({**head, **entry})

    def _rank(self, headword: str, meanings: list[dict], context: str, query: str,
              found: dict | None) -> list[dict]:
        # The selected word is no evidence of its own sense: neither its headword nor the form
        # it was selected in ("referred" in an example of "be relevant to") counts.
        own = {*senses.signature_words(headword), *senses.signature_words(query)}
        context_words = [w for w in senses.signature_words(context) if w not in own]
        weights = self.store.weights(context_words)
        hint = self._hint(key(query), context, found["relation"] if found and found["form"] == query else None)
        # The expression around the word, when it is one of the word's own senses, says which.
        k = key(query)
        expression = self._expression_in_context(k, context) if " " not in k and context != query else None
        preferred = self._shared_senses(self.store.entry(expression), headword) if expression else set()
        if query[:1].isupper() and self._capitalised_mid_sentence(query, context):
            preferred |= self._capitalised_senses(headword)  # "the Allies": the senses written so first
        at = getattr(context, "offset", None)  # the word after the occurrence selected
        after = senses.follower(context[at:] if at else context, query) \
            if " " not in query.strip() and context != query else None
        collocation = ({headword, senses.stem(headword), query.lower()}, after) if after else None
        return senses.rank(meanings, self.store.signatures(headword), context_words, weights, hint, preferred,
                           collocation)

    def ranked_senses(self, headword: str, part_of_speech: str, selection: str, context: str) -> list[dict]:
        """The senses of `headword` in `part_of_speech`, in the order the sentence gives them,
        the headword and part of speech being given: the ranking alone, apart from choosing
        them (what `make bench-define` scores beside WordNet's first sense)."""
        entry = self.store.entry(key(headword))
        meanings = [m for m in entry["meanings"] if m["part_of_speech"] == part_of_speech] if entry else []
        if not meanings:
            return []
        return self._rank(key(headword), meanings, context, selection, None)[0]["senses"]

    def suggest(self, text: str, limit: int = 8) -> list[str]:
        """Spellings to look up instead of `text` (see `suggestions`)."""
        def resolves(spelling: str) -> bool:
            return self._resolve_key(key(spelling), spelling, None) is not None

        return suggestions.suggest(text, self.store, self.speller, limit, resolves)

    def complete(self, prefix: str, limit: int = 10) -> list[str]:
        return self.store.complete(key(prefix), limit)
