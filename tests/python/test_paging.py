"""Paging, sync and async: every list call returns a page, and `auto_paging_iter()` walks the
following pages lazily. The number of requests is read from the `ibanera` logger (one record
per attempt)."""

from __future__ import annotations

import pytest

import ibanera

from conftest import UNVERIFIED_USD, Call, RequestLog, collect, next_page

TRANSACTIONS = "/accounts/transactions"


@pytest.fixture
def seeded(sandbox: ibanera.Sandbox) -> int:
    sandbox.seed_transactions(UNVERIFIED_USD, 25)
    return UNVERIFIED_USD


async def test_pages_carry_their_paging_fields(call: Call, seeded: int, mode: str) -> None:
    page = await call("accounts.transactions", accounts_id=seeded, page_size=10)
    assert isinstance(page, ibanera.AsyncPage if mode == "async" else ibanera.Page)
    assert (page.page_number, page.page_size, page.number_of_pages) == (1, 10, 3)
    assert len(page) == 10 and page.has_next_page
    assert repr(page) == "{}[Transaction](10 items, page 1 of 3, more pages)".format(
        "AsyncPage" if mode == "async" else "Page"
    )
    second = await next_page(page)
    third = await next_page(second)
    assert (second.page_number, third.page_number) == (2, 3)
    assert len(third) == 5 and not third.has_next_page
    assert await next_page(third) is None
    ids = [t.id for p in (page, second, third) for t in p]
    assert len(set(ids)) == 25
    assert ids == sorted(ids, reverse=True), "newest first"
    assert page[0].id == ids[0] and [t.id for t in page[1:3]] == ids[1:3]


async def test_auto_paging_is_lazy(call: Call, seeded: int, request_log: RequestLog) -> None:
    page = await call("accounts.transactions", accounts_id=seeded, page_size=10)
    assert len(request_log.requests(TRANSACTIONS)) == 1
    first = await collect(page, limit=10)
    assert len(first) == 10
    assert len(request_log.requests(TRANSACTIONS)) == 1, "the first page needs no request"
    eleven = await collect(page, limit=11)
    assert len(eleven) == 11
    assert len(request_log.requests(TRANSACTIONS)) == 2, "page 2 fetched when reached"
    everything = await collect(page)
    assert len(everything) == 25
    assert len({t.id for t in everything}) == 25
    # 1 (first page) + 1 (page 2 for eleven) + 2 (pages 2 and 3 for everything)
    requests = request_log.requests(TRANSACTIONS)
    assert len(requests) == 4
    assert [r.http_status for r in requests] == [200] * 4


async def test_walk_keeps_filters_and_options(call: Call, sandbox: ibanera.Sandbox) -> None:
    for _ in range(5):
        await call(
            "exchanges.buy",
            customers_id=1004,
            asset_pair="ETH/USD",
            quantity_type="Amount",
            amount="0.01",
        )
    await call(
        "exchanges.buy",
        customers_id=1004,
        asset_pair="BTC/USDC",
        quantity_type="Amount",
        amount="0.01",
    )
    page = await call("exchanges.list", customers_id=1004, asset_pair="ETH/USD", page_size=2)
    walked = await collect(page)
    assert len(walked) == 5
    assert all(e.asset_pair == "ETH/USD" for e in walked)


async def test_unpaginated_list_is_one_page(call: Call) -> None:
    page = await call("accounts.balances")
    assert len(page) == 4 and not page.has_next_page
    assert len(await collect(page)) == 4


async def test_empty_list(call: Call) -> None:
    page = await call("accounts.transactions", accounts_id=UNVERIFIED_USD)
    assert len(page) == 0 and not page
    assert page.number_of_pages == 0
    assert await collect(page) == []


async def test_an_error_while_walking_is_raised(
    call: Call, seeded: int, sandbox: ibanera.Sandbox
) -> None:
    page = await call("accounts.transactions", accounts_id=seeded, page_size=10, max_retries=0)
    sandbox.inject_fault("/api/v1/customer/accounts/transactions", "status", status=500)
    with pytest.raises(ibanera.ApiError) as e:
        await collect(page)
    assert e.value.http_status == 500


def test_ten_thousand_items(sandbox: ibanera.Sandbox, client: ibanera.Client) -> None:
    sandbox.seed_transactions(UNVERIFIED_USD, 10_000)
    page = client.accounts.transactions(accounts_id=UNVERIFIED_USD, page_size=1000)
    total = sum(t.amount for t in page.auto_paging_iter())
    assert total == 10_000
    assert page.number_of_pages == 10
