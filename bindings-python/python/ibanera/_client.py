"""``ibanera.Client`` (blocking) and ``ibanera.AsyncClient`` (asyncio)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Optional, Union

from ._ibanera import _CoreClient
from ._resources import AREAS, _Areas, _AsyncAreas

__all__ = ["AsyncClient", "Client"]


def _core(
    api_key: Optional[str],
    totp_secret: Optional[str],
    base_url: Optional[str],
    timeout: float,
    connect_timeout: float,
    max_retries: int,
    allow_insecure_http: bool,
    totp_digits: Optional[int],
    totp_step: Optional[int],
    totp_algorithm: Optional[str],
    default_headers: Optional[Mapping[str, str]],
) -> _CoreClient:
    return _CoreClient(
        api_key,
        totp_secret,
        base_url,
        timeout=timeout,
        connect_timeout=connect_timeout,
        max_retries=max_retries,
        allow_insecure_http=allow_insecure_http,
        totp_digits=totp_digits,
        totp_step=totp_step,
        totp_algorithm=totp_algorithm,
        default_headers=list(default_headers.items()) if default_headers else None,
    )


class _Base:
    __slots__ = ("_core", "__weakref__")

    _core: _CoreClient

    @property
    def base_url(self) -> str:
        """The API's base URL (``https://public-api.ibanera.com`` unless configured)."""
        return self._core.base_url

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` sent: ``ibanera-rust/<v> ibanera-python/<v>``."""
        return self._core.user_agent

    @property
    def timeout(self) -> float:
        """The per-attempt timeout in seconds (a call may override it with ``timeout=``)."""
        return self._core.timeout

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt (a call may override it with ``max_retries=``)."""
        return self._core.max_retries

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, timeout={self.timeout}, "
            f"max_retries={self.max_retries})"
        )


class Client(_Base, _Areas):
    """The Ibanera API, blocking.

    Every call releases the GIL while it waits, so one client can be shared by many threads;
    it also works where an asyncio loop is already running (Jupyter), since no event loop is
    involved. ``api_key``, ``totp_secret`` and ``base_url`` default to the environment
    variables ``IBANERA_API_KEY``, ``IBANERA_TOTP_SECRET`` and ``IBANERA_BASE_URL``.

    A fresh TOTP code is computed for every attempt. GETs are retried on connection errors,
    timeouts, 429 and 502/503/504; a POST (which moves money) is retried only when it provably
    never left. ``repr`` never shows the credentials.

    Example::

        client = ibanera.Client(api_key="...", totp_secret="...")
        account = client.accounts.get(1055)
        print(account.available_balance)  # Decimal('99990.500000000000000000')
    """

    # One attribute per area of the API (`client.accounts`, ...; generated, in `_resources`).
    __slots__ = AREAS

    def __init__(
        self,
        api_key: Optional[str] = None,
        totp_secret: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        max_retries: int = 2,
        allow_insecure_http: bool = False,
        totp_digits: Optional[int] = None,
        totp_step: Optional[int] = None,
        totp_algorithm: Optional[str] = None,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self._core = _core(
            api_key,
            totp_secret,
            base_url,
            timeout,
            connect_timeout,
            max_retries,
            allow_insecure_http,
            totp_digits,
            totp_step,
            totp_algorithm,
            default_headers,
        )
        self._open_areas(self._core)

    @classmethod
    def from_env(cls, **kwargs: Any) -> Client:
        """A client from ``IBANERA_API_KEY``, ``IBANERA_TOTP_SECRET`` and ``IBANERA_BASE_URL``."""
        return cls(**kwargs)

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Union[Mapping[str, Any], Sequence[tuple[str, Any]], None] = None,
        body: Any = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> dict[str, Any]:
        """Calls any endpoint of the API: for the modules the typed methods do not cover.

        ``method`` is ``"GET"``, ``"POST"``, ...; ``path`` is relative to the base URL
        (``"/api/v1/customer/..."``); ``query`` is a mapping or a sequence of ``(key, value)``
        pairs; ``body`` is JSON data (``Decimal`` goes out as a number with exactly its
        digits). Authentication, a fresh TOTP code per attempt, the retry rules (a POST is
        never re-sent once it may have arrived) and the error classes are those of the typed
        methods. Returns the envelope as a dict: ``id``, ``details`` (JSON data, numbers as
        ``int`` or ``Decimal``), ``page_number``, ``page_size``, ``number_of_pages``.
        """
        return self._core.request(method, path, query, body, timeout, max_retries)

    def close(self) -> None:
        """Nothing to release explicitly (connections close when the client is collected);
        present so a client can be used as a context manager."""

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()


class AsyncClient(_Base, _AsyncAreas):
    """The Ibanera API for asyncio: the same methods and arguments as ``Client``, awaitable.

    The requests run on the SDK's own I/O threads; results are delivered to the running
    loop, which is never blocked. Cancelling an awaiting task abandons its request.

    Example::

        async with ibanera.AsyncClient() as client:
            page = await client.accounts.transactions(accounts_id=1055)
            async for tx in page.auto_paging_iter():
                ...
    """

    __slots__ = AREAS

    def __init__(
        self,
        api_key: Optional[str] = None,
        totp_secret: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        max_retries: int = 2,
        allow_insecure_http: bool = False,
        totp_digits: Optional[int] = None,
        totp_step: Optional[int] = None,
        totp_algorithm: Optional[str] = None,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self._core = _core(
            api_key,
            totp_secret,
            base_url,
            timeout,
            connect_timeout,
            max_retries,
            allow_insecure_http,
            totp_digits,
            totp_step,
            totp_algorithm,
            default_headers,
        )
        self._open_areas(self._core)

    @classmethod
    def from_env(cls, **kwargs: Any) -> AsyncClient:
        """A client from ``IBANERA_API_KEY``, ``IBANERA_TOTP_SECRET`` and ``IBANERA_BASE_URL``."""
        return cls(**kwargs)

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Union[Mapping[str, Any], Sequence[tuple[str, Any]], None] = None,
        body: Any = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> dict[str, Any]:
        """``Client.request``, awaitable: the same arguments, rules and result."""
        return await self._core.request_async(method, path, query, body, timeout, max_retries)

    async def aclose(self) -> None:
        """Nothing to release explicitly; present for ``async with``."""

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.aclose()
