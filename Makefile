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

.PHONY: fonts maps screenshots help run setup test lint translations translations-check translations-update test-sqlite test-postgres \
	test-api test-browser libreoffice pango poppler bench load saturation lock clean security lighthouse

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

# The venv installs the locked versions (requirements-dev.txt: runtime + dev, with hashes),
# then the project itself without resolving anything. `make lock` writes the lock files.
# PyICU builds against Debian's ICU (libicu-dev, found by pkg-config): installed when
# missing and run as root.
$(BIN)/activate: requirements-dev.txt pyproject.toml
	@if ! pkg-config --exists icu-i18n 2>/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's libicu-dev and pkg-config"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config g++ >/dev/null; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(BIN)/activate

# Lock files for Python 3.11 on Linux x86_64, made by uv (installed into the venv at this
# version). requirements-dev.txt is resolved first; requirements.txt (runtime) and
# requirements-load.txt (runtime + load) are constrained to its versions, so all three agree.
# Existing pins are kept unless the project's ranges exclude them; UPGRADE=1 takes the newest.
UV_VERSION := 0.13.9
UV_COMPILE := $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command 'make lock' \
	$(if $(UPGRADE),--upgrade) pyproject.toml

translations: $(BIN)/activate ## Compile the message catalogs
	@$(FLASK) translations compile

setup: translations ## Upgrade the database and load reference and demo data
	$(FLASK) db upgrade
	$(FLASK) pillars load
	$(FLASK) regions load $(DEMO_COUNTRIES)
	$(FLASK) demo --if-empty

# Background jobs: with Redis at REDIS_URL, `make run` starts a Celery worker with an embedded
# beat beside the server and stops it with the server; without Redis, tasks run in-process.
REDIS_URL ?= redis://127.0.0.1:6379/1
CELERY := $(BIN)/celery -A wsgi:celery

run: setup ## Set everything up and serve on http://127.0.0.1:5000 (with a worker when Redis answers)
	@if $(BIN)/python -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" "$(REDIS_URL)" 2>/dev/null; then \
		echo "Redis answers at $(REDIS_URL): a worker and beat run beside the server"; \
		export FLASK_CELERY_BROKER_URL="$(REDIS_URL)"; \
		$(CELERY) worker --beat --schedule instance/celerybeat-schedule --concurrency 2 \
			--queues mail,exports,housekeeping --loglevel INFO & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(FLASK) run --host 127.0.0.1 --port 5000; \
	else \
		echo "No Redis at $(REDIS_URL): background tasks run in-process after each commit"; \
		$(FLASK) run --host 127.0.0.1 --port 5000; \
	fi

lint: $(BIN)/activate ## ruff check, ruff format --check and the import layers (lint-imports)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

translations-check: $(BIN)/activate ## Fail on any missing, fuzzy or inconsistent translation
	$(FLASK) translations check

translations-update: $(BIN)/activate ## Extract messages and merge them into every catalog
	$(FLASK) translations update

test: lint translations-check translations test-sqlite test-postgres test-api test-browser ## Everything the project checks
	@echo "make test: all legs passed (SQLite, PostgreSQL, API fuzzing, browser)"

# Debian's nodejs and npm, where they are missing and we may install them.
define ensure-npm
@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	echo "installing Debian's nodejs and npm"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
fi
endef

# The node tools of the tests (ical.js reads the feeds as Thunderbird does), as
# package-lock.json pins them: installed when node_modules is missing or older than the lock.
node_modules/.package-lock.json: package-lock.json
	$(ensure-npm)
	npm ci --ignore-scripts --no-audit --no-fund

# The export tests open CSV and XLSX files in LibreOffice headless, as a reader's
# spreadsheet would; they are skipped without it, except with CI set, where they fail.
libreoffice: ## LibreOffice headless for the export tests (installed when missing and run as root)
	@if ! command -v soffice >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's libreoffice-calc-nogui"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null; \
	fi

# The PDF report is made by WeasyPrint, which needs Debian's Pango; its tests read the
# PDF with pdftotext (poppler-utils).
pango: ## Pango for WeasyPrint (installed when missing and run as root)
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's libpango-1.0-0 and libpangoft2-1.0-0"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	fi

poppler: ## pdftotext for the report tests (installed when missing and run as root)
	@if ! command -v pdftotext >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's poppler-utils"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	fi

test-sqlite: $(BIN)/activate node_modules/.package-lock.json libreoffice pango poppler ## The test suite on SQLite
	@echo "== leg: SQLite"
	TEST_DATABASE_URL= $(BIN)/pytest --ignore=tests/browser

test-postgres: $(BIN)/activate node_modules/.package-lock.json libreoffice pango poppler ## The test suite on PostgreSQL (TEST_DATABASE_URL)
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

bench: $(BIN)/activate translations pango ## Benchmarks against the design's budgets (full-scale data)
	BENCH_SQLITE_URL="$(BENCH_SQLITE_URL)" BENCH_POSTGRES_URL="$(BENCH_POSTGRES_URL)" $(BIN)/python -m bench.data
	BENCH_SQLITE_URL="$(BENCH_SQLITE_URL)" BENCH_POSTGRES_URL="$(BENCH_POSTGRES_URL)" $(BIN)/python -m bench

LOAD_DATABASE_URL ?= $(BENCH_SQLITE_URL)
LOAD_USERS ?= 100
LOAD_SECONDS ?= 60

$(VENV)/.load-installed: requirements-load.txt $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes -r requirements-load.txt
	touch $@

# INSTANCES=2 runs two gunicorn instances behind Debian's HAProxy (installed when missing and
# root); KILL_AFTER=30 then kills one of them 30 s into the run (bench/cluster.py).
INSTANCES ?= 1
KILL_AFTER ?=

load: $(VENV)/.load-installed translations ## 100 users for 60 s against gunicorn (LOAD_DATABASE_URL), against the budgets
	@if [ "$(INSTANCES)" != 1 ] && ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ] \
		&& [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's haproxy"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	fi
	LOAD_DATABASE_URL="$(LOAD_DATABASE_URL)" $(BIN)/python -m bench.load --users $(LOAD_USERS) \
		--seconds $(LOAD_SECONDS) --instances $(INSTANCES) $(if $(KILL_AFTER),--kill-after $(KILL_AFTER))

SATURATION_STEPS ?= 100,200,300,400,600,800

saturation: $(VENV)/.load-installed translations ## The highest req/s of the load mix with p95 within budget (steps of users, LOAD_DATABASE_URL)
	LOAD_DATABASE_URL="$(LOAD_DATABASE_URL)" $(BIN)/python -m bench.saturation --steps $(SATURATION_STEPS)

# The scanner leg, outside `make test`: wapiti (from PyPI, in a virtual environment of its
# own so that its dependencies never meet the locked ones) against gunicorn serving the
# demo data with the production settings over TLS, signed in as a national coordinator.
# Bounded to about 7 minutes of scanning; the report goes to build/security/.
SECURITY_VENV := .venv-security
WAPITI_VERSION := 3.2.3

$(SECURITY_VENV)/bin/wapiti:
	$(PYTHON) -m venv $(SECURITY_VENV)
	$(SECURITY_VENV)/bin/pip install --quiet --upgrade pip
	$(SECURITY_VENV)/bin/pip install --quiet 'wapiti3==$(WAPITI_VERSION)'

security: $(BIN)/activate translations $(SECURITY_VENV)/bin/wapiti ## wapiti against a live production-like server, as a coordinator (report in build/security/)
	$(BIN)/python scripts/security_scan.py

lock: $(BIN)/activate ## Rewrite the lock files: requirements*.txt from pyproject.toml, package-lock.json from package.json (UPGRADE=1: newest releases)
	@$(BIN)/uv --version 2>/dev/null | grep -qE '^uv $(UV_VERSION)( |$$)' || $(BIN)/pip install --quiet 'uv==$(UV_VERSION)'
	$(UV_COMPILE) --extra dev -o requirements-dev.txt
	$(UV_COMPILE) --constraint requirements-dev.txt -o requirements.txt
	$(UV_COMPILE) --extra load --constraint requirements-dev.txt -o requirements-load.txt
	$(ensure-npm)
	npm install --package-lock-only --ignore-scripts --no-audit --no-fund

maps: $(BIN)/activate ## Rebuild the region maps in app/geography/boundaries from npm (the result is committed)
	$(ensure-npm)
	$(BIN)/python scripts/build_maps.py

fonts: $(BIN)/activate node_modules/.package-lock.json ## Vendor the web fonts from npm into app/core/static (the result is committed)
	$(BIN)/python scripts/vendor_fonts.py

# Lighthouse from npm, at this version, in a folder of its own (not a dependency of the tests).
LIGHTHOUSE_VERSION := 13.5.0
build/lighthouse/node_modules/.bin/lighthouse:
	mkdir -p build/lighthouse
	echo '{"name": "lighthouse-run", "private": true}' > build/lighthouse/package.json
	cd build/lighthouse && npm install --no-audit --no-fund --silent lighthouse@$(LIGHTHOUSE_VERSION)

lighthouse: $(BIN)/activate translations build/lighthouse/node_modules/.bin/lighthouse ## Lighthouse's mobile performance score of the home page, calendar and dashboard (Debian's Chromium)
	CHROMIUM_PATH="$(CHROMIUM)" $(BIN)/python scripts/lighthouse.py

screenshots: $(BIN)/activate translations ## Regenerate docs/screenshots/ from a temporary demo database in Debian's Chromium
	CHROMIUM_PATH="$(CHROMIUM)" $(BIN)/python scripts/screenshots.py

clean: ## Remove the virtual environment and build output
	rm -rf $(VENV) $(SECURITY_VENV) node_modules *.egg-info .pytest_cache .ruff_cache translations/*/LC_MESSAGES/*.mo
