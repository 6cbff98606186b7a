"""Arrow exports of pages (``to_arrow``, ``to_pandas``, ``to_polars``, ``__arrow_c_stream__``)
against a sandbox holding 100,000 seeded transactions plus varied ones (deposits of every scale,
withdrawals with fees, exchanges in several states): every cell equals the object path's value
(amounts digit for digit, timestamps to the microsecond), for one page and for every page; the
CLI's Parquet read back by pyarrow the same way; polars and DuckDB through the PyCapsule
interface. Packages of the ``arrow`` extra are installed by tests/python/requirements.txt; a
test whose package is absent is skipped, saying which.
"""

from __future__ import annotations

import decimal
import os
import pickle
import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ibanera

from conftest import BTC, MANAGER, ROOT, RecordingServer, server_client

SEEDED = 100_000
PAGE = 1000

pa = pytest.importorskip("pyarrow", reason="pyarrow (the `arrow` extra) is not installed")


def varied_amounts() -> list[str]:
    """Every scale from 0 to 18 places, tiny and large values (under 10^9: the sandbox's
    balances must stay below 10^13)."""
    rng = random.Random(17)
    out = ["0.000000000000000001", "99999999.999999999999999999", "1", "0.1"]
    for k in range(300):
        places = k % 19
        whole = rng.randrange(0, 1_000_000_000)
        frac = "".join(str(rng.randrange(10)) for _ in range(places))
        text = f"{whole}.{frac}" if places else str(whole)
        if Decimal(text) != 0:
            out.append(text)
    return out


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[ibanera.Sandbox, ibanera.Client]]:
    with ibanera.Sandbox() as sb:
        client = sb.client(max_retries=0)
        accounts = [1055, 1056, 1057, 1058, 1060, 1061]
        for k, amount in enumerate(varied_amounts()):
            sb.credit_deposit(accounts[k % len(accounts)], amount)
        for k in range(1, 6):
            client.accounts.withdraw_crypto(
                accounts_id=BTC, amount=f"0.00{k}1", destination_address="bc1qexternal0001"
            )
        for k in range(8):
            buy = client.exchanges.buy(
                customers_id=MANAGER, asset_pair="BTC/USDC", quantity_type="Amount",
                amount=f"0.0{k + 1}",
            )  # fmt: skip
            if k % 4 in (1, 2):
                sb.approve(buy.id)
            if k % 4 == 2:
                sb.complete(buy.id)
            if k % 4 == 3:
                sb.reject(buy.id)
        sb.seed_transactions(1056, SEEDED)
        yield sb, client


def fixed(d: Decimal) -> str:
    return format(d, "f")


def exact_sum(values: Any) -> Decimal:
    """The exact sum (Python's default context keeps 28 digits and would round it)."""
    with decimal.localcontext(prec=80):
        return sum(values, Decimal(0))


def assert_rows_equal(table: Any, items: list[Any]) -> int:
    """Every cell of ``table`` equals the matching attribute of the objects: money digit for
    digit (``format(d, "f")``: the wire's scale is kept on both sides), timestamps exactly,
    ids, flags, text and enums by value. Returns the number of cells compared."""
    assert table.num_rows == len(items)
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    cells = 0
    for row, item in enumerate(items):
        for name, values in columns.items():
            got, want = values[row], getattr(item, name)
            if isinstance(want, Decimal):
                assert isinstance(got, Decimal) and fixed(got) == fixed(want), (row, name)
            elif isinstance(want, datetime):
                assert got == want, (row, name)
            elif want is None:
                assert got is None, (row, name)
            else:
                assert got == want and type(got) is type(want) or got == str(want), (row, name)
            cells += 1
    return cells


def test_schema_types_follow_the_models(world: Any) -> None:
    _, client = world
    table = client.accounts.transactions(page_size=10).to_arrow()
    schema = table.schema
    assert schema.field("id").type == pa.int64() and not schema.field("id").nullable
    assert schema.field("accounts_id").type == pa.int64() and schema.field("accounts_id").nullable
    assert schema.field("amount").type == pa.decimal128(38, 18)
    assert schema.field("date_time").type == pa.timestamp("us", tz="UTC")
    assert schema.field("pending").type == pa.bool_()
    # The columns are the model's attributes, in order.
    item = client.accounts.transactions(page_size=1).items[0]
    assert table.column_names == list(item.to_dict())
    exchanges = client.exchanges.list().to_arrow()
    status = exchanges.schema.field("status").type
    assert pa.types.is_dictionary(status) and status.value_type == pa.string()


def test_one_page_equals_the_objects(world: Any) -> None:
    _, client = world
    first = client.accounts.transactions(page_size=PAGE)
    assert first.number_of_pages and first.number_of_pages * PAGE >= SEEDED
    # The last page holds the oldest, varied transactions.
    last = client.accounts.transactions(page_size=PAGE, page_number=first.number_of_pages)
    scales = {-t.amount.normalize().as_tuple().exponent for t in last}
    assert len(scales) >= 15, scales
    assert any(t.amount < 0 for t in last) and any(t.to_accounts_id for t in last)
    for page in (first, last):
        table = page.to_arrow()
        assert assert_rows_equal(table, page.items) == len(page) * table.num_columns


def test_every_page_equals_the_objects(world: Any) -> None:
    _, client = world
    page = client.accounts.transactions(page_size=PAGE)
    table = page.to_arrow(all_pages=True)
    objects = list(page.auto_paging_iter())
    assert len(objects) > SEEDED
    assert any(t.pending for t in objects)
    assert assert_rows_equal(table, objects) == len(objects) * table.num_columns
    # From a later page on: that page and the ones after it.
    third = client.accounts.transactions(page_size=PAGE, page_number=3)
    assert third.to_arrow(all_pages=True).num_rows == len(objects) - 2 * PAGE


def test_pandas_money_is_exact_ids_stay_integers(world: Any) -> None:
    pd = pytest.importorskip("pandas", reason="pandas (the `arrow` extra) is not installed")
    _, client = world
    page = client.accounts.transactions(page_size=PAGE)
    frame = page.to_pandas(all_pages=True)
    objects = list(page.auto_paging_iter())
    assert len(frame) == len(objects)
    assert frame["amount"].dtype == pd.ArrowDtype(pa.decimal128(38, 18))
    assert pd.ArrowDtype(pa.decimal128(38, 18)) == frame["amount"].dtype
    assert frame["amount"].sum() == exact_sum(t.amount for t in objects)
    # Nullable ids are integers with <NA>, never floats or NaN.
    assert str(frame["from_transactions_id"].dtype) == "Int64"
    assert frame["from_transactions_id"].isna().sum() == sum(
        t.from_transactions_id is None for t in objects
    )
    linked = [t.to_accounts_id for t in objects if t.to_accounts_id is not None]
    assert [int(v) for v in frame["to_accounts_id"].dropna()] == linked
    assert str(frame["date_time"].dtype) == "datetime64[us, UTC]"
    assert list(frame["date_time"][:3]) == [t.date_time for t in objects[:3]]
    # Shown without trailing zeros or exponents; the values keep every digit.
    shown = frame[["amount"]].head(3).to_string() + page.to_pandas()["amount"].to_string()
    assert "E-" not in shown and "000000000000" not in shown
    balances = client.accounts.balances().to_pandas()
    zeros = balances["pending_balance"] == 0
    assert zeros.any()
    assert set(balances["pending_balance"][zeros].to_string().split()[1::2]) == {"0"}
    # A pickled frame comes back with the same exact column (and dtype).
    again = pickle.loads(pickle.dumps(frame.head(50)))
    assert again["amount"].dtype == frame["amount"].dtype
    assert list(again["amount"]) == list(frame["amount"].head(50))
    # money="decimal": Decimal objects equal to the objects' values.
    decimals = page.to_pandas(money="decimal")
    assert decimals["amount"].dtype == object
    assert list(decimals["amount"]) == [t.amount for t in page]
    assert all(isinstance(d, Decimal) for d in decimals["amount"])
    with pytest.raises(ValueError, match="money must be"):
        page.to_pandas(money="float")  # type: ignore[arg-type]


def test_polars_and_duckdb_through_the_capsule_interface(world: Any) -> None:
    _, client = world
    page = client.accounts.transactions(page_size=PAGE)
    objects = list(page.auto_paging_iter())
    total = exact_sum(t.amount for t in objects)
    try:
        import polars as pl
    except ImportError:
        pytest.skip("polars is not installed (pip install 'ibanera[arrow]')")
    frame = pl.DataFrame(page.arrow_stream(all_pages=True))
    assert frame.height == len(objects)
    assert frame.schema["amount"] == pl.Decimal(38, 18)
    assert frame["amount"].sum() == total
    assert frame["id"].to_list() == [t.id for t in objects]
    assert page.to_polars().height == len(page)
    assert pl.DataFrame(page)["id"].to_list() == [t.id for t in page]
    try:
        import duckdb
    except ImportError:
        pytest.skip("duckdb is not installed")
    stream = page.arrow_stream(all_pages=True)
    ((rows, amount),) = duckdb.sql("select count(*), sum(amount) from stream").fetchall()
    assert rows == len(objects) and amount == total
    with pytest.raises(ValueError, match="already read"):
        pa.table(stream)
    # pyarrow reads a page itself (its __arrow_c_stream__) without a copy.
    assert pa.table(page).column("id").to_pylist() == [t.id for t in page]


def cli_binary() -> Path:
    """The debug CLI `make test` built (built here when missing)."""
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    binary = target / "debug" / "ibanera"
    if not binary.exists():
        subprocess.run(
            ["cargo", "build", "-q", "-p", "ibanera-cli"], cwd=ROOT, check=True, timeout=1800
        )
    return binary


def test_the_cli_s_parquet_reads_back_equal_to_the_objects(world: Any, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed")
    sb, client = world
    out = tmp_path / "tx.parquet"
    env = {k: v for k, v in os.environ.items() if not k.startswith("IBANERA_")}
    env.update(
        IBANERA_BASE_URL=sb.base_url,
        IBANERA_USERNAME=sb.username,
        IBANERA_PASSWORD=sb.password,
        IBANERA_TOTP_SECRET=sb.totp_secret,
    )
    done = subprocess.run(
        [str(cli_binary()), "accounts", "transactions", "--all", "--output", "parquet",
         "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    objects = list(client.accounts.transactions(page_size=PAGE).auto_paging_iter())
    assert table.schema.field("amount").type == pa.decimal128(38, 18)
    assert assert_rows_equal(table, objects) == len(objects) * table.num_columns


def test_a_value_that_does_not_fit_names_the_field_and_the_row() -> None:
    server = RecordingServer()
    try:
        items = ",".join(
            f'{{"id": {i}, "amount": {"0.0000000000000000001" if i == 2 else "1.5"}}}'
            for i in range(3)
        )
        server.respond(
            200,
            f'{{"id": 0, "details": [{items}], "status": "1", "errors": [], '
            '"pageNumber": 1, "pageSize": 3, "numberOfPages": 1}',
        )
        page = server_client(server).accounts.transactions(page_size=3)
        # The object keeps every digit; the column type cannot: an error, never rounding.
        assert fixed(page.items[2].amount) == "0.0000000000000000001"
        with pytest.raises(ibanera.DecodeError, match=r"field `amount`, row 2 .*19 decimal places"):
            page.to_arrow()
    finally:
        server.close()


def test_without_pyarrow_the_error_names_the_extra(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, client = world
    page = client.accounts.balances()
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"pip install 'ibanera\[arrow\]'"):
        page.to_arrow()
    with pytest.raises(ImportError, match=r"ibanera\[arrow\]"):
        page.to_pandas()


async def test_an_async_page_exports_itself_but_not_every_page(world: Any) -> None:
    sb, _ = world
    page = await sb.async_client(max_retries=0).accounts.transactions(page_size=50)
    assert page.to_arrow().num_rows == 50
    with pytest.raises(ValueError, match="block the event loop"):
        page.to_arrow(all_pages=True)


def test_notebook_display_of_money_models_and_pages(world: Any) -> None:
    _, client = world
    balances = client.accounts.balances()
    html = balances._repr_html_()
    # Decimal points line up: each money cell is padded to the column's places with figure
    # spaces (U+2007), a whole number with a punctuation space (U+2008) for its point.
    cells = [c.split("</td>")[0] for c in html.split('white-space:pre">')[1:]]
    money = [c for c in cells if "." in c or "\u2008" in c]
    assert money and len({len(c) - c.find(".") if "." in c else 0 for c in money}) >= 1
    assert "000000000000000000" not in html
    account = client.accounts.get(1055)
    model = account._repr_html_()
    assert ">field</th>" in model and ">value</th>" in model
    assert "<th" in model and ">total_balance<" in model
    # The repr keeps every digit (the table shows the same value without trailing zeros).
    assert repr(account.total_balance) in repr(account)
    pair = client.exchanges.pairs()[0]
    assert ">raw<" not in pair._repr_html_() and ">asset_pair<" in pair._repr_html_()
    tx = client.accounts.transactions(page_size=1).items[0]
    shown = tx._repr_html_()
    assert tx.date_time is not None
    assert tx.date_time.strftime("%Y-%m-%d %H:%M:%S") + "<" in shown
