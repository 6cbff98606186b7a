"""Signing in the way the service requires: the login request as sent, the bearer token and a
fresh TOTP code on every call, renewal before expiry, one login for many calls in flight, a
revoked token recovered without running a POST twice, and refused logins (wrong password,
locked, unverified, suppressed) that are never tried again on their own. Each test runs through
the blocking client (threads) and the async one (asyncio.gather); the sandbox's login counters
(`auth_stats`) and execution counters are the proof."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import ibanera

from conftest import (
    LOGIN_PATH,
    MANAGER,
    SERVER_TOKEN,
    USD,
    VECTOR_SECRET,
    RecordingServer,
    RequestLog,
    server_async_client,
    server_client,
)

BUY = "/api/v1/customer/crypto-exchanges/buy"
BUY_ARGS = dict(customers_id=MANAGER, asset_pair="BTC/USDC", quantity_type="Amount", amount="0.01")
# The sandbox's seeded users refused at login (sandbox/README.md).
UNVERIFIED_USER = "sandbox-unverified"
SUPPRESSED_USER = "sandbox-suppressed"
MAX_FAILED_LOGINS = 5
ACCOUNT_BODY = (
    '{"status":"1","errors":[],"details":{"id":1055,"customersId":1004,"name":"USD",'
    '"asset":"USD","totalBalance":1,"availableBalance":1,"pendingBalance":0,"bSuppressed":false}}'
)


def make_client(sandbox: ibanera.Sandbox, mode: str, **overrides: Any) -> Any:
    overrides.setdefault("max_retries", 0)
    if mode == "sync":
        return sandbox.client(**overrides)
    return sandbox.async_client(**overrides)


async def get(client: Any, account: int = USD, **kwargs: Any) -> Any:
    if isinstance(client, ibanera.AsyncClient):
        return await client.accounts.get(account, **kwargs)
    return client.accounts.get(account, **kwargs)


async def buy(client: Any) -> Any:
    if isinstance(client, ibanera.AsyncClient):
        return await client.exchanges.buy(**BUY_ARGS)
    return client.exchanges.buy(**BUY_ARGS)


async def login(client: Any) -> ibanera.SessionInfo:
    if isinstance(client, ibanera.AsyncClient):
        return await client.login()
    info: ibanera.SessionInfo = client.login()
    return info


async def many_gets(client: Any, n: int) -> list[Any]:
    """`n` calls at once: threads released together for the blocking client, one gather for
    the async one."""
    if isinstance(client, ibanera.AsyncClient):
        return list(await asyncio.gather(*(client.accounts.get(USD) for _ in range(n))))
    barrier = threading.Barrier(n)

    def one(_: int) -> Any:
        barrier.wait(timeout=30)
        return client.accounts.get(USD)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


# ---------------------------------------------------------------------------------------------
# The login as sent


async def test_the_login_request_and_the_next_call_as_sent(
    recorder: RecordingServer, mode: str
) -> None:
    recorder.respond(200, ACCOUNT_BODY)
    client = (server_client if mode == "sync" else server_async_client)(recorder)
    assert client.session is None, "no login before the first call"
    started = time.time()
    account = await get(client)
    assert account.id == 1055
    [login_request] = recorder.logins
    assert (login_request.method, login_request.path) == ("POST", LOGIN_PATH)
    assert login_request.header("Content-Type") == "application/json"
    assert login_request.header("Authorization") is None
    assert login_request.header("otp") is None
    pairs = json.loads(login_request.body, object_pairs_hook=lambda p: p)
    assert [k for k, _ in pairs] == ["username", "password", "otp"], "keys in this order"
    body = dict(pairs)
    assert (body["username"], body["password"]) == ("vector-user", "vector-password")
    totp = ibanera.Totp(VECTOR_SECRET)
    assert totp.verify(body["otp"], at=started, skew=1)
    [call] = recorder.requests
    assert call.header("Authorization") == f"Bearer {SERVER_TOKEN}"
    code = call.header("otp")
    assert code is not None and len(code) == 6 and totp.verify(code, skew=1)
    session = client.session
    assert session is not None and session.login_id == 1004
    assert session.expires_in == timedelta(seconds=3600)
    assert session.expires_at is not None and session.expires_at.tzinfo is not None
    assert session.expires_at.utcoffset() == timedelta(0)
    expected = datetime.fromtimestamp(started, timezone.utc) + timedelta(seconds=3600)
    assert abs((session.expires_at - expected).total_seconds()) < 30


async def test_every_call_carries_the_token_and_a_valid_code(
    recorder: RecordingServer, mode: str
) -> None:
    recorder.respond(200, ACCOUNT_BODY)
    client = (server_client if mode == "sync" else server_async_client)(recorder)
    for _ in range(5):
        await get(client)
    await many_gets(client, 8)
    assert len(recorder.logins) == 1, "one login for every call"
    assert len(recorder.requests) == 13
    totp = ibanera.Totp(VECTOR_SECRET)
    for r in recorder.requests:
        assert r.header("Authorization") == f"Bearer {SERVER_TOKEN}"
        code = r.header("otp")
        assert code is not None and totp.verify(code, skew=1)


async def test_an_explicit_login_and_the_session(sandbox: ibanera.Sandbox, mode: str) -> None:
    client = make_client(sandbox, mode)
    assert client.session is None
    before = sandbox.auth_stats().logins_succeeded
    info = await login(client)
    assert isinstance(info, ibanera.SessionInfo)
    assert info.login_id == MANAGER
    assert info.expires_in == timedelta(seconds=3600)
    assert info == client.session
    assert "expires_at=" in repr(info) and "token" not in repr(info).lower()
    assert set(info.to_dict()) == {"expires_at", "expires_in", "login_id"}
    again = await login(client)  # an explicit login always logs in again
    assert again.expires_at is not None and info.expires_at is not None
    assert again.expires_at >= info.expires_at
    await get(client)  # uses the session: no third login
    assert sandbox.auth_stats().logins_succeeded == before + 2


async def test_an_access_token_client(sandbox: ibanera.Sandbox, mode: str) -> None:
    client = make_client(sandbox, mode, access_token="not-issued-here")
    with pytest.raises(ibanera.ConfigurationError, match="access token"):
        await login(client)
    with pytest.raises(ibanera.AuthenticationError) as e:
        await get(client)
    assert e.value.http_status == 401
    # Switching to a username and password: the next call logs in.
    client.set_credentials(username=sandbox.username, password=sandbox.password)
    assert (await get(client)).id == USD
    assert client.session is not None and client.session.login_id == MANAGER


def test_one_session_for_both_runtimes(sandbox: ibanera.Sandbox) -> None:
    # The blocking calls and the async ones run on two runtimes with two connection pools;
    # both use the one login of the client object.
    before = sandbox.auth_stats().logins_succeeded
    core = sandbox.client()._core
    assert core.call("accounts.get", {"id": USD}).id == USD

    async def twice() -> list[int]:
        a = await core.call_async("accounts.get", {"id": USD})
        b = await asyncio.gather(*(core.call_async("accounts.get", {"id": USD}) for _ in range(8)))
        return [a.id] + [x.id for x in b]

    assert set(asyncio.run(twice())) == {USD}
    assert core.call("accounts.get", {"id": USD}).id == USD
    assert sandbox.auth_stats().logins_succeeded == before + 1


# ---------------------------------------------------------------------------------------------
# Renewal, single flight, revocation


@pytest.fixture(scope="module")
def short_lived() -> Iterator[ibanera.Sandbox]:
    with ibanera.Sandbox(token_ttl=2) as sb:
        yield sb


async def test_tokens_are_renewed_before_they_expire(
    short_lived: ibanera.Sandbox, mode: str, request_log: RequestLog
) -> None:
    short_lived.reset()
    client = make_client(short_lived, mode)
    started = time.monotonic()
    calls = 0
    while time.monotonic() - started < 6.5:
        assert (await get(client)).id == USD
        calls += 1
        await asyncio.sleep(0.2)
    elapsed = time.monotonic() - started
    stats = short_lived.auth_stats()
    assert stats.logins_failed == 0
    lifetimes = int(elapsed // 2)
    # One login per lifetime (renewed shortly before expiry), never one per call.
    assert lifetimes <= stats.logins_succeeded <= lifetimes + 2, (stats, elapsed)
    assert calls > 2 * stats.logins_succeeded
    refused = [r for r in request_log.requests() if r.http_status == 401]
    assert refused == [], "no call was refused for an expired token"


async def test_many_calls_in_flight_at_expiry_log_in_once(
    short_lived: ibanera.Sandbox, mode: str
) -> None:
    short_lived.reset()
    short_lived.set_token_ttl(1)
    try:
        client = make_client(short_lived, mode)
        await login(client)
        time.sleep(1.2)  # the token has expired
        before = short_lived.auth_stats()
        results = await many_gets(client, 64)
        after = short_lived.auth_stats()
    finally:
        short_lived.set_token_ttl(2)
    assert {r.id for r in results} == {USD} and len(results) == 64
    assert after.logins_succeeded - before.logins_succeeded == 1
    assert after.logins_failed == before.logins_failed == 0


async def test_a_revoked_token_is_replaced_and_the_post_runs_once(
    sandbox: ibanera.Sandbox, mode: str
) -> None:
    client = make_client(sandbox, mode)
    assert (await get(client)).id == USD
    sandbox.revoke_tokens()
    assert sandbox.auth_stats().active_tokens == 0
    exchange = await buy(client)
    assert exchange.status == "WaitingForApproval"
    assert sandbox.executions() == {f"POST {BUY}": 1}
    stats = sandbox.auth_stats()
    assert (stats.logins_succeeded, stats.active_tokens) == (2, 1)
    assert (await get(client)).id == USD
    assert sandbox.auth_stats().logins_succeeded == 2


# ---------------------------------------------------------------------------------------------
# Refused logins


async def test_a_wrong_password_is_tried_once(
    sandbox: ibanera.Sandbox, mode: str, request_log: RequestLog
) -> None:
    client = make_client(sandbox, mode, password="not-the-password", max_retries=3)
    with pytest.raises(ibanera.AuthenticationError) as e:
        await get(client)
    assert e.value.errors[0].message_code == "Username_Or_Password_Incorrect"
    assert e.value.endpoint == f"POST {LOGIN_PATH}"
    stats = sandbox.auth_stats()
    assert (stats.logins_failed, stats.logins_succeeded) == (1, 0)
    sent = len(request_log.requests())
    # Again: refused at once, nothing sent (a loop must not lock the account).
    with pytest.raises(ibanera.AuthenticationError) as again:
        await get(client)
    assert again.value.errors[0].message_code == "Username_Or_Password_Incorrect"
    assert "nothing was sent" in str(again.value)
    with pytest.raises(ibanera.AuthenticationError):
        await buy(client)
    assert sandbox.auth_stats() == stats
    assert len(request_log.requests()) == sent
    assert sandbox.executions() == {}
    # New credentials clear the refusal.
    client.set_credentials(username=sandbox.username, password=sandbox.password)
    assert (await get(client)).id == USD
    assert sandbox.auth_stats().logins_succeeded == 1


async def test_a_locked_user_and_unlock(sandbox: ibanera.Sandbox, mode: str) -> None:
    try:
        for _ in range(MAX_FAILED_LOGINS):
            with pytest.raises(ibanera.AuthenticationError) as wrong:
                await get(make_client(sandbox, mode, password="wrong-password"))
            assert wrong.value.has_code("Username_Or_Password_Incorrect")
        assert sandbox.auth_stats().locked_users == (sandbox.username,)
        right = make_client(sandbox, mode)
        with pytest.raises(ibanera.AuthenticationError) as locked:
            await get(right)
        assert locked.value.errors[0].message_code == "Account_Locked"
        assert sandbox.auth_stats().logins_failed == MAX_FAILED_LOGINS + 1
        sandbox.unlock()
        assert sandbox.auth_stats().locked_users == ()
        # The refusal is remembered by that client until it is given credentials again.
        with pytest.raises(ibanera.AuthenticationError, match="nothing was sent"):
            await get(right)
        right.set_credentials(username=sandbox.username, password=sandbox.password)
        assert (await get(right)).id == USD
        assert (await get(make_client(sandbox, mode))).id == USD
    finally:
        sandbox.unlock()


@pytest.mark.parametrize(
    ("username", "code"),
    [(UNVERIFIED_USER, "Account_Not_Verified"), (SUPPRESSED_USER, "Account_Suppressed")],
)
async def test_users_that_may_not_log_in(
    sandbox: ibanera.Sandbox, mode: str, username: str, code: str
) -> None:
    client = make_client(sandbox, mode, username=username)
    with pytest.raises(ibanera.AuthenticationError) as e:
        await login(client)
    assert [i.message_code for i in e.value.errors] == [code]
    assert e.value.http_status == 400
    with pytest.raises(ibanera.AuthenticationError):
        await get(client)
    assert sandbox.auth_stats().logins_failed == 1


async def test_login_and_refusals_are_logged_without_credentials(
    sandbox: ibanera.Sandbox, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="ibanera")
    await get(make_client(sandbox, mode))
    with pytest.raises(ibanera.AuthenticationError):
        await get(make_client(sandbox, mode, password="wrong-password-3c1d"))
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert f"POST {LOGIN_PATH} -> 200" in text
    assert "session started" in text
    assert "wrong-password-3c1d" not in text and sandbox.password not in text
