//! Cards: the models of the card lists, balances, transactions and details, the card's
//! sensitive details (kept secret), transfers and creation, the object arguments of
//! `cards.create`, and the rules of `cards.transfer_funds` and `cards.transactions`. The
//! operations are declared in `api.rs`.
//!
//! The provider's card pages spell the same field in several ways (`customersId`,
//! `customersID`, `CustomersID`; `cardHolderName`, `CardHolderName`): each documented spelling
//! is read. Money is optional where a page leaves it out.

use std::fmt;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::cards::{ListCardTransactions, TransferFunds};
use crate::enums::{CardCurrency, CardTransferType, EntityType};
use crate::error::ValidationError;
use crate::serde_util::{loose_id, null_default, trimmed};

// ---------------------------------------------------------------------------------------------
// Argument types

arg_object! {
    /// Where a physical card is shipped (`cards.create`).
    ShippingAddress {
        shipping_address_line1: String = "shippingAddressLine1", "street and suite";
        shipping_address_city: String = "shippingAddressCity", "city";
        shipping_address_state: String = "shippingAddressState", "state (name or abbreviation)";
        shipping_address_postcode: String = "shippingAddressPostcode", "postcode";
        shipping_address_country: String = "shippingAddressCountry",
            "country (ISO code or name)";
    }
}

arg_object! {
    /// A business's review details (`cards.create`, for customers older than 6 months). The
    /// provider's list of keys is cut after these: other keys go in `extra`.
    BusinessReviewDetails {
        legal_entity_name: String = "legalEntityName", "the business's legal name";
        doing_business_as: String = "doingBusinessAs", "the name it trades under";
        entity_type: EntityType = "entityType",
            "LLC, Corporation, Partnership or Sole Proprietor";
        registered_address_street: String = "registeredAddressStreet",
            "registered address: street";
        registered_address_number: Option<String> = "registeredAddressNumber",
            "registered address: number";
        registered_address_city: String = "registeredAddressCity", "registered address: city";
        registered_address_state: String = "registeredAddressState",
            "registered address: state";
        registered_address_postcode: String = "registeredAddressPostcode",
            "registered address: postcode";
    }
}

// ---------------------------------------------------------------------------------------------
// Rules that span several arguments

/// `from_date` must not be after `to_date`.
pub(crate) fn check_card_transactions(q: &ListCardTransactions) -> Result<(), ValidationError> {
    crate::models::accounts::dates_in_order(q.from_date, q.to_date)
}

/// Each transfer type takes exactly its two ids (the others are refused, not ignored), and a
/// card-to-card transfer is in USD.
pub(crate) fn check_transfer_funds(t: &TransferFunds) -> Result<(), ValidationError> {
    const SOURCE: &str = "source_card_id";
    const DESTINATION: &str = "destination_card_id";
    const ACCOUNT: &str = "customer_asset_account_id";
    let ids = [
        (SOURCE, t.source_card_id),
        (DESTINATION, t.destination_card_id),
        (ACCOUNT, t.customer_asset_account_id),
    ];
    let takes: [&str; 2] = match t.transfer_type {
        CardTransferType::TopUpCard => [DESTINATION, ACCOUNT],
        CardTransferType::TopUpAccount => [SOURCE, ACCOUNT],
        CardTransferType::CardToCard => [SOURCE, DESTINATION],
        // Refused by the type's own rule before this runs.
        _ => return Ok(()),
    };
    let kind = &t.transfer_type;
    for (field, value) in ids {
        match (takes.contains(&field), value) {
            (true, None) => {
                return Err(ValidationError::new(
                    field,
                    format!("is required when transfer_type is {kind}"),
                ));
            }
            (false, Some(_)) => {
                return Err(ValidationError::new(
                    field,
                    format!(
                        "is not taken when transfer_type is {kind} (it takes {} and {})",
                        takes[0], takes[1]
                    ),
                ));
            }
            _ => {}
        }
    }
    if *kind == CardTransferType::CardToCard && t.currency_type != CardCurrency::Usd {
        return Err(ValidationError::new(
            "currency_type",
            format!(
                "must be USD when transfer_type is CardToCard, got {}",
                t.currency_type
            ),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Models

/// A card with its balances (in `cards.list`, `cards.by_customer`, `cards.create`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Card {
    /// The card's id.
    #[serde(alias = "Id")]
    pub id: i64,
    #[serde(default, alias = "Currency", deserialize_with = "trimmed")]
    pub currency: Option<String>,
    #[serde(
        default,
        alias = "TotalBalance",
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub total_balance: Option<Decimal>,
    #[serde(
        default,
        alias = "AvailableBalance",
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub available_balance: Option<Decimal>,
    /// The sum of pending amounts.
    #[serde(
        default,
        alias = "PendingBalance",
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub pending_balance: Option<Decimal>,
    /// Wire `bSuppressed`: the card is deactivated.
    #[serde(
        rename(deserialize = "bSuppressed"),
        default,
        deserialize_with = "null_default"
    )]
    pub suppressed: bool,
    /// e.g. `Active`, `Deactivated`.
    #[serde(default, alias = "Status")]
    pub status: Option<String>,
}

/// A customer with their cards (`cards.list`, `cards.by_customer`). The card number the list
/// may carry is not kept: card numbers are only read through `cards.sensitive_details`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomerCards {
    /// The customer's id (`Id` in the prose, `customersId` in the schema sample).
    #[serde(default, alias = "CustomersId", alias = "Id")]
    pub customers_id: Option<i64>,
    #[serde(default, alias = "CustomersReference", alias = "Reference")]
    pub customers_reference: Option<String>,
    #[serde(default, alias = "Cards", deserialize_with = "null_default")]
    pub cards: Vec<Card>,
}

/// A card's balance (`cards.balances`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CardBalance {
    /// The card's id.
    #[serde(alias = "Id")]
    pub id: i64,
    /// Wire `customersID`, a number or a numeric string.
    #[serde(
        default,
        rename(deserialize = "customersID"),
        alias = "CustomersID",
        alias = "customersId",
        deserialize_with = "loose_id"
    )]
    pub customers_id: Option<i64>,
    #[serde(default, alias = "CustomersReference")]
    pub customers_reference: Option<String>,
    #[serde(default, alias = "CardHolderName")]
    pub card_holder_name: Option<String>,
    #[serde(default, alias = "CardLast4")]
    pub card_last4: Option<String>,
    #[serde(default, alias = "Currency", deserialize_with = "trimmed")]
    pub currency: Option<String>,
    #[serde(
        default,
        alias = "TotalBalance",
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub total_balance: Option<Decimal>,
    #[serde(
        default,
        alias = "AvailableBalance",
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub available_balance: Option<Decimal>,
    #[serde(
        default,
        alias = "PendingBalance",
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub pending_balance: Option<Decimal>,
    #[serde(default, alias = "Status")]
    pub status: Option<String>,
}

/// A line of a card's transactions (`cards.transactions`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CardTransaction {
    pub id: i64,
    #[serde(default, alias = "CardsId")]
    pub cards_id: Option<i64>,
    #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
    #[serde(serialize_with = "crate::decimal::user::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Money"))]
    pub amount: Decimal,
    #[serde(default, deserialize_with = "trimmed")]
    pub currency: Option<String>,
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
    /// Wire `RefundTransactionsID`: the refund of this transaction, if any.
    #[serde(
        default,
        rename(deserialize = "RefundTransactionsID"),
        alias = "refundTransactionsId",
        alias = "RefundTransactionsId"
    )]
    pub refund_transactions_id: Option<i64>,
}

/// One card's details (`cards.get`): no pending balance on this page.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CardDetails {
    /// Wire `customersID`, a number or a numeric string.
    #[serde(
        default,
        rename(deserialize = "customersID"),
        alias = "CustomersID",
        alias = "customersId",
        deserialize_with = "loose_id"
    )]
    pub customers_id: Option<i64>,
    #[serde(default, alias = "CustomersReference")]
    pub customers_reference: Option<String>,
    #[serde(default, alias = "CardHolderName")]
    pub card_holder_name: Option<String>,
    #[serde(default, alias = "CardLast4")]
    pub card_last4: Option<String>,
    #[serde(default, deserialize_with = "trimmed")]
    pub currency: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub total_balance: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub available_balance: Option<Decimal>,
    #[serde(default)]
    pub status: Option<String>,
}

/// A card's number, bank details and CVC (`cards.sensitive_details`). The provider does not
/// document the fields, so the JSON is kept as it arrived, and it is never printed: `Debug` and
/// `Display` show `***`, [`keys`](Self::keys) names the fields, and only
/// [`expose`](Self::expose) gives the values. It serializes to that JSON (what the CLI prints
/// when asked for it, and what the Node package wraps).
#[derive(Clone, PartialEq)]
pub struct SensitiveCardDetails {
    raw: Value,
}

impl SensitiveCardDetails {
    /// The details exactly as the API sent them: handle with care.
    pub fn expose(&self) -> &Value {
        &self.raw
    }

    /// The names of the fields the API sent (never their values).
    pub fn keys(&self) -> Vec<&str> {
        match &self.raw {
            Value::Object(map) => map.keys().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

impl fmt::Debug for SensitiveCardDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SensitiveCardDetails(***)")
    }
}

impl fmt::Display for SensitiveCardDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl Serialize for SensitiveCardDetails {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

impl<'de> Deserialize<'de> for SensitiveCardDetails {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(|raw| SensitiveCardDetails { raw })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for SensitiveCardDetails {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SensitiveCardDetails".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // `x-secret`: the bindings show its keys, never its values.
        schemars::json_schema!({
            "type": "object",
            "description": "A card's number, bank details and CVC, as the API sent them (the provider does not document the fields). Secret: printing it shows only the keys; `expose()` gives the values.",
            "x-secret": true,
        })
    }
}

/// `cards.create`'s response: the customer and the new card (deactivated until activated).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedCard {
    #[serde(default)]
    pub customers_id: Option<i64>,
    #[serde(default)]
    pub customers_reference: Option<String>,
    #[serde(default)]
    pub card: Option<Card>,
}

/// `cards.transfer_funds`'s response: the transactions of the transfer.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CardTransfer {
    /// Wire `FromTransactionId`.
    #[serde(
        default,
        rename(deserialize = "FromTransactionId"),
        alias = "fromTransactionId"
    )]
    pub from_transaction_id: Option<i64>,
    /// Wire `ToTransactionId`.
    #[serde(
        default,
        rename(deserialize = "ToTransactionId"),
        alias = "toTransactionId"
    )]
    pub to_transaction_id: Option<i64>,
    /// Wire `FeeTransactionId`.
    #[serde(
        default,
        rename(deserialize = "FeeTransactionId"),
        alias = "feeTransactionId"
    )]
    pub fee_transaction_id: Option<i64>,
    /// Its sign differs between the provider's examples (`-10` and `10` for a top-up).
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub amount: Option<Decimal>,
    #[serde(
        default,
        deserialize_with = "crate::decimal::wire::option::deserialize"
    )]
    #[serde(serialize_with = "crate::decimal::user::option::serialize")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Money>"))]
    pub fee_amount: Option<Decimal>,
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::ops::{Call, parse};

    fn body(args: serde_json::Value) -> serde_json::Value {
        match parse("cards.transfer_funds", &args).unwrap() {
            Call::TransferFunds(t) => serde_json::to_value(&t).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_three_transfer_examples_encode_as_the_page_shows_them() {
        // The page's TopUpAccount and CardToCard examples (TopUpCard is the vector's).
        assert_eq!(
            body(
                json!({"transfer_type": "TopUpAccount", "amount": "10", "currency_type": "USD",
                        "customers_id": 16221, "source_card_id": 1249,
                        "customer_asset_account_id": 8204, "reference": "Test"})
            ),
            json!({"amount": 10, "reference": "Test", "transferTypes": "TopUpAccount",
                   "currencyType": "USD", "SourceCardId": 1249, "CustomersId": "16221",
                   "CustomerAssetAccountId": 8204})
        );
        assert_eq!(
            body(
                json!({"transferType": "CardToCard", "amount": 10, "currencyType": "usd",
                        "customersId": 16221, "sourceCardId": 1249,
                        "destinationCardId": 1749, "reference": "Test"})
            ),
            json!({"amount": 10, "reference": "Test", "transferTypes": "CardToCard",
                   "currencyType": "USD", "SourceCardId": 1249, "CustomersId": "16221",
                   "DestinationCardId": 1749})
        );
    }

    #[test]
    fn object_arguments_take_any_spelling_name_their_keys_and_pass_the_rest_through() {
        let args = json!({
            "customers_id": 14387, "currency": "USD", "card_reference_id": "R1",
            "shipping_method": "express", "card_program_id": 1002,
            "shipping_address": {"shippingAddressLine1": " 1 Main St ", "shipping_address_city": "Austin",
                                 "ShippingAddressState": "TX", "shippingAddressPostcode": "73301",
                                 "shippingAddressCountry": "US", "shippingAddressLine2": "Unit 4"},
            "personal_review_details": {"occupation": "Engineer", "sourceOfFunds": ["Salary"]},
        });
        let Call::CreateCard(c) = parse("cards.create", &args).unwrap() else {
            panic!()
        };
        let sent = serde_json::to_value(&c).unwrap();
        assert_eq!(
            sent["shippingAddress"],
            json!({"shippingAddressLine1": "1 Main St", "shippingAddressCity": "Austin",
                   "shippingAddressState": "TX", "shippingAddressPostcode": "73301",
                   "shippingAddressCountry": "US", "shippingAddressLine2": "Unit 4"})
        );
        assert_eq!(sent["shippingMethod"], "Express");
        assert_eq!(
            sent["personalReviewDetails"],
            json!({"occupation": "Engineer", "sourceOfFunds": ["Salary"]})
        );
        // Absent optional arguments are left out of this body.
        assert!(sent.get("cardType").is_none() && sent.get("businessReviewDetails").is_none());

        let mut missing = args.clone();
        missing["shipping_address"]
            .as_object_mut()
            .unwrap()
            .remove("shipping_address_city");
        let e = parse("cards.create", &missing).unwrap_err();
        assert_eq!(e.field, "shipping_address.shipping_address_city");
        assert_eq!(e.rule, "is required");
        let mut blank = args.clone();
        blank["shipping_address"]["shipping_address_city"] = json!("  ");
        let e = parse("cards.create", &blank).unwrap_err();
        assert_eq!(e.field, "shipping_address.shipping_address_city");
        let mut not_object = args;
        not_object["personal_review_details"] = json!("Engineer");
        let e = parse("cards.create", &not_object).unwrap_err();
        assert_eq!(e.field, "personal_review_details");
        assert!(e.rule.contains("must be an object"), "{e}");
    }

    #[test]
    fn each_transfer_type_takes_exactly_its_ids() {
        let base = json!({"amount": "10", "currency_type": "USD", "customers_id": 1});
        let with = |extra: serde_json::Value| {
            let mut a = base.clone();
            a.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            parse("cards.transfer_funds", &a)
        };
        assert!(
            with(
                json!({"transfer_type": "TopUpCard", "destination_card_id": 2,
                             "customer_asset_account_id": 3})
            )
            .is_ok()
        );
        let e = with(
            json!({"transfer_type": "TopUpAccount", "destination_card_id": 2,
                            "customer_asset_account_id": 3}),
        )
        .unwrap_err();
        assert_eq!(e.field, "source_card_id");
        let e = with(json!({"transfer_type": "TopUpAccount", "source_card_id": 2,
                            "destination_card_id": 4, "customer_asset_account_id": 3}))
        .unwrap_err();
        assert_eq!(e.field, "destination_card_id");
        assert!(
            e.rule
                .contains("takes source_card_id and customer_asset_account_id"),
            "{e}"
        );
        let e = with(json!({"transfer_type": "CardToCard", "source_card_id": 2,
                            "destination_card_id": 4, "currency_type": "dUSD"}))
        .unwrap_err();
        assert_eq!(e.field, "currency_type");
        let e = with(json!({"transfer_type": "CardToCard", "source_card_id": 2,
                            "destination_card_id": 4, "amount": "0.00"}))
        .unwrap_err();
        assert_eq!(e.field, "amount");
    }

    #[test]
    fn sensitive_details_never_print_their_values() {
        let details: super::SensitiveCardDetails =
            serde_json::from_str(r#"{"cardNumber":"4111111111111111","cvc":"987"}"#).unwrap();
        let out = crate::ops::Output::GetSensitiveCardDetails(details.clone());
        for text in [
            format!("{details:?}"),
            format!("{details}"),
            format!("{out:?}"),
            format!("{:#?}", vec![out.clone()]),
        ] {
            assert!(!text.contains("4111") && !text.contains("987"), "{text}");
            assert!(text.contains("***"), "{text}");
        }
        assert_eq!(details.keys(), ["cardNumber", "cvc"]);
        assert_eq!(details.expose()["cvc"], "987");
        // The JSON form (what the CLI prints when asked, and Node wraps) is the values.
        assert_eq!(
            crate::ops::to_json_text(&out).unwrap(),
            r#"{"cardNumber":"4111111111111111","cvc":"987"}"#
        );
    }
}
