//! Configuration, the login session, transport and the rules for trying again
//! (`docs/wire-rules.md` rules 1, 2, 3 and 12; `docs/failures.md`).

use std::fmt;
use std::sync::{Arc, Once, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::endpoint::{Endpoint, Method};
use crate::envelope::{self, Envelope};
use crate::error::{Error, Result, ValidationError};
use crate::logging::{self, Level, LogEvent, LogHook, LogRecord};
use crate::retry::{self, Budget, Decision, Ending};
use crate::secret::Secret;
use crate::session::{self, Bearer, Credentials, Need, Session, SessionInfo};
use crate::totp::{Algorithm, Clock, CodeProvider, SystemClock, Totp, TotpCodes};

pub use crate::retry::RetryPolicy;

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://public-api.ibanera.com";
/// `ibanera-rust/<version>`; bindings append their own product token.
pub const USER_AGENT: &str = concat!("ibanera-rust/", env!("CARGO_PKG_VERSION"));
/// A call's default deadline, from start to end (retries, waits and a login included).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The largest response body a client reads by default.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// The deepest JSON nesting a response may have (serde_json's parser limit); the API's own
/// objects nest a few levels.
pub const MAX_JSON_DEPTH: usize = 128;
/// How long an idle pooled connection is kept. Below the shortest keep-alive common servers
/// use (5 s for Node and Apache), so the client never writes a request to a connection the
/// server is closing at that moment: such a request might or might not have been read.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(4);

/// Environment variable names.
pub const ENV_USERNAME: &str = "IBANERA_USERNAME";
pub const ENV_PASSWORD: &str = "IBANERA_PASSWORD";
pub const ENV_TOTP_SECRET: &str = "IBANERA_TOTP_SECRET";
pub const ENV_ACCESS_TOKEN: &str = "IBANERA_ACCESS_TOKEN";
pub const ENV_BASE_URL: &str = "IBANERA_BASE_URL";
/// No longer read: its presence alone gets a configuration error saying what to set instead.
pub const ENV_LEGACY_API_KEY: &str = "IBANERA_API_KEY";

/// Which front end builds the client, so configuration errors name settings as its users
/// write them (`totp_secret=` in Python, `totpSecret` in Node, `--totp-secret` in the CLI).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Frontend {
    #[default]
    Rust,
    Python,
    Node,
    Cli,
}

impl Frontend {
    /// A setting's name (given in snake_case) as this front end's users write it.
    pub fn setting(self, snake: &str) -> String {
        match self {
            Frontend::Rust => format!("`{snake}`"),
            Frontend::Python => format!("`{snake}=`"),
            Frontend::Node => format!("`{}`", crate::ops::camel_case(snake)),
            Frontend::Cli => format!("`--{}`", snake.replace('_', "-")),
        }
    }

    fn credentials_hint(self) -> String {
        format!(
            "pass {}, {} and {} (or {} and {}), or set {ENV_USERNAME}, {ENV_PASSWORD} and \
             {ENV_TOTP_SECRET} (or {ENV_ACCESS_TOKEN})",
            self.setting("username"),
            self.setting("password"),
            self.setting("totp_secret"),
            self.setting("access_token"),
            self.setting("totp_secret"),
        )
    }
}

/// Per-call overrides: `client.with_options(RequestOptions::new().timeout(..))`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// The call's deadline, from start to end.
    pub timeout: Option<Duration>,
    /// The limit of one attempt (connect, response and body).
    pub attempt_timeout: Option<Duration>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// The largest response body accepted.
    pub max_response_bytes: Option<u64>,
    /// Extra headers (not `Authorization` or `otp`).
    pub headers: Vec<(String, String)>,
}

impl fmt::Debug for RequestOptions {
    /// Header values are not printed: a caller may put a credential there.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("headers", &names)
            .finish()
    }
}

impl RequestOptions {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Builds a [`Client`]. Everything is checked in [`ClientBuilder::build`], so a bad setting
/// fails at start-up, not on the first payment.
#[derive(Clone)]
pub struct ClientBuilder {
    /// Credentials set on the builder; they win over the environment's, kind by kind.
    username: Option<String>,
    password: Option<Secret>,
    access_token: Option<Secret>,
    /// Credentials read by `from_env`.
    env_username: Option<String>,
    env_password: Option<Secret>,
    env_access_token: Option<Secret>,
    legacy_api_key: bool,
    legacy_api_key_env: bool,
    totp_secret: Option<Secret>,
    totp: Option<Totp>,
    totp_algorithm: Option<Algorithm>,
    totp_digits: Option<u8>,
    totp_step: Option<u64>,
    code_provider: Option<Arc<dyn CodeProvider>>,
    clock: Option<Arc<dyn Clock>>,
    base_url: Option<String>,
    allow_insecure_http: bool,
    proxy: Option<String>,
    no_proxy: bool,
    connect_timeout: Duration,
    timeout: Duration,
    attempt_timeout: Option<Duration>,
    max_response_bytes: u64,
    pool_idle_timeout: Duration,
    retry: RetryPolicy,
    frontend: Frontend,
    user_agent_suffix: Vec<String>,
    headers: Vec<(String, String)>,
    log_hook: Option<LogHook>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            username: None,
            password: None,
            access_token: None,
            env_username: None,
            env_password: None,
            env_access_token: None,
            legacy_api_key: false,
            legacy_api_key_env: false,
            totp_secret: None,
            totp: None,
            totp_algorithm: None,
            totp_digits: None,
            totp_step: None,
            code_provider: None,
            clock: None,
            base_url: None,
            allow_insecure_http: false,
            proxy: None,
            no_proxy: false,
            connect_timeout: Duration::from_secs(10),
            timeout: DEFAULT_TIMEOUT,
            attempt_timeout: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
            retry: RetryPolicy::default(),
            frontend: Frontend::Rust,
            user_agent_suffix: Vec::new(),
            headers: Vec::new(),
            log_hook: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("username", &self.username)
            .field("password", &self.password)
            .field("access_token", &self.access_token)
            .field("env_username", &self.env_username)
            .field("env_password", &self.env_password)
            .field("env_access_token", &self.env_access_token)
            .field("totp_secret", &self.totp_secret)
            .field("base_url", &self.base_url.as_deref().map(describe_url))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl ClientBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder preloaded from `IBANERA_USERNAME`, `IBANERA_PASSWORD`, `IBANERA_TOTP_SECRET`,
    /// `IBANERA_ACCESS_TOKEN` and `IBANERA_BASE_URL` (each optional here; `build` says what is
    /// missing). Settings made afterwards take precedence.
    pub fn from_env() -> Self {
        ClientBuilder {
            env_username: env_value(ENV_USERNAME),
            env_password: env_value(ENV_PASSWORD).map(Secret::new),
            totp_secret: env_value(ENV_TOTP_SECRET).map(Secret::new),
            env_access_token: env_value(ENV_ACCESS_TOKEN).map(Secret::new),
            base_url: env_value(ENV_BASE_URL),
            legacy_api_key_env: env_value(ENV_LEGACY_API_KEY).is_some(),
            ..Self::default()
        }
    }

    /// The customer's API username (issued with the password and the TOTP shared secret).
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The customer's API password. Kept zeroized; never printed.
    pub fn password(mut self, password: impl Into<Secret>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// A bearer token obtained elsewhere, instead of a username and password. The client
    /// cannot renew it: once the server refuses it, calls fail with an authentication error.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// Raw API keys are not how the Ibanera API authenticates; kept only so that a leftover
    /// setting fails in `build` with a message that says what to pass instead.
    #[doc(hidden)]
    #[deprecated(note = "the API logs in with username + password + TOTP secret")]
    pub fn api_key(mut self, _key: impl Into<Secret>) -> Self {
        self.legacy_api_key = true;
        self
    }

    /// The base32 TOTP secret or an `otpauth://totp/` URI.
    pub fn totp_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.totp_secret = Some(secret.into());
        self
    }

    /// A ready [`Totp`] (instead of a secret).
    pub fn totp(mut self, totp: Totp) -> Self {
        self.totp = Some(totp);
        self
    }

    pub fn totp_algorithm(mut self, algorithm: Algorithm) -> Self {
        self.totp_algorithm = Some(algorithm);
        self
    }

    pub fn totp_digits(mut self, digits: u8) -> Self {
        self.totp_digits = Some(digits);
        self
    }

    /// The TOTP time step in seconds.
    pub fn totp_step(mut self, seconds: u64) -> Self {
        self.totp_step = Some(seconds);
        self
    }

    /// Take codes from elsewhere instead of the TOTP secret.
    pub fn code_provider(mut self, provider: Arc<dyn CodeProvider>) -> Self {
        self.code_provider = Some(provider);
        self
    }

    /// The clock TOTP codes are computed against (tests inject one).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// `https://...`; plain `http://` only for loopback hosts unless
    /// [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Permit `http://` to a non-loopback host (a TLS-terminating proxy on a private network).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Send every request through this proxy (`http://host:port` or `https://...`, optionally
    /// with user info). Without it, `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY` apply; a loopback
    /// base URL is never proxied, and a plain-http base URL never goes through a proxy.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Ignore the proxy environment variables.
    pub fn no_proxy(mut self) -> Self {
        self.no_proxy = true;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// A call's deadline, from start to end: every attempt, backoff, `Retry-After` wait,
    /// TOTP-step wait and login included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit of one attempt (connect, response and body); by default only the call's
    /// deadline bounds an attempt.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The largest response body accepted (default 64 MiB).
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// How long an idle pooled connection is kept (default 4 s, below common server
    /// keep-alives).
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Names settings in configuration errors as this front end's users write them.
    pub fn frontend(mut self, frontend: Frontend) -> Self {
        self.frontend = frontend;
        self
    }

    /// Appends a product token to the user agent (`ibanera-python/0.1.0`).
    pub fn user_agent_suffix(mut self, token: impl Into<String>) -> Self {
        self.user_agent_suffix.push(token.into());
        self
    }

    /// Receives every log record of this client (besides the `log` facade): a binding routes
    /// them to its own logger (Node's `new Client({ logger })`).
    pub fn log_hook(mut self, hook: LogHook) -> Self {
        self.log_hook = Some(hook);
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn credentials(&self) -> Result<Credentials> {
        let fe = self.frontend;
        fn given(s: &Option<Secret>) -> Option<&Secret> {
            s.as_ref().filter(|v| !v.expose().trim().is_empty())
        }
        fn name(s: &Option<String>) -> Option<&str> {
            s.as_deref().map(str::trim).filter(|u| !u.is_empty())
        }
        // A kind set on the builder replaces the environment's other kind: `from_env()` with
        // IBANERA_USERNAME/PASSWORD set, then `.access_token(..)`, is a token client; and a
        // password given on the builder pairs with the environment's username.
        let password_kind = name(&self.username).is_some() || given(&self.password).is_some();
        let token_kind = given(&self.access_token).is_some();
        let (username, password, token) = if password_kind || token_kind {
            (
                name(&self.username).or(name(&self.env_username).filter(|_| password_kind)),
                given(&self.password).or(given(&self.env_password).filter(|_| password_kind)),
                given(&self.access_token),
            )
        } else {
            (
                name(&self.env_username),
                given(&self.env_password),
                given(&self.env_access_token),
            )
        };
        if self.legacy_api_key || (self.legacy_api_key_env && username.is_none() && token.is_none())
        {
            let what = if self.legacy_api_key {
                fe.setting("api_key")
            } else {
                ENV_LEGACY_API_KEY.to_string()
            };
            return Err(Error::config(format!(
                "{what} is no longer used: the Ibanera API logs in with a username, a password and \
                 a TOTP code. {}",
                fe.credentials_hint()
            )));
        }
        match (username, password, token) {
            (Some(_), Some(_), Some(_)) => Err(Error::config(format!(
                "give either {} and {}, or {}, not both",
                fe.setting("username"),
                fe.setting("password"),
                fe.setting("access_token")
            ))),
            (Some(u), Some(p), None) => Ok(Credentials::Password {
                username: u.to_string(),
                password: p.clone(),
            }),
            (None, None, Some(t)) | (Some(_), None, Some(t)) | (None, Some(_), Some(t)) => {
                let t = Secret::new(t.expose().trim());
                HeaderValue::from_str(&format!("Bearer {}", t.expose())).map_err(|_| {
                    Error::config(format!(
                        "{} contains characters a header cannot carry",
                        fe.setting("access_token")
                    ))
                })?;
                Ok(Credentials::AccessToken(t))
            }
            (Some(_), None, None) => Err(Error::config(format!(
                "no password: pass {} or set {ENV_PASSWORD}",
                fe.setting("password")
            ))),
            (None, Some(_), None) => Err(Error::config(format!(
                "no username: pass {} or set {ENV_USERNAME}",
                fe.setting("username")
            ))),
            (None, None, None) => Err(Error::config(format!(
                "no credentials: {}",
                fe.credentials_hint()
            ))),
        }
    }

    pub fn build(self) -> Result<Client> {
        let fe = self.frontend;
        let credentials = self.credentials()?;

        let clock: Arc<dyn Clock> = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let codes: Arc<dyn CodeProvider> = match (self.code_provider, self.totp, self.totp_secret) {
            (Some(p), _, _) => p,
            (None, totp, secret) => {
                let mut totp = match (totp, secret) {
                    (Some(t), _) => t,
                    (None, Some(s)) if !s.expose().trim().is_empty() => Totp::new(s.expose())?,
                    (None, _) => {
                        return Err(Error::config(format!(
                            "no TOTP secret: pass {} or set {ENV_TOTP_SECRET}",
                            fe.setting("totp_secret")
                        )));
                    }
                };
                if let Some(a) = self.totp_algorithm {
                    totp = totp.with_algorithm(a)?;
                }
                if let Some(d) = self.totp_digits {
                    totp = totp.with_digits(d)?;
                }
                if let Some(s) = self.totp_step {
                    totp = totp.with_step(s)?;
                }
                Arc::new(TotpCodes::new(totp, clock))
            }
        };

        let raw_url = self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL);
        let (base_url, loopback) = normalise_base_url(raw_url, self.allow_insecure_http, fe)?;
        let base = url::Url::parse(&base_url).map_err(|e| {
            Error::config(format!(
                "base URL `{}` does not parse: {e}",
                describe_url(raw_url)
            ))
        })?;
        let proxy = proxy_choice(&base, loopback, self.proxy.as_deref(), self.no_proxy, fe)?;
        let mut user_agent = USER_AGENT.to_string();
        for token in &self.user_agent_suffix {
            user_agent.push(' ');
            user_agent.push_str(token.trim());
        }
        let headers = header_map(&self.headers)?;
        for (name, value) in [
            ("timeout", self.timeout),
            ("connect_timeout", self.connect_timeout),
            (
                "attempt_timeout",
                self.attempt_timeout.unwrap_or(Duration::from_secs(1)),
            ),
        ] {
            if value.is_zero() {
                return Err(Error::config(format!(
                    "{} must be greater than zero",
                    fe.setting(name)
                )));
            }
        }
        if self.max_response_bytes == 0 {
            return Err(Error::config(format!(
                "{} must be greater than zero",
                fe.setting("max_response_bytes")
            )));
        }

        let http_config = HttpConfig {
            user_agent: user_agent.clone(),
            connect_timeout: self.connect_timeout,
            pool_idle_timeout: self.pool_idle_timeout,
            proxy,
        };
        let http = http_config.build()?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                http_config,
                base_url,
                base,
                session: Arc::new(Session::new(credentials)),
                codes,
                retry: self.retry,
                timeout: self.timeout,
                attempt_timeout: self.attempt_timeout,
                max_response_bytes: self.max_response_bytes,
                user_agent,
                headers,
                log_hook: self.log_hook,
            }),
            options: Arc::new(RequestOptions::default()),
        })
    }
}

/// rustls needs one process-wide crypto provider; ring builds faster than aws-lc and is enough.
fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // An application that installed its own provider keeps it.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Which proxy requests go through.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ProxyChoice {
    /// `HTTPS_PROXY` / `ALL_PROXY`, minus `NO_PROXY` (reqwest's reading of the environment).
    Environment,
    None,
    Explicit(String),
}

fn proxy_choice(
    base: &url::Url,
    loopback: bool,
    explicit: Option<&str>,
    no_proxy: bool,
    fe: Frontend,
) -> Result<ProxyChoice> {
    let explicit = explicit.map(str::trim).filter(|p| !p.is_empty());
    if loopback || base.scheme() == "http" {
        // A loopback call has no business leaving the machine; a plain-http call would show
        // the credentials to the proxy in clear text.
        if explicit.is_some() {
            return Err(Error::config(format!(
                "{} cannot be used with the base URL `{}`: {}",
                fe.setting("proxy"),
                describe_url(base.as_str()),
                if loopback {
                    "a loopback address is never proxied"
                } else {
                    "it is plain http, and the credentials would reach the proxy in clear text"
                }
            )));
        }
        return Ok(ProxyChoice::None);
    }
    if let Some(p) = explicit {
        let url = url::Url::parse(p).map_err(|_| {
            Error::config(format!(
                "{} `{}` is not a URL like http://proxy.example:3128",
                fe.setting("proxy"),
                describe_url(p)
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(Error::config(format!(
                "{} `{}` must be an http:// or https:// URL with a host",
                fe.setting("proxy"),
                describe_url(p)
            )));
        }
        return Ok(ProxyChoice::Explicit(p.to_string()));
    }
    Ok(if no_proxy {
        ProxyChoice::None
    } else {
        ProxyChoice::Environment
    })
}

/// What the connection pool is built from, kept so a binding can build another pool for
/// another runtime with the same settings ([`Client::with_new_connection_pool`]).
#[derive(Clone)]
struct HttpConfig {
    user_agent: String,
    connect_timeout: Duration,
    pool_idle_timeout: Duration,
    proxy: ProxyChoice,
}

/// One TLS configuration for the whole process. reqwest builds its own per client, loading the
/// system's root certificates each time (about 100 KiB and 2.6 ms per client, measured from
/// Node): a program creating many clients would pay that for every one. The same verifier
/// (rustls-platform-verifier) and protocols, built once; each client only clones an `Arc`.
fn shared_tls() -> Result<rustls::ClientConfig> {
    static TLS: OnceLock<std::result::Result<rustls::ClientConfig, String>> = OnceLock::new();
    TLS.get_or_init(|| {
        install_crypto_provider();
        let provider = rustls::crypto::CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
        let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
            .map_err(|e| format!("cannot load the system's root certificates: {e}"))?;
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS versions: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        // As reqwest sets them itself: HTTP/2 when the server offers it, else HTTP/1.1.
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(config)
    })
    .clone()
    .map_err(Error::Config)
}

impl HttpConfig {
    fn build(&self) -> Result<reqwest::Client> {
        install_crypto_provider();
        let mut b = reqwest::Client::builder()
            .tls_backend_preconfigured(shared_tls()?)
            .user_agent(self.user_agent.clone())
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(self.pool_idle_timeout)
            .tcp_nodelay(true)
            // Redirects would re-send credentials somewhere else; the API does not redirect.
            .redirect(reqwest::redirect::Policy::none());
        b = match &self.proxy {
            ProxyChoice::Environment => b,
            ProxyChoice::None => b.no_proxy(),
            ProxyChoice::Explicit(url) => b.proxy(
                reqwest::Proxy::all(url.as_str())
                    .map_err(|_| Error::config("the proxy URL is not usable"))?
                    .no_proxy(reqwest::NoProxy::from_env()),
            ),
        };
        b.build()
            .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))
    }
}

/// A base URL as it may be shown in a message: scheme, host, port and path, never user info,
/// query or fragment (they may hold credentials).
pub(crate) fn describe_url(raw: &str) -> String {
    let raw = raw.trim();
    match url::Url::parse(raw) {
        Ok(u) if u.host().is_some() => {
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!(
                "{}://{}{port}{}",
                u.scheme(),
                u.host_str().unwrap_or_default(),
                u.path().trim_end_matches('/')
            )
        }
        Ok(u) => format!("{}:...", u.scheme()),
        Err(_) => {
            // Whatever precedes an `@` may be a password; a query may hold a token.
            let after_at = raw.rsplit('@').next().unwrap_or_default();
            let cut = after_at.split(['?', '#']).next().unwrap_or_default();
            let shown: String = cut.chars().take(80).collect();
            if raw.contains('@') {
                format!("...@{shown}")
            } else {
                shown
            }
        }
    }
}

/// Checks and normalises a base URL (rule 1); also says whether its host is loopback.
fn normalise_base_url(
    raw: &str,
    allow_insecure_http: bool,
    fe: Frontend,
) -> Result<(String, bool)> {
    let trimmed = raw.trim();
    if !trimmed.contains("://") {
        let guess = describe_url(&format!("https://{trimmed}"));
        return Err(Error::config(format!(
            "base URL `{}` has no scheme: write it as {guess}",
            guess.trim_start_matches("https://")
        )));
    }
    let shown = describe_url(trimmed);
    let url = url::Url::parse(trimmed)
        .map_err(|e| Error::config(format!("base URL `{shown}` does not parse: {e}")))?;
    let host = url
        .host()
        .ok_or_else(|| Error::config(format!("base URL `{shown}` has no host")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!(
            "the base URL `{shown}` must not carry credentials"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "base URL `{shown}` must not have a query or fragment"
        )));
    }
    let loopback = match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback || allow_insecure_http => {}
        "http" => {
            return Err(Error::config(format!(
                "base URL `{shown}` is plain http to a non-loopback host: use https, or opt in with {}",
                fe.setting("allow_insecure_http")
            )));
        }
        other => {
            return Err(Error::config(format!(
                "base URL scheme `{other}` is not http(s)"
            )));
        }
    }
    Ok((url.as_str().trim_end_matches('/').to_string(), loopback))
}

fn header_map(pairs: &[(String, String)]) -> Result<HeaderMap> {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
            ValidationError::new("headers", format!("`{name}` is not a header name"))
        })?;
        if name == reqwest::header::AUTHORIZATION || name.as_str() == "otp" {
            return Err(ValidationError::new(
                "headers",
                format!("`{name}` is set by the client from its credentials"),
            )
            .into());
        }
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            ValidationError::new(
                "headers",
                format!("the value of `{name}` is not a header value"),
            )
        })?;
        // A caller may put a credential in a header: hyper keeps sensitive values out of logs.
        value.set_sensitive(true);
        map.append(name, value);
    }
    Ok(map)
}

struct Inner {
    http: reqwest::Client,
    http_config: HttpConfig,
    base_url: String,
    /// `base_url` parsed once: each request's URL is this with its path and query set instead
    /// of a whole URL parsed again per request (about 6% of a get-account call's instructions,
    /// bench/NOTES.md).
    base: url::Url,
    /// Shared by every clone and every pool of this client.
    session: Arc<Session>,
    codes: Arc<dyn CodeProvider>,
    retry: RetryPolicy,
    timeout: Duration,
    attempt_timeout: Option<Duration>,
    max_response_bytes: u64,
    user_agent: String,
    headers: HeaderMap,
    log_hook: Option<LogHook>,
}

impl Inner {
    /// `{base_url}{path}?{query}`, the query form-encoded (as `RequestBuilder::query` would).
    fn request_url(&self, path: &str, query: &[(&str, String)]) -> url::Url {
        let mut url = self.base.clone();
        // The base's path has no trailing slash (normalise_base_url) unless it is the root.
        let prefix = url.path().trim_end_matches('/');
        let full = format!("{prefix}{path}");
        url.set_path(&full);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }
}

/// The Ibanera API client. Cheap to clone (one connection pool and one login session shared by
/// all clones); safe to use from many tasks at once.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: Arc<RequestOptions>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &"***")
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("options", &self.options)
            .finish()
    }
}

/// A response as it came off the wire.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: bytes::Bytes,
    /// What the attempt sent that must not come back in an error (token, code, header values).
    pub scrub: Scrub,
}

/// A request body, kept as data so each attempt can build it again.
#[derive(Clone, Debug)]
pub(crate) enum Payload {
    Json(bytes::Bytes),
    Multipart(Arc<Vec<MultipartPart>>),
}

/// One part of a `multipart/form-data` body.
#[derive(Clone, PartialEq, Eq)]
pub struct MultipartPart {
    pub name: String,
    pub value: MultipartValue,
}

impl fmt::Debug for MultipartPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.value {
            MultipartValue::Text(_) => "text".to_string(),
            MultipartValue::File {
                filename, bytes, ..
            } => format!("file {filename:?}, {} bytes", bytes.len()),
        };
        write!(f, "{} ({kind})", self.name)
    }
}

/// A field's value: text, or a file's bytes.
#[derive(Clone, PartialEq, Eq)]
pub enum MultipartValue {
    Text(String),
    File {
        filename: String,
        content_type: Option<String>,
        bytes: bytes::Bytes,
    },
}

/// What one failed attempt teaches about trying again.
enum AttemptError {
    /// The connection could not be made: no byte left, safe to retry any method.
    Connect(reqwest::Error),
    /// The request may have reached the server.
    Other(reqwest::Error),
    /// The attempt's time ran out (the request may have reached the server).
    Timeout,
    /// The response exceeded the client's limit (the server answered: it was received).
    TooLarge { status: u16, limit: u64 },
}

impl AttemptError {
    fn ending(&self) -> Ending {
        match self {
            AttemptError::Connect(_) => Ending::NotSent,
            // The server answered; asking again would bring the same body.
            AttemptError::TooLarge { status, .. } => Ending::Status {
                status: *status,
                retry_after: None,
            },
            _ => Ending::MaybeSent,
        }
    }
}

/// The secrets of one attempt, to scrub them from anything the server echoes back.
#[derive(Debug, Default)]
pub(crate) struct Scrub {
    values: Vec<Secret>,
}

impl Scrub {
    fn new(values: &[&str]) -> Scrub {
        Scrub {
            values: values.iter().map(|v| Secret::new(*v)).collect(),
        }
    }

    fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for v in &self.values {
            // Very short values (a header like `1`) would scrub ordinary text.
            if v.expose().len() >= 4 {
                out = out.replace(v.expose(), "***");
            }
        }
        out
    }
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the environment (`IBANERA_USERNAME`, `IBANERA_PASSWORD`,
    /// `IBANERA_TOTP_SECRET`, or `IBANERA_ACCESS_TOKEN`; `IBANERA_BASE_URL`).
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env().build()
    }

    /// The same client (same connection pool and session) with per-call overrides.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let mut merged = (*self.options).clone();
        merged.timeout = options.timeout.or(merged.timeout);
        merged.attempt_timeout = options.attempt_timeout.or(merged.attempt_timeout);
        merged.max_retries = options.max_retries.or(merged.max_retries);
        merged.max_response_bytes = options.max_response_bytes.or(merged.max_response_bytes);
        merged.headers.extend(options.headers);
        Client {
            inner: self.inner.clone(),
            options: Arc::new(merged),
        }
    }

    /// The same client (same credentials, session and settings) with a connection pool of its
    /// own. Pooled connections belong to the runtime that opened them; a binding that drives
    /// calls on more than one runtime gives each its own pool, while all share one login.
    pub fn with_new_connection_pool(&self) -> Result<Client> {
        let inner = &self.inner;
        Ok(Client {
            inner: Arc::new(Inner {
                http: inner.http_config.build()?,
                http_config: inner.http_config.clone(),
                base_url: inner.base_url.clone(),
                base: inner.base.clone(),
                session: inner.session.clone(),
                codes: inner.codes.clone(),
                retry: inner.retry.clone(),
                timeout: inner.timeout,
                attempt_timeout: inner.attempt_timeout,
                max_response_bytes: inner.max_response_bytes,
                user_agent: inner.user_agent.clone(),
                headers: inner.headers.clone(),
                log_hook: inner.log_hook.clone(),
            }),
            options: self.options.clone(),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// The call deadline in effect (the client's, or this handle's override).
    pub fn timeout(&self) -> Duration {
        self.options.timeout.unwrap_or(self.inner.timeout)
    }

    /// The limit of one attempt in effect (`None`: only the call's deadline).
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.options.attempt_timeout.or(self.inner.attempt_timeout)
    }

    /// The largest response body accepted, in effect.
    pub fn max_response_bytes(&self) -> u64 {
        self.options
            .max_response_bytes
            .unwrap_or(self.inner.max_response_bytes)
    }

    /// Retries after the first attempt in effect.
    pub fn max_retries(&self) -> u32 {
        self.options
            .max_retries
            .unwrap_or(self.inner.retry.max_retries)
    }

    /// Logs in now (calls do it themselves when needed) and returns the new session's expiry
    /// and the login's `id`, never the token. Fails without sending anything when an earlier
    /// login of this client was refused, until it is given new credentials.
    pub async fn login(&self) -> Result<SessionInfo> {
        let session = &self.inner.session;
        if !session.can_login() {
            return Err(Error::config(
                "this client was given an access token: it has no username and password to log in with",
            ));
        }
        if let Some(e) = session.refused() {
            return Err(e);
        }
        let deadline = Instant::now() + self.timeout();
        let _gate = self.wait_for_gate(deadline).await?;
        self.login_locked(deadline).await?;
        session
            .info()
            .ok_or_else(|| Error::config("the login gave no session"))
    }

    /// The current session's expiry and login id, if the client holds a token (no request).
    pub fn session_info(&self) -> Option<SessionInfo> {
        self.inner.session.info()
    }

    /// New username and password: the next call logs in with them (this also clears the memory
    /// of a refused login).
    pub fn set_credentials(&self, username: impl Into<String>, password: impl Into<Secret>) {
        self.inner
            .session
            .replace_credentials(Credentials::Password {
                username: username.into().trim().to_string(),
                password: password.into(),
            });
    }

    /// A new bearer token obtained elsewhere (refused, and the old one kept, when it cannot be
    /// sent in a header).
    pub fn set_access_token(&self, token: impl Into<Secret>) -> Result<()> {
        let token: Secret = token.into();
        let token = Secret::new(token.expose().trim());
        if token.is_empty() || HeaderValue::from_str(&format!("Bearer {}", token.expose())).is_err()
        {
            return Err(Error::config(
                "the access token is empty or has characters a header cannot carry",
            ));
        }
        self.inner
            .session
            .replace_credentials(Credentials::AccessToken(token));
        Ok(())
    }

    /// Calls any endpoint of the API, typed or not, with authentication, a fresh TOTP code,
    /// retries and envelope decoding. For the modules the typed surface does not cover.
    ///
    /// `path` is relative to the base URL (`/api/v1/customer/payees/list`); a full URL is
    /// refused so credentials never go to another host. The body is sent as JSON exactly as
    /// given (exact numbers survive: this crate parses JSON with arbitrary precision).
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> Result<Envelope<serde_json::Value>> {
        let endpoint = raw_endpoint(method, path)?;
        let query: Vec<(&str, String)> = query.iter().map(|(k, v)| (*k, v.to_string())).collect();
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| ValidationError::new("body", format!("cannot be encoded: {e}")))?;
        self.call(&endpoint, &query, body.map(|b| Payload::Json(b.into())))
            .await
    }

    /// [`Client::request`] with a `multipart/form-data` body (text fields and files), e.g. the
    /// information-request submission, whose fields the provider's pages do not show.
    pub async fn request_multipart(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        parts: Vec<MultipartPart>,
    ) -> Result<Envelope<serde_json::Value>> {
        let endpoint = raw_endpoint(method, path)?;
        for p in &parts {
            if p.name.trim().is_empty() || p.name.contains(['\0', '"', '\r', '\n']) {
                return Err(ValidationError::new(
                    "parts",
                    "every part needs a name without quotes, NUL or line breaks",
                )
                .at(&endpoint)
                .into());
            }
        }
        let query: Vec<(&str, String)> = query.iter().map(|(k, v)| (*k, v.to_string())).collect();
        self.call(&endpoint, &query, Some(Payload::Multipart(Arc::new(parts))))
            .await
    }

    /// Sends and decodes. The one path every typed method takes.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        query: &[(&str, String)],
        body: Option<Payload>,
    ) -> Result<Envelope<T>> {
        let raw = self.send(endpoint, query, body.as_ref()).await?;
        match envelope::decode(endpoint, raw.status, raw.retry_after, &raw.body) {
            Ok(env) => {
                for w in &env.warnings {
                    self.emit(
                        LogRecord::new(Level::Warn, LogEvent::Warning, endpoint)
                            .status(raw.status)
                            .reason(w.to_string())
                            .message(format!(
                                "{endpoint}: the API reported success with an error item: {w}"
                            )),
                    );
                }
                Ok(env)
            }
            Err(e) => {
                let e = scrub_error(depth_limit(e), &self.scrub_for(&raw.scrub), &raw.body);
                if endpoint.moves_money() && refused_or_unknown(&e) {
                    return Err(self.unknown(endpoint, body.as_ref(), e));
                }
                Err(e)
            }
        }
    }

    /// Encodes a body struct and calls.
    pub(crate) async fn post<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        body: &B,
    ) -> Result<Envelope<T>> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            ValidationError::new("body", format!("cannot be encoded: {e}")).at(endpoint)
        })?;
        self.call(endpoint, &[], Some(Payload::Json(bytes.into())))
            .await
    }

    /// A log record to the `log` facade and to the client's hook.
    fn emit(&self, record: LogRecord) {
        logging::emit(self.inner.log_hook.as_ref(), record);
    }

    fn retry_record(
        &self,
        endpoint: &Endpoint,
        attempt: u32,
        reason: &str,
        wait: Duration,
        retry: u32,
        max_retries: u32,
    ) {
        self.emit(
            LogRecord::new(Level::Info, LogEvent::Retry, endpoint)
                .attempt(attempt)
                .reason(reason)
                .wait(wait)
                .message(format!(
                    "{endpoint}: {reason}; retry {retry} of {max_retries} in {:.2} s",
                    wait.as_secs_f64()
                )),
        );
    }

    fn otp_record(&self, endpoint: &Endpoint, attempt: u32, wait: Duration) {
        self.emit(
            LogRecord::new(Level::Info, LogEvent::OtpRetry, endpoint)
                .status(401)
                .attempt(attempt)
                .wait(wait)
                .message(format!(
                    "{endpoint}: the server refused the TOTP code; retrying once with the next step's code in {:.1} s",
                    wait.as_secs_f64()
                )),
        );
    }

    /// The outcome-unknown error, logged.
    fn unknown(&self, endpoint: &Endpoint, body: Option<&Payload>, cause: Error) -> Error {
        self.emit(
            LogRecord::new(Level::Warn, LogEvent::OutcomeUnknown, endpoint)
                .reason(cause.to_string())
                .message(format!(
                    "{endpoint}: outcome unknown (the request may have executed): {cause}"
                )),
        );
        outcome_unknown(endpoint, body, cause)
    }

    /// Waits for the session's login gate until `deadline`.
    async fn wait_for_gate(&self, deadline: Instant) -> Result<tokio::sync::MutexGuard<'_, ()>> {
        tokio::time::timeout_at(deadline.into(), self.inner.session.gate().lock())
            .await
            .map_err(|_| Error::Timeout {
                endpoint: session::LOGIN,
                after: self.timeout(),
                attempts: 0,
            })
    }

    /// A token for the next attempt: the session's, or one from a login (single flight).
    async fn bearer(&self, deadline: Instant) -> Result<Bearer> {
        let session = &self.inner.session;
        let busy = session.gate().try_lock().is_err();
        if let Need::Ready(b) = session.need(Instant::now(), busy)? {
            return Ok(b);
        }
        let _gate = self.wait_for_gate(deadline).await?;
        // The login this call waited for may have produced a token.
        if let Need::Ready(b) = session.need(Instant::now(), false)? {
            return Ok(b);
        }
        self.login_locked(deadline).await
    }

    /// Logs in (the caller holds the gate): at most one attempt per code, retried like a GET on
    /// transport failures and 429/502/503/504, never on a refusal.
    async fn login_locked(&self, deadline: Instant) -> Result<Bearer> {
        let inner = &self.inner;
        let session = &inner.session;
        let endpoint = &session::LOGIN;
        let (username, password) = session
            .password_credentials()
            .ok_or_else(|| Error::config("no username and password to log in with"))?;
        let url = inner.request_url(&endpoint.path, &[]);
        let max_retries = self.max_retries();
        let mut retries_used = 0;
        let mut otp_retry_used = false;
        let mut attempts = 0;
        let renewing = session.info().is_some();
        loop {
            attempts += 1;
            tokio::task::yield_now().await;
            let code = inner.codes.code()?;
            let body = Zeroizing::new(
                serde_json::to_vec(&serde_json::json!({
                    "username": username,
                    "password": password.expose(),
                    "otp": code.expose(),
                }))
                .map_err(|e| Error::config(format!("cannot encode the login: {e}")))?,
            );
            let scrub = Scrub::new(&[password.expose(), code.expose()]);
            let mut request = inner
                .http
                .post(url.clone())
                .header(reqwest::header::ACCEPT, "application/json")
                .header(reqwest::header::CONTENT_TYPE, "application/json");
            for (name, value) in inner.headers.iter() {
                request = request.header(name, value);
            }
            let request = request.body(body.to_vec());
            let sent_at = Instant::now();
            let outcome = self.attempt(request, deadline).await;
            let elapsed = sent_at.elapsed();
            let remaining = deadline.saturating_duration_since(Instant::now());
            let budget = |ending| {
                retry::decide(
                    ending,
                    Budget {
                        idempotent: true,
                        retries_used,
                        max_retries,
                        remaining,
                        backoff: inner.retry.jittered(retries_used),
                        max_retry_after: inner.retry.max_retry_after,
                    },
                )
            };
            let response = match outcome {
                Ok(r) => r,
                Err(failure) => {
                    if let Decision::Retry { wait } = budget(failure.ending()) {
                        retries_used += 1;
                        self.retry_record(
                            endpoint,
                            attempts,
                            &describe(&failure),
                            wait,
                            retries_used,
                            max_retries,
                        );
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Err(self.failure_error(endpoint, failure, attempts, deadline));
                }
            };
            self.emit(
                LogRecord::new(Level::Debug, LogEvent::Response, endpoint)
                    .status(response.status)
                    .attempt(attempts)
                    .elapsed(elapsed)
                    .message(format!(
                        "{endpoint} -> {} (attempt {attempts}, {:.1} ms)",
                        response.status,
                        elapsed.as_secs_f64() * 1000.0
                    )),
            );
            match envelope::decode::<LoginDetails>(
                endpoint,
                response.status,
                response.retry_after,
                &response.body,
            ) {
                Ok(env) => {
                    let token = env.details.access_token.trim();
                    if token.is_empty()
                        || HeaderValue::from_str(&format!("Bearer {token}")).is_err()
                    {
                        return Err(Error::Decode {
                            endpoint: endpoint.clone(),
                            http_status: response.status,
                            reason: "the login answered without a usable accessToken".into(),
                            body_prefix: String::new(),
                        });
                    }
                    let expires_in = env
                        .details
                        .expires_in
                        .filter(|s| *s > 0)
                        .map(|s| Duration::from_secs(s as u64));
                    let bearer = session.store(Secret::new(token), sent_at, expires_in, env.id);
                    let what = if renewing { "renewed" } else { "started" };
                    self.emit(
                        LogRecord::new(Level::Info, LogEvent::Login, endpoint)
                            .status(response.status)
                            .attempt(attempts)
                            .reason(what)
                            .message(format!(
                                "{endpoint}: session {what} (expires in {})",
                                expires_in
                                    .map(|d| format!("{} s", d.as_secs()))
                                    .unwrap_or_else(|| "an unknown time".into())
                            )),
                    );
                    return Ok(bearer);
                }
                Err(e) => {
                    let e = scrub_error(depth_limit(e), &scrub, &response.body);
                    let status = response.status;
                    let refusal = match &e {
                        Error::Api(a) | Error::Authentication(a) if !a.errors.is_empty() => {
                            Some(a.clone())
                        }
                        _ => None,
                    };
                    if let Some(mut api) = refusal {
                        if api.is_otp_rejection() {
                            if !otp_retry_used {
                                let wait = self.next_code_wait();
                                if wait < deadline.saturating_duration_since(Instant::now()) {
                                    otp_retry_used = true;
                                    self.otp_record(endpoint, attempts, wait);
                                    tokio::time::sleep(wait).await;
                                    continue;
                                }
                                api.detail = Some(otp_deadline_detail(wait).into());
                                return Err(Error::Authentication(api));
                            }
                            api.detail = Some(OTP_TWICE.into());
                        }
                        // A refusal (wrong password, locked, ...) is never tried again.
                        session.remember_refusal(&api);
                        self.emit(
                            LogRecord::new(Level::Warn, LogEvent::LoginRefused, endpoint)
                                .status(api.http_status)
                                .attempt(attempts)
                                .reason(
                                    api.errors
                                        .iter()
                                        .map(|e| e.message_code.as_str().to_string())
                                        .collect::<Vec<_>>()
                                        .join(", "),
                                )
                                .message(format!("{endpoint}: login refused: {api}")),
                        );
                        return Err(Error::Authentication(api));
                    }
                    let ending = Ending::Status {
                        status,
                        retry_after: response.retry_after,
                    };
                    match budget(ending) {
                        Decision::Retry { wait } => {
                            retries_used += 1;
                            self.retry_record(
                                endpoint,
                                attempts,
                                &format!("HTTP {status}"),
                                wait,
                                retries_used,
                                max_retries,
                            );
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                        _ => return Err(e),
                    }
                }
            }
        }
    }

    /// How long until the next TOTP code, plus a little so the server's clock has moved too.
    fn next_code_wait(&self) -> Duration {
        self.inner
            .codes
            .until_next_code()
            .unwrap_or(Duration::from_secs(30))
            + Duration::from_millis(50)
    }

    /// One attempt: send, then read the body up to the size limit, all within the attempt's
    /// time (the per-attempt limit, or what is left of the deadline).
    async fn attempt(
        &self,
        request: reqwest::RequestBuilder,
        deadline: Instant,
    ) -> Result<RawResponse, AttemptError> {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let limit = match self.options.attempt_timeout.or(self.inner.attempt_timeout) {
            Some(t) => t.min(remaining),
            None => remaining,
        };
        let max_bytes = self
            .options
            .max_response_bytes
            .unwrap_or(self.inner.max_response_bytes);
        let outcome = tokio::time::timeout(limit, async {
            let mut response = request.send().await.map_err(classify)?;
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after);
            if response.content_length().is_some_and(|n| n > max_bytes) {
                return Err(AttemptError::TooLarge {
                    status,
                    limit: max_bytes,
                });
            }
            let capacity = response
                .content_length()
                .unwrap_or(16 * 1024)
                .min(max_bytes);
            let mut body = bytes::BytesMut::with_capacity(capacity as usize);
            while let Some(chunk) = response.chunk().await.map_err(AttemptError::Other)? {
                if (body.len() + chunk.len()) as u64 > max_bytes {
                    // Stop reading: dropping the response closes the connection.
                    return Err(AttemptError::TooLarge {
                        status,
                        limit: max_bytes,
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(RawResponse {
                status,
                retry_after,
                body: body.freeze(),
                scrub: Scrub::default(),
            })
        })
        .await;
        match outcome {
            Err(_) => Err(AttemptError::Timeout),
            Ok(r) => r,
        }
    }

    /// The error a failed attempt becomes when it is not retried.
    fn failure_error(
        &self,
        endpoint: &Endpoint,
        failure: AttemptError,
        attempts: u32,
        deadline: Instant,
    ) -> Error {
        match failure {
            AttemptError::Timeout => {
                let limit = self.options.attempt_timeout.or(self.inner.attempt_timeout);
                let after = match limit {
                    Some(t) if Instant::now() < deadline => t,
                    _ => self.timeout(),
                };
                Error::Timeout {
                    endpoint: endpoint.clone(),
                    after,
                    attempts,
                }
            }
            AttemptError::TooLarge { status, limit } => Error::ResponseLimit {
                endpoint: endpoint.clone(),
                http_status: status,
                what: format!("is larger than {limit} bytes"),
            },
            AttemptError::Connect(e) | AttemptError::Other(e) => Error::Transport {
                endpoint: endpoint.clone(),
                message: transport_message(&e),
                attempts,
                source: Some(e.without_url()),
            },
        }
    }

    /// One request with the retry rules (`retry::decide`), the session (login, renewal, one
    /// re-login after a refused token) and the one TOTP retry, within the call's deadline.
    pub(crate) async fn send(
        &self,
        endpoint: &Endpoint,
        query: &[(&str, String)],
        body: Option<&Payload>,
    ) -> Result<RawResponse> {
        let inner = &self.inner;
        let deadline = Instant::now() + self.timeout();
        let max_retries = self.max_retries();
        let extra_headers = header_map(&self.options.headers).map_err(|e| match e {
            Error::Validation(v) => Error::Validation(v.at(endpoint)),
            other => other,
        })?;
        let url = inner.request_url(&endpoint.path, query);
        let moves_money = endpoint.moves_money();

        let mut attempts: u32 = 0;
        let mut retries_used: u32 = 0;
        let mut otp_retry_used = false;
        let mut relogin_used = false;
        loop {
            attempts += 1;
            // Let the runtime poll for I/O before the request picks a pooled connection. On a
            // runtime nobody drove while the caller was busy (a current-thread runtime between
            // blocking calls: the Python binding, the CLI), a keep-alive connection the server
            // has closed still looks open until then; the request would be written to it and
            // fail ("connection closed before message completed"), leaving a payment's caller
            // unsure whether it ran. After one yield the connection reads its EOF first, and
            // hyper sends the unwritten request on a new connection.
            tokio::task::yield_now().await;
            let bearer = self.bearer(deadline).await?;
            // A fresh code for every attempt, computed now, never reused from an earlier one.
            let code = inner.codes.code()?;
            let mut otp = HeaderValue::from_str(code.expose()).map_err(|_| {
                Error::config("the code provider returned a code a header cannot carry")
            })?;
            otp.set_sensitive(true);
            let mut request = inner
                .http
                .request(endpoint.method.clone(), url.clone())
                .header(reqwest::header::AUTHORIZATION, bearer.header.clone())
                .header("otp", otp)
                .header(reqwest::header::ACCEPT, "application/json");
            for (name, value) in inner.headers.iter().chain(extra_headers.iter()) {
                request = request.header(name, value);
            }
            request = match body {
                Some(Payload::Json(bytes)) => request
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(bytes.clone()),
                Some(Payload::Multipart(parts)) => request.multipart(multipart_form(parts)?),
                None => request,
            };
            let generation = bearer.generation;
            // This attempt's secrets, moved (no copy): the rest of what must be scrubbed from
            // an echoed answer is gathered only when an error is built (`scrub_for`).
            let scrub = Scrub {
                values: vec![bearer.value, code],
            };

            let started = Instant::now();
            let outcome = self.attempt(request, deadline).await;
            let elapsed = started.elapsed();
            let remaining = deadline.saturating_duration_since(Instant::now());
            let budget = |ending| {
                retry::decide(
                    ending,
                    Budget {
                        idempotent: !moves_money,
                        retries_used,
                        max_retries,
                        remaining,
                        backoff: inner.retry.jittered(retries_used),
                        max_retry_after: inner.retry.max_retry_after,
                    },
                )
            };

            let mut response = match outcome {
                Ok(r) => r,
                Err(failure) => {
                    let ending = failure.ending();
                    if let Decision::Retry { wait } = budget(ending) {
                        retries_used += 1;
                        self.retry_record(
                            endpoint,
                            attempts,
                            &describe(&failure),
                            wait,
                            retries_used,
                            max_retries,
                        );
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    self.emit(
                        LogRecord::new(Level::Debug, LogEvent::Failure, endpoint)
                            .attempt(attempts)
                            .elapsed(elapsed)
                            .reason(describe(&failure))
                            .message(format!(
                                "{endpoint}: {} (attempt {attempts}, {:.1} ms)",
                                describe(&failure),
                                elapsed.as_secs_f64() * 1000.0
                            )),
                    );
                    let error = self.failure_error(endpoint, failure, attempts, deadline);
                    if moves_money && ending != Ending::NotSent {
                        return Err(self.unknown(endpoint, body, error));
                    }
                    return Err(error);
                }
            };
            self.emit(
                LogRecord::new(Level::Debug, LogEvent::Response, endpoint)
                    .status(response.status)
                    .attempt(attempts)
                    .elapsed(elapsed)
                    .message(format!(
                        "{endpoint} -> {} (attempt {attempts}, {:.1} ms)",
                        response.status,
                        elapsed.as_secs_f64() * 1000.0
                    )),
            );

            if response.status == 401 {
                if is_otp_rejection(&response.body) {
                    // Refused at authentication, so not executed: safe for POST too. The same
                    // code would fail again; wait for the next step's.
                    let wait = self.next_code_wait();
                    if !otp_retry_used && wait < deadline.saturating_duration_since(Instant::now())
                    {
                        otp_retry_used = true;
                        self.otp_record(endpoint, attempts, wait);
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    let detail = if otp_retry_used {
                        OTP_TWICE.to_string()
                    } else {
                        otp_deadline_detail(wait)
                    };
                    return Err(with_detail(
                        self.decode_error(endpoint, &response, &scrub),
                        detail,
                    ));
                }
                if inner.session.can_login() && !relogin_used {
                    // The token died (expired early, revoked): log in again once. The request
                    // was refused at authentication, so repeating it is safe for POST too.
                    relogin_used = true;
                    inner.session.token_refused(generation);
                    self.emit(
                        LogRecord::new(Level::Info, LogEvent::Relogin, endpoint)
                            .status(401)
                            .attempt(attempts)
                            .message(format!(
                                "{endpoint}: the server refused the session token; logging in again"
                            )),
                    );
                    continue;
                }
                let detail = if relogin_used {
                    "the server refused a freshly issued session token too"
                } else {
                    "the access token was refused (expired or revoked): give the client a new one"
                };
                return Err(with_detail(
                    self.decode_error(endpoint, &response, &scrub),
                    detail.to_string(),
                ));
            }

            let ending = Ending::Status {
                status: response.status,
                retry_after: response.retry_after,
            };
            match budget(ending) {
                Decision::Retry { wait } => {
                    retries_used += 1;
                    self.retry_record(
                        endpoint,
                        attempts,
                        &format!("HTTP {}", response.status),
                        wait,
                        retries_used,
                        max_retries,
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Decision::TooLongToWait { retry_after } => {
                    // The caller decides whether to wait that long.
                    let error = match self.decode_error(endpoint, &response, &scrub) {
                        Error::RateLimited { error, .. } => Error::RateLimited {
                            error,
                            retry_after: Some(retry_after),
                        },
                        other => other,
                    };
                    return Err(error);
                }
                Decision::Stop => {}
            }
            if !(200..300).contains(&response.status) {
                let e = self.decode_error(endpoint, &response, &scrub);
                if moves_money && refused_or_unknown(&e) {
                    return Err(self.unknown(endpoint, body, e));
                }
                return Err(e);
            }
            response.scrub = scrub;
            return Ok(response);
        }
    }

    /// What must not come back in an error: the attempt's token and code, the session's
    /// password (a server that echoed the login's body in a later answer), header values.
    fn scrub_for(&self, attempt: &Scrub) -> Scrub {
        let mut values = attempt.values.clone();
        if let Some((_, password)) = self.inner.session.password_credentials() {
            values.push(password);
        }
        let extra = header_map(&self.options.headers).unwrap_or_default();
        for (_, v) in self.inner.headers.iter().chain(extra.iter()) {
            if let Ok(v) = v.to_str() {
                values.push(Secret::new(v));
            }
        }
        Scrub { values }
    }

    /// The error a non-success response decodes to, with the attempt's secrets scrubbed from
    /// anything the server echoed.
    fn decode_error(&self, endpoint: &Endpoint, response: &RawResponse, scrub: &Scrub) -> Error {
        let scrub = &self.scrub_for(scrub);
        match envelope::decode::<serde::de::IgnoredAny>(
            endpoint,
            response.status,
            response.retry_after,
            &response.body,
        ) {
            Err(e) => scrub_error(depth_limit(e), scrub, &response.body),
            Ok(_) => Error::Decode {
                endpoint: endpoint.clone(),
                http_status: response.status,
                reason: "an HTTP error status with a success envelope".into(),
                body_prefix: String::new(),
            },
        }
    }
}

/// A 2xx response's errors that are not a typed failure: for a POST these leave the outcome
/// open (a body cut short, not JSON, a 5xx page without the API's error items, a response over
/// the limit).
fn refused_or_unknown(e: &Error) -> bool {
    match e {
        Error::Decode { .. } | Error::ResponseLimit { .. } => true,
        Error::Api(a) => a.http_status >= 500 && a.errors.is_empty(),
        _ => false,
    }
}

/// The `login` response's details.
#[derive(serde::Deserialize)]
struct LoginDetails {
    #[serde(rename = "accessToken", alias = "AccessToken", default)]
    access_token: String,
    #[serde(rename = "expiresIn", alias = "ExpiresIn", default)]
    expires_in: Option<i64>,
}

const OTP_TWICE: &str = "the server refused two consecutive TOTP codes: check the TOTP secret \
     (the shared secret issued with the API credentials) and this machine's clock (codes \
     depend on it; a skew of more than 30 s breaks them)";

fn otp_deadline_detail(wait: Duration) -> String {
    format!(
        "the server refused the TOTP code; the next code comes in {:.1} s, after this call's \
         deadline (check the TOTP secret and this machine's clock)",
        wait.as_secs_f64()
    )
}

fn with_detail(e: Error, detail: String) -> Error {
    match e {
        Error::Authentication(mut a) => {
            a.detail = Some(detail.into());
            Error::Authentication(a)
        }
        other => other,
    }
}

/// serde_json's nesting limit, reported as the response limit it is.
fn depth_limit(e: Error) -> Error {
    match e {
        Error::Decode {
            endpoint,
            http_status,
            reason,
            ..
        } if reason.contains("recursion limit exceeded") => Error::ResponseLimit {
            endpoint,
            http_status,
            what: format!("is nested deeper than {MAX_JSON_DEPTH} levels"),
        },
        other => other,
    }
}

/// Scrubs the attempt's secrets from a decode error's text: the prefix is cut from the
/// scrubbed body (a secret cut in half at the prefix's end would otherwise survive).
fn scrub_error(e: Error, scrub: &Scrub, body: &[u8]) -> Error {
    match e {
        Error::Decode {
            endpoint,
            http_status,
            reason,
            ..
        } => {
            let text = scrub.apply(&String::from_utf8_lossy(body));
            let end = text
                .char_indices()
                .map(|(i, c)| i + c.len_utf8())
                .take_while(|&i| i <= 200)
                .last()
                .unwrap_or(0);
            Error::Decode {
                endpoint,
                http_status,
                reason: scrub.apply(&reason),
                body_prefix: text[..end].to_string(),
            }
        }
        other => other,
    }
}

/// The body a POST sent, for the outcome-unknown error: JSON with secret-looking values
/// replaced, or the names of multipart fields.
fn sent_summary(body: Option<&Payload>) -> Option<Value> {
    match body? {
        Payload::Json(bytes) => serde_json::from_slice::<Value>(bytes).ok().map(redact),
        Payload::Multipart(parts) => Some(Value::Array(
            parts
                .iter()
                .map(|p| Value::String(format!("{p:?}")))
                .collect(),
        )),
    }
}

/// Values under keys that look secret (`password`, `otp`, `token`, `secret`, card numbers and
/// codes) become `"***"`.
pub(crate) fn redact(v: Value) -> Value {
    fn secret_key(k: &str) -> bool {
        let k = k.to_ascii_lowercase();
        [
            "password",
            "otp",
            "token",
            "secret",
            "cvc",
            "cvv",
            "pin",
            "cardnumber",
        ]
        .iter()
        .any(|s| k.contains(s))
    }
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    if secret_key(&k) {
                        (k, Value::String("***".into()))
                    } else {
                        (k, redact(v))
                    }
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        other => other,
    }
}

fn outcome_unknown(endpoint: &Endpoint, body: Option<&Payload>, cause: Error) -> Error {
    Error::OutcomeUnknown {
        endpoint: endpoint.clone(),
        sent: sent_summary(body).map(Box::new),
        cause: Box::new(cause),
    }
}

fn raw_endpoint(method: Method, path: &str) -> Result<Endpoint> {
    let path = path.trim();
    if !path.starts_with('/') || path.starts_with("//") || path.contains("://") {
        return Err(ValidationError::new(
            "path",
            "must be a path starting with `/` (relative to the base URL), not a URL",
        )
        .into());
    }
    if path.contains(['?', '#']) {
        return Err(
            ValidationError::new("path", "must not contain `?` or `#`: pass query pairs").into(),
        );
    }
    if path.contains(['\0', '\r', '\n']) {
        return Err(ValidationError::new("path", "must not contain NUL or line breaks").into());
    }
    Ok(Endpoint {
        method,
        path: path.to_string().into(),
    })
}

fn multipart_form(parts: &[MultipartPart]) -> Result<reqwest::multipart::Form> {
    let mut form = reqwest::multipart::Form::new();
    for p in parts {
        form = match &p.value {
            MultipartValue::Text(t) => form.text(p.name.clone(), t.clone()),
            MultipartValue::File {
                filename,
                content_type,
                bytes,
            } => {
                let mut part =
                    reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(filename.clone());
                if let Some(ct) = content_type {
                    part = part.mime_str(ct).map_err(|_| {
                        ValidationError::new(
                            "parts",
                            format!("`{ct}` is not a content type (part {})", p.name),
                        )
                    })?;
                }
                form.part(p.name.clone(), part)
            }
        };
    }
    Ok(form)
}

fn classify(e: reqwest::Error) -> AttemptError {
    if e.is_connect() {
        AttemptError::Connect(e)
    } else if e.is_timeout() {
        AttemptError::Timeout
    } else {
        AttemptError::Other(e)
    }
}

fn describe(failure: &AttemptError) -> String {
    match failure {
        AttemptError::Timeout => "timed out".to_string(),
        AttemptError::Connect(e) => format!("cannot connect: {}", transport_message(e)),
        AttemptError::Other(e) => transport_message(e),
        AttemptError::TooLarge { limit, .. } => {
            format!("the response is larger than {limit} bytes")
        }
    }
}

/// reqwest's message plus its causes (the useful part is often two levels down), without the
/// URL (which carries query values).
fn transport_message(e: &reqwest::Error) -> String {
    let mut message = if e.is_connect() {
        "connection failed".to_string()
    } else if e.is_body() || e.is_decode() {
        "the response body was cut short".to_string()
    } else if e.is_request() {
        "the request failed".to_string()
    } else {
        "transport error".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// A 401 whose errors name the `otp` field (a cheap check before a full decode).
fn is_otp_rejection(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Errors {
        #[serde(default)]
        errors: Option<Vec<Item>>,
    }
    #[derive(serde::Deserialize)]
    struct Item {
        #[serde(default, rename = "fieldName")]
        field_name: Option<String>,
    }
    serde_json::from_slice::<Errors>(body)
        .ok()
        .and_then(|e| e.errors)
        .is_some_and(|items| {
            items.iter().any(|i| {
                i.field_name
                    .as_deref()
                    .is_some_and(|f| f.trim().eq_ignore_ascii_case("otp"))
            })
        })
}

/// `Retry-After`: delay-seconds (decimals tolerated) or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_client(base: &str) -> Client {
        Client::builder()
            .username("u")
            .password("p")
            .totp_secret("JBSWY3DPEHPK3PXP")
            .base_url(base)
            .allow_insecure_http(true)
            .build()
            .unwrap()
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("soon"), None);
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(5));
        let d = parse_retry_after(&future).unwrap();
        assert!(
            d <= Duration::from_secs(5) && d >= Duration::from_secs(3),
            "{d:?}"
        );
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(50));
        assert_eq!(parse_retry_after(&past), Some(Duration::ZERO));
    }

    /// The URL of a request is built from the parsed base (no whole-URL parse per request); it
    /// must be exactly the URL that parsing `{base}{path}` and adding the query would give.
    #[test]
    fn request_urls_equal_parsing_the_whole_url() {
        let bases = [
            "https://public-api.ibanera.com/",
            "http://127.0.0.1:8080",
            "http://proxy.internal/ib/",
            "http://proxy.internal/a/b",
            "http://[::1]:9",
        ];
        let paths = [
            "/api/v1/customer/accounts/account",
            "/api/v2/customer/crypto-exchange/quote",
            "/x y/ü/%41/a+b",
            "/a/../b/./c",
            "/a\\b",
            "/",
        ];
        let queries: [&[(&str, String)]; 3] = [
            &[],
            &[("Id", "1055".to_string())],
            &[
                ("q", "a b&c=d/é?#".to_string()),
                ("empty", String::new()),
                ("PageNumber", "2".to_string()),
            ],
        ];
        install_crypto_provider();
        let plain = reqwest::Client::new();
        for base in bases {
            let client = test_client(base);
            for path in paths {
                for query in queries {
                    let mut expected = plain.get(format!("{}{}", client.inner.base_url, path));
                    if !query.is_empty() {
                        expected = expected.query(query);
                    }
                    let expected = expected.build().unwrap().url().clone();
                    let built = client.inner.request_url(path, query);
                    assert_eq!(built.as_str(), expected.as_str(), "{base} {path} {query:?}");
                }
            }
        }
    }

    #[test]
    fn base_url_rules() {
        let n = |u: &str, insecure: bool| normalise_base_url(u, insecure, Frontend::Rust);
        assert_eq!(
            n("https://public-api.ibanera.com/", false).unwrap(),
            ("https://public-api.ibanera.com".to_string(), false)
        );
        assert_eq!(
            n("http://127.0.0.1:8080", false).unwrap(),
            ("http://127.0.0.1:8080".to_string(), true)
        );
        assert_eq!(
            n("http://localhost:1/", false).unwrap().0,
            "http://localhost:1"
        );
        assert_eq!(n("http://[::1]:9/", false).unwrap().0, "http://[::1]:9");
        assert!(n("http://api.example.com", false).is_err());
        assert_eq!(
            n("http://proxy.internal/ib/", true).unwrap().0,
            "http://proxy.internal/ib"
        );
        assert!(n("ftp://x", true).is_err());
        assert!(n("https://x/?a=1", false).is_err());
        assert!(n("not a url", false).is_err());
        let e = n("public-api.ibanera.com", false).unwrap_err().to_string();
        assert!(
            e.contains("no scheme") && e.contains("https://public-api.ibanera.com"),
            "{e}"
        );
    }

    #[test]
    fn base_url_messages_never_show_user_info_or_query() {
        for raw in [
            "https://user:hunter2-canary@x.example/",
            "https://x.example/?token=hunter2-canary",
            "http://x.example/#hunter2-canary",
            "user:hunter2-canary@x.example",
        ] {
            let e = normalise_base_url(raw, false, Frontend::Python)
                .unwrap_err()
                .to_string();
            assert!(!e.contains("hunter2"), "{raw}: {e}");
        }
        let e = normalise_base_url("http://api.example.com", false, Frontend::Cli)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`--allow-insecure-http`"), "{e}");
        let e = normalise_base_url("http://api.example.com", false, Frontend::Node)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`allowInsecureHttp`"), "{e}");
    }

    #[test]
    fn credentials_rules_name_settings_in_each_front_end() {
        let base = || {
            Client::builder()
                .totp_secret("JBSWY3DPEHPK3PXP")
                .base_url("http://127.0.0.1:1")
        };
        let e = base()
            .frontend(Frontend::Python)
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`username=`") && e.contains("IBANERA_USERNAME"),
            "{e}"
        );
        let e = base()
            .frontend(Frontend::Cli)
            .username("u")
            .build()
            .unwrap_err()
            .to_string();
        assert!(e.contains("`--password`"), "{e}");
        #[allow(deprecated)]
        let e = base()
            .frontend(Frontend::Node)
            .api_key("k")
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`apiKey` is no longer used") && e.contains("`totpSecret`"),
            "{e}"
        );
        assert!(base().username("u").password("p").build().is_ok());
        assert!(base().access_token("t").build().is_ok());
        assert!(
            base()
                .username("u")
                .password("p")
                .access_token("t")
                .build()
                .is_err()
        );
    }

    #[test]
    fn proxies_never_carry_loopback_or_plain_http() {
        let https = url::Url::parse("https://api.example.com").unwrap();
        let http = url::Url::parse("http://10.0.0.1").unwrap();
        let local = url::Url::parse("http://127.0.0.1:9").unwrap();
        let fe = Frontend::Rust;
        assert_eq!(
            proxy_choice(&local, true, None, false, fe).unwrap(),
            ProxyChoice::None
        );
        assert_eq!(
            proxy_choice(&http, false, None, false, fe).unwrap(),
            ProxyChoice::None
        );
        assert!(proxy_choice(&local, true, Some("http://p:3128"), false, fe).is_err());
        assert!(proxy_choice(&http, false, Some("http://p:3128"), false, fe).is_err());
        assert_eq!(
            proxy_choice(&https, false, None, false, fe).unwrap(),
            ProxyChoice::Environment
        );
        assert_eq!(
            proxy_choice(&https, false, None, true, fe).unwrap(),
            ProxyChoice::None
        );
        assert_eq!(
            proxy_choice(&https, false, Some("http://p:3128"), false, fe).unwrap(),
            ProxyChoice::Explicit("http://p:3128".into())
        );
        assert!(proxy_choice(&https, false, Some("socks5://p:1"), false, fe).is_err());
    }

    #[test]
    fn sent_bodies_hide_secret_looking_values() {
        let v = serde_json::json!({"amount": 1, "password": "x", "nested": {"OTP": "123456",
            "cardNumber": "4111"}, "list": [{"accessToken": "t"}]});
        assert_eq!(
            redact(v),
            serde_json::json!({"amount": 1, "password": "***", "nested": {"OTP": "***",
                "cardNumber": "***"}, "list": [{"accessToken": "***"}]})
        );
    }

    #[test]
    fn scrubbed_prefixes_hide_a_secret_cut_at_the_end() {
        let secret = "tok-canary-0123456789";
        let body = format!("{}{secret}", "x".repeat(190));
        let e = Error::Decode {
            endpoint: crate::endpoint::ACCOUNTS_GET,
            http_status: 502,
            reason: format!("echo {secret}"),
            body_prefix: String::new(),
        };
        let scrub = Scrub::new(&[secret]);
        let text = scrub_error(e, &scrub, body.as_bytes()).to_string();
        assert!(!text.contains("tok-canary"), "{text}");
    }
}
