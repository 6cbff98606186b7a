//! Crypto exchanges: the models of pairs, quotes, buy and sell, the list, and the review flow
//! (review quote, confirm sell, cancel), and the rules that span several arguments. The
//! operations themselves are declared in `api.rs`.
//!
//! ```no_run
//! use ibanera::exchanges::{BuyRequest, ConfirmSell};
//! use ibanera::{Client, Decimal, ExchangeStatus};
//!
//! # async fn run(client: Client) -> ibanera::Result<()> {
//! let spend: Decimal = "250.00".parse().expect("a decimal");
//! let exchange = client.exchanges().buy(&BuyRequest::by_price(1004, "BTC/USDC", spend)).await?;
//! assert_eq!(exchange.status, ExchangeStatus::WaitingForApproval);
//!
//! // A sell whose price moved during compliance review: read the new price, then confirm.
//! let review = client.exchanges().review_quote(23001).await?;
//! println!("was {:?}, now {}", review.previous_price, review.price);
//! let confirmed = client.exchanges().confirm_sell(&ConfirmSell::from_review(23001, &review)).await?;
//! println!("{} {}", confirmed.id, confirmed.status);
//! # Ok(())
//! # }
//! ```

use std::fmt;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::enums::{ExchangeStatus, ExchangeType, QuantityType, TransferType};
use crate::error::ValidationError;
use crate::exchanges::{BuyRequest, ConfirmSell, QuoteRequest, SellRequest};
use crate::serde_util::null_default;

// ---------------------------------------------------------------------------------------------
// Argument types

/// The FX rate a quote returned, echoed to `sell` exactly as received: the spec's quote
/// returns a number while its sell request documents a string (rule 9 of docs/wire-rules.md).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FxRateId {
    Number(serde_json::Number),
    Text(String),
}

impl fmt::Display for FxRateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FxRateId::Number(n) => write!(f, "{n}"),
            FxRateId::Text(s) => f.write_str(s),
        }
    }
}

impl From<i64> for FxRateId {
    fn from(n: i64) -> Self {
        FxRateId::Number(n.into())
    }
}

impl From<&str> for FxRateId {
    fn from(s: &str) -> Self {
        FxRateId::Text(s.to_string())
    }
}

impl From<String> for FxRateId {
    fn from(s: String) -> Self {
        FxRateId::Text(s)
    }
}

impl Serialize for FxRateId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FxRateId::Number(n) => n.serialize(s),
            FxRateId::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for FxRateId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FxRateId;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an FX rate id (number or string)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FxRateId, E> {
                Ok(FxRateId::Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FxRateId, E> {
                Ok(FxRateId::Number(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FxRateId, E> {
                Ok(FxRateId::Number(v.into()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<FxRateId, A::Error> {
                serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(FxRateId::Number)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for FxRateId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FxRateId".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": ["integer", "string"]})
    }
}

// ---------------------------------------------------------------------------------------------
// Rules that span several arguments, and constructors

/// Exactly one of price/amount, the one the quantity type fixes (rule 10 of docs/wire-rules.md). Each is
/// already known to be > 0 when given.
fn price_or_amount(
    quantity_type: &QuantityType,
    price: Option<&Decimal>,
    amount: Option<&Decimal>,
) -> Result<(), ValidationError> {
    let (wanted, wanted_value, other, other_value) = match quantity_type {
        QuantityType::Price => ("price", price, "amount", amount),
        QuantityType::Amount => ("amount", amount, "price", price),
        QuantityType::Other(v) => {
            return Err(ValidationError::new(
                "quantity_type",
                format!(
                    "must be Price or Amount, got a value of {} characters",
                    v.chars().count()
                ),
            ));
        }
    };
    if wanted_value.is_none() {
        return Err(ValidationError::new(
            wanted,
            format!("is required when quantity_type is {quantity_type}"),
        ));
    }
    if other_value.is_some() {
        return Err(ValidationError::new(
            other,
            format!("must be absent when quantity_type is {quantity_type} (give {wanted} only)"),
        ));
    }
    Ok(())
}

/// A quote: price or amount as the quantity type says; a sell to a payee names how the
/// proceeds travel.
pub(crate) fn check_quote(q: &QuoteRequest) -> Result<(), ValidationError> {
    price_or_amount(&q.quantity_type, q.price.as_ref(), q.amount.as_ref())?;
    if q.exchange_type == ExchangeType::Sell && q.payees_id.is_some() && q.transfer_type.is_none() {
        return Err(ValidationError::new(
            "transfer_type",
            "is required for a sell with a payees_id",
        ));
    }
    Ok(())
}

/// A sell: quote-based (`fx_rate_id`, nothing else fixed) or with a quantity type and the
/// matching one of price/amount; with a payee, a transfer type.
pub(crate) fn check_sell(s: &SellRequest) -> Result<(), ValidationError> {
    match (&s.quantity_type, &s.fx_rate_id) {
        (Some(q), _) => price_or_amount(q, s.price.as_ref(), s.amount.as_ref())?,
        (None, None) => {
            return Err(ValidationError::new(
                "quantity_type",
                "is required unless fx_rate_id (from a quote) is given",
            ));
        }
        (None, Some(_)) => {
            if s.price.is_some() || s.amount.is_some() {
                let field = if s.price.is_some() { "price" } else { "amount" };
                return Err(ValidationError::new(
                    field,
                    "needs a quantity_type saying whether price or amount is fixed",
                ));
            }
        }
    }
    if s.payees_id.is_some() && s.transfer_type.is_none() {
        return Err(ValidationError::new(
            "transfer_type",
            "is required for a sell with a payees_id",
        ));
    }
    Ok(())
}

pub(crate) fn check_buy(b: &BuyRequest) -> Result<(), ValidationError> {
    price_or_amount(&b.quantity_type, b.price.as_ref(), b.amount.as_ref())
}

impl BuyRequest {
    /// Spend `price` of the quote asset.
    pub fn by_price(customers_id: i64, asset_pair: impl Into<String>, price: Decimal) -> Self {
        BuyRequest {
            customers_id,
            asset_pair: asset_pair.into(),
            quantity_type: QuantityType::Price,
            price: Some(price),
            amount: None,
        }
    }

    /// Buy `amount` of the base asset.
    pub fn by_amount(customers_id: i64, asset_pair: impl Into<String>, amount: Decimal) -> Self {
        BuyRequest {
            customers_id,
            asset_pair: asset_pair.into(),
            quantity_type: QuantityType::Amount,
            price: None,
            amount: Some(amount),
        }
    }
}

impl ConfirmSell {
    /// Confirms exactly what the review quoted.
    pub fn from_review(exchanges_id: i64, review: &ReviewQuote) -> Self {
        ConfirmSell {
            exchanges_id,
            amount: review.amount,
            price: review.price,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Models

/// A pair enabled for exchanges, with its limits. The fields are read under the names the
/// provider documents (`MinTradeAmount`, `CommissionFeePercentage`, ..., any case) or common
/// ones (`minimumAmount`), and the pair's JSON is kept in `raw`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AssetPair {
    /// `BASE/QUOTE`, e.g. `BTC/USDC`.
    pub asset_pair: String,
    pub base_asset: Option<String>,
    pub quote_asset: Option<String>,
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub minimum_amount: Option<Decimal>,
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub maximum_amount: Option<Decimal>,
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub minimum_price: Option<Decimal>,
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub maximum_price: Option<Decimal>,
    /// The commission, in percent of the exchange.
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub commission_fee_percentage: Option<Decimal>,
    /// The most decimals a price or an amount may have.
    pub max_decimal_precision: Option<u32>,
    /// The pair exactly as the API sent it.
    pub raw: Value,
}

impl<'de> Deserialize<'de> for AssetPair {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Value::deserialize(d)?;
        let obj = match &raw {
            Value::String(s) => {
                let (base, quote) = split_pair(s);
                return Ok(AssetPair {
                    asset_pair: s.trim().to_string(),
                    base_asset: base,
                    quote_asset: quote,
                    minimum_amount: None,
                    maximum_amount: None,
                    minimum_price: None,
                    maximum_price: None,
                    commission_fee_percentage: None,
                    max_decimal_precision: None,
                    raw,
                });
            }
            Value::Object(o) => o,
            _ => return Err(de::Error::custom("an asset pair is an object or a string")),
        };
        let find = |names: &[&str]| {
            names.iter().find_map(|n| {
                obj.iter()
                    .find(|(k, v)| k.eq_ignore_ascii_case(n) && !v.is_null())
                    .map(|(_, v)| v)
            })
        };
        let text = |names: &[&str]| {
            find(names)
                .and_then(Value::as_str)
                .map(|s| s.trim().to_string())
        };
        let money = |names: &[&str]| -> Result<Option<Decimal>, D::Error> {
            match find(names) {
                None => Ok(None),
                Some(Value::Number(n)) => crate::decimal::parse_decimal(n.as_str())
                    .map(Some)
                    .map_err(de::Error::custom),
                Some(Value::String(s)) => crate::decimal::parse_decimal(s)
                    .map(Some)
                    .map_err(de::Error::custom),
                Some(other) => Err(de::Error::custom(format!("`{other}` is not a decimal"))),
            }
        };
        let mut base_asset = text(&["baseAsset", "fromAsset", "base"]);
        let mut quote_asset = text(&["quoteAsset", "toAsset", "quote"]);
        let asset_pair = match text(&["assetPair", "pair", "symbol", "name"]) {
            Some(p) => p,
            None => match (&base_asset, &quote_asset) {
                (Some(b), Some(q)) => format!("{b}/{q}"),
                _ => return Err(de::Error::custom("an asset pair without a name")),
            },
        };
        if base_asset.is_none() || quote_asset.is_none() {
            let (b, q) = split_pair(&asset_pair);
            base_asset = base_asset.or(b);
            quote_asset = quote_asset.or(q);
        }
        let count = |names: &[&str]| -> Result<Option<u32>, D::Error> {
            match find(names) {
                None => Ok(None),
                Some(Value::Number(n)) => n
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .map(Some)
                    .ok_or_else(|| de::Error::custom(format!("`{n}` is not a count"))),
                Some(other) => Err(de::Error::custom(format!("`{other}` is not a count"))),
            }
        };
        Ok(AssetPair {
            minimum_amount: money(&["minimumAmount", "minAmount", "minTradeAmount"])?,
            maximum_amount: money(&["maximumAmount", "maxAmount", "maxTradeAmount"])?,
            minimum_price: money(&["minimumPrice", "minPrice", "minTradePrice"])?,
            maximum_price: money(&["maximumPrice", "maxPrice", "maxTradePrice"])?,
            commission_fee_percentage: money(&["commissionFeePercentage"])?,
            max_decimal_precision: count(&["maxDecimalPrecision"])?,
            asset_pair,
            base_asset,
            quote_asset,
            raw,
        })
    }
}

fn split_pair(pair: &str) -> (Option<String>, Option<String>) {
    match pair.trim().split_once('/') {
        Some((b, q)) => (Some(b.trim().to_string()), Some(q.trim().to_string())),
        None => (None, None),
    }
}

/// `exchanges.quote`'s response.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    #[serde(default)]
    pub customers_id: Option<i64>,
    #[serde(default)]
    pub payees_id: Option<i64>,
    #[serde(default)]
    pub quantity_type: Option<QuantityType>,
    #[serde(default)]
    pub asset_pair: Option<String>,
    /// Base-asset quantity.
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub amount: Decimal,
    /// Effective net price after commission and network fees.
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub net_price: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub network_fee: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub commission_fee: Option<Decimal>,
    /// Total quoted price (quote asset).
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub price: Decimal,
    /// Pass to `sell` as is.
    #[serde(default)]
    pub fx_rate_id: Option<FxRateId>,
    /// After this instant the quote is stale: get a new one.
    #[serde(default, deserialize_with = "crate::time::wire::option::deserialize")]
    #[serde(serialize_with = "crate::time::user::option::serialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub fx_rate_expiry_date: Option<DateTime<Utc>>,
}

/// `exchanges.review_quote`'s response: the new price of an exchange whose price moved during
/// compliance review, next to the previous one.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReviewQuote {
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub previous_price: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub previous_amount: Option<Decimal>,
    #[serde(default)]
    pub customers_id: Option<i64>,
    #[serde(default)]
    pub payees_id: Option<i64>,
    #[serde(default)]
    pub quantity_type: Option<QuantityType>,
    #[serde(default)]
    pub asset_pair: Option<String>,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub amount: Decimal,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub net_price: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub network_fee: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub commission_fee: Option<Decimal>,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub price: Decimal,
    #[serde(default)]
    pub fx_rate_id: Option<FxRateId>,
    #[serde(default, deserialize_with = "crate::time::wire::option::deserialize")]
    #[serde(serialize_with = "crate::time::user::option::serialize")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Timestamp>")
    )]
    pub fx_rate_expiry_date: Option<DateTime<Utc>>,
}

/// An exchange (`buy`, `sell`, `list`, `confirm_sell`, `cancel`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Exchange {
    pub id: i64,
    pub exchange_type: ExchangeType,
    pub status: ExchangeStatus,
    #[serde(default)]
    pub from_transactions_id: Option<i64>,
    #[serde(default)]
    pub to_transactions_id: Option<i64>,
    #[serde(default)]
    pub customers_id: Option<i64>,
    #[serde(default)]
    pub asset_pair: Option<String>,
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
    pub commission_fee: Option<Decimal>,
    #[serde(default)]
    pub payees_id: Option<i64>,
    #[serde(default)]
    pub transfer_type: Option<TransferType>,
    /// Wire `bHasOpenRfi`: an open request for information (FX only).
    #[serde(
        rename(deserialize = "bHasOpenRfi"),
        default,
        deserialize_with = "null_default"
    )]
    pub has_open_rfi: bool,
}
