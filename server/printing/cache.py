"""A bounded in-memory LRU of finished prints: `key -> CachedPrint(pdf, filename)`.

Bounded twice: by entry count (`cache_entries`) and by total bytes, because one PDF
full of photographs can weigh tens of MiB. Keys are hashes of the normalised request
(see pipeline.cache_key), so identical requests share one entry. The cache lives in
one process; a deployment with several processes would put a shared store (Redis)
behind the same two methods.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

# All cached PDFs together stay under this many bytes, whatever the entry count.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class CachedPrint:
    pdf: bytes
    filename: str  # the headline the Content-Disposition is built from


class PrintCache:
    def __init__(self, max_entries: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_entries = max(0, max_entries)
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, CachedPrint] = OrderedDict()
        # Digest of a request's raw bytes -> its normalised key: a byte-identical repeat is
        # answered without parsing its (possibly megabytes of) JSON again.
        self._aliases: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> CachedPrint | None:
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry

    def get_alias(self, raw_key: str) -> CachedPrint | None:
        key = self._aliases.get(raw_key)
        if key is None:
            return None
        self._aliases.move_to_end(raw_key)
        return self.get(key)

    def alias(self, raw_key: str, key: str) -> None:
        if self.max_entries == 0:
            return
        self._aliases[raw_key] = key
        self._aliases.move_to_end(raw_key)
        while len(self._aliases) > 4 * self.max_entries:  # a few spellings per entry at most
            self._aliases.popitem(last=False)

    def put(self, key: str, entry: CachedPrint) -> None:
        if self.max_entries == 0 or len(entry.pdf) > self.max_bytes:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.pdf)
        self._entries[key] = entry
        self._bytes += len(entry.pdf)
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.pdf)
