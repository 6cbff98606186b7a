//! Foreign currency exchange: the models of the currency pairs list. The provider documents
//! only this endpoint's path (its quote and execution are not documented: reachable through
//! `Client::request`).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A currency pair enabled for foreign exchange, with its limits (`fx.pairs`). The provider
/// does not document the pair's fields: its JSON is kept, as the API sent it, in `raw`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CurrencyPair {
    /// The pair exactly as the API sent it.
    pub raw: Value,
}

impl<'de> Deserialize<'de> for CurrencyPair {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Value::deserialize(d).map(|raw| CurrencyPair { raw })
    }
}
