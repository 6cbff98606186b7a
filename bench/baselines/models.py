"""The typed models a competent user writes once and shares between their clients.

The login is written once too: `POST /api/v1/public/auth/login` with the username, the
password and a fresh TOTP code answers a bearer token, which every later call sends as
`Authorization: Bearer <token>` next to its own fresh code (a run of the benchmark is far
shorter than the token's hour, so the baselines do not renew it).

Mirrors the SDK's `Account` and `Transaction`: snake_case attributes, the wire's `bX`
booleans without the `b`, money as `decimal.Decimal` (the JSON is read with
`parse_float=Decimal`, so it never goes through a binary float), timestamps as aware
`datetime`s (the API sends `+00:00`, `Z` or no offset, which means UTC).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

LOGIN_PATH = "/api/v1/public/auth/login"


def login_body(username: str, password: str, otp: str) -> dict:
    """The login request's JSON body."""
    return {"username": username, "password": password, "otp": otp}


def bearer(http_status: int, body: bytes) -> str:
    """The `Authorization` value for every later call, from the login's answer."""
    return "Bearer " + details(http_status, json.loads(body))["accessToken"]


class ApiError(Exception):
    def __init__(self, http_status: int, errors: object) -> None:
        super().__init__(f"HTTP {http_status}: {errors!r}")
        self.http_status = http_status
        self.errors = errors


def parse_time(text: str | None) -> datetime | None:
    if text is None:
        return None
    t = datetime.fromisoformat(text)  # Python 3.11: 7 fractional digits, `Z`, offsets
    return t if t.tzinfo is not None else t.replace(tzinfo=timezone.utc)


def details(http_status: int, envelope: dict) -> object:
    """The envelope's payload, or ApiError (status is "1" or 1 on success)."""
    if envelope.get("status") not in ("1", 1):
        raise ApiError(http_status, envelope.get("errors"))
    return envelope["details"]


@dataclass(slots=True)
class Account:
    id: int
    customers_id: int | None
    name: str | None
    routing_number: str | None
    account_number: str | None
    swift_code: str | None
    virtual_account_number: str | None
    reference: str | None
    asset: str | None
    asset_display_name: str | None
    total_balance: Decimal
    available_balance: Decimal
    pending_balance: Decimal
    suppressed: bool
    date_added: datetime | None

    @classmethod
    def from_wire(cls, d: dict) -> Account:
        asset = d.get("asset")
        return cls(
            id=d["id"],
            customers_id=d.get("customersId"),
            name=d.get("name"),
            routing_number=d.get("routingNumber"),
            account_number=d.get("accountNumber"),
            swift_code=d.get("swiftCode"),
            virtual_account_number=d.get("virtualAccountNumber"),
            reference=d.get("reference"),
            asset=asset.strip() if asset is not None else None,
            asset_display_name=d.get("assetDisplayName"),
            total_balance=d["totalBalance"],
            available_balance=d["availableBalance"],
            pending_balance=d["pendingBalance"],
            suppressed=bool(d.get("bSuppressed")),
            date_added=parse_time(d.get("dateAdded")),
        )


@dataclass(slots=True)
class Transaction:
    id: int
    accounts_id: int | None
    from_transactions_id: int | None
    from_accounts_id: int | None
    to_transactions_id: int | None
    to_accounts_id: int | None
    amount: Decimal
    description: str | None
    date_time: datetime | None
    pending: bool
    cancellable: bool

    @classmethod
    def from_wire(cls, d: dict) -> Transaction:
        return cls(
            id=d["id"],
            accounts_id=d.get("accountsId"),
            from_transactions_id=d.get("fromTransactionsId"),
            from_accounts_id=d.get("fromAccountsId"),
            to_transactions_id=d.get("toTransactionsId"),
            to_accounts_id=d.get("toAccountsId"),
            amount=d["amount"],
            description=d.get("description"),
            date_time=parse_time(d.get("dateTime")),
            pending=bool(d.get("bPending")),
            cancellable=bool(d.get("bCancellable")),
        )
