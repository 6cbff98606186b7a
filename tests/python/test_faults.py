"""Injected faults surface as the right exception class, and the sandbox's execution counters
prove that no POST ran twice: a POST whose bytes may have reached the server is never re-sent,
while a GET is retried."""

from __future__ import annotations

from typing import Any

import pytest

import ibanera

from conftest import BTC, MANAGER, USD, Call

BUY = "/api/v1/customer/crypto-exchanges/buy"
WITHDRAW = "/api/v1/customer/accounts/crypto/withdraw"
CREATE = "/api/v2/customer/accounts/create"
ACCOUNT = "/api/v1/customer/accounts/account"

# kind, extra fault arguments, expected class, whether the sandbox executes the request.
FAULTS: list[tuple[str, dict[str, Any], type[ibanera.IbaneraError], bool]] = [
    ("drop_after_execute", {}, ibanera.TransportError, True),
    ("drop_before_execute", {}, ibanera.TransportError, False),
    ("truncate", {}, ibanera.TransportError, True),
    ("malformed_json", {}, ibanera.DecodeError, True),
    ("delay", {"ms": 1500}, ibanera.TimeoutError, True),
    ("status", {"status": 503}, ibanera.ApiError, False),
    ("status", {"status": 429, "retry_after": "0"}, ibanera.RateLimitError, False),
    ("html", {"status": 502}, ibanera.DecodeError, False),
    ("status_zero", {}, ibanera.ApiError, False),
]

POSTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "exchanges.buy",
        BUY,
        {
            "customers_id": MANAGER,
            "asset_pair": "BTC/USDC",
            "quantity_type": "Amount",
            "amount": "0.01",
        },
    ),
    (
        "accounts.withdraw_crypto",
        WITHDRAW,
        {"accounts_id": BTC, "amount": "0.01", "destination_address": "bc1qdestination000000"},
    ),
    ("accounts.create", CREATE, {"customers_id": MANAGER, "name": "Fault test", "asset": "ETH"}),
]


@pytest.mark.parametrize(
    ("kind", "extra", "expected", "executes"),
    FAULTS,
    ids=[f"{k}-{e.get('status', '')}" for k, e, _, _ in FAULTS],
)
@pytest.mark.parametrize(("op", "path", "args"), POSTS, ids=[p[0] for p in POSTS])
async def test_post_faults_never_execute_twice(
    call: Call,
    sandbox: ibanera.Sandbox,
    op: str,
    path: str,
    args: dict[str, Any],
    kind: str,
    extra: dict[str, Any],
    expected: type[ibanera.IbaneraError],
    executes: bool,
) -> None:
    # Plenty of retries allowed: none may be used for a POST that may have arrived.
    sandbox.inject_fault(path, kind, count=5, **extra)
    with pytest.raises(expected):
        await call(op, **args, timeout=0.5, max_retries=5)
    key = f"POST {path}"
    assert sandbox.executions().get(key, 0) == (1 if executes else 0)
    if not executes:
        return
    # The fault is still armed for 4 more requests: the SDK did not come back.
    sandbox.clear_faults()
    await call(op, **args)
    assert sandbox.executions()[key] == 2


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("status", {"status": 503}),
        ("status", {"status": 429, "retry_after": "0"}),
        ("drop_before_execute", {}),
        ("html", {"status": 504}),
        ("delay", {"ms": 1500}),
    ],
)
async def test_gets_are_retried(
    call: Call, sandbox: ibanera.Sandbox, kind: str, extra: dict[str, Any]
) -> None:
    sandbox.inject_fault(ACCOUNT, kind, count=1, **extra)
    account = await call("accounts.get", USD, max_retries=2, timeout=0.5)
    assert account.id == USD


async def test_a_refused_connection_is_retried_even_for_a_post(call: Call) -> None:
    # Nothing listens on this port: the request provably never left.
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    client = ibanera.Client(
        api_key="k", totp_secret="JBSWY3DPEHPK3PXP", base_url=f"http://127.0.0.1:{port}"
    )
    with pytest.raises(ibanera.TransportError) as e:
        client.exchanges.buy(
            customers_id=MANAGER,
            asset_pair="BTC/USDC",
            quantity_type="Amount",
            amount="1",
            max_retries=1,
        )
    assert e.value.attempts == 2
