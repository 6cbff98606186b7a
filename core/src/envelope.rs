//! The response envelope `{id, details, status, errors, pageSize?, pageNumber?, numberOfPages?}`
//! and the mapping of every outcome to a value or a typed error (rules 4, 5, 8 of docs/wire-rules.md).

use std::fmt;
use std::time::Duration;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::endpoint::Endpoint;
use crate::error::{ApiError, ApiErrorItem, Error, MessageCode, Result};

/// A decoded successful response: `details` typed, plus the envelope's id and paging fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope<T> {
    /// The envelope's `id` (a reference the API sometimes fills, often 0).
    pub id: Option<i64>,
    pub details: T,
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
    pub number_of_pages: Option<u32>,
    /// Error items of a response that nevertheless reported success (`status` 1): kept so the
    /// caller can see them (the client also logs them).
    pub warnings: Vec<ApiErrorItem>,
}

/// `status`: `"1"`/`1` success, `"0"`/`0` failure; anything else is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    Success,
    Failure,
    Other(String),
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Status;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a status (\"1\", 1, \"0\" or 0)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Status, E> {
                Ok(match v.trim() {
                    "1" => Status::Success,
                    "0" => Status::Failure,
                    other => Status::Other(other.to_string()),
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Status, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Status, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Status, E> {
                Ok(if v { Status::Success } else { Status::Failure })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Status, A::Error> {
                let n =
                    serde_json::Number::deserialize(de::value::MapAccessDeserializer::new(map))?;
                self.visit_str(n.as_str())
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    details: Option<&'a RawValue>,
    #[serde(default)]
    status: Option<Status>,
    #[serde(default, borrow)]
    errors: Option<&'a RawValue>,
    #[serde(default, rename = "pageSize")]
    page_size: Option<u32>,
    #[serde(default, rename = "pageNumber")]
    page_number: Option<u32>,
    #[serde(default, rename = "numberOfPages")]
    number_of_pages: Option<u32>,
}

/// The envelope with typed details, for the one-pass success path.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct TypedEnvelope<'a, T> {
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
    #[serde(default = "Option::default")]
    details: Option<T>,
    #[serde(default)]
    status: Option<Status>,
    #[serde(default, borrow)]
    errors: Option<&'a RawValue>,
    #[serde(default, rename = "pageSize")]
    page_size: Option<u32>,
    #[serde(default, rename = "pageNumber")]
    page_number: Option<u32>,
    #[serde(default, rename = "numberOfPages")]
    number_of_pages: Option<u32>,
}

impl<T> TypedEnvelope<'_, T> {
    /// `errors` absent, `null` or `[]`: a success that also lists errors is treated with care.
    fn errors_empty(&self) -> bool {
        self.errors.is_none_or(|e| {
            let t = e.get().trim();
            t == "null"
                || t.strip_prefix('[')
                    .and_then(|t| t.strip_suffix(']'))
                    .is_some_and(|t| t.trim().is_empty())
        })
    }
}

/// Decodes a response body for `endpoint` into its typed details, or the typed error that the
/// HTTP status and the envelope describe. `retry_after` is attached to a 429.
pub fn decode<T: DeserializeOwned>(
    endpoint: &Endpoint,
    http_status: u16,
    retry_after: Option<Duration>,
    body: &[u8],
) -> Result<Envelope<T>> {
    let decode_error = |reason: String| Error::Decode {
        endpoint: endpoint.clone(),
        http_status,
        // serde quotes offending values whole: a 5,000-character string would make the message.
        reason: if reason.chars().count() > 300 {
            reason.chars().take(300).chain("...".chars()).collect()
        } else {
            reason
        },
        body_prefix: body_prefix(body),
    };
    let api_error = |errors: Vec<ApiErrorItem>| {
        let error = ApiError {
            endpoint: endpoint.clone(),
            http_status,
            errors,
            detail: None,
        };
        match http_status {
            401 | 403 => Error::Authentication(error),
            404 => Error::NotFound(error),
            429 => Error::RateLimited { error, retry_after },
            _ => Error::Api(error),
        }
    };
    let is_http_ok = (200..300).contains(&http_status);
    let typed_status = matches!(http_status, 401 | 403 | 404 | 429);

    // The common case in one pass: a success whose details decode straight into `T`. Anything
    // else (a failure, a repeated key, a field that does not decode) takes the careful path
    // below, which reports precisely.
    if is_http_ok {
        // One UTF-8 check of the whole body (std's fast path) instead of one per string.
        let parsed = std::str::from_utf8(body)
            .ok()
            .and_then(|text| serde_json::from_str::<TypedEnvelope<T>>(text).ok());
        if let Some(env) = parsed {
            if env.status == Some(Status::Success) && env.errors_empty() {
                let details = match env.details {
                    Some(d) => d,
                    None => decode_details::<T>(None).map_err(decode_error)?,
                };
                return Ok(Envelope {
                    id: env.id.and_then(|v| v.get().trim().parse().ok()),
                    details,
                    page_number: env.page_number,
                    page_size: env.page_size,
                    number_of_pages: env.number_of_pages,
                    warnings: Vec::new(),
                });
            }
        }
    }

    // A key repeated in the envelope makes the derive fail; a `Value` keeps the last one.
    let deduplicated;
    let raw: RawEnvelope = match serde_json::from_slice(body) {
        Ok(raw) => raw,
        Err(first) => {
            let reparsed = if first.is_data() {
                serde_json::from_slice::<Value>(body)
                    .ok()
                    .and_then(|v| serde_json::to_vec(&v).ok())
            } else {
                None
            };
            match reparsed {
                Some(bytes) => {
                    deduplicated = bytes;
                    match serde_json::from_slice(&deduplicated) {
                        Ok(raw) => raw,
                        Err(_) if typed_status => return Err(api_error(Vec::new())),
                        Err(e) => return Err(decode_error(format!("not the API envelope: {e}"))),
                    }
                }
                None if typed_status => return Err(api_error(Vec::new())),
                None if first.is_data() => {
                    return Err(decode_error(format!("not the API envelope: {first}")));
                }
                None => return Err(decode_error(format!("not JSON: {first}"))),
            }
        }
    };

    let errors = raw
        .errors
        .map(|e| parse_errors(e.get()))
        .unwrap_or_default();
    let success = is_http_ok && raw.status == Some(Status::Success);
    if !success {
        return match (&raw.status, is_http_ok) {
            (Some(Status::Failure), _) | (_, false) => Err(api_error(errors)),
            (_, true) if !errors.is_empty() => Err(api_error(errors)),
            (Some(Status::Other(s)), true) => Err(decode_error(format!(
                "unrecognised status `{s}` without errors"
            ))),
            (_, true) => Err(decode_error("the envelope has no status".into())),
        };
    }

    let details = decode_details::<T>(raw.details.map(RawValue::get)).map_err(decode_error)?;
    Ok(Envelope {
        id: raw.id.and_then(|v| v.get().trim().parse().ok()),
        details,
        page_number: raw.page_number,
        page_size: raw.page_size,
        number_of_pages: raw.number_of_pages,
        warnings: errors,
    })
}

/// Typed details. A repeated key (the spec's confirm-sell example repeats `commissionFee`)
/// fails the derive; the slow path goes through a `Value`, which keeps the last one, and names
/// the path of whatever field does not decode.
fn decode_details<T: DeserializeOwned>(raw: Option<&str>) -> Result<T, String> {
    let raw = match raw {
        Some(r) if r.trim() != "null" => r,
        // No details on a success: fine for lists (empty), an error for objects.
        _ => {
            return serde_json::from_value(Value::Array(Vec::new()))
                .map_err(|_| "the response has no `details`".to_string());
        }
    };
    match serde_json::from_str::<T>(raw) {
        Ok(t) => Ok(t),
        Err(e) if e.is_data() => {
            let value: Value = serde_json::from_str(raw).map_err(|e| e.to_string())?;
            serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
                let path = e.path().to_string();
                if path == "." || path.is_empty() {
                    format!("details: {}", e.inner())
                } else {
                    format!("details.{path}: {}", e.inner())
                }
            })
        }
        Err(e) => Err(e.to_string()),
    }
}

/// `errors` as the API sends it (an array of `{errorType?, fieldName, messageCode}`), or as
/// ASP.NET's validation problem sends it (`{"Field": ["message", ...]}`).
fn parse_errors(raw: &str) -> Vec<ApiErrorItem> {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    };
    fn get<'m>(o: &'m serde_json::Map<String, Value>, key: &str) -> Option<&'m Value> {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::Object(o) => ApiErrorItem {
                    error_type: text(get(o, "errorType")),
                    field_name: text(get(o, "fieldName")),
                    message_code: MessageCode::from_wire(
                        text(get(o, "messageCode")).as_deref().unwrap_or(""),
                    ),
                },
                other => ApiErrorItem {
                    error_type: None,
                    field_name: None,
                    message_code: MessageCode::from_wire(&text(Some(other)).unwrap_or_default()),
                },
            })
            .collect(),
        Ok(Value::Object(map)) => map
            .iter()
            .flat_map(|(field, messages)| {
                let messages = match messages {
                    Value::Array(m) => m.iter().filter_map(|m| text(Some(m))).collect(),
                    other => text(Some(other)).into_iter().collect::<Vec<_>>(),
                };
                messages.into_iter().map(move |m| ApiErrorItem {
                    error_type: None,
                    field_name: Some(field.clone()),
                    message_code: MessageCode::from_wire(&m),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The first 200 bytes of a body, for decode errors.
fn body_prefix(body: &[u8]) -> String {
    let end = body.len().min(200);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::ACCOUNTS_GET;

    #[derive(Debug, Deserialize, PartialEq)]
    struct D {
        a: i64,
    }

    fn dec(status: u16, body: &str) -> Result<Envelope<D>> {
        decode(&ACCOUNTS_GET, status, None, body.as_bytes())
    }

    #[test]
    fn status_as_string_or_number() {
        assert_eq!(
            dec(200, r#"{"details":{"a":1},"status":"1","errors":[]}"#)
                .unwrap()
                .details
                .a,
            1
        );
        assert_eq!(
            dec(200, r#"{"details":{"a":2},"status":1,"errors":[]}"#)
                .unwrap()
                .details
                .a,
            2
        );
    }

    #[test]
    fn status_zero_with_http_200_is_an_api_error() {
        for body in [
            r#"{"details":null,"status":"0","errors":[{"errorType":"BadRequest","fieldName":"Screening","messageCode":"Transaction_Blocked"}]}"#,
            r#"{"details":null,"status":0,"errors":[{"errorType":"BadRequest","fieldName":"Screening","messageCode":"Transaction_Blocked"}]}"#,
        ] {
            let e = dec(200, body).unwrap_err();
            assert!(matches!(e, Error::Api(_)), "{e:?}");
            assert_eq!(e.http_status(), Some(200));
            assert_eq!(
                e.api_errors()[0].message_code,
                MessageCode::TransactionBlocked
            );
            assert_eq!(e.api_errors()[0].field_name.as_deref(), Some("Screening"));
            assert_eq!(e.api_errors()[0].error_type.as_deref(), Some("BadRequest"));
        }
    }

    #[test]
    fn http_status_picks_the_kind() {
        let body = r#"{"status":"0","errors":[{"fieldName":"otp","messageCode":"Invalid"}]}"#;
        assert!(matches!(dec(401, body), Err(Error::Authentication(_))));
        assert!(matches!(
            dec(403, "forbidden"),
            Err(Error::Authentication(_))
        ));
        assert!(matches!(dec(404, ""), Err(Error::NotFound(_))));
        let e = decode::<D>(&ACCOUNTS_GET, 429, Some(Duration::from_secs(3)), b"").unwrap_err();
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        let e = dec(
            400,
            r#"{"status":"0","errors":[{"fieldName":"Id","messageCode":"Weird_New"}]}"#,
        )
        .unwrap_err();
        assert!(matches!(e, Error::Api(_)));
        assert_eq!(
            e.api_errors()[0].message_code,
            MessageCode::Other("Weird_New".into())
        );
    }

    #[test]
    fn html_and_garbage_are_decode_errors_with_status_and_prefix() {
        let html = format!(
            "<html><body>502 Bad Gateway{}</body></html>",
            "x".repeat(500)
        );
        let e = dec(502, &html).unwrap_err();
        match &e {
            Error::Decode {
                http_status,
                body_prefix,
                ..
            } => {
                assert_eq!(*http_status, 502);
                assert_eq!(body_prefix.len(), 200);
                assert!(body_prefix.starts_with("<html><body>502 Bad Gateway"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            dec(200, r#"{"details": {"a": 1"#),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(dec(200, r#"[1,2]"#), Err(Error::Decode { .. })));
        assert!(matches!(
            dec(200, r#"{"details":{"a":1}}"#),
            Err(Error::Decode { .. })
        ));
    }

    #[test]
    fn a_field_of_the_wrong_type_names_its_path() {
        let e = dec(200, r#"{"details":{"a":"x"},"status":"1"}"#).unwrap_err();
        assert!(e.to_string().contains("details.a"), "{e}");
    }

    #[test]
    fn repeated_keys_take_the_last_value() {
        let env = dec(200, r#"{"details":{"a":1,"a":7},"status":"1","errors":[]}"#).unwrap();
        assert_eq!(env.details.a, 7);
        let env = dec(
            200,
            r#"{"details":{"a":1},"status":"0","status":"1","errors":[]}"#,
        )
        .unwrap();
        assert_eq!(env.details.a, 1);
    }

    #[test]
    fn a_success_that_also_lists_errors_is_still_a_success() {
        let env = dec(
            200,
            r#"{"details":{"a":3},"status":"1","errors":[{"fieldName":"x","messageCode":"Note"}]}"#,
        )
        .unwrap();
        assert_eq!(env.details.a, 3);
        assert_eq!(env.warnings.len(), 1);
        assert_eq!(env.warnings[0].message_code.as_str(), "Note");
        let env = dec(200, r#"{"details":{"a":4},"status":"1","errors":[ ]}"#).unwrap();
        assert_eq!(env.details.a, 4);
    }

    #[test]
    fn unknown_status_text_with_errors_is_a_failure() {
        let e = dec(200, r#"{"status":"text","errors":[{"fieldName":"text","messageCode":"text"}],"details":{"a":1}}"#)
            .unwrap_err();
        assert!(matches!(e, Error::Api(_)));
        assert_eq!(e.api_errors()[0].message_code.as_str(), "text");
    }

    #[test]
    fn aspnet_problem_details_errors() {
        let e = dec(
            400,
            r#"{"type":"x","title":"One or more validation errors occurred.","status":400,"errors":{"Name":["The Name field is required."]}}"#,
        )
        .unwrap_err();
        assert_eq!(e.api_errors()[0].field_name.as_deref(), Some("Name"));
        assert_eq!(
            e.api_errors()[0].message_code.as_str(),
            "The Name field is required."
        );
    }

    #[test]
    fn paging_fields_and_lists() {
        let env: Envelope<Vec<D>> = decode(
            &ACCOUNTS_GET,
            200,
            None,
            br#"{"id":3,"details":[{"a":1}],"pageSize":1,"pageNumber":2,"numberOfPages":26,"status":"1"}"#,
        )
        .unwrap();
        assert_eq!(
            (env.id, env.page_size, env.page_number, env.number_of_pages),
            (Some(3), Some(1), Some(2), Some(26))
        );
        let env: Envelope<Vec<D>> = decode(
            &ACCOUNTS_GET,
            200,
            None,
            br#"{"details":null,"status":"1"}"#,
        )
        .unwrap();
        assert!(env.details.is_empty());
    }
}
