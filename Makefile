# aligner — set-up and everyday commands. `make run` and `make test` install what is missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-fast check lint docs bench models clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@# The CPU build of torch first: an unpinned torch would pull GBs of CUDA packages.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[st,dev]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/aligner read

test: install
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not slow"

lint: install
	$(VENV)/bin/ruff check src tests bench docs/hooks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

docs: install
	@# The manual (docs/, mkdocs.yml) as a site in site/, offline; --strict: a broken link or anchor fails
	@# (not --quiet: it hides the warnings from the count that --strict fails on).
	$(VENV)/bin/mkdocs build --strict

check: lint docs test

bench: install
	@# Bertalign, the reference aligner, is measured in the same run (its 2.0.1 wheel declares
	@# Python >= 3.12 but its corelib runs on 3.11; bench_align.py loads only that file).
	$(PY) -m pip install -q --no-deps --ignore-requires-python bertalign==2.0.1
	$(PY) bench/bench.py --out BENCHMARKS.md

models: install
	$(VENV)/bin/aligner models fetch

clean:
	rm -rf $(VENV) build dist site src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
