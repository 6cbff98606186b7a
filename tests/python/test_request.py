"""`client.request(...)`: any endpoint with the typed calls' authentication, retries, error
classes and exact numbers; each test runs through the blocking and the async client."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Awaitable, Callable

import pytest

import ibanera

from conftest import BTC, MANAGER, SCREENED, USD, RequestLog

ACCOUNT = "/api/v1/customer/accounts/account"
LIST_ACCOUNTS = "/api/v1/customer/accounts/list-accounts"
WITHDRAW = "/api/v1/customer/accounts/crypto/withdraw"
DESTINATION = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"

Request = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def request_(mode: str, client: ibanera.Client, aclient: ibanera.AsyncClient) -> Request:
    async def run(*args: Any, **kwargs: Any) -> dict[str, Any]:
        if mode == "sync":
            return client.request(*args, **kwargs)
        return await aclient.request(*args, **kwargs)

    return run


async def test_a_get_with_query_returns_the_envelope_with_exact_numbers(
    request_: Request,
) -> None:
    reply = await request_("get", ACCOUNT, query={"Id": USD})
    details = reply["details"]
    assert details["id"] == USD and isinstance(details["id"], int)
    assert isinstance(details["totalBalance"], Decimal)
    assert str(details["totalBalance"]) == "100000.000000000000000000"
    assert details["bSuppressed"] is False
    assert set(reply) == {
        "id",
        "details",
        "page_number",
        "page_size",
        "number_of_pages",
        "warnings",
    }
    assert reply["warnings"] == []


async def test_query_pairs_and_paging_fields(request_: Request) -> None:
    reply = await request_(
        "GET", LIST_ACCOUNTS, query=[("customersId", MANAGER), ("pageSize", 2), ("asset", None)]
    )
    assert [a["id"] for a in reply["details"]] == [1055, 1056]
    assert (reply["page_number"], reply["page_size"]) == (1, 2)
    assert reply["number_of_pages"] >= 2


async def test_a_post_body_keeps_every_digit_and_runs_once(
    request_: Request, sandbox: ibanera.Sandbox
) -> None:
    reply = await request_(
        "POST",
        WITHDRAW,
        body={
            "accountsId": BTC,
            "amount": Decimal("0.010000000000000001"),
            "destinationAddress": DESTINATION,
        },
    )
    assert str(abs(reply["details"]["amount"])) == "0.010000000000000001"
    assert sandbox.executions() == {f"POST {WITHDRAW}": 1}
    account = await request_("GET", ACCOUNT, query={"Id": BTC})
    # 2.5 less the amount and the sandbox's BTC network fee of 0.0001.
    assert str(account["details"]["availableBalance"]) == "2.489899999999999999"


async def test_a_post_is_not_resent_after_it_may_have_arrived(
    request_: Request, sandbox: ibanera.Sandbox
) -> None:
    sandbox.inject_fault(WITHDRAW, "drop_after_execute")
    body = {"accountsId": BTC, "amount": "0.01", "destinationAddress": DESTINATION}
    with pytest.raises(ibanera.OutcomeUnknownError) as e:
        await request_("POST", WITHDRAW, body=body, max_retries=5)
    assert isinstance(e.value.cause, ibanera.TransportError)
    assert e.value.sent == body
    assert sandbox.executions() == {f"POST {WITHDRAW}": 1}


async def test_api_errors_have_the_typed_classes(request_: Request) -> None:
    with pytest.raises(ibanera.NotFoundError) as missing:
        await request_("GET", ACCOUNT, query={"Id": 999_999})
    assert missing.value.http_status == 404
    body = {"accountsId": BTC, "amount": "0.01", "destinationAddress": SCREENED}
    with pytest.raises(ibanera.ApiError) as blocked:
        await request_("POST", WITHDRAW, body=body)
    assert [e.message_code for e in blocked.value.errors] == ["Transaction_Blocked"]


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        (("FETCH", ACCOUNT), {}, "method"),
        (("GET", "https://elsewhere.example/api"), {}, "path"),
        (("GET", ACCOUNT + "?Id=1"), {}, "path"),
        (("GET", ACCOUNT), {"query": {"Id": {"nested": 1}}}, "query.Id"),
        (("GET", ACCOUNT), {"query": 5}, "query"),
        (("POST", WITHDRAW), {"body": {"amount": float("nan")}}, "body.amount"),
        (("POST", WITHDRAW), {"body": {"amount": Decimal("NaN")}}, "body.amount"),
        (("POST", WITHDRAW), {"body": {"items": [1, object()]}}, "body.items[1]"),
        (("POST", WITHDRAW), {"body": {1: "x"}}, "body"),
        (("GET", ACCOUNT), {"timeout": -1}, "timeout"),
        (("GET", ACCOUNT), {"attempt_timeout": 0}, "attempt_timeout"),
        (("GET", ACCOUNT), {"max_response_bytes": 0}, "max_response_bytes"),
    ],
)
async def test_bad_input_names_the_argument_and_sends_nothing(
    request_: Request,
    request_log: RequestLog,
    args: tuple[str, str],
    kwargs: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(ibanera.ValidationError) as e:
        await request_(*args, **kwargs)
    assert e.value.field == field
    assert request_log.requests() == []
