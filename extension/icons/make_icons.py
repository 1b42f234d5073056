"""Draws the Gloss toolbar icons: icon-16/32/48/128.png beside this file.

Run `.venv/bin/python extension/icons/make_icons.py` after changing the design; the PNGs
are committed so the extension loads without a build step. Drawn once at 512 px and
scaled down, so the small sizes stay smooth. Needs Pillow and the Noto Serif font
(Debian fonts-noto-core).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = Path("/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf")
BLUE = (53, 88, 168, 255)
PAPER = (255, 255, 255, 255)
SIZES = (16, 32, 48, 128)
BIG = 512


def draw() -> Image.Image:
    image = Image.new("RGBA", (BIG, BIG), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((16, 16, BIG - 16, BIG - 16), radius=104, fill=BLUE)
    # A page with a folded corner: what Gloss prints.
    left, top, right, bottom, fold = 118, 84, 394, 428, 76
    pen.polygon([(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)], fill=PAPER)
    pen.polygon([(right - fold, top), (right - fold, top + fold), (right, top + fold)], fill=(200, 212, 238, 255))
    # The "g" of a glossed word, set on the page.
    font = ImageFont.truetype(str(FONT), 300)
    pen.text((BIG / 2, 262), "g", font=font, fill=BLUE, anchor="mm")
    return image


def main() -> None:
    big = draw()
    for size in SIZES:
        big.resize((size, size), Image.LANCZOS).save(HERE / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
