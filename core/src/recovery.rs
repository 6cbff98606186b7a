//! After an [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown): did it execute?
//! (`docs/failures.md`). The API has no idempotency key, so the only way to know is to look:
//! list what the customer has and match it against what was sent. These helpers do that for the
//! two requests that move money.
//!
//! ```no_run
//! use ibanera::accounts::WithdrawCrypto;
//! use ibanera::recovery::{WithdrawalAttempt, find_withdrawals};
//! use ibanera::{Client, Decimal};
//!
//! # async fn run(client: Client, amount: Decimal) -> ibanera::Result<()> {
//! let attempt = WithdrawalAttempt::now(1057, amount);
//! match client.accounts().withdraw_crypto(&WithdrawCrypto::new(1057, amount, "bc1q...")).await {
//!     Err(e) if e.outcome_unknown() => {
//!         let found = find_withdrawals(&client, &attempt).await?;
//!         if found.is_empty() {
//!             // Not executed (as far as the list shows): sending it again is safe.
//!         }
//!     }
//!     other => { other?; }
//! }
//! # Ok(())
//! # }
//! ```

use chrono::{DateTime, Duration as TimeDelta, Utc};
use futures_util::StreamExt;
use rust_decimal::Decimal;

use crate::accounts::{ListTransactions, Transaction};
use crate::client::Client;
use crate::enums::ExchangeType;
use crate::error::Result;
use crate::exchanges::{Exchange, ListExchanges};
use crate::time::DateBound;

/// Clocks differ: a transaction stamped this much before the attempt started still matches.
const CLOCK_MARGIN: TimeDelta = TimeDelta::seconds(120);

/// A withdrawal that may have executed: the account, the amount sent, and when the attempt
/// started (record it before sending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawalAttempt {
    pub accounts_id: i64,
    pub amount: Decimal,
    pub started_at: DateTime<Utc>,
}

impl WithdrawalAttempt {
    /// An attempt starting now.
    pub fn now(accounts_id: i64, amount: Decimal) -> Self {
        WithdrawalAttempt {
            accounts_id,
            amount,
            started_at: Utc::now(),
        }
    }
}

/// The account's transactions since the attempt started (less a clock margin) whose amount is
/// the withdrawal's, debited: the withdrawal if it executed. Empty means the list shows none.
pub async fn find_withdrawals(
    client: &Client,
    attempt: &WithdrawalAttempt,
) -> Result<Vec<Transaction>> {
    let since = attempt.started_at - CLOCK_MARGIN;
    let query = ListTransactions {
        accounts_id: Some(attempt.accounts_id),
        from_date: Some(DateBound::Date(since.date_naive())),
        page_size: Some(100),
        ..Default::default()
    };
    let mut items = Box::pin(client.accounts().transactions_pager(query).items());
    let mut found = Vec::new();
    while let Some(t) = items.next().await {
        let t = t?;
        let recent = t.date_time.is_none_or(|at| at >= since);
        if recent && t.amount == -attempt.amount {
            found.push(t);
        }
    }
    Ok(found)
}

/// An exchange that may have executed: what was sent, and the newest exchange id known before
/// (exchanges carry no timestamp; ids grow). `after_id: None` considers every exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeAttempt {
    pub customers_id: i64,
    pub asset_pair: String,
    pub exchange_type: ExchangeType,
    /// The price sent (quantity type Price), or
    pub price: Option<Decimal>,
    /// the amount sent (quantity type Amount).
    pub amount: Option<Decimal>,
    pub after_id: Option<i64>,
}

/// The customer's exchanges of that pair and type, newer than `after_id`, whose requested price
/// or amount is the attempt's: the exchange if it executed.
pub async fn find_exchanges(client: &Client, attempt: &ExchangeAttempt) -> Result<Vec<Exchange>> {
    let query = ListExchanges {
        customers_id: Some(attempt.customers_id),
        asset_pair: Some(attempt.asset_pair.trim().to_string()),
        exchange_type: Some(attempt.exchange_type.clone()),
        page_size: Some(100),
        ..Default::default()
    };
    let mut items = Box::pin(client.exchanges().list_pager(query).items());
    let mut found = Vec::new();
    while let Some(e) = items.next().await {
        let e = e?;
        let newer = attempt.after_id.is_none_or(|id| e.id > id);
        let same = match (attempt.price, attempt.amount) {
            (Some(p), _) => e.request_price == Some(p),
            (None, Some(a)) => e.request_amount == Some(a),
            (None, None) => false,
        };
        if newer && same {
            found.push(e);
        }
    }
    Ok(found)
}
