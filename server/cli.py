"""The `gloss` command line: `serve`, `worker`, `print`, `extract`, `define`, `build-dictionary`.

Each area declares its own sub-commands in a `command` module with
`register(subparsers)`; each registered handler takes the parsed arguments and returns
an exit code. A GlossError is printed as one line on stderr (exit 2), never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from server import __version__
from server.errors import GlossError

COMMAND_MODULES = (
    "server.web.command",          # serve
    "server.article.command",      # extract
    "server.printing.command",     # print
    "server.dictionary.command",   # define, build-dictionary
    "server.service.command",      # worker
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gloss", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"gloss {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue  # an area not built yet has no commands
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except GlossError as error:
        print(f"gloss: {error.detail}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
