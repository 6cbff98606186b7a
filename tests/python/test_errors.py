"""Every exception class raised by a real case, sync and async, with its attributes."""

from __future__ import annotations

import builtins

import pytest

import ibanera

from conftest import BTC, MANAGER, SCREENED, UNVERIFIED, USD, Call

ACCOUNT = "/api/v1/customer/accounts/account"
BUY = "/api/v1/customer/crypto-exchanges/buy"


def test_hierarchy() -> None:
    for cls in (
        ibanera.ApiError,
        ibanera.AuthenticationError,
        ibanera.NotFoundError,
        ibanera.RateLimitError,
        ibanera.ValidationError,
        ibanera.TransportError,
        ibanera.TimeoutError,
        ibanera.DecodeError,
        ibanera.ConfigurationError,
        ibanera.SandboxError,
    ):
        assert issubclass(cls, ibanera.IbaneraError)
    for cls in (ibanera.AuthenticationError, ibanera.NotFoundError, ibanera.RateLimitError):
        assert issubclass(cls, ibanera.ApiError)
    assert issubclass(ibanera.TimeoutError, builtins.TimeoutError)
    assert issubclass(ibanera.TimeoutError, ibanera.TransportError)
    assert issubclass(ibanera.ValidationError, ValueError)


async def test_authentication_error_on_a_wrong_password(
    sandbox: ibanera.Sandbox, mode: str
) -> None:
    kwargs = dict(password="wrong-password", max_retries=0)
    with pytest.raises(ibanera.AuthenticationError) as e:
        if mode == "sync":
            sandbox.client(**kwargs).accounts.get(USD)
        else:
            await sandbox.async_client(**kwargs).accounts.get(USD)
    err = e.value
    assert err.http_status == 400
    assert err.code == "authentication_error"
    assert err.endpoint == "POST /api/v1/public/auth/login"
    assert [(i.error_type, i.field_name, i.message_code) for i in err.errors] == [
        ("BadRequest", "Username", "Username_Or_Password_Incorrect")
    ]
    assert err.has_code("Username_Or_Password_Incorrect")
    assert "wrong-password" not in str(err)


async def test_authentication_error_on_a_refused_token(sandbox: ibanera.Sandbox, mode: str) -> None:
    kwargs = dict(access_token="not-a-token-of-this-sandbox", max_retries=0)
    with pytest.raises(ibanera.AuthenticationError) as e:
        if mode == "sync":
            sandbox.client(**kwargs).accounts.get(USD)
        else:
            await sandbox.async_client(**kwargs).accounts.get(USD)
    err = e.value
    assert err.http_status == 401
    assert err.endpoint == f"GET {ACCOUNT}"
    assert [(i.error_type, i.field_name, i.message_code) for i in err.errors] == [
        ("Unauthorized", "Authorization", "Invalid")
    ]
    assert "not-a-token-of-this-sandbox" not in str(err)


async def test_not_found(call: Call) -> None:
    with pytest.raises(ibanera.NotFoundError) as e:
        await call("accounts.get", 99999)
    assert e.value.http_status == 404
    assert e.value.code == "not_found"
    assert e.value.errors[0].message_code == "Not_Found"
    assert e.value.errors[0].field_name == "Id"


async def test_api_error_400(call: Call, sandbox: ibanera.Sandbox) -> None:
    with pytest.raises(ibanera.ApiError) as e:
        await call(
            "accounts.withdraw_crypto", accounts_id=BTC, amount="0.01", destination_address=SCREENED
        )
    err = e.value
    assert type(err) is ibanera.ApiError
    assert err.http_status == 400
    assert err.has_code("Transaction_Blocked")
    assert err.errors == [ibanera.ApiErrorItem("BadRequest", "Screening", "Transaction_Blocked")]
    assert sandbox.executions() == {}
    with pytest.raises(ibanera.ApiError) as kyc:
        await call(
            "exchanges.buy",
            customers_id=UNVERIFIED,
            asset_pair="BTC/USDC",
            quantity_type="Amount",
            amount="0.1",
        )
    assert kyc.value.has_code("Documents_Not_Verified")


async def test_rate_limit_with_retry_after(call: Call, sandbox: ibanera.Sandbox) -> None:
    # Longer than the client is willing to wait (60 s): returned at once, with the wait asked.
    sandbox.inject_fault(ACCOUNT, "status", status=429, retry_after=120)
    with pytest.raises(ibanera.RateLimitError) as e:
        await call("accounts.get", USD)
    assert e.value.http_status == 429
    assert e.value.retry_after == 120.0
    assert e.value.code == "rate_limited"
    assert "retry after 120" in str(e.value)


async def test_validation_error_sends_nothing(call: Call, request_log: object) -> None:
    from conftest import RequestLog

    assert isinstance(request_log, RequestLog)
    with pytest.raises(ibanera.ValidationError) as e:
        await call("accounts.get", -5)
    assert (e.value.field, e.value.code) == ("id", "validation_error")
    assert "positive" in (e.value.rule or "")
    assert e.value.endpoint == f"GET {ACCOUNT}"
    with pytest.raises(ibanera.ValidationError) as e:
        await call(
            "exchanges.buy",
            customers_id=MANAGER,
            asset_pair="BTC/USDC",
            quantity_type="Price",
            price="100",
            amount="1",
        )
    assert e.value.field == "amount"
    with pytest.raises(ibanera.ValidationError) as e:
        await call("exchanges.list", status="Done")
    assert e.value.field == "status" and "WaitingForApproval" in (e.value.rule or "")
    assert request_log.requests() == []


async def test_transport_error_on_a_dropped_connection(
    call: Call, sandbox: ibanera.Sandbox
) -> None:
    sandbox.inject_fault(ACCOUNT, "drop_before_execute")
    with pytest.raises(ibanera.TransportError) as e:
        await call("accounts.get", USD, max_retries=0)
    assert type(e.value) is ibanera.TransportError
    assert e.value.code == "transport_error"
    assert e.value.attempts == 1
    assert isinstance(e.value.__cause__, ibanera.RustError)


async def test_timeout_on_an_injected_delay(call: Call, sandbox: ibanera.Sandbox) -> None:
    sandbox.inject_fault(ACCOUNT, "delay", ms=1500)
    with pytest.raises(ibanera.TimeoutError) as e:
        await call("accounts.get", USD, timeout=0.2, max_retries=0)
    assert isinstance(e.value, builtins.TimeoutError)
    assert e.value.code == "timeout"
    assert e.value.timeout == pytest.approx(0.2)
    assert e.value.attempts == 1


async def test_decode_error_on_malformed_json(call: Call, sandbox: ibanera.Sandbox) -> None:
    sandbox.inject_fault(ACCOUNT, "malformed_json")
    with pytest.raises(ibanera.DecodeError) as e:
        await call("accounts.get", USD)
    assert e.value.http_status == 200
    assert e.value.code == "decode_error"
    assert isinstance(e.value.__cause__, ibanera.RustError)


async def test_a_proxy_error_page_is_a_decode_error_with_its_status(
    call: Call, sandbox: ibanera.Sandbox
) -> None:
    sandbox.inject_fault(ACCOUNT, "html", status=502)
    with pytest.raises(ibanera.DecodeError) as e:
        await call("accounts.get", USD, max_retries=0)
    assert e.value.http_status == 502


def test_configuration_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("USERNAME", "PASSWORD", "TOTP_SECRET", "ACCESS_TOKEN", "BASE_URL", "API_KEY"):
        monkeypatch.delenv(f"IBANERA_{name}", raising=False)
    creds = dict(username="u", password="p", totp_secret="JBSWY3DPEHPK3PXP")
    with pytest.raises(ibanera.ConfigurationError) as e:
        ibanera.Client(**creds, base_url="http://example.com")
    assert "http" in str(e.value) and e.value.code == "config_error"
    with pytest.raises(ibanera.ConfigurationError):
        ibanera.Client(username="u", password="p", totp_secret="not base32!")
    with pytest.raises(ibanera.ConfigurationError, match="`password=`"):
        ibanera.Client(username="u", password="", totp_secret="JBSWY3DPEHPK3PXP")
    with pytest.raises(ibanera.ConfigurationError, match="`totp_secret=`"):
        ibanera.Client(username="u", password="p")
    with pytest.raises(ibanera.ConfigurationError, match="not both"):
        ibanera.Client(**creds, access_token="t")
    with pytest.raises(ibanera.ConfigurationError, match="no credentials"):
        ibanera.Client(totp_secret="JBSWY3DPEHPK3PXP")
    # The retired API key: the core's message, naming the settings as Python spells them.
    with pytest.raises(ibanera.ConfigurationError) as e:
        ibanera.AsyncClient(api_key="k-7f3a9c", totp_secret="JBSWY3DPEHPK3PXP")
    assert "`api_key=` is no longer used" in str(e.value)
    assert "`username=`, `password=` and `totp_secret=`" in str(e.value)
    assert "k-7f3a9c" not in str(e.value)
    with pytest.raises(ibanera.ConfigurationError, match="loopback"):
        ibanera.Client(**creds, base_url="http://127.0.0.1:9", proxy="http://proxy.example:3128")
    with pytest.raises(ibanera.ValidationError) as v:
        ibanera.Client(**creds, base_url="http://127.0.0.1:9", timeout=0)
    assert v.value.field == "timeout"
    with pytest.raises(ibanera.ValidationError) as v:
        ibanera.Client(**creds, max_response_bytes=0)
    assert v.value.field == "max_response_bytes"


def test_sandbox_error(sandbox: ibanera.Sandbox) -> None:
    with pytest.raises(ibanera.SandboxError) as e:
        sandbox.approve(424242)
    assert "not found" in str(e.value)
    with pytest.raises(ValueError):
        sandbox.inject_fault("not.an.operation")


def test_errors_pickle() -> None:
    import pickle

    err = ibanera.NotFoundError(
        "GET /x: HTTP 404",
        code="not_found",
        http_status=404,
        errors=[ibanera.ApiErrorItem("NotFound", "Id", "Not_Found")],
    )
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is ibanera.NotFoundError
    assert (back.http_status, back.errors, str(back)) == (404, err.errors, str(err))
