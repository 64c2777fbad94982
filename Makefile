# Archipel — the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(CURDIR)/$(VENV)/bin/uv
# Tests run on PostgreSQL (the production database); override DATABASE_URL to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/archipel

.PHONY: demo test venv venv-dev serve lint typecheck bench lock clean

$(VENV)/.base-installed: requirements/base.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==0.13.9
	$(UV) pip install -q --python $(PY) -r requirements/base.lock
	touch $@

$(VENV)/.dev-installed: $(VENV)/.base-installed requirements/dev.lock
	$(UV) pip install -q --python $(PY) -r requirements/base.lock -r requirements/dev.lock
	touch $@

venv: $(VENV)/.base-installed
venv-dev: $(VENV)/.dev-installed

## Set everything up on SQLite, load the demo city and serve it on http://127.0.0.1:8000
demo: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py demo_city --if-empty
	$(PY) manage.py compilemessages -v0 --ignore=.venv 2>/dev/null || true
	@echo "Archipel: http://127.0.0.1:8000 (demo accounts in README.md)"
	$(PY) manage.py run_huey --quiet & HUEY_PID=$$!; \
	  trap "kill $$HUEY_PID 2>/dev/null" EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:8000

## Install everything and run the whole test suite (PostgreSQL, headless Chromium)
# Bytecode, and pytest's rewritten test modules, are cached in var/pycache even where the
# environment sets PYTHONDONTWRITEBYTECODE (nothing is written next to the sources or in .venv):
# otherwise each pytest process compiles some 8,000 modules and rewrites 370 test files again,
# 28 s of CPU per process instead of 9 (docs/TESTING.md).
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache
# --maxschedchunk=1: each worker is handed the next test when it is done with one, instead of runs
# of hundreds of consecutive tests; the migration round trips (minutes, consecutive) no longer all
# go to one worker while the other ends idle. The order each worker sees is still the collection's
# order (no database test after a transactional one). docs/TESTING.md.
test: venv-dev
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-postgres.sh
	$(TEST_ENV) $(PY) manage.py compilemessages -v0 --ignore=.venv
	$(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py makemigrations --check --dry-run -v0
	$(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -p no:cacheprovider -n 2 --maxschedchunk=1 $(PYTEST_ARGS)

## Lint, format check and the import contracts between layers (pyproject.toml [tool.importlinter])
lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: venv-dev
	$(VENV)/bin/mypy apps archipel tests

## Benchmark of the foundation (PostgreSQL, gunicorn, wrk): see README "Benchmarks"
bench: venv-dev
	$(PY) bench/bench_foundation.py

## Re-pin dependencies after editing requirements/*.in
lock:
	cd requirements && $(UV) pip compile base.in -o base.lock -q --python-version 3.11 \
	  && $(UV) pip compile dev.in -o dev.lock -q --python-version 3.11
