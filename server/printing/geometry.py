"""The page: `page_geometry(page_size, font_pt) -> Geometry` (margins and measure).

The measure (the length of a line) is what makes a page comfortable to read: 60 to 75
characters per line, whatever the paper. Gloss fixes it in ems of the body face,
MEASURE_EM, and puts what the paper has beyond it into the side margins, so A4 and
Letter (6 mm apart) print the same lines, and a reader who asks for a bigger font
gets narrower margins rather than shorter lines. The default font size (11 pt, as
printed books and papers set their text) is left alone: lines were too long because
the text block was too wide (162 mm: 89-96 characters), not because the type was too
small. Where the paper is too narrow for the measure (A5 at large sizes) the side
margins stop at MIN_SIDE_MM and lines get shorter instead.

MEASURE_EM is measured, not assumed: `make bench-print` prints the median characters
per full line at A4 and Letter over the bench pages (Charis SIL sets about 2.2
characters per em of running text).
"""

from __future__ import annotations

from typing import NamedTuple

PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4), "A5": (148.0, 210.0)}
MEASURE_EM = 32.0
MIN_SIDE_MM = 15.0
TOP_MM, BOTTOM_MM = 20.0, 22.0
# A landscape page for a table too wide for the portrait measure: small even margins.
LANDSCAPE_SIDE_MM, LANDSCAPE_TOP_MM, LANDSCAPE_BOTTOM_MM = 15.0, 16.0, 18.0
MM_PER_PT = 25.4 / 72


class Geometry(NamedTuple):
    width_mm: float
    height_mm: float
    side_mm: float  # left and right margins of a portrait page
    text_width_em: float  # the measure, in ems of the body text
    landscape_width_em: float  # the text width of a landscape page, in the same ems

    @property
    def text_height_mm(self) -> float:
        return self.height_mm - TOP_MM - BOTTOM_MM


def page_geometry(page_size: str, font_pt: float) -> Geometry:
    width, height = PAPER_MM.get(page_size, PAPER_MM["A4"])
    em_mm = font_pt * MM_PER_PT
    side = max(MIN_SIDE_MM, (width - MEASURE_EM * em_mm) / 2)
    text_width_em = (width - 2 * side) / em_mm
    landscape_width_em = (height - 2 * LANDSCAPE_SIDE_MM) / em_mm
    return Geometry(width, height, round(side, 2), text_width_em, landscape_width_em)
