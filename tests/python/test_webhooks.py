"""Callbacks: every vector of tests/vectors/webhooks replayed through `ibanera.webhooks` (format
in its README). Signatures are computed here with hashlib (SHA-256 of the body followed by the
secret; base64 and hex), never with the SDK. Each vector is accepted in every documented form,
refused when anything is tampered with, and read into typed events whose fields match
`expect` digit for digit."""

from __future__ import annotations

import base64
import hashlib
import json
import pickle
import re
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable, Union

import pytest

import ibanera
from ibanera import webhooks

from conftest import VECTORS

WEBHOOK_VECTORS = sorted((VECTORS / "webhooks").glob("*.json"))
BY_NAME = {p.stem: json.loads(p.read_text()) for p in WEBHOOK_VECTORS}
CUSTOMER = sorted(n for n, v in BY_NAME.items() if v["kind"] == "customer")
QUICKBUY = sorted(n for n, v in BY_NAME.items() if v["kind"] == "quickbuy")


def digest(v: dict[str, Any]) -> bytes:
    return hashlib.sha256(v["body_text"].encode("utf-8") + v["secret"].encode("utf-8")).digest()


def b64(v: dict[str, Any]) -> str:
    return base64.b64encode(digest(v)).decode()


def header_name(v: dict[str, Any]) -> str:
    return "webhook-signature" if v["kind"] == "customer" else "QuickBuy-Signature"


def construct(v: dict[str, Any]) -> Callable[..., Any]:
    if v["kind"] == "customer":
        return webhooks.construct_event
    return webhooks.construct_quickbuy_event


def body(v: dict[str, Any]) -> bytes:
    return v["body_text"].encode("utf-8")


def test_there_is_a_vector_for_every_documented_type_and_kind() -> None:
    assert len(WEBHOOK_VECTORS) >= 24
    described = {str(t) for t in webhooks.EventType.KNOWN}
    seen = {BY_NAME[n]["expect"]["type"] for n in CUSTOMER}
    assert described <= seen, described - seen
    kinds = {BY_NAME[n]["expect"]["kind"] for n in QUICKBUY}
    assert kinds >= {"payment_captured", "cryptocurrency_transferred", "widget"}


# ---------------------------------------------------------------------------------------------
# Accepted in every form


def accepted_signatures(v: dict[str, Any]) -> list[str]:
    padded = b64(v)
    forms = [padded, padded.rstrip("="), f"  {padded} "]
    if v["kind"] == "customer":
        forms += [digest(v).hex(), digest(v).hex().upper()]
    return forms


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_every_vector_is_accepted_in_every_documented_form(name: str) -> None:
    v = BY_NAME[name]
    make = construct(v)
    first = make(body(v), b64(v), v["secret"])
    for signature in accepted_signatures(v):
        assert make(body(v), signature, v["secret"]) == first
    # The body as str, the signature as bytes, the headers as a mapping in any case or as
    # pairs (also bytes).
    assert make(v["body_text"], b64(v).encode(), v["secret"]) == first
    headers: list[Union[dict[str, str], list[tuple[Any, Any]]]] = [
        {"Content-Type": "application/json", header_name(v): b64(v)},
        {header_name(v).upper(): b64(v)},
        [("content-type", "application/json"), (header_name(v).lower(), b64(v))],
        [(header_name(v).encode(), b64(v).encode())],
    ]
    for h in headers:
        assert make(body(v), h, v["secret"]) == first


@pytest.mark.parametrize("name", QUICKBUY)
def test_quickbuy_refuses_hex(name: str) -> None:
    v = BY_NAME[name]
    with pytest.raises(ibanera.SignatureVerificationError):
        webhooks.construct_quickbuy_event(body(v), digest(v).hex(), v["secret"])


# ---------------------------------------------------------------------------------------------
# Refused when anything is off


def flip(text: str, at: int) -> str:
    c = text[at]
    return text[:at] + ("A" if c != "A" else "B") + text[at + 1 :]


def refusals(v: dict[str, Any]) -> list[tuple[str, bytes, Any, str]]:
    raw = body(v)
    tampered = bytearray(raw)
    middle = len(tampered) // 2
    tampered[middle] = ord("x") if tampered[middle] != ord("x") else ord("y")
    sig = b64(v)
    return [
        ("tampered body", bytes(tampered), sig, v["secret"]),
        ("body with a space more", raw + b" ", sig, v["secret"]),
        ("tampered signature", raw, flip(sig, 5), v["secret"]),
        ("wrong secret", raw, sig, v["secret"] + "x"),
        ("empty signature", raw, "", v["secret"]),
        ("missing header", raw, {"Content-Type": "application/json"}, v["secret"]),
        ("other family's header", raw, {"x-" + header_name(v): sig}, v["secret"]),
    ]


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_tampering_is_refused(name: str) -> None:
    v = BY_NAME[name]
    make = construct(v)
    for what, payload, signature, secret in refusals(v):
        with pytest.raises(ibanera.SignatureVerificationError) as e:
            make(payload, signature, secret)
        err = e.value
        assert err.code == "signature_verification_error", what
        text = repr(err) + str(err) + repr(vars(err))
        assert v["secret"] not in text, what
        assert b64(v) not in text and digest(v).hex() not in text, what
    with pytest.raises(ibanera.ConfigurationError):
        make(body(v), b64(v), "")


def test_a_missing_header_names_the_header_expected() -> None:
    v = BY_NAME[CUSTOMER[0]]
    with pytest.raises(ibanera.SignatureVerificationError, match="webhook-signature"):
        webhooks.construct_event(body(v), {}, v["secret"])


def test_a_signed_body_that_is_not_a_callback_is_a_decode_error() -> None:
    secret = "s3cret"
    for payload in (b"not json", b"[1, 2]", b'{"Id": "x"}'):
        sig = base64.b64encode(hashlib.sha256(payload + secret.encode()).digest()).decode()
        with pytest.raises(ibanera.DecodeError) as e:
            webhooks.construct_event(payload, sig, secret)
        assert e.value.code == "decode_error"
        with pytest.raises(ibanera.DecodeError):
            webhooks.construct_quickbuy_event(payload, sig, secret)
    with pytest.raises(TypeError):
        webhooks.construct_event(12345, "sig", secret)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Read digit for digit


class Text(str):
    """A number of the JSON as its literal text."""


def textual(text: str) -> Any:
    return json.loads(text, parse_float=Text, parse_int=Text)


def snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def parse_time(text: str) -> datetime:
    """An RFC 3339 UTC string as Python holds it (microseconds; finer digits truncated)."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z", text)
    assert m, text
    frac = (m.group(7) or "").ljust(6, "0")[:6]
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    return datetime(y, mo, d, h, mi, s, int(frac), tzinfo=timezone.utc)


def is_raw(path: str) -> bool:
    """Raw JSON kept as received: an unknown type's data, a widget callback's `raw`."""
    return bool(re.search(r"\.raw(\.|\[|$)", path)) or path.startswith("unknown.data")


def assert_json(expected: Any, actual: Any, path: str) -> None:
    """`expect` against the user-facing JSON (numbers as their text)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r}"
        for k, e in expected.items():
            assert k in actual, f"{path}.{k} missing in {sorted(actual)}"
            assert_json(e, actual[k], f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: length"
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_json(e, a, f"{path}[{i}]")
    elif isinstance(actual, Text):
        if isinstance(expected, bool) or expected is None:
            raise AssertionError(f"{path}: {actual!r} for {expected!r}")
        if isinstance(expected, int):
            assert actual == str(expected), f"{path}: {actual} != {expected}"
        else:
            assert is_raw(path), f"{path}: the number {actual} where the string {expected!r} is"
            assert actual == expected, f"{path}: {actual} != {expected}"
    else:
        assert type(actual) is type(expected) and actual == expected, (
            f"{path}: {actual!r} != {expected!r}"
        )


def assert_python(expected: Any, actual: Any, path: str) -> None:
    """`expect` against `to_dict()`: snake_case keys (raw JSON keeps its keys), money as
    `Decimal` with exactly the digits, timestamps aware UTC, ids `int`."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r}"
        for k, e in expected.items():
            key = k if is_raw(path) else snake(k)
            assert key in actual, f"{path}.{key} missing in {sorted(actual)}"
            assert_python(e, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: length"
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_python(e, a, f"{path}[{i}]")
    elif isinstance(actual, Decimal):
        assert isinstance(expected, str), f"{path}: {actual!r} vs {expected!r}"
        assert format(actual, "f") == expected, f"{path}: {actual!r} != {expected}"
    elif isinstance(actual, datetime):
        assert actual.tzinfo is not None and actual.utcoffset().total_seconds() == 0, path
        assert actual == parse_time(expected), f"{path}: {actual!r} != {expected}"
    elif isinstance(expected, str) and is_raw(path) and isinstance(actual, int):
        assert str(actual) == expected, f"{path}: {actual!r} != {expected}"
    else:
        assert expected == actual, f"{path}: {expected!r} != {actual!r}"
        assert type(expected) is type(actual) or isinstance(actual, str), path


def root(v: dict[str, Any], event: Any) -> str:
    if v["kind"] == "customer" and not event.type.is_known:
        return "unknown"
    return v["kind"]


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_every_vector_reads_as_expected(name: str) -> None:
    v = BY_NAME[name]
    event = construct(v)(body(v), b64(v), v["secret"])
    where = root(v, event)
    assert_json(v["expect"], textual(event.to_json()), where)
    assert_python(v["expect"], event.to_dict(), where)
    if v["kind"] == "customer":
        assert isinstance(event, webhooks.Event)
        assert isinstance(event.type, webhooks.EventType)
        assert event.type == v["expect"]["type"], "compares equal to its code"
        assert event.id == v["expect"]["id"]
        assert event.type.is_known == (v["expect"]["type"] in webhooks.EventType.KNOWN)
        if event.type.is_known:
            # The typed model's attributes are what to_dict holds.
            data = event.data
            assert type(data).__module__ == "ibanera.webhooks"
            for key, value in data.to_dict().items():
                attribute = getattr(data, key)
                if hasattr(attribute, "to_dict"):
                    assert attribute.to_dict() == value
                else:
                    assert attribute == value, key
        else:
            assert isinstance(event.data, dict)
    else:
        assert isinstance(event, webhooks.QuickBuyEvent)
        assert event.kind == v["expect"]["kind"]
        assert type(event.data).__module__ == "ibanera.webhooks"
    assert repr(event).startswith(type(event).__name__ + "(")
    assert v["secret"] not in repr(event)


def test_event_types_are_str_comparable_and_unknown_ones_are_kept() -> None:
    v = BY_NAME["customer.unknown_type"]
    event = webhooks.construct_event(body(v), b64(v), v["secret"])
    assert not event.type.is_known
    assert event.type == v["expect"]["type"]
    assert isinstance(event.data, dict)
    known = webhooks.construct_event(
        body(BY_NAME[CUSTOMER[0]]), b64(BY_NAME[CUSTOMER[0]]), BY_NAME[CUSTOMER[0]]["secret"]
    )
    assert known.type.is_known
    assert webhooks.EventType.EXCHANGE_STATUS_UPDATED == "EXCHANGE_STATUS_UPDATED"
    assert [str(t) for t in webhooks.EventType.KNOWN] == list(webhooks.EventType.KNOWN)


def test_money_ids_and_times_have_their_python_types() -> None:
    v = BY_NAME["customer.exchange_status_updated"]
    event = webhooks.construct_event(body(v), b64(v), v["secret"])
    data = event.data
    assert isinstance(data, webhooks.ExchangeStatusUpdatedData)
    assert data.id == 11669 and isinstance(data.id, int)
    assert data.executed_price == Decimal("61250.120000000000000000")
    assert str(data.executed_price) == "61250.120000000000000000"
    assert data.status == "Completed" and data.status == ibanera.ExchangeStatus.COMPLETED
    assert data.request_price is None
    jumio = BY_NAME["customer.managee_jumio_completed"]
    when = webhooks.construct_event(body(jumio), b64(jumio), jumio["secret"]).data
    assert isinstance(when, webhooks.ManageeJumioCompletedData)
    assert when.date_jumio_completed is not None
    assert when.date_jumio_completed.tzinfo is not None


def test_the_header_names_are_the_cores() -> None:
    assert webhooks.SIGNATURE_HEADER.lower() == "webhook-signature"
    assert webhooks.QUICKBUY_SIGNATURE_HEADER.lower() == "quickbuy-signature"


def test_errors_pickle_and_events_compare() -> None:
    v = BY_NAME[CUSTOMER[0]]
    a = webhooks.construct_event(body(v), b64(v), v["secret"])
    b = webhooks.construct_event(v["body_text"], b64(v), v["secret"])
    assert a == b and a != object()
    other = BY_NAME[CUSTOMER[1]]
    assert a != webhooks.construct_event(body(other), b64(other), other["secret"])
    with pytest.raises(ibanera.SignatureVerificationError) as e:
        webhooks.construct_event(body(v), "AAAA", v["secret"])
    back = pickle.loads(pickle.dumps(e.value))
    assert type(back) is ibanera.SignatureVerificationError and str(back) == str(e.value)
