//! `_Sandbox`: the embedded `ibanera-sandbox` server, started in-process on the shared runtime,
//! with its control calls (`ibanera.Sandbox` wraps it).

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use ibanera::ops::read_money;
use ibanera_sandbox::{Control, Fault, Sandbox, SandboxConfig, SandboxError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

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
    api_key: String,
    totp_secret: String,
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
    #[pyo3(signature = (*, port=0, api_key=None, totp_secret=None, strict_otp=false))]
    fn new(
        py: Python<'_>,
        port: u16,
        api_key: Option<String>,
        totp_secret: Option<String>,
        strict_otp: bool,
    ) -> PyResult<Self> {
        let rt = runtime::runtime()?;
        let config = SandboxConfig {
            port,
            api_key,
            totp_secret,
            strict_otp,
        };
        let sandbox = py
            .detach(|| rt.block_on(Sandbox::start_with(config)))
            .map_err(|e| sandbox_error(py, e))?;
        Ok(PySandbox {
            control: sandbox.control().clone(),
            base_url: sandbox.base_url().to_string(),
            api_key: sandbox.api_key().to_string(),
            totp_secret: sandbox.totp_secret().to_string(),
            server: Mutex::new(Some(sandbox)),
            generation: runtime::generation(),
        })
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn api_key(&self) -> &str {
        &self.api_key
    }

    #[getter]
    fn totp_secret(&self) -> &str {
        &self.totp_secret
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
        let json = match args::to_json_object(fault) {
            Ok(j) => j,
            Err(ArgError::Py(e)) => return Err(e),
            Err(ArgError::Invalid(e)) => return Err(validation(py, e)),
        };
        let fault = Fault::from_json(&json).map_err(|e| sandbox_error(py, e))?;
        self.control
            .inject_fault(path, fault, count)
            .map_err(|e| sandbox_error(py, e))
    }

    fn clear_faults(&self) {
        self.control.clear_faults();
    }

    fn set_strict_otp(&self, strict: bool) {
        self.control.set_strict_otp(strict);
    }

    #[getter]
    fn strict_otp(&self) -> bool {
        self.control.strict_otp()
    }

    fn __repr__(&self) -> String {
        format!("_Sandbox(base_url={:?})", self.base_url)
    }
}
