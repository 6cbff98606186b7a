"""Failure semantics a payments user can trust: inputs that are not plain values refused before
anything is sent (counted), deadlines that hold, oversized and endless answers that end in a
typed error with bounded memory, timestamps Python cannot hold refused at call time, error
items of a successful answer kept and logged, and proxies that never see a loopback call. Each
test runs through the blocking and the async client."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from unittest.mock import MagicMock

import pytest

import ibanera

from conftest import (
    BTC,
    MANAGER,
    USD,
    Call,
    RecordingServer,
    RequestLog,
    resolve,
    server_async_client,
    server_client,
)

BUY = "/api/v1/customer/crypto-exchanges/buy"
ACCOUNT = "/api/v1/customer/accounts/account"
WITHDRAW = "/api/v1/customer/accounts/crypto/withdraw"
BUY_ARGS: dict[str, Any] = dict(
    customers_id=MANAGER, asset_pair="BTC/USDC", quantity_type="Amount", amount="0.01"
)
#: Deadlines below are 1 s; a call must end within that plus this (a busy 2-core machine).
MARGIN = 2.0


def cyclic_list() -> list[Any]:
    items: list[Any] = [1]
    items.append(items)
    return items


def cyclic_dict() -> dict[str, Any]:
    d: dict[str, Any] = {"a": 1}
    d["self"] = d
    return d


def deeply_nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


# ---------------------------------------------------------------------------------------------
# Inputs: exact or refused, nothing sent


# (operation, arguments, the argument named in the refusal, a word of the rule)
REFUSED: list[tuple[str, dict[str, Any], str, str]] = [
    ("accounts.get", {"id": MagicMock()}, "id", "MagicMock"),
    ("accounts.get", {"id": object()}, "id", "object"),
    ("accounts.get", {"id": True}, "id", "boolean"),
    ("accounts.get", {"id": "1055"}, "id", "string"),
    ("accounts.get", {"id": 1055.0}, "id", "integer"),
    ("accounts.balances", {"page_size": MagicMock()}, "page_size", "MagicMock"),
    ("accounts.balances", {"page_size": "10"}, "page_size", "string"),
    ("exchanges.buy", {**BUY_ARGS, "amount": MagicMock()}, "amount", "MagicMock"),
    ("exchanges.buy", {**BUY_ARGS, "customers_id": MagicMock()}, "customers_id", "MagicMock"),
    ("exchanges.buy", {**BUY_ARGS, "customers_id": False}, "customers_id", "boolean"),
    ("exchanges.buy", {**BUY_ARGS, "customers_id": "1004"}, "customers_id", "string"),
    ("exchanges.buy", {**BUY_ARGS, "quantity_type": MagicMock()}, "quantity_type", "MagicMock"),
    ("exchanges.buy", {**BUY_ARGS, "asset_pair": MagicMock()}, "asset_pair", "MagicMock"),
    ("exchanges.buy", {**BUY_ARGS, "amount": cyclic_list()}, "amount", "list"),
    ("exchanges.buy", {**BUY_ARGS, "amount": {"value": 1}}, "amount", "dict"),
    # 44 significant digits: more than a decimal holds exactly; refused, never rounded.
    (
        "exchanges.buy",
        {**BUY_ARGS, "amount": Decimal("1234567890123456789012.3456789012345678901234")},
        "amount",
        "",
    ),
    (
        "accounts.withdraw_crypto",
        {
            "accounts_id": BTC,
            "amount": "0.10000000000000000000000000001",
            "destination_address": "x",
        },
        "amount",
        "",
    ),
    (
        "accounts.withdraw_crypto",
        {"accounts_id": BTC, "amount": "1", "destination_address": MagicMock()},
        "destination_address",
        "MagicMock",
    ),
]


@pytest.mark.parametrize(
    ("op", "args", "field", "rule"),
    REFUSED,
    ids=[f"{op}-{field}-{i}" for i, (op, _, field, _) in enumerate(REFUSED)],
)
async def test_inputs_that_are_not_plain_values_are_refused_before_sending(
    call: Call,
    sandbox: ibanera.Sandbox,
    request_log: RequestLog,
    op: str,
    args: dict[str, Any],
    field: str,
    rule: str,
) -> None:
    args = dict(args)
    positional = [args.pop("id")] if "id" in args else []
    with pytest.raises(ibanera.ValidationError) as e:
        await call(op, *positional, **args)
    assert e.value.field == field, str(e.value)
    assert rule in (e.value.rule or ""), e.value.rule
    assert "nothing was sent" in str(e.value)
    assert "MagicMock id=" not in str(e.value), "the refused value is not echoed"
    assert request_log.requests() == []
    assert sandbox.executions() == {}


RAW_REFUSED: list[tuple[dict[str, Any], str]] = [
    ({"body": {"amount": MagicMock()}}, "body.amount"),
    ({"body": cyclic_list()}, "body"),
    ({"body": cyclic_dict()}, "body"),
    ({"body": {"items": deeply_nested(100_000)}}, "body"),
    ({"body": MagicMock()}, "body"),
    ({"query": {"Id": MagicMock()}}, "query.Id"),
]


@pytest.mark.parametrize(("kwargs", "field"), RAW_REFUSED, ids=[f for _, f in RAW_REFUSED])
async def test_request_bodies_that_are_not_plain_data_are_refused(
    mode: str,
    client: ibanera.Client,
    aclient: ibanera.AsyncClient,
    sandbox: ibanera.Sandbox,
    request_log: RequestLog,
    kwargs: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(ibanera.ValidationError) as e:
        if mode == "sync":
            client.request("POST", WITHDRAW, **kwargs)
        else:
            await aclient.request("POST", WITHDRAW, **kwargs)
    assert e.value.field == field
    assert request_log.requests() == []
    assert sandbox.executions() == {}


def test_enum_members_are_read_once_and_not_duck_typed(recorder: RecordingServer) -> None:
    import enum

    class Kind(enum.Enum):
        AMOUNT = "Amount"

    class Nested(enum.Enum):
        INNER = Kind.AMOUNT

    client = server_client(recorder)
    recorder.respond(200, "{}")
    with pytest.raises(ibanera.ValidationError) as e:
        client.exchanges.buy(**{**BUY_ARGS, "quantity_type": Nested.INNER})
    assert e.value.field == "quantity_type"
    fake = MagicMock()
    fake.value = "Amount"  # looks like an enum member, is not one
    with pytest.raises(ibanera.ValidationError):
        client.exchanges.buy(**{**BUY_ARGS, "quantity_type": fake})
    assert recorder.requests == []


# ---------------------------------------------------------------------------------------------
# Deadlines


async def test_the_deadline_holds_for_gets_and_posts(call: Call, sandbox: ibanera.Sandbox) -> None:
    sandbox.inject_fault(ACCOUNT, "delay", ms=10_000, count=10)
    started = time.monotonic()
    with pytest.raises(ibanera.TimeoutError) as e:
        # Retries allowed, each attempt limited: the whole call still ends at its deadline.
        await call("accounts.get", USD, timeout=1, attempt_timeout=0.3, max_retries=5)
    assert time.monotonic() - started < 1 + MARGIN
    assert e.value.attempts is not None and e.value.attempts >= 1
    sandbox.inject_fault(BUY, "delay", ms=10_000)
    started = time.monotonic()
    with pytest.raises(ibanera.OutcomeUnknownError) as unknown:
        await call("exchanges.buy", **BUY_ARGS, timeout=1, max_retries=5)
    assert time.monotonic() - started < 1 + MARGIN
    assert isinstance(unknown.value.cause, ibanera.TimeoutError)
    assert sandbox.executions() == {f"POST {BUY}": 1}


async def test_an_endless_body_ends_at_the_deadline_or_the_limit(
    call: Call, sandbox: ibanera.Sandbox
) -> None:
    sandbox.inject_fault(ACCOUNT, "endless_body")
    started = time.monotonic()
    with pytest.raises((ibanera.TimeoutError, ibanera.ResponseLimitError)):
        await call("accounts.get", USD, timeout=1, max_retries=0)
    assert time.monotonic() - started < 1 + MARGIN
    sandbox.inject_fault(BUY, "endless_body")
    started = time.monotonic()
    with pytest.raises(ibanera.OutcomeUnknownError) as e:
        await call("exchanges.buy", **BUY_ARGS, timeout=1, max_retries=0)
    assert time.monotonic() - started < 1 + MARGIN
    assert isinstance(e.value.cause, (ibanera.TimeoutError, ibanera.ResponseLimitError))
    assert sandbox.executions() == {f"POST {BUY}": 1}
    # The client is fine afterwards.
    assert (await call("accounts.get", USD)).id == USD


# ---------------------------------------------------------------------------------------------
# Huge answers: a typed error, bounded memory

_MEMORY_PROBE = """
import asyncio, json, resource, sys
import ibanera

limit, kind, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
fault = {"oversize": {"kind": "oversizeBody", "bytes": 200 * 1024 * 1024},
         "endless": {"kind": "endlessBody"}}[kind]
buy = dict(customers_id=1004, asset_pair="BTC/USDC", quantity_type="Amount", amount="0.01")
sandbox = ibanera.Sandbox()
out = {}

async def run(client, op, **kwargs):
    area, method = op.split(".")
    result = getattr(getattr(client, area), method)(**kwargs)
    return await result if mode == "async" else result

async def main():
    client = (sandbox.client if mode == "sync" else sandbox.async_client)(
        max_retries=0, max_response_bytes=limit, timeout=120)
    await run(client, "accounts.get", id=1055)  # warm up: runtimes, pools, the login
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for op, kwargs in (("accounts.get", {"id": 1055}), ("exchanges.buy", buy)):
        sandbox.inject_fault(op if "." not in op else {
            "accounts.get": "/api/v1/customer/accounts/account",
            "exchanges.buy": "/api/v1/customer/crypto-exchanges/buy"}[op], fault)
        try:
            await run(client, op, **kwargs)
            out[op] = "no error"
        except ibanera.IbaneraError as e:
            cause = getattr(e, "cause", None)
            out[op] = [type(e).__name__, type(cause).__name__ if cause else None]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out["growth_kib"] = peak - base
    out["executions"] = sandbox.executions()
    out["after"] = (await run(client, "accounts.get", id=1055)).id

asyncio.run(main())
print(json.dumps(out))
"""


@pytest.mark.parametrize("kind", ["oversize", "endless"])
def test_huge_answers_end_in_a_typed_error_with_bounded_memory(mode: str, kind: str) -> None:
    # In a fresh process: its peak RSS then measures this alone (the suite's own peak, from
    # other tests, would hide growth here).
    limit = 16 * 1024 * 1024
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(limit), kind, mode],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["accounts.get"] == ["ResponseLimitError", None]
    assert out["exchanges.buy"] == ["OutcomeUnknownError", "ResponseLimitError"]
    assert out["executions"] == {f"POST {BUY}": 1}
    assert out["after"] == USD
    # ru_maxrss is in KiB on Linux: well under 3x the limit (at most 2x).
    assert out["growth_kib"] < 2 * limit // 1024, out


# ---------------------------------------------------------------------------------------------
# Answers the SDK reads strictly, or keeps more of


TRANSACTIONS = (
    '{"status":"1","errors":%s,"pageNumber":1,"pageSize":10,"numberOfPages":1,"details":[{"id":1,'
    '"accountsId":1,"amount":1.50,"description":"x","dateTime":"%s","bPending":false}]}'
)


@pytest.mark.parametrize(
    "timestamp",
    ["0000-06-01T00:00:00Z", "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"],
)
async def test_a_timestamp_python_cannot_hold_is_a_decode_error_of_the_call(
    recorder: RecordingServer, mode: str, timestamp: str
) -> None:
    recorder.respond(200, TRANSACTIONS % ("[]", timestamp))
    with pytest.raises(ibanera.DecodeError) as e:
        if mode == "sync":
            server_client(recorder).accounts.transactions(accounts_id=1)
        else:
            await server_async_client(recorder).accounts.transactions(accounts_id=1)
    assert e.value.http_status == 200
    assert len(recorder.requests) == 1
    # Years 1 and 9999 themselves are fine.
    recorder.respond(200, TRANSACTIONS % ("[]", "9999-12-31T23:59:59Z"))
    page = server_client(recorder).accounts.transactions(accounts_id=1)
    assert page.items[0].date_time.year == 9999


WARNING_ITEM = '[{"errorType":"Warning","fieldName":"PageSize","messageCode":"Page_Size_Capped"}]'


async def test_error_items_of_a_successful_answer_are_kept_and_logged(
    recorder: RecordingServer, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="ibanera")
    recorder.respond(200, TRANSACTIONS % (WARNING_ITEM, "2024-01-01T00:00:00Z"))
    item = ibanera.ApiErrorItem("Warning", "PageSize", "Page_Size_Capped")
    if mode == "sync":
        client = server_client(recorder)
        page: Any = client.accounts.transactions(accounts_id=1)
        reply = client.request("GET", "/api/v1/customer/accounts/transactions")
    else:
        aclient = server_async_client(recorder)
        page = await aclient.accounts.transactions(accounts_id=1)
        reply = await aclient.request("GET", "/api/v1/customer/accounts/transactions")
    assert page.warnings == [item]
    assert str(page.items[0].amount) == "1.50"
    assert reply["warnings"] == [item]
    assert str(reply["details"][0]["amount"]) == "1.50"
    logged = [r for r in caplog.records if "Page_Size_Capped" in r.getMessage()]
    assert len(logged) == 2 and all(r.levelno == logging.WARNING for r in logged)
    # Without items: an empty list.
    recorder.respond(200, TRANSACTIONS % ("[]", "2024-01-01T00:00:00Z"))
    assert server_client(recorder).accounts.transactions(accounts_id=1).warnings == []


# ---------------------------------------------------------------------------------------------
# Proxies


class CountingProxy:
    """Accepts connections, counts them, and answers nothing (a proxy that would break any
    call sent through it)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections = 0
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.listener.close()


@pytest.fixture
def counting_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingProxy]:
    proxy = CountingProxy()
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    yield proxy
    proxy.close()


async def test_a_loopback_call_never_goes_through_the_environment_proxy(
    sandbox: ibanera.Sandbox, mode: str, counting_proxy: CountingProxy
) -> None:
    # Built after the variables are set: the proxy settings are read when a client is built.
    client: Any = sandbox.client() if mode == "sync" else sandbox.async_client()
    for _ in range(3):
        account = resolve(client, "accounts.get")(USD)
        assert (await account if mode == "async" else account).id == USD
    assert counting_proxy.connections == 0


def test_an_explicit_proxy_with_a_loopback_base_url_is_refused(sandbox: ibanera.Sandbox) -> None:
    for make in (sandbox.client, sandbox.async_client):
        with pytest.raises(ibanera.ConfigurationError, match="loopback") as e:
            make(proxy="http://user:proxy-secret@proxy.example:3128")
        assert "proxy-secret" not in str(e.value)
    with pytest.raises(ibanera.ConfigurationError):
        ibanera.Client(
            username="u",
            password="p",
            totp_secret="JBSWY3DPEHPK3PXP",
            base_url="https://api.example",
            proxy="not a url",
        )
    client = ibanera.Client(
        username="u",
        password="p",
        totp_secret="JBSWY3DPEHPK3PXP",
        base_url="https://api.example",
        proxy="http://proxy.example:3128",
        attempt_timeout=5,
        max_response_bytes=1024,
    )
    assert (client.attempt_timeout, client.max_response_bytes) == (5.0, 1024)
    assert "proxy.example" not in repr(client)


def test_the_settings_read_back_are_the_core_client_s(sandbox: ibanera.Sandbox) -> None:
    """The getters read the core client (its defaults included), not a copy in the binding."""
    default = sandbox.client()
    assert (default.attempt_timeout, default.max_response_bytes) == (None, 64 * 1024 * 1024)
    assert (default.timeout, default.max_retries) == (60.0, 2)
    tuned = sandbox.async_client(attempt_timeout=0.25, max_response_bytes=1, timeout=7.5)
    assert (tuned.attempt_timeout, tuned.max_response_bytes, tuned.timeout) == (0.25, 1, 7.5)
    # The limit read back is the limit applied: a 1-byte limit refuses every answer.
    tiny = sandbox.client(max_response_bytes=1, max_retries=0)
    with pytest.raises(ibanera.ResponseLimitError):
        tiny.accounts.get(USD)
