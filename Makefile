# Two commands on a fresh machine: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-slow fuzz check bench bench-extra data clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/corridor route Almaty Tehran --cargo container --units 2 --depart 2026-12-01T08:00 --reliability --seed 1

test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow" -p no:cacheprovider

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow -p no:cacheprovider

# Long fuzzing of every reader (60 s each by default; CORRIDOR_FUZZ_LONG_SECONDS=N to change).
fuzz: $(STAMP)
	$(BIN)/python -m pytest -q -m fuzz -p no:cacheprovider -s tests/fuzz

check: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy --strict
	$(BIN)/lint-imports

bench-extra: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'

# Benchmarks: each runs a named peer (scipy, networkx, AequilibraE) in the same run and prints ratios.
bench: bench-extra
	$(BIN)/python bench/assignment.py --repeats 3
	$(BIN)/python bench/bush.py --repeats 3
	$(BIN)/python bench/reliability.py
	$(BIN)/python bench/flows.py --repeats 5
	$(BIN)/python bench/ferries.py

# Regenerate the shipped default network and the flow tables from data/curated (deterministic;
# the flow tool writes data/curated/parameters/capacities.csv, so it runs first).
data: $(STAMP)
	$(BIN)/python tools/build_flows_data.py
	$(BIN)/python tools/build_default_network.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
