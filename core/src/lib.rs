//! Rust client for the Ibanera Customer API.
//!
//! Everything a request needs happens here, once: the login session and a fresh TOTP code on
//! every attempt, transport with retries that never re-send a payment, exact decimals, the
//! response envelope and typed errors, paging and callback verification. The Python and Node
//! packages call this crate.
//!
//! ```no_run
//! use ibanera::{Client, accounts::ListAccounts};
//!
//! # async fn run() -> ibanera::Result<()> {
//! let client = Client::builder()
//!     .username("api-user")
//!     .password("my-password")
//!     .totp_secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
//!     .build()?;
//! let page = client
//!     .accounts()
//!     .list(&ListAccounts { customers_id: Some(1004), ..Default::default() })
//!     .await?;
//! for account in &page.items {
//!     println!("{} {:?} {}", account.id, account.asset, account.available_balance);
//! }
//! # Ok(())
//! # }
//! ```

#[macro_use]
mod declare;
#[macro_use]
mod args;

mod api;
#[cfg(feature = "arrow")]
pub mod arrow;
mod client;
pub mod decimal;
pub mod endpoint;
mod enums;
pub mod envelope;
mod error;
pub mod logging;
mod models;
pub mod ops;
pub mod paging;
pub mod recovery;
pub mod retry;
mod secret;
mod serde_util;
pub mod session;
pub mod time;
pub mod totp;
mod validate;
pub mod webhooks;

#[cfg(feature = "schema")]
pub mod schema;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_POOL_IDLE_TIMEOUT,
    DEFAULT_TIMEOUT, ENV_ACCESS_TOKEN, ENV_BASE_URL, ENV_LEGACY_API_KEY, ENV_PASSWORD,
    ENV_TOTP_SECRET, ENV_USERNAME, Frontend, MAX_JSON_DEPTH, MultipartPart, MultipartValue,
    RequestOptions, RetryPolicy, USER_AGENT,
};
pub use endpoint::{Endpoint, Method};
pub use enums::{
    AssetClass, CardCurrency, CardTransferType, CardType, EntityType, ExchangeStatus, ExchangeType,
    PayinTransferType, QuantityType, ShippingMethod, TransferType,
};
pub use envelope::Envelope;
pub use error::{ApiError, ApiErrorItem, Error, ErrorKind, MessageCode, Result, ValidationError};
pub use paging::{Page, Pager};
pub use rust_decimal::Decimal;
pub use secret::Secret;
pub use session::{Credentials, SessionInfo};
pub use totp::Totp;
pub use validate::MAX_TEXT_LEN;

/// The API's areas (`ibanera::accounts`, `ibanera::exchanges`, ...): request structs, models
/// and the area's methods (`client.accounts()`), all from the declaration in `api.rs`.
pub use api::*;
