//! Errors cross to JavaScript as a JSON payload in the message of a plain napi error; the
//! wrapper (`bindings-node/lib/errors.js`) parses it and throws the matching class.
//!
//! Payload: `{"ibanera": 1, "code", "message", "httpStatus", "errors", "endpoint",
//! "retryAfterMs", "field", "rule", "attempts", "sent", "cause"}` (absent fields are `null`;
//! `cause` is the payload of the error behind an `outcome_unknown`). Nothing in it can hold a
//! secret: the core's errors never carry the password, the access token, the TOTP secret or a
//! code (the body in `sent` has secret-looking keys as `***`), and the messages built here only
//! use the core's fields.

use std::collections::HashSet;
use std::sync::OnceLock;

use ibanera::ops::{ArgType, OPERATIONS, camel_case};
use ibanera::{Endpoint, Error, ValidationError};
use serde_json::{Value, json};

/// The error of a failed call or a refused configuration.
pub(crate) fn to_napi(e: Error) -> napi::Error {
    napi::Error::from_reason(payload(&e).to_string())
}

/// A validation error (bad input, nothing sent).
pub(crate) fn validation(e: ValidationError) -> napi::Error {
    to_napi(Error::Validation(e))
}

/// A configuration error found by the binding itself (the core's come through `to_napi`).
pub(crate) fn config(message: impl Into<String>) -> napi::Error {
    to_napi(Error::Config(message.into()))
}

/// An error of the sandbox's control surface.
pub(crate) fn sandbox(e: ibanera_sandbox::SandboxError) -> napi::Error {
    napi::Error::from_reason(
        json!({"ibanera": 1, "code": "sandbox_error", "message": e.to_string()}).to_string(),
    )
}

pub(crate) fn payload(e: &Error) -> Value {
    let mut p = json!({
        "ibanera": 1,
        "code": e.kind().code(),
        "message": e.to_string(),
        "httpStatus": e.http_status(),
        "errors": e.api_errors(),
        "endpoint": e.endpoint().map(|x| x.to_string()),
        "retryAfterMs": e.retry_after().map(|d| d.as_millis() as u64),
        "attempts": e.attempts(),
    });
    if let Some(v) = e.validation() {
        let field = node_name(&v.field);
        let rule = camel_case_names(&v.rule);
        let mut message = String::new();
        if let Some(endpoint) = &v.endpoint {
            message.push_str(&format!("{endpoint}: "));
        }
        message.push_str(&format!("invalid `{field}`: {rule} (nothing was sent)"));
        p["message"] = json!(message);
        p["field"] = json!(field);
        p["rule"] = json!(rule);
    }
    if let Some(cause) = e.cause() {
        p["cause"] = payload(cause);
        p["sent"] = e
            .sent()
            .map(|body| sent_for_js(e.endpoint(), body.clone()))
            .unwrap_or(Value::Null);
    }
    p
}

/// The body an `outcome_unknown` request sent, as Node results show values: the money
/// arguments of the operation as strings of their exact digits, any other number a JS number
/// cannot hold exactly as a string too (`crate::exact_for_js`).
fn sent_for_js(endpoint: Option<&Endpoint>, body: Value) -> Value {
    let money: Vec<String> = endpoint
        .and_then(|ep| OPERATIONS.iter().find(|op| op.endpoint == *ep))
        .map(|op| {
            op.args
                .iter()
                .filter(|a| matches!(a.ty, ArgType::Money))
                .map(|a| key(a.name))
                .collect()
        })
        .unwrap_or_default();
    match body {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match v {
                    Value::Number(n) if money.contains(&key(&k)) => {
                        (k, Value::String(n.to_string()))
                    }
                    other => (k, crate::exact_for_js(other)),
                })
                .collect(),
        ),
        other => crate::exact_for_js(other),
    }
}

/// A key as the core matches argument names (case, `_` and `-` ignored).
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every argument name of the operation table (snake_case).
fn arg_names() -> &'static HashSet<&'static str> {
    static NAMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        // Every argument, and every documented key of an object argument.
        fn add(names: &mut HashSet<&'static str>, args: &'static [ibanera::ops::ArgSpec]) {
            for a in args {
                names.insert(a.name);
                if let ibanera::ops::ArgType::Object(fields) = a.ty {
                    add(names, fields);
                }
            }
        }
        let mut names = HashSet::new();
        for op in OPERATIONS {
            add(&mut names, op.args);
        }
        for (_, args) in ibanera::recovery::HELPERS {
            add(&mut names, args);
        }
        names
    })
}

/// An argument named as Node users write it (`destination_address` -> `destinationAddress`,
/// `shipping_address.shipping_address_city` -> `shippingAddress.shippingAddressCity`); other
/// names (`arguments`, `headers`, ...) unchanged.
pub(crate) fn node_name(field: &str) -> String {
    field
        .split('.')
        .map(|part| {
            if arg_names().contains(part) {
                camel_case(part)
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The core's rule text with the argument names it mentions in camelCase
/// (`"required when quantity_type is Amount"` -> `"... quantityType ..."`).
pub(crate) fn camel_case_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('_') && arg_names().contains(word.as_str()) {
            out.push_str(&camel_case(word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_payload_names_the_field_as_node_users_write_it() {
        let e = ibanera::ops::parse(
            "exchanges.quote",
            &json!({"customersId": 1004, "assetPair": "BTC/USDC", "quantityType": "Amount",
                    "exchangeType": "Buy", "price": "10"}),
        )
        .unwrap_err();
        let p = payload(&Error::Validation(e));
        assert_eq!(p["code"], "validation_error");
        assert_eq!(p["field"], "amount");
        let p = payload(&Error::Validation(
            ibanera::ops::parse(
                "accounts.withdraw_crypto",
                &json!({"accountsId": 1, "amount": "1", "destinationAddress": "x".repeat(101)}),
            )
            .unwrap_err(),
        ));
        assert_eq!(p["field"], "destinationAddress");
        assert!(
            p["message"]
                .as_str()
                .unwrap()
                .contains("invalid `destinationAddress`")
        );
        // A numeric string for an id: refused by the core, named in camelCase.
        let p = payload(&Error::Validation(
            ibanera::ops::parse(
                "exchanges.sell",
                &json!({"customersId": 1004, "assetPair": "BTC/USD", "quantityType": "Amount",
                        "amount": "1", "payeesId": "1011", "transferType": "Wire"}),
            )
            .unwrap_err(),
        ));
        assert_eq!(p["field"], "payeesId");
    }

    #[test]
    fn rule_text_in_camel_case() {
        assert_eq!(
            camel_case_names("required when quantity_type is Amount (snake_case)"),
            "required when quantityType is Amount (snake_case)"
        );
        assert_eq!(node_name("arguments"), "arguments");
    }

    #[test]
    fn config_errors_keep_the_cores_message() {
        let p = payload(&Error::Config("no TOTP secret: pass `totpSecret`".into()));
        assert_eq!(p["code"], "config_error");
        assert_eq!(
            p["message"],
            "configuration error: no TOTP secret: pass `totpSecret`"
        );
        assert_eq!(p["httpStatus"], Value::Null);
    }

    #[test]
    fn the_body_sent_shows_money_as_strings() {
        let sent = sent_for_js(
            Some(&ibanera::exchanges::BuyRequest::ENDPOINT),
            serde_json::from_str(
                r#"{"customersId":1004,"assetPair":"BTC/USDC","amount":100,"price":0.500}"#,
            )
            .unwrap(),
        );
        assert_eq!(
            sent.to_string(),
            r#"{"customersId":1004,"assetPair":"BTC/USDC","amount":"100","price":"0.500"}"#
        );
    }
}
