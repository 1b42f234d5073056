"""Article metadata from the page's own declarations.

In: the parsed page (lxml, never modified) and its URL. Out: `Metadata` with headline,
description, byline, published date, site name, canonical URL, language and lead image
address. Sources, most trusted first: schema.org JSON-LD, OpenGraph / article: meta
tags, other common meta tags, then the markup itself (`<h1>`, `<time>`, `rel=author`,
`<html lang>`). A missing value is an empty string.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from server.article.clean import absolute_url

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "report", "liveblogposting", "posting", "socialmediaposting", "webpage",
    "review", "advertisernewsarticle", "satiricalarticle", "medicalscholarlyarticle",
})
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»/]\s+")


@dataclass(frozen=True)
class Metadata:
    title: str = ""
    description: str = ""
    byline: str = ""
    published: str = ""
    site_name: str = ""
    canonical_url: str = ""
    lang: str = ""
    image: str = ""


def fold(text: str | None) -> str:
    return " ".join(text.split()) if text else ""  # runs of \s as one space, ends stripped


def _declared(text: str | None) -> str:
    """A declared value, folded; one more round of entity decoding undoes the double
    escaping many CMSs apply to meta tags and JSON-LD ("&amp;#8216;" -> "‘")."""
    value = fold(text)
    return fold(html.unescape(value)) if "&" in value else value


def extract_metadata(root: etree._Element, url: str) -> Metadata:
    meta = _meta_tags(root)
    ld = _json_ld_article(root)
    h1s = [fold("".join(h.itertext())) for h in root.iter("h1")]
    h1s = [h for h in h1s if h]

    site_name = (meta.get("og:site_name") or _ld_name(ld.get("publisher")) or meta.get("application-name")
                 or meta.get("twitter:site", "").lstrip("@") or _host(url))
    title = _title(ld, meta, root, h1s, site_name)
    description = _declared(meta.get("og:description") or meta.get("description") or meta.get("twitter:description")
                            or _text(ld.get("description")))
    byline = _byline(ld, meta, root, site_name)
    published = _date(ld, meta, root)
    canonical = ""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = absolute_url(link.get("href"), url, ("http", "https")) or ""
            break
    canonical = canonical or absolute_url(meta.get("og:url"), url, ("http", "https")) or url
    lang = _lang(root, meta, ld)
    image = meta.get("og:image") or meta.get("og:image:url") or meta.get("twitter:image") or _ld_image(ld)
    image = absolute_url(image, url, ("http", "https")) or ""
    return Metadata(title=title, description=description, byline=byline, published=published,
                    site_name=_declared(site_name), canonical_url=canonical, lang=lang, image=image)


def _meta_tags(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in root.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv") or "")
        key = key.strip().lower()
        content = tag.get("content")
        if key and content and content.strip() and key not in found:
            found[key] = content.strip()
    return found


def _json_ld_article(root: etree._Element) -> dict[str, Any]:
    """The first schema.org object of an article type (WebPage last) in the page's JSON-LD."""
    objects: list[dict[str, Any]] = []

    def collect(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            objects.append(value)
            if "@graph" in value:
                collect(value["@graph"])
            if isinstance(value.get("mainEntity"), dict):
                collect(value["mainEntity"])

    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            collect(json.loads(script.text.strip().rstrip(";")))
        except ValueError:
            continue
    ranked = []
    for obj in objects:
        types = obj.get("@type")
        types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        names = {str(t).lower() for t in types}
        if names & ARTICLE_TYPES:
            ranked.append((1 if names == {"webpage"} else 0, len(ranked), obj))
    return min(ranked, key=lambda r: (r[0], r[1]))[2] if ranked else {}


def _text(value: Any) -> str:
    if isinstance(value, str):
        return fold(value)
    if isinstance(value, list) and value:
        return _text(value[0])
    return ""


def _ld_name(value: Any) -> str:
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list):
        return ", ".join(n for n in (_ld_name(v) for v in value) if n)
    return _text(value)


def _ld_image(ld: dict[str, Any]) -> str:
    image = ld.get("image")
    if isinstance(image, list) and image:
        image = image[0]
    if isinstance(image, dict):
        image = image.get("url") or image.get("contentUrl")
    return image if isinstance(image, str) else ""


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _title(ld: dict[str, Any], meta: dict[str, str], root: etree._Element, h1s: list[str], site: str) -> str:
    declared = [_declared(t) for t in (_text(ld.get("headline")), meta.get("og:title"), meta.get("twitter:title"),
                                       next((t.text for t in root.iter("title")), "")) if t and fold(t)]
    # The visible headline is the best when the declarations confirm it is the headline.
    for h1 in h1s:
        if any(h1.lower() == d.lower() or (len(h1) > 15 and h1.lower() in d.lower()) for d in declared):
            return h1
    for candidate in declared:
        return _strip_site(candidate, site)
    return h1s[0] if h1s else ""


def _strip_site(title: str, site: str) -> str:
    """"Headline | Site" -> "Headline" (the longest part when the site is not named)."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_l = site.lower()
    kept = [p for p in parts if site_l and p.lower() != site_l and site_l not in p.lower()]
    if kept and len(kept) < len(parts):
        return " - ".join(kept) if len(kept) > 1 else kept[0]
    return max(parts, key=len) if len(max(parts, key=len)) > len(title) / 2 else title


def _byline(ld: dict[str, Any], meta: dict[str, str], root: etree._Element, site: str) -> str:
    candidates = [_ld_name(ld.get("author")), fold(meta.get("author")), fold(meta.get("article:author")),
                  fold(meta.get("byl")), fold(meta.get("parsely-author")), fold(meta.get("sailthru.author"))]
    for link in root.iter("a"):
        if "author" in (link.get("rel") or "").lower().split():
            candidates.append(fold("".join(link.itertext())))
            break
    for candidate in candidates:
        candidate = re.sub(r"^by\s+", "", _declared(candidate), flags=re.I)
        if not candidate or candidate.lower() == site.lower() or "://" in candidate or len(candidate) > 120:
            continue
        return candidate
    return ""


def _date(ld: dict[str, Any], meta: dict[str, str], root: etree._Element) -> str:
    candidates = [_text(ld.get("datePublished")), meta.get("article:published_time", ""),
                  meta.get("datepublished", ""), meta.get("pubdate", ""), meta.get("publishdate", ""),
                  meta.get("date", ""), meta.get("dc.date", ""), meta.get("dc.date.issued", ""),
                  meta.get("parsely-pub-date", ""), meta.get("sailthru.date", ""), meta.get("og:published_time", ""),
                  _text(ld.get("dateCreated")), meta.get("article:modified_time", ""), _text(ld.get("dateModified"))]
    for element in root.xpath("descendant-or-self::*[@itemprop = 'datePublished']"):
        candidates.append(element.get("content") or element.get("datetime") or "")
    candidates += [t.get("datetime") or "" for t in root.iter("time")]
    for candidate in candidates:
        match = _ISO_DATE.match(candidate.strip())
        if match and 1990 <= int(match.group(1)) <= 2100:
            return match.group(0)
    return ""


def _lang(root: etree._Element, meta: dict[str, str], ld: dict[str, Any]) -> str:
    for raw in (root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"),
                meta.get("content-language"), meta.get("og:locale"), meta.get("language"), _text(ld.get("inLanguage"))):
        if raw and raw.strip():
            tag = raw.strip().split(",")[0].strip().replace("_", "-")
            if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", tag):
                parts = tag.split("-")
                return "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])
    return ""
