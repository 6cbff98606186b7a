//! Exit codes a script can branch on, and error reports on stderr. No report ever contains a
//! credential: the core's errors never hold one, and the CLI adds only flag names and rules.

use std::io;

use ibanera::ops::OpSpec;
use ibanera::{Error, ErrorKind, ValidationError};

use crate::cli::flag_for;

pub const OK: u8 = 0;
pub const OUTPUT: u8 = 1;
pub const USAGE: u8 = 2;
pub const VALIDATION: u8 = 3;
pub const API: u8 = 4;
pub const AUTHENTICATION: u8 = 5;
pub const TRANSPORT: u8 = 6;
pub const CONFIG: u8 = 7;
pub const OUTCOME_UNKNOWN: u8 = 8;
pub const SIGNATURE: u8 = 9;

/// A line on stderr (a failed write to stderr is ignored, never a panic).
pub fn note(line: &str) {
    use std::io::Write;
    let mut err = io::stderr().lock();
    let _ = err.write_all(line.as_bytes());
    let _ = err.write_all(b"\n");
}

/// Everything that ends a command unsuccessfully.
#[derive(Debug)]
pub enum CliError {
    /// Bad command-line input clap could not see (a `--data` that is not JSON, ...).
    Usage(String),
    /// An error of the SDK, with the operation it was about (to name flags) and the base URL
    /// the call went to (to say what to check when nothing answered there).
    Sdk(Box<Error>, Option<&'static OpSpec>, Option<String>),
    /// The sandbox could not start.
    Sandbox(String),
    /// A control command to a running sandbox failed.
    Control(String),
    /// Writing the output failed.
    Output(io::Error),
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        CliError::Output(e)
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Sdk(Box::new(e), None, None)
    }
}

/// The exit code of an SDK error kind.
pub fn code_of(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Validation => VALIDATION,
        ErrorKind::Api | ErrorKind::NotFound | ErrorKind::RateLimited => API,
        ErrorKind::Authentication => AUTHENTICATION,
        ErrorKind::Transport
        | ErrorKind::Timeout
        | ErrorKind::Decode
        | ErrorKind::ResponseLimit => TRANSPORT,
        ErrorKind::Config => CONFIG,
        ErrorKind::OutcomeUnknown => OUTCOME_UNKNOWN,
        ErrorKind::SignatureVerification => SIGNATURE,
        // A kind added to the core later: an API-side failure is the safest guess.
        _ => API,
    }
}

impl CliError {
    /// An SDK error of a command whose connection settings are `g`.
    pub fn sdk(e: Error, op: Option<&'static OpSpec>, g: &crate::Globals) -> CliError {
        CliError::Sdk(Box::new(e), op, Some(g.shown_base_url()))
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => USAGE,
            CliError::Sdk(e, _, _) => code_of(e.kind()),
            CliError::Sandbox(_) => CONFIG,
            CliError::Control(_) => TRANSPORT,
            // `ibanera ... | head`: the reader has what it wanted.
            CliError::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => OK,
            CliError::Output(_) => OUTPUT,
        }
    }

    /// The report for stderr (empty when there is nothing to say).
    pub fn report(&self) -> String {
        match self {
            CliError::Usage(m) => format!("ibanera: error: {m}\n"),
            CliError::Sandbox(m) => format!("ibanera: error: the sandbox cannot start: {m}\n"),
            CliError::Control(m) => format!("ibanera: error: {m}\n"),
            CliError::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => String::new(),
            CliError::Output(e) => format!("ibanera: error: cannot write the output: {e}\n"),
            CliError::Sdk(e, op, url) => sdk_report(e, *op, url.as_deref()),
        }
    }
}

/// `invalid --amount: must be greater than 0 (nothing was sent)`, naming the flag as typed.
pub fn validation_message(v: &ValidationError, op: Option<&OpSpec>) -> String {
    let field =
        op.and_then(|op| flag_for(op, &v.field))
            .unwrap_or_else(|| match v.field.as_ref() {
                "path" => "PATH".to_string(),
                "body" => "--data".to_string(),
                other => format!("`{other}`"),
            });
    let what = op
        .map(|op| {
            let (area, method) = (
                crate::cli::dashed(op.area()),
                crate::cli::dashed(op.method()),
            );
            format!("{area} {method}: ")
        })
        .unwrap_or_default();
    format!("{what}invalid {field}: {} (nothing was sent)", v.rule)
}

/// The error's message without the words that repeat its kind (the report names the kind
/// once, by its stable code: `authentication_error`, `config_error`, ...).
fn message_of(e: &Error) -> String {
    let text = e.to_string();
    let strip = |t: &str, s: &str| {
        t.strip_suffix(s)
            .map(str::to_string)
            .unwrap_or(t.to_string())
    };
    match e.kind() {
        ErrorKind::Config => text
            .strip_prefix("configuration error: ")
            .unwrap_or(&text)
            .to_string(),
        ErrorKind::Authentication => strip(&text, " (authentication failed)"),
        ErrorKind::NotFound => strip(&text, " (not found)"),
        ErrorKind::RateLimited => {
            let cut = text
                .rfind(" (rate limited")
                .map(|i| &text[..i])
                .unwrap_or(&text);
            let after = e
                .retry_after()
                .map(|d| format!(" (retry after {:.1} s)", d.as_secs_f64()))
                .unwrap_or_default();
            format!("{cut}{after}")
        }
        _ => text,
    }
}

fn sdk_report(e: &Error, op: Option<&OpSpec>, base_url: Option<&str>) -> String {
    let kind = e.kind().code();
    let message = message_of(e);
    let mut report = match e.validation() {
        Some(v) => format!("ibanera: {kind}: {}\n", validation_message(v, op)),
        None => format!("ibanera: {kind}: {message}\n"),
    };
    for item in e.api_errors() {
        report.push_str(&format!(
            "  errorType={} fieldName={} messageCode={}\n",
            item.error_type.as_deref().unwrap_or(""),
            item.field_name.as_deref().unwrap_or(""),
            item.message_code
        ));
    }
    let connect_failed = matches!(e, Error::Transport { message, .. } if message.starts_with("connection failed"))
        || matches!(e.cause(), Some(Error::Transport { message, .. }) if message.starts_with("connection failed"));
    match e.kind() {
        ErrorKind::Config => report.push_str(&format!(
            "  credentials come from {} + {} + {} (or --username, --password, --totp-secret), or \
             {} + {}; the URL from {} (or --base-url)\n",
            ibanera::ENV_USERNAME,
            ibanera::ENV_PASSWORD,
            ibanera::ENV_TOTP_SECRET,
            ibanera::ENV_ACCESS_TOKEN,
            ibanera::ENV_TOTP_SECRET,
            ibanera::ENV_BASE_URL
        )),
        ErrorKind::Authentication => report.push_str(&format!(
            "  check {}, {} and {} (the TOTP secret must be the one issued with these \
             credentials, and the clock must be right)\n",
            ibanera::ENV_USERNAME,
            ibanera::ENV_PASSWORD,
            ibanera::ENV_TOTP_SECRET
        )),
        ErrorKind::OutcomeUnknown => report.push_str(
            "  the request may have executed: list recent exchanges or transactions to see \
             whether it did before sending it again\n",
        ),
        _ => {}
    }
    if connect_failed {
        if let Some(url) = base_url {
            report.push_str(&format!(
                "  is the server at {url} running? (check --base-url / {})\n",
                ibanera::ENV_BASE_URL
            ));
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_documents_every_exit_code_and_error_kind() {
        let readme = include_str!("../README.md");
        let table: Vec<&str> = readme
            .lines()
            .skip_while(|l| !l.starts_with("## Exit codes"))
            .take_while(|l| !l.starts_with("Every error line"))
            .collect();
        let row = |code: u8| table.iter().any(|l| l.starts_with(&format!("| {code} |")));
        for code in [OK, OUTPUT, USAGE] {
            assert!(row(code), "exit code {code} has no row in cli/README.md");
        }
        for &kind in ErrorKind::ALL {
            let code = code_of(kind);
            assert!(
                row(code),
                "{kind:?} exits {code}, which has no row in cli/README.md"
            );
            assert!(
                readme.contains(&format!("`{}`", kind.code())),
                "the kind `{}` is not named in cli/README.md",
                kind.code()
            );
        }
    }

    #[test]
    fn validation_names_the_flag() {
        let op = ibanera::ops::find("accounts.withdraw_crypto").unwrap();
        let e = ibanera::ops::parse(
            "accounts.withdraw_crypto",
            &serde_json::json!({"accounts_id": 1057, "amount": "0", "destination_address": "x"}),
        )
        .unwrap_err();
        let m = validation_message(&e, Some(op));
        assert!(
            m.starts_with("accounts withdraw-crypto: invalid --amount: "),
            "{m}"
        );
        assert!(m.ends_with("(nothing was sent)"), "{m}");
    }

    #[test]
    fn a_report_names_its_kind_once() {
        let e = Error::Config("no password: pass `--password`".into());
        let r = sdk_report(&e, None, None);
        assert_eq!(r.matches("config").count(), 1, "{r}");
        assert!(r.starts_with("ibanera: config_error: no password"), "{r}");
        let e = Error::Authentication(ibanera::ApiError {
            endpoint: ibanera::session::LOGIN,
            http_status: 400,
            errors: vec![],
            detail: None,
        });
        let r = sdk_report(&e, None, None);
        assert!(!r.contains("(authentication failed)"), "{r}");
        assert!(r.starts_with("ibanera: authentication_error: POST"), "{r}");
    }

    #[test]
    fn kinds_map_to_codes() {
        assert_eq!(code_of(ErrorKind::NotFound), API);
        assert_eq!(code_of(ErrorKind::RateLimited), API);
        assert_eq!(code_of(ErrorKind::Timeout), TRANSPORT);
        assert_eq!(code_of(ErrorKind::Decode), TRANSPORT);
        assert_eq!(code_of(ErrorKind::Authentication), AUTHENTICATION);
        assert_eq!(code_of(ErrorKind::Config), CONFIG);
        assert_eq!(code_of(ErrorKind::Validation), VALIDATION);
        assert_eq!(code_of(ErrorKind::OutcomeUnknown), OUTCOME_UNKNOWN);
        assert_eq!(code_of(ErrorKind::ResponseLimit), TRANSPORT);
    }
}
