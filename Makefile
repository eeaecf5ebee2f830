# The two commands: `make run` and `make test`. Each sets itself up on a fresh
# machine with Python 3.11+ and make, and is quick when run again.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Reinstall only when the dependencies change.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format migrations-check check bench mutation worker beat clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11).")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# The demo year is in progress: the site's "today" is pinned to 2025-11-20.
run: export SITE_TODAY ?= 2025-11-20
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_report
	$(BIN)/python manage.py seed_demo
	@echo "打开 http://$(HOST):$(PORT)/ ,演示账号见 README.md(密码 Zhongyuan@2025)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

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

# Mutation run on the pure rules (targets/completion.py, targets/periods.py) against
# their table tests; slow (tens of minutes), so not part of `make check`. Config in
# pyproject.toml [tool.mutmut]; results in docs/mutation.md.
mutation: install
	rm -rf mutants
	$(BIN)/mutmut run --max-children $${MUTATION_JOBS:-2}
	$(BIN)/mutmut results

worker: install
	$(BIN)/celery -A zhongyuan worker --loglevel=info

beat: install
	$(BIN)/celery -A zhongyuan beat --loglevel=info

clean:
	rm -rf $(VENV) staticfiles .pytest_cache mutants
