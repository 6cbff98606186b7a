//! Injected faults: what the sandbox does instead of (or after) executing a request.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};

use crate::error::SandboxError;

/// A fault applied to the next N requests to one path (see [`crate::Control::inject_fault`]).
///
/// JSON form (HTTP control endpoint, bindings): an object tagged by `"kind"`:
/// `{"kind":"status","status":503,"body":"...","retryAfter":"2"}`, `{"kind":"html","status":502}`,
/// `{"kind":"delay","ms":1500}`, `{"kind":"dropBeforeExecute"}`, `{"kind":"dropAfterExecute"}`,
/// `{"kind":"truncate"}`, `{"kind":"malformedJson"}`, `{"kind":"statusZero"}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Respond with this status and body instead of executing. `body: None` sends an error
    /// envelope naming the status; `retry_after` sets the `Retry-After` header.
    Status {
        status: u16,
        body: Option<String>,
        retry_after: Option<String>,
    },
    /// Respond with an HTML error page (as a proxy would) instead of executing.
    Html { status: u16 },
    /// Execute normally, then wait `ms` milliseconds before responding.
    Delay { ms: u64 },
    /// Close the connection without a response and without executing.
    DropBeforeExecute,
    /// Execute, then close the connection without a response.
    DropAfterExecute,
    /// Execute, then send a `Content-Length` larger than the body sent and close mid-body.
    Truncate,
    /// Execute, then reply HTTP 200 with a body that is not valid JSON.
    MalformedJson,
    /// Reply HTTP 200 with an envelope whose `status` is `"0"`, without executing.
    StatusZero,
}

impl Fault {
    /// The JSON `kind` tag.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Status { .. } => "status",
            Fault::Html { .. } => "html",
            Fault::Delay { .. } => "delay",
            Fault::DropBeforeExecute => "dropBeforeExecute",
            Fault::DropAfterExecute => "dropAfterExecute",
            Fault::Truncate => "truncate",
            Fault::MalformedJson => "malformedJson",
            Fault::StatusZero => "statusZero",
        }
    }

    /// Whether the request is executed when this fault applies.
    pub fn executes(&self) -> bool {
        matches!(
            self,
            Fault::Delay { .. } | Fault::DropAfterExecute | Fault::Truncate | Fault::MalformedJson
        )
    }

    /// Parses the JSON form (keys and the kind matched ignoring case, `_` and `-`).
    pub fn from_json(v: &Value) -> Result<Fault, SandboxError> {
        let bad = |reason: String| SandboxError::invalid("Fault", "Invalid", reason);
        let Value::Object(m) = v else {
            return Err(bad("a fault is a JSON object with a \"kind\"".into()));
        };
        let get = |name: &str| -> Option<&Value> {
            m.iter()
                .find(|(k, _)| norm(k) == norm(name))
                .map(|(_, v)| v)
                .filter(|v| !v.is_null())
        };
        let uint = |name: &str, max: u64| -> Result<u64, SandboxError> {
            let v = get(name).ok_or_else(|| bad(format!("missing \"{name}\"")))?;
            let n = match v {
                Value::Number(n) => n.as_str().parse::<u64>().ok(),
                Value::String(s) => s.trim().parse::<u64>().ok(),
                _ => None,
            };
            n.filter(|n| *n <= max)
                .ok_or_else(|| bad(format!("\"{name}\" must be an integer 0..={max}")))
        };
        let status = || -> Result<u16, SandboxError> {
            let s = uint("status", 599)?;
            if s < 200 {
                return Err(bad("\"status\" must be 200..=599".into()));
            }
            Ok(s as u16)
        };
        let kind = match get("kind") {
            Some(Value::String(s)) => norm(s),
            _ => return Err(bad("missing \"kind\"".into())),
        };
        Ok(match kind.as_str() {
            "status" => Fault::Status {
                status: status()?,
                body: match get("body") {
                    None => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(other) => Some(other.to_string()),
                },
                retry_after: match get("retryAfter") {
                    None => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    Some(_) => return Err(bad("\"retryAfter\" must be a string".into())),
                },
            },
            "html" => Fault::Html { status: status()? },
            "delay" => Fault::Delay {
                ms: uint("ms", 600_000)?,
            },
            "dropbeforeexecute" => Fault::DropBeforeExecute,
            "dropafterexecute" => Fault::DropAfterExecute,
            "truncate" => Fault::Truncate,
            "malformedjson" => Fault::MalformedJson,
            "statuszero" => Fault::StatusZero,
            other => return Err(bad(format!("unknown fault kind {other:?}"))),
        })
    }

    /// The JSON form.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), json!(self.kind()));
        match self {
            Fault::Status {
                status,
                body,
                retry_after,
            } => {
                m.insert("status".into(), json!(status));
                m.insert("body".into(), json!(body));
                m.insert("retryAfter".into(), json!(retry_after));
            }
            Fault::Html { status } => {
                m.insert("status".into(), json!(status));
            }
            Fault::Delay { ms } => {
                m.insert("ms".into(), json!(ms));
            }
            _ => {}
        }
        Value::Object(m)
    }
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Serialize for Fault {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Fault {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Fault::from_json(&v).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip() {
        let faults = [
            Fault::Status {
                status: 503,
                body: Some("{}".into()),
                retry_after: Some("2".into()),
            },
            Fault::Status {
                status: 429,
                body: None,
                retry_after: None,
            },
            Fault::Html { status: 502 },
            Fault::Delay { ms: 250 },
            Fault::DropBeforeExecute,
            Fault::DropAfterExecute,
            Fault::Truncate,
            Fault::MalformedJson,
            Fault::StatusZero,
        ];
        for f in faults {
            assert_eq!(Fault::from_json(&f.to_json()).ok(), Some(f.clone()));
            let text = serde_json::to_string(&f).unwrap_or_default();
            assert_eq!(serde_json::from_str::<Fault>(&text).ok(), Some(f));
        }
        let v = json!({"KIND": "drop_before_execute"});
        assert_eq!(Fault::from_json(&v).ok(), Some(Fault::DropBeforeExecute));
        assert!(Fault::from_json(&json!({"kind": "status", "status": 99})).is_err());
        assert!(Fault::from_json(&json!({"kind": "nope"})).is_err());
        assert!(Fault::from_json(&json!([1])).is_err());
    }
}
