# Build and check the executable report. `make help` lists the targets.
# The build itself is `python -m reportbuild COMMAND` (reportbuild/__main__.py): these are aliases.
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
# Tests and nbval run one worker per core.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD := $(BIN)/python -m reportbuild
PYTEST := $(BIN)/python -m pytest -q -p no:cacheprovider

.PHONY: help report html pdf preview release execute verify test unit slow check check-data clean requirements \
  repro browser synthetic hostile bench mutation system-report system-test system-browser

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or pass PYTHON=..."; exit 1; }
	@echo "installing the pinned requirements into $(VENV) (log: _build/logs/install.log)"
	@mkdir -p _build/logs; $(PYTHON) -m venv $(VENV) && \
	  $(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt > _build/logs/install.log 2>&1 && \
	  $(BIN)/python -m pip install --disable-pip-version-check --no-deps -e . >> _build/logs/install.log 2>&1 || \
	  { grep -iE 'error' _build/logs/install.log | tail -20; echo "make: installing failed; the full log is _build/logs/install.log"; exit 1; }
	@touch $@

# The Debian packages of system-packages.toml: as root, installed if missing; otherwise
# named with the apt-get line, and make stops (exit status 2) before building anything.
system-report system-test system-browser: system-%:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or pass PYTHON=..."; exit 2; }
	@$(PYTHON) -m reportbuild.system ensure $(if $(filter test,$*),report test,$*)

report: system-report $(BIN)/.installed ## create .venv, install the pinned requirements, build the PDF and the HTML
	@$(BUILD) report

html: $(BIN)/.installed ## build the HTML with warnings as errors (a failed build keeps the last good site)
	@$(BUILD) html

pdf: system-report $(BIN)/.installed ## build _build/pdf/ips-chronic-pain-report-<version>.pdf through xelatex
	@$(BUILD) pdf

preview: $(BIN)/.installed ## serve the book on http://127.0.0.1:8000/ (PORT=) and rebuild the page an author saves
	@$(BUILD) preview

check-data: $(BIN)/.installed ## validate the data package (DATA=dir for another one)
	$(BIN)/python -m analysis check-data

release: system-report $(BIN)/.installed ## cut release VERSION=x.y.z (committed tree, make verify passing) and write dist/<version>/; without VERSION, on a release commit, write its folder
	@[ "$(IPS_REPORT_DATA)" = "$(abspath data)" ] || { echo "error: a release is made from the committed data/ only (drop DATA=)"; exit 1; }
	$(BIN)/python -m reportbuild.release $(if $(VERSION),--version $(VERSION))

execute: $(BIN)/.installed ## execute the chapters into record/ (notebooks with outputs, stamped with their source) and write record/numbers.json
	$(BUILD) execute

verify: $(BIN)/.installed ## re-execute the chapters and compare with the published record: outputs (nbval) and named numbers
	$(BUILD) verify

# The tests of one xdist_group run in one worker (tests/test_figures.py: each figure drawn once); the others
# are handed to whichever worker is free.
UNIT := $(PYTEST) -n $(JOBS) --dist loadgroup -m "not slow" tests

unit: $(BIN)/.installed ## run the unit tests but the slow ones (JOBS at once, default one per core)
	$(UNIT)

slow: $(BIN)/.installed ## the slow unit tests: small books built by the build, a chapter re-executed under nbval
	$(PYTEST) -n $(JOBS) --dist worksteal -m slow tests

check: ## everything CI checks on this machine's report: make test with fifty examples per property test, then make slow
	HYPOTHESIS_PROFILE=thorough $(MAKE) --no-print-directory test
	$(MAKE) --no-print-directory slow

test: system-test $(BIN)/.installed ## the HTML build with warnings as errors, its executed chapters against the record, the PDF, then the unit tests (not the slow ones) with the checks of the built site and PDF
	@$(BUILD) html
	@# each chapter is executed once, by the build, and compared with the record as nbval compares
	@# (reportbuild/compare.py); reviewers run nbval itself: make verify
	$(BUILD) compare
	$(BIN)/python -m analysis record
	@$(BUILD) pdf
	@# one run of the tests, JOBS at once: the unit tests beside the checks of what was just built
	$(UNIT) --site --pdf

browser: system-browser $(BIN)/.installed ## open every page of the built site in headless Chromium: errors, images, alt text, axe-core
	@test -f _build/html/index.html || $(BUILD) html
	$(PYTEST) -n $(JOBS) --dist loadgroup tests/test_browser.py --browser
	@echo "Screenshots: $(abspath _build/screenshots)"

synthetic: $(BIN)/.installed ## build the whole report from a synthetic cohort of 1,000 into _build/synthetic/ (never data/)
	@# the cohort is seeded, so regenerating it keeps the synthetic build's results current
	rm -rf _build/synthetic/data
	$(BIN)/python -m analysis.synthetic _build/synthetic/data --n 1000
	$(BUILD) html --data _build/synthetic/data
	$(PYTEST) tests/test_synthetic.py --synthetic-site

hostile: $(BIN)/.installed ## build the report (HTML and PDF) from data full of markup, roles, math and TeX: shown as text
	$(PYTEST) tests/test_hostile.py --hostile

bench: $(BIN)/.installed ## time the builds, the preview and the tests (median of RUNS=3) into bench/results.md
	$(BIN)/python bench/run.py --runs $(or $(RUNS),3)

mutation: $(BIN)/.installed ## mutmut's mutants of the domain and registry modules against the unit tests, then the totals and survivors (about 50 min on 2 cores; bench/mutation.md)
	@# a fresh run: mutmut keeps a survivor's verdict when only the tests change; on the committed data
	rm -rf mutants
	env -u IPS_REPORT_DATA $(BIN)/mutmut run --max-children $(JOBS)
	$(BIN)/python bench/mutation.py --write

repro: $(BIN)/.installed ## build twice from two copies of the source in different folders and compare every file
	$(PYTEST) tests/test_reproducible.py --repro

# pip-compile pins for the Python it runs under, so it runs under the oldest one
# supported (Debian 12's 3.11.2): every pin then installs there and on newer ones.
PIN_PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) $(PYTHON))

requirements: ## re-pin requirements.txt from requirements.in (under PIN_PYTHON, default Debian's /usr/bin/python3.11)
	$(PIN_PYTHON) -m venv _build/.pip-tools
	_build/.pip-tools/bin/python -m pip install --quiet --disable-pip-version-check pip-tools 2>&1 | { grep -v '^WARNING: Location' || true; }
	_build/.pip-tools/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links requirements.in -o requirements.txt 2>&1 | { grep -v '^WARNING: Location' || true; }

clean: ## remove the build (keeps .venv)
	rm -rf _build dist
