//! `ibanera-sandbox`: runs the sandbox stand-alone until Ctrl-C.

use std::process::ExitCode;

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
    /// API key to require (default: random).
    #[arg(long)]
    api_key: Option<String>,
    /// TOTP secret in base32 (default: 20 random bytes).
    #[arg(long)]
    totp_secret: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = SandboxConfig {
        port: args.port,
        api_key: args.api_key,
        totp_secret: args.totp_secret,
        strict_otp: args.strict_otp,
    };
    match ibanera_sandbox::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ibanera-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
