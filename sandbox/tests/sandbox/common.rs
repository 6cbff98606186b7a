//! A tiny HTTP client for the sandbox (plain reqwest + totp-rs, no SDK core).

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use ibanera_sandbox::{Sandbox, SandboxConfig};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};

pub const BUY: &str = "/api/v1/customer/crypto-exchanges/buy";
pub const SELL: &str = "/api/v1/customer/crypto-exchanges/sell";
pub const QUOTE: &str = "/api/v1/customer/crypto-exchanges/quote";
pub const LIST: &str = "/api/v1/customer/crypto-exchanges/list";
pub const REVIEW: &str = "/api/v1/customer/crypto-exchanges/reviewquote";
pub const CONFIRM: &str = "/api/v1/customer/crypto-exchanges/confirmsell";
pub const CANCEL: &str = "/api/v1/customer/crypto-exchanges/cancel";
pub const PAIRS: &str = "/api/v1/customer/crypto-exchanges/availablepairs";
pub const CREATE: &str = "/api/v2/customer/accounts/create";
pub const ACCOUNT: &str = "/api/v1/customer/accounts/account";
pub const BALANCES: &str = "/api/v1/customer/accounts/balances";
pub const LIST_ACCOUNTS: &str = "/api/v1/customer/accounts/list-accounts";
pub const TRANSACTIONS: &str = "/api/v1/customer/accounts/transactions";
pub const TRANSACTION: &str = "/api/v2/customer/accounts/transactions/get";
pub const WITHDRAW: &str = "/api/v1/customer/accounts/crypto/withdraw";
pub const DEPOSIT_ADDRESS: &str = "/api/v1/customer/accounts/crypto/depositaddress";
pub const LOGIN: &str = "/api/v1/public/auth/login";
pub const CARDS_BY_USER_LIST: &str = "/api/v1/customer/cards/byuser/list";
pub const CARDS_BY_USER: &str = "/api/v1/customer/cards/byuser";
pub const CARD_BALANCES: &str = "/api/v1/customer/cards/balances";
pub const CARD_TRANSACTIONS: &str = "/api/v1/customer/cards/transactions";
pub const CARD_DETAILS: &str = "/api/v1/customer/cards/carddetails";
pub const CARD_SENSITIVE: &str = "/api/v1/customer/cards/sensitive-details";
pub const CARD_TRANSFER: &str = "/api/v1/customer/cards/transferfunds";
pub const CARD_CREATE: &str = "/api/v1/customer/cards/create";
pub const PAYINS: &str = "/api/v1/customer/simulations/payins";
pub const RFI_LIST: &str = "/api/v1/customer/informationrequests/getinformationrequestlist";
pub const RFI_DETAILS: &str = "/api/v1/customer/informationrequests/getinformationrequestdetails";
pub const CANCEL_ELIGIBILITY: &str = "/api/v1/customer/transactions/cancel";
pub const FX_PAIRS: &str = "/api/v1/customer/foreign-exchanges/pairs";

/// A sandbox, a client, and the token of one login as the API user.
pub struct T {
    pub sb: Sandbox,
    pub http: reqwest::Client,
    totp: totp_rs::Totp,
    pub token: String,
}

pub fn init_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub fn http_client() -> reqwest::Client {
    init_tls();
    reqwest::Client::builder()
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

pub fn totp_for(secret: &str) -> totp_rs::Totp {
    let secret = totp_rs::Secret::try_from_base32(secret).unwrap_or_else(|e| panic!("{e:?}"));
    totp_rs::Builder::new()
        .with_secret(secret.as_bytes().to_vec())
        .build_noncompliant()
}

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("decimal {s}: {e}"))
}

/// A JSON number's exact text (or a string's content).
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub fn dec(v: &Value) -> Decimal {
    d(&text(v))
}

/// The (errorType, fieldName, messageCode) items of an envelope.
pub fn errors(v: &Value) -> Vec<(String, String, String)> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        text(&e["errorType"]),
                        text(&e["fieldName"]),
                        text(&e["messageCode"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts an error reply: HTTP status and exactly one (fieldName, messageCode).
#[track_caller]
pub fn assert_error(reply: &(u16, Value), status: u16, field: &str, code: &str) {
    assert_eq!(reply.0, status, "reply {}", reply.1);
    assert_eq!(text(&reply.1["status"]), "0", "reply {}", reply.1);
    let errs = errors(&reply.1);
    assert!(
        errs.iter().any(|(_, f, c)| f == field && c == code),
        "expected {field}/{code} in {}",
        reply.1
    );
}

#[track_caller]
pub fn ok(reply: &(u16, Value)) -> &Value {
    assert_eq!(reply.0, 200, "reply {}", reply.1);
    assert_eq!(reply.1["status"], json!("1"), "reply {}", reply.1);
    assert_eq!(reply.1["errors"], json!([]), "reply {}", reply.1);
    &reply.1["details"]
}

impl T {
    pub async fn new() -> T {
        T::with(SandboxConfig::default()).await
    }

    /// Starts the sandbox and logs in. In strict mode the login would use up the current
    /// step's code, so strict mode is switched on after it.
    pub async fn with(config: SandboxConfig) -> T {
        let strict = config.strict_otp;
        let sb = Sandbox::start_with(SandboxConfig {
            strict_otp: false,
            ..config
        })
        .await
        .unwrap_or_else(|e| panic!("start: {e}"));
        let totp = totp_for(sb.totp_secret());
        let mut t = T {
            sb,
            http: http_client(),
            totp,
            token: String::new(),
        };
        t.token = t.fresh_token().await;
        t.sb.control().set_strict_otp(strict);
        t
    }

    /// The sandbox alone (to shut it down).
    pub fn into_sandbox(self) -> Sandbox {
        self.sb
    }

    /// A new token from a login as the API user.
    pub async fn fresh_token(&self) -> String {
        let r = self
            .login(self.sb.username(), self.sb.password(), &self.code(0))
            .await;
        text(&ok(&r)["accessToken"])
    }

    /// `Authorization: Bearer <token>` of the login made at start.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }

    /// `POST /api/v1/public/auth/login` with this body, no other headers.
    pub async fn login_body(&self, body: Value) -> (u16, Value) {
        let resp = self
            .http
            .post(self.url(LOGIN))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("login: {e}"));
        T::reply(resp).await
    }

    pub async fn login(&self, username: &str, password: &str, otp: &str) -> (u16, Value) {
        self.login_body(json!({"username": username, "password": password, "otp": otp}))
            .await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sb.base_url(), path)
    }

    /// The code of the step `offset` steps from now.
    pub fn code(&self, offset: i64) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default() as i64;
        self.totp.generate((now + offset * 30) as u64).to_string()
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .header("Authorization", self.bearer())
            .header("otp", self.code(0))
            .header("Accept", "application/json")
    }

    pub async fn reply(resp: reqwest::Response) -> (u16, Value) {
        let status = resp.status().as_u16();
        let body = resp.bytes().await.unwrap_or_else(|e| panic!("body: {e}"));
        let v = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&body)));
        (status, v)
    }

    pub async fn get(&self, path_and_query: &str) -> (u16, Value) {
        let resp = self
            .request(Method::GET, path_and_query)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path_and_query}: {e}"));
        T::reply(resp).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let resp = self
            .request(Method::POST, path)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        T::reply(resp).await
    }

    pub async fn post_raw(&self, path: &str, body: &'static str) -> (u16, Value) {
        let resp = self
            .request(Method::POST, path)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        T::reply(resp).await
    }

    /// A control endpoint (no credentials).
    pub async fn ctl(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut rb = self.http.request(method, self.url(path));
        if let Some(b) = body {
            rb = rb
                .header("Content-Type", "application/json")
                .body(b.to_string());
        }
        let resp = rb.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        T::reply(resp).await
    }

    pub async fn executions(&self) -> BTreeMap<String, u64> {
        let r = self.ctl(Method::GET, "/_sandbox/executions", None).await;
        let details = ok(&r).clone();
        serde_json::from_value::<BTreeMap<String, Value>>(details)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, text(&v).parse().unwrap_or_default()))
            .collect()
    }

    pub async fn executed(&self, path: &str) -> u64 {
        self.executions()
            .await
            .get(&format!("POST {path}"))
            .copied()
            .unwrap_or_default()
    }

    /// (total, available, pending) of an account, as the exact wire text.
    pub async fn balance(&self, account: i64) -> (String, String, String) {
        let r = self.get(&format!("{ACCOUNT}?Id={account}")).await;
        let a = ok(&r);
        (
            text(&a["totalBalance"]),
            text(&a["availableBalance"]),
            text(&a["pendingBalance"]),
        )
    }

    pub async fn assert_balance(&self, account: i64, total: &str, available: &str, pending: &str) {
        let b = self.balance(account).await;
        assert_eq!(
            (b.0.as_str(), b.1.as_str(), b.2.as_str()),
            (total, available, pending),
            "balances of account {account}"
        );
    }

    /// Every transaction of an account (all pages), newest first.
    pub async fn all_transactions(&self, account: i64) -> Vec<Value> {
        let mut out = Vec::new();
        let mut page = 1;
        loop {
            let r = self
                .get(&format!(
                    "{TRANSACTIONS}?AccountsId={account}&PageNumber={page}&PageSize=1000"
                ))
                .await;
            let items = ok(&r).as_array().cloned().unwrap_or_default();
            out.extend(items);
            let pages = r.1["numberOfPages"].as_u64().unwrap_or_default();
            if page >= pages {
                break;
            }
            page += 1;
        }
        out
    }

    pub async fn tx_details(&self, id: i64) -> Value {
        let r = self.get(&format!("{TRANSACTION}?Id={id}")).await;
        ok(&r).clone()
    }

    /// The ledger invariants of one account, checked over HTTP:
    /// total = available + pending, total = sum of Completed transactions and Pending
    /// credits, available = sum of Completed transactions and Pending debits.
    pub async fn assert_ledger(&self, account: i64) {
        let r = self.get(&format!("{ACCOUNT}?Id={account}")).await;
        let a = ok(&r).clone();
        let (total, available, pending) = (
            dec(&a["totalBalance"]),
            dec(&a["availableBalance"]),
            dec(&a["pendingBalance"]),
        );
        assert_eq!(total, available + pending, "account {account}: {a}");
        let mut completed = Decimal::ZERO;
        let mut credits = Decimal::ZERO;
        let mut debits = Decimal::ZERO;
        for tx in self.all_transactions(account).await {
            let id = tx["id"].as_i64().unwrap_or_default();
            let details = self.tx_details(id).await;
            let amount = dec(&details["amount"]);
            assert_eq!(amount, dec(&tx["amount"]));
            let status = text(&details["transactionStatus"]);
            assert_eq!(tx["bPending"], json!(status == "Pending"), "{details}");
            match status.as_str() {
                "Completed" => completed += amount,
                "Pending" if amount > Decimal::ZERO => credits += amount,
                "Pending" => debits += amount,
                "Failed" => {}
                other => panic!("unexpected status {other}"),
            }
        }
        assert_eq!(
            total,
            completed + credits,
            "account {account}: total vs completed + pending credits"
        );
        assert_eq!(
            available,
            completed + debits,
            "account {account}: available vs completed + pending debits"
        );
    }

    pub async fn buy(&self, customer: i64, pair: &str, qt: &str, value: &str) -> (u16, Value) {
        let v: Value = serde_json::from_str(value).unwrap_or(Value::Null);
        let (amount, price) = if qt == "Amount" {
            (v, Value::Null)
        } else {
            (Value::Null, v)
        };
        self.post(
            BUY,
            json!({"customersId": customer, "assetPair": pair, "quantityType": qt,
                   "amount": amount, "price": price}),
        )
        .await
    }

    pub async fn sell(&self, body: Value) -> (u16, Value) {
        self.post(SELL, body).await
    }

    pub async fn step(&self, id: i64, action: &str) -> (u16, Value) {
        self.ctl(
            Method::POST,
            &format!("/_sandbox/exchanges/{id}/{action}"),
            None,
        )
        .await
    }

    pub async fn exchange(&self, id: i64) -> Value {
        let r = self.get(&format!("{LIST}?PageSize=1000")).await;
        ok(&r)
            .as_array()
            .and_then(|a| a.iter().find(|e| e["id"] == json!(id)).cloned())
            .unwrap_or_else(|| panic!("exchange {id} not listed"))
    }
}
