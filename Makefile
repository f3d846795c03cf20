# Patchbay. `make run` serves the dashboard; `make test` runs every check. See README.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The settings derive EMBEDDED_API_PUBLIC_URL from them, gunicorn.conf.py its address.
export HOST PORT
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-n 0 -x tests/accounts"`. CI's
# PostgreSQL run passes the directories whose tests can depend on the database (.ci/run).
PYTEST_ARGS ?= -n auto

# uv installs into our .venv and never downloads a Python interpreter.
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON_DOWNLOADS := never

# Bytecode is compiled at install: no later start compiles it, even with PYTHONDONTWRITEBYTECODE.
# Our own modules and pytest's rewritten tests are cached as bytecode too: with a machine-wide
# PYTHONDONTWRITEBYTECODE every process (xdist workers, gunicorn workers) would compile them again.
unexport PYTHONDONTWRITEBYTECODE
UV_SYNC := $(BIN)/uv sync --frozen --inexact --compile-bytecode --quiet
NPM_CI := npm ci --no-audit --no-fund --ignore-scripts

# Stamps are named after a hash of the lock files and the install command, so installs rerun
# exactly when one of them changes.
install_hash = $(shell { cat $(1); echo '$(2)'; } | sha256sum | cut -c1-16)
UV_STAMP := .stamps/uv-$(call install_hash,pyproject.toml uv.lock,$(UV_SYNC))
NPM_STAMP := .stamps/npm-$(call install_hash,package.json package-lock.json,$(NPM_CI))
SEED_COMMAND := $(wildcard dashboard/*/management/commands/seed_demo.py)

.PHONY: help run dev serve bootstrap migrate collectstatic image-steps test-serving seed ops-user test lint fmt check-migrations pytest pytest-sqlite-file coverage bench clean FORCE

help:
	@echo "make run     set up, migrate, seed demo data, ensure the ops user, serve http://$(HOST):$(PORT) (gunicorn)"
	@echo "make dev     the same, served by Django's autoreloading development server"
	@echo "make migrate apply database migrations (production: run once before starting servers)"
	@echo "make test    set up, then lint, check migrations and run the whole test suite"
	@echo "make lint    ruff, the layer contracts (lint-imports) and types (mypy)"
	@echo "make fmt     ruff format and ruff check --fix"
	@echo "make coverage  the whole suite with line coverage of dashboard/ (coverage.py)"
	@echo "make bench   run every tests/bench/bench_*.py"
	@echo "make clean   remove .venv, node_modules and the install stamps"

# --- Set-up ------------------------------------------------------------------------------

bootstrap: $(UV_STAMP) $(NPM_STAMP) .env

$(VENV)/pyvenv.cfg:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Patchbay needs Python 3.11 or newer; try: make PYTHON=python3.12 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: $(VENV)/pyvenv.cfg
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(UV_STAMP): $(BIN)/uv
	$(UV_SYNC)
	@mkdir -p .stamps && rm -f .stamps/uv-* && touch $@

# A node_modules deleted by hand is reinstalled even though the lock file did not change.
ifeq ($(wildcard node_modules/.package-lock.json),)
$(NPM_STAMP): FORCE
endif
$(NPM_STAMP):
	$(NPM_CI)
	@mkdir -p .stamps && rm -f .stamps/npm-* && touch $@

# Adds whatever development variable is missing; never changes a value already there.
.env: FORCE $(UV_STAMP)
	@$(BIN)/python -m dashboard.dev_env $@

FORCE:

# --- Run ---------------------------------------------------------------------------------

run: bootstrap migrate seed ops-user serve

dev: bootstrap migrate seed ops-user
	@echo "Patchbay (development server, reloads on changes): http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

migrate: bootstrap
	$(MANAGE) migrate --noinput

seed: migrate
ifneq ($(SEED_COMMAND),)
	$(MANAGE) seed_demo
else
	@echo "No seed_demo command yet: starting without demo data."
endif

ops-user: migrate
	@$(MANAGE) ensure_ops_user

# gunicorn.conf.py: processes and threads (WEB_*), graceful stop on SIGTERM, logging.
serve: bootstrap
	@echo "Patchbay: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/gunicorn --config gunicorn.conf.py dashboard.wsgi

# Production serves static files from STATIC_ROOT: hashed names, compressed copies.
collectstatic: bootstrap
	$(MANAGE) collectstatic --noinput

# --- Checks ------------------------------------------------------------------------------

test: bootstrap lint check-migrations pytest pytest-sqlite-file

lint: bootstrap
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec compose.yaml

# The Dockerfile's build steps, outside a container (base images may not be pullable): the
# locked runtime dependencies without the dev group, the npm packages, collectstatic.
image-steps: bootstrap
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	UV_PROJECT_ENVIRONMENT="$$tmp/venv" $(BIN)/uv sync --frozen --no-dev --no-install-project --quiet; \
	cp package.json package-lock.json "$$tmp/"; (cd "$$tmp" && $(NPM_CI) --silent); \
	DEBUG=false SECRET_KEY=collectstatic-only STATIC_ROOT="$$tmp/static" \
		"$$tmp/venv/bin/python" manage.py collectstatic --noinput; \
	"$$tmp/venv/bin/gunicorn" --check-config --config gunicorn.conf.py dashboard.wsgi; \
	echo "Image build steps passed (runtime dependencies, npm packages, collectstatic, gunicorn config)."

fmt: bootstrap
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-migrations: bootstrap
	$(MANAGE) makemigrations --check --dry-run

# The suite always runs against the embedded Connect API, whatever .env points at. Exit
# status 5 means pytest collected nothing: a broken selection, never a pass.
pytest: bootstrap
	@status=0; CONNECT_API_URL= $(BIN)/pytest $(PYTEST_ARGS) -q -r fEs || status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; fi; \
	exit $$status

# SQLite's in-memory test database cannot take writers side by side, so the tests that need
# them (marker concurrent_writers) run again on a SQLite file, as `make run` uses.
pytest-sqlite-file: bootstrap
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	CONNECT_API_URL= DATABASE_URL="sqlite:///$$tmp/patchbay.sqlite3" \
	TEST_DATABASE_NAME="$$tmp/test.sqlite3" $(BIN)/pytest -n 0 -q -r fEs -m concurrent_writers

# Line coverage of dashboard/ by the suite (settings in pyproject.toml); not part of `make test`.
coverage: bootstrap
	CONNECT_API_URL= $(BIN)/pytest $(PYTEST_ARGS) -q --cov --cov-report=term

# Production servers (gunicorn) started by the tests: several instances on PostgreSQL + Redis
# (SERVING_DATABASE_URL, SERVING_CACHE_URL) and overload. `make test` runs the SQLite ones.
# CI passes SERVING_MARKERS=serving_postgres: its `make test` has run the others on SQLite.
SERVING_MARKERS ?= serving
test-serving: bootstrap
	CONNECT_API_URL= $(BIN)/pytest -n 0 -q -r fEs -m "$(SERVING_MARKERS)"

bench: bootstrap
	@shopt -s nullglob; scripts=(tests/bench/bench_*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "No benchmarks yet (tests/bench/bench_*.py)."; exit 0; fi; \
	missed=(); for script in "$${scripts[@]}"; do \
		echo "== $$script"; PYTHONPATH=$(CURDIR) $(BIN)/python "$$script" || missed+=("$$script"); \
	done; \
	if [ $${#missed[@]} -gt 0 ]; then echo "Missed a target or failed: $${missed[*]}"; exit 1; fi

clean:
	rm -rf $(VENV) node_modules staticfiles .stamps
