//! Wire helpers: the envelope, error items, exact money, timestamps, and case-insensitive
//! request fields (query strings and JSON bodies).

use std::collections::HashMap;
use std::str::FromStr;

use axum::body::Body;
use axum::http::{HeaderValue, Response, StatusCode, header};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Number, Value, json};

use crate::error::SandboxError;
use crate::model::{self, r18};

/// One `errors[]` item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ErrorItem {
    pub error_type: &'static str,
    pub field: String,
    pub code: String,
}

impl ErrorItem {
    pub(crate) fn bad(field: &str, code: &str) -> Self {
        ErrorItem {
            error_type: "BadRequest",
            field: field.to_string(),
            code: code.to_string(),
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "errorType": self.error_type,
            "fieldName": self.field,
            "messageCode": self.code,
        })
    }
}

/// A refused request: HTTP status plus the error items of the envelope.
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub errors: Vec<ErrorItem>,
}

impl ApiError {
    pub(crate) fn bad(field: &str, code: &str) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            errors: vec![ErrorItem::bad(field, code)],
        }
    }

    pub(crate) fn not_found(field: &str) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            errors: vec![ErrorItem {
                error_type: "NotFound",
                field: field.to_string(),
                code: "Not_Found".to_string(),
            }],
        }
    }

    pub(crate) fn unauthorized(field: &str) -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            errors: vec![ErrorItem {
                error_type: "Unauthorized",
                field: field.to_string(),
                code: "Invalid".to_string(),
            }],
        }
    }

    pub(crate) fn method_not_allowed() -> Self {
        ApiError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            errors: vec![ErrorItem {
                error_type: "MethodNotAllowed",
                field: String::new(),
                code: "Invalid".to_string(),
            }],
        }
    }

    pub(crate) fn response(&self) -> Response<Body> {
        let errors: Vec<Value> = self.errors.iter().map(ErrorItem::to_json).collect();
        json_response(
            self.status,
            &json!({"id": 0, "details": null, "status": "0", "errors": errors}),
        )
    }
}

impl From<SandboxError> for ApiError {
    fn from(e: SandboxError) -> Self {
        match e {
            SandboxError::NotFound { field, .. } => ApiError::not_found(field),
            SandboxError::InvalidState { .. } => ApiError::bad("ExchangesId", "Invalid_State"),
            SandboxError::Invalid { field, code, .. } => ApiError::bad(field, code),
            SandboxError::Bind { .. } | SandboxError::Config { .. } => ApiError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                errors: vec![ErrorItem {
                    error_type: "InternalError",
                    field: String::new(),
                    code: "Internal_Error".to_string(),
                }],
            },
        }
    }
}

pub(crate) type ApiResult = Result<Value, ApiError>;

/// A JSON response with `Content-Type: application/json; charset=utf-8`.
pub(crate) fn json_response(status: StatusCode, value: &Value) -> Response<Body> {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}

/// The success envelope.
pub(crate) fn envelope(id: i64, details: Value) -> Value {
    json!({"id": id, "details": details, "status": "1", "errors": []})
}

/// The success envelope of one page of a list.
pub(crate) fn paged(id: i64, details: Vec<Value>, page: &Page, total: usize) -> Value {
    let mut v = envelope(id, Value::Array(details));
    if let Value::Object(m) = &mut v {
        m.insert("pageSize".into(), json!(page.size));
        m.insert("pageNumber".into(), json!(page.number));
        m.insert("numberOfPages".into(), json!(page.pages(total)));
    }
    v
}

/// Money as an exact JSON number with exactly 18 fractional digits.
pub(crate) fn money(d: Decimal) -> Value {
    let d = if d.is_zero() { Decimal::ZERO } else { r18(d) };
    // Padded as text: `format!("{d:.18}")` rescales the decimal itself, which overflows
    // rust_decimal's 28 digits (and panicked) for balances of 10^10 and more.
    let plain = d.to_string();
    let (int, frac) = plain.split_once('.').unwrap_or((plain.as_str(), ""));
    let text = format!("{int}.{frac:0<18}");
    serde_json::from_str::<Number>(&text)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

pub(crate) fn opt_money(d: Option<Decimal>) -> Value {
    d.map(money).unwrap_or(Value::Null)
}

/// `2024-09-10T03:58:40.1066667+00:00`: 7 fractional digits, offset `+00:00`.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    format!(
        "{}.{:07}+00:00",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.nanosecond() % 1_000_000_000 / 100
    )
}

/// A date filter bound. A bare date means the whole day.
pub(crate) fn parse_date(s: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(n) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(Utc.from_utc_datetime(&n));
    }
    if let Ok(n) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f") {
        return Some(Utc.from_utc_datetime(&n));
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let start = Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0)?);
    if end_of_day {
        start.checked_add_signed(chrono::TimeDelta::nanoseconds(86_400_000_000_000 - 1))
    } else {
        Some(start)
    }
}

/// Paging of a list request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Page {
    pub number: usize,
    pub size: usize,
}

impl Page {
    pub(crate) const MAX_SIZE: usize = 1000;

    pub(crate) fn pages(&self, total: usize) -> usize {
        if self.size == 0 {
            1
        } else {
            total.div_ceil(self.size)
        }
    }

    /// Range of item indexes on this page, clamped to `total`.
    pub(crate) fn range(&self, total: usize) -> std::ops::Range<usize> {
        let start = (self.number - 1).saturating_mul(self.size).min(total);
        let end = start.saturating_add(self.size).min(total);
        start..end
    }
}

/// Request fields, keys matched case-insensitively (last value of a repeated key wins).
#[derive(Debug, Default)]
pub(crate) struct Fields {
    map: HashMap<String, Value>,
}

impl Fields {
    /// Parses a JSON object body. An empty body is an empty object.
    pub(crate) fn from_body(body: &[u8]) -> Result<Fields, ApiError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Fields::default());
        }
        let value: Value =
            serde_json::from_slice(body).map_err(|_| ApiError::bad("Body", "Invalid"))?;
        match value {
            Value::Object(m) => Ok(Fields::from_map(m)),
            _ => Err(ApiError::bad("Body", "Invalid")),
        }
    }

    pub(crate) fn from_map(m: Map<String, Value>) -> Fields {
        let map = m
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        Fields { map }
    }

    /// Parses a query string; empty values count as absent.
    pub(crate) fn from_query(q: Option<&str>) -> Fields {
        let mut map = HashMap::new();
        if let Some(q) = q {
            for (k, v) in form_urlencoded::parse(q.as_bytes()) {
                let v = v.trim();
                if v.is_empty() {
                    map.remove(&k.to_ascii_lowercase());
                } else {
                    map.insert(k.to_ascii_lowercase(), Value::String(v.to_string()));
                }
            }
        }
        Fields { map }
    }

    /// The raw value; `null` counts as absent.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        match self.map.get(&name.to_ascii_lowercase()) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }
}

/// Reads typed fields and collects every validation error, like ASP.NET model validation.
#[derive(Debug, Default)]
pub(crate) struct Validator {
    errors: Vec<ErrorItem>,
}

impl Validator {
    pub(crate) fn error(&mut self, field: &str, code: &str) {
        if !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(ErrorItem::bad(field, code));
        }
    }

    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError {
                status: StatusCode::BAD_REQUEST,
                errors: self.errors,
            })
        }
    }

    /// An optional 32-bit integer id (number or digit string). Zero counts as absent.
    pub(crate) fn opt_id(&mut self, f: &Fields, name: &str) -> Option<i64> {
        let v = f.get(name)?;
        let text = match v {
            Value::Number(n) => n.as_str().to_string(),
            Value::String(s) => s.trim().to_string(),
            _ => {
                self.error(name, "Invalid");
                return None;
            }
        };
        match text.parse::<i64>() {
            Ok(0) => None,
            Ok(n) if n > 0 && n <= i64::from(i32::MAX) => Some(n),
            _ => {
                self.error(name, "Invalid");
                None
            }
        }
    }

    /// A required id: missing or zero -> `Required`.
    pub(crate) fn id(&mut self, f: &Fields, name: &str) -> Option<i64> {
        let had_error = self.errors.len();
        let v = self.opt_id(f, name);
        if v.is_none() && self.errors.len() == had_error {
            self.error(name, "Required");
        }
        v
    }

    /// An optional 32-bit integer (paging); any integer value is returned.
    pub(crate) fn opt_int(&mut self, f: &Fields, name: &str) -> Option<i64> {
        let v = f.get(name)?;
        let text = match v {
            Value::Number(n) => n.as_str().to_string(),
            Value::String(s) => s.trim().to_string(),
            _ => {
                self.error(name, "Invalid");
                return None;
            }
        };
        match text.parse::<i64>() {
            Ok(n) if n.abs() <= i64::from(i32::MAX) => Some(n),
            _ => {
                self.error(name, "Invalid");
                None
            }
        }
    }

    /// An optional string (numbers are taken as their text).
    pub(crate) fn opt_str(&mut self, f: &Fields, name: &str) -> Option<String> {
        match f.get(name)? {
            Value::String(s) => {
                let s = s.trim();
                if s.is_empty() {
                    None
                } else {
                    Some(s.to_string())
                }
            }
            Value::Number(n) => Some(n.as_str().to_string()),
            _ => {
                self.error(name, "Invalid");
                None
            }
        }
    }

    pub(crate) fn str(&mut self, f: &Fields, name: &str) -> Option<String> {
        let had_error = self.errors.len();
        let v = self.opt_str(f, name);
        if v.is_none() && self.errors.len() == had_error {
            self.error(name, "Required");
        }
        v
    }

    /// An optional decimal; refused (`Invalid`) when not a number or out of range. Rounded to
    /// 18 decimal places like the service's decimal(38,18) columns.
    pub(crate) fn opt_decimal(&mut self, f: &Fields, name: &str) -> Option<Decimal> {
        let v = f.get(name)?;
        let text = match v {
            Value::Number(n) => n.as_str().to_string(),
            Value::String(s) => s.trim().to_string(),
            _ => {
                self.error(name, "Invalid");
                return None;
            }
        };
        match parse_decimal(&text) {
            Some(d) if d.abs() <= model::max_input() => Some(r18(d)),
            _ => {
                self.error(name, "Invalid");
                None
            }
        }
    }

    /// A required positive amount: missing -> `Required`, <= 0 -> `Amount_Must_Be_Positive`.
    pub(crate) fn amount(&mut self, f: &Fields, name: &str) -> Option<Decimal> {
        let had_error = self.errors.len();
        match self.opt_decimal(f, name) {
            None => {
                if self.errors.len() == had_error {
                    self.error(name, "Required");
                }
                None
            }
            Some(d) if d <= Decimal::ZERO => {
                self.error(name, "Amount_Must_Be_Positive");
                None
            }
            Some(d) => Some(d),
        }
    }

    /// Paging fields with defaults (1, 10).
    pub(crate) fn page(&mut self, f: &Fields) -> Option<Page> {
        let number = self.opt_int(f, "PageNumber");
        let size = self.opt_int(f, "PageSize");
        let number = match number {
            None => 1,
            Some(n) if n >= 1 => n as usize,
            Some(_) => {
                self.error("PageNumber", "Invalid");
                return None;
            }
        };
        let size = match size {
            None => 10,
            Some(n) if n >= 1 && n as usize <= Page::MAX_SIZE => n as usize,
            Some(_) => {
                self.error("PageSize", "Invalid");
                return None;
            }
        };
        Some(Page { number, size })
    }
}

/// Parses decimal text exactly (plain or scientific notation).
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        Decimal::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_of_large_balances_does_not_overflow() {
        let big = Decimal::from_str("12345678901234.5").unwrap_or_default();
        assert_eq!(
            serde_json::to_string(&money(big)).unwrap_or_default(),
            "12345678901234.500000000000000000"
        );
        let max = Decimal::MAX;
        assert_eq!(
            serde_json::to_string(&money(max)).unwrap_or_default(),
            format!("{max}.000000000000000000")
        );
    }

    #[test]
    fn money_has_18_digits() {
        let d = Decimal::from_str("99990.5").unwrap_or_default();
        assert_eq!(
            serde_json::to_string(&money(d)).unwrap_or_default(),
            "99990.500000000000000000"
        );
        assert_eq!(
            serde_json::to_string(&money(-d)).unwrap_or_default(),
            "-99990.500000000000000000"
        );
        assert_eq!(
            serde_json::to_string(&money(Decimal::ZERO)).unwrap_or_default(),
            "0.000000000000000000"
        );
    }

    #[test]
    fn timestamps_have_7_digits() {
        let t = Utc
            .with_ymd_and_hms(2024, 9, 10, 3, 58, 40)
            .single()
            .and_then(|t| t.with_nanosecond(106_666_700));
        assert_eq!(
            t.map(timestamp).as_deref(),
            Some("2024-09-10T03:58:40.1066667+00:00")
        );
    }

    #[test]
    fn keys_are_case_insensitive_and_last_wins() {
        let f =
            Fields::from_body(br#"{"CustomersId": 1, "customersid": 1004}"#).unwrap_or_default();
        let mut v = Validator::default();
        assert_eq!(v.id(&f, "CustomersId"), Some(1004));
        assert!(v.finish().is_ok());
    }

    #[test]
    fn huge_and_malformed_numbers_are_invalid() {
        for body in [
            r#"{"amount": 1e400}"#,
            r#"{"amount": 123456789012345678901234567890}"#,
            r#"{"amount": "abc"}"#,
            r#"{"amount": [1]}"#,
        ] {
            let f = Fields::from_body(body.as_bytes()).unwrap_or_default();
            let mut v = Validator::default();
            assert_eq!(v.amount(&f, "Amount"), None, "{body}");
            assert_eq!(v.errors[0].code, "Invalid", "{body}");
        }
        assert!(Fields::from_body(b"{not json").is_err());
        assert!(Fields::from_body(b"[1,2]").is_err());
    }
}
