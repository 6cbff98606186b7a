"""The SDK side of the Arrow export row: one login (untimed), then every page of transactions
into a pandas DataFrame with exact money, ``to_pandas(all_pages=True)`` (columns built by the
Rust core, pages fetched ahead).

    python bench/harness/arrow_sdk.py BASE_URL USERNAME PASSWORD SECRET

Prints one JSON line like bench/baselines/pandas_export.py.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import pandas  # noqa: F401 (imported up front, as in the baseline)

import ibanera


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def main() -> None:
    base_url, username, password, secret = sys.argv[1:5]
    after_imports = rss_kib()
    client = ibanera.Client(
        username=username, password=password, totp_secret=secret, base_url=base_url
    )
    # One login at start-up, untimed, as every implementation of the benchmark makes it.
    client.login()
    start = time.perf_counter()
    frame = client.accounts.transactions(page_size=1000).to_pandas(all_pages=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows": len(frame),
                "peak_rss_kib": peak,
                "rss_after_imports_kib": after_imports,
                "sum": str(frame["amount"].sum()),
                "dtype": str(frame["amount"].dtype),
            }
        )
    )


if __name__ == "__main__":
    main()
