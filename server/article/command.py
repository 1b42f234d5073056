"""`gloss extract SOURCE [--url URL] [--format text|html|json]`: the article of a page.

SOURCE is a saved HTML file (`--url` gives the address it was saved from, for absolute
links and images; without it the page's canonical link is used) or an http(s) URL the
server's guarded fetcher downloads. `text` prints the body's running text alone (the
form extraction is scored in: figure captions, which print with their pictures, are not
in it), `html` a standalone HTML document of the clean article, figures and captions
included, `json` every field of the Article.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

from server.errors import BadRequest, NotFound


def register(subparsers) -> None:
    p = subparsers.add_parser("extract", help="print the article found in a page (file or URL)")
    p.add_argument("source", metavar="SOURCE", help="a saved HTML file or an http(s) URL")
    p.add_argument("--url", help="the address a saved file came from (resolves its links and images)")
    p.add_argument("--format", choices=("text", "html", "json"), default="text",
                   help="text: the body's running text alone, without figure captions (default); "
                        "html: a clean document, captions included; json: all fields")
    p.set_defaults(handler=extract_command)


def extract_command(args: argparse.Namespace) -> int:
    from server.article.extract import extract_article

    page = load_page(args.source, args.url)
    article = extract_article(page)
    if args.format == "json":
        output = json.dumps(article.to_json(), ensure_ascii=False, indent=2)
    elif args.format == "html":
        output = article_document(article)
    else:
        output = article.text
    sys.stdout.write(output + "\n")
    return 0


def load_page(source: str, url: str | None):
    """The Page to extract: fetched when SOURCE is a URL, read from disk otherwise."""
    from server.article.model import Page

    if re.match(r"^https?://", source, re.I):
        from server.fetching.fetch import fetch_page_sync
        from server.settings import Settings

        return fetch_page_sync(source, Settings.from_env())
    path = Path(source)
    if not path.is_file():
        raise NotFound(f"No such file: {source}")
    raw = path.read_bytes()
    if path.suffix == ".gz":
        import gzip
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    if url and not re.match(r"^https?://", url, re.I):
        raise BadRequest(f"--url must be an http(s) address, not {url!r}")
    return Page(url=url or _declared_url(text) or path.resolve().as_uri(), html=text)


def _declared_url(text: str) -> str:
    """The canonical (or og:url) address a saved page declares, so its links resolve."""
    from server.article.extract import parse_html
    from server.article.metadata import extract_metadata

    try:
        meta = extract_metadata(parse_html(text), "")
    except Exception:  # an unparsable file fails later with a clear NoArticle
        return ""
    return meta.canonical_url if meta.canonical_url.startswith(("http://", "https://")) else ""


def article_document(article) -> str:
    """The clean article as a small standalone HTML document (headline, metadata, body)."""
    esc = html.escape
    parts = [f'<!DOCTYPE html>\n<html lang="{esc(article.lang or "und")}">\n<head><meta charset="utf-8">',
             f"<title>{esc(article.title)}</title>"]
    if article.canonical_url:
        parts.append(f'<link rel="canonical" href="{esc(article.canonical_url)}">')
    parts.append("</head>\n<body>\n<article>")
    parts.append(f"<h1>{esc(article.title)}</h1>")
    if article.standfirst:
        parts.append(f"<p><strong>{esc(article.standfirst)}</strong></p>")
    meta = " · ".join(x for x in (article.byline, article.published, article.site_name) if x)
    if meta:
        parts.append(f"<p><small>{esc(meta)}</small></p>")
    if article.lead_image:
        lead = article.lead_image
        caption = " ".join(x for x in (lead.caption, lead.credit) if x)
        parts.append(f'<figure><img src="{esc(lead.src)}" alt="{esc(lead.alt)}">'
                     + (f"<figcaption>{esc(caption)}</figcaption>" if caption else "") + "</figure>")
    parts.append(article.body_html)
    parts.append("</article>\n</body>\n</html>")
    return "\n".join(parts)
