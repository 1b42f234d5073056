"""Read GCIDE (Debian `dict-gcide`: /usr/share/dictd/gcide.dict.dz, the dictd text form).

In: the path of gcide.dict.dz. Out: `GcideEntry` values, one per entry block: headwords,
part of speech, etymology, inflected forms with what they are ("plural", "past tense"),
senses (definition, the quotations after it as examples, `older` when the text marks
the sense obsolete or archaic), and phrase entries ("{To be under the mahogany}, ...")
as entries of their own.

The dictd text puts an entry's first line at column 0 ("Ally \\Al*ly"\\, n.; pl.
{Allies}. [See {Ally}, v.]") and indents everything else; paragraphs are separated by
blank lines and closed by a source tag ("[1913 Webster]"). Characters outside ASCII are
written as codes in brackets ("['e]" for é), translated here as far as they are known.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_TAG = re.compile(r"^\s*\[[^\]]*(?:Webster|WordNet|PJC|Century|RDH|\bAS\b|MW10|Chambers)[^\]]*\]\s*$", re.M)
OLDER = re.compile(r"\[(?:Obs|Archaic|archaic|Obsolescent|Obsoles)[^\]]*\]|\bObsolete\b")
LABEL = re.compile(r"\[(?:Obs|Archaic|archaic|R|Colloq|Eng|Scot|Prov[^\]]*|U\. ?S|Slang|slang|Cant|Low|Local[^\]]*)\.?\]")
HEADWORD = re.compile(r"([^\\,()\[\]]+?)\s*\\[^\\]*\\")
HEADWORD_GAP = re.compile(r"\s*(?:\([^)]*\))?\s*,\s*(?:or\s+)?")
POS_MAP = [
    ("prop. n.", "name"), ("v. t.", "verb"), ("v. i.", "verb"), ("v.", "verb"), ("n.", "noun"), ("a.", "adjective"),
    ("adj.", "adjective"), ("adv.", "adverb"), ("prep.", "preposition"), ("conj.", "conjunction"),
    ("interj.", "interjection"), ("pron.", "pronoun"), ("p. p.", "verb"), ("p. a.", "adjective"),
    ("imp.", "verb"), ("p. pr.", "verb"), ("pl.", "noun"), ("superl.", "adjective"),
    ("compar.", "adjective"), ("prefix.", "prefix"), ("suffix.", "suffix"), ("pref.", "prefix"),
    ("suff.", "suffix"), ("obs.", "verb"),
]
# A part of speech may break across lines ("prop.\n   n.").
POS_TOKEN = re.compile(r"(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p, _ in POS_MAP) + r")", re.I)
INFLECTION_LABELS = {
    "pl": "plural of", "imp": "past tense of", "p. p": "past participle of",
    "imp. & p. p": "past tense and past participle of", "p. pr": "present participle of",
    "p. pr. & vb. n": "present participle of", "vb. n": "verbal noun of",
    "compar": "comparative of", "superl": "superlative of",
}
INFLECTION_PART = re.compile(r"(imp\. & p\. p|p\. pr\. & vb\. n|p\. pr|p\. p|vb\. n|imp|pl|compar|superl)\.|\{([^}]+)\}", re.I)
INFLECTION_STARTS = ("imp.", "pl.", "compar.", "superl.", "p. p.", "p. pr.", "vb. n.")
FORM_OF = re.compile(r"(imp\. & p\. p|p\. pr\. & vb\. n|p\. pr|p\. p|vb\. n|imp|pl|compar|superl)\.\s+of\s+\{([^}]+)\}", re.I)
SENSE_NUMBER = re.compile(r"^\s*(?:\d+\.|\([a-z]\))\s*")

ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", '"': "\u0308", "=": "\u0304",
           ".": "\u0307", ",": "\u0327"}
CODES = {"ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aum": "ä", "eth": "ð", "thorn": "þ", "ng": "ŋ",
         "deg": "°", "sect": "§", "root": "√", "yogh": "ȝ", "th": "θ", "asl": "a", "imac": "ī",
         "add": "a", "udd": "u", "frac12": "½", "frac14": "¼", "frac34": "¾", "middot": "·",
         "pound": "£", "cent": "¢", "min": "′", "sec": "″", "Crev": "Č", "sharp": "♯", "flat": "♭"}
CODE_RE = re.compile(r"\[([^\]\s]{1,6})\]")


def _code(match: re.Match) -> str:
    code = match.group(1)
    if code in CODES:
        return CODES[code]
    if len(code) == 2 and code[0] in ACCENTS and code[1].isalpha():
        import unicodedata
        return unicodedata.normalize("NFC", code[1] + ACCENTS[code[0]])
    if len(code) in (2, 3) and code[-1] == "^" and code[0].isalpha():  # breve (pronunciation marks)
        return code[:-1]
    if len(code) == 2 and code[0] == "-" and code[1].isalpha():
        return code[1]
    return match.group(0)


def decode(text: str) -> str:
    """GCIDE text with its bracket codes made characters and its cross-reference braces dropped."""
    text = CODE_RE.sub(_code, text)
    return text.replace("{", "").replace("}", "")


@dataclass
class GcideSense:
    definition: str
    examples: list[str] = field(default_factory=list)
    older: bool = False


@dataclass
class GcideEntry:
    headwords: list[str]
    pos: str | None
    etymology: str | None
    forms: list[tuple[str, str]] = field(default_factory=list)  # (form, relation)
    senses: list[GcideSense] = field(default_factory=list)
    form_of: list[tuple[str, str]] = field(default_factory=list)  # (lemma, relation) for "pl. of {Woman}"


def _balanced(text: str, start: int) -> int:
    """Index just past the bracket group opening at `start`."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _clean(text: str) -> str:
    text = SOURCE_TAG.sub("", text)
    text = " ".join(text.split())
    return decode(text).strip()


def _parse_header(text: str) -> tuple[list[str], str | None, str | None, list, list, str]:
    """Headwords, part of speech, etymology, inflected forms and the text after the header."""
    headwords = []
    pos_end = 0
    start = 0
    # Headwords open the entry, one after another ("Limbo \\...\\ (...), Limbus \\...\\"):
    # matched in place, never searched for, so a long entry costs no more than a short one.
    while match := HEADWORD.match(text, start):
        headwords.append(match.group(1).strip())
        pos_end = match.end()
        gap = HEADWORD_GAP.match(text, pos_end)
        if not gap:
            break
        start = gap.end()
    if not headwords:
        return [], None, None, [], [], text
    i = pos_end
    pos = None
    etymology = None
    forms: list[tuple[str, str]] = []
    form_of: list[tuple[str, str]] = []
    while i < len(text):
        c = text[i]
        if c in " \n,;&" or c == "." and i > pos_end:  # "(b[a^]ft). n.": a stop after the pronunciation
            i += 1
        elif c == "(" and text.find(")", i) > 0 and (pos is None and etymology is None):
            i = text.find(")", i) + 1
        elif c == "[":
            end = _balanced(text, i)
            group = text[i + 1:end - 1]
            label = None
            found = 0
            inflections = group.lstrip().lower().startswith(INFLECTION_STARTS)
            for part in (INFLECTION_PART.finditer(group) if inflections else ()):
                if part.group(1):
                    label = INFLECTION_LABELS.get(part.group(1).lower())
                elif label:
                    forms.append((decode(part.group(2)).strip(), label))
                    found += 1
            if not found and etymology is None and not SOURCE_TAG.match(text[i:end]) \
                    and not group.lower().startswith(("imp", "pl.", "compar", "p. p", "obs", "r.")):
                etymology = _clean(group)
            i = end
        elif FORM_OF.match(text, i):
            match = FORM_OF.match(text, i)
            form_of.append((decode(match.group(2)).strip(), INFLECTION_LABELS.get(match.group(1).lower(), "form of")))
            i = match.end()
        else:
            match = POS_TOKEN.match(text, i)
            if match:
                if pos is None:
                    pos = dict((k.lower(), v) for k, v in POS_MAP).get(" ".join(match.group(0).lower().split()))
                i = match.end()
                # "n.; pl. {Allies}." written outside brackets
                inline = re.match(r"\s*;?\s*(pl|imp|p\. p|compar|superl)\.\s*((?:\{[^}]+\},?\s*(?:or\s*)?)+)\.?",
                                  text[i:], re.I)
                if inline:
                    label = INFLECTION_LABELS.get(inline.group(1).lower())
                    forms += [(decode(f).strip(), label) for f in re.findall(r"\{([^}]+)\}", inline.group(2))]
                    i += inline.end()
            else:
                break
    return headwords, pos, etymology, forms, form_of, text[i:]


def _paragraphs(block: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", block) if p.strip()]


def parse_block(block: str) -> list[GcideEntry]:
    paragraphs = _paragraphs(block)
    if not paragraphs:
        return []
    headwords, pos, etymology, forms, form_of, rest = _parse_header(paragraphs[0])
    if not headwords:
        return []
    entry = GcideEntry([decode(h) for h in headwords], pos, etymology, forms, form_of=form_of)
    if form_of:  # "Women, n., pl. of {Woman}": a form, not an entry of its own
        return [entry]
    entries = [entry]
    bodies = ([rest] if rest.strip() else []) + paragraphs[1:]
    for body in bodies:
        stripped = SOURCE_TAG.sub("", body)
        if not stripped.strip():
            continue
        first = stripped.lstrip("\n")
        indent = len(first) - len(first.lstrip(" "))
        content = first.strip()
        if content.startswith(("Note:", "Syn:", "Syn.", "--")):
            continue
        if content.startswith("{"):  # a phrase with its own definition
            names, _, definition = content.partition("}, ")
            if not definition or "\n" in names:
                continue
            phrases = [decode(n).strip() for n in re.findall(r"\{([^}]+)\}", names + "}")]
            definition = _clean(definition)
            sense = GcideSense(LABEL.sub("", definition).strip(" ,;"), [], bool(OLDER.search(definition)))
            for phrase in phrases:
                if " " in phrase and len(phrase) < 60:
                    entries.append(GcideEntry([phrase], "phrase", None, [], [sense]))
            continue
        if indent >= 8 and entry.senses:  # a quotation illustrating the sense before it
            quote = _clean(content)
            quote = re.split(r"\s--[A-Z]", quote)[0].strip()
            if quote and len(entry.senses[-1].examples) < 2:
                entry.senses[-1].examples.append(quote)
            continue
        # Sub-senses "(a) ...", "(b) ..." of one numbered sense each stand as a sense.
        pieces = re.split(r"\n\s*(?=\([a-z]\)\s)", stripped)
        for piece in pieces:
            text = _clean(SENSE_NUMBER.sub("", piece.strip()))
            text = re.sub(r"^\((?:[A-Z][a-z]*\.?\s*&?\s*)+\)\s*", "", text)  # "(Bot.)" domain label
            text = re.sub(r"\s--\s?[A-Z][\w. ]+$", "", text)  # trailing "--Shak."
            older = bool(OLDER.search(text))
            text = LABEL.sub("", text).strip(" ,;")
            if len(text) > 2 and not text.endswith(":"):
                entry.senses.append(GcideSense(text, [], older))
    return entries


# What a reader should not see in a definition: the source tags and anything after them,
# etymologies and labels in brackets, domain abbreviations ("(Mil.)"), markup left over,
# quotation attributions ("--Shak.").
TRAILING_SOURCE = re.compile(r"\s*\[(?:\d{4} )?(?:Webster|WordNet|PJC|Century|RDH|MW10|Chambers)[^\]]*\].*$", re.S)
BRACKETED = re.compile(r"\s*\[[^\]]*\]")
DOMAIN = re.compile(r"\((?:[^\W\d_]+\.\s*(?:&\s*)?)+\),?\s*")
LEFT_OVER_HEAD = re.compile(r"^\s*\]\s*(?:[a-z]{1,5}\.+\s*)?")  # "] n.. A membranous..."
MARKUP = re.compile(r"<!--.*?-->|<!--|-->|[<>{}]", re.S)
ATTRIBUTION = re.compile(r"(?<=[\"'.!?])\s+--\s?[A-Z][\w'&. ]{0,30}?\.(?=\s+[\"A-Z])"  # mid-text: '" --Milton. The'
                         r"|\s*--\s?[A-Z][\w.,'& ]*(?=$|\")")  # at the end: "--Beau. & Fl."

# A derived form's line run on after the definition ("-- Ab`sent-mind\"ed*ness, n."): its
# pronunciation marks (` and *) say it is a header, not words; a trailing pointer to
# another word ("Cf. Enfect."); a sense that is only such a pointer ("See Luxe.",
# "Same as Haematin.", "See 3d Trone, 2."), which the build drops when the entry has more.
# A pronunciation left in the text: in brackets, with GCIDE's accent marks inside a word
# ("(al\"ōz)", "(an`ȧ*fī*lak\"tik)"), or a short one opening the definition before its
# full stop ("(-lī). A small tile"); a header's other part of speech opening it ("or
# prep. Between.", "or auxiliary."), and what is left of a bracket it opened ("\"ing).").
PRONUNCIATION = re.compile(r"^\(\S{1,30}\)\.\s*(?:\d+\.\s*)?")
MARKED_PRONUNCIATION = re.compile(r"\s*\((?=[^()]*[^\W\d_][`\"*][^\W\d_])[^()]*\)")  # once codes ("[=oo]") are gone
OTHER_HEAD = re.compile(r"^(?:(?:or|and)\s+)?(?:auxiliary\.?|[a-z]{1,5}\.(?:\s?[a-z]\.)?)(?=[\s\"]|$)\s*(?:[^\s()]*\)\.?\s*)?(?:\d+\.\s+)?")
LEADING_FRAGMENT = re.compile(r"^(?:[^\s()]*\)\.?\s+)?(?:\d+\.\s+)?")
DERIVED_LINE = re.compile(r"\s*--\s*[^\s-]*[`*][^\s]*.*$", re.S)
TRAILING_CF = re.compile(r"\s*\bCf\.\s+[^.;]*\.?\s*$")
CROSS_REFERENCE = re.compile(r"^(?:See|Same as|Cf\.)\s+(?:\d\w*\s+)?(?P<word>[A-Z][\w' -]*?)(?:,\s*\d+)?\.?$")
# A second headword's header left in the text ("or Abyme \\A*byme\"\\, n. A abyss.",
# "acanthous \\acanthous\\adj. 1. 1 shaped..."), a census line after a place's
# definition, a source's initials left at the end.
# A bubble shows a definition, not an essay (GCIDE's longest run to thousands of characters).
MAX_CHARS = 600
SECOND_HEAD = re.compile(r"^(?:(?:or\s+|and\s+)?[^\\\n]{0,60}\\[^\\]*\\\s*,?\s*)+"
                         r"(?:(?:prop\. )?[a-z]{1,5}\.\s*(?:[a-z]{1,2}\.\s*)?)?(?:\d+\.?\s+)*")
# What is left of a header cut short ("Adjusting surface \\Adjusting"), a header's part of
# speech before the definition ("pl. Provisions."), a header's other spelling with its
# label ("or Fictitious person (Law), a corporation...").
CUT_HEAD = re.compile(r"\s*\\.*$", re.S)
LEADING_POS = re.compile(r"^(?:(?:pl|n|a|adj|adv|v\. ?[ti]|imp|p\. ?p|p\. ?pr|prop\. n)\.(?:\s*(?:&|and)\s*(?:v\. ?)?[ti]\.+)?"
                         r"(?:\s+-[a-z]+\b)?[\s,;]*)+")
OTHER_SPELLING = re.compile(r"^or\s+[A-Z][\w' -]{0,40}?\s*(?:\([A-Z][a-z]*\.?\)\s*)?,\s*")
LABEL_ONLY = re.compile(r"^\([^()]*\)\.?$")
CENSUS = re.compile(r"\s*Population \(\d{4}\).*$")
TRAILING_INITIALS = re.compile(r"[\s,;]+(?:PJC|RDH|MW10|AS)\.?\s*$")


def display(text: str) -> str:
    """A definition or example as a reader should see it (see the patterns above)."""
    text = LEFT_OVER_HEAD.sub("", text)
    text = PRONUNCIATION.sub("", text)
    if text.startswith(("or ", "and ", "auxiliary")):
        text = OTHER_HEAD.sub("", text)
    text = SECOND_HEAD.sub("", text)
    text = CUT_HEAD.sub("", text)
    text = OTHER_SPELLING.sub("", text)
    text = LEADING_POS.sub("", text)
    text = CENSUS.sub("", text)
    text = TRAILING_INITIALS.sub("", text)
    text = TRAILING_SOURCE.sub("", text)
    text = BRACKETED.sub("", text)
    text = MARKED_PRONUNCIATION.sub("", text)
    text = DOMAIN.sub("", text)
    text = MARKUP.sub("", text)
    text = DERIVED_LINE.sub("", text)
    text = ATTRIBUTION.sub("", text)
    text = TRAILING_CF.sub("", text)
    text = re.sub(r"\s*(?:\d{4} )?(?:Webster|WordNet|PJC|Century)[\s\d.]*\]\s*$", "", text)
    # What is left of a bracket that the dictd text opened or closed elsewhere.
    if "]" in text:
        at = text.index("]")
        text = text[at + 1:] if at < len(text) / 2 else text[:text.rfind(".", 0, at) + 1]
    if "[" in text:
        text = text[:text.index("[")]
    # bared by the brackets' removal: a part of speech, a sense number, a bracket's tail ('"ing). This verb')
    text = LEADING_POS.sub("", LEADING_FRAGMENT.sub("", " ".join(text.split()).lstrip(".,;: "))).strip()
    # An essay's sources ("--Century Dict., 1906"), a web address left by markup: the text
    # stops at the sentence before them, and a definition at a sentence within MAX_CHARS.
    cut = min((at for at in (text.find(" --Century"), text.find("www."), text.find("http")) if at > 0), default=-1)
    if cut > 0:
        text = text[:text.rfind(". ", 0, cut) + 1]
    if len(text) > MAX_CHARS and text.rfind(". ", 0, MAX_CHARS) > 0:
        text = text[:text.rfind(". ", 0, MAX_CHARS) + 1]
    if text.startswith("--"):  # a derived form's line ("-- Pho`to*tac"tic*al*ly, adv.")
        return ""
    return text if any(c.isalpha() for c in text) and not LABEL_ONLY.match(text) else ""


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64(text: str) -> int:
    number = 0
    for c in text:
        number = number * 64 + B64.index(c)
    return number


def load(path: Path = Path("/usr/share/dictd/gcide.dict.dz"), headwords: set[str] | None = None) -> list[GcideEntry]:
    """Every entry; with `headwords` (store keys), only the blocks the dictd index lists for them."""
    raw = gzip.open(path).read()
    if headwords is None:
        blocks = re.split(r"\n(?=\S)", raw.decode("utf-8", errors="replace"))
    else:
        from server.dictionary.normalise import key
        spans = set()
        index = path.with_name(path.name.removesuffix(".dict.dz") + ".index")
        for line in index.read_text(encoding="utf-8", errors="replace").splitlines():
            word, _, rest = line.partition("\t")
            if key(word) in headwords:
                offset, _, length = rest.partition("\t")
                spans.add((_b64(offset), _b64(length)))
        blocks = [block for o, n in sorted(spans)
                  for block in re.split(r"\n(?=\S)", raw[o:o + n].decode("utf-8", errors="replace"))]
    entries: list[GcideEntry] = []
    for block in blocks:
        if block.startswith("00-"):
            continue
        entries.extend(parse_block(block))
    return entries
