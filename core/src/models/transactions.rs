//! Transaction cancellation: the model of the eligibility check. (Submitting a cancellation is
//! not documented with its method and path: reachable through `Client::request`.) The
//! operation is declared in `api.rs`.

use serde::{Deserialize, Serialize};

use crate::serde_util::null_default;

/// Whether an outgoing transfer can still be cancelled (`transactions.cancellation_eligibility`),
/// as of the time of the call: a cancellable transaction may still complete first.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CancellationEligibility {
    /// The transaction's id, as in the request.
    #[serde(default, alias = "Id")]
    pub id: Option<i64>,
    /// Wire `bCancellable`.
    #[serde(
        rename(deserialize = "bCancellable"),
        alias = "BCancellable",
        default,
        deserialize_with = "null_default"
    )]
    pub cancellable: bool,
}
