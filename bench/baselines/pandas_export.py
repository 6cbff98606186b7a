"""Baseline of the Arrow export row: what a data user would write without the SDK to get a
month of transactions into a pandas DataFrame. One login at start-up (username, password, TOTP
code; untimed, as in every row of the benchmark), then bearer calls with a fresh TOTP code
each, page by page with httpx; each page's JSON decoded with ``json.loads``
(``parse_float=Decimal`` for exact money, or plain floats for reference) and the rows collected,
then one ``pandas.DataFrame``.

    python bench/baselines/pandas_export.py decimal|float BASE_URL USERNAME PASSWORD SECRET

Prints one JSON line: seconds (first page to DataFrame), rows, peak RSS (KiB), the amount sum.
"""

from __future__ import annotations

import base64
import decimal
import hashlib
import hmac
import json
import resource
import struct
import sys
import time
from decimal import Decimal

import httpx
import pandas

LOGIN = "/api/v1/public/auth/login"
TRANSACTIONS = "/api/v1/customer/accounts/transactions"


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238: HMAC-SHA-1, 6 digits, 30 s steps."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((time.time() if at is None else at) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def main() -> None:
    mode, base_url, username, password, secret = sys.argv[1:6]
    parse_float = Decimal if mode == "decimal" else float
    after_imports = rss_kib()
    with httpx.Client(base_url=base_url, timeout=60) as http:
        login = http.post(
            LOGIN, json={"username": username, "password": password, "otp": totp(secret)}
        )
        login.raise_for_status()
        token = login.json()["details"]["accessToken"]
        start = time.perf_counter()
        rows: list[dict[str, object]] = []
        page = 1
        while True:
            r = http.get(
                TRANSACTIONS,
                params={"PageNumber": page, "PageSize": 1000},
                headers={"Authorization": f"Bearer {token}", "otp": totp(secret)},
            )
            r.raise_for_status()
            body = json.loads(r.content, parse_float=parse_float)
            rows.extend(body["details"])
            if page >= (body.get("numberOfPages") or 1):
                break
            page += 1
    frame = pandas.DataFrame(rows)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if mode == "decimal":
        with decimal.localcontext(prec=80):  # the default 28 digits would round the sum
            total: object = sum(frame["amount"], Decimal(0))
    else:
        total = float(frame["amount"].sum())
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows": len(frame),
                "peak_rss_kib": peak,
                "rss_after_imports_kib": after_imports,
                "sum": str(total),
                "dtype": str(frame["amount"].dtype),
            }
        )
    )


if __name__ == "__main__":
    main()
