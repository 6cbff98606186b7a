#!/usr/bin/env bash
# A shell session as an ops person runs one, against `ibanera sandbox`: paste the export lines,
# export every page to CSV, branch on an exit code, pipe into `head` under pipefail, stop the
# sandbox with SIGTERM. Usage: cli/tests/session.sh path/to/ibanera
# (The cargo integration tests in cli/tests/cli.rs cover the rest; this checks the shell side.)
set -euo pipefail

BIN=${1:?usage: session.sh path/to/ibanera}
tmp=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
unset IBANERA_API_KEY IBANERA_USERNAME IBANERA_PASSWORD IBANERA_ACCESS_TOKEN IBANERA_TOTP_SECRET IBANERA_BASE_URL IBANERA_LOG COLUMNS

passed=0
failed=0
check() {
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: $name" >&2
    fi
}

"$BIN" sandbox --port 0 --env-file "$tmp/sandbox.env" >"$tmp/sandbox.out" 2>&1 &
pid=$!
for _ in $(seq 100); do
    grep -q '^export IBANERA_TOTP_SECRET=' "$tmp/sandbox.out" && [ -s "$tmp/sandbox.env" ] && break
    sleep 0.1
done
# shellcheck disable=SC1091
. "$tmp/sandbox.env"
check "sandbox wrote the four export lines" test -n "${IBANERA_PASSWORD:-}" -a -n "${IBANERA_TOTP_SECRET:-}"

login_works() {
    "$BIN" login --output json | grep -q '"expiresInSeconds": 3600'
}
check "ibanera login checks the credentials" login_works

control_the_sandbox() {
    local id
    id=$("$BIN" exchanges buy --customers-id 1004 --asset-pair BTC/USDC --quantity-type Price --price 50 --output jsonl | sed -E 's/.*"id":([0-9]+).*/\1/') &&
        "$BIN" sandbox approve "$id" --output jsonl | grep -q '"status":"Pending"'
}
check "a buy approved from the shell" control_the_sandbox

csv_export() {
    "$BIN" accounts balances --page-size 1 --all --output csv >"$tmp/balances.csv" 2>"$tmp/err" &&
        [ "$(wc -l <"$tmp/balances.csv")" -eq 5 ] &&
        head -n 1 "$tmp/balances.csv" | grep -q '^id,' &&
        [ ! -s "$tmp/err" ]
}
check "--all CSV export of 4 one-item pages" csv_export

branch_on_exit_code() {
    local rc=0
    "$BIN" accounts get 99999 >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" -eq 4 ] && grep -q 'messageCode=Not_Found' "$tmp/err" && [ ! -s "$tmp/out" ]
}
check "an unknown account exits 4 with its code on stderr" branch_on_exit_code

pipe_into_head() {
    "$BIN" accounts list --customers-id 1004 --output jsonl | head -n 1 | grep -q '"id":1055'
}
check "a pipe closed early is not a failure (pipefail)" pipe_into_head

stop_with_sigterm() {
    kill -TERM "$pid" && wait "$pid" && pid= && grep -q '^Sandbox stopped.' "$tmp/sandbox.out"
}
check "the sandbox stops cleanly on SIGTERM" stop_with_sigterm

echo "test-cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
