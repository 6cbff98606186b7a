"""A tour of the Ibanera SDK for Python against the embedded sandbox: the login session,
balances, a quote, a buy walked through compliance approval, a sell whose price moves during
review (review, confirm), the transactions it all wrote, typed errors, and a buy whose answer
is lost (checked before it is repeated). Run it with `make demo` or
`python examples/quickstart.py`.

Against the real service, replace the sandbox with `ibanera.Client.from_env()`
(IBANERA_USERNAME, IBANERA_PASSWORD, IBANERA_TOTP_SECRET) and leave out the `sandbox.*` steps
(approve, complete, set_price, inject_fault): compliance and the network do those.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import ibanera

CUSTOMER = 1004  # the sandbox's API user
BTC_ACCOUNT = 1057


def cell(value: Any) -> str:
    """Money without its 18 trailing zeros (the exact value still), times to the second."""
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def table(title: str, rows: Iterable[Any], columns: Sequence[str]) -> None:
    """Prints models (anything with `to_dict()`) or dicts as an aligned text table."""
    data = [r.to_dict() if hasattr(r, "to_dict") else dict(r) for r in rows]
    cells = [[cell(d.get(c)) for c in columns] for d in data]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    print(f"\n{title}")
    print(("  " + "  ".join(c.ljust(w) for c, w in zip(columns, widths))).rstrip())
    print("  " + "  ".join("-" * w for w in widths))
    for d, row in zip(data, cells):
        line = "  ".join(
            v.rjust(w) if isinstance(d.get(c), (int, Decimal)) else v.ljust(w)
            for v, c, w in zip(row, columns, widths)
        )
        print(("  " + line).rstrip())


def step(exchange: ibanera.Exchange, what: str) -> dict[str, Any]:
    return {"step": what, "id": exchange.id, "status": exchange.status}


def status_of(client: ibanera.Client, exchange_id: int) -> ibanera.Exchange:
    """The exchange as `exchanges.list` shows it now."""
    for exchange in client.exchanges.list(customers_id=CUSTOMER).auto_paging_iter():
        if exchange.id == exchange_id:
            return exchange
    raise LookupError(exchange_id)


def main() -> None:
    if "-v" in sys.argv:
        logging.basicConfig(level=logging.DEBUG, format="  [log] %(message)s")

    with ibanera.Sandbox() as sandbox:
        client = sandbox.client()  # username, password and TOTP secret of the sandbox
        print(f"Ibanera sandbox at {sandbox.base_url}  ({client.user_agent})")

        # 0. Calls log in by themselves; an explicit login shows the session (never the token).
        session = client.login()
        print(
            f"Signed in as {sandbox.username} (login id {session.login_id}); "
            f"the session lasts {session.expires_in} and is renewed before it ends"
        )

        # 1. Balances: money is a Decimal with the exact digits the API sent.
        balances = client.accounts.balances()
        table(
            "Balances (accounts.balances)",
            balances,
            ["id", "asset", "total_balance", "available_balance", "pending_balance"],
        )

        # 2. A quote prices an exchange without executing it.
        quote = client.exchanges.quote(
            customers_id=CUSTOMER,
            asset_pair="BTC/USDC",
            exchange_type="Buy",
            quantity_type="Amount",
            amount=Decimal("0.1"),
        )
        table(
            "Quote: buy 0.1 BTC with USDC (exchanges.quote)",
            [quote],
            ["asset_pair", "amount", "price", "commission_fee", "network_fee", "net_price"],
        )

        # 3. A buy, walked through compliance approval and settlement.
        buy = client.exchanges.buy(
            customers_id=CUSTOMER,
            asset_pair="BTC/USDC",
            quantity_type="Amount",
            amount=Decimal("0.1"),
        )
        steps = [step(buy, "buy")]
        sandbox.approve(buy.id)  # compliance (the sandbox's control endpoint)
        steps.append(step(status_of(client, buy.id), "approved by compliance"))
        sandbox.complete(buy.id)
        steps.append(step(status_of(client, buy.id), "settled"))
        table(
            "A buy, step by step (exchanges.buy, exchanges.list)", steps, ["step", "id", "status"]
        )

        # 4. A sell whose price moves while compliance reviews it: review, then confirm.
        sell = client.exchanges.sell(
            customers_id=CUSTOMER,
            asset_pair="BTC/USD",
            quantity_type="Amount",
            amount="0.05",
        )
        steps = [step(sell, "sell")]
        sandbox.set_price("BTC/USD", 61000)  # the market moves from 60000
        sandbox.approve(sell.id)
        steps.append(step(status_of(client, sell.id), "approved after a price move"))
        review = client.exchanges.review_quote(sell.id)
        table(
            "The new price (exchanges.review_quote)",
            [review],
            ["amount", "previous_price", "price", "commission_fee", "net_price"],
        )
        confirmed = client.exchanges.confirm_sell(
            exchanges_id=sell.id, amount=review.amount, price=review.price
        )
        steps.append(step(confirmed, "confirmed at the new price"))
        sandbox.complete(sell.id)
        steps.append(step(status_of(client, sell.id), "settled"))
        table(
            "A sell, step by step (exchanges.sell, review_quote, confirm_sell)",
            steps,
            ["step", "id", "status"],
        )

        # 5. What it all wrote: the BTC account's transactions, every page, lazily.
        page = client.accounts.transactions(accounts_id=BTC_ACCOUNT, page_size=2)
        table(
            f"BTC account {BTC_ACCOUNT}: transactions (accounts.transactions, "
            f"{page.number_of_pages} pages of 2)",
            page.auto_paging_iter(),
            ["id", "date_time", "amount", "pending", "description"],
        )
        btc = client.accounts.get(BTC_ACCOUNT)
        print(f"\nBTC balance now: {cell(btc.total_balance)} (2.5 + 0.1 bought - 0.05 sold)")

        # 6. Errors are typed: a withdrawal to a screened address is refused by the API...
        try:
            client.accounts.withdraw_crypto(
                accounts_id=BTC_ACCOUNT,
                amount="0.01",
                destination_address="bc1qscreened0000000000000000000000000000",
            )
        except ibanera.ApiError as e:
            print(f"\nRefused by the API: HTTP {e.http_status}, {e.errors[0].message_code}")
        # ... and bad input is refused before anything is sent.
        try:
            client.accounts.withdraw_crypto(
                accounts_id=BTC_ACCOUNT, amount=float("nan"), destination_address="bc1q"
            )
        except ibanera.ValidationError as e:
            print(f"Refused locally: {e.field} {e.rule}")

        # 7. A buy whose answer is lost on the way back. It may have executed, so the SDK does
        #    not send it again; check before repeating it.
        amount = Decimal("0.02")
        before = client.recovery.latest_exchange_id(customers_id=CUSTOMER)  # noted first
        sandbox.inject_fault("exchanges.buy", "drop_after_execute")  # the network fails
        try:
            client.exchanges.buy(
                customers_id=CUSTOMER, asset_pair="BTC/USDC", quantity_type="Amount", amount=amount
            )
        except ibanera.OutcomeUnknownError as e:
            print(f"\nOutcome unknown ({type(e.cause).__name__}): sent {e.sent}")
            found = client.recovery.find_exchanges(
                customers_id=CUSTOMER,
                asset_pair="BTC/USDC",
                exchange_type="Buy",
                amount=amount,
                after_id=before,
            )
            if found:
                print(
                    f"Checked: it did execute as exchange {found[0].id} ({found[0].status}); "
                    "not repeated"
                )
            else:
                print("Checked: it did not execute; safe to send again")


if __name__ == "__main__":
    main()
