//! The client's log records, the same in every front end: what was sent where, its status, the
//! attempt, the time it took, why it is retried, logins and renewals. Never a secret: records
//! are built from the endpoint, numbers and the core's own messages.
//!
//! Each record goes to the `log` facade (target `ibanera`: Rust applications, the Python
//! `ibanera` logger, the CLI's `-v`) and, when the client has one, to its hook
//! ([`ClientBuilder::log_hook`](crate::ClientBuilder::log_hook): the Node binding's
//! `new Client({ logger })`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use log::Level;

use crate::endpoint::Endpoint;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LogEvent {
    /// A response arrived.
    Response,
    /// An attempt failed without a response (connection, timeout, body cut short).
    Failure,
    /// The call is tried again after a wait.
    Retry,
    /// The server refused the TOTP code: one more attempt with the next step's code.
    OtpRetry,
    /// A login succeeded (a new session or a renewal).
    Login,
    /// The server refused the session's token: the client logs in again once.
    Relogin,
    /// A login was refused (wrong credentials, locked, ...).
    LoginRefused,
    /// A request that moves money may have executed.
    OutcomeUnknown,
    /// The API reported success together with error items.
    Warning,
}

impl LogEvent {
    /// A stable name (`"retry"`, `"login"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            LogEvent::Response => "response",
            LogEvent::Failure => "failure",
            LogEvent::Retry => "retry",
            LogEvent::OtpRetry => "otp_retry",
            LogEvent::Login => "login",
            LogEvent::Relogin => "relogin",
            LogEvent::LoginRefused => "login_refused",
            LogEvent::OutcomeUnknown => "outcome_unknown",
            LogEvent::Warning => "warning",
        }
    }
}

impl fmt::Display for LogEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    pub level: Level,
    pub event: LogEvent,
    pub method: String,
    pub path: String,
    /// The HTTP status, for a response.
    pub status: Option<u16>,
    /// Which attempt of the call (from 1).
    pub attempt: Option<u32>,
    /// How long the attempt took.
    pub elapsed: Option<Duration>,
    /// Why (a retry's reason, a refusal's codes, a failure's cause).
    pub reason: Option<String>,
    /// The wait before the next attempt.
    pub wait: Option<Duration>,
    /// The line as the `log` facade prints it.
    pub message: String,
}

impl LogRecord {
    pub(crate) fn new(level: Level, event: LogEvent, endpoint: &Endpoint) -> LogRecord {
        LogRecord {
            level,
            event,
            method: endpoint.method.to_string(),
            path: endpoint.path.to_string(),
            status: None,
            attempt: None,
            elapsed: None,
            reason: None,
            wait: None,
            message: String::new(),
        }
    }

    pub(crate) fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub(crate) fn attempt(mut self, attempt: u32) -> Self {
        self.attempt = Some(attempt);
        self
    }

    pub(crate) fn elapsed(mut self, elapsed: Duration) -> Self {
        self.elapsed = Some(elapsed);
        self
    }

    pub(crate) fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    pub(crate) fn wait(mut self, wait: Duration) -> Self {
        self.wait = Some(wait);
        self
    }

    pub(crate) fn message(mut self, message: String) -> Self {
        self.message = message;
        self
    }
}

/// A client's own receiver of its records.
pub type LogHook = Arc<dyn Fn(&LogRecord) + Send + Sync>;

/// Sends a record to the `log` facade and to the hook.
pub(crate) fn emit(hook: Option<&LogHook>, record: LogRecord) {
    log::log!(target: "ibanera", record.level, "{}", record.message);
    if let Some(hook) = hook {
        hook(&record);
    }
}
