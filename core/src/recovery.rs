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
use serde_json::Value;

use crate::accounts::{ListTransactions, Transaction};
use crate::args::{read_integer, read_money, shape};
use crate::client::Client;
use crate::enums::ExchangeType;
use crate::error::{Result, ValidationError};
use crate::exchanges::{Exchange, ListExchanges};
use crate::ops::{ArgSpec, ArgType, read_named};
use crate::time::DateBound;

/// The arguments of `find_withdrawals` as the bindings take them (Python `accounts_id=`, Node
/// `{ accountsId }`): one description, read by [`WithdrawalAttempt::from_args`] and by the
/// bindings for their signatures and argument encoding.
pub const WITHDRAWAL_ARGS: &[ArgSpec] = &[
    ArgSpec {
        name: "accounts_id",
        wire: "accountsId",
        ty: ArgType::Id,
        required: true,
        doc: "the account the withdrawal was sent from",
    },
    ArgSpec {
        name: "amount",
        wire: "amount",
        ty: ArgType::Money,
        required: true,
        doc: "the amount sent (positive, as passed to withdraw_crypto)",
    },
    ArgSpec {
        name: "started_at",
        wire: "startedAt",
        ty: ArgType::Date,
        required: true,
        doc: "when the attempt started, recorded before sending it (a timestamp with a time)",
    },
];

/// The arguments of `find_exchanges` (see [`WITHDRAWAL_ARGS`]).
pub const EXCHANGE_ARGS: &[ArgSpec] = &[
    ArgSpec {
        name: "customers_id",
        wire: "customersId",
        ty: ArgType::Id,
        required: true,
        doc: "the customer the exchange was sent for",
    },
    ArgSpec {
        name: "asset_pair",
        wire: "assetPair",
        ty: ArgType::Text,
        required: true,
        doc: "the pair sent (\"BTC/USDC\")",
    },
    ArgSpec {
        name: "exchange_type",
        wire: "exchangeType",
        ty: ArgType::Enum(ExchangeType::KNOWN),
        required: true,
        doc: "Buy or Sell",
    },
    ArgSpec {
        name: "price",
        wire: "price",
        ty: ArgType::Money,
        required: false,
        doc: "the price sent (quantity type Price); exactly one of price and amount",
    },
    ArgSpec {
        name: "amount",
        wire: "amount",
        ty: ArgType::Money,
        required: false,
        doc: "the amount sent (quantity type Amount); exactly one of price and amount",
    },
    ArgSpec {
        name: "after_id",
        wire: "afterId",
        ty: ArgType::Id,
        required: false,
        doc: "the newest exchange id before the attempt; absent considers every exchange",
    },
];

/// The argument of `latest_exchange_id` (see [`WITHDRAWAL_ARGS`]).
pub const LATEST_EXCHANGE_ARGS: &[ArgSpec] = &[ArgSpec {
    name: "customers_id",
    wire: "customersId",
    ty: ArgType::Id,
    required: true,
    doc: "the customer whose newest exchange id is wanted",
}];

/// Every helper of this module by name, with its arguments: what a binding builds its
/// `client.recovery` from.
pub const HELPERS: &[(&str, &[ArgSpec])] = &[
    ("find_withdrawals", WITHDRAWAL_ARGS),
    ("find_exchanges", EXCHANGE_ARGS),
    ("latest_exchange_id", LATEST_EXCHANGE_ARGS),
];

/// The customer of a `latest_exchange_id` call, from loose arguments.
pub fn latest_exchange_customer(args: &Value) -> std::result::Result<i64, ValidationError> {
    let v = read_named(LATEST_EXCHANGE_ARGS, "recovery.latest_exchange_id", args)?;
    read_integer("customers_id", &v["customers_id"])
}

/// When the attempt started: a timestamp with a time (a bare date is too coarse to tell two
/// attempts apart); one without an offset is UTC.
fn read_started_at(v: &Value) -> std::result::Result<DateTime<Utc>, ValidationError> {
    const FIELD: &str = "started_at";
    match v {
        // The text is not echoed (rule 10 of docs/wire-rules.md): its shape only.
        Value::String(s) if s.contains('T') || s.trim().contains(' ') => {
            crate::time::parse_timestamp(s).map_err(|_| {
                ValidationError::new(
                    FIELD,
                    format!(
                        "must be an ISO 8601 timestamp with a time in the years 1 to 9999, got {}",
                        shape(v)
                    ),
                )
            })
        }
        other => Err(ValidationError::new(
            FIELD,
            format!(
                "must be a date and time (when the attempt started, recorded before sending \
                 it), got {}",
                shape(other)
            ),
        )),
    }
}

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
    /// From loose arguments ([`WITHDRAWAL_ARGS`]: `accounts_id`, `amount`, `started_at`), as a
    /// binding receives them: checked before anything is sent, errors naming the argument.
    pub fn from_args(args: &Value) -> std::result::Result<Self, ValidationError> {
        let v = read_named(WITHDRAWAL_ARGS, "recovery.find_withdrawals", args)?;
        Ok(WithdrawalAttempt {
            accounts_id: read_integer("accounts_id", &v["accounts_id"])?,
            amount: read_money("amount", &v["amount"])?,
            started_at: read_started_at(&v["started_at"])?,
        })
    }

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

impl ExchangeAttempt {
    /// From loose arguments ([`EXCHANGE_ARGS`]), as a binding receives them. Exactly one of
    /// `price` and `amount`: the one the exchange was sent with.
    pub fn from_args(args: &Value) -> std::result::Result<Self, ValidationError> {
        let v = read_named(EXCHANGE_ARGS, "recovery.find_exchanges", args)?;
        let customers_id = read_integer("customers_id", &v["customers_id"])?;
        let asset_pair = match &v["asset_pair"] {
            Value::String(s) if !s.trim().is_empty() && !s.contains('\0') => s.trim().to_string(),
            other => {
                return Err(ValidationError::new(
                    "asset_pair",
                    format!("must be a pair such as \"BTC/USDC\", got {}", shape(other)),
                ));
            }
        };
        let exchange_type = match &v["exchange_type"] {
            Value::String(s) => ExchangeType::parse_input("exchange_type", s.trim())?,
            other => {
                return Err(ValidationError::new(
                    "exchange_type",
                    format!("must be \"Buy\" or \"Sell\", got {}", shape(other)),
                ));
            }
        };
        let money = |name: &'static str| v.get(name).map(|x| read_money(name, x)).transpose();
        let (price, amount) = (money("price")?, money("amount")?);
        if price.is_some() == amount.is_some() {
            // The search matches on the price when both are given and on nothing when neither
            // is: both would be a silent surprise, so the caller says which one was sent.
            return Err(ValidationError::new(
                if price.is_some() { "amount" } else { "price" },
                "give exactly one of price and amount (the one the exchange was sent with)",
            ));
        }
        let after_id = v
            .get("after_id")
            .map(|x| read_integer("after_id", x))
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

/// The id of the customer's newest exchange, or `None` when it has none: note it before sending
/// an exchange, to pass as `after_id` if the answer is lost. One request (the list is newest
/// first).
pub async fn latest_exchange_id(client: &Client, customers_id: i64) -> Result<Option<i64>> {
    let query = ListExchanges {
        customers_id: Some(customers_id),
        page_size: Some(1),
        ..Default::default()
    };
    let page = client.exchanges().list(&query).await?;
    Ok(page.items.first().map(|e| e.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(e: ValidationError) -> String {
        e.field.to_string()
    }

    #[test]
    fn a_withdrawal_attempt_reads_either_spelling_and_keeps_the_amount_exact() {
        for args in [
            json!({"accounts_id": 1057, "amount": "0.010", "started_at": "2026-12-01T10:00:00Z"}),
            json!({"accountsId": 1057, "amount": "0.010", "startedAt": "2026-12-01 10:00:00"}),
        ] {
            let a = WithdrawalAttempt::from_args(&args).unwrap();
            assert_eq!(a.accounts_id, 1057);
            assert_eq!(a.amount.to_string(), "0.010");
            assert_eq!(a.started_at.to_rfc3339(), "2026-12-01T10:00:00+00:00");
        }
    }

    #[test]
    fn bad_withdrawal_arguments_name_the_argument() {
        let ok =
            json!({"accounts_id": 1057, "amount": "0.01", "started_at": "2026-12-01T10:00:00Z"});
        let with = |key: &str, v: Value| {
            let mut a = ok.clone();
            a[key] = v;
            a
        };
        let cases = [
            (with("accounts_id", json!("1057")), "accounts_id"),
            (with("accounts_id", json!(true)), "accounts_id"),
            (with("amount", json!("1e-40")), "amount"),
            (
                with(
                    "amount",
                    json!("12345678901234567890.123456789012345678901234"),
                ),
                "amount",
            ),
            (with("started_at", json!("2026-12-01")), "started_at"),
            (with("started_at", json!("yesterday")), "started_at"),
            (with("started_at", json!("yesterdayT10")), "started_at"),
            (with("started_at", Value::Null), "started_at"),
            (with("destination", json!("x")), "arguments"),
            (json!([1057]), "arguments"),
        ];
        for (args, want) in cases {
            let e = WithdrawalAttempt::from_args(&args).unwrap_err();
            assert_eq!(field(e.clone()), want, "{args}: {e}");
            // The value itself never appears (it could be a secret in the wrong place).
            assert!(!e.to_string().contains("yesterday"), "{e}");
            assert!(!e.to_string().contains("234567890"), "{e}");
        }
    }

    #[test]
    fn an_exchange_attempt_needs_exactly_one_of_price_and_amount() {
        let base = json!({"customersId": 1004, "assetPair": " BTC/USDC ", "exchangeType": "buy"});
        let mut by_amount = base.clone();
        by_amount["amount"] = json!("0.020");
        let a = ExchangeAttempt::from_args(&by_amount).unwrap();
        assert_eq!(a.asset_pair, "BTC/USDC");
        assert_eq!(a.exchange_type, ExchangeType::Buy);
        assert_eq!(a.amount.map(|d| d.to_string()).as_deref(), Some("0.020"));
        assert_eq!((a.price, a.after_id), (None, None));

        let e = ExchangeAttempt::from_args(&base).unwrap_err();
        assert_eq!(field(e), "price");
        let mut both = by_amount.clone();
        both["price"] = json!("100");
        assert_eq!(
            field(ExchangeAttempt::from_args(&both).unwrap_err()),
            "amount"
        );
        for (key, v, want) in [
            ("exchangeType", json!(3), "exchange_type"),
            ("exchangeType", json!("Swap"), "exchange_type"),
            ("assetPair", json!(" "), "asset_pair"),
            ("afterId", json!(1.5), "after_id"),
            ("customersId", json!("1004"), "customers_id"),
        ] {
            let mut a = by_amount.clone();
            a[key] = v;
            let e = ExchangeAttempt::from_args(&a).unwrap_err();
            assert_eq!(field(e.clone()), want, "{a}: {e}");
        }
    }
}
