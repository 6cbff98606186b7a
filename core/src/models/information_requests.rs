//! Information requests (RFIs): the provider documents the list's and the details' paths and
//! the list's filters, not their fields. Each request keeps its JSON as it arrived (`raw`),
//! with the one field every use needs typed: its id. The operations are declared in `api.rs`.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A request for information from compliance about a flagged transaction
/// (`information_requests.list`, `information_requests.get`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct InformationRequest {
    /// The request's id (`id`, any case; a number or a numeric string, as the callbacks'
    /// `UpdatedInformationRequestIds` carries ids), to pass to `information_requests.get`.
    pub id: Option<i64>,
    /// The request exactly as the API sent it.
    pub raw: Value,
}

impl<'de> Deserialize<'de> for InformationRequest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Value::deserialize(d)?;
        let id = raw
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case("id")))
            .and_then(|(_, v)| match v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            });
        Ok(InformationRequest { id, raw })
    }
}
