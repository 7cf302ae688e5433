# asset-engine: `make dev` runs the product locally, `make test` runs every check.
# Both install what is missing first (a virtualenv in .venv, frontend packages once it exists).

SHELL := /bin/bash
# The newest Python 3.11+ that actually runs (a pyenv shim may exist for a missing version).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
API_PORT ?= 3001
export AWS_DEFAULT_REGION ?= us-east-1
export SAM_CLI_TELEMETRY := 0

.PHONY: help install dev api migrate test lint typecheck validate pytest bench clean

help:
	@echo "make dev      install, then run the API (:$(API_PORT)) on the embedded default"
	@echo "make test     install, then lint, type-check, validate the template and run every test"
	@echo "make api      only the API, in the foreground (honours DATABASE_URL and API_PORT)"
	@echo "make migrate  apply migrations/ to DATABASE_URL (or the embedded database)"
	@echo "make bench    run the benchmarks under bench/"

$(INSTALLED): pyproject.toml
	@[ -n "$(PYTHON)" ] || { echo "asset-engine needs Python 3.11 or newer on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(INSTALLED)

dev: install
	APP_ENV=dev $(BIN)/asset-engine serve --port $(API_PORT)

api: install
	APP_ENV=dev $(BIN)/asset-engine serve --port $(API_PORT)

migrate: install
	$(BIN)/asset-engine migrate

test: install lint typecheck validate pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

validate:
	$(BIN)/sam validate --lint --template template.yaml
	$(BIN)/actionlint .github/workflows/*.yml

pytest:
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/deduct.py

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
