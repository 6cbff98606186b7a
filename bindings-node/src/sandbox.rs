//! `NativeSandbox`: the in-process `ibanera-sandbox` server, running on napi's Tokio runtime.

use std::sync::Mutex;
use std::time::Duration;

use ibanera_sandbox::{Control, Fault, Sandbox, SandboxConfig};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use rust_decimal::Decimal;

use crate::error;

#[napi(object)]
pub struct SandboxOptions {
    /// Refuse a TOTP time step already accepted (RFC 6238 section 5.2).
    pub strict_otp: Option<bool>,
    /// Port on 127.0.0.1 (0 or absent: a free one).
    pub port: Option<u32>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub totp_secret: Option<String>,
    /// Lifetime of issued tokens, in seconds (decimals allowed).
    pub token_ttl: Option<f64>,
    /// Idle keep-alive connections are closed after this many milliseconds.
    pub idle_timeout_ms: Option<f64>,
    /// A callback receiver registered at start (its secret is `webhook_secret`).
    pub webhook_url: Option<String>,
    /// That receiver's hash secret (random when absent).
    pub webhook_secret: Option<String>,
    /// The wait before the first retry of an unacknowledged callback, in milliseconds.
    pub webhook_retry_base_ms: Option<f64>,
    /// Attempts per event and receiver, the first included.
    pub webhook_max_attempts: Option<u32>,
    /// How long one delivery attempt may take, in milliseconds.
    pub webhook_timeout_ms: Option<f64>,
    /// Crypto withdrawals stay Pending until `settleTransaction` / `failTransaction`.
    pub hold_withdrawals: Option<bool>,
}

/// Seconds (JS number, decimals allowed) as a duration; range checks are the sandbox's.
fn seconds(name: &str, s: f64) -> Result<Duration> {
    Duration::try_from_secs_f64(s)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| error::config(format!("`{name}` must be a positive number of seconds")))
}

fn millis(name: &str, ms: f64) -> Result<Duration> {
    Duration::try_from_secs_f64(ms / 1000.0)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            error::config(format!(
                "`{name}` must be a positive number of milliseconds"
            ))
        })
}

/// Starts a sandbox on 127.0.0.1 (on the Tokio runtime, off the event loop).
#[napi]
pub async fn start_sandbox(options: Option<SandboxOptions>) -> Result<NativeSandbox> {
    let o = options.unwrap_or(SandboxOptions {
        strict_otp: None,
        port: None,
        username: None,
        password: None,
        totp_secret: None,
        token_ttl: None,
        idle_timeout_ms: None,
        webhook_url: None,
        webhook_secret: None,
        webhook_retry_base_ms: None,
        webhook_max_attempts: None,
        webhook_timeout_ms: None,
        hold_withdrawals: None,
    });
    let port = match o.port {
        None => 0,
        Some(p) => u16::try_from(p).map_err(|_| error::config("`port` must be 0..=65535"))?,
    };
    let token_ttl = o.token_ttl.map(|s| seconds("tokenTtl", s)).transpose()?;
    let idle_timeout = o
        .idle_timeout_ms
        .map(|ms| millis("idleTimeoutMs", ms))
        .transpose()?;
    let sandbox = Sandbox::start_with(SandboxConfig {
        port,
        username: o.username,
        password: o.password,
        totp_secret: o.totp_secret,
        token_ttl,
        idle_timeout,
        strict_otp: o.strict_otp.unwrap_or(false),
        webhook_retry_base: o
            .webhook_retry_base_ms
            .map(|ms| millis("webhookRetryBaseMs", ms))
            .transpose()?,
        webhook_max_attempts: o.webhook_max_attempts,
        webhook_timeout: o
            .webhook_timeout_ms
            .map(|ms| millis("webhookTimeoutMs", ms))
            .transpose()?,
        hold_withdrawals: o.hold_withdrawals.unwrap_or(false),
    })
    .await
    .map_err(error::sandbox)?;
    let webhook_secret = match o.webhook_url {
        None => None,
        Some(url) => Some(register(sandbox.control(), &url, o.webhook_secret)?),
    };
    Ok(NativeSandbox {
        base_url: sandbox.base_url().to_string(),
        username: sandbox.username().to_string(),
        password: sandbox.password().to_string(),
        totp_secret: sandbox.totp_secret().to_string(),
        env_lines: sandbox.env_lines(),
        webhook_secret,
        control: sandbox.control().clone(),
        sandbox: Mutex::new(Some(sandbox)),
    })
}

/// Registers a receiver; its hash secret (the one given, or a fresh random one).
fn register(control: &Control, url: &str, secret: Option<String>) -> Result<String> {
    match secret {
        Some(secret) => {
            control
                .register_webhook_with_secret(url, &secret)
                .map_err(error::sandbox)?;
            Ok(secret)
        }
        None => control
            .register_webhook(url)
            .map(|(_, secret)| secret)
            .map_err(error::sandbox),
    }
}

fn json_text(values: impl IntoIterator<Item = serde_json::Value>) -> String {
    serde_json::Value::Array(values.into_iter().collect()).to_string()
}

fn decimal(name: &str, text: &str) -> Result<Decimal> {
    ibanera::decimal::parse_decimal(text).map_err(|_| {
        error::validation(ibanera::ValidationError::new(
            name.to_string(),
            format!("must be a decimal number (like \"12.50\"), got {text:?}"),
        ))
    })
}

#[napi]
pub struct NativeSandbox {
    base_url: String,
    username: String,
    password: String,
    totp_secret: String,
    env_lines: String,
    webhook_secret: Option<String>,
    control: Control,
    sandbox: Mutex<Option<Sandbox>>,
}

#[napi]
impl NativeSandbox {
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    #[napi(getter)]
    pub fn username(&self) -> String {
        self.username.clone()
    }

    #[napi(getter)]
    pub fn password(&self) -> String {
        self.password.clone()
    }

    #[napi(getter)]
    pub fn totp_secret(&self) -> String {
        self.totp_secret.clone()
    }

    /// Compliance approves an exchange; the new status.
    #[napi]
    pub fn approve(&self, exchange_id: i64) -> Result<String> {
        let s = self.control.approve(exchange_id).map_err(error::sandbox)?;
        Ok(s.as_str().to_string())
    }

    #[napi]
    pub fn reject(&self, exchange_id: i64) -> Result<String> {
        let s = self.control.reject(exchange_id).map_err(error::sandbox)?;
        Ok(s.as_str().to_string())
    }

    #[napi]
    pub fn complete(&self, exchange_id: i64) -> Result<String> {
        let s = self.control.complete(exchange_id).map_err(error::sandbox)?;
        Ok(s.as_str().to_string())
    }

    #[napi]
    pub fn fail(&self, exchange_id: i64) -> Result<String> {
        let s = self.control.fail(exchange_id).map_err(error::sandbox)?;
        Ok(s.as_str().to_string())
    }

    /// Moves a pair's price (a decimal string).
    #[napi]
    pub fn set_price(&self, asset_pair: String, price: String) -> Result<()> {
        let price = decimal("price", &price)?;
        self.control
            .set_price(&asset_pair, price)
            .map_err(error::sandbox)
    }

    /// A pair's current price, as a decimal string.
    #[napi]
    pub fn price(&self, asset_pair: String) -> Result<String> {
        let p = self.control.price(&asset_pair).map_err(error::sandbox)?;
        Ok(p.to_string())
    }

    /// Credits a completed deposit; the new transaction's id.
    #[napi]
    pub fn credit_deposit(&self, accounts_id: i64, amount: String) -> Result<i64> {
        let amount = decimal("amount", &amount)?;
        self.control
            .credit_deposit(accounts_id, amount)
            .map_err(error::sandbox)
    }

    /// Adds `count` deposits of 1 unit (off the event loop: a million take a while).
    #[napi]
    pub async fn seed_transactions(&self, accounts_id: i64, count: f64) -> Result<()> {
        if !count.is_finite() || count < 0.0 || count.fract() != 0.0 {
            return Err(error::config("count must be a non-negative integer"));
        }
        let control = self.control.clone();
        tokio::task::spawn_blocking(move || control.seed_transactions(accounts_id, count as u64))
            .await
            .map_err(|e| error::config(format!("seeding stopped: {e}")))?
            .map_err(error::sandbox)
    }

    /// Back to the seeded world (credentials and the strict setting stay).
    #[napi]
    pub fn reset(&self) {
        self.control.reset();
    }

    /// How many times each API POST was executed, as JSON `{"POST /api/...": n}`.
    #[napi]
    pub fn executions(&self) -> String {
        serde_json::to_string(&self.control.executions()).unwrap_or_else(|_| "{}".into())
    }

    /// Injects a fault (its JSON form, `{"kind": "status", "status": 503}`) for the next
    /// `count` requests to `path`.
    #[napi]
    pub fn inject_fault(&self, path: String, fault: String, count: u32) -> Result<()> {
        let value: serde_json::Value = serde_json::from_str(&fault)
            .map_err(|e| error::config(format!("a fault is a JSON object: {e}")))?;
        let fault = Fault::from_json(&value).map_err(error::sandbox)?;
        self.control
            .inject_fault(&path, fault, count)
            .map_err(error::sandbox)
    }

    #[napi]
    pub fn clear_faults(&self) {
        self.control.clear_faults();
    }

    #[napi]
    pub fn set_strict_otp(&self, strict: bool) {
        self.control.set_strict_otp(strict);
    }

    #[napi(getter)]
    pub fn strict_otp(&self) -> bool {
        self.control.strict_otp()
    }

    /// Lifetime of tokens issued from now on, in seconds (decimals allowed).
    #[napi]
    pub fn set_token_ttl(&self, ttl_seconds: f64) -> Result<()> {
        let ttl = seconds("seconds", ttl_seconds)?;
        self.control.set_token_ttl(ttl).map_err(error::sandbox)
    }

    /// Idle keep-alive connections accepted from now on are closed after `ms` milliseconds.
    #[napi]
    pub fn set_idle_timeout(&self, ms: f64) -> Result<()> {
        let timeout = millis("ms", ms)?;
        self.control
            .set_idle_timeout(timeout)
            .map_err(error::sandbox)
    }

    /// Every token issued so far stops working.
    #[napi]
    pub fn revoke_tokens(&self) {
        self.control.revoke_tokens();
    }

    /// Clears every lock and failed-login run.
    #[napi]
    pub fn unlock(&self) {
        self.control.unlock();
    }

    /// `{"loginsSucceeded", "loginsFailed", "activeTokens", "lockedUsers"}` as JSON text.
    #[napi]
    pub fn auth_stats(&self) -> String {
        self.control.auth_stats().to_json().to_string()
    }

    /// Crypto withdrawals made from now on stay Pending (cancellable) until settled or failed;
    /// `false` completes them at once.
    #[napi]
    pub fn set_hold_withdrawals(&self, hold: bool) {
        self.control.set_hold_withdrawals(hold);
    }

    #[napi(getter)]
    pub fn hold_withdrawals(&self) -> bool {
        self.control.hold_withdrawals()
    }

    /// Settles a pending withdrawal or deposit (and its fee transaction): Completed.
    #[napi]
    pub fn settle_transaction(&self, transactions_id: i64) -> Result<()> {
        self.control
            .settle_transaction(transactions_id)
            .map_err(error::sandbox)
    }

    /// Fails a pending withdrawal or deposit: the hold is released, nothing is credited.
    #[napi]
    pub fn fail_transaction(&self, transactions_id: i64) -> Result<()> {
        self.control
            .fail_transaction(transactions_id)
            .map_err(error::sandbox)
    }

    /// Ids of the transactions `settle_transaction` accepts, oldest first.
    #[napi]
    pub fn pending_transactions(&self) -> Vec<i64> {
        self.control.pending_transactions()
    }

    /// Compliance opens an information request for a customer (about one of its transactions,
    /// or the customer in general); its id.
    #[napi]
    pub fn open_information_request(
        &self,
        customers_id: i64,
        transactions_id: Option<i64>,
    ) -> Result<i64> {
        self.control
            .open_information_request(customers_id, transactions_id)
            .map_err(error::sandbox)
    }

    /// Compliance decides on an open information request: `Accepted`, `Rejected` (both final)
    /// or `MoreInformationRequired` (still open).
    #[napi]
    pub fn resolve_information_request(&self, id: i64, status: String) -> Result<()> {
        self.control
            .resolve_information_request(id, &status)
            .map_err(error::sandbox)
    }

    /// Activates a card (a created card starts Deactivated; a managee's: the manager's
    /// approval).
    #[napi]
    pub fn activate_card(&self, card_id: i64) -> Result<()> {
        self.control.activate_card(card_id).map_err(error::sandbox)
    }

    /// Deactivates a card: transfers to or from it are refused.
    #[napi]
    pub fn deactivate_card(&self, card_id: i64) -> Result<()> {
        self.control
            .deactivate_card(card_id)
            .map_err(error::sandbox)
    }

    /// The fees card transfers have collected since the start (or the last reset), as a
    /// decimal string.
    #[napi]
    pub fn card_fees_collected(&self) -> String {
        self.control.card_fees_collected().to_string()
    }

    /// The hash secret of the receiver given as `webhookUrl` at start, if any.
    #[napi(getter)]
    pub fn webhook_secret(&self) -> Option<String> {
        self.webhook_secret.clone()
    }

    /// Registers a callback receiver; returns its hash secret (`secret`, or a random one).
    #[napi]
    pub fn register_webhook(&self, url: String, secret: Option<String>) -> Result<String> {
        register(&self.control, &url, secret)
    }

    /// `[{"id", "url", "pending"}]` as JSON text (never the secrets).
    #[napi]
    pub fn webhooks(&self) -> String {
        json_text(self.control.webhooks().iter().map(|r| r.to_json()))
    }

    #[napi]
    pub fn remove_webhook(&self, receiver_id: i64) -> Result<()> {
        self.control
            .remove_webhook(receiver_id)
            .map_err(error::sandbox)
    }

    /// Removes every receiver; how many there were.
    #[napi]
    pub fn clear_webhooks(&self) -> u32 {
        u32::try_from(self.control.clear_webhooks()).unwrap_or(u32::MAX)
    }

    /// Every delivery attempt so far, as JSON text.
    #[napi]
    pub fn deliveries(&self) -> String {
        json_text(self.control.deliveries().iter().map(|d| d.to_json()))
    }

    #[napi]
    pub fn clear_deliveries(&self) {
        self.control.clear_deliveries();
    }

    #[napi]
    pub fn pending_deliveries(&self) -> u32 {
        u32::try_from(self.control.pending_deliveries()).unwrap_or(u32::MAX)
    }

    /// Resolves `true` once every event queued so far is acknowledged or given up, `false`
    /// after `timeout_ms` (off the event loop).
    #[napi]
    pub async fn wait_for_deliveries(&self, timeout_ms: f64) -> Result<bool> {
        let timeout = millis("timeoutMs", timeout_ms)?;
        Ok(self.control.wait_for_deliveries(timeout).await)
    }

    /// Sends a callback of `event_type` now; `data` is the JSON text of overrides. Returns the
    /// JSON text of `{"id", "type", "data"}` as sent.
    #[napi]
    pub fn trigger_webhook(
        &self,
        event_type: String,
        data: Option<String>,
        id: Option<String>,
    ) -> Result<String> {
        let data: Option<serde_json::Value> = data
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|e| error::config(format!("the data overrides are not JSON: {e}")))?;
        let event = self
            .control
            .trigger_webhook_with_id(&event_type, data.as_ref(), id.as_deref())
            .map_err(error::sandbox)?;
        Ok(crate::exact_for_js(event.to_json()).to_string())
    }

    #[napi]
    pub fn set_webhook_retry_base(&self, ms: f64) -> Result<()> {
        let base = millis("ms", ms)?;
        self.control
            .set_webhook_retry_base(base)
            .map_err(error::sandbox)
    }

    #[napi]
    pub fn set_webhook_max_attempts(&self, attempts: u32) -> Result<()> {
        self.control
            .set_webhook_max_attempts(attempts)
            .map_err(error::sandbox)
    }

    #[napi]
    pub fn set_webhook_timeout(&self, ms: f64) -> Result<()> {
        let timeout = millis("ms", ms)?;
        self.control
            .set_webhook_timeout(timeout)
            .map_err(error::sandbox)
    }

    /// The `export IBANERA_...=` lines for a shell.
    #[napi]
    pub fn env_lines(&self) -> String {
        self.env_lines.clone()
    }

    /// Stops the server and waits for it; later calls do nothing.
    #[napi]
    pub async fn close(&self) -> Result<()> {
        let sandbox = self.sandbox.lock().ok().and_then(|mut s| s.take());
        if let Some(s) = sandbox {
            s.shutdown().await;
        }
        Ok(())
    }
}
