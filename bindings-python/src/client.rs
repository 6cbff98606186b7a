//! `_CoreClient`: the one object behind `ibanera.Client` and `ibanera.AsyncClient`. It holds
//! the core's `Client` (connection pool, credentials, retry policy) and runs calls blocking
//! (GIL released, driven on the caller's thread) or as asyncio awaitables.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use ibanera::{
    Client, ClientBuilder, Credentials, Frontend, Secret, SessionInfo, ValidationError, ops,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::aio::{self, Done};
use crate::args::{self, ArgError};
use crate::convert::ToPy;
use crate::dispatch::{self, CallOptions, PageCtx};
use crate::errors::{to_pyerr, validation};
use crate::raw::RawRequest;
use crate::{logbridge, recovery, runtime};

/// The product token appended to the core's user agent.
pub const USER_AGENT_SUFFIX: &str = concat!("ibanera-python/", env!("CARGO_PKG_VERSION"));

/// The core clients of this process: one per runtime, because pooled connections belong to
/// the runtime that opened them (runtime.rs). The first one is built from the builder, the
/// other derived from it (`with_new_connection_pool`), so both share one login session.
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
    /// Credentials given after construction (`set_credentials`, `set_access_token`): a client
    /// built again after `fork()` gets them too.
    replaced: Mutex<Option<Credentials>>,
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

fn byte_limit(field: &'static str, value: i64) -> Result<u64, ValidationError> {
    u64::try_from(value).ok().filter(|v| *v > 0).ok_or_else(|| {
        ValidationError::new(
            field,
            format!("must be a positive number of bytes, got {value}"),
        )
    })
}

/// Per-call `timeout=`, `attempt_timeout=` (seconds), `max_retries=` and
/// `max_response_bytes=`, checked.
pub(crate) fn call_options(
    timeout: Option<f64>,
    max_retries: Option<i64>,
    attempt_timeout: Option<f64>,
    max_response_bytes: Option<i64>,
) -> Result<CallOptions, ValidationError> {
    Ok(CallOptions {
        timeout: timeout.map(|t| seconds("timeout", t)).transpose()?,
        max_retries: max_retries.map(|r| retries("max_retries", r)).transpose()?,
        attempt_timeout: attempt_timeout
            .map(|t| seconds("attempt_timeout", t))
            .transpose()?,
        max_response_bytes: max_response_bytes
            .map(|b| byte_limit("max_response_bytes", b))
            .transpose()?,
    })
}

/// The per-call options of a method: `timeout`, `max_retries`, `attempt_timeout`,
/// `max_response_bytes`, as the Python wrappers pass them.
pub(crate) type Overrides = (Option<f64>, Option<i64>, Option<f64>, Option<i64>);

impl CoreClient {
    /// The core client of this process for blocking (`is_async == false`) or async calls. The
    /// first is built from the builder, the second derived from it (same session, its own
    /// pool); after a fork both are built anew: the parent's connections and runtimes do not
    /// exist in the child (a new login there is fine).
    pub fn live(&self, py: Python<'_>, is_async: bool) -> PyResult<Client> {
        let generation = runtime::generation();
        let mut live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        if live.generation != generation {
            // Their pooled connections belong to the parent's runtimes: never touch them.
            std::mem::forget(live.blocking.take());
            std::mem::forget(live.nonblocking.take());
            live.generation = generation;
        }
        let Live {
            blocking,
            nonblocking,
            ..
        } = &mut *live;
        let (slot, other) = if is_async {
            (nonblocking, blocking)
        } else {
            (blocking, nonblocking)
        };
        if let Some(client) = slot {
            return Ok(client.clone());
        }
        let fresh = match other {
            Some(other) => other.with_new_connection_pool(),
            None => self.build(),
        }
        .map_err(|e| to_pyerr(py, e))?;
        Ok(slot.insert(fresh).clone())
    }

    /// A new core client from the builder, with the credentials given since.
    fn build(&self) -> ibanera::Result<Client> {
        let client = self.builder.clone().build()?;
        let replaced = self
            .replaced
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match replaced {
            Some(Credentials::Password { username, password }) => {
                client.set_credentials(username, password)
            }
            Some(Credentials::AccessToken(token)) => client.set_access_token(token)?,
            None => {}
        }
        Ok(client)
    }

    #[allow(clippy::too_many_arguments)]
    fn prepare_request(
        &self,
        py: Python<'_>,
        method: &str,
        path: &str,
        query: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        overrides: Overrides,
        is_async: bool,
    ) -> PyResult<(RawRequest, Client)> {
        logbridge::refresh(py)?;
        let raw = match RawRequest::from_python(method, path, query, body) {
            Ok(raw) => raw,
            Err(ArgError::Py(e)) => return Err(e),
            Err(ArgError::Invalid(e)) => return Err(validation(py, e)),
        };
        let (timeout, max_retries, attempt_timeout, max_response_bytes) = overrides;
        let opts = call_options(timeout, max_retries, attempt_timeout, max_response_bytes)
            .map_err(|e| validation(py, e))?;
        Ok((raw, opts.apply(self.live(py, is_async)?)))
    }

    #[allow(clippy::too_many_arguments)]
    fn prepare(
        &self,
        py: Python<'_>,
        op: &str,
        args: &Bound<'_, PyDict>,
        overrides: Overrides,
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
        // Mappings only where the operation takes an object argument (`shipping_address`).
        let takes_object = |key: &str| {
            spec.is_some_and(|o| {
                o.args.iter().any(|a| {
                    (a.name == key || ops::camel_case(a.name) == key)
                        && matches!(a.ty, ops::ArgType::Object(_) | ops::ArgType::Json)
                })
            })
        };
        let converted = args::to_json_object(args, takes_object).and_then(|json| {
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
        let (timeout, max_retries, attempt_timeout, max_response_bytes) = overrides;
        let opts = call_options(timeout, max_retries, attempt_timeout, max_response_bytes)
            .map_err(invalid)?;
        let client = opts.apply(self.live(py, is_async)?);
        Ok((call, client, opts))
    }
}

#[pymethods]
impl CoreClient {
    #[new]
    #[pyo3(signature = (
        *, username=None, password=None, totp_secret=None, access_token=None, base_url=None,
        api_key=None, timeout=None, attempt_timeout=None, connect_timeout=None, max_retries=None,
        max_response_bytes=None, proxy=None, allow_insecure_http=false, totp_digits=None,
        totp_step=None, totp_algorithm=None, default_headers=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        username: Option<String>,
        password: Option<String>,
        totp_secret: Option<String>,
        access_token: Option<String>,
        base_url: Option<String>,
        api_key: Option<String>,
        timeout: Option<f64>,
        attempt_timeout: Option<f64>,
        connect_timeout: Option<f64>,
        max_retries: Option<i64>,
        max_response_bytes: Option<i64>,
        proxy: Option<String>,
        allow_insecure_http: bool,
        totp_digits: Option<u8>,
        totp_step: Option<u64>,
        totp_algorithm: Option<String>,
        default_headers: Option<Vec<(String, String)>>,
    ) -> PyResult<Self> {
        // Unset values come from IBANERA_USERNAME / _PASSWORD / _TOTP_SECRET / _ACCESS_TOKEN /
        // _BASE_URL; configuration errors name the settings as Python users write them.
        let mut b = ClientBuilder::from_env()
            .frontend(Frontend::Python)
            .user_agent_suffix(USER_AGENT_SUFFIX);
        if let Some(u) = username {
            b = b.username(u);
        }
        if let Some(p) = password {
            b = b.password(p);
        }
        if let Some(s) = totp_secret {
            b = b.totp_secret(s);
        }
        if let Some(t) = access_token {
            b = b.access_token(t);
        }
        if let Some(u) = base_url {
            b = b.base_url(u);
        }
        if let Some(k) = api_key {
            // Only recorded: `build` then fails with the core's message saying what to pass.
            #[allow(deprecated)]
            {
                b = b.api_key(k);
            }
        }
        let invalid = |e: ValidationError| validation(py, e);
        if let Some(t) = timeout {
            b = b.timeout(seconds("timeout", t).map_err(invalid)?);
        }
        if let Some(t) = attempt_timeout {
            b = b.attempt_timeout(seconds("attempt_timeout", t).map_err(invalid)?);
        }
        if let Some(t) = connect_timeout {
            b = b.connect_timeout(seconds("connect_timeout", t).map_err(invalid)?);
        }
        if let Some(r) = max_retries {
            b = b.max_retries(retries("max_retries", r).map_err(invalid)?);
        }
        if let Some(n) = max_response_bytes {
            b = b.max_response_bytes(byte_limit("max_response_bytes", n).map_err(invalid)?);
        }
        if let Some(p) = proxy {
            b = b.proxy(p);
        }
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
            builder: b,
            replaced: Mutex::new(None),
            live: Mutex::new(Live {
                generation: runtime::generation(),
                blocking: Some(client),
                nonblocking: None,
            }),
        })
    }

    /// Runs operation `op` (`"accounts.get"`) with `args` (and its positional argument, when
    /// the caller passed one), blocking with the GIL released.
    #[pyo3(signature = (op, args, timeout=None, max_retries=None, attempt_timeout=None, max_response_bytes=None, positional=None))]
    #[allow(clippy::too_many_arguments)]
    fn call(
        slf: &Bound<'_, Self>,
        op: &str,
        args: &Bound<'_, PyDict>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        attempt_timeout: Option<f64>,
        max_response_bytes: Option<i64>,
        positional: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let overrides = (timeout, max_retries, attempt_timeout, max_response_bytes);
        let (call, client, opts) = slf
            .get()
            .prepare(py, op, args, overrides, positional, false)?;
        let ctx = PageCtx {
            owner: slf.clone().unbind(),
            opts,
            is_async: false,
        };
        runtime::block_on(py, dispatch::run(call, client, ctx))?(py)
    }

    /// Runs operation `op` on the runtime; an `asyncio.Future` of the running loop.
    #[pyo3(signature = (op, args, timeout=None, max_retries=None, attempt_timeout=None, max_response_bytes=None, positional=None))]
    #[allow(clippy::too_many_arguments)]
    fn call_async<'py>(
        slf: &Bound<'py, Self>,
        op: &str,
        args: &Bound<'py, PyDict>,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        attempt_timeout: Option<f64>,
        max_response_bytes: Option<i64>,
        positional: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let overrides = (timeout, max_retries, attempt_timeout, max_response_bytes);
        let (call, client, opts) = slf
            .get()
            .prepare(py, op, args, overrides, positional, true)?;
        let ctx = PageCtx {
            owner: slf.clone().unbind(),
            opts,
            is_async: true,
        };
        aio::spawn(py, dispatch::run(call, client, ctx))
    }

    /// Any endpoint (`method`, `path` under the base URL, `query` pairs, a JSON `body`), with
    /// the typed calls' authentication, retries and envelope decoding; blocking, GIL released.
    #[pyo3(signature = (method, path, query=None, body=None, timeout=None, max_retries=None, attempt_timeout=None, max_response_bytes=None))]
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
        attempt_timeout: Option<f64>,
        max_response_bytes: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        let overrides = (timeout, max_retries, attempt_timeout, max_response_bytes);
        let (raw, client) =
            self.prepare_request(py, method, path, query, body, overrides, false)?;
        runtime::block_on(py, raw.run(client))?(py)
    }

    /// `request` on the runtime; an `asyncio.Future` of the running loop.
    #[pyo3(signature = (method, path, query=None, body=None, timeout=None, max_retries=None, attempt_timeout=None, max_response_bytes=None))]
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
        attempt_timeout: Option<f64>,
        max_response_bytes: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let overrides = (timeout, max_retries, attempt_timeout, max_response_bytes);
        let (raw, client) = self.prepare_request(py, method, path, query, body, overrides, true)?;
        aio::spawn(py, raw.run(client))
    }

    /// `client.recovery.find_withdrawals` (recovery.rs): blocking with the GIL released, or an
    /// `asyncio.Future` when `is_async`.
    #[pyo3(signature = (accounts_id, amount, started_at, is_async, timeout=None, max_retries=None, attempt_timeout=None, max_response_bytes=None))]
    #[allow(clippy::too_many_arguments)]
    fn find_withdrawals(
        slf: &Bound<'_, Self>,
        accounts_id: &Bound<'_, PyAny>,
        amount: &Bound<'_, PyAny>,
        started_at: &Bound<'_, PyAny>,
        is_async: bool,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        attempt_timeout: Option<f64>,
        max_response_bytes: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        let overrides = (timeout, max_retries, attempt_timeout, max_response_bytes);
        recovery::withdrawals(slf, accounts_id, amount, started_at, overrides, is_async)
    }

    /// `client.recovery.find_exchanges` (recovery.rs), blocking or (`is_async`) a Future.
    #[pyo3(signature = (customers_id, asset_pair, exchange_type, price, amount, after_id, is_async, timeout=None, max_retries=None, attempt_timeout=None, max_response_bytes=None))]
    #[allow(clippy::too_many_arguments)]
    fn find_exchanges(
        slf: &Bound<'_, Self>,
        customers_id: &Bound<'_, PyAny>,
        asset_pair: &Bound<'_, PyAny>,
        exchange_type: &Bound<'_, PyAny>,
        price: Option<&Bound<'_, PyAny>>,
        amount: Option<&Bound<'_, PyAny>>,
        after_id: Option<&Bound<'_, PyAny>>,
        is_async: bool,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        attempt_timeout: Option<f64>,
        max_response_bytes: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        let args = (
            customers_id,
            asset_pair,
            exchange_type,
            price,
            amount,
            after_id,
        );
        let overrides = (timeout, max_retries, attempt_timeout, max_response_bytes);
        recovery::exchanges(slf, args, overrides, is_async)
    }

    /// `client.recovery.latest_exchange_id` (recovery.rs), blocking or (`is_async`) a Future.
    #[pyo3(signature = (customers_id, is_async, timeout=None, max_retries=None, attempt_timeout=None, max_response_bytes=None))]
    fn latest_exchange_id(
        slf: &Bound<'_, Self>,
        customers_id: &Bound<'_, PyAny>,
        is_async: bool,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        attempt_timeout: Option<f64>,
        max_response_bytes: Option<i64>,
    ) -> PyResult<Py<PyAny>> {
        let overrides = (timeout, max_retries, attempt_timeout, max_response_bytes);
        recovery::latest_exchange(slf, customers_id, overrides, is_async)
    }

    /// Logs in now (blocking, GIL released) and returns the new session's `SessionInfo`.
    fn login(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        logbridge::refresh(py)?;
        let client = self.live(py, false)?;
        let done = runtime::block_on(py, async move { login_done(client.login().await) })?;
        done(py)
    }

    /// `login` on the runtime; an `asyncio.Future` of the running loop.
    fn login_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        logbridge::refresh(py)?;
        let client = self.live(py, true)?;
        aio::spawn(py, async move { login_done(client.login().await) })
    }

    /// The current session (`SessionInfo`), or `None` before the first login; no request.
    fn session_info(&self, py: Python<'_>) -> PyResult<Option<Py<PySessionInfo>>> {
        match self.live(py, false)?.session_info() {
            Some(info) => Ok(Some(Py::new(py, PySessionInfo::new(info))?)),
            None => Ok(None),
        }
    }

    /// New username and password for the next login (also after a refused one).
    fn set_credentials(&self, py: Python<'_>, username: String, password: String) -> PyResult<()> {
        let password = Secret::new(password);
        self.live(py, false)?
            .set_credentials(username.clone(), password.clone());
        *self.replaced.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(Credentials::Password { username, password });
        Ok(())
    }

    /// A bearer token obtained elsewhere, used from the next call on.
    fn set_access_token(&self, py: Python<'_>, token: String) -> PyResult<()> {
        let token = Secret::new(token);
        self.live(py, false)?
            .set_access_token(token.clone())
            .map_err(|e| to_pyerr(py, e))?;
        *self.replaced.lock().unwrap_or_else(PoisonError::into_inner) =
            Some(Credentials::AccessToken(token));
        Ok(())
    }

    // The settings as the core client has them (defaults included), not a copy kept here.

    #[getter]
    fn base_url(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.live(py, false)?.base_url().to_string())
    }

    #[getter]
    fn user_agent(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.live(py, false)?.user_agent().to_string())
    }

    #[getter]
    fn timeout(&self, py: Python<'_>) -> PyResult<f64> {
        Ok(self.live(py, false)?.timeout().as_secs_f64())
    }

    #[getter]
    fn attempt_timeout(&self, py: Python<'_>) -> PyResult<Option<f64>> {
        Ok(self
            .live(py, false)?
            .attempt_timeout()
            .map(|d| d.as_secs_f64()))
    }

    #[getter]
    fn max_retries(&self, py: Python<'_>) -> PyResult<u32> {
        Ok(self.live(py, false)?.max_retries())
    }

    #[getter]
    fn max_response_bytes(&self, py: Python<'_>) -> PyResult<u64> {
        Ok(self.live(py, false)?.max_response_bytes())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let client = self.live(py, false)?;
        Ok(format!(
            "_CoreClient(base_url={:?}, timeout={}, max_retries={})",
            client.base_url(),
            client.timeout().as_secs_f64(),
            client.max_retries()
        ))
    }
}

fn login_done(result: ibanera::Result<SessionInfo>) -> Done {
    match result {
        Ok(info) => {
            Box::new(move |py: Python<'_>| Ok(Py::new(py, PySessionInfo::new(info))?.into_any()))
        }
        Err(e) => Box::new(move |py: Python<'_>| Err(to_pyerr(py, e))),
    }
}

/// What a login gave: when the session expires and the login's id; never the token.
#[pyclass(frozen, eq, module = "ibanera", name = "SessionInfo")]
#[derive(PartialEq)]
pub struct PySessionInfo {
    inner: SessionInfo,
}

impl PySessionInfo {
    fn new(inner: SessionInfo) -> Self {
        PySessionInfo { inner }
    }
}

#[pymethods]
impl PySessionInfo {
    /// When the session's token expires (aware, UTC), if the server said.
    #[getter]
    fn expires_at(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.inner.expires_at.to_py(py)
    }

    /// The token's lifetime as the server gave it, if it did.
    #[getter]
    fn expires_in(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self.inner.expires_in {
            Some(d) => Ok(d.into_pyobject(py)?.into_any().unbind()),
            None => Ok(py.None()),
        }
    }

    /// The login response's `id` (the authenticated user), if it had one.
    #[getter]
    fn login_id(&self) -> Option<i64> {
        self.inner.login_id
    }

    /// `{"expires_at", "expires_in", "login_id"}`.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        let d = PyDict::new(py);
        d.set_item("expires_at", self.expires_at(py)?)?;
        d.set_item("expires_in", self.expires_in(py)?)?;
        d.set_item("login_id", self.login_id())?;
        Ok(d.unbind())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "SessionInfo(expires_at={}, expires_in={}, login_id={})",
            self.expires_at(py)?.bind(py).repr()?,
            self.expires_in(py)?.bind(py).repr()?,
            self.login_id()
                .map_or_else(|| "None".to_string(), |i| i.to_string())
        ))
    }
}
