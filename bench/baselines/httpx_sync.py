"""Baseline: get-account with `httpx.Client` + pyotp, as a competent user writes it.

One `httpx.Client` (keep-alive pool) with the fixed headers; one login at start-up, whose token
becomes a fixed `Authorization: Bearer` header; per request a fresh TOTP code, the envelope
parsed with `parse_float=Decimal`, `status` checked, the account mapped to a dataclass.
"""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pyotp
from models import LOGIN_PATH, Account, bearer, details, login_body


class Client:
    def __init__(self, username: str, password: str, totp_secret: str, base_url: str) -> None:
        self._credentials = (username, password)
        self._totp = pyotp.TOTP(totp_secret)
        self._http = httpx.Client(base_url=base_url, headers={"Accept": "application/json"})

    def login(self) -> None:
        r = self._http.post(LOGIN_PATH, json=login_body(*self._credentials, self._totp.now()))
        self._http.headers["Authorization"] = bearer(r.status_code, r.content)

    def get_json(self, path: str, params: dict) -> object:
        r = self._http.get(path, params=params, headers={"otp": self._totp.now()})
        return details(r.status_code, json.loads(r.content, parse_float=Decimal))

    def get_account(self, account_id: int) -> Account:
        return Account.from_wire(
            self.get_json("/api/v1/customer/accounts/account", {"Id": account_id})
        )

    def close(self) -> None:
        self._http.close()
