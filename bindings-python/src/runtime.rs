//! Two Tokio runtimes per process, each created on first use and created again in a child
//! process after `fork()` (the parent's threads do not exist there):
//!
//! - the multi-thread runtime ([`runtime`]) runs `AsyncClient` calls and the `Sandbox` server;
//! - the current-thread runtime of blocking calls ([`block_on`]) is driven by the calling
//!   thread itself, so a sync call does its I/O where it waits, with no hand-off to a worker
//!   and back (bench/NOTES.md: that hand-off was half of a call's latency).
//!
//! A core client's pooled connections belong to the runtime that opened them, so each
//! `_CoreClient` keeps one core client per runtime (client.rs).
//!
//! Runtimes are never dropped: the process keeps its runtime until it exits, and a runtime
//! inherited through `fork()` cannot be shut down (its threads are gone, shutting down would
//! wait for them forever), so it is leaked on purpose.

use std::future::Future;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
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
static CURRENT_BLOCKING: AtomicPtr<Slot> = AtomicPtr::new(ptr::null_mut());
/// A spin lock (reset in the child after a fork, which a mutex could not be) so two threads
/// racing to create a runtime build only one.
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

/// The process's multi-thread runtime, created on first use (again in a forked child).
pub fn runtime() -> PyResult<&'static Runtime> {
    get_or_create(&CURRENT, || {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("ibanera-runtime")
            .build()
    })
}

/// The process's current-thread runtime for blocking calls (again in a forked child).
fn blocking_runtime() -> PyResult<&'static Runtime> {
    get_or_create(&CURRENT_BLOCKING, || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .thread_name("ibanera-blocking")
            .build()
    })
}

fn get_or_create(
    cell: &'static AtomicPtr<Slot>,
    build: impl FnOnce() -> std::io::Result<Runtime>,
) -> PyResult<&'static Runtime> {
    let generation = generation();
    if let Some(rt) = current(cell, generation) {
        return Ok(rt);
    }
    while CREATING
        .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        std::thread::yield_now();
    }
    let result = (|| {
        if let Some(rt) = current(cell, generation) {
            return Ok(rt);
        }
        let runtime = build().map_err(|e| {
            pyo3::exceptions::PyRuntimeError::new_err(format!(
                "ibanera: cannot start the I/O runtime: {e}"
            ))
        })?;
        let slot: &'static Slot = Box::leak(Box::new(Slot {
            generation,
            runtime,
        }));
        // The previous slot (if any) belonged to the parent process: leaked, never dropped.
        cell.store(slot as *const Slot as *mut Slot, Ordering::Release);
        Ok(&slot.runtime)
    })();
    CREATING.store(false, Ordering::Release);
    result
}

fn current(cell: &AtomicPtr<Slot>, generation: u64) -> Option<&'static Runtime> {
    let p = cell.load(Ordering::Acquire);
    if p.is_null() {
        return None;
    }
    // SAFETY: slots are leaked, so a non-null pointer stays valid forever.
    let slot: &'static Slot = unsafe { &*p };
    (slot.generation == generation).then_some(&slot.runtime)
}

/// Set by the `atexit` hook: from then on runtime threads never take the GIL (taking it while
/// the interpreter finalizes aborts the process).
static FINALIZING: AtomicBool = AtomicBool::new(false);
/// Runtime threads between their check of `FINALIZING` and the end of their GIL section.
static ATTACHING: AtomicUsize = AtomicUsize::new(0);

/// Runs `f` with the GIL from a thread the interpreter does not own (a runtime worker), unless
/// the interpreter is shutting down; `None` then (the result is dropped: nobody waits for it).
pub fn attach_from_worker<R>(f: impl FnOnce(Python<'_>) -> R) -> Option<R> {
    ATTACHING.fetch_add(1, Ordering::SeqCst);
    let out = if FINALIZING.load(Ordering::SeqCst) {
        None
    } else {
        Python::try_attach(f)
    };
    ATTACHING.fetch_sub(1, Ordering::SeqCst);
    out
}

/// The `atexit` hook: stops runtime threads from taking the GIL, then waits (GIL released, at
/// most 2 s) for those already inside a GIL section to leave it.
#[pyfunction]
fn _before_interpreter_exit(py: Python<'_>) {
    FINALIZING.store(true, Ordering::SeqCst);
    py.detach(|| {
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while ATTACHING.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    });
}

/// Registers [`_before_interpreter_exit`] with `atexit` (at module import).
pub fn install_exit_hook(py: Python<'_>) -> PyResult<()> {
    let hook = wrap_pyfunction!(_before_interpreter_exit, py)?;
    py.import("atexit")?.call_method1("register", (hook,))?;
    Ok(())
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

/// Runs `fut` to completion with the GIL released, on the blocking-call runtime driven by this
/// thread: the request, its connection task, its timers and their wake-ups all run here, so a
/// call costs no thread hand-off (the raw Rust loop's shape). Several threads may block at
/// once: one drives the I/O while the others wait their turn (Tokio's current-thread
/// `block_on`). On the main thread a 100 ms tick checks for signals, so Ctrl-C interrupts a
/// long call (the request is abandoned).
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "ibanera: a blocking call from inside another call of the SDK (a logging handler?); use AsyncClient there",
        ));
    }
    let rt = blocking_runtime()?;
    let watch_signals = on_main_thread();
    py.detach(move || {
        rt.block_on(async move {
            if !watch_signals {
                return Ok(fut.await);
            }
            let mut fut = std::pin::pin!(fut);
            let start = tokio::time::Instant::now() + Duration::from_millis(100);
            let mut tick = tokio::time::interval_at(start, Duration::from_millis(100));
            loop {
                tokio::select! {
                    biased;
                    out = &mut fut => return Ok(out),
                    _ = tick.tick() => {
                        if let Some(Err(e)) = Python::try_attach(|py| py.check_signals()) {
                            return Err(e);
                        }
                    }
                }
            }
        })
    })
}
