//! Accounts: the models of create, get, balances, list, transactions, transaction details,
//! crypto withdrawals and deposit addresses, and the rules that span several arguments. The
//! operations themselves (paths, arguments, the `Accounts` methods) are declared in `api.rs`.
//!
//! Response models read the wire's names and serialize for users: camelCase without the `b`
//! of boolean flags, money as exact strings, timestamps as RFC 3339 UTC.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use ibanera::accounts::{ListTransactions, WithdrawCrypto};
//! use ibanera::{Client, Decimal, MessageCode};
//!
//! # async fn run(client: Client) -> ibanera::Result<()> {
//! // Every page of an account's transactions, fetched as the stream is read.
//! let query = ListTransactions { accounts_id: Some(1057), ..Default::default() };
//! let mut transactions = Box::pin(client.accounts().transactions_pager(query).items());
//! while let Some(t) = transactions.next().await {
//!     let t = t?;
//!     println!("{} {} {:?}", t.id, t.amount, t.description);
//! }
//!
//! // A withdrawal: sent once, never retried after it may have arrived.
//! let amount: Decimal = "0.005".parse().expect("a decimal");
//! match client.accounts().withdraw_crypto(&WithdrawCrypto::new(1057, amount, "bc1q...")).await {
//!     Ok(w) => println!("withdrawal {} pending={}", w.id, w.pending),
//!     Err(e) if e.api_error().is_some_and(|a| a.has_code(&MessageCode::TransactionBlocked)) => {
//!         println!("blocked by screening");
//!     }
//!     Err(e) => return Err(e),
//! }
//! # Ok(())
//! # }
//! ```

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::accounts::{CreateAccount, ListTransactions, WithdrawCrypto};
use crate::enums::{AssetClass, ExchangeStatus, ExchangeType, TransferType};
use crate::error::ValidationError;
use crate::serde_util::{null_default, trimmed};
use crate::time::DateBound;

// ---------------------------------------------------------------------------------------------
// Rules that span several arguments, and constructors

impl CreateAccount {
    pub fn new(customers_id: i64, name: impl Into<String>, asset: impl Into<String>) -> Self {
        CreateAccount {
            customers_id,
            name: name.into(),
            asset: asset.into(),
        }
    }
}

impl WithdrawCrypto {
    pub fn new(accounts_id: i64, amount: Decimal, destination_address: impl Into<String>) -> Self {
        WithdrawCrypto {
            accounts_id,
            amount,
            destination_address: destination_address.into(),
        }
    }
}

/// `from_date` must not be after `to_date` (a date counts from its midnight, UTC).
pub(crate) fn dates_in_order(
    from: Option<DateBound>,
    to: Option<DateBound>,
) -> Result<(), ValidationError> {
    if let (Some(from), Some(to)) = (from, to) {
        if start_of(from) > start_of(to) {
            return Err(ValidationError::new(
                "from_date",
                format!("must not be after to_date ({from} > {to})"),
            ));
        }
    }
    Ok(())
}

pub(crate) fn check_transactions(q: &ListTransactions) -> Result<(), ValidationError> {
    dates_in_order(q.from_date, q.to_date)
}

fn start_of(bound: DateBound) -> DateTime<Utc> {
    match bound {
        DateBound::Date(d) => d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
        DateBound::DateTime(t) => t,
    }
}

// ---------------------------------------------------------------------------------------------
// Models

/// An asset account with its balances (`accounts.get`, `accounts.list`, `accounts.create`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: i64,
    /// Absent in `accounts.create`'s response, which names the customer once.
    #[serde(default)]
    pub customers_id: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub routing_number: Option<String>,
    #[serde(default)]
    pub account_number: Option<String>,
    #[serde(default)]
    pub swift_code: Option<String>,
    #[serde(default)]
    pub virtual_account_number: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
    /// The currency code, trimmed (`"AED "` arrives padded).
    #[serde(default, deserialize_with = "trimmed")]
    pub asset: Option<String>,
    #[serde(default)]
    pub asset_display_name: Option<String>,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub total_balance: Decimal,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub available_balance: Decimal,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub pending_balance: Decimal,
    /// Wire `bSuppressed`: use of the account is disabled.
    #[serde(
        rename(deserialize = "bSuppressed"),
        default,
        deserialize_with = "null_default"
    )]
    pub suppressed: bool,
    #[serde(default, deserialize_with = "crate::time::wire::option::deserialize")]
    #[serde(serialize_with = "crate::time::user::option::serialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub date_added: Option<DateTime<Utc>>,
}

/// `accounts.create`'s response: the customer and the account(s) created.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedAccounts {
    pub customers_id: i64,
    #[serde(default)]
    pub customers_reference: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub accounts: Vec<Account>,
}

/// One of the manager's balances (`accounts.balances`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Balance {
    /// The asset account's id.
    pub id: i64,
    #[serde(default, deserialize_with = "trimmed")]
    pub asset: Option<String>,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub total_balance: Decimal,
    /// Total minus incoming pending amounts.
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub available_balance: Decimal,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub pending_balance: Decimal,
    /// Wire `bSuppressed`.
    #[serde(
        rename(deserialize = "bSuppressed"),
        default,
        deserialize_with = "null_default"
    )]
    pub suppressed: bool,
}

/// A line of `accounts.transactions`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub id: i64,
    #[serde(default)]
    pub accounts_id: Option<i64>,
    #[serde(default)]
    pub from_transactions_id: Option<i64>,
    #[serde(default)]
    pub from_accounts_id: Option<i64>,
    #[serde(default)]
    pub to_transactions_id: Option<i64>,
    #[serde(default)]
    pub to_accounts_id: Option<i64>,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub amount: Decimal,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "crate::time::wire::option::deserialize")]
    #[serde(serialize_with = "crate::time::user::option::serialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub date_time: Option<DateTime<Utc>>,
    /// Wire `bPending`.
    #[serde(
        rename(deserialize = "bPending"),
        default,
        deserialize_with = "null_default"
    )]
    pub pending: bool,
    /// Wire `bCancellable`: may be cancelled (a hint; the cancellation module decides).
    #[serde(
        rename(deserialize = "bCancellable"),
        default,
        deserialize_with = "null_default"
    )]
    pub cancellable: bool,
}

/// `accounts.transaction`: one transaction with every detail object the API knows.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransactionDetails {
    pub transaction_id: i64,
    #[serde(default)]
    pub customer_id: Option<i64>,
    #[serde(default)]
    pub asset_account_id: Option<i64>,
    #[serde(default)]
    pub asset_class: Option<AssetClass>,
    #[serde(default, deserialize_with = "trimmed")]
    pub asset: Option<String>,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub amount: Decimal,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "crate::time::wire::option::deserialize")]
    #[serde(serialize_with = "crate::time::user::option::serialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub timestamp: Option<DateTime<Utc>>,
    /// e.g. `Pending`.
    #[serde(default)]
    pub transaction_status: Option<String>,
    #[serde(default)]
    pub rollback_transaction_id: Option<i64>,
    #[serde(default)]
    pub original_transaction_id: Option<i64>,
    #[serde(default)]
    pub transaction_type: Option<String>,
    #[serde(default)]
    pub fee_transaction_id: Option<i64>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub fee_transaction_amount: Option<Decimal>,
    /// Wire `bEligibleForReversal`.
    #[serde(
        rename(deserialize = "bEligibleForReversal"),
        default,
        deserialize_with = "null_default"
    )]
    pub eligible_for_reversal: bool,
    #[serde(default)]
    pub asset_exchange_transfer_details: Option<AssetExchangeTransferDetails>,
    #[serde(default)]
    pub ach_transfer_details: Option<AchTransferDetails>,
    #[serde(default)]
    pub wire_transfer_details: Option<WireTransferDetails>,
    #[serde(default)]
    pub book_transfer_details: Option<BookTransferDetails>,
    #[serde(default)]
    pub internal_transfer_details: Option<InternalTransferDetails>,
    #[serde(default)]
    pub wallet_transfer_details: Option<WalletTransferDetails>,
    #[serde(default)]
    pub external_transfer_details: Option<ExternalTransferDetails>,
}

/// The exchange behind a transaction. The spec documents two sets of amount names (the worked
/// example's `requestAmount`... and the schema's `fromAssetRequestedAmount`...): both are kept.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AssetExchangeTransferDetails {
    #[serde(default)]
    pub asset_exchange_id: Option<i64>,
    #[serde(default)]
    pub asset_exchange_type: Option<ExchangeType>,
    #[serde(default)]
    pub customer_id: Option<i64>,
    #[serde(default)]
    pub asset_exchange_status: Option<ExchangeStatus>,
    #[serde(default)]
    pub from_transactions_id: Option<i64>,
    #[serde(default)]
    pub to_transactions_id: Option<i64>,
    #[serde(default, deserialize_with = "trimmed")]
    pub from_asset: Option<String>,
    #[serde(default, deserialize_with = "trimmed")]
    pub to_asset: Option<String>,
    #[serde(default)]
    pub from_asset_class: Option<AssetClass>,
    #[serde(default)]
    pub to_asset_class: Option<AssetClass>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub request_amount: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub request_price: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub executed_amount: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub executed_price: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub from_asset_requested_amount: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub to_asset_requested_amount: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub to_asset_executed_amount: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub commission_fee: Option<Decimal>,
    #[serde(default)]
    pub payees_id: Option<i64>,
    #[serde(default)]
    pub from_customer_asset_account_id: Option<i64>,
    #[serde(default)]
    pub to_customer_asset_account_id: Option<i64>,
}

/// An ACH transfer behind a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AchTransferDetails {
    #[serde(default)]
    pub payment_type: Option<String>,
    #[serde(default)]
    pub ach_transaction_type: Option<String>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub account_number: Option<String>,
    #[serde(default)]
    pub originator_routing_number: Option<String>,
    #[serde(default)]
    pub originator_name: Option<String>,
    #[serde(default)]
    pub receiver_routing_number: Option<String>,
    #[serde(default)]
    pub receiver_name: Option<String>,
}

/// A wire transfer behind a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WireTransferDetails {
    #[serde(default)]
    pub wire_payment_type: Option<String>,
    #[serde(default)]
    pub account_number: Option<String>,
    #[serde(default)]
    pub imad: Option<String>,
    #[serde(default)]
    pub sender_routing_number: Option<String>,
    #[serde(default)]
    pub sender_name: Option<String>,
    #[serde(default)]
    pub receiver_routing_number: Option<String>,
    #[serde(default)]
    pub receiver_name: Option<String>,
    #[serde(default)]
    pub originator_name: Option<String>,
    #[serde(default)]
    pub beneficiary_name: Option<String>,
    #[serde(default, deserialize_with = "crate::time::wire::option::deserialize")]
    #[serde(serialize_with = "crate::time::user::option::serialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub completed_at: Option<DateTime<Utc>>,
}

/// A book transfer behind a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BookTransferDetails {
    #[serde(default)]
    pub debit_sub_account_number: Option<String>,
    #[serde(default)]
    pub credit_sub_account_number: Option<String>,
    #[serde(default)]
    pub payee_id: Option<i64>,
}

/// A transfer between Ibanera accounts behind a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct InternalTransferDetails {
    #[serde(default)]
    pub complementary_transaction_id: Option<i64>,
    #[serde(default)]
    pub from_customer_id: Option<i64>,
    #[serde(default)]
    pub from_asset_account_id: Option<i64>,
    #[serde(default)]
    pub to_customer_id: Option<i64>,
    #[serde(default)]
    pub to_asset_account_id: Option<i64>,
}

/// An on-chain transfer behind a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct WalletTransferDetails {
    #[serde(default)]
    pub from_wallet_address: Option<String>,
    #[serde(default)]
    pub to_wallet_address: Option<String>,
}

/// A transfer to or from an outside bank behind a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExternalTransferDetails {
    #[serde(default)]
    pub payment_type: Option<String>,
    #[serde(default)]
    pub transfer_type: Option<TransferType>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub imad: Option<String>,
    #[serde(default)]
    pub sender_account_number: Option<String>,
    #[serde(default)]
    pub sender_routing_number: Option<String>,
    #[serde(default)]
    pub sender_swift_code: Option<String>,
    #[serde(default)]
    pub sender_iban: Option<String>,
    #[serde(default)]
    pub sender_name: Option<String>,
    #[serde(default)]
    pub originator_name: Option<String>,
    #[serde(default)]
    pub receiver_account_number: Option<String>,
    #[serde(default)]
    pub receiver_routing_number: Option<String>,
    #[serde(default)]
    pub receiver_swift_code: Option<String>,
    #[serde(default)]
    pub receiver_iban: Option<String>,
    #[serde(default)]
    pub receiver_name: Option<String>,
    #[serde(default)]
    pub beneficiary_name: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default, deserialize_with = "crate::time::wire::option::deserialize")]
    #[serde(serialize_with = "crate::time::user::option::serialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub completed_at: Option<DateTime<Utc>>,
}

/// `accounts.withdraw_crypto`'s response: the withdrawal transaction.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Withdrawal {
    /// The new transaction's id.
    pub id: i64,
    #[serde(default)]
    pub accounts_id: Option<i64>,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub amount: Decimal,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "crate::time::wire::option::deserialize")]
    #[serde(serialize_with = "crate::time::user::option::serialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub date_time: Option<DateTime<Utc>>,
    /// Wire `bPending`.
    #[serde(
        rename(deserialize = "bPending"),
        default,
        deserialize_with = "null_default"
    )]
    pub pending: bool,
}

/// `accounts.deposit_address`'s response.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DepositAddress {
    pub address: String,
}
