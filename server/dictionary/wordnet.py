"""Read WordNet 3.0 from its database files (Debian `wordnet-base`, /usr/share/wordnet).

In: the directory holding data.*, index.*, *.exc and cntlist.rev. Out: `WordNet`, with
`lemmas`: {lemma (lowercase, spaces): {pos: [Sense, ...] in WordNet's own order, which is
most frequent first}}, `exceptions`: [(form, lemma, pos)] from the *.exc files, and each
Sense's tagged-corpus count (from cntlist.rev through the sense key).

File formats follow the WordNet 3.0 manual pages wndb(5WN), senseidx(5WN), cntlist(5WN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
POS_NAMES = {"n": "noun", "v": "verb", "a": "adjective", "s": "adjective", "r": "adverb"}
SS_TYPE_NUMBER = {"n": 1, "v": 2, "a": 3, "r": 4, "s": 5}
ADJ_MARKER = re.compile(r"\((?:a|p|ip)\)$")
QUOTED = re.compile(r'"([^"]+)"')


@dataclass
class Synset:
    offset: str
    pos: str                 # n, v, a, s, r as in the data file
    lexfile: int
    words: list[tuple[str, int]]  # (word as written, lex_id)
    pointers: list[tuple[str, str, str, int, int]]  # (symbol, offset, pos, source, target)
    gloss: str

    @property
    def definition(self) -> str:
        head = self.gloss.split('"', 1)[0].strip().rstrip(";").strip()
        return head or self.gloss.strip()

    @property
    def examples(self) -> list[str]:
        return [e.strip() for e in QUOTED.findall(self.gloss)]


@dataclass
class Sense:
    synset: Synset
    word: str                # the lemma as written in this synset ("Seoul", "working group")
    count: int = 0           # times tagged in the Brown-corpus concordances
    antonyms: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.synset.offset}-{self.synset.pos}"


@dataclass
class WordNet:
    synsets: dict[tuple[str, str], Synset]
    lemmas: dict[str, dict[str, list[Sense]]]
    exceptions: list[tuple[str, str, str]]


def _parse_data(path: Path, pos: str) -> dict[tuple[str, str], Synset]:
    synsets: dict[tuple[str, str], Synset] = {}
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith("  "):  # licence header
                continue
            body, _, gloss = line.partition(" | ")
            parts = body.split()
            offset, lexfile, ss_type = parts[0], int(parts[1]), parts[2]
            count = int(parts[3], 16)
            words = []
            i = 4
            for _ in range(count):
                words.append((ADJ_MARKER.sub("", parts[i]).replace("_", " "), int(parts[i + 1], 16)))
                i += 2
            pcount = int(parts[i])
            i += 1
            pointers = []
            for _ in range(pcount):
                symbol, target, tpos, st = parts[i:i + 4]
                pointers.append((symbol, target, tpos, int(st[:2], 16), int(st[2:], 16)))
                i += 4
            synsets[(offset, "a" if ss_type == "s" else ss_type)] = Synset(
                offset, ss_type, lexfile, words, pointers, gloss.strip())
    return synsets


def _sense_key(lemma: str, synset: Synset, lex_id: int, synsets: dict[tuple[str, str], Synset]) -> str:
    head = ""
    if synset.pos == "s":  # a satellite's key names the head adjective of its cluster
        for symbol, target, tpos, _, _ in synset.pointers:
            if symbol == "&":
                head_synset = synsets[(target, "a")]
                word, head_id = head_synset.words[0]
                head = f"{word.lower().replace(' ', '_')}:{head_id:02d}"
                break
    lemma_part = lemma.lower().replace(" ", "_")
    return f"{lemma_part}%{SS_TYPE_NUMBER[synset.pos]}:{synset.lexfile:02d}:{lex_id:02d}:{head or ':'}"


def load(root: Path = Path("/usr/share/wordnet")) -> WordNet:
    synsets: dict[tuple[str, str], Synset] = {}
    for pos, name in POS_FILES.items():
        synsets.update(_parse_data(root / f"data.{name}", pos))

    counts: dict[str, int] = {}
    cntlist = root / "cntlist.rev"
    if cntlist.exists():
        for line in cntlist.read_text(encoding="utf-8").splitlines():
            sense_key, _, tag_count = line.split()
            counts[sense_key] = int(tag_count)

    lemmas: dict[str, dict[str, list[Sense]]] = {}
    for pos, name in POS_FILES.items():
        with (root / f"index.{name}").open(encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("  "):
                    continue
                parts = line.split()
                lemma = parts[0].replace("_", " ")
                synset_count = int(parts[2])
                senses = []
                for offset in parts[-synset_count:]:
                    synset = synsets[(offset, pos)]
                    index = next((n for n, (w, _) in enumerate(synset.words) if w.lower() == lemma), None)
                    if index is None:
                        continue
                    word, lex_id = synset.words[index]
                    sense = Sense(synset, word, counts.get(_sense_key(lemma, synset, lex_id, synsets), 0))
                    for symbol, target, tpos, source, target_no in synset.pointers:
                        if symbol == "!" and source in (0, index + 1):
                            other = synsets[(target, "a" if tpos == "s" else tpos)]
                            sense.antonyms.append(other.words[target_no - 1][0] if target_no else other.words[0][0])
                    senses.append(sense)
                lemmas.setdefault(lemma, {})[pos] = senses

    exceptions = []
    for pos, name in POS_FILES.items():
        for line in (root / f"{name}.exc").read_text(encoding="utf-8").splitlines():
            form, *bases = line.split()
            for base in bases:
                exceptions.append((form.replace("_", " "), base.replace("_", " "), pos))
    return WordNet(synsets, lemmas, exceptions)
