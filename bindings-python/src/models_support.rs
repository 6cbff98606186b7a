//! What the generated model classes (`models.rs`) share.

use pyo3::prelude::*;
use serde::Serialize;

/// A core model moved into its Python class.
pub trait IntoModel {
    fn into_model(self, py: Python<'_>) -> PyResult<Py<PyAny>>;
}

impl<T: IntoModel> IntoModel for Vec<T> {
    fn into_model(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let items = self
            .into_iter()
            .map(|t| t.into_model(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(pyo3::types::PyList::new(py, items)?.into_any().unbind())
    }
}

/// Takes a new model object out of the cyclic garbage collector's care. Pyclass objects are
/// always created GC-tracked; a model whose fields are only leaf values (numbers, strings,
/// `Decimal`, `datetime`, enums) can never be part of a reference cycle, and untracking it
/// keeps the collector from walking a 10,000-item page again and again.
pub fn untracked(obj: Py<PyAny>) -> Py<PyAny> {
    // SAFETY: `obj` is a live, GC-tracked object we just created; untracking an object that
    // cannot be in a cycle only means the collector will not traverse it (its refcount still
    // frees it).
    unsafe { pyo3::ffi::PyObject_GC_UnTrack(obj.as_ptr().cast()) };
    obj
}

/// `name=repr(value)`, left out when the value is `None` (a readable repr of sparse models).
pub fn repr_field(
    py: Python<'_>,
    parts: &mut Vec<String>,
    name: &str,
    value: Py<PyAny>,
) -> PyResult<()> {
    let value = value.bind(py);
    if !value.is_none() {
        parts.push(format!("{name}={}", value.repr()?.to_cow()?));
    }
    Ok(())
}

/// The user-facing JSON of a model (the core's `Serialize`).
pub fn to_json<T: Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("cannot encode: {e}")))
}

/// A model's HTML table (`ibanera._display.model_html`): money without trailing zeros, compact
/// timestamps, nested objects as `a.b` rows, raw JSON left out.
pub fn model_html(model: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let py = model.py();
    Ok(py
        .import(pyo3::intern!(py, "ibanera._display"))?
        .getattr(pyo3::intern!(py, "model_html"))?
        .call1((model,))?
        .unbind())
}
