//! Rust values of the core's models to Python values: money as `decimal.Decimal` with the exact
//! digits, timestamps as aware `datetime`, enums as the str-comparable classes of
//! `ibanera._enums`, free-form JSON as plain Python data.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;

use chrono::{DateTime, Datelike, Timelike, Utc};
use ibanera::exchanges::FxRateId;
use ibanera::{AssetClass, Decimal, ExchangeStatus, ExchangeType, QuantityType, TransferType};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyType};
use serde_json::Value;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

pub fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

pub fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATETIME.import(py, "datetime", "datetime")
}

pub fn date_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATE.import(py, "datetime", "date")
}

fn utc(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    UTC.get_or_try_init(py, || {
        Ok::<_, PyErr>(
            py.import("datetime")?
                .getattr("timezone")?
                .getattr("utc")?
                .unbind(),
        )
    })
    .map(|v| v.bind(py))
}

/// Recently built immutable Python values (`Decimal`, `datetime`) by exact value. Handing out
/// the same immutable object for the same value is invisible to users, and pages repeat
/// values a lot (fees, round sums, timestamps of one batch). Bounded: cleared when full.
struct Interner<K> {
    map: Mutex<Option<HashMap<K, Py<PyAny>>>>,
}

const INTERNED: usize = 4096;

impl<K: std::hash::Hash + Eq> Interner<K> {
    const fn new() -> Self {
        Interner {
            map: Mutex::new(None),
        }
    }

    fn get_or_build(
        &self,
        py: Python<'_>,
        key: K,
        build: impl FnOnce() -> PyResult<Py<PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        // try_lock: the GIL already serialises callers, so never wait (and a fork cannot
        // leave a child stuck on it).
        if let Ok(guard) = self.map.try_lock() {
            if let Some(hit) = guard.as_ref().and_then(|m| m.get(&key)) {
                return Ok(hit.clone_ref(py));
            }
        }
        let value = build()?;
        if let Ok(mut guard) = self.map.try_lock() {
            let map = guard.get_or_insert_with(HashMap::new);
            if map.len() >= INTERNED {
                map.clear();
            }
            map.insert(key, value.clone_ref(py));
        }
        Ok(value)
    }
}

/// Keyed by sign, scale and digits: `1.0` and `1.00` are different keys.
static DECIMALS: Interner<[u8; 16]> = Interner::new();
static DATETIMES: Interner<(i64, u32)> = Interner::new();

/// `decimal.Decimal` from the exact text (scale kept: `100.00` stays `100.00`).
pub fn decimal(py: Python<'_>, d: &Decimal) -> PyResult<Py<PyAny>> {
    DECIMALS.get_or_build(py, d.serialize(), || {
        let mut text = String::with_capacity(40);
        let _ = write!(text, "{d}");
        Ok(decimal_type(py)?.call1((text,))?.unbind())
    })
}

/// `decimal.Decimal` from decimal text.
pub fn decimal_from_text(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    Ok(decimal_type(py)?.call1((text,))?.unbind())
}

/// An aware `datetime` in UTC. Python keeps microseconds: finer digits are truncated.
pub fn datetime(py: Python<'_>, t: &DateTime<Utc>) -> PyResult<Py<PyAny>> {
    let key = (t.timestamp(), t.timestamp_subsec_micros());
    DATETIMES.get_or_build(py, key, || new_datetime(py, t))
}

fn new_datetime(py: Python<'_>, t: &DateTime<Utc>) -> PyResult<Py<PyAny>> {
    let micros = t.timestamp_subsec_micros().min(999_999);
    Ok(datetime_type(py)?
        .call1((
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            micros,
            utc(py)?,
        ))?
        .unbind())
}

static ENUMS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// An instance of the str-comparable enum class `ibanera._enums.<class>`.
pub fn enum_value(py: Python<'_>, class: &str, value: &str) -> PyResult<Py<PyAny>> {
    let module =
        ENUMS.get_or_try_init(py, || Ok::<_, PyErr>(py.import("ibanera._enums")?.unbind()))?;
    Ok(module.bind(py).getattr(class)?.call1((value,))?.unbind())
}

/// Free-form JSON (`AssetPair.raw`) as plain Python: integers as `int`, other numbers as
/// `Decimal` (exact digits), objects as `dict`, arrays as `list`.
pub fn json_to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any().unbind()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any().unbind()
            } else if n.as_str().bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                py.import("builtins")?
                    .getattr("int")?
                    .call1((n.as_str(),))?
                    .unbind()
            } else {
                decimal_from_text(py, n.as_str())?
            }
        }
        Value::String(s) => PyString::new(py, s).into_any().unbind(),
        Value::Array(a) => {
            let list = PyList::empty(py);
            for item in a {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(o) => {
            let dict = PyDict::new(py);
            for (k, item) in o {
                dict.set_item(k, json_to_py(py, item)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

/// A field's value as the attribute returns it.
pub trait ToPy {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>>;

    /// The value inside `to_dict()`: the same except that models become dicts and enums
    /// plain `str`.
    fn to_plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.to_py(py)
    }
}

impl ToPy for i64 {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.into_pyobject(py)?.into_any().unbind())
    }
}

impl ToPy for u32 {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.into_pyobject(py)?.into_any().unbind())
    }
}

impl ToPy for bool {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.into_pyobject(py)?.to_owned().into_any().unbind())
    }
}

impl ToPy for String {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(PyString::new(py, self).into_any().unbind())
    }
}

impl ToPy for Decimal {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        decimal(py, self)
    }
}

impl ToPy for DateTime<Utc> {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        datetime(py, self)
    }
}

impl ToPy for Value {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, self)
    }
}

impl ToPy for FxRateId {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            FxRateId::Text(s) => s.to_py(py),
            FxRateId::Number(n) => json_to_py(py, &Value::Number(n.clone())),
        }
    }
}

impl<T: ToPy> ToPy for Option<T> {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Some(v) => v.to_py(py),
            None => Ok(py.None()),
        }
    }

    fn to_plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Some(v) => v.to_plain(py),
            None => Ok(py.None()),
        }
    }
}

impl<T: ToPy> ToPy for Vec<T> {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let list = PyList::empty(py);
        for item in self {
            list.append(item.to_py(py)?)?;
        }
        Ok(list.into_any().unbind())
    }

    fn to_plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let list = PyList::empty(py);
        for item in self {
            list.append(item.to_plain(py)?)?;
        }
        Ok(list.into_any().unbind())
    }
}

macro_rules! enum_to_py {
    ($($t:ident),+) => {$(
        impl ToPy for $t {
            fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                enum_value(py, stringify!($t), self.as_str())
            }

            fn to_plain(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                Ok(PyString::new(py, self.as_str()).into_any().unbind())
            }
        }
    )+};
}
enum_to_py!(
    AssetClass,
    ExchangeStatus,
    ExchangeType,
    QuantityType,
    TransferType
);

/// Returns the cached value of a lazily built attribute, building it on first access.
pub fn cached(
    py: Python<'_>,
    cell: &PyOnceLock<Py<PyAny>>,
    build: impl FnOnce() -> PyResult<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    Ok(cell.get_or_try_init(py, build)?.clone_ref(py))
}
