//! Small serde helpers for the API's tolerances (wire rule 8).

use serde::{Deserialize, Deserializer};

/// `null` and absent mean the same thing: the type's default (`false` for the `bX` flags).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Asset codes arrive padded (`"AED "`): trimmed.
pub(crate) fn trimmed<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(|s| {
        let t = s.trim();
        if t.len() == s.len() { s } else { t.to_string() }
    }))
}
