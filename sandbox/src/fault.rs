//! Injected faults: what the sandbox does instead of (or after) executing a request.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};

use crate::error::SandboxError;

/// A fault applied to the next N requests to one path (see [`crate::Control::inject_fault`]).
///
/// JSON form (HTTP control endpoint, bindings): an object tagged by `"kind"`:
/// `{"kind":"status","status":503,"body":"...","retryAfter":"2","execute":false}`,
/// `{"kind":"html","status":502,"execute":false}`, `{"kind":"delay","ms":1500}`,
/// `{"kind":"dropBeforeExecute"}`, `{"kind":"dropAfterExecute"}`, `{"kind":"truncate"}`,
/// `{"kind":"malformedJson"}`, `{"kind":"statusZero"}`, `{"kind":"oversizeBody","bytes":N}`,
/// `{"kind":"endlessBody"}`, `{"kind":"deepJson","depth":N}`. `execute` may be omitted (false).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Respond with this status and body. `body: None` sends an error envelope naming the
    /// status; `retry_after` sets the `Retry-After` header. With `execute` the request runs
    /// first (and is counted) and its real response is dropped, as when a gateway times out
    /// while the API executes; without, it never runs.
    Status {
        status: u16,
        body: Option<String>,
        retry_after: Option<String>,
        execute: bool,
    },
    /// Respond with an HTML error page (as a proxy would); `execute` as for `Status`.
    Html { status: u16, execute: bool },
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
    /// Execute, then reply HTTP 200 `application/json` with exactly `bytes` bytes (with
    /// `Content-Length`): an envelope whose `details` is one long string. Generated while it
    /// is sent, so any size costs no memory.
    OversizeBody { bytes: u64 },
    /// Execute, then reply HTTP 200 `application/json` without `Content-Length` and a body
    /// that never ends (an envelope whose `details` string never closes) until the client
    /// disconnects.
    EndlessBody,
    /// Execute, then reply HTTP 200 with a valid envelope whose `details` nests `depth`
    /// arrays (`[[[]]]` for 3).
    DeepJson { depth: u64 },
}

/// Largest `OversizeBody` (1 TiB: "never finishes" for any client, still a finite length).
pub const MAX_OVERSIZE_BYTES: u64 = 1 << 40;
/// Deepest `DeepJson` (a 200 MB body).
pub const MAX_JSON_DEPTH: u64 = 100_000_000;

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
            Fault::OversizeBody { .. } => "oversizeBody",
            Fault::EndlessBody => "endlessBody",
            Fault::DeepJson { .. } => "deepJson",
        }
    }

    /// Whether the request is executed when this fault applies.
    pub fn executes(&self) -> bool {
        match self {
            Fault::Status { execute, .. } | Fault::Html { execute, .. } => *execute,
            Fault::Delay { .. }
            | Fault::DropAfterExecute
            | Fault::Truncate
            | Fault::MalformedJson
            | Fault::OversizeBody { .. }
            | Fault::EndlessBody
            | Fault::DeepJson { .. } => true,
            Fault::DropBeforeExecute | Fault::StatusZero => false,
        }
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
        let execute = || -> Result<bool, SandboxError> {
            match get("execute") {
                None => Ok(false),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(bad("\"execute\" must be true or false".into())),
            }
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
                execute: execute()?,
            },
            "html" => Fault::Html {
                status: status()?,
                execute: execute()?,
            },
            "delay" => Fault::Delay {
                ms: uint("ms", 600_000)?,
            },
            "dropbeforeexecute" => Fault::DropBeforeExecute,
            "dropafterexecute" => Fault::DropAfterExecute,
            "truncate" => Fault::Truncate,
            "malformedjson" => Fault::MalformedJson,
            "statuszero" => Fault::StatusZero,
            "oversizebody" => Fault::OversizeBody {
                bytes: uint("bytes", MAX_OVERSIZE_BYTES)?,
            },
            "endlessbody" => Fault::EndlessBody,
            "deepjson" => {
                let depth = uint("depth", MAX_JSON_DEPTH)?;
                if depth == 0 {
                    return Err(bad("\"depth\" must be at least 1".into()));
                }
                Fault::DeepJson { depth }
            }
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
                execute,
            } => {
                m.insert("status".into(), json!(status));
                m.insert("body".into(), json!(body));
                m.insert("retryAfter".into(), json!(retry_after));
                m.insert("execute".into(), json!(execute));
            }
            Fault::Html { status, execute } => {
                m.insert("status".into(), json!(status));
                m.insert("execute".into(), json!(execute));
            }
            Fault::Delay { ms } => {
                m.insert("ms".into(), json!(ms));
            }
            Fault::OversizeBody { bytes } => {
                m.insert("bytes".into(), json!(bytes));
            }
            Fault::DeepJson { depth } => {
                m.insert("depth".into(), json!(depth));
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
                execute: false,
            },
            Fault::Status {
                status: 504,
                body: None,
                retry_after: None,
                execute: true,
            },
            Fault::Html {
                status: 502,
                execute: false,
            },
            Fault::Html {
                status: 504,
                execute: true,
            },
            Fault::Delay { ms: 250 },
            Fault::DropBeforeExecute,
            Fault::DropAfterExecute,
            Fault::Truncate,
            Fault::MalformedJson,
            Fault::StatusZero,
            Fault::OversizeBody { bytes: 1 << 30 },
            Fault::EndlessBody,
            Fault::DeepJson { depth: 10_000 },
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
        // `execute` defaults to false and must be a boolean.
        assert_eq!(
            Fault::from_json(&json!({"kind": "html", "status": 504})).ok(),
            Some(Fault::Html {
                status: 504,
                execute: false
            })
        );
        assert!(Fault::from_json(&json!({"kind": "html", "status": 504, "execute": 1})).is_err());
        assert!(Fault::from_json(&json!({"kind": "deepJson", "depth": 0})).is_err());
        assert!(Fault::from_json(&json!({"kind": "deepJson"})).is_err());
        assert!(
            Fault::from_json(&json!({"kind": "oversizeBody", "bytes": MAX_OVERSIZE_BYTES + 1}))
                .is_err()
        );
        assert_eq!(
            Fault::from_json(&json!({"kind": "endless_body"})).ok(),
            Some(Fault::EndlessBody)
        );
    }

    #[test]
    fn executes_matches_the_table() {
        let html = |execute| Fault::Html {
            status: 504,
            execute,
        };
        assert!(html(true).executes());
        assert!(!html(false).executes());
        assert!(Fault::OversizeBody { bytes: 1 }.executes());
        assert!(Fault::EndlessBody.executes());
        assert!(Fault::DeepJson { depth: 1 }.executes());
        assert!(!Fault::StatusZero.executes());
    }
}
