#!/usr/bin/env python3
"""The Arrow export row of the benchmark: 100,000 transactions from the API into a pandas
DataFrame with exact money.

  sdk             ibanera: page.to_pandas(all_pages=True) (bench/harness/arrow_sdk.py)
  httpx+Decimal   httpx page by page, json.loads(parse_float=Decimal), pandas.DataFrame
                  (bench/baselines/pandas_export.py), exact like the SDK
  httpx+float     the same with floats: not exact, for reference

Each logs in once at start-up (username, password, TOTP code; untimed, as in bench/run.py, and
checked: the server's login count must grow by exactly one per measured process), then makes bearer
calls of 1,000 items per page, twice: against the sandbox binary (release build), whose time to
build each page is part of every implementation's, and against the same pages pre-rendered and
served as files by the raw loop's page server (bench/raw `serve`), where the time left is the
client's own. Each measurement runs in a fresh process (its peak RSS is its own: ru_maxrss, imports
included; the RSS after imports is shown too), implementations interleaved, the median of --reps
kept. Writes arrow_results.json and the section between the arrow-export markers of RESULTS.md in
--out (default: bench/).

    python bench/arrow_export.py [--count 100000] [--reps 5] [--out DIR]
                                 [--sandbox-bin PATH] [--raw-bin PATH] [--python PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
USERNAME = "bench-user"
PASSWORD = "bench-password-0123456789"
SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
ACCOUNT = 1056
TOKEN_TTL = 3600  # seconds: far longer than any measurement (no renewal in the timed part)
START, END = "<!-- arrow-export:start -->", "<!-- arrow-export:end -->"
IMPLS = {
    "sdk": [str(BENCH / "harness" / "arrow_sdk.py")],
    "httpx+Decimal": [str(BENCH / "baselines" / "pandas_export.py"), "decimal"],
    "httpx+float": [str(BENCH / "baselines" / "pandas_export.py"), "float"],
}


def log(msg: str) -> None:
    print(f"[arrow-export] {msg}", file=sys.stderr, flush=True)


def start_sandbox(binary: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [str(binary), "--port", "0", "--username", USERNAME, "--password", PASSWORD,
         "--totp-secret", SECRET, "--token-ttl", str(TOKEN_TTL)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+", line)
        if m:
            return proc, m.group(0)
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("the sandbox did not start")


def seed(base: str, count: int) -> None:
    left = count
    while left:
        n = min(left, 1_000_000)
        req = urllib.request.Request(
            f"{base}/_sandbox/seed-transactions",
            data=json.dumps({"accountsId": ACCOUNT, "count": n}).encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(req, timeout=300).read()
        left -= n


def logins_succeeded(base: str) -> int:
    """The server's count of logins answered with a token (the sandbox's control endpoint; the
    page server answers the same path)."""
    with urllib.request.urlopen(f"{base}/_sandbox/auth", timeout=60) as r:
        return int(json.load(r)["details"]["loginsSucceeded"])


def write_pages(base: str, pages: Path) -> None:
    """Every page of 1,000 as `page-1000-N.json`, as the sandbox sent it (the page server
    answers the login itself)."""
    sys.path.insert(0, str(BENCH / "baselines"))
    import httpx
    from pandas_export import totp  # the baseline's own TOTP

    pages.mkdir(parents=True, exist_ok=True)
    with httpx.Client(base_url=base, timeout=60) as http:
        login = http.post(
            "/api/v1/public/auth/login",
            json={"username": USERNAME, "password": PASSWORD, "otp": totp(SECRET)},
        )
        token = login.json()["details"]["accessToken"]
        number = 1
        while True:
            r = http.get(
                "/api/v1/customer/accounts/transactions",
                params={"PageNumber": number, "PageSize": 1000},
                headers={"Authorization": f"Bearer {token}", "otp": totp(SECRET)},
            )
            (pages / f"page-1000-{number}.json").write_bytes(r.content)
            if number >= (json.loads(r.content).get("numberOfPages") or 1):
                break
            number += 1


def start_page_server(binary: Path, pages: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [str(binary), "serve", "--dir", str(pages)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:\d+", line)
    if not m:
        proc.kill()
        raise SystemExit(f"the page server did not start: {line!r}")
    return proc, m.group(0)


def run(python: str, impl: str, base: str) -> dict[str, object]:
    logins = logins_succeeded(base)
    done = subprocess.run(
        [python, *IMPLS[impl], base, USERNAME, PASSWORD, SECRET],
        capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{impl} failed:\n{done.stderr}")
    # The same session work for every implementation: exactly one login.
    made = logins_succeeded(base) - logins
    if made != 1:
        raise SystemExit(f"{impl}: the server answered {made} logins, expected 1")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def report(results: dict[str, list[dict[str, object]]], count: int, reps: int) -> dict:
    med = {
        impl: {
            "seconds": statistics.median(float(r["seconds"]) for r in runs),
            "peak_rss_mib": statistics.median(int(r["peak_rss_kib"]) for r in runs) / 1024,
            "after_imports_mib": statistics.median(int(r["rss_after_imports_kib"]) for r in runs)
            / 1024,
            "rows": runs[0]["rows"],
            "sum": runs[0]["sum"],
            "dtype": runs[0]["dtype"],
        }
        for impl, runs in results.items()
    }
    base = med["httpx+Decimal"]
    for m in med.values():
        m["speedup_vs_decimal"] = float(base["seconds"]) / float(m["seconds"])
        m["rss_vs_decimal"] = float(m["peak_rss_mib"]) / float(base["peak_rss_mib"])
        grown, base_grown = (
            float(m["peak_rss_mib"]) - float(m["after_imports_mib"]),
            float(base["peak_rss_mib"]) - float(base["after_imports_mib"]),
        )
        m["data_rss_vs_decimal"] = grown / base_grown if base_grown > 0 else 0.0
    return {"count": count, "reps": reps, "median": med}


def table(med: dict) -> list[str]:
    lines = [
        "| implementation | money column | time | vs httpx+Decimal | peak RSS | vs Decimal | "
        "data's RSS vs Decimal |",
        "|---|---|---|---|---|---|---|",
    ]
    for impl, m in med.items():
        lines.append(
            f"| {impl} | `{m['dtype']}` | {m['seconds']:.3f} s | "
            f"{m['speedup_vs_decimal']:.1f}x | {m['peak_rss_mib']:.0f} MiB | "
            f"{m['rss_vs_decimal']:.2f} | {m['data_rss_vs_decimal']:.2f} |"
        )
    return lines


def markdown(r: dict) -> str:
    live, files = r["sandbox"], r["pages"] or r["sandbox"]
    count = live["count"]
    sdk_live, sdk_files = live["median"]["sdk"], files["median"]["sdk"]
    lines = [
        START,
        f"## Arrow export: {count:,} transactions into a pandas DataFrame",
        "",
        f"From the API to a DataFrame with exact money, pages of 1,000; one login at start-up "
        f"(untimed, checked to be exactly one), then bearer calls. Median of {live['reps']} runs, "
        "each in a fresh process, implementations interleaved (`bench/arrow_export.py`, "
        "`make bench-arrow`). Peak RSS is the "
        "process's (imports included); the data's share is the peak minus the RSS after "
        "imports. The SDK's and the Decimal baseline's sums of the amounts are checked equal "
        "digit for digit.",
        "",
        "**Against the sandbox** (release build): the time it takes to build each page is in "
        "every row.",
        "",
        *table(live["median"]),
        "",
        *(
            [
                "**The same pages served as files** (the raw loop's page server): what is left "
                "is the client's own cost.",
                "",
                *table(files["median"]),
                "",
            ]
            if r["pages"]
            else ["(`--sandbox-only`: the served pages were not measured.)", ""]
        ),
        f"Target: >= 10x faster than httpx+Decimal and <= 1/3 of its peak RSS. Measured: "
        f"{sdk_files['speedup_vs_decimal']:.1f}x on served pages "
        f"({sdk_live['speedup_vs_decimal']:.1f}x against the sandbox, whose page building "
        f"bounds every client); peak RSS {sdk_files['rss_vs_decimal']:.2f} of the baseline's "
        f"for the whole process, {sdk_files['data_rss_vs_decimal']:.2f} of what the data "
        "adds.",
        END,
    ]
    return "\n".join(lines) + "\n"


def measure(python: str, base: str, reps: int, what: str) -> dict[str, list[dict[str, object]]]:
    for impl in IMPLS:  # warm-up (page cache, the server's first allocations)
        run(python, impl, base)
    results: dict[str, list[dict[str, object]]] = {impl: [] for impl in IMPLS}
    for rep in range(reps):
        for impl in IMPLS:
            r = run(python, impl, base)
            results[impl].append(r)
            log(
                f"{what}, rep {rep + 1} {impl}: {float(str(r['seconds'])):.2f} s, "
                f"peak {int(str(r['peak_rss_kib'])) // 1024} MiB"
            )
    rows = {impl: runs[0]["rows"] for impl, runs in results.items()}
    if len(set(rows.values())) != 1:
        raise SystemExit(f"row counts differ: {rows}")
    sdk_sum, dec_sum = results["sdk"][0]["sum"], results["httpx+Decimal"][0]["sum"]
    if Decimal(str(sdk_sum)) != Decimal(str(dec_sum)):
        raise SystemExit(f"sums differ: sdk {sdk_sum} vs Decimal baseline {dec_sum}")
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--out", type=Path, default=BENCH)
    ap.add_argument(
        "--sandbox-bin", type=Path, default=ROOT / "target" / "release" / "ibanera-sandbox"
    )
    ap.add_argument(
        "--raw-bin", type=Path, default=ROOT / "target" / "bench" / "release" / "ibanera-bench-raw"
    )
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument(
        "--sandbox-only",
        action="store_true",
        help="skip the served-pages measurement (the smoke run: no raw loop build)",
    )
    args = ap.parse_args()
    if not args.sandbox_bin.exists():
        profile = "release" if "release" in args.sandbox_bin.parts else "dev"
        log(f"building the sandbox ({profile})")
        cmd = ["cargo", "build", "--profile", profile, "-p", "ibanera-sandbox"]
        subprocess.run(cmd, cwd=ROOT, check=True)
    if not args.sandbox_only and not args.raw_bin.exists():
        log("building the raw loop's page server (release)")
        subprocess.run(
            ["cargo", "build", "--release", "--manifest-path", str(BENCH / "raw" / "Cargo.toml"),
             "--target-dir", str(args.raw_bin.parents[1])],
            cwd=ROOT, check=True,
        )  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_sandbox(args.sandbox_bin)
        try:
            seed(base, args.count)
            log(f"sandbox at {base}, {args.count} transactions seeded on account {ACCOUNT}")
            live = measure(args.python, base, args.reps, "sandbox")
            if not args.sandbox_only:
                write_pages(base, Path(tmp) / "pages")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        files = None
        if not args.sandbox_only:
            server, pages_url = start_page_server(args.raw_bin, Path(tmp) / "pages")
            try:
                log(f"the same pages served as files at {pages_url}")
                files = measure(args.python, pages_url, args.reps, "pages")
            finally:
                server.terminate()
                server.wait(timeout=30)
    r = {
        "sandbox": report(live, args.count, args.reps),
        "pages": report(files, args.count, args.reps) if files else None,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "arrow_results.json").write_text(json.dumps(r, indent=2) + "\n")
    results_md = args.out / "RESULTS.md"
    section = markdown(r)
    text = results_md.read_text() if results_md.exists() else ""
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) + 1 :]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section
    results_md.write_text(text)
    print(section)


if __name__ == "__main__":
    main()
