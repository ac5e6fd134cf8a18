# dataops.iam: every set-up step lives here, so `make demo` and `make test` work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
COLLECTIONS := $(CURDIR)/.tmp/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/dataops/iam
PYTEST_WORKERS ?= 2

export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PYTHONPATH := $(COLLECTIONS)$(if $(PYTHONPATH),:$(PYTHONPATH))
export PATH := $(BIN):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install demo test unit emulator-tests integration clean

help:
	@echo "make demo   set up, start the local CDF/DSS emulator, provision demo groups twice (2nd run: changed=0)"
	@echo "make test   set up and run the whole suite (unit, emulator fidelity, playbook integration)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(COLLECTION_LINK):
	@mkdir -p $(dir $@)
	@ln -sfn $(CURDIR) $@

install: $(VENV)/.installed $(COLLECTION_LINK)

demo: install
	$(BIN)/python tools/demo.py

# pytest exits 5 when it collects no tests: make treats every non-zero exit as a failure.
unit: install
	$(BIN)/python -m pytest tests/unit -q -p no:cacheprovider -n $(PYTEST_WORKERS)

emulator-tests: install
	$(BIN)/python -m pytest tests/emulator -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile

integration: install
	$(BIN)/python -m pytest tests/integration -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile

test: unit emulator-tests integration
	@echo "make test: all suites passed"

clean:
	rm -rf .tmp tests/output
