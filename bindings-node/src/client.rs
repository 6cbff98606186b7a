//! `NativeClient`: one core client (one connection pool, one login session) per JS `Client`.

use std::sync::Arc;
use std::time::Duration;

use ibanera::logging::LogRecord;
use ibanera::ops::{self, Call};
use ibanera::recovery;
use ibanera::{Client, ClientBuilder, Frontend, Pager, RequestOptions, SessionInfo};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{
    ThreadsafeFunction, ThreadsafeFunctionCallMode, UnknownReturnValue,
};
use napi_derive::napi;
use serde_json::{Value, json};

use crate::error;

/// The JS function that receives a client's log records (the JSON text of `record_json`).
/// Weak: it never keeps the process alive by itself. Not callee-handled: the function gets the
/// text as its only argument. The wrapper's function catches whatever the user's logger throws
/// (a throw here would be an uncaught exception).
pub type LogSink = ThreadsafeFunction<String, UnknownReturnValue, String, Status, false, true, 0>;

/// `{level, event, method, path, status, attempt, elapsedMs, reason, waitMs, message}`: the
/// core's record as the wrapper hands it to the logger (absent values `null`; durations in
/// milliseconds, to the microsecond). The core's records never hold a secret.
pub(crate) fn record_json(r: &LogRecord) -> String {
    let ms = |d: std::time::Duration| (d.as_secs_f64() * 1_000_000.0).round() / 1000.0;
    json!({
        "level": r.level.as_str().to_ascii_lowercase(),
        "event": r.event.as_str(),
        "method": r.method,
        "path": r.path,
        "status": r.status,
        "attempt": r.attempt,
        "elapsedMs": r.elapsed.map(ms),
        "reason": r.reason,
        "waitMs": r.wait.map(ms),
        "message": r.message,
    })
    .to_string()
}

/// Client settings, validated for type by the wrapper (so no value is echoed in an error).
#[napi(object)]
pub struct ClientConfig {
    pub username: Option<String>,
    pub password: Option<String>,
    pub access_token: Option<String>,
    pub totp_secret: Option<String>,
    /// A leftover `apiKey` option was given: passed to the core's deprecated setting so that
    /// `build` fails with its message (what to pass instead). The key itself never crosses.
    pub legacy_api_key: Option<bool>,
    pub base_url: Option<String>,
    /// The whole call's deadline in milliseconds (attempts, waits and a login included).
    pub timeout_ms: Option<f64>,
    /// One attempt's limit in milliseconds.
    pub attempt_timeout_ms: Option<f64>,
    pub connect_timeout_ms: Option<f64>,
    /// How long an idle pooled connection is kept, in milliseconds.
    pub pool_idle_timeout_ms: Option<f64>,
    /// The largest response body accepted.
    pub max_response_bytes: Option<f64>,
    /// Retries after the first attempt (GETs; a POST only when it never left).
    pub max_retries: Option<u32>,
    /// Every request through this proxy.
    pub proxy: Option<String>,
    /// Permit `http://` to a non-loopback host.
    pub allow_insecure_http: Option<bool>,
    /// Start from `IBANERA_USERNAME`, `IBANERA_PASSWORD`, `IBANERA_TOTP_SECRET`,
    /// `IBANERA_ACCESS_TOKEN`, `IBANERA_BASE_URL`.
    pub from_env: Option<bool>,
}

/// Per-call overrides, validated for type by the wrapper.
#[napi(object)]
pub struct CallOptions {
    pub timeout_ms: Option<f64>,
    pub attempt_timeout_ms: Option<f64>,
    pub max_retries: Option<u32>,
    pub max_response_bytes: Option<f64>,
}

const MAX_MS: f64 = 86_400_000.0;

fn millis(name: &str, ms: f64) -> Result<Duration> {
    if !ms.is_finite() || !(1.0..=MAX_MS).contains(&ms) {
        return Err(error::config(format!(
            "`{name}` must be a number of milliseconds between 1 and {MAX_MS}"
        )));
    }
    Ok(Duration::from_secs_f64(ms / 1000.0))
}

fn bytes(name: &str, n: f64) -> Result<u64> {
    // 2^53: every integer up to it is a JS number exactly.
    if !(n.is_finite() && n.fract() == 0.0 && (1.0..=9_007_199_254_740_992.0).contains(&n)) {
        return Err(error::config(format!(
            "`{name}` must be a positive integer number of bytes"
        )));
    }
    Ok(n as u64)
}

/// `{expiresAt, expiresInMs, loginId}`: what a login gave, never the token.
fn session_json(info: &SessionInfo) -> String {
    json!({
        "expiresAt": info.expires_at.as_ref().map(ibanera::time::format_timestamp),
        "expiresInMs": info.expires_in.map(|d| d.as_millis() as u64),
        "loginId": info.login_id.map(|id| crate::exact_for_js(json!(id))),
    })
    .to_string()
}

/// What one client holds in native memory, as V8 is told (`Env::adjust_external_memory`): the
/// connection pool's TLS configuration dominates, because the core builds a certificate
/// verifier with the system's root certificates for every client (measured: 106 KiB per
/// `reqwest::Client`, 4 KiB when one TLS configuration is shared).
const CLIENT_EXTERNAL_BYTES: i64 = 100 * 1024;

#[napi(custom_finalize)]
pub struct NativeClient {
    client: Client,
}

impl ObjectFinalize for NativeClient {
    fn finalize(self, env: Env) -> Result<()> {
        env.adjust_external_memory(-CLIENT_EXTERNAL_BYTES)?;
        Ok(())
    }
}

#[napi]
impl NativeClient {
    /// Builds the core client. V8 only sees a small JS object, so it is told the native
    /// memory behind it, which `finalize` gives back. (Node runs the finalizers of collected
    /// clients when the event loop turns, not inside a synchronous loop.)
    ///
    /// `log`, when given, receives the JSON text of every log record of this client, queued to
    /// the event loop without ever blocking the calls that emit them.
    #[napi(constructor)]
    pub fn new(
        env: Env,
        config: ClientConfig,
        #[napi(ts_arg_type = "((record: string) => void) | undefined | null")] log: Option<LogSink>,
    ) -> Result<Self> {
        let mut b = if config.from_env.unwrap_or(false) {
            ClientBuilder::from_env()
        } else {
            ClientBuilder::new()
        };
        b = b.frontend(Frontend::Node);
        if config.legacy_api_key.unwrap_or(false) {
            #[allow(deprecated)]
            {
                b = b.api_key("");
            }
        }
        if let Some(u) = config.username {
            b = b.username(u);
        }
        if let Some(p) = config.password {
            b = b.password(p);
        }
        if let Some(t) = config.access_token {
            b = b.access_token(t);
        }
        if let Some(s) = config.totp_secret {
            b = b.totp_secret(s);
        }
        if let Some(u) = config.base_url {
            b = b.base_url(u);
        }
        if let Some(ms) = config.timeout_ms {
            b = b.timeout(millis("timeoutMs", ms)?);
        }
        if let Some(ms) = config.attempt_timeout_ms {
            b = b.attempt_timeout(millis("attemptTimeoutMs", ms)?);
        }
        if let Some(ms) = config.connect_timeout_ms {
            b = b.connect_timeout(millis("connectTimeoutMs", ms)?);
        }
        if let Some(ms) = config.pool_idle_timeout_ms {
            b = b.pool_idle_timeout(millis("poolIdleTimeoutMs", ms)?);
        }
        if let Some(n) = config.max_response_bytes {
            b = b.max_response_bytes(bytes("maxResponseBytes", n)?);
        }
        if let Some(n) = config.max_retries {
            b = b.max_retries(n);
        }
        if let Some(p) = config.proxy {
            b = b.proxy(p);
        }
        if let Some(allow) = config.allow_insecure_http {
            b = b.allow_insecure_http(allow);
        }
        if let Some(sink) = log {
            b = b.log_hook(Arc::new(move |record: &LogRecord| {
                // NonBlocking on an unbounded queue: never waits for the event loop. A call
                // refused because Node is shutting down drops the record.
                let _ = sink.call(record_json(record), ThreadsafeFunctionCallMode::NonBlocking);
            }));
        }
        let client = b
            .user_agent_suffix(crate::USER_AGENT_TOKEN)
            .build()
            .map_err(error::to_napi)?;
        env.adjust_external_memory(CLIENT_EXTERNAL_BYTES)?;
        Ok(NativeClient { client })
    }

    /// The base URL requests go to.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_string()
    }

    /// `ibanera-rust/<v> ibanera-node/<v>`.
    #[napi(getter)]
    pub fn user_agent(&self) -> String {
        self.client.user_agent().to_string()
    }

    /// Logs in now; resolves to the session's JSON (`session_json`).
    #[napi]
    pub async fn login(&self) -> Result<String> {
        let info = self.client.login().await.map_err(error::to_napi)?;
        Ok(session_json(&info))
    }

    /// The current session's JSON, or `null` before the first login (no request).
    #[napi(getter)]
    pub fn session(&self) -> Option<String> {
        self.client.session_info().as_ref().map(session_json)
    }

    /// New username and password for the next login.
    #[napi]
    pub fn set_credentials(&self, username: String, password: String) {
        self.client.set_credentials(username, password);
    }

    /// A new bearer token obtained elsewhere.
    #[napi]
    pub fn set_access_token(&self, token: String) -> Result<()> {
        self.client.set_access_token(token).map_err(error::to_napi)
    }

    /// Runs operation `op` (`"accounts.list"`) with `args` (a JSON object, camelCase keys) and
    /// its positional argument (JSON text, when the caller passed one): parsed and validated by
    /// the core, sent on the Tokio runtime; resolves to the result's user-facing JSON text.
    #[napi]
    pub async fn call(
        &self,
        op: String,
        args: String,
        options: Option<CallOptions>,
        positional: Option<String>,
    ) -> Result<String> {
        let call = parse(&op, &args, positional.as_deref())?;
        let client = self.with_options(options)?;
        run_text(&call, &client).await.map_err(error::to_napi)
    }

    /// Any endpoint, for the modules the typed methods do not cover: `method`, `path` under
    /// the base URL, `query` as the JSON text of `[key, value]` string pairs, `body` as JSON
    /// text (the wrapper writes both, numbers with their exact digits). Resolves to the JSON
    /// text of `{ id, details, pageNumber, pageSize, numberOfPages, warnings? }` in which every
    /// number a JS number cannot hold exactly (a fraction, an integer beyond 2^53) is a string.
    #[napi]
    pub async fn request(
        &self,
        method: String,
        path: String,
        query: String,
        body: Option<String>,
        options: Option<CallOptions>,
    ) -> Result<String> {
        let method = ibanera::endpoint::parse_method(&method).map_err(error::validation)?;
        let query: Vec<(String, String)> = serde_json::from_str(&query).map_err(|_| {
            error::validation(ibanera::ValidationError::new(
                "query",
                "must be [key, value] pairs of strings",
            ))
        })?;
        let body: Option<Value> = body
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|_| error::validation(ibanera::ValidationError::new("body", "is not JSON")))?;
        let client = self.with_options(options)?;
        let pairs: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let envelope = client
            .request(method, &path, &pairs, body.as_ref())
            .await
            .map_err(error::to_napi)?;
        let mut out = json!({
            "id": envelope.id,
            "details": crate::exact_for_js(envelope.details),
            "pageNumber": envelope.page_number,
            "pageSize": envelope.page_size,
            "numberOfPages": envelope.number_of_pages,
        });
        if !envelope.warnings.is_empty() {
            out["warnings"] = json!(envelope.warnings);
        }
        Ok(out.to_string())
    }

    /// `client.recovery.findWithdrawals(args)`: `args` the JSON text of
    /// `{accountsId, amount, startedAt}` (the wrapper writes it, money exact); resolves to the
    /// JSON text of the `Transaction` items found (the withdrawal, if it executed).
    #[napi]
    pub async fn find_withdrawals(
        &self,
        args: String,
        options: Option<CallOptions>,
    ) -> Result<String> {
        let attempt = recovery::WithdrawalAttempt::from_args(&helper_args(&args)?)
            .map_err(error::validation)?;
        let client = self.with_options(options)?;
        let found = recovery::find_withdrawals(&client, &attempt)
            .await
            .map_err(error::to_napi)?;
        ops::to_json_text(&found).map_err(error::to_napi)
    }

    /// `client.recovery.findExchanges(args)`: the `Exchange` items that match what was sent.
    #[napi]
    pub async fn find_exchanges(
        &self,
        args: String,
        options: Option<CallOptions>,
    ) -> Result<String> {
        let attempt = recovery::ExchangeAttempt::from_args(&helper_args(&args)?)
            .map_err(error::validation)?;
        let client = self.with_options(options)?;
        let found = recovery::find_exchanges(&client, &attempt)
            .await
            .map_err(error::to_napi)?;
        ops::to_json_text(&found).map_err(error::to_napi)
    }

    /// `client.recovery.latestExchangeId({ customersId })`: the JSON text of the id, or `null`.
    #[napi]
    pub async fn latest_exchange_id(
        &self,
        args: String,
        options: Option<CallOptions>,
    ) -> Result<String> {
        let customers_id =
            recovery::latest_exchange_customer(&helper_args(&args)?).map_err(error::validation)?;
        let client = self.with_options(options)?;
        let id = recovery::latest_exchange_id(&client, customers_id)
            .await
            .map_err(error::to_napi)?;
        Ok(json!(id.map(|id| crate::exact_for_js(json!(id)))).to_string())
    }

    /// A lazy walk over every page of a list operation.
    #[napi]
    pub fn pager(
        &self,
        op: String,
        args: String,
        options: Option<CallOptions>,
        positional: Option<String>,
    ) -> Result<NativePager> {
        let call = parse(&op, &args, positional.as_deref())?;
        let client = self.with_options(options)?;
        let pager = call.pager(&client).ok_or_else(|| {
            error::validation(ibanera::ValidationError::new(
                "operation",
                format!("{op} does not return pages"),
            ))
        })?;
        // A pager exists for list operations only, and every one of them names its model.
        let model = call.op().returns.model().unwrap_or_default();
        Ok(NativePager {
            pager: Arc::new(tokio::sync::Mutex::new(pager)),
            next_call: Arc::new(std::sync::Mutex::new(Some(call))),
            model,
            client,
        })
    }
}

impl NativeClient {
    fn with_options(&self, options: Option<CallOptions>) -> Result<Client> {
        let Some(options) = options else {
            return Ok(self.client.clone());
        };
        let mut o = RequestOptions::new();
        if let Some(ms) = options.timeout_ms {
            o = o.timeout(millis("timeoutMs", ms)?);
        }
        if let Some(ms) = options.attempt_timeout_ms {
            o = o.attempt_timeout(millis("attemptTimeoutMs", ms)?);
        }
        if let Some(n) = options.max_retries {
            o = o.max_retries(n);
        }
        if let Some(n) = options.max_response_bytes {
            o = o.max_response_bytes(bytes("maxResponseBytes", n)?);
        }
        if o == RequestOptions::new() {
            return Ok(self.client.clone());
        }
        Ok(self.client.with_options(o))
    }
}

fn parse(op: &str, args: &str, positional: Option<&str>) -> Result<Call> {
    // The wrapper writes this JSON itself; exact numbers survive (`arbitrary_precision`).
    let json = |field: &'static str, what: &str, text: &str| -> Result<Value> {
        serde_json::from_str(text).map_err(|e| {
            error::validation(ibanera::ValidationError::new(field, format!("{what}: {e}")))
        })
    };
    let value = json("arguments", "are not a JSON object", args)?;
    let positional = positional
        .map(|p| json("positional", "is not JSON", p))
        .transpose()?;
    ops::parse_positional(op, positional.as_ref(), &value).map_err(error::validation)
}

/// A recovery helper's arguments: the JSON object the wrapper wrote.
fn helper_args(args: &str) -> Result<Value> {
    serde_json::from_str(args).map_err(|e| {
        error::validation(ibanera::ValidationError::new(
            "arguments",
            format!("are not a JSON object: {e}"),
        ))
    })
}

/// Runs a call and writes its user-facing JSON text straight from the core's typed result
/// (no intermediate `serde_json::Value`: measured 2-3x faster for a 10,000-item page).
async fn run_text(call: &Call, client: &Client) -> ibanera::Result<String> {
    ops::to_json_text(&call.run(client).await?)
}

/// The pages of one list call, fetched one at a time when asked.
#[napi]
pub struct NativePager {
    pager: Arc<tokio::sync::Mutex<Pager<ops::Item>>>,
    /// The call of the page the pager fetches next (what a page's `toArrowIPC({ allPages })`
    /// walks from).
    next_call: Arc<std::sync::Mutex<Option<Call>>>,
    model: &'static str,
    client: Client,
}

#[napi]
impl NativePager {
    /// The next page's JSON (`{items, pageNumber, pageSize, numberOfPages, warnings?}`), or
    /// `null` after the last one.
    #[napi]
    pub async fn next(&self) -> Result<Option<String>> {
        let pager = self.pager.clone();
        let mut pager = pager.lock().await;
        match pager.next_page().await.map_err(error::to_napi)? {
            Some(page) => ops::to_json_text(&page).map(Some).map_err(error::to_napi),
            None => Ok(None),
        }
    }

    /// The next page (its JSON and what its Arrow export needs), or `null` after the last one.
    #[napi]
    pub async fn next_page(&self) -> Result<Option<crate::arrow::NativePage>> {
        let pager = self.pager.clone();
        let mut pager = pager.lock().await;
        let Some(page) = pager.next_page().await.map_err(error::to_napi)? else {
            return Ok(None);
        };
        let json = ops::to_json_text(&page).map_err(error::to_napi)?;
        let mut slot = self
            .next_call
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let after = slot.as_ref().and_then(|c| c.next_page_call(&page));
        *slot = after.clone();
        Ok(Some(crate::arrow::NativePage::new(
            json,
            self.model,
            page,
            after,
            self.client.clone(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ibanera::logging::{Level, LogEvent};

    #[test]
    fn a_record_crosses_with_camel_case_fields_and_milliseconds() {
        let record = LogRecord {
            level: Level::Info,
            event: LogEvent::Retry,
            method: "GET".into(),
            path: "/api/v1/customer/accounts/account".into(),
            status: Some(503),
            attempt: Some(1),
            elapsed: Some(Duration::from_micros(12_345)),
            reason: Some("HTTP 503".into()),
            wait: Some(Duration::from_millis(250)),
            message: "GET /api/v1/customer/accounts/account: HTTP 503; retry 1 of 2".into(),
        };
        let v: Value = serde_json::from_str(&record_json(&record)).unwrap();
        assert_eq!(
            v,
            json!({"level": "info", "event": "retry", "method": "GET",
                   "path": "/api/v1/customer/accounts/account", "status": 503, "attempt": 1,
                   "elapsedMs": 12.345, "reason": "HTTP 503", "waitMs": 250.0,
                   "message": "GET /api/v1/customer/accounts/account: HTTP 503; retry 1 of 2"})
        );
        let bare = LogRecord {
            level: Level::Trace,
            status: None,
            attempt: None,
            elapsed: None,
            reason: None,
            wait: None,
            ..record
        };
        let v: Value = serde_json::from_str(&record_json(&bare)).unwrap();
        assert_eq!(v["level"], "trace");
        assert_eq!(v["elapsedMs"], Value::Null);
        assert_eq!(v["waitMs"], Value::Null);
    }
}
