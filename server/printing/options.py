"""Print options: a request's raw `options` object (+ its Accept-Language) -> `PrintOptions`.

Every field has a default; a value of the wrong type or out of range raises
`Unprocessable` (422) with a detail that names the field, so a caller can fix it.
The default page size follows the reader's locale: Letter where that is the paper
sold in shops (the United States, Canada, Mexico and a few others), A4 elsewhere.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from server.errors import Unprocessable
from server.glossary.select import DEFAULT_AUTO_WORDS, Requested, parse_glossary, parse_glossary_max

PAGE_SIZES = ("A4", "Letter", "A5")
LINK_MODES = ("footnotes", "none")
MIN_FONT_PT, MAX_FONT_PT = 8.0, 18.0
DEFAULT_FONT_PT = 11.0
# Regions whose everyday paper is US Letter (CLDR's paper-size supplement).
LETTER_REGIONS = frozenset({"US", "CA", "MX", "PR", "CL", "CO", "CR", "GT", "PA", "PH", "SV",
                            "VE", "DO", "NI", "BZ"})
KNOWN_FIELDS = frozenset({"page_size", "font_size", "images", "links", "glossary", "glossary_max"})


@dataclass(frozen=True)
class PrintOptions:
    page_size: str = "A4"
    font_size: float = DEFAULT_FONT_PT
    images: bool = True
    links: str = "footnotes"
    # Words to define in footnotes and a closing glossary (server.glossary): the reader's
    # look-ups, or "auto" for at most `glossary_max` of the article's rarest words.
    glossary: tuple[Requested, ...] | str | None = None
    glossary_max: int = DEFAULT_AUTO_WORDS

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def page_size_for_locale(accept_language: str | None) -> str:
    """The paper of the first language range that names a region; A4 when none does."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().replace("_", "-")
        subtags = tag.split("-")[1:]
        region = next((s.upper() for s in subtags if len(s) == 2 and s.isalpha()), None)
        if region:
            return "Letter" if region in LETTER_REGIONS else "A4"
    return "A4"


def parse_options(raw: Any, accept_language: str | None = None) -> PrintOptions:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise Unprocessable("`options` must be a JSON object.", field="options")
    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise Unprocessable(f"Unknown option `{unknown[0]}`; known: {', '.join(sorted(KNOWN_FIELDS))}.",
                            field=f"options.{unknown[0]}")
    return PrintOptions(
        page_size=_page_size(raw.get("page_size"), accept_language),
        font_size=_font_size(raw.get("font_size")),
        images=_images(raw.get("images")),
        links=_links(raw.get("links")),
        glossary=parse_glossary(raw.get("glossary")),
        glossary_max=parse_glossary_max(raw.get("glossary_max")),
    )


def _page_size(value: Any, accept_language: str | None) -> str:
    if value is None:
        return page_size_for_locale(accept_language)
    if isinstance(value, str):
        for size in PAGE_SIZES:  # case-insensitive: "letter" and "a4" are what people type
            if value.strip().lower() == size.lower():
                return size
    raise Unprocessable(f"`options.page_size` must be one of {', '.join(PAGE_SIZES)}; got {value!r}.",
                        field="options.page_size")


def _font_size(value: Any) -> float:
    if value is None:
        return DEFAULT_FONT_PT
    # bool is an int subclass in Python; `true` is not a size.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
            MIN_FONT_PT <= value <= MAX_FONT_PT):
        raise Unprocessable(
            f"`options.font_size` must be a number of points from {MIN_FONT_PT:g} to {MAX_FONT_PT:g}; "
            f"got {value!r}.", field="options.font_size")
    return float(value)


def _images(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, bool):
        raise Unprocessable(f"`options.images` must be true or false; got {value!r}.", field="options.images")
    return value


def _links(value: Any) -> str:
    if value is None:
        return "footnotes"
    if value not in LINK_MODES:
        raise Unprocessable(f"`options.links` must be one of {', '.join(LINK_MODES)}; got {value!r}.",
                            field="options.links")
    return value
