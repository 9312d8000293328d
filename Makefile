# The two commands of the README: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The Sveltia CMS release that `themehub cms` pins (its version is named once, in scripts/fetch_sveltia.py);
# the editor's browser test serves it from this cache.
SVELTIA := .cache/sveltia/$(shell sed -n 's/^VERSION = "\(.*\)"$$/\1/p' scripts/fetch_sveltia.py)/dist/sveltia-cms.js

.PHONY: serve build test lint chromium clean

$(BIN)/themehub: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

serve: $(BIN)/themehub
	$(BIN)/themehub build
	$(BIN)/themehub serve --port $(PORT)

build: $(BIN)/themehub
	$(BIN)/themehub build

# Browser tests drive Debian's chromium, and the HTML validator needs a Java runtime: install them
# when they are missing (needs root or sudo).
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v java >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium default-jre-headless >/dev/null; }

# The pinned editor (scripts/fetch_sveltia.py names the version and verifies the download).
$(SVELTIA): | $(BIN)/themehub
	$(BIN)/python scripts/fetch_sveltia.py

test: $(BIN)/themehub chromium $(SVELTIA)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n auto --dist loadfile --durations=20

clean:
	rm -rf site .site.staging-* .themehub-cache .pytest_cache
