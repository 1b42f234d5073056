"""The last cut: blocks content extraction kept that are page furniture after all.

In: the body's blocks in order (page elements or extractor blocks, never modified).
Out: the blocks worth printing. Dropped, by general rules only:
- blocks that sit inside a link: teaser cards ("you may also like" headlines);
- cross-reference lines: "Related: …", "Read more: …", "See also: …", "DON'T MISS", and
  their like in German, French, Spanish, Portuguese, Italian and Dutch ("Lesen Sie auch: …",
  "À lire aussi", "Lee también: …", "Leia mais: …", "Leggi anche: …", "Lees ook: …");
- among the first blocks, a short dateline (it carries the page's date markup: `<time>`,
  `datetime`, `itemprop="datePublished"`, or is nothing but a date in figures:
  "2018-08-16", "2018年8月16日"), or is a date label with a date or time alone ("Published
  2:16 AM EST Nov 20, 2019"), as the date prints above the body; such a labelled line
  closing the body ("Updated at 1:23 p.m.") goes too;
- at the end of the body, cards of other stories: headlines linking elsewhere, each with
  a summary or a picture, under a heading of their own ("Other Opinion Columns");
- the readers' comments: from a heading that opens them ("Comments", "12 Kommentare",
  "Laisser un commentaire") to the end;
- after the body's last paragraph of prose, a list built from one template (a slide
  show's items, each with its "Previous" and "Next"), with its heading and what follows;
- inside the body, a short line in capitals that is nothing but a link (a promotion);
- CMS shortcodes left as text ("[button link=…]…[/button]");
- at the end of the body, lines and lists made only of links (further reading),
  and filing lines ("Filed under: …", "Tags: …", "Schlagwörter: …", "Mots-clés : …");
  a filing line of links anywhere ("Topics: <a>uber</a>, <a>Sydney</a>"). A copyright or "Source:" line is the
  article's own (a photo's rights, a roundup's sources): measured on both development
  sets, cutting them gained nothing, and on other pages it cut real text.
"""

from __future__ import annotations

import re

from lxml import etree

# How pages label a cross-reference line, by language. Each entry is a regular expression
# matched at the start of the line (any case, after a bullet or arrow), followed by a word
# boundary; a line counts only when it is short and has a separator after the label or is
# the label alone ("Related: <headline>", "LESEN SIE AUCH", "À lire aussi >").
_CROSS_REFERENCE_LABELS = {
    "en": (r"related(?:\s+(?:articles?|stories|content|coverage|news|reading|links?|posts?))?", r"read\s+(?:more|also|next)",
           r"see\s+(?:more|also)", r"also\s+read", r"more\s+(?:on\s+this|from|stories|coverage|news)",
           r"don'?t\s+miss", r"recommended(?:\s+for\s+you)?", r"you\s+may\s+also\s+like", r"trending(?:\s+now)?",
           r"most\s+(?:read|popular|viewed)", r"sign\s+up\s+for", r"subscribe\s+to", r"further\s+reading", r"more"),
    "de": (r"lesen\s+sie\s+(?:auch|mehr|hier|weiter)", r"(?:auch\s+)?lesenswert", r"lesetipps?", r"weiterlesen",
           r"mehr\s+(?:zum\s+thema|dazu|lesen|erfahren|zum|zur|über|news|nachrichten|artikel)", r"zum\s+thema",
           r"siehe\s+auch", r"auch\s+interessant", r"das\s+könnte\s+sie\s+(?:auch\s+)?interessieren",
           r"verwandte\s+(?:artikel|themen|beiträge)", r"ähnliche\s+(?:artikel|beiträge|themen)",
           r"meistgelesen", r"newsletter\s+abonnieren"),
    "fr": (r"(?:à|a)?\s*lire\s+(?:aussi|également|egalement|la\s+suite|plus)", r"voir\s+(?:aussi|également|plus)",
           r"(?:à|a)\s+voir\s+(?:aussi|également)", r"en\s+savoir\s+plus", r"sur\s+le\s+même\s+sujet",
           r"articles?\s+(?:liés|similaires|connexes)", r"pour\s+aller\s+plus\s+loin", r"(?:à|a)\s+découvrir",
           r"(?:les\s+)?plus\s+lus", r"vous\s+aimerez\s+aussi", r"dans\s+la\s+même\s+rubrique"),
    "es": (r"lee\s+(?:también|tambien|más|mas)", r"lea\s+(?:también|tambien|más|mas)", r"leer\s+(?:más|mas|también)",
           r"ver\s+(?:también|tambien|más)", r"te\s+puede\s+interesar", r"(?:también\s+)?(?:te|le)\s+puede\s+interesar",
           r"(?:noticias|artículos|articulos|contenidos?)\s+relacionad[oa]s", r"relacionad[oa]s?",
           r"más\s+información", r"lo\s+más\s+(?:leído|visto)", r"no\s+te\s+pierdas", r"sigue\s+leyendo"),
    "pt": (r"leia\s+(?:também|tambem|mais)", r"veja\s+(?:também|tambem|mais)", r"saiba\s+mais", r"confira\s+(?:também|mais)",
           r"(?:notícias|noticias|artigos|matérias)\s+relacionad[oa]s", r"relacionad[oa]s?", r"você\s+pode\s+gostar",
           r"mais\s+lidas?", r"continue\s+lendo", r"não\s+perca"),
    "it": (r"leggi\s+(?:anche|di\s+più|tutto|altro)", r"vedi\s+anche", r"potrebbe\s+interessarti", r"ti\s+potrebbe\s+interessare",
           r"articoli\s+correlati", r"correlati", r"approfondisci", r"per\s+saperne\s+di\s+più", r"continua\s+a\s+leggere",
           r"(?:i\s+)?più\s+letti", r"da\s+non\s+perdere"),
    "nl": (r"lees\s+(?:ook|meer|verder)", r"zie\s+ook", r"meer\s+(?:over|lezen|nieuws|hierover)", r"gerelateerde?(?:\s+artikelen)?",
           r"ook\s+interessant", r"meest\s+gelezen", r"bekijk\s+ook", r"mis\s+ook\s+niet"),
    "pl": (r"czytaj\s+(?:też|także|również|więcej|dalej)", r"zobacz\s+(?:też|także|również)", r"przeczytaj\s+(?:też|także)",
           r"polecamy", r"powiązane(?:\s+artykuły)?"),
    "cs": (r"čtěte\s+(?:také|též|více)", r"přečtěte\s+si\s+(?:také|též)", r"související(?:\s+články)?", r"mohlo\s+by\s+vás\s+zajímat"),
    "sv": (r"läs\s+(?:också|även|mer)", r"relaterat", r"mest\s+lästa"),
    "da": (r"læs\s+(?:også|mere)", r"relateret"),
    "no": (r"les\s+(?:også|mer)", r"relatert"),
    "fi": (r"lue\s+(?:myös|lisää)",),
    "id": (r"baca\s+(?:juga|selengkapnya)", r"berita\s+terkait", r"artikel\s+terkait"),
    "tr": (r"ilgili\s+haberler", r"bunlar\s+da\s+ilginizi\s+çekebilir"),
    "ru": (r"читайте\s+(?:также|тоже)", r"смотрите\s+также", r"см\.\s+также", r"по\s+теме", r"подробнее",
           r"похожие\s+(?:статьи|новости|материалы)"),
    "uk": (r"читайте\s+також", r"дивіться\s+також"),
    # Chinese and Japanese set no space after the label: these match as they are.
    "zh": (r"相关阅读", r"延伸阅读", r"相關閱讀", r"延伸閱讀", r"推荐阅读", r"推薦閱讀", r"相关新闻", r"相關新聞"),
    "ja": (r"関連記事", r"あわせて読みたい", r"こちらもおすすめ"),
}
_CROSS_REFERENCE = re.compile(
    r"^[\s»›>▶►→•·*–—-]*(?:" + "|".join(label for labels in _CROSS_REFERENCE_LABELS.values() for label in labels)
    + r")(?!\w)\s*(?P<colon>[:：\-–—|>»›]?)", re.I)
# A CMS shortcode: "[button link=…]…[/button]", "[caption id=…]": a name with attributes
# or a closing tag, or a bare "[gallery]" line. "[Source]", "[figure 3: …]" or a
# configuration file's "[extensions]" in a code block is text.
_SHORTCODE = re.compile(r"^\[(?:/[a-z_][\w-]*|[a-z_][\w-]*\s[^\]]*=[^\]]*|([a-z_][\w-]*)\](?=.*\[/\1\]))\]?|^(?-i:\[[a-z_]+\])$", re.I | re.S)
# Filing lines a page closes its article with ("Filed under: Politics |", "Tags: …").
_FILING = re.compile(
    r"^(?:filed\s+under|tags?|tagged(?:\s+with)?|categor(?:y|ies)|posted\s+in|topics?|"
    r"schlagw(?:ö|o)rter|stichw(?:ö|o)rter|kategorien?|abgelegt\s+unter|themen|"  # de
    r"mots?[-\s]cl(?:é|e)s|cat(?:é|e)gories?|(?:é|e)tiquettes?|class(?:é|e)\s+dans|sujets|"  # fr
    r"etiquetas|categor(?:í|i)as?|archivado\s+en|temas|"  # es, pt
    r"marcadores|assuntos|"  # pt
    r"categorie|argomenti|"  # it
    r"trefwoorden|categorie(?:ën|en)?|onderwerpen)\s*:", re.I)
FILING_MAX_WORDS = 15
# Cards of other stories closing the body: headings this much link text, at least
# TEASER_CARDS of them, each with at most TEASER_CARD_BLOCKS blocks after it; a plain
# heading of up to TEASER_TITLE_WORDS words above them titles them.
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
TEASER_LINKED = 0.6
TEASER_CARDS = 2
TEASER_CARD_BLOCKS = 2
TEASER_TITLE_WORDS = 6
TEASER_MAX_SHARE = 0.3
# A list after the body's last paragraph of prose (this long, whitespace left out) whose
# items, at least TEMPLATE_ITEMS of them, share one line in most of them is built from a
# template: a slide show's or a carousel's items.
TEMPLATE_ITEMS = 3
TEMPLATE_PROSE_CHARS = 100
LINE_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "dt", "dd")
# A heading that opens the readers' comments: a count of them ("12 Kommentare",
# "Comments (3)"), or an invitation to write one. The bare label ("Comments") may title a
# section about comments in code: it counts only over short lines ("Loading comments...").
_COMMENT_WORDS = (r"(?:comments?|kommentare?|leserkommentare|commentaires?|comentarios?|comentários|commenti|reacties|"
                  r"komentarze|komentáře|kommentarer|комментари(?:и|ев|й)|коментарі|コメント|评论|評論|留言)")
_COMMENTS_COUNTED = re.compile(rf"^(?:\d+\s+{_COMMENT_WORDS}|{_COMMENT_WORDS}\s*\(\d+\))\s*:?$", re.I)
_COMMENTS_INVITED = re.compile(
    r"^(?:leave\s+a\s+(?:reply|comment)|join\s+the\s+(?:conversation|discussion)|schreibe?n?\s+sie\s+einen\s+kommentar|"
    r"laisser\s+un\s+commentaire|deja\s+(?:un|tu)\s+comentario|deixe\s+(?:um|seu)\s+comentário|"
    r"lascia\s+un\s+commento|laat\s+een\s+reactie\s+achter)\s*:?$", re.I)
_COMMENTS_LABEL = re.compile(rf"^{_COMMENT_WORDS}\s*:?$", re.I)
COMMENT_LINE_CHARS = 100
# A line in capitals of at most this many words that is all link, inside the body, is a promotion.
PROMO_MAX_WORDS = 20
# Among the body's first blocks, a line this short that carries date markup is a dateline.
DATELINE_BLOCKS = 3
_SENTENCE_ENDS = (".", "。", "!", "?", "！", "？")
# A line that is nothing but a date in figures ("2018-08-16", "16.08.2018", "2018年8月16日")
# is a dateline whatever its markup.
_NUMERIC_DATE = re.compile(r"^\d{1,4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,4}\s*日?$")
# A date label ("Published", "Updated at", "Aktualisiert am") opening a line that holds
# only a date or a time: a dateline wherever the body starts or ends.
_DATE_LABEL = re.compile(
    r"^(?:(?:last\s+)?(?:updated|published|posted|modified)(?:\s+(?:on|at))?|"
    r"aktualisiert(?:\s+am)?|ver(?:ö|oe)ffentlicht(?:\s+am)?|"  # de
    r"mis\s+(?:à|a)\s+jour(?:\s+le)?|publi(?:é|e)\s+le|"  # fr
    r"actualizado(?:\s+el)?|publicado(?:\s+(?:el|em))?|atualizado(?:\s+em)?|"  # es, pt
    r"aggiornato(?:\s+il)?|pubblicato(?:\s+il)?|bijgewerkt(?:\s+op)?|gepubliceerd(?:\s+op)?)"  # it, nl
    r"\s*:?\s+(?=\d|[^\W\d_])", re.I)
DATE_LABEL_WORDS = 4
# What makes the rest a date or a time: a clock time, a year or a date in figures.
_DATE_OR_TIME = re.compile(r"\d{1,2}\s*[:.h]\s*\d{2}|(?<!\d)(?:1[89]|20)\d{2}(?!\d)|\d{1,4}[-./]\d{1,2}[-./]\d{1,4}")
_BY_WORDS = frozenset({"by", "von", "par", "por", "di", "door"})
DATELINE_MAX_CHARS = 100  # whitespace left out: about 20 English words, and Japanese sets no spaces
# A filing line is cut wherever it sits when this share of its entries is link text.
FILING_LINKED = 0.8
# A cross-reference line longer than this is prose that happens to start that way.
CROSS_REFERENCE_MAX_WORDS = 25


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _link_text(element: etree._Element) -> str:
    if element.tag == "a":
        return _text(element)
    return " ".join(_text(a) for a in element.iter("a"))


def is_link_only(element: etree._Element) -> bool:
    text = _text(element)
    if not text:
        return False
    linked = "".join(_link_text(element).split())
    return len(linked) >= 0.9 * len("".join(text.split()))


def _inside_link(element: etree._Element) -> bool:
    return any(a.tag == "a" for a in element.iterancestors())


def _cross_reference(element: etree._Element) -> bool:
    text = _text(element)
    match = _CROSS_REFERENCE.match(text)
    if not match:
        return False
    words = len(text.split())
    # "Related: <headline>" needs its colon; a bare "DON'T MISS" is short.
    return words <= CROSS_REFERENCE_MAX_WORDS and (bool(match.group("colon")) or words <= 4)


def _linked_filing(element: etree._Element, text: str) -> bool:
    """A filing line whose entries are links ("Topics: uber, Sydney, …"), wherever it sits."""
    match = _FILING.match(text)
    if not match or len(text.split()) > FILING_MAX_WORDS:
        return False
    entries = "".join(text[match.end():].split(","))
    return len("".join(_link_text(element).split())) >= FILING_LINKED * len("".join(entries.split()))


def _dateline(element: etree._Element) -> bool:
    """A short line that carries the page's own date markup ("24 July 2015 | US & Canada"),
    is nothing but a date in figures, or a date label and a date or time alone ("Published
    2:16 AM EST Nov 20, 2019", "Updated at 1:23 p.m."): the date prints above the body."""
    text = _text(element)
    if len("".join(text.split())) > DATELINE_MAX_CHARS:
        return False
    if _labelled_date(text):
        return True
    if text.endswith(_SENTENCE_ENDS):
        return False  # a sentence: the body's opening, which may name its date
    return _NUMERIC_DATE.match(text) is not None or any(
        isinstance(e.tag, str) and (e.tag == "time" or e.get("datetime") or e.get("data-datetime")
                                    or (e.get("itemprop") or "").startswith("date"))
        for e in element.iter())


def _labelled_date(text: str) -> bool:
    """A date label followed by nothing but a date or a time: figures, separators and at
    most DATE_LABEL_WORDS words (a month, a weekday, "a.m.", a time zone), none of them a
    sentence's or a name's ("Posted on Tuesday 15 October 2019 at 09:11 by Bradley M. Kuhn"
    is a byline)."""
    match = _DATE_LABEL.match(text)
    if not match:
        return False
    rest = text[match.end():]
    words = re.findall(r"[^\W\d_]+", rest)
    return (_DATE_OR_TIME.search(rest) is not None and len(words) <= DATE_LABEL_WORDS
            and not any(word.lower() in _BY_WORDS for word in words))


def _linked_headline(element: etree._Element) -> bool:
    """A heading that is mostly a link to another page: another story's headline."""
    if element.tag not in HEADINGS:
        return False
    text = "".join(_text(element).split())
    linked = "".join(" ".join(_text(a) for a in element.iter("a")
                              if (a.get("href") or "").strip() and not (a.get("href") or "").strip().startswith("#")).split())
    return bool(text) and len(linked) >= TEASER_LINKED * len(text)


def _without_trailing_teasers(nodes: list[etree._Element]) -> list[etree._Element]:
    """The body without the cards of other stories it ends with: under a plain heading of
    their own ("Other Opinion Columns"), at least TEASER_CARDS headlines linking
    elsewhere, each followed by at most TEASER_CARD_BLOCKS blocks (its summary, its
    picture). A roundup's linked items ("Thumper ($20)") follow its introduction instead,
    and stay."""
    first, cards, since = None, 0, 0
    for index in range(len(nodes) - 1, -1, -1):
        node = nodes[index]
        if _linked_headline(node):
            first, cards, since = index, cards + 1, 0
        elif node.tag in HEADINGS or since >= TEASER_CARD_BLOCKS:
            break
        else:
            since += 1
            if first is None and since > TEASER_CARD_BLOCKS:
                return nodes
    if first is None or cards < TEASER_CARDS:
        return nodes
    # Only under a heading of their own: a roundup's linked items follow its introduction.
    if first == 0 or nodes[first - 1].tag not in HEADINGS or len(_text(nodes[first - 1]).split()) > TEASER_TITLE_WORDS:
        return nodes
    # And only as a small part of the body: a roundup of links is its body.
    cut = sum(len(_text(n)) for n in nodes[first - 1:])
    if cut > TEASER_MAX_SHARE * sum(len(_text(n)) for n in nodes):
        return nodes
    return nodes[:first - 1]


def _lines(item: etree._Element) -> set[str]:
    """The texts of the innermost line elements (paragraphs, items, headings) of a list
    item, or its own text when it has none."""
    lines = {_text(e) for e in item.iterdescendants(*LINE_TAGS)
             if next(e.iterdescendants(*LINE_TAGS), None) is None}
    lines.discard("")
    return lines or {_text(item)}


def _templated(element: etree._Element) -> bool:
    """True when the element is or holds a list of items built from one template: one and
    the same line ("Previous", "Next", "Read more") in most of at least TEMPLATE_ITEMS items."""
    for listing in element.iter("ul", "ol"):
        items = [child for child in listing if child.tag == "li"]
        if len(items) < TEMPLATE_ITEMS:
            continue
        counts: dict[str, int] = {}
        for item in items:
            for line in _lines(item):
                counts[line] = counts.get(line, 0) + 1
        if max(counts.values(), default=0) >= max(TEMPLATE_ITEMS, len(items) / 2):
            return True
    return False


def _without_trailing_template(nodes: list[etree._Element]) -> list[etree._Element]:
    """The body without a list built from one template after its last paragraph of prose
    (a slide show's or a carousel's items, each with its "Previous" and "Next"), with the
    short heading above it and what follows, when that is a small part of the body. A
    refrain repeats lines too, but in paragraphs, not in the items of a list."""
    last_prose = max((index for index, node in enumerate(nodes)
                      if node.tag == "p" and len("".join(_text(node).split())) >= TEMPLATE_PROSE_CHARS), default=None)
    if last_prose is None:
        return nodes
    for index in range(last_prose + 1, len(nodes)):
        if nodes[index].tag != "figure" and _templated(nodes[index]):
            start = index
            heading = nodes[index - 1]
            if index - 1 > last_prose and heading.tag in HEADINGS and len(_text(heading).split()) <= TEASER_TITLE_WORDS:
                start = index - 1
            cut = sum(len(_text(n)) for n in nodes[start:])
            if cut <= TEASER_MAX_SHARE * sum(len(_text(n)) for n in nodes):
                return nodes[:start]
            return nodes
    return nodes


def opens_comments(heading_text: str) -> bool:
    """True for a heading that counts the readers' comments or invites one ("12
    Kommentare", "Comments (3)", "Leave a reply")."""
    return bool(_COMMENTS_COUNTED.match(heading_text) or _COMMENTS_INVITED.match(heading_text))


def _without_comments(nodes: list[etree._Element]) -> list[etree._Element]:
    """The body up to a heading that opens the readers' comments ("12 Kommentare", "Leave
    a reply", "Comments" over short lines), when the body has said something before it."""
    for index, node in enumerate(nodes):
        if not index or node.tag not in HEADINGS:
            continue
        text = _text(node)
        if opens_comments(text) or (
                _COMMENTS_LABEL.match(text)
                and all(len("".join(_text(n).split())) < COMMENT_LINE_CHARS for n in nodes[index + 1:])):
            return nodes[:index]
    return nodes


def _shouted_link(element: etree._Element, text: str) -> bool:
    """A short line in capitals that is nothing but a link ("GET THE APP BY CLICKING
    HERE", another story's headline): a promotion set between two paragraphs. A link line
    in ordinary case may be the article's own ("Read the report"), and stays."""
    return (len(text.split()) <= PROMO_MAX_WORDS and any(c.isalpha() for c in text) and text.upper() == text
            and is_link_only(element))


def trim(nodes: list[etree._Element]) -> list[etree._Element]:
    kept = []
    prose_seen = False  # a dateline stands before the body's first sentences, never among them
    for index, node in enumerate(nodes):
        if index < DATELINE_BLOCKS and not prose_seen and _dateline(node):
            continue
        prose_seen = prose_seen or len("".join(_text(node).split())) > DATELINE_MAX_CHARS
        if node.tag == "figure":
            kept.append(node)
            continue
        text = _text(node)
        if node.tag == "p" and 0 < index < len(nodes) - 1 and _shouted_link(node, text):
            continue
        if _inside_link(node) or _cross_reference(node) or (text and node.tag != "pre" and _SHORTCODE.match(text)) \
                or _linked_filing(node, text):
            continue
        kept.append(node)
    kept = _without_trailing_template(_without_comments(_without_trailing_teasers(kept)))
    # Further reading and legal lines gather at the end of a page's main column.
    while kept and kept[-1].tag != "figure":
        last = kept[-1]
        text = _text(last)
        if not text or is_link_only(last) or _labelled_date(text) or (
                _FILING.match(text) and len(text.split()) <= FILING_MAX_WORDS):
            kept.pop()
            continue
        break
    return kept
