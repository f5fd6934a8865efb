# partyorg: `make run` starts the app with demo data; `make test` runs the whole test suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MEMBERS ?= 2000

.PHONY: run test test-postgres bench venv lint clean-db

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

## The embedded default: SQLite, Celery tasks in-process, demo data, accounts printed. DEBUG on: the demo
## accounts log in with a password only (no TOTP) and a development SECRET_KEY is used.
run: export DEBUG = 1
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --members $(MEMBERS)
	@echo "\nMở http://127.0.0.1:$(PORT)/ và đăng nhập bằng một tài khoản ở trên."
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

## The whole suite on the configured database (SQLite unless DATABASE_URL is set), browser tests included.
# A throw-away key for the production checks below (the settings refuse a weak or published one).
RANDOM_SECRET_KEY = $$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')

test: venv
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=$(RANDOM_SECRET_KEY) ALLOWED_HOSTS=partyorg.example \
		$(PY) manage.py check --deploy --fail-level WARNING
	# The production static build (hashed names, every referenced file present), into a throw-away folder.
	tmp=$$(mktemp -d) && DEBUG=0 SECRET_KEY=$(RANDOM_SECRET_KEY) \
		ALLOWED_HOSTS=partyorg.example STATIC_ROOT=$$tmp $(PY) manage.py collectstatic --noinput -v0 && rm -rf $$tmp
	$(PY) -m pytest -q $(PYTEST_ARGS)

## The same suite on PostgreSQL with a real Redis broker and Celery worker (this machine's services).
test-postgres:
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/partyorg} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	$(MAKE) test

bench: venv
	$(PY) bench/member_list.py

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean-db:
	rm -f db.sqlite3
