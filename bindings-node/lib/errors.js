'use strict';

// The error classes of the package. The native module reports every failure as a JSON payload
// in its error message (`{"ibanera": 1, "code", "message", ...}`, see
// bindings-node/src/error.rs); `fromNative` turns it into the class matching `code`.

const MARKER = '{"';

class IbaneraError extends Error {
  /**
   * @param {string} message
   * @param {object} [details]
   */
  constructor(message, details = {}) {
    super(message);
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
    return out;
  }
}
IbaneraError.code = 'ibanera_error';

/** The API refused the request (HTTP 4xx/5xx with an envelope, or HTTP 200 with status 0). */
class ApiError extends IbaneraError {}
ApiError.code = 'api_error';

/** HTTP 401 or 403: the API key or the TOTP code was refused. */
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
    ConfigError,
    SandboxError,
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
  const Class = BY_CODE.get(p.code) ?? IbaneraError;
  return new Class(p.message, p);
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
  ConfigError,
  SandboxError,
  fromNative,
  validationError,
};
