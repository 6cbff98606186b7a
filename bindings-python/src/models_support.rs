//! What the generated model classes (`models.rs`) share.

use pyo3::prelude::*;
use serde::Serialize;

/// A core model moved into its Python class, and back.
pub trait IntoModel: Sized {
    fn into_model(self, py: Python<'_>) -> PyResult<Py<PyAny>>;

    /// The core value an object of this model's class wraps, cloned (the Arrow export reads a
    /// page's items back from the list the page holds); a `TypeError` for another object.
    fn from_object(obj: &Bound<'_, PyAny>) -> PyResult<Self>;
}

impl<T: IntoModel> IntoModel for Vec<T> {
    fn into_model(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let items = self
            .into_iter()
            .map(|t| t.into_model(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(pyo3::types::PyList::new(py, items)?.into_any().unbind())
    }

    fn from_object(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        obj.try_iter()?.map(|o| T::from_object(&o?)).collect()
    }
}

/// The result of an operation that returns nothing: `None`.
impl IntoModel for () {
    fn into_model(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(py.None())
    }

    fn from_object(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        if obj.is_none() {
            Ok(())
        } else {
            Err(pyo3::exceptions::PyTypeError::new_err("expected None"))
        }
    }
}

/// The core value `obj` wraps when it is an object of `C`, the class of model `name`.
pub fn inner_of<C, T>(obj: &Bound<'_, PyAny>, name: &str, inner: fn(&C) -> &T) -> PyResult<T>
where
    C: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync,
    T: Clone,
{
    let class = obj.cast::<C>().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "expected a {name} object, got {} (was the page's list changed?)",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_else(|_| "another object".into())
        ))
    })?;
    Ok(inner(class.get()).clone())
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
