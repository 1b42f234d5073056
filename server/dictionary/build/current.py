"""Read Gloss's own supplement of current English (build/current_english/entries.tsv).

In: the tab-separated file described in build/current_english/README.md, one row a
sense: headword as written, part of speech, place ("first": the sense today's news
writing means first; "after": next after the sense listed first), a plain definition
or "=" and an Open English WordNet sense key (that OEWN sense is the one put first), and
a domain. Out: {store key: [Row, ...]} in the file's order.

`check` fails the build on a row it cannot honour (a part of speech a reader would not
know, a sense key that is not one of the headword's OEWN senses in that part of
speech), so that a wrong row is found when it is written, not by a reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from server.dictionary import normalise

PATH = Path(__file__).resolve().parent / "current_english" / "entries.tsv"
SOURCE = "Gloss current English"
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "phrase", "interjection", "pronoun")
PLACES = ("first", "after")
DOMAINS = ("technology", "internet", "politics", "health", "economy", "culture", "grammar")


@dataclass(frozen=True)
class Row:
    word: str            # as written ("Brexit", "walk back")
    pos: str             # one of PARTS_OF_SPEECH
    place: str           # "first" or "after"
    definition: str      # empty when the row names an OEWN sense
    sense_key: str       # empty when the row gives a definition
    domain: str
    line: int


def load(path: Path = PATH) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5:
            raise ValueError(f"{path}:{number}: 5 tab-separated fields expected, found {len(fields)}")
        word, pos, place, text, domain = (f.strip() for f in fields)
        if pos not in PARTS_OF_SPEECH or place not in PLACES or domain not in DOMAINS or not word or not text:
            raise ValueError(f"{path}:{number}: unknown part of speech, place or domain, or an empty field: {line!r}")
        key = text[1:] if text.startswith("=") else ""
        rows.setdefault(normalise.key(word), []).append(Row(word, pos, place, "" if key else text, key, domain, number))
    return rows


def check(rows: dict[str, list[Row]], sense_keys: dict[str, dict[str, set[str]]]) -> None:
    """Raises ValueError for a row naming a sense key that `sense_keys` ({key: {part of
    speech: OEWN sense keys}}) does not give the headword in that part of speech."""
    for k, listed in rows.items():
        for row in listed:
            if row.sense_key and row.sense_key not in sense_keys.get(k, {}).get(row.pos, set()):
                raise ValueError(f"{PATH.name}:{row.line}: {row.sense_key} is not a {row.pos} sense of "
                                 f"{row.word!r} in Open English WordNet")
