"""The exceptions of the SDK. ``IbaneraError`` is the base of everything it raises.

Every exception carries the same attributes (``None`` where they do not apply), so a handler
can read ``e.http_status`` or ``e.code`` without checking the class first. Messages never
contain the password, the access token, the TOTP secret or a code.

The classes (``code`` in brackets)::

    IbaneraError                     [ibanera_error]     base of everything below
    ├── ApiError                     [api_error]         the API refused the request
    │   ├── AuthenticationError      [authentication_error]  credentials, token or code refused
    │   ├── NotFoundError            [not_found]         HTTP 404
    │   └── RateLimitError           [rate_limited]      HTTP 429 after the allowed retries
    ├── ValidationError              [validation_error]  bad input, nothing sent (a ValueError)
    ├── TransportError               [transport_error]   no connection / no response
    │   └── TimeoutError             [timeout]           the deadline passed (builtin TimeoutError)
    ├── DecodeError                  [decode_error]      the response (or callback) is unreadable
    │   └── ResponseLimitError       [response_limit_exceeded]  too large or nested too deep
    ├── OutcomeUnknownError          [outcome_unknown]   a POST may have executed: check first
    ├── ConfigurationError           [config_error]      the client is set up wrongly (a ValueError)
    ├── SignatureVerificationError   [signature_verification_error]  a callback's signature
    └── SandboxError                 [sandbox_error]     a sandbox control call was refused

Which errors are safe to retry: every error except ``OutcomeUnknownError`` proves that the
request was not executed (or, for a GET, that repeating it changes nothing), so sending it
again cannot execute it twice; the SDK already retried what it could. ``OutcomeUnknownError``
is the one signal that a request which moves money (a withdrawal, an exchange) may have
executed: find out (list recent exchanges or transactions) before sending it again.
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
    "OutcomeUnknownError",
    "RateLimitError",
    "ResponseLimitError",
    "SandboxError",
    "SignatureVerificationError",
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
        attempts: how many attempts were made (transport errors, timeouts, outcome unknown).
        timeout: the deadline (or attempt limit) that expired, in seconds (timeouts only).
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

    def has_code(self, message_code: str) -> bool:
        """True when any of the API's items has this ``message_code``
        (``"Transaction_Blocked"``); always False for errors without items."""
        return any(item.message_code == message_code for item in self.errors)

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


class AuthenticationError(ApiError):
    """The credentials were refused: a refused login (HTTP 400 with ``message_code``
    ``Username_Or_Password_Incorrect``, ``Account_Locked``, ``Account_Not_Verified``,
    ``Account_Suppressed``, or ``Invalid`` on ``Otp``), or HTTP 401/403 (the token or the TOTP
    code). Nothing was executed. After a refused login the client sends nothing more until
    ``set_credentials`` is called (the message says so)."""

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

    Raised as such only when nothing can have been executed (a GET, or a POST that never
    left); a POST that may have arrived raises ``OutcomeUnknownError`` with this as its
    ``cause``.
    """

    code = "transport_error"


class TimeoutError(TransportError, builtins.TimeoutError):  # noqa: A001
    """No complete response within the call's deadline (``timeout``) or an attempt's limit
    (``attempt_timeout``); also a builtin ``TimeoutError``. ``timeout`` is the limit that
    expired."""

    code = "timeout"


class DecodeError(IbaneraError):
    """The response is not JSON, not the API's envelope, or a field has the wrong type (a
    timestamp outside years 1-9999 included); or a callback body is not a callback."""

    code = "decode_error"


class ResponseLimitError(DecodeError):
    """The response was larger than ``max_response_bytes`` or nested deeper than the SDK
    reads; nothing of it was decoded."""

    code = "response_limit_exceeded"


class OutcomeUnknownError(IbaneraError):
    """A request that moves money (a POST) failed after its bytes may have reached the
    server: the connection was cut, the deadline passed, the body was cut short, not JSON,
    too large, or a gateway's error page. It MAY HAVE EXECUTED. The SDK does not send it
    again; check before repeating it (list recent exchanges or transactions and match on the
    pair, the amount and the time).

    Attributes (besides those of every error):
        endpoint: the operation, ``"POST /api/v1/..."``.
        sent: the JSON body that was sent, as Python data (numbers as ``int`` or ``Decimal``;
            secret-looking values ``***``), or ``None``.
        cause: the error it would have been for a GET (``TransportError``, ``TimeoutError``,
            ``DecodeError``, ``ResponseLimitError``, ...), also its ``__cause__``.
    """

    code = "outcome_unknown"

    def __init__(
        self,
        message: str,
        *,
        sent: Any = None,
        cause: Optional[IbaneraError] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.sent = sent
        self.cause = cause


class ConfigurationError(IbaneraError, ValueError):
    """The client is configured wrongly (no credentials, the retired ``api_key=``, a secret
    that is not base32, plain http to a remote host, a proxy with a loopback URL, ...)."""

    code = "config_error"


class SignatureVerificationError(IbaneraError):
    """A callback's signature header is missing, malformed, or does not match its body:
    answer 401 and do not act on it."""

    code = "signature_verification_error"


class SandboxError(IbaneraError):
    """A sandbox control call was refused (unknown exchange, wrong state, bad value)."""

    code = "sandbox_error"
