//! QuickBuy (V2 widget) and QuickBuy Pro callbacks: no `{Id, Type, Data}` envelope, the kind is
//! told by the payload's shape (see [`parse_quickbuy_event`](super::parse_quickbuy_event)).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{de, get, typed};

/// A QuickBuy or QuickBuy Pro callback. Serialized as `{"kind": "...", "data": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
#[non_exhaustive]
pub enum QuickBuyEvent {
    /// QuickBuy Pro "Payment Captured" (`status` `CAPTURED`): the card payment was captured,
    /// the crypto transfer is outstanding.
    PaymentCaptured(QuickBuyPaymentCallback),
    /// QuickBuy Pro "Cryptocurrency Transferred" (`status` `COMPLETED`, or `COMPLETE` as the
    /// state list spells it): the final event of a payment.
    CryptocurrencyTransferred(QuickBuyPaymentCallback),
    /// A QuickBuy Pro payment callback with any other (or no) `status`.
    PaymentUpdated(QuickBuyPaymentCallback),
    /// A QuickBuy (V2 widget) callback: completed fiat payment or completed crypto deposit.
    /// The documentation shows both only in part and nothing that tells them apart, so they
    /// share this one kind; the whole payload is kept in `raw`.
    Widget(QuickBuyWidgetCallback),
}

impl QuickBuyEvent {
    /// `"payment_captured"`, `"cryptocurrency_transferred"`, `"payment_updated"` or `"widget"`.
    pub fn kind(&self) -> &'static str {
        match self {
            QuickBuyEvent::PaymentCaptured(_) => "payment_captured",
            QuickBuyEvent::CryptocurrencyTransferred(_) => "cryptocurrency_transferred",
            QuickBuyEvent::PaymentUpdated(_) => "payment_updated",
            QuickBuyEvent::Widget(_) => "widget",
        }
    }

    /// The QuickBuy Pro payment, for the three payment kinds.
    pub fn payment(&self) -> Option<&QuickBuyPaymentCallback> {
        match self {
            QuickBuyEvent::PaymentCaptured(p)
            | QuickBuyEvent::CryptocurrencyTransferred(p)
            | QuickBuyEvent::PaymentUpdated(p) => Some(p),
            QuickBuyEvent::Widget(_) => None,
        }
    }

    /// Every kind and the model of its `data`, for `describe()`.
    pub const KINDS: &'static [(&'static str, &'static str)] = &[
        ("payment_captured", "QuickBuyPaymentCallback"),
        ("cryptocurrency_transferred", "QuickBuyPaymentCallback"),
        ("payment_updated", "QuickBuyPaymentCallback"),
        ("widget", "QuickBuyWidgetCallback"),
    ];
}

pub(super) fn decode(map: &Map<String, Value>) -> Result<QuickBuyEvent, String> {
    let object = Value::Object(map.clone());
    if get(map, "OrderID").is_some() {
        let payment: QuickBuyPaymentCallback = typed(&object, "body")?;
        let status = payment.status.as_deref().map(str::to_ascii_uppercase);
        return Ok(match status.as_deref() {
            Some("CAPTURED") => QuickBuyEvent::PaymentCaptured(payment),
            Some("COMPLETED" | "COMPLETE") => QuickBuyEvent::CryptocurrencyTransferred(payment),
            _ => QuickBuyEvent::PaymentUpdated(payment),
        });
    }
    if get(map, "TransactionReference").is_some() {
        let mut widget: QuickBuyWidgetCallback = typed(&object, "body")?;
        widget.raw = object;
        return Ok(QuickBuyEvent::Widget(widget));
    }
    let hint = if ["Id", "Type", "Data"].iter().all(|k| get(map, k).is_some()) {
        " (it has the Customer API envelope: read it with construct_event)"
    } else {
        ""
    };
    Err(format!(
        "not a QuickBuy callback: neither `OrderID` (QuickBuy Pro) nor `TransactionReference` \
         (QuickBuy widget){hint}"
    ))
}

/// A QuickBuy Pro payment callback (Payment Captured, Cryptocurrency Transferred).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct QuickBuyPaymentCallback {
    /// Wire `OrderID` (the `id` that create/get return).
    #[serde(
        rename(deserialize = "orderid"),
        deserialize_with = "de::required_text"
    )]
    pub order_id: String,
    /// Wire `status`: `CAPTURED`, `COMPLETED`, ... as received (trimmed).
    #[serde(rename(deserialize = "status"), default, deserialize_with = "de::code")]
    pub status: Option<String>,
    /// Wire `client`.
    #[serde(rename(deserialize = "client"), default)]
    pub client: Option<QuickBuyCallbackClient>,
    /// Wire `fiat`: what the card paid.
    #[serde(rename(deserialize = "fiat"), default)]
    pub fiat: Option<QuickBuyCallbackFiat>,
    /// Wire `crypto`: what the customer receives.
    #[serde(rename(deserialize = "crypto"), default)]
    pub crypto: Option<QuickBuyCallbackCrypto>,
    /// Wire `DateCreated`.
    #[serde(
        rename(deserialize = "datecreated"),
        default,
        deserialize_with = "crate::time::wire::option::deserialize",
        serialize_with = "crate::time::user::option::serialize"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub date_created: Option<DateTime<Utc>>,
    /// Wire `DateCaptured`.
    #[serde(
        rename(deserialize = "datecaptured"),
        default,
        deserialize_with = "crate::time::wire::option::deserialize",
        serialize_with = "crate::time::user::option::serialize"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub date_captured: Option<DateTime<Utc>>,
    /// Wire `DateTransfered` (sic; `DateTransferred` is read too).
    #[serde(
        rename(deserialize = "datetransfered"),
        default,
        deserialize_with = "crate::time::wire::option::deserialize",
        serialize_with = "crate::time::user::option::serialize"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub date_transferred: Option<DateTime<Utc>>,
}

/// The paying client of a QuickBuy Pro payment.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct QuickBuyCallbackClient {
    /// Wire `UserReference`: the merchant's reference for its customer.
    #[serde(
        rename(deserialize = "userreference"),
        default,
        deserialize_with = "de::text"
    )]
    pub user_reference: Option<String>,
    /// Wire `email`.
    #[serde(rename(deserialize = "email"), default, deserialize_with = "de::text")]
    pub email: Option<String>,
}

/// The fiat side of a QuickBuy Pro payment.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct QuickBuyCallbackFiat {
    /// Wire `amount`.
    #[serde(
        rename(deserialize = "amount"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub amount: Option<Decimal>,
    /// Wire `currency` (ISO 4217), trimmed.
    #[serde(
        rename(deserialize = "currency"),
        default,
        deserialize_with = "de::code"
    )]
    pub currency: Option<String>,
    /// Wire `PaymentCardLast4Digits` (text: `"0007"`).
    #[serde(
        rename(deserialize = "paymentcardlast4digits"),
        default,
        deserialize_with = "de::text"
    )]
    pub payment_card_last4_digits: Option<String>,
}

/// The crypto side of a QuickBuy Pro payment.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct QuickBuyCallbackCrypto {
    /// Wire `asset`, trimmed.
    #[serde(rename(deserialize = "asset"), default, deserialize_with = "de::code")]
    pub asset: Option<String>,
    /// Wire `amount`.
    #[serde(
        rename(deserialize = "amount"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub amount: Option<Decimal>,
    /// Wire `txHash`: the chain transaction (Cryptocurrency Transferred only).
    #[serde(rename(deserialize = "txhash"), default, deserialize_with = "de::text")]
    pub tx_hash: Option<String>,
}

/// A QuickBuy (V2 widget) callback. Only part of it is documented: what is known is typed, and
/// the whole payload is kept in `raw` exactly as received.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct QuickBuyWidgetCallback {
    /// Wire `TransactionReference`: Ibanera's reference.
    #[serde(
        rename(deserialize = "transactionreference"),
        deserialize_with = "de::required_text"
    )]
    pub transaction_reference: String,
    /// Wire `Status`: documented as always `SUCCESS` for now.
    #[serde(rename(deserialize = "status"), default, deserialize_with = "de::code")]
    pub status: Option<String>,
    /// Wire `RequestDetails`: what the widget was started with.
    #[serde(rename(deserialize = "requestdetails"), default)]
    pub request_details: Option<QuickBuyWidgetRequestDetails>,
    /// The whole payload as received (keys as sent, numbers with their digits), including the
    /// parts the documentation does not show (`TransactionDetails`, ...).
    #[serde(skip_deserializing)]
    pub raw: Value,
}

/// `RequestDetails` of a QuickBuy widget callback (the documented part).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all(serialize = "camelCase"))]
pub struct QuickBuyWidgetRequestDetails {
    /// Wire `UserReference`.
    #[serde(
        rename(deserialize = "userreference"),
        default,
        deserialize_with = "de::text"
    )]
    pub user_reference: Option<String>,
    /// Wire `ClientSignature`: the per-transaction token the widget was started with.
    #[serde(
        rename(deserialize = "clientsignature"),
        default,
        deserialize_with = "de::text"
    )]
    pub client_signature: Option<String>,
    /// Wire `CryptoAssetCode`, trimmed.
    #[serde(
        rename(deserialize = "cryptoassetcode"),
        default,
        deserialize_with = "de::code"
    )]
    pub crypto_asset_code: Option<String>,
    /// Wire `FiatCurrencyCode`, trimmed.
    #[serde(
        rename(deserialize = "fiatcurrencycode"),
        default,
        deserialize_with = "de::code"
    )]
    pub fiat_currency_code: Option<String>,
    /// Wire `FiatCurrencyAmount`.
    #[serde(
        rename(deserialize = "fiatcurrencyamount"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub fiat_currency_amount: Option<Decimal>,
    /// Wire `CryptoAssetAmount`: the estimate shown to the user.
    #[serde(
        rename(deserialize = "cryptoassetamount"),
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize",
        serialize_with = "crate::decimal::user::option::serialize"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub crypto_asset_amount: Option<Decimal>,
    /// Wire `RequestDate`: when the widget was started.
    #[serde(
        rename(deserialize = "requestdate"),
        default,
        deserialize_with = "crate::time::wire::option::deserialize",
        serialize_with = "crate::time::user::option::serialize"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub request_date: Option<DateTime<Utc>>,
}
