//! The models (results) of each area, and the rules that span several arguments of its
//! requests. Each area's module (`crate::accounts`, ...) re-exports its models.

pub mod accounts;
pub mod exchanges;
pub mod fx;
