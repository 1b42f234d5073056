"""The golden seed page as the print tests post it, and its PDF read back as text.

The extension posts a page as its canonical address, its HTML and its lead photograph
as a data: URI; `seed_body()` builds exactly that. `pdf_text()` reads a PDF with
pdftotext and folds away line ends and WeasyPrint's automatic hyphenation (U+2010
HYPHEN at a line end; the hyphen-minus of "Korea-U.S." stays).
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SEED_HTML = (FIXTURES / "seed-article.html").read_text(encoding="utf-8")
EXPECTED = json.loads((FIXTURES / "seed-article.expected.json").read_text(encoding="utf-8"))
CANONICAL = re.search(r'<link rel="canonical" href="([^"]+)"', SEED_HTML).group(1)
IMAGE_URL = "https://koreajoongangdaily.joins.com/images/2020/07/29/lee-harris.jpg"
IMAGE_BYTES = (FIXTURES / "images/2020/07/29/lee-harris.jpg").read_bytes()
IMAGE_DATA = "data:image/jpeg;base64," + base64.b64encode(IMAGE_BYTES).decode("ascii")


def seed_body(**options) -> dict:
    body = {"url": CANONICAL, "html": SEED_HTML, "images": {IMAGE_URL: IMAGE_DATA}}
    if options:
        body["options"] = options
    return body


def fold(text: str) -> str:
    """Text with automatic hyphenation at line ends and all runs of white space folded."""
    return " ".join(re.sub("\u2010\\s*\n", "", text).split())


def pdf_text(pdf: bytes) -> str:
    """The PDF's text in reading order, folded."""
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode("utf-8")
    return fold(raw)
