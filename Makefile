# CoachHub: `make run` tries it locally, `make test` runs the whole suite.
# Needs only Python 3.11+ and make; everything else is installed into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST_PORT := 127.0.0.1:8000
# Folders the embedded mode writes to: SQLite, mail, the filesystem broker, uploads, collected static files.
VAR_DIRS := var/mail var/broker/queue var/broker/control var/uploads var/staticfiles

# Reinstall only when a requirements file changes: each stamp is newer than the files it was installed from.
RUN_STAMP := $(VENV)/.installed-requirements
TEST_STAMP := $(VENV)/.installed-requirements-test

PYTEST_ARGS ?=

# The languages beside English (settings.LANGUAGES); their catalogs are compiled, never committed.
LOCALES := nl de fr es
MO_FILES := $(foreach language,$(LOCALES),locale/$(language)/LC_MESSAGES/django.mo)

.PHONY: help run test bench weight lint format clean css messages compilemessages

help:
	@echo "make run    start CoachHub on http://$(HOST_PORT) with demo data, a Celery worker and beat"
	@echo "make test   run the whole test suite (PYTEST_ARGS='...' to pass options)"
	@echo "make bench  measure pages, the reminder sweep and sending at 10/100/1000 coachees (BENCH_SMOKE=1: quick)"
	@echo "make weight bytes a browser transfers on a first visit to the login page and the dashboard"
	@echo "make lint   ruff check, ruff format --check, makemigrations --check"
	@echo "make css    build static/css/bootstrap.min.css and static/icons/sprite.svg from assets/ (commit them)"
	@echo "make format ruff format and ruff check --fix"
	@echo "make messages        extract every marked text into the catalogs under locale/ (then translate them)"
	@echo "make compilemessages compile the catalogs (make run and make test do it; needs gettext's msgfmt)"
	@echo "make clean  remove .venv and the local data under var/"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "CoachHub needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	@touch $@

$(TEST_STAMP): requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements-test.txt
	@touch $@

$(VAR_DIRS):
	@mkdir -p $@

# Only a catalog that changed is compiled again.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || { echo "Compiling translations needs gettext's msgfmt (Debian: apt-get install gettext)."; exit 1; }
	msgfmt --check -o $@ $<

compilemessages: $(MO_FILES)

messages: $(RUN_STAMP)
	SECRET_KEY=messages-only DEBUG=1 $(BIN)/python manage.py makemessages $(foreach language,$(LOCALES),-l $(language)) \
		--add-location file --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' \
		--ignore 'assets/*' --ignore 'test-artifacts/*'

# Local mode: DEBUG on, SQLite and the filesystem broker under var/, mail written to var/mail/.
run: export DEBUG = 1
run: $(RUN_STAMP) compilemessages | $(VAR_DIRS)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  CoachHub is starting on  http://$(HOST_PORT)/"
	@echo ""
	@echo "  Log in as the demo coach    coach@example.com    password coachhub-demo"
	@echo "  or as the demo coachee      coachee@example.com  password coachhub-demo"
	@echo ""
	@echo "  Mail is not sent: every message is written to var/mail/"
	@echo "  Press Ctrl-C to stop the web app, the Celery worker and Celery beat."
	@echo ""
	$(BIN)/honcho --procfile Procfile.dev start

test: $(TEST_STAMP) compilemessages | $(VAR_DIRS)
	@SECRET_KEY="$${SECRET_KEY:-test-only-secret-key-never-used-by-any-real-site}" HTTPS=0 $(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that counts as a failure."; fi; \
	exit $$status

# Needs PostgreSQL and Redis on 127.0.0.1 and wrk (Debian: apt-get install wrk); see README, "Benchmark".
# Options come from the environment: BENCH_SMOKE=1, BENCH_SCALES=10,100, BENCH_SECONDS, BENCH_ROUNDS ...
bench: $(TEST_STAMP)
	$(BIN)/python -m bench.run

# Needs Chromium (Debian: apt-get install chromium); no database server. See README, "Weight".
weight: $(TEST_STAMP)
	$(BIN)/python -m bench.weight

lint: $(TEST_STAMP) | $(VAR_DIRS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=lint-only DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# The built CSS is committed: only a change to assets/ needs this (and libsass, a test requirement).
css: $(TEST_STAMP)
	$(BIN)/python -m assets.build

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var
