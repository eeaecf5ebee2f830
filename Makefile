# The two commands: `make run` and `make test`. Each sets itself up on a fresh
# machine with Python 3.11+ and make, and is quick when run again.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Reinstall only when the dependencies change.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format migrations-check check bench worker beat plotly-bundle clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11).")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# The demo year is in progress: the site's "today" is pinned to 2025-11-20.
# Static files are served as in production: hashed names, gzip and Brotli variants,
# cached for good (STATIC_MANIFEST=0 make run serves the sources, for editing them).
run: export SITE_TODAY ?= 2025-11-20
run: export STATIC_MANIFEST ?= 1
run: install staticfiles/staticfiles.json
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_report
	$(BIN)/python manage.py seed_demo
	@echo "打开 http://$(HOST):$(PORT)/ ,演示账号见 README.md(密码 Zhongyuan@2025)"
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

bench: install
	$(BIN)/python -m bench.run

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
	rm -rf $(VENV) staticfiles .pytest_cache
