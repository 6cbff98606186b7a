//! `ibanera-sandbox`: runs the sandbox stand-alone until Ctrl-C.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use ibanera_sandbox::SandboxConfig;

/// A stateful local Ibanera Customer API server on 127.0.0.1, for tests and demos.
#[derive(Parser, Debug)]
#[command(name = "ibanera-sandbox", version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Refuse a TOTP code that was already accepted (RFC 6238 section 5.2).
    #[arg(long)]
    strict_otp: bool,
    /// The API user's username (default: sandbox-api-user).
    #[arg(long)]
    username: Option<String>,
    /// The API user's password (default: random).
    #[arg(long)]
    password: Option<String>,
    /// TOTP secret in base32 (default: 20 random bytes).
    #[arg(long)]
    totp_secret: Option<String>,
    /// Lifetime of issued tokens in seconds, decimals allowed (default: 3600).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    token_ttl: Option<Duration>,
    /// Crypto withdrawals stay Pending until settled through the control endpoints.
    #[arg(long)]
    hold_withdrawals: bool,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    ibanera_sandbox::parse_seconds(text).map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = SandboxConfig {
        port: args.port,
        username: args.username,
        password: args.password,
        totp_secret: args.totp_secret,
        token_ttl: args.token_ttl,
        strict_otp: args.strict_otp,
        hold_withdrawals: args.hold_withdrawals,
        ..SandboxConfig::default()
    };
    match ibanera_sandbox::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ibanera-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
