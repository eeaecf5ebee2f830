# The two commands: `make run` and `make test`. Each sets itself up on a fresh
# machine with Python 3.11+ and make, and is quick when run again.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The locked, hashed dependencies (pip-compile from pyproject.toml; `make lock`).
LOCKS := requirements.txt requirements-dev.txt
# Reinstall only when the locked dependencies change.
STAMP := $(VENV)/.installed-$(shell cat $(LOCKS) | cksum | cut -d' ' -f1)
LOCK_OPTS := --quiet --strip-extras --generate-hashes --allow-unsafe \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock run test lint format migrations-check check bench mutation loadtest worker beat plotly-bundle clean

$(STAMP): $(LOCKS)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11).")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# After changing the dependencies in pyproject.toml: pin them again, with hashes.
# Both files in one go, so that the packages they share get the same versions.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile $(LOCK_OPTS) --output-file requirements.txt pyproject.toml
	$(BIN)/pip-compile $(LOCK_OPTS) --extra dev --output-file requirements-dev.txt pyproject.toml

# The demo year is in progress: the site's "today" is pinned to 2025-11-20. The demo
# is served as production serves (DEBUG off: the product's own error pages; static
# files hashed, gzip and Brotli, cached for good) with the demo switch on (demo
# accounts, no second factor). STATIC_MANIFEST=0 make run serves the sources.
run: export SITE_TODAY ?= 2025-11-20
run: export DEBUG ?= 0
run: export DEMO_MODE ?= 1
run: export STATIC_MANIFEST ?= 1
run: install staticfiles/staticfiles.json
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_workreport
	$(BIN)/python manage.py seed_demo
	-$(BIN)/python manage.py close_months --through 2025-10
	@echo "打开 http://$(HOST):$(PORT)/ ，演示账号见 README.md（密码 Zhongyuan@2025）"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Hashed, compressed copies of the static files (Brotli takes a while): made again
# only when a static file or the dependencies change.
staticfiles/staticfiles.json: $(STAMP) $(shell find static -type f -not -path '*/node_modules/*')
	STATIC_MANIFEST=1 $(BIN)/python manage.py collectstatic --noinput -v0

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

check: lint migrations-check test

# The benchmark (bench/run.py): per size, gunicorn (production settings) and a Celery
# worker on PostgreSQL and Redis, wrk at 16 connections; writes BENCHMARKS.md and fails
# when a budget is missed. Throwaway databases $(BENCH_DATABASE_URL)_s, _m, _l (the
# name must contain "bench"); BENCH_REDIS_URL is flushed. L takes tens of minutes.
# CI: make bench BENCH_ARGS="--sizes S --no-budgets --seconds 2"
BENCH_ARGS ?= --sizes S,M,L
bench: install staticfiles/staticfiles.json
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Mutation run on the pure rules (targets/completion.py, targets/periods.py) against
# their table tests; slow (tens of minutes), so not part of `make check`. Config in
# pyproject.toml [tool.mutmut]; results in docs/mutation.md.
mutation: install
	rm -rf mutants
	$(BIN)/mutmut run --max-children $${MUTATION_JOBS:-2}
	$(BIN)/mutmut results

# The load and fault test (bench/loadtest.py): loopback only, bounded in time and count.
# Needs PostgreSQL (LOADTEST_DATABASE_URL, a throwaway database whose name contains
# "loadtest") and redis-server on the PATH; starts its own Redis, gunicorn, worker, beat.
# Shorter: make loadtest LOADTEST_SECONDS=10 LOADTEST_STAFF=5 LOADTEST_LEADERS=5
loadtest: install
	$(BIN)/python -m bench.loadtest

worker: install
	$(BIN)/celery -A zhongyuan worker --loglevel=info

beat: install
	$(BIN)/celery -A zhongyuan beat --loglevel=info

# Rebuild static/vendor/plotly-zhongyuan.min.js from the npm registry's plotly.js
# (Node.js 20+ and npm). Built in a temporary copy of static/vendor/build, so that
# node_modules never lands under static/.
plotly-bundle:
	tmp=$$(mktemp -d) && cp static/vendor/build/build.mjs static/vendor/build/package*.json "$$tmp" \
	  && (cd "$$tmp" && npm ci --ignore-scripts --no-audit --no-fund && node build.mjs "$(CURDIR)/static/vendor"); \
	  status=$$?; rm -rf "$$tmp"; exit $$status

clean:
	rm -rf $(VENV) staticfiles .pytest_cache mutants
