# Python package `ibanera` (bindings-python/, pyproject.toml, tests/python, examples/*.py).
#
#   make python-dev    .venv with the test tools, and the package built (debug) and installed
#   make test-python   lint (ruff), pytest (incl. generated-file check, quickstart, notebook
#                      via nbclient), mypy --strict on examples/*.py and the package, stubtest
#   make python-wheel  the release wheel (abi3, CPython 3.9+) into target/wheels
#
# maturin builds into its own target dir (target/maturin): alternating with plain cargo builds
# in target/ would rebuild pyo3 every time (their build settings differ).

VENV ?= .venv
VENV_PY := $(VENV)/bin/python
PY_TARGET_DIR ?= target/maturin
PY_DEPS_STAMP := $(VENV)/.ibanera-test-deps
PY_SOURCES := bindings-python/python examples tests/python bindings-python/generate.py bench

.PHONY: python-venv python-dev python-lint test-python python-wheel python-generate

$(VENV_PY):
	$(PYTHON) -m venv $(VENV)

$(PY_DEPS_STAMP): tests/python/requirements.txt | $(VENV_PY)
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
	touch $@

python-venv: $(PY_DEPS_STAMP)

## Builds the extension (debug) and installs the package into .venv (editable).
python-dev: python-venv
	VIRTUAL_ENV=$(abspath $(VENV)) CARGO_TARGET_DIR=$(PY_TARGET_DIR) \
		$(VENV)/bin/maturin develop --quiet

## Regenerates models, enums, resources and stubs from the core's description.
python-generate: python-venv
	$(VENV_PY) bindings-python/generate.py

python-lint: python-venv
	$(VENV)/bin/ruff format --check $(PY_SOURCES)
	$(VENV)/bin/ruff check $(PY_SOURCES)

test-python: python-dev python-lint
	$(VENV_PY) -m pytest -q -p no:cacheprovider tests/python
	$(VENV_PY) -m mypy --strict --no-incremental examples/*.py bindings-python/python/ibanera
	$(VENV_PY) -m mypy.stubtest --mypy-config-file pyproject.toml ibanera

python-wheel: python-venv
	CARGO_TARGET_DIR=$(PY_TARGET_DIR) $(VENV)/bin/maturin build --release --out target/wheels
