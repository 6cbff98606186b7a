"""The shared vectors of tests/vectors (taken from the provider's documentation), replayed
through the Python package: each call's request must be exactly the vector's request (numbers
compared as text), each response must decode to the expected values digit for digit, and each
invalid call must be refused with nothing sent. See tests/vectors/README.md."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

import ibanera

from conftest import VECTORS, RecordingServer, resolve, server_async_client, server_client


def textual(text: str) -> Any:
    """JSON with every number kept as its literal text (`100` != `100.0`)."""
    return json.loads(text, parse_float=lambda s: ("number", s), parse_int=lambda s: ("number", s))


def load(path: Any) -> dict[str, Any]:
    text = path.read_text()
    vector: dict[str, Any] = json.loads(text)
    vector["_request_body_text"] = textual(text)["request"]["body"]
    return vector


FILES = sorted(VECTORS.glob("*.json"))
VECTORS_BY_NAME = {p.stem: load(p) for p in FILES}


def snake(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def parse_time(text: str) -> datetime:
    """An RFC 3339 UTC string as Python reads it: microseconds (finer digits truncated)."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?Z", text)
    assert m, text
    frac = (m.group(7) or "").ljust(6, "0")[:6]
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    return datetime(y, mo, d, h, mi, s, int(frac), tzinfo=timezone.utc)


def assert_subset(expected: Any, actual: Any, path: str) -> None:
    """The vectors' rule: every expected key present and equal, arrays of equal length."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r}"
        for k, v in expected.items():
            assert k in actual, f"{path}.{k} missing in {sorted(actual)}"
            assert_subset(v, actual[k], f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: length"
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_subset(e, a, f"{path}[{i}]")
    else:
        assert type(expected) is type(actual) and expected == actual, (
            f"{path}: {expected!r} != {actual!r}"
        )


def assert_python_values(expected: Any, actual: Any, path: str, wire_keys: bool = False) -> None:
    """`to_dict()` against the expectation: snake_case keys, money a `Decimal` with exactly the
    expected digits, timestamps aware `datetime` (to the microsecond), enums str-equal. JSON kept
    as the API sent it (a model's `raw`, a secret's `expose()`) keeps the wire's keys."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r}"
        for k, v in expected.items():
            key = k if wire_keys else snake(k)
            assert key in actual, f"{path}.{key} missing in {sorted(actual)}"
            assert_python_values(v, actual[key], f"{path}.{key}", wire_keys or key == "raw")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: length"
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_python_values(e, a, f"{path}[{i}]", wire_keys)
    elif isinstance(actual, Decimal):
        assert isinstance(expected, str), f"{path}: money {actual!r} vs {expected!r}"
        assert format(actual, "f") == expected, f"{path}: {actual!r} != {expected}"
        assert actual == Decimal(expected)
    elif isinstance(actual, datetime):
        assert actual.tzinfo is not None, path
        assert actual == parse_time(expected), f"{path}: {actual!r} != {expected}"
    else:
        assert expected == actual, f"{path}: {expected!r} != {actual!r}"
        assert type(expected) is type(actual) or isinstance(actual, str), path


def as_json(result: Any, op_kind: str) -> Any:
    """The user-facing JSON form of a result (camelCase keys, money as exact strings)."""
    if result is None:
        return None
    if op_kind == "page":
        return {
            "items": [json.loads(i.to_json()) for i in result.items],
            "pageNumber": result.page_number,
            "pageSize": result.page_size,
            "numberOfPages": result.number_of_pages,
        }
    if isinstance(result, list):
        return [json.loads(i.to_json()) for i in result]
    return json.loads(result.to_json())


def as_python(result: Any, op_kind: str) -> Any:
    if result is None:
        return None
    if hasattr(result, "expose"):
        # A secret result: its values only through the explicit accessor.
        return result.expose()
    if op_kind == "page":
        return result.to_dict()
    if isinstance(result, list):
        return [i.to_dict() for i in result]
    return result.to_dict()


def area_class(area: str) -> Any:
    """`client.information_requests`' class: `ibanera.InformationRequests`."""
    return getattr(ibanera, "".join(w.capitalize() for w in area.split("_")))


def op_kind(name: str) -> str:
    area, method = name.split(".")
    ret = getattr(area_class(area), method).__annotations__["return"]
    if ret.startswith("Page["):
        return "page"
    if ret.startswith(("list[", "builtins.list[")):
        return "list"
    return "one"


def run(server: RecordingServer, is_async: bool, name: str, args: dict[str, Any]) -> Any:
    """Calls `name` with `args` against the recording server; the result or the exception."""
    import asyncio

    try:
        if is_async:

            async def go() -> Any:
                client = server_async_client(server)
                return await resolve(client, name)(**args)

            return asyncio.run(go())
        client = server_client(server)
        return resolve(client, name)(**args)
    except ibanera.IbaneraError as e:
        return e


@pytest.fixture(params=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    return request.param == "async"


def test_every_operation_has_a_vector() -> None:
    from ibanera._ibanera import OPERATION_PATHS

    names = sorted(v["endpoint"] for v in VECTORS_BY_NAME.values())
    assert names == sorted(OPERATION_PATHS)
    # ... and every method of every area class is an operation of the table.
    areas = {op.split(".")[0] for op in OPERATION_PATHS}
    ours = sorted(
        f"{area}.{m}" for area in areas for m in dir(area_class(area)) if not m.startswith("_")
    )
    assert names == ours


@pytest.mark.parametrize("name", sorted(VECTORS_BY_NAME))
def test_request_is_sent_exactly_as_the_spec_shows(
    name: str, recorder: RecordingServer, is_async: bool
) -> None:
    v = VECTORS_BY_NAME[name]
    first = v["responses"][0]
    recorder.respond(first["http_status"], first["body_text"])
    run(recorder, is_async, v["endpoint"], v["call"]["args"])
    assert len(recorder.requests) == 1, "one request"
    sent = recorder.requests[0]
    want = v["request"]
    assert sent.method == want["method"]
    assert sent.path == want["path"]
    assert sent.query == [tuple(p) for p in want["query"]]
    if want["body"] is None:
        assert sent.body == ""
    else:
        assert textual(sent.body) == v["_request_body_text"]


CASES = [
    (name, i) for name, v in sorted(VECTORS_BY_NAME.items()) for i in range(len(v["responses"]))
]


@pytest.mark.parametrize(("name", "index"), CASES)
def test_response_decodes_digit_for_digit(
    name: str, index: int, recorder: RecordingServer, is_async: bool
) -> None:
    v = VECTORS_BY_NAME[name]
    response = v["responses"][index]
    op = v["endpoint"]
    kind = op_kind(op)
    recorder.respond(response["http_status"], response["body_text"])
    result = run(recorder, is_async, op, v["call"]["args"])

    if "expect" in response:
        assert not isinstance(result, Exception), f"{name}: {result!r}"
        assert_subset(response["expect"], as_json(result, kind), name)
        secret = hasattr(result, "expose")
        assert_python_values(response["expect"], as_python(result, kind), name, secret)
    if "expect_error" in response:
        expect = response["expect_error"]
        assert isinstance(result, ibanera.ApiError), f"{name}: {result!r}"
        assert result.http_status == expect["http_status"]
        assert [
            {"errorType": e.error_type, "fieldName": e.field_name, "messageCode": e.message_code}
            for e in result.errors
        ] == expect["errors"]
        assert result.code in ("api_error", "authentication_error", "not_found")
    if "expect_details" in response:
        # The sample's details, byte for byte, under a successful envelope.
        body = response["body_text"]
        start = re.search(r'"details"\s*:\s*', body)
        assert start
        _, end = json.JSONDecoder().raw_decode(body, start.end())
        details = body[start.end() : end]
        recorder.respond(200, '{"status":"1","errors":[],"details":' + details + "}")
        result = run(recorder, is_async, op, v["call"]["args"])
        assert not isinstance(result, Exception), f"{name} details: {result!r}"
        got_json = as_json(result, kind)
        got_python = as_python(result, kind)
        if kind == "page":
            got_json, got_python = got_json["items"], got_python["items"]
        assert_subset(response["expect_details"], got_json, f"{name} details")
        assert_python_values(response["expect_details"], got_python, f"{name} details")


INVALID = [
    (name, i) for name, v in sorted(VECTORS_BY_NAME.items()) for i in range(len(v["invalid_calls"]))
]


@pytest.mark.parametrize(("name", "index"), INVALID)
def test_invalid_calls_are_refused_before_sending(
    name: str, index: int, recorder: RecordingServer, is_async: bool
) -> None:
    v = VECTORS_BY_NAME[name]
    bad = v["invalid_calls"][index]
    recorder.respond(200, "{}")
    result = run(recorder, is_async, v["endpoint"], bad["args"])
    assert isinstance(result, ibanera.ValidationError), repr(result)
    assert result.field == bad["field"]
    assert result.code == "validation_error"
    assert "nothing was sent" in str(result)
    assert recorder.requests == [], "nothing sent"


def test_there_are_invalid_calls_and_many_responses() -> None:
    assert len(INVALID) >= 15
    assert len(CASES) >= 24
