"""A QR code of the article's address, printed beside it on the first page so that a
reader holding the paper can get back to the page: `qr_data_uri(url) -> data:image/png`.

segno (pure Python, no image library) draws it; error correction level M survives a
crease or a smudge. The border is two modules: the white page around the code adds
the rest of the quiet zone a reader's camera needs.
"""

from __future__ import annotations

from functools import lru_cache

import segno


@lru_cache(maxsize=64)
def qr_data_uri(url: str) -> str:
    return segno.make_qr(url, error="m", boost_error=False).png_data_uri(scale=4, border=2)
