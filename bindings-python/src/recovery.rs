//! `client.recovery`: after an `OutcomeUnknownError`, did the withdrawal or the exchange
//! execute? The core's `ibanera::recovery` does the looking (list, match, page on); this reads
//! the Python arguments into its attempts and returns the typed models it found.

use chrono::{DateTime, Utc};
use ibanera::ops::read_money;
use ibanera::recovery::{ExchangeAttempt, WithdrawalAttempt, find_exchanges, find_withdrawals};
use ibanera::{Client, Decimal, ExchangeType, ValidationError};
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

/// An id: an `int` (a numeric string is refused, as by every typed method).
fn id(field: &'static str, v: &Bound<'_, PyAny>) -> Result<i64, ValidationError> {
    match json(field, v)? {
        // `bool` and `float` arrive as JSON booleans and non-integral numbers: refused too.
        Value::Number(n) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or_default()),
        _ => Err(ValidationError::new(
            field,
            "must be an integer that fits 64 bits",
        )),
    }
}

fn money(field: &'static str, v: &Bound<'_, PyAny>) -> Result<Decimal, ValidationError> {
    read_money(field, &json(field, v)?)
}

/// When the attempt started: an aware `datetime` (a naive one is UTC) or an ISO 8601 string
/// with a time. A bare date is refused: a day is too coarse to tell two attempts apart.
fn started_at(v: &Bound<'_, PyAny>) -> Result<DateTime<Utc>, ValidationError> {
    const FIELD: &str = "started_at";
    let rule = "must be a datetime (when the attempt started, recorded before sending it)";
    match json(FIELD, v)? {
        Value::String(s) if s.contains('T') || s.contains(' ') => {
            ibanera::time::parse_timestamp(&s).map_err(|e| ValidationError::new(FIELD, e))
        }
        _ => Err(ValidationError::new(FIELD, rule)),
    }
}

fn withdrawal_attempt(
    accounts_id: &Bound<'_, PyAny>,
    amount: &Bound<'_, PyAny>,
    started: &Bound<'_, PyAny>,
) -> Result<WithdrawalAttempt, ValidationError> {
    Ok(WithdrawalAttempt {
        accounts_id: id("accounts_id", accounts_id)?,
        amount: money("amount", amount)?,
        started_at: started_at(started)?,
    })
}

fn exchange_attempt(
    customers_id: &Bound<'_, PyAny>,
    asset_pair: &Bound<'_, PyAny>,
    exchange_type: &Bound<'_, PyAny>,
    price: Option<&Bound<'_, PyAny>>,
    amount: Option<&Bound<'_, PyAny>>,
    after_id: Option<&Bound<'_, PyAny>>,
) -> Result<ExchangeAttempt, ValidationError> {
    let customers_id = id("customers_id", customers_id)?;
    let asset_pair = match json("asset_pair", asset_pair)? {
        Value::String(s) if !s.trim().is_empty() && !s.contains('\0') => s,
        _ => {
            return Err(ValidationError::new(
                "asset_pair",
                "must be a pair such as \"BTC/USDC\"",
            ));
        }
    };
    let exchange_type = match json("exchange_type", exchange_type)? {
        Value::String(s) => ExchangeType::parse_input("exchange_type", &s)?,
        _ => {
            return Err(ValidationError::new(
                "exchange_type",
                "must be \"Buy\" or \"Sell\"",
            ));
        }
    };
    let price = price
        .filter(|v| !v.is_none())
        .map(|v| money("price", v))
        .transpose()?;
    let amount = amount
        .filter(|v| !v.is_none())
        .map(|v| money("amount", v))
        .transpose()?;
    if price.is_some() == amount.is_some() {
        // The core matches on the price when both are given and on nothing when neither is:
        // both would be a silent surprise, so the caller says which one was sent.
        return Err(ValidationError::new(
            if price.is_some() { "amount" } else { "price" },
            "give exactly one of price= and amount= (the one the exchange was sent with)",
        ));
    }
    let after_id = after_id
        .filter(|v| !v.is_none())
        .map(|v| id("after_id", v))
        .transpose()?;
    Ok(ExchangeAttempt {
        customers_id,
        asset_pair,
        exchange_type,
        price,
        amount,
        after_id,
    })
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
