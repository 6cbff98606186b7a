//! The API's endpoints: method and path, written once (wire rule 9 settles the spec's
//! contradictions).

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
    /// are never re-sent once their bytes may have reached the server (wire rule 12).
    pub fn moves_money(&self) -> bool {
        !matches!(self.method, Method::GET | Method::HEAD)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

pub const ACCOUNTS_CREATE: Endpoint =
    Endpoint::new(Method::POST, "/api/v2/customer/accounts/create");
pub const ACCOUNTS_GET: Endpoint = Endpoint::new(Method::GET, "/api/v1/customer/accounts/account");
pub const ACCOUNTS_BALANCES: Endpoint =
    Endpoint::new(Method::GET, "/api/v1/customer/accounts/balances");
pub const ACCOUNTS_LIST: Endpoint =
    Endpoint::new(Method::GET, "/api/v1/customer/accounts/list-accounts");
pub const ACCOUNTS_TRANSACTIONS: Endpoint =
    Endpoint::new(Method::GET, "/api/v1/customer/accounts/transactions");
/// v2 although the spec's request example says v1 (wire rule 9).
pub const ACCOUNTS_TRANSACTION: Endpoint =
    Endpoint::new(Method::GET, "/api/v2/customer/accounts/transactions/get");
pub const ACCOUNTS_WITHDRAW_CRYPTO: Endpoint =
    Endpoint::new(Method::POST, "/api/v1/customer/accounts/crypto/withdraw");
pub const ACCOUNTS_DEPOSIT_ADDRESS: Endpoint = Endpoint::new(
    Method::GET,
    "/api/v1/customer/accounts/crypto/depositaddress",
);

pub const EXCHANGES_PAIRS: Endpoint = Endpoint::new(
    Method::GET,
    "/api/v1/customer/crypto-exchanges/availablepairs",
);
pub const EXCHANGES_QUOTE: Endpoint =
    Endpoint::new(Method::POST, "/api/v1/customer/crypto-exchanges/quote");
pub const EXCHANGES_SELL: Endpoint =
    Endpoint::new(Method::POST, "/api/v1/customer/crypto-exchanges/sell");
pub const EXCHANGES_BUY: Endpoint =
    Endpoint::new(Method::POST, "/api/v1/customer/crypto-exchanges/buy");
/// `/list`, although the spec's heading says `/buy` (wire rule 9).
pub const EXCHANGES_LIST: Endpoint =
    Endpoint::new(Method::GET, "/api/v1/customer/crypto-exchanges/list");
pub const EXCHANGES_REVIEW_QUOTE: Endpoint = Endpoint::new(
    Method::POST,
    "/api/v1/customer/crypto-exchanges/reviewquote",
);
pub const EXCHANGES_CONFIRM_SELL: Endpoint = Endpoint::new(
    Method::POST,
    "/api/v1/customer/crypto-exchanges/confirmsell",
);
pub const EXCHANGES_CANCEL: Endpoint =
    Endpoint::new(Method::POST, "/api/v1/customer/crypto-exchanges/cancel");

/// Every typed endpoint with its SDK name (`area.method`), for tools and tests.
pub const ALL: &[(&str, Endpoint)] = &[
    ("accounts.create", ACCOUNTS_CREATE),
    ("accounts.get", ACCOUNTS_GET),
    ("accounts.balances", ACCOUNTS_BALANCES),
    ("accounts.list", ACCOUNTS_LIST),
    ("accounts.transactions", ACCOUNTS_TRANSACTIONS),
    ("accounts.transaction", ACCOUNTS_TRANSACTION),
    ("accounts.withdraw_crypto", ACCOUNTS_WITHDRAW_CRYPTO),
    ("accounts.deposit_address", ACCOUNTS_DEPOSIT_ADDRESS),
    ("exchanges.pairs", EXCHANGES_PAIRS),
    ("exchanges.quote", EXCHANGES_QUOTE),
    ("exchanges.sell", EXCHANGES_SELL),
    ("exchanges.buy", EXCHANGES_BUY),
    ("exchanges.list", EXCHANGES_LIST),
    ("exchanges.review_quote", EXCHANGES_REVIEW_QUOTE),
    ("exchanges.confirm_sell", EXCHANGES_CONFIRM_SELL),
    ("exchanges.cancel", EXCHANGES_CANCEL),
];

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
