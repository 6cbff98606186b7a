//! The login session (`docs/authentication.md`): username + password + TOTP code buy a bearer
//! token at `POST /api/v1/public/auth/login`; every other request carries it.
//!
//! One [`Session`] per client, shared by its clones, its connection pools (the Python binding
//! keeps one per runtime) and every call in flight:
//!
//! - the first call logs in (lazily), later calls reuse the token until shortly before it
//!   expires (a margin of the smaller of 60 s and 10% of its lifetime), then one call renews it;
//! - one login at a time, however many calls wait (single flight); while a renewal is in
//!   flight, calls whose token has not expired yet go on with it;
//! - a token the server refuses (HTTP 401 that is not about the code) is dropped once, so the
//!   next attempt logs in again; calls that used the same token pick up the new one instead of
//!   logging in themselves;
//! - a refused login (wrong password, locked, ...) is remembered: later calls fail at once,
//!   without sending anything, until the client is given new credentials. Trying a wrong
//!   password in a loop would lock the customer out (the service locks after a few failures).

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use reqwest::header::HeaderValue;

use crate::endpoint::{Endpoint, Method};
use crate::error::{ApiError, Error, Result};
use crate::secret::Secret;

/// The login endpoint.
pub const LOGIN: Endpoint = Endpoint::new(Method::POST, "/api/v1/public/auth/login");

/// How a client proves who it is.
#[derive(Clone)]
pub enum Credentials {
    /// The normal case: the customer's API username and password (plus the TOTP secret the
    /// client holds for the codes).
    Password { username: String, password: Secret },
    /// A token obtained elsewhere; the client cannot renew it.
    AccessToken(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Password { username, .. } => f
                .debug_struct("Password")
                .field("username", username)
                .field("password", &"***")
                .finish(),
            Credentials::AccessToken(_) => f.write_str("AccessToken(***)"),
        }
    }
}

/// What a login gave, without the token itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// When the token expires (UTC), when the server said (`expiresIn`).
    pub expires_at: Option<DateTime<Utc>>,
    /// The token's lifetime as the server gave it.
    pub expires_in: Option<Duration>,
    /// The login response's `id` (the authenticated user, per the provider's page).
    pub login_id: Option<i64>,
}

/// A token and what is known about it.
struct Token {
    value: Secret,
    /// `Bearer <token>`, built once per token (not once per request), marked sensitive.
    header: HeaderValue,
    /// Monotonic expiry; `None` when the server gave no lifetime (or for a given token).
    expires: Option<Instant>,
    /// The point after which a call renews it.
    renew_after: Option<Instant>,
    info: SessionInfo,
}

struct State {
    credentials: Credentials,
    token: Option<Token>,
    /// Counts tokens: a 401 names the generation it was refused with.
    generation: u64,
    /// The refusal of the last login, kept until new credentials arrive.
    refused: Option<ApiError>,
}

/// A bearer token to send, with the generation it belongs to.
pub(crate) struct Bearer {
    pub value: Secret,
    pub header: HeaderValue,
    pub generation: u64,
}

/// `Authorization: Bearer <token>`, sensitive (hyper keeps it out of its debug output). A token
/// a header cannot carry was refused where it entered (the builder, `set_access_token`, the
/// login's answer); an empty value is the fallback that the server then refuses.
fn header_of(token: &Secret) -> HeaderValue {
    let mut v = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .unwrap_or_else(|_| HeaderValue::from_static("Bearer"));
    v.set_sensitive(true);
    v
}

/// The renewal margin: the smaller of 60 s and 10% of the lifetime.
pub(crate) fn renewal_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(60))
}

pub(crate) struct Session {
    state: Mutex<State>,
    /// Held while a login is in flight (single flight). A tokio mutex: a waiting call yields,
    /// and it works across runtimes (the Python binding drives two).
    gate: tokio::sync::Mutex<()>,
}

/// What the caller must do to get a token.
pub(crate) enum Need {
    /// Use this one.
    Ready(Bearer),
    /// Log in (the caller holds the gate once it gets it).
    Login,
}

impl Session {
    pub(crate) fn new(credentials: Credentials) -> Session {
        let token = match &credentials {
            Credentials::AccessToken(value) => Some(Token {
                value: value.clone(),
                header: header_of(value),
                expires: None,
                renew_after: None,
                info: SessionInfo {
                    expires_at: None,
                    expires_in: None,
                    login_id: None,
                },
            }),
            Credentials::Password { .. } => None,
        };
        Session {
            state: Mutex::new(State {
                credentials,
                token,
                generation: 1,
                refused: None,
            }),
            gate: tokio::sync::Mutex::new(()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn gate(&self) -> &tokio::sync::Mutex<()> {
        &self.gate
    }

    /// True when the client can log in itself (it has a username and password).
    pub(crate) fn can_login(&self) -> bool {
        matches!(self.lock().credentials, Credentials::Password { .. })
    }

    /// The username and password to log in with.
    pub(crate) fn password_credentials(&self) -> Option<(String, Secret)> {
        match &self.lock().credentials {
            Credentials::Password { username, password } => {
                Some((username.clone(), password.clone()))
            }
            Credentials::AccessToken(_) => None,
        }
    }

    /// The refusal of an earlier login, as the error a call fails with without sending.
    pub(crate) fn refused(&self) -> Option<Error> {
        self.lock().refused.clone().map(|mut e| {
            e.detail = Some(
                "nothing was sent: this client's credentials were refused by an earlier login; \
                 give it new credentials (a wrong password tried again and again locks the account)"
                    .into(),
            );
            Error::Authentication(e)
        })
    }

    /// What a call needs: a usable token, or a login. `gate_busy` tells whether another call
    /// is logging in right now (then a token that has not expired yet is still used).
    pub(crate) fn need(&self, now: Instant, gate_busy: bool) -> Result<Need> {
        let st = self.lock();
        if st.refused.is_some() {
            drop(st);
            return Err(self
                .refused()
                .unwrap_or_else(|| Error::config("credentials were refused")));
        }
        if let Some(t) = &st.token {
            let expired = t.expires.is_some_and(|at| now >= at);
            let due = t.renew_after.is_some_and(|at| now >= at);
            let renewable = matches!(st.credentials, Credentials::Password { .. });
            if !expired && (!due || !renewable || gate_busy) {
                return Ok(Need::Ready(Bearer {
                    value: t.value.clone(),
                    header: t.header.clone(),
                    generation: st.generation,
                }));
            }
            if !renewable {
                // A given token that has expired is still sent: the server decides.
                return Ok(Need::Ready(Bearer {
                    value: t.value.clone(),
                    header: t.header.clone(),
                    generation: st.generation,
                }));
            }
        }
        Ok(Need::Login)
    }

    /// Drops the token a 401 was given for, unless a newer one has replaced it already.
    pub(crate) fn token_refused(&self, generation: u64) {
        let mut st = self.lock();
        if st.generation == generation && matches!(st.credentials, Credentials::Password { .. }) {
            st.token = None;
        }
    }

    /// Stores a new token (called with the gate held).
    pub(crate) fn store(
        &self,
        value: Secret,
        sent_at: Instant,
        expires_in: Option<Duration>,
        login_id: Option<i64>,
    ) -> Bearer {
        let info = SessionInfo {
            expires_at: expires_in.and_then(|d| {
                chrono::Duration::from_std(d)
                    .ok()
                    .map(|d| DateTime::<Utc>::from(SystemTime::now()) + d)
            }),
            expires_in,
            login_id,
        };
        let mut st = self.lock();
        st.generation += 1;
        st.token = Some(Token {
            header: header_of(&value),
            value,
            // Counted from when the login was sent: never later than the server's clock.
            expires: expires_in.map(|d| sent_at + d),
            renew_after: expires_in.map(|d| sent_at + d.saturating_sub(renewal_margin(d))),
            info,
        });
        st.refused = None;
        let (value, header) = st
            .token
            .as_ref()
            .map(|t| (t.value.clone(), t.header.clone()))
            .unwrap_or_else(|| (Secret::new(""), HeaderValue::from_static("Bearer")));
        Bearer {
            value,
            header,
            generation: st.generation,
        }
    }

    /// Remembers a refused login: later calls fail without sending.
    pub(crate) fn remember_refusal(&self, error: &ApiError) {
        let mut st = self.lock();
        st.token = None;
        st.refused = Some(error.clone());
    }

    /// New credentials: forget the token and any refusal.
    pub(crate) fn replace_credentials(&self, credentials: Credentials) {
        let fresh = Session::new(credentials);
        let fresh = fresh
            .state
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let mut st = self.lock();
        st.generation += 1;
        st.credentials = fresh.credentials;
        st.token = fresh.token;
        st.refused = None;
    }

    /// What the current token is, without the token.
    pub(crate) fn info(&self) -> Option<SessionInfo> {
        self.lock().token.as_ref().map(|t| t.info.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password() -> Credentials {
        Credentials::Password {
            username: "u".into(),
            password: Secret::new("canary-pw-31337"),
        }
    }

    #[test]
    fn margin_scales_with_the_lifetime() {
        assert_eq!(
            renewal_margin(Duration::from_secs(3600)),
            Duration::from_secs(60)
        );
        assert_eq!(
            renewal_margin(Duration::from_secs(2)),
            Duration::from_millis(200)
        );
        assert_eq!(
            renewal_margin(Duration::from_secs(300)),
            Duration::from_secs(30)
        );
    }

    #[test]
    fn a_token_is_used_until_due_then_renewed_once() {
        let s = Session::new(password());
        let t0 = Instant::now();
        assert!(matches!(s.need(t0, false).unwrap(), Need::Login));
        s.store(
            Secret::new("tok"),
            t0,
            Some(Duration::from_secs(10)),
            Some(7),
        );
        assert!(matches!(s.need(t0, false).unwrap(), Need::Ready(_)));
        let due = t0 + Duration::from_millis(9_500);
        assert!(matches!(s.need(due, false).unwrap(), Need::Login));
        // Another call is renewing: the old token, not yet expired, is still good.
        assert!(matches!(s.need(due, true).unwrap(), Need::Ready(_)));
        // Expired: everyone waits for the login.
        let late = t0 + Duration::from_secs(11);
        assert!(matches!(s.need(late, true).unwrap(), Need::Login));
    }

    #[test]
    fn a_refused_token_is_dropped_once_per_generation() {
        let s = Session::new(password());
        let t0 = Instant::now();
        s.store(Secret::new("a"), t0, None, None);
        let Need::Ready(first) = s.need(t0, false).unwrap() else {
            panic!()
        };
        s.store(Secret::new("b"), t0, None, None);
        // A 401 for the old token does not drop the new one.
        s.token_refused(first.generation);
        let Need::Ready(second) = s.need(t0, false).unwrap() else {
            panic!()
        };
        assert_eq!(second.value.expose(), "b");
        s.token_refused(second.generation);
        assert!(matches!(s.need(t0, false).unwrap(), Need::Login));
    }

    #[test]
    fn a_refusal_is_remembered_until_new_credentials() {
        let s = Session::new(password());
        let refusal = ApiError {
            endpoint: LOGIN,
            http_status: 400,
            errors: vec![],
            detail: None,
        };
        s.remember_refusal(&refusal);
        let e = s.need(Instant::now(), false).err().unwrap();
        assert!(e.to_string().contains("nothing was sent"), "{e}");
        s.replace_credentials(password());
        assert!(matches!(
            s.need(Instant::now(), false).unwrap(),
            Need::Login
        ));
    }

    #[test]
    fn credentials_never_print_their_secrets() {
        let text = format!("{:?}", password());
        assert!(!text.contains("canary"), "{text}");
        let text = format!("{:?}", Credentials::AccessToken(Secret::new("tok-canary")));
        assert!(!text.contains("canary"), "{text}");
    }
}
