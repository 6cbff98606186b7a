"""The SDK side of the Python scenarios: `ibanera.Client` / `ibanera.AsyncClient`.

Adapters with the same method names as the baselines (`login`, `get_account`, `transactions`,
`transactions_held`) so the harness times every implementation with the same loop. They bind
the SDK's own methods directly: no extra Python frame is added to the SDK's side. The SDK would
log in by itself on the first call; the harness calls `login()` first, untimed, as it does for
the baselines.
"""

from __future__ import annotations

import ibanera


def _items(page):
    """The items of one page as a list."""
    items = getattr(page, "items", page)
    return items if isinstance(items, list) else list(items)


class Client:
    def __init__(self, username: str, password: str, totp_secret: str, base_url: str) -> None:
        self._client = ibanera.Client(
            username=username, password=password, totp_secret=totp_secret, base_url=base_url
        )
        self.login = self._client.login
        self.get_account = self._client.accounts.get
        self._transactions = self._client.accounts.transactions

    def transactions(self, accounts_id: int, page_number: int = 1, page_size: int = 10) -> list:
        return _items(
            self._transactions(
                accounts_id=accounts_id, page_number=page_number, page_size=page_size
            )
        )

    # The memory scenario holds what the SDK returns: its typed objects.
    transactions_held = transactions

    def close(self) -> None:
        close = getattr(self._client, "close", None)
        if close is not None:
            close()


class AsyncClient:
    def __init__(self, username: str, password: str, totp_secret: str, base_url: str) -> None:
        self._client = ibanera.AsyncClient(
            username=username, password=password, totp_secret=totp_secret, base_url=base_url
        )
        self.login = self._client.login
        self.get_account = self._client.accounts.get

    async def close(self) -> None:
        close = getattr(self._client, "close", None)
        if close is not None:
            result = close()
            if hasattr(result, "__await__"):
                await result
