'use strict';

// The error classes of the package. The native module reports every failure as a JSON payload
// in its error message (`{"ibanera": 1, "code", "message", ...}`, see
// bindings-node/src/error.rs); `fromNative` turns it into the class matching `code`.
//
// Which errors are safe to retry: every class except OutcomeUnknownError proves that the request
// was not executed (or, for a GET, that repeating it changes nothing). OutcomeUnknownError is
// the one signal that a request which moves money may have executed: check before repeating it.

const MARKER = '{"';

class IbaneraError extends Error {
  /**
   * @param {string} message
   * @param {object} [details]
   */
  constructor(message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    Object.defineProperty(this, 'name', {
      value: new.target.name,
      enumerable: false,
      configurable: true,
      writable: true,
    });
    /** Stable identifier of the error class (`"not_found"`, `"timeout"`, ...). */
    this.code = details.code ?? new.target.code;
    /** HTTP status of the response, when there was one. */
    this.httpStatus = details.httpStatus ?? null;
    /** Every `{errorType, fieldName, messageCode}` the API returned (empty otherwise). */
    this.errors = (details.errors ?? []).map((e) => ({
      errorType: e.errorType ?? null,
      fieldName: e.fieldName ?? null,
      messageCode: e.messageCode,
    }));
    /** `"METHOD /path"` of the operation, when known. */
    this.endpoint = details.endpoint ?? null;
  }

  /** What a web server could send: no stack, no secret (there is none to begin with). */
  toJSON() {
    const out = {
      name: this.name,
      code: this.code,
      message: this.message,
      httpStatus: this.httpStatus,
      errors: this.errors,
      endpoint: this.endpoint,
    };
    for (const key of Object.keys(this)) {
      if (!(key in out)) out[key] = this[key];
    }
    if (this.cause instanceof IbaneraError) out.cause = this.cause.toJSON();
    return out;
  }
}
IbaneraError.code = 'ibanera_error';

/** The API refused the request (HTTP 4xx/5xx with an envelope, or HTTP 200 with status 0). */
class ApiError extends IbaneraError {}
ApiError.code = 'api_error';

/**
 * The credentials, the session token or the TOTP code were refused: a login answered with
 * `Username_Or_Password_Incorrect`, `Account_Locked`, `Account_Not_Verified` or
 * `Account_Suppressed` (in `errors[0].messageCode`), or HTTP 401/403. Never executed. After a
 * refused login the client sends nothing until `setCredentials` gives it new ones.
 */
class AuthenticationError extends ApiError {}
AuthenticationError.code = 'authentication_error';

/** HTTP 404: the path or the object does not exist. */
class NotFoundError extends ApiError {}
NotFoundError.code = 'not_found';

/** HTTP 429 after the allowed retries (or with a `Retry-After` longer than the client waits). */
class RateLimitError extends ApiError {
  constructor(message, details = {}) {
    super(message, details);
    /** How long the server asked to wait, in milliseconds, when it said. */
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}
RateLimitError.code = 'rate_limited';

/** Bad input, caught before anything was sent. */
class ValidationError extends IbaneraError {
  constructor(message, details = {}) {
    super(message, details);
    /** The argument, as Node users write it (`destinationAddress`). */
    this.field = details.field ?? null;
    /** The rule it breaks (`"must be greater than 0"`). */
    this.rule = details.rule ?? null;
  }
}
ValidationError.code = 'validation_error';

/** The connection failed (refused, reset, TLS, DNS, body cut short). */
class TransportError extends IbaneraError {
  constructor(message, details = {}) {
    super(message, details);
    /** How many attempts were made. */
    this.attempts = details.attempts ?? null;
  }
}
TransportError.code = 'transport_error';

/** No complete response within the timeout. */
class TimeoutError extends TransportError {}
TimeoutError.code = 'timeout';

/** The body is not JSON, not the API's envelope, or a field does not have its type. */
class DecodeError extends IbaneraError {}
DecodeError.code = 'decode_error';

/**
 * The response was larger than `maxResponseBytes` (default 64 MiB) or nested deeper than the
 * client reads: nothing of it was decoded. For a POST it arrives as the `cause` of an
 * OutcomeUnknownError (the server answered, so it received the request).
 */
class ResponseLimitError extends DecodeError {}
ResponseLimitError.code = 'response_limit_exceeded';

/**
 * A request that moves money (a POST) failed after its bytes may have reached the server: the
 * connection was cut or timed out after sending, the body was cut short or not JSON, a
 * gateway answered 5xx without the API's error items, the response was over the size limit.
 * It MAY HAVE EXECUTED. Every other error class proves it did not, so it is the only one that
 * is not safe to retry blindly: look for its effect first (list the recent exchanges or the
 * account's transactions, and match the pair, amount and time of `sent`), and repeat the
 * request only if it is not there.
 */
class OutcomeUnknownError extends IbaneraError {
  constructor(message, details = {}) {
    super(message, details);
    /** The JSON body that was sent (money as exact strings, secret-looking values `***`). */
    this.sent = details.sent ?? null;
    /** How many attempts were made. */
    this.attempts = details.attempts ?? null;
    if (details.cause === undefined) {
      // Always present (the package always gives one); null only when constructed without.
      Object.defineProperty(this, 'cause', {
        value: null,
        enumerable: false,
        configurable: true,
        writable: true,
      });
    }
  }
}
OutcomeUnknownError.code = 'outcome_unknown';

/** A callback's signature is missing, malformed, or does not match its body. */
class SignatureVerificationError extends IbaneraError {}
SignatureVerificationError.code = 'signature_verification_error';

/** The client is configured wrongly (missing key, bad secret, insecure URL, bad option). */
class ConfigError extends IbaneraError {}
ConfigError.code = 'config_error';

/** A sandbox control call was refused (unknown exchange, invalid state, bad fault). */
class SandboxError extends IbaneraError {}
SandboxError.code = 'sandbox_error';

const BY_CODE = new Map(
  [
    ApiError,
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    ValidationError,
    TransportError,
    TimeoutError,
    DecodeError,
    ResponseLimitError,
    OutcomeUnknownError,
    ConfigError,
    SandboxError,
    SignatureVerificationError,
  ].map((c) => [c.code, c]),
);

/** The typed error for an error thrown by the native module (other errors unchanged). */
function fromNative(error) {
  const text = error && typeof error.message === 'string' ? error.message : null;
  if (text === null || !text.startsWith(MARKER)) return error;
  let p;
  try {
    p = JSON.parse(text);
  } catch {
    return error;
  }
  if (p === null || p.ibanera !== 1) return error;
  return fromPayload(p);
}

function fromPayload(p) {
  const Class = BY_CODE.get(p.code) ?? IbaneraError;
  const details =
    p.cause !== null && typeof p.cause === 'object' ? { ...p, cause: fromPayload(p.cause) } : p;
  return new Class(p.message, details);
}

/** A validation error raised by the wrapper itself (before anything reaches the core). */
function validationError(field, rule, endpoint = null) {
  const where = endpoint ? `${endpoint}: ` : '';
  return new ValidationError(`${where}invalid \`${field}\`: ${rule} (nothing was sent)`, {
    field,
    rule,
    endpoint,
  });
}

module.exports = {
  IbaneraError,
  ApiError,
  AuthenticationError,
  NotFoundError,
  RateLimitError,
  ValidationError,
  TransportError,
  TimeoutError,
  DecodeError,
  ResponseLimitError,
  OutcomeUnknownError,
  ConfigError,
  SandboxError,
  SignatureVerificationError,
  fromNative,
  validationError,
};
