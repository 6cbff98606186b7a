//! Control of a running sandbox: in-process ([`Control`]) and over HTTP (`/_sandbox/...`,
//! whose handlers call the same methods).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{Response, StatusCode};
use axum::routing::{get, post};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::auth::{
    AuthStats, MAX_IDLE_TIMEOUT, MAX_TOKEN_TTL, check_duration, parse_seconds, seconds_json,
};
use crate::error::SandboxError;
use crate::fault::Fault;
use crate::model::{ExchangeStatus, Pair};
use crate::rfi::RfiStatus;
use crate::server::{FaultEntry, Shared, lock};
use crate::webhooks::{self, Delivery, WebhookEvent, WebhookReceiver};
use crate::wire::{ApiError, Fields, Validator, envelope, json_response, money};

/// Moves the sandbox's world along from a test: exchange lifecycle, prices, deposits,
/// settlement of pending transactions, callback receivers, faults, sessions (token lifetime,
/// revocation, locks) and connection settings.
///
/// Cheap to clone; every clone controls the same sandbox. Each method is one short critical
/// section and never blocks on I/O.
#[derive(Clone)]
pub struct Control {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control").finish_non_exhaustive()
    }
}

fn parse_pair(asset_pair: &str) -> Result<Pair, SandboxError> {
    Pair::parse(asset_pair).ok_or_else(|| {
        SandboxError::invalid(
            "AssetPair",
            "Invalid",
            format!("unknown asset pair {asset_pair:?} (BTC/USDC, ETH/USD, USDC/USD, BTC/USD)"),
        )
    })
}

impl Control {
    /// Compliance approves a WaitingForApproval exchange: Pending if the pair's price is
    /// still the exchange's, else WaitingForConfirmation (the price moved during review).
    pub fn approve(&self, exchange_id: i64) -> Result<ExchangeStatus, SandboxError> {
        self.shared.world().approve(exchange_id)
    }

    /// Compliance rejects a WaitingForApproval exchange; its reservation is released.
    pub fn reject(&self, exchange_id: i64) -> Result<ExchangeStatus, SandboxError> {
        self.shared.world().reject(exchange_id)
    }

    /// Settles a Pending exchange (Completed): debits, credits, fees.
    pub fn complete(&self, exchange_id: i64) -> Result<ExchangeStatus, SandboxError> {
        self.shared.world().complete(exchange_id)
    }

    /// Fails a Pending exchange; its reservation is released.
    pub fn fail(&self, exchange_id: i64) -> Result<ExchangeStatus, SandboxError> {
        self.shared.world().fail(exchange_id)
    }

    /// Sets the price of one unit of the pair's base asset in its quote asset.
    pub fn set_price(&self, asset_pair: &str, price: Decimal) -> Result<(), SandboxError> {
        let pair = parse_pair(asset_pair)?;
        self.shared.world().set_price(pair, price)
    }

    /// The pair's current price.
    pub fn price(&self, asset_pair: &str) -> Result<Decimal, SandboxError> {
        let pair = parse_pair(asset_pair)?;
        Ok(self.shared.world().price(pair))
    }

    /// Credits an incoming deposit to the account; returns the new transaction's id.
    pub fn credit_deposit(&self, accounts_id: i64, amount: Decimal) -> Result<i64, SandboxError> {
        self.shared.world().credit_deposit(accounts_id, amount)
    }

    /// Adds `count` completed deposits of 1 unit each to the account (paging tests,
    /// benchmarks). At most 1,000,000 per call.
    pub fn seed_transactions(&self, accounts_id: i64, count: u64) -> Result<(), SandboxError> {
        self.shared.world().seed_transactions(accounts_id, count)
    }

    /// Back to the seeded world: ids, balances, prices, quotes, execution counters, faults,
    /// used OTP steps, login counters, failure runs and locks. Credentials, issued tokens
    /// (so a test that resets need not log in again) and settings (strict OTP, token
    /// lifetime, idle timeout) stay.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// How many times each API POST was executed (changed state or produced a result), keyed
    /// `"POST /api/v1/customer/crypto-exchanges/buy"`. Refused requests are not counted.
    pub fn executions(&self) -> BTreeMap<String, u64> {
        lock(&self.shared.executions).clone()
    }

    /// Applies `fault` to the next `count` requests whose path equals `path` (query ignored).
    /// Faults for one path apply in the order injected.
    pub fn inject_fault(&self, path: &str, fault: Fault, count: u32) -> Result<(), SandboxError> {
        let path = path.split('?').next().unwrap_or_default().trim();
        if !path.starts_with('/') {
            return Err(SandboxError::invalid(
                "Path",
                "Invalid",
                format!("a path starts with '/', got {path:?}"),
            ));
        }
        if count == 0 {
            return Err(SandboxError::invalid(
                "Count",
                "Invalid",
                "count must be at least 1",
            ));
        }
        lock(&self.shared.faults).push(FaultEntry {
            path: path.to_string(),
            fault,
            remaining: count,
        });
        Ok(())
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Strict OTP mode: also refuse a code (time step) already accepted (RFC 6238 5.2), by a
    /// login or an API call alike.
    pub fn set_strict_otp(&self, strict: bool) {
        self.shared.auth.set_strict_otp(strict);
    }

    pub fn strict_otp(&self) -> bool {
        self.shared.auth.strict_otp()
    }

    /// Lifetime of tokens issued from now on (a token's expiry is fixed when it is issued).
    /// More than zero, at most 10 years.
    pub fn set_token_ttl(&self, ttl: Duration) -> Result<(), SandboxError> {
        self.shared.auth.set_token_ttl(ttl)
    }

    pub fn token_ttl(&self) -> Duration {
        self.shared.auth.token_ttl()
    }

    /// Every token issued so far stops working (HTTP 401 naming `Authorization`).
    pub fn revoke_tokens(&self) {
        self.shared.auth.revoke_tokens();
    }

    /// Clears every lock and every run of failed logins.
    pub fn unlock(&self) {
        self.shared.auth.unlock();
    }

    /// Login counters, live tokens and locked users.
    pub fn auth_stats(&self) -> AuthStats {
        self.shared.auth.stats()
    }

    /// How long a keep-alive connection may stay idle before the server closes it; applies
    /// to connections accepted from now on. More than zero, at most one day.
    pub fn set_idle_timeout(&self, timeout: Duration) -> Result<(), SandboxError> {
        let timeout = check_duration("IdleTimeoutMs", timeout, MAX_IDLE_TIMEOUT)?;
        *lock(&self.shared.idle_timeout) = timeout;
        Ok(())
    }

    pub fn idle_timeout(&self) -> Duration {
        *lock(&self.shared.idle_timeout)
    }

    // ----- pending transactions -----

    /// Crypto withdrawals made from now on stay Pending (on hold, `bPending: true`,
    /// cancellable) until [`Control::settle_transaction`] or [`Control::fail_transaction`];
    /// `false` (the default) completes them at once.
    pub fn set_hold_withdrawals(&self, hold: bool) {
        self.shared.set_hold_withdrawals(hold);
    }

    pub fn hold_withdrawals(&self) -> bool {
        self.shared.hold_withdrawals()
    }

    /// Settles a pending withdrawal or deposit (and its fee transaction): Completed. The
    /// callback of the change follows (`CRYPTO_WITHDRAWAL_UPDATED`, `CRYPTO_DEPOSIT_UPDATED`
    /// or `TRANSACTION_STATUS_UPDATED`).
    pub fn settle_transaction(&self, transactions_id: i64) -> Result<(), SandboxError> {
        self.shared
            .world()
            .settle_transaction(transactions_id)
            .map(|_| ())
    }

    /// Fails a pending withdrawal or deposit (and its fee transaction): the hold is released,
    /// nothing is credited.
    pub fn fail_transaction(&self, transactions_id: i64) -> Result<(), SandboxError> {
        self.shared
            .world()
            .fail_transaction(transactions_id)
            .map(|_| ())
    }

    /// Ids of the transactions that [`Control::settle_transaction`] accepts, oldest first.
    pub fn pending_transactions(&self) -> Vec<i64> {
        self.shared
            .world()
            .pending_transactions()
            .iter()
            .map(|t| t.id)
            .collect()
    }

    // ----- information requests and cards -----

    /// Compliance opens an information request for the customer, about one of its
    /// transactions or about the customer in general; returns its id. Sends
    /// `INFORMATION_REQUESTED`.
    pub fn open_information_request(
        &self,
        customers_id: i64,
        transactions_id: Option<i64>,
    ) -> Result<i64, SandboxError> {
        self.shared
            .world()
            .open_information_request(customers_id, transactions_id, None)
    }

    /// Compliance decides on an open request: `"Accepted"`, `"Rejected"` (both final) or
    /// `"MoreInformationRequired"` (still open). Sends `INFORMATION_REQUEST_UPDATED`.
    pub fn resolve_information_request(&self, id: i64, status: &str) -> Result<(), SandboxError> {
        let status = RfiStatus::parse(status).ok_or_else(|| {
            SandboxError::invalid(
                "Status",
                "Invalid",
                format!("{status:?} is not Accepted, Rejected or MoreInformationRequired"),
            )
        })?;
        self.shared.world().resolve_information_request(id, status)
    }

    /// Activates a card (a created card starts Deactivated). Activating a managee's card is
    /// the manager's approval: `MANAGEE_CARD_APPROVAL_UPDATED`.
    pub fn activate_card(&self, card_id: i64) -> Result<(), SandboxError> {
        self.shared.world().set_card_active(card_id, true)
    }

    /// Deactivates a card: transfers to or from it are refused.
    pub fn deactivate_card(&self, card_id: i64) -> Result<(), SandboxError> {
        self.shared.world().set_card_active(card_id, false)
    }

    /// The fees card transfers have collected since the start (or the last reset).
    pub fn card_fees_collected(&self) -> Decimal {
        self.shared.world().card_fees
    }

    // ----- callbacks -----

    /// Registers a callback receiver (an `http` or `https` URL; loopback is the normal case)
    /// with a fresh random hash secret; returns (receiver id, secret). From now on every
    /// change of the sandbox's state is delivered to it, signed with that secret.
    pub fn register_webhook(&self, url: &str) -> Result<(i64, String), SandboxError> {
        self.shared.hooks.register(url, None)
    }

    /// Like [`Control::register_webhook`] with a hash secret of your choosing (not empty, no
    /// control characters); returns the receiver id.
    pub fn register_webhook_with_secret(
        &self,
        url: &str,
        secret: &str,
    ) -> Result<i64, SandboxError> {
        self.shared
            .hooks
            .register(url, Some(secret))
            .map(|(id, _)| id)
    }

    /// The registered receivers (without their secrets).
    pub fn webhooks(&self) -> Vec<WebhookReceiver> {
        self.shared.hooks.receivers()
    }

    /// Removes one receiver; events not yet delivered to it are dropped.
    pub fn remove_webhook(&self, receiver_id: i64) -> Result<(), SandboxError> {
        self.shared.hooks.remove(receiver_id)
    }

    /// Removes every receiver; returns how many there were.
    pub fn clear_webhooks(&self) -> usize {
        self.shared.hooks.clear()
    }

    /// Every delivery attempt so far, in the order made (the newest 100,000).
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.hooks.deliveries()
    }

    pub fn clear_deliveries(&self) {
        self.shared.hooks.clear_deliveries();
    }

    /// Events queued for a receiver that are neither acknowledged nor given up yet.
    pub fn pending_deliveries(&self) -> usize {
        self.shared.hooks.pending()
    }

    /// Waits until every event queued so far is acknowledged or given up; `false` if that
    /// did not happen within `timeout`. Use it instead of sleeping in tests.
    pub async fn wait_for_deliveries(&self, timeout: Duration) -> bool {
        self.shared.hooks.wait_idle(timeout).await
    }

    /// Sends a callback of any of the 12 types with realistic data from the sandbox's state;
    /// `data` (a JSON object) overrides keys of it (matched ignoring case). `event_type` is
    /// sent exactly as given, and must name a type once trimmed, inner spaces read as `_`, in
    /// any case (so `"FIAT DEPOSIT RECEIVED"` tests a receiver's normalisation).
    pub fn trigger_webhook(
        &self,
        event_type: &str,
        data: Option<&Value>,
    ) -> Result<WebhookEvent, SandboxError> {
        self.trigger_webhook_with_id(event_type, data, None)
    }

    /// Like [`Control::trigger_webhook`] with the envelope's `Id` given (to test a receiver's
    /// deduplication); `None` is a fresh GUID.
    pub fn trigger_webhook_with_id(
        &self,
        event_type: &str,
        data: Option<&Value>,
        id: Option<&str>,
    ) -> Result<WebhookEvent, SandboxError> {
        let overrides = match data {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m),
            Some(_) => {
                return Err(SandboxError::invalid(
                    "Data",
                    "Invalid",
                    "the data overrides must be a JSON object",
                ));
            }
        };
        self.shared
            .world()
            .trigger(event_type, overrides, id.map(str::to_string))
    }

    /// Changes the delivery settings (already checked) for the next waits and attempts.
    fn update_webhook_settings(&self, change: impl FnOnce(&mut webhooks::Settings)) {
        let mut s = self.shared.hooks.settings();
        change(&mut s);
        self.shared.hooks.set_settings(s);
    }

    /// The wait before the first retry of an unacknowledged delivery; each later wait doubles
    /// (at most an hour). More than zero, at most an hour. Applies from the next wait on.
    pub fn set_webhook_retry_base(&self, base: Duration) -> Result<(), SandboxError> {
        let base = webhooks::check_retry_base(base)
            .map_err(|r| SandboxError::invalid("WebhookRetryBaseMs", "Invalid", r))?;
        self.update_webhook_settings(|s| s.retry_base = base);
        Ok(())
    }

    pub fn webhook_retry_base(&self) -> Duration {
        self.shared.hooks.settings().retry_base
    }

    /// Attempts per event and receiver, the first included (1 to 100), after which the event
    /// is given up.
    pub fn set_webhook_max_attempts(&self, attempts: u32) -> Result<(), SandboxError> {
        let attempts = webhooks::check_max_attempts(attempts)
            .map_err(|r| SandboxError::invalid("WebhookMaxAttempts", "Invalid", r))?;
        self.update_webhook_settings(|s| s.max_attempts = attempts);
        Ok(())
    }

    pub fn webhook_max_attempts(&self) -> u32 {
        self.shared.hooks.settings().max_attempts
    }

    /// How long one attempt may take before it counts as failed (more than zero, at most 10
    /// minutes).
    pub fn set_webhook_timeout(&self, timeout: Duration) -> Result<(), SandboxError> {
        let timeout = webhooks::check_timeout(timeout)
            .map_err(|r| SandboxError::invalid("WebhookTimeoutMs", "Invalid", r))?;
        self.update_webhook_settings(|s| s.timeout = timeout);
        Ok(())
    }

    pub fn webhook_timeout(&self) -> Duration {
        self.shared.hooks.settings().timeout
    }
}

// ----- HTTP form -----

type CtlResult = Result<Value, ApiError>;

fn reply(r: CtlResult) -> Response<Body> {
    match r {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => e.response(),
    }
}

fn body_fields(body: &[u8]) -> Result<Fields, ApiError> {
    Fields::from_body(body)
}

fn control(s: &Arc<Shared>) -> Control {
    Control { shared: s.clone() }
}

async fn exchange_action(
    State(s): State<Arc<Shared>>,
    Path((id, action)): Path<(String, String)>,
) -> Response<Body> {
    let r = (|| -> CtlResult {
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| ApiError::bad("ExchangesId", "Invalid"))?;
        let c = control(&s);
        let status = match action.as_str() {
            "approve" => c.approve(id),
            "reject" => c.reject(id),
            "complete" => c.complete(id),
            "fail" => c.fail(id),
            _ => return Err(ApiError::not_found("")),
        }?;
        Ok(envelope(id, json!({"id": id, "status": status.as_str()})))
    })();
    reply(r)
}

async fn set_price(State(s): State<Arc<Shared>>, body: Bytes) -> Response<Body> {
    reply((|| -> CtlResult {
        let f = body_fields(&body)?;
        let mut v = Validator::default();
        let pair = v.str(&f, "AssetPair");
        let price = v.amount(&f, "Price");
        v.finish()?;
        let (Some(pair), Some(price)) = (pair, price) else {
            return Err(ApiError::bad("Body", "Invalid"));
        };
        let c = control(&s);
        c.set_price(&pair, price)?;
        let name = parse_pair(&pair).map(Pair::name).unwrap_or(pair);
        Ok(envelope(
            0,
            json!({"assetPair": name, "price": money(c.price(&name)?)}),
        ))
    })())
}

async fn get_prices(State(s): State<Arc<Shared>>) -> Response<Body> {
    let w = s.world();
    let items: Vec<Value> = Pair::ALL
        .iter()
        .map(|p| json!({"assetPair": p.name(), "price": money(w.price(*p))}))
        .collect();
    drop(w);
    reply(Ok(envelope(0, Value::Array(items))))
}

async fn deposit(State(s): State<Arc<Shared>>, body: Bytes) -> Response<Body> {
    reply((|| -> CtlResult {
        let f = body_fields(&body)?;
        let mut v = Validator::default();
        let account = v.id(&f, "AccountsId");
        let amount = v.amount(&f, "Amount");
        v.finish()?;
        let (Some(account), Some(amount)) = (account, amount) else {
            return Err(ApiError::bad("Body", "Invalid"));
        };
        let id = control(&s).credit_deposit(account, amount)?;
        Ok(envelope(
            0,
            json!({"transactionId": id, "accountsId": account, "amount": money(amount)}),
        ))
    })())
}

async fn seed(State(s): State<Arc<Shared>>, body: Bytes) -> Response<Body> {
    reply((|| -> CtlResult {
        let f = body_fields(&body)?;
        let mut v = Validator::default();
        let account = v.id(&f, "AccountsId");
        let count = v.opt_int(&f, "Count");
        v.finish()?;
        let Some(account) = account else {
            return Err(ApiError::bad("AccountsId", "Required"));
        };
        let count = match count {
            Some(n) if n >= 0 => n as u64,
            Some(_) => return Err(ApiError::bad("Count", "Invalid")),
            None => return Err(ApiError::bad("Count", "Required")),
        };
        control(&s).seed_transactions(account, count)?;
        Ok(envelope(0, json!({"accountsId": account, "count": count})))
    })())
}

async fn reset(State(s): State<Arc<Shared>>) -> Response<Body> {
    control(&s).reset();
    reply(Ok(envelope(0, json!({"reset": true}))))
}

async fn executions(State(s): State<Arc<Shared>>) -> Response<Body> {
    let map = control(&s).executions();
    reply(Ok(envelope(0, json!(map))))
}

async fn faults(State(s): State<Arc<Shared>>, body: Bytes) -> Response<Body> {
    reply((|| -> CtlResult {
        let f = body_fields(&body)?;
        let mut v = Validator::default();
        let path = v.str(&f, "Path");
        let count = v.opt_int(&f, "Count");
        v.finish()?;
        let Some(path) = path else {
            return Err(ApiError::bad("Path", "Required"));
        };
        let count = match count {
            None => 1,
            Some(n) if n >= 1 => u32::try_from(n).map_err(|_| ApiError::bad("Count", "Invalid"))?,
            Some(_) => return Err(ApiError::bad("Count", "Invalid")),
        };
        let fault = f
            .get("Fault")
            .ok_or_else(|| ApiError::bad("Fault", "Required"))?;
        let fault = Fault::from_json(fault)?;
        let echo = fault.to_json();
        control(&s).inject_fault(&path, fault, count)?;
        Ok(envelope(
            0,
            json!({"path": path, "count": count, "fault": echo}),
        ))
    })())
}

async fn clear_faults(State(s): State<Arc<Shared>>) -> Response<Body> {
    control(&s).clear_faults();
    reply(Ok(envelope(0, json!({"cleared": true}))))
}

/// A lifetime in seconds: an integer or a decimal (`0.5`), as a number or a string.
fn seconds_field(f: &Fields, name: &'static str) -> Result<Option<Duration>, ApiError> {
    let text = match f.get(name) {
        None => return Ok(None),
        Some(Value::Number(n)) => n.as_str().to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(ApiError::bad(name, "Invalid")),
    };
    parse_seconds(&text)
        .map(Some)
        .map_err(|_| ApiError::bad(name, "Invalid"))
}

fn config_json(c: &Control) -> Value {
    json!({
        "strictOtp": c.strict_otp(),
        "tokenTtl": seconds_json(c.token_ttl()),
        "idleTimeoutMs": c.idle_timeout().as_millis() as u64,
        "holdWithdrawals": c.hold_withdrawals(),
        "webhookRetryBaseMs": c.webhook_retry_base().as_millis() as u64,
        "webhookMaxAttempts": c.webhook_max_attempts(),
        "webhookTimeoutMs": c.webhook_timeout().as_millis() as u64,
    })
}

fn bool_field(f: &Fields, name: &'static str) -> Result<Option<bool>, ApiError> {
    match f.get(name) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::bad(name, "Invalid")),
    }
}

/// A positive integer number of milliseconds, checked by `check`.
fn millis_field(
    v: &mut Validator,
    f: &Fields,
    name: &'static str,
    check: fn(Duration) -> Result<Duration, String>,
) -> Result<Option<Duration>, ApiError> {
    match v.opt_int(f, name) {
        None => Ok(None),
        Some(ms) if ms > 0 => check(Duration::from_millis(ms as u64))
            .map(Some)
            .map_err(|_| ApiError::bad(name, "Invalid")),
        Some(_) => Err(ApiError::bad(name, "Invalid")),
    }
}

async fn config(State(s): State<Arc<Shared>>, body: Bytes) -> Response<Body> {
    reply((|| -> CtlResult {
        let f = body_fields(&body)?;
        let c = control(&s);
        // Every value is checked before any is applied.
        let strict = bool_field(&f, "StrictOtp")?;
        let hold = bool_field(&f, "HoldWithdrawals")?;
        let ttl = seconds_field(&f, "TokenTtl")?
            .map(|d| check_duration("TokenTtl", d, MAX_TOKEN_TTL))
            .transpose()?;
        let mut v = Validator::default();
        let idle_ms = v.opt_int(&f, "IdleTimeoutMs");
        let retry_base =
            millis_field(&mut v, &f, "WebhookRetryBaseMs", webhooks::check_retry_base)?;
        let timeout = millis_field(&mut v, &f, "WebhookTimeoutMs", webhooks::check_timeout)?;
        let attempts = match v.opt_int(&f, "WebhookMaxAttempts") {
            None => None,
            Some(n) => Some(
                u32::try_from(n)
                    .map_err(|_| ())
                    .and_then(|n| webhooks::check_max_attempts(n).map_err(|_| ()))
                    .map_err(|_| ApiError::bad("WebhookMaxAttempts", "Invalid"))?,
            ),
        };
        v.finish()?;
        let idle = match idle_ms {
            None => None,
            Some(ms) if ms > 0 => Some(check_duration(
                "IdleTimeoutMs",
                Duration::from_millis(ms as u64),
                MAX_IDLE_TIMEOUT,
            )?),
            Some(_) => return Err(ApiError::bad("IdleTimeoutMs", "Invalid")),
        };
        if let Some(b) = strict {
            c.set_strict_otp(b);
        }
        if let Some(d) = ttl {
            c.set_token_ttl(d)?;
        }
        if let Some(d) = idle {
            c.set_idle_timeout(d)?;
        }
        if let Some(b) = hold {
            c.set_hold_withdrawals(b);
        }
        if let Some(d) = retry_base {
            c.set_webhook_retry_base(d)?;
        }
        if let Some(n) = attempts {
            c.set_webhook_max_attempts(n)?;
        }
        if let Some(d) = timeout {
            c.set_webhook_timeout(d)?;
        }
        Ok(envelope(0, config_json(&c)))
    })())
}

async fn get_config(State(s): State<Arc<Shared>>) -> Response<Body> {
    reply(Ok(envelope(0, config_json(&control(&s)))))
}

async fn auth_stats(State(s): State<Arc<Shared>>) -> Response<Body> {
    reply(Ok(envelope(0, control(&s).auth_stats().to_json())))
}

async fn revoke(State(s): State<Arc<Shared>>) -> Response<Body> {
    let c = control(&s);
    c.revoke_tokens();
    reply(Ok(envelope(0, c.auth_stats().to_json())))
}

async fn unlock(State(s): State<Arc<Shared>>) -> Response<Body> {
    let c = control(&s);
    c.unlock();
    reply(Ok(envelope(0, c.auth_stats().to_json())))
}

async fn transaction_action(
    State(s): State<Arc<Shared>>,
    Path((id, action)): Path<(String, String)>,
) -> Response<Body> {
    reply((|| -> CtlResult {
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| ApiError::bad("TransactionsId", "Invalid"))?;
        let status = match action.as_str() {
            "settle" => s.world().settle_transaction(id)?,
            "fail" => s.world().fail_transaction(id)?,
            _ => return Err(ApiError::not_found("")),
        };
        Ok(envelope(id, json!({"id": id, "status": status.as_str()})))
    })())
}

async fn pending_transactions(State(s): State<Arc<Shared>>) -> Response<Body> {
    let w = s.world();
    let items: Vec<Value> = w
        .pending_transactions()
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "accountsId": t.account_id,
                "amount": money(t.amount),
                "transactionType": t.kind.as_str(),
                "description": t.description,
            })
        })
        .collect();
    drop(w);
    reply(Ok(envelope(0, Value::Array(items))))
}

async fn register_webhook(State(s): State<Arc<Shared>>, body: Bytes) -> Response<Body> {
    reply((|| -> CtlResult {
        let f = body_fields(&body)?;
        let mut v = Validator::default();
        let url = v.str(&f, "Url");
        let secret = match f.get("Secret") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                v.error("Secret", "Invalid");
                None
            }
        };
        v.finish()?;
        let url = url.ok_or_else(|| ApiError::bad("Url", "Required"))?;
        let (id, secret) = s.hooks.register(&url, secret.as_deref())?;
        let url = s
            .hooks
            .receivers()
            .into_iter()
            .find(|r| r.id == id)
            .map(|r| r.url)
            .unwrap_or(url);
        Ok(envelope(
            id,
            json!({"id": id, "url": url, "secret": secret}),
        ))
    })())
}

async fn list_webhooks(State(s): State<Arc<Shared>>) -> Response<Body> {
    let items: Vec<Value> = control(&s)
        .webhooks()
        .iter()
        .map(WebhookReceiver::to_json)
        .collect();
    reply(Ok(envelope(0, Value::Array(items))))
}

async fn clear_webhooks(State(s): State<Arc<Shared>>) -> Response<Body> {
    let n = control(&s).clear_webhooks();
    reply(Ok(envelope(0, json!({"removed": n}))))
}

async fn remove_webhook(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response<Body> {
    reply((|| -> CtlResult {
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| ApiError::bad("Id", "Invalid"))?;
        control(&s).remove_webhook(id)?;
        Ok(envelope(id, json!({"removed": 1})))
    })())
}

async fn deliveries(State(s): State<Arc<Shared>>) -> Response<Body> {
    let items: Vec<Value> = control(&s)
        .deliveries()
        .iter()
        .map(Delivery::to_json)
        .collect();
    reply(Ok(envelope(0, Value::Array(items))))
}

async fn clear_deliveries(State(s): State<Arc<Shared>>) -> Response<Body> {
    control(&s).clear_deliveries();
    reply(Ok(envelope(0, json!({"cleared": true}))))
}

async fn trigger_webhook(State(s): State<Arc<Shared>>, body: Bytes) -> Response<Body> {
    reply((|| -> CtlResult {
        let f = body_fields(&body)?;
        let kind = match f.get("Type") {
            None => return Err(ApiError::bad("Type", "Required")),
            Some(Value::String(t)) if !t.trim().is_empty() => t.clone(),
            Some(_) => return Err(ApiError::bad("Type", "Invalid")),
        };
        let id = match f.get("Id") {
            None => None,
            Some(Value::String(t)) if !t.is_empty() => Some(t.clone()),
            Some(_) => return Err(ApiError::bad("Id", "Invalid")),
        };
        let c = control(&s);
        let event = c.trigger_webhook_with_id(&kind, f.get("Data"), id.as_deref())?;
        let mut out = event.to_json();
        if let Value::Object(m) = &mut out {
            m.insert("receivers".into(), json!(s.hooks.receiver_count()));
        }
        Ok(envelope(0, out))
    })())
}

/// Longest wait of `POST /_sandbox/webhooks/wait`.
const MAX_WAIT: Duration = Duration::from_secs(600);

async fn wait_webhooks(State(s): State<Arc<Shared>>, body: Bytes) -> Response<Body> {
    let timeout = (|| -> Result<Duration, ApiError> {
        let f = body_fields(&body)?;
        let mut v = Validator::default();
        let ms = v.opt_int(&f, "TimeoutMs");
        v.finish()?;
        match ms {
            None => Ok(Duration::from_secs(10)),
            Some(ms) if ms > 0 && Duration::from_millis(ms as u64) <= MAX_WAIT => {
                Ok(Duration::from_millis(ms as u64))
            }
            Some(_) => Err(ApiError::bad("TimeoutMs", "Invalid")),
        }
    })();
    let timeout = match timeout {
        Ok(t) => t,
        Err(e) => return e.response(),
    };
    let c = control(&s);
    let idle = c.wait_for_deliveries(timeout).await;
    reply(Ok(envelope(
        0,
        json!({"idle": idle, "pending": c.pending_deliveries()}),
    )))
}

async fn open_information_request(State(s): State<Arc<Shared>>, body: Bytes) -> Response<Body> {
    reply((|| -> CtlResult {
        let f = body_fields(&body)?;
        let mut v = Validator::default();
        let customer = v.id(&f, "CustomersId");
        let tx = v.opt_id(&f, "TransactionsId");
        let reason = v.opt_str(&f, "Reason");
        v.finish()?;
        let customer = customer.ok_or_else(|| ApiError::bad("CustomersId", "Required"))?;
        let mut w = s.world();
        let id = w.open_information_request(customer, tx, reason)?;
        Ok(envelope(id, w.rfi(id, "Id")?.to_json()))
    })())
}

async fn resolve_information_request(
    State(s): State<Arc<Shared>>,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> Response<Body> {
    reply((|| -> CtlResult {
        if action != "resolve" {
            return Err(ApiError::not_found(""));
        }
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| ApiError::bad("Id", "Invalid"))?;
        let f = body_fields(&body)?;
        let mut v = Validator::default();
        let status = v.str(&f, "Status");
        v.finish()?;
        let status = status.ok_or_else(|| ApiError::bad("Status", "Required"))?;
        control(&s).resolve_information_request(id, &status)?;
        let w = s.world();
        Ok(envelope(id, w.rfi(id, "Id")?.to_json()))
    })())
}

async fn card_action(
    State(s): State<Arc<Shared>>,
    Path((id, action)): Path<(String, String)>,
) -> Response<Body> {
    reply((|| -> CtlResult {
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| ApiError::bad("CardId", "Invalid"))?;
        let c = control(&s);
        let status = match action.as_str() {
            "activate" => c.activate_card(id).map(|_| "Active"),
            "deactivate" => c.deactivate_card(id).map(|_| "Deactivated"),
            _ => return Err(ApiError::not_found("")),
        }?;
        Ok(envelope(id, json!({"id": id, "status": status})))
    })())
}

async fn card_fees(State(s): State<Arc<Shared>>) -> Response<Body> {
    let fees = control(&s).card_fees_collected();
    reply(Ok(envelope(0, json!({"feesCollected": money(fees)}))))
}

/// The `/_sandbox/...` routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sandbox/exchanges/{id}/{action}", post(exchange_action))
        .route("/_sandbox/prices", post(set_price).get(get_prices))
        .route("/_sandbox/deposits", post(deposit))
        .route("/_sandbox/seed-transactions", post(seed))
        .route("/_sandbox/reset", post(reset))
        .route("/_sandbox/executions", get(executions))
        .route("/_sandbox/faults", post(faults).delete(clear_faults))
        .route("/_sandbox/config", post(config).get(get_config))
        .route("/_sandbox/auth", get(auth_stats))
        .route("/_sandbox/auth/revoke", post(revoke))
        .route("/_sandbox/auth/unlock", post(unlock))
        .route("/_sandbox/transactions/pending", get(pending_transactions))
        .route(
            "/_sandbox/transactions/{id}/{action}",
            post(transaction_action),
        )
        .route(
            "/_sandbox/webhooks",
            post(register_webhook)
                .get(list_webhooks)
                .delete(clear_webhooks),
        )
        .route(
            "/_sandbox/webhooks/deliveries",
            get(deliveries).delete(clear_deliveries),
        )
        .route(
            "/_sandbox/information-requests",
            post(open_information_request),
        )
        .route(
            "/_sandbox/information-requests/{id}/{action}",
            post(resolve_information_request),
        )
        .route("/_sandbox/cards/fees", get(card_fees))
        .route("/_sandbox/cards/{id}/{action}", post(card_action))
        .route("/_sandbox/webhooks/trigger", post(trigger_webhook))
        .route("/_sandbox/webhooks/wait", post(wait_webhooks))
        .route(
            "/_sandbox/webhooks/{id}",
            axum::routing::delete(remove_webhook),
        )
}
