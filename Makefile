# Minsheng: one command for the demo, one for the tests (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test test-sqlite test-postgres lint bench loadtest install install-dev messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make demo: install, migrate, load the Jintan 2024 list, print demo accounts, serve http://127.0.0.1:8000
demo: $(VENV)/.installed
	$(BIN)/minsheng demo --serve

## make test: install, then run the whole suite (SQLite unless DATABASE_URL says otherwise)
test: $(VENV)/.installed-dev
	$(BIN)/python scripts/ensure_chromium.py
	$(BIN)/pytest -n 2

test-postgres: $(VENV)/.installed-dev
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(MAKE) test

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=minsheng.settings $(BIN)/minsheng makemigrations --check --dry-run
	$(BIN)/python scripts/pip_audit.py

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py
	$(BIN)/python bench/pages.py

## make loadtest: gunicorn + wrk (apt-get install wrk) at 1×, 10×, 100× synthetic districts; see docs/benchmarks.md
## LOADTEST_ARGS="--postgres postgres://postgres@127.0.0.1:5432/loadtest" for PostgreSQL; "--repeat 3" for medians of three runs
loadtest: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || { echo "make loadtest needs wrk: apt-get install wrk"; exit 2; }
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

messages: $(VENV)/.installed-dev
	cd src/minsheng && ../../$(BIN)/minsheng makemessages -l zh_Hans --no-obsolete && ../../$(BIN)/minsheng compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
