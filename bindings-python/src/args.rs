//! Python arguments to the JSON object of arguments the core's `ops::parse` reads. The core
//! owns names, types and validation; this only turns Python values into JSON faithfully:
//! `Decimal` as its text, `int` exactly, `float` by its shortest repr (NaN and infinities
//! refused), `date` / `datetime` in ISO 8601 (a naive datetime is taken as UTC), enums and other
//! `str` subclasses as their string.

use ibanera::ValidationError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString, PyType};
use serde_json::{Map, Number, Value};

use crate::convert::{date_type, datetime_type, decimal_type};

/// Why an argument could not be converted: a Python error, or a refusal to report as the
/// SDK's `ValidationError`.
pub enum ArgError {
    Py(PyErr),
    Invalid(ValidationError),
}

impl From<PyErr> for ArgError {
    fn from(e: PyErr) -> Self {
        ArgError::Py(e)
    }
}

/// A refusal naming the argument and the rule.
pub fn invalid(field: &str, rule: impl Into<String>) -> ArgError {
    ArgError::Invalid(ValidationError::new(field.to_string(), rule))
}

/// A JSON number with exactly these digits (`None` when the text is not one).
pub fn number(text: &str) -> Option<Value> {
    serde_json::from_str::<Number>(text).ok().map(Value::Number)
}

/// One Python value as JSON.
pub fn to_json(field: &str, v: &Bound<'_, PyAny>) -> Result<Value, ArgError> {
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = v.cast::<PyString>() {
        // Also our enums (str subclasses).
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if v.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(v.is_truthy()?));
    }
    if v.is_instance_of::<PyInt>() {
        if let Ok(i) = v.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        let text = v.str()?.to_cow()?.into_owned();
        return number(&text)
            .ok_or_else(|| invalid(field, format!("cannot read the integer {text}")));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        let x = f.value();
        if !x.is_finite() {
            return Err(invalid(
                field,
                format!("must be a finite number, got {}", v.repr()?.to_cow()?),
            ));
        }
        // Python's repr is the shortest text that reads back as the same float: 0.1 is "0.1".
        let text = v.repr()?.to_cow()?.into_owned();
        return number(&text)
            .ok_or_else(|| invalid(field, format!("cannot read the float {text}")));
    }
    let py = v.py();
    if v.is_instance(decimal_type(py)?)? {
        // Exact digits; NaN and infinities are refused by the core with the field's name.
        return Ok(Value::String(v.str()?.to_cow()?.into_owned()));
    }
    if v.is_instance(datetime_type(py)?)? {
        let text = v.call_method0("isoformat")?.extract::<String>()?;
        if v.getattr("utcoffset")?.call0()?.is_none() {
            // A naive datetime is taken as UTC (documented).
            return Ok(Value::String(format!("{text}+00:00")));
        }
        return Ok(Value::String(text));
    }
    if v.is_instance(date_type(py)?)? {
        return Ok(Value::String(
            v.call_method0("isoformat")?.extract::<String>()?,
        ));
    }
    // A member of a real `enum.Enum` (never duck-typed: a `MagicMock` has every attribute,
    // and following its `.value` chain recursed until the stack overflowed): its value, once.
    if v.is_instance(enum_type(py)?)? {
        let value = v.getattr("value")?;
        if !value.is_instance(enum_type(py)?)? {
            return to_json(field, &value);
        }
    }
    let type_name = v.get_type().name()?.to_string();
    Err(invalid(
        field,
        format!(
            "cannot take a value of type `{type_name}` (expected a str, int, Decimal, float, \
             bool, date, datetime or None)"
        ),
    ))
}

static ENUM: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn enum_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    ENUM.import(py, "enum", "Enum")
}

/// A dict of keyword arguments as a JSON object (`None` values included: the core reads
/// `null` as absent).
pub fn to_json_object(args: &Bound<'_, PyDict>) -> Result<Value, ArgError> {
    let mut map = Map::with_capacity(args.len());
    for (k, v) in args.iter() {
        let key = k
            .cast::<PyString>()
            .map_err(PyErr::from)?
            .to_cow()?
            .into_owned();
        let value = to_json(&key, &v)?;
        map.insert(key, value);
    }
    Ok(Value::Object(map))
}
