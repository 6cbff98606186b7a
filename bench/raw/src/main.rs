//! The raw reqwest loop: the benchmark's "limit".
//!
//! What a competent Rust user writes without the SDK: one `reqwest::Client` (keep-alive pool),
//! per request a fresh TOTP code (totp-rs), the headers `Authorization: <key>`, `otp: <code>`,
//! `Accept: application/json`, the envelope decoded with serde_json (`arbitrary_precision`) into
//! a typed account with `rust_decimal` money and a `chrono` timestamp, and `status` checked.
//! No retries, no validation: this is the lower bound the bindings are compared with.
//!
//! ```text
//! ibanera-bench-raw get-account --base-url URL --api-key KEY --totp-secret B32
//!                               --count N [--concurrency C] [--warmup W]
//!                               [--runtime current|multi|hop]
//! ibanera-bench-raw transactions --base-url URL --api-key KEY --totp-secret B32
//!                               --accounts-id ID --page-size N [--count K] [--warmup W]
//! ibanera-bench-raw serve --dir PAGES   # prints its base URL; serves PAGES/page-<size>-<number>.json
//! ```
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
    api_key: String,
    totp: totp_rs::Totp,
}

impl Api {
    fn new(base_url: &str, api_key: &str, secret: &str) -> Result<Api, BoxError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
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
        Ok(Api {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key: api_key.to_string(),
            totp,
        })
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path_and_query: &str,
    ) -> Result<T, BoxError> {
        let code = self.totp.generate_current().to_string();
        let response = self
            .http
            .get(format!("{}{}", self.base_url, path_and_query))
            .header(reqwest::header::AUTHORIZATION, self.api_key.as_str())
            .header("otp", code)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await?;
        let http_status = response.status();
        let body = response.bytes().await?;
        let envelope: Envelope<T> = serde_json::from_slice(&body)
            .map_err(|e| format!("HTTP {http_status}: undecodable body: {e}"))?;
        if !ok_status(&envelope.status) {
            return Err(format!("HTTP {http_status}: API error {:?}", envelope.errors).into());
        }
        envelope
            .details
            .ok_or_else(|| "envelope without details".into())
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
    let api = Arc::new(Api::new(
        args.required("base-url")?,
        args.required("api-key")?,
        args.required("totp-secret")?,
    )?);
    if kind == "hop" {
        return hop_mode(api, count, warmup, account_id);
    }
    let rt = runtime(&kind)?;
    rt.block_on(async {
        // Warm-up: opens the pool's connections, excluded from the timing.
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
    api: Arc<Api>,
    count: usize,
    warmup: usize,
    account_id: i64,
) -> Result<serde_json::Value, BoxError> {
    let rt = runtime("multi")?;
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
    let api = Api::new(
        args.required("base-url")?,
        args.required("api-key")?,
        args.required("totp-secret")?,
    )?;
    let path = format!(
        "/api/v1/customer/accounts/transactions?AccountsId={accounts_id}&PageSize={page_size}"
    );
    rt.block_on(async {
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

/// Pre-built list pages, served by their `PageSize` and `PageNumber` query parameters from the
/// files `page-<size>-<number>.json` of a directory (keep-alive HTTP/1.1, any path, no
/// authentication): the benchmark's transaction pages, including the 10,000-item page the
/// sandbox cannot return in one (it caps `pageSize` at 1000 like the real service). A page
/// that has no file is a 404.
fn serve_mode(args: &Args) -> Result<(), BoxError> {
    use http_body_util::Full;
    use hyper::service::service_fn;
    use hyper_util::rt::TokioIo;
    use std::collections::HashMap;

    let mut pages: HashMap<(String, String), Bytes> = HashMap::new();
    for entry in std::fs::read_dir(args.required("dir")?)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if let Some(key) = name
            .strip_prefix("page-")
            .and_then(|n| n.strip_suffix(".json"))
            .and_then(|n| n.split_once('-'))
        {
            let key = (key.0.to_string(), key.1.to_string());
            pages.insert(key, Bytes::from(std::fs::read(&path)?));
        }
    }
    let pages = Arc::new(pages);
    let page_of = move |query: Option<&str>| {
        let (mut size, mut number) = ("10".to_string(), "1".to_string());
        for pair in query.unwrap_or_default().split('&') {
            match pair.split_once('=') {
                Some((k, v)) if k.eq_ignore_ascii_case("pagesize") => size = v.to_string(),
                Some((k, v)) if k.eq_ignore_ascii_case("pagenumber") => number = v.to_string(),
                _ => {}
            }
        }
        pages.get(&(size, number)).cloned()
    };
    let page_of = Arc::new(page_of);
    let rt = runtime("multi")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        println!("http://{}", listener.local_addr()?);
        use std::io::Write;
        std::io::stdout().flush()?;
        loop {
            let (stream, _) = listener.accept().await?;
            let _ = stream.set_nodelay(true);
            let page_of = page_of.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let page = page_of(req.uri().query());
                    async move {
                        let (status, body) = match page {
                            Some(body) => (200, body),
                            None => (404, Bytes::from_static(NOT_FOUND)),
                        };
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .status(status)
                                .header("content-type", "application/json; charset=utf-8")
                                .body(Full::new(body))
                                .expect("a static response"),
                        )
                    }
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
