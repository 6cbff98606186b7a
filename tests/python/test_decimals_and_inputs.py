"""Money and dates in and out: every decimal the provider documents round-trips digit for
digit (sent as an exact JSON number, decoded into a `Decimal` with the same digits), Python
inputs are read faithfully (`Decimal`, `int`, `str`, `float` by its shortest repr; NaN,
infinities and booleans refused), dates accept `date`, `datetime` and ISO strings."""

from __future__ import annotations

import enum
import json
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import ibanera

from conftest import VECTORS, RecordingServer, server_async_client, server_client

MONEY_KEYS = {
    "totalBalance",
    "availableBalance",
    "pendingBalance",
    "amount",
    "requestAmount",
    "requestPrice",
    "executedAmount",
    "executedPrice",
    "commissionFee",
    "netPrice",
    "networkFee",
    "price",
    "previousPrice",
    "previousAmount",
    "feeTransactionAmount",
    "fromAssetRequestedAmount",
    "toAssetRequestedAmount",
    "toAssetExecutedAmount",
    "minimumAmount",
    "maximumAmount",
    "minimumPrice",
    "maximumPrice",
}


def spec_decimals() -> list[str]:
    """Every money literal of the vectors: response bodies, expectations, request bodies."""
    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif key in MONEY_KEYS and isinstance(value, (str, tuple)):
            found.add(value[1] if isinstance(value, tuple) else value)

    for path in VECTORS.glob("*.json"):
        text = path.read_text()
        vector = json.loads(text, parse_float=lambda s: ("n", s), parse_int=lambda s: ("n", s))
        walk(vector)
        for response in vector["responses"]:
            try:
                walk(
                    json.loads(
                        response["body_text"],
                        parse_float=lambda s: ("n", s),
                        parse_int=lambda s: ("n", s),
                    )
                )
            except json.JSONDecodeError:
                pass
    return sorted(found)


DECIMALS = spec_decimals()


def test_the_spec_has_many_decimals() -> None:
    assert len(DECIMALS) >= 20
    assert "58.983359712153660000" in DECIMALS
    assert "999935.160000000000000000" in DECIMALS or any(
        len(d.split(".")[-1]) == 18 for d in DECIMALS
    )


def client_for(server: RecordingServer) -> ibanera.Client:
    return server_client(server)


def sent_amount(server: RecordingServer) -> str:
    [request] = server.requests
    body = json.loads(request.body, parse_float=lambda s: s, parse_int=lambda s: s)
    return str(body["amount"])


WITHDRAWAL = (
    '{"status":"1","errors":[],"details":{"id":1,"accountsId":1,"amount":%s,'
    '"description":"x","dateTime":"2024-01-01T00:00:00Z","bPending":false}}'
)


@pytest.mark.parametrize("literal", DECIMALS)
def test_spec_decimal_round_trips(literal: str, recorder: RecordingServer) -> None:
    client = client_for(recorder)
    # In: a response carrying the literal decodes to a Decimal with exactly its digits.
    recorder.respond(200, WITHDRAWAL % literal)
    w = client.accounts.withdraw_crypto(
        accounts_id=1, amount=Decimal("1"), destination_address="bc1q"
    )
    assert isinstance(w.amount, Decimal)
    assert format(w.amount, "f") == literal
    assert json.loads(w.to_json())["amount"] == literal
    assert w.to_dict()["amount"].as_tuple() == Decimal(literal).as_tuple()
    # Out: the literal passed back (as Decimal and as str) is sent with exactly its digits.
    if Decimal(literal) > 0:
        for value in (Decimal(literal), literal, w.amount):
            recorder.respond(200, WITHDRAWAL % literal)
            client.accounts.withdraw_crypto(accounts_id=1, amount=value, destination_address="bc1q")
            assert sent_amount(recorder) == literal


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (Decimal("12.50"), "12.50"),
        (Decimal("0.000000010000000000"), "0.000000010000000000"),
        (Decimal("1E-7"), "0.0000001"),
        (5, "5"),
        (10**20, "100000000000000000000"),
        ("0.005", "0.005"),
        (" 3.0 ", "3.0"),
        (0.1, "0.1"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e-07, "0.0000001"),
        (2.5, "2.5"),
    ],
)
def test_money_inputs(value: Any, sent: str, recorder: RecordingServer) -> None:
    recorder.respond(200, WITHDRAWAL % "1")
    client_for(recorder).accounts.withdraw_crypto(
        accounts_id=1, amount=value, destination_address="bc1q"
    )
    assert sent_amount(recorder) == sent


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        (float("-inf"), "finite"),
        (Decimal("NaN"), "finite"),
        (Decimal("Infinity"), "finite"),
        (True, "boolean"),
        ("twelve", "decimal"),
        (0, "greater than 0"),
        (-1.5, "greater than 0"),
        (object(), "type `object`"),
        # A list or a dict only where an object argument takes one: refused here, by type.
        ([1], "type `list`"),
        ({"value": 1}, "type `dict`"),
    ],
)
def test_bad_money_is_refused_before_sending(
    value: Any, rule: str, recorder: RecordingServer
) -> None:
    recorder.respond(200, WITHDRAWAL % "1")
    with pytest.raises(ibanera.ValidationError) as e:
        client_for(recorder).accounts.withdraw_crypto(
            accounts_id=1, amount=value, destination_address="bc1q"
        )
    assert e.value.field == "amount"
    assert rule in (e.value.rule or ""), e.value.rule
    assert recorder.requests == []


class Color(enum.Enum):
    AMOUNT = "Amount"


@pytest.mark.parametrize(
    "value", [ibanera.QuantityType.AMOUNT, "Amount", "amount", "AMOUNT", Color.AMOUNT]
)
def test_enum_inputs(value: Any, recorder: RecordingServer) -> None:
    recorder.respond(200, "{}")
    # `{}` is no envelope: a POST that cannot be read may have executed.
    with pytest.raises(ibanera.OutcomeUnknownError):
        client_for(recorder).exchanges.buy(
            customers_id=1, asset_pair="BTC/USDC", quantity_type=value, amount="1"
        )
    [request] = recorder.requests
    assert json.loads(request.body)["quantityType"] == "Amount"


@pytest.mark.parametrize(
    ("value", "sent"),
    [
        (date(2022, 7, 1), "2022-07-01"),
        ("2022-07-01", "2022-07-01"),
        (datetime(2022, 7, 1, 10, 30), "2022-07-01T10:30:00Z"),
        (datetime(2022, 7, 1, 10, 30, tzinfo=timezone(timedelta(hours=2))), "2022-07-01T08:30:00Z"),
        (datetime(2022, 7, 1, 10, 30, 0, 250000, tzinfo=timezone.utc), "2022-07-01T10:30:00.250Z"),
        ("2022-07-01T10:30:00+02:00", "2022-07-01T08:30:00Z"),
    ],
)
def test_date_inputs(value: Any, sent: str, recorder: RecordingServer) -> None:
    recorder.respond(200, '{"status":"1","errors":[],"details":[]}')
    page = client_for(recorder).accounts.transactions(accounts_id=1, from_date=value)
    assert len(page) == 0
    [request] = recorder.requests
    assert dict(request.query)["FromDate"] == sent


def test_bad_dates_are_refused(recorder: RecordingServer) -> None:
    recorder.respond(200, "{}")
    client = client_for(recorder)
    with pytest.raises(ibanera.ValidationError) as e:
        client.accounts.transactions(from_date="last week")
    assert e.value.field == "from_date"
    with pytest.raises(ibanera.ValidationError) as e:
        client.accounts.transactions(from_date=date(2022, 8, 1), to_date=date(2022, 7, 1))
    assert e.value.field == "from_date"
    with pytest.raises(ibanera.ValidationError) as e:
        client.accounts.transactions(from_date=20220701)
    assert e.value.field == "from_date"
    assert recorder.requests == []


def test_ids_and_counts(recorder: RecordingServer) -> None:
    recorder.respond(200, "{}")
    client = client_for(recorder)
    for bad, field in ((1.5, "id"), ("abc", "id"), (True, "id"), (None, "id")):
        with pytest.raises(ibanera.ValidationError) as e:
            client.accounts.get(bad)  # type: ignore[arg-type]
        assert e.value.field == field
    with pytest.raises(ibanera.ValidationError) as e:
        client.accounts.balances(page_size=0)
    assert e.value.field == "page_size"
    assert recorder.requests == []


def test_money_attributes_are_exact_and_cached(recorder: RecordingServer) -> None:
    recorder.respond(200, WITHDRAWAL % "999935.160000000000000000")
    w = client_for(recorder).accounts.withdraw_crypto(
        accounts_id=1, amount="1", destination_address="bc1q"
    )
    assert w.amount is w.amount, "built once, on first access"
    assert str(w.amount) == "999935.160000000000000000"
    assert w.date_time == datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert re.search(r"amount=Decimal\('999935\.160000000000000000'\)", repr(w))


def _positional_methods() -> list[tuple[str, str, str]]:
    """(area, method, argument) of every method whose id may be passed positionally: their
    implementation's first parameter is the positional-only `_<argument>`."""
    import inspect

    from ibanera._ibanera import OPERATION_PATHS

    found = []
    for op in sorted(OPERATION_PATHS):
        area, method = op.split(".")
        cls = getattr(ibanera, "".join(w.capitalize() for w in area.split("_")))
        params = list(inspect.signature(getattr(cls, method)).parameters.values())[1:]
        if params and params[0].kind is inspect.Parameter.POSITIONAL_ONLY:
            found.append((area, method, params[0].name.removeprefix("_")))
    return found


def test_the_positional_ids_are_the_declared_ones() -> None:
    # The id of the object of the operation's own area it acts on (core/src/api.rs).
    assert _positional_methods() == [
        ("accounts", "deposit_address", "accounts_id"),
        ("accounts", "get", "id"),
        ("accounts", "transaction", "id"),
        ("accounts", "withdraw_crypto", "accounts_id"),
        ("cards", "get", "card_id"),
        ("cards", "sensitive_details", "card_id"),
        ("exchanges", "cancel", "exchanges_id"),
        ("exchanges", "confirm_sell", "exchanges_id"),
        ("exchanges", "review_quote", "exchanges_id"),
        ("information_requests", "get", "id"),
        ("transactions", "cancellation_eligibility", "transactions_id"),
    ]


@pytest.mark.parametrize(("area", "method", "arg"), _positional_methods())
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_id_given_positionally_and_by_name_is_refused_naming_it(
    area: str, method: str, arg: str, mode: str, recorder: RecordingServer
) -> None:
    import asyncio

    recorder.respond(200, '{"status":"1","errors":[],"details":{}}')
    # The operation's other arguments as its vector gives them, and the id twice.
    vector = json.loads((VECTORS / f"{area}.{method}.json").read_text())
    named = {**vector["call"]["args"], arg: 5005}
    with pytest.raises(ibanera.ValidationError) as e:
        if mode == "sync":
            getattr(getattr(server_client(recorder), area), method)(5005, **named)
        else:

            async def go() -> None:
                client = server_async_client(recorder)
                await getattr(getattr(client, area), method)(5005, **named)

            asyncio.run(go())
    assert e.value.field == arg
    assert "twice" in str(e.value) and "nothing was sent" in str(e.value)
    assert recorder.requests == []


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_confirm_sell_takes_its_id_positionally(mode: str, recorder: RecordingServer) -> None:
    import asyncio

    v = json.loads((VECTORS / "exchanges.confirm_sell.json").read_text())
    recorder.respond(200, v["responses"][0]["body_text"])
    amount, price = Decimal("58.983359712153660000"), Decimal("56.260000000000000000")
    if mode == "sync":
        result = server_client(recorder).exchanges.confirm_sell(5005, amount=amount, price=price)
    else:

        async def go() -> ibanera.Exchange:
            client = server_async_client(recorder)
            return await client.exchanges.confirm_sell(5005, amount=amount, price=price)

        result = asyncio.run(go())
    assert result.id == 5005
    [sent] = recorder.requests
    assert json.loads(sent.body, parse_float=str) == {
        "exchangesId": 5005,
        "amount": "58.983359712153660000",
        "price": "56.260000000000000000",
    }
    # Missing altogether: the core's "is required", naming it (not a TypeError).
    with pytest.raises(ibanera.ValidationError) as e:
        server_client(recorder).exchanges.confirm_sell(amount=amount, price=price)  # type: ignore[call-overload]
    assert e.value.field == "exchanges_id"


def _card_args(**changes: Any) -> dict[str, Any]:
    """`cards.create`'s arguments as its vector gives them, with `changes`."""
    vector = json.loads((VECTORS / "cards.create.json").read_text())
    return {**vector["call"]["args"], **changes}


def test_object_arguments_take_mappings_with_lists_tuples_and_decimals(
    recorder: RecordingServer,
) -> None:
    vector = json.loads((VECTORS / "cards.create.json").read_text())
    recorder.respond(200, vector["responses"][0]["body_text"])
    details = {"occupation": "Engineer", "income": Decimal("120000.50"), "sources": ("Salary",)}
    server_client(recorder).cards.create(**_card_args(personal_review_details=details))
    [sent] = recorder.requests
    body = json.loads(sent.body, parse_float=str)
    # Passed as given, a Decimal with its digits, a tuple as a list.
    assert body["personalReviewDetails"] == {
        "occupation": "Engineer",
        "income": "120000.50",
        "sources": ["Salary"],
    }


def _cyclic() -> dict[str, Any]:
    d: dict[str, Any] = {"a": 1}
    d["self"] = d
    return d


def _deep_tuple(depth: int) -> Any:
    t: Any = ()
    for _ in range(depth):
        t = (t,)
    return t


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        # A mapping that contains itself, or tuples nested without end: refused, not followed.
        ({"personal_review_details": _cyclic()}, "personal_review_details.self", "64 deep"),
        (
            {"personal_review_details": {"docs": _deep_tuple(100_000)}},
            "personal_review_details.docs[0]",
            "64 deep",
        ),
        ({"shipping_address": ["Suite 500"]}, "shipping_address", "must be an object"),
        ({"personal_review_details": {"x": object()}}, "personal_review_details.x", "`object`"),
        ({"personal_review_details": {1: "x"}}, "personal_review_details", "string keys"),
    ],
)
def test_object_arguments_refuse_what_json_cannot_hold(
    changes: dict[str, Any], field: str, rule: str, recorder: RecordingServer
) -> None:
    recorder.respond(200, '{"status":"1","errors":[],"details":{}}')
    with pytest.raises(ibanera.ValidationError) as e:
        server_client(recorder).cards.create(**_card_args(**changes))
    assert (e.value.field or "").startswith(field), e.value.field
    assert rule in (e.value.rule or ""), e.value.rule
    assert recorder.requests == []
