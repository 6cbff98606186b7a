//! `_CoreClient`: the one object behind `ibanera.Client` and `ibanera.AsyncClient`. It holds
//! the core's `Client` (connection pool, credentials, retry policy) and runs calls blocking
//! (GIL released, driven on the caller's thread) or as asyncio awaitables.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use ibanera::{Client, ClientBuilder, ValidationError, ops};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::aio;
use crate::args::{self, ArgError};
use crate::dispatch::{self, CallOptions, PageCtx};
use crate::errors::{to_pyerr, validation};
use crate::raw::RawRequest;
use crate::{logbridge, runtime};

/// The product token appended to the core's user agent.
pub const USER_AGENT_SUFFIX: &str = concat!("ibanera-python/", env!("CARGO_PKG_VERSION"));

/// The core clients of this process: one per runtime, because pooled connections belong to
/// the runtime that opened them (runtime.rs). The one built first checks the configuration.
struct Live {
    generation: u64,
    blocking: Option<Client>,
    nonblocking: Option<Client>,
}

/// The core client of `ibanera.Client` / `ibanera.AsyncClient` (not for direct use).
#[pyclass(frozen, module = "ibanera._ibanera", name = "_CoreClient")]
pub struct CoreClient {
    /// Kept to build the client again in a child process after `fork()`.
    builder: ClientBuilder,
    live: Mutex<Live>,
    base_url: String,
    user_agent: String,
    timeout: f64,
    max_retries: u32,
}

fn seconds(field: &'static str, value: f64) -> Result<Duration, ValidationError> {
    if value.is_finite() && value > 0.0 && value < 1e9 {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(ValidationError::new(
            field,
            format!("must be a positive number of seconds, got {value}"),
        ))
    }
}

fn retries(field: &'static str, value: i64) -> Result<u32, ValidationError> {
    u32::try_from(value)
        .map_err(|_| ValidationError::new(field, format!("must be 0 or more, got {value}")))
}

/// Per-call `timeout=` (seconds) and `max_retries=`, checked.
fn call_options(
    timeout: Option<f64>,
    max_retries: Option<i64>,
) -> Result<CallOptions, ValidationError> {
    Ok(CallOptions {
        timeout: timeout.map(|t| seconds("timeout", t)).transpose()?,
        max_retries: max_retries.map(|r| retries("max_retries", r)).transpose()?,
    })
}

impl CoreClient {
    /// The core client of this process for blocking (`is_async == false`) or async calls,
    /// built again after a fork: the parent's connections and runtimes do not exist in the child.
    pub fn live(&self, py: Python<'_>, is_async: bool) -> PyResult<Client> {
        let generation = runtime::generation();
        let mut live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        if live.generation != generation {
            // Their pooled connections belong to the parent's runtimes: never touch them.
            std::mem::forget(live.blocking.take());
            std::mem::forget(live.nonblocking.take());
            live.generation = generation;
        }
        let slot = if is_async {
            &mut live.nonblocking
        } else {
            &mut live.blocking
        };
        if let Some(client) = slot {
            return Ok(client.clone());
        }
        let fresh = self.builder.clone().build().map_err(|e| to_pyerr(py, e))?;
        Ok(slot.insert(fresh).clone())
    }

    #[allow(clippy::too_many_arguments)]
    fn prepare_request(
        &self,
        py: Python<'_>,
        method: &str,
        path: &str,
        query: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        is_async: bool,
    ) -> PyResult<(RawRequest, Client)> {
        logbridge::refresh(py)?;
        let raw = match RawRequest::from_python(method, path, query, body) {
            Ok(raw) => raw,
            Err(ArgError::Py(e)) => return Err(e),
            Err(ArgError::Invalid(e)) => return Err(validation(py, e)),
        };
        let opts = call_options(timeout, max_retries).map_err(|e| validation(py, e))?;
        Ok((raw, opts.apply(self.live(py, is_async)?)))
    }

    #[allow(clippy::too_many_arguments)]
    fn prepare(
        &self,
        py: Python<'_>,
        op: &str,
        args: &Bound<'_, PyDict>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        positional: Option<&Bound<'_, PyAny>>,
        is_async: bool,
    ) -> PyResult<(ops::Call, Client, CallOptions)> {
        logbridge::refresh(py)?;
        let spec = ops::find(op);
        let endpoint = spec.map(|o| o.endpoint.clone());
        let invalid = |mut e: ValidationError| {
            if e.endpoint.is_none() {
                e.endpoint = endpoint.clone();
            }
            validation(py, e)
        };
        let converted = args::to_json_object(args).and_then(|json| {
            let name = spec.and_then(|o| o.positional).unwrap_or("positional");
            let positional = positional.map(|v| args::to_json(name, v)).transpose()?;
            Ok((json, positional))
        });
        let (json, positional) = match converted {
            Ok(v) => v,
            Err(ArgError::Py(e)) => return Err(e),
            Err(ArgError::Invalid(e)) => return Err(invalid(e)),
        };
        let call = ops::parse_positional(op, positional.as_ref(), &json).map_err(invalid)?;
        let opts = call_options(timeout, max_retries).map_err(invalid)?;
        let client = opts.apply(self.live(py, is_async)?);
        Ok((call, client, opts))
    }
}

#[pymethods]
impl CoreClient {
    #[new]
    #[pyo3(signature = (
        api_key=None, totp_secret=None, base_url=None, *, timeout=None, connect_timeout=None,
        max_retries=None, allow_insecure_http=false, totp_digits=None, totp_step=None,
        totp_algorithm=None, default_headers=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        totp_secret: Option<String>,
        base_url: Option<String>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        max_retries: Option<i64>,
        allow_insecure_http: bool,
        totp_digits: Option<u8>,
        totp_step: Option<u64>,
        totp_algorithm: Option<String>,
        default_headers: Option<Vec<(String, String)>>,
    ) -> PyResult<Self> {
        // Unset values come from IBANERA_API_KEY / IBANERA_TOTP_SECRET / IBANERA_BASE_URL.
        let mut b = ClientBuilder::from_env().user_agent_suffix(USER_AGENT_SUFFIX);
        if let Some(k) = api_key {
            b = b.api_key(k);
        }
        if let Some(s) = totp_secret {
            b = b.totp_secret(s);
        }
        if let Some(u) = base_url {
            b = b.base_url(u);
        }
        let invalid = |e: ValidationError| validation(py, e);
        let timeout = seconds("timeout", timeout.unwrap_or(30.0)).map_err(invalid)?;
        b = b.timeout(timeout);
        if let Some(t) = connect_timeout {
            b = b.connect_timeout(seconds("connect_timeout", t).map_err(invalid)?);
        }
        let max_retries = retries("max_retries", max_retries.unwrap_or(2)).map_err(invalid)?;
        b = b.max_retries(max_retries);
        b = b.allow_insecure_http(allow_insecure_http);
        if let Some(d) = totp_digits {
            b = b.totp_digits(d);
        }
        if let Some(s) = totp_step {
            b = b.totp_step(s);
        }
        if let Some(a) = totp_algorithm {
            b = b.totp_algorithm(a.parse().map_err(|e| to_pyerr(py, e))?);
        }
        for (name, value) in default_headers.unwrap_or_default() {
            b = b.default_header(name, value);
        }
        let client = b.clone().build().map_err(|e| to_pyerr(py, e))?;
        Ok(CoreClient {
            base_url: client.base_url().to_string(),
            user_agent: client.user_agent().to_string(),
            timeout: timeout.as_secs_f64(),
            max_retries,
            builder: b,
            live: Mutex::new(Live {
                generation: runtime::generation(),
                blocking: Some(client),
                nonblocking: None,
            }),
        })
    }

    /// Runs operation `op` (`"accounts.get"`) with `args` (and its positional argument, when
    /// the caller passed one), blocking with the GIL released.
    #[pyo3(signature = (op, args, timeout=None, max_retries=None, positional=None))]
    fn call(
        slf: &Bound<'_, Self>,
        op: &str,
        args: &Bound<'_, PyDict>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        positional: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let (call, client, opts) =
            slf.get()
                .prepare(py, op, args, timeout, max_retries, positional, false)?;
        let ctx = PageCtx {
            owner: slf.clone().unbind(),
            opts,
            is_async: false,
        };
        runtime::block_on(py, dispatch::run(call, client, ctx))?(py)
    }

    /// Runs operation `op` on the runtime; an `asyncio.Future` of the running loop.
    #[pyo3(signature = (op, args, timeout=None, max_retries=None, positional=None))]
    fn call_async<'py>(
        slf: &Bound<'py, Self>,
        op: &str,
        args: &Bound<'py, PyDict>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        positional: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let (call, client, opts) =
            slf.get()
                .prepare(py, op, args, timeout, max_retries, positional, true)?;
        let ctx = PageCtx {
            owner: slf.clone().unbind(),
            opts,
            is_async: true,
        };
        aio::spawn(py, dispatch::run(call, client, ctx))
    }

    /// Any endpoint (`method`, `path` under the base URL, `query` pairs, a JSON `body`), with
    /// the typed calls' authentication, retries and envelope decoding; blocking, GIL released.
    #[pyo3(signature = (method, path, query=None, body=None, timeout=None, max_retries=None))]
    #[allow(clippy::too_many_arguments)]
    fn request(
        &self,
        py: Python<'_>,
        method: &str,
        path: &str,
        query: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        let (raw, client) =
            self.prepare_request(py, method, path, query, body, timeout, max_retries, false)?;
        runtime::block_on(py, raw.run(client))?(py)
    }

    /// `request` on the runtime; an `asyncio.Future` of the running loop.
    #[pyo3(signature = (method, path, query=None, body=None, timeout=None, max_retries=None))]
    #[allow(clippy::too_many_arguments)]
    fn request_async<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        path: &str,
        query: Option<&Bound<'py, PyAny>>,
        body: Option<&Bound<'py, PyAny>>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (raw, client) =
            self.prepare_request(py, method, path, query, body, timeout, max_retries, true)?;
        aio::spawn(py, raw.run(client))
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn user_agent(&self) -> &str {
        &self.user_agent
    }

    #[getter]
    fn timeout(&self) -> f64 {
        self.timeout
    }

    #[getter]
    fn max_retries(&self) -> u32 {
        self.max_retries
    }

    fn __repr__(&self) -> String {
        format!(
            "_CoreClient(base_url={:?}, timeout={}, max_retries={})",
            self.base_url, self.timeout, self.max_retries
        )
    }
}
