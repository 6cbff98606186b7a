"""Baseline: a list-transactions page decoded into typed objects, and held as dicts.

`transactions` is what a competent user writes to get typed transactions: `httpx.Client`
logged in once (its token a fixed `Authorization: Bearer` header), a fresh TOTP code per
request, `json.loads(parse_float=Decimal)` (exact money), `status` checked, one slotted
dataclass per item with an aware `datetime`.

`transactions_dicts` is the lighter thing many write instead: the same request, the items kept
as the dicts `json.loads` made (money already `Decimal`). The memory scenario holds these.
"""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pyotp
from models import LOGIN_PATH, Transaction, bearer, details, login_body

PATH = "/api/v1/customer/accounts/transactions"


class Client:
    def __init__(self, username: str, password: str, totp_secret: str, base_url: str) -> None:
        self._credentials = (username, password)
        self._totp = pyotp.TOTP(totp_secret)
        self._http = httpx.Client(
            base_url=base_url, headers={"Accept": "application/json"}, timeout=60.0
        )

    def login(self) -> None:
        r = self._http.post(LOGIN_PATH, json=login_body(*self._credentials, self._totp.now()))
        self._http.headers["Authorization"] = bearer(r.status_code, r.content)

    def transactions_dicts(
        self, accounts_id: int, page_number: int = 1, page_size: int = 10
    ) -> list[dict]:
        r = self._http.get(
            PATH,
            params={"AccountsId": accounts_id, "PageNumber": page_number, "PageSize": page_size},
            headers={"otp": self._totp.now()},
        )
        return details(r.status_code, json.loads(r.content, parse_float=Decimal))

    def transactions(
        self, accounts_id: int, page_number: int = 1, page_size: int = 10
    ) -> list[Transaction]:
        return [
            Transaction.from_wire(d)
            for d in self.transactions_dicts(accounts_id, page_number, page_size)
        ]

    # The memory scenario holds the dicts.
    transactions_held = transactions_dicts

    def close(self) -> None:
        self._http.close()
