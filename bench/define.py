"""`make bench-define`: coverage, context accuracy and speed of the dictionary look-up.

Prints, from data/dictionary.sqlite (or --store):
- coverage: the share of distinct lowercase words of the English article bodies in
  bench/extraction/ground-truth.json that get an entry (English = over 85% of the
  body's words accepted by hunspell en_US); every miss goes to bench/results/define-misses.txt.
- senses: top-1 accuracy of the first sense listed on SemEval-2007 (bench/wsd) and on
  tests/data/senses.json (see bench/wsd_sets.py), beside WordNet's first sense.
- suggestions: how often the word meant is the first suggestion, and among the first
  three, for the misspellings in tests/data/misspellings.txt, with Gloss's suggestions
  and with hunspell's own full search in the same run, and their times.
- speed: median in-process look-up time without context (and with), and /api/define
  throughput over HTTP from a real `gloss serve` process on 1,000 different words, as
  a ratio to a minimal aiohttp handler answering fixed JSON, measured in the same run:
  the median of interleaved rounds' ratios, and the best of each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.dictionary.lookup import Dictionary  # noqa: E402
from server.dictionary.spelling import PROVIDER_ORDER, Speller  # noqa: E402
from server.dictionary.store import Store  # noqa: E402
from server.errors import GlossError  # noqa: E402

import wsd_sets  # noqa: E402

GROUND_TRUTH = ROOT / "bench" / "extraction" / "ground-truth.json"
MISSPELLINGS = ROOT / "tests" / "data" / "misspellings.txt"
RESULTS = ROOT / "bench" / "results"
WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
ENGLISH_SHARE = 0.85
SETTLE_SECONDS = 60
ROUNDS = 11


def english_bodies(speller: Speller) -> list[str]:
    truth = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    bodies = []
    for item in truth.values():
        words = WORD.findall(item["articleBody"])
        if words and sum(speller.check(w) for w in words) / len(words) > ENGLISH_SHARE:
            bodies.append(item["articleBody"])
    return bodies


def coverage(dictionary: Dictionary, bodies: list[str]) -> None:
    words = sorted({w.replace("\u2019", "'") for body in bodies for w in WORD.findall(body) if w == w.lower()})
    misses = []
    for word in words:
        try:
            dictionary.resolve(word)
        except GlossError:
            misses.append(word)
    share = 1 - len(misses) / len(words)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "define-misses.txt").write_text("\n".join(misses) + "\n", encoding="utf-8")
    print(f"coverage: {len(words) - len(misses)}/{len(words)} distinct lowercase words of {len(bodies)} "
          f"English articles get an entry = {share:.1%} (goal >= 99%); misses in "
          f"{(RESULTS / 'define-misses.txt').relative_to(ROOT)}")


def first_sense_key(dictionary: Dictionary, selection: str, context: str | None) -> str | None:
    """The sense key of the first sense the answer lists (what the bubble and the glossary show)."""
    try:
        entry = dictionary.define(selection, context)
    except GlossError:
        return None
    return entry["meanings"][0]["senses"][0].get("sense_key")


def ranking_alone(dictionary: Dictionary, case: wsd_sets.Case) -> str | None:
    """The first sense the sentence ranks, the gold lemma and part of speech being given."""
    if not case.lemma or not case.part_of_speech:
        return None
    ranked = dictionary.ranked_senses(case.lemma, case.part_of_speech, case.selection, case.sentence)
    return ranked[0].get("sense_key") if ranked else None


def context_accuracy(dictionary: Dictionary) -> None:
    """Top-1 on SemEval-2007 (bench/wsd) and on tests/data/senses.json: the selection as
    written, its sentence as context, the first sense listed matched by sense key; beside
    it, the same without context and WordNet's first sense, in the same run. Then the
    ranking alone: given the gold lemma and part of speech (as the first-sense baseline
    is), how often the sentence's first sense is right, and where it differs from
    WordNet's first sense, how often for the better and for the worse."""
    for name, cases in (("SemEval-2007", wsd_sets.semeval2007()), ("senses.json", wsd_sets.our_sentences())):
        n = len(cases)
        ranked = wsd_sets.score(cases, lambda c: first_sense_key(dictionary, c.selection, c.sentence))
        plain = wsd_sets.score(cases, lambda c: first_sense_key(dictionary, c.selection, None))
        first = wsd_sets.score(cases, wsd_sets.wordnet_first_sense)
        print(f"senses: {name}: top-1 {ranked}/{n} = {ranked / n:.3f} with the sentence as context "
              f"(goal: above WordNet's first sense); {plain / n:.3f} without context; "
              f"WordNet's first sense of the gold lemma and part of speech {first}/{n} = {first / n:.3f}")
        pairs = [(ranking_alone(dictionary, c), wsd_sets.wordnet_first_sense(c), c.gold) for c in cases]
        alone = sum(r in gold for r, _, gold in pairs)
        better = sum(r in gold and f not in gold for r, f, gold in pairs)
        worse = sum(f in gold and r not in gold for r, f, gold in pairs)
        changed = sum(r != f for r, f, _ in pairs)
        print(f"senses: {name}: the ranking alone (gold lemma and part of speech given) {alone}/{n} = "
              f"{alone / n:.3f}; it changes WordNet's first sense {changed} times, {better} for the better, "
              f"{worse} for the worse")


def suggestion_quality(dictionary: Dictionary) -> None:
    """Gloss's suggestions against hunspell's own full search (Enchant's en_US as Debian
    sets it up, n-gram search included), on the same misspellings in the same run."""
    import enchant
    broker = enchant.Broker()
    broker.set_ordering("en_US", PROVIDER_ORDER)
    full = broker.request_dict("en_US")
    pairs = [line.split() for line in MISSPELLINGS.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    for name, suggest in (("Gloss", dictionary.suggest), ("hunspell full search", full.suggest)):
        first = three = 0
        times = []
        for typed, meant in pairs:
            start = time.perf_counter()
            found = [s.lower() for s in suggest(typed)]
            times.append(time.perf_counter() - start)
            first += found[:1] == [meant]
            three += meant in found[:3]
        print(f"suggestions: {name}: the word meant first for {first}/{len(pairs)}, among the first three for "
              f"{three}/{len(pairs)} misspellings; median {statistics.median(times) * 1000:.2f} ms, "
              f"slowest {max(times) * 1000:.1f} ms")


def in_process_speed(dictionary: Dictionary, words: list[str], cases: list[wsd_sets.Case]) -> None:
    times = []
    for word in words:
        start = time.perf_counter()
        try:
            dictionary.define_json(word)  # what the /api/define handler calls
        except GlossError:
            pass
        times.append(time.perf_counter() - start)
    with_context = []
    for case in cases:
        start = time.perf_counter()
        try:
            dictionary.define_json(case.selection, case.sentence)
        except GlossError:
            pass
        with_context.append(time.perf_counter() - start)
    print(f"speed: median in-process look-up {statistics.median(times) * 1000:.3f} ms without context "
          f"(goal <= 0.5 ms; p90 {sorted(times)[int(len(times) * 0.9)] * 1000:.3f} ms, {len(times)} words), "
          f"{statistics.median(with_context) * 1000:.3f} ms with the sentence as context (goal <= 1 ms; "
          f"p90 {sorted(with_context)[int(len(with_context) * 0.9)] * 1000:.3f} ms, {len(with_context)} sentences)")


# The fixed body is a real answer of a typical size (the entry of "ally", about 2 KB;
# the median answer in the mix is about the same), so that both servers move as many bytes.
MINIMAL_APP = textwrap.dedent("""
    import json, sys
    from aiohttp import web
    BODY = json.loads(sys.argv[2])
    async def handler(request):
        return web.json_response(BODY)
    app = web.Application()
    app.router.add_get("/api/define", handler)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError as error:
            if getattr(error, "code", None):
                return  # answered, even if with an error status
            time.sleep(0.1)
    raise TimeoutError(url)


async def hammer(base: str, words: list[str], concurrency: int = 8, path: str = "/api/define") -> float:
    import aiohttp
    queue = list(words)
    async with aiohttp.ClientSession() as session:
        async def worker() -> None:
            while queue:
                word = queue.pop()
                async with session.get(base + path, params={"q": word}) as response:
                    await response.read()
        for word in words[:20]:  # warm up the connection pool and the store's page cache
            async with session.get(base + "/api/define", params={"q": word}) as response:
                await response.read()
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return len(words) / (time.perf_counter() - start)


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (Linux /proc)."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def settle(pid: int) -> None:
    """Waits (up to SETTLE_SECONDS) until the process tree stays nearly idle for a second."""
    deadline = time.monotonic() + SETTLE_SECONDS
    before = _cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = _cpu_seconds(pid)
        if now - before < 0.05:
            return
        before = now


def http_throughput(words: list[str], store: Path, defined: list[str], fixed_body: str) -> None:
    gloss_port, minimal_port = free_port(), free_port()
    env = {**os.environ, "GLOSS_PORT": str(gloss_port), "GLOSS_HOST": "127.0.0.1",
           "GLOSS_DICTIONARY_PATH": str(store)}
    gloss = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    minimal = subprocess.Popen([sys.executable, "-c", MINIMAL_APP, str(minimal_port), fixed_body],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{gloss_port}/healthz")
        wait_for(f"http://127.0.0.1:{minimal_port}/api/define")
        # `gloss serve` starts its print workers (WeasyPrint processes) in the background:
        # measure once they have settled, not while they compete for the CPU.
        settle(gloss.pid)
        # Interleaved rounds: each round measures the minimal handler and then Gloss, a
        # fraction of a second apart, so that other load on the machine hits both alike;
        # the ratio is the median of the rounds' own ratios (the best of each is printed too).
        rounds = []
        for _ in range(ROUNDS):
            baseline = asyncio.run(hammer(f"http://127.0.0.1:{minimal_port}", words))
            served = asyncio.run(hammer(f"http://127.0.0.1:{gloss_port}", words))
            # The words that get an entry only: the others are 404s with suggestions.
            served_defined = asyncio.run(hammer(f"http://127.0.0.1:{gloss_port}", defined))
            # The same server answering /healthz: its middlewares, no look-up.
            floor = asyncio.run(hammer(f"http://127.0.0.1:{gloss_port}", words, path="/healthz"))
            rounds.append((baseline, served, served_defined, floor))
    finally:
        for proc in (gloss, minimal):
            proc.terminate()
            proc.wait(timeout=10)
    baseline, served = max(r[0] for r in rounds), max(r[1] for r in rounds)
    ratios = sorted(r[1] / r[0] for r in rounds)
    print(f"speed: /api/define over HTTP on {len(words)} different words, as a ratio to a minimal aiohttp handler "
          f"answering a fixed entry: median of {ROUNDS} interleaved rounds {statistics.median(ratios):.2f} "
          f"(goal >= 0.6; rounds {' '.join(f'{r:.2f}' for r in ratios)}); best of each: Gloss {served:.0f} req/s, "
          f"minimal {baseline:.0f} req/s = {served / baseline:.2f}")
    print(f"speed: of those, the {len(defined)} words that get an entry: median ratio "
          f"{statistics.median(r[2] / r[0] for r in rounds):.2f}; the other {len(words) - len(defined)} are 404s "
          f"with suggestions (half a millisecond each, answered on the event loop); the same Gloss server on "
          f"/healthz (its middlewares, no look-up): median ratio {statistics.median(r[3] / r[0] for r in rounds):.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "dictionary.sqlite")
    args = parser.parse_args()
    started = time.perf_counter()
    store = Store(args.store)
    print(f"store: {args.store} opened in {(time.perf_counter() - started) * 1000:.1f} ms, {store.size} headwords")
    speller = Speller()
    dictionary = Dictionary(store, speller)
    bodies = english_bodies(speller)
    coverage(dictionary, bodies)
    context_accuracy(dictionary)
    suggestion_quality(dictionary)
    counts: dict[str, int] = {}
    for body in bodies:
        for w in WORD.findall(body):
            if w == w.lower():  # the coverage set: words as a reader meets them in running text
                counts[w] = counts.get(w, 0) + 1
    # 1,000 different words across the frequency range: every seventh distinct word.
    words = sorted(counts, key=lambda w: (-counts[w], w))[::7][:1000]
    in_process_speed(dictionary, words, wsd_sets.semeval2007() + wsd_sets.our_sentences())
    defined = []
    for word in words:
        try:
            dictionary.define_json(word, suggest=False)
            defined.append(word)
        except GlossError:
            pass
    fixed_body = dictionary.define_json("ally").decode()
    sizes = sorted(len(dictionary.define_json(w)) for w in defined)
    print(f"speed: answers in the mix: median {sizes[len(sizes) // 2]} bytes; the minimal handler's fixed "
          f"body (the entry of \u201cally\u201d) {len(fixed_body.encode())} bytes")
    http_throughput(words, args.store, defined, fixed_body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
