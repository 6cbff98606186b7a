//! Callbacks: `ibanera.webhooks.construct_event` / `construct_quickbuy_event` on the core's
//! `ibanera::webhooks` (signature checked on the raw bytes, then the typed event). The event
//! envelopes are written here; the models of their `data` are generated (webhook_models.rs).

use std::borrow::Cow;

use ibanera::webhooks::{self, Event, EventData, QuickBuyEvent};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyMemoryView, PyString};

use crate::convert::{ToPy, cached, json_to_py};
use crate::errors::to_pyerr;
use crate::models_support::to_json;

/// The body as received: `bytes` (or `bytearray`, `memoryview`), or `str` encoded as UTF-8.
fn payload_bytes<'a>(payload: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = payload.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(s) = payload.cast::<PyString>() {
        return Ok(Cow::Owned(s.to_cow()?.into_owned().into_bytes()));
    }
    if let Ok(b) = payload.cast::<PyByteArray>() {
        return Ok(Cow::Owned(b.to_vec()));
    }
    if payload.cast::<PyMemoryView>().is_ok() {
        let copy = payload
            .py()
            .import("builtins")?
            .getattr("bytes")?
            .call1((payload,))?;
        return Ok(Cow::Owned(copy.cast::<PyBytes>()?.as_bytes().to_vec()));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "payload must be the raw body as bytes or str, got {}",
        payload.get_type().name()?
    )))
}

/// Either the signature header's value, or the request's headers to find it in.
fn verified<T>(
    py: Python<'_>,
    signature: Option<&str>,
    headers: Option<Vec<(Vec<u8>, Vec<u8>)>>,
    with_value: impl FnOnce(&str) -> ibanera::Result<T>,
    with_headers: impl FnOnce(&[(Vec<u8>, Vec<u8>)]) -> ibanera::Result<T>,
) -> PyResult<T> {
    let result = match (signature, headers) {
        (Some(value), _) => with_value(value),
        (None, Some(headers)) => with_headers(&headers),
        (None, None) => {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "give the signature header's value or the request's headers",
            ));
        }
    };
    result.map_err(|e| to_pyerr(py, e))
}

/// Verifies a Customer API callback and reads it (`ibanera.webhooks.construct_event`).
#[pyfunction]
#[pyo3(signature = (payload, signature, headers, secret))]
fn _construct_event(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    signature: Option<&str>,
    headers: Option<Vec<(Vec<u8>, Vec<u8>)>>,
    secret: &str,
) -> PyResult<PyEvent> {
    let body = payload_bytes(payload)?;
    let event = verified(
        py,
        signature,
        headers,
        |value| webhooks::construct_event(&body, value, secret),
        |headers| webhooks::construct_event_from_headers(&body, headers, secret),
    )?;
    Ok(PyEvent {
        inner: event,
        c_data: PyOnceLock::new(),
    })
}

/// Verifies a QuickBuy / QuickBuy Pro callback and reads it.
#[pyfunction]
#[pyo3(signature = (payload, signature, headers, secret))]
fn _construct_quickbuy_event(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    signature: Option<&str>,
    headers: Option<Vec<(Vec<u8>, Vec<u8>)>>,
    secret: &str,
) -> PyResult<PyQuickBuyEvent> {
    let body = payload_bytes(payload)?;
    let event = verified(
        py,
        signature,
        headers,
        |value| webhooks::construct_quickbuy_event(&body, value, secret),
        |headers| webhooks::construct_quickbuy_event_from_headers(&body, headers, secret),
    )?;
    Ok(PyQuickBuyEvent {
        inner: event,
        c_data: PyOnceLock::new(),
    })
}

/// The serialized form of a value the SDK does not have a class for (a kind added to the core
/// later), as plain Python data.
fn as_plain_json<T: serde::Serialize>(py: Python<'_>, value: &T) -> PyResult<Py<PyAny>> {
    let value = serde_json::to_value(value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("cannot encode: {e}")))?;
    json_to_py(py, &value)
}

/// `data` as its model (`plain == false`) or as the model's dict.
fn event_data(py: Python<'_>, data: &EventData, plain: bool) -> PyResult<Py<PyAny>> {
    fn one<T: ToPy>(py: Python<'_>, v: &T, plain: bool) -> PyResult<Py<PyAny>> {
        if plain { v.to_plain(py) } else { v.to_py(py) }
    }
    match data {
        EventData::ManageeJumioCompleted(d) => one(py, d, plain),
        EventData::CryptoTransfer(d) => one(py, d, plain),
        EventData::ExchangeStatusUpdated(d) => one(py, d, plain),
        EventData::FiatDepositReceived(d) => one(py, d, plain),
        EventData::ManageeCardApprovalUpdated(d) => one(py, d, plain),
        EventData::ManageeKycUpdated(d) => one(py, d, plain),
        EventData::TransactionStatusUpdated(d) => one(py, d, plain),
        EventData::InformationRequest(d) => one(py, d, plain),
        EventData::Unknown(raw) => json_to_py(py, raw),
        other => as_plain_json(py, other),
    }
}

fn quickbuy_data(py: Python<'_>, event: &QuickBuyEvent, plain: bool) -> PyResult<Py<PyAny>> {
    match (event.payment(), event) {
        (Some(p), _) if plain => p.to_plain(py),
        (Some(p), _) => p.to_py(py),
        (None, QuickBuyEvent::Widget(w)) if plain => w.to_plain(py),
        (None, QuickBuyEvent::Widget(w)) => w.to_py(py),
        (None, other) => as_plain_json(py, other),
    }
}

/// A Customer API callback, verified: `{id, type, data}` with `data` typed by `type`.
#[pyclass(frozen, module = "ibanera.webhooks", name = "Event")]
pub struct PyEvent {
    inner: Event,
    c_data: PyOnceLock<Py<PyAny>>,
}

#[pymethods]
impl PyEvent {
    /// The callback's `Id` (a GUID): a callback sent again has the same one.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// The type code, normalised (compares equal to `"EXCHANGE_STATUS_UPDATED"`).
    #[getter(r#type)]
    fn event_type(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.inner.event_type.to_py(py)
    }

    /// The typed data of a known type; the raw JSON (a dict) of an unknown one.
    #[getter]
    fn data(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        cached(py, &self.c_data, || event_data(py, &self.inner.data, false))
    }

    /// `{"id", "type", "data"}` with `data` as a dict (snake_case keys).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        let d = PyDict::new(py);
        d.set_item("id", &self.inner.id)?;
        d.set_item("type", self.inner.event_type.to_plain(py)?)?;
        d.set_item("data", event_data(py, &self.inner.data, true)?)?;
        Ok(d.unbind())
    }

    /// The JSON form shared with the CLI and Node (camelCase, money as exact strings).
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.inner)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Event(id={:?}, type={:?}, data={})",
            self.inner.id,
            self.inner.event_type.as_str(),
            self.data(py)?.bind(py).repr()?
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        let py = other.py();
        match other.cast::<PyEvent>() {
            Ok(o) => pyo3::types::PyBool::new(py, o.get().inner == self.inner)
                .to_owned()
                .into_any()
                .unbind(),
            Err(_) => py.NotImplemented(),
        }
    }
}

/// A QuickBuy or QuickBuy Pro callback, verified: `kind` and its typed `data`.
#[pyclass(frozen, module = "ibanera.webhooks", name = "QuickBuyEvent")]
pub struct PyQuickBuyEvent {
    inner: QuickBuyEvent,
    c_data: PyOnceLock<Py<PyAny>>,
}

#[pymethods]
impl PyQuickBuyEvent {
    /// `"payment_captured"`, `"cryptocurrency_transferred"`, `"payment_updated"` or `"widget"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    /// The callback's typed data.
    #[getter]
    fn data(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        cached(py, &self.c_data, || quickbuy_data(py, &self.inner, false))
    }

    /// `{"kind", "data"}` with `data` as a dict (snake_case keys).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        let d = PyDict::new(py);
        d.set_item("kind", self.inner.kind())?;
        d.set_item("data", quickbuy_data(py, &self.inner, true)?)?;
        Ok(d.unbind())
    }

    /// The JSON form shared with the CLI and Node.
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.inner)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "QuickBuyEvent(kind={:?}, data={})",
            self.inner.kind(),
            self.data(py)?.bind(py).repr()?
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        let py = other.py();
        match other.cast::<PyQuickBuyEvent>() {
            Ok(o) => pyo3::types::PyBool::new(py, o.get().inner == self.inner)
                .to_owned()
                .into_any()
                .unbind(),
            Err(_) => py.NotImplemented(),
        }
    }
}

/// Adds the callback classes, functions and constants, then the generated data models, in
/// the order of the stubs' `__all__` (generate.py `WEBHOOK_NAMES`).
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEvent>()?;
    m.add_class::<PyQuickBuyEvent>()?;
    m.add("SIGNATURE_HEADER", webhooks::SIGNATURE_HEADER)?;
    m.add(
        "QUICKBUY_SIGNATURE_HEADER",
        webhooks::QUICKBUY_SIGNATURE_HEADER,
    )?;
    m.add_function(wrap_pyfunction!(_construct_event, m)?)?;
    m.add_function(wrap_pyfunction!(_construct_quickbuy_event, m)?)?;
    crate::webhook_models::register(m)?;
    m.add("WEBHOOK_MODEL_NAMES", crate::webhook_models::NAMES.to_vec())?;
    Ok(())
}
