"""Addresses as a printed page shows them.

    clean_url(url)          -> the URL without tracking parameters (utm_*, fbclid, ...)
    display_url(url, limit) -> the URL shortened for reading, the middle of its path cut

A tracking parameter identifies the campaign or the click that brought a reader, never
the page: removing it leads to the same page, and a printed note loses a line of noise.
The list follows what browsers' own "copy clean link" features strip (Firefox's query
stripping list, Brave's debouncing list), by exact name or by prefix.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "_hs", "oly_", "vero_", "ga_", "stm_")
TRACKING_NAMES = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "ysclid", "twclid",
    "ttclid", "li_fat_id", "igshid", "mc_cid", "mc_eid", "mkt_tok", "_ga", "_gl", "_ke", "_openstat",
    "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid", "ncid", "cmpid", "ito", "wt_mc", "wt.mc_id",
    "at_medium", "at_campaign", "ref_src", "ref_url", "icid", "spm", "scm", "srsltid", "si",
})
# A printed address longer than this is shortened for display (a note's link keeps it whole).
DISPLAY_LIMIT = 90


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_NAMES or lowered.startswith(TRACKING_PREFIXES)


def clean_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if not parts.query:
        return url.strip()
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    fragment = "" if parts.fragment.startswith(("xtor=", "utm_")) else parts.fragment
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept, doseq=True), fragment))


def display_url(url: str, limit: int = DISPLAY_LIMIT) -> str:
    """The address, and when longer than `limit`, with the middle cut out: the host and
    the end of the path (usually the article's slug) stay."""
    shown = url
    if len(shown) <= limit:
        return shown
    head = shown[: limit * 2 // 3]
    tail = shown[-(limit - len(head) - 1):]
    return f"{head}\u2026{tail}"
