//! `ibanera.Totp`: the core's RFC 6238 generator, for users who need a code by hand (a curl
//! call, a test). Its repr shows the settings, never the secret.

use std::time::{SystemTime, UNIX_EPOCH};

use ibanera::Totp;
use pyo3::prelude::*;

use crate::convert::datetime_type;
use crate::errors::to_pyerr;

/// Time-based one-time codes (RFC 6238): SHA-1, 6 digits, 30 s unless told otherwise.
///
/// The secret is base32 (any case, spaces, dashes and `=` padding allowed) or an
/// `otpauth://totp/...` URI. It is never shown by `repr` or in an error.
#[pyclass(frozen, module = "ibanera", name = "Totp")]
pub struct PyTotp {
    inner: Totp,
}

fn unix_seconds(at: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
    let Some(at) = at.filter(|a| !a.is_none()) else {
        return Ok(SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0));
    };
    let seconds: f64 = if at.is_instance(datetime_type(at.py())?)? {
        let at = if at.getattr("utcoffset")?.call0()?.is_none() {
            // A naive datetime is taken as UTC.
            let utc = at
                .py()
                .import("datetime")?
                .getattr("timezone")?
                .getattr("utc")?;
            let kwargs = pyo3::types::PyDict::new(at.py());
            kwargs.set_item("tzinfo", utc)?;
            at.call_method("replace", (), Some(&kwargs))?
        } else {
            at.clone()
        };
        at.call_method0("timestamp")?.extract()?
    } else {
        at.extract()?
    };
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "a time must be a non-negative Unix time or a datetime",
        ));
    }
    Ok(seconds as u64)
}

#[pymethods]
impl PyTotp {
    #[new]
    #[pyo3(signature = (secret, *, digits=None, step=None, algorithm=None))]
    fn new(
        py: Python<'_>,
        secret: &str,
        digits: Option<u8>,
        step: Option<u64>,
        algorithm: Option<&str>,
    ) -> PyResult<Self> {
        let err = |e| to_pyerr(py, e);
        let mut totp = Totp::new(secret).map_err(err)?;
        if let Some(a) = algorithm {
            totp = totp.with_algorithm(a.parse().map_err(err)?).map_err(err)?;
        }
        if let Some(d) = digits {
            totp = totp.with_digits(d).map_err(err)?;
        }
        if let Some(s) = step {
            totp = totp.with_step(s).map_err(err)?;
        }
        Ok(PyTotp { inner: totp })
    }

    /// The code valid now.
    fn now(&self) -> String {
        self.inner.now().expose().to_string()
    }

    /// The code valid at `at` (a Unix time in seconds or a `datetime`; naive means UTC).
    fn at(&self, at: &Bound<'_, PyAny>) -> PyResult<String> {
        Ok(self
            .inner
            .code_at(unix_seconds(Some(at))?)
            .expose()
            .to_string())
    }

    /// True when `code` is valid at `at` (default now), allowing `skew` steps either side.
    #[pyo3(signature = (code, at=None, skew=1))]
    fn verify(&self, code: &str, at: Option<&Bound<'_, PyAny>>, skew: u64) -> PyResult<bool> {
        Ok(self.inner.verify_at(code, unix_seconds(at)?, skew))
    }

    /// Seconds until the code valid at `at` (default now) expires.
    #[pyo3(signature = (at=None))]
    fn seconds_left(&self, at: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
        Ok(self.inner.seconds_left_at(unix_seconds(at)?))
    }

    /// The number of digits of a code (6 to 8).
    #[getter]
    fn digits(&self) -> u8 {
        self.inner.digits()
    }

    /// The time step in seconds.
    #[getter]
    fn step(&self) -> u64 {
        self.inner.step()
    }

    /// `"SHA1"`, `"SHA256"` or `"SHA512"`.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "Totp(algorithm='{}', digits={}, step={})",
            self.inner.algorithm().as_str(),
            self.inner.digits(),
            self.inner.step()
        )
    }
}
