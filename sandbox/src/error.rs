//! The sandbox's typed error.

use std::fmt;

use crate::model::ExchangeStatus;

/// What went wrong starting the sandbox or running a control operation.
#[derive(Debug)]
#[non_exhaustive]
pub enum SandboxError {
    /// The listening socket could not be bound.
    Bind {
        addr: String,
        source: std::io::Error,
    },
    /// A configuration value is unusable (an empty username or password, a TOTP secret that is
    /// not base32, a zero token lifetime).
    Config { what: &'static str, reason: String },
    /// No such customer, account, exchange, transaction or payee.
    NotFound {
        /// "customer", "account", "exchange", "transaction", "payee", "asset pair".
        what: &'static str,
        /// The wire field that named it (`ExchangesId`, `AccountsId`, ...).
        field: &'static str,
        id: String,
    },
    /// The exchange's status does not allow this step of the lifecycle.
    InvalidState {
        exchange_id: i64,
        status: ExchangeStatus,
        action: &'static str,
        /// The statuses the action needs.
        expected: &'static str,
    },
    /// A value was refused; `code` is the wire message code (`Invalid`, `Insufficient_Funds`...).
    Invalid {
        field: &'static str,
        code: &'static str,
        reason: String,
    },
}

impl SandboxError {
    pub(crate) fn invalid(
        field: &'static str,
        code: &'static str,
        reason: impl Into<String>,
    ) -> Self {
        SandboxError::Invalid {
            field,
            code,
            reason: reason.into(),
        }
    }

    pub(crate) fn not_found(
        what: &'static str,
        field: &'static str,
        id: impl fmt::Display,
    ) -> Self {
        SandboxError::NotFound {
            what,
            field,
            id: id.to_string(),
        }
    }
}

impl fmt::Display for SandboxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SandboxError::Bind { addr, source } => {
                write!(f, "could not listen on {addr}: {source}")
            }
            SandboxError::Config { what, reason } => write!(f, "invalid {what}: {reason}"),
            SandboxError::NotFound { what, id, .. } => write!(f, "{what} {id} not found"),
            SandboxError::InvalidState {
                exchange_id,
                status,
                action,
                expected,
            } => write!(
                f,
                "cannot {action} exchange {exchange_id}: its status is {status}, {action} needs {expected}"
            ),
            SandboxError::Invalid {
                field,
                code,
                reason,
            } => write!(f, "{field} refused ({code}): {reason}"),
        }
    }
}

impl std::error::Error for SandboxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SandboxError::Bind { source, .. } => Some(source),
            _ => None,
        }
    }
}
