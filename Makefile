# `make setup` once on a fresh clone, then `make all`; `make test` runs every test.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTHON ?= python3

.PHONY: setup all test clean-outputs bench

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

all: $(STAMP)
	$(BIN)/pipeline run

test: $(STAMP)
	$(BIN)/pytest

clean-outputs:
	rm -rf outputs

# `make bench` (N=4000 articles by default: `make bench N=500`); writes outputs/bench.json.
N ?= 4000
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(N)
