"""One measurement in a fresh process; prints one JSON object. Started by bench/run.py.

    py_child.py seq     --impl ibanera|httpx|requests   --count N [--warmup W]
    py_child.py async   --impl ibanera|httpx|aiohttp    --count N --concurrency C [--warmup W]
    py_child.py decode  --impl ibanera|dataclasses      --accounts-id A --page-size N --count K
    py_child.py memory  --impl ibanera|dicts            --accounts-id A --pages P --page-size N
    py_child.py session --impl ibanera|ibanera-renewing --count N [--warmup W]
                        --auth-stats URL --logins K

plus --base-url, --username, --password, --totp-secret. Every implementation is driven by the
same loop, after the same untimed start: one login (`client.login()`), then warm-up calls
(which open the connections). `seq`, `async` and `session` call get-account for account 1055
and check the result (id and an exact Decimal balance).

`session` is `seq` for the SDK with the logins counted: the server's login count (`GET
--auth-stats`) before and after the timed calls gives the renewals among them (the runner
gives `ibanera-renewing` a sandbox whose tokens last a second), then K explicit logins are
timed one by one: what one renewal costs the call that makes it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import json
import operator
import os
import sys
import time
import urllib.request
from datetime import datetime
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path[:0] = [os.path.join(BENCH, "baselines"), os.path.join(BENCH, "sdk")]

IMPLS = {
    "seq": {
        "ibanera": ("ibanera_sdk", "Client"),
        "httpx": ("httpx_sync", "Client"),
        "requests": ("requests_sync", "Client"),
    },
    "async": {
        "ibanera": ("ibanera_sdk", "AsyncClient"),
        "httpx": ("httpx_async", "AsyncClient"),
        "aiohttp": ("aiohttp_async", "AsyncClient"),
    },
    # Decode: the page fetched and decoded, then every field of every item read once (so a
    # lazy model pays for the Python objects it defers, like the eager baseline); the SDK also
    # with only the amounts read (summed) and with nothing read.
    "decode": {
        "ibanera": ("ibanera_sdk", "Client"),
        "ibanera-amounts": ("ibanera_sdk", "Client"),
        "ibanera-lazy": ("ibanera_sdk", "Client"),
        "dataclasses": ("decode_dataclasses", "Client"),
    },
    "memory": {
        "ibanera": ("ibanera_sdk", "Client"),
        "dicts": ("decode_dataclasses", "Client"),
    },
    # The same client both times: the server decides how long its tokens last.
    "session": {
        "ibanera": ("ibanera_sdk", "Client"),
        "ibanera-renewing": ("ibanera_sdk", "Client"),
    },
}

ACCOUNT_ID = 1055
ACCOUNT_BALANCE = Decimal("100000")


def proc_status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def make(args):
    """The client, not logged in yet."""
    module, cls = IMPLS[args.scenario][args.impl]
    factory = getattr(importlib.import_module(module), cls)
    return factory(
        username=args.username,
        password=args.password,
        totp_secret=args.totp_secret,
        base_url=args.base_url,
    )


def logins_succeeded(url: str) -> int:
    """The server's count of logins it answered with a token."""
    with urllib.request.urlopen(url + "/_sandbox/auth", timeout=60) as r:
        return int(json.load(r)["details"]["loginsSucceeded"])


def check_account(account) -> None:
    if account.id != ACCOUNT_ID or account.total_balance != ACCOUNT_BALANCE:
        raise SystemExit(f"unexpected account: {account!r}")
    if not isinstance(account.total_balance, Decimal):
        raise SystemExit(f"money is {type(account.total_balance).__name__}, not Decimal")


def amount_of(item) -> Decimal:
    return item["amount"] if isinstance(item, dict) else item.amount


def check_transaction(item) -> None:
    if isinstance(item, dict):
        ok = isinstance(item["amount"], Decimal) and isinstance(item["dateTime"], str)
    else:
        ok = (
            isinstance(item.amount, Decimal)
            and isinstance(item.date_time, datetime)
            and item.date_time.tzinfo is not None
            and isinstance(item.pending, bool)
        )
    if not ok:
        raise SystemExit(f"unexpected transaction: {item!r}")


def timed_calls(client, count: int) -> dict:
    """`count` sequential get-account calls, each timed."""
    get = client.get_account
    latencies = []
    clock = time.perf_counter_ns
    started = clock()
    for _ in range(count):
        t = clock()
        account = get(ACCOUNT_ID)
        latencies.append(clock() - t)
    elapsed = (clock() - started) / 1e9
    check_account(account)
    latencies.sort()
    return {
        "requests": count,
        "seconds": elapsed,
        "ops_per_s": count / elapsed,
        "mean_us": elapsed * 1e6 / count,
        "p50_us": latencies[len(latencies) // 2] / 1e3,
        "p99_us": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] / 1e3,
    }


def run_seq(args) -> dict:
    client = make(args)
    client.login()
    for _ in range(args.warmup):
        client.get_account(ACCOUNT_ID)
    result = timed_calls(client, args.count)
    client.close()
    return result


def run_session(args) -> dict:
    client = make(args)
    client.login()
    for _ in range(args.warmup):
        client.get_account(ACCOUNT_ID)
    before = logins_succeeded(args.auth_stats)
    result = timed_calls(client, args.count)
    result["logins_timed"] = logins_succeeded(args.auth_stats) - before
    if result["logins_timed"]:
        result["calls_per_login"] = args.count / result["logins_timed"]
    times = []
    for _ in range(args.logins):
        t = time.perf_counter_ns()
        client.login()
        times.append(time.perf_counter_ns() - t)
    times.sort()
    result["login_us"] = times[len(times) // 2] / 1e3
    # A renewal costs a call one login: spread over the calls each token served.
    result["renewal_us_per_call"] = result["login_us"] * result["logins_timed"] / args.count
    client.close()
    return result


async def in_flight(get, count: int, concurrency: int):
    """`count` calls, `concurrency` at a time: that many workers pulling from one counter.
    Returns the last result."""
    todo = iter(range(count))
    last = [None]

    async def worker():
        for _ in todo:
            last[0] = await get(ACCOUNT_ID)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return last[0]


async def run_async_main(args) -> dict:
    client = make(args)
    await client.login()
    get = client.get_account
    await in_flight(get, args.warmup, args.concurrency)
    started = time.perf_counter()
    last = await in_flight(get, args.count, args.concurrency)
    elapsed = time.perf_counter() - started
    check_account(last)
    await client.close()
    return {
        "requests": args.count,
        "concurrency": args.concurrency,
        "seconds": elapsed,
        "ops_per_s": args.count / elapsed,
        "mean_us": elapsed * 1e6 / args.count,
    }


TRANSACTION_FIELDS = (
    "id", "accounts_id", "from_transactions_id", "from_accounts_id", "to_transactions_id",
    "to_accounts_id", "amount", "description", "date_time", "pending", "cancellable",
)  # fmt: skip


def run_decode(args) -> dict:
    client = make(args)
    client.login()
    fetch = client.transactions
    read = args.impl.partition("-")[2] or "all"  # ibanera-amounts -> amounts
    every_field = operator.attrgetter(*TRANSACTION_FIELDS)
    times = []
    for i in range(args.warmup + args.count):
        started = time.perf_counter()
        items = fetch(accounts_id=args.accounts_id, page_number=1, page_size=args.page_size)
        if read == "all":
            for t in items:
                every_field(t)
        elif read == "amounts":
            sum(t.amount for t in items)
        elapsed = time.perf_counter() - started
        if i >= args.warmup:
            times.append(elapsed)
        if len(items) != args.page_size:
            raise SystemExit(f"{len(items)} items, expected {args.page_size}")
        check_transaction(items[0])
        total = sum(amount_of(t) for t in items)
        del items
    client.close()
    times.sort()
    return {
        "items": args.page_size,
        "read": read,
        "amount_sum": str(total),
        "seconds": times[len(times) // 2],
        "ms": times[len(times) // 2] * 1e3,
        "runs": len(times),
    }


def run_memory(args) -> dict:
    client = make(args)
    client.login()
    fetch = client.transactions_held
    # Warm-up (connection, runtime, imports), its page dropped before the baseline RSS.
    fetch(accounts_id=args.accounts_id, page_number=1, page_size=args.page_size)
    gc.collect()
    rss_before = proc_status_kb("VmRSS")
    held = []
    started = time.perf_counter()
    for page in range(1, args.pages + 1):
        held.extend(fetch(accounts_id=args.accounts_id, page_number=page, page_size=args.page_size))
    elapsed = time.perf_counter() - started
    gc.collect()
    expected = args.pages * args.page_size
    if len(held) != expected:
        raise SystemExit(f"held {len(held)} transactions, expected {expected}")
    check_transaction(held[0])
    total = sum(amount_of(t) for t in held)
    result = {
        "items": len(held),
        "amount_sum": str(total),
        "seconds": elapsed,
        "rss_before_kb": rss_before,
        "rss_after_kb": proc_status_kb("VmRSS"),
        "held_kb": proc_status_kb("VmRSS") - rss_before,
    }
    client.close()
    return result


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("scenario", choices=sorted(IMPLS))
    p.add_argument("--impl", required=True)
    p.add_argument("--base-url", required=True)
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--totp-secret", required=True)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--accounts-id", type=int, default=1060)
    p.add_argument("--page-size", type=int, default=10_000)
    p.add_argument("--pages", type=int, default=100)
    p.add_argument("--auth-stats", help="the server whose GET /_sandbox/auth counts logins")
    p.add_argument("--logins", type=int, default=20, help="explicit logins timed (session)")
    args = p.parse_args()
    if args.impl not in IMPLS[args.scenario]:
        p.error(f"--impl for {args.scenario}: one of {', '.join(IMPLS[args.scenario])}")
    if args.scenario == "session" and not args.auth_stats:
        p.error("session needs --auth-stats")
    if args.scenario == "seq":
        result = run_seq(args)
    elif args.scenario == "session":
        result = run_session(args)
    elif args.scenario == "async":
        result = asyncio.run(run_async_main(args))
    elif args.scenario == "decode":
        result = run_decode(args)
    else:
        result = run_memory(args)
    result.update(
        scenario=args.scenario,
        impl=args.impl,
        peak_rss_kb=proc_status_kb("VmHWM"),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
