# Touchstone: `make run` serves a demo on http://127.0.0.1:5000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
TEST_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# The date-bomb pass runs the SQLite suite with the system clock this far ahead (Debian's faketime).
FUTURE ?= +400d
export FLASK_APP := app

.PHONY: run test test-sqlite test-future test-postgres test-e2e lint format serve bench install install-dev translations clean

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
	@echo "Touchstone is starting on http://127.0.0.1:$(PORT) (Ctrl-C stops it)."
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

serve: install
	TOUCHSTONE_ENV=production $(BIN)/gunicorn --workers 2 --bind 0.0.0.0:8000 --access-logfile - "app:create_app()"

test: install-dev test-sqlite test-future test-postgres test-e2e

test-sqlite: install-dev
	@echo "== unit, service and view tests on SQLite =="
	$(BIN)/pytest -q -p no:cacheprovider --ignore=tests/e2e tests

# A test that depends on the real date fails here the day it is written, not a month later in CI.
# FAKETIME_DONT_FAKE_MONOTONIC keeps pytest's exit from hanging under libfaketime.
test-future: install-dev
	@echo "== the SQLite pass again, with the system clock $(FUTURE) ahead =="
	@if command -v faketime >/dev/null; then \
		FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '$(FUTURE)' $(BIN)/pytest -q -p no:cacheprovider --ignore=tests/e2e tests; \
	elif [ "$$CI" = "true" ]; then \
		echo "faketime is not installed (apt-get install faketime); the date-bomb pass is mandatory in CI."; exit 1; \
	else \
		echo "skipped: faketime is not installed (apt-get install faketime; set CI=true to make this fail)"; \
	fi

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

# Refresh the catalogs after marking new strings: extract every marker (_, _l, lazy_gettext, N_, gettext,
# ngettext, and _()/ngettext() in templates) into messages.pot, then merge it into the zh_Hans catalog.
# New strings then need translating: add them to ZH in app/translations/fill_zh_Hans.py, which this target
# runs and which lists whatever is still missing; tests/test_i18n.py fails until every string is translated.
.PHONY: translations-update
translations-update: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output \
		--project Touchstone -o app/translations/messages.pot .
	$(BIN)/pybabel -q update -i app/translations/messages.pot -d app/translations -l zh_Hans \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/python app/translations/fill_zh_Hans.py || \
		echo "Translate the msgids listed above in app/translations/fill_zh_Hans.py (ZH), then run it again."
