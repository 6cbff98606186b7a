//! Customer API callbacks: the envelope, the type codes and one typed model per `Data` shape.
//!
//! Models read the wire's fields in any case (see `fold_keys`) and serialize for users:
//! camelCase, `bX` flags without the `b`, money as exact decimal strings, timestamps as RFC 3339
//! UTC. Every field is optional except the id the callback is about, so a field the provider
//! leaves out never makes a callback unreadable.

use std::fmt;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use super::{de, typed};
use crate::enums::{ExchangeStatus, ExchangeType, TransferType};
use crate::serde_util::null_default;

/// A Customer API callback: the envelope `{Id, Type, Data}` with its `Data` typed by `Type`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// The envelope's `Id` (a GUID). A callback that was not answered 200 is sent again with
    /// the same `Id`: handlers deduplicate on it.
    pub id: String,
    /// The type code, normalised (`"CRYPTO DEPOSIT CREATED"` reads as `CRYPTO_DEPOSIT_CREATED`).
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub data: EventData,
}

/// A callback's type code. Codes are normalised before they are compared: surrounding
/// whitespace dropped, inner whitespace turned into `_`, upper case; the prose's misspelling
/// `FIAT_DEPOSIT_RECIEVED` reads as [`EventType::FiatDepositReceived`]. A code this SDK does not
/// know is kept (normalised) in [`EventType::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// A managee finished Jumio identity verification (compliance review follows).
    ManageeJumioCompleted,
    CryptoDepositCreated,
    CryptoDepositUpdated,
    CryptoWithdrawalCreated,
    CryptoWithdrawalUpdated,
    ExchangeStatusUpdated,
    FiatDepositReceived,
    /// A manager or site admin approved or rejected a managee's top-up card.
    ManageeCardApprovalUpdated,
    /// A managee's creation data was accepted or rejected.
    ManageeKycUpdated,
    /// An outbound wire/ACH transfer changed status, or a held transaction was decided.
    TransactionStatusUpdated,
    /// More information is required (an RFI was opened).
    InformationRequested,
    /// An RFI response was reviewed.
    InformationRequestUpdated,
    /// A code this SDK does not know, normalised.
    Other(String),
}

impl EventType {
    /// `(code, type, name of its data model)` for every documented type, in the docs' order.
    const TABLE: &'static [(&'static str, EventType, &'static str)] = &[
        (
            "MANAGEE_JUMIO_COMPLETED",
            EventType::ManageeJumioCompleted,
            "ManageeJumioCompletedData",
        ),
        (
            "CRYPTO_DEPOSIT_CREATED",
            EventType::CryptoDepositCreated,
            "CryptoTransferData",
        ),
        (
            "CRYPTO_DEPOSIT_UPDATED",
            EventType::CryptoDepositUpdated,
            "CryptoTransferData",
        ),
        (
            "CRYPTO_WITHDRAWAL_CREATED",
            EventType::CryptoWithdrawalCreated,
            "CryptoTransferData",
        ),
        (
            "CRYPTO_WITHDRAWAL_UPDATED",
            EventType::CryptoWithdrawalUpdated,
            "CryptoTransferData",
        ),
        (
            "EXCHANGE_STATUS_UPDATED",
            EventType::ExchangeStatusUpdated,
            "ExchangeStatusUpdatedData",
        ),
        (
            "FIAT_DEPOSIT_RECEIVED",
            EventType::FiatDepositReceived,
            "FiatDepositReceivedData",
        ),
        (
            "MANAGEE_CARD_APPROVAL_UPDATED",
            EventType::ManageeCardApprovalUpdated,
            "ManageeCardApprovalUpdatedData",
        ),
        (
            "MANAGEE_KYC_UPDATED",
            EventType::ManageeKycUpdated,
            "ManageeKycUpdatedData",
        ),
        (
            "TRANSACTION_STATUS_UPDATED",
            EventType::TransactionStatusUpdated,
            "TransactionStatusUpdatedData",
        ),
        (
            "INFORMATION_REQUESTED",
            EventType::InformationRequested,
            "InformationRequestData",
        ),
        (
            "INFORMATION_REQUEST_UPDATED",
            EventType::InformationRequestUpdated,
            "InformationRequestData",
        ),
    ];

    /// Misspellings the documentation uses for a documented code.
    const MISSPELLINGS: &'static [(&'static str, EventType)] =
        &[("FIAT_DEPOSIT_RECIEVED", EventType::FiatDepositReceived)];

    /// Every documented code, in the documentation's order.
    pub const KNOWN: &'static [&'static str] = &[
        "MANAGEE_JUMIO_COMPLETED",
        "CRYPTO_DEPOSIT_CREATED",
        "CRYPTO_DEPOSIT_UPDATED",
        "CRYPTO_WITHDRAWAL_CREATED",
        "CRYPTO_WITHDRAWAL_UPDATED",
        "EXCHANGE_STATUS_UPDATED",
        "FIAT_DEPOSIT_RECEIVED",
        "MANAGEE_CARD_APPROVAL_UPDATED",
        "MANAGEE_KYC_UPDATED",
        "TRANSACTION_STATUS_UPDATED",
        "INFORMATION_REQUESTED",
        "INFORMATION_REQUEST_UPDATED",
    ];

    /// `" crypto deposit  created "` -> `"CRYPTO_DEPOSIT_CREATED"`.
    pub fn normalise(code: &str) -> String {
        code.split_whitespace()
            .collect::<Vec<_>>()
            .join("_")
            .to_ascii_uppercase()
    }

    /// Reads a received `Type`: normalised, then matched; anything else is kept in `Other`.
    pub fn from_wire(code: &str) -> EventType {
        let code = Self::normalise(code);
        Self::TABLE
            .iter()
            .map(|(c, t, _)| (*c, t))
            .chain(Self::MISSPELLINGS.iter().map(|(c, t)| (*c, t)))
            .find(|(c, _)| *c == code)
            .map(|(_, t)| t.clone())
            .unwrap_or(EventType::Other(code))
    }

    /// The canonical code (`Other` gives the normalised code received).
    pub fn as_str(&self) -> &str {
        match self {
            EventType::Other(s) => s,
            known => Self::TABLE
                .iter()
                .find(|(_, t, _)| t == known)
                .map(|(c, _, _)| *c)
                .unwrap_or(""),
        }
    }

    /// The name of the model its `Data` is read into (`"CryptoTransferData"`); `None` for an
    /// unknown type, whose `Data` is kept raw.
    pub fn data_model(&self) -> Option<&'static str> {
        Self::TABLE
            .iter()
            .find(|(_, t, _)| t == self)
            .map(|(_, _, m)| *m)
    }

    /// True for a code outside the documented set.
    pub fn is_unknown(&self) -> bool {
        matches!(self, EventType::Other(_))
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for EventType {
    fn from(s: &str) -> Self {
        Self::from_wire(s)
    }
}

impl PartialEq<str> for EventType {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for EventType {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for EventType {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EventType".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // Known codes, or any other (normalised) code kept verbatim.
        schemars::json_schema!({"anyOf": [{"enum": Self::KNOWN}, {"type": "string"}]})
    }
}

/// A callback's `Data`, typed by its type code. Serialized as the inner model alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
#[non_exhaustive]
pub enum EventData {
    ManageeJumioCompleted(ManageeJumioCompletedData),
    /// `CRYPTO_DEPOSIT_CREATED`, `CRYPTO_DEPOSIT_UPDATED`, `CRYPTO_WITHDRAWAL_CREATED` and
    /// `CRYPTO_WITHDRAWAL_UPDATED` share this shape.
    CryptoTransfer(CryptoTransferData),
    ExchangeStatusUpdated(ExchangeStatusUpdatedData),
    FiatDepositReceived(FiatDepositReceivedData),
    ManageeCardApprovalUpdated(ManageeCardApprovalUpdatedData),
    ManageeKycUpdated(ManageeKycUpdatedData),
    TransactionStatusUpdated(TransactionStatusUpdatedData),
    /// `INFORMATION_REQUESTED` and `INFORMATION_REQUEST_UPDATED` share this shape.
    InformationRequest(InformationRequestData),
    /// An unknown type's `Data`, exactly as received (keys as sent, numbers with their digits).
    Unknown(Value),
}

/// Reads `Data` for `event_type`; the error names the field that does not decode.
pub(super) fn decode_data(event_type: &EventType, data: &Value) -> Result<EventData, String> {
    use EventType as T;
    Ok(match event_type {
        T::ManageeJumioCompleted => EventData::ManageeJumioCompleted(typed(data, "Data")?),
        T::CryptoDepositCreated
        | T::CryptoDepositUpdated
        | T::CryptoWithdrawalCreated
        | T::CryptoWithdrawalUpdated => EventData::CryptoTransfer(typed(data, "Data")?),
        T::ExchangeStatusUpdated => EventData::ExchangeStatusUpdated(typed(data, "Data")?),
        T::FiatDepositReceived => EventData::FiatDepositReceived(typed(data, "Data")?),
        T::ManageeCardApprovalUpdated => {
            EventData::ManageeCardApprovalUpdated(typed(data, "Data")?)
        }
        T::ManageeKycUpdated => EventData::ManageeKycUpdated(typed(data, "Data")?),
        T::TransactionStatusUpdated => EventData::TransactionStatusUpdated(typed(data, "Data")?),
        T::InformationRequested | T::InformationRequestUpdated => {
            let mut d: InformationRequestData = typed(data, "Data")?;
            d.information_request_ids = d
                .updated_information_request_ids
                .as_deref()
                .and_then(parse_ids);
            EventData::InformationRequest(d)
        }
        T::Other(_) => EventData::Unknown(data.clone()),
    })
}

/// `"1013, 1014"` -> `[1013, 1014]`; `None` unless every part is an integer (an empty string
/// is an empty list).
fn parse_ids(text: &str) -> Option<Vec<i64>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(',').map(|p| p.trim().parse().ok()).collect()
}

// ---------------------------------------------------------------------------------------------
// Data models. Wire names are given in lower case: keys are matched in any case.

/// `MANAGEE_JUMIO_COMPLETED`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct ManageeJumioCompletedData {
    /// Wire `ManageesId`: the managed customer.
    #[serde(rename(deserialize = "manageesid"), deserialize_with = "de::id")]
    pub managees_id: i64,
    /// Wire `ManageeCustomerUsersId`: the login (CustomerUser) that completed Jumio.
    #[serde(
        rename(deserialize = "manageecustomerusersid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub managee_customer_users_id: Option<i64>,
    /// Wire `DateJumioCompleted`.
    #[serde(
        rename(deserialize = "datejumiocompleted"),
        default,
        deserialize_with = "crate::time::wire::option::deserialize",
        serialize_with = "crate::time::user::option::serialize"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub date_jumio_completed: Option<DateTime<Utc>>,
}

/// An amount of an asset (`Amount`, `NetworkFee` of crypto transfers).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct AssetAmount {
    /// Wire `Asset`, trimmed.
    #[serde(rename(deserialize = "asset"), default, deserialize_with = "de::code")]
    pub asset: Option<String>,
    /// Wire `Amount`.
    #[serde(
        rename(deserialize = "amount"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub amount: Option<Decimal>,
}

/// `CRYPTO_DEPOSIT_CREATED`, `CRYPTO_DEPOSIT_UPDATED`, `CRYPTO_WITHDRAWAL_CREATED`,
/// `CRYPTO_WITHDRAWAL_UPDATED`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct CryptoTransferData {
    /// Wire `TransactionsId` (also read as `TransactionId`).
    #[serde(rename(deserialize = "transactionsid"), deserialize_with = "de::id")]
    pub transactions_id: i64,
    /// Wire `AccountsId` (also `AccountId`): the associated account; the provider marks it
    /// "will be deprecated" in favour of the source/destination accounts.
    #[serde(
        rename(deserialize = "accountsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub accounts_id: Option<i64>,
    /// Wire `SourceAccountsId`.
    #[serde(
        rename(deserialize = "sourceaccountsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub source_accounts_id: Option<i64>,
    /// Wire `DestinationAccountsId`.
    #[serde(
        rename(deserialize = "destinationaccountsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub destination_accounts_id: Option<i64>,
    /// Wire `TransactionHash`: the chain transaction.
    #[serde(
        rename(deserialize = "transactionhash"),
        default,
        deserialize_with = "de::text"
    )]
    pub transaction_hash: Option<String>,
    /// Wire `SourceAddress`.
    #[serde(
        rename(deserialize = "sourceaddress"),
        default,
        deserialize_with = "de::text"
    )]
    pub source_address: Option<String>,
    /// Wire `DestinationAddress`.
    #[serde(
        rename(deserialize = "destinationaddress"),
        default,
        deserialize_with = "de::text"
    )]
    pub destination_address: Option<String>,
    /// Wire `Amount` (`{Asset, Amount}`).
    #[serde(rename(deserialize = "amount"), default)]
    pub amount: Option<AssetAmount>,
    /// Wire `NetworkFee` (`{Asset, Amount}`).
    #[serde(rename(deserialize = "networkfee"), default)]
    pub network_fee: Option<AssetAmount>,
    /// Wire `Status`: `Pending`, `Frozen` (failed AML screening), `Failed` or `Completed` (the
    /// last two are final).
    #[serde(rename(deserialize = "status"), default, deserialize_with = "de::code")]
    pub status: Option<String>,
}

/// `EXCHANGE_STATUS_UPDATED`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct ExchangeStatusUpdatedData {
    /// Wire `Id`: the exchange.
    #[serde(rename(deserialize = "id"), deserialize_with = "de::id")]
    pub id: i64,
    /// Wire `ExchangeType`: `Buy` or `Sell`. A number (an example sends `0`) is kept as its
    /// digits in `Other`: what the numbers mean is not documented.
    #[serde(
        rename(deserialize = "exchangetype"),
        default,
        deserialize_with = "de::exchange_type"
    )]
    pub exchange_type: Option<ExchangeType>,
    /// Wire `Status`.
    #[serde(rename(deserialize = "status"), default)]
    pub status: Option<ExchangeStatus>,
    /// Wire `FromTransactionsId`.
    #[serde(
        rename(deserialize = "fromtransactionsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub from_transactions_id: Option<i64>,
    /// Wire `ToTransactionsId`.
    #[serde(
        rename(deserialize = "totransactionsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub to_transactions_id: Option<i64>,
    /// Wire `ManageesId`: the customer the exchange is for.
    #[serde(
        rename(deserialize = "manageesid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub managees_id: Option<i64>,
    /// Wire `AssetPair`.
    #[serde(
        rename(deserialize = "assetpair"),
        default,
        deserialize_with = "de::code"
    )]
    pub asset_pair: Option<String>,
    /// Wire `RequestAmount`.
    #[serde(
        rename(deserialize = "requestamount"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub request_amount: Option<Decimal>,
    /// Wire `RequestPrice`.
    #[serde(
        rename(deserialize = "requestprice"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub request_price: Option<Decimal>,
    /// Wire `ExecutedAmount`.
    #[serde(
        rename(deserialize = "executedamount"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub executed_amount: Option<Decimal>,
    /// Wire `ExecutedPrice`.
    #[serde(
        rename(deserialize = "executedprice"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub executed_price: Option<Decimal>,
    /// Wire `CommissionFee`.
    #[serde(
        rename(deserialize = "commissionfee"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub commission_fee: Option<Decimal>,
    /// Wire `PayeesId`: where sale proceeds go, if anywhere.
    #[serde(
        rename(deserialize = "payeesid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub payees_id: Option<i64>,
    /// Wire `TransferType`: present when `PayeesId` is.
    #[serde(rename(deserialize = "transfertype"), default)]
    pub transfer_type: Option<TransferType>,
    /// Wire `bHasOpenRfi`: an information request awaits an answer.
    #[serde(
        rename(deserialize = "bhasopenrfi"),
        default,
        deserialize_with = "null_default"
    )]
    pub has_open_rfi: bool,
    /// Wire `FromCustomerAssetAccountId`.
    #[serde(
        rename(deserialize = "fromcustomerassetaccountid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub from_customer_asset_account_id: Option<i64>,
    /// Wire `ToCustomerAssetAccountId`.
    #[serde(
        rename(deserialize = "tocustomerassetaccountid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub to_customer_asset_account_id: Option<i64>,
}

/// Who sent a fiat deposit (`SenderDetails`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct FiatDepositSender {
    /// Wire `RoutingNumber`.
    #[serde(
        rename(deserialize = "routingnumber"),
        default,
        deserialize_with = "de::text"
    )]
    pub routing_number: Option<String>,
    /// Wire `AccountNumber`.
    #[serde(
        rename(deserialize = "accountnumber"),
        default,
        deserialize_with = "de::text"
    )]
    pub account_number: Option<String>,
    /// Wire `Name`.
    #[serde(rename(deserialize = "name"), default, deserialize_with = "de::text")]
    pub name: Option<String>,
    /// Wire `AddressLine1`.
    #[serde(
        rename(deserialize = "addressline1"),
        default,
        deserialize_with = "de::text"
    )]
    pub address_line1: Option<String>,
    /// Wire `AddressLine2`.
    #[serde(
        rename(deserialize = "addressline2"),
        default,
        deserialize_with = "de::text"
    )]
    pub address_line2: Option<String>,
    /// Wire `AddressLine3`.
    #[serde(
        rename(deserialize = "addressline3"),
        default,
        deserialize_with = "de::text"
    )]
    pub address_line3: Option<String>,
}

/// `FIAT_DEPOSIT_RECEIVED`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct FiatDepositReceivedData {
    /// Wire `AccountsId` as the examples send it (the field table says `AccountId`: both are
    /// read): the receiving account.
    #[serde(rename(deserialize = "accountsid"), deserialize_with = "de::id")]
    pub accounts_id: i64,
    /// Wire `TransactionsId` (table: `TransactionId`).
    #[serde(rename(deserialize = "transactionsid"), deserialize_with = "de::id")]
    pub transactions_id: i64,
    /// Wire `OriginalTransactionsId`: for a refund, the platform transaction refunded.
    #[serde(
        rename(deserialize = "originaltransactionsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub original_transactions_id: Option<i64>,
    /// Wire `Reference`.
    #[serde(
        rename(deserialize = "reference"),
        default,
        deserialize_with = "de::text"
    )]
    pub reference: Option<String>,
    /// Wire `SenderDetails`.
    #[serde(rename(deserialize = "senderdetails"), default)]
    pub sender_details: Option<FiatDepositSender>,
    /// Wire `Amount`.
    #[serde(
        rename(deserialize = "amount"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub amount: Option<Decimal>,
    /// Wire `Imad`: the wire's IMAD.
    #[serde(rename(deserialize = "imad"), default, deserialize_with = "de::text")]
    pub imad: Option<String>,
    /// Wire `Date`.
    #[serde(
        rename(deserialize = "date"),
        default,
        deserialize_with = "crate::time::wire::option::deserialize",
        serialize_with = "crate::time::user::option::serialize"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub date: Option<DateTime<Utc>>,
    /// Wire `bReversal`: the deposit refunds an earlier platform transaction.
    #[serde(
        rename(deserialize = "breversal"),
        default,
        deserialize_with = "null_default"
    )]
    pub reversal: bool,
    /// Wire `bFlagged`: held by compliance; a `TRANSACTION_STATUS_UPDATED` follows with the
    /// decision.
    #[serde(
        rename(deserialize = "bflagged"),
        default,
        deserialize_with = "null_default"
    )]
    pub flagged: bool,
}

/// `MANAGEE_CARD_APPROVAL_UPDATED`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct ManageeCardApprovalUpdatedData {
    /// Wire `TopUpCardsId`: the card, once created.
    #[serde(
        rename(deserialize = "topupcardsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub top_up_cards_id: Option<i64>,
    /// Wire `RequestedTopUpCardsId`: the card request, when approval was deferred.
    #[serde(
        rename(deserialize = "requestedtopupcardsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub requested_top_up_cards_id: Option<i64>,
    /// Wire `Status`: `Approved` or `Rejected`.
    #[serde(rename(deserialize = "status"), default, deserialize_with = "de::code")]
    pub status: Option<String>,
    /// Wire `bManuallyUpdated`: a manager or admin intervened.
    #[serde(
        rename(deserialize = "bmanuallyupdated"),
        default,
        deserialize_with = "null_default"
    )]
    pub manually_updated: bool,
}

/// `MANAGEE_KYC_UPDATED`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct ManageeKycUpdatedData {
    /// Wire `ManageesId`.
    #[serde(rename(deserialize = "manageesid"), deserialize_with = "de::id")]
    pub managees_id: i64,
    /// Wire `VerificationStatus`: `Accepted` or `Rejected` (final).
    #[serde(
        rename(deserialize = "verificationstatus"),
        default,
        deserialize_with = "de::code"
    )]
    pub verification_status: Option<String>,
    /// Wire `AcceptDate`.
    #[serde(
        rename(deserialize = "acceptdate"),
        default,
        deserialize_with = "crate::time::wire::option::deserialize",
        serialize_with = "crate::time::user::option::serialize"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub accept_date: Option<DateTime<Utc>>,
    /// Wire `RejectDate`.
    #[serde(
        rename(deserialize = "rejectdate"),
        default,
        deserialize_with = "crate::time::wire::option::deserialize",
        serialize_with = "crate::time::user::option::serialize"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub reject_date: Option<DateTime<Utc>>,
    /// Wire `RejectReason`.
    #[serde(
        rename(deserialize = "rejectreason"),
        default,
        deserialize_with = "de::text"
    )]
    pub reject_reason: Option<String>,
}

/// `TRANSACTION_STATUS_UPDATED`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct TransactionStatusUpdatedData {
    /// Wire `Id`: the transaction.
    #[serde(rename(deserialize = "id"), deserialize_with = "de::id")]
    pub id: i64,
    /// Wire `AccountsId`.
    #[serde(
        rename(deserialize = "accountsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub accounts_id: Option<i64>,
    /// Wire `FromTransactionsId`.
    #[serde(
        rename(deserialize = "fromtransactionsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub from_transactions_id: Option<i64>,
    /// Wire `FromAccountsId`.
    #[serde(
        rename(deserialize = "fromaccountsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub from_accounts_id: Option<i64>,
    /// Wire `ToTransactionsId`.
    #[serde(
        rename(deserialize = "totransactionsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub to_transactions_id: Option<i64>,
    /// Wire `ToAccountsId`.
    #[serde(
        rename(deserialize = "toaccountsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub to_accounts_id: Option<i64>,
    /// Wire `RollbackTransactionsId` (the field table spells it `RollbackTransactionsID`):
    /// the refund, when the transfer was rejected, failed or refunded.
    #[serde(
        rename(deserialize = "rollbacktransactionsid"),
        default,
        deserialize_with = "de::id_option"
    )]
    pub rollback_transactions_id: Option<i64>,
    /// Wire `Amount` (negative for money leaving the account).
    #[serde(
        rename(deserialize = "amount"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub amount: Option<Decimal>,
    /// Wire `Description`.
    #[serde(
        rename(deserialize = "description"),
        default,
        deserialize_with = "de::text"
    )]
    pub description: Option<String>,
    /// Wire `DateTime`.
    #[serde(
        rename(deserialize = "datetime"),
        default,
        deserialize_with = "crate::time::wire::option::deserialize",
        serialize_with = "crate::time::user::option::serialize"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub date_time: Option<DateTime<Utc>>,
    /// Wire `bPending`.
    #[serde(
        rename(deserialize = "bpending"),
        default,
        deserialize_with = "null_default"
    )]
    pub pending: bool,
    /// Wire `bCompleted`.
    #[serde(
        rename(deserialize = "bcompleted"),
        default,
        deserialize_with = "null_default"
    )]
    pub completed: bool,
    /// Wire `bRejected`: rejected, hence refunded (see `rollback_transactions_id`).
    #[serde(
        rename(deserialize = "brejected"),
        default,
        deserialize_with = "null_default"
    )]
    pub rejected: bool,
}

/// `INFORMATION_REQUESTED`, `INFORMATION_REQUEST_UPDATED`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct InformationRequestData {
    /// Wire `CustomersId` as the examples send it (the text says `CustomerId`: both are read).
    #[serde(rename(deserialize = "customersid"), deserialize_with = "de::id")]
    pub customers_id: i64,
    /// Wire `UpdatedInformationRequestIds`, as received: a string (older revisions omit it).
    #[serde(
        rename(deserialize = "updatedinformationrequestids"),
        default,
        deserialize_with = "de::text"
    )]
    pub updated_information_request_ids: Option<String>,
    /// The same ids parsed: the string split on commas, each part an integer; `None` when the
    /// string is absent or any part is not an integer.
    #[serde(skip_deserializing)]
    pub information_request_ids: Option<Vec<i64>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_and_each_maps_to_one_model() {
        assert_eq!(
            EventType::from_wire(" crypto deposit  created\t"),
            EventType::CryptoDepositCreated
        );
        assert_eq!(
            EventType::from_wire("FIAT_DEPOSIT_RECIEVED"),
            EventType::FiatDepositReceived
        );
        assert_eq!(
            EventType::from_wire("new thing"),
            EventType::Other("NEW_THING".into())
        );
        assert_eq!(EventType::TABLE.len(), EventType::KNOWN.len());
        for ((code, t, _), known) in EventType::TABLE.iter().zip(EventType::KNOWN) {
            assert_eq!(code, known);
            assert_eq!(&EventType::from_wire(code), t);
            assert_eq!(t.as_str(), *code);
            assert!(t.data_model().is_some());
        }
        assert_eq!(EventType::Other("X".into()).data_model(), None);
    }

    #[test]
    fn ids_split_on_commas() {
        assert_eq!(parse_ids("1013"), Some(vec![1013]));
        assert_eq!(parse_ids(" 1013 , 1014"), Some(vec![1013, 1014]));
        assert_eq!(parse_ids(""), Some(vec![]));
        assert_eq!(parse_ids("1013,x"), None);
        assert_eq!(parse_ids("1013,"), None);
    }
}
