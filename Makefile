# Strategiportalen: `make run` serves the portal on http://127.0.0.1:8000, `make test` runs
# every test, on every core. Both set up .venv on first use and reuse it afterwards.

# The newest Python >= 3.12 found on PATH or under pyenv (Django 6.1 needs 3.12).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Development server defaults; production is configured by the environment (README).
RUN_ENV := DEBUG=1

.PHONY: run test lint format migrate messages backup restore faults bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Error: Python 3.12 or newer is needed (Django 6.1). Install it, or run: make PYTHON=/path/to/python3.12"; exit 1; }
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py load_strategy
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# Browser tests need Chromium: CHROMIUM_PATH, /usr/bin/chromium, or install it here. Without
# one (offline, say) they are skipped and the summary says so; tests needing PostgreSQL or
# Redis likewise (README, "The two commands").
test: $(STAMP)
	@if [ -z "$$CHROMIUM_PATH" ] && [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's Chromium for the browser tests"; \
			{ apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } \
				|| echo "No Chromium installed: the browser tests will be skipped"; \
		else \
			echo "Installing Playwright's Chromium for the browser tests"; \
			$(BIN)/playwright install chromium \
				|| echo "No Chromium installed: the browser tests will be skipped"; \
		fi; \
	fi
	@# The HTML check (tests/test_valid_html.py) needs vnu.jar from npm and Java; without
	@# them it is skipped and says so.
	@if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] && command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund || echo "npm ci failed: the HTML check will be skipped"; \
	fi
	@# On every core (pytest-xdist, one test database and cache per worker); a -n in
	@# PYTEST_ARGS wins: PYTEST_ARGS=-n0 runs the tests in one process.
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py migrate

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed.
messages: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py makemessages -l nb -l nn -l en --no-obsolete --ignore=.venv --ignore=tests --ignore=scripts --ignore=bench
	$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

# Backup and restore of the database DATABASE_URL points at (pg_dump/pg_restore on PostgreSQL).
backup: $(STAMP)
	$(BIN)/python manage.py backup $(or $(FILE),backups/strategiportalen-$$(date +%Y%m%d-%H%M%S).backup)

restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<name>.backup"; exit 1; }
	$(BIN)/python manage.py restore $(FILE)

# Fault drill: restarts the local PostgreSQL under load (root, pg_ctlcluster, wrk). Not in CI.
# It writes invented example data into its own database with DEBUG off: the flag says so.
faults: $(STAMP)
	$(BIN)/python scripts/faults.py --allow-example-data

# Pages at 10,000 and 50,000 activities against a static file, with wrk on 127.0.0.1, in both
# cache set-ups (files without REDIS_URL; Redis, if it answers); writes BENCHMARKS.md. Needs
# PostgreSQL on 127.0.0.1:5432 (its own database, strategiportalen_bench) and wrk
# (apt-get install wrk). About fifteen minutes.
bench: $(STAMP)
	@command -v wrk >/dev/null || { echo "Error: make bench needs wrk: apt-get install wrk"; exit 1; }
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
