# `make run` and `make test` work on a fresh clone: both create .venv when it is missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format openapi bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)  ## migrate the database and serve on 127.0.0.1:8000
	$(BIN)/rebound db upgrade
	$(BIN)/rebound serve

test: $(STAMP)  ## the whole suite (on PostgreSQL too when REBOUND_TEST_DATABASE_URL is set)
	$(BIN)/pytest

lint: $(STAMP)  ## ruff, ruff format and mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: $(STAMP)  ## regenerate openapi/openapi.json
	$(BIN)/rebound openapi

bench: $(STAMP)  ## benchmarks against a bare baseline, on loopback
	$(BIN)/python bench/run.py
	$(BIN)/python bench/sweep.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
