"""The Ibanera SDK for Python: the Customer API with TOTP authentication, safe retries, exact
decimals, typed errors and paging, on the SDK's Rust core.

    import ibanera

    client = ibanera.Client(api_key="...", totp_secret="...")   # or Client.from_env()
    for balance in client.accounts.balances():
        print(balance.asset, balance.available_balance)          # Decimal, exact digits

``ibanera.AsyncClient`` has the same methods for asyncio; ``ibanera.Sandbox()`` runs a local
server with real state for tests and notebooks. Logging goes to the standard logger
``ibanera`` (method, path, status, attempt, elapsed; never a secret).
"""

from __future__ import annotations

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
    RateLimitError,
    SandboxError,
    TimeoutError,
    TransportError,
    ValidationError,
)
from ._ibanera import (
    Account,
    AchTransferDetails,
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
    Totp,
    Transaction,
    TransactionDetails,
    WalletTransferDetails,
    WireTransferDetails,
    Withdrawal,
    __version__,
)
from ._resources import Accounts, AsyncAccounts, AsyncExchanges, DateLike, Exchanges, Money
from ._sandbox import Sandbox

__all__ = [
    "Account",
    "Accounts",
    "AchTransferDetails",
    "ApiError",
    "ApiErrorItem",
    "AssetClass",
    "AssetExchangeTransferDetails",
    "AssetPair",
    "AsyncAccounts",
    "AsyncClient",
    "AsyncExchanges",
    "AsyncPage",
    "AuthenticationError",
    "Balance",
    "BookTransferDetails",
    "Client",
    "ConfigurationError",
    "CreatedAccounts",
    "DateLike",
    "DecodeError",
    "DepositAddress",
    "Exchange",
    "ExchangeStatus",
    "ExchangeType",
    "Exchanges",
    "ExternalTransferDetails",
    "IbaneraError",
    "InternalTransferDetails",
    "Money",
    "NotFoundError",
    "Page",
    "QuantityType",
    "Quote",
    "RateLimitError",
    "ReviewQuote",
    "RustError",
    "Sandbox",
    "SandboxError",
    "TimeoutError",
    "Totp",
    "Transaction",
    "TransactionDetails",
    "TransferType",
    "TransportError",
    "ValidationError",
    "WalletTransferDetails",
    "WireTransferDetails",
    "Withdrawal",
    "__version__",
]

# Public classes defined in private modules present themselves as `ibanera.X` (tracebacks,
# reprs, pickling).
for _cls in (
    AsyncClient,
    Client,
    Sandbox,
    Accounts,
    AsyncAccounts,
    AsyncExchanges,
    Exchanges,
    ApiError,
    ApiErrorItem,
    AuthenticationError,
    ConfigurationError,
    DecodeError,
    IbaneraError,
    NotFoundError,
    RateLimitError,
    SandboxError,
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
