//! Configuration, transport and the one place where retry rules live (wire rules 1, 2, 12).

use std::fmt;
use std::sync::{Arc, Once};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use crate::endpoint::{Endpoint, Method};
use crate::envelope::{self, Envelope};
use crate::error::{Error, Result, ValidationError};
use crate::secret::Secret;
use crate::totp::{Algorithm, Clock, CodeProvider, SystemClock, Totp, TotpCodes};

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://public-api.ibanera.com";
/// `ibanera-rust/<version>`; bindings append their own product token.
pub const USER_AGENT: &str = concat!("ibanera-rust/", env!("CARGO_PKG_VERSION"));

/// When and how often to try again. GETs are retried on connect errors, timeouts and
/// 429/502/503/504; a POST only when its connection failed before any byte was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so 2 means at most 3 attempts).
    pub max_retries: u32,
    /// Backoff ceiling of the first retry; it doubles per retry ("full jitter": the actual wait
    /// is random between zero and the ceiling, so many clients do not retry in lockstep).
    pub initial_backoff: Duration,
    /// The largest backoff ceiling.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits for; a longer one is returned to the caller
    /// as the error (with its `retry_after`) instead of hanging.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// Per-call overrides: `client.with_options(RequestOptions::new().timeout(..))`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Per-attempt timeout (connect + response + body).
    pub timeout: Option<Duration>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
    /// Extra headers (not `Authorization` or `otp`).
    pub headers: Vec<(String, String)>,
}

impl fmt::Debug for RequestOptions {
    /// Header values are not printed: a caller may put a credential there.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
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

    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
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
    api_key: Option<Secret>,
    totp_secret: Option<Secret>,
    totp: Option<Totp>,
    totp_algorithm: Option<Algorithm>,
    totp_digits: Option<u8>,
    totp_step: Option<u64>,
    code_provider: Option<Arc<dyn CodeProvider>>,
    clock: Option<Arc<dyn Clock>>,
    base_url: Option<String>,
    allow_insecure_http: bool,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent_suffix: Vec<String>,
    headers: Vec<(String, String)>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            totp_secret: None,
            totp: None,
            totp_algorithm: None,
            totp_digits: None,
            totp_step: None,
            code_provider: None,
            clock: None,
            base_url: None,
            allow_insecure_http: false,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            user_agent_suffix: Vec::new(),
            headers: Vec::new(),
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("totp_secret", &self.totp_secret)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Environment variable names.
pub const ENV_API_KEY: &str = "IBANERA_API_KEY";
pub const ENV_TOTP_SECRET: &str = "IBANERA_TOTP_SECRET";
pub const ENV_BASE_URL: &str = "IBANERA_BASE_URL";

impl ClientBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder preloaded from `IBANERA_API_KEY`, `IBANERA_TOTP_SECRET` and
    /// `IBANERA_BASE_URL` (each optional here; `build` says what is missing).
    pub fn from_env() -> Self {
        let mut b = Self::default();
        if let Ok(v) = std::env::var(ENV_API_KEY) {
            b.api_key = Some(Secret::new(v));
        }
        if let Ok(v) = std::env::var(ENV_TOTP_SECRET) {
            b.totp_secret = Some(Secret::new(v));
        }
        if let Ok(v) = std::env::var(ENV_BASE_URL) {
            if !v.trim().is_empty() {
                b.base_url = Some(v);
            }
        }
        b
    }

    /// The API key, sent raw in `Authorization` (no `Bearer`).
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
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

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Per-attempt timeout: connect, response and body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
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

    /// Appends a product token to the user agent (`ibanera-python/0.1.0`).
    pub fn user_agent_suffix(mut self, token: impl Into<String>) -> Self {
        self.user_agent_suffix.push(token.into());
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn build(self) -> Result<Client> {
        let api_key = self
            .api_key
            .filter(|k| !k.expose().trim().is_empty())
            .ok_or_else(|| {
                Error::config(format!("no API key: pass api_key or set {ENV_API_KEY}"))
            })?;
        let api_key = Secret::new(api_key.expose().trim());
        HeaderValue::from_str(api_key.expose())
            .map_err(|_| Error::config("the API key contains characters a header cannot carry"))?;

        let clock: Arc<dyn Clock> = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let codes: Arc<dyn CodeProvider> = match (self.code_provider, self.totp, self.totp_secret) {
            (Some(p), _, _) => p,
            (None, totp, secret) => {
                let mut totp = match (totp, secret) {
                    (Some(t), _) => t,
                    (None, Some(s)) => Totp::new(s.expose())?,
                    (None, None) => {
                        return Err(Error::config(format!(
                            "no TOTP secret: pass totp_secret or set {ENV_TOTP_SECRET}"
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

        let base_url = normalise_base_url(
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            self.allow_insecure_http,
        )?;
        let mut user_agent = USER_AGENT.to_string();
        for token in &self.user_agent_suffix {
            user_agent.push(' ');
            user_agent.push_str(token.trim());
        }
        let base = url::Url::parse(&base_url)
            .map_err(|e| Error::config(format!("base URL `{base_url}` does not parse: {e}")))?;
        let headers = header_map(&self.headers)?;
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::config("timeouts must be greater than zero"));
        }

        install_crypto_provider();
        let http = reqwest::Client::builder()
            .user_agent(user_agent.clone())
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            // Redirects would re-send credentials somewhere else; the API does not redirect.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?;

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base,
                api_key,
                codes,
                retry: self.retry,
                timeout: self.timeout,
                user_agent,
                headers,
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

fn normalise_base_url(raw: &str, allow_insecure_http: bool) -> Result<String> {
    let url = url::Url::parse(raw.trim())
        .map_err(|e| Error::config(format!("base URL `{raw}` does not parse: {e}")))?;
    let host = url
        .host()
        .ok_or_else(|| Error::config(format!("base URL `{raw}` has no host")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("the base URL must not carry credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "base URL `{raw}` must not have a query or fragment"
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
                "base URL `{raw}` is plain http to a non-loopback host: use https, or opt in with allow_insecure_http"
            )));
        }
        other => {
            return Err(Error::config(format!(
                "base URL scheme `{other}` is not http(s)"
            )));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
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
        let value = HeaderValue::from_str(value).map_err(|_| {
            ValidationError::new(
                "headers",
                format!("the value of `{name}` is not a header value"),
            )
        })?;
        map.append(name, value);
    }
    Ok(map)
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// `base_url` parsed once: each request's URL is this with its path and query set instead
    /// of a whole URL parsed again per request (about 6% of a get-account call's instructions,
    /// bench/NOTES.md).
    base: url::Url,
    /// Kept as a [`Secret`] (zeroized on drop); the header is built per attempt.
    api_key: Secret,
    codes: Arc<dyn CodeProvider>,
    retry: RetryPolicy,
    timeout: Duration,
    user_agent: String,
    headers: HeaderMap,
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

/// The Ibanera API client. Cheap to clone (one connection pool shared by all clones); safe to
/// use from many tasks at once.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: Arc<RequestOptions>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &"***")
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
}

/// What one failed attempt teaches about trying again.
enum AttemptError {
    /// The connection could not be made: no byte left, safe to retry any method.
    Connect(reqwest::Error),
    /// The request may have reached the server.
    Other(reqwest::Error),
    Timeout,
}

impl Client {
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `IBANERA_API_KEY`, `IBANERA_TOTP_SECRET`, `IBANERA_BASE_URL`.
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env().build()
    }

    /// The same client (same connection pool) with per-call overrides.
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let mut merged = (*self.options).clone();
        if options.timeout.is_some() {
            merged.timeout = options.timeout;
        }
        if options.max_retries.is_some() {
            merged.max_retries = options.max_retries;
        }
        merged.headers.extend(options.headers);
        Client {
            inner: self.inner.clone(),
            options: Arc::new(merged),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
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
        let path = path.trim();
        if !path.starts_with('/') || path.starts_with("//") || path.contains("://") {
            return Err(ValidationError::new(
                "path",
                "must be a path starting with `/` (relative to the base URL), not a URL",
            )
            .into());
        }
        if path.contains(['?', '#']) {
            return Err(ValidationError::new(
                "path",
                "must not contain `?` or `#`: pass query pairs",
            )
            .into());
        }
        let endpoint = Endpoint {
            method,
            path: path.to_string().into(),
        };
        let query: Vec<(&str, String)> = query.iter().map(|(k, v)| (*k, v.to_string())).collect();
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| ValidationError::new("body", format!("cannot be encoded: {e}")))?;
        self.call(&endpoint, &query, body).await
    }

    /// Sends and decodes. The one path every typed method takes.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        endpoint: &Endpoint,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<Envelope<T>> {
        let raw = self.send(endpoint, query, body).await?;
        envelope::decode(endpoint, raw.status, raw.retry_after, &raw.body)
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
        self.call(endpoint, &[], Some(bytes)).await
    }

    /// One request with the retry rules of wire rule 12 and the one TOTP retry of wire rule 3.
    pub(crate) async fn send(
        &self,
        endpoint: &Endpoint,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<RawResponse> {
        let inner = &self.inner;
        let max_retries = self.options.max_retries.unwrap_or(inner.retry.max_retries);
        let timeout = self.options.timeout.unwrap_or(inner.timeout);
        let extra_headers = header_map(&self.options.headers).map_err(|e| match e {
            Error::Validation(v) => Error::Validation(v.at(endpoint)),
            other => other,
        })?;
        let url = inner.request_url(&endpoint.path, query);
        let idempotent = !endpoint.moves_money();

        let mut attempts: u32 = 0;
        let mut retries_used: u32 = 0;
        let mut otp_retry_used = false;
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
            // A fresh code for every attempt, computed now, never reused from an earlier one.
            let code = inner.codes.code()?;
            let mut otp = HeaderValue::from_str(code.expose()).map_err(|_| {
                Error::config("the code provider returned a code a header cannot carry")
            })?;
            otp.set_sensitive(true);
            let mut key = HeaderValue::from_str(inner.api_key.expose())
                .map_err(|_| Error::config("the API key cannot be sent as a header"))?;
            key.set_sensitive(true);

            let mut request = inner
                .http
                .request(endpoint.method.clone(), url.clone())
                .header(reqwest::header::AUTHORIZATION, key)
                .header("otp", otp)
                .header(reqwest::header::ACCEPT, "application/json");
            for (name, value) in inner.headers.iter().chain(extra_headers.iter()) {
                request = request.header(name, value);
            }
            if let Some(body) = &body {
                request = request
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }

            let started = Instant::now();
            let outcome = tokio::time::timeout(timeout, async {
                let response = request.send().await?;
                let status = response.status().as_u16();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after);
                let body = response.bytes().await?;
                Ok::<_, reqwest::Error>(RawResponse {
                    status,
                    retry_after,
                    body,
                })
            })
            .await;
            let elapsed = started.elapsed();
            let outcome = match outcome {
                Err(_) => Err(AttemptError::Timeout),
                Ok(Err(e)) if e.is_timeout() && !e.is_connect() => Err(AttemptError::Timeout),
                Ok(Err(e)) if e.is_connect() => Err(AttemptError::Connect(e)),
                Ok(Err(e)) => Err(AttemptError::Other(e)),
                Ok(Ok(r)) => Ok(r),
            };

            let can_retry = retries_used < max_retries;
            match outcome {
                Ok(response) => {
                    log::debug!(
                        target: "ibanera",
                        "{endpoint} -> {} (attempt {attempts}, {:.1} ms)",
                        response.status,
                        elapsed.as_secs_f64() * 1000.0
                    );
                    if response.status == 401 && !otp_retry_used && is_otp_rejection(&response.body)
                    {
                        // Refused at authentication, so not executed: safe for POST too. The
                        // same code would fail again; wait for the next step's.
                        otp_retry_used = true;
                        let wait = inner
                            .codes
                            .until_next_code()
                            .unwrap_or(Duration::from_secs(30))
                            + Duration::from_millis(50);
                        log::info!(
                            target: "ibanera",
                            "{endpoint}: the server refused the TOTP code; retrying once with the next step's code in {:.1} s",
                            wait.as_secs_f64()
                        );
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    let retryable_status = matches!(response.status, 429 | 502 | 503 | 504);
                    if idempotent && retryable_status && can_retry {
                        let wait = match response.retry_after {
                            Some(after) if after > inner.retry.max_retry_after => {
                                // Waiting that long would look like a hang: let the caller decide.
                                return Ok(response);
                            }
                            Some(after) => after,
                            None => self.backoff(retries_used),
                        };
                        retries_used += 1;
                        log::info!(
                            target: "ibanera",
                            "{endpoint}: HTTP {}; retry {retries_used} of {max_retries} in {:.2} s",
                            response.status,
                            wait.as_secs_f64()
                        );
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Ok(response);
                }
                Err(failure) => {
                    // A POST is re-sent only when the connection was never made.
                    let safe = idempotent || matches!(failure, AttemptError::Connect(_));
                    if safe && can_retry {
                        retries_used += 1;
                        let wait = self.backoff(retries_used - 1);
                        log::info!(
                            target: "ibanera",
                            "{endpoint}: {}; retry {retries_used} of {max_retries} in {:.2} s",
                            describe(&failure),
                            wait.as_secs_f64()
                        );
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    log::debug!(
                        target: "ibanera",
                        "{endpoint}: {} (attempt {attempts}, {:.1} ms)",
                        describe(&failure),
                        elapsed.as_secs_f64() * 1000.0
                    );
                    return Err(match failure {
                        AttemptError::Timeout => Error::Timeout {
                            endpoint: endpoint.clone(),
                            after: timeout,
                            attempts,
                        },
                        AttemptError::Connect(e) | AttemptError::Other(e) => Error::Transport {
                            endpoint: endpoint.clone(),
                            message: transport_message(&e),
                            attempts,
                            source: Some(e.without_url()),
                        },
                    });
                }
            }
        }
    }

    /// Exponential backoff with full jitter: uniform in [0, min(max, initial * 2^n)].
    fn backoff(&self, retry_index: u32) -> Duration {
        let policy = &self.inner.retry;
        let ceiling = policy
            .initial_backoff
            .saturating_mul(1u32 << retry_index.min(16))
            .min(policy.max_backoff);
        let nanos = ceiling.as_nanos().min(u64::MAX as u128) as u64;
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

fn describe(failure: &AttemptError) -> String {
    match failure {
        AttemptError::Timeout => "timed out".to_string(),
        AttemptError::Connect(e) => format!("cannot connect: {}", transport_message(e)),
        AttemptError::Other(e) => transport_message(e),
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
            let client = Client::builder()
                .api_key("k")
                .totp_secret("JBSWY3DPEHPK3PXP")
                .base_url(base)
                .allow_insecure_http(true)
                .build()
                .unwrap();
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
        assert_eq!(
            normalise_base_url("https://public-api.ibanera.com/", false).unwrap(),
            "https://public-api.ibanera.com"
        );
        assert_eq!(
            normalise_base_url("http://127.0.0.1:8080", false).unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalise_base_url("http://localhost:1/", false).unwrap(),
            "http://localhost:1"
        );
        assert_eq!(
            normalise_base_url("http://[::1]:9/", false).unwrap(),
            "http://[::1]:9"
        );
        assert!(normalise_base_url("http://api.example.com", false).is_err());
        assert_eq!(
            normalise_base_url("http://proxy.internal/ib/", true).unwrap(),
            "http://proxy.internal/ib"
        );
        assert!(normalise_base_url("ftp://x", true).is_err());
        assert!(normalise_base_url("https://u:p@x", false).is_err());
        assert!(normalise_base_url("https://x/?a=1", false).is_err());
        assert!(normalise_base_url("not a url", false).is_err());
    }

    #[test]
    fn backoff_is_bounded_and_grows() {
        let client = Client::builder()
            .api_key("k")
            .totp_secret("JBSWY3DPEHPK3PXP")
            .build()
            .unwrap();
        for i in 0..40 {
            let d = client.backoff(i);
            let ceiling = Duration::from_millis(500)
                .saturating_mul(1 << i.min(16))
                .min(Duration::from_secs(8));
            assert!(d <= ceiling, "{i}: {d:?}");
        }
    }
}
