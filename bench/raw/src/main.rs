//! The raw reqwest loop: the benchmark's "limit".
//!
//! What a competent Rust user writes without the SDK: one `reqwest::Client` (keep-alive pool),
//! one login at start-up (`POST /api/v1/public/auth/login` with the username, the password and
//! a fresh TOTP code; untimed, like the connection warm-up), then per request a fresh TOTP code
//! (totp-rs) and the headers `Authorization: Bearer <token>`, `otp: <code>`,
//! `Accept: application/json`, the envelope decoded with serde_json (`arbitrary_precision`) into
//! a typed account with `rust_decimal` money and a `chrono` timestamp, and `status` checked.
//! No retries, no renewal, no validation: this is the lower bound the bindings are compared with.
//!
//! ```text
//! ibanera-bench-raw get-account --base-url URL --username U --password P --totp-secret B32
//!                               --count N [--concurrency C] [--warmup W]
//!                               [--runtime current|multi|hop] [--old-key KEY]
//! ibanera-bench-raw transactions --base-url URL --username U --password P --totp-secret B32
//!                               --accounts-id ID --page-size N [--count K] [--warmup W]
//! ibanera-bench-raw serve --dir PAGES   # prints its base URL; serves PAGES/page-<size>-<number>.json
//! ```
//!
//! `--old-key KEY` skips the login and sends `Authorization: KEY`, the API-key header the
//! service took before sessions: only `serve` accepts it (it checks no credentials). It prices
//! the bearer header against that key (bench/NOTES.md), nothing else uses it.
//!
//! Every mode but `serve` prints one JSON object on stdout.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The login endpoint, the one API path called without a token.
const LOGIN_PATH: &str = "/api/v1/public/auth/login";

#[derive(Deserialize)]
struct Envelope<T> {
    status: serde_json::Value,
    details: Option<T>,
    #[serde(default)]
    errors: Option<serde_json::Value>,
}

/// The get-account `details`, with exact money.
#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Account {
    id: i64,
    customers_id: Option<i64>,
    name: Option<String>,
    routing_number: Option<String>,
    account_number: Option<String>,
    swift_code: Option<String>,
    virtual_account_number: Option<String>,
    reference: Option<String>,
    asset: Option<String>,
    asset_display_name: Option<String>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    total_balance: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    available_balance: Decimal,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pending_balance: Decimal,
    #[serde(rename = "bSuppressed", default)]
    suppressed: Option<bool>,
    date_added: Option<DateTime<Utc>>,
}

/// One line of list-transactions.
#[derive(Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Transaction {
    id: i64,
    accounts_id: Option<i64>,
    from_transactions_id: Option<i64>,
    from_accounts_id: Option<i64>,
    to_transactions_id: Option<i64>,
    to_accounts_id: Option<i64>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    amount: Decimal,
    description: Option<String>,
    date_time: Option<DateTime<Utc>>,
    #[serde(rename = "bPending", default)]
    pending: Option<bool>,
    #[serde(rename = "bCancellable", default)]
    cancellable: Option<bool>,
}

/// The login `details` (the lifetime is not read: this loop never renews).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Login {
    access_token: String,
}

fn ok_status(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s == "1",
        serde_json::Value::Number(n) => n.as_i64() == Some(1),
        _ => false,
    }
}

struct Api {
    http: reqwest::Client,
    base_url: String,
    username: String,
    password: String,
    /// The `Authorization` value: `Bearer <token>` once logged in.
    authorization: String,
    totp: totp_rs::Totp,
}

impl Api {
    fn new(args: &Args) -> Result<Api, BoxError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let secret = args.required("totp-secret")?;
        let secret = totp_rs::Secret::try_from_base32(secret.trim().to_ascii_uppercase())
            .map_err(|e| format!("TOTP secret: {e:?}"))?;
        let totp = totp_rs::Builder::new()
            .with_secret(secret)
            .build()
            .map_err(|e| format!("TOTP: {e:?}"))?;
        let http = reqwest::Client::builder()
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()?;
        let old_key = args.value("old-key").map(str::to_string);
        let credential = |name| match &old_key {
            Some(_) => Ok(String::new()),
            None => args.required(name).map(str::to_string),
        };
        Ok(Api {
            http,
            base_url: args.required("base-url")?.trim_end_matches('/').to_string(),
            username: credential("username")?,
            password: credential("password")?,
            authorization: old_key.unwrap_or_default(),
            totp,
        })
    }

    /// One login: the token goes into every later request's `Authorization` header. Skipped
    /// with `--old-key`.
    async fn login(&mut self) -> Result<(), BoxError> {
        if !self.authorization.is_empty() {
            return Ok(());
        }
        let body = serde_json::to_vec(&serde_json::json!({
            "username": self.username,
            "password": self.password,
            "otp": self.totp.generate_current().to_string(),
        }))?;
        let response = self
            .http
            .post(format!("{}{LOGIN_PATH}", self.base_url))
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await?;
        let http_status = response.status();
        let login: Login = details(http_status, &response.bytes().await?)?;
        self.authorization = format!("Bearer {}", login.access_token);
        Ok(())
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path_and_query: &str,
    ) -> Result<T, BoxError> {
        let code = self.totp.generate_current().to_string();
        let response = self
            .http
            .get(format!("{}{}", self.base_url, path_and_query))
            .header(reqwest::header::AUTHORIZATION, self.authorization.as_str())
            .header("otp", code)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await?;
        let http_status = response.status();
        details(http_status, &response.bytes().await?)
    }

    async fn get_account(&self, id: i64) -> Result<Account, BoxError> {
        let account: Account = self
            .get(&format!("/api/v1/customer/accounts/account?Id={id}"))
            .await?;
        if account.id != id {
            return Err(format!("asked for account {id}, got {}", account.id).into());
        }
        Ok(account)
    }
}

/// The envelope's `details`, or an error when it is not a success.
fn details<T: serde::de::DeserializeOwned>(
    http_status: reqwest::StatusCode,
    body: &[u8],
) -> Result<T, BoxError> {
    let envelope: Envelope<T> = serde_json::from_slice(body)
        .map_err(|e| format!("HTTP {http_status}: undecodable body: {e}"))?;
    if !ok_status(&envelope.status) {
        return Err(format!("HTTP {http_status}: API error {:?}", envelope.errors).into());
    }
    envelope
        .details
        .ok_or_else(|| "envelope without details".into())
}

struct Args(Vec<String>);

impl Args {
    fn value(&self, name: &str) -> Option<&str> {
        let flag = format!("--{name}");
        self.0
            .iter()
            .position(|a| *a == flag)
            .and_then(|i| self.0.get(i + 1))
            .map(String::as_str)
    }
    fn required(&self, name: &str) -> Result<&str, BoxError> {
        self.value(name)
            .ok_or_else(|| format!("missing --{name}").into())
    }
    fn number(&self, name: &str, default: usize) -> Result<usize, BoxError> {
        match self.value(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("--{name}: not a number: {v}").into()),
        }
    }
}

/// Peak resident set size of this process (kB), from /proc/self/status.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// `count` get-account calls with `concurrency` in flight (workers pulling from one counter).
/// Returns the elapsed time and every call's latency in nanoseconds.
async fn run_get_account(
    api: Arc<Api>,
    count: usize,
    concurrency: usize,
    account_id: i64,
) -> Result<(Duration, Vec<u64>), BoxError> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let api = api.clone();
        let next = next.clone();
        workers.spawn(async move {
            let mut latencies = Vec::with_capacity(count / concurrency.max(1) + 1);
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let t = Instant::now();
                api.get_account(account_id).await?;
                latencies.push(t.elapsed().as_nanos() as u64);
            }
            Ok::<_, BoxError>(latencies)
        });
    }
    let mut all = Vec::with_capacity(count);
    while let Some(joined) = workers.join_next().await {
        all.extend(joined??);
    }
    Ok((started.elapsed(), all))
}

fn runtime(kind: &str) -> Result<tokio::runtime::Runtime, BoxError> {
    Ok(match kind {
        "current" => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
        "multi" => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?,
        other => return Err(format!("--runtime current|multi, not {other}").into()),
    })
}

fn get_account_mode(args: &Args) -> Result<serde_json::Value, BoxError> {
    let count = args.number("count", 1000)?;
    let concurrency = args.number("concurrency", 1)?;
    let warmup = args.number("warmup", 200)?;
    let account_id = args.number("account-id", 1055)? as i64;
    let default_runtime = if concurrency > 1 { "multi" } else { "current" };
    let kind = args.value("runtime").unwrap_or(default_runtime).to_string();
    let mut api = Api::new(args)?;
    if kind == "hop" {
        return hop_mode(api, count, warmup, account_id);
    }
    let rt = runtime(&kind)?;
    rt.block_on(async {
        // The login and the warm-up (which opens the pool's connections) are not timed.
        api.login().await?;
        let api = Arc::new(api);
        run_get_account(api.clone(), warmup, concurrency, account_id).await?;
        let (elapsed, mut latencies) =
            run_get_account(api.clone(), count, concurrency, account_id).await?;
        Ok(get_account_result(
            &kind,
            concurrency,
            elapsed,
            &mut latencies,
        ))
    })
}

/// The record of a get-account run: rate, mean and percentile latencies, peak RSS.
fn get_account_result(
    runtime: &str,
    concurrency: usize,
    elapsed: Duration,
    latencies: &mut [u64],
) -> serde_json::Value {
    latencies.sort_unstable();
    let count = latencies.len();
    let seconds = elapsed.as_secs_f64();
    serde_json::json!({
        "impl": "raw-reqwest",
        "runtime": runtime,
        "requests": count,
        "concurrency": concurrency,
        "seconds": seconds,
        "ops_per_s": count as f64 / seconds,
        "mean_us": seconds * 1e6 / count as f64,
        "p50_us": percentile(latencies, 0.50) as f64 / 1e3,
        "p99_us": percentile(latencies, 0.99) as f64 / 1e3,
        "peak_rss_kb": peak_rss_kb(),
    })
}

/// Sequential calls the way a blocking binding makes them: the caller is a plain thread outside
/// the runtime; each call is spawned onto a multi-thread runtime and its result comes back over
/// a channel (two thread hops per call). A diagnostic: the difference from `current` is the
/// cost of that design, whatever binding has it.
fn hop_mode(
    mut api: Api,
    count: usize,
    warmup: usize,
    account_id: i64,
) -> Result<serde_json::Value, BoxError> {
    let rt = runtime("multi")?;
    rt.block_on(api.login())?;
    let api = Arc::new(api);
    let call = |api: Arc<Api>| -> Result<(), BoxError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn(async move {
            let _ = tx.send(api.get_account(account_id).await.map(|_| ()));
        });
        rx.recv().map_err(|e| e.to_string())?
    };
    for _ in 0..warmup {
        call(api.clone())?;
    }
    let mut latencies = Vec::with_capacity(count);
    let started = Instant::now();
    for _ in 0..count {
        let t = Instant::now();
        call(api.clone())?;
        latencies.push(t.elapsed().as_nanos() as u64);
    }
    Ok(get_account_result(
        "hop",
        1,
        started.elapsed(),
        &mut latencies,
    ))
}

fn transactions_mode(args: &Args) -> Result<serde_json::Value, BoxError> {
    let count = args.number("count", 5)?;
    let warmup = args.number("warmup", 1)?;
    let accounts_id = args.number("accounts-id", 1060)?;
    let page_size = args.number("page-size", 10_000)?;
    let rt = runtime("current")?;
    let mut api = Api::new(args)?;
    let path = format!(
        "/api/v1/customer/accounts/transactions?AccountsId={accounts_id}&PageSize={page_size}"
    );
    rt.block_on(async {
        api.login().await?;
        let mut times = Vec::new();
        let mut items = 0;
        let mut total = Decimal::ZERO;
        for i in 0..warmup + count {
            let t = Instant::now();
            let page: Vec<Transaction> = api.get(&path).await?;
            let elapsed = t.elapsed();
            items = page.len();
            total = page.iter().map(|t| t.amount).sum();
            if i >= warmup {
                times.push(elapsed.as_secs_f64());
            }
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        Ok(serde_json::json!({
            "impl": "raw-reqwest",
            "items": items,
            "amount_sum": total.to_string(),
            "seconds": median,
            "ms": median * 1e3,
            "peak_rss_kb": peak_rss_kb(),
        }))
    })
}

/// The envelope of a page that has no file.
const NOT_FOUND: &[u8] = br#"{"id":0,"details":null,"status":"0","errors":[{"errorType":"NotFound","fieldName":"PageNumber","messageCode":"Not_Found"}]}"#;
/// The answer to a login without a username, a password or a code.
const LOGIN_REFUSED: &[u8] = br#"{"id":0,"details":null,"status":"0","errors":[{"errorType":"BadRequest","fieldName":"Username","messageCode":"Required"}]}"#;

/// What `serve` answers from: the files, and the logins it answered.
struct Served {
    /// `page-<size>-<number>.json` by (size, number).
    pages: std::collections::HashMap<(String, String), Bytes>,
    /// `account-<id>.json` by id.
    accounts: std::collections::HashMap<String, Bytes>,
    logins: AtomicUsize,
}

/// Base64url without padding (what JWTs use), for the tokens `serve` hands out.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// A login answer shaped like the sandbox's: a JWT-shaped token of the same length (header,
/// payload with subject, id, issue and expiry times, 32-byte signature), an hour's lifetime.
fn login_answer(number: usize) -> Bytes {
    let iat = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let payload = format!(
        r#"{{"sub":"1004","jti":"{number:016}","iat":{iat},"exp":{}}}"#,
        iat + 3600
    );
    let signature: Vec<u8> = (0..32u8)
        .map(|i| i.wrapping_mul(37) ^ number as u8)
        .collect();
    let token = format!(
        "{}.{}.{}",
        base64url(br#"{"alg":"HS256","typ":"JWT"}"#),
        base64url(payload.as_bytes()),
        base64url(&signature)
    );
    Bytes::from(format!(
        r#"{{"id":1004,"details":{{"accessToken":"{token}","expiresIn":3600,"refreshToken":"{}","refreshTokenExpiresIn":86400}},"status":"1","errors":[]}}"#,
        base64url(&signature)
    ))
}

/// A login body carries a username, a password and a code (non-empty strings).
fn is_login(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| {
        ["username", "password", "otp"].iter().all(|k| {
            v.get(k)
                .and_then(|s| s.as_str())
                .is_some_and(|s| !s.is_empty())
        })
    })
}

impl Served {
    fn load(dir: &str) -> Result<Served, BoxError> {
        let mut served = Served {
            pages: Default::default(),
            accounts: Default::default(),
            logins: AtomicUsize::new(0),
        };
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let Some(stem) = name.strip_suffix(".json") else {
                continue;
            };
            if let Some((size, number)) = stem.strip_prefix("page-").and_then(|n| n.split_once('-'))
            {
                let key = (size.to_string(), number.to_string());
                served.pages.insert(key, Bytes::from(std::fs::read(&path)?));
            } else if let Some(id) = stem.strip_prefix("account-") {
                let body = Bytes::from(std::fs::read(&path)?);
                served.accounts.insert(id.to_string(), body);
            }
        }
        Ok(served)
    }

    /// The file a GET asks for: `account-<Id>` when the query has `Id`, else the page of its
    /// `PageSize` (default 10) and `PageNumber` (default 1).
    fn file(&self, query: Option<&str>) -> Option<Bytes> {
        let (mut size, mut number, mut id) = ("10", "1", None);
        for pair in query.unwrap_or_default().split('&') {
            match pair.split_once('=') {
                Some((k, v)) if k.eq_ignore_ascii_case("pagesize") => size = v,
                Some((k, v)) if k.eq_ignore_ascii_case("pagenumber") => number = v,
                Some((k, v)) if k.eq_ignore_ascii_case("id") => id = Some(v),
                _ => {}
            }
        }
        match id {
            Some(id) => self.accounts.get(id).cloned(),
            None => self
                .pages
                .get(&(size.to_string(), number.to_string()))
                .cloned(),
        }
    }

    async fn respond(
        &self,
        req: hyper::Request<hyper::body::Incoming>,
    ) -> hyper::Response<http_body_util::Full<Bytes>> {
        use http_body_util::BodyExt;
        let (status, body) = match (req.method(), req.uri().path()) {
            (&hyper::Method::POST, LOGIN_PATH) => {
                let body = req.into_body().collect().await.map(|b| b.to_bytes());
                if body.is_ok_and(|b| is_login(&b)) {
                    let number = self.logins.fetch_add(1, Ordering::Relaxed) + 1;
                    (200, login_answer(number))
                } else {
                    (400, Bytes::from_static(LOGIN_REFUSED))
                }
            }
            (_, "/_sandbox/auth") => {
                let logins = self.logins.load(Ordering::Relaxed);
                let stats = format!(
                    r#"{{"id":0,"details":{{"loginsSucceeded":{logins}}},"status":"1","errors":[]}}"#
                );
                (200, Bytes::from(stats))
            }
            _ => match self.file(req.uri().query()) {
                Some(body) => (200, body),
                None => (404, Bytes::from_static(NOT_FOUND)),
            },
        };
        hyper::Response::builder()
            .status(status)
            .header("content-type", "application/json; charset=utf-8")
            .body(http_body_util::Full::new(body))
            .expect("a static response")
    }
}

/// Pre-built answers on loopback (keep-alive HTTP/1.1), from the files of a directory: list
/// pages `page-<size>-<number>.json` by their `PageSize` and `PageNumber` query parameters
/// (the benchmark's transaction pages, including the 10,000-item page the sandbox cannot
/// return in one: it caps `pageSize` at 1000 like the real service), accounts
/// `account-<id>.json` by `Id`; anything else is a 404. It answers the login endpoint like the
/// sandbox (a token for any username, password and code, so every client makes the login it
/// makes against the service), checks no token or code on the other calls, and reports the
/// logins it answered at `GET /_sandbox/auth` (`loginsSucceeded` in the envelope's details,
/// like the sandbox's control endpoint).
fn serve_mode(args: &Args) -> Result<(), BoxError> {
    use hyper::service::service_fn;
    use hyper_util::rt::TokioIo;

    let served = Arc::new(Served::load(args.required("dir")?)?);
    let rt = runtime("multi")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        println!("http://{}", listener.local_addr()?);
        use std::io::Write;
        std::io::stdout().flush()?;
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            let served = served.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let served = served.clone();
                    async move { Ok::<_, Infallible>(served.respond(req).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

fn main() -> std::process::ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mode = argv.first().cloned().unwrap_or_default();
    let args = Args(argv);
    let result = match mode.as_str() {
        "get-account" => get_account_mode(&args).map(Some),
        "transactions" => transactions_mode(&args).map(Some),
        "serve" => serve_mode(&args).map(|()| None),
        _ => Err("usage: ibanera-bench-raw get-account|transactions|serve [--flags]".into()),
    };
    match result {
        Ok(Some(json)) => {
            println!("{json}");
            std::process::ExitCode::SUCCESS
        }
        Ok(None) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ibanera-bench-raw: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
