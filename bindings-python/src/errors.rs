//! The core's errors as the exception classes of `ibanera._errors`.
//!
//! Every exception carries the same attributes (`code`, `endpoint`, `http_status`, `errors`,
//! `retry_after`, `field`, `rule`, `attempts`, `timeout`), `None` where they do not apply;
//! `OutcomeUnknownError` adds `sent` and `cause`. Messages are the core's `Display`, which
//! never holds the password, the access token, the TOTP secret or a code.

use ibanera::{ApiErrorItem, Error, ErrorKind, ValidationError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};

use crate::convert::json_to_py;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

pyo3::create_exception!(
    ibanera,
    RustError,
    pyo3::exceptions::PyException,
    "The error of the Rust core behind an `IbaneraError` (its `__cause__`): the full chain of causes."
);

fn module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    ERRORS
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("ibanera._errors")?.unbind())
        })
        .map(|m| m.bind(py))
}

fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Api => "ApiError",
        ErrorKind::Authentication => "AuthenticationError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::RateLimited => "RateLimitError",
        ErrorKind::Validation => "ValidationError",
        ErrorKind::Transport => "TransportError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Decode => "DecodeError",
        ErrorKind::ResponseLimit => "ResponseLimitError",
        ErrorKind::OutcomeUnknown => "OutcomeUnknownError",
        ErrorKind::Config => "ConfigurationError",
        ErrorKind::SignatureVerification => "SignatureVerificationError",
        _ => "IbaneraError",
    }
}

/// A core error as the matching `ibanera` exception.
pub fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    match build(py, &err) {
        Ok(e) => e,
        Err(e) => e,
    }
}

/// A validation error (nothing was sent) as `ibanera.ValidationError`.
pub fn validation(py: Python<'_>, err: ValidationError) -> PyErr {
    to_pyerr(py, Error::Validation(err))
}

/// The API's error items as a list of `ibanera.ApiErrorItem`.
pub fn api_error_items<'py>(
    py: Python<'py>,
    items: &[ApiErrorItem],
) -> PyResult<Bound<'py, PyList>> {
    let item_class = module(py)?.getattr("ApiErrorItem")?;
    let list = PyList::empty(py);
    for item in items {
        list.append(item_class.call1((
            item.error_type.as_deref(),
            item.field_name.as_deref(),
            item.message_code.as_str(),
        ))?)?;
    }
    Ok(list)
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let kind = err.kind();
    let class = module(py)?.getattr(class_name(kind))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", kind.code())?;
    if let Some(endpoint) = err.endpoint() {
        kwargs.set_item("endpoint", endpoint.to_string())?;
    }
    if let Some(status) = err.http_status() {
        kwargs.set_item("http_status", status)?;
    }
    if err.api_error().is_some() {
        kwargs.set_item("errors", api_error_items(py, err.api_errors())?)?;
    }
    if let Some(after) = err.retry_after() {
        kwargs.set_item("retry_after", after.as_secs_f64())?;
    }
    if let Some(v) = err.validation() {
        kwargs.set_item("field", v.field.as_ref())?;
        kwargs.set_item("rule", &v.rule)?;
    }
    if let Some(attempts) = err.attempts() {
        kwargs.set_item("attempts", attempts)?;
    }
    let mut cause = None;
    match err {
        Error::Transport { .. } | Error::Decode { .. } | Error::Config(_) => {
            // The Rust error with its chain of causes (reqwest -> hyper -> io), secret-free:
            // the core strips URLs and never holds credentials in its errors.
            cause = Some(RustError::new_err(format!("{err:?}")));
        }
        Error::Timeout { after, .. } => {
            kwargs.set_item("timeout", after.as_secs_f64())?;
        }
        Error::OutcomeUnknown {
            sent, cause: inner, ..
        } => {
            if let Some(sent) = sent {
                kwargs.set_item("sent", json_to_py(py, sent)?)?;
            }
            let inner = build(py, inner)?;
            kwargs.set_item("cause", inner.value(py))?;
            cause = Some(inner);
        }
        _ => {}
    }
    let value = class.call((err.to_string(),), Some(&kwargs))?;
    let pyerr = PyErr::from_value(value);
    if cause.is_some() {
        pyerr.set_cause(py, cause);
    }
    Ok(pyerr)
}
