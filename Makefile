# dataops.iam: every set-up step lives here, so `make demo` and `make test` work on a fresh clone.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
COLLECTIONS := $(CURDIR)/.tmp/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/dataops/iam
PYTEST_WORKERS ?= 2
# ansible-test must run from a folder that is physically .../ansible_collections/dataops/iam (the link above
# resolves to the checkout): tools/mirror_tree.py keeps a copy of the checkout's files there.
ANSIBLE_TEST_TREE := $(CURDIR)/.tmp/ansible-test/ansible_collections/dataops/iam
# ansible-test sets up its own import and collection paths; ours would shadow the mirror with the checkout.
ANSIBLE_TEST = cd $(ANSIBLE_TEST_TREE) && env -u PYTHONPATH -u ANSIBLE_COLLECTIONS_PATH $(BIN)/ansible-test
VENV_PYTHON_VERSION = $(shell $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
LINT_EXAMPLES := $(CURDIR)/.tmp/lint-examples
DOCSITE := $(CURDIR)/.tmp/docsite

export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PYTHONPATH := $(COLLECTIONS)$(if $(PYTHONPATH),:$(PYTHONPATH))
export PATH := $(BIN):$(PATH)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install demo test static unit units sanity lint docs changelog changelog-check contract tasks emulator-tests integration integration-module-path \
	compat bench soak toolkit ansible-test-tree clean dist importer ee-context packaging release-check

help:
	@echo "make demo        set up, start the local CDF/DSS emulator, provision demo groups twice (2nd run: changed=0)"
	@echo "make test        set up and run everything CI runs: static, sanity, units, lint, docs, changelog-check,"
	@echo "                 contract (documented API answers), tasks (every module in process), emulator fidelity, playbook"
	@echo "                 integration (with the build-and-install test), then the playbook tests marked both_paths again"
	@echo "                 with the modules as module processes"
	@echo "make integration-module-path"
	@echo "                 the playbook tests marked both_paths with every module as a module process instead of in"
	@echo "                 Ansible's worker (DATAOPS_IAM_EXECUTION=module), each run leak-scanned too"
	@echo "make static      ruff (pyflakes, bugbear, import order, pycodestyle: ruff.toml) and mypy on plugins/ (mypy.ini)"
	@echo "make sanity      ansible-test sanity (no ignore entries allowed)"
	@echo "make units       ansible-test units (make unit: the same tests under plain pytest, quicker to iterate)"
	@echo "make contract    the API reference's documented answers parsed by the clients; the emulator checked against them"
	@echo "make tasks       every module's one flow (MODULE.execute) against the emulator, without ansible-playbook: seconds"
	@echo "make lint        ansible-lint, production profile: playbooks, tests, and every module's EXAMPLES"
	@echo "make docs        the HTML documentation site (antsibull-docs + Sphinx, warnings are errors): .tmp/docsite/build/html"
	@echo "make changelog   add changelogs/fragments/* to the release in galaxy.yml's version and rebuild CHANGELOG.rst"
	@echo "make compat      the integration suite on Python 3.13 + newest ansible-core and on the oldest claimed ansible-core,"
	@echo "                 then its both_paths tests there as module processes"
	@echo "make bench       benchmarks against the emulator (per-task cost, requests, scale, capability diff, a uri peer):"
	@echo "                 writes benchmarks/results.md; never fails on a figure; not part of make test"
	@echo "make soak        a fault soak (bench section soak): >= 5,000 requests at 30% injected faults through access and"
	@echo "                 the per-object modules, every round checked (0 duplicates, lost, half-replaced); about 15 minutes"
	@echo "make toolkit     cognite-toolkit (cdf) in .tmp/toolkit-venv, once: for make bench and the interop tests"
	@echo "make dist        dist/: the collection tarball and the emulator's wheel (REPOSITORY=https://... names the repository)"
	@echo "make release-check  what a release needs: changelog, versions, docs, dist, galaxy-importer (no error, no"
	@echo "                 warning), the execution environment's build context, the packaging tests (fresh venvs); in make test"

$(VENV)/.installed: requirements.txt requirements-test.txt requirements-dev.txt
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

# The documented API answers (tests/contract/fixtures, each with its source) parsed by the clients and the
# modules' logic; test_emulator_agrees.py then checks the emulator's answers have the same shape.
contract: install
	$(BIN)/python -m pytest tests/contract -q -p no:cacheprovider

# Every module run as a task would run it (its real argument spec, check mode, diff) against the emulator, in
# process: check mode writes nothing, a run changes, a re-run does not (tests/tasks/conftest.py).
tasks: install
	$(BIN)/python -m pytest tests/tasks -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile

emulator-tests: install
	$(BIN)/python -m pytest tests/emulator -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile

# At -vvvv (DATAOPS_IAM_TEST_VERBOSITY): every playbook run is scanned for the secrets the emulator knows, so
# every integration test is a leak test too (tests/integration/leakscan.py).
integration: install toolkit
	DATAOPS_IAM_TEST_VERBOSITY=4 $(BIN)/python -m pytest tests/integration -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile

# The same playbook tests where the path matters (marker both_paths) with every module run as a module process
# instead of in Ansible's worker (tests/integration/runner.py: DATAOPS_IAM_EXECUTION); the leak scan's figures of
# this run go to tests/output/reliability/leak-scan-module.json.
integration-module-path: install
	DATAOPS_IAM_EXECUTION=module DATAOPS_IAM_TEST_VERBOSITY=4 $(BIN)/python -m pytest tests/integration -m both_paths -q \
		-p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile

# --- static checks ------------------------------------------------------------------------------------------
# ruff: ruff.toml. mypy: mypy.ini; run on the linked collection path so that the plugins' own imports
# (ansible_collections.dataops.iam.plugins...) resolve to the checkout's files.
RUFF_PATHS := plugins tests tools benchmarks emulator
static: install
	$(BIN)/ruff check $(RUFF_PATHS)
	$(BIN)/mypy $(COLLECTION_LINK)/plugins

# --- ansible-test -------------------------------------------------------------------------------------------
# The mirror holds git's tracked and untracked-but-not-ignored files; ansible-test runs offline (--local, the
# venv's Python) and builds its per-test venvs with a stand-in for get-pip.py (tools/getpip_standin.py).
ansible-test-tree: install
	@$(BIN)/python tools/getpip_standin.py
	@$(BIN)/python tools/mirror_tree.py $(ANSIBLE_TEST_TREE)

sanity: ansible-test-tree
	@if compgen -G 'tests/sanity/ignore-*.txt' >/dev/null && grep -Hnv '^[[:space:]]*\(#.*\)\?$$' tests/sanity/ignore-*.txt; then \
		echo "sanity: the entries above ignore sanity failures; fix the code instead and remove them" >&2; exit 1; fi
	$(ANSIBLE_TEST) sanity --python $(VENV_PYTHON_VERSION) --local --color no

units: ansible-test-tree
	$(ANSIBLE_TEST) units --python $(VENV_PYTHON_VERSION) --local --color no --num-workers $(PYTEST_WORKERS)

# --- ansible-lint -------------------------------------------------------------------------------------------
# The project (configuration: .ansible-lint), then each module's EXAMPLES written out as playbooks.
lint: install
	$(BIN)/ansible-lint
	$(BIN)/python tools/extract_examples.py $(LINT_EXAMPLES)
	cd $(LINT_EXAMPLES) && $(BIN)/ansible-lint

# --- documentation ------------------------------------------------------------------------------------------
# antsibull-docs lints the collection's docs, then builds the site: module pages from DOCUMENTATION/EXAMPLES/
# RETURN, the user guide from docs/docsite/ (extra-docs.yml lists its pages), the changelog. build.sh runs
# Sphinx with -W: any warning fails. tools/docsite_offline.py keeps Sphinx from fetching remote inventories.
docs: install
	$(BIN)/antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs --validate-collection-refs all --disallow-unknown-collection-refs .
	rm -rf $(DOCSITE) && mkdir -p $(dir $(DOCSITE)) && mkdir -m 700 $(DOCSITE)
	$(BIN)/antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir $(DOCSITE) \
		--project dataops.iam --copyright "dataops.iam contributors" \
		--title "dataops.iam: identity and access for CDF and Dataiku DSS" --html-short-title dataops.iam dataops.iam
	$(BIN)/python tools/docsite_offline.py $(DOCSITE)
	$(DOCSITE)/build.sh
	@echo "docs: $(DOCSITE)/build/html/index.html"

# --- changelog ----------------------------------------------------------------------------------------------
# `make changelog` adds the fragments to the release named by galaxy.yml's version (re-runnable while that
# version is unreleased) and rebuilds CHANGELOG.rst; commit the result. `make changelog-check` (part of `make
# test`) lints the fragments and changelog.yaml and fails when CHANGELOG.rst is not what changelog.yaml gives.
changelog: install
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog release
	$(BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml

changelog-check: install
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
	@mkdir -p .tmp && $(BIN)/antsibull-changelog generate --output .tmp/CHANGELOG.rst
	@diff -u CHANGELOG.rst .tmp/CHANGELOG.rst || { echo "changelog-check: CHANGELOG.rst is stale: run make changelog" >&2; exit 1; }

# --- everything ---------------------------------------------------------------------------------------------
test: static sanity units lint docs changelog-check contract tasks emulator-tests integration integration-module-path release-check
	@echo "make test: all suites passed"

# --- distribution ------------------------------------------------------------------------------------------
# dist/: the collection tarball (ansible-galaxy collection build) and the emulator's wheel (pyproject.toml), side by
# side: what a release uploads (Galaxy or Automation Hub; a package index or the release page).
DIST := $(CURDIR)/dist
# galaxy-importer and ansible-builder in their own venv: their pins (ansible-lint, attrs, flake8) are not the test tools'.
RELEASE_VENV := $(CURDIR)/.tmp/release-venv
EE_CONTEXT := $(CURDIR)/.tmp/ee-context

$(RELEASE_VENV)/.installed: requirements-release.txt
	@test -x $(RELEASE_VENV)/bin/python || $(PYTHON) -m venv $(RELEASE_VENV)
	env -u PYTHONPATH $(RELEASE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-release.txt
	@touch $@

# REPOSITORY: the project's public repository URL, which Galaxy requires and galaxy.yml leaves out until it is known.
REPOSITORY ?=
dist: install
	$(BIN)/python tools/dist.py $(DIST) $(if $(REPOSITORY),--repository $(REPOSITORY))

# galaxy-importer on the tarball, every offline check on: no error and no warning (tools/galaxy_importer_check.py).
importer: dist $(RELEASE_VENV)/.installed
	$(BIN)/python tools/galaxy_importer_check.py --venv $(RELEASE_VENV) $(DIST)/dataops-iam-*.tar.gz

# ansible-builder's first step, which needs no container runtime: the build context (Containerfile, _build/).
ee-context: dist $(RELEASE_VENV)/.installed
	rm -rf $(EE_CONTEXT)
	cd $(CURDIR) && env -u PYTHONPATH $(RELEASE_VENV)/bin/ansible-builder create -f execution-environment.yml -c $(EE_CONTEXT) -v 1

# What users do with dist/ and the build context, each in a fresh venv (tests/packaging).
packaging: dist ee-context
	DATAOPS_IAM_DIST=$(DIST) DATAOPS_IAM_EE_CONTEXT=$(EE_CONTEXT) $(BIN)/python -m pytest tests/packaging -q -p no:cacheprovider

# Everything a release needs, in one go (also part of make test): the changelog, the versions (tools/release_check.py;
# RELEASE=1 when cutting one also refuses a version the changelog already released), the docs, the tarball and the
# wheel, galaxy-importer, the execution environment's build context, and the packaging tests. The build-and-install
# test of the collection runs with the integration tests.
RELEASE ?=
release-check: changelog-check docs dist importer ee-context packaging
	$(BIN)/python tools/release_check.py $(DIST) $(if $(RELEASE),--release)
	@echo "release-check: passed"

# Its own venvs (.venv-compat-*), each with one Python and one ansible-core: see tools/compat.py.
compat: $(COLLECTION_LINK) toolkit
	$(PYTHON) tools/compat.py

# Benchmarks, not tests: benchmarks/results.md gets the figures and the command; see benchmarks/README.md.
# BENCH_ARGS, e.g. "--rounds 5 --budget 900" or "--only per_task,requests".
bench: install toolkit
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# The fault soak (benchmarks/bench_soak.py), a bench section run only when named: its figures go to results.md
# with the other sections' (kept from the last `make bench`). SOAK_ARGS, e.g. "--json .tmp/soak.json".
soak: install
	$(BIN)/python benchmarks/bench.py --only soak $(SOAK_ARGS)

# cognite-toolkit (`cdf`) in its own venv, installed once (the stamp): the peer of the bench's access section and
# the toolkit of the interop tests (tests/toolkit_runner.py). The pin: benchmarks/toolkit-requirements.txt.
TOOLKIT_VENV := $(CURDIR)/.tmp/toolkit-venv
TOOLKIT_PYTHON ?= python3.11
toolkit: $(TOOLKIT_VENV)/.installed

$(TOOLKIT_VENV)/.installed: benchmarks/toolkit-requirements.txt
	@test -x $(TOOLKIT_VENV)/bin/python || $(TOOLKIT_PYTHON) -m venv $(TOOLKIT_VENV)
	env -u PYTHONPATH $(TOOLKIT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r benchmarks/toolkit-requirements.txt
	@touch $@

clean:
	rm -rf .tmp tests/output
