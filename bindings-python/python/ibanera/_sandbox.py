"""``ibanera.Sandbox``: the embedded Ibanera sandbox, for tests, demos and notebooks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Literal, Optional, Union

from ._client import AsyncClient, Client
from ._enums import ExchangeStatus
from ._ibanera import _Sandbox
from ._resources import Money

__all__ = ["AuthStats", "Delivery", "FaultKind", "Sandbox", "Seconds", "WebhookReceiver"]

#: Fault kinds of ``inject_fault`` (case, ``_`` and ``-`` are ignored); the README's sandbox
#: section describes each.
FAULT_KINDS = (
    "status",
    "html",
    "delay",
    "drop_before_execute",
    "drop_after_execute",
    "truncate",
    "malformed_json",
    "status_zero",
    "oversize_body",
    "endless_body",
    "deep_json",
)

# Two Literals in a Union (not one Literal): stubtest checks an alias of a union against a
# runtime Union.
FaultKind = Union[
    Literal[
        "status",
        "html",
        "delay",
        "drop_before_execute",
        "drop_after_execute",
        "truncate",
        "malformed_json",
        "status_zero",
        "oversize_body",
        "endless_body",
        "deep_json",
    ],
    # The control endpoint's spelling.
    Literal[
        "dropBeforeExecute",
        "dropAfterExecute",
        "malformedJson",
        "statusZero",
        "oversizeBody",
        "endlessBody",
        "deepJson",
    ],
]
"""A fault kind of ``Sandbox.inject_fault``: snake_case or the HTTP control endpoint's
camelCase (a misspelt kind fails ``mypy``; at run time the sandbox refuses it with
``SandboxError``)."""

Seconds = Union[int, float, Decimal, str]
"""A number of seconds: ``int``, ``float`` (by its shortest repr), ``Decimal`` or a decimal
``str`` (``"0.5"``)."""


@dataclass(frozen=True)
class AuthStats:
    """The sandbox's login counters (``Sandbox.auth_stats()``)."""

    logins_succeeded: int
    """Logins answered with a token."""
    logins_failed: int
    """Logins refused, whatever the reason."""
    active_tokens: int
    """Tokens issued, neither revoked nor expired."""
    locked_users: tuple[str, ...]
    """Usernames locked now (after 5 wrong logins in a row), sorted."""


@dataclass(frozen=True)
class WebhookReceiver:
    """A callback receiver registered with the sandbox (``Sandbox.webhooks()``)."""

    id: int
    url: str
    pending: int
    """Events queued for it, neither acknowledged nor given up yet."""


@dataclass(frozen=True)
class Delivery:
    """One attempt to deliver a callback (``Sandbox.deliveries()``), in the order made."""

    event_id: str
    """The envelope's ``Id``: the same on every attempt of one event."""
    type: str
    """The envelope's ``Type``."""
    receiver_id: int
    url: str
    attempt: int
    """1 for the first attempt."""
    status: Optional[int]
    """The receiver's HTTP status, or ``None`` when no response arrived."""
    error: Optional[str]
    """Why no response arrived, or ``None``."""
    at: datetime
    """When the attempt started (aware, UTC)."""
    acknowledged: bool
    """The receiver answered 200: the event is delivered."""


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
    given), logs users in like the real service (username, password and a TOTP code buy a
    bearer token; every call needs the token and a fresh code), and keeps a seeded world:
    customers 1004 (the API user), 1005 and 1006 (KYC not verified), accounts 1055 (USD),
    1056 (USDC), 1057 (BTC), 1058 (ETH), 1060 and 1061; BTC at 60000.

    Keyword arguments (all optional):
        username: the API user's username (default ``sandbox-api-user``).
        password, totp_secret: what logins need (random unless given; read them back from
            the properties, or let ``client()`` use them).
        token_ttl: seconds a token lives (default 3600; ``0.5`` works), to test renewal.
        idle_timeout: seconds before an idle keep-alive connection is closed (default 30).
        strict_otp: a TOTP time step is accepted once only (RFC 6238 5.2).
        port: the port on 127.0.0.1 (default 0: a free one).
        webhook_url, webhook_secret: a callback receiver registered at start, and its hash
            secret (random unless given; read back as the ``webhook_secret`` property).
        webhook_retry_base: seconds before the first retry of an unacknowledged callback,
            doubling (default 1).
        webhook_max_attempts: attempts per callback, the first included (default 8).
        webhook_timeout: seconds one delivery attempt may take (default 10).
        hold_withdrawals: crypto withdrawals stay pending until ``settle_transaction``
            (default: completed at once).

    Seconds are ``int``, ``float``, ``Decimal`` or a decimal ``str``. The seeded users
    ``sandbox-unverified`` and ``sandbox-suppressed`` share the password and secret and are
    refused at login (``Account_Not_Verified``, ``Account_Suppressed``); five wrong logins in
    a row lock a user for ten minutes (``unlock()`` ends it).

    Use it as a context manager (``with ibanera.Sandbox() as sandbox:``) or call ``close()``.
    The control helpers move the world along (compliance approvals, prices, deposits), manage
    sessions and inject faults. They act on the sandbox of the process that started it.
    ``repr`` never shows the password or the secret.

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
        username: Optional[str] = None,
        password: Optional[str] = None,
        totp_secret: Optional[str] = None,
        token_ttl: Optional[Seconds] = None,
        idle_timeout: Optional[Seconds] = None,
        strict_otp: bool = False,
        port: int = 0,
        webhook_url: Optional[str] = None,
        webhook_secret: Optional[str] = None,
        webhook_retry_base: Optional[Seconds] = None,
        webhook_max_attempts: Optional[int] = None,
        webhook_timeout: Optional[Seconds] = None,
        hold_withdrawals: bool = False,
    ) -> None:
        self._core = _Sandbox(
            port=port,
            username=username,
            password=password,
            totp_secret=totp_secret,
            token_ttl=token_ttl,
            idle_timeout=idle_timeout,
            strict_otp=strict_otp,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            webhook_retry_base=webhook_retry_base,
            webhook_max_attempts=webhook_max_attempts,
            webhook_timeout=webhook_timeout,
            hold_withdrawals=hold_withdrawals,
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return self._core.base_url

    @property
    def username(self) -> str:
        """The API user's username."""
        return self._core.username

    @property
    def password(self) -> str:
        """The password the sandbox requires (shared by its seeded users)."""
        return self._core.password

    @property
    def totp_secret(self) -> str:
        """The sandbox's TOTP secret (base32)."""
        return self._core.totp_secret

    def env_lines(self) -> str:
        """The ``export IBANERA_...=`` lines that point ``Client.from_env()`` here."""
        return self._core.env_lines()

    def _settings(self, overrides: dict[str, Any]) -> dict[str, Any]:
        if "access_token" not in overrides:
            overrides.setdefault("username", self.username)
            overrides.setdefault("password", self.password)
        overrides.setdefault("totp_secret", self.totp_secret)
        overrides.setdefault("base_url", self.base_url)
        return overrides

    def client(self, **overrides: Any) -> Client:
        """A ``Client`` for this sandbox, logged in as its API user (keyword arguments as for
        ``Client`` override the sandbox's: ``sandbox.client(password="wrong")``)."""
        return Client(**self._settings(overrides))

    def async_client(self, **overrides: Any) -> AsyncClient:
        """An ``AsyncClient`` for this sandbox (keyword arguments as for ``AsyncClient``)."""
        return AsyncClient(**self._settings(overrides))

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
        """How many times each API POST was executed, keyed ``"POST /api/v1/..."`` (refused
        requests and those a fault answered instead are not counted): proof that no POST ran
        twice."""
        return dict(self._core.executions())

    # Pending transactions ---------------------------------------------------------------------

    def set_hold_withdrawals(self, hold: bool) -> None:
        """Crypto withdrawals made from now on stay pending (``pending`` True, cancellable)
        until ``settle_transaction`` or ``fail_transaction``; ``False`` (the default)
        completes them at once."""
        self._core.set_hold_withdrawals(hold)

    @property
    def hold_withdrawals(self) -> bool:
        """True while withdrawals are held pending."""
        return self._core.hold_withdrawals

    def settle_transaction(self, transactions_id: int) -> None:
        """Completes a pending withdrawal or deposit (and its fee transaction); raises
        ``SandboxError`` for a transaction that is not pending."""
        self._core.settle_transaction(transactions_id)

    def fail_transaction(self, transactions_id: int) -> None:
        """Fails a pending withdrawal or deposit: the hold is released, nothing moves."""
        self._core.fail_transaction(transactions_id)

    def pending_transactions(self) -> list[int]:
        """The ids ``settle_transaction`` and ``fail_transaction`` accept, oldest first."""
        return list(self._core.pending_transactions())

    # Information requests and cards --------------------------------------------------------

    def open_information_request(
        self, customers_id: int, transactions_id: Optional[int] = None
    ) -> int:
        """Compliance opens an information request for a customer, about one of its
        transactions or the customer in general; returns its id (``INFORMATION_REQUESTED``
        goes to registered receivers)."""
        return self._core.open_information_request(customers_id, transactions_id)

    def resolve_information_request(
        self,
        information_request_id: int,
        status: Literal["Accepted", "Rejected", "MoreInformationRequired"],
    ) -> None:
        """Compliance decides on an open request: ``"Accepted"`` or ``"Rejected"`` (final),
        or ``"MoreInformationRequired"`` (it stays open); ``SandboxError`` for a final one."""
        self._core.resolve_information_request(information_request_id, status)

    def activate_card(self, card_id: int) -> None:
        """Activates a card (a created card starts Deactivated; a managee's: the manager's
        approval, ``MANAGEE_CARD_APPROVAL_UPDATED``)."""
        self._core.activate_card(card_id)

    def deactivate_card(self, card_id: int) -> None:
        """Deactivates a card: transfers to or from it are refused."""
        self._core.deactivate_card(card_id)

    def card_fees_collected(self) -> Decimal:
        """The fees card transfers have collected since the start (or the last reset)."""
        return self._core.card_fees_collected()

    # Faults ---------------------------------------------------------------------------------

    def inject_fault(
        self,
        path: str,
        kind: Union[FaultKind, Mapping[str, Any]] = "status",
        *,
        count: int = 1,
        status: Optional[int] = None,
        body: Union[str, Mapping[str, Any], None] = None,
        retry_after: Union[str, int, float, None] = None,
        ms: Optional[int] = None,
        execute: Optional[bool] = None,
        bytes: Optional[int] = None,  # the control endpoint's name for it
        depth: Optional[int] = None,
    ) -> None:
        """Makes the next ``count`` requests to ``path`` misbehave (before authentication;
        faults of one path apply in the order injected).

        ``path`` is an API path (``"/api/v1/customer/crypto-exchanges/buy"``, query ignored)
        or an operation name (``"exchanges.buy"``). The fault is a kind with its settings as
        keyword arguments, or the ``fault`` object of the HTTP control endpoint
        (``POST /_sandbox/faults``) as a dict, camelCase or snake_case::

            sandbox.inject_fault("exchanges.buy", "html", status=504, execute=True)
            sandbox.inject_fault("exchanges.buy", {"kind": "html", "status": 504, "execute": True})
            sandbox.inject_fault("accounts.get", {"kind": "status", "status": 429,
                                                  "retryAfter": "2"}, count=3)

        Kinds and their settings (executes = the request runs, then the answer is spoiled):

        - ``status``: answers ``status`` (200-599) with ``body`` (text, or a dict sent as
          JSON; default an error envelope naming the status) and ``retry_after`` (the
          ``Retry-After`` header); with ``execute=True`` the request runs first (a gateway
          timing out).
        - ``html``: a proxy's HTML error page with ``status``; ``execute`` as above.
        - ``delay``: executes, answers ``ms`` milliseconds later (at most 600000).
        - ``drop_before_execute``: closes the connection, nothing runs.
        - ``drop_after_execute``: executes, closes the connection without an answer.
        - ``truncate``: executes, sends half the body and closes.
        - ``malformed_json``: executes, answers HTTP 200 with half the body (not JSON).
        - ``status_zero``: an envelope with ``status`` 0, nothing runs.
        - ``oversize_body``: executes, answers a valid body of exactly ``bytes`` bytes.
        - ``endless_body``: executes, answers a body that never ends.
        - ``deep_json``: executes, answers ``details`` nested ``depth`` arrays deep.

        Raises ``SandboxError`` for an unknown kind or a bad setting, ``ValueError`` for an
        unknown operation name or settings given both in the dict and as keywords.
        """
        settings = {
            "status": status,
            "body": body,
            "retry_after": retry_after,
            "ms": ms,
            "execute": execute,
            "bytes": bytes,
            "depth": depth,
        }
        given = {k: v for k, v in settings.items() if v is not None}
        if isinstance(kind, str):
            # The same description as the dict form: the sandbox reads both alike.
            fault: dict[str, Any] = {"kind": kind, **given}
            if isinstance(body, Mapping):
                fault["body"] = dict(body)
        else:
            if given:
                raise ValueError(
                    f"inject_fault: give the settings inside the fault dict, not as {sorted(given)}"
                )
            fault = dict(kind)
        self._core.inject_fault(_resolve_path(path), fault, count)

    def clear_faults(self) -> None:
        """Removes every pending fault."""
        self._core.clear_faults()

    # Authentication ---------------------------------------------------------------------------

    def set_strict_otp(self, strict: bool) -> None:
        """Strict mode: a TOTP code (time step) is accepted once only (RFC 6238 5.2)."""
        self._core.set_strict_otp(strict)

    @property
    def strict_otp(self) -> bool:
        """True in strict OTP mode."""
        return self._core.strict_otp

    def set_token_ttl(self, seconds: Seconds) -> None:
        """How long tokens issued from now on live (tokens already issued keep theirs)."""
        self._core.set_token_ttl(seconds)

    @property
    def token_ttl(self) -> float:
        """The lifetime of newly issued tokens, in seconds."""
        return self._core.token_ttl

    def set_idle_timeout(self, seconds: Seconds) -> None:
        """How long an idle keep-alive connection is kept (connections accepted from now)."""
        self._core.set_idle_timeout(seconds)

    @property
    def idle_timeout(self) -> float:
        """Seconds after which an idle keep-alive connection is closed."""
        return self._core.idle_timeout

    def revoke_tokens(self) -> None:
        """Every token issued so far stops working (clients log in again)."""
        self._core.revoke_tokens()

    def unlock(self) -> None:
        """Ends every lockout and failed-login run."""
        self._core.unlock()

    def auth_stats(self) -> AuthStats:
        """The login counters: succeeded, failed, active tokens, locked users."""
        succeeded, failed, active, locked = self._core.auth_stats()
        return AuthStats(succeeded, failed, active, tuple(locked))

    # Callbacks -------------------------------------------------------------------------------

    @property
    def webhook_secret(self) -> Optional[str]:
        """The hash secret of the receiver given as ``webhook_url`` (``None`` without one)."""
        return self._core.webhook_secret

    def register_webhook(self, url: str, *, secret: Optional[str] = None) -> str:
        """Registers a callback receiver (``http://127.0.0.1:PORT/path``) and returns its hash
        secret (random unless given). From now on every change of the sandbox's state (an
        exchange's status, a deposit, a withdrawal, ...) is POSTed to it, signed like the real
        service's callbacks, retried until it answers 200 (``ibanera.webhooks`` reads them)."""
        _, secret = self._core.register_webhook(url, secret)
        return secret

    def webhooks(self) -> list[WebhookReceiver]:
        """The registered receivers (never their secrets)."""
        return [WebhookReceiver(*r) for r in self._core.webhooks()]

    def remove_webhook(self, receiver_id: int) -> None:
        """Removes one receiver; what was not delivered to it yet is dropped."""
        self._core.remove_webhook(receiver_id)

    def clear_webhooks(self) -> int:
        """Removes every receiver; returns how many there were."""
        return self._core.clear_webhooks()

    def deliveries(self) -> list[Delivery]:
        """Every delivery attempt so far, in the order made."""
        return [Delivery(*d) for d in self._core.deliveries()]

    def clear_deliveries(self) -> None:
        """Empties the delivery log."""
        self._core.clear_deliveries()

    def pending_deliveries(self) -> int:
        """Events queued for a receiver, neither acknowledged nor given up yet."""
        return self._core.pending_deliveries()

    def wait_for_deliveries(self, timeout: Seconds = 30) -> bool:
        """Waits until every event queued so far is acknowledged or given up (use it instead
        of sleeping); False if that did not happen within ``timeout`` seconds."""
        return self._core.wait_for_deliveries(timeout)

    def trigger_webhook(
        self, type: str, data: Optional[Mapping[str, Any]] = None, *, id: Optional[str] = None
    ) -> dict[str, Any]:
        """Sends a callback of ``type`` now, with realistic data from the sandbox's state
        (``data`` overrides keys; ``id`` fixes the envelope's ``Id``, to test deduplication).
        Returns ``{"id", "type", "data"}`` as sent."""
        return self._core.trigger_webhook(type, dict(data) if data is not None else None, id)

    def set_webhook_retry_base(self, seconds: Seconds) -> None:
        """The wait before the first retry of an unacknowledged callback (then doubling)."""
        self._core.set_webhook_retry_base(seconds)

    def set_webhook_max_attempts(self, attempts: int) -> None:
        """Attempts per event and receiver (the first included) before it is given up."""
        self._core.set_webhook_max_attempts(attempts)

    def set_webhook_timeout(self, seconds: Seconds) -> None:
        """How long one delivery attempt may take."""
        self._core.set_webhook_timeout(seconds)

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
        return f"Sandbox(base_url={self.base_url!r}, username={self.username!r}{state})"
