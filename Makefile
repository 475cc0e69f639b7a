# Touchstone: `make run` serves a demo on http://127.0.0.1:5000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export FLASK_APP := app

.PHONY: run test test-sqlite test-postgres test-e2e lint format serve bench install install-dev translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d app/translations --statistics 2>&1 | tail -n 1

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed golden
	$(BIN)/flask demo seed
	@echo "Touchstone is starting on http://127.0.0.1:5000 (Ctrl-C stops it)."
	$(BIN)/flask run --host 127.0.0.1 --port 5000

serve: install
	TOUCHSTONE_ENV=production $(BIN)/gunicorn --workers 2 --bind 0.0.0.0:8000 --access-logfile - "app:create_app()"

test: install-dev test-sqlite test-postgres test-e2e

test-sqlite: install-dev
	@echo "== unit, service and view tests on SQLite =="
	$(BIN)/pytest -q -p no:cacheprovider --ignore=tests/e2e tests

test-postgres: install-dev
	@echo "== unit, service and view tests on PostgreSQL ($(TEST_PG_URL)) =="
	TOUCHSTONE_TEST_DATABASE_URL=$(TEST_PG_URL) $(BIN)/pytest -q -p no:cacheprovider --ignore=tests/e2e tests

test-e2e: install-dev
	@echo "== browser journeys in Chromium =="
	$(BIN)/pytest -q -p no:cacheprovider tests/e2e

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-dev
	@for script in bench/bench_*.py; do echo "== $$script =="; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) instance/touchstone.db* tests/e2e/artifacts
