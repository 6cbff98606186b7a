//! The clap command tree, built from the core's operation table (`ibanera::ops::OPERATIONS`):
//! one subcommand per operation, one flag per argument, help from the table's docs. Nothing
//! about an endpoint is written here; only how a shell user types it.

use std::time::Duration;

use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command};
use ibanera::ops::{self, ArgSpec, ArgType, OPERATIONS, OpSpec};
use serde_json::{Map, Value};

use crate::examples;

/// Ids of the global options (they must not collide with an operation's argument names; a unit
/// test checks it).
pub const API_KEY: &str = "api_key";
pub const TOTP_SECRET: &str = "totp_secret";
pub const BASE_URL: &str = "base_url";
pub const OUTPUT: &str = "output";
pub const TIMEOUT: &str = "timeout";
pub const MAX_RETRIES: &str = "max_retries";
/// `--all` on list subcommands.
pub const ALL: &str = "all";

/// The output formats, as typed after `--output`.
pub const FORMATS: &[&str] = &["table", "json", "jsonl", "csv"];

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
  5  authentication: the API key or the TOTP code was refused (HTTP 401/403)
  6  transport: connection failed, timed out, or the response could not be decoded
  7  configuration: missing or malformed credentials, bad base URL, sandbox cannot start";

fn top_after_help() -> String {
    format!(
        "\
Credentials (prefer the environment: flags are visible in `ps`):
  {key:<20} the API key (or --api-key)
  {secret:<20} the base32 TOTP secret or an otpauth:// URI (or --totp-secret)
  {url:<20} the API base URL (or --base-url), default {default}

Output (--output): table when stdout is a terminal, json otherwise.
  table  columns fitted to the terminal width, long cells cut with an ellipsis
  json   pretty JSON; money as exact decimal strings; with --all a JSON array
         streamed one item per line
  jsonl  one compact JSON object per line (JSON Lines)
  csv    a header row from the item's keys, then one row per item; nested
         objects and lists are JSON-encoded in their cell

{EXIT_CODES_HELP}

Examples:
  $ ibanera sandbox                      # a local API to try things against
  $ ibanera accounts list --customers-id 1004
  $ ibanera accounts transactions --accounts-id 1055 --all --output csv > tx.csv
  $ ibanera request GET /api/v1/customer/accounts/balances
  $ ibanera totp",
        key = ibanera::ENV_API_KEY,
        secret = ibanera::ENV_TOTP_SECRET,
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
        .args(global_args());
    for area in areas() {
        cmd = cmd.subcommand(area_command(area));
    }
    cmd.subcommand(request_command())
        .subcommand(totp_command())
        .subcommand(sandbox_command())
}

fn global_args() -> Vec<Arg> {
    let heading = "Global options";
    vec![
        Arg::new(API_KEY)
            .long("api-key")
            .value_name("KEY")
            .global(true)
            .help_heading(heading)
            .help(format!(
                "API key [default: ${}; prefer it: flags show in `ps`]",
                ibanera::ENV_API_KEY
            )),
        Arg::new(TOTP_SECRET)
            .long("totp-secret")
            .value_name("SECRET")
            .global(true)
            .help_heading(heading)
            .help(format!(
                "base32 TOTP secret or otpauth:// URI [default: ${}]",
                ibanera::ENV_TOTP_SECRET
            )),
        Arg::new(BASE_URL)
            .long("base-url")
            .value_name("URL")
            .global(true)
            .help_heading(heading)
            .help(format!(
                "API base URL [default: ${}, else {}]",
                ibanera::ENV_BASE_URL,
                ibanera::DEFAULT_BASE_URL
            )),
        Arg::new(OUTPUT)
            .long("output")
            .short('o')
            .value_name("FORMAT")
            .global(true)
            .help_heading(heading)
            .value_parser(clap::builder::PossibleValuesParser::new(FORMATS))
            .help("output format [default: table on a terminal, json otherwise]"),
        Arg::new(TIMEOUT)
            .long("timeout")
            .value_name("SECONDS")
            .global(true)
            .help_heading(heading)
            .value_parser(parse_timeout)
            .help("per-attempt timeout in seconds (2.5, or 500ms, 1m) [default: 30]"),
        Arg::new(MAX_RETRIES)
            .long("max-retries")
            .value_name("N")
            .global(true)
            .help_heading(heading)
            .value_parser(clap::value_parser!(u32))
            .help("retries of a GET (a POST only if it never left) [default: 2]"),
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
        .allow_negative_numbers(true);
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
    if op.is_paged() {
        cmd = cmd.arg(Arg::new(ALL).long("all").action(ArgAction::SetTrue).help(
            "walk every page from --page-number (default 1) to the end, streaming \
                     the items as each page arrives (progress bar on stderr when it is a terminal)",
        ));
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
        .after_help(
            "Output: {\"code\": \"123456\", \"secondsLeft\": 17} in the chosen format.\n\n\
             Examples:\n  $ ibanera totp\n  $ ibanera totp --output json | jq -r .code",
        )
}

fn sandbox_command() -> Command {
    Command::new("sandbox")
        .about(
            "Start the local sandbox API (stateful, seeded with customers 1004/1005/1006) and \
             serve until Ctrl-C; prints ready-to-paste `export IBANERA_...=` lines",
        )
        .arg(
            Arg::new("port")
                .long("port")
                .value_name("N")
                .value_parser(clap::value_parser!(u16))
                .default_value("0")
                .help("port on 127.0.0.1 (0 picks a free one)"),
        )
        .arg(
            Arg::new("strict_otp")
                .long("strict-otp")
                .action(ArgAction::SetTrue)
                .help("refuse a TOTP code (time step) that was already accepted"),
        )
        .after_help(
            "Credentials are random unless --api-key / --totp-secret are given as flags (the \
             environment variables are not used here, so a new sandbox gets new credentials).\n\n\
             Examples:\n  $ ibanera sandbox --port 8080\n  \
             $ ibanera sandbox > sandbox.txt & sleep 1; eval \"$(grep ^export sandbox.txt)\"",
        )
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
                    API_KEY,
                    TOTP_SECRET,
                    BASE_URL,
                    OUTPUT,
                    TIMEOUT,
                    MAX_RETRIES,
                    ALL,
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
            assert_eq!(op_arguments(op, sub), serde_json::json!({"id": "1055"}));
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
