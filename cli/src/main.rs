//! `ibanera`: the Ibanera SDK from a shell. See `ibanera --help` and README.md.

mod cli;
mod examples;
mod exit;
mod output;
mod table;

use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::ArgMatches;
use ibanera::ops::{self, OpSpec};
use ibanera::{Client, ClientBuilder, Totp};
use ibanera_sandbox::{Sandbox, SandboxConfig};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Map, Value};

use crate::exit::CliError;
use crate::output::{Format, ListWriter};

/// The product token appended to the core's user agent.
const USER_AGENT_TOKEN: &str = concat!("ibanera-cli/", env!("CARGO_PKG_VERSION"));

fn main() -> ExitCode {
    let matches = match cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            exit::note(&format!("ibanera: error: cannot start the runtime: {e}"));
            return ExitCode::from(exit::CONFIG);
        }
    };
    // A panic is a bug: one line on stderr (never a backtrace dump to a cron mail), exit 1.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        exit::note(&format!(
            "ibanera: internal error (a bug, please report it): {message}{place}"
        ));
    }));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        runtime.block_on(run(&matches))
    }));
    match outcome {
        Err(_) => ExitCode::from(exit::OUTPUT),
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            let report = e.report();
            if !report.is_empty() {
                let _ = io::stderr().lock().write_all(report.as_bytes());
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// The global options as given on the command line (the environment is read by the core).
struct Globals {
    api_key: Option<String>,
    totp_secret: Option<String>,
    base_url: Option<String>,
    format: Option<Format>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
}

impl Globals {
    fn from(m: &ArgMatches) -> Globals {
        let text = |id: &str| m.get_one::<String>(id).cloned();
        Globals {
            api_key: text(cli::API_KEY),
            totp_secret: text(cli::TOTP_SECRET),
            base_url: text(cli::BASE_URL),
            format: m
                .get_one::<String>(cli::OUTPUT)
                .and_then(|f| Format::parse(f)),
            timeout: m.get_one::<Duration>(cli::TIMEOUT).copied(),
            max_retries: m.get_one::<u32>(cli::MAX_RETRIES).copied(),
        }
    }

    /// `--output`, else table on a terminal and json otherwise.
    fn format(&self) -> Format {
        self.format.unwrap_or(if io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        })
    }

    /// A client from the environment, overridden by the flags.
    fn client(&self) -> ibanera::Result<Client> {
        let mut b = ClientBuilder::from_env().user_agent_suffix(USER_AGENT_TOKEN);
        if let Some(k) = &self.api_key {
            b = b.api_key(k.as_str());
        }
        if let Some(s) = &self.totp_secret {
            b = b.totp_secret(s.as_str());
        }
        if let Some(u) = &self.base_url {
            b = b.base_url(u.as_str());
        }
        if let Some(t) = self.timeout {
            b = b.timeout(t);
        }
        if let Some(r) = self.max_retries {
            b = b.max_retries(r);
        }
        b.build()
    }
}

/// The width tables are fitted to: `COLUMNS` when set, else the terminal's, else unlimited.
fn table_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0);
    columns.or_else(|| {
        io::stdout()
            .is_terminal()
            .then(terminal_size::terminal_size)
            .flatten()
            .map(|(w, _)| usize::from(w.0))
    })
}

fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

async fn run(m: &ArgMatches) -> Result<(), CliError> {
    let Some((name, sub)) = m.subcommand() else {
        return Err(CliError::Usage("a subcommand is required".into()));
    };
    match name {
        "request" => request(sub).await,
        "totp" => totp(sub),
        "sandbox" => sandbox(sub).await,
        area => {
            let Some((method, leaf)) = sub.subcommand() else {
                return Err(CliError::Usage(format!(
                    "`ibanera {area}` needs an operation"
                )));
            };
            let op = cli::find_op(area, method)
                .ok_or_else(|| CliError::Usage(format!("unknown operation {area} {method}")))?;
            operation(op, leaf).await
        }
    }
}

/// One typed operation: flags -> `ops::parse` (the core validates) -> call -> output.
async fn operation(op: &'static OpSpec, m: &ArgMatches) -> Result<(), CliError> {
    let g = Globals::from(m);
    let sdk = |e: ibanera::Error| CliError::Sdk(e, Some(op));
    let call = parse_call(op, &cli::op_arguments(op, m))?;
    let client = g.client().map_err(sdk)?;
    let format = g.format();
    let width = table_width();
    if op.is_paged() && m.get_flag(cli::ALL) {
        let Some(mut pager) = call.pager_json(&client) else {
            return Err(CliError::Usage(format!("{} has no pages to walk", op.name)));
        };
        let mut list = ListWriter::streaming(format, stdout(), width);
        let mut progress = Progress::start();
        loop {
            let page = match pager.next_page().await {
                Ok(Some(page)) => page,
                Ok(None) => break,
                Err(e) => {
                    progress.abandon();
                    return Err(sdk(e));
                }
            };
            progress.suspend(|| list.write_items(&page.items))?;
            progress.page(page.number_of_pages, page.page_number, list.count());
        }
        progress.finish(list.count());
        list.finish()?;
    } else {
        let value = call.run_json(&client).await.map_err(sdk)?;
        // An operation that returns nothing (simulations payin): `null` in JSON, no table.
        if value.is_null() && format != output::Format::Json {
            return Ok(());
        }
        output::write_value(format, stdout(), &value, op.is_paged(), width)?;
    }
    Ok(())
}

/// `ops::parse`: the core reads and validates the flag values.
fn parse_call(op: &'static OpSpec, args: &Value) -> Result<ops::Call, CliError> {
    ops::parse(op.name, args).map_err(|e| CliError::Sdk(e.into(), Some(op)))
}

/// The `--all` progress bar: on stderr, only when stderr is a terminal.
struct Progress {
    bar: Option<ProgressBar>,
    /// The page the walk started at.
    first: Option<u32>,
}

impl Progress {
    fn start() -> Progress {
        if !io::stderr().is_terminal() {
            return Progress {
                bar: None,
                first: None,
            };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] [{wide_bar}] page {pos}/{len}, {msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message("0 items");
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress {
            bar: Some(bar),
            first: None,
        }
    }

    fn page(&mut self, total: Option<u32>, number: Option<u32>, items: u64) {
        if let Some(bar) = &self.bar {
            if self.first.is_none() {
                self.first = number;
            }
            if let (Some(total), Some(first)) = (total, self.first) {
                bar.set_length(u64::from(total.saturating_sub(first) + 1));
            }
            bar.inc(1);
            bar.set_message(format!("{items} items"));
        }
    }

    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn finish(&self, items: u64) {
        if let Some(bar) = &self.bar {
            bar.finish_with_message(format!("{items} items"));
        }
    }

    fn abandon(&self) {
        if let Some(bar) = &self.bar {
            bar.abandon();
        }
    }
}

/// `ibanera request METHOD PATH [--query K=V]... [--data JSON|@FILE]`.
async fn request(m: &ArgMatches) -> Result<(), CliError> {
    let g = Globals::from(m);
    let method_name = m
        .get_one::<String>("method")
        .map(|s| s.to_ascii_uppercase())
        .unwrap_or_default();
    let method = ibanera::endpoint::parse_method(&method_name)
        .map_err(|e| CliError::Usage(format!("`{method_name}` {}", e.rule)))?;
    let path = m.get_one::<String>("path").cloned().unwrap_or_default();
    let query: Vec<(String, String)> = m
        .get_many::<(String, String)>("query")
        .map(|pairs| pairs.cloned().collect())
        .unwrap_or_default();
    let query_refs: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let body = m
        .get_one::<String>("data")
        .map(|d| read_data(d))
        .transpose()?;
    let client = g.client()?;
    let envelope = client
        .request(method, &path, &query_refs, body.as_ref())
        .await?;
    let format = g.format.unwrap_or(Format::Json);
    let width = table_width();
    match format {
        Format::Json | Format::Jsonl => {
            let mut out = Map::new();
            if let Some(id) = envelope.id {
                out.insert("id".into(), id.into());
            }
            let paging = [
                ("pageNumber", envelope.page_number),
                ("pageSize", envelope.page_size),
                ("numberOfPages", envelope.number_of_pages),
            ];
            out.insert("details".into(), envelope.details);
            for (key, value) in paging {
                if let Some(v) = value {
                    out.insert(key.into(), v.into());
                }
            }
            output::write_value(format, stdout(), &Value::Object(out), false, width)?;
        }
        Format::Table | Format::Csv => {
            output::write_value(format, stdout(), &envelope.details, false, width)?;
        }
    }
    Ok(())
}

/// `--data`: inline JSON, `@file`, or `@-` for stdin.
fn read_data(data: &str) -> Result<Value, CliError> {
    let text = match data.strip_prefix('@') {
        Some("-") => {
            let mut s = String::new();
            io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| CliError::Usage(format!("cannot read --data from stdin: {e}")))?;
            s
        }
        Some(file) => std::fs::read_to_string(file)
            .map_err(|e| CliError::Usage(format!("cannot read --data file `{file}`: {e}")))?,
        None => data.to_string(),
    };
    serde_json::from_str(&text).map_err(|e| CliError::Usage(format!("--data is not JSON: {e}")))
}

/// `ibanera totp`: the current code and the seconds it stays valid.
fn totp(m: &ArgMatches) -> Result<(), CliError> {
    let g = Globals::from(m);
    let secret = m
        .get_one::<String>("secret")
        .cloned()
        .or_else(|| g.totp_secret.clone())
        .or_else(|| std::env::var(ibanera::ENV_TOTP_SECRET).ok())
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            ibanera::Error::Config(format!(
                "no TOTP secret: pass --secret or set {}",
                ibanera::ENV_TOTP_SECRET
            ))
        })?;
    let totp = Totp::new(&secret)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let code = totp.code_at(now);
    let mut value = Map::new();
    value.insert("code".into(), Value::String(code.expose().to_string()));
    value.insert("secondsLeft".into(), totp.seconds_left_at(now).into());
    output::write_value(
        g.format(),
        stdout(),
        &Value::Object(value),
        false,
        table_width(),
    )?;
    Ok(())
}

/// `ibanera sandbox`: the embedded sandbox until Ctrl-C (or SIGTERM).
async fn sandbox(m: &ArgMatches) -> Result<(), CliError> {
    let g = Globals::from(m);
    let strict_otp = m.get_flag("strict_otp");
    let config = SandboxConfig {
        port: m.get_one::<u16>("port").copied().unwrap_or(0),
        api_key: g.api_key.clone(),
        totp_secret: g.totp_secret.clone(),
        strict_otp,
    };
    let sandbox = Sandbox::start_with(config)
        .await
        .map_err(|e| CliError::Sandbox(e.to_string()))?;
    {
        let mut out = stdout();
        let url = sandbox.base_url();
        writeln!(out, "Ibanera sandbox listening on {url}")?;
        writeln!(out, "API key:     {}", sandbox.api_key())?;
        writeln!(out, "TOTP secret: {}", sandbox.totp_secret())?;
        if strict_otp {
            writeln!(out, "Strict OTP:  on (a code is accepted once)")?;
        }
        writeln!(out)?;
        writeln!(out, "export {}={url}", ibanera::ENV_BASE_URL)?;
        writeln!(out, "export {}={}", ibanera::ENV_API_KEY, sandbox.api_key())?;
        writeln!(
            out,
            "export {}={}",
            ibanera::ENV_TOTP_SECRET,
            sandbox.totp_secret()
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "Seeded: customers 1004 (manager), 1005, 1006 (KYC not verified); accounts 1055-1058, 1060-1062."
        )?;
        writeln!(out, "Try:    ibanera accounts list --customers-id 1004")?;
        writeln!(out, "Press Ctrl-C to stop.")?;
        out.flush()?;
    }
    stopped().await;
    sandbox.shutdown().await;
    let mut out = stdout();
    writeln!(out, "Sandbox stopped.")?;
    out.flush()?;
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
