"""Read the YAML that Open English WordNet's sources are written in, fast.

In: the text of one OEWN source file. Out: the same nested dicts, lists and strings a YAML
loader gives for it. Why not PyYAML: its C loader takes about 45 s of CPU for the 45 MB
of sources, most of the store's build budget; this reads them in a few seconds.

It reads the block style OEWN's own dumper writes, and only that: mappings and
sequences by indentation (a sequence may sit at its key's indentation), `- key: value`
items, plain scalars folded over continuation lines, and single- or double-quoted
scalars (keys too), also folded. Every scalar is a string. Anything else (flow
collections, anchors, block scalars) raises ValueError rather than being misread.
"""

from __future__ import annotations

import json
from typing import Any


def loads(text: str) -> Any:
    lines = []
    for raw in text.split("\n"):
        stripped = raw.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        lines.append((len(raw) - len(stripped), stripped.rstrip()))
    if not lines:
        return None
    value, end = _block(lines, 0, lines[0][0])
    if end != len(lines):
        raise ValueError(f"unexpected indentation at line {end}: {lines[end][1]!r}")
    return value


def _block(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[Any, int]:
    if lines[i][1] == "-" or lines[i][1].startswith("- "):
        return _sequence(lines, i, indent)
    return _mapping(lines, i, indent, {})


def _sequence(lines: list[tuple[int, str]], i: int, indent: int) -> tuple[list, int]:
    items = []
    while i < len(lines) and lines[i][0] == indent and (lines[i][1] == "-" or lines[i][1].startswith("- ")):
        content = lines[i][1][2:]
        if not content:
            value, i = _block(lines, i + 1, lines[i + 1][0])
        elif _key_of(content) is not None:
            # "- id: x" then "  synset: y": a mapping whose keys sit two columns in.
            inner = [(indent + 2, content)]
            lines[i] = inner[0]
            value, i = _mapping(lines, i, indent + 2, {})
        else:
            value, i = _scalar(lines, i, content, indent)
        items.append(value)
    return items, i


def _mapping(lines: list[tuple[int, str]], i: int, indent: int, into: dict) -> tuple[dict, int]:
    while i < len(lines) and lines[i][0] == indent:
        content = lines[i][1]
        found = _key_of(content)
        if found is None:
            raise ValueError(f"expected a key at line {i}: {content!r}")
        key, rest = found
        if rest:
            into[key], i = _scalar(lines, i, rest, indent)
            continue
        i += 1
        if i < len(lines) and (lines[i][0] > indent or (lines[i][0] == indent and lines[i][1].startswith("- "))):
            into[key], i = _block(lines, i, lines[i][0])
        else:
            into[key] = None
    return into, i


def _key_of(content: str) -> tuple[str, str] | None:
    """(key, rest after ": ") when `content` starts with a mapping key, else None."""
    if content[0] in "'\"":
        end = _closing_quote(content, 0)
        if end is not None and content[end + 1:end + 2] == ":" and content[end + 2:end + 3] in ("", " "):
            return _unquote(content[:end + 1]), content[end + 2:].strip()
        return None
    if content[0] in "[{&*!|>%@`":
        raise ValueError(f"unsupported YAML: {content!r}")
    at = content.find(": ")
    if at == -1:
        return (content[:-1], "") if content.endswith(":") else None
    return content[:at], content[at + 2:].strip()


def _closing_quote(text: str, start: int) -> int | None:
    quote = text[start]
    i = start + 1
    while i < len(text):
        if quote == "'" and text[i] == "'":
            if text[i + 1:i + 2] == "'":
                i += 2
                continue
            return i
        if quote == '"':
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == '"':
                return i
        i += 1
    return None


def _unquote(token: str) -> str:
    if token[0] == "'":
        return token[1:-1].replace("''", "'")
    return json.loads(token)


def _scalar(lines: list[tuple[int, str]], i: int, first: str, indent: int) -> tuple[str, int]:
    """The scalar starting with `first` on line i, folded over the lines indented deeper than `indent`."""
    parts = [first]
    i += 1
    if first[0] in "'\"":
        while _closing_quote(" ".join(parts), 0) is None:
            parts.append(lines[i][1])
            i += 1
        return _unquote(" ".join(parts)), i
    if first[0] in "[{&*!|>%@`":
        raise ValueError(f"unsupported YAML: {first!r}")
    while i < len(lines) and lines[i][0] > indent:
        parts.append(lines[i][1])
        i += 1
    return " ".join(parts), i
