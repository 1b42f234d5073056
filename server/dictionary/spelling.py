"""Hunspell en_US through Enchant (pyenchant): is a word spelt right, and its own quick suggestions.

`Speller().check(word)` is hunspell's verdict. `Speller().suggest(word)` is hunspell's
suggestion list from its quick searches only: the replacement table of common
misspellings ("f" for "ph", "ie" for "ei"), related letters, swapped and moved letters,
a word split in two ("onmeth" -> "on meth"), capitals. Two of hunspell's searches are
turned off because the store's own two-edit search over the words it defines does
their work in a fraction of the time (see `suggestions`): the n-gram search, which
scores every word of hunspell's list and takes 25-35 ms whatever the word ("trevorjd" ->
"revolved"), and the letter-by-letter edits over the 80 characters of its TRY alphabet.
Measured on tests/data/misspellings.txt by `make bench-define`.

The switch is hunspell's own affix-file options (`MAXNGRAMSUGS 0`, a short `TRY`):
the speller writes a copy of the system's en_US.aff with them, next to a link to the
system's en_US.dic, into a temporary directory, and points Enchant there while it opens
the dictionary (hunspell reads both files then; the directory is removed at once).
Checking is unchanged: those options only steer suggestions. The provider order is set
explicitly, hunspell first, because Debian's Enchant prefers aspell when both are
installed and the two suggest differently.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import enchant

LANGUAGE = "en_US"
PROVIDER_ORDER = "hunspell,aspell,myspell"
SYSTEM_DICTIONARY_DIRS = [Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"), Path("/usr/share/myspell")]
# Options set in the copy of the affix file (hunspell keeps the first value of an option,
# so the system's lines for them are dropped): no n-gram search, and letter edits only
# with the characters the store's search (letters a-z) does not try.
QUICK_OPTIONS = {"MAXNGRAMSUGS": "0", "TRY": "-'."}

log = logging.getLogger(__name__)


class Speller:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # an Enchant dictionary is not safe across threads
        # Hunspell reads both files when the dictionary opens: the directory can go at once.
        with tempfile.TemporaryDirectory(prefix="gloss-hunspell-") as home:
            self.quick = _write_quick_dictionary(Path(home) / "hunspell")
            with _enchant_config_dir(home if self.quick else None):
                self._broker = enchant.Broker()
                self._broker.set_ordering(LANGUAGE, PROVIDER_ORDER)
                self._dict = self._broker.request_dict(LANGUAGE)
        self.provider = self._dict.provider.name

    def check(self, word: str) -> bool:
        with self._lock:
            return bool(word) and self._dict.check(word)

    def suggest(self, word: str) -> list[str]:
        """Hunspell's quick suggestions, in its order, without the word itself."""
        if not word:
            return []
        with self._lock:
            raw = self._dict.suggest(word)
        return [s for s in dict.fromkeys(raw) if s.lower() != word.lower()]

    def close(self) -> None:
        self._dict = None


def _write_quick_dictionary(directory: Path) -> bool:
    """en_US.aff (with QUICK_OPTIONS) and en_US.dic in `directory`; False if the system has no en_US."""
    for system in SYSTEM_DICTIONARY_DIRS:
        aff, dic = system / f"{LANGUAGE}.aff", system / f"{LANGUAGE}.dic"
        if aff.is_file() and dic.is_file():
            directory.mkdir(parents=True)
            lines = [line for line in aff.read_bytes().splitlines()
                     if (line.split() or [b""])[0].decode("ascii", "replace") not in QUICK_OPTIONS]
            lines += [f"{name} {value}".encode("ascii") for name, value in QUICK_OPTIONS.items()]
            (directory / aff.name).write_bytes(b"\n".join(lines) + b"\n")
            try:
                (directory / dic.name).symlink_to(dic.resolve())
            except OSError:
                shutil.copyfile(dic, directory / dic.name)
            return True
    log.warning("No hunspell %s dictionary in %s: suggestions use Enchant's default, with hunspell's slow "
                "n-gram search", LANGUAGE, ", ".join(map(str, SYSTEM_DICTIONARY_DIRS)))
    return False


@contextmanager
def _enchant_config_dir(directory: str | None) -> Iterator[None]:
    """Enchant looks for dictionaries in $ENCHANT_CONFIG_DIR/hunspell before the system's."""
    if directory is None:
        yield
        return
    before = os.environ.get("ENCHANT_CONFIG_DIR")
    os.environ["ENCHANT_CONFIG_DIR"] = directory
    try:
        yield
    finally:
        if before is None:
            del os.environ["ENCHANT_CONFIG_DIR"]
        else:
            os.environ["ENCHANT_CONFIG_DIR"] = before
