"""Spelling suggestions: a word the dictionary does not know in, words to try instead out.

Enchant (pyenchant) with the hunspell en_US dictionary. The provider order is set
explicitly, hunspell first, because Debian's Enchant prefers aspell when both are
installed and the two suggest differently. Suggestions the dictionary can define are
ranked first, then by edit distance to what was typed, then in hunspell's order:
"detante" gives "detente" first, where hunspell alone puts "dentate" first.
"""

from __future__ import annotations

import threading
from typing import Callable

import enchant

LANGUAGE = "en_US"
PROVIDER_ORDER = "hunspell,aspell,myspell"


class Speller:
    def __init__(self) -> None:
        self._broker = enchant.Broker()
        self._broker.set_ordering(LANGUAGE, PROVIDER_ORDER)
        self._dict = self._broker.request_dict(LANGUAGE)
        self.provider = self._dict.provider.name
        self._lock = threading.Lock()  # an Enchant dictionary is not safe across threads

    def check(self, word: str) -> bool:
        with self._lock:
            return bool(word) and self._dict.check(word)

    def suggest(self, word: str, definable: Callable[[str], bool], limit: int = 8) -> list[str]:
        with self._lock:
            raw = self._dict.suggest(word) if word else []
        seen: list[str] = []
        for s in raw:
            if s not in seen and s.lower() != word.lower():
                seen.append(s)
        ranked = sorted(enumerate(seen), key=lambda t: (not definable(t[1]), _distance(word.lower(), t[1].lower()), t[0]))
        return [s for _, s in ranked][:limit]

    def close(self) -> None:
        self._dict = None


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), for ranking a few suggestions."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]
