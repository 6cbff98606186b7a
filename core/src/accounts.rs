//! Accounts: create, get, balances, list, transactions, transaction details, crypto
//! withdrawals and deposit addresses (`ibanera-accounts.txt`).
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

use crate::client::Client;
use crate::endpoint::{self, Endpoint};
use crate::enums::{AssetClass, ExchangeStatus, ExchangeType, TransferType};
use crate::error::{Result, ValidationError};
use crate::paging::{Page, Paged, Pager, validate_paging};
use crate::serde_util::{null_default, trimmed};
use crate::time::DateBound;
use crate::validate::{self, MAX_TEXT_LEN};

// ---------------------------------------------------------------------------------------------
// Requests

/// Body of `accounts.create`: a new asset account for a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAccount {
    pub customers_id: i64,
    /// At most 100 characters.
    pub name: String,
    /// USD or a supported cryptocurrency.
    pub asset: String,
}

impl CreateAccount {
    pub fn new(customers_id: i64, name: impl Into<String>, asset: impl Into<String>) -> Self {
        CreateAccount {
            customers_id,
            name: name.into(),
            asset: asset.into(),
        }
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::positive_id("customers_id", self.customers_id)?;
        validate::required_text("name", &self.name)?;
        validate::max_len("name", &self.name, MAX_TEXT_LEN)?;
        validate::required_text("asset", &self.asset)?;
        Ok(())
    }
}

/// Query of `accounts.balances` (the manager's accounts). Without paging arguments the API
/// returns every account on one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BalancesQuery {
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
}

impl BalancesQuery {
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate_paging(self.page_number, self.page_size)
    }

    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        push(&mut q, "pageNumber", self.page_number);
        push(&mut q, "pageSize", self.page_size);
        q
    }
}

/// Query of `accounts.list`: a customer's (manager's or managee's) accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListAccounts {
    pub customers_id: Option<i64>,
    pub asset: Option<String>,
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
}

impl ListAccounts {
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::optional_id("customers_id", self.customers_id)?;
        validate_paging(self.page_number, self.page_size)
    }

    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        push(&mut q, "customersId", self.customers_id);
        push(&mut q, "asset", self.asset.as_deref().map(str::trim));
        push(&mut q, "pageNumber", self.page_number);
        push(&mut q, "pageSize", self.page_size);
        q
    }
}

/// Query of `accounts.transactions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListTransactions {
    pub accounts_id: Option<i64>,
    pub from_date: Option<DateBound>,
    pub to_date: Option<DateBound>,
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
}

impl ListTransactions {
    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::optional_id("accounts_id", self.accounts_id)?;
        if let (Some(from), Some(to)) = (self.from_date, self.to_date) {
            if start_of(from) > start_of(to) {
                return Err(ValidationError::new(
                    "from_date",
                    format!("must not be after to_date ({from} > {to})"),
                ));
            }
        }
        validate_paging(self.page_number, self.page_size)
    }

    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        push(&mut q, "AccountsId", self.accounts_id);
        push(&mut q, "FromDate", self.from_date.map(|d| d.to_query()));
        push(&mut q, "ToDate", self.to_date.map(|d| d.to_query()));
        push(&mut q, "PageNumber", self.page_number);
        push(&mut q, "PageSize", self.page_size);
        q
    }
}

fn start_of(bound: DateBound) -> DateTime<Utc> {
    match bound {
        DateBound::Date(d) => d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
        DateBound::DateTime(t) => t,
    }
}

/// Body of `accounts.withdraw_crypto`: send crypto from an account to an external wallet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawCrypto {
    pub accounts_id: i64,
    #[serde(with = "crate::decimal::wire")]
    pub amount: Decimal,
    /// The on-chain address, at most 100 characters.
    pub destination_address: String,
}

impl WithdrawCrypto {
    pub fn new(accounts_id: i64, amount: Decimal, destination_address: impl Into<String>) -> Self {
        WithdrawCrypto {
            accounts_id,
            amount,
            destination_address: destination_address.into(),
        }
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        validate::positive_id("accounts_id", self.accounts_id)?;
        validate::positive_amount("amount", &self.amount)?;
        validate::required_text("destination_address", &self.destination_address)?;
        validate::max_len(
            "destination_address",
            &self.destination_address,
            MAX_TEXT_LEN,
        )?;
        if self.destination_address.chars().any(char::is_whitespace) {
            return Err(ValidationError::new(
                "destination_address",
                "must not contain whitespace (a pasted address with a stray space or line break?)",
            ));
        }
        Ok(())
    }
}

pub(crate) fn push<V: ToString>(
    q: &mut Vec<(&'static str, String)>,
    key: &'static str,
    v: Option<V>,
) {
    if let Some(v) = v {
        q.push((key, v.to_string()));
    }
}

macro_rules! paged {
    ($($t:ty),+) => {$(
        impl Paged for $t {
            fn page_number(&self) -> Option<u32> {
                self.page_number
            }
            fn set_page_number(&mut self, page: u32) {
                self.page_number = Some(page);
            }
        }
    )+};
}
paged!(BalancesQuery, ListAccounts, ListTransactions);

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

// ---------------------------------------------------------------------------------------------
// Methods

/// `client.accounts()`: the Accounts module.
#[derive(Debug, Clone)]
pub struct Accounts {
    client: Client,
}

impl Accounts {
    pub(crate) fn new(client: Client) -> Self {
        Accounts { client }
    }

    /// `POST /api/v2/customer/accounts/create`.
    pub async fn create(&self, request: &CreateAccount) -> Result<CreatedAccounts> {
        let e = &endpoint::ACCOUNTS_CREATE;
        request.validate().map_err(|v| v.at(e))?;
        let mut body = request.clone();
        body.asset = body.asset.trim().to_string();
        Ok(self.client.post(e, &body).await?.details)
    }

    /// `GET /api/v1/customer/accounts/account?Id=`.
    pub async fn get(&self, id: i64) -> Result<Account> {
        let e = &endpoint::ACCOUNTS_GET;
        validate::positive_id("id", id).map_err(|v| v.at(e))?;
        Ok(self
            .client
            .call(e, &[("Id", id.to_string())], None)
            .await?
            .details)
    }

    /// `GET /api/v1/customer/accounts/balances`: one page of the manager's balances.
    pub async fn balances(&self, query: &BalancesQuery) -> Result<Page<Balance>> {
        balances(&self.client, query).await
    }

    /// Every page of the manager's balances, fetched lazily.
    pub fn balances_pager(&self, query: BalancesQuery) -> Pager<Balance> {
        let client = self.client.clone();
        Pager::new(endpoint::ACCOUNTS_BALANCES, query, move |q| {
            let client = client.clone();
            async move { balances(&client, &q).await }
        })
    }

    /// `GET /api/v1/customer/accounts/list-accounts`: one page of a customer's accounts.
    pub async fn list(&self, query: &ListAccounts) -> Result<Page<Account>> {
        list(&self.client, query).await
    }

    pub fn list_pager(&self, query: ListAccounts) -> Pager<Account> {
        let client = self.client.clone();
        Pager::new(endpoint::ACCOUNTS_LIST, query, move |q| {
            let client = client.clone();
            async move { list(&client, &q).await }
        })
    }

    /// `GET /api/v1/customer/accounts/transactions`: one page of transactions.
    pub async fn transactions(&self, query: &ListTransactions) -> Result<Page<Transaction>> {
        transactions(&self.client, query).await
    }

    pub fn transactions_pager(&self, query: ListTransactions) -> Pager<Transaction> {
        let client = self.client.clone();
        Pager::new(endpoint::ACCOUNTS_TRANSACTIONS, query, move |q| {
            let client = client.clone();
            async move { transactions(&client, &q).await }
        })
    }

    /// `GET /api/v2/customer/accounts/transactions/get?Id=`.
    pub async fn transaction(&self, id: i64) -> Result<TransactionDetails> {
        let e = &endpoint::ACCOUNTS_TRANSACTION;
        validate::positive_id("id", id).map_err(|v| v.at(e))?;
        Ok(self
            .client
            .call(e, &[("Id", id.to_string())], None)
            .await?
            .details)
    }

    /// `POST /api/v1/customer/accounts/crypto/withdraw`. Moves money: never re-sent once it
    /// may have reached the server.
    pub async fn withdraw_crypto(&self, request: &WithdrawCrypto) -> Result<Withdrawal> {
        let e = &endpoint::ACCOUNTS_WITHDRAW_CRYPTO;
        request.validate().map_err(|v| v.at(e))?;
        Ok(self.client.post(e, request).await?.details)
    }

    /// `GET /api/v1/customer/accounts/crypto/depositaddress?AccountsId=`.
    pub async fn deposit_address(&self, accounts_id: i64) -> Result<DepositAddress> {
        let e = &endpoint::ACCOUNTS_DEPOSIT_ADDRESS;
        validate::positive_id("accounts_id", accounts_id).map_err(|v| v.at(e))?;
        Ok(self
            .client
            .call(e, &[("AccountsId", accounts_id.to_string())], None)
            .await?
            .details)
    }
}

pub(crate) async fn paged_call<T: serde::de::DeserializeOwned>(
    client: &Client,
    e: &Endpoint,
    check: std::result::Result<(), ValidationError>,
    query: Vec<(&'static str, String)>,
) -> Result<Page<T>> {
    check.map_err(|v| v.at(e))?;
    Ok(Page::from_envelope(client.call(e, &query, None).await?))
}

async fn balances(client: &Client, q: &BalancesQuery) -> Result<Page<Balance>> {
    paged_call(
        client,
        &endpoint::ACCOUNTS_BALANCES,
        q.validate(),
        q.to_query(),
    )
    .await
}

async fn list(client: &Client, q: &ListAccounts) -> Result<Page<Account>> {
    paged_call(client, &endpoint::ACCOUNTS_LIST, q.validate(), q.to_query()).await
}

async fn transactions(client: &Client, q: &ListTransactions) -> Result<Page<Transaction>> {
    paged_call(
        client,
        &endpoint::ACCOUNTS_TRANSACTIONS,
        q.validate(),
        q.to_query(),
    )
    .await
}
