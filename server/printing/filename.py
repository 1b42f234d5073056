"""`headline -> Content-Disposition` for a downloaded PDF (RFC 6266).

ASCII titles get `filename="..."` alone; others get an ASCII fallback (accents folded,
everything else dropped, "article" when nothing is left) plus `filename*=UTF-8''...`
with the title percent-encoded, which every current browser prefers.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_STEM = 80  # characters of headline kept: file dialogs and file systems truncate anyway


def filename_stem(title: str) -> str:
    """The headline as a file name: no path separators or control characters, no dots at the ends."""
    text = unicodedata.normalize("NFC", " ".join(title.split()))
    text = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', " ", text)
    text = " ".join(text.split()).strip(" .")[:MAX_STEM].strip(" .")
    return text or "article"


def ascii_stem(stem: str) -> str:
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"[^A-Za-z0-9 ._()'&,+-]+", " ", folded)
    folded = " ".join(folded.split()).strip(" .,-")
    # Punctuation alone (what is left of a Korean headline) names nothing.
    return folded if re.search(r"[A-Za-z0-9]", folded) else "article"


def content_disposition(title: str) -> str:
    stem = filename_stem(title)
    ascii_name = ascii_stem(stem) + ".pdf"
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != stem + ".pdf":
        header += f"; filename*=UTF-8''{quote(stem + '.pdf', safe='')}"
    return header
