# Gongkai: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=
# Two workers: this project is sized for a 2-core machine.
WORKERS ?= 2

.PHONY: run test install dev migrate demo serve lint typecheck check-deploy demo-check bench-workdays bench-import bench-report bench-search bench-portal bench-wsgi clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

## make run: set up everything, load the 通化市 demo and serve on http://127.0.0.1:8000
run: demo
	@echo "门户网站 http://127.0.0.1:8000/   工作台 http://127.0.0.1:8000/console/"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: install the dev dependencies and run the whole suite (DATABASE_URL picks the database)
test: dev
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist load -rs $(PYTEST_ARGS)

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: dev
	$(BIN)/mypy gongkai

## Production settings must pass Django's deployment checklist.
check-deploy: install
	DEBUG=0 HTTPS=1 SECRET_KEY=$$($(BIN)/python -c 'import secrets;print(secrets.token_urlsafe(64))') \
	  ALLOWED_HOSTS=xxgk.example.gov.cn $(BIN)/python manage.py check --deploy --fail-level WARNING

## The slow tier: load the full 2012 demo and check the seed report's figures.
demo-check: dev
	$(BIN)/python -m pytest -q -rs -p no:xdist -m slow --run-slow $(PYTEST_ARGS)

bench-workdays: dev
	$(BIN)/python bench/workdays_bench.py

bench-import: dev
	$(BIN)/python bench/import_bench.py --rows 100000

bench-report: dev
	$(BIN)/python bench/report_bench.py

bench-search: dev
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/search_bench.py --size 2000

bench-portal: dev
	$(BIN)/python bench/portal_bench.py

bench-wsgi: dev
	$(BIN)/pip install --quiet -e '.[prod]'
	$(BIN)/python bench/wsgi_servers.py

clean:
	rm -rf $(VENV) var/*.sqlite3*
