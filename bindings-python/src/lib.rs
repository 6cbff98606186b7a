//! The native module `ibanera._ibanera` of the Python package `ibanera`: the core's client,
//! models, pages, TOTP and the embedded sandbox. The pure-Python part of the package
//! (`python/ibanera`) builds the public classes on top of it.

mod aio;
mod args;
mod arrow;
mod client;
mod convert;
mod dispatch;
mod errors;
mod logbridge;
mod models;
mod models_support;
mod page;
mod raw;
mod recovery;
mod runtime;
mod sandbox;
mod totp;
mod webhook_models;
mod webhooks;

use pyo3::prelude::*;

/// The Ibanera SDK's native core.
#[pymodule]
fn _ibanera(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    runtime::install_fork_handler();
    runtime::record_main_thread(py)?;
    runtime::install_exit_hook(py)?;
    logbridge::install(py)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CORE_USER_AGENT", ibanera::USER_AGENT)?;
    m.add("USER_AGENT_SUFFIX", client::USER_AGENT_SUFFIX)?;
    m.add("RustError", py.get_type::<errors::RustError>())?;
    m.add_class::<client::CoreClient>()?;
    m.add_class::<client::PySessionInfo>()?;
    m.add_class::<page::SyncPage>()?;
    m.add_class::<page::AsyncPage>()?;
    m.add_class::<arrow::ArrowStream>()?;
    m.add_class::<totp::PyTotp>()?;
    m.add_class::<sandbox::PySandbox>()?;
    models::register(m)?;
    m.add("MODEL_NAMES", models::NAMES.to_vec())?;
    let paths = pyo3::types::PyDict::new(py);
    for op in ibanera::ops::OPERATIONS {
        paths.set_item(op.name, op.endpoint.path.as_ref())?;
    }
    m.add("OPERATION_PATHS", paths)?;
    webhooks::register(m)?;
    Ok(())
}
