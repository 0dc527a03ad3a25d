# The campaign site. `make serve` builds and serves it; `make test` runs every test.
# Both install what they need first (virtualenv, Python and npm packages, and
# Debian's chromium and fonts-noto-cjk for the browser tests).

PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
PELICANOPTS ?=

BASEDIR := $(CURDIR)
INPUTDIR := $(BASEDIR)/content
OUTPUTDIR ?= $(BASEDIR)/output
ifeq ($(strip $(OUTPUTDIR)),)
$(error OUTPUTDIR is empty: name the folder to build into, e.g. OUTPUTDIR=output (the default when it is not given))
endif
CONFFILE := $(BASEDIR)/pelicanconf.py
PUBLISHCONF := $(BASEDIR)/publishconf.py

SERVER ?= 127.0.0.1
PORT ?= 8000

DEPS_STAMP := $(VENV)/.deps-installed
NODE_STAMP := node_modules/.deps-installed

.PHONY: help html serve devserver publish clean test bench deps lock system-deps system-packages \
        extract update compile catalogs catalog-init check new

help:
	@echo 'make serve      build the site and serve it at http://$(SERVER):$(PORT)'
	@echo 'make devserver  serve, rebuild on every save and reload the browser'
	@echo 'make check      check the content and translations, list every problem (no build)'
	@echo 'make new KIND=action SLUG=...   start a document in every language (KIND: action, petition, press)'
	@echo 'make html       build into $(OUTPUTDIR)'
	@echo 'make publish    build for publishing (SITEURL from the environment)'
	@echo 'make test       install everything, then run every test'
	@echo 'make test-fast  the link and page-budget tests on the site as built today (no browser, npm or apt)'
	@echo 'make bench      build-speed and page-weight figures'
	@echo 'make extract / update / compile   interface-string catalogs'
	@echo 'make catalog-init LANG=de          start the catalog of a new language (declared in plugins/campaign/languages.py)'
	@echo 'make lock       update requirements.lock (exact versions and hashes) from pyproject.toml'
	@echo 'make clean      remove the output'

# --- Set-up --------------------------------------------------------------------
# The exact versions in requirements.lock, each checked against its hash: what the tests
# ran with is what CI builds and deploys with. `make lock` updates it from pyproject.toml.
$(DEPS_STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $@

# The plugin's modules compiled once per change, as pip compiles the installed packages: hash-
# checked .pyc files, which Python compares with their source's bytes (never a time) at every
# import, so a module edited since is compiled again in memory and never run stale. A build then
# does not compile the plugin again, also where PYTHONDONTWRITEBYTECODE is set (it stops only
# Python's own writing).
PLUGIN_SOURCES := $(shell find plugins -name '*.py' -not -path '*/__pycache__/*')
PYC_STAMP := $(VENV)/.plugins-compiled
$(PYC_STAMP): $(DEPS_STAMP) $(PLUGIN_SOURCES)
	$(BIN)/python -m compileall -q --invalidation-mode checked-hash plugins
	touch $@

deps: $(DEPS_STAMP) $(PYC_STAMP)

# The newest versions pyproject.toml allows, pinned with their hashes (pip-tools, in a
# virtualenv of its own). Run it after changing a dependency, then `make test`.
LOCK_VENV := build/lock-venv
lock:
	test -x $(LOCK_VENV)/bin/python || $(PY) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet pip-tools
	$(LOCK_VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras --extra test \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

# The browser, HTML and link tests need Debian's Chromium, a Chinese font (without
# one, Chinese shows as boxes), Java (the Nu Html Checker) and npm; checked on every
# run, installed only when missing. Then the npm packages axe-core and vnu-jar.
APT_GET := $(if $(filter 0,$(shell id -u)),,sudo )apt-get

system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v fc-list >/dev/null 2>&1 || missing="$$missing fontconfig"; \
	fc-list :lang=zh-cn 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  { $(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq$$missing; } \
	    || { echo "Could not install$$missing. As root, run: apt-get install$$missing" >&2; exit 1; }; \
	fi

$(NODE_STAMP): package.json package-lock.json | system-packages
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps: system-packages $(NODE_STAMP)

# --- Pelican quickstart targets -------------------------------------------------------
# `make html` first asks whether anything the last build read or wrote has changed
# (plugins/campaign/up_to_date.py), and builds only if so. With PELICANOPTS (such as
# --ignore-cache) it always builds; so do `make publish` and CI.
UP_TO_DATE = PYTHONPATH=$(BASEDIR)/plugins$${PYTHONPATH:+:$$PYTHONPATH} $(BIN)/python -m campaign.up_to_date \
  --settings $(CONFFILE) --content $(INPUTDIR) --output $(OUTPUTDIR)

html: $(DEPS_STAMP) $(PYC_STAMP)
	$(if $(strip $(PELICANOPTS)),,$(UP_TO_DATE) ||) $(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

serve: html
	$(PELICAN) -l $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) -b $(SERVER) -p $(PORT)

# Builds into a temporary folder, not $(OUTPUTDIR); see plugins/campaign/devserver.py.
devserver: $(DEPS_STAMP) $(PYC_STAMP)
	PYTHONPATH=plugins $(BIN)/python -m campaign.devserver --content $(INPUTDIR) --settings $(CONFFILE) --bind $(SERVER) --port $(PORT)

publish: $(DEPS_STAMP) $(PYC_STAMP)
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(PUBLISHCONF) $(PELICANOPTS)

# --- Editors ------------------------------------------------------------------------
# The build's own checks on all content and catalogs, without building (docs/editing.md).
# In an editor's terminal the check's own verdict is the last line: make's "*** Error 1"
# after it would read as a crash. Anywhere else (CI, scripts, pipes) problems still make
# `make check` fail, so nothing that relies on its exit status is misled.
check: $(DEPS_STAMP) $(PYC_STAMP)
	@PYTHONPATH=plugins $(BIN)/python -m campaign.check $(INPUTDIR) --settings $(CONFFILE) $(CHECKOPTS) \
	  || { status=$$?; [ -t 1 ] && [ -z "$$CI" ] || exit $$status; }

new: $(DEPS_STAMP) $(PYC_STAMP)
	@LANG=C.UTF-8 PYTHONPATH=plugins $(BIN)/python -m campaign.scaffold --kind "$(KIND)" --slug "$(SLUG)" --pages $(INPUTDIR)/pages \
	  $(if $(filter command line,$(origin LANG)),--lang "$(LANG)")

# Only an output a build of this site made (plugins/campaign/staging.py): never the project,
# content/, or a folder with files of someone else's.
# cache/ stays: it holds only what its keys decide (plugins/campaign/build_cache.py), and a
# build running at the same time may be reading it; deleting it by hand only slows the next build.
clean:  # the output, what builds leave beside it, and build/
	PYTHONPATH=plugins $(BIN)/python -m campaign.staging $(OUTPUTDIR)
	rm -rf build

# --- Tests ---------------------------------------------------------------------------
# On every core, the tests shared out one by one; those that use a module-scoped fixture (a
# site built once for them) stay together on one core (tests/conftest.py).
PYTESTOPTS ?= -n auto --dist loadgroup
test: $(DEPS_STAMP) $(PYC_STAMP) system-deps
	$(BIN)/python -m pytest $(PYTESTOPTS)

# After an intended change to what the site outputs: the fixture site's golden output
# (tests/golden.py), compared by tests/test_golden.py (the script without its comments). Read its diff.
golden: $(DEPS_STAMP) $(PYC_STAMP)
	PYTHONPATH=plugins:tests $(BIN)/python tests/golden.py

# The checks the daily publishing run repeats on a commit that passed `make test`
# (.github/workflows/publish.yml): links and page budget of the site as built today
# (TEST_CLOCK=today; a new day can close an action or count its last days down), with
# the packages installed today. No browser, no npm, no Debian packages: only `make deps`.
.PHONY: test-fast
test-fast: $(DEPS_STAMP) $(PYC_STAMP)
	TEST_CLOCK=today $(BIN)/python -m pytest tests/test_links.py tests/test_budget.py -m "not browser" $(PYTESTOPTS)

# --- Build speed and page weight ------------------------------------------------------------
# Not a test: figures against the targets of issues 7 and 22 (scripts/bench.py says how each
# is measured). BENCH_N: documents per language of the synthetic sites (from 1000, built
# once); BENCH_RUNS: builds per figure (the median is shown); LIGHTHOUSE=1 adds Lighthouse
# scores for every page. A few minutes on two cores.
BENCH_N ?= 100 300 1000
BENCH_RUNS ?= 3

bench: $(DEPS_STAMP) $(PYC_STAMP) $(if $(filter 1,$(LIGHTHOUSE)),system-packages)
	@$(BIN)/python scripts/bench.py --sizes "$(BENCH_N)" --runs $(BENCH_RUNS) $(if $(filter 1,$(LIGHTHOUSE)),--lighthouse)

# --- Interface-string catalogs (Babel) --------------------------------------------------
extract: $(DEPS_STAMP)
	$(BIN)/pybabel extract --mapping-file=babel.cfg --output-file=translations/messages.pot \
	  --project="Campaign site" --no-location --sort-output theme/templates

update: extract
	$(BIN)/pybabel update --input-file=translations/messages.pot --output-dir=translations \
	  --ignore-obsolete

compile: $(DEPS_STAMP)
	$(BIN)/pybabel compile --directory=translations --statistics

catalogs: update compile

# The catalog of a language new to the site (`pybabel update` only updates catalogs that
# exist). LANG is the code declared in plugins/campaign/languages.py, which gives the
# Babel locale (plural forms); LANG is also the shell's locale variable, so the tools
# run under a neutral one.
catalog-init: $(DEPS_STAMP)
	@test "$(origin LANG)" = "command line" || { echo "Usage: make catalog-init LANG=de   (a code declared in plugins/campaign/languages.py)" >&2; exit 2; }
	@test ! -e translations/$(LANG)/LC_MESSAGES/messages.po || { echo "translations/$(LANG)/LC_MESSAGES/messages.po exists already: run make update" >&2; exit 2; }
	@locale=$$(LANG=C.UTF-8 PYTHONPATH=plugins $(BIN)/python -c 'import sys; from campaign.languages import LANGUAGES; print(LANGUAGES[sys.argv[1]].locale)' "$(LANG)" 2>/dev/null) \
	  || { echo "LANG=$(LANG) is not declared in plugins/campaign/languages.py: add the language there first" >&2; exit 2; }; \
	LANG=C.UTF-8 $(BIN)/pybabel init --input-file=translations/messages.pot --locale=$$locale \
	  --output-file=translations/$(LANG)/LC_MESSAGES/messages.po
