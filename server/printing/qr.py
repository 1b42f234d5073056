"""A QR code of the article's address, printed beside it on the first page so that a
reader holding the paper can get back to the page: `qr_data_uri(url) -> data:image/png`.

segno (pure Python, no image library) draws it; error correction level M survives a
crease or a smudge. The border is two modules: the white page around the code adds
the rest of the quiet zone a reader's camera needs. The PNG holds one pixel per module
(print.css scales it up without smoothing: `image-rendering: pixelated`), and the data
mask is fixed rather than chosen by scoring all eight: any mask is valid to a reader,
and the scoring was most of the cost of typesetting a page (about 25 of 40 ms).
"""

from __future__ import annotations

from functools import lru_cache

import segno

FIXED_MASK = 0


@lru_cache(maxsize=64)
def qr_data_uri(url: str) -> str:
    return segno.make_qr(url, error="m", boost_error=False, mask=FIXED_MASK).png_data_uri(scale=1, border=2)
