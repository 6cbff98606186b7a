//! `NativeTotp`: the core's RFC 6238 generator. The secret stays in Rust memory.

use std::time::{SystemTime, UNIX_EPOCH};

use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::error;

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[napi]
pub struct NativeTotp {
    totp: ibanera::Totp,
}

#[napi]
impl NativeTotp {
    /// A base32 secret (any case, spaces or `=` allowed) or an `otpauth://totp/` URI.
    #[napi(constructor)]
    pub fn new(secret: String) -> Result<Self> {
        let totp = ibanera::Totp::new(&secret).map_err(error::to_napi)?;
        Ok(NativeTotp { totp })
    }

    /// The code valid now.
    #[napi]
    pub fn now(&self) -> String {
        self.totp.now().expose().to_string()
    }

    /// The code at a Unix time in seconds.
    #[napi]
    pub fn at(&self, unix_seconds: f64) -> Result<String> {
        if !unix_seconds.is_finite() || unix_seconds < 0.0 {
            return Err(error::config(
                "a Unix time is a non-negative number of seconds",
            ));
        }
        Ok(self.totp.code_at(unix_seconds as u64).expose().to_string())
    }

    /// Seconds until the current code expires (1..=step).
    #[napi]
    pub fn seconds_left(&self) -> u32 {
        self.totp.seconds_left_at(unix_now()) as u32
    }

    /// True when `code` is valid now, allowing `skew` steps either side (default 1).
    #[napi]
    pub fn verify(&self, code: String, skew: Option<u32>) -> bool {
        self.totp
            .verify_at(&code, unix_now(), u64::from(skew.unwrap_or(1)))
    }

    #[napi(getter)]
    pub fn digits(&self) -> u32 {
        u32::from(self.totp.digits())
    }

    /// The time step in seconds.
    #[napi(getter)]
    pub fn step(&self) -> u32 {
        self.totp.step() as u32
    }

    #[napi(getter)]
    pub fn algorithm(&self) -> String {
        self.totp.algorithm().as_str().to_string()
    }
}
