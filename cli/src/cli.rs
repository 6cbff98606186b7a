//! The clap command tree, built from the core's operation table (`ibanera::ops::OPERATIONS`):
//! one subcommand per operation, one flag per argument, help from the table's docs. Nothing
//! about an endpoint is written here; only how a shell user types it.

use std::time::Duration;

use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};
use ibanera::ops::{self, ArgSpec, ArgType, OPERATIONS, OpSpec};
use serde_json::{Map, Value};

use crate::examples;

/// Ids of the connection and output options (they must not collide with an operation's
/// argument names; a unit test checks it).
pub const USERNAME: &str = "username";
pub const PASSWORD: &str = "password";
pub const TOTP_SECRET: &str = "totp_secret";
pub const ACCESS_TOKEN: &str = "access_token";
pub const BASE_URL: &str = "base_url";
pub const ALLOW_INSECURE_HTTP: &str = "allow_insecure_http";
pub const PROXY: &str = "proxy";
pub const OUTPUT: &str = "output";
pub const TIMEOUT: &str = "timeout";
pub const ATTEMPT_TIMEOUT: &str = "attempt_timeout";
pub const MAX_RETRIES: &str = "max_retries";
pub const VERBOSE: &str = "verbose";
/// Hidden: a leftover `--api-key` gets the core's message saying what to pass instead.
pub const LEGACY_API_KEY: &str = "legacy_api_key";
/// `--all` on list subcommands.
pub const ALL: &str = "all";
/// `--out FILE` on list subcommands (Parquet and Arrow output).
pub const OUT: &str = "out";

/// The output formats, as typed after `--output`: the text ones, then the columnar ones of
/// list commands.
pub const FORMATS: &[&str] = &["table", "json", "jsonl", "csv", "parquet", "arrow"];
/// The formats of commands that print one result or a text report (sandbox control).
pub const TEXT_FORMATS: &[&str] = &["table", "json", "jsonl", "csv"];

/// `customers_id` -> `customers-id` (flag and subcommand spelling).
pub fn dashed(name: &str) -> String {
    name.replace('_', "-")
}

/// The id of the positional twin of an operation's `positional` argument.
fn positional_id(name: &str) -> String {
    format!("{name}__positional")
}

/// The areas of the table, in table order (`accounts`, `exchanges`).
pub fn areas() -> Vec<&'static str> {
    let mut areas: Vec<&'static str> = Vec::new();
    for op in OPERATIONS {
        if !areas.contains(&op.area()) {
            areas.push(op.area());
        }
    }
    areas
}

pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  the output could not be written (disk full, ...)
  2  usage: unknown subcommand or flag, missing required flag, bad flag syntax
  3  validation: an argument breaks a rule (amount <= 0, bad date, ...); nothing was sent
  4  API error: the API refused the request (incl. not found, rate limited); each
     (errorType, fieldName, messageCode) is printed on stderr
  5  authentication: the login (username, password, TOTP code) or the session was refused
  6  transport: connection failed, timed out, or the response could not be decoded
  7  configuration: missing or malformed credentials, bad base URL, sandbox cannot start
  8  outcome unknown: a request that moves money may have executed (the connection broke
     after it was sent, or the answer was unreadable); check before repeating it";

fn top_after_help() -> String {
    format!(
        "\
Credentials (prefer the environment: flags are visible in `ps`):
  {user:<22} the API username (or --username)
  {password:<22} the API password (or --password)
  {secret:<22} the base32 TOTP secret or an otpauth:// URI (or --totp-secret)
  {token:<22} a ready access token instead of username and password
  {url:<22} the API base URL (or --base-url), default {default}
  IBANERA_LOG=debug      log every attempt on stderr (or -v / -vv)

Output (--output): table when stdout is a terminal, json otherwise.
  table  columns fitted to the terminal width, long cells cut with an ellipsis
  json   pretty JSON; money as exact decimal strings; with --all a JSON array
         streamed one item per line
  jsonl  one compact JSON object per line (JSON Lines)
  csv    a header row from the item's keys, then one row per item; nested
         objects and lists are JSON-encoded in their cell
  parquet  list commands: a Parquet file (--out FILE), snake_case columns, money
         decimal(38, 18) exact, timestamps in microseconds UTC; with --all streamed
  arrow  list commands: an Arrow IPC stream on stdout (or --out FILE), the same
         columns, for `duckdb`, polars or pyarrow to read from a pipe

{EXIT_CODES_HELP}

Examples:
  $ ibanera sandbox                      # a local API to try things against
  $ ibanera login                        # check the credentials
  $ ibanera accounts list --customers-id 1004
  $ ibanera accounts transactions --accounts-id 1055 --all --output csv > tx.csv
  $ ibanera accounts transactions --all --output parquet --out tx.parquet
  $ ibanera request GET /api/v1/customer/accounts/balances
  $ ibanera totp",
        user = ibanera::ENV_USERNAME,
        password = ibanera::ENV_PASSWORD,
        secret = ibanera::ENV_TOTP_SECRET,
        token = ibanera::ENV_ACCESS_TOKEN,
        url = ibanera::ENV_BASE_URL,
        default = ibanera::DEFAULT_BASE_URL,
    )
}

/// The whole command tree.
pub fn command() -> Command {
    let mut cmd = Command::new("ibanera")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Ibanera Customer API from a shell: one subcommand per endpoint")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(top_after_help())
        .args(connection_args())
        .args(output_args());
    for area in areas() {
        cmd = cmd.subcommand(area_command(area));
    }
    cmd.subcommand(request_command())
        .subcommand(login_command())
        .subcommand(webhooks_command())
        .subcommand(totp_command())
        .subcommand(sandbox_command())
}

const CONNECTION: &str = "Connection options";
const OUTPUT_HEADING: &str = "Output options";

/// The options of every command that talks to the API. Given on the top command or on the
/// subcommand (`ibanera --timeout 5 accounts list` or `ibanera accounts list --timeout 5`);
/// not global, so commands that ignore them (`sandbox`) do not list them in their help.
pub fn connection_args() -> Vec<Arg> {
    vec![
        Arg::new(USERNAME)
            .long("username")
            .value_name("NAME")
            .help_heading(CONNECTION)
            .help(format!("API username [default: ${}]", ibanera::ENV_USERNAME)),
        Arg::new(PASSWORD)
            .long("password")
            .value_name("PASSWORD")
            .help_heading(CONNECTION)
            .help(format!(
                "API password [default: ${}; prefer it: flags show in `ps`]",
                ibanera::ENV_PASSWORD
            )),
        Arg::new(TOTP_SECRET)
            .long("totp-secret")
            .value_name("SECRET")
            .help_heading(CONNECTION)
            .help(format!(
                "base32 TOTP secret or otpauth:// URI [default: ${}]",
                ibanera::ENV_TOTP_SECRET
            )),
        Arg::new(ACCESS_TOKEN)
            .long("access-token")
            .value_name("TOKEN")
            .help_heading(CONNECTION)
            .help(format!(
                "a ready access token instead of username and password [default: ${}]",
                ibanera::ENV_ACCESS_TOKEN
            )),
        Arg::new(LEGACY_API_KEY)
            .long("api-key")
            .value_name("KEY")
            .hide(true),
        Arg::new(BASE_URL)
            .long("base-url")
            .value_name("URL")
            .help_heading(CONNECTION)
            .help(format!(
                "API base URL [default: ${}, else {}]",
                ibanera::ENV_BASE_URL,
                ibanera::DEFAULT_BASE_URL
            )),
        Arg::new(ALLOW_INSECURE_HTTP)
            .long("allow-insecure-http")
            .action(ArgAction::SetTrue)
            .help_heading(CONNECTION)
            .help("permit a plain http:// base URL that is not loopback (a TLS proxy on a private network)"),
        Arg::new(PROXY)
            .long("proxy")
            .value_name("URL")
            .help_heading(CONNECTION)
            .help("send requests through this proxy [default: $HTTPS_PROXY / $ALL_PROXY, minus $NO_PROXY; never for loopback]"),
        Arg::new(TIMEOUT)
            .long("timeout")
            .value_name("SECONDS")
            .help_heading(CONNECTION)
            .value_parser(parse_timeout)
            .help("deadline of a whole call: attempts, waits and a login (2.5, 500ms, 1m) [default: 60]"),
        Arg::new(ATTEMPT_TIMEOUT)
            .long("attempt-timeout")
            .value_name("SECONDS")
            .help_heading(CONNECTION)
            .value_parser(parse_timeout)
            .help("limit of one attempt within the call [default: the call's deadline]"),
        Arg::new(MAX_RETRIES)
            .long("max-retries")
            .value_name("N")
            .help_heading(CONNECTION)
            .value_parser(clap::value_parser!(u32))
            .help("retries of a GET (a POST only if it never left) [default: 2]"),
    ]
}

/// `--output` and `-v`.
pub fn output_args() -> Vec<Arg> {
    vec![
        Arg::new(OUTPUT)
            .long("output")
            .short('o')
            .value_name("FORMAT")
            .help_heading(OUTPUT_HEADING)
            .value_parser(clap::builder::PossibleValuesParser::new(FORMATS))
            .help("output format [default: table on a terminal, json otherwise]"),
        Arg::new(VERBOSE)
            .long("verbose")
            .short('v')
            .action(ArgAction::Count)
            .help_heading(OUTPUT_HEADING)
            .help(
                "log each attempt, retry and login on stderr (-vv: more); also IBANERA_LOG=debug",
            ),
    ]
}

/// `2.5`, `2.5s`, `500ms`, `1m`: a positive duration.
pub fn parse_timeout(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let (number, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds (like 2.5, 500ms or 1m)"))?;
    let seconds = value * scale;
    if !seconds.is_finite() || seconds <= 0.0 || seconds > 86_400.0 {
        return Err("must be greater than 0 and at most one day".to_string());
    }
    Ok(Duration::from_secs_f64(seconds))
}

fn area_command(area: &'static str) -> Command {
    let ops: Vec<&OpSpec> = OPERATIONS.iter().filter(|o| o.area() == area).collect();
    let mut example = String::from("Examples:");
    for op in ops.iter().take(2) {
        example.push_str(&format!("\n  $ {}", examples::command_line(op)));
    }
    // `information-requests`, like the methods (`withdraw-crypto`); the snake_case name works too.
    let mut cmd = Command::new(dashed(area))
        .about(format!(
            "The {} operations of the API",
            area.replace('_', " ")
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(example);
    if area.contains('_') {
        cmd = cmd.alias(area);
    }
    for op in ops {
        cmd = cmd.subcommand(op_command(op));
    }
    cmd
}

fn value_name(arg: &ArgSpec) -> String {
    match arg.ty {
        ArgType::Id => "ID".into(),
        ArgType::Count => "N".into(),
        ArgType::Money => "DECIMAL".into(),
        ArgType::Text => "TEXT".into(),
        ArgType::Date => "DATE".into(),
        ArgType::FxRateId => "FX_RATE_ID".into(),
        ArgType::Enum(_) => arg.name.to_uppercase(),
        ArgType::Object(_) | ArgType::Json => "JSON".into(),
    }
}

/// A doc of the table with the op's snake_case argument names written as flags
/// (`with quantity_type Price` -> `with --quantity-type Price`).
fn with_flags(doc: &str, op: &OpSpec) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('_') && op.args.iter().any(|a| a.name == word.as_str()) {
            out.push_str("--");
            out.push_str(&dashed(word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in doc.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn arg_help(arg: &ArgSpec, op: &OpSpec) -> String {
    let mut help = with_flags(arg.doc, op);
    match arg.ty {
        ArgType::Enum(values) => help.push_str(&format!(" [values: {}]", values.join(", "))),
        ArgType::Date => help.push_str(" [YYYY-MM-DD or an RFC 3339 date-time, UTC]"),
        ArgType::Money => help.push_str(" [exact decimal, e.g. 0.005]"),
        ArgType::Object(fields) => {
            let keys: Vec<String> = fields.iter().map(|f| ops::camel_case(f.name)).collect();
            help.push_str(&format!(
                " [a JSON object: {}; other keys are sent as given]",
                keys.join(", ")
            ));
        }
        ArgType::Json => help.push_str(" [a JSON object, sent as given]"),
        _ => {}
    }
    help
}

/// The subcommand of one operation: `accounts withdraw-crypto --accounts-id ... --amount ...`.
pub fn op_command(op: &'static OpSpec) -> Command {
    let method = op.method();
    let mut cmd = Command::new(dashed(method))
        .about(with_flags(op.doc, op))
        .after_help(examples::help_text(op))
        // `--amount -1` and `get -3` reach the core, which names the rule (exit 3).
        .allow_negative_numbers(true)
        .args(connection_args())
        .args(output_args());
    if method.contains('_') {
        cmd = cmd.alias(method);
    }
    for arg in op.args {
        let is_positional = op.positional == Some(arg.name);
        cmd = cmd.arg(
            Arg::new(arg.name)
                .long(dashed(arg.name))
                .value_name(value_name(arg))
                .help(arg_help(arg, op))
                .required(arg.required && !is_positional),
        );
        if is_positional {
            let pos = positional_id(arg.name);
            cmd = cmd
                .arg(
                    Arg::new(pos.clone())
                        .value_name(value_name(arg))
                        .index(1)
                        .help(format!("{} (same as --{})", arg.doc, dashed(arg.name))),
                )
                .group(
                    ArgGroup::new(format!("{}__either", arg.name))
                        .args([arg.name.to_string(), pos])
                        .required(arg.required)
                        .multiple(false),
                );
        }
    }
    if matches!(
        op.returns,
        ibanera::ops::Returns::Page(_) | ibanera::ops::Returns::List(_)
    ) {
        cmd = cmd.arg(
            Arg::new(OUT)
                .long("out")
                .value_name("FILE")
                .value_parser(clap::value_parser!(std::path::PathBuf))
                .help_heading(OUTPUT_HEADING)
                .help(
                    "with --output parquet (required) or arrow: write this file (complete \
                     or not at all: a failed export leaves no file)",
                ),
        );
    }
    if op.is_paged() {
        cmd = cmd.arg(Arg::new(ALL).long("all").action(ArgAction::SetTrue).help(format!(
            "walk every page from --page-number (default 1) to the end, streaming the items \
             as each page arrives (progress bar with rate and ETA on stderr when it is a \
             terminal); pages of {ALL_PAGE_SIZE} items unless --page-size says otherwise"
        )));
    }
    cmd
}

/// The operation a subcommand path names (`accounts`, `withdraw-crypto`).
pub fn find_op(area: &str, method: &str) -> Option<&'static OpSpec> {
    OPERATIONS
        .iter()
        .find(|op| dashed(op.area()) == area && dashed(op.method()) == method)
}

/// The flags given for `op`, as the object of named arguments `ops::parse` reads: every value
/// a string as typed (money keeps its digits), except a plain integer fx rate id, which goes
/// as a number (quotes return it as one and a sell sends it back unchanged).
pub fn op_arguments(op: &OpSpec, m: &ArgMatches) -> Value {
    let mut map = Map::new();
    for arg in op.args {
        let mut value = m.get_one::<String>(arg.name);
        if value.is_none() && op.positional == Some(arg.name) {
            value = m.get_one::<String>(&positional_id(arg.name));
        }
        if let Some(v) = value {
            map.insert(arg.name.to_string(), typed_value(arg.ty, v));
        }
    }
    Value::Object(map)
}

fn typed_value(ty: ArgType, v: &str) -> Value {
    // Ids and counts are integers to the core; a flag that is not one stays text, and the
    // core names the flag and the rule.
    if matches!(ty, ArgType::Id | ArgType::Count) {
        if let Ok(n) = v.trim().parse::<i64>() {
            return Value::from(n);
        }
    }
    if matches!(ty, ArgType::Object(_) | ArgType::Json) {
        // A JSON object as typed (anything else goes as text: the core names the rule).
        if let Ok(object @ Value::Object(_)) = serde_json::from_str::<Value>(v) {
            return object;
        }
    }
    if ty == ArgType::FxRateId {
        let t = v.trim();
        let canonical = t.parse::<i64>().ok().filter(|n| n.to_string() == t);
        if let Some(n) = canonical {
            return Value::from(n);
        }
    }
    Value::String(v.to_string())
}

/// The name a user typed for an argument: `--destination-address`; a key inside an object
/// argument after its flag (`--shipping-address.shipping_address_city`).
pub fn flag_for(op: &OpSpec, field: &str) -> Option<String> {
    let (head, key) = match field.split_once('.') {
        Some((head, key)) => (head, Some(key)),
        None => (field, None),
    };
    op.args.iter().find(|a| a.name == head).map(|a| match key {
        Some(key) => format!("--{}.{key}", dashed(a.name)),
        None => format!("--{}", dashed(a.name)),
    })
}

/// The page size `--all` asks for unless `--page-size` is given: the largest the sandbox
/// accepts (the provider's pages name no maximum for the Customer API; its QuickBuy list caps at
/// 1000). Fewer, larger pages: 200 requests for 200,000 items instead of 20,000 at the default 10.
pub const ALL_PAGE_SIZE: u32 = 1000;

fn request_command() -> Command {
    Command::new("request")
        .about(
            "Call any endpoint (the escape hatch): authentication, a fresh TOTP code, retries \
             and envelope decoding as for the typed subcommands; prints the envelope's \
             details and paging fields",
        )
        .arg(
            Arg::new("method")
                .value_name("METHOD")
                .required(true)
                .ignore_case(true)
                .value_parser(clap::builder::PossibleValuesParser::new([
                    "GET", "POST", "PUT", "PATCH", "DELETE",
                ]))
                .help("HTTP method (POST, PUT, PATCH, DELETE are never re-sent once they may have arrived)"),
        )
        .arg(
            Arg::new("path")
                .value_name("PATH")
                .required(true)
                .help("path relative to the base URL, e.g. /api/v1/customer/accounts/balances"),
        )
        .arg(
            Arg::new("query")
                .long("query")
                .short('q')
                .value_name("KEY=VALUE")
                .action(ArgAction::Append)
                .value_parser(parse_query_pair)
                .help("a query parameter (repeatable)"),
        )
        .arg(
            Arg::new("data")
                .long("data")
                .short('d')
                .value_name("JSON|@FILE")
                .help("JSON body: inline, @file to read a file, @- to read stdin"),
        )
        .args(connection_args())
        .args(output_args())
        .after_help(
            "Output: JSON {\"id\", \"details\", \"pageNumber\", \"pageSize\", \"numberOfPages\"} (the \
             fields the envelope had), numbers exactly as received. With --output table or csv \
             the details are shown as a table.\n\n\
             Examples:\n  \
             $ ibanera request GET /api/v1/customer/accounts/list-accounts -q customersId=1004 -q pageSize=5\n  \
             $ ibanera request POST /api/v1/customer/crypto-exchanges/reviewquote --data '{\"exchangesId\": 23000}'",
        )
}

fn parse_query_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err("expected KEY=VALUE".to_string()),
    }
}

fn totp_command() -> Command {
    Command::new("totp")
        .about(
            "Print the current TOTP code and the seconds it stays valid (the one command that \
             prints a code, because you asked for it)",
        )
        .arg(
            Arg::new("secret")
                .long("secret")
                .value_name("SECRET")
                .help(format!(
                    "base32 secret or otpauth:// URI [default: --totp-secret, then ${}]",
                    ibanera::ENV_TOTP_SECRET
                )),
        )
        .args(output_args())
        .after_help(
            "Output: {\"code\": \"123456\", \"secondsLeft\": 17} in the chosen format.\n\n\
             Examples:\n  $ ibanera totp\n  $ ibanera totp --output json | jq -r .code",
        )
}

/// `ibanera webhooks verify|listen`.
fn webhooks_command() -> Command {
    Command::new("webhooks")
        .about("Verify a callback's signature, or watch a running sandbox deliver callbacks")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("verify")
                .about(
                    "Verify a callback read from stdin (its raw bytes, as received) and print \
                     the typed event; exit 0 when the signature is right, 9 when it is not",
                )
                .arg(
                    Arg::new("secret")
                        .long("secret")
                        .value_name("SECRET")
                        .help("the hash secret [default: $IBANERA_WEBHOOK_SECRET]"),
                )
                .arg(
                    Arg::new("header")
                        .long("header")
                        .value_name("HEADER")
                        .action(ArgAction::Append)
                        .help(
                            "the signature header as received: `webhook-signature: VALUE` (or \
                             just VALUE); repeatable, a whole header dump works",
                        ),
                )
                .arg(
                    Arg::new("quickbuy")
                        .long("quickbuy")
                        .action(ArgAction::SetTrue)
                        .help("a QuickBuy / QuickBuy Pro callback (header QuickBuy-Signature)"),
                )
                .args(output_args())
                .after_help(
                    "Examples:\n  $ ibanera webhooks verify --secret \"$SECRET\" \
                     --header \"webhook-signature: $SIG\" < body.json",
                ),
        )
        .subcommand(
            Command::new("listen")
                .about(
                    "Register a receiver with a running sandbox, then print each callback \
                     attempt it makes and the receiver's answer, until Ctrl-C (which removes \
                     the receiver)",
                )
                .arg(
                    Arg::new("forward_to")
                        .long("forward-to")
                        .value_name("URL")
                        .required(true)
                        .help("where the sandbox posts the callbacks, e.g. http://127.0.0.1:3000/webhooks"),
                )
                .args(control_args())
                .after_help(
                    "Prints the receiver's hash secret first (as `export \
                     IBANERA_WEBHOOK_SECRET=...`), then one line per delivery attempt.\n\n\
                     Examples:\n  $ ibanera webhooks listen --forward-to http://127.0.0.1:3000/webhooks",
                ),
        )
}

fn login_command() -> Command {
    Command::new("login")
        .about(
            "Log in with the credentials (username, password, TOTP code) and print the \
             session's expiry and the login's id: a check that the credentials work. The token \
             itself is never printed",
        )
        .args(connection_args())
        .args(output_args())
        .after_help(
            "Output: {\"loginId\": 1004, \"expiresAt\": \"2026-12-01T10:00:00Z\", \
             \"expiresInSeconds\": 3600}.\n\n\
             Examples:\n  $ ibanera login\n  $ ibanera login --output json | jq -r .expiresAt",
        )
}

fn sandbox_command() -> Command {
    let id = |action: &'static str, about: &'static str| {
        Command::new(action)
            .about(about)
            .arg(
                Arg::new("id")
                    .value_name("EXCHANGE_ID")
                    .required(true)
                    .value_parser(clap::value_parser!(i64)),
            )
            .args(control_args())
    };
    Command::new("sandbox")
        .about(
            "Start the local sandbox API (stateful, seeded with customers 1004/1005/1006) and \
             serve until Ctrl-C, or move a running sandbox along (approve, price, deposit, \
             fault, ...)",
        )
        .args_conflicts_with_subcommands(true)
        .arg(
            Arg::new("port")
                .long("port")
                .value_name("N")
                .value_parser(clap::value_parser!(u16))
                .default_value("0")
                .help("port on 127.0.0.1 (0 picks a free one)"),
        )
        .arg(
            Arg::new("username")
                .long("username")
                .value_name("NAME")
                .help("the API user's username [default: sandbox-api-user]"),
        )
        .arg(
            Arg::new("password")
                .long("password")
                .value_name("PASSWORD")
                .help("the API user's password [default: random]"),
        )
        .arg(
            Arg::new("totp_secret")
                .long("totp-secret")
                .value_name("SECRET")
                .help("the base32 TOTP secret [default: random]"),
        )
        .arg(
            Arg::new("token_ttl")
                .long("token-ttl")
                .value_name("SECONDS")
                .value_parser(parse_timeout)
                .help("lifetime of the tokens a login hands out [default: 3600]"),
        )
        .arg(
            Arg::new("strict_otp")
                .long("strict-otp")
                .action(ArgAction::SetTrue)
                .help("refuse a TOTP code (time step) that was already accepted"),
        )
        .arg(
            Arg::new("env_file")
                .long("env-file")
                .value_name("FILE")
                .help("also write the `export IBANERA_...=` lines to FILE (for `source FILE`)"),
        )
        .arg(
            Arg::new("print_env")
                .long("print-env")
                .action(ArgAction::SetTrue)
                .help("print only the `export IBANERA_...=` lines on stdout (the rest goes to stderr)"),
        )
        .subcommand(id("approve", "Compliance approves a WaitingForApproval exchange"))
        .subcommand(id("reject", "Compliance rejects a WaitingForApproval exchange"))
        .subcommand(id("complete", "Settle a Pending exchange"))
        .subcommand(id("fail", "Fail a Pending exchange"))
        .subcommand(
            Command::new("price")
                .about("Set a pair's price (one unit of the base asset in the quote asset)")
                .arg(Arg::new("pair").value_name("PAIR").required(true))
                .arg(
                    Arg::new("value")
                        .value_name("PRICE")
                        .required(true)
                        .allow_negative_numbers(true),
                )
                .args(control_args()),
        )
        .subcommand(
            Command::new("deposit")
                .about("Credit an incoming deposit to an account")
                .arg(
                    Arg::new("account")
                        .value_name("ACCOUNT_ID")
                        .required(true)
                        .value_parser(clap::value_parser!(i64)),
                )
                .arg(
                    Arg::new("amount")
                        .value_name("AMOUNT")
                        .required(true)
                        .allow_negative_numbers(true),
                )
                .args(control_args()),
        )
        .subcommand(
            Command::new("fault")
                .about(
                    "Inject a fault into the next requests to PATH (kinds: status, html, delay, \
                     dropBeforeExecute, dropAfterExecute, truncate, malformedJson, statusZero, \
                     oversizeBody, endlessBody, deepJson)",
                )
                .arg(Arg::new("path").value_name("PATH").required(true))
                .arg(Arg::new("kind").value_name("KIND").required(true))
                .arg(
                    Arg::new("status")
                        .long("status")
                        .value_name("CODE")
                        .value_parser(clap::value_parser!(u16))
                        .help("status of a status or html fault"),
                )
                .arg(
                    Arg::new("execute")
                        .long("execute")
                        .action(ArgAction::SetTrue)
                        .help("status/html: execute the request first, then answer with the status"),
                )
                .arg(
                    Arg::new("retry_after")
                        .long("retry-after")
                        .value_name("VALUE")
                        .help("status: the Retry-After header"),
                )
                .arg(Arg::new("body").long("body").value_name("TEXT").help("status: the body"))
                .arg(
                    Arg::new("ms")
                        .long("ms")
                        .value_name("MS")
                        .value_parser(clap::value_parser!(u64))
                        .help("delay: milliseconds"),
                )
                .arg(
                    Arg::new("bytes")
                        .long("bytes")
                        .value_name("N")
                        .value_parser(clap::value_parser!(u64))
                        .help("oversizeBody: body size"),
                )
                .arg(
                    Arg::new("depth")
                        .long("depth")
                        .value_name("N")
                        .value_parser(clap::value_parser!(u64))
                        .help("deepJson: nesting depth"),
                )
                .arg(
                    Arg::new("count")
                        .long("count")
                        .value_name("N")
                        .value_parser(clap::value_parser!(u32))
                        .default_value("1")
                        .help("how many requests the fault applies to"),
                )
                .args(control_args()),
        )
        .subcommand(
            Command::new("reset")
                .about("Back to the seeded world (credentials and tokens stay)")
                .args(control_args()),
        )
        .subcommand(
            Command::new("revoke-tokens")
                .about("Revoke every session token (clients log in again)")
                .args(control_args()),
        )
        .subcommand(
            Command::new("unlock")
                .about("Unlock users locked after failed logins")
                .args(control_args()),
        )
        .subcommand(
            Command::new("auth")
                .about("Login counters: succeeded, failed, active tokens, locked users")
                .args(control_args()),
        )
        .after_help(
            "Credentials are random unless given as flags (the environment variables are not \
             used here, so a new sandbox gets new credentials). The control subcommands talk \
             to the running sandbox at --base-url or $IBANERA_BASE_URL.\n\n\
             Examples:\n  $ ibanera sandbox --port 8080 --token-ttl 60\n  \
             $ ibanera sandbox --env-file sandbox.env & sleep 1; . ./sandbox.env\n  \
             $ ibanera sandbox approve 23000\n  \
             $ ibanera sandbox price BTC/USDC 61000\n  \
             $ ibanera sandbox fault /api/v1/customer/crypto-exchanges/buy status --status 503 --count 2",
        )
}

/// The options of the sandbox control subcommands: where the sandbox is, and the output.
pub(crate) fn control_args() -> Vec<Arg> {
    vec![
        Arg::new(BASE_URL)
            .long("base-url")
            .value_name("URL")
            .help(format!(
                "the running sandbox [default: ${}]",
                ibanera::ENV_BASE_URL
            )),
        Arg::new(OUTPUT)
            .long("output")
            .short('o')
            .value_name("FORMAT")
            .value_parser(clap::builder::PossibleValuesParser::new(TEXT_FORMATS))
            .help("output format [default: table on a terminal, json otherwise]"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ibanera::ops;

    #[test]
    fn the_tree_is_valid_and_covers_every_operation() {
        let cmd = command();
        cmd.clone().debug_assert();
        for op in OPERATIONS {
            let area = cmd.find_subcommand(dashed(op.area())).unwrap();
            assert!(
                area.find_subcommand(dashed(op.method())).is_some(),
                "{}",
                op.name
            );
            assert_eq!(find_op(&dashed(op.area()), &dashed(op.method())), Some(op));
        }
    }

    #[test]
    fn global_options_do_not_collide_with_arguments() {
        for op in OPERATIONS {
            for arg in op.args {
                for global in [
                    USERNAME,
                    PASSWORD,
                    TOTP_SECRET,
                    ACCESS_TOKEN,
                    LEGACY_API_KEY,
                    BASE_URL,
                    ALLOW_INSECURE_HTTP,
                    PROXY,
                    OUTPUT,
                    TIMEOUT,
                    ATTEMPT_TIMEOUT,
                    MAX_RETRIES,
                    VERBOSE,
                    ALL,
                    OUT,
                ] {
                    assert_ne!(arg.name, global, "{}", op.name);
                }
            }
        }
    }

    #[test]
    fn every_example_parses_with_clap_and_the_core() {
        for op in OPERATIONS {
            let words = examples::words(op);
            let m = command()
                .try_get_matches_from(
                    ["ibanera", &dashed(op.area()), &dashed(op.method())]
                        .into_iter()
                        .map(String::from)
                        .chain(words.iter().map(|w| w.to_string())),
                )
                .unwrap_or_else(|e| panic!("{}: {e}", op.name));
            let (_, area) = m.subcommand().unwrap();
            let (_, sub) = area.subcommand().unwrap();
            let args = op_arguments(op, sub);
            ops::parse(op.name, &args).unwrap_or_else(|e| panic!("{}: {e}", op.name));
        }
    }

    #[test]
    fn positional_and_flag_are_one_argument() {
        let op = ops::find("accounts.get").unwrap();
        let get = |words: &[&str]| {
            command().try_get_matches_from(
                ["ibanera", "accounts", "get"]
                    .iter()
                    .chain(words)
                    .map(|s| s.to_string()),
            )
        };
        for words in [&["1055"][..], &["--id", "1055"]] {
            let m = get(words).unwrap();
            let sub = m.subcommand().unwrap().1.subcommand().unwrap().1;
            assert_eq!(op_arguments(op, sub), serde_json::json!({"id": 1055}));
        }
        assert!(get(&["1055", "--id", "1056"]).is_err());
        assert!(get(&[]).is_err());
    }

    #[test]
    fn fx_rate_ids_keep_their_type() {
        assert_eq!(typed_value(ArgType::FxRateId, "7000"), Value::from(7000));
        assert_eq!(typed_value(ArgType::FxRateId, "0700"), Value::from("0700"));
        assert_eq!(typed_value(ArgType::FxRateId, "FX-9"), Value::from("FX-9"));
        assert_eq!(typed_value(ArgType::Money, "0.005"), Value::from("0.005"));
    }

    #[test]
    fn docs_name_flags() {
        let op = ops::find("exchanges.sell").unwrap();
        assert_eq!(
            with_flags("required unless fx_rate_id is given", op),
            "required unless --fx-rate-id is given"
        );
        assert_eq!(with_flags("amount, > 0", op), "amount, > 0");
    }

    #[test]
    fn timeouts() {
        assert_eq!(parse_timeout("2.5").unwrap(), Duration::from_millis(2500));
        assert_eq!(parse_timeout("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_timeout("1m").unwrap(), Duration::from_secs(60));
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("-1").is_err());
        assert!(parse_timeout("NaN").is_err());
        assert!(parse_timeout("soon").is_err());
    }
}
