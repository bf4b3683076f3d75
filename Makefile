# Gongkai: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=
# Two workers: this project is sized for a 2-core machine.
WORKERS ?= 2

.PHONY: run run-mtls test install dev migrate demo serve lint typecheck check-deploy demo-check bench-workdays bench-import bench-report bench-search bench-peers bench-growth bench-relevance bench-portal bench-wsgi bench-gc clean

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

## make run-mtls: like make run, behind the project's nginx certificate layer on https://127.0.0.1:8443
## (development only: deploy/nginx/pki-mtls.conf with the demo CA; needs nginx installed)
run-mtls: demo
	DEBUG=1 TRUSTED_PROXIES=127.0.0.1 $(BIN)/python manage.py pki_dev_nginx --with-runserver

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

## The product's search against tantivy, Xapian and groonga (Debian python3-xapian, groonga-bin).
bench-peers: dev
	$(BIN)/pip install --quiet -e '.[bench]'
	@dpkg -s python3-xapian groonga-bin >/dev/null 2>&1 || echo "Xapian/groonga peers need: apt-get install python3-xapian groonga-bin"
	$(BIN)/python bench/search_peers.py --size 10000

## p95 per class at 10k and 100k items, product and peers side by side (add 1000000 to --sizes for 1M).
bench-growth: dev
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/search_growth.py --sizes 10000,100000 --reuse

## nDCG@10 of the product and the peers on the judged set in bench/relevance/ (SQLite).
bench-relevance: dev
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/relevance_bench.py

bench-portal: dev
	$(BIN)/python bench/portal_bench.py

## Garbage-collection pauses on the portal's full path, start-up heap frozen vs not (issue 19).
bench-gc: dev
	$(BIN)/python bench/gc_pauses.py --size 10000 --requests 4000 --rounds 1

bench-wsgi: dev
	$(BIN)/pip install --quiet -e '.[prod]'
	$(BIN)/python bench/wsgi_servers.py

clean:
	rm -rf $(VENV) var/*.sqlite3*
