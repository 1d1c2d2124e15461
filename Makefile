# Koe: `make demo` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PORT ?= 8000
PY := .venv/bin/python
MANAGE := $(PY) manage.py
DEMO_ENV := env -u DATABASE_URL DEBUG=1 KOE_DEMO=1

.PHONY: demo test bench lint install system-deps translations messages clean

install:
	@./scripts/bootstrap.sh

translations: install
	@$(PY) manage.py compile_translations --settings=config.settings_test

demo: install translations
	$(DEMO_ENV) $(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) createcachetable
	$(DEMO_ENV) $(MANAGE) seed_demo
	@echo "Koe is starting at http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

# Browser tests need Chromium, PDF and screenshots need Noto fonts, the catalog check needs
# gettext: installed from Debian's packages when missing and we are allowed to.
system-deps:
	@./scripts/system-deps.sh

lint: install
	.venv/bin/ruff check koe config bench conftest.py
	.venv/bin/ruff format --check koe config bench conftest.py
	DJANGO_SETTINGS_MODULE=config.settings_test .venv/bin/mypy koe config

test: install system-deps translations lint
	$(PY) -m pytest

bench: install translations
	@for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

# For developers: extract new strings into every catalog (English is the source language).
messages: install
	DEBUG=1 $(MANAGE) makemessages --no-location --no-obsolete --ignore=.venv --ignore=staticfiles \
		-l ja -l en -l zh_Hans -l vi -l tl -l id -l my -l pt_BR -l es -l ne
	$(PY) scripts/fill_source_language.py
	$(PY) scripts/fix_catalog_headers.py

clean:
	rm -rf .venv staticfiles db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
