# Everything a fresh machine needs: Python 3.11-3.13, a POSIX shell and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.dagster_home

.PHONY: install run test bench eval ui clean-warehouse

# The bundled sample starts on 2026-03-14: with the default landing folder, `make run` and `make ui`
# start the daily partitions there instead of at 2015-01-01 (README "Partitions"). An exported
# NEWS_FIRST_DAY wins; `make test` never sets it.
ifeq ($(origin NEWS_SCRAPES_DIR),undefined)
run ui: export NEWS_FIRST_DAY ?= 2026-03-14
endif

$(STAMP): requirements.lock requirements-bootstrap.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-bootstrap.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

install: $(STAMP) $(DAGSTER_HOME)/dagster.yaml

## Ingest every day of the bundled sample into warehouse/warehouse.duckdb and print a summary.
run: install
	$(BIN)/python -m pipelines.cli ingest

## The whole test suite (what .ci/run calls), one pytest worker per core (pytest-xdist); a test
## file's tests stay on one worker, so its module fixtures (a loaded sample warehouse) are built once.
test: install
	$(BIN)/python -m pytest -q -n auto --dist loadfile

## The full evaluation sets of ../shared (evaluation only) with their scorers, one table each:
## fundus metadata, recognizers-en figures and dates, UNER PUD entities, extraction F1.
## tests/test_quality_floors.py holds the floors on fixed subsets.
eval: install
	$(BIN)/python ../shared/tools/metadata_eval.py
	$(BIN)/python ../shared/tools/figures_eval.py
	$(BIN)/python bench/ner_pud.py
	$(BIN)/python bench/extraction_corpus.py --corpus all --speed-pages 0

## Every benchmark in bench/, one after the other (bench/run_all.py); `make bench BENCH_ARGS=--quick`
## runs each with small arguments (a few minutes in all).
bench: install
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

ui: install
	$(BIN)/dagster dev -w workspace.yaml
