# The documented way to run, test and benchmark the project. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEMO_COUNTRIES := TR RO NO NL BE
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
CI ?=

.PHONY: help run setup test lint translations translations-check translations-update test-sqlite test-postgres \
	test-api test-browser bench load clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

translations: $(BIN)/activate ## Compile the message catalogs
	@$(FLASK) translations compile

setup: translations ## Upgrade the database and load reference and demo data
	$(FLASK) db upgrade
	$(FLASK) pillars load
	$(FLASK) regions load $(DEMO_COUNTRIES)
	$(FLASK) demo --if-empty

run: setup ## Set everything up and serve on http://127.0.0.1:5000
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: $(BIN)/activate ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

translations-check: $(BIN)/activate ## Fail on any missing, fuzzy or inconsistent translation
	$(FLASK) translations check

translations-update: $(BIN)/activate ## Extract messages and merge them into every catalog
	$(FLASK) translations update

test: lint translations-check translations test-sqlite test-postgres test-api test-browser ## Everything the project checks
	@echo "make test: all legs passed (SQLite, PostgreSQL, API fuzzing, browser)"

test-sqlite: $(BIN)/activate ## The test suite on SQLite
	@echo "== leg: SQLite"
	TEST_DATABASE_URL= $(BIN)/pytest --ignore=tests/browser

test-postgres: $(BIN)/activate ## The test suite on PostgreSQL (TEST_DATABASE_URL)
	@echo "== leg: PostgreSQL ($(lastword $(subst @, ,$(TEST_DATABASE_URL))))"
	@if $(BIN)/python -m tests.support.postgres "$(TEST_DATABASE_URL)"; then \
		TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest --ignore=tests/browser; \
	elif [ -n "$(CI)" ]; then \
		echo "PostgreSQL is required in CI but not reachable at $(TEST_DATABASE_URL)"; exit 1; \
	else \
		echo "SKIPPED: PostgreSQL leg (no server at $(TEST_DATABASE_URL))"; \
	fi

test-api: $(BIN)/activate translations ## schemathesis fuzzes the JSON API on a live server
	@echo "== leg: API fuzzing (schemathesis: anonymous, member, coordinator)"
	$(BIN)/python -m tests.support.api_fuzz

test-browser: $(BIN)/activate translations ## End-to-end and axe tests in Debian's Chromium
	@echo "== leg: browser (Chromium)"
	@if [ ! -x "$(CHROMIUM)" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@if [ -x "$(CHROMIUM)" ]; then \
		CHROMIUM_PATH="$(CHROMIUM)" $(BIN)/pytest tests/browser --browser chromium; \
	elif [ -n "$(CI)" ]; then \
		echo "Chromium is required in CI but missing at $(CHROMIUM)"; exit 1; \
	else \
		echo "SKIPPED: browser leg (no Chromium at $(CHROMIUM); run as root to install it)"; \
	fi

BENCH_SQLITE_URL ?= sqlite:///$(CURDIR)/instance/bench.sqlite
BENCH_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/bench

bench: $(BIN)/activate translations ## Benchmarks against the design's budgets (full-scale data)
	BENCH_SQLITE_URL="$(BENCH_SQLITE_URL)" BENCH_POSTGRES_URL="$(BENCH_POSTGRES_URL)" $(BIN)/python -m bench.data
	BENCH_SQLITE_URL="$(BENCH_SQLITE_URL)" BENCH_POSTGRES_URL="$(BENCH_POSTGRES_URL)" $(BIN)/python -m bench

LOAD_DATABASE_URL ?= $(BENCH_SQLITE_URL)
LOAD_USERS ?= 100
LOAD_SECONDS ?= 60

load: $(BIN)/activate translations ## 100 users for 60 s against gunicorn (LOAD_DATABASE_URL), against the budgets
	@$(BIN)/python -c "import locust" 2>/dev/null || $(BIN)/pip install --quiet -e '.[load]'
	LOAD_DATABASE_URL="$(LOAD_DATABASE_URL)" $(BIN)/python -m bench.load --users $(LOAD_USERS) --seconds $(LOAD_SECONDS)

clean: ## Remove the virtual environment and build output
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache translations/*/LC_MESSAGES/*.mo
