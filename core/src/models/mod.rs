//! The models (results) of each area, and the rules that span several arguments of its
//! requests. Each area's module (`crate::accounts`, ...) re-exports its models.

pub mod accounts;
pub mod cards;
pub mod exchanges;
pub mod fx;
pub mod information_requests;
pub mod simulations;
pub mod transactions;
