//! One error type whose kinds let a caller branch without parsing text (rules 4, 5, 13 of docs/wire-rules.md).
//!
//! Messages name the endpoint and the provider's codes; no variant ever holds the password, the
//! access token, the TOTP secret or a code, so no message can print them.
//!
//! Which errors are safe to retry: every kind except [`Error::OutcomeUnknown`] proves that the
//! request was not executed (or, for GETs, that repeating it changes nothing). An
//! `OutcomeUnknown` is the one signal that a request which moves money may have executed: check
//! (`docs/failures.md` has the recipe) before sending it again.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::endpoint::Endpoint;

/// Everything that can go wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API refused the request (HTTP 4xx/5xx with an envelope, or HTTP 200 with status 0).
    #[error("{0}")]
    Api(ApiError),
    /// HTTP 401 or 403, or a refused login: the credentials, the session token or the TOTP code
    /// were refused. Never executed.
    #[error("{0} (authentication failed)")]
    Authentication(ApiError),
    /// HTTP 404: the path or the object does not exist.
    #[error("{0} (not found)")]
    NotFound(ApiError),
    /// HTTP 429 still after the allowed retries, or with a `Retry-After` longer than the client
    /// is allowed to wait.
    #[error("{error} (rate limited{})", fmt_retry_after(.retry_after))]
    RateLimited {
        error: ApiError,
        /// How long the server asked to wait, when it said.
        retry_after: Option<Duration>,
    },
    /// Bad input caught before anything was sent.
    #[error("{0}")]
    Validation(ValidationError),
    /// The connection failed (refused, reset, TLS, DNS, body cut short).
    #[error("{endpoint}: transport error after {attempts} attempt(s): {message}")]
    Transport {
        endpoint: Endpoint,
        message: String,
        attempts: u32,
        #[source]
        source: Option<reqwest::Error>,
    },
    /// No complete response within the timeout.
    #[error("{endpoint}: timed out after {after:?} ({attempts} attempt(s))")]
    Timeout {
        endpoint: Endpoint,
        after: Duration,
        attempts: u32,
    },
    /// The body is not JSON, or not the API's envelope, or a field does not have its type.
    #[error(
        "{endpoint}: HTTP {http_status}: cannot decode the response ({reason}); body starts {body_prefix:?}"
    )]
    Decode {
        endpoint: Endpoint,
        http_status: u16,
        reason: String,
        /// The first 200 bytes of the body (lossy UTF-8).
        body_prefix: String,
    },
    /// The response was larger than the client accepts, or nested deeper: nothing of it was
    /// decoded (for a POST this arrives as the cause of an [`Error::OutcomeUnknown`]).
    #[error("{endpoint}: HTTP {http_status}: the response {what}, more than this client accepts")]
    ResponseLimit {
        endpoint: Endpoint,
        http_status: u16,
        /// What was exceeded, e.g. "is larger than 67108864 bytes".
        what: String,
    },
    /// A request that moves money (POST) failed after its bytes may have reached the server:
    /// a connection cut or a timeout after writing, a body cut short or not JSON, a gateway's
    /// 5xx page. It may have executed. Check before sending it again.
    #[error(
        "{endpoint}: outcome unknown: the request may have executed; check its effect (for example \
         list recent exchanges or transactions) before repeating it. Cause: {cause}"
    )]
    OutcomeUnknown {
        endpoint: Endpoint,
        /// The JSON body that was sent, with secret-looking values replaced by `***`.
        sent: Option<Box<serde_json::Value>>,
        /// What went wrong, as the error it would have been for a GET.
        cause: Box<Error>,
    },
    /// The client is configured wrongly (missing credentials, bad secret, insecure URL, ...).
    #[error("configuration error: {0}")]
    Config(String),
    /// A callback's signature header is missing, malformed, or does not match its body.
    #[error("webhook signature verification failed: {reason}")]
    SignatureVerification { reason: String },
    /// A received value that an export's column type cannot hold exactly (feature `arrow`: money
    /// beyond `decimal128(38, 18)`); nothing is ever rounded. `row` counts from 0 over the
    /// whole export; `field` is the column (`a.b` inside a nested one).
    #[error("cannot convert to Arrow: field `{field}`, row {row} (counting from 0): {reason}")]
    Conversion {
        field: String,
        row: u64,
        reason: String,
    },
    /// A callback body is not JSON, or not the shape of a callback (no HTTP call involved).
    #[error("cannot decode the webhook body ({reason}); body starts {body_prefix:?}")]
    WebhookDecode {
        reason: String,
        /// The first 200 bytes of the body (lossy UTF-8).
        body_prefix: String,
    },
}

fn fmt_retry_after(d: &Option<Duration>) -> String {
    match d {
        Some(d) => format!(", retry after {:.3}s", d.as_secs_f64()),
        None => String::new(),
    }
}

/// The kind of an [`Error`], for bindings and callers that branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    Api,
    Authentication,
    NotFound,
    RateLimited,
    Validation,
    Transport,
    Timeout,
    Decode,
    ResponseLimit,
    OutcomeUnknown,
    Config,
    SignatureVerification,
}

impl ErrorKind {
    /// Every kind, for tables that must cover them all (the CLI's exit codes, docs).
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Api,
        ErrorKind::Authentication,
        ErrorKind::NotFound,
        ErrorKind::RateLimited,
        ErrorKind::Validation,
        ErrorKind::Transport,
        ErrorKind::Timeout,
        ErrorKind::Decode,
        ErrorKind::ResponseLimit,
        ErrorKind::OutcomeUnknown,
        ErrorKind::Config,
        ErrorKind::SignatureVerification,
    ];

    /// A stable identifier (`"api_error"`, `"timeout"`, ...), used as Node's `code`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Api => "api_error",
            ErrorKind::Authentication => "authentication_error",
            ErrorKind::NotFound => "not_found",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Validation => "validation_error",
            ErrorKind::Transport => "transport_error",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "decode_error",
            ErrorKind::ResponseLimit => "response_limit_exceeded",
            ErrorKind::OutcomeUnknown => "outcome_unknown",
            ErrorKind::Config => "config_error",
            ErrorKind::SignatureVerification => "signature_verification_error",
        }
    }
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(_) => ErrorKind::Api,
            Error::Authentication(_) => ErrorKind::Authentication,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Validation(_) => ErrorKind::Validation,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::ResponseLimit { .. } => ErrorKind::ResponseLimit,
            Error::OutcomeUnknown { .. } => ErrorKind::OutcomeUnknown,
            Error::Config(_) => ErrorKind::Config,
            Error::SignatureVerification { .. } => ErrorKind::SignatureVerification,
            Error::WebhookDecode { .. } => ErrorKind::Decode,
            Error::Conversion { .. } => ErrorKind::Decode,
        }
    }

    /// The API's part of the error, for the kinds that have one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) | Error::Authentication(e) | Error::NotFound(e) => Some(e),
            Error::RateLimited { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Decode { http_status, .. } | Error::ResponseLimit { http_status, .. } => {
                Some(*http_status)
            }
            Error::OutcomeUnknown { cause, .. } => cause.http_status(),
            _ => self.api_error().map(|e| e.http_status),
        }
    }

    /// True when the request may have executed (only [`Error::OutcomeUnknown`]): every other
    /// error proves it was not, so sending it again cannot execute it twice.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// For [`Error::OutcomeUnknown`]: the error behind it.
    pub fn cause(&self) -> Option<&Error> {
        match self {
            Error::OutcomeUnknown { cause, .. } => Some(cause),
            _ => None,
        }
    }

    /// For [`Error::OutcomeUnknown`]: the body that was sent, secrets redacted.
    pub fn sent(&self) -> Option<&serde_json::Value> {
        match self {
            Error::OutcomeUnknown { sent, .. } => sent.as_deref(),
            _ => None,
        }
    }

    /// How many attempts were made, for transport errors and timeouts.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Transport { attempts, .. } | Error::Timeout { attempts, .. } => Some(*attempts),
            Error::OutcomeUnknown { cause, .. } => cause.attempts(),
            _ => None,
        }
    }

    /// Every `(errorType, fieldName, messageCode)` the API returned; empty for other kinds.
    pub fn api_errors(&self) -> &[ApiErrorItem] {
        self.api_error().map(|e| e.errors.as_slice()).unwrap_or(&[])
    }

    /// The wait the server asked for (429 only).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The operation the error is about, when known.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        match self {
            Error::Transport { endpoint, .. }
            | Error::Timeout { endpoint, .. }
            | Error::Decode { endpoint, .. }
            | Error::ResponseLimit { endpoint, .. }
            | Error::OutcomeUnknown { endpoint, .. } => Some(endpoint),
            Error::Validation(v) => v.endpoint.as_ref(),
            Error::Config(_) => None,
            _ => self.api_error().map(|e| &e.endpoint),
        }
    }

    /// The validation detail, for validation errors.
    pub fn validation(&self) -> Option<&ValidationError> {
        match self {
            Error::Validation(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::Config(message.into())
    }
}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Error::Validation(e)
    }
}

/// The API's refusal: the HTTP status and every error item of the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub endpoint: Endpoint,
    pub http_status: u16,
    pub errors: Vec<ApiErrorItem>,
    /// What the client adds to explain the refusal (e.g. "nothing was sent: these credentials
    /// were refused earlier"), appended to the message.
    pub detail: Option<Box<str>>,
}

impl ApiError {
    /// True when any item carries `code` (`error.has_code(&MessageCode::TransactionBlocked)`).
    pub fn has_code(&self, code: &MessageCode) -> bool {
        self.errors.iter().any(|e| &e.message_code == code)
    }

    /// True when the server refused the TOTP code itself (its errors name the `otp` field).
    pub fn is_otp_rejection(&self) -> bool {
        self.errors.iter().any(|e| {
            e.field_name
                .as_deref()
                .is_some_and(|f| f.trim().eq_ignore_ascii_case("otp"))
        })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.endpoint, self.http_status)?;
        if self.errors.is_empty() {
            f.write_str(": API error without details")?;
        }
        for (i, e) in self.errors.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{e}")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

/// One `(errorType, fieldName, messageCode)` of an envelope's `errors`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorItem {
    pub error_type: Option<String>,
    pub field_name: Option<String>,
    pub message_code: MessageCode,
}

impl fmt::Display for ApiErrorItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message_code.as_str())?;
        match (&self.field_name, &self.error_type) {
            (Some(field), Some(t)) if !field.is_empty() => write!(f, " (field {field}, {t})"),
            (Some(field), None) if !field.is_empty() => write!(f, " (field {field})"),
            (_, Some(t)) => write!(f, " ({t})"),
            _ => Ok(()),
        }
    }
}

/// A message code of the API. Documented codes have names; others are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(into = "String")]
#[non_exhaustive]
pub enum MessageCode {
    /// Named field is missing or zero.
    Required,
    /// Value given for named field is invalid.
    Invalid,
    /// Field exceeds its length limit (100).
    InvalidLength,
    /// The customer's KYC state does not allow the action.
    DocumentsNotVerified,
    /// Invalid or missing amount.
    AmountMustBePositive,
    /// The customer holds the maximum number of accounts.
    AccountLimitReached,
    /// Screening blocked a withdrawal.
    TransactionBlocked,
    /// Login: the username or the password is wrong.
    UsernameOrPasswordIncorrect,
    /// Login: the account may not use the API.
    AccountNotVerified,
    /// Login: locked for 10 minutes after too many failed attempts.
    AccountLocked,
    /// Login: the account is inactive.
    AccountSuppressed,
    /// A code this SDK does not know, kept as received.
    Other(String),
}

impl MessageCode {
    const TABLE: &'static [(&'static str, MessageCode)] = &[
        ("Required", MessageCode::Required),
        ("Invalid", MessageCode::Invalid),
        ("Invalid_Length", MessageCode::InvalidLength),
        ("Documents_Not_Verified", MessageCode::DocumentsNotVerified),
        ("Amount_Must_Be_Positive", MessageCode::AmountMustBePositive),
        ("Account_Limit_Reached", MessageCode::AccountLimitReached),
        ("Transaction_Blocked", MessageCode::TransactionBlocked),
        (
            "Username_Or_Password_Incorrect",
            MessageCode::UsernameOrPasswordIncorrect,
        ),
        ("Account_Not_Verified", MessageCode::AccountNotVerified),
        ("Account_Locked", MessageCode::AccountLocked),
        ("Account_Suppressed", MessageCode::AccountSuppressed),
    ];

    pub fn from_wire(s: &str) -> MessageCode {
        Self::TABLE
            .iter()
            .find(|(w, _)| *w == s)
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| MessageCode::Other(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        match self {
            MessageCode::Other(s) => s,
            known => Self::TABLE
                .iter()
                .find(|(_, c)| c == known)
                .map(|(w, _)| *w)
                .unwrap_or(""),
        }
    }

    /// The Rust-style name of a documented code (`"DocumentsNotVerified"`), `None` if unknown.
    pub fn name(&self) -> Option<&'static str> {
        Some(match self {
            MessageCode::Required => "Required",
            MessageCode::Invalid => "Invalid",
            MessageCode::InvalidLength => "InvalidLength",
            MessageCode::DocumentsNotVerified => "DocumentsNotVerified",
            MessageCode::AmountMustBePositive => "AmountMustBePositive",
            MessageCode::AccountLimitReached => "AccountLimitReached",
            MessageCode::TransactionBlocked => "TransactionBlocked",
            MessageCode::UsernameOrPasswordIncorrect => "UsernameOrPasswordIncorrect",
            MessageCode::AccountNotVerified => "AccountNotVerified",
            MessageCode::AccountLocked => "AccountLocked",
            MessageCode::AccountSuppressed => "AccountSuppressed",
            MessageCode::Other(_) => return None,
        })
    }
}

impl From<MessageCode> for String {
    fn from(c: MessageCode) -> String {
        c.as_str().to_string()
    }
}

impl fmt::Display for MessageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Bad input, found before anything was sent: which argument and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The argument, snake_case as Rust and Python spell it (`destination_address`).
    pub field: Cow<'static, str>,
    /// The rule it breaks (`"must be greater than 0"`).
    pub rule: String,
    /// The operation that was not sent.
    pub endpoint: Option<Endpoint>,
}

impl ValidationError {
    pub fn new(field: impl Into<Cow<'static, str>>, rule: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            rule: rule.into(),
            endpoint: None,
        }
    }

    pub(crate) fn at(mut self, endpoint: &Endpoint) -> Self {
        self.endpoint = Some(endpoint.clone());
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(e) = &self.endpoint {
            write!(f, "{e}: ")?;
        }
        write!(
            f,
            "invalid `{}`: {} (nothing was sent)",
            self.field, self.rule
        )
    }
}

impl std::error::Error for ValidationError {}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_in_all_once_with_its_own_code() {
        // An exhaustive match: a new kind does not compile until it is listed here, and then
        // the assertion wants it in `ALL` too.
        let listed = |k: ErrorKind| match k {
            ErrorKind::Api
            | ErrorKind::Authentication
            | ErrorKind::NotFound
            | ErrorKind::RateLimited
            | ErrorKind::Validation
            | ErrorKind::Transport
            | ErrorKind::Timeout
            | ErrorKind::Decode
            | ErrorKind::ResponseLimit
            | ErrorKind::OutcomeUnknown
            | ErrorKind::Config
            | ErrorKind::SignatureVerification => k,
        };
        let mut codes = std::collections::HashSet::new();
        for &k in ErrorKind::ALL {
            assert_eq!(listed(k), k);
            assert!(codes.insert(k.code()), "{} twice", k.code());
        }
        assert_eq!(
            codes.len(),
            12,
            "a kind of the match above is missing from ALL"
        );
    }
}
