//! Rust values of the core's models to Python values: money as `decimal.Decimal` with the exact
//! digits, timestamps as aware `datetime`, enums as the str-comparable classes of
//! `ibanera._enums`, free-form JSON as plain Python data.

use chrono::{DateTime, Datelike, Timelike, Utc};
use ibanera::exchanges::FxRateId;
use ibanera::webhooks::EventType;
use ibanera::{AssetClass, Decimal, ExchangeStatus, ExchangeType, QuantityType, TransferType};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyType};
use serde_json::Value;

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

pub fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DECIMAL.import(py, "decimal", "Decimal")
}

pub fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATETIME.import(py, "datetime", "datetime")
}

pub fn date_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATE.import(py, "datetime", "date")
}

/// `decimal.Decimal` from the exact digits (scale kept: `100.00` stays `100.00`).
///
/// Formatted from mantissa and scale into a stack buffer: `Display` and a heap `String` cost
/// as much as the `Decimal(str)` call itself on a 10,000-item page (bench/NOTES.md). No cache:
/// amounts on a real page rarely repeat, so hashing every value cost more than it saved.
pub fn decimal(py: Python<'_>, d: &Decimal) -> PyResult<Py<PyAny>> {
    let mut buf = [0u8; 64];
    let text = decimal_text(d, &mut buf);
    Ok(decimal_type(py)?.call1((text,))?.unbind())
}

/// The plain decimal text of `d` (no exponent, every scale digit kept), written into `buf`.
/// 64 bytes hold the longest: sign, 29 digits, point and 28 leading zeros.
fn decimal_text<'a>(d: &Decimal, buf: &'a mut [u8; 64]) -> &'a str {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(d.mantissa().unsigned_abs()).as_bytes();
    let scale = d.scale() as usize;
    let mut at = 0;
    let mut put = |bytes: &[u8], at: &mut usize| {
        buf[*at..*at + bytes.len()].copy_from_slice(bytes);
        *at += bytes.len();
    };
    if d.mantissa() < 0 {
        put(b"-", &mut at);
    }
    if scale == 0 {
        put(digits, &mut at);
    } else if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        put(whole, &mut at);
        put(b".", &mut at);
        put(fraction, &mut at);
    } else {
        put(b"0.", &mut at);
        for _ in digits.len()..scale {
            put(b"0", &mut at);
        }
        put(digits, &mut at);
    }
    // Only ASCII digits, '-', '.' and '0' were written.
    std::str::from_utf8(&buf[..at]).unwrap_or("0")
}

/// `decimal.Decimal` from decimal text.
pub fn decimal_from_text(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    Ok(decimal_type(py)?.call1((text,))?.unbind())
}

static FROM_ISOFORMAT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// An aware `datetime` in UTC. Python keeps microseconds: finer digits are truncated.
///
/// One `datetime.fromisoformat(text)` call: about a quarter of the cost of calling the class
/// with eight Python ints (the C API is not in the stable ABI this module is built for).
pub fn datetime(py: Python<'_>, t: &DateTime<Utc>) -> PyResult<Py<PyAny>> {
    let from_isoformat = FROM_ISOFORMAT.get_or_try_init(py, || {
        Ok::<_, PyErr>(datetime_type(py)?.getattr("fromisoformat")?.unbind())
    })?;
    let mut buf = [0u8; 32];
    let text = iso_text(t, &mut buf).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!("year {} is out of range", t.year()))
    })?;
    Ok(from_isoformat.bind(py).call1((text,))?.unbind())
}

/// `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`: the one form `fromisoformat` reads on every Python
/// from 3.9. `None` for a year Python's `datetime` cannot hold (1..=9999).
fn iso_text<'a>(t: &DateTime<Utc>, buf: &'a mut [u8; 32]) -> Option<&'a str> {
    let micros = t.timestamp_subsec_micros().min(999_999);
    let year = t.year();
    if !(1..=9999).contains(&year) {
        return None;
    }
    let fields: [(u32, usize); 7] = [
        (year as u32, 4),
        (t.month(), 2),
        (t.day(), 2),
        (t.hour(), 2),
        (t.minute(), 2),
        (t.second().min(59), 2),
        (micros, 6),
    ];
    let separators = [b'-', b'-', b'T', b':', b':', b'.', b'+'];
    let mut at = 0;
    for ((value, width), sep) in fields.into_iter().zip(separators) {
        let mut v = value;
        for i in (0..width).rev() {
            buf[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        at += width;
        buf[at] = sep;
        at += 1;
    }
    buf[at..at + 5].copy_from_slice(b"00:00");
    at += 5;
    std::str::from_utf8(&buf[..at]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::str::FromStr;

    #[test]
    fn decimal_text_keeps_every_digit_and_the_scale() {
        for case in [
            "0",
            "100.00",
            "-0.000000012",
            "0.1",
            "-1234567.891",
            "79228162514264337593543950335",
            "-7.9228162514264337593543950335",
            "0.0000000000000000000000000001",
        ] {
            let d = Decimal::from_str(case).unwrap();
            let mut buf = [0u8; 64];
            assert_eq!(decimal_text(&d, &mut buf), case);
        }
    }

    #[test]
    fn iso_text_is_what_fromisoformat_reads() {
        let t = Utc.with_ymd_and_hms(987, 3, 4, 5, 6, 7).unwrap()
            + chrono::Duration::nanoseconds(1_234_567);
        let mut buf = [0u8; 32];
        assert_eq!(
            iso_text(&t, &mut buf),
            Some("0987-03-04T05:06:07.001234+00:00")
        );
        // A leap second (nanoseconds past 1e9) stays in its second, at its last microsecond.
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .unwrap()
            .and_utc();
        let mut buf = [0u8; 32];
        assert_eq!(
            iso_text(&leap, &mut buf),
            Some("2016-12-31T23:59:59.999999+00:00")
        );
        let far = Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(iso_text(&far, &mut [0u8; 32]), None);
    }
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
    EventType,
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
