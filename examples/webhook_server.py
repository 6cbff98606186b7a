"""A small receiver of Ibanera callbacks, with Flask (`pip install flask`: an example's choice,
not a dependency of the SDK; any framework that gives the raw body and the headers will do).

It reads the body as raw bytes (before any JSON parsing: the signature covers those exact
bytes), verifies it with `ibanera.webhooks.construct_event`, dispatches the typed event by its
type, and answers 200. A bad signature gets 401 and a body that is not a callback 400, and
neither is acted on. A handler that fails makes the answer 500, so the sender tries again
later; a callback already handled (the same `id`, sent again) is acknowledged without being
handled twice.

    IBANERA_WEBHOOK_SECRET=... python examples/webhook_server.py --port 8000

With a stand-alone sandbox, `ibanera webhooks listen --forward-to
http://127.0.0.1:8000/ibanera/callbacks` registers this receiver and prints the secret (as
`export IBANERA_WEBHOOK_SECRET=...`); with the embedded one,
`sandbox.register_webhook(url)` returns it. tests/python/test_webhooks_sandbox.py runs this
receiver against the sandbox.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
from collections.abc import Callable

from flask import Flask, request

import ibanera
from ibanera import webhooks

log = logging.getLogger("webhook_server")

PATH = "/ibanera/callbacks"

Handler = Callable[[webhooks.Event], None]


def on_exchange(event: webhooks.Event) -> None:
    data = event.data
    assert isinstance(data, webhooks.ExchangeStatusUpdatedData)
    log.info(
        "exchange %s (%s %s) is now %s; executed %s at %s",
        data.id,
        data.exchange_type,
        data.asset_pair,
        data.status,
        data.executed_amount,
        data.executed_price,
    )


def on_crypto_transfer(event: webhooks.Event) -> None:
    data = event.data
    assert isinstance(data, webhooks.CryptoTransferData)
    amount = data.amount.amount if data.amount else None
    asset = data.amount.asset if data.amount else None
    log.info(
        "%s: transaction %s, %s %s, %s",
        event.type,
        data.transactions_id,
        amount,
        asset,
        data.status,
    )


def on_fiat_deposit(event: webhooks.Event) -> None:
    data = event.data
    assert isinstance(data, webhooks.FiatDepositReceivedData)
    log.info(
        "deposit of %s on account %s (flagged: %s)", data.amount, data.accounts_id, data.flagged
    )


def on_other(event: webhooks.Event) -> None:
    # Unknown types are not errors: a new type from the provider must not make this fail.
    log.info("%s %s: %s", event.type, "" if event.type.is_known else "(unknown)", event.to_json())


HANDLERS: dict[str, Handler] = {
    webhooks.EventType.EXCHANGE_STATUS_UPDATED: on_exchange,
    webhooks.EventType.CRYPTO_DEPOSIT_CREATED: on_crypto_transfer,
    webhooks.EventType.CRYPTO_DEPOSIT_UPDATED: on_crypto_transfer,
    webhooks.EventType.CRYPTO_WITHDRAWAL_CREATED: on_crypto_transfer,
    webhooks.EventType.CRYPTO_WITHDRAWAL_UPDATED: on_crypto_transfer,
    webhooks.EventType.FIAT_DEPOSIT_RECEIVED: on_fiat_deposit,
}


def dispatch(event: webhooks.Event) -> None:
    """Calls the handler of the event's type."""
    HANDLERS.get(event.type, on_other)(event)


def create_app(secret: str, on_event: Handler = dispatch) -> Flask:
    """The receiver: `POST /ibanera/callbacks`, verified with `secret`, handled by `on_event`."""
    app = Flask(__name__)
    handled: set[str] = set()  # a real service keeps this in its database
    lock = threading.Lock()

    @app.post(PATH)
    def callback() -> tuple[str, int]:
        body = request.get_data()  # the raw bytes, exactly as received
        try:
            event = webhooks.construct_event(body, request.headers, secret)
        except ibanera.SignatureVerificationError as e:
            log.warning("refused a callback: %s", e)
            return "signature refused\n", 401
        except ibanera.DecodeError as e:
            log.warning("not a callback: %s", e)
            return "not a callback\n", 400
        with lock:
            if event.id in handled:
                return "already handled\n", 200
            on_event(event)  # an exception here answers 500: the sender tries again later
            handled.add(event.id)
        return "ok\n", 200

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    secret = os.environ.get("IBANERA_WEBHOOK_SECRET", "")
    if not secret:
        raise SystemExit("set IBANERA_WEBHOOK_SECRET to the hash secret of your callbacks")
    create_app(secret).run(host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
