//! `client.recovery`: after an `OutcomeUnknownError`, did the withdrawal or the exchange
//! execute? The core's `ibanera::recovery` reads the arguments and does the looking (list,
//! match, page on); this hands it the Python arguments and returns the typed models it found.

use ibanera::recovery::{
    ExchangeAttempt, WithdrawalAttempt, find_exchanges, find_withdrawals, latest_exchange_customer,
    latest_exchange_id,
};
use ibanera::{Client, ValidationError};
use pyo3::prelude::*;
use serde_json::Value;

use crate::aio::{self, Done};
use crate::args::{self, ArgError};
use crate::client::{CoreClient, Overrides, call_options};
use crate::errors::{to_pyerr, validation};
use crate::models_support::IntoModel;
use crate::{logbridge, runtime};

fn json(field: &str, v: &Bound<'_, PyAny>) -> Result<Value, ValidationError> {
    match args::to_json(field, v) {
        Ok(j) => Ok(j),
        Err(ArgError::Invalid(e)) => Err(e),
        // Only a failing `str()`/`isoformat()` of a strange object gets here.
        Err(ArgError::Py(e)) => Err(ValidationError::new(field.to_string(), e.to_string())),
    }
}

/// The keyword arguments as the JSON object the core's readers take (`None` is JSON `null`,
/// which they read as absent; a `datetime` is its ISO text, naive meaning UTC).
fn object(pairs: &[(&str, Option<&Bound<'_, PyAny>>)]) -> Result<Value, ValidationError> {
    let mut map = serde_json::Map::new();
    for (name, v) in pairs {
        let value = match v {
            Some(v) => json(name, v)?,
            None => Value::Null,
        };
        map.insert((*name).to_string(), value);
    }
    Ok(Value::Object(map))
}

fn withdrawal_attempt(
    accounts_id: &Bound<'_, PyAny>,
    amount: &Bound<'_, PyAny>,
    started: &Bound<'_, PyAny>,
) -> Result<WithdrawalAttempt, ValidationError> {
    WithdrawalAttempt::from_args(&object(&[
        ("accounts_id", Some(accounts_id)),
        ("amount", Some(amount)),
        ("started_at", Some(started)),
    ])?)
}

fn exchange_attempt(
    customers_id: &Bound<'_, PyAny>,
    asset_pair: &Bound<'_, PyAny>,
    exchange_type: &Bound<'_, PyAny>,
    price: Option<&Bound<'_, PyAny>>,
    amount: Option<&Bound<'_, PyAny>>,
    after_id: Option<&Bound<'_, PyAny>>,
) -> Result<ExchangeAttempt, ValidationError> {
    ExchangeAttempt::from_args(&object(&[
        ("customers_id", Some(customers_id)),
        ("asset_pair", Some(asset_pair)),
        ("exchange_type", Some(exchange_type)),
        ("price", price),
        ("amount", amount),
        ("after_id", after_id),
    ])?)
}

/// The client of this call: the core client of the right runtime with the per-call options.
fn client_for(
    py: Python<'_>,
    core: &Bound<'_, CoreClient>,
    overrides: Overrides,
    is_async: bool,
) -> PyResult<Client> {
    logbridge::refresh(py)?;
    let (timeout, max_retries, attempt_timeout, max_response_bytes) = overrides;
    let opts = call_options(timeout, max_retries, attempt_timeout, max_response_bytes)
        .map_err(|e| validation(py, e))?;
    Ok(opts.apply(core.get().live(py, is_async)?))
}

fn finish<T: IntoModel + Send + 'static>(result: ibanera::Result<Vec<T>>) -> Done {
    match result {
        Ok(found) => Box::new(move |py: Python<'_>| found.into_model(py)),
        Err(e) => Box::new(move |py: Python<'_>| Err(to_pyerr(py, e))),
    }
}

/// Runs `work` blocking (GIL released) or as an `asyncio.Future`.
fn run<F>(py: Python<'_>, work: F, is_async: bool) -> PyResult<Py<PyAny>>
where
    F: Future<Output = Done> + Send + 'static,
{
    if is_async {
        Ok(aio::spawn(py, work)?.unbind())
    } else {
        runtime::block_on(py, work)?(py)
    }
}

/// The account's debits of `amount` since `started_at` (less the core's clock margin): a list
/// of `Transaction`, empty when the withdrawal did not execute (as far as the list shows).
pub fn withdrawals(
    core: &Bound<'_, CoreClient>,
    accounts_id: &Bound<'_, PyAny>,
    amount: &Bound<'_, PyAny>,
    started_at: &Bound<'_, PyAny>,
    overrides: Overrides,
    is_async: bool,
) -> PyResult<Py<PyAny>> {
    let py = core.py();
    let attempt =
        withdrawal_attempt(accounts_id, amount, started_at).map_err(|e| validation(py, e))?;
    let client = client_for(py, core, overrides, is_async)?;
    let work = async move { finish(find_withdrawals(&client, &attempt).await) };
    run(py, work, is_async)
}

/// What `find_exchanges` was sent: `(customers_id, asset_pair, exchange_type, price, amount,
/// after_id)` as the caller gave them.
pub type ExchangeArgs<'a, 'py> = (
    &'a Bound<'py, PyAny>,
    &'a Bound<'py, PyAny>,
    &'a Bound<'py, PyAny>,
    Option<&'a Bound<'py, PyAny>>,
    Option<&'a Bound<'py, PyAny>>,
    Option<&'a Bound<'py, PyAny>>,
);

/// The customer's exchanges of the pair and type, newer than `after_id`, whose requested
/// price or amount is the one sent: a list of `Exchange`, empty when it did not execute.
pub fn exchanges(
    core: &Bound<'_, CoreClient>,
    args: ExchangeArgs<'_, '_>,
    overrides: Overrides,
    is_async: bool,
) -> PyResult<Py<PyAny>> {
    let py = core.py();
    let (customers_id, asset_pair, exchange_type, price, amount, after_id) = args;
    let attempt = exchange_attempt(
        customers_id,
        asset_pair,
        exchange_type,
        price,
        amount,
        after_id,
    )
    .map_err(|e| validation(py, e))?;
    let client = client_for(py, core, overrides, is_async)?;
    let work = async move { finish(find_exchanges(&client, &attempt).await) };
    run(py, work, is_async)
}

/// The id of the customer's newest exchange (`None` without one): an `int` or `None`.
pub fn latest_exchange(
    core: &Bound<'_, CoreClient>,
    customers_id: &Bound<'_, PyAny>,
    overrides: Overrides,
    is_async: bool,
) -> PyResult<Py<PyAny>> {
    let py = core.py();
    let customers_id = object(&[("customers_id", Some(customers_id))])
        .and_then(|args| latest_exchange_customer(&args))
        .map_err(|e| validation(py, e))?;
    let client = client_for(py, core, overrides, is_async)?;
    let work = async move {
        let done: Done = match latest_exchange_id(&client, customers_id).await {
            Ok(id) => Box::new(move |py: Python<'_>| Ok(id.into_pyobject(py)?.into_any().unbind())),
            Err(e) => Box::new(move |py: Python<'_>| Err(to_pyerr(py, e))),
        };
        done
    };
    run(py, work, is_async)
}
