"""``ibanera.Sandbox``: the embedded Ibanera sandbox, for tests, demos and notebooks."""

from __future__ import annotations

from decimal import Decimal
from types import TracebackType
from typing import Any, Optional, Union

from ._client import AsyncClient, Client
from ._enums import ExchangeStatus
from ._ibanera import _Sandbox
from ._resources import Money

__all__ = ["Sandbox"]

#: Fault kinds of ``inject_fault`` (case, ``_`` and ``-`` are ignored).
FAULT_KINDS = (
    "status",
    "html",
    "delay",
    "drop_before_execute",
    "drop_after_execute",
    "truncate",
    "malformed_json",
    "status_zero",
)


def _resolve_path(path: str) -> str:
    """An API path, or the path of an operation named ``area.method``."""
    if path.startswith("/"):
        return path
    from ._ibanera import OPERATION_PATHS

    try:
        return OPERATION_PATHS[path]
    except KeyError:
        raise ValueError(f"{path!r} is neither a path nor an operation name") from None


class Sandbox:
    """A local Ibanera server with real state, started in this process.

    It serves every endpoint of the API on ``127.0.0.1`` (an ephemeral port unless ``port`` is
    given), checks the API key and TOTP codes like the real service, and keeps a seeded world:
    customers 1004 (the API user), 1005 and 1006 (KYC not verified), accounts 1055 (USD),
    1056 (USDC), 1057 (BTC), 1058 (ETH), 1060 and 1061; BTC at 60000.

    Use it as a context manager (``with ibanera.Sandbox() as sandbox:``) or call ``close()``.
    The control helpers move the world along (compliance approvals, prices, deposits) and
    inject faults. They act on the sandbox of the process that started it.

    Example::

        with ibanera.Sandbox() as sandbox:
            client = sandbox.client()
            exchange = client.exchanges.buy(customers_id=1004, asset_pair="BTC/USDC",
                                            quantity_type="Amount", amount="0.1")
            sandbox.approve(exchange.id)
            sandbox.complete(exchange.id)
    """

    __slots__ = ("_core", "__weakref__")

    def __init__(
        self,
        *,
        strict_otp: bool = False,
        port: int = 0,
        api_key: Optional[str] = None,
        totp_secret: Optional[str] = None,
    ) -> None:
        self._core = _Sandbox(
            port=port, api_key=api_key, totp_secret=totp_secret, strict_otp=strict_otp
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return self._core.base_url

    @property
    def api_key(self) -> str:
        """The API key the sandbox requires."""
        return self._core.api_key

    @property
    def totp_secret(self) -> str:
        """The sandbox's TOTP secret (base32)."""
        return self._core.totp_secret

    def client(self, **kwargs: Any) -> Client:
        """A ``Client`` for this sandbox (keyword arguments as for ``Client``)."""
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("totp_secret", self.totp_secret)
        kwargs.setdefault("base_url", self.base_url)
        return Client(**kwargs)

    def async_client(self, **kwargs: Any) -> AsyncClient:
        """An ``AsyncClient`` for this sandbox (keyword arguments as for ``AsyncClient``)."""
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("totp_secret", self.totp_secret)
        kwargs.setdefault("base_url", self.base_url)
        return AsyncClient(**kwargs)

    # Exchange lifecycle (compliance) --------------------------------------------------------

    def approve(self, exchange_id: int) -> ExchangeStatus:
        """Compliance approves a WaitingForApproval exchange: Pending, or
        WaitingForConfirmation when the price moved meanwhile."""
        return self._core.approve(exchange_id)

    def reject(self, exchange_id: int) -> ExchangeStatus:
        """Compliance rejects a WaitingForApproval exchange (its reservation is released)."""
        return self._core.reject(exchange_id)

    def complete(self, exchange_id: int) -> ExchangeStatus:
        """Settles a Pending exchange: Completed."""
        return self._core.complete(exchange_id)

    def fail(self, exchange_id: int) -> ExchangeStatus:
        """Fails a Pending exchange (its reservation is released)."""
        return self._core.fail(exchange_id)

    # World ----------------------------------------------------------------------------------

    def set_price(self, asset_pair: str, price: Money) -> None:
        """Sets the price of one unit of the pair's base asset (``"BTC/USDC"``, ``61000``)."""
        self._core.set_price(asset_pair, price)

    def price(self, asset_pair: str) -> Decimal:
        """The pair's current price."""
        return self._core.price(asset_pair)

    def credit_deposit(self, accounts_id: int, amount: Money) -> int:
        """Credits an incoming deposit; returns the new transaction's id."""
        return self._core.credit_deposit(accounts_id, amount)

    def seed_transactions(self, accounts_id: int, count: int) -> None:
        """Adds ``count`` completed deposits of 1 unit each (paging tests, benchmarks)."""
        self._core.seed_transactions(accounts_id, count)

    def reset(self) -> None:
        """Back to the seeded world (ids, balances, prices, counters, faults)."""
        self._core.reset()

    def executions(self) -> dict[str, int]:
        """How many times each API POST was executed, keyed ``"POST /api/v1/..."``."""
        return dict(self._core.executions())

    # Faults and authentication --------------------------------------------------------------

    def inject_fault(
        self,
        path: str,
        kind: str = "status",
        *,
        count: int = 1,
        status: Optional[int] = None,
        body: Union[str, dict[str, Any], None] = None,
        retry_after: Union[str, int, float, None] = None,
        ms: Optional[int] = None,
    ) -> None:
        """Makes the next ``count`` requests to ``path`` misbehave.

        ``path`` is an API path or an operation name (``"exchanges.buy"``). ``kind`` is one of
        ``status`` (answer ``status``/``body``/``retry_after`` instead of executing), ``html``
        (a proxy's HTML error page), ``delay`` (execute, answer ``ms`` later),
        ``drop_before_execute`` / ``drop_after_execute`` (close the connection without an
        answer), ``truncate`` (execute, cut the body short), ``malformed_json`` (execute,
        answer invalid JSON) or ``status_zero`` (an envelope with status 0).
        """
        fault: dict[str, Any] = {"kind": kind}
        if status is not None:
            fault["status"] = status
        if body is not None:
            fault["body"] = body if isinstance(body, str) else _json(body)
        if retry_after is not None:
            fault["retryAfter"] = str(retry_after)
        if ms is not None:
            fault["ms"] = ms
        self._core.inject_fault(_resolve_path(path), fault, count)

    def clear_faults(self) -> None:
        """Removes every pending fault."""
        self._core.clear_faults()

    def set_strict_otp(self, strict: bool) -> None:
        """Strict mode: a TOTP code (time step) is accepted once only (RFC 6238 5.2)."""
        self._core.set_strict_otp(strict)

    @property
    def strict_otp(self) -> bool:
        """True in strict OTP mode."""
        return self._core.strict_otp

    # Lifetime ---------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """False after ``close()``."""
        return self._core.running

    def close(self) -> None:
        """Stops the server (idempotent)."""
        self._core.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "" if self.running else ", closed"
        return f"Sandbox(base_url={self.base_url!r}{state})"


def _json(value: Any) -> str:
    import json

    return json.dumps(value)
