//! Callbacks: `webhooks.constructEvent` / `constructQuickBuyEvent` on the core's
//! `ibanera::webhooks` (the signature checked on the raw bytes, then the typed event). Events
//! cross as the core's user-facing JSON, with every number a JS number cannot hold exactly (in
//! an unknown type's raw data) as a string of its digits.

use ibanera::webhooks::{self, EventType};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde::Serialize;

use crate::error;

/// `[name, value, name, value, ...]` (as Node's `rawHeaders`) as the core's header pairs.
fn pairs(flat: &[String]) -> Vec<(&str, &str)> {
    flat.chunks_exact(2)
        .map(|p| (p[0].as_str(), p[1].as_str()))
        .collect()
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    let value = serde_json::to_value(value)
        .map_err(|e| error::config(format!("cannot serialize a callback: {e}")))?;
    Ok(crate::exact_for_js(value).to_string())
}

/// Verifies with `by_value` when the caller passed the signature header's value, else with
/// `by_headers` over `headers` (flat name/value pairs), and writes the event's JSON text.
fn construct<E: Serialize>(
    signature: Option<String>,
    headers: Option<Vec<String>>,
    by_value: impl FnOnce(&str) -> ibanera::Result<E>,
    by_headers: impl for<'a> FnOnce(Vec<(&'a str, &'a str)>) -> ibanera::Result<E>,
) -> Result<String> {
    let event = match (signature, headers) {
        (Some(value), _) => by_value(&value),
        (None, Some(flat)) => by_headers(pairs(&flat)),
        (None, None) => return Err(Error::from_reason("no signature and no headers")),
    }
    .map_err(error::to_napi)?;
    to_json(&event)
}

/// Verifies a Customer API callback and reads it. `signature` is the `webhook-signature`
/// value; without it, `headers` (flat name/value pairs) are searched for it.
#[napi]
pub fn construct_event(
    payload: Uint8Array,
    signature: Option<String>,
    headers: Option<Vec<String>>,
    secret: String,
) -> Result<String> {
    construct(
        signature,
        headers,
        |value| webhooks::construct_event(&payload, value, &secret),
        |pairs| webhooks::construct_event_from_headers(&payload, pairs, &secret),
    )
}

/// Verifies a QuickBuy / QuickBuy Pro callback (`QuickBuy-Signature`, base64) and reads it.
#[napi]
pub fn construct_quick_buy_event(
    payload: Uint8Array,
    signature: Option<String>,
    headers: Option<Vec<String>>,
    secret: String,
) -> Result<String> {
    construct(
        signature,
        headers,
        |value| webhooks::construct_quickbuy_event(&payload, value, &secret),
        |pairs| webhooks::construct_quickbuy_event_from_headers(&payload, pairs, &secret),
    )
}

/// The callback types this package knows (`EventType::KNOWN`).
#[napi]
pub fn webhook_event_types() -> Vec<String> {
    EventType::KNOWN.iter().map(|t| t.to_string()).collect()
}

/// The signature headers: `[customer, quickbuy]`.
#[napi]
pub fn webhook_signature_headers() -> Vec<String> {
    vec![
        webhooks::SIGNATURE_HEADER.to_string(),
        webhooks::QUICKBUY_SIGNATURE_HEADER.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_numbers_keep_their_digits_and_headers_pair_up() {
        let body = br#"{"Id":"e1","Type":"SOMETHING_NEW","Data":{"Amount":10.50,"Big":9007199254740993,"N":1}}"#;
        let sig = webhooks::sign(body, "s");
        let flat = vec![
            "Content-Type".into(),
            "application/json".into(),
            "Webhook-Signature".into(),
            sig,
        ];
        let event = webhooks::construct_event_from_headers(body, pairs(&flat), "s").unwrap();
        assert_eq!(
            to_json(&event).unwrap(),
            r#"{"id":"e1","type":"SOMETHING_NEW","data":{"Amount":"10.50","Big":"9007199254740993","N":1}}"#
        );
    }
}
