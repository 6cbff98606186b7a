//! Authentication like the real service: users log in with username, password and a TOTP
//! code and get a bearer token; every other API call carries the token and a fresh code.
//! Failed logins lock a user for a while; tokens expire and can be revoked from a test.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rust_decimal::Decimal;
use serde_json::{Number, Value, json};
use subtle::ConstantTimeEq;

use crate::error::SandboxError;
use crate::server::lock;
use crate::wire::{ApiError, ErrorItem, Fields, envelope};

/// The login endpoint; the only `/api/...` path served without a token.
pub(crate) const LOGIN_PATH: &str = "/api/v1/public/auth/login";
/// Failed logins in a row that lock a user.
pub(crate) const MAX_FAILED_LOGINS: u32 = 5;
/// How long a locked user stays locked.
pub(crate) const LOCKOUT: Duration = Duration::from_secs(600);
pub(crate) const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(3600);
/// hyper's own default for reading a request head, which is also what closes an idle
/// keep-alive connection.
pub(crate) const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bounds keep `Instant + ttl` far from overflow and a typo from meaning "forever".
pub(crate) const MAX_TOKEN_TTL: Duration = Duration::from_secs(10 * 365 * 86_400);
pub(crate) const MAX_IDLE_TIMEOUT: Duration = Duration::from_secs(86_400);
/// A refresh token is handed out (the login reply lists one) but no endpoint accepts it.
const REFRESH_TTL_SECS: u64 = 86_400;

pub(crate) const DEFAULT_USERNAME: &str = "sandbox-api-user";
pub(crate) const UNVERIFIED_USERNAME: &str = "sandbox-unverified";
pub(crate) const SUPPRESSED_USERNAME: &str = "sandbox-suppressed";

/// What a user's account allows, checked after the credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Standing {
    Active,
    /// Not allowed to use the API.
    NotVerified,
    /// Inactive.
    Suppressed,
}

struct User {
    username: String,
    password: String,
    customer_id: i64,
    standing: Standing,
}

/// Login counters, failure runs and locks at one moment (see [`crate::Control::auth_stats`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthStats {
    /// Logins answered with a token.
    pub logins_succeeded: u64,
    /// Logins refused, whatever the reason (missing field, wrong credentials, locked,
    /// unverified, suppressed, malformed body).
    pub logins_failed: u64,
    /// Tokens issued, not revoked and not yet expired.
    pub active_tokens: u64,
    /// Users locked right now, sorted by username.
    pub locked_users: Vec<String>,
}

impl AuthStats {
    /// The JSON form of `GET /_sandbox/auth`.
    pub fn to_json(&self) -> Value {
        json!({
            "loginsSucceeded": self.logins_succeeded,
            "loginsFailed": self.logins_failed,
            "activeTokens": self.active_tokens,
            "lockedUsers": self.locked_users,
        })
    }
}

/// Below this many tokens expired ones are not swept.
const SWEEP_MIN: usize = 1024;

#[derive(Default)]
struct State {
    /// Time steps whose code was accepted (strict mode), by login and API calls alike.
    used_steps: BTreeSet<u64>,
    /// Live tokens and when each expires.
    tokens: HashMap<String, Instant>,
    /// Expired tokens are swept when the map reaches this size (amortised O(1) per login).
    sweep_at: usize,
    token_ttl: Duration,
    succeeded: u64,
    failed: u64,
    /// Failed logins in a row, per existing user.
    runs: HashMap<String, u32>,
    /// Locked users and until when.
    locked: BTreeMap<String, Instant>,
}

impl State {
    fn is_locked(&mut self, username: &str, now: Instant) -> bool {
        match self.locked.get(username) {
            Some(until) if *until > now => true,
            Some(_) => {
                self.locked.remove(username);
                false
            }
            None => false,
        }
    }

    fn failed_attempt(&mut self, username: &str, now: Instant) {
        let run = self.runs.entry(username.to_string()).or_insert(0);
        *run += 1;
        if *run >= MAX_FAILED_LOGINS {
            self.runs.remove(username);
            self.locked.insert(username.to_string(), now + LOCKOUT);
        }
    }

    fn insert_token(&mut self, token: String, expires: Instant, now: Instant) {
        if self.tokens.len() >= self.sweep_at {
            self.tokens.retain(|_, expires| *expires > now);
            self.sweep_at = (self.tokens.len() * 2).max(SWEEP_MIN);
        }
        self.tokens.insert(token, expires);
    }
}

/// The users, the TOTP generator and the session state.
pub(crate) struct Auth {
    users: Vec<User>,
    totp: totp_rs::Totp,
    strict_otp: AtomicBool,
    state: Mutex<State>,
}

/// The credentials a sandbox starts with, checked.
pub(crate) struct Credentials {
    pub username: String,
    pub password: String,
    pub totp: totp_rs::Totp,
    pub customer_id: i64,
    pub unverified_customer_id: i64,
    pub suppressed_customer_id: i64,
}

/// A username or password is printed in the banner and the `export` lines: no control
/// characters, no surrounding spaces, not empty.
pub(crate) fn check_credential(what: &'static str, value: &str) -> Result<(), SandboxError> {
    let bad = |reason: &str| SandboxError::Config {
        what,
        reason: reason.to_string(),
    };
    if value.trim().is_empty() || value.trim() != value {
        return Err(bad("it is empty or has surrounding spaces"));
    }
    if value.chars().any(char::is_control) {
        return Err(bad("it contains a control character"));
    }
    Ok(())
}

/// Refuses a zero or huge duration.
pub(crate) fn check_duration(
    field: &'static str,
    d: Duration,
    max: Duration,
) -> Result<Duration, SandboxError> {
    if d.is_zero() || d > max {
        return Err(SandboxError::invalid(
            field,
            "Invalid",
            format!(
                "must be more than 0 and at most {} s, got {} s",
                seconds_text(max),
                seconds_text(d)
            ),
        ));
    }
    Ok(d)
}

/// Parses a number of seconds written as a decimal (`3600`, `2`, `0.5`) exactly (never
/// through a binary float) to nanosecond precision. Zero, negatives, more than 9 fractional
/// digits and anything but a plain decimal are refused. `--token-ttl` and the control
/// endpoint's `tokenTtl` read lifetimes with it; front ends (the CLI) can do the same.
pub fn parse_seconds(text: &str) -> Result<Duration, SandboxError> {
    let bad = || SandboxError::Config {
        what: "number of seconds",
        reason: format!("{text:?} is not a decimal number greater than 0"),
    };
    let d = crate::wire::parse_decimal(text).ok_or_else(bad)?;
    let nanos = d
        .checked_mul(Decimal::from(1_000_000_000u32))
        .filter(|n| n.fract().is_zero() && !n.is_sign_negative() && !n.is_zero())
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(bad)?;
    Ok(Duration::from_nanos(nanos))
}

/// Seconds as the shortest exact decimal (`3600`, `0.5`).
pub(crate) fn seconds_text(d: Duration) -> String {
    Decimal::from_i128_with_scale(d.as_nanos() as i128, 9)
        .normalize()
        .to_string()
}

/// Seconds as an exact JSON number.
pub(crate) fn seconds_json(d: Duration) -> Value {
    serde_json::from_str::<Number>(&seconds_text(d))
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn random_part(bytes: usize) -> String {
    let raw: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    URL_SAFE_NO_PAD.encode(raw)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// A token shaped like a JWT (`header.payload.signature`, base64url). The signature part is
/// 32 random bytes from the thread's CSPRNG, so tokens are unique and cannot be guessed; the
/// payload is informative only, nothing reads it back.
fn new_token(customer_id: i64, ttl: Duration) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let iat = unix_now();
    let payload = json!({
        "sub": customer_id.to_string(),
        "jti": random_part(12),
        "iat": iat,
        "exp": iat.saturating_add(ttl.as_secs()),
    });
    let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
    format!("{header}.{payload}.{}", random_part(32))
}

/// `expiresIn` is an integer: a fractional lifetime is rounded up, so a positive lifetime
/// never reads as 0.
fn whole_seconds_up(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// A required string field of the login body: absent, `null` or blank -> `Required`; not a
/// string -> `Invalid`. The value is kept exactly as sent (a password may contain spaces).
fn login_field(f: &Fields, name: &str, errors: &mut Vec<ErrorItem>) -> Option<String> {
    let code = match f.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.clone()),
        None | Some(Value::String(_)) => "Required",
        Some(_) => "Invalid",
    };
    errors.push(ErrorItem::bad(name, code));
    None
}

impl Auth {
    pub(crate) fn new(c: Credentials, strict_otp: bool, token_ttl: Duration) -> Auth {
        let users = vec![
            User {
                username: c.username,
                password: c.password.clone(),
                customer_id: c.customer_id,
                standing: Standing::Active,
            },
            User {
                username: UNVERIFIED_USERNAME.to_string(),
                password: c.password.clone(),
                customer_id: c.unverified_customer_id,
                standing: Standing::NotVerified,
            },
            User {
                username: SUPPRESSED_USERNAME.to_string(),
                password: c.password,
                customer_id: c.suppressed_customer_id,
                standing: Standing::Suppressed,
            },
        ];
        Auth {
            users,
            totp: c.totp,
            strict_otp: AtomicBool::new(strict_otp),
            state: Mutex::new(State {
                token_ttl,
                sweep_at: SWEEP_MIN,
                ..State::default()
            }),
        }
    }

    pub(crate) fn strict_otp(&self) -> bool {
        self.strict_otp.load(Ordering::SeqCst)
    }

    pub(crate) fn set_strict_otp(&self, strict: bool) {
        self.strict_otp.store(strict, Ordering::SeqCst);
    }

    pub(crate) fn token_ttl(&self) -> Duration {
        lock(&self.state).token_ttl
    }

    pub(crate) fn set_token_ttl(&self, ttl: Duration) -> Result<(), SandboxError> {
        let ttl = check_duration("TokenTtl", ttl, MAX_TOKEN_TTL)?;
        lock(&self.state).token_ttl = ttl;
        Ok(())
    }

    pub(crate) fn revoke_tokens(&self) {
        let mut st = lock(&self.state);
        st.tokens.clear();
        st.sweep_at = SWEEP_MIN;
    }

    pub(crate) fn unlock(&self) {
        let mut st = lock(&self.state);
        st.locked.clear();
        st.runs.clear();
    }

    /// Counters, failure runs, locks and used OTP steps cleared; tokens stay valid.
    pub(crate) fn reset(&self) {
        let mut st = lock(&self.state);
        st.used_steps.clear();
        st.succeeded = 0;
        st.failed = 0;
        st.runs.clear();
        st.locked.clear();
    }

    pub(crate) fn stats(&self) -> AuthStats {
        let now = Instant::now();
        let st = lock(&self.state);
        AuthStats {
            logins_succeeded: st.succeeded,
            logins_failed: st.failed,
            active_tokens: st.tokens.values().filter(|e| **e > now).count() as u64,
            locked_users: st
                .locked
                .iter()
                .filter(|(_, until)| **until > now)
                .map(|(u, _)| u.clone())
                .collect(),
        }
    }

    /// RFC 6238 check of a code (current step +-1) under the strict rule: in strict mode a
    /// step already accepted is refused. Must be called with the state locked, so that two
    /// concurrent requests cannot both use one step.
    fn otp_ok(&self, st: &mut State, code: &str) -> bool {
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let now = unix_now();
        let Some(step) = self.totp.check(code, now) else {
            return false;
        };
        if self.strict_otp() {
            let current = now / 30;
            st.used_steps.retain(|s| s.saturating_add(2) >= current);
            if !st.used_steps.insert(step) {
                return false;
            }
        }
        true
    }

    /// `POST /api/v1/public/auth/login`. Checks, in order: required fields, lock, password,
    /// code, account standing.
    pub(crate) fn login(&self, body: &[u8]) -> Result<Value, ApiError> {
        let mut st = lock(&self.state);
        let r = self.try_login(&mut st, body);
        match r {
            Ok(_) => st.succeeded += 1,
            Err(_) => st.failed += 1,
        }
        r
    }

    fn try_login(&self, st: &mut State, body: &[u8]) -> Result<Value, ApiError> {
        let f = Fields::from_body(body)?;
        let mut missing = Vec::new();
        let username = login_field(&f, "Username", &mut missing);
        let password = login_field(&f, "Password", &mut missing);
        let otp = login_field(&f, "Otp", &mut missing);
        let (Some(username), Some(password), Some(otp)) = (username, password, otp) else {
            return Err(ApiError {
                status: StatusCode::BAD_REQUEST,
                errors: missing,
            });
        };
        let now = Instant::now();
        let incorrect = || ApiError::bad("Username", "Username_Or_Password_Incorrect");
        let Some(user) = self.users.iter().find(|u| u.username == username) else {
            return Err(incorrect());
        };
        if st.is_locked(&user.username, now) {
            return Err(ApiError::bad("Username", "Account_Locked"));
        }
        // Constant time, so timing does not tell how much of a guessed password was right.
        if !bool::from(user.password.as_bytes().ct_eq(password.as_bytes())) {
            st.failed_attempt(&user.username, now);
            return Err(incorrect());
        }
        if !self.otp_ok(st, &otp) {
            st.failed_attempt(&user.username, now);
            return Err(ApiError::bad("Otp", "Invalid"));
        }
        match user.standing {
            Standing::NotVerified => return Err(ApiError::bad("Username", "Account_Not_Verified")),
            Standing::Suppressed => return Err(ApiError::bad("Username", "Account_Suppressed")),
            Standing::Active => {}
        }
        st.runs.remove(&user.username);
        let ttl = st.token_ttl;
        let token = new_token(user.customer_id, ttl);
        // `check_duration` bounds the ttl, so this addition cannot overflow in practice; if it
        // did, the token would simply never expire.
        let expires = now.checked_add(ttl).unwrap_or(now + MAX_TOKEN_TTL);
        st.insert_token(token.clone(), expires, now);
        Ok(envelope(
            user.customer_id,
            json!({
                "accessToken": token,
                "expiresIn": whole_seconds_up(ttl),
                "refreshToken": random_part(32),
                "refreshTokenExpiresIn": REFRESH_TTL_SECS,
            }),
        ))
    }

    /// Every other `/api/...` call: `Authorization: Bearer <live token>` first, then the
    /// `otp` header. The refusal names the header that failed.
    pub(crate) fn authenticate(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("Bearer").then(|| rest.trim())
            })
            .filter(|t| !t.is_empty());
        let code = headers
            .get("otp")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let now = Instant::now();
        let mut st = lock(&self.state);
        let live = token
            .and_then(|t| st.tokens.get(t))
            .is_some_and(|expires| *expires > now);
        if !live {
            return Err(ApiError::unauthorized("Authorization"));
        }
        if !self.otp_ok(&mut st, code) {
            return Err(ApiError::unauthorized("otp"));
        }
        Ok(())
    }
}

/// The `WWW-Authenticate` value sent with a refused token (RFC 6750 section 3).
pub(crate) fn www_authenticate() -> HeaderValue {
    HeaderValue::from_static("Bearer")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_jwt_shaped_and_unique() {
        let a = new_token(1004, DEFAULT_TOKEN_TTL);
        let b = new_token(1004, DEFAULT_TOKEN_TTL);
        assert_ne!(a, b);
        let parts: Vec<&str> = a.split('.').collect();
        assert_eq!(parts.len(), 3, "{a}");
        for p in &parts {
            assert!(URL_SAFE_NO_PAD.decode(p).is_ok(), "{p}");
        }
        assert!(a.starts_with("eyJhbGciOiJIUzI1Ni"), "{a}");
        assert_eq!(
            URL_SAFE_NO_PAD.decode(parts[2]).map(|s| s.len()).ok(),
            Some(32)
        );
    }

    #[test]
    fn durations_and_rounding() {
        assert_eq!(seconds_text(Duration::from_secs(3600)), "3600");
        assert_eq!(seconds_text(Duration::from_millis(500)), "0.5");
        assert_eq!(whole_seconds_up(Duration::from_millis(500)), 1);
        assert_eq!(whole_seconds_up(Duration::from_secs(2)), 2);
        assert!(check_duration("TokenTtl", Duration::ZERO, MAX_TOKEN_TTL).is_err());
        assert!(check_duration("TokenTtl", MAX_TOKEN_TTL * 2, MAX_TOKEN_TTL).is_err());
    }

    #[test]
    fn seconds_parse_exactly() {
        let ok = |t: &str| parse_seconds(t).ok();
        assert_eq!(ok("2"), Some(Duration::from_secs(2)));
        assert_eq!(ok("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(ok(" 3600 "), Some(Duration::from_secs(3600)));
        assert_eq!(ok("0.000000001"), Some(Duration::from_nanos(1)));
        for bad in ["0", "-1", "0.0000000001", "abc", "", "1e400", "1s"] {
            assert_eq!(ok(bad), None, "{bad}");
        }
    }
}
