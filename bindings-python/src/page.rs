//! Pages of list calls: `Page` (blocking client) and `AsyncPage` (asyncio client). A page
//! holds its items, the paging fields the API returned, and the call for the page after it;
//! `auto_paging_iter()` walks every following page lazily, one request per page, only as far
//! as the caller iterates.

use ibanera::ops::Call;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule, PyType};

use crate::aio::{self, Done};
use crate::client::CoreClient;
use crate::dispatch::{self, CallOptions, PageCtx};
use crate::{logbridge, runtime};

pub struct PageData {
    pub items: Py<PyList>,
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
    pub number_of_pages: Option<u32>,
    /// Error items of a response that reported success (the core also logs them).
    pub warnings: Vec<ibanera::ApiErrorItem>,
    pub model: &'static str,
    /// Reads the items back into the core values of the page's model (the Arrow export).
    pub read_items: crate::arrow::ReadItems,
    /// The call for the next page; `None` on the last page.
    pub next: Option<Call>,
    pub owner: Py<CoreClient>,
    pub opts: CallOptions,
}

static HELPERS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
static ARROW: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn arrow_helper<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    ARROW
        .get_or_try_init(py, || Ok::<_, PyErr>(py.import("ibanera._arrow")?.unbind()))?
        .bind(py)
        .getattr(name)
}

fn helper<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    HELPERS
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("ibanera._paging")?.unbind())
        })?
        .bind(py)
        .getattr(name)
}

/// A new `Page` or `AsyncPage` object.
pub fn make(py: Python<'_>, data: PageData, is_async: bool) -> PyResult<Py<PyAny>> {
    Ok(if is_async {
        Py::new(py, AsyncPage { data })?.into_any()
    } else {
        Py::new(py, SyncPage { data })?.into_any()
    })
}

impl PageData {
    /// The work that fetches the next page (`None` at the end), with its client and options.
    fn next_work(
        &self,
        py: Python<'_>,
        is_async: bool,
    ) -> PyResult<Option<impl Future<Output = Done> + Send + 'static>> {
        let Some(call) = self.next.clone() else {
            return Ok(None);
        };
        logbridge::refresh(py)?;
        let owner = self.owner.clone_ref(py);
        let client = self.opts.apply(owner.get().live(py, is_async)?);
        let ctx = PageCtx {
            owner,
            opts: self.opts.clone(),
            is_async,
        };
        Ok(Some(dispatch::run(call, client, ctx)))
    }

    fn repr(&self, py: Python<'_>, class: &str) -> String {
        let n = self.items.bind(py).len();
        let mut s = format!(
            "{class}[{}]({n} item{}",
            self.model,
            if n == 1 { "" } else { "s" }
        );
        match (self.page_number, self.number_of_pages) {
            (Some(p), Some(total)) => s.push_str(&format!(", page {p} of {total}")),
            (Some(p), None) => s.push_str(&format!(", page {p}")),
            _ => {}
        }
        if self.next.is_some() {
            s.push_str(", more pages");
        }
        s.push(')');
        s
    }

    /// What the Arrow export needs; `all_pages` on an `AsyncPage` is refused (collecting the
    /// pages would block the event loop).
    fn arrow_source<'a>(
        &self,
        py: Python<'_>,
        items: &'a Bound<'a, PyList>,
        all_pages: bool,
        is_async: bool,
    ) -> PyResult<crate::arrow::PageSource<'a>> {
        if all_pages && is_async {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "all_pages=True would block the event loop on an AsyncPage: export every page \
                 with the blocking Client (or concatenate the pages' to_arrow())",
            ));
        }
        let client = match (&self.next, all_pages) {
            (Some(_), true) => Some(self.opts.apply(self.owner.get().live(py, true)?)),
            _ => None,
        };
        Ok(crate::arrow::PageSource {
            items,
            model: self.model,
            read: self.read_items,
            next: if all_pages { self.next.clone() } else { None },
            client,
        })
    }

    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
        let d = PyDict::new(py);
        let items = PyList::empty(py);
        for item in self.items.bind(py).iter() {
            items.append(item.call_method0(pyo3::intern!(py, "to_dict"))?)?;
        }
        d.set_item("items", items)?;
        d.set_item("page_number", self.page_number)?;
        d.set_item("page_size", self.page_size)?;
        d.set_item("number_of_pages", self.number_of_pages)?;
        Ok(d.unbind())
    }
}

macro_rules! page_methods {
    ($t:ident, $name:literal, $is_async:literal, { $($extra:tt)* }) => {
        #[pymethods]
        impl $t {
            $($extra)*

            /// The items of this page (the same list on every access).
            #[getter]
            fn items(&self, py: Python<'_>) -> Py<PyList> {
                self.data.items.clone_ref(py)
            }

            /// The page number the API returned (from 1), if it said.
            #[getter]
            fn page_number(&self) -> Option<u32> {
                self.data.page_number
            }

            /// The page size the API returned, if it said.
            #[getter]
            fn page_size(&self) -> Option<u32> {
                self.data.page_size
            }

            /// How many pages the list has, if the API said.
            #[getter]
            fn number_of_pages(&self) -> Option<u32> {
                self.data.number_of_pages
            }

            /// Error items the API listed although it reported success (usually empty; each is
            /// also logged as a warning on the `ibanera` logger).
            #[getter]
            fn warnings(&self, py: Python<'_>) -> PyResult<Py<PyList>> {
                Ok(crate::errors::api_error_items(py, &self.data.warnings)?.unbind())
            }

            /// True when a page follows this one.
            #[getter]
            fn has_next_page(&self) -> bool {
                self.data.next.is_some()
            }

            fn __len__(&self, py: Python<'_>) -> usize {
                self.data.items.bind(py).len()
            }

            fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                Ok(self.data.items.bind(py).try_iter()?.into_any().unbind())
            }

            fn __getitem__(&self, py: Python<'_>, index: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Ok(self.data.items.bind(py).as_any().get_item(index)?.unbind())
            }

            fn __repr__(&self, py: Python<'_>) -> String {
                self.data.repr(py, $name)
            }

            /// `{"items": [...], "page_number", "page_size", "number_of_pages"}` with every
            /// item as a dict.
            fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyDict>> {
                self.data.to_dict(py)
            }

            /// This page (`all_pages`: and every page after it, fetched ahead while earlier
            /// ones convert) as a `pyarrow.Table` (needs the `arrow` extra).
            #[pyo3(signature = (all_pages = false))]
            fn to_arrow(slf: &Bound<'_, Self>, all_pages: bool) -> PyResult<Py<PyAny>> {
                Ok(arrow_helper(slf.py(), "to_arrow")?.call1((slf, all_pages))?.unbind())
            }

            /// This page (`all_pages`: and every page after it) as a `pandas.DataFrame`, money
            /// exact (`money="arrow"`: decimal128(38, 18) columns; `"decimal"`: `Decimal`s).
            #[pyo3(signature = (all_pages = false, *, money = "arrow"))]
            fn to_pandas(slf: &Bound<'_, Self>, all_pages: bool, money: &str) -> PyResult<Py<PyAny>> {
                Ok(arrow_helper(slf.py(), "to_pandas")?
                    .call1((slf, all_pages, money))?
                    .unbind())
            }

            /// This page (`all_pages`: and every page after it) as a `polars.DataFrame`.
            #[pyo3(signature = (all_pages = false))]
            fn to_polars(slf: &Bound<'_, Self>, all_pages: bool) -> PyResult<Py<PyAny>> {
                Ok(arrow_helper(slf.py(), "to_polars")?.call1((slf, all_pages))?.unbind())
            }

            /// A one-shot Arrow stream of this page (`all_pages`: and of every page after it,
            /// each fetched as the reader asks for it), for readers of the Arrow PyCapsule
            /// interface: `duckdb.sql("select * from stream")`, `polars.DataFrame(stream)`.
            #[pyo3(signature = (all_pages = false))]
            fn arrow_stream(&self, py: Python<'_>, all_pages: bool) -> PyResult<crate::arrow::ArrowStream> {
                let items = self.data.items.bind(py).clone();
                let source = self.data.arrow_source(py, &items, all_pages, $is_async)?;
                crate::arrow::lazy(py, source, all_pages)
            }

            /// The batches of `to_arrow`, converted (and fetched) before returning.
            fn _arrow_collect(&self, py: Python<'_>, all_pages: bool) -> PyResult<crate::arrow::ArrowStream> {
                let items = self.data.items.bind(py).clone();
                let source = self.data.arrow_source(py, &items, all_pages, $is_async)?;
                crate::arrow::collect(py, source, all_pages)
            }

            /// This page's items through the Arrow PyCapsule stream interface
            /// (`pyarrow.table(page)`, `polars.DataFrame(page)`).
            #[pyo3(signature = (requested_schema = None))]
            fn __arrow_c_stream__<'py>(
                &self,
                py: Python<'py>,
                requested_schema: Option<Bound<'py, PyAny>>,
            ) -> PyResult<Bound<'py, pyo3::types::PyCapsule>> {
                self._arrow_collect(py, false)?.capsule(py, requested_schema)
            }

            /// An HTML table (Jupyter shows a page as a table).
            fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                let py = slf.py();
                Ok(py
                    .import(pyo3::intern!(py, "ibanera._display"))?
                    .getattr(pyo3::intern!(py, "page_html"))?
                    .call1((slf,))?
                    .unbind())
            }

            #[classmethod]
            fn __class_getitem__(
                cls: &Bound<'_, PyType>,
                item: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                let py = cls.py();
                Ok(py
                    .import("types")?
                    .getattr("GenericAlias")?
                    .call1((cls, item))?
                    .unbind())
            }
        }
    };
}

/// One page of a list, from the blocking `Client`.
#[pyclass(frozen, module = "ibanera", name = "Page")]
pub struct SyncPage {
    data: PageData,
}

/// One page of a list, from `AsyncClient`.
#[pyclass(frozen, module = "ibanera", name = "AsyncPage")]
pub struct AsyncPage {
    data: PageData,
}

page_methods!(SyncPage, "Page", false, {
    /// The next page (one request), or `None` after the last one.
    fn next_page(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self.data.next_work(py, false)? {
            None => Ok(py.None()),
            Some(work) => runtime::block_on(py, work)?(py),
        }
    }

    /// Every item of this page and of every page after it, fetched one page at a time as the
    /// iteration reaches it: `for tx in page.auto_paging_iter(): ...`.
    fn auto_paging_iter(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        Ok(helper(slf.py(), "iter_sync")?.call1((slf,))?.unbind())
    }
});

page_methods!(AsyncPage, "AsyncPage", true, {
    /// The next page (one request), or `None` after the last one: `await page.next_page()`.
    fn next_page<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.data.next_work(py, true)? {
            None => aio::spawn(py, async {
                Box::new(|py: Python<'_>| Ok(py.None())) as Done
            }),
            Some(work) => aio::spawn(py, work),
        }
    }

    /// Every item of this page and of every page after it, fetched one page at a time as the
    /// iteration reaches it: `async for tx in page.auto_paging_iter(): ...`.
    fn auto_paging_iter(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        Ok(helper(slf.py(), "iter_async")?.call1((slf,))?.unbind())
    }
});
