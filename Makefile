# Momo: `make run` serves on SQLite alone; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test lint typecheck check clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/momo serve

demo: $(STAMP)
	$(BIN)/momo demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# axe-core for the accessibility tests; skipped (and those tests skip) without npm.
node_modules/.installed: package.json
	@if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility tests will be skipped"; fi

test: $(STAMP) node_modules/.installed lint typecheck
	$(BIN)/pytest $(PYTEST_ARGS)

# Collect every marked string into the template and merge it into both catalogues;
# then translate the new entries in src/momo/locales/zh_CN (the tests insist).
LOCALES_DIR := src/momo/locales
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-wrap --add-location=file \
	  $$($(BIN)/python -c 'import momo.translation as t; print(t.pybabel_keyword_flags())') \
	  -o $(LOCALES_DIR)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES_DIR)/messages.pot -d $(LOCALES_DIR) --no-wrap --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
