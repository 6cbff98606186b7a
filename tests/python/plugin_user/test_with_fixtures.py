"""A user's own test file: what a project that calls the SDK writes to test its code against a
fresh sandbox per test. It needs no conftest.py: the fixtures come with the installed package
(its pytest plugin). tests/python/test_pytest_plugin.py runs this file in a clean directory."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

import ibanera

BTC_ACCOUNT = 1057
USD_ACCOUNT = 1055
CUSTOMER = 1004
ADDRESS = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"


# The code under test: a tiny "buy and settle" service of the user's.
def buy_btc(client: ibanera.Client, amount: Decimal) -> ibanera.Exchange:
    return client.exchanges.buy(
        customers_id=CUSTOMER, asset_pair="BTC/USDC", quantity_type="Amount", amount=amount
    )


def withdraw_once(client: ibanera.Client, amount: Decimal) -> ibanera.Transaction | None:
    """Withdraws, and after a lost answer checks before sending again (never twice)."""
    started = datetime.now(timezone.utc)
    try:
        client.accounts.withdraw_crypto(
            accounts_id=BTC_ACCOUNT, amount=amount, destination_address=ADDRESS
        )
    except ibanera.OutcomeUnknownError:
        found = client.recovery.find_withdrawals(
            accounts_id=BTC_ACCOUNT, amount=amount, started_at=started
        )
        if found:
            return found[0]
        client.accounts.withdraw_crypto(
            accounts_id=BTC_ACCOUNT, amount=amount, destination_address=ADDRESS
        )
    return client.recovery.find_withdrawals(
        accounts_id=BTC_ACCOUNT, amount=amount, started_at=started
    )[0]


def test_a_buy_is_approved_and_settled(
    ibanera_client: ibanera.Client, ibanera_sandbox: ibanera.Sandbox
) -> None:
    exchange = buy_btc(ibanera_client, Decimal("0.1"))
    assert exchange.status == "WaitingForApproval"
    assert ibanera_sandbox.approve(exchange.id) == "Pending"
    assert ibanera_sandbox.complete(exchange.id) == "Completed"


def test_a_deposit_shows_in_the_balance(
    ibanera_client: ibanera.Client, ibanera_sandbox: ibanera.Sandbox
) -> None:
    before = ibanera_client.accounts.get(USD_ACCOUNT).available_balance
    ibanera_sandbox.credit_deposit(USD_ACCOUNT, "250.75")
    after = ibanera_client.accounts.get(USD_ACCOUNT).available_balance
    assert str(after - before) == "250.750000000000000000"


def test_a_lost_answer_is_not_withdrawn_twice(
    ibanera_client: ibanera.Client, ibanera_sandbox: ibanera.Sandbox
) -> None:
    ibanera_sandbox.inject_fault("accounts.withdraw_crypto", "drop_after_execute")
    tx = withdraw_once(ibanera_client, Decimal("0.01"))
    assert tx is not None and str(tx.amount) == "-0.010000000000000000"
    assert ibanera_sandbox.executions() == {"POST /api/v1/customer/accounts/crypto/withdraw": 1}


def test_an_answer_lost_before_it_ran_is_sent_again(
    ibanera_client: ibanera.Client, ibanera_sandbox: ibanera.Sandbox
) -> None:
    ibanera_sandbox.inject_fault("accounts.withdraw_crypto", {"kind": "dropBeforeExecute"})
    tx = withdraw_once(ibanera_client, Decimal("0.01"))
    assert tx is not None
    assert ibanera_sandbox.executions() == {"POST /api/v1/customer/accounts/crypto/withdraw": 1}


def test_the_service_being_down_is_reported(
    ibanera_client: ibanera.Client, ibanera_sandbox: ibanera.Sandbox
) -> None:
    ibanera_sandbox.inject_fault("accounts.balances", "status", status=503, count=10)
    with pytest.raises(ibanera.ApiError) as raised:
        ibanera_client.accounts.balances()
    assert raised.value.http_status == 503


@pytest.mark.ibanera_sandbox(token_ttl=1)
def test_sandbox_settings_come_from_the_marker(
    ibanera_client: ibanera.Client, ibanera_sandbox: ibanera.Sandbox
) -> None:
    assert ibanera_sandbox.token_ttl == 1.0
    session = ibanera_client.login()
    assert session.expires_in is not None and session.expires_in.total_seconds() == 1


@pytest.mark.asyncio
async def test_the_async_client(
    ibanera_async_client: ibanera.AsyncClient, ibanera_sandbox: ibanera.Sandbox
) -> None:
    page = await ibanera_async_client.accounts.transactions(accounts_id=USD_ACCOUNT)
    assert page.items
    assert ibanera_async_client.base_url == ibanera_sandbox.base_url
