"""`Sandbox` helpers: `inject_fault` takes the control endpoint's fault object (a dict,
camelCase or snake_case) and the same description as keyword arguments, with the same
effect; held withdrawals are settled or failed by hand; information requests are opened and
decided, cards activated and deactivated, card fees counted."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ibanera

from conftest import BTC, MANAGER, USD

ADDRESS = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
ACCOUNT_PATH = "/api/v1/customer/accounts/account"
BLOCKED = {
    "id": 0,
    "details": None,
    "status": "0",
    "errors": [
        {"errorType": "BadRequest", "fieldName": "Amount", "messageCode": "Transaction_Blocked"}
    ],
}


@pytest.fixture
def bare(sandbox: ibanera.Sandbox) -> ibanera.Client:
    """No retries: a fault's answer is what the call raises."""
    return sandbox.client(max_retries=0)


@pytest.mark.parametrize(
    ("kind", "settings"),
    [
        ("status", {"status": 429, "retry_after": 7}),
        ({"kind": "status", "status": 429, "retryAfter": "7"}, {}),
        ({"kind": "Status", "status": 429, "retry_after": 7}, {}),
    ],
    ids=["keywords", "control-endpoint-dict", "snake-case-dict"],
)
def test_a_fault_as_keywords_or_as_the_endpoint_s_dict(
    sandbox: ibanera.Sandbox, bare: ibanera.Client, kind: Any, settings: dict[str, Any]
) -> None:
    sandbox.inject_fault("accounts.get", kind, **settings)
    with pytest.raises(ibanera.RateLimitError) as e:
        bare.accounts.get(USD)
    assert e.value.retry_after == 7.0
    assert bare.accounts.get(USD).id == USD  # one request only (count=1)


@pytest.mark.parametrize("as_dict", [False, True])
def test_a_status_fault_s_body_may_be_an_envelope_dict(
    sandbox: ibanera.Sandbox, bare: ibanera.Client, as_dict: bool
) -> None:
    if as_dict:
        sandbox.inject_fault(ACCOUNT_PATH, {"kind": "status", "status": 400, "body": BLOCKED})
    else:
        sandbox.inject_fault(ACCOUNT_PATH, "status", status=400, body=BLOCKED)
    with pytest.raises(ibanera.ApiError) as e:
        bare.accounts.get(USD)
    assert e.value.http_status == 400 and e.value.has_code("Transaction_Blocked")


def test_count_and_the_camel_case_kind(sandbox: ibanera.Sandbox, bare: ibanera.Client) -> None:
    sandbox.inject_fault("accounts.get", "statusZero", count=2)
    for _ in range(2):
        with pytest.raises(ibanera.ApiError) as e:
            bare.accounts.get(USD)
        assert e.value.has_code("Sandbox_Fault")
    assert bare.accounts.get(USD).id == USD


def test_bad_fault_descriptions_are_refused(sandbox: ibanera.Sandbox) -> None:
    with pytest.raises(ValueError, match="inside the fault dict"):
        sandbox.inject_fault("accounts.get", {"kind": "status"}, status=503)
    with pytest.raises(ibanera.SandboxError, match="unknown fault kind"):
        sandbox.inject_fault("accounts.get", "teapot")  # type: ignore[arg-type]
    with pytest.raises(ibanera.SandboxError, match="status"):
        sandbox.inject_fault("accounts.get", {"kind": "status", "status": 99})
    with pytest.raises(ValueError, match="neither a path nor an operation"):
        sandbox.inject_fault("accounts.nope", "status", status=503)
    sandbox.clear_faults()


def test_held_withdrawals_are_settled_or_failed_by_hand() -> None:
    # A sandbox of its own: `reset()` keeps settings, so the shared one must not be changed.
    with ibanera.Sandbox(hold_withdrawals=True) as sandbox:
        client = sandbox.client(max_retries=0)
        assert sandbox.hold_withdrawals
        before = client.accounts.get(BTC)
        first = client.accounts.withdraw_crypto(
            accounts_id=BTC, amount="0.01", destination_address=ADDRESS
        )
        second = client.accounts.withdraw_crypto(
            accounts_id=BTC, amount="0.02", destination_address=ADDRESS
        )
        assert first.pending and second.pending
        assert sandbox.pending_transactions() == [first.id, second.id]
        held = client.accounts.get(BTC)
        assert held.total_balance == before.total_balance  # reserved, not gone
        assert held.available_balance is not None and before.available_balance is not None
        assert before.available_balance - held.available_balance > Decimal("0.03")

        sandbox.settle_transaction(first.id)
        sandbox.fail_transaction(second.id)
        assert sandbox.pending_transactions() == []
        listed = {t.id: t for t in client.accounts.transactions(accounts_id=BTC)}
        assert not listed[first.id].pending and not listed[second.id].pending
        with pytest.raises(ibanera.SandboxError, match="Pending"):
            sandbox.settle_transaction(first.id)
        # The settled one (and its fee) left the account; the failed one moved nothing.
        after = client.accounts.get(BTC)
        assert after.total_balance == after.available_balance
        assert before.total_balance is not None and after.total_balance is not None
        spent = before.total_balance - after.total_balance
        assert Decimal("0.01") < spent < Decimal("0.02"), spent

        sandbox.set_hold_withdrawals(False)
        assert not sandbox.hold_withdrawals
        third = client.accounts.withdraw_crypto(
            accounts_id=BTC, amount="0.01", destination_address=ADDRESS
        )
        assert not third.pending
        assert sandbox.pending_transactions() == []


def test_information_requests_are_opened_and_decided_once() -> None:
    with ibanera.Sandbox() as sandbox:
        client = sandbox.client()
        opened = sandbox.open_information_request(MANAGER)
        assert client.information_requests.get(opened).raw["status"] == "Open"
        sandbox.resolve_information_request(opened, "MoreInformationRequired")
        assert client.information_requests.get(opened).raw["status"] == "MoreInformationRequired"
        sandbox.resolve_information_request(opened, "Accepted")
        assert client.information_requests.get(opened).raw["status"] == "Accepted"
        with pytest.raises(ibanera.SandboxError):
            sandbox.resolve_information_request(opened, "Rejected")  # final already
        deposit = sandbox.credit_deposit(USD, "1")
        about = sandbox.open_information_request(MANAGER, transactions_id=deposit)
        assert client.information_requests.get(about).raw["transactionsId"] == deposit
        with pytest.raises(ibanera.SandboxError):
            sandbox.resolve_information_request(about, "Maybe")
        with pytest.raises(ibanera.SandboxError):
            sandbox.open_information_request(MANAGER, transactions_id=999_999)


def test_a_deactivated_card_takes_no_transfer_until_activated() -> None:
    card = 1202  # the manager's, seeded Deactivated (sandbox/README.md)
    with ibanera.Sandbox() as sandbox:
        client = sandbox.client(max_retries=0)

        def top_up() -> None:
            client.cards.transfer_funds(
                transfer_type="TopUpCard",
                amount="5.00",
                currency_type="USD",
                customers_id=MANAGER,
                destination_card_id=card,
                customer_asset_account_id=USD,
            )

        with pytest.raises(ibanera.ApiError) as e:
            top_up()
        assert [(i.field_name, i.message_code) for i in e.value.errors] == [
            ("DestinationCardId", "Invalid")
        ]
        assert sandbox.card_fees_collected() == Decimal("0")
        sandbox.activate_card(card)
        assert client.cards.get(card).status == "Active"
        before = client.cards.get(card).available_balance
        top_up()
        after = client.cards.get(card).available_balance
        assert before is not None and after is not None and after > before
        fees = sandbox.card_fees_collected()
        assert isinstance(fees, Decimal) and fees > 0
        # What left the account is what reached the card plus the fee, to the cent.
        assert after - before + fees == Decimal("5.00")
        sandbox.deactivate_card(card)
        assert client.cards.get(card).status == "Deactivated"
        with pytest.raises(ibanera.ApiError):
            top_up()
        with pytest.raises(ibanera.SandboxError):
            sandbox.activate_card(999_999)


def test_a_misspelt_fault_kind_fails_mypy(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    source = tmp_path / "kinds.py"
    source.write_text(
        "import ibanera\n\n\n"
        "def faults(sandbox: ibanera.Sandbox) -> None:\n"
        '    sandbox.inject_fault("accounts.get", "dropAfterExecute")\n'
        '    sandbox.inject_fault("accounts.get", "drop_after_execute")\n'
        '    sandbox.inject_fault("accounts.get", {"kind": "any text: checked at run time"})\n'
        '    sandbox.inject_fault("accounts.get", "drop_after_exectue")  # line 8\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "kinds.py:8:" in errors[0], result.stdout
    assert "[arg-type]" in errors[0]
