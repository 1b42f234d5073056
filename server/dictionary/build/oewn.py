"""Read Open English WordNet from its YAML sources (the release archive shipped in vendor/).

In: `vendor/open-english-wordnet/english-wordnet-src-*.tar.xz` (src/yaml/entries-*.yaml:
lemma -> part of speech -> senses with their sense keys, irregular forms; src/yaml/
<pos>.<lexfile>.yaml: synsets with definitions, examples, members and relations).
Out: `WordNet`, with `lemmas`: {lemma (lowercase): {pos: [Sense, ...] in OEWN's order,
which is WordNet's most-frequent-first order}}, `synsets`: {synset id: Synset} and
`exceptions`: [(form, lemma, pos)] from the entries' `form` lists ("went" -> "go").

Each sense carries its tag count from WordNet 3.0's concordances (vendor/wordnet-3.0-counts),
found by its sense key.

Where two lemmas differ only in case ("allies", "Allies") their senses are listed under
the one lowercase key, the lowercase lemma's first (a reader typing a word in lower case
means the common word first).
"""

from __future__ import annotations

import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from server.dictionary.build import yamlsubset

VENDOR = Path(__file__).resolve().parents[3] / "vendor" / "open-english-wordnet"
COUNTS = Path(__file__).resolve().parents[3] / "vendor" / "wordnet-3.0-counts" / "cntlist.rev"
# "(a)", "(p)", "(ip)": attributive, predicative, immediately postnominal.
POSITION_MARKER = re.compile(r"\((?:a|p|ip)\)")
POS_NAMES = {"n": "noun", "v": "verb", "a": "adjective", "s": "adjective", "r": "adverb"}
# Relations that widen a sense's signature for context ranking, as in WordNet 3.0's
# pointers the ranking was measured with: broader synsets and their definitions
# (DEFINING), and the synsets around a sense (their words only).
DEFINING = ("hypernym", "instance_hypernym", "similar", "domain_topic")
AROUND = ("also", "attribute", "mero_part", "mero_member", "mero_substance", "holo_part", "holo_member",
          "holo_substance", "hyponym", "instance_hyponym", "has_domain_topic", "entails", "causes")
INVERSE = {"hypernym": "hyponym", "instance_hypernym": "instance_hyponym", "mero_part": "holo_part",
           "mero_member": "holo_member", "mero_substance": "holo_substance", "domain_topic": "has_domain_topic"}


@dataclass
class Synset:
    id: str                  # "08437235-n"
    pos: str                 # n, v, a, s, r
    lexfile: str             # "noun.group"
    words: list[str]         # members as written
    definition: str
    examples: list[str]
    relations: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Sense:
    synset: Synset
    word: str                # the lemma as written ("Seoul", "working group")
    key: str                 # the sense key, "bank%1:14:00::"
    antonyms: list[str] = field(default_factory=list)
    count: int = 0           # times tagged in WordNet 3.0's concordances (0 for senses OEWN added)
    relatives: list[str] = field(default_factory=list)  # sense keys of its derivational relatives and pertainyms

    @property
    def id(self) -> str:
        return self.synset.id


@dataclass
class WordNet:
    synsets: dict[str, Synset]
    lemmas: dict[str, dict[str, list[Sense]]]
    exceptions: list[tuple[str, str, str]]


def archive() -> Path:
    found = sorted(VENDOR.glob("english-wordnet-src-*.tar.xz"))
    if not found:
        raise FileNotFoundError(f"no Open English WordNet sources in {VENDOR}")
    return found[-1]


def _text(value) -> str:
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("text", ""))
    return "" if value is None else str(value)


def counts(path: Path = COUNTS) -> dict[str, int]:
    """{sense key: tag count} from WordNet 3.0's cntlist.rev. A satellite's head word there
    may carry WordNet 3.0's adjective-position marker ("several%5:00:00:some(a):00"), which
    OEWN's keys drop ("...:some:00"): without it 81 senses, 684 tags, would find no sense."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        sense_key, _, tag_count = line.split()
        found[POSITION_MARKER.sub("", sense_key)] = int(tag_count)
    return found


def load(path: Path | None = None) -> WordNet:
    synsets: dict[str, Synset] = {}
    entry_files: list[dict] = []
    with tarfile.open(path or archive(), "r:xz") as tar:
        for member in tar:
            name = member.name.rsplit("/", 1)[-1]
            if not member.isfile() or not name.endswith(".yaml") or "/yaml/" not in member.name:
                continue
            data = yamlsubset.loads(tar.extractfile(member).read().decode("utf-8"))
            if name.startswith("entries-"):
                entry_files.append(data or {})
            elif name != "frames.yaml":
                lexfile = name[:-len(".yaml")]
                for synset_id, body in (data or {}).items():
                    relations = {k: v for k, v in body.items() if isinstance(v, list) and k not in
                                 ("definition", "example", "members")}
                    synsets[synset_id] = Synset(synset_id, body.get("partOfSpeech", synset_id[-1]), lexfile,
                                                list(body.get("members") or []), _text(body.get("definition")),
                                                [_text(e) for e in body.get("example") or []], relations)
    for synset in list(synsets.values()):  # OEWN lists one direction; the ranking reads both
        for relation, inverse in INVERSE.items():
            for target in synset.relations.get(relation, []):
                if target in synsets:
                    synsets[target].relations.setdefault(inverse, []).append(synset.id)

    lemmas: dict[str, dict[str, list[Sense]]] = {}
    exceptions: list[tuple[str, str, str]] = []
    written: list[tuple[str, str, list]] = []
    for entries in entry_files:
        for lemma, by_pos in entries.items():
            for pos, body in (by_pos or {}).items():
                written.append((str(lemma), pos[0], body.get("sense") or []))
                exceptions.extend((str(form), str(lemma).lower(), pos[0]) for form in body.get("form") or [])
    written.sort(key=lambda w: (w[0].lower(), w[0] != w[0].lower()))  # "allies" before "Allies"
    tagged = counts()
    sense_words: dict[str, str] = {}
    for lemma, _, senses in written:
        for sense in senses:
            sense_words[sense["id"]] = lemma
    for lemma, pos, senses in written:
        listed = lemmas.setdefault(lemma.lower(), {}).setdefault("a" if pos == "s" else pos, [])
        for item in senses:
            synset = synsets.get(item.get("synset"))
            if synset is None:
                continue
            antonyms = [sense_words[k] for k in item.get("antonym") or [] if k in sense_words]
            relatives = [*(item.get("derivation") or []), *(item.get("pertainym") or [])]
            listed.append(Sense(synset, lemma, item["id"], antonyms, tagged.get(item["id"], 0), relatives))
    return WordNet(synsets, lemmas, exceptions)


def sense_order(path: Path | None = None) -> dict[tuple[str, str], list[str]]:
    """{(lemma lowercase, part of speech name): sense keys in OEWN's own order}, read from the
    entries alone (seconds, where `load` takes tens): WordNet's first sense, as the benches
    compare with, whatever order the store gives its senses."""
    order: dict[tuple[str, str], list[str]] = {}
    with tarfile.open(path or archive(), "r:xz") as tar:
        for member in tar:
            name = member.name.rsplit("/", 1)[-1]
            if member.isfile() and name.startswith("entries-") and name.endswith(".yaml"):
                entries = yamlsubset.loads(tar.extractfile(member).read().decode("utf-8")) or {}
                for lemma, by_pos in sorted(entries.items(), key=lambda e: str(e[0]) != str(e[0]).lower()):
                    for pos, body in (by_pos or {}).items():
                        order.setdefault((str(lemma).lower(), POS_NAMES[pos[0]]), []).extend(
                            s["id"] for s in body.get("sense") or [])
    return order
