//! Callbacks (webhooks): verify the signature of a callback as received, then read it as a typed
//! event. One implementation, wrapped by the Python (`ibanera.webhooks`) and Node (`webhooks`)
//! packages. The rules are summed up in `docs/webhooks.md`.
//!
//! Two families of callbacks exist:
//!
//! * **Customer API callbacks**: header [`SIGNATURE_HEADER`] (`webhook-signature`), body the
//!   envelope `{"Id", "Type", "Data"}`. Read them with [`construct_event`] into an [`Event`].
//! * **QuickBuy and QuickBuy Pro callbacks**: header [`QUICKBUY_SIGNATURE_HEADER`]
//!   (`QuickBuy-Signature`), body without an envelope. Read them with
//!   [`construct_quickbuy_event`] into a [`QuickBuyEvent`].
//!
//! The signature is a plain SHA-256 digest (not an HMAC) of the raw body bytes followed by the
//! UTF-8 hash secret. It is checked against the bytes exactly as they arrived, never against
//! re-serialised JSON, and compared in constant time. The Customer API does not say how its
//! digest is encoded, so both standard base64 (padding optional) and hex (either case) are
//! accepted; QuickBuy documents base64, which is the only form accepted there. [`sign`] gives the
//! base64 form, which is what the sandbox sends.
//!
//! Receiving a callback, with any HTTP server (here just the body bytes and the headers):
//!
//! ```
//! use ibanera::webhooks::{self, EventData, EventType};
//!
//! # fn main() -> ibanera::Result<()> {
//! let secret = "my-hash-secret";
//! // What the server received: the raw body and its headers.
//! let body = br#"{"Id":"8b3291e8-633a-4aa0-a548-61b479dde915","Type":"MANAGEE_JUMIO_COMPLETED","Data":{"ManageesId":14017,"ManageeCustomerUsersId":14040,"DateJumioCompleted":"2024-04-04T15:41:52.15"}}"#;
//! # let signature = webhooks::sign(body, secret);
//! let headers = [("Content-Type", "application/json"), ("Webhook-Signature", signature.as_str())];
//!
//! let event = webhooks::construct_event_from_headers(body, headers, secret)?;
//! // Answer 200 quickly; the same callback may come again (retries): deduplicate on `event.id`.
//! match &event.data {
//!     EventData::ManageeJumioCompleted(d) => println!("managee {} finished KYC", d.managees_id),
//!     EventData::Unknown(raw) => println!("{} (not known to this SDK): {raw}", event.event_type),
//!     _ => {}
//! }
//! assert_eq!(event.event_type, EventType::ManageeJumioCompleted);
//! # Ok(())
//! # }
//! ```
//!
//! A failed check is [`Error::SignatureVerification`] (answer 401 and do not act on the body); a
//! body that is not a callback is [`Error::WebhookDecode`] (kind
//! [`Decode`](crate::ErrorKind::Decode)); an empty secret is a [`Config`](crate::Error::Config)
//! error. No error ever holds the secret or the signature that was expected.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};

mod events;
mod quickbuy;

pub use events::*;
pub use quickbuy::*;

/// The header carrying a Customer API callback's signature.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// The header carrying a QuickBuy or QuickBuy Pro callback's signature (some pages print
/// `Quickbuy-Signature`: header names are matched case-insensitively).
pub const QUICKBUY_SIGNATURE_HEADER: &str = "QuickBuy-Signature";

/// The length of a SHA-256 digest.
const DIGEST_LEN: usize = 32;

/// How much of a received signature an error may show: enough to tell which value arrived,
/// too little to matter.
const SIGNATURE_PREVIEW: usize = 8;

// ---------------------------------------------------------------------------------------------
// Signatures

/// Checks a Customer API callback's `webhook-signature` value against the raw body.
///
/// `signature` is the header's value (surrounding whitespace ignored): the SHA-256 digest of
/// `payload` followed by `secret`, in standard base64 (with or without padding) or in hex
/// (either case).
///
/// Errors: an empty `secret` is a configuration error; an empty, malformed or non-matching
/// signature is [`Error::SignatureVerification`].
pub fn verify_signature(payload: &[u8], signature: &str, secret: &str) -> Result<()> {
    verify(
        payload,
        signature,
        secret,
        SIGNATURE_HEADER,
        Encodings::Base64OrHex,
    )
}

/// Checks a QuickBuy / QuickBuy Pro callback's `QuickBuy-Signature` value against the raw body:
/// the standard base64 (padding optional) of SHA-256(`payload` followed by `secret`).
///
/// Errors as [`verify_signature`]; a hex value is refused (QuickBuy documents base64).
pub fn verify_quickbuy_signature(payload: &[u8], signature: &str, secret: &str) -> Result<()> {
    verify(
        payload,
        signature,
        secret,
        QUICKBUY_SIGNATURE_HEADER,
        Encodings::Base64,
    )
}

/// The signature of `payload` under `secret` in the form QuickBuy documents and the sandbox
/// sends for both families: standard base64, with padding, of SHA-256(`payload` followed by
/// `secret`).
pub fn sign(payload: &[u8], secret: &str) -> String {
    STANDARD.encode(digest(payload, secret))
}

/// The same signature in lower-case hex (also accepted for Customer API callbacks).
pub fn sign_hex(payload: &[u8], secret: &str) -> String {
    hex::encode(digest(payload, secret))
}

/// SHA-256 over the body bytes, then the secret's UTF-8 bytes (no copy of either is made).
fn digest(payload: &[u8], secret: &str) -> [u8; DIGEST_LEN] {
    let mut hasher = Sha256::new();
    hasher.update(payload);
    hasher.update(secret.as_bytes());
    hasher.finalize().into()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encodings {
    Base64OrHex,
    Base64,
}

fn verify(
    payload: &[u8],
    signature: &str,
    secret: &str,
    header: &str,
    encodings: Encodings,
) -> Result<()> {
    if secret.is_empty() {
        return Err(Error::config(format!(
            "the webhook hash secret is empty: pass the secret issued for `{header}` callbacks"
        )));
    }
    let received = signature.trim();
    if received.is_empty() {
        return Err(signature_error(format!("the `{header}` value is empty")));
    }
    let is_hex =
        received.len() == 2 * DIGEST_LEN && received.bytes().all(|b| b.is_ascii_hexdigit());
    let decoded = if is_hex {
        if encodings == Encodings::Base64 {
            return Err(signature_error(format!(
                "the `{header}` value is hex; QuickBuy signs in base64"
            )));
        }
        hex::decode(received).ok()
    } else {
        STANDARD_PAD_INDIFFERENT.decode(received).ok()
    };
    let Some(decoded) = decoded.filter(|d| d.len() == DIGEST_LEN) else {
        // Only the length is shown: a malformed value may be anything (even a secret passed
        // in the wrong argument).
        let wanted = match encodings {
            Encodings::Base64OrHex => "base64 or hex",
            Encodings::Base64 => "base64",
        };
        return Err(signature_error(format!(
            "the `{header}` value ({} characters) is not the {wanted} form of a SHA-256 digest",
            received.chars().count()
        )));
    };
    let expected = digest(payload, secret);
    if bool::from(expected.as_slice().ct_eq(&decoded)) {
        Ok(())
    } else {
        Err(signature_error(format!(
            "the `{header}` value {} ({}) does not match the body: wrong hash secret, or the \
             body is not the bytes exactly as received",
            preview(received),
            if is_hex {
                "read as hex"
            } else {
                "read as base64"
            },
        )))
    }
}

/// The first few characters of a received signature, quoted.
fn preview(received: &str) -> String {
    let head: String = received.chars().take(SIGNATURE_PREVIEW).collect();
    if head.len() < received.len() {
        format!("{head:?}...")
    } else {
        format!("{head:?}")
    }
}

fn signature_error(reason: String) -> Error {
    Error::SignatureVerification { reason }
}

// ---------------------------------------------------------------------------------------------
// Headers

/// One `(name, value)` header pair, as HTTP libraries hand them over: `(&str, &str)`,
/// `(&[u8], &[u8])`, `(&HeaderName, &HeaderValue)`, or a reference to an owned
/// `(String, String)` pair.
pub trait HeaderPair<'a> {
    fn header_name(&self) -> &[u8];
    fn header_value(&self) -> &'a [u8];
}

impl<'a, K: AsRef<[u8]>, V: AsRef<[u8]> + ?Sized> HeaderPair<'a> for (K, &'a V) {
    fn header_name(&self) -> &[u8] {
        self.0.as_ref()
    }
    fn header_value(&self) -> &'a [u8] {
        self.1.as_ref()
    }
}

impl<'a, K: AsRef<[u8]>, V: AsRef<[u8]>> HeaderPair<'a> for &'a (K, V) {
    fn header_name(&self) -> &[u8] {
        self.0.as_ref()
    }
    fn header_value(&self) -> &'a [u8] {
        self.1.as_ref()
    }
}

/// The value of the `webhook-signature` header (name matched case-insensitively; the first
/// one wins), trimmed; `None` when absent or not UTF-8.
pub fn signature_header<'a, I>(headers: I) -> Option<&'a str>
where
    I: IntoIterator,
    I::Item: HeaderPair<'a>,
{
    find_header(headers, SIGNATURE_HEADER).and_then(|v| std::str::from_utf8(v).ok().map(str::trim))
}

/// The value of the `QuickBuy-Signature` header (any case, so `Quickbuy-Signature` too), trimmed.
pub fn quickbuy_signature_header<'a, I>(headers: I) -> Option<&'a str>
where
    I: IntoIterator,
    I::Item: HeaderPair<'a>,
{
    find_header(headers, QUICKBUY_SIGNATURE_HEADER)
        .and_then(|v| std::str::from_utf8(v).ok().map(str::trim))
}

fn find_header<'a, I>(headers: I, name: &str) -> Option<&'a [u8]>
where
    I: IntoIterator,
    I::Item: HeaderPair<'a>,
{
    headers
        .into_iter()
        .find(|h| {
            h.header_name()
                .trim_ascii()
                .eq_ignore_ascii_case(name.as_bytes())
        })
        .map(|h| h.header_value())
}

/// The signature header's value, or the signature error that names the header expected.
fn required_header<'a, I>(headers: I, name: &str) -> Result<&'a str>
where
    I: IntoIterator,
    I::Item: HeaderPair<'a>,
{
    let value = find_header(headers, name).ok_or_else(|| {
        signature_error(format!(
            "the callback has no `{name}` header (header names are matched in any case)"
        ))
    })?;
    std::str::from_utf8(value)
        .map_err(|_| signature_error(format!("the `{name}` header is not text")))
}

// ---------------------------------------------------------------------------------------------
// Events

/// Verifies a Customer API callback ([`verify_signature`]), then reads it ([`parse_event`]).
pub fn construct_event(payload: &[u8], signature: &str, secret: &str) -> Result<Event> {
    verify_signature(payload, signature, secret)?;
    parse_event(payload)
}

/// [`construct_event`] with the signature taken from the request's headers; a missing
/// `webhook-signature` header is a signature error.
pub fn construct_event_from_headers<'a, I>(
    payload: &[u8],
    headers: I,
    secret: &str,
) -> Result<Event>
where
    I: IntoIterator,
    I::Item: HeaderPair<'a>,
{
    construct_event(payload, required_header(headers, SIGNATURE_HEADER)?, secret)
}

/// Verifies a QuickBuy / QuickBuy Pro callback ([`verify_quickbuy_signature`]), then reads it
/// ([`parse_quickbuy_event`]).
pub fn construct_quickbuy_event(
    payload: &[u8],
    signature: &str,
    secret: &str,
) -> Result<QuickBuyEvent> {
    verify_quickbuy_signature(payload, signature, secret)?;
    parse_quickbuy_event(payload)
}

/// [`construct_quickbuy_event`] with the signature taken from the request's headers.
pub fn construct_quickbuy_event_from_headers<'a, I>(
    payload: &[u8],
    headers: I,
    secret: &str,
) -> Result<QuickBuyEvent>
where
    I: IntoIterator,
    I::Item: HeaderPair<'a>,
{
    construct_quickbuy_event(
        payload,
        required_header(headers, QUICKBUY_SIGNATURE_HEADER)?,
        secret,
    )
}

/// Reads a Customer API callback body WITHOUT checking its signature (tests, replays of stored
/// callbacks). Anything received over the network goes through [`construct_event`].
///
/// The body must be a JSON object with `Id`, `Type` and `Data` (keys in any case), else it is a
/// decode error. A known type whose `Data` does not have the documented types is a decode error
/// naming the field; an unknown type is kept with its raw `Data`.
pub fn parse_event(payload: &[u8]) -> Result<Event> {
    let map = json_object(payload, "a callback envelope with `Id`, `Type` and `Data`")?;
    let missing = |key: &str| {
        decode_error(
            format!("not a callback envelope: no `{key}` (expected `Id`, `Type` and `Data`)"),
            payload,
        )
    };
    let id = match get(&map, "Id") {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Null) | None => return Err(missing("Id")),
        Some(other) => {
            return Err(decode_error(
                format!("`Id` must be a string, got {}", json_kind(other)),
                payload,
            ));
        }
    };
    let event_type = match get(&map, "Type") {
        Some(Value::String(s)) => EventType::from_wire(s),
        Some(Value::Null) | None => return Err(missing("Type")),
        Some(other) => {
            return Err(decode_error(
                format!("`Type` must be a string, got {}", json_kind(other)),
                payload,
            ));
        }
    };
    let data = get(&map, "Data").ok_or_else(|| missing("Data"))?;
    let data =
        events::decode_data(&event_type, data).map_err(|reason| decode_error(reason, payload))?;
    Ok(Event {
        id,
        event_type,
        data,
    })
}

/// Reads a QuickBuy / QuickBuy Pro callback body WITHOUT checking its signature.
///
/// The kind is decided by the payload's shape: an `OrderID` key means QuickBuy Pro, whose
/// `status` then decides (`CAPTURED`: payment captured; `COMPLETED` or `COMPLETE`:
/// cryptocurrency transferred; anything else: [`QuickBuyEvent::PaymentUpdated`]); otherwise a
/// `TransactionReference` key means a QuickBuy (V2 widget) callback. Anything else is a decode
/// error.
pub fn parse_quickbuy_event(payload: &[u8]) -> Result<QuickBuyEvent> {
    let map = json_object(payload, "a QuickBuy callback object")?;
    quickbuy::decode(&map).map_err(|reason| decode_error(reason, payload))
}

// ---------------------------------------------------------------------------------------------
// Decoding helpers

/// The body as a JSON object (a repeated key keeps its last value).
fn json_object(payload: &[u8], what: &str) -> Result<Map<String, Value>> {
    match serde_json::from_slice::<Value>(payload) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(decode_error(
            format!("expected {what}, got {}", json_kind(&other)),
            payload,
        )),
        Err(e) => Err(decode_error(format!("not JSON: {e}"), payload)),
    }
}

/// A key of an object, in any case (the provider's casing varies); the last match wins, as for
/// a repeated key.
fn get<'m>(map: &'m Map<String, Value>, key: &str) -> Option<&'m Value> {
    map.iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn decode_error(reason: String, body: &[u8]) -> Error {
    let end = body.len().min(200);
    Error::WebhookDecode {
        reason,
        body_prefix: String::from_utf8_lossy(&body[..end]).into_owned(),
    }
}

/// Spellings the documentation gives for one field in different places. Each pair is
/// `(alternative, preferred)`, lower case; the preferred spelling (the one the examples send)
/// wins when both arrive with a value.
const KEY_ALIASES: &[(&str, &str)] = &[
    ("accountid", "accountsid"),
    ("transactionid", "transactionsid"),
    ("customerid", "customersid"),
    ("datetransferred", "datetransfered"),
];

/// A copy of `value` whose object keys are lower case at every level, with [`KEY_ALIASES`]
/// folded onto their preferred spelling. The typed models name their fields in lower case, so
/// any casing the provider uses reads the same.
fn fold_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                // Keys that differ only in case: the last one wins, as for a repeated key.
                out.insert(k.trim().to_ascii_lowercase(), fold_keys(v));
            }
            for (alternative, preferred) in KEY_ALIASES {
                if let Some(v) = out.remove(*alternative) {
                    if out.get(*preferred).is_none_or(Value::is_null) {
                        out.insert((*preferred).to_string(), v);
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(fold_keys).collect()),
        other => other.clone(),
    }
}

/// A typed model from a JSON object of the callback, keys matched in any case. `what` names the
/// object in errors (`Data`), with the path of the field that does not decode.
fn typed<T: DeserializeOwned>(value: &Value, what: &str) -> std::result::Result<T, String> {
    if !value.is_object() {
        return Err(format!(
            "`{what}` must be an object, got {}",
            json_kind(value)
        ));
    }
    // Through text, not straight from the `Value`: serde_json hands a `Value`'s number whose
    // text is also the shortest float form (`1.0`) to `visit_f64`, which loses its scale; the
    // text deserializer always hands over the exact digits.
    let text = serde_json::to_string(&fold_keys(value)).map_err(|e| e.to_string())?;
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize::<_, T>(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        if path == "." || path.is_empty() {
            format!("{what}: {}", e.inner())
        } else {
            format!("{what}.{path}: {}", e.inner())
        }
    })
}

/// Lenient readers for the callbacks' fields (null and absent are the same).
mod de {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    use crate::enums::ExchangeType;

    fn id_of<E: serde::de::Error>(v: &Value) -> Result<Option<i64>, E> {
        match v {
            Value::Null => Ok(None),
            Value::Number(n) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| E::custom(format!("expected an integer id, got {n}"))),
            // Some pages send ids as strings ("16221").
            Value::String(s) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| E::custom(format!("expected an integer id, got {s:?}"))),
            other => Err(E::custom(format!(
                "expected an integer id, got {}",
                super::json_kind(other)
            ))),
        }
    }

    /// A required id: a JSON integer, or a string of digits.
    pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        id_of(&Value::deserialize(d)?)?
            .ok_or_else(|| D::Error::custom("expected an integer id, got null"))
    }

    /// An optional id.
    pub fn id_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        id_of(&Value::deserialize(d)?)
    }

    fn text_of<E: serde::de::Error>(v: Value) -> Result<Option<String>, E> {
        match v {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            // A number where text is documented keeps its exact digits.
            Value::Number(n) => Ok(Some(n.to_string())),
            other => Err(E::custom(format!(
                "expected a string, got {}",
                super::json_kind(&other)
            ))),
        }
    }

    /// Free text, kept verbatim (a number arriving instead keeps its digits).
    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        text_of(Value::deserialize(d)?)
    }

    /// Required text (an order id, a reference), kept verbatim.
    pub fn required_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        text_of(Value::deserialize(d)?)?
            .ok_or_else(|| D::Error::custom("expected a string, got null"))
    }

    /// A code (asset, currency, status): trimmed, as `"AED "` arrives padded.
    pub fn code<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(text_of(Value::deserialize(d)?)?.map(|s| {
            let t = s.trim();
            if t.len() == s.len() { s } else { t.to_string() }
        }))
    }

    /// `ExchangeType` is documented as text (`Buy`/`Sell`) but an example sends the number
    /// `0`. The number's meaning is not documented, so it is kept as received
    /// (`ExchangeType::Other("0")`) rather than guessed.
    pub fn exchange_type<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<ExchangeType>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(ExchangeType::from_wire(&s))),
            Value::Number(n) => Ok(Some(ExchangeType::Other(n.to_string()))),
            other => Err(D::Error::custom(format!(
                "expected Buy, Sell or a number, got {}",
                super::json_kind(&other)
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_keys_lowercases_and_prefers_the_examples_spelling() {
        let v: Value = serde_json::from_str(
            r#"{"AccountId": 1, "AccountsId": 2, "TransactionId": 3, "CustomerId": null,
                "CustomersId": 4, "Nested": {"DateTransferred": "x"}, "aB": 1, "Ab": 2}"#,
        )
        .unwrap();
        let f = fold_keys(&v);
        assert_eq!(f["accountsid"], 2);
        assert!(f.get("accountid").is_none());
        assert_eq!(f["transactionsid"], 3);
        assert_eq!(f["customersid"], 4);
        assert_eq!(f["nested"]["datetransfered"], "x");
        assert_eq!(f["ab"], 2);
        // A null preferred spelling is the same as an absent one.
        let v: Value = serde_json::from_str(r#"{"AccountsId": null, "AccountId": 7}"#).unwrap();
        assert_eq!(fold_keys(&v)["accountsid"], 7);
    }

    #[test]
    fn preview_is_short() {
        assert_eq!(preview("abc"), "\"abc\"");
        assert_eq!(preview("0123456789abcdef"), "\"01234567\"...");
    }
}
