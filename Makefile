# The two commands: `make run` (embedded demo on SQLite) and `make test` (whole suite on PostgreSQL).
SHELL := /bin/bash
# The venv's interpreter: the system's Python 3.11 where it can make a venv (Debian's is compiled with
# PGO and LTO; a pyenv build, compiled without them, runs the app's Python 10-12 % slower), else the
# first python3.11 or python3 on the PATH.
PYTHON ?= $(or $(shell for p in /usr/bin/python3.11 python3.11; do $$p -c 'import ensurepip, venv' 2>/dev/null && command -v $$p && break; done),python3)
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test install install-python install-node translations services lint format migrations-check messages clean bench

install: install-python install-node translations

install-python: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install-node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

translations: install-python
	$(PY) manage.py compile_translations

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving http://127.0.0.1:8000 — demo logins in README.md (password demo-pass-2026). Ctrl-C stops all."
	$(VENV)/bin/honcho start -f Procfile

services:
	bash scripts/ensure-services.sh

test: install services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=integrity.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# Benchmarks (bench/): a fresh integrity_bench database, data, pages, sweep, public form; SIZE=small for a quick run.
bench: install services
	$(PY) -m bench.run --size $(or $(SIZE),province)

lint: install-python
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-python
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install-python
	$(PY) manage.py makemessages -l zh_Hans --ignore '.venv/*' --ignore 'node_modules/*' --no-obsolete
	$(PY) manage.py compile_translations

clean:
	rm -rf $(VENV) node_modules staticfiles var db.sqlite3
