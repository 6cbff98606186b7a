//! `ibanera-sandbox`: a stateful local Ibanera Customer API server on 127.0.0.1.
//!
//! It serves the 16 Customer API endpoints the SDK uses, checks the API key and the TOTP
//! code like the real service, keeps a ledger that conserves money, runs the exchange
//! compliance lifecycle, and lets tests move the world along and inject faults through
//! [`Control`] (in-process) or the `/_sandbox/...` HTTP endpoints. See `README.md` for the
//! seeded world, the fee formulas and the control endpoints.
//!
//! ```no_run
//! # async fn demo() -> Result<(), ibanera_sandbox::SandboxError> {
//! let sandbox = ibanera_sandbox::Sandbox::start().await?;
//! println!("{} {}", sandbox.base_url(), sandbox.api_key());
//! sandbox.control().set_price("BTC/USD", "61000".parse().unwrap_or_default())?;
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

mod api;
mod control;
mod error;
mod fault;
mod model;
mod server;
mod wire;
mod world;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use control::Control;
pub use error::SandboxError;
pub use fault::Fault;
pub use model::{ExchangeStatus, ExchangeType, QuantityType};

/// Well-known ids and values of the seeded world (see README.md).
pub mod seed {
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
}

/// How to start a sandbox.
#[derive(Clone, Default)]
pub struct SandboxConfig {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// API key to require; `None` generates a random one.
    pub api_key: Option<String>,
    /// TOTP secret (base32, any case, spaces and `=` ignored); `None` generates 20 random bytes.
    pub totp_secret: Option<String>,
    /// Refuse a TOTP code (time step) already accepted (RFC 6238 section 5.2).
    pub strict_otp: bool,
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("port", &self.port)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field(
                "totp_secret",
                &self.totp_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("strict_otp", &self.strict_otp)
            .finish()
    }
}

/// A running sandbox. Dropping it shuts the server down (without waiting); `shutdown` waits.
pub struct Sandbox {
    base_url: String,
    addr: SocketAddr,
    api_key: String,
    totp_secret: String,
    control: Control,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("totp_secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

fn random_hex(bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect()
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
    /// Starts on an ephemeral port with a random API key and a random 20-byte TOTP secret.
    /// Must be called inside a Tokio runtime; the server runs on it.
    pub async fn start() -> Result<Sandbox, SandboxError> {
        Sandbox::start_with(SandboxConfig::default()).await
    }

    /// Starts with the given configuration.
    pub async fn start_with(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let api_key = match config.api_key {
            Some(k) if k.trim().is_empty() || k.trim() != k => {
                return Err(SandboxError::Config {
                    what: "API key",
                    reason: "it is empty or has surrounding spaces".into(),
                });
            }
            Some(k) => k,
            None => format!("sbx_{}", random_hex(20)),
        };
        let (totp_secret, secret_bytes) = match config.totp_secret {
            Some(s) => decode_secret(&s)?,
            None => {
                let bytes: [u8; 20] = rand::random();
                (totp_rs::Secret::from(bytes).to_base32(), bytes.to_vec())
            }
        };
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
        let shared = Arc::new(server::Shared::new(
            api_key.clone(),
            totp,
            config.strict_otp,
        ));
        let router = api::router(shared.clone());
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, shared.clone(), router, stop_rx));
        Ok(Sandbox {
            base_url: format!("http://{addr}"),
            addr,
            api_key,
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

    /// The API key the sandbox requires in `Authorization`.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The TOTP secret, base32 upper case without padding.
    pub fn totp_secret(&self) -> &str {
        &self.totp_secret
    }

    /// What the stand-alone server prints: base URL, API key, TOTP secret and the
    /// `export IBANERA_...=` lines for a shell.
    pub fn banner(&self) -> String {
        let mut out = format!(
            "Ibanera sandbox listening on {url}\nAPI key:     {key}\nTOTP secret: {secret}\n",
            url = self.base_url,
            key = self.api_key,
            secret = self.totp_secret,
        );
        if self.control.strict_otp() {
            out.push_str("Strict OTP:  on (a code is accepted once)\n");
        }
        out.push_str(&format!(
            "\nexport IBANERA_BASE_URL={}\nexport IBANERA_API_KEY={}\nexport IBANERA_TOTP_SECRET={}\n",
            self.base_url, self.api_key, self.totp_secret
        ));
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
    }
}
