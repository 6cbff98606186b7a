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
    ) -> list[
        tuple[str, str, int, str, int, Optional[int], Optional[str], datetime, bool]
    ]: ...
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
