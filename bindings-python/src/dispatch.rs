//! Runs a parsed call with the core (`Call::run`, `Call::pager`: the one place that maps an
//! operation to its typed method) and turns the typed result into Python objects. Results are
//! decoded once, straight from the response bytes into the core's structs, with no JSON value
//! in between; the Python objects wrap those structs.

use std::time::Duration;

use ibanera::ops::{Call, Item, Output};
use ibanera::paging::{Page, Paged};
use ibanera::{Client, Error, RequestOptions};
use pyo3::prelude::*;

use crate::aio::Done;
use crate::client::CoreClient;
use crate::convert::json_to_py;
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

/// Runs `call`; never fails itself (a failure is a `Done` that raises).
pub async fn run(call: Call, client: Client, ctx: PageCtx) -> Done {
    let result = if call.op().is_paged() {
        fetch_page(call, client, ctx)
            .await
            .map(|page| page.unwrap_or_else(|| Box::new(|py: Python<'_>| Ok(py.None())) as Done))
    } else {
        call.run(&client)
            .await
            .map(|out| Box::new(move |py: Python<'_>| output(py, out)) as Done)
    };
    result.unwrap_or_else(failed)
}

/// A typed result as its Python object.
fn output(py: Python<'_>, out: Output) -> PyResult<Py<PyAny>> {
    match out {
        Output::CreatedAccounts(v) => v.into_model(py),
        Output::Account(v) => v.into_model(py),
        Output::TransactionDetails(v) => (*v).into_model(py),
        Output::Withdrawal(v) => v.into_model(py),
        Output::DepositAddress(v) => v.into_model(py),
        Output::Pairs(v) => v.into_model(py),
        Output::Quote(v) => v.into_model(py),
        Output::ReviewQuote(v) => v.into_model(py),
        Output::Exchange(v) => v.into_model(py),
        // Pages come through `fetch_page`; a kind added to the core later: its JSON form.
        other => {
            let text = ibanera::ops::to_json_text(&other).map_err(|e| to_pyerr(py, e))?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
            json_to_py(py, &value)
        }
    }
}

impl IntoModel for Item {
    fn into_model(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Item::Balance(v) => v.into_model(py),
            Item::Account(v) => v.into_model(py),
            Item::Transaction(v) => v.into_model(py),
            Item::Exchange(v) => v.into_model(py),
            other => {
                let text = ibanera::ops::to_json_text(&other).map_err(|e| to_pyerr(py, e))?;
                let value: serde_json::Value = serde_json::from_str(&text)
                    .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
                json_to_py(py, &value)
            }
        }
    }
}

/// The page number a list call asks for, and the same call for another page.
fn requested_page(call: &Call) -> Option<u32> {
    match call {
        Call::Balances(q) => q.page_number(),
        Call::ListAccounts(q) => q.page_number(),
        Call::Transactions(q) => q.page_number(),
        Call::ListExchanges(q) => q.page_number(),
        _ => None,
    }
}

fn at_page(call: &Call, n: u32) -> Option<Call> {
    let mut next = call.clone();
    match &mut next {
        Call::Balances(q) => q.set_page_number(n),
        Call::ListAccounts(q) => q.set_page_number(n),
        Call::Transactions(q) => q.set_page_number(n),
        Call::ListExchanges(q) => q.set_page_number(n),
        _ => return None,
    }
    Some(next)
}

/// Fetches the page `call` asks for through the core's pager (which also checks that the
/// server returned the page asked for) and notes the call for the page after it.
pub async fn fetch_page(call: Call, client: Client, ctx: PageCtx) -> Result<Option<Done>, Error> {
    let model = match call.op().returns {
        ibanera::ops::Returns::Page(model) => model,
        _ => return Ok(None),
    };
    let Some(mut pager) = call.pager(&client) else {
        return Ok(None);
    };
    let requested = requested_page(&call);
    let Some(page) = pager.next_page().await? else {
        return Ok(None);
    };
    let next = page
        .next_page_number(requested)
        .and_then(|n| at_page(&call, n));
    Ok(Some(page_done(page, next, model, ctx)))
}

fn page_done<T: IntoModel + Send + 'static>(
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
                next,
                owner: ctx.owner,
                opts: ctx.opts,
            },
            ctx.is_async,
        )
    })
}
