# Gloss: `make run` serves on http://127.0.0.1:8080, `make test` runs the whole suite.
# Both start with `make install`, which is idempotent: it installs only what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8080
DICTIONARY := data/dictionary.sqlite
# Defined before `install` names it: make expands a rule's prerequisites as it reads the rule.
DICTIONARY_READINGS := data/.readings
WEB_EXT := node_modules/.bin/web-ext

# Debian packages the server, the dictionary build and the tests need.
APT_PACKAGES := python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji libenchant-2-2 hunspell-en-us dict-gcide \
	poppler-utils chromium chromium-driver chromium-l10n firefox-esr nodejs redis-server

.PHONY: help install install-system run lint test test-fast screenshots gallery bench-language bench-extract bench-structure bench-print bench-define bench-load bench-glossary bench-scale clean

help:
	@echo "make run      serve Gloss on http://$(HOST):$(PORT) (HOST/PORT override)"
	@echo "make test     run the whole test suite (unit, API, PDF, browser)"
	@echo "make install  set up everything that is missing (apt, .venv, npm tools, dictionary)"
	@echo "make lint     ruff on the Python, ESLint on the extension (make test runs it first)"
	@echo "make bench-extract | bench-structure | bench-print | bench-define | bench-define-reader | bench-current-coverage | bench-load | bench-glossary | bench-scale | bench-language"
	@echo "make screenshots  retake the README pictures of the bubble and the popup"
	@echo "make bench-preview  CPU time of extraction and typesetting in process"
	@echo "make gallery  contact sheets of printed pages in docs/ (look at them after a style change)"

install: install-system $(VENV)/.installed $(WEB_EXT) $(DICTIONARY) $(DICTIONARY_READINGS)

# Installs only the Debian packages that are missing (root, or sudo where present).
install-system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "apt: installing $$missing"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml constraints.txt
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	@touch $@

$(WEB_EXT): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Rebuilt when the code or data that build it change (a minute or two); written atomically.
# The run-time look-up is not among them: when it changes, only the readings it derives
# are refreshed in the existing store (seconds), below.
DICTIONARY_BUILDER := $(wildcard server/dictionary/build/*.py) server/dictionary/build/current_english/entries.tsv \
	$(addprefix server/dictionary/,store.py normalise.py signatures.py tagging.py morphology.py) \
	$(wildcard vendor/open-english-wordnet/*.tar.xz) vendor/masc-tagged/masc_tagged.zip vendor/wordnet-3.0-counts/cntlist.rev
$(DICTIONARY): $(VENV)/.installed $(DICTIONARY_BUILDER) | install-system
	$(VENV)/bin/gloss build-dictionary --output $@
	@touch $(DICTIONARY_READINGS)

DICTIONARY_LOOKUP := $(addprefix server/dictionary/,lookup.py morphology.py normalise.py)
$(DICTIONARY_READINGS): $(DICTIONARY) $(DICTIONARY_LOOKUP)
	$(VENV)/bin/gloss build-dictionary --output $(DICTIONARY) --readings-only
	@touch $@

run: install
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gloss serve

# ruff's rules are in pyproject.toml; ESLint's recommended rules in eslint.config.mjs.
lint: install
	$(VENV)/bin/ruff check server tests bench
	node_modules/.bin/eslint extension tests/extension eslint.config.mjs

test: install lint
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not e2e"

# The README's pictures of the bubble and the popup, taken by the browser tests into docs/.
screenshots: install
	GLOSS_SCREENSHOT_DIR=docs $(PY) -m pytest -q tests/e2e/test_extension_define.py tests/e2e/test_extension_popup.py

# Contact sheets of printed pages (bench pages, the script test pages, paper sizes) in docs/.
gallery: install
	$(PY) bench/gallery.py

bench-language: install
	$(PY) bench/language.py

bench-extract: install
	$(PY) bench/extract.py

bench-structure: install
	$(PY) bench/structure.py

bench-print: install
	$(PY) bench/print_latency.py

# CPU time of extraction + typesetting in process (pipeline.preview), with and without a glossary.
.PHONY: bench-preview
bench-preview: install
	$(PY) bench/preview_time.py --glossary

bench-define: install
	$(PY) bench/define.py

# How well each signal of the prior for never-tagged senses finds the most-tagged sense of
# the words WordNet did tag, their counts hidden (bench/sense_prior.py).
.PHONY: bench-sense-prior
bench-sense-prior: install
	$(PY) bench/sense_prior.py

# Headword, part of speech, names and expressions against held-out MASC and SemEval-2007's
# gold; then a reader's pass over the bench articles through a real server over HTTP.
.PHONY: bench-define-reader
bench-define-reader: install
	$(PY) bench/define_reader.py
	$(PY) bench/reader_pass.py

# How many of wordfreq's 40,000 most frequent English words get a current sense, and the
# misses most frequent first (bench/current_coverage.py).
.PHONY: bench-current-coverage
bench-current-coverage: install
	$(PY) bench/current_coverage.py

bench-load: install
	$(PY) bench/load.py

bench-glossary: install
	$(PY) bench/glossary.py

bench-scale: install
	$(PY) bench/scale.py

clean:
	rm -rf $(VENV) node_modules data/*.sqlite .pytest_cache
