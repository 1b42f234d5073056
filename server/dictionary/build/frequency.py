"""wordfreq's Zipf value of a headword, phrases included (from the frequency table, no network)."""

from __future__ import annotations

import math
import re


def zipf_of(word_key: str, freqs: dict[str, float]) -> float:
    """wordfreq's Zipf value; a phrase or hyphenated word combines its words as wordfreq's
    own `zipf_frequency` does for English (1/f = sum of 1/f_i), from its frequency table."""
    parts = re.split(r"[ \-]", word_key)
    inverse = 0.0
    for part in parts:
        f = freqs.get(part)
        if not f:
            return 0.0
        inverse += 1.0 / f
    freq = 1.0 / inverse
    return round(max(0.0, math.log10(freq) + 9), 2)
