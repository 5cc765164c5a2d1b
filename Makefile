# Vroeg: `make run` serves the demo, `make test` runs the suite. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: help install install-dev run test lint format migrate demo messages screenshots clean

help:
	@echo "make run      install, migrate, load demo data, serve web + worker + beat"
	@echo "make test     install test tools and run the whole test suite"
	@echo "make lint     ruff (lint, format check) and the one-way layer contracts (import-linter)"
	@echo "make format   let ruff format and sort imports"
	@echo "make install  only install the application into $(VENV)"
	@echo "make migrate  apply database migrations"
	@echo "make messages update and compile the Dutch translations (needs GNU gettext)"
	@echo "make screenshots  photograph each role's main page with the demo data into docs/screenshots/"
	@echo "make clean    remove $(VENV) and var/ (the SQLite database included)"

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Vroeg needs Python 3.11 or newer (found $(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP) install -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

# Demo mode on embedded defaults unless the environment says otherwise.
run: export DJANGO_DEBUG ?= true
run: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@exec bin/run-dev

# One test process per core (pytest-xdist); TEST_PROCESSES=0 runs them in this process.
TEST_PROCESSES ?= auto
test: install-dev
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --select I --fix .
	$(BIN)/ruff format .

migrate: install
	$(BIN)/python manage.py migrate --noinput

messages: install
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages -l nl --ignore=.venv --ignore=var
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

screenshots: install-dev
	$(BIN)/python bin/screenshots

clean:
	rm -rf $(VENV) var
