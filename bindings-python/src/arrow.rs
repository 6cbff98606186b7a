//! Arrow exports of pages: `Page.to_arrow()` / `to_pandas()` / `to_polars()` (built in
//! `ibanera/_arrow.py` on `Page._arrow(all_pages)`), and the Arrow PyCapsule stream interface
//! (`__arrow_c_stream__`) on pages and on the `ArrowStream` objects they hand out, so pyarrow,
//! polars and DuckDB take the columns without copying.
//!
//! The record batches come from the core (`ibanera::arrow`): this page's items are converted
//! from the core structs the Python objects wrap (no Python value is read), and the pages after
//! it are fetched ahead on the multi-thread runtime while the calling thread (the GIL released)
//! converts the earlier ones, never more than a few pages in memory.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use arrow_array::ffi::FFI_ArrowSchema;
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchIterator, RecordBatchReader};
use arrow_schema::{ArrowError, SchemaRef};
use ibanera::arrow::{BatchBuilder, DEFAULT_PREFETCH, ExportSchema, Naming, RecordBatchStream};
use ibanera::ops::{Call, Item};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyList};
use serde::Serialize;

use crate::errors::to_pyerr;
use crate::models_support::IntoModel;
use crate::runtime;

/// Column names in Python's idiom: the models' attribute names.
const NAMING: Naming = Naming::SnakeCase;

/// What a page needs to export itself: its items, its model and the call of the next page.
pub struct PageSource<'a> {
    pub items: &'a Bound<'a, PyList>,
    pub model: &'static str,
    /// Reads the items back into the core values they wrap (the page's model type).
    pub read: ReadItems,
    pub next: Option<Call>,
    /// The client the next pages are fetched with (bound to the multi-thread runtime).
    pub client: Option<ibanera::Client>,
}

/// Reads a page's Python objects back into the core values they wrap, whatever the model: a
/// page gets the reader of its model type (`read_items::<T>`) where that type is known, in
/// the generic visitor of `dispatch.rs`.
pub type ReadItems = fn(&Bound<'_, PyList>) -> PyResult<HeldItems>;

/// A page's core values, of its model's type, ready to be written as rows.
pub struct HeldItems(Box<dyn Held>);

trait Held: Send {
    /// Appends every item to `b`.
    fn push(&self, b: &mut BatchBuilder) -> ibanera::Result<()>;
    /// `walk` starting with these items.
    fn first_of(self: Box<Self>, walk: RecordBatchStream<Item>) -> RecordBatchStream<Item>;
}

impl<T: Serialize + Send + 'static> Held for Vec<T> {
    fn push(&self, b: &mut BatchBuilder) -> ibanera::Result<()> {
        self.iter().try_for_each(|item| b.push(item))
    }

    fn first_of(self: Box<Self>, walk: RecordBatchStream<Item>) -> RecordBatchStream<Item> {
        walk.with_first_items(*self)
    }
}

/// The [`ReadItems`] of model type `T`.
pub fn read_items<T: IntoModel + Serialize + Send + 'static>(
    items: &Bound<'_, PyList>,
) -> PyResult<HeldItems> {
    let values: Vec<T> = items
        .iter()
        .map(|o| T::from_object(&o))
        .collect::<PyResult<_>>()?;
    Ok(HeldItems(Box::new(values)))
}

fn schema_of(py: Python<'_>, model: &str) -> PyResult<ExportSchema> {
    ExportSchema::for_model(model, NAMING)
        .unwrap_or_else(|| {
            Err(ibanera::Error::Config(format!(
                "{model} has no Arrow form (a bug in the SDK)"
            )))
        })
        .map_err(|e| to_pyerr(py, e))
}

/// This page (and with `all_pages` every page after it) as record batches: converted and
/// fetched with the GIL released; errors are the SDK's exceptions.
pub fn collect(py: Python<'_>, page: PageSource<'_>, all_pages: bool) -> PyResult<ArrowStream> {
    let schema = schema_of(py, page.model)?;
    let items = (page.read)(page.items)?;
    match (all_pages, page.next, page.client) {
        (true, Some(next), Some(client)) => {
            let stream = walk(py, &next, &client, items)?;
            let batches = block_on(py, stream.collect_batches())?.map_err(|e| to_pyerr(py, e))?;
            Ok(ArrowStream::from_batches(schema.schema(), batches))
        }
        _ => {
            let batch = py
                .detach({
                    let schema = schema.clone();
                    move || {
                        let mut b = BatchBuilder::new(schema);
                        items.0.push(&mut b)?;
                        b.finish()
                    }
                })
                .map_err(|e| to_pyerr(py, e))?;
            Ok(ArrowStream::from_batches(schema.schema(), vec![batch]))
        }
    }
}

/// A lazy stream of this page and, with `all_pages`, of every page after it: each page is
/// fetched when the reader (pyarrow, polars, DuckDB) asks for it.
pub fn lazy(py: Python<'_>, page: PageSource<'_>, all_pages: bool) -> PyResult<ArrowStream> {
    match (all_pages, &page.next, &page.client) {
        (true, Some(next), Some(client)) => {
            let schema = schema_of(py, page.model)?;
            let items = (page.read)(page.items)?;
            let stream = walk(py, next, client, items)?;
            Ok(ArrowStream::new(
                schema.schema(),
                Box::new(PagesReader {
                    schema: schema.schema(),
                    stream,
                }),
            ))
        }
        _ => collect(py, page, false),
    }
}

fn walk(
    py: Python<'_>,
    next: &Call,
    client: &ibanera::Client,
    first: HeldItems,
) -> PyResult<RecordBatchStream<Item>> {
    match next.record_batches(client, NAMING, DEFAULT_PREFETCH) {
        Some(Ok(s)) => Ok(first.0.first_of(s)),
        Some(Err(e)) => Err(to_pyerr(py, e)),
        None => Err(PyValueError::new_err("this call has no pages to walk")),
    }
}

/// Runs `fut` on the multi-thread runtime (where the pages are fetched ahead) with the GIL
/// released; on the main thread a 100 ms tick checks for signals, so Ctrl-C stops an export.
fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    let rt = runtime::runtime()?;
    py.detach(|| {
        rt.block_on(async move {
            let mut fut = std::pin::pin!(fut);
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            tick.tick().await;
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

/// Pages fetched as a reader pulls them through the C stream interface.
struct PagesReader {
    schema: SchemaRef,
    stream: RecordBatchStream<Item>,
}

impl Iterator for PagesReader {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rt = match runtime::runtime() {
            Ok(rt) => rt,
            Err(e) => return Some(Err(ArrowError::ExternalError(e.to_string().into()))),
        };
        // The reader may call from a thread holding the GIL (polars) or not (pyarrow's
        // `read_all`): attach (a no-op when held), then release it while the page is fetched.
        let stream = &mut self.stream;
        let out = Python::attach(|py| py.detach(|| rt.block_on(stream.next_batch())));
        match out {
            Ok(Some(batch)) => Some(Ok(batch)),
            Ok(None) => None,
            Err(e) => Some(Err(ArrowError::ExternalError(Box::new(e)))),
        }
    }
}

impl RecordBatchReader for PagesReader {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}

/// Arrow record batches of a page (or of every page from it) that pyarrow, polars and DuckDB
/// read through the Arrow PyCapsule stream interface (`pyarrow.table(stream)`,
/// `polars.DataFrame(stream)`, `duckdb.sql("select * from stream")`). It can be read once.
#[pyclass(frozen, module = "ibanera", name = "ArrowStream")]
pub struct ArrowStream {
    schema: SchemaRef,
    reader: Mutex<Option<Box<dyn RecordBatchReader + Send>>>,
    rows: Option<usize>,
}

impl ArrowStream {
    fn new(schema: SchemaRef, reader: Box<dyn RecordBatchReader + Send>) -> ArrowStream {
        ArrowStream {
            schema,
            reader: Mutex::new(Some(reader)),
            rows: None,
        }
    }

    fn from_batches(schema: SchemaRef, batches: Vec<RecordBatch>) -> ArrowStream {
        let rows = batches.iter().map(RecordBatch::num_rows).sum();
        let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), schema.clone());
        ArrowStream {
            rows: Some(rows),
            ..ArrowStream::new(schema, Box::new(reader))
        }
    }
}

#[pymethods]
impl ArrowStream {
    /// The Arrow C stream of the batches, in a capsule named `arrow_array_stream`. The
    /// requested schema is not applied: the columns are the model's.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        self.capsule(py, requested_schema)
    }

    /// The schema, in a capsule named `arrow_schema`.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.schema.as_ref())
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        PyCapsule::new_with_value(py, schema, c"arrow_schema")
    }

    /// The column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __repr__(&self) -> String {
        self.describe()
    }
}

impl ArrowStream {
    /// The capsule of `__arrow_c_stream__` (taking the reader: a stream is read once).
    pub fn capsule<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        // The columns are the model's: a requested schema is a hint the protocol lets a
        // producer ignore.
        let _ = requested_schema;
        let reader = self
            .reader
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .ok_or_else(|| {
                PyValueError::new_err(
                    "this ArrowStream was already read (ask the page for a new one)",
                )
            })?;
        let stream = FFI_ArrowArrayStream::new(reader);
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    fn describe(&self) -> String {
        let read = self
            .reader
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none();
        let rows = match self.rows {
            Some(n) => format!("{n} rows"),
            None => "rows fetched as read".to_string(),
        };
        format!(
            "ArrowStream({} columns, {rows}{})",
            self.schema.fields().len(),
            if read { ", read" } else { "" }
        )
    }
}
