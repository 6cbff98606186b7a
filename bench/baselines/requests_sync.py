"""Baseline: get-account with a `requests.Session` + pyotp, as a competent user writes it.

One `Session` (keep-alive pool) with the fixed headers; one login at start-up, whose token
becomes a fixed `Authorization: Bearer` header; per request a fresh TOTP code, the envelope
parsed with `parse_float=Decimal`, `status` checked, the account mapped to a dataclass.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pyotp
import requests
from models import LOGIN_PATH, Account, bearer, details, login_body


class Client:
    def __init__(self, username: str, password: str, totp_secret: str, base_url: str) -> None:
        self._credentials = (username, password)
        self._totp = pyotp.TOTP(totp_secret)
        self._base_url = base_url.rstrip("/")
        self._http = requests.Session()
        self._http.headers.update({"Accept": "application/json"})

    def login(self) -> None:
        r = self._http.post(
            self._base_url + LOGIN_PATH, json=login_body(*self._credentials, self._totp.now())
        )
        self._http.headers["Authorization"] = bearer(r.status_code, r.content)

    def get_account(self, account_id: int) -> Account:
        r = self._http.get(
            self._base_url + "/api/v1/customer/accounts/account",
            params={"Id": account_id},
            headers={"otp": self._totp.now()},
        )
        payload = details(r.status_code, json.loads(r.content, parse_float=Decimal))
        return Account.from_wire(payload)

    def close(self) -> None:
        self._http.close()
