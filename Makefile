# `make setup` once on a fresh clone, then `make all`; `make test` runs every test.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTHON ?= python3

# `make eval` scores the pipeline on the labelled articles. Dates of the TimeBank
# articles are scored from their TimeML files; frtb-dev.json scores their entities and quotes.
EVAL_OUTPUT := outputs/eval
GOLD        := --gold data/labelled/seeds.json --gold data/labelled/frtb-dev.json --gold data/labelled/wikinews-dev.json --gold data/raw/fr-timebank-dev

.PHONY: setup all test eval bench clean-outputs

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
	$(MAKE) eval

# The output folder is rebuilt from scratch so that no stale table is ever scored.
eval: $(STAMP)
	rm -rf $(EVAL_OUTPUT)
	$(BIN)/pipeline run --input data/raw --output $(EVAL_OUTPUT) --quiet
	$(BIN)/pipeline evaluate $(GOLD) --outputs $(EVAL_OUTPUT) --gate configs/accuracy.toml

clean-outputs:
	rm -rf outputs

# `make bench` (N=1000 articles by default: `make bench N=200`); writes outputs/bench.json.
N ?= 1000
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(N)
