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
CONFFILE := $(BASEDIR)/pelicanconf.py
PUBLISHCONF := $(BASEDIR)/publishconf.py

SERVER ?= 127.0.0.1
PORT ?= 8000

DEPS_STAMP := $(VENV)/.deps-installed
NODE_STAMP := node_modules/.deps-installed
SYSTEM_STAMP := $(VENV)/.system-installed

.PHONY: help html serve devserver publish clean test bench deps system-deps \
        extract update compile catalogs

help:
	@echo 'make serve      build the site and serve it at http://$(SERVER):$(PORT)'
	@echo 'make devserver  rebuild on every change and serve'
	@echo 'make html       build into $(OUTPUTDIR)'
	@echo 'make publish    build for publishing (SITEURL from the environment)'
	@echo 'make test       install everything, then run every test'
	@echo 'make bench      build-speed and page-weight figures'
	@echo 'make extract / update / compile   interface-string catalogs'
	@echo 'make clean      remove the output'

# --- Set-up --------------------------------------------------------------------
$(DEPS_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet '.[test]'
	touch $@

deps: $(DEPS_STAMP)

# Browser tests need Debian's Chromium and CJK fonts (Chinese renders as boxes
# without them) and the npm packages axe-core and vnu-jar.
$(SYSTEM_STAMP): | $(DEPS_STAMP)
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "Installing Debian's chromium and fonts-noto-cjk (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	fi
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-deps: $(SYSTEM_STAMP) $(NODE_STAMP)

# --- Pelican quickstart targets -------------------------------------------------------
html: $(DEPS_STAMP)
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

serve: html
	$(PELICAN) -l $(OUTPUTDIR) -s $(CONFFILE) -b $(SERVER) -p $(PORT)

devserver: $(DEPS_STAMP)
	$(PELICAN) -lr $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) -b $(SERVER) -p $(PORT) $(PELICANOPTS)

publish: $(DEPS_STAMP)
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(PUBLISHCONF) $(PELICANOPTS)

clean:
	rm -rf $(OUTPUTDIR) cache build

# --- Tests ---------------------------------------------------------------------------
test: $(DEPS_STAMP) system-deps
	$(BIN)/python -m pytest $(PYTESTOPTS)

# --- Interface-string catalogs (Babel) --------------------------------------------------
extract: $(DEPS_STAMP)
	$(BIN)/pybabel extract --mapping-file=babel.cfg --output-file=translations/messages.pot \
	  --project="Free Huang Xueqin and Wang Jianbing" --no-location --sort-output theme/templates

update: extract
	$(BIN)/pybabel update --input-file=translations/messages.pot --output-dir=translations \
	  --ignore-obsolete

compile: $(DEPS_STAMP)
	$(BIN)/pybabel compile --directory=translations --statistics

catalogs: update compile
