"""The native core of the Ibanera SDK (``ibanera._ibanera``).

Use the public names of ``ibanera``; this module's own classes (``_CoreClient``, ``_Sandbox``)
are what ``ibanera.Client`` and ``ibanera.Sandbox`` are built on.
"""

from collections.abc import AsyncIterator, Awaitable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from types import GenericAlias
from typing import Any, ClassVar, Generic, Optional, SupportsIndex, TypeVar, Union, final, overload

from ._enums import AssetClass, ExchangeStatus, ExchangeType, QuantityType, TransferType

__version__: str
CORE_USER_AGENT: str
USER_AGENT_SUFFIX: str
MODEL_NAMES: list[str]
OPERATION_PATHS: dict[str, str]

_T = TypeVar("_T")

class RustError(Exception):
    """The error of the Rust core behind an ``IbaneraError`` (its ``__cause__``)."""

@final
class _CoreClient:
    def __new__(
        cls,
        api_key: Optional[str] = None,
        totp_secret: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        allow_insecure_http: bool = False,
        totp_digits: Optional[int] = None,
        totp_step: Optional[int] = None,
        totp_algorithm: Optional[str] = None,
        default_headers: Optional[Sequence[tuple[str, str]]] = None,
    ) -> _CoreClient: ...
    def call(
        self,
        op: str,
        args: dict[str, Any],
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        positional: Any = None,
    ) -> Any: ...
    def call_async(
        self,
        op: str,
        args: dict[str, Any],
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        positional: Any = None,
    ) -> Any: ...
    def request(
        self,
        method: str,
        path: str,
        query: Any = None,
        body: Any = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> dict[str, Any]: ...
    def request_async(
        self,
        method: str,
        path: str,
        query: Any = None,
        body: Any = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> Awaitable[dict[str, Any]]: ...
    @property
    def base_url(self) -> str: ...
    @property
    def user_agent(self) -> str: ...
    @property
    def timeout(self) -> float: ...
    @property
    def max_retries(self) -> int: ...

@final
class Page(Generic[_T]):
    """One page of a list, from the blocking ``Client``.

    Iterating a page yields its items; ``auto_paging_iter()`` also walks the pages after it,
    one request per page, only as far as the iteration goes.
    """

    @property
    def items(self) -> list[_T]:
        """The items of this page (the same list on every access)."""
    @property
    def page_number(self) -> Optional[int]:
        """The page number the API returned (from 1), if it said."""
    @property
    def page_size(self) -> Optional[int]:
        """The page size the API returned, if it said."""
    @property
    def number_of_pages(self) -> Optional[int]:
        """How many pages the list has, if the API said."""
    @property
    def has_next_page(self) -> bool:
        """True when a page follows this one."""
    def next_page(self) -> Optional[Page[_T]]:
        """The next page (one request), or ``None`` after the last one."""
    def auto_paging_iter(self) -> Iterator[_T]:
        """Every item of this page and of every page after it, fetched lazily."""
    def to_dict(self) -> dict[str, Any]:
        """``{"items": [...], "page_number", "page_size", "number_of_pages"}``."""
    def to_pandas(self) -> Any:
        """The items as a ``pandas.DataFrame`` (needs pandas, not a dependency)."""
    def _repr_html_(self) -> str: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[_T]: ...
    @overload
    def __getitem__(self, index: SupportsIndex, /) -> _T: ...
    @overload
    def __getitem__(self, index: slice, /) -> list[_T]: ...
    def __class_getitem__(cls, item: Any) -> GenericAlias: ...

@final
class AsyncPage(Generic[_T]):
    """One page of a list, from ``AsyncClient``.

    Iterating a page yields its items; ``async for x in page.auto_paging_iter()`` also walks
    the pages after it, one request per page, only as far as the iteration goes.
    """

    @property
    def items(self) -> list[_T]:
        """The items of this page (the same list on every access)."""
    @property
    def page_number(self) -> Optional[int]:
        """The page number the API returned (from 1), if it said."""
    @property
    def page_size(self) -> Optional[int]:
        """The page size the API returned, if it said."""
    @property
    def number_of_pages(self) -> Optional[int]:
        """How many pages the list has, if the API said."""
    @property
    def has_next_page(self) -> bool:
        """True when a page follows this one."""
    async def next_page(self) -> Optional[AsyncPage[_T]]:
        """The next page (one request), or ``None`` after the last one."""
    def auto_paging_iter(self) -> AsyncIterator[_T]:
        """Every item of this page and of every page after it, fetched lazily."""
    def to_dict(self) -> dict[str, Any]:
        """``{"items": [...], "page_number", "page_size", "number_of_pages"}``."""
    def to_pandas(self) -> Any:
        """The items as a ``pandas.DataFrame`` (needs pandas, not a dependency)."""
    def _repr_html_(self) -> str: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[_T]: ...
    @overload
    def __getitem__(self, index: SupportsIndex, /) -> _T: ...
    @overload
    def __getitem__(self, index: slice, /) -> list[_T]: ...
    def __class_getitem__(cls, item: Any) -> GenericAlias: ...

@final
class Totp:
    """Time-based one-time codes (RFC 6238): SHA-1, 6 digits, 30 s unless told otherwise.

    The secret is base32 (any case, spaces, dashes and ``=`` padding allowed) or an
    ``otpauth://totp/...`` URI. It is never shown by ``repr`` or in an error.
    """

    def __new__(
        cls,
        secret: str,
        *,
        digits: Optional[int] = None,
        step: Optional[int] = None,
        algorithm: Optional[str] = None,
    ) -> Totp: ...
    def now(self) -> str:
        """The code valid now."""
    def at(self, at: Union[int, float, datetime]) -> str:
        """The code valid at ``at`` (Unix seconds or a ``datetime``; naive means UTC)."""
    def verify(
        self, code: str, at: Union[int, float, datetime, None] = None, skew: int = 1
    ) -> bool:
        """True when ``code`` is valid at ``at`` (default now), ``skew`` steps either side."""
    def seconds_left(self, at: Union[int, float, datetime, None] = None) -> int:
        """Seconds until the code valid at ``at`` (default now) expires."""
    @property
    def digits(self) -> int:
        """The number of digits of a code (6 to 8)."""
    @property
    def step(self) -> int:
        """The time step in seconds."""
    @property
    def algorithm(self) -> str:
        """``"SHA1"``, ``"SHA256"`` or ``"SHA512"``."""

@final
class _Sandbox:
    def __new__(
        cls,
        *,
        port: int = 0,
        api_key: Optional[str] = None,
        totp_secret: Optional[str] = None,
        strict_otp: bool = False,
    ) -> _Sandbox: ...
    @property
    def base_url(self) -> str: ...
    @property
    def api_key(self) -> str: ...
    @property
    def totp_secret(self) -> str: ...
    @property
    def running(self) -> bool: ...
    @property
    def strict_otp(self) -> bool: ...
    def close(self) -> None: ...
    def approve(self, exchange_id: int) -> ExchangeStatus: ...
    def reject(self, exchange_id: int) -> ExchangeStatus: ...
    def complete(self, exchange_id: int) -> ExchangeStatus: ...
    def fail(self, exchange_id: int) -> ExchangeStatus: ...
    def set_price(self, asset_pair: str, price: Union[Decimal, int, str, float]) -> None: ...
    def price(self, asset_pair: str) -> Decimal: ...
    def credit_deposit(self, accounts_id: int, amount: Union[Decimal, int, str, float]) -> int: ...
    def seed_transactions(self, accounts_id: int, count: int) -> None: ...
    def reset(self) -> None: ...
    def executions(self) -> dict[str, int]: ...
    def inject_fault(self, path: str, fault: dict[str, Any], count: int) -> None: ...
    def clear_faults(self) -> None: ...
    def set_strict_otp(self, strict: bool) -> None: ...

# ------------------------------------------------------------------------------------------
# Models. Generated by bindings-python/generate.py from ibanera::schema::describe(). Do not edit.

@final
class Account:
    """An asset account with its balances (`accounts.get`, `accounts.list`, `accounts.create`)."""

    @property
    def id(self) -> int: ...
    @property
    def customers_id(self) -> int | None:
        """Absent in `accounts.create`'s response, which names the customer once."""
    @property
    def name(self) -> str | None: ...
    @property
    def routing_number(self) -> str | None: ...
    @property
    def account_number(self) -> str | None: ...
    @property
    def swift_code(self) -> str | None: ...
    @property
    def virtual_account_number(self) -> str | None: ...
    @property
    def reference(self) -> str | None: ...
    @property
    def asset(self) -> str | None:
        """The currency code, trimmed (`"AED "` arrives padded)."""
    @property
    def asset_display_name(self) -> str | None: ...
    @property
    def total_balance(self) -> Decimal: ...
    @property
    def available_balance(self) -> Decimal: ...
    @property
    def pending_balance(self) -> Decimal: ...
    @property
    def suppressed(self) -> bool:
        """Wire `bSuppressed`: use of the account is disabled."""
    @property
    def date_added(self) -> datetime | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class AchTransferDetails:
    """An ACH transfer behind a transaction."""

    @property
    def payment_type(self) -> str | None: ...
    @property
    def ach_transaction_type(self) -> str | None: ...
    @property
    def direction(self) -> str | None: ...
    @property
    def account_number(self) -> str | None: ...
    @property
    def originator_routing_number(self) -> str | None: ...
    @property
    def originator_name(self) -> str | None: ...
    @property
    def receiver_routing_number(self) -> str | None: ...
    @property
    def receiver_name(self) -> str | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class AssetExchangeTransferDetails:
    """The exchange behind a transaction. The spec documents two sets of amount names (the worked
    example's `requestAmount`... and the schema's `fromAssetRequestedAmount`...): both are kept.
    """

    @property
    def asset_exchange_id(self) -> int | None: ...
    @property
    def asset_exchange_type(self) -> ExchangeType | None: ...
    @property
    def customer_id(self) -> int | None: ...
    @property
    def asset_exchange_status(self) -> ExchangeStatus | None: ...
    @property
    def from_transactions_id(self) -> int | None: ...
    @property
    def to_transactions_id(self) -> int | None: ...
    @property
    def from_asset(self) -> str | None: ...
    @property
    def to_asset(self) -> str | None: ...
    @property
    def from_asset_class(self) -> AssetClass | None: ...
    @property
    def to_asset_class(self) -> AssetClass | None: ...
    @property
    def request_amount(self) -> Decimal | None: ...
    @property
    def request_price(self) -> Decimal | None: ...
    @property
    def executed_amount(self) -> Decimal | None: ...
    @property
    def executed_price(self) -> Decimal | None: ...
    @property
    def from_asset_requested_amount(self) -> Decimal | None: ...
    @property
    def to_asset_requested_amount(self) -> Decimal | None: ...
    @property
    def to_asset_executed_amount(self) -> Decimal | None: ...
    @property
    def commission_fee(self) -> Decimal | None: ...
    @property
    def payees_id(self) -> int | None: ...
    @property
    def from_customer_asset_account_id(self) -> int | None: ...
    @property
    def to_customer_asset_account_id(self) -> int | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class AssetPair:
    """A pair enabled for exchanges, with its limits. The fields are read under the names the
    provider documents (`MinTradeAmount`, `CommissionFeePercentage`, ..., any case) or common
    ones (`minimumAmount`), and the pair's JSON is kept in `raw`.
    """

    @property
    def asset_pair(self) -> str:
        """`BASE/QUOTE`, e.g. `BTC/USDC`."""
    @property
    def base_asset(self) -> str | None: ...
    @property
    def quote_asset(self) -> str | None: ...
    @property
    def minimum_amount(self) -> Decimal | None: ...
    @property
    def maximum_amount(self) -> Decimal | None: ...
    @property
    def minimum_price(self) -> Decimal | None: ...
    @property
    def maximum_price(self) -> Decimal | None: ...
    @property
    def commission_fee_percentage(self) -> Decimal | None:
        """The commission, in percent of the exchange."""
    @property
    def max_decimal_precision(self) -> int | None:
        """The most decimals a price or an amount may have."""
    @property
    def raw(self) -> Any:
        """The pair exactly as the API sent it."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Balance:
    """One of the manager's balances (`accounts.balances`)."""

    @property
    def id(self) -> int:
        """The asset account's id."""
    @property
    def asset(self) -> str | None: ...
    @property
    def total_balance(self) -> Decimal: ...
    @property
    def available_balance(self) -> Decimal:
        """Total minus incoming pending amounts."""
    @property
    def pending_balance(self) -> Decimal: ...
    @property
    def suppressed(self) -> bool:
        """Wire `bSuppressed`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class BookTransferDetails:
    """A book transfer behind a transaction."""

    @property
    def debit_sub_account_number(self) -> str | None: ...
    @property
    def credit_sub_account_number(self) -> str | None: ...
    @property
    def payee_id(self) -> int | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CancellationEligibility:
    """Whether an outgoing transfer can still be cancelled
    (`transactions.cancellation_eligibility`), as of the time of the call: a cancellable
    transaction may still complete first.
    """

    @property
    def id(self) -> int | None:
        """The transaction's id, as in the request."""
    @property
    def cancellable(self) -> bool:
        """Wire `bCancellable`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Card:
    """A card with its balances (in `cards.list`, `cards.by_customer`, `cards.create`)."""

    @property
    def id(self) -> int:
        """The card's id."""
    @property
    def currency(self) -> str | None: ...
    @property
    def total_balance(self) -> Decimal | None: ...
    @property
    def available_balance(self) -> Decimal | None: ...
    @property
    def pending_balance(self) -> Decimal | None:
        """The sum of pending amounts."""
    @property
    def suppressed(self) -> bool:
        """Wire `bSuppressed`: the card is deactivated."""
    @property
    def status(self) -> str | None:
        """e.g. `Active`, `Deactivated`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CardBalance:
    """A card's balance (`cards.balances`)."""

    @property
    def id(self) -> int:
        """The card's id."""
    @property
    def customers_id(self) -> int | None:
        """Wire `customersID`, a number or a numeric string."""
    @property
    def customers_reference(self) -> str | None: ...
    @property
    def card_holder_name(self) -> str | None: ...
    @property
    def card_last4(self) -> str | None: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def total_balance(self) -> Decimal | None: ...
    @property
    def available_balance(self) -> Decimal | None: ...
    @property
    def pending_balance(self) -> Decimal | None: ...
    @property
    def status(self) -> str | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CardDetails:
    """One card's details (`cards.get`): no pending balance on this page."""

    @property
    def customers_id(self) -> int | None:
        """Wire `customersID`, a number or a numeric string."""
    @property
    def customers_reference(self) -> str | None: ...
    @property
    def card_holder_name(self) -> str | None: ...
    @property
    def card_last4(self) -> str | None: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def total_balance(self) -> Decimal | None: ...
    @property
    def available_balance(self) -> Decimal | None: ...
    @property
    def status(self) -> str | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CardTransaction:
    """A line of a card's transactions (`cards.transactions`)."""

    @property
    def id(self) -> int: ...
    @property
    def cards_id(self) -> int | None: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def currency(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def date_time(self) -> datetime | None: ...
    @property
    def pending(self) -> bool:
        """Wire `bPending`."""
    @property
    def refund_transactions_id(self) -> int | None:
        """Wire `RefundTransactionsID`: the refund of this transaction, if any."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CardTransfer:
    """`cards.transfer_funds`'s response: the transactions of the transfer."""

    @property
    def from_transaction_id(self) -> int | None:
        """Wire `FromTransactionId`."""
    @property
    def to_transaction_id(self) -> int | None:
        """Wire `ToTransactionId`."""
    @property
    def fee_transaction_id(self) -> int | None:
        """Wire `FeeTransactionId`."""
    @property
    def amount(self) -> Decimal | None:
        """Its sign differs between the provider's examples (`-10` and `10` for a top-up)."""
    @property
    def fee_amount(self) -> Decimal | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def date_time(self) -> datetime | None: ...
    @property
    def pending(self) -> bool:
        """Wire `bPending`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CreatedAccounts:
    """`accounts.create`'s response: the customer and the account(s) created."""

    @property
    def customers_id(self) -> int: ...
    @property
    def customers_reference(self) -> str | None: ...
    @property
    def accounts(self) -> list[Account]: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CreatedCard:
    """`cards.create`'s response: the customer and the new card (deactivated until activated)."""

    @property
    def customers_id(self) -> int | None: ...
    @property
    def customers_reference(self) -> str | None: ...
    @property
    def card(self) -> Card | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CurrencyPair:
    """A currency pair enabled for foreign exchange, with its limits (`fx.pairs`). The provider
    does not document the pair's fields: its JSON is kept, as the API sent it, in `raw`.
    """

    @property
    def raw(self) -> Any:
        """The pair exactly as the API sent it."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CustomerCards:
    """A customer with their cards (`cards.list`, `cards.by_customer`). The card number the list
    may carry is not kept: card numbers are only read through `cards.sensitive_details`.
    """

    @property
    def customers_id(self) -> int | None:
        """The customer's id (`Id` in the prose, `customersId` in the schema sample)."""
    @property
    def customers_reference(self) -> str | None: ...
    @property
    def cards(self) -> list[Card]: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class DepositAddress:
    """`accounts.deposit_address`'s response."""

    @property
    def address(self) -> str: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Exchange:
    """An exchange (`buy`, `sell`, `list`, `confirm_sell`, `cancel`)."""

    @property
    def id(self) -> int: ...
    @property
    def exchange_type(self) -> ExchangeType: ...
    @property
    def status(self) -> ExchangeStatus: ...
    @property
    def from_transactions_id(self) -> int | None: ...
    @property
    def to_transactions_id(self) -> int | None: ...
    @property
    def customers_id(self) -> int | None: ...
    @property
    def asset_pair(self) -> str | None: ...
    @property
    def request_amount(self) -> Decimal | None: ...
    @property
    def request_price(self) -> Decimal | None: ...
    @property
    def executed_amount(self) -> Decimal | None: ...
    @property
    def executed_price(self) -> Decimal | None: ...
    @property
    def commission_fee(self) -> Decimal | None: ...
    @property
    def payees_id(self) -> int | None: ...
    @property
    def transfer_type(self) -> TransferType | None: ...
    @property
    def has_open_rfi(self) -> bool:
        """Wire `bHasOpenRfi`: an open request for information (FX only)."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class ExternalTransferDetails:
    """A transfer to or from an outside bank behind a transaction."""

    @property
    def payment_type(self) -> str | None: ...
    @property
    def transfer_type(self) -> TransferType | None: ...
    @property
    def direction(self) -> str | None: ...
    @property
    def imad(self) -> str | None: ...
    @property
    def sender_account_number(self) -> str | None: ...
    @property
    def sender_routing_number(self) -> str | None: ...
    @property
    def sender_swift_code(self) -> str | None: ...
    @property
    def sender_iban(self) -> str | None: ...
    @property
    def sender_name(self) -> str | None: ...
    @property
    def originator_name(self) -> str | None: ...
    @property
    def receiver_account_number(self) -> str | None: ...
    @property
    def receiver_routing_number(self) -> str | None: ...
    @property
    def receiver_swift_code(self) -> str | None: ...
    @property
    def receiver_iban(self) -> str | None: ...
    @property
    def receiver_name(self) -> str | None: ...
    @property
    def beneficiary_name(self) -> str | None: ...
    @property
    def reference(self) -> str | None: ...
    @property
    def completed_at(self) -> datetime | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class InformationRequest:
    """A request for information from compliance about a flagged transaction
    (`information_requests.list`, `information_requests.get`).
    """

    @property
    def id(self) -> int | None:
        """The request's id (`id`, any case; a number or a numeric string, as the callbacks'
        `UpdatedInformationRequestIds` carries ids), to pass to `information_requests.get`.
        """
    @property
    def raw(self) -> Any:
        """The request exactly as the API sent it."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class InternalTransferDetails:
    """A transfer between Ibanera accounts behind a transaction."""

    @property
    def complementary_transaction_id(self) -> int | None: ...
    @property
    def from_customer_id(self) -> int | None: ...
    @property
    def from_asset_account_id(self) -> int | None: ...
    @property
    def to_customer_id(self) -> int | None: ...
    @property
    def to_asset_account_id(self) -> int | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Quote:
    """`exchanges.quote`'s response."""

    @property
    def customers_id(self) -> int | None: ...
    @property
    def payees_id(self) -> int | None: ...
    @property
    def quantity_type(self) -> QuantityType | None: ...
    @property
    def asset_pair(self) -> str | None: ...
    @property
    def amount(self) -> Decimal:
        """Base-asset quantity."""
    @property
    def net_price(self) -> Decimal | None:
        """Effective net price after commission and network fees."""
    @property
    def network_fee(self) -> Decimal | None: ...
    @property
    def commission_fee(self) -> Decimal | None: ...
    @property
    def price(self) -> Decimal:
        """Total quoted price (quote asset)."""
    @property
    def fx_rate_id(self) -> int | str | None:
        """Pass to `sell` as is."""
    @property
    def fx_rate_expiry_date(self) -> datetime | None:
        """After this instant the quote is stale: get a new one."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class ReviewQuote:
    """`exchanges.review_quote`'s response: the new price of an exchange whose price moved during
    compliance review, next to the previous one.
    """

    @property
    def previous_price(self) -> Decimal | None: ...
    @property
    def previous_amount(self) -> Decimal | None: ...
    @property
    def customers_id(self) -> int | None: ...
    @property
    def payees_id(self) -> int | None: ...
    @property
    def quantity_type(self) -> QuantityType | None: ...
    @property
    def asset_pair(self) -> str | None: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def net_price(self) -> Decimal | None: ...
    @property
    def network_fee(self) -> Decimal | None: ...
    @property
    def commission_fee(self) -> Decimal | None: ...
    @property
    def price(self) -> Decimal: ...
    @property
    def fx_rate_id(self) -> int | str | None: ...
    @property
    def fx_rate_expiry_date(self) -> datetime | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class SensitiveCardDetails:
    """A card's number, bank details and CVC, as the API sent them (the provider does not document
    the fields). Secret: printing it shows only the keys; `expose()` gives the values.
    """

    def keys(self) -> list[str]:
        """The names of the fields the API sent (never their values)."""
    def expose(self) -> Any:
        """The values, exactly as the API sent them: secrets, keep them out of logs."""
    def to_json(self) -> str:
        """The JSON text of the values: secrets, keep them out of logs."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Transaction:
    """A line of `accounts.transactions`."""

    @property
    def id(self) -> int: ...
    @property
    def accounts_id(self) -> int | None: ...
    @property
    def from_transactions_id(self) -> int | None: ...
    @property
    def from_accounts_id(self) -> int | None: ...
    @property
    def to_transactions_id(self) -> int | None: ...
    @property
    def to_accounts_id(self) -> int | None: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def description(self) -> str | None: ...
    @property
    def date_time(self) -> datetime | None: ...
    @property
    def pending(self) -> bool:
        """Wire `bPending`."""
    @property
    def cancellable(self) -> bool:
        """Wire `bCancellable`: may be cancelled (a hint; the cancellation module decides)."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class TransactionDetails:
    """`accounts.transaction`: one transaction with every detail object the API knows."""

    @property
    def transaction_id(self) -> int: ...
    @property
    def customer_id(self) -> int | None: ...
    @property
    def asset_account_id(self) -> int | None: ...
    @property
    def asset_class(self) -> AssetClass | None: ...
    @property
    def asset(self) -> str | None: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def description(self) -> str | None: ...
    @property
    def timestamp(self) -> datetime | None: ...
    @property
    def transaction_status(self) -> str | None:
        """e.g. `Pending`."""
    @property
    def rollback_transaction_id(self) -> int | None: ...
    @property
    def original_transaction_id(self) -> int | None: ...
    @property
    def transaction_type(self) -> str | None: ...
    @property
    def fee_transaction_id(self) -> int | None: ...
    @property
    def fee_transaction_amount(self) -> Decimal | None: ...
    @property
    def eligible_for_reversal(self) -> bool:
        """Wire `bEligibleForReversal`."""
    @property
    def asset_exchange_transfer_details(self) -> AssetExchangeTransferDetails | None: ...
    @property
    def ach_transfer_details(self) -> AchTransferDetails | None: ...
    @property
    def wire_transfer_details(self) -> WireTransferDetails | None: ...
    @property
    def book_transfer_details(self) -> BookTransferDetails | None: ...
    @property
    def internal_transfer_details(self) -> InternalTransferDetails | None: ...
    @property
    def wallet_transfer_details(self) -> WalletTransferDetails | None: ...
    @property
    def external_transfer_details(self) -> ExternalTransferDetails | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class WalletTransferDetails:
    """An on-chain transfer behind a transaction."""

    @property
    def from_wallet_address(self) -> str | None: ...
    @property
    def to_wallet_address(self) -> str | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class WireTransferDetails:
    """A wire transfer behind a transaction."""

    @property
    def wire_payment_type(self) -> str | None: ...
    @property
    def account_number(self) -> str | None: ...
    @property
    def imad(self) -> str | None: ...
    @property
    def sender_routing_number(self) -> str | None: ...
    @property
    def sender_name(self) -> str | None: ...
    @property
    def receiver_routing_number(self) -> str | None: ...
    @property
    def receiver_name(self) -> str | None: ...
    @property
    def originator_name(self) -> str | None: ...
    @property
    def beneficiary_name(self) -> str | None: ...
    @property
    def completed_at(self) -> datetime | None: ...
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Withdrawal:
    """`accounts.withdraw_crypto`'s response: the withdrawal transaction."""

    @property
    def id(self) -> int:
        """The new transaction's id."""
    @property
    def accounts_id(self) -> int | None: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def description(self) -> str | None: ...
    @property
    def date_time(self) -> datetime | None: ...
    @property
    def pending(self) -> bool:
        """Wire `bPending`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

__all__ = [
    "__version__",
    "CORE_USER_AGENT",
    "USER_AGENT_SUFFIX",
    "RustError",
    "_CoreClient",
    "Page",
    "AsyncPage",
    "Totp",
    "_Sandbox",
    "Account",
    "AchTransferDetails",
    "AssetExchangeTransferDetails",
    "AssetPair",
    "Balance",
    "BookTransferDetails",
    "CancellationEligibility",
    "Card",
    "CardBalance",
    "CardDetails",
    "CardTransaction",
    "CardTransfer",
    "CreatedAccounts",
    "CreatedCard",
    "CurrencyPair",
    "CustomerCards",
    "DepositAddress",
    "Exchange",
    "ExternalTransferDetails",
    "InformationRequest",
    "InternalTransferDetails",
    "Quote",
    "ReviewQuote",
    "SensitiveCardDetails",
    "Transaction",
    "TransactionDetails",
    "WalletTransferDetails",
    "WireTransferDetails",
    "Withdrawal",
    "MODEL_NAMES",
    "OPERATION_PATHS",
]
