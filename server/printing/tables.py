"""How wide a table sets: `table_class(table, text_width_em, landscape_width_em) -> "" | "wide" | "dense" | "widest"`.

A table's narrowest possible width is about the sum, over its columns, of its longest
word plus the cell padding (cells never hyphenate, see print.css). Measured in ems of
the body text: a table that fits at its normal size (0.86 em) stays as it is; one that
fits only at the smaller size (0.74 em) or has many columns is "wide" (set smaller);
one that does not fit the portrait measure even then is "widest" and gets a landscape
page of its own (print.css `@page wide`, sized by typeset.py) when it has rows enough
to fill much of that page; a shorter one is "dense" (smaller still, 0.64 em: about
7 pt, the size newspapers set their tables in) when its words fit whole at that size,
else "wide". Whatever the estimate, print.css lets a word longer than its column break
(`overflow-wrap: anywhere`), so no table is ever clipped: the estimate only decides how
little that has to happen.

`overflow-wrap: anywhere` also lets a column's minimum width shrink to one character, and
WeasyPrint's table layout then gives a column of short words (years, numbers) that
minimum: "1996" printed one digit a line. So a table whose longest words fit its width
with room to spare (`keeps_words_whole`, class "whole") keeps every word whole in its
column (`overflow-wrap: break-word`, which still breaks a word rather than let it spill
out of its cell); only a table too wide for that may break words anywhere.
"""

from __future__ import annotations

from lxml.etree import _Element as Tag  # an element of the body tree (lxml)

from server.article.tree import text_of

# Average advance of a character of the body faces, in em (Charis SIL and Inter: about
# 0.5; digits and capitals, common in tables, are wider than the lower-case average).
CHAR_EM = 0.55
NORMAL_SIZE, WIDE_SIZE, DENSE_SIZE = 0.86, 0.74, 0.64
NORMAL_PADDING_EM, WIDE_PADDING_EM, DENSE_PADDING_EM = 1.0, 0.6, 0.5
# From this many columns, cells at the normal size are a word or two wide.
MANY_COLUMNS = 7
# A landscape page of its own ends the page before it wherever the table stands, which
# leaves part of that page empty: worth it for a table that fills much of a page, not
# for a few rows, which are set small in the portrait measure instead.
LANDSCAPE_MIN_ROWS = 12
# The estimate of a table's narrowest width is rough (CHAR_EM is an average): its words
# are kept whole only when they fit with this share of the width to spare.
WHOLE_WORDS_SHARE = 0.85


def column_words(table: Tag) -> list[int]:
    """The length in characters of the longest word of each column."""
    longest: list[int] = []
    for row in table.iter("tr"):
        if next(row.iterancestors("table"), None) is not table:
            continue  # a row of a nested table
        column = 0
        for cell in row.iterchildren("td", "th"):
            span = _span(cell)
            words = text_of(cell, " ").split()
            word = max((len(w) for w in words), default=0)
            per_column = -(-word // span)
            for c in range(column, column + span):
                if c >= len(longest):
                    longest.append(0)
                longest[c] = max(longest[c], per_column)
            column += span
    return longest


def min_width_em(longest: list[int], size: float, padding: float) -> float:
    return sum((CHAR_EM * n + padding) * size for n in longest)


def table_class(table: Tag, text_width_em: float, landscape_width_em: float) -> str:
    longest = column_words(table)
    if min_width_em(longest, NORMAL_SIZE, NORMAL_PADDING_EM) <= text_width_em and len(longest) < MANY_COLUMNS:
        return ""
    if min_width_em(longest, WIDE_SIZE, WIDE_PADDING_EM) <= text_width_em:
        return "wide"
    rows = sum(1 for row in table.iter("tr") if next(row.iterancestors("table"), None) is table)
    if rows >= LANDSCAPE_MIN_ROWS and landscape_width_em > text_width_em:
        return "widest"
    # No page of its own: smaller still where that keeps its words whole.
    return "dense" if min_width_em(longest, DENSE_SIZE, DENSE_PADDING_EM) <= text_width_em else "wide"


def keeps_words_whole(table: Tag, width_class: str, text_width_em: float, landscape_width_em: float) -> bool:
    """True when the table, set as `width_class` says, has room for its longest words."""
    size, padding = {"": (NORMAL_SIZE, NORMAL_PADDING_EM), "dense": (DENSE_SIZE, DENSE_PADDING_EM)}.get(
        width_class, (WIDE_SIZE, WIDE_PADDING_EM))
    width = landscape_width_em if width_class == "widest" else text_width_em
    return min_width_em(column_words(table), size, padding) <= WHOLE_WORDS_SHARE * width


def _span(cell: Tag) -> int:
    try:
        return max(1, min(int(str(cell.get("colspan", "1")).strip() or 1), 1000))
    except ValueError:
        return 1
