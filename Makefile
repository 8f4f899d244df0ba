# Jiceng: `make run` (embedded: SQLite + filesystem broker) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core for the browser tests (defined before the rules that name it as a prerequisite).
AXE := var/node/node_modules/axe-core/axe.min.js

.PHONY: run test lint install migrate demo clean browser-deps system-packages bench bench-quick wrk screens

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# `make install` (so `make run` and `make test`) also brings Debian's CJK font and Chromium
# where it runs as root with apt-get (config/system_packages.sh prints what it did).
install: $(STAMP) system-packages

system-packages:
	@sh config/system_packages.sh fonts-noto-cjk chromium

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_county

run: demo
	$(BIN)/python -m config.run_embedded

# The suite in as many processes as the machine has cores, each with its own test database
# (tests/conftest.py keeps the broker's tests, and the demo county's, in one process each).
test: install $(AXE)
	$(BIN)/python -m pytest -n auto --dist loadgroup

# The README's pictures of the staff pages on a 390 px phone, taken by the browser walk of
# a secretary's day (tests/browser/test_staff_browser.py) on the demo county.
screens: browser-deps
	JICENG_SCREENS_DIR=docs/screens $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/browser/test_staff_browser.py -k "day"
	rm -f docs/screens/overview-before.png

# Benchmarks (not tests): PostgreSQL from DATABASE_URL, in a database of its own; the load
# generator is Debian's wrk. Prints the table and writes the figures into BENCHMARKS.md.
# SCALE=province: every page and job on a generated province (make_province), its own database.
bench: $(STAMP) wrk
	$(BIN)/python -m config.bench $(if $(SCALE),--scale $(SCALE))

bench-quick: $(STAMP) wrk
	$(BIN)/python -m config.bench --quick --out var/BENCHMARKS-quick.md

wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)

# For the browser tests: axe-core from the npm registry (Chromium comes from Debian, by
# `make install`). `make test` brings both; without them it skips those tests.
$(AXE):
	mkdir -p var/node
	npm install --silent --no-save --no-audit --no-fund --prefix var/node axe-core@4

browser-deps: $(STAMP) $(AXE)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf var db.sqlite3 staticfiles
