# The two commands: `make run` (set up, open the app on a demo database) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR := $(CURDIR)/.demo-data

.PHONY: setup run test lint typecheck pytest bench clean schema screenshots

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	WORKBENCH_DATA_DIR=$(DEMO_DIR) $(BIN)/workbench-cli demo
	WORKBENCH_DATA_DIR=$(DEMO_DIR) $(BIN)/workbench

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
