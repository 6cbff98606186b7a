//! An endpoint: method and path. Each typed operation's is written in its declaration
//! (`api.rs`; rule 9 of docs/wire-rules.md settles the spec's contradictions).

use std::borrow::Cow;
use std::fmt;

pub use reqwest::Method;

use crate::ValidationError;

/// An HTTP method from its name in any case (`"get"`, `"POST"`), for callers of
/// [`Client::request`](crate::Client::request) that take it as text (the CLI, the bindings).
pub fn parse_method(name: &str) -> Result<Method, ValidationError> {
    match name.trim().to_ascii_uppercase().as_str() {
        "GET" => Ok(Method::GET),
        "POST" => Ok(Method::POST),
        "PUT" => Ok(Method::PUT),
        "PATCH" => Ok(Method::PATCH),
        "DELETE" => Ok(Method::DELETE),
        "HEAD" => Ok(Method::HEAD),
        _ => Err(ValidationError::new(
            "method",
            format!("must be GET, POST, PUT, PATCH, DELETE or HEAD, got {name:?}"),
        )),
    }
}

/// An operation of the API: method and path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    pub method: Method,
    pub path: Cow<'static, str>,
}

impl Endpoint {
    pub const fn new(method: Method, path: &'static str) -> Endpoint {
        Endpoint {
            method,
            path: Cow::Borrowed(path),
        }
    }

    /// True for methods that change state on the server (anything but GET and HEAD): these
    /// are never re-sent once their bytes may have reached the server (rule 12 of docs/wire-rules.md).
    pub fn moves_money(&self) -> bool {
        !matches!(self.method, Method::GET | Method::HEAD)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// An endpoint the envelope's unit tests decode against (their module names it this way).
/// Endpoints are declared in `api.rs`: `ops::find(name).endpoint`, or a request's `ENDPOINT`.
#[cfg(test)]
pub(crate) const ACCOUNTS_GET: Endpoint = crate::accounts::GetAccount::ENDPOINT;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_read_in_any_case_and_others_refused() {
        assert_eq!(parse_method("get").unwrap(), Method::GET);
        assert_eq!(parse_method(" Post ").unwrap(), Method::POST);
        assert_eq!(parse_method("DELETE").unwrap(), Method::DELETE);
        let e = parse_method("FETCH").unwrap_err();
        assert_eq!(e.field, "method");
        assert!(e.rule.contains("\"FETCH\""), "{}", e.rule);
        assert!(parse_method("").is_err());
    }
}
