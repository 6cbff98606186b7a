//! `ibanera-sandbox`: a stateful local Ibanera Customer API server on 127.0.0.1.
//!
//! It serves the 16 Customer API endpoints the SDK uses, plus cards, simulated pay-ins,
//! information requests, cancellation eligibility and FX pairs, and authenticates like the real
//! service: `POST /api/v1/public/auth/login` with username, password and a TOTP code gives a
//! bearer token with a lifetime, and every other call needs `Authorization: Bearer <token>`
//! plus a fresh `otp` code; repeated failed logins lock the user. It keeps a ledger that
//! conserves money, runs the exchange compliance lifecycle, and lets tests move the world
//! along, revoke tokens and inject faults through [`Control`] (in-process) or the
//! `/_sandbox/...` HTTP endpoints. Like the real service it sends signed callbacks
//! (webhooks) of its state changes to the receivers registered with
//! [`Control::register_webhook`]: the `{"Id", "Type", "Data"}` envelope, the
//! `webhook-signature` header, retries with exponential backoff, one event at a time per
//! receiver in the order of the changes, a log of every attempt ([`Control::deliveries`]).
//! See `README.md` for the seeded world and users, the fee formulas, the callbacks and the
//! control endpoints.
//!
//! ```no_run
//! # async fn demo() -> Result<(), ibanera_sandbox::SandboxError> {
//! let sandbox = ibanera_sandbox::Sandbox::start().await?;
//! // Log in with these three; the secret also computes each call's `otp` header.
//! let (user, password, secret) = (sandbox.username(), sandbox.password(), sandbox.totp_secret());
//! println!("{} {user} {password} {secret}", sandbox.base_url());
//! sandbox.control().set_price("BTC/USD", "61000".parse().unwrap_or_default())?;
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

mod api;
mod auth;
mod cards;
mod control;
mod error;
mod events;
mod fault;
mod model;
mod rfi;
mod server;
mod webhooks;
mod wire;
mod world;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use auth::{AuthStats, parse_seconds};
pub use control::Control;
pub use error::SandboxError;
pub use fault::{Fault, MAX_JSON_DEPTH, MAX_OVERSIZE_BYTES};
pub use model::{ExchangeStatus, ExchangeType, QuantityType};
pub use webhooks::{Delivery, WebhookEvent, WebhookReceiver};

/// Well-known ids and values of the seeded world and its users (see README.md).
pub mod seed {
    use std::time::Duration;

    /// The API user's username unless [`crate::SandboxConfig::username`] sets one. It logs
    /// in as [`MANAGER_CUSTOMER_ID`] (the login reply's `id`). Its password is
    /// [`crate::SandboxConfig::password`] or random (`sbx-` + 24 hex digits), its TOTP secret
    /// [`crate::SandboxConfig::totp_secret`] or 20 random bytes.
    pub const DEFAULT_USERNAME: &str = crate::auth::DEFAULT_USERNAME;
    /// A user with the API user's password and TOTP secret whose account may not use the
    /// API: a login with the right credentials gets 400 `Account_Not_Verified`.
    pub const UNVERIFIED_USERNAME: &str = crate::auth::UNVERIFIED_USERNAME;
    /// A user with the API user's password and TOTP secret whose account is inactive: a
    /// login with the right credentials gets 400 `Account_Suppressed`.
    pub const SUPPRESSED_USERNAME: &str = crate::auth::SUPPRESSED_USERNAME;
    /// The login endpoint (no token needed).
    pub const LOGIN_PATH: &str = crate::auth::LOGIN_PATH;
    /// This many refused logins in a row (wrong password or code) lock an existing user.
    pub const MAX_FAILED_LOGINS: u32 = crate::auth::MAX_FAILED_LOGINS;
    /// How long a locked user stays locked (real clock; `Control::unlock` ends it early).
    pub const LOCKOUT: Duration = crate::auth::LOCKOUT;
    /// Token lifetime unless configured (`expiresIn` 3600).
    pub const DEFAULT_TOKEN_TTL: Duration = crate::auth::DEFAULT_TOKEN_TTL;
    /// Idle keep-alive connections are closed after this long unless configured.
    pub const DEFAULT_IDLE_TIMEOUT: Duration = crate::auth::DEFAULT_IDLE_TIMEOUT;
    /// The API user: manager customer, KYC verified.
    pub const MANAGER_CUSTOMER_ID: i64 = crate::world::MANAGER_ID;
    /// Managed by the manager, KYC verified.
    pub const MANAGEE_CUSTOMER_ID: i64 = crate::world::MANAGEE_ID;
    /// KYC not verified: creating, quoting, buying and selling give `Documents_Not_Verified`.
    pub const UNVERIFIED_CUSTOMER_ID: i64 = crate::world::UNVERIFIED_ID;
    /// The manager's payee (sell proceeds with `payeesId` leave to it).
    pub const PAYEE_ID: i64 = crate::world::PAYEE_ID;
    pub const MANAGER_USD_ACCOUNT: i64 = 1055;
    pub const MANAGER_USDC_ACCOUNT: i64 = 1056;
    pub const MANAGER_BTC_ACCOUNT: i64 = 1057;
    pub const MANAGER_ETH_ACCOUNT: i64 = 1058;
    pub const MANAGEE_USD_ACCOUNT: i64 = 1060;
    pub const MANAGEE_USDC_ACCOUNT: i64 = 1061;
    pub const UNVERIFIED_USD_ACCOUNT: i64 = 1062;
    /// Withdrawals to this address are refused with `Transaction_Blocked`.
    pub const SCREENED_ADDRESS: &str = crate::world::SCREENED_ADDRESS;
    /// At most this many accounts per customer (`Account_Limit_Reached`).
    pub const MAX_ACCOUNTS_PER_CUSTOMER: usize = crate::world::MAX_ACCOUNTS;
    /// First id of accounts created at run time.
    pub const FIRST_NEW_ACCOUNT_ID: i64 = crate::world::ACCOUNT_START;
    /// Id of the first seeded transaction; later transactions continue from 10006.
    pub const FIRST_TRANSACTION_ID: i64 = crate::world::TX_START;
    /// First exchange id.
    pub const FIRST_EXCHANGE_ID: i64 = crate::world::EXCHANGE_START;
    /// First fxRateId handed out by a quote.
    pub const FIRST_FX_RATE_ID: i64 = crate::world::FX_START;
    /// The manager's active card (USD 500.00).
    pub const MANAGER_CARD: i64 = crate::cards::MANAGER_CARD;
    /// The manager's Deactivated card (transfers to or from it are refused).
    pub const MANAGER_DEACTIVATED_CARD: i64 = crate::cards::MANAGER_DEACTIVATED_CARD;
    /// The managee's active card (USD 150.00).
    pub const MANAGEE_CARD: i64 = crate::cards::MANAGEE_CARD;
    /// First id of a card created at run time.
    pub const FIRST_NEW_CARD_ID: i64 = crate::cards::CARD_START;
    /// Id of the first seeded card transaction (cards have their own id sequence).
    pub const FIRST_CARD_TRANSACTION_ID: i64 = crate::cards::CARD_TX_START;
    /// The one `cardProgramID` a card may be created in.
    pub const CARD_PROGRAM_ID: i64 = crate::cards::CARD_PROGRAM_ID;
    /// First information request id.
    pub const FIRST_INFORMATION_REQUEST_ID: i64 = crate::rfi::RFI_START;
    /// Callbacks: the wait before the first retry unless configured (each later wait
    /// doubles: 1, 2, 4, 8 ... s).
    pub const WEBHOOK_RETRY_BASE: Duration = crate::webhooks::DEFAULT_RETRY_BASE;
    /// Callbacks: attempts per event and receiver, the first included, unless configured.
    pub const WEBHOOK_MAX_ATTEMPTS: u32 = crate::webhooks::DEFAULT_MAX_ATTEMPTS;
    /// Callbacks: how long one attempt may take unless configured.
    pub const WEBHOOK_TIMEOUT: Duration = crate::webhooks::DEFAULT_TIMEOUT;
    /// The header carrying a callback's signature.
    pub const WEBHOOK_SIGNATURE_HEADER: &str = crate::webhooks::SIGNATURE_HEADER;
}

/// How to start a sandbox. Every `None` picks the default.
#[derive(Clone, Default)]
pub struct SandboxConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The API user's username; `None` is [`seed::DEFAULT_USERNAME`]. It may not be one of
    /// the other seeded usernames.
    pub username: Option<String>,
    /// The API user's password (shared by the other seeded users); `None` generates one.
    pub password: Option<String>,
    /// TOTP secret (base32, any case, spaces and `=` ignored); `None` generates 20 random bytes.
    pub totp_secret: Option<String>,
    /// Lifetime of issued tokens; `None` is [`seed::DEFAULT_TOKEN_TTL`] (3600 s).
    pub token_ttl: Option<Duration>,
    /// Idle keep-alive connections are closed after this; `None` is
    /// [`seed::DEFAULT_IDLE_TIMEOUT`] (30 s).
    pub idle_timeout: Option<Duration>,
    /// Refuse a TOTP code (time step) already accepted (RFC 6238 section 5.2).
    pub strict_otp: bool,
    /// Callbacks: the wait before the first retry of a delivery the receiver did not
    /// acknowledge (each later wait doubles); `None` is [`seed::WEBHOOK_RETRY_BASE`] (1 s).
    pub webhook_retry_base: Option<Duration>,
    /// Callbacks: attempts per event and receiver, the first included; `None` is
    /// [`seed::WEBHOOK_MAX_ATTEMPTS`] (8).
    pub webhook_max_attempts: Option<u32>,
    /// Callbacks: how long one attempt may take; `None` is [`seed::WEBHOOK_TIMEOUT`] (10 s).
    pub webhook_timeout: Option<Duration>,
    /// Crypto withdrawals stay Pending until [`Control::settle_transaction`] or
    /// [`Control::fail_transaction`] (default: they complete at once).
    pub hold_withdrawals: bool,
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field(
                "totp_secret",
                &self.totp_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("token_ttl", &self.token_ttl)
            .field("idle_timeout", &self.idle_timeout)
            .field("strict_otp", &self.strict_otp)
            .field("webhook_retry_base", &self.webhook_retry_base)
            .field("webhook_max_attempts", &self.webhook_max_attempts)
            .field("webhook_timeout", &self.webhook_timeout)
            .field("hold_withdrawals", &self.hold_withdrawals)
            .finish()
    }
}

/// A running sandbox. Dropping it shuts the server down (without waiting); `shutdown` waits.
pub struct Sandbox {
    base_url: String,
    addr: SocketAddr,
    username: String,
    password: String,
    totp_secret: String,
    control: Control,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("totp_secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

pub(crate) fn random_hex(bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect()
}

/// A value for an `export` line: as is when a shell reads it as one word, else quoted.
fn shell_word(value: &str) -> String {
    // Credentials are checked to have no control characters, which is what `try_quote`
    // cannot quote; the fallback is never taken for a started sandbox.
    shlex::try_quote(value)
        .map(|q| q.into_owned())
        .unwrap_or_else(|_| format!("'{}'", value.replace('\'', r"'\''")))
}

/// Normalises a base32 secret (case, spaces, `=`) and decodes it.
fn decode_secret(s: &str) -> Result<(String, Vec<u8>), SandboxError> {
    let norm: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=' && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    let bad = |reason: &str| SandboxError::Config {
        what: "TOTP secret",
        reason: reason.to_string(),
    };
    if norm.is_empty() {
        return Err(bad("it is empty"));
    }
    let bytes = totp_rs::Secret::try_from_base32(&norm)
        .map_err(|_| bad("it is not base32 (A-Z, 2-7)"))?
        .as_bytes()
        .to_vec();
    if bytes.is_empty() {
        return Err(bad("it decodes to no bytes"));
    }
    Ok((norm, bytes))
}

impl Sandbox {
    /// Starts on an ephemeral port with the default username, a random password and a
    /// random 20-byte TOTP secret. Must be called inside a Tokio runtime; the server runs on it.
    pub async fn start() -> Result<Sandbox, SandboxError> {
        Sandbox::start_with(SandboxConfig::default()).await
    }

    /// Starts with the given configuration.
    pub async fn start_with(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let username = config
            .username
            .unwrap_or_else(|| seed::DEFAULT_USERNAME.to_string());
        auth::check_credential("username", &username)?;
        if [seed::UNVERIFIED_USERNAME, seed::SUPPRESSED_USERNAME].contains(&username.as_str()) {
            return Err(SandboxError::Config {
                what: "username",
                reason: format!("{username:?} is a seeded user of its own"),
            });
        }
        let password = config
            .password
            .unwrap_or_else(|| format!("sbx-{}", random_hex(12)));
        auth::check_credential("password", &password)?;
        let (totp_secret, secret_bytes) = match config.totp_secret {
            Some(s) => decode_secret(&s)?,
            None => {
                let bytes: [u8; 20] = rand::random();
                (totp_rs::Secret::from(bytes).to_base32(), bytes.to_vec())
            }
        };
        let config_duration = |what: &'static str, d: Option<Duration>, default, max| {
            let d = d.unwrap_or(default);
            auth::check_duration("", d, max).map_err(|_| SandboxError::Config {
                what,
                reason: format!(
                    "it must be more than 0 and at most {} s",
                    auth::seconds_text(max)
                ),
            })
        };
        let token_ttl = config_duration(
            "token lifetime",
            config.token_ttl,
            seed::DEFAULT_TOKEN_TTL,
            auth::MAX_TOKEN_TTL,
        )?;
        let idle_timeout = config_duration(
            "idle timeout",
            config.idle_timeout,
            seed::DEFAULT_IDLE_TIMEOUT,
            auth::MAX_IDLE_TIMEOUT,
        )?;
        let hook_settings = webhooks::check_settings(
            config.webhook_retry_base,
            config.webhook_max_attempts,
            config.webhook_timeout,
        )
        .map_err(|(what, reason)| SandboxError::Config { what, reason })?;
        let totp = totp_rs::Builder::new()
            .with_secret(secret_bytes)
            .build_noncompliant();
        let listener = TcpListener::bind(("127.0.0.1", config.port))
            .await
            .map_err(|source| SandboxError::Bind {
                addr: format!("127.0.0.1:{}", config.port),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: format!("127.0.0.1:{}", config.port),
            source,
        })?;
        let auth = auth::Auth::new(
            auth::Credentials {
                username: username.clone(),
                password: password.clone(),
                totp,
                customer_id: seed::MANAGER_CUSTOMER_ID,
                unverified_customer_id: seed::UNVERIFIED_CUSTOMER_ID,
                suppressed_customer_id: seed::MANAGEE_CUSTOMER_ID,
            },
            config.strict_otp,
            token_ttl,
        );
        let (stop, stop_rx) = watch::channel(false);
        // Callback deliveries run on this runtime, like the server, and end with it.
        let hooks = webhooks::Hub::new(
            tokio::runtime::Handle::current(),
            stop_rx.clone(),
            hook_settings,
        );
        let shared = Arc::new(server::Shared::new(
            auth,
            idle_timeout,
            hooks,
            config.hold_withdrawals,
        ));
        let router = api::router(shared.clone());
        let task = tokio::spawn(server::serve(listener, shared.clone(), router, stop_rx));
        Ok(Sandbox {
            base_url: format!("http://{addr}"),
            addr,
            username,
            password,
            totp_secret,
            control: Control { shared },
            stop,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The API user's username (log in as [`seed::MANAGER_CUSTOMER_ID`]).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The API user's password (also the password of the other seeded users).
    pub fn password(&self) -> &str {
        &self.password
    }

    /// The TOTP secret, base32 upper case without padding.
    pub fn totp_secret(&self) -> &str {
        &self.totp_secret
    }

    /// The `export IBANERA_...=` lines for a POSIX shell (base URL, username, password, TOTP
    /// secret), one per line, values quoted where a shell would split them.
    pub fn env_lines(&self) -> String {
        [
            ("IBANERA_BASE_URL", self.base_url.as_str()),
            ("IBANERA_USERNAME", self.username.as_str()),
            ("IBANERA_PASSWORD", self.password.as_str()),
            ("IBANERA_TOTP_SECRET", self.totp_secret.as_str()),
        ]
        .iter()
        .map(|(name, value)| format!("export {name}={}\n", shell_word(value)))
        .collect()
    }

    /// What the stand-alone server prints: base URL, username, password, TOTP secret, token
    /// lifetime, then [`Sandbox::env_lines`].
    pub fn banner(&self) -> String {
        let mut out = format!(
            "Ibanera sandbox listening on {url}\n\
             Username:       {user}\n\
             Password:       {password}\n\
             TOTP secret:    {secret}\n\
             Token lifetime: {ttl} s\n",
            url = self.base_url,
            user = self.username,
            password = self.password,
            secret = self.totp_secret,
            ttl = auth::seconds_text(self.control.token_ttl()),
        );
        if self.control.strict_otp() {
            out.push_str("Strict OTP:     on (a code is accepted once)\n");
        }
        out.push('\n');
        out.push_str(&self.env_lines());
        out
    }

    /// The in-process control of this sandbox.
    pub fn control(&self) -> &Control {
        &self.control
    }

    /// Stops accepting, closes open connections, and waits for the server task to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Runs a sandbox in the foreground: starts it, prints [`Sandbox::banner`] to stdout, serves
/// until Ctrl-C, then shuts down. This is what `ibanera-sandbox` and `ibanera sandbox` run.
pub async fn run(config: SandboxConfig) -> Result<(), SandboxError> {
    let sandbox = Sandbox::start_with(config).await?;
    println!("{}", sandbox.banner());
    println!("Press Ctrl-C to stop.");
    let waited = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    if let Err(e) = waited {
        return Err(SandboxError::Config {
            what: "signal handler",
            reason: format!("cannot wait for Ctrl-C: {e}"),
        });
    }
    println!("Sandbox stopped.");
    Ok(())
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn handles_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<super::Control>();
        assert_send_sync::<super::Sandbox>();
        assert_send_sync::<super::SandboxError>();
        assert_send_sync::<super::Fault>();
        assert_send_sync::<super::AuthStats>();
    }

    #[test]
    fn shell_words() {
        assert_eq!(super::shell_word("sbx-00ff"), "sbx-00ff");
        assert_eq!(
            super::shell_word("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
        let quoted = super::shell_word("it's a $secret");
        assert!(
            quoted != "it's a $secret" && quoted.contains("$secret"),
            "{quoted}"
        );
    }
}
