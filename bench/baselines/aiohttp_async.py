"""Baseline: get-account with an `aiohttp.ClientSession` + pyotp, as a competent user writes it.

One session (its connector keeps up to 100 connections alive: enough for 64 in flight) with
the fixed headers, a fresh TOTP code per request, `parse_float=Decimal`, `status` checked, a
dataclass per account.
"""

from __future__ import annotations

import json
from decimal import Decimal

import aiohttp
import pyotp
from models import Account, details


class AsyncClient:
    def __init__(self, api_key: str, totp_secret: str, base_url: str) -> None:
        self._totp = pyotp.TOTP(totp_secret)
        self._base_url = base_url.rstrip("/")
        self._headers = {"Authorization": api_key, "Accept": "application/json"}
        self._http: aiohttp.ClientSession | None = None

    def _session(self) -> aiohttp.ClientSession:
        # Created lazily: a ClientSession must be made inside the running event loop.
        if self._http is None:
            self._http = aiohttp.ClientSession(base_url=self._base_url, headers=self._headers)
        return self._http

    async def get_account(self, account_id: int) -> Account:
        async with self._session().get(
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
