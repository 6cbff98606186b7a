//! Callbacks (webhooks), sent like the real service: every registered receiver gets each event
//! of the sandbox's state changes as an HTTP POST of the envelope `{"Id", "Type", "Data"}` with
//! `Content-Type: application/json` and the `webhook-signature` header (standard base64 of
//! SHA-256 over the raw body bytes followed by the receiver's hash secret: a plain digest, not
//! an HMAC).
//!
//! Events are published while the world is still locked (see `server::WorldGuard`), so their
//! order is the order of the changes. Each receiver has its own queue and one background task
//! on the sandbox's runtime that sends one event at a time: the next waits until the current
//! one is acknowledged (HTTP 200) or given up after the configured number of attempts, with
//! exponential backoff between attempts. Publishing only puts events on queues: an API handler
//! never waits for a receiver, and a receiver that hangs cannot hold up the shutdown (every
//! task also waits for the stop signal).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::runtime::Handle;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::error::SandboxError;
use crate::server::lock;
use crate::wire::timestamp;

/// The header that carries a callback's signature.
pub(crate) const SIGNATURE_HEADER: &str = "webhook-signature";

/// The wait before the first retry unless configured; each later wait doubles.
pub(crate) const DEFAULT_RETRY_BASE: Duration = Duration::from_secs(1);
/// Attempts per event and receiver (the first one included) unless configured.
pub(crate) const DEFAULT_MAX_ATTEMPTS: u32 = 8;
/// How long one attempt may take (connect, send, response head) unless configured.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest configurable retry base.
pub(crate) const MAX_RETRY_BASE: Duration = Duration::from_secs(3600);
/// Largest configurable number of attempts.
pub(crate) const MAX_ATTEMPTS: u32 = 100;
/// Largest configurable attempt timeout.
pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(600);
/// No single wait between two attempts is longer than this, however many attempts.
pub(crate) const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);
/// The delivery log keeps this many attempts (the oldest are dropped first).
pub(crate) const MAX_LOGGED_DELIVERIES: usize = 100_000;

macro_rules! event_types {
    ($($variant:ident => $code:literal),* $(,)?) => {
        /// The 12 Customer API callback types.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum EventType { $($variant),* }

        impl EventType {
            pub(crate) const ALL: [EventType; 12] = [$(EventType::$variant),*];

            /// The type code on the wire.
            pub(crate) fn code(self) -> &'static str {
                match self { $(EventType::$variant => $code),* }
            }
        }
    };
}

event_types! {
    ManageeJumioCompleted => "MANAGEE_JUMIO_COMPLETED",
    CryptoDepositCreated => "CRYPTO_DEPOSIT_CREATED",
    CryptoDepositUpdated => "CRYPTO_DEPOSIT_UPDATED",
    CryptoWithdrawalCreated => "CRYPTO_WITHDRAWAL_CREATED",
    CryptoWithdrawalUpdated => "CRYPTO_WITHDRAWAL_UPDATED",
    ExchangeStatusUpdated => "EXCHANGE_STATUS_UPDATED",
    FiatDepositReceived => "FIAT_DEPOSIT_RECEIVED",
    ManageeCardApprovalUpdated => "MANAGEE_CARD_APPROVAL_UPDATED",
    ManageeKycUpdated => "MANAGEE_KYC_UPDATED",
    TransactionStatusUpdated => "TRANSACTION_STATUS_UPDATED",
    InformationRequested => "INFORMATION_REQUESTED",
    InformationRequestUpdated => "INFORMATION_REQUEST_UPDATED",
}

impl EventType {
    /// Reads a type code the way receivers are told to: surrounding whitespace dropped, inner
    /// whitespace as `_`, any case (`"crypto deposit created"` is `CRYPTO_DEPOSIT_CREATED`).
    pub(crate) fn parse(text: &str) -> Option<EventType> {
        let norm: String = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("_")
            .to_ascii_uppercase();
        EventType::ALL.into_iter().find(|t| t.code() == norm)
    }
}

/// An event waiting in the world's outbox until the world's lock is released.
#[derive(Clone, Debug)]
pub(crate) struct PendingEvent {
    pub id: String,
    /// The `Type` sent: the canonical code, or a trigger's text exactly as given.
    pub type_text: String,
    pub data: Value,
}

impl PendingEvent {
    pub(crate) fn new(kind: EventType, data: Value) -> PendingEvent {
        PendingEvent {
            id: guid(),
            type_text: kind.code().to_string(),
            data,
        }
    }

    /// The envelope, as it is sent.
    fn body(&self) -> Bytes {
        let envelope = json!({"Id": self.id, "Type": self.type_text, "Data": self.data});
        Bytes::from(serde_json::to_vec(&envelope).unwrap_or_default())
    }
}

/// A fresh random GUID (version 4), the form of the envelope's `Id`. Sixteen random bytes
/// with the version and variant bits set: too little to justify a dependency.
pub(crate) fn guid() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `webhook-signature`: standard base64 (with padding) of SHA-256(body ++ secret).
pub(crate) fn sign(body: &[u8], secret: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(body);
    hasher.update(secret.as_bytes());
    let digest: [u8; 32] = hasher.finalize().into();
    STANDARD.encode(digest)
}

/// The wait after attempt `attempt` (1-based) failed: `base * 2^(attempt - 1)`, at most
/// [`MAX_RETRY_DELAY`].
pub(crate) fn retry_delay(base: Duration, attempt: u32) -> Duration {
    let factor = 2u32
        .checked_pow(attempt.saturating_sub(1))
        .unwrap_or(u32::MAX);
    base.checked_mul(factor)
        .unwrap_or(MAX_RETRY_DELAY)
        .min(MAX_RETRY_DELAY)
}

/// A registered receiver. Its hash secret is handed out once, when it is registered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookReceiver {
    pub id: i64,
    pub url: String,
    /// Events queued for it that are neither acknowledged nor given up yet.
    pub pending: usize,
}

impl WebhookReceiver {
    /// `{"id", "url", "pending"}`.
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "url": self.url, "pending": self.pending})
    }
}

/// One delivery attempt of one event to one receiver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The envelope's `Id`.
    pub event_id: String,
    /// The envelope's `Type`.
    pub event_type: String,
    pub receiver_id: i64,
    pub url: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The receiver's HTTP status; `None` when no response arrived.
    pub status: Option<u16>,
    /// Why no response arrived (connection refused, timed out ...); `None` when one did.
    pub error: Option<String>,
    /// When the attempt started.
    pub at: DateTime<Utc>,
    /// The receiver answered 200: the event is delivered.
    pub acknowledged: bool,
}

impl Delivery {
    /// `{"eventId", "type", "receiverId", "url", "attempt", "status", "error", "at",
    /// "acknowledged"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "eventId": self.event_id,
            "type": self.event_type,
            "receiverId": self.receiver_id,
            "url": self.url,
            "attempt": self.attempt,
            "status": self.status,
            "error": self.error,
            "at": timestamp(self.at),
            "acknowledged": self.acknowledged,
        })
    }
}

/// An event the sandbox sent (what `trigger_webhook` returns).
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEvent {
    /// The envelope's `Id` (a GUID).
    pub id: String,
    /// The envelope's `Type`.
    pub event_type: String,
    /// The envelope's `Data`.
    pub data: Value,
}

impl WebhookEvent {
    /// `{"id", "type", "data"}`.
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "type": self.event_type, "data": self.data})
    }
}

/// Retry schedule and attempt timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Settings {
    pub retry_base: Duration,
    pub max_attempts: u32,
    pub timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            retry_base: DEFAULT_RETRY_BASE,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

pub(crate) fn check_retry_base(d: Duration) -> Result<Duration, String> {
    if d.is_zero() || d > MAX_RETRY_BASE {
        return Err(format!(
            "it must be more than 0 and at most {} ms",
            MAX_RETRY_BASE.as_millis()
        ));
    }
    Ok(d)
}

pub(crate) fn check_max_attempts(n: u32) -> Result<u32, String> {
    if n == 0 || n > MAX_ATTEMPTS {
        return Err(format!("it must be 1 to {MAX_ATTEMPTS}"));
    }
    Ok(n)
}

pub(crate) fn check_timeout(d: Duration) -> Result<Duration, String> {
    if d.is_zero() || d > MAX_TIMEOUT {
        return Err(format!(
            "it must be more than 0 and at most {} ms",
            MAX_TIMEOUT.as_millis()
        ));
    }
    Ok(d)
}

/// The settings of a [`crate::SandboxConfig`]: `Err((what, reason))`.
pub(crate) fn check_settings(
    retry_base: Option<Duration>,
    max_attempts: Option<u32>,
    timeout: Option<Duration>,
) -> Result<Settings, (&'static str, String)> {
    let d = Settings::default();
    Ok(Settings {
        retry_base: check_retry_base(retry_base.unwrap_or(d.retry_base))
            .map_err(|r| ("webhook retry base", r))?,
        max_attempts: check_max_attempts(max_attempts.unwrap_or(d.max_attempts))
            .map_err(|r| ("webhook attempts", r))?,
        timeout: check_timeout(timeout.unwrap_or(d.timeout)).map_err(|r| ("webhook timeout", r))?,
    })
}

/// What is sent to every receiver: the same body and `Id`, signed per receiver.
struct Outgoing {
    id: String,
    type_text: String,
    body: Bytes,
}

struct Entry {
    id: i64,
    url: String,
    queue: mpsc::UnboundedSender<Arc<Outgoing>>,
    task: JoinHandle<()>,
    pending: usize,
}

struct State {
    receivers: Vec<Entry>,
    next_id: i64,
}

/// The receivers, their delivery tasks and the log of attempts.
pub(crate) struct Hub {
    state: Mutex<State>,
    log: Mutex<VecDeque<Delivery>>,
    settings: Mutex<Settings>,
    /// Events not yet acknowledged or given up, over all receivers.
    pending: watch::Sender<usize>,
    runtime: Handle,
    stop: watch::Receiver<bool>,
    client: OnceLock<Result<reqwest::Client, String>>,
}

impl Hub {
    pub(crate) fn new(runtime: Handle, stop: watch::Receiver<bool>, settings: Settings) -> Hub {
        Hub {
            state: Mutex::new(State {
                receivers: Vec::new(),
                next_id: 1,
            }),
            log: Mutex::new(VecDeque::new()),
            settings: Mutex::new(settings),
            pending: watch::Sender::new(0),
            runtime,
            stop,
            client: OnceLock::new(),
        }
    }

    pub(crate) fn settings(&self) -> Settings {
        *lock(&self.settings)
    }

    pub(crate) fn set_settings(&self, s: Settings) {
        *lock(&self.settings) = s;
    }

    /// Registers a receiver: a fresh random hash secret unless one is given.
    pub(crate) fn register(
        self: &Arc<Self>,
        url: &str,
        secret: Option<&str>,
    ) -> Result<(i64, String), SandboxError> {
        let url = check_url(url)?;
        let secret = match secret {
            Some(s) => check_secret(s)?,
            None => format!("whsec_{}", crate::random_hex(24)),
        };
        let (queue, rx) = mpsc::unbounded_channel();
        let mut st = lock(&self.state);
        let id = st.next_id;
        st.next_id += 1;
        let task = self.runtime.spawn(deliver(
            self.clone(),
            id,
            url.clone(),
            Arc::from(secret.as_str()),
            rx,
        ));
        st.receivers.push(Entry {
            id,
            url,
            queue,
            task,
            pending: 0,
        });
        Ok((id, secret))
    }

    pub(crate) fn receivers(&self) -> Vec<WebhookReceiver> {
        lock(&self.state)
            .receivers
            .iter()
            .map(|e| WebhookReceiver {
                id: e.id,
                url: e.url.clone(),
                pending: e.pending,
            })
            .collect()
    }

    /// Removes one receiver; what was queued for it is dropped.
    pub(crate) fn remove(&self, id: i64) -> Result<(), SandboxError> {
        let mut st = lock(&self.state);
        let idx = st
            .receivers
            .iter()
            .position(|e| e.id == id)
            .ok_or_else(|| SandboxError::not_found("webhook receiver", "Id", id))?;
        st.receivers.remove(idx).task.abort();
        self.refresh(&st);
        Ok(())
    }

    /// Removes every receiver; returns how many there were.
    pub(crate) fn clear(&self) -> usize {
        let mut st = lock(&self.state);
        let n = st.receivers.len();
        for e in st.receivers.drain(..) {
            e.task.abort();
        }
        self.refresh(&st);
        n
    }

    /// Queues events for every receiver. Called with the world locked: never waits.
    pub(crate) fn publish(&self, events: Vec<PendingEvent>) -> usize {
        let mut st = lock(&self.state);
        if st.receivers.is_empty() || events.is_empty() {
            return st.receivers.len();
        }
        let out: Vec<Arc<Outgoing>> = events
            .iter()
            .map(|e| {
                Arc::new(Outgoing {
                    id: e.id.clone(),
                    type_text: e.type_text.clone(),
                    body: e.body(),
                })
            })
            .collect();
        for r in st.receivers.iter_mut() {
            for o in &out {
                if r.queue.send(o.clone()).is_ok() {
                    r.pending += 1;
                }
            }
        }
        self.refresh(&st);
        st.receivers.len()
    }

    pub(crate) fn receiver_count(&self) -> usize {
        lock(&self.state).receivers.len()
    }

    pub(crate) fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.log).iter().cloned().collect()
    }

    pub(crate) fn clear_deliveries(&self) {
        lock(&self.log).clear();
    }

    pub(crate) fn pending(&self) -> usize {
        *self.pending.borrow()
    }

    /// Waits until every queued event is acknowledged or given up; false on timeout.
    pub(crate) async fn wait_idle(&self, timeout: Duration) -> bool {
        let mut rx = self.pending.subscribe();
        matches!(
            tokio::time::timeout(timeout, rx.wait_for(|n| *n == 0)).await,
            Ok(Ok(_))
        )
    }

    fn refresh(&self, st: &State) {
        let total = st.receivers.iter().map(|e| e.pending).sum();
        self.pending.send_replace(total);
    }

    /// One event of this receiver is done (acknowledged or given up).
    fn done(&self, receiver_id: i64) {
        let mut st = lock(&self.state);
        // A receiver removed meanwhile has already been taken out of the count.
        if let Some(e) = st.receivers.iter_mut().find(|e| e.id == receiver_id) {
            e.pending = e.pending.saturating_sub(1);
        }
        self.refresh(&st);
    }

    fn record(&self, d: Delivery) {
        let mut log = lock(&self.log);
        if log.len() >= MAX_LOGGED_DELIVERIES {
            log.pop_front();
        }
        log.push_back(d);
    }

    fn client(&self) -> Result<reqwest::Client, String> {
        self.client
            .get_or_init(|| {
                // rustls needs one process-wide crypto provider (as in the SDK core); an
                // application that installed its own keeps it.
                let _ = rustls::crypto::ring::default_provider().install_default();
                reqwest::Client::builder()
                    // A receiver is called where it was registered: no proxy, no redirects.
                    .no_proxy()
                    .redirect(reqwest::redirect::Policy::none())
                    .pool_idle_timeout(Duration::from_secs(5))
                    .user_agent(concat!("ibanera-sandbox/", env!("CARGO_PKG_VERSION")))
                    .build()
                    .map_err(|e| e.to_string())
            })
            .clone()
    }

    /// One attempt: the HTTP status, or why there was none.
    async fn send(
        &self,
        url: &str,
        event: &Outgoing,
        signature: &str,
        timeout: Duration,
    ) -> (Option<u16>, Option<String>) {
        let client = match self.client() {
            Ok(c) => c,
            Err(e) => return (None, Some(format!("no HTTP client: {e}"))),
        };
        let sent = client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, signature)
            .body(event.body.clone())
            .timeout(timeout)
            .send()
            .await;
        match sent {
            Ok(resp) => (Some(resp.status().as_u16()), None),
            Err(e) => (None, Some(describe(&e, timeout))),
        }
    }
}

/// An error without the URL (the log has it), with its causes.
fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        return format!("timed out after {} ms", timeout.as_millis());
    }
    let mut parts = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    let what = if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    if parts.is_empty() {
        what.to_string()
    } else {
        format!("{what}: {}", parts.join(": "))
    }
}

/// The delivery task of one receiver: one event at a time, in order.
async fn deliver(
    hub: Arc<Hub>,
    receiver_id: i64,
    url: String,
    secret: Arc<str>,
    mut queue: mpsc::UnboundedReceiver<Arc<Outgoing>>,
) {
    let mut stop = hub.stop.clone();
    loop {
        let event = tokio::select! {
            biased;
            _ = stop.wait_for(|s| *s) => return,
            e = queue.recv() => match e {
                Some(e) => e,
                None => return,
            },
        };
        let signature = sign(&event.body, &secret);
        let mut attempt = 1u32;
        loop {
            let settings = hub.settings();
            let at = Utc::now();
            let (status, error) = tokio::select! {
                biased;
                _ = stop.wait_for(|s| *s) => return,
                r = hub.send(&url, &event, &signature, settings.timeout) => r,
            };
            let acknowledged = status == Some(200);
            hub.record(Delivery {
                event_id: event.id.clone(),
                event_type: event.type_text.clone(),
                receiver_id,
                url: url.clone(),
                attempt,
                status,
                error,
                at,
                acknowledged,
            });
            if acknowledged || attempt >= settings.max_attempts {
                break;
            }
            let delay = retry_delay(settings.retry_base, attempt);
            tokio::select! {
                biased;
                _ = stop.wait_for(|s| *s) => return,
                _ = tokio::time::sleep(delay) => {}
            }
            attempt += 1;
        }
        hub.done(receiver_id);
    }
}

fn check_url(url: &str) -> Result<String, SandboxError> {
    let bad = |reason: String| SandboxError::invalid("Url", "Invalid", reason);
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|_| bad("not an absolute URL such as http://127.0.0.1:8080/callbacks".into()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(format!(
            "the scheme must be http or https, not {}",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("the URL has no host".into()));
    }
    Ok(parsed.to_string())
}

fn check_secret(secret: &str) -> Result<String, SandboxError> {
    if secret.is_empty() || secret.chars().any(char::is_control) {
        return Err(SandboxError::invalid(
            "Secret",
            "Invalid",
            "a hash secret may not be empty or contain control characters",
        ));
    }
    Ok(secret.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schedule_has_five_attempts_within_30_seconds() {
        let s = Settings::default();
        let waits: Vec<u64> = (1..s.max_attempts)
            .map(|n| retry_delay(s.retry_base, n).as_secs())
            .collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 64]);
        // Attempt 5 starts after the first four waits.
        assert!(waits[..4].iter().sum::<u64>() < 30);
        assert_eq!(retry_delay(s.retry_base, 40), MAX_RETRY_DELAY);
        assert_eq!(
            retry_delay(Duration::from_millis(250), 3),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn signature_is_base64_sha256_of_body_then_secret() {
        // SHA-256("abc") is ba7816bf...; the secret is appended to the body.
        assert_eq!(
            sign(b"a", "bc"),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
    }

    #[test]
    fn type_codes_parse_like_receivers_read_them() {
        assert_eq!(
            EventType::parse(" crypto deposit created "),
            Some(EventType::CryptoDepositCreated)
        );
        assert_eq!(
            EventType::parse("FIAT_DEPOSIT_RECEIVED"),
            Some(EventType::FiatDepositReceived)
        );
        assert_eq!(EventType::parse("NOPE"), None);
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.code()), Some(t));
        }
    }

    #[test]
    fn guids_are_version_4() {
        let g = guid();
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "4");
        assert!(matches!(&g[19..20], "8" | "9" | "a" | "b"), "{g}");
        assert_ne!(guid(), g);
    }

    #[test]
    fn urls_must_be_http() {
        assert!(check_url("http://127.0.0.1:9/hook").is_ok());
        assert!(check_url("https://localhost/hook").is_ok());
        assert!(check_url("ftp://127.0.0.1/").is_err());
        assert!(check_url("127.0.0.1:9").is_err());
        assert!(check_url("").is_err());
    }
}
