# The two commands a new developer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-12)

.PHONY: run test lint format migrations-check messages worker beat jobs benchmark clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: $(STAMP)  ## set up everything and start the portal on http://127.0.0.1:8000
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_data
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)  ## the whole test suite
	@# The HTML checker for the browser tests (vnu-jar, pinned in package-lock.json), when npm is here.
	@test -f node_modules/vnu-jar/build/dist/vnu.jar || ! command -v npm >/dev/null || \
		npm ci --ignore-scripts --no-audit --no-fund --silent
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: $(STAMP)  ## needs GNU gettext (apt-get install gettext)
	$(BIN)/python manage.py makemessages -l en --no-obsolete --no-location --ignore=.venv --ignore=.data
	$(BIN)/python manage.py compilemessages --ignore=.venv

worker: $(STAMP)
	$(BIN)/celery -A selvhjelp worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A selvhjelp beat --loglevel=INFO

jobs: $(STAMP)  ## run the scheduled jobs once (no broker needed)
	$(BIN)/python manage.py run_scheduled_jobs

benchmark: $(STAMP)
	$(BIN)/python manage.py benchmark_search

clean:
	rm -rf $(VENV) .data
