"""Every endpoint against the embedded sandbox, each test run twice: through the blocking
`Client` and through `AsyncClient` (the `call` fixture)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

import ibanera
from ibanera import ExchangeStatus, ExchangeType, QuantityType

from conftest import (
    BTC,
    ETH,
    MANAGEE,
    MANAGER,
    PAYEE,
    SCREENED,
    UNVERIFIED,
    USD,
    USDC,
    Call,
    collect,
)


async def test_accounts_create(call: Call) -> None:
    created = await call("accounts.create", customers_id=MANAGER, name="Ops wallet", asset="BTC")
    assert isinstance(created, ibanera.CreatedAccounts)
    assert created.customers_id == MANAGER
    [account] = created.accounts
    assert isinstance(account, ibanera.Account)
    assert account.id >= 3000
    assert account.asset == "BTC"
    assert account.name == "Ops wallet"
    assert account.total_balance == 0
    fetched = await call("accounts.get", account.id)
    assert fetched.id == account.id


async def test_accounts_get(call: Call) -> None:
    account = await call("accounts.get", USD)
    assert isinstance(account, ibanera.Account)
    assert account.id == USD
    assert account.customers_id == MANAGER
    assert account.asset == "USD"
    assert account.routing_number == "021214891"
    assert account.account_number == "357900001055"
    assert account.total_balance == Decimal("100000")
    assert format(account.total_balance, "f") == "100000.000000000000000000"
    assert account.available_balance + account.pending_balance == account.total_balance
    assert account.suppressed is False
    assert isinstance(account.date_added, datetime)
    assert account.date_added.tzinfo is not None
    assert account.date_added.isoformat() == "2024-01-15T09:30:00+00:00"
    # The positional id is also a keyword.
    assert (await call("accounts.get", id=USD)) == account


async def test_accounts_balances(call: Call) -> None:
    page = await call("accounts.balances")
    assert {b.id for b in page} == {USD, USDC, BTC, ETH}
    assert page.number_of_pages == 1
    assert all(isinstance(b, ibanera.Balance) for b in page)
    btc = next(b for b in page if b.id == BTC)
    assert btc.asset == "BTC"
    assert btc.total_balance == Decimal("2.5")
    paged = await call("accounts.balances", page_number=2, page_size=3)
    assert [b.id for b in paged] == [ETH]
    assert (paged.page_number, paged.page_size, paged.number_of_pages) == (2, 3, 2)


async def test_accounts_list(call: Call) -> None:
    page = await call("accounts.list", customers_id=MANAGEE)
    assert [a.id for a in page] == [1060, 1061]
    usdc = await call("accounts.list", customers_id=MANAGER, asset="USDC")
    assert [a.id for a in usdc] == [USDC]
    assert usdc[0].available_balance == Decimal("50000")


async def test_accounts_transactions(call: Call) -> None:
    page = await call("accounts.transactions", accounts_id=USD)
    assert [t.id for t in page] == [10000]
    [tx] = page
    assert isinstance(tx, ibanera.Transaction)
    assert tx.accounts_id == USD
    assert tx.amount == Decimal("100000")
    assert tx.pending is False and tx.cancellable is False
    assert tx.date_time is not None and tx.date_time.tzinfo is not None
    # Date filters: date, datetime and ISO strings.
    assert (
        len(await call("accounts.transactions", accounts_id=USD, from_date=date(2024, 1, 15))) == 1
    )
    none = await call(
        "accounts.transactions", accounts_id=USD, from_date="2024-01-16", to_date="2024-02-01"
    )
    assert len(none) == 0 and not none.has_next_page
    assert (
        len(
            await call(
                "accounts.transactions",
                accounts_id=USD,
                from_date=datetime(2024, 1, 15, 9, 0),
                to_date=datetime(2024, 1, 15, 11, 0),
            )
        )
        == 1
    )


async def test_accounts_transaction(call: Call) -> None:
    details = await call("accounts.transaction", 10000)
    assert isinstance(details, ibanera.TransactionDetails)
    assert details.transaction_id == 10000
    assert details.asset == "USD"
    assert details.amount == Decimal("100000")
    assert details.asset_class == "Currency"
    assert isinstance(details.asset_class, ibanera.AssetClass)
    assert isinstance(details.ach_transfer_details, ibanera.AchTransferDetails)
    assert details.wallet_transfer_details is None
    assert details.eligible_for_reversal in (True, False)
    wallet = await call("accounts.transaction", 10002)
    assert isinstance(wallet.wallet_transfer_details, ibanera.WalletTransferDetails)
    assert wallet.to_dict()["wallet_transfer_details"]["to_wallet_address"]


async def test_accounts_withdraw_crypto(call: Call, sandbox: ibanera.Sandbox) -> None:
    address = await call("accounts.deposit_address", ETH)
    w = await call(
        "accounts.withdraw_crypto",
        BTC,
        amount=Decimal("0.010000000000000000"),
        destination_address="bc1qexternalwallet0000000000000000000000",
    )
    assert isinstance(w, ibanera.Withdrawal)
    assert w.accounts_id == BTC
    assert w.amount == Decimal("-0.01") or w.amount == Decimal("0.01")
    btc = await call("accounts.get", BTC)
    assert btc.total_balance == Decimal("2.5") - Decimal("0.01") - Decimal("0.0001")
    assert sandbox.executions() == {"POST /api/v1/customer/accounts/crypto/withdraw": 1}
    assert address.address.startswith("0x5a4d")


async def test_accounts_deposit_address(call: Call) -> None:
    d = await call("accounts.deposit_address", BTC)
    assert isinstance(d, ibanera.DepositAddress)
    assert d.address == "bc1qsandbox" + str(BTC).rjust(30, "0")
    assert (await call("accounts.deposit_address", accounts_id=BTC)) == d


async def test_exchanges_pairs(call: Call) -> None:
    pairs = await call("exchanges.pairs")
    assert isinstance(pairs, list)
    names = [p.asset_pair for p in pairs]
    assert "BTC/USDC" in names and "ETH/USD" in names
    btc = next(p for p in pairs if p.asset_pair == "BTC/USDC")
    assert isinstance(btc, ibanera.AssetPair)
    assert (btc.base_asset, btc.quote_asset) == ("BTC", "USDC")
    assert btc.minimum_amount == Decimal("0.00001")
    assert btc.maximum_amount == Decimal("100")
    assert isinstance(btc.raw, dict) and btc.raw["assetPair"] == "BTC/USDC"


async def test_exchanges_quote(call: Call) -> None:
    # The provider's documented example (tests/vectors/exchanges.quote.json): buy BTC/USDC for a
    # price of 10.
    q = await call(
        "exchanges.quote",
        customers_id=MANAGER,
        asset_pair="BTC/USDC",
        quantity_type="Price",
        exchange_type=ExchangeType.BUY,
        price=10,
    )
    assert isinstance(q, ibanera.Quote)
    assert format(q.amount, "f") == "0.000066334991708126"
    assert q.price == 10
    assert q.commission_fee == Decimal("0.01990049751244")
    assert q.network_fee == 6
    assert q.net_price == Decimal("3.98009950248756")
    assert q.net_price == q.price - q.commission_fee - q.network_fee
    assert q.quantity_type == QuantityType.PRICE
    assert isinstance(q.fx_rate_id, int) and q.fx_rate_id >= 7000
    assert q.fx_rate_expiry_date is not None and q.fx_rate_expiry_date.tzinfo is not None


async def test_exchanges_buy(call: Call, sandbox: ibanera.Sandbox) -> None:
    ex = await call(
        "exchanges.buy",
        customers_id=MANAGER,
        asset_pair="BTC/USDC",
        quantity_type="Amount",
        amount="0.1",
    )
    assert isinstance(ex, ibanera.Exchange)
    assert ex.status == "WaitingForApproval"
    assert ex.status == ExchangeStatus.WAITING_FOR_APPROVAL
    assert ex.exchange_type == ExchangeType.BUY
    assert ex.request_amount == Decimal("0.1")
    assert ex.request_price == Decimal("6036")
    assert sandbox.approve(ex.id) == ExchangeStatus.PENDING
    assert sandbox.complete(ex.id) == "Completed"
    [listed] = await call("exchanges.list", customers_id=MANAGER)
    assert listed.id == ex.id and listed.status == ExchangeStatus.COMPLETED
    btc = await call("accounts.get", BTC)
    assert btc.total_balance == Decimal("2.6")
    usdc = await call("accounts.get", USDC)
    assert usdc.total_balance == Decimal("50000") - Decimal("6036")


async def test_exchanges_sell(call: Call, sandbox: ibanera.Sandbox) -> None:
    ex = await call(
        "exchanges.sell",
        customers_id=MANAGER,
        asset_pair="BTC/USD",
        quantity_type="Amount",
        amount=Decimal("0.05"),
    )
    assert ex.exchange_type == "Sell" and ex.status == "WaitingForApproval"
    # A sell from a quote: the quote's terms.
    q = await call(
        "exchanges.quote",
        customers_id=MANAGER,
        asset_pair="BTC/USD",
        quantity_type="Amount",
        exchange_type="Sell",
        amount="0.05",
    )
    by_quote = await call(
        "exchanges.sell", customers_id=MANAGER, asset_pair="BTC/USD", fx_rate_id=q.fx_rate_id
    )
    assert by_quote.request_amount == Decimal("0.05")
    # Proceeds to a payee need a transfer type.
    to_payee = await call(
        "exchanges.sell",
        customers_id=MANAGER,
        asset_pair="BTC/USD",
        quantity_type="Amount",
        amount="0.01",
        payees_id=PAYEE,
        transfer_type="Wire",
    )
    assert to_payee.payees_id == PAYEE
    assert sandbox.executions()["POST /api/v1/customer/crypto-exchanges/sell"] == 3


async def _sell_waiting_for_confirmation(call: Call, sandbox: ibanera.Sandbox) -> int:
    ex = await call(
        "exchanges.sell",
        customers_id=MANAGER,
        asset_pair="BTC/USD",
        quantity_type="Amount",
        amount="0.05",
    )
    sandbox.set_price("BTC/USD", 61000)
    assert sandbox.approve(ex.id) == ExchangeStatus.WAITING_FOR_CONFIRMATION
    return int(ex.id)


async def test_exchanges_list(call: Call, sandbox: ibanera.Sandbox) -> None:
    for pair in ("BTC/USDC", "ETH/USD", "BTC/USDC"):
        await call(
            "exchanges.buy",
            customers_id=MANAGER,
            asset_pair=pair,
            quantity_type="Amount",
            amount="0.01",
        )
    page = await call("exchanges.list", customers_id=MANAGER, asset_pair="BTC/USDC")
    assert len(page) == 2 and all(e.asset_pair == "BTC/USDC" for e in page)
    waiting = await call(
        "exchanges.list",
        customers_id=MANAGER,
        status=ExchangeStatus.WAITING_FOR_APPROVAL,
        exchange_type="Buy",
        page_size=2,
    )
    assert (len(waiting), waiting.number_of_pages, waiting.has_next_page) == (2, 2, True)
    assert len(await collect(waiting)) == 3


async def test_exchanges_review_quote(call: Call, sandbox: ibanera.Sandbox) -> None:
    ex_id = await _sell_waiting_for_confirmation(call, sandbox)
    review = await call("exchanges.review_quote", ex_id)
    assert isinstance(review, ibanera.ReviewQuote)
    assert review.amount == Decimal("0.05")
    assert review.price == Decimal("3050")
    assert review.previous_price == Decimal("3000")
    assert review.previous_amount == Decimal("0.05")


async def test_exchanges_confirm_sell(call: Call, sandbox: ibanera.Sandbox) -> None:
    ex_id = await _sell_waiting_for_confirmation(call, sandbox)
    review = await call("exchanges.review_quote", exchanges_id=ex_id)
    # The exchange's id positionally, the rest by name.
    confirmed = await call(
        "exchanges.confirm_sell", ex_id, amount=review.amount, price=review.price
    )
    assert isinstance(confirmed, ibanera.Exchange)
    assert confirmed.id == ex_id
    assert confirmed.status == ExchangeStatus.PENDING
    assert sandbox.complete(ex_id) == ExchangeStatus.COMPLETED


async def test_exchanges_cancel(call: Call, sandbox: ibanera.Sandbox) -> None:
    ex_id = await _sell_waiting_for_confirmation(call, sandbox)
    cancelled = await call("exchanges.cancel", ex_id)
    assert cancelled.id == ex_id
    assert cancelled.status == ExchangeStatus.FAILED
    with pytest.raises(ibanera.ApiError) as e:
        await call("exchanges.cancel", ex_id)
    assert e.value.has_code("Invalid_State")
    assert e.value.http_status == 400


# The seeded cards (sandbox/README.md): 1201 active and 1202 deactivated, the manager's; 1203
# active, the managee's.
CARD, CARD_OFF, MANAGEE_CARD = 1201, 1202, 1203


async def test_cards_list(call: Call) -> None:
    page = await call("cards.list")
    assert [c.customers_id for c in page] == [MANAGER, MANAGEE, UNVERIFIED]
    mine = page[0]
    assert isinstance(mine, ibanera.CustomerCards)
    assert mine.customers_reference == "CST1004"
    assert all(isinstance(c, ibanera.Card) for c in mine.cards)
    assert [(c.id, c.suppressed) for c in mine.cards] == [(CARD, False), (CARD_OFF, True)]
    assert mine.cards[0].total_balance is not None
    assert format(mine.cards[0].total_balance, "f") == "500.000000000000000000"
    assert page[2].cards == []
    second = await call("cards.list", page_number=2, page_size=1)
    assert [c.customers_id for c in second] == [MANAGEE]
    assert (second.page_number, second.number_of_pages) == (2, 3)


async def test_cards_by_customer(call: Call) -> None:
    [managee] = await call("cards.by_customer", customers_id=MANAGEE)
    assert isinstance(managee, ibanera.CustomerCards)
    assert [c.id for c in managee.cards] == [MANAGEE_CARD]
    everyone = await call("cards.by_customer")
    assert [c.customers_id for c in everyone] == [MANAGER, MANAGEE, UNVERIFIED]
    with pytest.raises(ibanera.NotFoundError) as e:
        await call("cards.by_customer", customers_id=9999)
    assert e.value.errors[0].field_name == "CustomersId"


async def test_cards_balances(call: Call) -> None:
    page = await call("cards.balances")
    # `customersID` is a string on this page's wire: read as the integer it is.
    assert [(b.id, b.customers_id, b.status) for b in page] == [
        (CARD, MANAGER, "Active"),
        (CARD_OFF, MANAGER, "Deactivated"),
        (MANAGEE_CARD, MANAGEE, "Active"),
    ]
    first = page[0]
    assert isinstance(first, ibanera.CardBalance)
    assert (first.card_holder_name, first.card_last4) == ("Alex Manager", "2018")
    assert format(first.total_balance, "f") == "500.000000000000000000"
    assert [b.id for b in await call("cards.balances", customers_id=MANAGEE)] == [MANAGEE_CARD]


async def test_cards_transactions(call: Call) -> None:
    page = await call("cards.transactions")
    # Newest first: the seeded top-ups of the managee's card, then of the manager's.
    assert [(t.id, t.cards_id) for t in page] == [(60001, MANAGEE_CARD), (60000, CARD)]
    [top_up] = await call("cards.transactions", cards_id=CARD)
    assert isinstance(top_up, ibanera.CardTransaction)
    assert format(top_up.amount, "f") == "500.000000000000000000"
    assert top_up.pending is False and top_up.refund_transactions_id is None
    assert top_up.date_time is not None and top_up.date_time.tzinfo is not None
    later = await call("cards.transactions", cards_id=CARD, from_date=date(2024, 1, 16))
    assert len(later) == 0


async def test_cards_get(call: Call) -> None:
    card = await call("cards.get", CARD)
    assert isinstance(card, ibanera.CardDetails)
    assert (card.customers_id, card.customers_reference) == (MANAGER, "CST1004")
    assert (card.card_holder_name, card.card_last4, card.status) == (
        "Alex Manager",
        "2018",
        "Active",
    )
    assert format(card.available_balance, "f") == "500.000000000000000000"
    assert (await call("cards.get", card_id=CARD)) == card


async def test_cards_sensitive_details(call: Call) -> None:
    details = await call("cards.sensitive_details", CARD)
    assert isinstance(details, ibanera.SensitiveCardDetails)
    assert sorted(details.keys()) == [
        "cardNumber",
        "cvc",
        "expiryMonth",
        "expiryYear",
        "id",
        "nameOnCard",
    ]
    values = details.expose()
    assert values["cardNumber"] == "4111110000012018"
    assert values["nameOnCard"] == "Alex Manager"
    assert values["cardNumber"] not in repr(details) and values["cvc"] not in str(details)


async def test_cards_transfer_funds(call: Call, sandbox: ibanera.Sandbox) -> None:
    done = await call(
        "cards.transfer_funds",
        transfer_type="TopUpCard",
        amount=Decimal("250"),
        currency_type="USD",
        customers_id=MANAGER,
        destination_card_id=CARD,
        customer_asset_account_id=USD,
        reference="Test",
    )
    assert isinstance(done, ibanera.CardTransfer)
    # The fee (1 %) comes out of the amount: the card gets 247.50.
    assert format(done.amount, "f") == "250.000000000000000000"
    assert format(done.fee_amount, "f") == "2.500000000000000000"
    assert done.description == "Card transfer - Test"
    assert done.pending is False
    assert done.from_transaction_id is not None and done.fee_transaction_id is not None
    card = await call("cards.get", CARD)
    assert format(card.total_balance, "f") == "747.500000000000000000"
    account = await call("accounts.get", USD)
    assert format(account.total_balance, "f") == "99750.000000000000000000"
    assert sandbox.executions() == {"POST /api/v1/customer/cards/transferfunds": 1}


async def test_cards_create(call: Call) -> None:
    address = {
        # Any spelling of a documented key; a key it does not list is sent as given.
        "shipping_address_line1": "Suite 500",
        "shippingAddressCity": "New York",
        "shipping_address_state": "NY",
        "shipping_address_postcode": "10001",
        "shipping_address_country": "USA",
        "shippingAddressLine2": "Floor 5",
    }
    created = await call(
        "cards.create",
        customers_id=MANAGER,
        currency="USD",
        card_reference_id="CARD-REF-001",
        shipping_method="Standard",
        card_program_id=1002,
        card_type="Virtual",
        shipping_address=address,
    )
    assert isinstance(created, ibanera.CreatedCard)
    assert (created.customers_id, created.customers_reference) == (MANAGER, "CST1004")
    assert created.card is not None and created.card.id >= 1300
    assert created.card.status == "Deactivated"
    assert created.card.total_balance == 0
    assert (await call("cards.get", created.card.id)).status == "Deactivated"
    # A documented key missing: refused naming it inside the object, nothing sent.
    with pytest.raises(ibanera.ValidationError) as e:
        await call(
            "cards.create",
            customers_id=MANAGER,
            currency="USD",
            card_reference_id="CARD-REF-002",
            shipping_method="Standard",
            card_program_id=1002,
            shipping_address={k: v for k, v in address.items() if k != "shippingAddressCity"},
        )
    assert e.value.field == "shipping_address.shipping_address_city"


async def test_simulations_payin(call: Call, sandbox: ibanera.Sandbox) -> None:
    before = await call("accounts.get", USD)
    result = await call(
        "simulations.payin",
        destination_account_id=USD,
        transfer_type="ACH",
        amount=Decimal("125.50"),
        name="Alex Manager",
        reference="PAYIN-1",
    )
    assert result is None
    # A pending deposit: in the total and pending balances, not yet available.
    after = await call("accounts.get", USD)
    assert after.total_balance - before.total_balance == Decimal("125.50")
    assert after.pending_balance - before.pending_balance == Decimal("125.50")
    assert after.available_balance == before.available_balance
    [deposit] = sandbox.pending_transactions()
    sandbox.settle_transaction(deposit)
    settled = await call("accounts.get", USD)
    assert settled.available_balance - before.available_balance == Decimal("125.50")


async def _screened_withdrawal(call: Call) -> None:
    """A withdrawal to the screened address: refused, and compliance opens information request
    4000 for the manager."""
    with pytest.raises(ibanera.ApiError) as e:
        await call("accounts.withdraw_crypto", BTC, amount="0.01", destination_address=SCREENED)
    assert e.value.has_code("Transaction_Blocked")


async def test_information_requests_list(call: Call) -> None:
    assert len(await call("information_requests.list")) == 0
    await _screened_withdrawal(call)
    [rfi] = await call("information_requests.list", customers_id=MANAGER)
    assert isinstance(rfi, ibanera.InformationRequest)
    assert rfi.id == 4000
    assert rfi.raw["customersId"] == MANAGER
    assert rfi.raw["status"] == "Open" and rfi.raw["transactionsId"] is None
    assert len(await call("information_requests.list", customers_id=MANAGEE)) == 0


async def test_information_requests_get(call: Call) -> None:
    await _screened_withdrawal(call)
    rfi = await call("information_requests.get", 4000)
    assert isinstance(rfi, ibanera.InformationRequest)
    assert (rfi.id, rfi.raw["status"]) == (4000, "Open")
    assert [r["type"] for r in rfi.raw["requestedInformation"]] == ["Question", "Document"]
    assert (await call("information_requests.get", id=4000)) == rfi
    with pytest.raises(ibanera.NotFoundError):
        await call("information_requests.get", 4999)


async def test_transactions_cancellation_eligibility(call: Call, sandbox: ibanera.Sandbox) -> None:
    settled = await call("transactions.cancellation_eligibility", 10000)
    assert isinstance(settled, ibanera.CancellationEligibility)
    assert (settled.id, settled.cancellable) == (10000, False)
    # `reset()` keeps settings: the shared sandbox gets its default back.
    sandbox.set_hold_withdrawals(True)
    try:
        held = await call(
            "accounts.withdraw_crypto",
            BTC,
            amount="0.01",
            destination_address="bc1qexternalwallet0000000000000000000000",
        )
    finally:
        sandbox.set_hold_withdrawals(False)
    pending = await call("transactions.cancellation_eligibility", held.id, customers_id=MANAGER)
    assert (pending.id, pending.cancellable) == (held.id, True)
    sandbox.settle_transaction(held.id)
    assert not (await call("transactions.cancellation_eligibility", held.id)).cancellable


async def test_fx_pairs(call: Call) -> None:
    pairs = await call("fx.pairs")
    assert all(isinstance(p, ibanera.CurrencyPair) for p in pairs)
    rates = {p.raw["currencyPair"]: p.raw["rate"] for p in pairs}
    assert rates == {
        "USD/EUR": Decimal("0.9215"),
        "USD/GBP": Decimal("0.7890"),
        "EUR/USD": Decimal("1.0852"),
        "GBP/USD": Decimal("1.2674"),
    }


def served(sandbox: ibanera.Sandbox) -> set[str]:
    """The operations whose path the sandbox routes: a path it has no route for is answered 404
    with an error naming no field (an endpoint the core declares before the sandbox serves it;
    the vectors replay those)."""
    from ibanera._ibanera import OPERATION_PATHS

    client = sandbox.client(max_retries=0)
    out = set()
    for op, path in OPERATION_PATHS.items():
        try:
            client.request("GET", path)
        except ibanera.NotFoundError as e:
            if all(not item.field_name for item in e.errors):
                continue
        except ibanera.IbaneraError:
            pass  # routed, and refused for its method or its missing arguments
        out.add(op)
    return out


def test_every_operation_the_sandbox_serves_is_covered(sandbox: ibanera.Sandbox) -> None:
    # Every other test of this module is the test of one operation.
    names = {n for n in globals() if n.startswith("test_")}
    names -= {"test_every_operation_the_sandbox_serves_is_covered"}
    from ibanera._ibanera import OPERATION_PATHS

    operations = served(sandbox)
    # The sandbox serves every declared operation (so none is tested by its vector alone, and a
    # route lost from the sandbox fails here rather than shrinking the set).
    assert operations == set(OPERATION_PATHS)
    # The probe tells a missing route apart (else the equality above would hold vacuously).
    with pytest.raises(ibanera.NotFoundError) as e:
        sandbox.client(max_retries=0).request("GET", "/api/v1/customer/no-such-endpoint")
    assert all(not item.field_name for item in e.value.errors)
    assert names == {"test_" + op.replace(".", "_") for op in operations}
