"""`client.recovery` against the sandbox, sync and async: after an `OutcomeUnknownError`, a
withdrawal or an exchange that executed is found, one that did not is not, and what merely
looks alike (another amount, account, pair or type, an older exchange) is left out."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

import ibanera

from conftest import BTC, ETH, MANAGER, Call

ADDRESS = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
WITHDRAW = "POST /api/v1/customer/accounts/crypto/withdraw"
BUY = "POST /api/v1/customer/crypto-exchanges/buy"
AMOUNT = Decimal("0.01")


async def withdraw(call: Call, amount: Decimal = AMOUNT, accounts_id: int = BTC) -> Any:
    return await call(
        "accounts.withdraw_crypto",
        accounts_id=accounts_id,
        amount=amount,
        destination_address=ADDRESS,
    )


async def buy(call: Call, amount: str = "0.02", **kwargs: Any) -> ibanera.Exchange:
    args: dict[str, Any] = {
        "customers_id": MANAGER,
        "asset_pair": "BTC/USDC",
        "quantity_type": "Amount",
        "amount": amount,
    }
    args.update(kwargs)
    exchange: ibanera.Exchange = await call("exchanges.buy", **args)
    return exchange


async def find_buys(call: Call, after_id: int | None, **kwargs: Any) -> list[ibanera.Exchange]:
    args: dict[str, Any] = {
        "customers_id": MANAGER,
        "asset_pair": "BTC/USDC",
        "exchange_type": "Buy",
        "amount": "0.02",
        "after_id": after_id,
    }
    args.update(kwargs)
    found: list[ibanera.Exchange] = await call("recovery.find_exchanges", **args)
    return found


def now() -> datetime:
    return datetime.now(timezone.utc)


async def test_a_withdrawal_that_executed_before_its_answer_was_lost_is_found(
    call: Call, sandbox: ibanera.Sandbox
) -> None:
    started = now()
    sandbox.inject_fault("accounts.withdraw_crypto", "drop_after_execute")
    with pytest.raises(ibanera.OutcomeUnknownError):
        await withdraw(call)
    assert sandbox.executions() == {WITHDRAW: 1}

    found = await call(
        "recovery.find_withdrawals", accounts_id=BTC, amount=AMOUNT, started_at=started
    )
    assert [type(t) for t in found] == [ibanera.Transaction]
    assert str(found[0].amount) == "-0.010000000000000000"
    assert found[0].accounts_id == BTC
    # The same question in the other forms the arguments take: str money, ISO text, naive UTC.
    for amount, at in (
        ("0.01", started.isoformat()),
        (0.01, started.replace(tzinfo=None)),
    ):
        again = await call(
            "recovery.find_withdrawals", accounts_id=BTC, amount=amount, started_at=at
        )
        assert [t.id for t in again] == [found[0].id]


async def test_a_withdrawal_dropped_before_it_executed_is_not_found_and_can_be_sent_again(
    call: Call, sandbox: ibanera.Sandbox
) -> None:
    started = now()
    sandbox.inject_fault("accounts.withdraw_crypto", {"kind": "dropBeforeExecute"})
    with pytest.raises(ibanera.OutcomeUnknownError):
        await withdraw(call)
    assert sandbox.executions() == {}
    args = {"accounts_id": BTC, "amount": AMOUNT, "started_at": started}
    assert await call("recovery.find_withdrawals", **args) == []

    await withdraw(call)  # safe: it had not run
    assert len(await call("recovery.find_withdrawals", **args)) == 1
    assert sandbox.executions() == {WITHDRAW: 1}


async def test_withdrawals_of_another_amount_or_account_do_not_match(
    call: Call, sandbox: ibanera.Sandbox
) -> None:
    started = now()
    await withdraw(call)
    await call(
        "accounts.withdraw_crypto",
        accounts_id=ETH,
        amount=AMOUNT,
        destination_address="0x52908400098527886E0F7030069857D2E4169EE7",
    )
    sandbox.credit_deposit(BTC, AMOUNT)  # a credit of the same amount is no withdrawal
    assert (
        await call("recovery.find_withdrawals", accounts_id=BTC, amount="0.02", started_at=started)
        == []
    )
    found = await call(
        "recovery.find_withdrawals", accounts_id=BTC, amount=AMOUNT, started_at=started
    )
    assert [(t.accounts_id, str(t.amount)) for t in found] == [(BTC, "-0.010000000000000000")]


async def test_an_exchange_that_executed_before_its_answer_was_garbled_is_found(
    call: Call, sandbox: ibanera.Sandbox
) -> None:
    before = await call("recovery.latest_exchange_id", customers_id=MANAGER)
    sandbox.inject_fault("exchanges.buy", "malformed_json")
    with pytest.raises(ibanera.OutcomeUnknownError) as e:
        await buy(call)
    assert isinstance(e.value.cause, ibanera.DecodeError)
    assert sandbox.executions() == {BUY: 1}

    found = await find_buys(call, before)
    assert [type(x) for x in found] == [ibanera.Exchange]
    assert str(found[0].request_amount) == "0.020000000000000000"
    assert found[0].exchange_type == "Buy" and found[0].asset_pair == "BTC/USDC"
    assert before is None or found[0].id > before
    assert await call("recovery.latest_exchange_id", customers_id=MANAGER) == found[0].id


async def test_an_exchange_dropped_before_it_executed_is_not_found(
    call: Call, sandbox: ibanera.Sandbox
) -> None:
    before = await call("recovery.latest_exchange_id", customers_id=MANAGER)
    sandbox.inject_fault("exchanges.buy", "drop_before_execute")
    with pytest.raises(ibanera.OutcomeUnknownError):
        await buy(call)
    assert sandbox.executions() == {}
    assert await find_buys(call, before) == []


async def test_exchanges_are_matched_on_pair_type_amount_or_price_and_newer_id(
    call: Call, sandbox: ibanera.Sandbox
) -> None:
    first = await buy(call)
    second = await buy(call)
    by_price = await buy(call, quantity_type="Price", amount=None, price="100")
    await call(
        "exchanges.sell",
        customers_id=MANAGER,
        asset_pair="BTC/USDC",
        quantity_type="Amount",
        amount="0.02",
    )

    assert [x.id for x in await find_buys(call, None)] == [second.id, first.id]
    assert [x.id for x in await find_buys(call, first.id)] == [second.id]
    assert await find_buys(call, second.id) == []
    assert await find_buys(call, None, amount="0.03") == []
    assert await find_buys(call, None, asset_pair="BTC/USD") == []
    sells = await find_buys(call, None, exchange_type=ibanera.ExchangeType.SELL)
    assert [x.exchange_type for x in sells] == ["Sell"]
    priced = await find_buys(call, None, amount=None, price=Decimal("100"))
    assert [x.id for x in priced] == [by_price.id]


async def test_latest_exchange_id_is_none_without_exchanges(call: Call) -> None:
    assert await call("recovery.latest_exchange_id", customers_id=1005) is None


@pytest.mark.parametrize(
    ("helper", "args", "field"),
    [
        ("find_withdrawals", {"accounts_id": "1057"}, "accounts_id"),
        ("find_withdrawals", {"accounts_id": True}, "accounts_id"),
        ("find_withdrawals", {"amount": float("nan")}, "amount"),
        ("find_withdrawals", {"amount": "1e-40"}, "amount"),
        ("find_withdrawals", {"started_at": datetime.now().date()}, "started_at"),
        ("find_withdrawals", {"started_at": "yesterday"}, "started_at"),
        ("find_withdrawals", {"timeout": -1}, "timeout"),
        ("find_exchanges", {"price": "100"}, "amount"),
        ("find_exchanges", {"amount": None}, "price"),
        ("find_exchanges", {"exchange_type": 3}, "exchange_type"),
        ("find_exchanges", {"asset_pair": " "}, "asset_pair"),
        ("find_exchanges", {"after_id": 1.5}, "after_id"),
        ("latest_exchange_id", {"customers_id": "1004"}, "customers_id"),
        ("latest_exchange_id", {"customers_id": Decimal(1004)}, "customers_id"),
    ],
)
async def test_bad_arguments_are_refused_before_anything_is_sent(
    mode: str, sandbox: ibanera.Sandbox, helper: str, args: dict[str, Any], field: str
) -> None:
    defaults: dict[str, dict[str, Any]] = {
        "find_withdrawals": {"accounts_id": BTC, "amount": AMOUNT, "started_at": now()},
        "find_exchanges": {
            "customers_id": MANAGER,
            "asset_pair": "BTC/USDC",
            "exchange_type": "Buy",
            "amount": "0.02",
        },
        "latest_exchange_id": {"customers_id": MANAGER},
    }
    kwargs = {**defaults[helper], **args}
    # A client that never logged in: still without a session afterwards, nothing was sent.
    client: Any = sandbox.client() if mode == "sync" else sandbox.async_client()
    with pytest.raises(ibanera.ValidationError) as e:
        result = getattr(client.recovery, helper)(**kwargs)
        if mode == "async":
            await result
    assert e.value.field == field, str(e.value)
    assert client.session is None
    assert sandbox.auth_stats().logins_succeeded == 0
