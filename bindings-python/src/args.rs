//! Python arguments to the JSON object of arguments the core's `ops::parse` reads. The core
//! owns names, types and validation; this only turns Python values into JSON faithfully:
//! `Decimal` as its text, `int` exactly, `float` by its shortest repr (NaN and infinities
//! refused), `date` / `datetime` in ISO 8601 (a naive datetime is taken as UTC), enums and other
//! `str` subclasses as their string.

use ibanera::ValidationError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
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

/// How deep an object argument may nest (a mapping that contains itself is refused, not
/// followed forever).
const MAX_DEPTH: usize = 64;

/// One Python value as JSON: a plain value (a dict or a list is refused: only an object
/// argument takes one, see [`to_json_object`]).
pub fn to_json(field: &str, v: &Bound<'_, PyAny>) -> Result<Value, ArgError> {
    to_json_at(field, v, None)
}

/// `depth` is `Some` inside an object argument (how deep), where mappings and lists are
/// converted item by item; `None` elsewhere, where they are refused as a type the argument
/// does not take (a list passed as an amount names the amount, not `amount[1][1]...`).
fn to_json_at(field: &str, v: &Bound<'_, PyAny>, depth: Option<usize>) -> Result<Value, ArgError> {
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
    // An object argument (a mapping) or a list inside one: their items, converted alike.
    if let Some(depth) = depth {
        return object_item(field, v, depth);
    }
    plain_or_enum(field, v, false)
}

/// A value inside an object argument: a mapping or a list (each item converted alike), or a
/// plain value.
fn object_item(field: &str, v: &Bound<'_, PyAny>, depth: usize) -> Result<Value, ArgError> {
    let container = v.is_instance_of::<PyDict>()
        || v.is_instance_of::<PyList>()
        || v.is_instance_of::<PyTuple>();
    // Tuples count too: `t = (t,)` in a loop nests without limit and no cycle.
    if depth >= MAX_DEPTH && container {
        return Err(invalid(
            field,
            format!("is nested more than {MAX_DEPTH} deep"),
        ));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, item) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(invalid(field, "must have string keys"));
            };
            let key = key.to_cow()?.into_owned();
            let value = to_json_at(&format!("{field}.{key}"), &item, Some(depth + 1))?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let items = v
            .try_iter()?
            .enumerate()
            .map(|(i, item)| to_json_at(&format!("{field}[{i}]"), &item?, Some(depth + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Value::Array(items));
    }
    plain_or_enum(field, v, true)
}

/// An enum member's value, or the refusal of a type no argument takes.
fn plain_or_enum(field: &str, v: &Bound<'_, PyAny>, in_object: bool) -> Result<Value, ArgError> {
    let py = v.py();
    // A member of a real `enum.Enum` (never duck-typed: a `MagicMock` has every attribute,
    // and following its `.value` chain recursed until the stack overflowed): its value, once.
    if v.is_instance(enum_type(py)?)? {
        let value = v.getattr("value")?;
        if !value.is_instance(enum_type(py)?)? {
            return to_json_at(field, &value, None);
        }
    }
    let type_name = v.get_type().name()?.to_string();
    let expected = if in_object {
        "a str, int, Decimal, float, bool, date, datetime, dict, list or None"
    } else {
        "a str, int, Decimal, float, bool, date, datetime or None"
    };
    Err(invalid(
        field,
        format!("cannot take a value of type `{type_name}` (expected {expected})"),
    ))
}

static ENUM: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn enum_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    ENUM.import(py, "enum", "Enum")
}

/// A dict of keyword arguments as a JSON object (`None` values included: the core reads
/// `null` as absent). `takes_object(key)`: the argument is an object argument, whose value
/// may be a mapping (nested mappings and lists included).
pub fn to_json_object(
    args: &Bound<'_, PyDict>,
    takes_object: impl Fn(&str) -> bool,
) -> Result<Value, ArgError> {
    let mut map = Map::with_capacity(args.len());
    for (k, v) in args.iter() {
        let key = k
            .cast::<PyString>()
            .map_err(PyErr::from)?
            .to_cow()?
            .into_owned();
        let depth = takes_object(&key).then_some(0);
        let value = to_json_at(&key, &v, depth)?;
        map.insert(key, value);
    }
    Ok(Value::Object(map))
}
