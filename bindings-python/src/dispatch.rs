//! Runs a parsed call with the core (`Call::run`: the one place that maps an operation to its
//! typed method) and turns the typed result into Python objects through the core's
//! `Output::visit`, generically: every model of the core has its class (`models.rs`,
//! generated), so no operation needs an arm here. Results are decoded once, straight from the
//! response bytes into the core's structs, with no JSON value in between; the Python objects
//! wrap those structs.

use std::time::Duration;

use ibanera::ops::{Call, Visitor};
use ibanera::paging::Page;
use ibanera::{Client, Error, RequestOptions};
use pyo3::prelude::*;
use serde::Serialize;

use crate::aio::Done;
use crate::client::CoreClient;
use crate::errors::to_pyerr;
use crate::models_support::IntoModel;
use crate::page;

/// Per-call overrides (`timeout=`, `max_retries=`, `attempt_timeout=`, `max_response_bytes=`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallOptions {
    pub timeout: Option<Duration>,
    pub max_retries: Option<u32>,
    pub attempt_timeout: Option<Duration>,
    pub max_response_bytes: Option<u64>,
}

impl CallOptions {
    /// The client with these overrides (the same client when there are none).
    pub fn apply(&self, client: Client) -> Client {
        if *self == CallOptions::default() {
            return client;
        }
        client.with_options(RequestOptions {
            timeout: self.timeout,
            attempt_timeout: self.attempt_timeout,
            max_retries: self.max_retries,
            max_response_bytes: self.max_response_bytes,
            headers: Vec::new(),
        })
    }
}

/// What a page needs to fetch the pages after it.
pub struct PageCtx {
    pub owner: Py<CoreClient>,
    pub opts: CallOptions,
    pub is_async: bool,
}

fn failed(e: Error) -> Done {
    Box::new(move |py| Err(to_pyerr(py, e)))
}

/// Runs `call` (a list call fetches the page it asks for); never fails itself (a failure is a
/// `Done` that raises).
pub async fn run(call: Call, client: Client, ctx: PageCtx) -> Done {
    match call.run(&client).await {
        Ok(out) => out.visit(ToPython { call, ctx }),
        Err(e) => failed(e),
    }
}

/// Builds the Python result of `call` from its typed output: a model object, a list of them,
/// or a `Page` / `AsyncPage` that knows the call for the page after it.
struct ToPython {
    call: Call,
    ctx: PageCtx,
}

impl<T: IntoModel + Serialize + Send + 'static> Visitor<T> for ToPython {
    type Out = Done;

    fn one(self, value: T) -> Done {
        Box::new(move |py| value.into_model(py))
    }

    fn list(self, values: Vec<T>) -> Done {
        Box::new(move |py| values.into_model(py))
    }

    fn page(self, page: Page<T>) -> Done {
        let next = page
            .next_page_number(self.call.page_number())
            .and_then(|n| self.call.at_page(n));
        let model = self.call.op().returns.model().unwrap_or_default();
        page_done(page, next, model, self.ctx)
    }
}

fn page_done<T: IntoModel + Serialize + Send + 'static>(
    page: Page<T>,
    next: Option<Call>,
    model: &'static str,
    ctx: PageCtx,
) -> Done {
    Box::new(move |py| {
        let items = page.items.into_model(py)?;
        page::make(
            py,
            page::PageData {
                items: items.into_bound(py).cast_into()?.unbind(),
                page_number: page.page_number,
                page_size: page.page_size,
                number_of_pages: page.number_of_pages,
                warnings: page.warnings,
                model,
                read_items: crate::arrow::read_items::<T>,
                next,
                owner: ctx.owner,
                opts: ctx.opts,
            },
            ctx.is_async,
        )
    })
}
