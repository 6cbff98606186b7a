"""`examples/webhook_server.py` (Flask, when installed): the raw body verified, the event
dispatched by type, 200 for a handled or repeated callback, 401 for a bad signature, 400 for a
body that is not a callback, 500 (so the sender retries) when handling fails."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from types import ModuleType
from typing import Any

import pytest

from ibanera import webhooks

from conftest import VECTORS, load_webhook_example

pytest.importorskip("flask")

SECRET = "receiver-secret-1"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    module: ModuleType = load_webhook_example()
    return module


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    sig = base64.b64encode(hashlib.sha256(body + secret.encode()).digest()).decode()
    return {"Content-Type": "application/json", "Webhook-Signature": sig}


def vector_body(name: str) -> bytes:
    v = json.loads((VECTORS / "webhooks" / f"{name}.json").read_text())
    return str(v["body_text"]).encode()


def test_a_signed_callback_is_dispatched_once(example: ModuleType) -> None:
    got: list[webhooks.Event] = []
    client = example.create_app(SECRET, got.append).test_client()
    body = vector_body("customer.exchange_status_updated")
    reply = client.post(example.PATH, data=body, headers=signed(body))
    assert reply.status_code == 200
    [event] = got
    assert event.type == "EXCHANGE_STATUS_UPDATED"
    assert isinstance(event.data, webhooks.ExchangeStatusUpdatedData)
    assert str(event.data.executed_price) == "61250.120000000000000000"
    # The same callback again (a retry): acknowledged, not handled twice.
    again = client.post(example.PATH, data=body, headers=signed(body))
    assert again.status_code == 200 and len(got) == 1


def test_refusals(example: ModuleType) -> None:
    got: list[Any] = []
    client = example.create_app(SECRET, got.append).test_client()
    body = vector_body("customer.crypto_deposit_created")
    assert client.post(example.PATH, data=body, headers=signed(body, "other")).status_code == 401
    assert client.post(example.PATH, data=body).status_code == 401, "no signature header"
    assert client.post(example.PATH, data=body + b" ", headers=signed(body)).status_code == 401
    junk = b"not a callback"
    assert client.post(example.PATH, data=junk, headers=signed(junk)).status_code == 400
    assert got == []


def test_a_failing_handler_answers_500_and_the_retry_is_handled(example: ModuleType) -> None:
    calls: list[webhooks.Event] = []

    def flaky(event: webhooks.Event) -> None:
        calls.append(event)
        if len(calls) == 1:
            raise RuntimeError("database unavailable")

    app = example.create_app(SECRET, flaky)
    app.testing = False  # answer 500 as in production, instead of raising in the test
    client = app.test_client()
    body = vector_body("customer.fiat_deposit_received.standard")
    assert client.post(example.PATH, data=body, headers=signed(body)).status_code == 500
    assert client.post(example.PATH, data=body, headers=signed(body)).status_code == 200
    assert client.post(example.PATH, data=body, headers=signed(body)).status_code == 200
    assert len(calls) == 2


def test_the_default_dispatch_handles_every_type(
    example: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="webhook_server")
    client = example.create_app(SECRET).test_client()
    names = sorted(p.stem for p in (VECTORS / "webhooks").glob("customer.*.json"))
    for name in names:
        body = vector_body(name)
        assert client.post(example.PATH, data=body, headers=signed(body)).status_code == 200, name
    text = caplog.text
    assert "exchange 11669 (0 BTC/USD) is now Completed" in text
    assert "(unknown)" in text
