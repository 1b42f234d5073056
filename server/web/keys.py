"""Typed keys for the shared objects an application holds, declared in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from server.settings import Settings

if TYPE_CHECKING:  # imported for types only: keeps start-up light
    pass

SETTINGS = web.AppKey("settings", Settings)
# The objects below are created by each area's cleanup context (see its `setup`).
RENDER_POOL = web.AppKey("render_pool", Any)
PRINT_CACHE = web.AppKey("print_cache", Any)
DICTIONARY = web.AppKey("dictionary", Any)
SUGGESTER = web.AppKey("suggester", Any)
FETCHER = web.AppKey("fetcher", Any)
# Tests only, set before start-up: host name -> address map that replaces DNS for the fetcher.
FETCH_HOSTS = web.AppKey("fetch_hosts", Any)
