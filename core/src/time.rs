//! Timestamps (rule 7 of docs/wire-rules.md) and date filters.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;
use std::str::FromStr;

/// Parses every timestamp form the API uses, always giving UTC:
/// `2022-07-07T16:33:08.413+00:00`, `2024-09-10T03:58:40.1066667+00:00`,
/// `2025-05-19T01:33:11.384Z` and `2023-06-09T15:03:40.183` (no offset: read as UTC).
pub fn parse_timestamp(text: &str) -> Result<DateTime<Utc>, String> {
    let s = text.trim();
    let parsed = DateTime::parse_from_rfc3339(s)
        .map(|dt| dt.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
                .map(|naive| naive.and_utc())
        });
    match parsed {
        // Years outside 1-9999 cannot be represented by Python's datetime or in RFC 3339:
        // refused here, so every binding fails the call instead of a later attribute access.
        Some(t) if (1..=9999).contains(&t.year()) => Ok(t),
        Some(_) => Err(format!("`{text}` is outside the years 1 to 9999")),
        None => Err(format!("`{text}` is not a timestamp")),
    }
}

/// The user-facing form: RFC 3339 in UTC with `Z` and 0, 3, 6 or 9 fraction digits.
pub fn format_timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = DateTime<Utc>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an ISO 8601 timestamp")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse_timestamp(v).map_err(E::custom)
    }
}

/// Serde helpers for timestamps on the wire.
pub(crate) mod wire {
    use super::*;

    pub mod option {
        use super::*;

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            struct Opt;
            impl<'de> Visitor<'de> for Opt {
                type Value = Option<DateTime<Utc>>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an ISO 8601 timestamp or null")
                }
                fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_str(TimestampVisitor).map(Some)
                }
            }
            d.deserialize_option(Opt)
        }
    }
}

/// Serializes timestamps for users: RFC 3339 UTC strings.
pub(crate) mod user {
    use super::*;

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(
            t: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&format_timestamp(t)),
                None => s.serialize_none(),
            }
        }
    }
}

/// A bound of a date filter (`FromDate`, `ToDate`): a calendar date or an instant.
///
/// A date is sent as `YYYY-MM-DD` (as the spec's example does), an instant as RFC 3339 UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
}

impl DateBound {
    /// The query-string form.
    pub fn to_query(&self) -> String {
        match self {
            DateBound::Date(d) => d.format("%Y-%m-%d").to_string(),
            DateBound::DateTime(t) => format_timestamp(t),
        }
    }
}

impl From<NaiveDate> for DateBound {
    fn from(d: NaiveDate) -> Self {
        DateBound::Date(d)
    }
}

impl From<DateTime<Utc>> for DateBound {
    fn from(t: DateTime<Utc>) -> Self {
        DateBound::DateTime(t)
    }
}

impl FromStr for DateBound {
    type Err = String;

    /// `2022-07-01`, or any timestamp form [`parse_timestamp`] reads.
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            return Ok(DateBound::Date(d));
        }
        parse_timestamp(t)
            .map(DateBound::DateTime)
            .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD) or an ISO 8601 date-time"))
    }
}

impl fmt::Display for DateBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_query())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> String {
        format_timestamp(&parse_timestamp(s).unwrap())
    }

    #[test]
    fn all_four_wire_forms() {
        assert_eq!(
            roundtrip("2022-07-07T16:33:08.413+00:00"),
            "2022-07-07T16:33:08.413Z"
        );
        assert_eq!(
            roundtrip("2024-09-10T03:58:40.1066667+00:00"),
            "2024-09-10T03:58:40.106666700Z"
        );
        assert_eq!(
            roundtrip("2025-05-19T01:33:11.384Z"),
            "2025-05-19T01:33:11.384Z"
        );
        assert_eq!(
            roundtrip("2023-06-09T15:03:40.183"),
            "2023-06-09T15:03:40.183Z"
        );
        assert_eq!(
            roundtrip("2022-12-06T17:23:47+02:00"),
            "2022-12-06T15:23:47Z"
        );
        assert!(parse_timestamp("yesterday").is_err());
        // An offset can push 9999 over, and year 0 parses: no binding can hold either.
        assert!(parse_timestamp("+10000-01-01T00:00:00Z").is_err());
        for outside in ["9999-12-31T23:30:00-01:00", "0000-01-01T00:00:00"] {
            let e = parse_timestamp(outside).unwrap_err();
            assert!(e.contains("1 to 9999"), "{outside}: {e}");
        }
    }

    #[test]
    fn date_bounds() {
        assert_eq!(
            "2022-07-01".parse::<DateBound>().unwrap().to_query(),
            "2022-07-01"
        );
        assert_eq!(
            "2022-07-01T10:00:00+02:00"
                .parse::<DateBound>()
                .unwrap()
                .to_query(),
            "2022-07-01T08:00:00Z"
        );
        assert!("07/01/2022".parse::<DateBound>().is_err());
    }
}
