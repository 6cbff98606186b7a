"""Callbacks (webhooks): check that a callback comes from Ibanera, then read it as a typed event.

    from ibanera import webhooks

    # In your HTTP handler: the raw body (bytes, before any JSON parsing) and the headers.
    event = webhooks.construct_event(request_body, request_headers, secret)
    if event.type == webhooks.EventType.EXCHANGE_STATUS_UPDATED:
        print(event.data.id, event.data.status, event.data.executed_amount)  # Decimal

The signature is a SHA-256 digest of the raw body followed by the hash secret, checked on the
bytes exactly as received and compared in constant time; ``webhook-signature`` may be base64
or hex, ``QuickBuy-Signature`` base64. ``signature`` is the header's value, or the request's
headers (any mapping, such as Flask's or Starlette's, or a list of ``(name, value)`` pairs) to
find it in, in any case. A failed check raises ``SignatureVerificationError`` (answer 401 and
do not act on the body); a body that is not a callback raises ``DecodeError``; an empty secret
``ConfigurationError``. Errors never show the secret or the expected signature.

Answer 200 quickly: a callback that is not acknowledged is sent again with the same ``id``, so
deduplicate on it. An unknown type is not an error: ``event.type.is_known`` is False and
``event.data`` is its raw JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Union

from ._enums import EventType
from ._ibanera import (
    QUICKBUY_SIGNATURE_HEADER,
    SIGNATURE_HEADER,
    AssetAmount,
    CryptoTransferData,
    Event,
    ExchangeStatusUpdatedData,
    FiatDepositReceivedData,
    FiatDepositSender,
    InformationRequestData,
    ManageeCardApprovalUpdatedData,
    ManageeJumioCompletedData,
    ManageeKycUpdatedData,
    QuickBuyCallbackClient,
    QuickBuyCallbackCrypto,
    QuickBuyCallbackFiat,
    QuickBuyEvent,
    QuickBuyPaymentCallback,
    QuickBuyWidgetCallback,
    QuickBuyWidgetRequestDetails,
    TransactionStatusUpdatedData,
    _construct_event,
    _construct_quickbuy_event,
)

__all__ = [
    "QUICKBUY_SIGNATURE_HEADER",
    "SIGNATURE_HEADER",
    "AssetAmount",
    "CryptoTransferData",
    "Event",
    "EventType",
    "ExchangeStatusUpdatedData",
    "FiatDepositReceivedData",
    "FiatDepositSender",
    "Headers",
    "InformationRequestData",
    "ManageeCardApprovalUpdatedData",
    "ManageeJumioCompletedData",
    "ManageeKycUpdatedData",
    "Payload",
    "QuickBuyCallbackClient",
    "QuickBuyCallbackCrypto",
    "QuickBuyCallbackFiat",
    "QuickBuyEvent",
    "QuickBuyPaymentCallback",
    "QuickBuyWidgetCallback",
    "QuickBuyWidgetRequestDetails",
    "TransactionStatusUpdatedData",
    "construct_event",
    "construct_quickbuy_event",
]

Payload = Union[bytes, bytearray, memoryview, str]
"""The raw body as received (a ``str`` is encoded as UTF-8)."""

Headers = Union[Mapping[str, str], Iterable[tuple[Union[str, bytes], Union[str, bytes]]]]
"""A request's headers: a mapping, or ``(name, value)`` pairs (a name may repeat)."""


def _split(
    signature: Union[str, bytes, Headers],
) -> tuple[str | None, list[tuple[bytes, bytes]] | None]:
    """The header's value as given, or the headers as byte pairs for the core's lookup."""
    if isinstance(signature, str):
        return signature, None
    if isinstance(signature, (bytes, bytearray)):
        return bytes(signature).decode("utf-8", "replace"), None
    items: Any = signature
    if callable(getattr(items, "items", None)):
        # Mappings, and framework header objects that are not `Mapping`s (werkzeug's).
        items = items.items()
    pairs: list[tuple[bytes, bytes]] = []
    for pair in items:
        name, value = pair
        pairs.append((_header_bytes(name), _header_bytes(value)))
    return None, pairs


def _header_bytes(value: Union[str, bytes]) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    raise TypeError(f"header names and values must be str or bytes, got {type(value).__name__}")


def construct_event(payload: Payload, signature: Union[str, bytes, Headers], secret: str) -> Event:
    """Verifies a Customer API callback (header ``webhook-signature``) and reads it.

    ``payload`` is the raw body (bytes, or a str encoded UTF-8); ``signature`` the header's
    value or the request's headers; ``secret`` the hash secret. Returns an ``Event``:
    ``id``, ``type`` (an ``EventType``, compares equal to its code), ``data`` (the typed model
    of the type: ``Decimal`` money, aware UTC ``datetime``s, ``int`` ids; the raw JSON for an
    unknown type), ``to_dict()``, ``to_json()``.
    """
    value, headers = _split(signature)
    return _construct_event(payload, value, headers, secret)


def construct_quickbuy_event(
    payload: Payload, signature: Union[str, bytes, Headers], secret: str
) -> QuickBuyEvent:
    """Verifies a QuickBuy or QuickBuy Pro callback (header ``QuickBuy-Signature``, base64) and
    reads it: a ``QuickBuyEvent`` with ``kind`` (``"payment_captured"``,
    ``"cryptocurrency_transferred"``, ``"payment_updated"``, ``"widget"``) and typed ``data``.
    """
    value, headers = _split(signature)
    return _construct_quickbuy_event(payload, value, headers, secret)
