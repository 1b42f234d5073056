"""ARPAbet (CMU Pronouncing Dictionary) in, IPA out: ["AE1", "L", "AY0"] -> "/ˈæl.aɪ/".

Syllables are split by the maximal-onset rule over the onsets English allows, the
primary stress mark (ˈ) and the secondary one (ˌ) go before the stressed syllable, and
syllables are separated by dots, as many dictionaries print them.
"""

from __future__ import annotations

VOWELS = {"AA": "ɑ", "AE": "æ", "AH": "ʌ", "AO": "ɔ", "AW": "aʊ", "AY": "aɪ", "EH": "ɛ", "ER": "ɝ",
          "EY": "eɪ", "IH": "ɪ", "IY": "i", "OW": "oʊ", "OY": "ɔɪ", "UH": "ʊ", "UW": "u"}
CONSONANTS = {"B": "b", "CH": "tʃ", "D": "d", "DH": "ð", "F": "f", "G": "ɡ", "HH": "h", "JH": "dʒ",
              "K": "k", "L": "l", "M": "m", "N": "n", "NG": "ŋ", "P": "p", "R": "ɹ", "S": "s", "SH": "ʃ",
              "T": "t", "TH": "θ", "V": "v", "W": "w", "Y": "j", "Z": "z", "ZH": "ʒ"}
# Consonant clusters that may begin an English syllable (beyond single consonants).
ONSETS = {
    ("P", "R"), ("P", "L"), ("B", "R"), ("B", "L"), ("T", "R"), ("D", "R"), ("K", "R"), ("K", "L"),
    ("G", "R"), ("G", "L"), ("F", "R"), ("F", "L"), ("TH", "R"), ("SH", "R"), ("S", "P"), ("S", "T"),
    ("S", "K"), ("S", "M"), ("S", "N"), ("S", "L"), ("S", "W"), ("T", "W"), ("D", "W"), ("K", "W"),
    ("G", "W"), ("P", "Y"), ("B", "Y"), ("F", "Y"), ("M", "Y"), ("K", "Y"), ("HH", "Y"), ("V", "Y"),
    ("S", "P", "R"), ("S", "P", "L"), ("S", "T", "R"), ("S", "K", "R"), ("S", "K", "W"), ("S", "K", "Y"),
    ("S", "P", "Y"), ("TH", "W"),
}


def _onset_length(consonants: list[str]) -> int:
    """How many of the consonants between two vowels start the second syllable."""
    for length in range(min(3, len(consonants)), 1, -1):
        if tuple(consonants[-length:]) in ONSETS:
            return length
    return min(1, len(consonants))


def to_ipa(phones: list[str]) -> str:
    vowel_at = [i for i, p in enumerate(phones) if p[:2] in VOWELS]
    if not vowel_at:
        return "/" + "".join(CONSONANTS.get(p, "") for p in phones) + "/"
    # Where each syllable starts: after the previous vowel plus the coda it keeps.
    starts = [0]
    for prev, nxt in zip(vowel_at, vowel_at[1:]):
        between = phones[prev + 1:nxt]
        starts.append(nxt - _onset_length(between))
    out = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(phones)
        syllable = phones[start:end]
        stress = next((p[2:] for p in syllable if p[:2] in VOWELS), "0")
        text = ""
        for p in syllable:
            base = p[:2] if p[:2] in VOWELS else p
            if base in VOWELS:
                sound = VOWELS[base]
                if base == "AH" and p.endswith("0"):
                    sound = "ə"  # unstressed AH is the schwa
                elif base == "ER" and p.endswith("0"):
                    sound = "ɚ"
                text += sound
            else:
                text += CONSONANTS.get(base, "")
        mark = "ˈ" if stress == "1" else "ˌ" if stress == "2" else ""
        out.append((mark, text))
    pieces = []
    for n, (mark, text) in enumerate(out):
        if n and not mark:
            pieces.append(".")
        pieces.append(mark + text)
    return "/" + "".join(pieces) + "/"
