# `make run` and `make test` work on a fresh clone: both create .venv when it is missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format openapi gallery bench fault-test fuzz clean

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

# make fuzz FUZZ_SECONDS=1800: the fuzz run of tests/test_fuzz.py (schemathesis.toml: every check and
# phase, fixed seed) as the CLI, for longer, against a served app on a fresh SQLite database. Nothing
# is delivered (no webhook worker), so generated URLs are accepted without being resolved or called.
FUZZ_SECONDS ?= 600
FUZZ_PORT ?= 8765
fuzz: $(STAMP)  ## Schemathesis' CLI against a served app for FUZZ_SECONDS
	@dir=$$(mktemp -d); \
	export REBOUND_DATABASE_URL="sqlite:///$$dir/fuzz.db" REBOUND_DEV_KEY_FILE="$$dir/key" \
		REBOUND_PORT=$(FUZZ_PORT) REBOUND_SWEEP_INTERVAL_SECONDS=0 \
		REBOUND_RATE_LIMIT=1000000/minute REBOUND_RATE_LIMIT_UNAUTHENTICATED=1000000/minute \
		REBOUND_WEBHOOK_ALLOW_PRIVATE=true REBOUND_WEBHOOK_WORKER_IN_PROCESS=false; \
	$(BIN)/rebound db upgrade >/dev/null && \
	{ $(BIN)/rebound serve >"$$dir/serve.log" 2>&1 & pid=$$!; }; \
	trap 'kill $$pid; rm -rf "$$dir"' EXIT; \
	for _ in $$(seq 150); do sleep 0.2; $(BIN)/python -c "import urllib.request as u; \
		u.urlopen('http://127.0.0.1:$(FUZZ_PORT)/livez')" 2>/dev/null && break; done; \
	$(BIN)/schemathesis run "http://127.0.0.1:$(FUZZ_PORT)/openapi.json" \
		-H "Authorization: Bearer $$(cat "$$dir/key")" --checks all --max-time $(FUZZ_SECONDS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
