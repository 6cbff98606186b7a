//! What the core-client tests against the sandbox share: a client logged in as the sandbox's
//! API user, and decimals written as text.

#![allow(dead_code)]

use ibanera::{Client, ClientBuilder, Decimal};
use ibanera_sandbox::Sandbox;

/// A client builder with the sandbox's base URL and its API user's credentials.
pub fn builder(sandbox: &Sandbox) -> ClientBuilder {
    Client::builder()
        .username(sandbox.username())
        .password(sandbox.password())
        .totp_secret(sandbox.totp_secret())
        .base_url(sandbox.base_url())
}

/// A client of the sandbox with the default settings.
pub fn client(sandbox: &Sandbox) -> Client {
    builder(sandbox).build().unwrap()
}

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}
