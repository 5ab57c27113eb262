# Two commands for a newcomer (see README.md):
#   make site   — set everything up and build the site into site/
#   make test   — set everything up and run the whole test suite
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test lint setup browser validate schema serve bench clean snapshot

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict

validate: $(STAMP)
	$(BIN)/hyoka validate

schema: $(STAMP)
	$(BIN)/hyoka schema -o site_config/hyoka.schema.json

serve: $(STAMP)
	$(BIN)/mkdocs serve

# Debian's chromium for the browser tests (never a browser download): installed when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium" >&2; exit 1; fi; }

# ruff first (configuration in pyproject.toml [tool.ruff]): a lint error stops the run before the slow tests
test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n 2

lint: $(STAMP)
	$(BIN)/ruff check .

# make snapshot SNAP=/tmp/after.json: build the site and record every page's text and ids
# (tools/sitesnapshot.py); then `$(BIN)/python tools/sitesnapshot.py compare before.json after.json`.
SNAP ?= site-snapshot.json
snapshot: $(STAMP)
	$(BIN)/python tools/sitesnapshot.py build $(SNAP)

# make bench BENCH_ARGS=--large  (also N = 5,000); results in bench/out/results.json
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) site .publish .hyoka-index
