"""Which words a printed article glosses, and what each means where it first stands.

    parse_glossary(raw)       -> tuple[Requested, ...] | "auto" | None   (422 naming the field)
    parse_glossary_max(raw)   -> int                                     (422 naming the field)
    choose(article, requested, limit, dictionary) -> tuple[Gloss, ...]   (reading order)

A request is a list of words (plain strings, or `{"word", "context"}` as the extension
keeps its look-up history) or "auto". For a listed word, `choose` finds its first
occurrence in the body in any inflected spelling ("ally" marks "allies"), then asks the
dictionary for the sense that fits the sentence standing there. A word the body does
not hold is left out, unless the headline or standfirst holds it: then it is only in
the closing glossary. "auto" glosses the words a reader is least likely to know: words
of the running text whose headword falls in the rare end of the frequency scale
(`RARE_BANDS`), rarest first, at most `limit`; names (capitalised mid-sentence, or a
capitalised headword), acronyms and numbers are never picked. The dictionary is
English, so "auto" picks nothing in an article declared in another language.

Look-ups read the SQLite store: callers on an event loop run `choose` in a thread.
The body is read from the article's own tree (model.ArticleBody), never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from lxml import etree

from server.article.model import Article, Gloss, parse_fragment
from server.dictionary import morphology
from server.dictionary.normalise import clean_selection, key
from server.errors import GlossError, Unprocessable
from server.glossary.text import TIER_TEXT, WORD_RE, BodyText, word_key

AUTO = "auto"
# Bounds of a request, checked before any look-up: a reader's history of one page is
# tens of words; these keep a hostile request from costing more than a long article.
MAX_WORDS = 50
MAX_WORD_CHARS = 64
MAX_CONTEXT_CHARS = 1000
# How many words "auto" picks by default and at most (`options.glossary_max`).
DEFAULT_AUTO_WORDS = 12
MAX_AUTO_WORDS = 40
# The bands of server.dictionary (Zipf < 3: fewer than one use in a million words).
RARE_BANDS = frozenset({"rare", "very rare"})
# Shorter words are function words or abbreviations, never what a reader looks up.
MIN_AUTO_LETTERS = 4
# Definitions are cut here: a glossary explains, it does not reprint the dictionary.
MAX_DEFINITION_CHARS = 320
# Relations worth telling the reader ("allies" is the plural of "ally"); a possessive or
# an expression is plain from the text itself.
SHOWN_RELATIONS = ("plural", "past", "present", "third-person", "comparative", "superlative", "first-person")


@dataclass(frozen=True)
class Requested:
    word: str
    context: str = ""


Glossary = tuple[Requested, ...] | Literal["auto"] | None


class Lookup(Protocol):
    """What `choose` needs of server.dictionary.lookup.Dictionary."""

    store: Any

    def define(self, selection: str, context: str | None = None, suggest: bool = True) -> dict[str, Any]: ...


# -- options ------------------------------------------------------------------------
def parse_glossary(raw: Any) -> Glossary:
    if raw is None or raw == []:
        return None
    if isinstance(raw, str):
        if raw.strip().lower() == AUTO:
            return AUTO
        raise Unprocessable(f"`options.glossary` must be \"auto\" or a list of words; got {raw[:100]!r}.",
                            field="options.glossary")
    if not isinstance(raw, list):
        raise Unprocessable("`options.glossary` must be \"auto\" or a list of words "
                            "(strings or {\"word\", \"context\"} objects).", field="options.glossary")
    if len(raw) > MAX_WORDS:
        raise Unprocessable(f"`options.glossary` holds {len(raw)} words; at most {MAX_WORDS} are glossed.",
                            field="options.glossary")
    requested: list[Requested] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"options.glossary[{index}]"
        if isinstance(item, str):
            word, context = item, None
        elif isinstance(item, dict):
            unknown = sorted(set(item) - {"word", "context"})
            if unknown:
                raise Unprocessable(f"`{where}` has an unknown field `{unknown[0]}`; known: context, word.",
                                    field=f"{where}.{unknown[0]}")
            word, context = item.get("word"), item.get("context")
        else:
            raise Unprocessable(f"`{where}` must be a word or a {{\"word\", \"context\"}} object; got {item!r:.100}.",
                                field=where)
        if not isinstance(word, str) or not word.strip() or len(word.strip()) > MAX_WORD_CHARS:
            raise Unprocessable(f"`{where}.word` must be a word of 1 to {MAX_WORD_CHARS} characters; "
                                f"got {word!r:.100}.", field=f"{where}.word")
        if context is not None and (not isinstance(context, str) or len(context) > MAX_CONTEXT_CHARS):
            raise Unprocessable(f"`{where}.context` must be the sentence around the word, at most "
                                f"{MAX_CONTEXT_CHARS} characters.", field=f"{where}.context")
        word = " ".join(word.split())
        if key(word) not in seen:  # a word looked up twice is glossed once
            seen.add(key(word))
            requested.append(Requested(word, " ".join((context or "").split())))
    return tuple(requested) or None


def parse_glossary_max(raw: Any) -> int:
    if raw is None:
        return DEFAULT_AUTO_WORDS
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= MAX_AUTO_WORDS:
        raise Unprocessable(f"`options.glossary_max` must be a whole number from 1 to {MAX_AUTO_WORDS}; "
                            f"got {raw!r:.100}.", field="options.glossary_max")
    return raw


# -- choosing -----------------------------------------------------------------------
def body_tree(body_html: str) -> etree._Element:
    """A body tree parsed from HTML; `choose` reads the article's own (`article.body.tree`)."""
    return parse_fragment(body_html)


def choose(article: Article, requested: Glossary, limit: int, dictionary: Lookup) -> tuple[Gloss, ...]:
    if not requested:
        return ()
    body = BodyText(article.body.tree)  # read only: the article's own tree, not a parse of its HTML
    if requested == AUTO:
        picks = _auto(article, body, limit, dictionary)
    else:
        picks = _listed(article, body, requested, dictionary)
    # Reading order: words of the headline or standfirst only (run None) come first.
    picks.sort(key=lambda p: -1 if p[1] is None else p[1][0])
    return tuple(gloss for gloss, _ in picks)


Pick = tuple[Gloss, "tuple[int, int] | None"]


def _listed(article: Article, body: BodyText, requested: tuple[Requested, ...], dictionary: Lookup) -> list[Pick]:
    lemmas: dict[str, set[str]] = {}

    def lemmas_of(k: str) -> set[str]:
        if k not in lemmas:
            readings = morphology.inflections(k, dictionary.store) if " " not in k else []
            lemmas[k] = {k, *(r.lemma for r in readings)}
        return lemmas[k]

    picks: list[Pick] = []
    taken: set[int] = set()
    marked_headwords: set[str] = set()
    for item in requested:
        try:
            query = clean_selection(item.word)
            entry = dictionary.define(query, item.context or None, suggest=False)
        except GlossError:
            continue  # not a word, or none the dictionary knows: nothing to print for it
        targets = {word_key(query), key(entry["word"])}
        if entry.get("found"):
            targets.add(key(entry["found"]["lemma"]))
        forms = {t for t in targets if " " in t}
        forms |= {w.key for w in body.words if lemmas_of(w.key) & targets}
        run = body.first(forms, taken) if forms else None
        if run is None:
            outside = " ".join((article.title, article.standfirst))
            if not any(word_key(w) in targets for w in _words(outside)):
                continue  # the reader met this word somewhere the print does not carry
            gloss = _gloss(dictionary, query, item.context or None, tuple(sorted(forms | targets)))
        else:
            taken.update(range(run[0], run[1] + 1))
            text, sentence = _run_text(body, run), body.sentence(*run)
            gloss = _gloss(dictionary, text, sentence, tuple(sorted(forms)))
            if gloss is not None and key(gloss.headword) not in targets and entry["word"] != gloss.headword:
                # The form read alone leads elsewhere ("allies" to "the Allies"): the reader
                # asked for this headword, so define it, in this sentence.
                gloss = _gloss(dictionary, text, sentence, tuple(sorted(forms)), lookup=query) or gloss
        if gloss is not None and key(gloss.headword) not in marked_headwords:
            marked_headwords.add(key(gloss.headword))
            picks.append((gloss, run))
    return picks


def _auto(article: Article, body: BodyText, limit: int, dictionary: Lookup) -> list[Pick]:
    lang = (article.lang or "").strip().lower()
    if lang and not lang.startswith("en"):
        return []
    names: set[str] = set()
    first_index: dict[str, int] = {}
    for i, word in enumerate(body.words):
        if word.tier != TIER_TEXT or len(word.text) < MIN_AUTO_LETTERS:
            continue
        if any(c.isupper() for c in word.text[1:]):
            names.add(word.key)  # acronyms, "inter-Korean", "McAllister"
            continue
        if word.text[0].isupper():
            if not body.starts_sentence(i):
                names.add(word.key)  # a capital mid-sentence makes a name
                continue
            # A capital that opens a sentence says nothing: the headword's case decides below.
        first_index.setdefault(word.key, i)
    candidates: list[tuple[float, int, str, str]] = []  # (zipf, first index, headword key, form key)
    seen_headwords: set[str] = set()
    headword_of: dict[str, str] = {}
    for form, i in sorted(first_index.items(), key=lambda item: item[1]):
        if form in names:
            continue
        try:
            entry = dictionary.define(body.words[i].text, suggest=False)
        except GlossError:
            continue
        headword = entry["word"]
        headword_of[form] = key(headword)
        if not headword[:1].islower() or key(headword) in names:
            continue  # a proper noun's entry ("Pyongyang", "Harris")
        if entry["frequency"]["band"] not in RARE_BANDS or key(headword) in seen_headwords:
            continue
        seen_headwords.add(key(headword))
        candidates.append((entry["frequency"]["zipf"], i, key(headword), form))
    candidates.sort()
    picks: list[Pick] = []
    for _, i, headword, form in candidates:
        if len(picks) >= limit:
            break
        forms = tuple(sorted({form, *(f for f, h in headword_of.items() if h == headword)}))
        gloss = _gloss(dictionary, body.words[i].text, body.sentence(i), forms)
        # Read in its sentence a word may lead to a commoner headword ("demolishing" is a
        # form of "demolish"): only what stays rare there is glossed.
        if gloss is not None and gloss.band in RARE_BANDS and key(gloss.headword) not in (
                key(p.headword) for p, _ in picks):
            picks.append((gloss, (i, i)))
    return picks


def _gloss(dictionary: Lookup, word: str, context: str | None, forms: tuple[str, ...],
           lookup: str | None = None) -> Gloss | None:
    """The gloss of `word` as it stands in `context`; `lookup` is the selection to define
    when it is not `word` itself (a headword the reader chose for an inflected form)."""
    try:
        entry = dictionary.define(lookup or word, context or None, suggest=False)
    except GlossError:
        return None
    meanings = entry.get("meanings") or []
    senses = meanings[0]["senses"] if meanings else []
    # The first sense in the order the sentence ranked them, preferring current senses to
    # old ones, and senses that do not define the word by itself ("severing: the act of
    # severing") to those that do.
    own = {word_key(word), key(entry["word"]), *forms}
    ranked = sorted(senses, key=lambda s: (_circular(s.get("definition", ""), own), bool(s.get("older"))))
    sense = ranked[0] if ranked else None
    if sense is None:
        return None
    if _circular(sense.get("definition", ""), own) and (not lookup or key(lookup) == word_key(word)):
        # Every sense says the word again: the word read as a form of another ("severing",
        # present participle of "sever") may define it without.
        for reading in entry.get("other_readings") or []:
            other = _gloss(dictionary, word, context, forms, lookup=reading.get("lemma"))
            if other is not None and not _circular(other.definition, own | {key(other.headword)}):
                return other
    found = entry.get("found") or {}
    relation = found.get("relation", "")
    if lookup and word_key(word) != key(entry["word"]):
        relation = next((r.relation for r in morphology.inflections(word_key(word), dictionary.store)
                         if r.lemma == key(entry["word"])), "")
    if not relation.startswith(SHOWN_RELATIONS):
        relation = ""
    pronunciations = entry.get("pronunciations") or []
    return Gloss(word=word, forms=forms, headword=entry["word"], definition=_cut(sense["definition"]),
                 part_of_speech=meanings[0].get("part_of_speech", ""),
                 ipa=pronunciations[0]["ipa"] if pronunciations else "", relation=relation,
                 band=entry["frequency"]["band"])


def _circular(definition: str, own: set[str]) -> bool:
    """Whether a definition uses the word it defines (any of its spellings `own`, or a word
    built on one of them: "sever" in "severing")."""
    stems = {k for k in own if len(k) >= 5}
    for token in _words(definition):
        token = word_key(token)
        if token in own or any(token.startswith(stem) for stem in stems):
            return True
    return False


def _run_text(body: BodyText, run: tuple[int, int]) -> str:
    first, last = body.words[run[0]], body.words[run[1]]
    return " ".join(str(first.node)[first.start:last.end].split())


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def _cut(text: str, limit: int = MAX_DEFINITION_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
