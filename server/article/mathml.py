"""MathML as readable text: `linearize(root)` replaces every `<math>` of a page in place.

WeasyPrint draws no MathML, and content extractors skip it, so a formula would vanish
from the printed article. Each `<math>` becomes a `<span>` (a `<p>` when displayed as a
block) holding the formula written out on one line, with real `<sub>` and `<sup>`:
`x<sup>2</sup> + y<sup>2</sup>`, `(a)/(b)` for a fraction, `√(x)` for a root. The
`<annotation>` a `<semantics>` carries (TeX source, usually) is left out: the
presentation is what the page showed.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

_TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
_SKIPPED = frozenset({"annotation", "annotation-xml", "mphantom", "none", "mprescripts"})
_SCRIPTS = {"msub": ("sub",), "msup": ("sup",), "msubsup": ("sub", "sup"), "munder": ("sub",),
            "mover": ("sup",), "munderover": ("sub", "sup")}
# Operators written with a space either side.
_SPACED = frozenset("=≠<>≤≥≈≡∼+−-×÷±∓→←↔⇒⇔∈∉⊂⊆∪∩∧∨·")


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


def _write(node: etree._Element, out: etree._Element) -> None:
    tag = _local(node.tag)
    children = [c for c in node if _local(c.tag) and _local(c.tag) not in _SKIPPED]
    if tag in _SKIPPED:
        return
    if tag in _TOKENS:
        text = " ".join((node.text or "").split()) or _plain(node)
        _append(out, f" {text} " if tag == "mo" and text in _SPACED else text)
    elif tag in _SCRIPTS and children:
        _write(children[0], out)
        for kind, script in zip(_SCRIPTS[tag], children[1:]):
            holder = etree.SubElement(out, kind)
            _write(script, holder)
    elif tag == "mfrac" and len(children) == 2:
        for index, part in enumerate(children):
            if index:
                _append(out, "/")
            simple = len(_plain(part)) <= 1
            _append(out, "" if simple else "(")
            _write(part, out)
            _append(out, "" if simple else ")")
    elif tag in ("msqrt", "mroot"):
        if tag == "mroot" and len(children) == 2:
            holder = etree.SubElement(out, "sup")
            _write(children[1], holder)
            children = children[:1]
        _append(out, "√(")
        for child in children:
            _write(child, out)
        _append(out, ")")
    elif tag == "mfenced":
        _append(out, node.get("open", "("))
        for index, child in enumerate(children):
            if index:
                _append(out, node.get("separators", ",")[:1] + " ")
            _write(child, out)
        _append(out, node.get("close", ")"))
    elif tag == "semantics":
        if children:
            _write(children[0], out)
    elif tag in ("mtr", "mlabeledtr"):
        for index, child in enumerate(children):
            if index:
                _append(out, "   ")
            _write(child, out)
    elif tag == "mtable":
        for index, child in enumerate(children):
            if index:
                _append(out, "; ")
            _write(child, out)
    else:  # math, mrow, mstyle, mpadded, menclose, merror, mtd, mspace...
        for child in children:
            _write(child, out)


def linearize(root: etree._Element) -> None:
    """`root`: a tree from lxml's HTML parser, which writes element names in lower case."""
    # `<math>` in any namespace or none, found by libxml2 (a third of the time XPath takes).
    for math in list(root.iter("{*}math")):
        block = math.get("display") == "block"
        replacement = lxml_html.Element("p" if block else "span")
        _write(math, replacement)
        if replacement.text:
            replacement.text = replacement.text.lstrip()
        replacement.tail = math.tail
        parent = math.getparent()
        if parent is not None:
            parent.replace(math, replacement)
