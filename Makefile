# `make setup` once on a fresh clone, then `make all`; `make test` runs every test.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTHON ?= python3

.PHONY: setup all test clean-outputs

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

all: $(STAMP)
	$(BIN)/pipeline run
	$(BIN)/pipeline validate

test: $(STAMP)
	$(BIN)/pytest

clean-outputs:
	rm -rf outputs
