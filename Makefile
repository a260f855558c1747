# Build and check the executable report. `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Another data directory with the same schema: make report DATA=path/to/data
DATA ?= data
export IPS_REPORT_DATA := $(abspath $(DATA))
export PYTHONHASHSEED := 0

CHAPTERS := $(wildcard book/*.ipynb)
JB_FLAGS := -W -n --keep-going
STAMP := _build/.inputs.sha256

.PHONY: help report html execute verify test unit check-data clean requirements

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or pass PYTHON=..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | { grep -v '^WARNING: Location' || true; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . 2>&1 | { grep -v '^WARNING: Location' || true; }
	touch $@

report: html ## create .venv, install the pinned requirements and build the report
	@echo "The report is at $(abspath _build/html/index.html)"

check-data: $(BIN)/.installed ## validate the data package (DATA=dir for another one)
	$(BIN)/python -m analysis check-data

# jupyter-cache only notices edits to code cells, so a change to analysis/ or
# the data clears the cache: no build publishes numbers from stale inputs.
html: $(BIN)/.installed check-data ## build the HTML with warnings as errors
	@mkdir -p _build
	@new=$$( { echo "$(IPS_REPORT_DATA)"; find analysis "$(IPS_REPORT_DATA)" -type f \( -name '*.py' -o -name '*.csv' -o -name '*.json' -o -name '*.bib' -o -name '*.mplstyle' \) -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1); \
	if [ "$$new" != "$$(cat $(STAMP) 2>/dev/null)" ]; then echo "inputs changed: chapters will be re-executed"; rm -rf _build/.jupyter_cache; fi; \
	$(BIN)/jupyter-book build . $(JB_FLAGS); \
	echo "$$new" > $(STAMP)

execute: $(BIN)/.installed ## re-execute the chapters and save their outputs (the published record)
	$(BIN)/python -m analysis.notebooks $(CHAPTERS)

verify: $(BIN)/.installed ## re-execute the chapters and compare with their saved outputs (nbval)
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbval $(CHAPTERS)

unit: $(BIN)/.installed ## run the unit tests
	$(BIN)/python -m pytest -q -p no:cacheprovider tests

test: unit verify html ## unit tests, nbval over the chapters, and the HTML build with warnings as errors
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_site.py --site

requirements: $(BIN)/.installed ## re-pin requirements.txt from requirements.in
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links requirements.in -o requirements.txt

clean: ## remove the build (keeps .venv)
	rm -rf _build dist
