# The two commands a newcomer needs: `make demo` and `make test`. Every target installs what it
# needs itself (cargo fetches crates; a .venv via pip; npm ci). Each area keeps its targets in
# mk/<area>.mk.

CARGO ?= cargo
PYTHON ?= python3
export CARGO_TERM_COLOR ?= never

.PHONY: test test-rust lint clean

## Every suite: lint, Rust, CLI, Python, Node, the packages installed from dist/, and the
## benchmark's smoke run.
test: lint test-rust test-cli test-python test-node test-dist test-bench

## Rust: every crate's unit, integration and doc tests.
test-rust:
	$(CARGO) test --workspace --features ibanera/schema

## Formatting and lints (clippy with -D warnings), the workspace and bench/raw (a workspace of
## its own, so the benchmark's raw loop cannot change the SDK's Cargo.lock).
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --features ibanera/schema -- -D warnings
	$(CARGO) fmt --manifest-path bench/raw/Cargo.toml -- --check
	$(CARGO) clippy --manifest-path bench/raw/Cargo.toml --target-dir target/bench -- -D warnings

include mk/*.mk

clean:
	$(CARGO) clean
	rm -rf .venv node_modules dist
