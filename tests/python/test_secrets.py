"""Secrets (the password, the access token, the TOTP secret and codes) never appear in a repr, a
str, a log record or an exception's text: canary credentials, calls that succeed and fail in
every way (through the sandbox, and through a server that echoes what it received back into
its answers), sync and async, and every piece of text the SDK produced searched for them."""

from __future__ import annotations

import http.server
import json
import logging
import pickle
import threading
import time
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

import ibanera

from conftest import RecordingServer, resolve, server_async_client, server_client

CANARY_PASSWORD = "canary-password-7f3a9c1d"
CANARY_TOKEN = "canary-token-2b8e6d40aa"
CANARY_SECRET = "CANARYSECRETQQQQZZZZ2345MNBVCXZQ"  # base32, 160 bits
BUY = "/api/v1/customer/crypto-exchanges/buy"
ACCOUNT = "/api/v1/customer/accounts/account"
BUY_ARGS = dict(customers_id=1004, asset_pair="BTC/USDC", quantity_type="Amount", amount="0.01")


@pytest.fixture(scope="module")
def canary() -> Iterator[ibanera.Sandbox]:
    with ibanera.Sandbox(password=CANARY_PASSWORD, totp_secret=CANARY_SECRET) as sb:
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
    totp = ibanera.Totp(CANARY_SECRET)
    now = int(time.time())
    return {totp.at(now + d) for d in range(-120, 121, 30)}


def assert_clean(text: str) -> None:
    assert CANARY_PASSWORD not in text
    assert CANARY_TOKEN not in text
    assert CANARY_SECRET not in text
    assert CANARY_SECRET.lower() not in text
    for code in codes_around_now():
        assert f"otp: {code}" not in text and f"'{code}'" not in text and f'"{code}"' not in text


def log_text(records: list[logging.LogRecord]) -> str:
    assert records, "the calls were logged"
    return "\n".join([r.getMessage() for r in records] + [repr(vars(r)) for r in records])


async def expect_failure(failures: list[BaseException], coro_or_fn: Any) -> None:
    try:
        result = coro_or_fn()
        if hasattr(result, "__await__"):
            await result
    except ibanera.IbaneraError as e:
        failures.append(e)
    else:  # pragma: no cover
        raise AssertionError("expected a failure")


async def test_secrets_stay_out_of_reprs_errors_and_logs(
    canary: ibanera.Sandbox, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ibanera")
    canary.reset()
    make = canary.client if mode == "sync" else canary.async_client
    client: Any = make(max_retries=1)

    async def run(c: Any, op: str, *args: Any, **kwargs: Any) -> Any:
        result = resolve(c, op)(*args, **kwargs)
        return await result if mode == "async" else result

    async def login(c: Any) -> Any:
        return await c.login() if mode == "async" else c.login()

    texts: list[str] = [repr(client), str(client), repr(client._core), repr(client.accounts)]
    texts += [repr(canary), str(canary), repr(canary._core), repr(ibanera.Totp(CANARY_SECRET))]
    # Successful calls, a login and the session.
    texts.append(repr(await run(client, "accounts.get", 1055)))
    texts.append(repr(await run(client, "accounts.balances")))
    session = await login(client)
    texts += [repr(session), repr(session.to_dict()), repr(client.session)]
    # Failing calls of every kind.
    failures: list[BaseException] = []
    fail = expect_failure
    await fail(failures, lambda: run(client, "accounts.get", 99999))
    await fail(failures, lambda: run(client, "accounts.get", -1))
    wrong = make(password=CANARY_PASSWORD + "-wrong")
    await fail(failures, lambda: run(wrong, "accounts.get", 1055))
    await fail(failures, lambda: run(wrong, "accounts.get", 1055))  # refused without sending
    await fail(failures, lambda: login(wrong))
    token = make(access_token=CANARY_TOKEN)
    await fail(failures, lambda: run(token, "accounts.get", 1055))
    await fail(failures, lambda: login(token))
    canary.inject_fault(BUY, "drop_after_execute")
    await fail(failures, lambda: run(client, "exchanges.buy", **BUY_ARGS))
    canary.inject_fault(BUY, "malformed_json")
    await fail(failures, lambda: run(client, "exchanges.buy", **BUY_ARGS))
    canary.inject_fault(BUY, "delay", ms=3000)
    await fail(failures, lambda: run(client, "exchanges.buy", **BUY_ARGS, timeout=0.5))
    canary.inject_fault(ACCOUNT, "status", status=429, retry_after=99)
    await fail(failures, lambda: run(client, "accounts.get", 1055))
    canary.inject_fault(ACCOUNT, "oversize_body", bytes=10_000)
    await fail(failures, lambda: run(client, "accounts.get", 1055, max_response_bytes=1000))
    await fail(failures, lambda: make(base_url="http://example.com"))
    both = dict(username="u", password=CANARY_PASSWORD, access_token=CANARY_TOKEN)
    await fail(failures, lambda: make(**both))
    await fail(failures, lambda: ibanera.Totp("!" + CANARY_SECRET))
    assert {type(e) for e in failures} >= {
        ibanera.NotFoundError,
        ibanera.ValidationError,
        ibanera.AuthenticationError,
        ibanera.OutcomeUnknownError,
        ibanera.RateLimitError,
        ibanera.ResponseLimitError,
        ibanera.ConfigurationError,
    }
    texts += [all_text(e) for e in failures]
    texts.append(log_text(caplog.records))
    assert_clean("\n".join(texts))


class EchoServer:
    """A server whose error pages repeat what the request carried: a login is answered with
    the canary token, or (`refuse_login`) with a page repeating the login's body; every call
    with a page repeating its Authorization and otp headers."""

    def __init__(self) -> None:
        self.login_body = ""
        self.refuse_login = False
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                if self.path.startswith("/api/v1/public/auth/login") and owner.refuse_login:
                    owner.login_body = body
                    status, text = 502, f"<html>bad gateway; you sent {body}</html>"
                elif self.path.startswith("/api/v1/public/auth/login"):
                    owner.login_body = body
                    status, text = (
                        200,
                        json.dumps(
                            {
                                "id": 1,
                                "details": {"accessToken": CANARY_TOKEN, "expiresIn": 3600},
                                "status": "1",
                                "errors": [],
                            }
                        ),
                    )
                else:
                    status = 502
                    text = (
                        f"<html>bad gateway; you sent {self.headers.get('Authorization')} "
                        f"otp {self.headers.get('otp')}</html>"
                    )
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = _handle
            do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoServer]:
    server = EchoServer()
    yield server
    server.close()


async def test_secrets_echoed_by_a_server_are_scrubbed(
    echo: EchoServer, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ibanera")
    options: dict[str, Any] = dict(
        username="echo-user",
        password=CANARY_PASSWORD,
        totp_secret=CANARY_SECRET,
        base_url=echo.url,
        max_retries=0,
    )
    make = ibanera.Client if mode == "sync" else ibanera.AsyncClient
    failures: list[BaseException] = []

    async def run(client: Any, op: str, *args: Any, **kwargs: Any) -> Any:
        result = resolve(client, op)(*args, **kwargs)
        return await result if mode == "async" else result

    echo.refuse_login = False
    client: Any = make(**options)
    await expect_failure(failures, lambda: run(client, "accounts.get", 1055))
    await expect_failure(failures, lambda: run(client, "exchanges.buy", **BUY_ARGS))
    echo.refuse_login = True
    await expect_failure(failures, lambda: run(make(**options), "accounts.get", 1055))
    assert CANARY_PASSWORD in echo.login_body, "the server did receive the password"
    get_error, buy_error, login_error = failures
    assert isinstance(get_error, ibanera.DecodeError) and get_error.http_status == 502
    assert isinstance(buy_error, ibanera.OutcomeUnknownError)
    assert login_error.endpoint == "POST /api/v1/public/auth/login"
    for e in failures:
        assert "you sent" in str(e) and "***" in str(e), "the echoed values were replaced"
    texts = [all_text(e) for e in failures] + [log_text(caplog.records)]
    assert_clean("\n".join(texts))


def test_no_attribute_of_a_client_or_sandbox_holds_a_secret(canary: ibanera.Sandbox) -> None:
    client = canary.client()
    client.accounts.get(1055)
    seen: list[str] = []
    for obj in (client, client.accounts, client.exchanges, client._core, client.session):
        for name in dir(obj):
            if name.startswith("__"):
                continue
            try:
                value = getattr(obj, name)
            except Exception:  # pragma: no cover
                continue
            seen.append(repr(value))
    assert_clean("\n".join(seen))
    # The sandbox hands out its credentials on request, never in its repr.
    assert canary.password == CANARY_PASSWORD and canary.totp_secret == CANARY_SECRET
    assert_clean(repr(canary) + str(canary) + repr(canary._core))


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
        if mode == "sync":
            details = server_client(server).cards.sensitive_details(1749)
        else:

            async def go() -> ibanera.SensitiveCardDetails:
                return await server_async_client(server).cards.sensitive_details(1749)

            details = asyncio.run(go())
    finally:
        server.close()
    assert isinstance(details, ibanera.SensitiveCardDetails)
    # The records' own fields (a message, the call's extras), not the bookkeeping every record
    # has: its timestamps and thread ids may hold "731" or "2029" by chance.
    bookkeeping = set(vars(logging.makeLogRecord({})))
    fields = [
        {k: v for k, v in vars(r).items() if k not in bookkeeping} for r in request_log.records
    ]
    assert fields and all("http_path" in f for f in fields if "http_status" in f), fields
    shown = "\n".join(
        [repr(details), str(details), repr([details]), f"{details!r:>10}"]
        + [r.getMessage() for r in request_log.records]
        + [repr(f) for f in fields]
    )
    assert CARD_NUMBER not in shown and CVC not in shown and "2029" not in shown, shown
    assert repr(details) == "SensitiveCardDetails(keys=['cardNumber', 'cvc', 'expiryYear'])"
    assert details.keys() == ["cardNumber", "cvc", "expiryYear"]
    assert not hasattr(details, "card_number") and not hasattr(details, "to_dict")
    # Only the explicit accessors give the values.
    assert details.expose() == {"cardNumber": CARD_NUMBER, "cvc": CVC, "expiryYear": 2029}
    assert CARD_NUMBER in details.to_json()
