//! The sandbox over real HTTP on an ephemeral port, without the SDK core.

mod accounts;
mod auth;
mod binary;
mod cards;
mod common;
mod control;
mod exchanges;
mod faults;
mod more;
mod receiver;
mod webhooks;
