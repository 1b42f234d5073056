"""Dictionary endpoints: `GET /api/define`, `GET /api/v2/entries/en/{word}`, `GET /api/complete`.

The store is opened once per application in a cleanup context (under keys.DICTIONARY)
and closed on shutdown. A look-up is a few indexed SQLite reads taking well under a
millisecond, so handlers call it directly rather than through a thread pool, whose
hand-off would cost more than the look-up itself. So are the suggestions of a 404 for
one word of up to INLINE_SUGGESTIONS_CHARS letters (half a millisecond, two at most:
`make bench-define` measured the hand-off to a thread costing more than that under
load, the ratio falling from about 0.73 to 0.56). Longer selections can keep hunspell
busy for ten milliseconds: theirs run on a thread of their own (keys.SUGGESTER), so
that the event loop keeps answering.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from server.dictionary.lookup import Dictionary
from server.dictionary.spelling import Speller
from server.dictionary.store import Store, StoreMissing
from server.errors import BadRequest, GlossError, NotFound
from server.web.keys import DICTIONARY, SETTINGS, SUGGESTER

log = logging.getLogger(__name__)
INLINE_SUGGESTIONS_CHARS = 20
# More completions than a search box shows help nobody and cost a wider scan.
MAX_COMPLETIONS = 50
FREE_DICTIONARY_LICENSE = {"name": "CC BY 4.0 (Open English WordNet) and GPL-3.0+ (GCIDE)",
                           "url": "https://en-word.net/"}


async def dictionary_ctx(app: web.Application):
    try:
        store = Store(app[SETTINGS].dictionary_path)
    except StoreMissing as error:
        # Printing still works without a dictionary; define requests answer 503 saying why.
        log.warning("%s", error.detail)
        app[DICTIONARY] = error
        yield
        return
    speller = Speller()
    app[DICTIONARY] = Dictionary(store, speller)
    app[SUGGESTER] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gloss-suggest")
    yield
    app[SUGGESTER].shutdown(wait=True)
    store.close()
    speller.close()


def _dictionary(request: web.Request) -> Dictionary:
    dictionary = request.app[DICTIONARY]
    if isinstance(dictionary, StoreMissing):
        raise dictionary
    return dictionary


async def define(request: web.Request) -> web.Response:
    selection = request.query.get("q")
    if selection is None:
        raise BadRequest("Give the selection to define as ?q=.")
    offset = _offset(request.query.get("offset"))
    dictionary = _dictionary(request)
    try:
        body = dictionary.define_json(selection, request.query.get("context") or None, suggest=False, offset=offset)
    except NotFound as error:
        query = error.extra["query"]
        if len(query) <= INLINE_SUGGESTIONS_CHARS and query.isalpha():
            suggestions = dictionary.suggest(query)
        else:
            suggestions = await asyncio.get_running_loop().run_in_executor(request.app[SUGGESTER],
                                                                           dictionary.suggest, query)
        raise NotFound(error.detail, query=query, suggestions=suggestions) from None
    return web.Response(body=body, content_type="application/json", charset="utf-8")


def _offset(value: str | None) -> int | None:
    """`offset`, where the selection starts in `context` (optional: clients that do not
    send it get the first occurrence of the selected word read)."""
    if value is None or value == "":
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise BadRequest("offset must be a whole number of characters from the start of the context.")
    return int(value)


async def free_dictionary_entry(request: web.Request) -> web.Response:
    word = request.match_info["word"]
    try:
        entry = _dictionary(request).define(word, suggest=False)
    except GlossError as error:
        if error.status not in (404, 422):
            raise
        return web.json_response({
            "title": "No Definitions Found",
            "message": "Sorry pal, we couldn't find definitions for the word you were looking for.",
            "resolution": "You can try the search again at later time or head to the web instead.",
        }, status=404, dumps=_dumps)
    return web.json_response([to_free_dictionary(entry)], dumps=_dumps)


def to_free_dictionary(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry in the public shape of the Free Dictionary API (dictionaryapi.dev, v2)."""
    phonetics = [{"text": p["ipa"], "audio": ""} for p in entry["pronunciations"]]
    meanings = []
    for meaning in entry["meanings"]:
        definitions = []
        for sense in meaning["senses"]:
            item: dict[str, Any] = {"definition": sense["definition"], "synonyms": sense["synonyms"],
                                    "antonyms": sense["antonyms"]}
            if sense["examples"]:
                item["example"] = sense["examples"][0]
            definitions.append(item)
        meanings.append({"partOfSpeech": meaning["part_of_speech"], "definitions": definitions,
                         "synonyms": sorted({s for d in definitions for s in d["synonyms"]}),
                         "antonyms": sorted({a for d in definitions for a in d["antonyms"]})})
    result: dict[str, Any] = {
        "word": entry["word"],
        "phonetic": phonetics[0]["text"] if phonetics else None,
        "phonetics": phonetics,
        "meanings": meanings,
        "license": FREE_DICTIONARY_LICENSE,
        "sourceUrls": [s["url"] for s in entry["sources"] if s["url"]],
    }
    if entry["etymology"]:
        result["origin"] = entry["etymology"]
    return result


async def complete(request: web.Request) -> web.Response:
    prefix = request.query.get("prefix", "")
    try:
        limit = int(request.query.get("limit", "10"))
    except ValueError:
        raise BadRequest("limit must be a whole number.") from None
    if not 1 <= limit <= MAX_COMPLETIONS:
        raise BadRequest(f"limit must be between 1 and {MAX_COMPLETIONS}.")
    completions = _dictionary(request).complete(prefix.strip(), limit) if prefix.strip() else []
    return web.json_response({"prefix": prefix, "completions": completions}, dumps=_dumps)


def _dumps(value: Any) -> str:
    import json
    return json.dumps(value, ensure_ascii=False)


def setup(app: web.Application) -> None:
    app.cleanup_ctx.append(dictionary_ctx)
    app.router.add_get("/api/define", define)
    app.router.add_get("/api/v2/entries/en/{word}", free_dictionary_entry)
    app.router.add_get("/api/complete", complete)
