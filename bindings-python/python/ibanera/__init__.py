"""The Ibanera SDK for Python: the Customer API with TOTP authentication, safe retries, exact
decimals, typed errors and paging, on the SDK's Rust core.

    import ibanera

    client = ibanera.Client(username="...", password="...", totp_secret="...")
    # or ibanera.Client.from_env(): IBANERA_USERNAME, IBANERA_PASSWORD, IBANERA_TOTP_SECRET
    for balance in client.accounts.balances():
        print(balance.asset, balance.available_balance)          # Decimal, exact digits

``ibanera.AsyncClient`` has the same methods for asyncio; ``ibanera.Sandbox()`` runs a local
server with real state for tests and notebooks; ``ibanera.webhooks`` verifies and reads
callbacks. Logging goes to the standard logger ``ibanera`` (method, path, status, attempt,
elapsed; never a secret). Errors are the classes of ``ibanera.IbaneraError``; only
``OutcomeUnknownError`` means a request may have executed, and ``client.recovery`` finds out
whether it did. The pytest plugin (``ibanera.pytest_plugin``, loaded by pytest on its own)
gives tests the fixtures ``ibanera_sandbox``, ``ibanera_client`` and ``ibanera_async_client``.
"""

from __future__ import annotations

import logging as _logging

from . import webhooks
from ._client import AsyncClient, Client
from ._enums import AssetClass, ExchangeStatus, ExchangeType, QuantityType, TransferType
from ._errors import (
    ApiError,
    ApiErrorItem,
    AuthenticationError,
    ConfigurationError,
    DecodeError,
    IbaneraError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ResponseLimitError,
    SandboxError,
    SignatureVerificationError,
    TimeoutError,
    TransportError,
    ValidationError,
)
from ._ibanera import (
    Account,
    AchTransferDetails,
    ArrowStream,
    AssetExchangeTransferDetails,
    AssetPair,
    AsyncPage,
    Balance,
    BookTransferDetails,
    CreatedAccounts,
    DepositAddress,
    Exchange,
    ExternalTransferDetails,
    InternalTransferDetails,
    Page,
    Quote,
    ReviewQuote,
    RustError,
    SessionInfo,
    Totp,
    Transaction,
    TransactionDetails,
    WalletTransferDetails,
    WireTransferDetails,
    Withdrawal,
    __version__,
)
from ._recovery import AsyncRecovery, Recovery
from ._resources import Accounts, AsyncAccounts, AsyncExchanges, DateLike, Exchanges, Money
from ._sandbox import AuthStats, Delivery, FaultKind, Sandbox, WebhookReceiver

__all__ = [
    "Account",
    "Accounts",
    "AchTransferDetails",
    "ArrowStream",
    "ApiError",
    "ApiErrorItem",
    "AssetClass",
    "AssetExchangeTransferDetails",
    "AssetPair",
    "AsyncAccounts",
    "AsyncClient",
    "AsyncExchanges",
    "AsyncPage",
    "AsyncRecovery",
    "AuthStats",
    "AuthenticationError",
    "Balance",
    "BookTransferDetails",
    "Client",
    "ConfigurationError",
    "CreatedAccounts",
    "DateLike",
    "DecodeError",
    "Delivery",
    "DepositAddress",
    "Exchange",
    "ExchangeStatus",
    "ExchangeType",
    "Exchanges",
    "ExternalTransferDetails",
    "FaultKind",
    "IbaneraError",
    "InternalTransferDetails",
    "Money",
    "NotFoundError",
    "OutcomeUnknownError",
    "Page",
    "QuantityType",
    "Quote",
    "Recovery",
    "RateLimitError",
    "ResponseLimitError",
    "ReviewQuote",
    "RustError",
    "Sandbox",
    "SandboxError",
    "SessionInfo",
    "SignatureVerificationError",
    "TimeoutError",
    "Totp",
    "Transaction",
    "TransactionDetails",
    "TransferType",
    "TransportError",
    "ValidationError",
    "WalletTransferDetails",
    "WebhookReceiver",
    "WireTransferDetails",
    "Withdrawal",
    "__version__",
    "webhooks",
]

# A library's logger stays silent until the application configures logging (warnings, such as
# an outcome-unknown POST, would otherwise go to stderr through logging's last resort).
_logging.getLogger(__name__).addHandler(_logging.NullHandler())

# Public classes defined in private modules present themselves as `ibanera.X` (tracebacks,
# reprs, pickling).
for _cls in (
    AsyncClient,
    Client,
    Sandbox,
    AuthStats,
    Delivery,
    WebhookReceiver,
    Accounts,
    AsyncAccounts,
    AsyncRecovery,
    Recovery,
    AsyncExchanges,
    Exchanges,
    ApiError,
    ApiErrorItem,
    AuthenticationError,
    ConfigurationError,
    DecodeError,
    IbaneraError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ResponseLimitError,
    SandboxError,
    SignatureVerificationError,
    TimeoutError,
    TransportError,
    ValidationError,
    AssetClass,
    ExchangeStatus,
    ExchangeType,
    QuantityType,
    TransferType,
):
    _cls.__module__ = __name__
del _cls
