"""The attributes lazy-loading libraries keep an image's real address in.

The one list lives in the extension (`extension/shared/lazy-images.js`, which the
content script uses on the live page); this module reads the JSON object between its
`/* BEGIN JSON */` and `/* END JSON */` markers, so the server and the extension can
never drift apart. Out: `LAZY_SRC_ATTRIBUTES` (attributes holding one URL) and
`LAZY_SRCSET_ATTRIBUTES` (holding a srcset), most specific first.
"""

from __future__ import annotations

import json
import re

from server.settings import PROJECT_ROOT

SHARED_LIST = PROJECT_ROOT / "extension" / "shared" / "lazy-images.js"
_JSON = re.compile(r"/\* BEGIN JSON \*/(.*?)/\* END JSON \*/", re.DOTALL)


def load(path=SHARED_LIST) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(src attributes, srcset attributes) from the shared list; raises when it is malformed."""
    match = _JSON.search(path.read_text(encoding="utf-8"))
    if not match:
        raise RuntimeError(f"{path}: no /* BEGIN JSON */ ... /* END JSON */ block")
    lists = json.loads(match.group(1))
    return tuple(lists["src"]), tuple(lists["srcset"])


LAZY_SRC_ATTRIBUTES, LAZY_SRCSET_ATTRIBUTES = load()
