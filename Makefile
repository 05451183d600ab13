# The two commands a newcomer needs are `make run` and `make test`; the rest are their steps.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
LOCK := requirements/lock.txt
STAMP := $(VENV)/.installed
ASSETS := cme/static/build/application.css

export DJANGO_SETTINGS_MODULE ?= cme.settings.dev

.PHONY: install run test lint typecheck pytest bench lock assets browsers clean

install: $(STAMP) $(ASSETS)

# Re-install only when the lock or the project metadata changes.
$(STAMP): $(LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4"
	$(BIN)/uv pip sync --quiet --python $(BIN)/python $(LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

$(ASSETS): package.json package-lock.json frontend/application.scss frontend/build.mjs
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $(ASSETS)

assets: $(ASSETS)

lock:
	$(BIN)/uv pip compile --quiet --python-version 3.11 --extra dev --generate-hashes pyproject.toml -o $(LOCK)

run: install
	mkdir -p var
	$(BIN)/cme migrate --no-input
	$(BIN)/cme demo --if-empty
	$(BIN)/cme runserver 0.0.0.0:$(PORT)

# The floors of docs/architecture.md: an upward import fails here, and so in make test and CI.
lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy cme tests

pytest: install browsers
	DJANGO_SETTINGS_MODULE=cme.settings.test CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n 2

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
CHROMIUM ?= /usr/bin/chromium
browsers:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Chromium first: sudo apt-get install chromium" >&2; exit 1; fi; }

test: lint typecheck browsers pytest

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules cme/static/build var/*.sqlite3
