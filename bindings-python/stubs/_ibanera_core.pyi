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
