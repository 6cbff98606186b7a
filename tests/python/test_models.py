"""Models, enums, pages as tables, Totp, and the package's generated files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from decimal import Decimal

import pytest

import ibanera
from ibanera import ExchangeStatus, QuantityType, TransferType

from conftest import BTC, ROOT, USD


def test_model_attributes_repr_dict_json(client: ibanera.Client) -> None:
    account = client.accounts.get(USD)
    assert type(account).__name__ == "Account" and type(account).__module__ == "ibanera"
    r = repr(account)
    assert r.startswith("Account(id=1055, customers_id=1004, name='USD Account'")
    assert "total_balance=Decimal('100000.000000000000000000')" in r
    assert "swift_code" not in r, "None fields are left out of the repr"
    d = account.to_dict()
    assert list(d)[:3] == ["id", "customers_id", "name"]
    assert d["swift_code"] is None
    assert d["total_balance"] == Decimal("100000") and isinstance(d["total_balance"], Decimal)
    assert d["date_added"] == datetime(2024, 1, 15, 9, 30, tzinfo=timezone.utc)
    j = json.loads(account.to_json())
    assert j["totalBalance"] == "100000.000000000000000000"
    assert j["dateAdded"] == "2024-01-15T09:30:00Z"
    assert j["suppressed"] is False
    assert account == client.accounts.get(USD)
    assert account != client.accounts.get(BTC)
    assert account != "Account"
    with pytest.raises(TypeError):
        hash(account)
    with pytest.raises(AttributeError):
        account.id = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        ibanera.Account()  # type: ignore[call-arg]


def test_nested_models(client: ibanera.Client) -> None:
    details = client.accounts.transaction(10000)
    ach = details.ach_transfer_details
    assert isinstance(ach, ibanera.AchTransferDetails)
    assert details.ach_transfer_details is ach, "built once"
    d = details.to_dict()
    assert isinstance(d["ach_transfer_details"], dict)
    assert d["asset_class"] == "Currency" and type(d["asset_class"]) is str
    assert "ach_transfer_details=AchTransferDetails(" in repr(details)
    created = client.accounts.create(customers_id=1004, name="Nested", asset="USD")
    assert isinstance(created.to_dict()["accounts"][0], dict)


def test_enums_compare_to_strings_and_keep_unknown_values() -> None:
    assert ExchangeStatus.COMPLETED == "Completed"
    assert isinstance(ExchangeStatus.COMPLETED, str)
    assert repr(ExchangeStatus.WAITING_FOR_APPROVAL) == "ExchangeStatus('WaitingForApproval')"
    assert ExchangeStatus("OnHold") == "OnHold" and not ExchangeStatus("OnHold").is_known
    assert ExchangeStatus.PENDING.is_known
    assert TransferType.ACH == "ACH" and TransferType.SWIFT == "SWIFT"
    assert QuantityType.KNOWN == ("Price", "Amount")
    assert {ExchangeStatus.FAILED: 1}["Failed"] == 1
    assert f"{ExchangeStatus.REJECTED}" == "Rejected"


def test_page_renders_as_a_table(client: ibanera.Client) -> None:
    page = client.accounts.balances()
    html = page._repr_html_()
    assert html.startswith("<table>") and ">total_balance</th>" in html
    # Money without its trailing zeros (the value itself keeps them: repr below).
    assert ">100000<" in html.replace("\u2008", "<").replace("\u2007", "")
    assert "100000.000000000000000000" in repr(page.items[0])
    d = page.to_dict()
    assert d["page_number"] == 1 and len(d["items"]) == 4
    assert ibanera.Page[ibanera.Balance] is not None
    empty = client.accounts.transactions(accounts_id=1062)
    assert "0 items" in empty._repr_html_()


def test_totp() -> None:
    # RFC 6238 appendix B, SHA-1, 8 digits (secret "12345678901234567890").
    totp = ibanera.Totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", digits=8)
    assert totp.at(59) == "94287082"
    assert totp.at(datetime(2033, 5, 18, 3, 33, 20, tzinfo=timezone.utc)) == "69279037"
    assert totp.verify("94287082", at=59)
    assert not totp.verify("94287082", at=1000)
    assert (totp.digits, totp.step, totp.algorithm) == (8, 30, "SHA1")
    assert repr(totp) == "Totp(algorithm='SHA1', digits=8, step=30)"
    six = ibanera.Totp("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")
    assert six.at(59) == "287082"
    assert len(six.now()) == 6 and 1 <= six.seconds_left() <= 30
    with pytest.raises(ibanera.ConfigurationError):
        ibanera.Totp("JBSWY3DP")  # 40 bits


def test_version_and_user_agent(client: ibanera.Client) -> None:
    assert ibanera.__version__
    assert client.user_agent == (
        f"ibanera-rust/{ibanera.__version__} ibanera-python/{ibanera.__version__}"
    )


def test_sandbox_helpers(sandbox: ibanera.Sandbox, client: ibanera.Client) -> None:
    assert sandbox.base_url.startswith("http://127.0.0.1:")
    assert sandbox.price("BTC/USDC") == 60000
    sandbox.set_price("BTC/USDC", Decimal("61000.5"))
    assert sandbox.price("BTC/USDC") == Decimal("61000.5")
    tx = sandbox.credit_deposit(USD, "250.75")
    assert client.accounts.transaction(tx).amount == Decimal("250.75")
    assert client.accounts.get(USD).total_balance == Decimal("100250.75")
    sandbox.inject_fault("accounts.get", "status", status=500)
    with pytest.raises(ibanera.ApiError):
        client.accounts.get(USD)
    sandbox.inject_fault("accounts.get", "status", status=500)
    sandbox.clear_faults()
    assert client.accounts.get(USD).id == USD
    assert not sandbox.strict_otp
    with ibanera.Sandbox(strict_otp=True) as strict:
        assert strict.strict_otp
        strict.set_strict_otp(False)
        assert not strict.strict_otp
        assert strict.client().accounts.get(USD).id == USD
    assert not strict.running and "closed" in repr(strict)
    strict.close()  # idempotent


def test_client_from_env(sandbox: ibanera.Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("IBANERA_ACCESS_TOKEN", "IBANERA_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IBANERA_USERNAME", sandbox.username)
    monkeypatch.setenv("IBANERA_PASSWORD", sandbox.password)
    monkeypatch.setenv("IBANERA_TOTP_SECRET", sandbox.totp_secret)
    monkeypatch.setenv("IBANERA_BASE_URL", sandbox.base_url)
    client = ibanera.Client.from_env()
    assert client.base_url == sandbox.base_url
    assert client.accounts.get(USD).id == USD
    with ibanera.Client() as same:
        assert same.base_url == sandbox.base_url
    # Keyword arguments take precedence over the environment.
    with pytest.raises(ibanera.AuthenticationError):
        ibanera.Client.from_env(password="not-the-password").accounts.get(USD)
    monkeypatch.delenv("IBANERA_PASSWORD")
    with pytest.raises(ibanera.ConfigurationError, match="IBANERA_PASSWORD") as e:
        ibanera.Client()
    assert "`password=`" in str(e.value), "named as Python users write it"
    # A leftover API key alone: the error says what to set instead.
    monkeypatch.delenv("IBANERA_USERNAME")
    monkeypatch.setenv("IBANERA_API_KEY", "leftover-key")
    with pytest.raises(ibanera.ConfigurationError, match="IBANERA_API_KEY") as e:
        ibanera.Client()
    assert "IBANERA_USERNAME" in str(e.value) and "leftover-key" not in str(e.value)


def test_generated_files_are_up_to_date() -> None:
    """bindings-python/generate.py --check: the committed models, stubs, enums and resources
    are what the core's description generates."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bindings-python" / "generate.py"), "--check"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stdout[-5000:]


def test_every_public_name_is_exported() -> None:
    for name in ibanera.__all__:
        assert hasattr(ibanera, name), name
    for name in ibanera._ibanera.MODEL_NAMES:
        assert name in ibanera.__all__
    for name in ibanera.webhooks.__all__:
        assert hasattr(ibanera.webhooks, name), name
    for name in ibanera._ibanera.WEBHOOK_MODEL_NAMES:
        assert name in ibanera.webhooks.__all__, name


def test_sandbox_settings_and_env_lines() -> None:
    with ibanera.Sandbox(
        username="settings-user", password="settings-pass-1", token_ttl="0.5", idle_timeout=2.5
    ) as sb:
        assert (sb.username, sb.password) == ("settings-user", "settings-pass-1")
        assert (sb.token_ttl, sb.idle_timeout) == (0.5, 2.5)
        sb.set_token_ttl(Decimal("7.25"))
        sb.set_idle_timeout(1)
        assert (sb.token_ttl, sb.idle_timeout) == (7.25, 1.0)
        lines = sb.env_lines()
        for name, value in (
            ("IBANERA_BASE_URL", sb.base_url),
            ("IBANERA_USERNAME", sb.username),
            ("IBANERA_PASSWORD", sb.password),
            ("IBANERA_TOTP_SECRET", sb.totp_secret),
        ):
            assert f"export {name}={value}" in lines, lines
        assert "settings-pass-1" not in repr(sb) and sb.totp_secret not in repr(sb)
        info = sb.client().login()
        assert info.expires_in is not None and info.expires_in.total_seconds() == 8, "rounded up"
    for bad in (0, -1, "abc", float("nan"), True):
        with pytest.raises(ibanera.ValidationError) as e:
            ibanera.Sandbox(token_ttl=bad)
        assert e.value.field == "token_ttl"
