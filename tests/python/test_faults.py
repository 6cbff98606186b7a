"""Injected faults surface as the right exception class, and the sandbox's execution counters
prove that no POST ran twice: a POST whose bytes may have reached the server is never re-sent
and raises `OutcomeUnknownError` (with the error it would have been for a GET as its cause),
while a GET is retried. Every other error proves nothing was executed."""

from __future__ import annotations

from typing import Any, Optional

import pytest

import ibanera

from conftest import BTC, MANAGER, USD, Call

BUY = "/api/v1/customer/crypto-exchanges/buy"
WITHDRAW = "/api/v1/customer/accounts/crypto/withdraw"
CREATE = "/api/v2/customer/accounts/create"
ACCOUNT = "/api/v1/customer/accounts/account"

#: The response limit of these calls: the oversize and endless bodies stop there.
LIMIT = 1 << 20

# The fault (the control endpoint's JSON form), the expected class, the class of its cause
# (outcome unknown only), whether the sandbox executes the request.
FAULTS: list[tuple[dict[str, Any], type[ibanera.IbaneraError], Optional[type], bool]] = [
    ({"kind": "dropAfterExecute"}, ibanera.OutcomeUnknownError, ibanera.TransportError, True),
    # Closed before executing, but the client cannot know that the server did not run it.
    ({"kind": "dropBeforeExecute"}, ibanera.OutcomeUnknownError, ibanera.TransportError, False),
    ({"kind": "truncate"}, ibanera.OutcomeUnknownError, ibanera.IbaneraError, True),
    ({"kind": "malformedJson"}, ibanera.OutcomeUnknownError, ibanera.DecodeError, True),
    ({"kind": "delay", "ms": 6000}, ibanera.OutcomeUnknownError, ibanera.TimeoutError, True),
    ({"kind": "html", "status": 502}, ibanera.OutcomeUnknownError, ibanera.DecodeError, False),
    (
        {"kind": "html", "status": 504, "execute": True},
        ibanera.OutcomeUnknownError,
        ibanera.DecodeError,
        True,
    ),
    (
        {"kind": "oversizeBody", "bytes": 200 * 1024 * 1024},
        ibanera.OutcomeUnknownError,
        ibanera.ResponseLimitError,
        True,
    ),
    ({"kind": "endlessBody"}, ibanera.OutcomeUnknownError, ibanera.ResponseLimitError, True),
    (
        {"kind": "deepJson", "depth": 5000},
        ibanera.OutcomeUnknownError,
        ibanera.ResponseLimitError,
        True,
    ),
    # The API's own refusals (error items): proof that nothing ran.
    ({"kind": "status", "status": 503}, ibanera.ApiError, None, False),
    ({"kind": "status", "status": 429, "retryAfter": "0"}, ibanera.RateLimitError, None, False),
    ({"kind": "statusZero"}, ibanera.ApiError, None, False),
]


def fault_id(fault: dict[str, Any]) -> str:
    return "-".join(str(v) for k, v in fault.items() if k in ("kind", "status", "execute"))


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
    ("fault", "expected", "cause", "executes"),
    FAULTS,
    ids=[fault_id(f) for f, _, _, _ in FAULTS],
)
@pytest.mark.parametrize(("op", "path", "args"), POSTS, ids=[p[0] for p in POSTS])
async def test_post_faults_never_execute_twice(
    call: Call,
    sandbox: ibanera.Sandbox,
    op: str,
    path: str,
    args: dict[str, Any],
    fault: dict[str, Any],
    expected: type[ibanera.IbaneraError],
    cause: Optional[type],
    executes: bool,
) -> None:
    # Plenty of retries allowed: none may be used for a POST that may have arrived.
    sandbox.inject_fault(path, fault, count=5)
    with pytest.raises(expected) as e:
        await call(op, **args, timeout=3, max_retries=5, max_response_bytes=LIMIT)
    key = f"POST {path}"
    assert sandbox.executions().get(key, 0) == (1 if executes else 0)
    err = e.value
    if cause is None:
        assert not isinstance(err, ibanera.OutcomeUnknownError)
    else:
        assert type(err) is ibanera.OutcomeUnknownError
        assert err.code == "outcome_unknown"
        assert isinstance(err.cause, cause), repr(err.cause)
        assert err.__cause__ is err.cause
        assert err.endpoint == key
        assert "may have executed" in str(err)
        assert isinstance(err.sent, dict) and err.sent, "the body sent, as data"
        # Every other error proves nothing ran; the SDK never came back for another try.
    sandbox.clear_faults()
    await call(op, **args)
    assert sandbox.executions()[key] == (2 if executes else 1)


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("status", {"status": 503}),
        ("status", {"status": 429, "retry_after": "0"}),
        ("drop_before_execute", {}),
        ("html", {"status": 504}),
        ("delay", {"ms": 3000}),
        ("drop_after_execute", {}),
    ],
)
async def test_gets_are_retried(
    call: Call, sandbox: ibanera.Sandbox, kind: str, extra: dict[str, Any]
) -> None:
    sandbox.inject_fault(ACCOUNT, kind, count=1, **extra)
    # One attempt may take 0.5 s; the call as a whole has its (default) 60 s.
    account = await call("accounts.get", USD, max_retries=2, attempt_timeout=0.5)
    assert account.id == USD


async def test_a_refused_connection_is_retried_even_for_a_post(call: Call) -> None:
    # Nothing listens on this port: the request provably never left.
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    client = ibanera.Client(
        access_token="t", totp_secret="JBSWY3DPEHPK3PXP", base_url=f"http://127.0.0.1:{port}"
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
