//! One Tokio runtime per process, created on first use and created again in a child process
//! after `fork()` (the parent's worker threads do not exist there).
//!
//! Runtimes are never dropped: the process keeps its runtime until it exits, and a runtime
//! inherited through `fork()` cannot be shut down (its threads are gone, shutting down would
//! wait for them forever), so it is leaked on purpose.

use std::future::Future;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, Ordering};
use std::time::Duration;

use pyo3::prelude::*;
use tokio::runtime::Runtime;

/// Bumped in the child after every `fork()`. Everything tied to threads or connections of the
/// process that created it (the runtime, connection pools) compares its generation with this.
static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

struct Slot {
    generation: u64,
    runtime: Runtime,
}

static CURRENT: AtomicPtr<Slot> = AtomicPtr::new(ptr::null_mut());
/// A spin lock (reset in the child after a fork, which a mutex could not be) so two threads
/// racing to create the runtime build only one.
static CREATING: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
extern "C" fn after_fork_in_child() {
    // Only atomics here: this runs in the child between fork() and anything else.
    FORK_GENERATION.fetch_add(1, Ordering::SeqCst);
    CREATING.store(false, Ordering::SeqCst);
}

/// Registers the fork handler once (at module import).
pub fn install_fork_handler() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: the handler only touches atomics.
            unsafe {
                libc::pthread_atfork(None, None, Some(after_fork_in_child));
            }
        });
    }
}

/// The current fork generation (0 in the process that imported the module).
pub fn generation() -> u64 {
    FORK_GENERATION.load(Ordering::Acquire)
}

/// The process's runtime, created on first use (again in a forked child).
pub fn runtime() -> PyResult<&'static Runtime> {
    let generation = generation();
    if let Some(rt) = current(generation) {
        return Ok(rt);
    }
    while CREATING
        .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        std::thread::yield_now();
    }
    let result = (|| {
        if let Some(rt) = current(generation) {
            return Ok(rt);
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("ibanera-runtime")
            .build()
            .map_err(|e| {
                pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "ibanera: cannot start the I/O runtime: {e}"
                ))
            })?;
        let slot: &'static Slot = Box::leak(Box::new(Slot {
            generation,
            runtime,
        }));
        // The previous slot (if any) belonged to the parent process: leaked, never dropped.
        CURRENT.store(slot as *const Slot as *mut Slot, Ordering::Release);
        Ok(&slot.runtime)
    })();
    CREATING.store(false, Ordering::Release);
    result
}

fn current(generation: u64) -> Option<&'static Runtime> {
    let p = CURRENT.load(Ordering::Acquire);
    if p.is_null() {
        return None;
    }
    // SAFETY: slots are leaked, so a non-null pointer stays valid forever.
    let slot: &'static Slot = unsafe { &*p };
    (slot.generation == generation).then_some(&slot.runtime)
}

/// The native id of the interpreter's main thread, where signals (Ctrl-C) are handled.
static MAIN_THREAD: AtomicU64 = AtomicU64::new(u64::MAX);

pub fn record_main_thread(py: Python<'_>) -> PyResult<()> {
    let ident: u64 = py
        .import("threading")?
        .call_method0("main_thread")?
        .getattr("ident")?
        .extract()?;
    MAIN_THREAD.store(ident, Ordering::Relaxed);
    Ok(())
}

fn on_main_thread() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: pthread_self has no preconditions. CPython's thread ident is pthread_self().
        let me = unsafe { libc::pthread_self() } as u64;
        me == MAIN_THREAD.load(Ordering::Relaxed)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Runs `fut` to completion on the runtime with the GIL released, and waits for it.
///
/// The future is spawned onto a worker rather than driven on the caller's thread: the worker
/// also drives the I/O and the timers, so the request, its connection task, its timeout and
/// their wake-ups stay on one thread, and the caller is woken once, at the end. (Driving it
/// on the caller's thread costs a thread hop for every I/O event and every new timer.) The
/// caller waits on a plain channel; on the main thread it wakes every 100 ms to check for
/// signals, so Ctrl-C interrupts a long call (the task is aborted, the request abandoned).
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let rt = runtime()?;
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "ibanera: a blocking call from a thread of the SDK's own runtime (a logging handler?); use AsyncClient there",
        ));
    }
    let watch_signals = on_main_thread();
    py.detach(move || {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let task = rt.spawn(async move {
            let _ = tx.send(fut.await);
        });
        loop {
            let received = if watch_signals {
                rx.recv_timeout(Duration::from_millis(100))
            } else {
                rx.recv().map_err(|_| std::sync::mpsc::RecvTimeoutError::Disconnected)
            };
            match received {
                Ok(out) => return Ok(out),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if let Some(Err(e)) = Python::try_attach(|py| py.check_signals()) {
                        task.abort();
                        return Err(e);
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(pyo3::exceptions::PyRuntimeError::new_err(
                        "ibanera: the call's task ended without a result (the runtime is shutting down?)",
                    ));
                }
            }
        }
    })
}
