# The two commands at the top of README.md: `make run` and `make test`.
# Each installs what it needs on a fresh machine (a virtualenv in .venv, the npm packages in
# node_modules, compiled translations) and does nothing more once that is up to date.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ARGS ?=

.PHONY: run test lint format translations messages

run: $(VENV)/.stamp-app node_modules/.stamp translations
	ANTRE_DEMO=$${ANTRE_DEMO:-1} $(PY) run.py $(ARGS)

test: $(VENV)/.stamp-test node_modules/.stamp translations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(ARGS)

$(VENV)/.stamp-app: setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-app
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

PACKAGES := shared kiosk counter display

translations: $(VENV)/.stamp-app
	@for p in $(PACKAGES); do \
	  if [ -f $$p/translations/id/LC_MESSAGES/messages.po ]; then \
	    $(VENV)/bin/pybabel compile -d $$p/translations || exit 1; fi; done

# For developers: refresh the catalogues after changing user-facing text.
# For developers: refresh one package's catalogue after changing its text (make messages P=kiosk).
messages: $(VENV)/.stamp-test
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k N_ -o $(P)/translations/messages.pot $(P)
	test -f $(P)/translations/id/LC_MESSAGES/messages.po \
	  && $(VENV)/bin/pybabel update -i $(P)/translations/messages.pot -d $(P)/translations \
	  || $(VENV)/bin/pybabel init -i $(P)/translations/messages.pot -d $(P)/translations -l id

lint: $(VENV)/.stamp-test
	$(VENV)/bin/ruff check .

format: $(VENV)/.stamp-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
