"""The exceptions of the SDK. ``IbaneraError`` is the base of everything it raises.

Every exception carries the same attributes (``None`` where they do not apply), so a handler
can read ``e.http_status`` or ``e.code`` without checking the class first. Messages never
contain the API key, the TOTP secret or a code.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any, Optional

__all__ = [
    "ApiError",
    "ApiErrorItem",
    "AuthenticationError",
    "ConfigurationError",
    "DecodeError",
    "IbaneraError",
    "NotFoundError",
    "RateLimitError",
    "SandboxError",
    "TimeoutError",
    "TransportError",
    "ValidationError",
]


class ApiErrorItem:
    """One ``(errorType, fieldName, messageCode)`` item of the API's ``errors``.

    ``message_code`` is the API's code verbatim (``"Required"``, ``"Invalid_Length"``,
    ``"Transaction_Blocked"``, or one this SDK does not know).
    """

    __slots__ = ("error_type", "field_name", "message_code")

    def __init__(
        self, error_type: Optional[str], field_name: Optional[str], message_code: str
    ) -> None:
        self.error_type = error_type
        self.field_name = field_name
        self.message_code = message_code

    def to_dict(self) -> dict[str, Optional[str]]:
        """``{"error_type", "field_name", "message_code"}``."""
        return {
            "error_type": self.error_type,
            "field_name": self.field_name,
            "message_code": self.message_code,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ApiErrorItem):
            return NotImplemented
        return (self.error_type, self.field_name, self.message_code) == (
            other.error_type,
            other.field_name,
            other.message_code,
        )

    def __hash__(self) -> int:
        return hash((self.error_type, self.field_name, self.message_code))

    def __repr__(self) -> str:
        return (
            f"ApiErrorItem(error_type={self.error_type!r}, field_name={self.field_name!r}, "
            f"message_code={self.message_code!r})"
        )


class IbaneraError(Exception):
    """Base of every error the SDK raises.

    Attributes:
        code: a stable identifier of the kind (``"api_error"``, ``"timeout"``, ...).
        endpoint: ``"METHOD /path"`` of the call, when known.
        http_status: the HTTP status of the response, when there was one.
        errors: the API's ``(error_type, field_name, message_code)`` items (API errors only).
        retry_after: seconds the server asked to wait (rate limiting only).
        field, rule: the argument and the rule it breaks (validation errors only).
        attempts: how many attempts were made (transport errors and timeouts).
        timeout: the per-attempt timeout that expired, in seconds (timeouts only).
    """

    code: str = "ibanera_error"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        endpoint: Optional[str] = None,
        http_status: Optional[int] = None,
        errors: Sequence[ApiErrorItem] = (),
        retry_after: Optional[float] = None,
        field: Optional[str] = None,
        rule: Optional[str] = None,
        attempts: Optional[int] = None,
        timeout: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.endpoint = endpoint
        self.http_status = http_status
        self.errors: list[ApiErrorItem] = list(errors)
        self.retry_after = retry_after
        self.field = field
        self.rule = rule
        self.attempts = attempts
        self.timeout = timeout

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (multiprocessing pools): the keyword attributes travel in the state.
        return (_rebuild, (type(self), self.message, self.__dict__.copy()))


def _rebuild(cls: type[IbaneraError], message: str, state: dict[str, Any]) -> IbaneraError:
    error = cls.__new__(cls, message)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ApiError(IbaneraError):
    """The API refused the request: ``http_status`` and every item of ``errors``.

    Raised for HTTP 4xx/5xx with an error envelope and for HTTP 200 with ``status`` 0.
    """

    code = "api_error"

    def has_code(self, message_code: str) -> bool:
        """True when any item has this ``message_code`` (``"Transaction_Blocked"``)."""
        return any(item.message_code == message_code for item in self.errors)


class AuthenticationError(ApiError):
    """HTTP 401 or 403: the API key or the TOTP code was refused."""

    code = "authentication_error"


class NotFoundError(ApiError):
    """HTTP 404: the path or the object does not exist."""

    code = "not_found"


class RateLimitError(ApiError):
    """HTTP 429 after the allowed retries; ``retry_after`` is the wait asked for, in seconds."""

    code = "rate_limited"


class ValidationError(IbaneraError, ValueError):
    """Bad input caught before anything was sent: ``field`` and the ``rule`` it breaks."""

    code = "validation_error"


class TransportError(IbaneraError):
    """The connection failed (refused, reset, closed before the response, cut short).

    For a POST this means the outcome is unknown: it may have been executed. The SDK never
    re-sends such a request; check (``exchanges.list``, ``accounts.transactions``) first.
    """

    code = "transport_error"


class TimeoutError(TransportError, builtins.TimeoutError):  # noqa: A001
    """No complete response within the timeout (also a builtin ``TimeoutError``)."""

    code = "timeout"


class DecodeError(IbaneraError):
    """The response is not JSON, not the API's envelope, or a field has the wrong type."""

    code = "decode_error"


class ConfigurationError(IbaneraError, ValueError):
    """The client is configured wrongly (no API key, a secret that is not base32, plain http
    to a remote host, ...)."""

    code = "config_error"


class SandboxError(IbaneraError):
    """A sandbox control call was refused (unknown exchange, wrong state, bad value)."""

    code = "sandbox_error"
