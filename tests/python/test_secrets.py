"""Secrets (API key, TOTP secret, TOTP codes) never appear in a repr, a str, a log record or an
exception's text: a sandbox with canary credentials, many calls that succeed and fail, and
every piece of text the SDK produced searched for the canaries."""

from __future__ import annotations

import json
import logging
import pickle
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

import ibanera

from conftest import VECTOR_SECRET, RecordingServer

CANARY_KEY = "canary-api-key-7f3a9c1d"
CANARY_SECRET = "CANARYSECRETQQQQZZZZ2345MNBVCXZQ"  # base32, 160 bits
BUY = "/api/v1/customer/crypto-exchanges/buy"


@pytest.fixture(scope="module")
def canary() -> Iterator[ibanera.Sandbox]:
    with ibanera.Sandbox(api_key=CANARY_KEY, totp_secret=CANARY_SECRET) as sb:
        yield sb


def all_text(obj: Any) -> str:
    """repr, str, args, attributes and the cause chain of an exception (or any object)."""
    parts = [repr(obj), str(obj)]
    if isinstance(obj, BaseException):
        parts += [repr(a) for a in obj.args]
        parts += [repr(v) for v in vars(obj).values()]
        parts.append("".join(traceback.format_exception(type(obj), obj, obj.__traceback__)))
        if obj.__cause__ is not None:
            parts.append(all_text(obj.__cause__))
        parts.append(repr(pickle.loads(pickle.dumps(obj)).__dict__))
    return "\n".join(parts)


def codes_around_now() -> set[str]:
    import time

    totp = ibanera.Totp(CANARY_SECRET)
    now = int(time.time())
    return {totp.at(now + d) for d in range(-120, 121, 30)}


def assert_clean(text: str) -> None:
    assert CANARY_KEY not in text
    assert CANARY_SECRET not in text
    assert CANARY_SECRET.lower() not in text
    for code in codes_around_now():
        assert f"otp: {code}" not in text and f"'{code}'" not in text and f'"{code}"' not in text


def test_secrets_stay_out_of_reprs_errors_and_logs(
    canary: ibanera.Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ibanera")
    texts: list[str] = []
    client = canary.client(max_retries=1)
    texts += [repr(client), str(client), repr(client._core), repr(client.accounts)]
    texts += [repr(canary), str(canary), repr(canary._core)]
    texts.append(repr(ibanera.Totp(CANARY_SECRET)))
    # Successful calls.
    texts.append(repr(client.accounts.get(1055)))
    texts.append(repr(client.accounts.balances()))
    # Failing calls of every kind.
    failures: list[BaseException] = []

    def expect_failure(fn: Any) -> None:
        try:
            fn()
        except ibanera.IbaneraError as e:
            failures.append(e)
        else:  # pragma: no cover
            raise AssertionError("expected a failure")

    expect_failure(lambda: client.accounts.get(99999))
    expect_failure(lambda: client.accounts.get(-1))
    wrong_key = canary.client(api_key="other-key")
    expect_failure(lambda: wrong_key.accounts.get(1055))
    canary.inject_fault(BUY, "drop_after_execute")
    buy = dict(customers_id=1004, asset_pair="BTC/USDC", quantity_type="Amount", amount="0.01")
    expect_failure(lambda: client.exchanges.buy(**buy))
    canary.inject_fault(BUY, "malformed_json")
    expect_failure(lambda: client.exchanges.buy(**buy))
    canary.inject_fault(BUY, "delay", ms=800)
    expect_failure(lambda: client.exchanges.buy(**buy, timeout=0.2))
    canary.inject_fault("/api/v1/customer/accounts/account", "status", status=429, retry_after=99)
    expect_failure(lambda: client.accounts.get(1055))
    expect_failure(lambda: canary.client(base_url="http://example.com"))
    expect_failure(lambda: ibanera.Totp("!" + CANARY_SECRET))
    assert {type(e) for e in failures} >= {
        ibanera.NotFoundError,
        ibanera.ValidationError,
        ibanera.AuthenticationError,
        ibanera.TransportError,
        ibanera.DecodeError,
        ibanera.TimeoutError,
        ibanera.RateLimitError,
        ibanera.ConfigurationError,
    }
    texts += [all_text(e) for e in failures]
    assert caplog.records, "the calls were logged"
    texts += [r.getMessage() for r in caplog.records]
    texts += [repr(vars(r)) for r in caplog.records]
    assert_clean("\n".join(texts))


async def test_async_client_keeps_secrets_too(canary: ibanera.Sandbox) -> None:
    client = canary.async_client(api_key=CANARY_KEY)
    assert_clean(repr(client))
    with pytest.raises(ibanera.NotFoundError) as e:
        await client.accounts.get(424242)
    assert_clean(all_text(e.value))


def test_no_attribute_of_a_client_holds_a_secret(canary: ibanera.Sandbox) -> None:
    client = canary.client()
    seen: list[str] = []
    for obj in (client, client.accounts, client.exchanges, client._core):
        for name in dir(obj):
            if name.startswith("__"):
                continue
            try:
                value = getattr(obj, name)
            except Exception:  # pragma: no cover
                continue
            seen.append(repr(value))
    assert_clean("\n".join(seen))


CARD_NUMBER, CVC = "4111111111119876", "731"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_sensitive_card_details_show_their_keys_never_their_values(
    mode: str, request_log: Any
) -> None:
    import asyncio

    server = RecordingServer()
    try:
        server.respond(
            200,
            json.dumps(
                {
                    "id": 0,
                    "details": {"cardNumber": CARD_NUMBER, "cvc": CVC, "expiryYear": 2029},
                    "status": "1",
                    "errors": [],
                }
            ),
        )
        options: dict[str, Any] = dict(
            api_key="k", totp_secret=VECTOR_SECRET, base_url=server.url, max_retries=0
        )
        if mode == "sync":
            details = ibanera.Client(**options).cards.sensitive_details(1749)
        else:

            async def go() -> ibanera.SensitiveCardDetails:
                return await ibanera.AsyncClient(**options).cards.sensitive_details(1749)

            details = asyncio.run(go())
    finally:
        server.close()
    assert isinstance(details, ibanera.SensitiveCardDetails)
    shown = "\n".join(
        [repr(details), str(details), repr([details]), f"{details!r:>10}"]
        + [r.getMessage() + repr(vars(r)) for r in request_log.records]
    )
    assert CARD_NUMBER not in shown and CVC not in shown and "2029" not in shown, shown
    assert repr(details) == "SensitiveCardDetails(keys=['cardNumber', 'cvc', 'expiryYear'])"
    assert details.keys() == ["cardNumber", "cvc", "expiryYear"]
    assert not hasattr(details, "card_number") and not hasattr(details, "to_dict")
    # Only the explicit accessors give the values.
    assert details.expose() == {"cardNumber": CARD_NUMBER, "cvc": CVC, "expiryYear": 2029}
    assert CARD_NUMBER in details.to_json()
