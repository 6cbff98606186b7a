"""``client.recovery``: after an ``OutcomeUnknownError``, did it execute?

The API has no idempotency key, so the only way to know whether a withdrawal or an exchange
whose answer was lost went through is to look: list what the customer has and match it
against what was sent. The arguments and the matching rules are the Rust core's
(``ibanera::recovery``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional, Union, cast

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from ._enums import ExchangeType, ExchangeTypeLiteral
    from ._ibanera import Exchange, Transaction, _CoreClient
    from ._resources import Money

__all__ = ["AsyncRecovery", "Recovery"]


class Recovery:
    """After an ``OutcomeUnknownError`` (``client.recovery``): look for the withdrawal or
    the exchange that may have executed, before sending it again.

    Example::

        started = datetime.now(timezone.utc)
        try:
            client.accounts.withdraw_crypto(accounts_id=1057, amount=amount,
                                            destination_address=address)
        except ibanera.OutcomeUnknownError:
            found = client.recovery.find_withdrawals(accounts_id=1057, amount=amount,
                                                     started_at=started)
            if not found:
                ...  # it did not execute: sending it again is safe
    """

    __slots__ = ("_core",)

    def __init__(self, core: _CoreClient) -> None:
        self._core = core

    def find_withdrawals(
        self,
        *,
        accounts_id: int,
        amount: Money,
        started_at: Union[datetime, str],
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> list[Transaction]:
        """The account's withdrawals of ``amount`` since ``started_at``: the
        withdrawal if it executed.

        Lists the account's transactions from just before ``started_at`` (the core allows two
        minutes for clocks that differ) and keeps the debits of exactly ``amount`` (a
        transaction's ``amount`` is negative for a withdrawal). An empty list means the
        transactions show none: sending it again is safe. More than one means an earlier
        withdrawal of the same amount falls in the window; tell them apart by
        ``date_time``, ``id`` or ``details``.

        Args:
            accounts_id: the account the withdrawal was sent from.
            amount: the amount sent (positive, as passed to ``withdraw_crypto``).
            started_at: when the attempt started, recorded before sending it (an aware
                ``datetime``; a naive one is UTC; or an ISO 8601 string with a time).
            timeout, max_retries, attempt_timeout, max_response_bytes: as for every call,
                for each list request made.

        Returns:
            The matching ``Transaction`` objects, newest first.
        """
        return cast(
            "list[Transaction]",
            self._core.find_withdrawals(
                accounts_id,
                amount,
                started_at,
                False,
                timeout,
                max_retries,
                attempt_timeout,
                max_response_bytes,
            ),
        )

    def find_exchanges(
        self,
        *,
        customers_id: int,
        asset_pair: str,
        exchange_type: Union[ExchangeType, ExchangeTypeLiteral],
        price: Optional[Money] = None,
        amount: Optional[Money] = None,
        after_id: Optional[int] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> list[Exchange]:
        """The customer's exchanges matching an attempt: the exchange if it
        executed.

        Lists the customer's exchanges of ``asset_pair`` and ``exchange_type`` and keeps those
        newer than ``after_id`` whose requested price (``price=``) or amount (``amount=``) is
        the one sent. Exchanges carry no timestamp but their ids grow: note the newest id
        before sending (``latest_exchange_id``) and pass it as ``after_id``. An empty list
        means it did not execute: sending it again is safe.

        Args:
            customers_id: the customer the exchange was sent for.
            asset_pair: the pair sent (``"BTC/USDC"``).
            exchange_type: ``"Buy"`` or ``"Sell"`` (or ``ExchangeType``).
            price, amount: exactly one of them: the one the exchange was sent with (quantity
                type ``Price`` or ``Amount``).
            after_id: the newest exchange id before the attempt; ``None`` considers every
                exchange.
            timeout, max_retries, attempt_timeout, max_response_bytes: as for every call,
                for each list request made.

        Returns:
            The matching ``Exchange`` objects, newest first.
        """
        return cast(
            "list[Exchange]",
            self._core.find_exchanges(
                customers_id,
                asset_pair,
                exchange_type,
                price,
                amount,
                after_id,
                False,
                timeout,
                max_retries,
                attempt_timeout,
                max_response_bytes,
            ),
        )

    def latest_exchange_id(
        self,
        *,
        customers_id: int,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> Optional[int]:
        """The id of the customer's newest exchange, or ``None`` if it has none: note it
        before sending an exchange, to pass as ``after_id`` to ``find_exchanges`` if the answer
        is lost. One request (``exchanges.list`` with ``page_size=1``; the list is newest
        first)."""
        return cast(
            "Optional[int]",
            self._core.latest_exchange_id(
                customers_id,
                False,
                timeout,
                max_retries,
                attempt_timeout,
                max_response_bytes,
            ),
        )


class AsyncRecovery:
    """``Recovery`` for ``AsyncClient`` (``client.recovery``): the same methods, awaitable."""

    __slots__ = ("_core",)

    def __init__(self, core: _CoreClient) -> None:
        self._core = core

    async def find_withdrawals(
        self,
        *,
        accounts_id: int,
        amount: Money,
        started_at: Union[datetime, str],
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> list[Transaction]:
        """``Recovery.find_withdrawals``, awaitable."""
        pending = cast(
            "Awaitable[list[Transaction]]",
            self._core.find_withdrawals(
                accounts_id,
                amount,
                started_at,
                True,
                timeout,
                max_retries,
                attempt_timeout,
                max_response_bytes,
            ),
        )
        return await pending

    async def find_exchanges(
        self,
        *,
        customers_id: int,
        asset_pair: str,
        exchange_type: Union[ExchangeType, ExchangeTypeLiteral],
        price: Optional[Money] = None,
        amount: Optional[Money] = None,
        after_id: Optional[int] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> list[Exchange]:
        """``Recovery.find_exchanges``, awaitable."""
        pending = cast(
            "Awaitable[list[Exchange]]",
            self._core.find_exchanges(
                customers_id,
                asset_pair,
                exchange_type,
                price,
                amount,
                after_id,
                True,
                timeout,
                max_retries,
                attempt_timeout,
                max_response_bytes,
            ),
        )
        return await pending

    async def latest_exchange_id(
        self,
        *,
        customers_id: int,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> Optional[int]:
        """``Recovery.latest_exchange_id``, awaitable."""
        pending = cast(
            "Awaitable[Optional[int]]",
            self._core.latest_exchange_id(
                customers_id,
                True,
                timeout,
                max_retries,
                attempt_timeout,
                max_response_bytes,
            ),
        )
        return await pending
