"""Baseline: get-account with an `aiohttp.ClientSession` + pyotp, as a competent user writes it.

One session (its connector keeps up to 100 connections alive: enough for 64 in flight) with
the fixed headers; one login at start-up, whose token becomes a fixed `Authorization: Bearer`
header of the session; a fresh TOTP code per request, `parse_float=Decimal`, `status` checked,
a dataclass per account.
"""

from __future__ import annotations

import json
from decimal import Decimal

import aiohttp
import pyotp
from models import LOGIN_PATH, Account, bearer, details, login_body


class AsyncClient:
    def __init__(self, username: str, password: str, totp_secret: str, base_url: str) -> None:
        self._credentials = (username, password)
        self._totp = pyotp.TOTP(totp_secret)
        self._base_url = base_url.rstrip("/")
        self._http: aiohttp.ClientSession | None = None

    async def login(self) -> None:
        # The session is made here: a ClientSession must be made inside the running event loop.
        self._http = aiohttp.ClientSession(
            base_url=self._base_url, headers={"Accept": "application/json"}
        )
        async with self._http.post(
            LOGIN_PATH, json=login_body(*self._credentials, self._totp.now())
        ) as r:
            authorization = bearer(r.status, await r.read())
        self._http.headers["Authorization"] = authorization

    async def get_account(self, account_id: int) -> Account:
        async with self._http.get(
            "/api/v1/customer/accounts/account",
            params={"Id": account_id},
            headers={"otp": self._totp.now()},
        ) as r:
            body = await r.read()
            status = r.status
        payload = details(status, json.loads(body, parse_float=Decimal))
        return Account.from_wire(payload)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
