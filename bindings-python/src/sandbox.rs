//! `_Sandbox`: the embedded `ibanera-sandbox` server, started in-process on the shared runtime,
//! with its control calls (`ibanera.Sandbox` wraps it).

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use ibanera::ValidationError;
use ibanera::ops::read_money;
use ibanera_sandbox::{Control, Fault, Sandbox, SandboxConfig, SandboxError, parse_seconds};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::args::{self, ArgError};
use crate::convert::{decimal, enum_value};
use crate::errors::validation;
use crate::runtime;

fn sandbox_error(py: Python<'_>, e: SandboxError) -> PyErr {
    let class = match py
        .import("ibanera._errors")
        .and_then(|m| m.getattr("SandboxError"))
    {
        Ok(c) => c,
        Err(e) => return e,
    };
    let kwargs = PyDict::new(py);
    let built = kwargs
        .set_item("code", "sandbox_error")
        .and_then(|_| class.call((e.to_string(),), Some(&kwargs)));
    match built {
        Ok(v) => PyErr::from_value(v),
        Err(e) => e,
    }
}

/// The embedded sandbox server (not for direct use: see `ibanera.Sandbox`).
#[pyclass(frozen, module = "ibanera._ibanera", name = "_Sandbox")]
pub struct PySandbox {
    server: Mutex<Option<Sandbox>>,
    control: Control,
    base_url: String,
    username: String,
    password: String,
    totp_secret: String,
    env_lines: String,
    /// The hash secret of the receiver given as `webhook_url`, if any.
    webhook_secret: Option<String>,
    generation: u64,
}

fn money_arg(
    py: Python<'_>,
    field: &'static str,
    v: &Bound<'_, PyAny>,
) -> PyResult<ibanera::Decimal> {
    let json = match args::to_json(field, v) {
        Ok(j) => j,
        Err(ArgError::Py(e)) => return Err(e),
        Err(ArgError::Invalid(e)) => return Err(validation(py, e)),
    };
    read_money(field, &json).map_err(|e| validation(py, e))
}

/// A number of seconds (`int`, `float` by its shortest repr, `Decimal`, decimal `str`), read
/// exactly by the sandbox's own parser.
fn seconds_arg(py: Python<'_>, field: &'static str, v: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let text = match args::to_json(field, v) {
        Ok(Value::Number(n)) => n.to_string(),
        Ok(Value::String(s)) => s,
        Ok(_) => {
            return Err(validation(
                py,
                ValidationError::new(field, "must be a number of seconds"),
            ));
        }
        Err(ArgError::Py(e)) => return Err(e),
        Err(ArgError::Invalid(e)) => return Err(validation(py, e)),
    };
    parse_seconds(text.trim()).map_err(|_| {
        validation(
            py,
            ValidationError::new(
                field,
                "must be a number of seconds greater than 0 (at most 9 decimal places)",
            ),
        )
    })
}

/// Registers a receiver with a fresh secret, or with `secret`: `(id, secret)`.
fn register(
    control: &Control,
    url: &str,
    secret: Option<&str>,
) -> Result<(i64, String), SandboxError> {
    match secret {
        None => control.register_webhook(url),
        Some(s) => control
            .register_webhook_with_secret(url, s)
            .map(|id| (id, s.to_string())),
    }
}

impl Drop for PySandbox {
    fn drop(&mut self) {
        if self.generation != runtime::generation() {
            // Inherited through fork(): the server runs in the parent; leave its state alone.
            if let Some(s) = self
                .server
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
            {
                std::mem::forget(s);
            }
        }
    }
}

#[pymethods]
impl PySandbox {
    #[new]
    #[pyo3(signature = (
        *, port=0, username=None, password=None, totp_secret=None, token_ttl=None,
        idle_timeout=None, strict_otp=false, webhook_url=None, webhook_secret=None,
        webhook_retry_base=None, webhook_max_attempts=None, webhook_timeout=None,
        hold_withdrawals=false
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        port: u16,
        username: Option<String>,
        password: Option<String>,
        totp_secret: Option<String>,
        token_ttl: Option<&Bound<'_, PyAny>>,
        idle_timeout: Option<&Bound<'_, PyAny>>,
        strict_otp: bool,
        webhook_url: Option<String>,
        webhook_secret: Option<String>,
        webhook_retry_base: Option<&Bound<'_, PyAny>>,
        webhook_max_attempts: Option<u32>,
        webhook_timeout: Option<&Bound<'_, PyAny>>,
        hold_withdrawals: bool,
    ) -> PyResult<Self> {
        let optional_seconds = |field: &'static str, v: Option<&Bound<'_, PyAny>>| {
            v.filter(|v| !v.is_none())
                .map(|v| seconds_arg(py, field, v))
                .transpose()
        };
        let webhook_retry_base = optional_seconds("webhook_retry_base", webhook_retry_base)?;
        let webhook_timeout = optional_seconds("webhook_timeout", webhook_timeout)?;
        let token_ttl = token_ttl
            .filter(|v| !v.is_none())
            .map(|v| seconds_arg(py, "token_ttl", v))
            .transpose()?;
        let idle_timeout = idle_timeout
            .filter(|v| !v.is_none())
            .map(|v| seconds_arg(py, "idle_timeout", v))
            .transpose()?;
        let rt = runtime::runtime()?;
        // Every field is set today; the update keeps settings the sandbox adds later at their
        // defaults instead of breaking this build.
        #[allow(clippy::needless_update)]
        let config = SandboxConfig {
            port,
            username,
            password,
            totp_secret,
            token_ttl,
            idle_timeout,
            strict_otp,
            webhook_retry_base,
            webhook_max_attempts,
            webhook_timeout,
            hold_withdrawals,
            ..SandboxConfig::default()
        };
        let sandbox = py
            .detach(|| rt.block_on(Sandbox::start_with(config)))
            .map_err(|e| sandbox_error(py, e))?;
        let control = sandbox.control().clone();
        let webhook_secret = match webhook_url {
            None => None,
            Some(url) => Some(
                register(&control, &url, webhook_secret.as_deref())
                    .map_err(|e| sandbox_error(py, e))?
                    .1,
            ),
        };
        Ok(PySandbox {
            webhook_secret,
            control,
            base_url: sandbox.base_url().to_string(),
            username: sandbox.username().to_string(),
            password: sandbox.password().to_string(),
            totp_secret: sandbox.totp_secret().to_string(),
            env_lines: sandbox.env_lines(),
            server: Mutex::new(Some(sandbox)),
            generation: runtime::generation(),
        })
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn username(&self) -> &str {
        &self.username
    }

    #[getter]
    fn password(&self) -> &str {
        &self.password
    }

    #[getter]
    fn totp_secret(&self) -> &str {
        &self.totp_secret
    }

    /// The `export IBANERA_...=` lines for a shell.
    fn env_lines(&self) -> &str {
        &self.env_lines
    }

    #[getter]
    fn running(&self) -> bool {
        self.server
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// Stops the server and waits for it (idempotent).
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let server = self
            .server
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(server) = server {
            if self.generation != runtime::generation() {
                std::mem::forget(server);
                return Ok(());
            }
            let rt = runtime::runtime()?;
            py.detach(|| rt.block_on(server.shutdown()));
        }
        Ok(())
    }

    fn approve(&self, py: Python<'_>, exchange_id: i64) -> PyResult<Py<PyAny>> {
        let s = self
            .control
            .approve(exchange_id)
            .map_err(|e| sandbox_error(py, e))?;
        enum_value(py, "ExchangeStatus", s.as_str())
    }

    fn reject(&self, py: Python<'_>, exchange_id: i64) -> PyResult<Py<PyAny>> {
        let s = self
            .control
            .reject(exchange_id)
            .map_err(|e| sandbox_error(py, e))?;
        enum_value(py, "ExchangeStatus", s.as_str())
    }

    fn complete(&self, py: Python<'_>, exchange_id: i64) -> PyResult<Py<PyAny>> {
        let s = self
            .control
            .complete(exchange_id)
            .map_err(|e| sandbox_error(py, e))?;
        enum_value(py, "ExchangeStatus", s.as_str())
    }

    fn fail(&self, py: Python<'_>, exchange_id: i64) -> PyResult<Py<PyAny>> {
        let s = self
            .control
            .fail(exchange_id)
            .map_err(|e| sandbox_error(py, e))?;
        enum_value(py, "ExchangeStatus", s.as_str())
    }

    fn set_price(
        &self,
        py: Python<'_>,
        asset_pair: &str,
        price: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let price = money_arg(py, "price", price)?;
        self.control
            .set_price(asset_pair, price)
            .map_err(|e| sandbox_error(py, e))
    }

    fn price(&self, py: Python<'_>, asset_pair: &str) -> PyResult<Py<PyAny>> {
        let p = self
            .control
            .price(asset_pair)
            .map_err(|e| sandbox_error(py, e))?;
        decimal(py, &p)
    }

    fn credit_deposit(
        &self,
        py: Python<'_>,
        accounts_id: i64,
        amount: &Bound<'_, PyAny>,
    ) -> PyResult<i64> {
        let amount = money_arg(py, "amount", amount)?;
        self.control
            .credit_deposit(accounts_id, amount)
            .map_err(|e| sandbox_error(py, e))
    }

    fn seed_transactions(&self, py: Python<'_>, accounts_id: i64, count: u64) -> PyResult<()> {
        let control = self.control.clone();
        py.detach(move || control.seed_transactions(accounts_id, count))
            .map_err(|e| sandbox_error(py, e))
    }

    fn reset(&self, py: Python<'_>) {
        let control = self.control.clone();
        py.detach(move || control.reset());
    }

    fn executions(&self) -> BTreeMap<String, u64> {
        self.control.executions()
    }

    /// `fault` in the sandbox's JSON form (`{"kind": "status", "status": 503, ...}`).
    fn inject_fault(
        &self,
        py: Python<'_>,
        path: &str,
        fault: &Bound<'_, PyDict>,
        count: u32,
    ) -> PyResult<()> {
        let json = match crate::raw::body_json("fault", fault.as_any()) {
            Ok(j) => j,
            Err(ArgError::Py(e)) => return Err(e),
            Err(ArgError::Invalid(e)) => return Err(validation(py, e)),
        };
        let fault = Fault::from_json(&json).map_err(|e| sandbox_error(py, e))?;
        self.control
            .inject_fault(path, fault, count)
            .map_err(|e| sandbox_error(py, e))
    }

    /// The hash secret of the receiver registered with `webhook_url`.
    #[getter]
    fn webhook_secret(&self) -> Option<&str> {
        self.webhook_secret.as_deref()
    }

    /// Registers a callback receiver; `(receiver id, hash secret)`.
    #[pyo3(signature = (url, secret=None))]
    fn register_webhook(
        &self,
        py: Python<'_>,
        url: &str,
        secret: Option<&str>,
    ) -> PyResult<(i64, String)> {
        register(&self.control, url, secret).map_err(|e| sandbox_error(py, e))
    }

    fn remove_webhook(&self, py: Python<'_>, receiver_id: i64) -> PyResult<()> {
        self.control
            .remove_webhook(receiver_id)
            .map_err(|e| sandbox_error(py, e))
    }

    fn clear_webhooks(&self) -> usize {
        self.control.clear_webhooks()
    }

    /// `(id, url, pending)` of every receiver (never the secrets).
    fn webhooks(&self) -> Vec<(i64, String, usize)> {
        self.control
            .webhooks()
            .into_iter()
            .map(|r| (r.id, r.url, r.pending))
            .collect()
    }

    /// Every delivery attempt: `(event_id, type, receiver_id, url, attempt, status, error, at,
    /// acknowledged)`.
    fn deliveries(&self, py: Python<'_>) -> PyResult<Vec<Py<PyAny>>> {
        self.control
            .deliveries()
            .into_iter()
            .map(|d| {
                let at = crate::convert::datetime(py, &d.at)?;
                Ok((
                    d.event_id,
                    d.event_type,
                    d.receiver_id,
                    d.url,
                    d.attempt,
                    d.status,
                    d.error,
                    at,
                    d.acknowledged,
                )
                    .into_pyobject(py)?
                    .into_any()
                    .unbind())
            })
            .collect()
    }

    fn clear_deliveries(&self) {
        self.control.clear_deliveries();
    }

    fn pending_deliveries(&self) -> usize {
        self.control.pending_deliveries()
    }

    /// Waits (GIL released) until every queued event is acknowledged or given up.
    fn wait_for_deliveries(&self, py: Python<'_>, timeout: &Bound<'_, PyAny>) -> PyResult<bool> {
        let timeout = seconds_arg(py, "timeout", timeout)?;
        let rt = runtime::runtime()?;
        let control = self.control.clone();
        Ok(py.detach(move || rt.block_on(control.wait_for_deliveries(timeout))))
    }

    /// Sends a callback of `event_type` now; `{"id", "type", "data"}` of what was sent.
    #[pyo3(signature = (event_type, data=None, id=None))]
    fn trigger_webhook(
        &self,
        py: Python<'_>,
        event_type: &str,
        data: Option<&Bound<'_, PyAny>>,
        id: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let data = match data.filter(|d| !d.is_none()) {
            None => None,
            Some(d) => match crate::raw::body_json("data", d) {
                Ok(v) => Some(v),
                Err(ArgError::Py(e)) => return Err(e),
                Err(ArgError::Invalid(e)) => return Err(validation(py, e)),
            },
        };
        let event = self
            .control
            .trigger_webhook_with_id(event_type, data.as_ref(), id)
            .map_err(|e| sandbox_error(py, e))?;
        crate::convert::json_to_py(py, &event.to_json())
    }

    fn set_webhook_retry_base(&self, py: Python<'_>, seconds: &Bound<'_, PyAny>) -> PyResult<()> {
        let base = seconds_arg(py, "seconds", seconds)?;
        self.control
            .set_webhook_retry_base(base)
            .map_err(|e| sandbox_error(py, e))
    }

    fn set_webhook_max_attempts(&self, py: Python<'_>, attempts: u32) -> PyResult<()> {
        self.control
            .set_webhook_max_attempts(attempts)
            .map_err(|e| sandbox_error(py, e))
    }

    fn set_webhook_timeout(&self, py: Python<'_>, seconds: &Bound<'_, PyAny>) -> PyResult<()> {
        let timeout = seconds_arg(py, "seconds", seconds)?;
        self.control
            .set_webhook_timeout(timeout)
            .map_err(|e| sandbox_error(py, e))
    }

    fn set_hold_withdrawals(&self, hold: bool) {
        self.control.set_hold_withdrawals(hold);
    }

    #[getter]
    fn hold_withdrawals(&self) -> bool {
        self.control.hold_withdrawals()
    }

    fn settle_transaction(&self, py: Python<'_>, transactions_id: i64) -> PyResult<()> {
        self.control
            .settle_transaction(transactions_id)
            .map_err(|e| sandbox_error(py, e))
    }

    fn fail_transaction(&self, py: Python<'_>, transactions_id: i64) -> PyResult<()> {
        self.control
            .fail_transaction(transactions_id)
            .map_err(|e| sandbox_error(py, e))
    }

    fn pending_transactions(&self) -> Vec<i64> {
        self.control.pending_transactions()
    }

    #[pyo3(signature = (customers_id, transactions_id=None))]
    fn open_information_request(
        &self,
        py: Python<'_>,
        customers_id: i64,
        transactions_id: Option<i64>,
    ) -> PyResult<i64> {
        self.control
            .open_information_request(customers_id, transactions_id)
            .map_err(|e| sandbox_error(py, e))
    }

    fn resolve_information_request(
        &self,
        py: Python<'_>,
        information_request_id: i64,
        status: &str,
    ) -> PyResult<()> {
        self.control
            .resolve_information_request(information_request_id, status)
            .map_err(|e| sandbox_error(py, e))
    }

    fn activate_card(&self, py: Python<'_>, card_id: i64) -> PyResult<()> {
        self.control
            .activate_card(card_id)
            .map_err(|e| sandbox_error(py, e))
    }

    fn deactivate_card(&self, py: Python<'_>, card_id: i64) -> PyResult<()> {
        self.control
            .deactivate_card(card_id)
            .map_err(|e| sandbox_error(py, e))
    }

    fn card_fees_collected(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        decimal(py, &self.control.card_fees_collected())
    }

    fn clear_faults(&self) {
        self.control.clear_faults();
    }

    fn set_strict_otp(&self, strict: bool) {
        self.control.set_strict_otp(strict);
    }

    fn set_token_ttl(&self, py: Python<'_>, seconds: &Bound<'_, PyAny>) -> PyResult<()> {
        let ttl = seconds_arg(py, "seconds", seconds)?;
        self.control
            .set_token_ttl(ttl)
            .map_err(|e| sandbox_error(py, e))
    }

    #[getter]
    fn token_ttl(&self) -> f64 {
        self.control.token_ttl().as_secs_f64()
    }

    fn set_idle_timeout(&self, py: Python<'_>, seconds: &Bound<'_, PyAny>) -> PyResult<()> {
        let timeout = seconds_arg(py, "seconds", seconds)?;
        self.control
            .set_idle_timeout(timeout)
            .map_err(|e| sandbox_error(py, e))
    }

    #[getter]
    fn idle_timeout(&self) -> f64 {
        self.control.idle_timeout().as_secs_f64()
    }

    fn revoke_tokens(&self) {
        self.control.revoke_tokens();
    }

    fn unlock(&self) {
        self.control.unlock();
    }

    /// `(logins_succeeded, logins_failed, active_tokens, locked_users)`.
    fn auth_stats(&self) -> (u64, u64, u64, Vec<String>) {
        let s = self.control.auth_stats();
        (
            s.logins_succeeded,
            s.logins_failed,
            s.active_tokens,
            s.locked_users,
        )
    }

    #[getter]
    fn strict_otp(&self) -> bool {
        self.control.strict_otp()
    }

    fn __repr__(&self) -> String {
        format!("_Sandbox(base_url={:?})", self.base_url)
    }
}
