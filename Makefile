# `make run` and `make test` work on a fresh clone: both create .venv when it is missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format openapi gallery bench fault-test clean

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

gallery: $(STAMP)  ## regenerate docs/advice-gallery.md from the corpus in tests/gallery/
	$(BIN)/python scripts/advice_gallery.py

# make bench BENCH_ARGS="--database postgresql --seconds 10"
BENCH_ARGS ?=
bench: $(STAMP)  ## Rebound vs a floor and a naive peer on loopback (needs wrk), the sweep, the coach view
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/sweep.py
	$(BIN)/python bench/attention.py

fault-test: $(STAMP)  ## PostgreSQL restart and a killed process under load; fails on a lost write
	$(BIN)/python bench/fault.py $(FAULT_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
