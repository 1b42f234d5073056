"""The offline build of the dictionary store (`gloss build-dictionary`): sources in, SQLite out.

Nothing here runs when the server answers a request; the run-time look-up lives in the
modules of `server.dictionary` beside this package. `build` is in `assemble`."""

from server.dictionary.build.assemble import build

__all__ = ["build"]
