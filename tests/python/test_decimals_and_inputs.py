"""Money and dates in and out: every decimal of the spec round-trips digit for digit (sent as
an exact JSON number, decoded into a `Decimal` with the same digits), Python inputs are read
faithfully (`Decimal`, `int`, `str`, `float` by its shortest repr; NaN, infinities and booleans
refused), dates accept `date`, `datetime` and ISO strings."""

from __future__ import annotations

import enum
import json
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import ibanera

from conftest import VECTORS, RecordingServer, server_client

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
        ([1], "type `list`"),
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
