"""`gloss print SOURCE -o OUT.pdf [--url URL] [--page-size ..] [--font-size ..] [--no-images] [--links ..]
[--glossary auto|WORD,WORD.. [--glossary-max N]]`.

SOURCE is an http(s) URL (fetched through the guarded fetcher) or a saved HTML file
(`--url` gives the address it was saved from; without it, the page's canonical link).
Images of a saved file that sit beside it on disk ("Save page as, complete", or a site
mirrored with its paths) are read from there; the others are fetched like the server
does. The PDF comes from the same pipeline and the same kind of render worker as
/api/print, with the same limits. The default page size follows the locale (LC_PAPER,
LC_ALL, LANG): Letter for en_US and the other Letter regions, A4 elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from server.printing.options import LINK_MODES, PAGE_SIZES

# Attributes of a saved page that may name an image file beside it.
_IMAGE_ATTR = re.compile(r"""\b(?:src|data-src|data-lazy-src|data-original|srcset|data-srcset)\s*=\s*["']([^"']+)["']""",
                         re.I)


def register(subparsers) -> None:
    p = subparsers.add_parser("print", help="print the article of a page (file or URL) as a PDF")
    p.add_argument("source", metavar="SOURCE", help="a saved HTML file or an http(s) URL")
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="where to write the PDF")
    p.add_argument("--url", help="the address a saved file came from (resolves its links and images)")
    p.add_argument("--page-size", choices=PAGE_SIZES, help="paper (default from the locale: Letter or A4)")
    p.add_argument("--font-size", type=float, help="body text size in points, 8 to 18 (default 11)")
    p.add_argument("--no-images", action="store_true", help="leave the figures out")
    p.add_argument("--links", choices=LINK_MODES, help="numbered link notes (default) or none")
    p.add_argument("--glossary", metavar="auto|WORD,WORD",
                   help="define these words (comma-separated) in footnotes and a closing glossary, "
                        "or 'auto' for the article's rarest words")
    p.add_argument("--glossary-max", type=int, metavar="N", help="most words 'auto' glosses (default 12)")
    p.set_defaults(handler=print_command)


def locale_language() -> str:
    for name in ("LC_PAPER", "LC_ALL", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(".")[0].split("@")[0]
    return ""


def local_images(html: str, page_url: str, folder: Path) -> dict[str, str]:
    """{absolute URL: data: URI} for the images of a saved page found on disk beside it."""
    from server.fetching import image_guard

    found: dict[str, str] = {}
    root = folder.resolve()
    for match in _IMAGE_ATTR.finditer(html):
        for candidate in re.split(r",\s+", match.group(1)):
            ref = candidate.strip().split(" ")[0]
            if not ref or re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.I) or ref.startswith("//"):
                continue
            path = (root / unquote(urlsplit(ref).path).lstrip("/")).resolve()
            if root not in path.parents or not path.is_file() or path.stat().st_size > image_guard.MAX_BYTES:
                continue  # never read outside the saved page's folder
            absolute = urljoin(page_url, ref)
            if absolute in found:
                continue
            data = path.read_bytes()
            try:
                found[absolute] = image_guard.to_data_uri(data, image_guard.inspect_image(data))
            except image_guard.ImageRefused:
                continue
    return found


def print_command(args: argparse.Namespace) -> int:
    from server.article.command import load_page
    from server.printing.options import parse_options
    from server.settings import Settings

    settings = Settings.from_env()
    raw_options = {"page_size": args.page_size, "font_size": args.font_size,
                   "images": False if args.no_images else None, "links": args.links,
                   "glossary_max": args.glossary_max}
    if args.glossary:
        raw_options["glossary"] = "auto" if args.glossary.strip().lower() == "auto" else [
            w.strip() for w in args.glossary.split(",") if w.strip()]
    options = parse_options({k: v for k, v in raw_options.items() if v is not None},
                            locale_language().replace("_", "-"))
    page = load_page(args.source, args.url)
    if not re.match(r"^https?://", args.source, re.I):
        images = local_images(page.html, page.url, Path(args.source).parent)
        page = type(page)(url=page.url, html=page.html, images={**images, **page.images})
    printed = asyncio.run(_print(page, options, settings))
    Path(args.output).write_bytes(printed.content)
    print(f"{args.output}: {printed.title} ({len(printed.content) // 1024} KiB)", file=sys.stderr)
    return 0


async def _print(page, options, settings):
    from server.printing import pipeline
    from server.printing.job import PrintJob
    from server.printing.render import RenderPool

    request = pipeline.PrintRequest(url=page.url, options=options, html=page.html, images=dict(page.images))
    pool = RenderPool(settings, workers=1)
    await pool.start()
    try:
        return await pool.run(PrintJob(kind="pdf", request=request))
    finally:
        await pool.close()
