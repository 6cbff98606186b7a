//! `ibanera`: the Ibanera SDK from a shell. See `ibanera --help` and README.md.

mod cli;
mod columnar;
mod control;
mod examples;
mod exit;
mod output;
mod table;

use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::ArgMatches;
use ibanera::ops::{self, OpSpec};
use ibanera::{Client, ClientBuilder, Frontend, Totp};
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

/// The connection and output options as given on the command line: on the top command or on
/// the subcommand (the subcommand's win). The environment is read by the core.
pub(crate) struct Globals {
    username: Option<String>,
    password: Option<String>,
    totp_secret: Option<String>,
    access_token: Option<String>,
    legacy_api_key: bool,
    base_url: Option<String>,
    allow_insecure_http: bool,
    proxy: Option<String>,
    format: Option<Format>,
    /// `--output parquet` or `arrow` (list commands only).
    columnar: Option<columnar::Kind>,
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    max_retries: Option<u32>,
}

/// A value of `id` in the first of `levels` (innermost first) that defines and has it.
fn option<T: Clone + Send + Sync + 'static>(levels: &[&ArgMatches], id: &str) -> Option<T> {
    levels
        .iter()
        .find_map(|m| m.try_get_one::<T>(id).ok().flatten().cloned())
}

fn flag(levels: &[&ArgMatches], id: &str) -> bool {
    levels
        .iter()
        .any(|m| m.try_get_one::<bool>(id).ok().flatten().copied() == Some(true))
}

/// `-v` counts, summed over the levels.
fn verbosity(levels: &[&ArgMatches]) -> u8 {
    levels
        .iter()
        .filter_map(|m| m.try_get_one::<u8>(cli::VERBOSE).ok().flatten().copied())
        .sum()
}

impl Globals {
    /// `levels`: the innermost subcommand's matches first, the top command's last.
    fn from(levels: &[&ArgMatches]) -> Globals {
        let text = |id: &str| option::<String>(levels, id);
        Globals {
            username: text(cli::USERNAME),
            password: text(cli::PASSWORD),
            totp_secret: text(cli::TOTP_SECRET),
            access_token: text(cli::ACCESS_TOKEN),
            legacy_api_key: text(cli::LEGACY_API_KEY).is_some(),
            base_url: text(cli::BASE_URL),
            allow_insecure_http: flag(levels, cli::ALLOW_INSECURE_HTTP),
            proxy: text(cli::PROXY),
            format: text(cli::OUTPUT).and_then(|f| Format::parse(&f)),
            columnar: text(cli::OUTPUT).and_then(|f| columnar::Kind::parse(&f)),
            timeout: option::<Duration>(levels, cli::TIMEOUT),
            attempt_timeout: option::<Duration>(levels, cli::ATTEMPT_TIMEOUT),
            max_retries: option::<u32>(levels, cli::MAX_RETRIES),
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

    /// The base URL calls go to (for messages): the flag, the environment, the default.
    pub(crate) fn shown_base_url(&self) -> String {
        self.base_url
            .clone()
            .or_else(|| std::env::var(ibanera::ENV_BASE_URL).ok())
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| ibanera::DEFAULT_BASE_URL.to_string())
    }

    /// A client from the environment, overridden by the flags.
    fn client(&self) -> ibanera::Result<Client> {
        let mut b = ClientBuilder::from_env()
            .frontend(Frontend::Cli)
            .user_agent_suffix(USER_AGENT_TOKEN);
        if self.legacy_api_key {
            #[allow(deprecated)]
            {
                b = b.api_key("");
            }
        }
        if let Some(u) = &self.username {
            b = b.username(u.as_str());
        }
        if let Some(p) = &self.password {
            b = b.password(p.as_str());
        }
        if let Some(s) = &self.totp_secret {
            b = b.totp_secret(s.as_str());
        }
        if let Some(t) = &self.access_token {
            b = b.access_token(t.as_str());
        }
        if let Some(u) = &self.base_url {
            b = b.base_url(u.as_str());
        }
        if let Some(p) = &self.proxy {
            b = b.proxy(p.as_str());
        }
        if let Some(t) = self.timeout {
            b = b.timeout(t);
        }
        if let Some(t) = self.attempt_timeout {
            b = b.attempt_timeout(t);
        }
        if let Some(r) = self.max_retries {
            b = b.max_retries(r);
        }
        b.allow_insecure_http(self.allow_insecure_http).build()
    }
}

/// The width tables are fitted to: `COLUMNS` when set, else the terminal's, else unlimited.
pub(crate) fn table_width() -> Option<usize> {
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

pub(crate) fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

async fn run(m: &ArgMatches) -> Result<(), CliError> {
    let Some((name, sub)) = m.subcommand() else {
        return Err(CliError::Usage("a subcommand is required".into()));
    };
    if matches!(name, "request" | "login" | "totp") && Globals::from(&[sub, m]).columnar.is_some() {
        return Err(CliError::Usage(format!(
            "--output parquet and arrow write lists; `ibanera {name}` prints one result (use \
             --output json)"
        )));
    }
    match name {
        "request" => request(&[sub, m]).await,
        "login" => login(&[sub, m]).await,
        "webhooks" => webhooks(sub).await,
        "totp" => totp(sub, m),
        "sandbox" => sandbox(sub).await,
        area => {
            let Some((method, leaf)) = sub.subcommand() else {
                return Err(CliError::Usage(format!(
                    "`ibanera {area}` needs an operation"
                )));
            };
            let op = cli::find_op(area, method)
                .ok_or_else(|| CliError::Usage(format!("unknown operation {area} {method}")))?;
            operation(op, &[leaf, m]).await
        }
    }
}

/// Logging on stderr: `-v` info, `-vv` debug, or `IBANERA_LOG` (a level, or env_logger's
/// filter syntax). Only the SDK's own records (`ibanera` target): they never hold a secret.
fn init_logging(levels: &[&ArgMatches]) {
    let level = match verbosity(levels) {
        0 => None,
        1 => Some("ibanera=info"),
        _ => Some("ibanera=debug"),
    };
    let from_env = std::env::var("IBANERA_LOG")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let filter = match (level, from_env) {
        (Some(l), _) => l.to_string(),
        (None, Some(v)) if !v.contains('=') => format!("ibanera={v}"),
        (None, Some(v)) => v,
        (None, None) => return,
    };
    let _ = env_logger::Builder::new()
        .parse_filters(&filter)
        .format_timestamp_millis()
        .target(env_logger::Target::Stderr)
        .try_init();
}

/// One typed operation: flags -> `ops::parse` (the core validates) -> call -> output.
async fn operation(op: &'static OpSpec, levels: &[&ArgMatches]) -> Result<(), CliError> {
    init_logging(levels);
    let m = levels[0];
    let g = Globals::from(levels);
    let sdk = |e: ibanera::Error| CliError::sdk(e, Some(op), &g);
    let mut args = cli::op_arguments(op, m);
    let all = op.is_paged() && m.get_flag(cli::ALL);
    if all && op.args.iter().any(|a| a.name == "page_size") {
        if let Value::Object(map) = &mut args {
            map.entry("page_size")
                .or_insert_with(|| Value::from(cli::ALL_PAGE_SIZE));
        }
    }
    let call = parse_call(op, &args)?;
    let out = m.try_get_one::<std::path::PathBuf>(cli::OUT).ok().flatten();
    if out.is_some() && g.columnar.is_none() {
        return Err(CliError::Usage(
            "--out is for --output parquet or arrow (text formats go to stdout)".into(),
        ));
    }
    let client = g.client().map_err(sdk)?;
    if let Some(kind) = g.columnar {
        return columnar::export(op, &call, &client, kind, out.map(|p| p.as_path()), all, sdk)
            .await;
    }
    let format = g.format();
    let width = table_width();
    if all {
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
        progress.finish(list.count(), None);
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

/// `ibanera webhooks verify`: the signature checked on the raw bytes of stdin (the core's
/// `webhooks`), the typed event printed.
async fn webhooks(m: &ArgMatches) -> Result<(), CliError> {
    let Some((action, sub)) = m.subcommand() else {
        return Err(CliError::Usage("`ibanera webhooks` needs verify".into()));
    };
    match action {
        "verify" => {
            let secret = sub
                .get_one::<String>("secret")
                .cloned()
                .or_else(|| std::env::var("IBANERA_WEBHOOK_SECRET").ok())
                .unwrap_or_default();
            let quickbuy = sub.get_flag("quickbuy");
            let name = if quickbuy {
                ibanera::webhooks::QUICKBUY_SIGNATURE_HEADER
            } else {
                ibanera::webhooks::SIGNATURE_HEADER
            };
            // `Name: value` lines, or a bare value taken as the signature header's.
            let headers: Vec<(String, String)> = sub
                .get_many::<String>("header")
                .map(|values| {
                    values
                        .flat_map(|v| v.lines().map(str::to_string).collect::<Vec<_>>())
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| match l.split_once(':') {
                            Some((k, v)) if !k.trim().contains(' ') && !k.trim().is_empty() => {
                                (k.trim().to_string(), v.trim().to_string())
                            }
                            _ => (name.to_string(), l.trim().to_string()),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut body = Vec::new();
            io::stdin().read_to_end(&mut body).map_err(|e| {
                CliError::Usage(format!("cannot read the callback from stdin: {e}"))
            })?;
            let pairs: Vec<(&str, &str)> = headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let value = if quickbuy {
                serde_json::to_value(ibanera::webhooks::construct_quickbuy_event_from_headers(
                    &body, pairs, &secret,
                )?)
            } else {
                serde_json::to_value(ibanera::webhooks::construct_event_from_headers(
                    &body, pairs, &secret,
                )?)
            }
            .map_err(|e| CliError::Usage(format!("cannot show the event: {e}")))?;
            output::write_value(
                Globals::from(&[sub]).format(),
                stdout(),
                &value,
                false,
                table_width(),
            )?;
            Ok(())
        }
        "listen" => control::listen(sub, stopped()).await,
        other => Err(CliError::Usage(format!(
            "unknown webhooks command `{other}`"
        ))),
    }
}

/// `ibanera login`: logs in and prints the session (never the token).
async fn login(levels: &[&ArgMatches]) -> Result<(), CliError> {
    init_logging(levels);
    let g = Globals::from(levels);
    let client = g.client().map_err(|e| CliError::sdk(e, None, &g))?;
    let info = client
        .login()
        .await
        .map_err(|e| CliError::sdk(e, None, &g))?;
    let mut value = Map::new();
    value.insert(
        "loginId".into(),
        info.login_id.map(Value::from).unwrap_or(Value::Null),
    );
    value.insert(
        "expiresAt".into(),
        info.expires_at
            .map(|t| Value::String(ibanera::time::format_timestamp(&t)))
            .unwrap_or(Value::Null),
    );
    value.insert(
        "expiresInSeconds".into(),
        info.expires_in
            .map(|d| Value::from(d.as_secs()))
            .unwrap_or(Value::Null),
    );
    output::write_value(
        g.format(),
        stdout(),
        &Value::Object(value),
        false,
        table_width(),
    )?;
    Ok(())
}

/// `ops::parse`: the core reads and validates the flag values.
fn parse_call(op: &'static OpSpec, args: &Value) -> Result<ops::Call, CliError> {
    ops::parse(op.name, args).map_err(|e| CliError::Sdk(Box::new(e.into()), Some(op), None))
}

/// The `--all` progress bar: on stderr, only when stderr is a terminal.
struct Progress {
    bar: Option<ProgressBar>,
    /// The page the walk started at.
    first: Option<u32>,
    /// Whether the number of pages is known (and the bar shown).
    sized: bool,
}

impl Progress {
    fn start() -> Progress {
        if !io::stderr().is_terminal() {
            return Progress {
                bar: None,
                first: None,
                sized: false,
            };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        // Until the first page tells the number of pages there is no bar to fill (nor an ETA).
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}") {
            bar.set_style(style);
        }
        bar.set_message("waiting for the first page");
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress {
            bar: Some(bar),
            first: None,
            sized: false,
        }
    }

    fn page(&mut self, total: Option<u32>, number: Option<u32>, items: u64) {
        if let Some(bar) = &self.bar {
            if self.first.is_none() {
                self.first = number;
            }
            // The counts first: the bar may be drawn (by its ticker) between any two of these.
            let seconds = bar.elapsed().as_secs_f64();
            let rate = if seconds > 0.0 {
                format!(" ({:.0} items/s)", items as f64 / seconds)
            } else {
                String::new()
            };
            bar.set_message(format!("{items} items{rate}"));
            bar.inc(1);
            if let (Some(total), Some(first)) = (total, self.first) {
                bar.set_length(u64::from(total.saturating_sub(first) + 1));
                if !self.sized {
                    self.sized = true;
                    if let Ok(style) = ProgressStyle::with_template(
                        "{spinner} [{elapsed_precise}] [{wide_bar}] page {pos}/{len}, {msg}, ETA {eta}",
                    ) {
                        bar.set_style(style.progress_chars("=> "));
                    }
                }
            }
        }
    }

    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Replaces the bar with a one-line summary ending in a newline (a bar left drawn has none,
    /// and the shell's prompt would follow it on the same line).
    fn finish(&self, items: u64, written_to: Option<&str>) {
        if let Some(bar) = &self.bar {
            let pages = bar.position();
            let seconds = bar.elapsed().as_secs_f64();
            bar.finish_and_clear();
            let to = written_to
                .map(|f| format!(" written to {f}"))
                .unwrap_or_default();
            eprintln!(
                "{items} items from {pages} page{} in {seconds:.1} s{to}",
                if pages == 1 { "" } else { "s" }
            );
        }
    }

    /// Leaves the bar where the walk stopped, on a line of its own for the error that follows.
    fn abandon(&self) {
        if let Some(bar) = &self.bar {
            bar.abandon();
            eprintln!();
        }
    }
}

/// `ibanera request METHOD PATH [--query K=V]... [--data JSON|@FILE]`.
async fn request(levels: &[&ArgMatches]) -> Result<(), CliError> {
    init_logging(levels);
    let m = levels[0];
    let g = Globals::from(levels);
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
    let client = g.client().map_err(|e| CliError::sdk(e, None, &g))?;
    let envelope = client
        .request(method, &path, &query_refs, body.as_ref())
        .await
        .map_err(|e| CliError::sdk(e, None, &g))?;
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
fn totp(m: &ArgMatches, top: &ArgMatches) -> Result<(), CliError> {
    let g = Globals::from(&[m, top]);
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

/// `ibanera sandbox`: the embedded sandbox until Ctrl-C (or SIGTERM), or a control command to
/// a running one.
async fn sandbox(m: &ArgMatches) -> Result<(), CliError> {
    if let Some((action, sub)) = m.subcommand() {
        return control::run(action, sub).await;
    }
    let text = |id: &str| m.get_one::<String>(id).cloned();
    let strict_otp = m.get_flag("strict_otp");
    let config = SandboxConfig {
        port: m.get_one::<u16>("port").copied().unwrap_or(0),
        username: text("username"),
        password: text("password"),
        totp_secret: text("totp_secret"),
        token_ttl: m.get_one::<Duration>("token_ttl").copied(),
        strict_otp,
        ..Default::default()
    };
    let sandbox = Sandbox::start_with(config)
        .await
        .map_err(|e| CliError::Sandbox(e.to_string()))?;
    let env = sandbox.env_lines();
    if let Some(file) = text("env_file") {
        std::fs::write(&file, &env).map_err(|e| {
            CliError::Sandbox(format!("cannot write the environment file `{file}`: {e}"))
        })?;
    }
    let print_env = m.get_flag("print_env");
    {
        // With --print-env, stdout carries only the export lines (for eval or a file).
        let mut out: Box<dyn Write> = if print_env {
            Box::new(io::stderr().lock())
        } else {
            Box::new(stdout())
        };
        let banner = sandbox.banner();
        let banner = banner
            .split("\nexport ")
            .next()
            .unwrap_or(&banner)
            .trim_end();
        writeln!(out, "{banner}")?;
        if !print_env {
            writeln!(out)?;
            write!(out, "{env}")?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "Seeded: customers 1004 (manager), 1005, 1006 (KYC not verified); accounts 1055-1058, 1060-1062."
        )?;
        writeln!(out, "Try:    ibanera accounts list --customers-id 1004")?;
        writeln!(out, "Press Ctrl-C to stop.")?;
        out.flush()?;
    }
    if print_env {
        let mut out = stdout();
        write!(out, "{env}")?;
        out.flush()?;
    }
    stopped().await;
    sandbox.shutdown().await;
    let mut out: Box<dyn Write> = if print_env {
        Box::new(io::stderr().lock())
    } else {
        Box::new(stdout())
    };
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
