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
# The build date is the commit's unless given: never the wall clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)

CHAPTERS := $(wildcard book/*.ipynb)

.PHONY: help report html pdf release execute verify test unit check-data clean requirements repro browser synthetic bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or pass PYTHON=..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | { grep -v '^WARNING: Location' || true; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . 2>&1 | { grep -v '^WARNING: Location' || true; }
	touch $@

report: $(BIN)/.installed ## create .venv, install the pinned requirements, build the PDF (if TeX is there) and the HTML
	@tools/build-pdf.sh || { rc=$$?; [ $$rc -eq 3 ] || exit $$rc; echo "(building the HTML without the PDF)"; }
	@tools/build-html.sh
	@echo "The report is at $(abspath _build/html/index.html)"

check-data: $(BIN)/.installed ## validate the data package (DATA=dir for another one)
	$(BIN)/python -m analysis check-data

html: $(BIN)/.installed ## build the HTML with warnings as errors (atomic: a failed build keeps the last good site)
	tools/build-html.sh

pdf: $(BIN)/.installed ## build _build/pdf/ips-chronic-pain-report-<version>.pdf through xelatex
	tools/build-pdf.sh

release: $(BIN)/.installed ## write dist/<version>/: site, PDF, notebooks, data, build-info.json, SHA256SUMS
	tools/build-pdf.sh
	tools/build-html.sh
	$(BIN)/python -m analysis.release

execute: $(BIN)/.installed ## re-execute the chapters and save their outputs (the published record)
	$(BIN)/python -m analysis.notebooks $(CHAPTERS)

verify: $(BIN)/.installed ## re-execute the chapters and compare with their saved outputs (nbval)
	$(BIN)/python -m pytest -q -p no:cacheprovider --nbval $(CHAPTERS)

unit: $(BIN)/.installed ## run the unit tests
	$(BIN)/python -m pytest -q -p no:cacheprovider tests

test: unit verify html ## unit tests, nbval over the chapters, and the HTML build with warnings as errors
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_site.py tests/test_end_to_end.py --site

browser: $(BIN)/.installed ## open every page of the built site in headless Chromium: errors, images, alt text, axe-core
	@command -v chromium >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; else echo "install Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }
	@test -f _build/html/index.html || tools/build-html.sh
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_browser.py --browser
	@echo "Screenshots: $(abspath _build/screenshots)"

synthetic: $(BIN)/.installed ## build the whole report from a synthetic cohort of 1,000 into _build/synthetic/ (never data/)
	rm -rf _build/synthetic
	$(BIN)/python -m analysis.synthetic _build/synthetic/data --n 1000
	IPS_REPORT_DATA=$(abspath _build/synthetic/data) SITE=_build/synthetic/html tools/build-html.sh
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_synthetic.py --synthetic-site

bench: $(BIN)/.installed ## time the builds and the tests (median of RUNS=3) into bench/results.md
	$(BIN)/python bench/run.py --runs $(or $(RUNS),3)

repro: $(BIN)/.installed ## build twice from scratch and compare: identical HTML trees and PDF text
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_reproducible.py --repro

requirements: $(BIN)/.installed ## re-pin requirements.txt from requirements.in
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links requirements.in -o requirements.txt

clean: ## remove the build (keeps .venv)
	rm -rf _build dist
