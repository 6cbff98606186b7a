//! The core logs with the `log` crate (target `ibanera`); this forwards those records to the
//! Python logger `ibanera`. The logger's level is read at the start of every call (while the
//! GIL is held anyway), so a disabled level costs one atomic load in Rust and never takes the
//! GIL. Only the core's own records are forwarded: they name method, path, status, attempt and
//! elapsed time, never a secret.

use std::sync::atomic::{AtomicUsize, Ordering};

use log::{Level, LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

/// The most verbose `log::Level` (as usize) the Python logger accepts; 0 = none.
static MAX_LEVEL: AtomicUsize = AtomicUsize::new(0);
static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

struct Bridge;

impl Log for Bridge {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        m.target().starts_with("ibanera")
            && (m.level() as usize) <= MAX_LEVEL.load(Ordering::Relaxed)
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let message = record.args().to_string();
        let level = record.level();
        let _ = crate::runtime::attach_from_worker(|py| {
            if let Err(e) = emit(py, level, &message) {
                e.write_unraisable(py, None);
            }
        });
    }

    fn flush(&self) {}
}

static BRIDGE: Bridge = Bridge;

/// Installs the bridge as this module's `log` logger (each extension has its own `log`).
pub fn install(py: Python<'_>) -> PyResult<()> {
    let _ = log::set_logger(&BRIDGE);
    log::set_max_level(LevelFilter::Trace);
    refresh(py)
}

fn logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    LOGGER
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("logging")?
                    .call_method1("getLogger", ("ibanera",))?
                    .unbind(),
            )
        })
        .map(|l| l.bind(py))
}

/// Reads the Python logger's effective level (called at the start of every API call).
pub fn refresh(py: Python<'_>) -> PyResult<()> {
    let logger = logger(py)?;
    let disabled: bool = logger.getattr(pyo3::intern!(py, "disabled"))?.extract()?;
    let level: i64 = logger
        .call_method0(pyo3::intern!(py, "getEffectiveLevel"))?
        .extract()?;
    let floor: i64 = logger
        .getattr(pyo3::intern!(py, "manager"))?
        .getattr(pyo3::intern!(py, "disable"))?
        .extract()?;
    let threshold = level.max(floor + 1);
    let max = if disabled {
        0
    } else if threshold <= 5 {
        Level::Trace as usize
    } else if threshold <= 10 {
        Level::Debug as usize
    } else if threshold <= 20 {
        Level::Info as usize
    } else if threshold <= 30 {
        Level::Warn as usize
    } else if threshold <= 40 {
        Level::Error as usize
    } else {
        0
    };
    MAX_LEVEL.store(max, Ordering::Relaxed);
    Ok(())
}

fn python_level(level: Level) -> i64 {
    match level {
        Level::Error => 40,
        Level::Warn => 30,
        Level::Info => 20,
        Level::Debug => 10,
        Level::Trace => 5,
    }
}

/// `"GET /api/v1/x -> 200 (attempt 1, 3.2 ms)"` -> the structured fields, when it has that form.
fn fields(message: &str) -> Option<(&str, &str, u16, u32, f64)> {
    let (request, rest) = message.split_once(" -> ")?;
    let (method, path) = request.split_once(' ')?;
    let (status, rest) = rest.split_once(" (attempt ")?;
    let (attempt, rest) = rest.split_once(", ")?;
    let elapsed = rest.strip_suffix(" ms)")?;
    Some((
        method,
        path,
        status.trim().parse().ok()?,
        attempt.trim().parse().ok()?,
        elapsed.trim().parse().ok()?,
    ))
}

fn emit(py: Python<'_>, level: Level, message: &str) -> PyResult<()> {
    let logger = logger(py)?;
    let extra = PyDict::new(py);
    if let Some((method, path, status, attempt, elapsed)) = fields(message) {
        extra.set_item("http_method", method)?;
        extra.set_item("http_path", path)?;
        extra.set_item("http_status", status)?;
        extra.set_item("attempt", attempt)?;
        extra.set_item("elapsed_ms", elapsed)?;
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("extra", extra)?;
    // The message is passed as an argument of "%s": a `%` in it is never interpreted.
    logger.call_method("log", (python_level(level), "%s", message), Some(&kwargs))?;
    Ok(())
}
