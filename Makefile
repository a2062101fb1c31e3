# The two commands of the README.
#   make app    install into .venv, build the demo network once, serve the workbooks
#   make test   install what the tests need (Chromium, PostgreSQL, axe-core), then run
#               ruff and the whole test suite; .ci/run calls exactly this
# Both work on a fresh clone; `make test` installs system packages when run as root.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= ciwidgets.db
HOST ?= 127.0.0.1
PORT ?= 8866
# pytest-xdist workers for everything but the browser tests, which run in one process
# of their own so that they share a single Voila server.
WORKERS ?= 2
PYTEST_ARGS ?=
SYSTEM_PACKAGES := chromium postgresql

.PHONY: app lab test properties system-packages

app: $(VENV)/.installed-app
	$(BIN)/ciwidgets --db $(DB) demo --if-empty --url http://$(HOST):$(PORT)
	$(BIN)/ciwidgets --db $(DB) serve --host $(HOST) --port $(PORT) --open

# JupyterLab over the workbooks, on the same store as `make app` (an absolute path: a
# notebook reads a relative one from its own folder).
lab: $(VENV)/.installed-app
	$(BIN)/ciwidgets --db $(DB) demo --if-empty --url http://$(HOST):$(PORT)
	CIWIDGETS_DB="$(abspath $(DB))" $(BIN)/jupyter lab workbooks/

test: system-packages $(VENV)/.installed-test node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(WORKERS) -m "not browser" $(PYTEST_ARGS); unit=$$?; \
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS); browser=$$?; \
	exit $$(( unit != 0 ? unit : browser ))

# Now and then: the property tests (hypothesis) with RUNS times the suite's examples, to
# look further for the rare input that breaks something. Not part of `make test`.
RUNS ?= 50
properties: $(VENV)/.installed-test
	PROPERTY_RUNS=$(RUNS) $(BIN)/python -m pytest -n $(WORKERS) -q \
		$$(grep -l "max_examples=examples" tests/test_*.py)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalled when the dependencies change.
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	touch $@

# axe-core for the accessibility tests, exactly as package-lock.json pins it.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Chromium (browser tests) and PostgreSQL (store tests) from Debian, when missing and
# when we may install them; otherwise the tests say what is missing (and fail under CI).
system-packages:
	@if command -v chromium >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		exit 0; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(SYSTEM_PACKAGES); \
	else \
		echo "make test: Chromium or PostgreSQL is missing; run as root (or: sudo apt-get install $(SYSTEM_PACKAGES))." >&2; \
	fi
