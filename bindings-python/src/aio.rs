//! Awaitables for asyncio without a second event loop: the work runs on the process's Tokio
//! runtime, and its result is handed to the caller's loop with `call_soon_threadsafe`, which
//! resolves an `asyncio.Future` created on that loop. Cancelling the future aborts the task.
//! (Written here rather than taken from pyo3-async-runtimes so that the runtime can be
//! created again in a child after `fork()`.)

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tokio::task::AbortHandle;

use crate::runtime;

/// A finished call, turned into its Python result (or exception) once the GIL is held.
pub type Done = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static RESOLVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Sets the outcome on the loop's thread, unless the future was cancelled meanwhile.
#[pyfunction]
fn _resolve_future(future: &Bound<'_, PyAny>, ok: bool, value: &Bound<'_, PyAny>) -> PyResult<()> {
    if future
        .call_method0(pyo3::intern!(future.py(), "done"))?
        .is_truthy()?
    {
        return Ok(());
    }
    if ok {
        future.call_method1(pyo3::intern!(future.py(), "set_result"), (value,))?;
    } else {
        future.call_method1(pyo3::intern!(future.py(), "set_exception"), (value,))?;
    }
    Ok(())
}

/// The done-callback of a call's future: a cancelled future aborts the call.
#[pyclass(frozen, module = "ibanera._ibanera")]
struct CancelOnDone {
    handle: AbortHandle,
}

#[pymethods]
impl CancelOnDone {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future
            .call_method0(pyo3::intern!(future.py(), "cancelled"))?
            .is_truthy()?
        {
            self.handle.abort();
        }
        Ok(())
    }
}

/// Runs `work` on the runtime and returns an `asyncio.Future` of the running loop for it.
pub fn spawn<'py, F>(py: Python<'py>, work: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Done> + Send + 'static,
{
    let get_loop = GET_RUNNING_LOOP.import(py, "asyncio", "get_running_loop")?;
    let event_loop = get_loop.call0()?;
    let future = event_loop.call_method0(pyo3::intern!(py, "create_future"))?;
    let resolve = RESOLVE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(wrap_pyfunction!(_resolve_future, py)?.into_any().unbind())
        })?
        .clone_ref(py);
    let rt = runtime::runtime()?;
    let loop_ref = event_loop.unbind();
    let future_ref = future.clone().unbind();
    let task = rt.spawn(async move {
        // A panic must still resolve the future, or the awaiting coroutine would hang.
        let done = match AssertUnwindSafe(work).catch_unwind().await {
            Ok(done) => done,
            Err(_) => Box::new(|_: Python<'_>| {
                Err(pyo3::exceptions::PyRuntimeError::new_err(
                    "ibanera: the call panicked (a bug: please report it)",
                ))
            }) as Done,
        };
        runtime::attach_from_worker(move |py| {
            let (ok, value) = match done(py) {
                Ok(v) => (true, v),
                Err(e) => (false, e.into_value(py).into_any()),
            };
            // A closed loop refuses the callback: nobody is waiting any more.
            let _ = loop_ref.bind(py).call_method1(
                pyo3::intern!(py, "call_soon_threadsafe"),
                (resolve, future_ref, ok, value),
            );
        });
    });
    future.call_method1(
        pyo3::intern!(py, "add_done_callback"),
        (CancelOnDone {
            handle: task.abort_handle(),
        },),
    )?;
    Ok(future)
}
