# Benchmark (owned by bench/): the SDK against the page of httpx/fetch code users would write
# instead, and against a raw Rust reqwest loop (bench/README.md).
#
#   make bench        the full run: release builds of the sandbox, the raw loop and both
#                     packages, 5 repetitions of every measurement; rewrites bench/RESULTS.md,
#                     bench/results.json and bench/results.png (about 7 minutes on 2 cores,
#                     plus the release builds)
#   make test-bench   the smoke run, last in `make test`: 1 repetition, small counts, the debug
#                     packages the other test targets built (.venv, the repo root); writes to a
#                     temporary directory, checks every measurement ran (no speed target is
#                     enforced)
#
# `make bench` measures release builds that nothing else touches while it runs: the wheel of
# `make python-wheel` installed into its own venv (target/bench/venv), and the npm package built
# with the flags of mk/node.mk into target/bench/node. So it neither measures a debug build that
# another `make test-*` copied into the tree meanwhile, nor replaces the developer's.
#
# The baselines' dependencies: bench/requirements.txt (into .venv for the smoke run, into the
# bench venv for the full run) and bench/package.json with `npm ci --prefix bench`.

# This file is read before mk/python.mk and mk/node.mk (alphabetical include), so the names
# used in rules get the same defaults here.
VENV ?= .venv
NPM ?= npm
BENCH_VENV_PY := $(VENV)/bin/python
BENCH_PY_STAMP := $(VENV)/.ibanera-bench-deps
BENCH_NODE_STAMP := bench/node_modules/.package-lock.json
BENCH_DIR := target/bench
BENCH_RELEASE_PY := $(BENCH_DIR)/venv/bin/python
BENCH_RELEASE_NODE := $(BENCH_DIR)/node

.PHONY: bench test-bench bench-deps bench-release-python bench-release-node bench-arrow

$(BENCH_PY_STAMP): bench/requirements.txt | $(BENCH_VENV_PY)
	$(BENCH_VENV_PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@

$(BENCH_NODE_STAMP): bench/package.json bench/package-lock.json
	$(NPM) ci --prefix bench --no-audit --no-fund
	@touch $@

bench-deps: $(BENCH_PY_STAMP) $(BENCH_NODE_STAMP)

# The release wheel (mk/python.mk) in the bench's own venv, with the baselines' dependencies.
bench-release-python: python-wheel
	@test -x $(BENCH_RELEASE_PY) || $(PYTHON) -m venv $(BENCH_DIR)/venv
	$(BENCH_RELEASE_PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	$(BENCH_RELEASE_PY) -m pip install --quiet --disable-pip-version-check --force-reinstall \
		--no-deps --no-index --find-links target/wheels ibanera

# The release npm package (mk/node.mk's napi flags) as a package directory of its own.
bench-release-node: node-deps
	$(NODE_BIN)/napi build $(NAPI_FLAGS) --release --output-dir $(BENCH_RELEASE_NODE)
	mkdir -p $(BENCH_RELEASE_NODE)/bindings-node
	cp package.json $(BENCH_RELEASE_NODE)/
	rm -rf $(BENCH_RELEASE_NODE)/bindings-node/lib
	cp -R bindings-node/lib $(BENCH_RELEASE_NODE)/bindings-node/

## Full benchmark with release builds; rewrites bench/RESULTS.md.
bench: $(BENCH_NODE_STAMP) bench-release-python bench-release-node
	$(BENCH_RELEASE_PY) bench/run.py --reps 5 --scale full \
		--python $(BENCH_RELEASE_PY) --node-package $(BENCH_RELEASE_NODE) \
		--sdk-build "release (make python-wheel; napi build --release)"
	$(MAKE) bench-arrow

## The Arrow export row alone (release wheel and sandbox): 100,000 transactions into a pandas
## DataFrame, SDK vs httpx + json.loads(parse_float=Decimal); rewrites its section of
## bench/RESULTS.md and bench/arrow_results.json.
bench-arrow: bench-release-python
	$(CARGO) build --release -q -p ibanera-sandbox
	$(BENCH_RELEASE_PY) bench/arrow_export.py --reps 5 --python $(BENCH_RELEASE_PY)

## Smoke run of the benchmark (1 repetition, small counts) into a temporary directory. Reuses
## the debug sandbox binary `cargo test` built, when there is one.
test-bench: bench-deps python-dev node-build-debug
	@out=$$(mktemp -d); \
	$(BENCH_VENV_PY) bench/arrow_export.py --count 5000 --reps 1 --out "$$out" --sandbox-only \
		--sandbox-bin target/debug/ibanera-sandbox || exit 1; \
	sandbox=; [ -x target/debug/ibanera-sandbox ] && sandbox="--sandbox-bin target/debug/ibanera-sandbox"; \
	start=$$(date +%s); \
	$(BENCH_VENV_PY) bench/run.py --reps 1 --scale small --out "$$out" $$sandbox \
		--sdk-build "debug (make python-dev; make node-build-debug)"; rc=$$?; \
	echo "bench smoke run: $$(( $$(date +%s) - start )) s, report in $$out/RESULTS.md"; \
	exit $$rc
