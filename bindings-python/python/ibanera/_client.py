"""``ibanera.Client`` (blocking) and ``ibanera.AsyncClient`` (asyncio)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Optional, Union

from ._ibanera import SessionInfo, _CoreClient
from ._recovery import AsyncRecovery, Recovery
from ._resources import Accounts, AsyncAccounts, AsyncExchanges, Exchanges

__all__ = ["AsyncClient", "Client"]


def _core(
    username: Optional[str],
    password: Optional[str],
    totp_secret: Optional[str],
    access_token: Optional[str],
    base_url: Optional[str],
    api_key: Optional[str],
    timeout: float,
    attempt_timeout: Optional[float],
    connect_timeout: float,
    max_retries: int,
    max_response_bytes: Optional[int],
    proxy: Optional[str],
    allow_insecure_http: bool,
    totp_digits: Optional[int],
    totp_step: Optional[int],
    totp_algorithm: Optional[str],
    default_headers: Optional[Mapping[str, str]],
) -> _CoreClient:
    return _CoreClient(
        username=username,
        password=password,
        totp_secret=totp_secret,
        access_token=access_token,
        base_url=base_url,
        api_key=api_key,
        timeout=timeout,
        attempt_timeout=attempt_timeout,
        connect_timeout=connect_timeout,
        max_retries=max_retries,
        max_response_bytes=max_response_bytes,
        proxy=proxy,
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
        """A call's deadline in seconds, from start to end: every attempt, backoff and wait,
        and a login, included (a call may override it with ``timeout=``)."""
        return self._core.timeout

    @property
    def attempt_timeout(self) -> Optional[float]:
        """The limit of one attempt in seconds, or ``None`` (only the deadline applies)."""
        return self._core.attempt_timeout

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt (a call may override it with ``max_retries=``)."""
        return self._core.max_retries

    @property
    def max_response_bytes(self) -> int:
        """The largest response body accepted (a call may override it)."""
        return self._core.max_response_bytes

    @property
    def session(self) -> Optional[SessionInfo]:
        """The current login session (expiry, login id; never the token), or ``None`` before
        the first login. Sends nothing."""
        return self._core.session_info()

    def set_credentials(self, *, username: str, password: str) -> None:
        """New username and password: the next call logs in with them. This also ends the
        refusal a wrong password leaves behind (calls then fail without sending anything,
        so that a loop cannot lock the account)."""
        self._core.set_credentials(username, password)

    def set_access_token(self, token: str) -> None:
        """A bearer token obtained elsewhere, used from the next call on. The client cannot
        renew it: once the server refuses it, calls raise ``AuthenticationError``."""
        self._core.set_access_token(token)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, timeout={self.timeout}, "
            f"max_retries={self.max_retries})"
        )


_CREDENTIALS_DOC = """
    Credentials: ``username``, ``password`` and ``totp_secret`` (base32 or an ``otpauth://``
    URI), the normal case; or ``access_token`` (a bearer token obtained elsewhere) and
    ``totp_secret``. Each defaults to the environment: ``IBANERA_USERNAME``,
    ``IBANERA_PASSWORD``, ``IBANERA_TOTP_SECRET``, ``IBANERA_ACCESS_TOKEN``, and
    ``IBANERA_BASE_URL`` for ``base_url``. ``api_key`` is no longer used: passing it (or only
    setting ``IBANERA_API_KEY``) raises ``ConfigurationError`` saying what to pass instead.

    The first call logs in (``POST /api/v1/public/auth/login`` with the username, the password
    and a TOTP code); every call then sends ``Authorization: Bearer <token>`` and a fresh TOTP
    code. The token is renewed shortly before it expires, by one call however many are in
    flight, and a token the server refuses is replaced by one new login. One session serves
    the whole client: every thread, every call, sync and async. A refused login (wrong
    password, locked account) is not tried again: calls raise ``AuthenticationError`` without
    sending anything until ``set_credentials`` is called. ``repr``, log records and errors
    never show the password, the token, the secret or a code.

    Settings: ``timeout`` is a call's whole deadline in seconds (default 60: attempts,
    backoff, ``Retry-After`` waits and a login included); ``attempt_timeout`` limits one
    attempt (default: none); ``connect_timeout`` limits connecting; ``max_retries`` (default
    2) counts retries after the first attempt; ``max_response_bytes`` (default 64 MiB) refuses
    larger bodies with ``ResponseLimitError``; ``proxy`` sends every request through that
    proxy (``HTTPS_PROXY``/``ALL_PROXY``/``NO_PROXY`` apply without it; a loopback base URL is
    never proxied). ``timeout``, ``attempt_timeout``, ``max_retries`` and
    ``max_response_bytes`` may also be given per call.

    GETs are retried on connection errors, timeouts, 429 and 502/503/504; a POST (which moves
    money) is retried only when it provably never left. When a POST may have reached the
    server but no answer proves what happened, the call raises ``OutcomeUnknownError``: check
    before repeating it (``client.recovery``; the README's "Failures and retries").
"""


class Client(_Base):
    """The Ibanera API, blocking.

    Every call releases the GIL while it waits, so one client can be shared by many threads;
    it also works where an asyncio loop is already running (Jupyter), since no event loop is
    involved.
    {credentials}
    Example::

        client = ibanera.Client(username="...", password="...", totp_secret="...")
        account = client.accounts.get(1055)
        print(account.available_balance)  # Decimal('99990.500000000000000000')
    """

    __slots__ = ("accounts", "exchanges", "recovery")

    accounts: Accounts
    """Accounts: create, get, balances, list, transactions, transaction, withdraw_crypto,
    deposit_address."""
    exchanges: Exchanges
    """Crypto exchanges: pairs, quote, sell, buy, list, review_quote, confirm_sell, cancel."""
    recovery: Recovery
    """After an ``OutcomeUnknownError``: find_withdrawals, find_exchanges,
    latest_exchange_id."""

    def __init__(
        self,
        *,
        username: Optional[str] = None,
        password: Optional[str] = None,
        totp_secret: Optional[str] = None,
        access_token: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: float = 60.0,
        attempt_timeout: Optional[float] = None,
        connect_timeout: float = 10.0,
        max_retries: int = 2,
        max_response_bytes: Optional[int] = None,
        proxy: Optional[str] = None,
        allow_insecure_http: bool = False,
        totp_digits: Optional[int] = None,
        totp_step: Optional[int] = None,
        totp_algorithm: Optional[str] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        api_key: Optional[str] = None,
    ) -> None:
        self._core = _core(
            username,
            password,
            totp_secret,
            access_token,
            base_url,
            api_key,
            timeout,
            attempt_timeout,
            connect_timeout,
            max_retries,
            max_response_bytes,
            proxy,
            allow_insecure_http,
            totp_digits,
            totp_step,
            totp_algorithm,
            default_headers,
        )
        self.accounts = Accounts(self._core)
        self.exchanges = Exchanges(self._core)
        self.recovery = Recovery(self._core)

    @classmethod
    def from_env(cls, **kwargs: Any) -> Client:
        """A client from ``IBANERA_USERNAME``, ``IBANERA_PASSWORD``, ``IBANERA_TOTP_SECRET``
        (or ``IBANERA_ACCESS_TOKEN``) and ``IBANERA_BASE_URL``; keyword arguments as for
        ``Client`` take precedence."""
        return cls(**kwargs)

    def login(self) -> SessionInfo:
        """Logs in now and returns the new session (calls log in by themselves when needed;
        this always logs in again). Raises ``AuthenticationError`` when the credentials are
        refused (``errors[0].message_code`` says why: ``Username_Or_Password_Incorrect``,
        ``Account_Locked``, ...), ``ConfigurationError`` for an access-token client."""
        return self._core.login()

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Union[Mapping[str, Any], Sequence[tuple[str, Any]], None] = None,
        body: Any = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> dict[str, Any]:
        """Calls any endpoint of the API: for the modules the typed methods do not cover.

        ``method`` is ``"GET"``, ``"POST"``, ...; ``path`` is relative to the base URL
        (``"/api/v1/customer/..."``); ``query`` is a mapping or a sequence of ``(key, value)``
        pairs; ``body`` is JSON data (``Decimal`` goes out as a number with exactly its
        digits). Authentication, a fresh TOTP code per attempt, the retry rules (a POST is
        never re-sent once it may have arrived) and the error classes are those of the typed
        methods. Returns the envelope as a dict: ``id``, ``details`` (JSON data, numbers as
        ``int`` or ``Decimal``), ``page_number``, ``page_size``, ``number_of_pages`` and
        ``warnings`` (the ``ApiErrorItem``s of a response that reported success; usually
        empty, and logged).
        """
        return self._core.request(
            method, path, query, body, timeout, max_retries, attempt_timeout, max_response_bytes
        )

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


class AsyncClient(_Base):
    """The Ibanera API for asyncio: the same methods and arguments as ``Client``, awaitable.

    The requests run on the SDK's own I/O threads; results are delivered to the running
    loop, which is never blocked. Cancelling an awaiting task abandons its request.
    {credentials}
    Example::

        async with ibanera.AsyncClient() as client:
            page = await client.accounts.transactions(accounts_id=1055)
            async for tx in page.auto_paging_iter():
                ...
    """

    __slots__ = ("accounts", "exchanges", "recovery")

    accounts: AsyncAccounts
    """Accounts, awaitable."""
    exchanges: AsyncExchanges
    """Crypto exchanges, awaitable."""
    recovery: AsyncRecovery
    """After an ``OutcomeUnknownError``, awaitable."""

    def __init__(
        self,
        *,
        username: Optional[str] = None,
        password: Optional[str] = None,
        totp_secret: Optional[str] = None,
        access_token: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: float = 60.0,
        attempt_timeout: Optional[float] = None,
        connect_timeout: float = 10.0,
        max_retries: int = 2,
        max_response_bytes: Optional[int] = None,
        proxy: Optional[str] = None,
        allow_insecure_http: bool = False,
        totp_digits: Optional[int] = None,
        totp_step: Optional[int] = None,
        totp_algorithm: Optional[str] = None,
        default_headers: Optional[Mapping[str, str]] = None,
        api_key: Optional[str] = None,
    ) -> None:
        self._core = _core(
            username,
            password,
            totp_secret,
            access_token,
            base_url,
            api_key,
            timeout,
            attempt_timeout,
            connect_timeout,
            max_retries,
            max_response_bytes,
            proxy,
            allow_insecure_http,
            totp_digits,
            totp_step,
            totp_algorithm,
            default_headers,
        )
        self.accounts = AsyncAccounts(self._core)
        self.exchanges = AsyncExchanges(self._core)
        self.recovery = AsyncRecovery(self._core)

    @classmethod
    def from_env(cls, **kwargs: Any) -> AsyncClient:
        """``Client.from_env`` for asyncio."""
        return cls(**kwargs)

    async def login(self) -> SessionInfo:
        """``Client.login``, awaitable."""
        info: SessionInfo = await self._core.login_async()
        return info

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Union[Mapping[str, Any], Sequence[tuple[str, Any]], None] = None,
        body: Any = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        attempt_timeout: Optional[float] = None,
        max_response_bytes: Optional[int] = None,
    ) -> dict[str, Any]:
        """``Client.request``, awaitable: the same arguments, rules and result."""
        return await self._core.request_async(
            method, path, query, body, timeout, max_retries, attempt_timeout, max_response_bytes
        )

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


for _cls in (Client, AsyncClient):
    _cls.__doc__ = (_cls.__doc__ or "").replace("{credentials}", _CREDENTIALS_DOC)
del _cls
