# cli targets (owned by the cli package)
#
# `cargo test --workspace` (test-rust) already runs the cli's unit and integration tests
# (cli/tests/cli.rs: the binary against an in-process sandbox). test-cli adds what only a shell
# can check: a session against `ibanera sandbox` (export lines, pipes under pipefail, SIGTERM).
# It uses the binary test-rust built: the same cargo invocation with --no-run is a no-op after it.
IBANERA_BIN := $(or $(CARGO_TARGET_DIR),target)/debug/ibanera

.PHONY: test-cli
## CLI: a shell session against `ibanera sandbox`.
test-cli:
	$(CARGO) test --workspace --features ibanera/schema --no-run -q
	bash cli/tests/session.sh $(IBANERA_BIN)
