"""The native core of the Ibanera SDK (``ibanera._ibanera``).

Use the public names of ``ibanera``; this module's own classes (``_CoreClient``, ``_Sandbox``)
are what ``ibanera.Client`` and ``ibanera.Sandbox`` are built on.
"""

from collections.abc import AsyncIterator, Awaitable, Iterator, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from types import GenericAlias
from typing import (
    Any,
    ClassVar,
    Generic,
    Literal,
    Optional,
    SupportsIndex,
    TypeAlias,
    TypeVar,
    Union,
    final,
    overload,
)

# The optional `arrow` extra's packages, for the exports' return types only (a type checker
# without them sees Any; pandas is typed through pandas-stubs).
import pandas
import polars
import pyarrow

from ._enums import (
    AssetClass,
    EventType,
    ExchangeStatus,
    ExchangeType,
    QuantityType,
    TransferType,
)
from ._errors import ApiErrorItem

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
        *,
        username: Optional[str] = None,
        password: Optional[str] = None,
        totp_secret: Optional[str] = None,
        access_token: Optional[str] = None,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        timeout: Optional[float] = None,
        attempt_timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        proxy: Optional[str] = None,
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
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
        positional: Any = None,
    ) -> Any: ...
    def call_async(
        self,
        op: str,
        args: dict[str, Any],
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
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
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> dict[str, Any]: ...
    def request_async(
        self,
        method: str,
        path: str,
        query: Any = None,
        body: Any = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> Awaitable[dict[str, Any]]: ...
    def find_withdrawals(
        self,
        accounts_id: Any,
        amount: Any,
        started_at: Any,
        is_async: bool,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> Any: ...
    def find_exchanges(
        self,
        customers_id: Any,
        asset_pair: Any,
        exchange_type: Any,
        price: Any,
        amount: Any,
        after_id: Any,
        is_async: bool,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> Any: ...
    def latest_exchange_id(
        self,
        customers_id: Any,
        is_async: bool,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> Any: ...
    def login(self) -> SessionInfo: ...
    def login_async(self) -> Awaitable[SessionInfo]: ...
    def session_info(self) -> Optional[SessionInfo]: ...
    def set_credentials(self, username: str, password: str) -> None: ...
    def set_access_token(self, token: str) -> None: ...
    @property
    def base_url(self) -> str: ...
    @property
    def user_agent(self) -> str: ...
    @property
    def timeout(self) -> float: ...
    @property
    def attempt_timeout(self) -> Optional[float]: ...
    @property
    def max_retries(self) -> int: ...
    @property
    def max_response_bytes(self) -> int: ...

@final
class SessionInfo:
    """What a login gave: when the session expires and the login's id; never the token."""

    @property
    def expires_at(self) -> Optional[datetime]:
        """When the session's token expires (aware, UTC), if the server said."""
    @property
    def expires_in(self) -> Optional[timedelta]:
        """The token's lifetime as the server gave it, if it did."""
    @property
    def login_id(self) -> Optional[int]:
        """The login response's ``id`` (the authenticated user), if it had one."""
    def to_dict(self) -> dict[str, Any]:
        """``{"expires_at", "expires_in", "login_id"}``."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

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
    @property
    def warnings(self) -> list[ApiErrorItem]:
        """Error items the API listed although it reported success (usually empty; logged)."""
    def next_page(self) -> Optional[Page[_T]]:
        """The next page (one request), or ``None`` after the last one."""
    def auto_paging_iter(self) -> Iterator[_T]:
        """Every item of this page and of every page after it, fetched lazily."""
    def to_dict(self) -> dict[str, Any]:
        """``{"items": [...], "page_number", "page_size", "number_of_pages"}``."""
    def to_arrow(self, all_pages: bool = False) -> pyarrow.Table:
        """This page (``all_pages``: and every page after it) as a ``pyarrow.Table``.

        Needs ``pip install 'ibanera[arrow]'``."""
    def to_pandas(
        self, all_pages: bool = False, *, money: Literal["arrow", "decimal"] = "arrow"
    ) -> pandas.DataFrame:
        """This page (``all_pages``: and every page after it) as a ``pandas.DataFrame``.

        Money exact (``money="arrow"``:
        ``decimal128(38, 18)`` columns, ``"decimal"``: ``Decimal`` objects)."""
    def to_polars(self, all_pages: bool = False) -> polars.DataFrame:
        """This page (``all_pages``: and every page after it) as a ``polars.DataFrame``."""
    def arrow_stream(self, all_pages: bool = False) -> ArrowStream:
        """A one-shot Arrow PyCapsule stream of this page (``all_pages``: and every later one).

        Each page is fetched as the reader (DuckDB, polars, pyarrow) asks for it."""
    def _arrow_collect(self, all_pages: bool) -> ArrowStream: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """This page's items through the Arrow PyCapsule stream interface."""
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
    @property
    def warnings(self) -> list[ApiErrorItem]:
        """Error items the API listed although it reported success (usually empty; logged)."""
    async def next_page(self) -> Optional[AsyncPage[_T]]:
        """The next page (one request), or ``None`` after the last one."""
    def auto_paging_iter(self) -> AsyncIterator[_T]:
        """Every item of this page and of every page after it, fetched lazily."""
    def to_dict(self) -> dict[str, Any]:
        """``{"items": [...], "page_number", "page_size", "number_of_pages"}``."""
    def to_arrow(self, all_pages: bool = False) -> pyarrow.Table:
        """This page (``all_pages=True``: refused, it would block) as a ``pyarrow.Table``.

        Needs ``pip install 'ibanera[arrow]'``."""
    def to_pandas(
        self, all_pages: bool = False, *, money: Literal["arrow", "decimal"] = "arrow"
    ) -> pandas.DataFrame:
        """This page (``all_pages=True``: refused, it would block) as a ``pandas.DataFrame``.

        Money exact (``money="arrow"``:
        ``decimal128(38, 18)`` columns, ``"decimal"``: ``Decimal`` objects)."""
    def to_polars(self, all_pages: bool = False) -> polars.DataFrame:
        """This page (``all_pages=True``: refused, it would block) as a ``polars.DataFrame``."""
    def arrow_stream(self, all_pages: bool = False) -> ArrowStream:
        """A one-shot Arrow PyCapsule stream of this page (``all_pages=True``: refused)."""
    def _arrow_collect(self, all_pages: bool) -> ArrowStream: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object:
        """This page's items through the Arrow PyCapsule stream interface."""
    def _repr_html_(self) -> str: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[_T]: ...
    @overload
    def __getitem__(self, index: SupportsIndex, /) -> _T: ...
    @overload
    def __getitem__(self, index: slice, /) -> list[_T]: ...
    def __class_getitem__(cls, item: Any) -> GenericAlias: ...

@final
class ArrowStream:
    """Arrow record batches read once through the Arrow PyCapsule stream interface
    (``pyarrow.table(s)``, ``polars.DataFrame(s)``, ``duckdb.sql("select * from s")``)."""

    @property
    def column_names(self) -> list[str]:
        """The column names, in order."""
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    def __arrow_c_schema__(self) -> object: ...

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
        username: Optional[str] = None,
        password: Optional[str] = None,
        totp_secret: Optional[str] = None,
        token_ttl: Union[int, float, Decimal, str, None] = None,
        idle_timeout: Union[int, float, Decimal, str, None] = None,
        strict_otp: bool = False,
        webhook_url: Optional[str] = None,
        webhook_secret: Optional[str] = None,
        webhook_retry_base: Union[int, float, Decimal, str, None] = None,
        webhook_max_attempts: Optional[int] = None,
        webhook_timeout: Union[int, float, Decimal, str, None] = None,
        hold_withdrawals: bool = False,
    ) -> _Sandbox: ...
    @property
    def base_url(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def password(self) -> str: ...
    @property
    def totp_secret(self) -> str: ...
    @property
    def running(self) -> bool: ...
    @property
    def strict_otp(self) -> bool: ...
    @property
    def token_ttl(self) -> float: ...
    @property
    def idle_timeout(self) -> float: ...
    def env_lines(self) -> str: ...
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
    def set_hold_withdrawals(self, hold: bool) -> None: ...
    @property
    def hold_withdrawals(self) -> bool: ...
    def settle_transaction(self, transactions_id: int) -> None: ...
    def fail_transaction(self, transactions_id: int) -> None: ...
    def pending_transactions(self) -> list[int]: ...
    def open_information_request(
        self, customers_id: int, transactions_id: Optional[int] = None
    ) -> int: ...
    def resolve_information_request(self, information_request_id: int, status: str) -> None: ...
    def activate_card(self, card_id: int) -> None: ...
    def deactivate_card(self, card_id: int) -> None: ...
    def card_fees_collected(self) -> Decimal: ...
    def set_strict_otp(self, strict: bool) -> None: ...
    def set_token_ttl(self, seconds: Union[int, float, Decimal, str]) -> None: ...
    def set_idle_timeout(self, seconds: Union[int, float, Decimal, str]) -> None: ...
    def revoke_tokens(self) -> None: ...
    def unlock(self) -> None: ...
    def auth_stats(self) -> tuple[int, int, int, list[str]]: ...
    @property
    def webhook_secret(self) -> Optional[str]: ...
    def register_webhook(self, url: str, secret: Optional[str] = None) -> tuple[int, str]: ...
    def remove_webhook(self, receiver_id: int) -> None: ...
    def clear_webhooks(self) -> int: ...
    def webhooks(self) -> list[tuple[int, str, int]]: ...
    def deliveries(
        self,
    ) -> list[tuple[str, str, int, str, int, Optional[int], Optional[str], datetime, bool]]: ...
    def clear_deliveries(self) -> None: ...
    def pending_deliveries(self) -> int: ...
    def wait_for_deliveries(self, timeout: Union[int, float, Decimal, str]) -> bool: ...
    def trigger_webhook(
        self, event_type: str, data: Optional[dict[str, Any]] = None, id: Optional[str] = None
    ) -> dict[str, Any]: ...
    def set_webhook_retry_base(self, seconds: Union[int, float, Decimal, str]) -> None: ...
    def set_webhook_max_attempts(self, attempts: int) -> None: ...
    def set_webhook_timeout(self, seconds: Union[int, float, Decimal, str]) -> None: ...

# ------------------------------------------------------------------------------------------
# Callbacks (ibanera.webhooks)

SIGNATURE_HEADER: str
QUICKBUY_SIGNATURE_HEADER: str
WEBHOOK_MODEL_NAMES: list[str]

@final
class Event:
    """A Customer API callback, verified: ``{id, type, data}`` with ``data`` typed by ``type``."""

    @property
    def id(self) -> str:
        """The callback's ``Id`` (a GUID): a callback sent again has the same one."""
    @property
    def type(self) -> EventType:
        """The type code, normalised (compares equal to ``"EXCHANGE_STATUS_UPDATED"``)."""
    @property
    def data(self) -> _EventData:
        """The typed data of a known type; the raw JSON (a dict) of an unknown one."""
    def to_dict(self) -> dict[str, Any]:
        """``{"id", "type", "data"}`` with ``data`` as a dict (snake_case keys)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node (camelCase, money as exact strings)."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class QuickBuyEvent:
    """A QuickBuy or QuickBuy Pro callback, verified: ``kind`` and its typed ``data``."""

    @property
    def kind(self) -> str:
        """``"payment_captured"``, ``"cryptocurrency_transferred"``, ``"payment_updated"`` or
        ``"widget"``."""
    @property
    def data(self) -> _QuickBuyData:
        """The callback's typed data."""
    def to_dict(self) -> dict[str, Any]:
        """``{"kind", "data"}`` with ``data`` as a dict (snake_case keys)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

def _construct_event(
    payload: Union[bytes, bytearray, memoryview, str],
    signature: Optional[str],
    headers: Optional[list[tuple[bytes, bytes]]],
    secret: str,
) -> Event: ...
def _construct_quickbuy_event(
    payload: Union[bytes, bytearray, memoryview, str],
    signature: Optional[str],
    headers: Optional[list[tuple[bytes, bytes]]],
    secret: str,
) -> QuickBuyEvent: ...

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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
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
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

# ------------------------------------------------------------------------------------------
# Callback models (ibanera.webhooks).

@final
class AssetAmount:
    """An amount of an asset (`Amount`, `NetworkFee` of crypto transfers)."""

    @property
    def asset(self) -> str | None:
        """Wire `Asset`, trimmed."""
    @property
    def amount(self) -> Decimal | None:
        """Wire `Amount`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CryptoTransferData:
    """`CRYPTO_DEPOSIT_CREATED`, `CRYPTO_DEPOSIT_UPDATED`, `CRYPTO_WITHDRAWAL_CREATED`,
    `CRYPTO_WITHDRAWAL_UPDATED`.
    """

    @property
    def transactions_id(self) -> int:
        """Wire `TransactionsId` (also read as `TransactionId`)."""
    @property
    def accounts_id(self) -> int | None:
        """Wire `AccountsId` (also `AccountId`): the associated account; the provider marks it
        "will be deprecated" in favour of the source/destination accounts.
        """
    @property
    def source_accounts_id(self) -> int | None:
        """Wire `SourceAccountsId`."""
    @property
    def destination_accounts_id(self) -> int | None:
        """Wire `DestinationAccountsId`."""
    @property
    def transaction_hash(self) -> str | None:
        """Wire `TransactionHash`: the chain transaction."""
    @property
    def source_address(self) -> str | None:
        """Wire `SourceAddress`."""
    @property
    def destination_address(self) -> str | None:
        """Wire `DestinationAddress`."""
    @property
    def amount(self) -> AssetAmount | None:
        """Wire `Amount` (`{Asset, Amount}`)."""
    @property
    def network_fee(self) -> AssetAmount | None:
        """Wire `NetworkFee` (`{Asset, Amount}`)."""
    @property
    def status(self) -> str | None:
        """Wire `Status`: `Pending`, `Frozen` (failed AML screening), `Failed` or `Completed` (the
        last two are final).
        """
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class ExchangeStatusUpdatedData:
    """`EXCHANGE_STATUS_UPDATED`."""

    @property
    def id(self) -> int:
        """Wire `Id`: the exchange."""
    @property
    def exchange_type(self) -> ExchangeType | None:
        """Wire `ExchangeType`: `Buy` or `Sell`. A number (an example sends `0`) is kept as its
        digits in `Other`: what the numbers mean is not documented.
        """
    @property
    def status(self) -> ExchangeStatus | None:
        """Wire `Status`."""
    @property
    def from_transactions_id(self) -> int | None:
        """Wire `FromTransactionsId`."""
    @property
    def to_transactions_id(self) -> int | None:
        """Wire `ToTransactionsId`."""
    @property
    def managees_id(self) -> int | None:
        """Wire `ManageesId`: the customer the exchange is for."""
    @property
    def asset_pair(self) -> str | None:
        """Wire `AssetPair`."""
    @property
    def request_amount(self) -> Decimal | None:
        """Wire `RequestAmount`."""
    @property
    def request_price(self) -> Decimal | None:
        """Wire `RequestPrice`."""
    @property
    def executed_amount(self) -> Decimal | None:
        """Wire `ExecutedAmount`."""
    @property
    def executed_price(self) -> Decimal | None:
        """Wire `ExecutedPrice`."""
    @property
    def commission_fee(self) -> Decimal | None:
        """Wire `CommissionFee`."""
    @property
    def payees_id(self) -> int | None:
        """Wire `PayeesId`: where sale proceeds go, if anywhere."""
    @property
    def transfer_type(self) -> TransferType | None:
        """Wire `TransferType`: present when `PayeesId` is."""
    @property
    def has_open_rfi(self) -> bool:
        """Wire `bHasOpenRfi`: an information request awaits an answer."""
    @property
    def from_customer_asset_account_id(self) -> int | None:
        """Wire `FromCustomerAssetAccountId`."""
    @property
    def to_customer_asset_account_id(self) -> int | None:
        """Wire `ToCustomerAssetAccountId`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class FiatDepositReceivedData:
    """`FIAT_DEPOSIT_RECEIVED`."""

    @property
    def accounts_id(self) -> int:
        """Wire `AccountsId` as the examples send it (the field table says `AccountId`: both are
        read): the receiving account.
        """
    @property
    def transactions_id(self) -> int:
        """Wire `TransactionsId` (table: `TransactionId`)."""
    @property
    def original_transactions_id(self) -> int | None:
        """Wire `OriginalTransactionsId`: for a refund, the platform transaction refunded."""
    @property
    def reference(self) -> str | None:
        """Wire `Reference`."""
    @property
    def sender_details(self) -> FiatDepositSender | None:
        """Wire `SenderDetails`."""
    @property
    def amount(self) -> Decimal | None:
        """Wire `Amount`."""
    @property
    def imad(self) -> str | None:
        """Wire `Imad`: the wire's IMAD."""
    @property
    def date(self) -> datetime | None:
        """Wire `Date`."""
    @property
    def reversal(self) -> bool:
        """Wire `bReversal`: the deposit refunds an earlier platform transaction."""
    @property
    def flagged(self) -> bool:
        """Wire `bFlagged`: held by compliance; a `TRANSACTION_STATUS_UPDATED` follows with the
        decision.
        """
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class FiatDepositSender:
    """Who sent a fiat deposit (`SenderDetails`)."""

    @property
    def routing_number(self) -> str | None:
        """Wire `RoutingNumber`."""
    @property
    def account_number(self) -> str | None:
        """Wire `AccountNumber`."""
    @property
    def name(self) -> str | None:
        """Wire `Name`."""
    @property
    def address_line1(self) -> str | None:
        """Wire `AddressLine1`."""
    @property
    def address_line2(self) -> str | None:
        """Wire `AddressLine2`."""
    @property
    def address_line3(self) -> str | None:
        """Wire `AddressLine3`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class InformationRequestData:
    """`INFORMATION_REQUESTED`, `INFORMATION_REQUEST_UPDATED`."""

    @property
    def customers_id(self) -> int:
        """Wire `CustomersId` as the examples send it (the text says `CustomerId`: both are
        read).
        """
    @property
    def updated_information_request_ids(self) -> str | None:
        """Wire `UpdatedInformationRequestIds`, as received: a string (older revisions omit it)."""
    @property
    def information_request_ids(self) -> list[int] | None:
        """The same ids parsed: the string split on commas, each part an integer; `None` when the
        string is absent or any part is not an integer.
        """
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class ManageeCardApprovalUpdatedData:
    """`MANAGEE_CARD_APPROVAL_UPDATED`."""

    @property
    def top_up_cards_id(self) -> int | None:
        """Wire `TopUpCardsId`: the card, once created."""
    @property
    def requested_top_up_cards_id(self) -> int | None:
        """Wire `RequestedTopUpCardsId`: the card request, when approval was deferred."""
    @property
    def status(self) -> str | None:
        """Wire `Status`: `Approved` or `Rejected`."""
    @property
    def manually_updated(self) -> bool:
        """Wire `bManuallyUpdated`: a manager or admin intervened."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class ManageeJumioCompletedData:
    """`MANAGEE_JUMIO_COMPLETED`."""

    @property
    def managees_id(self) -> int:
        """Wire `ManageesId`: the managed customer."""
    @property
    def managee_customer_users_id(self) -> int | None:
        """Wire `ManageeCustomerUsersId`: the login (CustomerUser) that completed Jumio."""
    @property
    def date_jumio_completed(self) -> datetime | None:
        """Wire `DateJumioCompleted`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class ManageeKycUpdatedData:
    """`MANAGEE_KYC_UPDATED`."""

    @property
    def managees_id(self) -> int:
        """Wire `ManageesId`."""
    @property
    def verification_status(self) -> str | None:
        """Wire `VerificationStatus`: `Accepted` or `Rejected` (final)."""
    @property
    def accept_date(self) -> datetime | None:
        """Wire `AcceptDate`."""
    @property
    def reject_date(self) -> datetime | None:
        """Wire `RejectDate`."""
    @property
    def reject_reason(self) -> str | None:
        """Wire `RejectReason`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class QuickBuyCallbackClient:
    """The paying client of a QuickBuy Pro payment."""

    @property
    def user_reference(self) -> str | None:
        """Wire `UserReference`: the merchant's reference for its customer."""
    @property
    def email(self) -> str | None:
        """Wire `email`."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class QuickBuyCallbackCrypto:
    """The crypto side of a QuickBuy Pro payment."""

    @property
    def asset(self) -> str | None:
        """Wire `asset`, trimmed."""
    @property
    def amount(self) -> Decimal | None:
        """Wire `amount`."""
    @property
    def tx_hash(self) -> str | None:
        """Wire `txHash`: the chain transaction (Cryptocurrency Transferred only)."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class QuickBuyCallbackFiat:
    """The fiat side of a QuickBuy Pro payment."""

    @property
    def amount(self) -> Decimal | None:
        """Wire `amount`."""
    @property
    def currency(self) -> str | None:
        """Wire `currency` (ISO 4217), trimmed."""
    @property
    def payment_card_last4_digits(self) -> str | None:
        """Wire `PaymentCardLast4Digits` (text: `"0007"`)."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class QuickBuyPaymentCallback:
    """A QuickBuy Pro payment callback (Payment Captured, Cryptocurrency Transferred)."""

    @property
    def order_id(self) -> str:
        """Wire `OrderID` (the `id` that create/get return)."""
    @property
    def status(self) -> str | None:
        """Wire `status`: `CAPTURED`, `COMPLETED`, ... as received (trimmed)."""
    @property
    def client(self) -> QuickBuyCallbackClient | None:
        """Wire `client`."""
    @property
    def fiat(self) -> QuickBuyCallbackFiat | None:
        """Wire `fiat`: what the card paid."""
    @property
    def crypto(self) -> QuickBuyCallbackCrypto | None:
        """Wire `crypto`: what the customer receives."""
    @property
    def date_created(self) -> datetime | None:
        """Wire `DateCreated`."""
    @property
    def date_captured(self) -> datetime | None:
        """Wire `DateCaptured`."""
    @property
    def date_transferred(self) -> datetime | None:
        """Wire `DateTransfered` (sic; `DateTransferred` is read too)."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class QuickBuyWidgetCallback:
    """A QuickBuy (V2 widget) callback. Only part of it is documented: what is known is typed, and
    the whole payload is kept in `raw` exactly as received.
    """

    @property
    def transaction_reference(self) -> str:
        """Wire `TransactionReference`: Ibanera's reference."""
    @property
    def status(self) -> str | None:
        """Wire `Status`: documented as always `SUCCESS` for now."""
    @property
    def request_details(self) -> QuickBuyWidgetRequestDetails | None:
        """Wire `RequestDetails`: what the widget was started with."""
    @property
    def raw(self) -> Any:
        """The whole payload as received (keys as sent, numbers with their digits), including the
        parts the documentation does not show (`TransactionDetails`, ...).
        """
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class QuickBuyWidgetRequestDetails:
    """`RequestDetails` of a QuickBuy widget callback (the documented part)."""

    @property
    def user_reference(self) -> str | None:
        """Wire `UserReference`."""
    @property
    def client_signature(self) -> str | None:
        """Wire `ClientSignature`: the per-transaction token the widget was started with."""
    @property
    def crypto_asset_code(self) -> str | None:
        """Wire `CryptoAssetCode`, trimmed."""
    @property
    def fiat_currency_code(self) -> str | None:
        """Wire `FiatCurrencyCode`, trimmed."""
    @property
    def fiat_currency_amount(self) -> Decimal | None:
        """Wire `FiatCurrencyAmount`."""
    @property
    def crypto_asset_amount(self) -> Decimal | None:
        """Wire `CryptoAssetAmount`: the estimate shown to the user."""
    @property
    def request_date(self) -> datetime | None:
        """Wire `RequestDate`: when the widget was started."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class TransactionStatusUpdatedData:
    """`TRANSACTION_STATUS_UPDATED`."""

    @property
    def id(self) -> int:
        """Wire `Id`: the transaction."""
    @property
    def accounts_id(self) -> int | None:
        """Wire `AccountsId`."""
    @property
    def from_transactions_id(self) -> int | None:
        """Wire `FromTransactionsId`."""
    @property
    def from_accounts_id(self) -> int | None:
        """Wire `FromAccountsId`."""
    @property
    def to_transactions_id(self) -> int | None:
        """Wire `ToTransactionsId`."""
    @property
    def to_accounts_id(self) -> int | None:
        """Wire `ToAccountsId`."""
    @property
    def rollback_transactions_id(self) -> int | None:
        """Wire `RollbackTransactionsId` (the field table spells it `RollbackTransactionsID`): the
        refund, when the transfer was rejected, failed or refunded.
        """
    @property
    def amount(self) -> Decimal | None:
        """Wire `Amount` (negative for money leaving the account)."""
    @property
    def description(self) -> str | None:
        """Wire `Description`."""
    @property
    def date_time(self) -> datetime | None:
        """Wire `DateTime`."""
    @property
    def pending(self) -> bool:
        """Wire `bPending`."""
    @property
    def completed(self) -> bool:
        """Wire `bCompleted`."""
    @property
    def rejected(self) -> bool:
        """Wire `bRejected`: rejected, hence refunded (see `rollback_transactions_id`)."""
    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (snake_case keys; nested objects as dicts, enums as `str`)."""
    def to_json(self) -> str:
        """The JSON form shared with the CLI and Node."""
    def _repr_html_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

_EventData: TypeAlias = Union[
    CryptoTransferData,
    ExchangeStatusUpdatedData,
    FiatDepositReceivedData,
    InformationRequestData,
    ManageeCardApprovalUpdatedData,
    ManageeJumioCompletedData,
    ManageeKycUpdatedData,
    TransactionStatusUpdatedData,
    dict[str, Any],
]
_QuickBuyData: TypeAlias = Union[QuickBuyPaymentCallback, QuickBuyWidgetCallback]

__all__ = [
    "__version__",
    "CORE_USER_AGENT",
    "USER_AGENT_SUFFIX",
    "RustError",
    "_CoreClient",
    "SessionInfo",
    "Page",
    "AsyncPage",
    "ArrowStream",
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
    "Event",
    "QuickBuyEvent",
    "SIGNATURE_HEADER",
    "QUICKBUY_SIGNATURE_HEADER",
    "_construct_event",
    "_construct_quickbuy_event",
    "AssetAmount",
    "CryptoTransferData",
    "ExchangeStatusUpdatedData",
    "FiatDepositReceivedData",
    "FiatDepositSender",
    "InformationRequestData",
    "ManageeCardApprovalUpdatedData",
    "ManageeJumioCompletedData",
    "ManageeKycUpdatedData",
    "QuickBuyCallbackClient",
    "QuickBuyCallbackCrypto",
    "QuickBuyCallbackFiat",
    "QuickBuyPaymentCallback",
    "QuickBuyWidgetCallback",
    "QuickBuyWidgetRequestDetails",
    "TransactionStatusUpdatedData",
    "WEBHOOK_MODEL_NAMES",
]
