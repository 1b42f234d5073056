"""`gloss build-dictionary [--output PATH] [--words W,W | --limit N | --readings-only]` and
`gloss define WORD [--context SENTENCE [--offset N]] [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser("build-dictionary", help="build the SQLite dictionary from Open English WordNet, GCIDE, CMU, wordfreq")
    p.add_argument("--output", type=Path, help="where to write it (default: the dictionary_path setting)")
    p.add_argument("--words", help="build only these headwords, comma-separated (a slice for tests)")
    p.add_argument("--limit", type=int, help="build only the first N headwords in key order")
    p.add_argument("--readings-only", action="store_true",
                   help="recompute only what the look-up derives (its stored readings) in the existing store")
    p.set_defaults(handler=build_dictionary)

    p = subparsers.add_parser("define", help="print the dictionary entry of a word or expression")
    p.add_argument("word", nargs="+", help="the word or expression, as selected")
    p.add_argument("--context", help="the sentence around it, to put the fitting sense first")
    p.add_argument("--offset", type=int, help="where the word starts in the context (characters from 0), "
                                              "when it occurs there more than once")
    p.add_argument("--json", action="store_true", help="print the JSON that GET /api/define answers")
    p.set_defaults(handler=define)


def build_dictionary(args: argparse.Namespace) -> int:
    from server.dictionary.build import build
    from server.settings import Settings

    output = args.output or Settings.from_env().dictionary_path
    if args.readings_only:
        from server.dictionary.build.readings import refresh
        refresh(output, log=lambda line: print(line, file=sys.stderr, flush=True))
        return 0
    words = [w.strip() for w in args.words.split(",") if w.strip()] if args.words else None
    build(output, words=words, limit=args.limit, log=lambda line: print(line, file=sys.stderr, flush=True))
    return 0


def define(args: argparse.Namespace) -> int:
    from server.dictionary.lookup import Dictionary
    from server.dictionary.spelling import Speller
    from server.dictionary.store import Store
    from server.errors import NotFound
    from server.settings import Settings

    store = Store(Settings.from_env().dictionary_path)
    dictionary = Dictionary(store, Speller())
    try:
        entry = dictionary.define(" ".join(args.word), args.context, offset=args.offset)
    except NotFound as error:
        if args.json:
            print(json.dumps(error.problem(), ensure_ascii=False, indent=2))
        else:
            suggestions = error.extra.get("suggestions") or []
            print(error.detail + (f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""))
        return 1
    if args.json:
        print(json.dumps(entry, ensure_ascii=False, indent=2))
    else:
        print(render_text(entry))
    return 0


def render_text(entry: dict) -> str:
    """The entry as a person reads it in a terminal."""
    lines = []
    head = entry["word"]
    if entry["pronunciations"]:
        head += "  " + ", ".join(p["ipa"] for p in entry["pronunciations"])
    lines.append(head)
    if entry["found"]:
        f = entry["found"]
        lines.append(f"  ({f['form']}: {f['relation']} {f['lemma']})")
    lines.append(f"  frequency: {entry['frequency']['band']} (Zipf {entry['frequency']['zipf']})")
    for meaning in entry["meanings"]:
        lines.append("")
        lines.append(meaning["part_of_speech"])
        for n, sense in enumerate(meaning["senses"], 1):
            mark = " [older]" if sense["older"] else ""
            lines.extend(textwrap.wrap(f"{n}. {sense['definition']}{mark}", 88,
                                       initial_indent="  ", subsequent_indent="     "))
            for example in sense["examples"][:2]:
                lines.extend(textwrap.wrap(f"\u201c{example}\u201d", 88, initial_indent="     ",
                                           subsequent_indent="     "))
            if sense["synonyms"]:
                lines.append("     synonyms: " + ", ".join(sense["synonyms"]))
            if sense["antonyms"]:
                lines.append("     antonyms: " + ", ".join(sense["antonyms"]))
    if entry["etymology"]:
        lines.append("")
        lines.extend(textwrap.wrap("Etymology: " + entry["etymology"], 88))
    lines.append("")
    lines.append("Sources: " + "; ".join(f"{s['name']} ({s['license']})" for s in entry["sources"]))
    return "\n".join(lines)
