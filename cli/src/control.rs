//! `ibanera sandbox approve|reject|complete|fail|price|deposit|fault|reset|...`: moves a running
//! sandbox along through its control endpoints (`/_sandbox/...`, sandbox/README.md). These
//! endpoints need no credentials; only the sandbox's base URL.

use std::io::{self, IsTerminal};

use clap::ArgMatches;
use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::exit::CliError;
use crate::output::{self, Format};

/// The running sandbox: `--base-url`, else `IBANERA_BASE_URL`.
fn base_url(m: &ArgMatches) -> Result<String, CliError> {
    let url = m
        .get_one::<String>(crate::cli::BASE_URL)
        .cloned()
        .or_else(|| std::env::var(ibanera::ENV_BASE_URL).ok())
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| {
            CliError::Usage(format!(
                "which sandbox? pass --base-url or set {} (the line `ibanera sandbox` printed)",
                ibanera::ENV_BASE_URL
            ))
        })?;
    let url = url.trim().trim_end_matches('/').to_string();
    if !url.contains("://") {
        return Err(CliError::Usage(format!(
            "the base URL `{url}` has no scheme: write it as http://{url}"
        )));
    }
    Ok(url)
}

/// An exact decimal for the sandbox's body (refused, never rounded, if it is not one).
fn money(field: &str, text: &str) -> Result<Value, CliError> {
    let d = ibanera::decimal::parse_decimal_exact(text)
        .map_err(|e| CliError::Usage(format!("{field} `{text}` {e}")))?;
    serde_json::from_str(&d.to_string())
        .map_err(|e| CliError::Usage(format!("{field} `{text}`: {e}")))
}

pub async fn run(action: &str, m: &ArgMatches) -> Result<(), CliError> {
    let base = base_url(m)?;
    let format = m
        .get_one::<String>(crate::cli::OUTPUT)
        .and_then(|f| Format::parse(f))
        .unwrap_or(if io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        });
    let (method, path, body) = match action {
        "approve" | "reject" | "complete" | "fail" => {
            let id = m.get_one::<i64>("id").copied().unwrap_or_default();
            (
                Method::POST,
                format!("/_sandbox/exchanges/{id}/{action}"),
                None,
            )
        }
        "price" => {
            let pair = m.get_one::<String>("pair").cloned().unwrap_or_default();
            let value = m.get_one::<String>("value").cloned().unwrap_or_default();
            (
                Method::POST,
                "/_sandbox/prices".to_string(),
                Some(json!({"AssetPair": pair, "Price": money("PRICE", &value)?})),
            )
        }
        "deposit" => {
            let account = m.get_one::<i64>("account").copied().unwrap_or_default();
            let amount = m.get_one::<String>("amount").cloned().unwrap_or_default();
            (
                Method::POST,
                "/_sandbox/deposits".to_string(),
                Some(json!({"AccountsId": account, "Amount": money("AMOUNT", &amount)?})),
            )
        }
        "fault" => (Method::POST, "/_sandbox/faults".to_string(), Some(fault(m))),
        "reset" => (Method::POST, "/_sandbox/reset".to_string(), None),
        "revoke-tokens" => (Method::POST, "/_sandbox/auth/revoke".to_string(), None),
        "unlock" => (Method::POST, "/_sandbox/auth/unlock".to_string(), None),
        "auth" => (Method::GET, "/_sandbox/auth".to_string(), None),
        other => {
            return Err(CliError::Usage(format!(
                "unknown sandbox command `{other}`"
            )));
        }
    };
    let details = call(&base, method, &path, body).await?;
    output::write_value(
        format,
        crate::stdout(),
        &details,
        false,
        crate::table_width(),
    )?;
    Ok(())
}

/// `ibanera webhooks listen --forward-to URL`: registers the receiver, prints its secret, then
/// every delivery attempt as it appears in the sandbox's log, until `stop` resolves; then
/// removes the receiver.
pub async fn listen(
    m: &ArgMatches,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), CliError> {
    use std::io::Write;
    let base = base_url(m)?;
    let url = m
        .get_one::<String>("forward_to")
        .cloned()
        .unwrap_or_default();
    let receiver = call(
        &base,
        Method::POST,
        "/_sandbox/webhooks",
        Some(json!({"url": url})),
    )
    .await?;
    let id = receiver
        .get("id")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    let secret = receiver
        .get("secret")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    // Attempts already in the log belong to earlier receivers.
    let mut seen = deliveries(&base).await?.len();
    {
        let mut out = crate::stdout();
        writeln!(
            out,
            "Forwarding the sandbox's callbacks to {url} (receiver {id})."
        )?;
        writeln!(out, "export IBANERA_WEBHOOK_SECRET={secret}")?;
        writeln!(out, "Press Ctrl-C to stop.")?;
        out.flush()?;
    }
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            _ = tokio::time::sleep(std::time::Duration::from_millis(200)) => {}
        }
        let all = deliveries(&base).await?;
        let mut out = crate::stdout();
        for d in all.iter().skip(seen) {
            if d.get("receiverId").and_then(Value::as_i64) != Some(id) {
                continue;
            }
            let text = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let answer = match d.get("status").and_then(Value::as_u64) {
                Some(status) => format!("HTTP {status}"),
                None => format!("no answer ({})", text("error")),
            };
            writeln!(
                out,
                "{}  {}  {}  attempt {}  -> {answer}",
                text("at"),
                text("type"),
                text("eventId"),
                d.get("attempt").and_then(Value::as_u64).unwrap_or(0),
            )?;
        }
        out.flush()?;
        seen = all.len();
    }
    call(
        &base,
        Method::DELETE,
        &format!("/_sandbox/webhooks/{id}"),
        None,
    )
    .await?;
    let mut out = crate::stdout();
    writeln!(out, "Receiver {id} removed.")?;
    out.flush()?;
    Ok(())
}

async fn deliveries(base: &str) -> Result<Vec<Value>, CliError> {
    Ok(
        match call(base, Method::GET, "/_sandbox/webhooks/deliveries", None).await? {
            Value::Array(items) => items,
            _ => Vec::new(),
        },
    )
}

/// The fault description of the control endpoint, from the flags.
fn fault(m: &ArgMatches) -> Value {
    let mut f = Map::new();
    let kind = m.get_one::<String>("kind").cloned().unwrap_or_default();
    f.insert("kind".into(), Value::String(kind));
    if let Some(s) = m.get_one::<u16>("status") {
        f.insert("status".into(), (*s).into());
    }
    if m.get_flag("execute") {
        f.insert("execute".into(), true.into());
    }
    if let Some(v) = m.get_one::<String>("retry_after") {
        f.insert("retryAfter".into(), v.clone().into());
    }
    if let Some(v) = m.get_one::<String>("body") {
        f.insert("body".into(), v.clone().into());
    }
    for key in ["ms", "bytes", "depth"] {
        if let Some(v) = m.get_one::<u64>(key) {
            f.insert(key.into(), (*v).into());
        }
    }
    let path = m.get_one::<String>("path").cloned().unwrap_or_default();
    let count = m.get_one::<u32>("count").copied().unwrap_or(1);
    json!({"Path": path, "Count": count, "Fault": Value::Object(f)})
}

/// One control request; the envelope's `details`, or the sandbox's refusal as an error.
async fn call(
    base: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<Value, CliError> {
    ibanera_rustls();
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| CliError::Sandbox(format!("cannot build an HTTP client: {e}")))?;
    let mut request = http.request(method, format!("{base}{path}"));
    if let Some(b) = &body {
        request = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(b.to_string());
    }
    let response = request.send().await.map_err(|e| {
        CliError::Control(if e.is_connect() {
            format!("cannot connect to the sandbox: is the server at {base} running?")
        } else {
            format!("the sandbox at {base} did not answer: {e}")
        })
    })?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| CliError::Control(format!("the sandbox's answer was cut short: {e}")))?;
    let value: Value = serde_json::from_str(&text).map_err(|_| {
        CliError::Control(format!(
            "HTTP {status} from {base}{path} is not the sandbox's JSON: is {base} a sandbox?"
        ))
    })?;
    let ok = status.is_success() && value.get("status").and_then(Value::as_str) == Some("1");
    if !ok {
        let items: Vec<String> = value
            .get("errors")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|i| {
                        format!(
                            "{} ({})",
                            i.get("messageCode").and_then(Value::as_str).unwrap_or(""),
                            i.get("fieldName").and_then(Value::as_str).unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        return Err(CliError::Control(format!(
            "the sandbox refused {path} (HTTP {status}): {}",
            items.join("; ")
        )));
    }
    Ok(value.get("details").cloned().unwrap_or(Value::Null))
}

/// rustls needs a process-wide crypto provider before the first client (the core installs the
/// same one for its own clients).
fn ibanera_rustls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
