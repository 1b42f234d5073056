"""MathML as readable text: `linearize(root)` replaces every `<math>` of a page in place.

WeasyPrint draws no MathML, and content extractors skip it, so a formula would vanish
from the printed article. Each `<math>` becomes a `<span class="math">` (a `<p>` when
displayed as a block) holding the formula written out on one line, with real `<sub>` and
`<sup>`: `x<sup>2</sup> + y<sup>2</sup>`, `(a)/(b)` for a fraction, `√(x)` for a root;
a one-letter identifier is a `<var>` (set in italics, as mathematics sets it).
Operands set side by side (a product, a function and its argument: `<mi>a</mi><mi>x</mi>`)
are parted by a thin space, as italics part them in typeset mathematics: plain text has
no italics, and "ax" would read as one name, "akbk" (a<sub>k</sub>b<sub>k</sub>) as
nothing. The `<annotation>` a `<semantics>` carries (TeX source, usually) is left out:
the presentation is what the page showed. The plain text of the formula marks its
scripts (`x^2`, `a_k`: clean.fragment_text).
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree
from lxml import html as lxml_html

from server.article.model import MATH_CLASS

_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
_SKIPPED = frozenset({"annotation", "annotation-xml", "mphantom", "none", "mprescripts"})
_SCRIPTS = {"msub": ("sub",), "msup": ("sup",), "msubsup": ("sub", "sup"), "munder": ("sub",),
            "mover": ("sup",), "munderover": ("sub", "sup")}
# Operators written with a space either side.
_SPACED = frozenset("=≠<>≤≥≈≡∼+−-×÷±∓→←↔⇒⇔∈∉⊂⊆∪∩∧∨·")
# MathML's invisible operators (function application, times, separator, plus): they say
# that two operands stand side by side, which the thin space shows.
_INVISIBLE = frozenset("\u2061\u2062\u2063\u2064")
# What parts two operands set side by side.
JUXTAPOSED = "\u2009"
_SOURCE_SPACE = re.compile(r"[ \t\n\r\f]+")
# How far above a `<math>` the box hiding it may be (see _picture_fallback).
MAX_HIDDEN_LEVELS = 3
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)
# Operators that may open their operand ("−b", "±1").
_PREFIXES = frozenset("+−-±∓")
# Brackets that open a group (a matrix's, before its table).
_OPENING = frozenset("([{⟨|‖")
# Brackets that close a group: an operator after one is infix ("(a) − b").
_CLOSING = frozenset(")]}⟩⌋⌉")
# Accents over a base (mover): the combining mark that sets each over its letter.
_ACCENTS = {"˙": "\u0307", "\u0307": "\u0307", "¨": "\u0308", "\u0308": "\u0308", "¯": "\u0304", "‾": "\u0305",
            "\u0304": "\u0304", "\u0305": "\u0305", "~": "\u0303", "˜": "\u0303", "\u0303": "\u0303", "^": "\u0302",
            "ˆ": "\u0302", "\u0302": "\u0302", "ˇ": "\u030c", "\u030c": "\u030c", "→": "\u20d7", "⃗": "\u20d7",
            "´": "\u0301", "`": "\u0300", "˘": "\u0306"}
# The same marks under a base (munder): a bar under is a low line.
_UNDER = {"\u0304": "\u0332", "\u0305": "\u0332", "\u0303": "\u0330", "\u0302": "\u032d", "\u030c": "\u032c",
          "\u20d7": "\u20ef", "\u0307": "\u0323", "\u0308": "\u0324"}
# Elements that print as one operand whatever they hold.
_OPERANDS = frozenset({"mi", "mn", "mfrac", "msqrt", "mroot", "mfenced"})


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _append(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _plain(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def _children(node: etree._Element) -> list[etree._Element]:
    return [c for c in node if _local(c.tag) and _local(c.tag) not in _SKIPPED]


def _is_variable(node: etree._Element, text: str) -> bool:
    """A one-letter `<mi>`, which mathematics sets in italics (MathML's default for it):
    printed as a `<var>`. A name of several letters (sin, log) or an explicit
    mathvariant stays upright."""
    return (_local(node.tag) == "mi" and len(text) == 1 and text.isalpha()
            and node.get("mathvariant") in (None, "italic"))


def _is_operand(node: etree._Element, edge: int) -> bool:
    """Whether `node` begins (edge 0) or ends (edge -1) with an operand rather than an
    operator or text: a script's base counts at its start, its script at its end."""
    tag = _local(node.tag)
    if tag in _OPERANDS:
        return True
    children = _children(node)
    if tag in _SCRIPTS:
        return edge == -1 or (bool(children) and _is_operand(children[0], 0))
    if tag in ("mo", "mtext", "ms", "mspace") or not children:
        return False
    return _is_operand(children[edge], edge)


def _write(node: etree._Element, out: etree._Element, prefix: bool = False) -> None:
    """Writes `node` at the end of `out`. `prefix`: an operator there opens its operand
    ("−b", not "− b") because no operand comes before it."""
    tag = _local(node.tag)
    children = _children(node)
    if tag in _SKIPPED:
        return
    if tag in _TOKENS:
        # Only the source's own white space goes: a no-break space ("for&nbsp;") is the
        # author's, as in the text around the formula.
        text = _SOURCE_SPACE.sub(" ", node.text or "").strip(" ") or _plain(node)
        if tag == "mo" and text in _INVISIBLE:
            text = JUXTAPOSED
        elif tag == "mo" and text in _SPACED:
            text = text if prefix and text in _PREFIXES else f" {text} "
        if _is_variable(node, text):
            etree.SubElement(out, "var").text = text
        else:
            _append(out, text)
    elif tag == "mspace":
        _append(out, " ")
    elif (tag in ("mover", "munder") and len(children) == 2 and _plain(children[1]) in _ACCENTS
          and len(_plain(children[0])) == 1):
        # An accent over (or a bar under) a letter: ẋ, B⃗, x̲. Over anything longer it
        # stays a script: a combining mark would sit on the last character only.
        accent = _ACCENTS[_plain(children[1])]
        accent = accent if tag == "mover" else _UNDER.get(accent, accent)
        base = children[0]
        if _local(base.tag) == "mi" and _is_variable(base, _plain(base)):
            etree.SubElement(out, "var").text = _plain(base) + accent
        else:
            _write(base, out)
            _append(out, accent)
    elif tag in _SCRIPTS and children:
        _write(children[0], out)
        for kind, script in zip(_SCRIPTS[tag], children[1:]):
            holder = etree.SubElement(out, kind)
            _write(script, holder, True)
    elif tag == "mfrac" and len(children) == 2:
        if _is_binomial(node):
            # (n k) stacked with no bar, inside its parentheses: a binomial coefficient.
            _write(children[0], out, True)
            _append(out, " choose ")
            _write(children[1], out, True)
            return
        for index, part in enumerate(children):
            if index:
                _append(out, "/")
            bare = len(_plain(part)) <= 1 or _in_parentheses(_plain(part))
            _append(out, "" if bare else "(")
            _write(part, out, True)
            _append(out, "" if bare else ")")
    elif tag in ("msqrt", "mroot"):
        if tag == "mroot" and len(children) == 2:
            holder = etree.SubElement(out, "sup")
            _write(children[1], holder, True)
            children = children[:1]
        _append(out, "√(")
        _write_row(children, out, True)
        _append(out, ")")
    elif tag == "mfenced":
        _append(out, node.get("open", "("))
        for index, child in enumerate(children):
            if index:
                _append(out, node.get("separators", ",")[:1] + " ")
            _write(child, out, True)
        _append(out, node.get("close", ")"))
    elif tag == "semantics":
        if children:
            _write(children[0], out, prefix)
    elif tag == "mtable":
        # A matrix (a table in brackets) writes its cells apart as plain text does,
        # [1, 0; 0, 1]; a system of equations sets its cells only to align them.
        before = node.getprevious()
        fenced = (before is not None and _local(before.tag) == "mo" and _plain(before) in _OPENING) or \
            _local(node.getparent().tag if node.getparent() is not None else "") == "mfenced"
        for index, row in enumerate(children):
            if index:
                _append(out, "; ")
            for number, cell in enumerate(_children(row) if _local(row.tag) in ("mtr", "mlabeledtr") else [row]):
                if number:
                    _append(out, ", " if fenced else " ")
                _write(cell, out, True)
    else:  # math, mrow, mstyle, mpadded, menclose, merror, mtd...
        _write_row(children, out, prefix)


def _write_row(children: list[etree._Element], out: etree._Element, prefix: bool) -> None:
    """Elements set one after another: operands side by side parted by JUXTAPOSED; an
    operator after another operator (or first) is a prefix."""
    for index, child in enumerate(children):
        before = children[index - 1] if index else None
        if before is not None and (_is_operand(before, -1) or _closes(before)) and _is_operand(child, 0):
            _append(out, JUXTAPOSED)
        opens = prefix if before is None else not (_is_operand(before, -1) or _closes(before))
        _write(child, out, opens)


def _closes(node: etree._Element) -> bool:
    """Whether `node` ends with a closing bracket (after which an operator is infix)."""
    while _local(node.tag) != "mo":
        children = _children(node)
        if not children or _local(node.tag) in _TOKENS:
            return False
        node = children[-1]
    return _plain(node) in _CLOSING


def _is_binomial(fraction: etree._Element) -> bool:
    if fraction.get("linethickness", "").strip() not in ("0", "0px", "0pt", "0em", "0ex"):
        return False
    siblings = _children(fraction.getparent()) if fraction.getparent() is not None else []
    index = siblings.index(fraction)
    return (0 < index < len(siblings) - 1 and _plain(siblings[index - 1]) == "("
            and _plain(siblings[index + 1]) == ")")


def _in_parentheses(text: str) -> bool:
    """Whether `text` is one bracketed group: "(1 − q)", not "(1 − q)(1 + q)"."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for index, character in enumerate(text):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return True


def _picture_fallback(math: etree._Element) -> tuple[etree._Element, list[etree._Element]] | None:
    """The hidden box holding `math` and the pictures shown in its place, when the page
    shows the formula as a picture and keeps its MathML hidden beside it for screen
    readers: a box whose only content is the hidden box and `<img>`s. None otherwise."""
    box = math
    for _ in range(MAX_HIDDEN_LEVELS):
        parent = box.getparent()
        if parent is None:
            return None
        if (parent.text or "").strip() or any((c.tail or "").strip() for c in parent):
            return None
        box = parent
        style = box.get("style") or ""
        if box.get("hidden") is not None or _HIDDEN.search(style):
            break
    else:
        return None
    holder = box.getparent()
    if holder is None or (holder.text or "").strip():
        return None
    others = [c for c in holder if c is not box and isinstance(c.tag, str)]
    if not others or any(c.tag != "img" or (c.tail or "").strip() for c in others) or (box.tail or "").strip():
        return None
    return box, others


def linearize(root: etree._Element) -> None:
    """`root`: a tree from lxml's HTML parser, which writes element names in lower case.

    A formula the page shows as a picture, its MathML hidden beside it for screen readers
    (a box holding only the two), is written out from the MathML in the picture's place:
    the text prints where the picture would be left out (printing without pictures) and
    stays in the sentence around it, and it is the text a reader can select."""
    # `<math>` in any namespace or none, found by libxml2 (a third of the time XPath takes).
    for math in list(root.iter("{*}math")):
        fallback = _picture_fallback(math)
        if fallback is not None:
            box, pictures = fallback
            box.attrib.pop("style", None)
            box.attrib.pop("hidden", None)
            for picture in pictures:
                picture.getparent().remove(picture)  # their tails are white space
        block = math.get("display") == "block"
        replacement = lxml_html.Element("p" if block else "span", {"class": MATH_CLASS})
        _write(math, replacement)
        if replacement.text:
            replacement.text = replacement.text.lstrip()
        # An accent written as a combining mark composes with its letter where Unicode has
        # the pair as one character (ẋ), as text taken from the page does.
        for element in replacement.iter():
            element.text = unicodedata.normalize("NFC", element.text) if element.text else element.text
            if element is not replacement and element.tail:
                element.tail = unicodedata.normalize("NFC", element.tail)
        replacement.tail = math.tail
        parent = math.getparent()
        if parent is not None:
            parent.replace(math, replacement)
