# Werkakademie: development tasks. Needs only python3 on a fresh clone;
# gettext (msgfmt) and npm are used when present.
#
#   make run                      development server on http://127.0.0.1:8000/
#   make test                     test suite (PYTEST_ARGS="-k scoping" to select)
#   make lint                     ruff check
#   make bench                    benchmark on seeded PostgreSQL (writes bench/results.md)
#   make messages                 update and compile the German translations
#   make vendor                   refresh static/vendor/ from node_modules/ (after npm ci)
#   make clean                    remove venv, SQLite database, collected static files, node_modules
#
# DATABASE_URL and REDIS_URL are taken from the environment (or .env) if set;
# without them the app uses db.sqlite3 and runs Celery tasks in process.

VENV       := .venv
PY         := $(VENV)/bin/python
INSTALLED  := $(VENV)/.installed
LOCK       := requirements/dev.txt
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core; each has its own test database and Redis db.
TEST_PROCESSES ?= auto
# Development settings for `make run` (`make run DEBUG=0` needs SECRET_KEY and ALLOWED_HOSTS).
DEBUG      ?= 1

.PHONY: run test lint messages compilemessages npm vendor clean bench

# Installs the exact versions of the dev lock (runtime + dev extra, with hashes), then the
# project itself without resolving again; re-run when the lock or pyproject.toml changes.
# The locks are made with pip-compile (see "Dependencies" in README.md).
$(INSTALLED): pyproject.toml $(LOCK)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -r $(LOCK)
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

run: $(INSTALLED) compilemessages
	DEBUG=$(DEBUG) $(PY) manage.py migrate --noinput
	DEBUG=$(DEBUG) $(PY) manage.py seed_demo
	DEBUG=$(DEBUG) $(PY) manage.py runserver 127.0.0.1:8000

# DEBUG=1 only spares tests a SECRET_KEY; pytest-django runs tests with DEBUG=False.
test: $(INSTALLED) compilemessages npm
	DEBUG=1 $(PY) -m pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

# Benchmark on a seeded PostgreSQL database (127.0.0.1:5432); see bench/README.md.
# BENCH_ARGS="--jobcenters 10 --years 3 --seconds 5" for a quick run.
BENCH_ARGS ?=
bench: $(INSTALLED)
	DEBUG=0 $(PY) -m bench.run $(BENCH_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .

messages: $(INSTALLED)
	DEBUG=1 $(PY) manage.py makemessages -l de --ignore=.venv --ignore=node_modules --ignore=staticfiles
	$(MAKE) compilemessages

# Compiles every .po file (locale/ and app locale dirs); skipped when there is
# none yet or gettext is missing (the UI then shows the English source strings).
compilemessages: $(INSTALLED)
	@if [ -z "$$(find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -name '*.po' -print 2>/dev/null | head -n 1)" ]; then \
		echo "no .po files yet: skipping compilemessages"; \
	elif ! command -v msgfmt >/dev/null 2>&1; then \
		echo "msgfmt not found (install gettext): skipping compilemessages"; \
	else \
		echo "DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules"; \
		DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules; \
	fi

# axe-core for the accessibility tests; re-installed when package-lock.json changes.
npm:
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "npm not found: tests that need axe-core will be skipped"; \
	elif [ ! -d node_modules/axe-core ] || [ ! -f node_modules/.package-lock.json ] \
			|| [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		echo "npm ci --no-audit --no-fund"; \
		npm ci --no-audit --no-fund; \
	fi

# Bootstrap and htmx are committed under static/vendor/ so that `make run` needs no npm.
# After bumping them in package.json: npm install && make vendor (and update static/vendor/README.md).
vendor: npm
	mkdir -p static/vendor/bootstrap static/vendor/htmx
	sed '/sourceMappingURL=/d' node_modules/bootstrap/dist/css/bootstrap.min.css > static/vendor/bootstrap/bootstrap.min.css
	sed '/sourceMappingURL=/d' node_modules/bootstrap/dist/js/bootstrap.bundle.min.js > static/vendor/bootstrap/bootstrap.bundle.min.js
	sed '/sourceMappingURL=/d' node_modules/htmx.org/dist/htmx.min.js > static/vendor/htmx/htmx.min.js

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules
