# Two commands on a fresh machine:  make run   |   make test
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg

.PHONY: run test install install-test browser bench clean

run: install                      ## set up and build the default graph from data/reports/
	$(KG) build data/reports -o out

test: install-test browser        ## set up and pass the tests
	$(PY) -m pytest -q

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

browser:                          ## Debian's chromium + chromium-driver for the browser tests
	scripts/install-browser.sh

bench: install
	$(PY) scripts/bench_build.py

clean:
	rm -rf out $(VENV)
