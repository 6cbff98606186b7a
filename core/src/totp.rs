//! Time-based one-time codes (RFC 6238, rule 3 of docs/wire-rules.md), computed fresh for every attempt.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// The HMAC behind the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    #[default]
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    fn to_totp_rs(self) -> totp_rs::Algorithm {
        match self {
            Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
            Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
            Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

impl std::str::FromStr for Algorithm {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(Error::config(format!(
                "TOTP algorithm `{s}` is not one of SHA1, SHA256, SHA512"
            ))),
        }
    }
}

/// The smallest secret accepted: 80 bits, common in the wild although RFC 4226 asks for 128.
const MIN_SECRET_BYTES: usize = 10;

/// A TOTP generator: a shared secret plus algorithm, digits and time step.
///
/// `Debug` shows the settings, never the secret.
#[derive(Clone)]
pub struct Totp {
    secret: Arc<Zeroizing<Vec<u8>>>,
    algorithm: Algorithm,
    digits: u8,
    step: u64,
    inner: Arc<totp_rs::Totp>,
}

impl Totp {
    /// Reads a base32 secret (any case, spaces, dashes and `=` padding allowed) or an
    /// `otpauth://totp/...` URI, whose `algorithm`, `digits` and `period` are honoured.
    /// Defaults: SHA-1, 6 digits, 30 s.
    pub fn new(secret: &str) -> Result<Totp> {
        let trimmed = secret.trim();
        if trimmed.len() >= 10 && trimmed[..10].eq_ignore_ascii_case("otpauth://") {
            return Self::from_uri(trimmed);
        }
        Self::build(decode_base32(trimmed)?, Algorithm::Sha1, 6, 30)
    }

    /// From the raw secret bytes (RFC 6238's test vectors use ASCII secrets).
    pub fn from_bytes(secret: &[u8]) -> Result<Totp> {
        Self::build(Zeroizing::new(secret.to_vec()), Algorithm::Sha1, 6, 30)
    }

    fn from_uri(uri: &str) -> Result<Totp> {
        let url = url::Url::parse(uri)
            .map_err(|_| Error::config("the otpauth:// URI of the TOTP secret does not parse"))?;
        if !url
            .host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case("totp"))
        {
            return Err(Error::config("only otpauth://totp/ URIs are supported"));
        }
        let (mut secret, mut algorithm, mut digits, mut step) = (None, Algorithm::Sha1, 6u8, 30u64);
        for (key, value) in url.query_pairs() {
            match key.to_ascii_lowercase().as_str() {
                "secret" => secret = Some(decode_base32(&value)?),
                "algorithm" => algorithm = value.parse()?,
                "digits" => {
                    digits = value
                        .parse()
                        .map_err(|_| Error::config("otpauth URI: `digits` is not a number"))?
                }
                "period" => {
                    step = value
                        .parse()
                        .map_err(|_| Error::config("otpauth URI: `period` is not a number"))?
                }
                _ => {}
            }
        }
        let secret = secret.ok_or_else(|| Error::config("otpauth URI has no `secret`"))?;
        Self::build(secret, algorithm, digits, step)
    }

    fn build(
        secret: Zeroizing<Vec<u8>>,
        algorithm: Algorithm,
        digits: u8,
        step: u64,
    ) -> Result<Totp> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(Error::config(format!(
                "the TOTP secret is {} bits; at least 80 bits (16 base32 characters) are needed",
                secret.len() * 8
            )));
        }
        if !(6..=8).contains(&digits) {
            return Err(Error::config(format!(
                "TOTP digits must be 6 to 8, not {digits}"
            )));
        }
        if step == 0 {
            return Err(Error::config(
                "the TOTP time step must be at least 1 second",
            ));
        }
        // Lengths and digits are checked above; `build_noncompliant` lets 80-bit secrets in.
        let inner = totp_rs::Builder::new()
            .with_algorithm(algorithm.to_totp_rs())
            .with_digits(digits)
            .with_step_duration(step)
            .with_secret(totp_rs::Secret::new(secret.to_vec().into_boxed_slice()))
            .build_noncompliant();
        Ok(Totp {
            secret: Arc::new(secret),
            algorithm,
            digits,
            step,
            inner: Arc::new(inner),
        })
    }

    /// The same secret with another algorithm.
    pub fn with_algorithm(&self, algorithm: Algorithm) -> Result<Totp> {
        Self::build(
            self.secret.as_ref().clone(),
            algorithm,
            self.digits,
            self.step,
        )
    }

    /// The same secret with 6, 7 or 8 digits.
    pub fn with_digits(&self, digits: u8) -> Result<Totp> {
        Self::build(
            self.secret.as_ref().clone(),
            self.algorithm,
            digits,
            self.step,
        )
    }

    /// The same secret with another time step, in seconds.
    pub fn with_step(&self, step_seconds: u64) -> Result<Totp> {
        Self::build(
            self.secret.as_ref().clone(),
            self.algorithm,
            self.digits,
            step_seconds,
        )
    }

    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    pub fn digits(&self) -> u8 {
        self.digits
    }

    /// The time step in seconds.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// The code for a Unix time in seconds, zero-padded to the configured digits.
    pub fn code_at(&self, unix_seconds: u64) -> Secret {
        Secret::new(self.inner.generate(unix_seconds).to_string())
    }

    /// The code valid now (system clock).
    pub fn now(&self) -> Secret {
        self.code_at(SystemClock.unix_seconds())
    }

    /// Seconds until the code valid at `unix_seconds` expires (1..=step).
    pub fn seconds_left_at(&self, unix_seconds: u64) -> u64 {
        self.step - unix_seconds % self.step
    }

    /// True when `code` is valid at `unix_seconds`, allowing `skew` steps either side.
    pub fn verify_at(&self, code: &str, unix_seconds: u64, skew: u64) -> bool {
        let step = unix_seconds / self.step;
        (step.saturating_sub(skew)..=step + skew)
            .any(|s| constant_time_eq(self.code_at(s * self.step).expose(), code.trim()))
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl fmt::Debug for Totp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Totp")
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("step", &self.step)
            .field("secret", &"***")
            .finish()
    }
}

/// Normalises a base32 secret as people paste it (case, spaces, dashes, `=`) and decodes it.
/// Errors say what is wrong without echoing the secret.
fn decode_base32(input: &str) -> Result<Zeroizing<Vec<u8>>> {
    let cleaned: Zeroizing<String> = Zeroizing::new(
        input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '=')
            .map(|c| c.to_ascii_uppercase())
            .collect(),
    );
    if cleaned.is_empty() {
        return Err(Error::config("the TOTP secret is empty"));
    }
    if let Some(pos) = cleaned
        .chars()
        .position(|c| !matches!(c, 'A'..='Z' | '2'..='7'))
    {
        return Err(Error::config(format!(
            "the TOTP secret is not base32: character {} is outside A-Z and 2-7",
            pos + 1
        )));
    }
    let secret = totp_rs::Secret::try_from_base32(cleaned.as_str())
        .map_err(|_| Error::config("the TOTP secret is not valid base32"))?;
    Ok(Zeroizing::new(secret.as_bytes().to_vec()))
}

/// Where "now" comes from; tests inject their own.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> SystemTime;

    fn unix_seconds(&self) -> u64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// Supplies the `otp` header of each attempt. Implement it to take codes from elsewhere (an
/// HSM, a vault); the default computes them with [`Totp`].
pub trait CodeProvider: Send + Sync + 'static {
    /// A code valid now. Called once per attempt, at send time.
    fn code(&self) -> Result<Secret>;

    /// How long until a new code is available; after the server refuses a code the client
    /// waits this long before its one retry. `None` means one 30 s step.
    fn until_next_code(&self) -> Option<Duration> {
        None
    }
}

/// The default [`CodeProvider`]: a [`Totp`] read against a [`Clock`].
pub struct TotpCodes {
    totp: Totp,
    clock: Arc<dyn Clock>,
}

impl TotpCodes {
    pub fn new(totp: Totp, clock: Arc<dyn Clock>) -> Self {
        TotpCodes { totp, clock }
    }
}

impl CodeProvider for TotpCodes {
    fn code(&self) -> Result<Secret> {
        Ok(self.totp.code_at(self.clock.unix_seconds()))
    }

    fn until_next_code(&self) -> Option<Duration> {
        let now = self
            .clock
            .now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let step = Duration::from_secs(self.totp.step);
        let into_step = Duration::from_nanos((now.as_nanos() % step.as_nanos()) as u64);
        Some(step - into_step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the SHA-1 column with the 20-byte ASCII secret, 8 digits.
    #[test]
    fn rfc6238_appendix_b_sha1() {
        let totp = Totp::from_bytes(b"12345678901234567890")
            .unwrap()
            .with_digits(8)
            .unwrap();
        for (t, code) in [
            (59u64, "94287082"),
            (1111111109, "07081804"),
            (1111111111, "14050471"),
            (1234567890, "89005924"),
            (2000000000, "69279037"),
            (20000000000, "65353130"),
        ] {
            assert_eq!(totp.code_at(t).expose(), code, "t={t}");
        }
    }

    /// RFC 6238 appendix B, SHA-256 and SHA-512 columns (32- and 64-byte ASCII secrets).
    #[test]
    fn rfc6238_appendix_b_sha256_sha512() {
        let s256 = Totp::from_bytes(b"12345678901234567890123456789012")
            .unwrap()
            .with_algorithm(Algorithm::Sha256)
            .unwrap()
            .with_digits(8)
            .unwrap();
        let s512 =
            Totp::from_bytes(b"1234567890123456789012345678901234567890123456789012345678901234")
                .unwrap()
                .with_algorithm(Algorithm::Sha512)
                .unwrap()
                .with_digits(8)
                .unwrap();
        for (t, c256, c512) in [
            (59u64, "46119246", "90693936"),
            (1111111109, "68084774", "25091201"),
            (1111111111, "67062674", "99943326"),
            (1234567890, "91819424", "93441116"),
            (2000000000, "90698825", "38618901"),
            (20000000000, "77737706", "47863826"),
        ] {
            assert_eq!(s256.code_at(t).expose(), c256, "sha256 t={t}");
            assert_eq!(s512.code_at(t).expose(), c512, "sha512 t={t}");
        }
    }

    #[test]
    fn base32_is_normalised() {
        // "12345678901234567890" in base32.
        let canonical = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let a = Totp::new(canonical).unwrap();
        for variant in [
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====",
            " gezd-gnbv-gy3t-qojq-gezd-gnbv-gy3t-qojq\n",
        ] {
            let b = Totp::new(variant).unwrap();
            assert_eq!(a.code_at(59).expose(), b.code_at(59).expose(), "{variant}");
        }
        assert_eq!(a.code_at(59).expose(), "287082");
    }

    #[test]
    fn accepts_80_bit_secrets_and_refuses_shorter() {
        assert!(Totp::new("JBSWY3DPEHPK3PXP").is_ok()); // 16 chars = 80 bits
        let e = Totp::new("JBSWY3DP").unwrap_err();
        assert!(e.to_string().contains("40 bits"), "{e}");
    }

    #[test]
    fn otpauth_uri() {
        let t = Totp::new(
            "otpauth://totp/Ibanera:ops?secret=gezdgnbvgy3tqojqgezdgnbvgy3tqojq&algorithm=SHA1&digits=8&period=30&issuer=Ibanera",
        )
        .unwrap();
        assert_eq!(t.digits(), 8);
        assert_eq!(t.code_at(59).expose(), "94287082");
        let t = Totp::new("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=60&digits=7").unwrap();
        assert_eq!((t.step(), t.digits()), (60, 7));
        assert!(Totp::new("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP").is_err());
        assert!(Totp::new("otpauth://totp/x?digits=6").is_err());
    }

    #[test]
    fn errors_never_echo_the_secret() {
        for bad in [
            "SECRET1SECRET1SECRET!",
            "otpauth://totp/x?secret=CANARY18CANARY",
        ] {
            let e = Totp::new(bad).unwrap_err().to_string();
            assert!(!e.contains("SECRET1") && !e.contains("CANARY"), "{e}");
        }
        let t = Totp::new("JBSWY3DPEHPK3PXP").unwrap();
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("JBSWY3DP") && dbg.contains("***"), "{dbg}");
    }

    #[test]
    fn settings_are_checked() {
        let t = Totp::new("JBSWY3DPEHPK3PXP").unwrap();
        assert!(t.with_digits(5).is_err());
        assert!(t.with_digits(9).is_err());
        assert!(t.with_step(0).is_err());
        assert_eq!(t.with_step(45).unwrap().seconds_left_at(90), 45);
        assert_eq!(t.seconds_left_at(61), 29);
    }

    #[test]
    fn verify_allows_one_step_either_side() {
        let t = Totp::new("JBSWY3DPEHPK3PXP").unwrap();
        let code = t.code_at(1000);
        assert!(t.verify_at(code.expose(), 1000, 1));
        assert!(t.verify_at(code.expose(), 1030, 1));
        assert!(!t.verify_at(code.expose(), 1070, 1));
    }
}
