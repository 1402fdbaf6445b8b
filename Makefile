# The two commands: `make run` (set up, open the app on a demo database) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR := $(CURDIR)/.demo-data

.PHONY: setup run cli test lint typecheck pytest bench clean schema screenshots

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "The workbench needs Python 3.11 or newer and '$(PYTHON)' is older or missing; run 'make run PYTHON=python3.12' (any 3.11+)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python tools/desktop_libs.py
	WORKBENCH_DATA_DIR=$(DEMO_DIR) $(BIN)/workbench-cli demo
	WORKBENCH_DATA_DIR=$(DEMO_DIR) $(BIN)/workbench

# The command line on the demo database: make cli ARGS='case list'
cli: $(STAMP)
	WORKBENCH_DATA_DIR=$(DEMO_DIR) $(BIN)/workbench-cli $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check workbench tests tools benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	@mkdir -p bench-results
	@for script in benchmarks/bench_*.py; do \
		echo "== $$script"; QT_QPA_PLATFORM=offscreen $(BIN)/python $$script || exit 1; \
	done

schema: $(STAMP)
	$(BIN)/python tools/write_schema.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshot.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshot_licences.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist $(DEMO_DIR)
