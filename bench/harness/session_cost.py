"""What the login session costs per call, in instructions counted by valgrind's callgrind
(bench/NOTES.md, "What the session costs per call"). Not part of `make bench`: run by hand on
release builds, after `make bench` built them:

    python bench/harness/session_cost.py --sandbox-bin target/release/ibanera-sandbox \\
        --raw-bin target/bench/release/ibanera-bench-raw --node-package target/bench/node \\
        --python target/bench/venv/bin/python

Every figure is a difference of two run lengths (`--calls`, 1,000 unless given, and three times
as many), so
start-up, the login and the warm-up cancel out, except the per-function rows, which divide a
function's inclusive count by the calls made:

1. the raw loop's client per get-account call, with `Authorization: Bearer <token>` (179
   characters) and with the old API-key header `Authorization: <key>` (`--old-key`, 26),
   against the page server, which checks no credentials and serves account 1055's envelope as
   the sandbox answered it: the same bytes back, only the header differs;
2. the sandbox's work per call, and the share of it that checks the token and the code
   (`Auth::authenticate`, inclusive);
3. the SDK per call: the Python package (its wheel is stripped: totals only) and the Node
   package, whose native module keeps its symbols: the core's session work on each call
   (formatting the header, zeroizing copies of secrets, the scrub list, `Session::need`,
   `Session::password_credentials`), the same core code for both bindings.

Prints a JSON object, then the tables NOTES.md quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402  (the runner's sandbox, login and HTTP helpers)

OLD_KEY = "sbx_bench_0123456789abcdef"  # the shape of the API key the service used to take
ACCOUNT_ID = 1055
CREDENTIALS = [
    "--username",
    run.USERNAME,
    "--password",
    run.PASSWORD,
    "--totp-secret",
    run.TOTP_SECRET,
]
# Functions whose inclusive counts are reported, by a pattern of their demangled names, and
# optionally only as called from a caller matching a second pattern.
SEND = r"ibanera::client::Client::send::\{\{closure\}\}"
SDK_FUNCTIONS = {
    'format!("Bearer {token}") (format_inner called by Client::send)': (
        r"alloc::fmt::format::format_inner",
        SEND,
    ),
    "zeroizing copies of the token, the password and the code": (
        r"<alloc::string::String as zeroize::Zeroize>::zeroize",
        None,
    ),
    "Scrub::new over the token, the code and the password": (r"ibanera::client::Scrub::new", None),
    "Session::password_credentials (for that scrubbing)": (
        r"ibanera::session::Session::password_credentials",
        None,
    ),
    "Session::need (lock, expiry check, token clone)": (r"ibanera::session::Session::need\b", None),
}
SANDBOX_FUNCTIONS = {
    "Auth::authenticate (token lookup and code check)": (
        r"ibanera_sandbox::auth::Auth::authenticate",
        None,
    ),
    "Auth::otp_ok (the code check, also made before sessions)": (
        r"ibanera_sandbox::auth::Auth::otp_ok",
        None,
    ),
}


def callgrind(argv: list[str], out: Path, env: dict | None = None) -> dict:
    """Runs argv under callgrind; returns its JSON line (if any) with the total count."""
    p = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    if p.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv[:3])} ...\n{p.stderr[-3000:]}")
    lines = [line for line in p.stdout.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    result["instructions"] = total(out)
    return result


def total(out: Path) -> int:
    for line in out.read_text(errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"no total in {out}")


def inclusive(out: Path, patterns: dict[str, tuple[str, str | None]]) -> dict[str, int]:
    """Each function's inclusive count, all callers or the matching caller's calls only. Reads
    `callgrind_annotate --tree=caller`: each function's line (`*`) follows its callers' (`<`)."""
    text = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--tree=caller", "--threshold=100", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = dict.fromkeys(patterns, 0)
    callers: list[tuple[int, str]] = []
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?([<*])\s+(.*)$", line)
        if not m:
            callers = []
            continue
        count, mark, name = int(m.group(1).replace(",", "")), m.group(2), m.group(3)
        if mark == "<":
            callers.append((count, name))
            continue
        for label, (pattern, caller) in patterns.items():
            if re.search(pattern, name) and "drop_in_place" not in name:
                if caller is None:
                    found[label] = max(found[label], count)
                else:
                    found[label] += sum(c for c, n in callers if re.search(caller, n))
        callers = []
    return found


def per_call(short: dict, long: dict, calls: tuple[int, int]) -> float:
    return (long["instructions"] - short["instructions"]) / (calls[1] - calls[0])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sandbox-bin", required=True)
    p.add_argument("--raw-bin", required=True)
    p.add_argument("--node-package", help="the npm package directory (default: the repo root)")
    p.add_argument("--python", default=sys.executable, help="with the ibanera wheel installed")
    p.add_argument("--node", default="node")
    p.add_argument("--calls", type=int, default=1000)
    args = p.parse_args()
    calls = (args.calls, 3 * args.calls)
    report: dict = {"calls": calls}

    with tempfile.TemporaryDirectory(prefix="ibanera-session-cost-") as tmp:
        work = Path(tmp)
        sandbox = run.Background(
            [args.sandbox_bin, "--port", "0", *CREDENTIALS], "listening on", work, "sandbox"
        )
        try:
            token = run.login(sandbox.url)
            account = run.http(
                "GET",
                f"{sandbox.url}/api/v1/customer/accounts/account?Id={ACCOUNT_ID}",
                token=token,
            )
            (work / f"account-{ACCOUNT_ID}.json").write_bytes(account)
            pages = run.Background(
                [args.raw_bin, "serve", "--dir", str(work)], "http://", work, "page-server"
            )
            try:
                # 1. the raw client: bearer vs the old key, same server, same answer.
                raw = {}
                old = ["--old-key", OLD_KEY, "--totp-secret", run.TOTP_SECRET]
                for name, auth in (("bearer", CREDENTIALS), ("key", old)):
                    runs = [
                        callgrind(
                            [args.raw_bin, "get-account", "--base-url", pages.url, *auth,
                             "--count", str(n), "--warmup", "0", "--runtime", "current"],
                            work / f"raw-{name}-{n}.out",
                        )
                        for n in calls
                    ]  # fmt: skip
                    raw[name] = per_call(*runs, calls)
                report["raw_client_per_call"] = raw
                report["bearer_header_bytes"] = len("Bearer ") + len(token)
                report["key_header_bytes"] = len(OLD_KEY)

                # 3. the SDK, Python (totals) and Node (totals and the session's functions).
                py = [
                    callgrind(
                        [args.python, str(HERE / "py_child.py"), "seq", "--impl", "ibanera",
                         "--base-url", sandbox.url, *CREDENTIALS, "--count", str(n),
                         "--warmup", "0"],
                        work / f"py-{n}.out",
                    )
                    for n in calls
                ]  # fmt: skip
                report["python_sdk_per_call"] = per_call(*py, calls)
                env = dict(os.environ)
                if args.node_package:
                    env["IBANERA_BENCH_NODE_PACKAGE"] = str(Path(args.node_package).resolve())
                node = [
                    callgrind(
                        [args.node, str(HERE / "node_child.mjs"), "async", "--impl", "ibanera",
                         "--base-url", sandbox.url, *CREDENTIALS, "--count", str(n),
                         "--warmup", "0", "--concurrency", "1"],
                        work / f"node-{n}.out",
                        env,
                    )
                    for n in calls
                ]  # fmt: skip
                report["node_sdk_per_call"] = per_call(*node, calls)
                functions = inclusive(work / f"node-{calls[1]}.out", SDK_FUNCTIONS)
                report["sdk_session_functions_per_call"] = {
                    k: v / calls[1] for k, v in functions.items()
                }
            finally:
                pages.stop()
        finally:
            sandbox.stop()

        # 2. the sandbox's side, the raw loop calling it natively.
        server = []
        for n in calls:
            out = work / f"sandbox-{n}.out"
            sandbox = run.Background(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                 args.sandbox_bin, "--port", "0", *CREDENTIALS],
                "listening on", work, f"sandbox-{n}",
            )  # fmt: skip
            try:
                subprocess.run(
                    [args.raw_bin, "get-account", "--base-url", sandbox.url, *CREDENTIALS,
                     "--count", str(n), "--warmup", "0", "--runtime", "current"],
                    check=True, capture_output=True, timeout=1800,
                )  # fmt: skip
            finally:
                # Ctrl-C: the sandbox stops cleanly and callgrind writes its counts.
                sandbox.proc.send_signal(signal.SIGINT)
                sandbox.proc.wait(300)
                sandbox.stop()
            server.append({"instructions": total(out)})
        report["sandbox_per_call"] = per_call(*server, calls)
        functions = inclusive(work / f"sandbox-{calls[1]}.out", SANDBOX_FUNCTIONS)
        report["sandbox_functions_per_call"] = {k: v / calls[1] for k, v in functions.items()}

    print(json.dumps(report, indent=1))
    raw = report["raw_client_per_call"]
    k = 1000
    print()
    print("| instructions per get-account call | count |")
    print("|---|---:|")
    print(f"| raw client, `Authorization: Bearer <token>` | {raw['bearer'] / k:.1f}k |")
    print(f"| raw client, `Authorization: <key>` (the old header) | {raw['key'] / k:.1f}k |")
    # The whole difference: the header's bytes and the allocator's paths (bench/NOTES.md).
    print(f"| difference, bearer - key | {(raw['bearer'] - raw['key']) / k:+.2f}k |")
    print(f"| Python SDK (`ibanera.Client`), total | {report['python_sdk_per_call'] / k:.1f}k |")
    node = report["node_sdk_per_call"]
    print(f"| Node SDK (`Client`, one call at a time), total | {node / k:.1f}k |")
    for name, v in report["sdk_session_functions_per_call"].items():
        print(f"| SDK core: {name} | {v / k:.2f}k |")
    print(f"| sandbox, total per request | {report['sandbox_per_call'] / k:.1f}k |")
    for name, v in report["sandbox_functions_per_call"].items():
        print(f"| sandbox: {name} | {v / k:.2f}k |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
