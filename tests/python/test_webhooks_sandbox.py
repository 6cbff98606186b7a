"""End to end: the sandbox delivers signed callbacks of its own state changes to a receiver of
the kind `examples/webhook_server.py` shows (Flask, served on a real port), which verifies
them with `ibanera.webhooks`. A buy walked through approval arrives as EXCHANGE_STATUS_UPDATED
events in order; a receiver that answers 500 twice gets the event on the third attempt and
acknowledges it exactly once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, Callable

import pytest

import ibanera
from ibanera import webhooks

from conftest import BTC, MANAGER, load_webhook_example

pytest.importorskip("flask")
from werkzeug.serving import make_server  # noqa: E402 (Flask's server, present with Flask)

WAIT = 60  # seconds: generous, the check is on counts, not on time


class Receiver:
    """The example's app on 127.0.0.1:PORT in a thread. The app is set once the hash secret is
    known (the sandbox makes it when the receiver's URL is registered)."""

    def __init__(self) -> None:
        self.app: Any = None
        self.server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/ibanera/callbacks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _wsgi(self, environ: Any, start_response: Any) -> Any:
        assert self.app is not None, "a callback before the receiver was set up"
        return self.app(environ, start_response)

    def serve(self, secret: str, on_event: Callable[[webhooks.Event], None]) -> None:
        app = load_webhook_example().create_app(secret, on_event)
        app.testing = False  # a failing handler answers 500, as in production
        self.app = app

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def hooked() -> Iterator[ibanera.Sandbox]:
    # Retries after 50 ms, doubling: a receiver's third attempt comes within a second.
    with ibanera.Sandbox(webhook_retry_base=0.05, webhook_max_attempts=5) as sb:
        yield sb


@pytest.fixture
def receiver(hooked: ibanera.Sandbox) -> Iterator[Receiver]:
    hooked.reset()
    hooked.clear_webhooks()
    hooked.clear_deliveries()
    r = Receiver()
    yield r
    hooked.clear_webhooks()
    r.close()


async def run(client: Any, op: str, **kwargs: Any) -> Any:
    area, method = op.split(".")
    result = getattr(getattr(client, area), method)(**kwargs)
    return await result if isinstance(client, ibanera.AsyncClient) else result


async def test_a_buy_through_approval_arrives_as_signed_events_in_order(
    hooked: ibanera.Sandbox, receiver: Receiver, mode: str
) -> None:
    got: list[webhooks.Event] = []
    secret = hooked.register_webhook(receiver.url)
    receiver.serve(secret, got.append)
    client = hooked.client() if mode == "sync" else hooked.async_client()
    buy = await run(
        client,
        "exchanges.buy",
        customers_id=MANAGER,
        asset_pair="BTC/USDC",
        quantity_type="Amount",
        amount="0.1",
    )
    assert hooked.approve(buy.id) == "Pending"
    assert hooked.complete(buy.id) == "Completed"
    assert hooked.wait_for_deliveries(WAIT)
    mine = [
        e
        for e in got
        if e.type == webhooks.EventType.EXCHANGE_STATUS_UPDATED
        and isinstance(e.data, webhooks.ExchangeStatusUpdatedData)
        and e.data.id == buy.id
    ]
    assert [e.data.status for e in mine] == ["WaitingForApproval", "Pending", "Completed"]
    completed = mine[-1].data
    assert isinstance(completed, webhooks.ExchangeStatusUpdatedData)
    assert completed.asset_pair == "BTC/USDC" and completed.exchange_type == "Buy"
    assert str(completed.request_amount) == "0.1"
    # Each event delivered once, on its first attempt, and acknowledged.
    ids = [e.id for e in mine]
    deliveries = [d for d in hooked.deliveries() if d.event_id in ids]
    assert [(d.event_id, d.attempt, d.status, d.acknowledged) for d in deliveries] == [
        (i, 1, 200, True) for i in ids
    ]
    assert len(set(ids)) == 3


def test_a_receiver_answering_500_twice_gets_the_event_on_the_third_attempt(
    hooked: ibanera.Sandbox, receiver: Receiver
) -> None:
    attempts: list[webhooks.Event] = []
    handled: list[webhooks.Event] = []

    def flaky(event: webhooks.Event) -> None:
        attempts.append(event)
        if len(attempts) <= 2:
            raise RuntimeError("the database is down")
        handled.append(event)

    secret = hooked.register_webhook(receiver.url, secret="whsec_chosen_by_the_test")
    assert secret == "whsec_chosen_by_the_test"
    receiver.serve(secret, flaky)
    sent = hooked.trigger_webhook("EXCHANGE_STATUS_UPDATED", {"Status": "Pending"})
    assert hooked.wait_for_deliveries(WAIT)
    deliveries = [d for d in hooked.deliveries() if d.event_id == sent["id"]]
    assert [(d.attempt, d.status, d.acknowledged) for d in deliveries] == [
        (1, 500, False),
        (2, 500, False),
        (3, 200, True),
    ]
    assert [e.id for e in attempts] == [sent["id"]] * 3, "the same event each time"
    assert len(handled) == 1 and handled[0].type == "EXCHANGE_STATUS_UPDATED"
    assert handled[0].data.status == "Pending"  # type: ignore[union-attr]
    assert hooked.pending_deliveries() == 0


def test_a_receiver_given_at_start(receiver: Receiver) -> None:
    got: list[webhooks.Event] = []
    with ibanera.Sandbox(webhook_url=receiver.url, webhook_retry_base=0.05) as sandbox:
        assert sandbox.webhook_secret is not None
        assert sandbox.webhook_secret not in repr(sandbox)
        receiver.serve(sandbox.webhook_secret, got.append)
        [registered] = sandbox.webhooks()
        assert registered.url == receiver.url
        sandbox.credit_deposit(BTC, "0.25")
        assert sandbox.wait_for_deliveries(WAIT)
    types = [str(e.type) for e in got]
    assert types == ["CRYPTO_DEPOSIT_CREATED", "CRYPTO_DEPOSIT_UPDATED"]
    data = got[-1].data
    assert isinstance(data, webhooks.CryptoTransferData)
    assert data.amount is not None and str(data.amount.amount) == "0.25"
    assert data.status == "Completed"


def test_a_receiver_with_the_wrong_secret_never_acknowledges(
    hooked: ibanera.Sandbox, receiver: Receiver
) -> None:
    got: list[webhooks.Event] = []
    hooked.set_webhook_max_attempts(2)
    try:
        hooked.register_webhook(receiver.url)
        receiver.serve("whsec_not_the_one_the_sandbox_uses", got.append)
        sent = hooked.trigger_webhook("FIAT_DEPOSIT_RECEIVED")
        assert hooked.wait_for_deliveries(WAIT)
    finally:
        hooked.set_webhook_max_attempts(5)
    statuses = [d.status for d in hooked.deliveries() if d.event_id == sent["id"]]
    assert statuses == [401, 401], "refused by the example's verification, then given up"
    assert got == []
