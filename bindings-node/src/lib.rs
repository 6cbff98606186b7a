//! Native part of the npm package `ibanera`: a thin layer over the Rust core.
//!
//! The JavaScript wrapper (`bindings-node/lib/`) is what users import. It turns their options
//! objects into JSON and calls into this module; everything else happens in the core: argument
//! names, parsing and validation (`ibanera::ops::parse`), authentication, retries, decoding.
//!
//! - All I/O runs on napi's multi-threaded Tokio runtime (`tokio_rt`): every method that talks
//!   to the network is an `async fn` whose future is spawned there, and only the finished
//!   result crosses back to the event loop.
//! - Results cross as the core's user-facing JSON text (one `serde_json::to_string`); the
//!   wrapper's `JSON.parse` builds the objects, which measured faster than building them
//!   property by property through napi (see `bindings-node/README.md`).
//! - Errors cross as a JSON payload in the error message (`error::payload`), which the wrapper
//!   turns into its typed error classes.

mod arrow;
mod client;
mod error;
mod sandbox;
mod totp;
mod webhooks;

use napi_derive::napi;
use serde_json::{Value, json};

pub use arrow::{ArrowIpcOptions, NativePage};
pub use client::{CallOptions, ClientConfig, LogSink, NativeClient, NativePager};
pub use sandbox::{NativeSandbox, SandboxOptions, start_sandbox};
pub use totp::NativeTotp;
pub use webhooks::{
    construct_event, construct_quick_buy_event, webhook_event_types, webhook_signature_headers,
};

/// `ibanera-node/<version>`, appended to the core's user agent.
pub const USER_AGENT_TOKEN: &str = concat!("ibanera-node/", env!("CARGO_PKG_VERSION"));

/// The version of this package (and of the core it is built with).
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The operation table as the wrapper needs it, read from `ibanera::ops::OPERATIONS`:
/// `[{name, area, method, positional, endpoint, returns, model, args: [{name, snake, type}]}]`,
/// names in camelCase. The wrapper builds `client.<area>.*` (`client.accounts.get`) from it.
#[napi]
pub fn operations() -> String {
    operations_json().to_string()
}

/// An operation's or helper's arguments as the wrapper reads them.
fn args_json(args: &[ibanera::ops::ArgSpec]) -> Vec<Value> {
    use ibanera::ops::camel_case;
    args.iter()
        .map(|a| {
            json!({"name": camel_case(a.name), "snake": a.name, "type": a.ty.name(),
                   "required": a.required})
        })
        .collect()
}

/// The recovery helpers (`ibanera::recovery::HELPERS`) as the wrapper builds
/// `client.recovery` from them: `[{name, method, args: [{name, snake, type, required}]}]`.
#[napi]
pub fn recovery_helpers() -> String {
    let helpers: Vec<Value> = ibanera::recovery::HELPERS
        .iter()
        .map(|(name, args)| {
            json!({"name": format!("recovery.{name}"), "method": ibanera::ops::camel_case(name),
                   "args": args_json(args)})
        })
        .collect();
    Value::Array(helpers).to_string()
}

pub fn operations_json() -> Value {
    use ibanera::ops::{OPERATIONS, camel_case};
    let ops: Vec<Value> = OPERATIONS
        .iter()
        .map(|op| {
            let args = args_json(op.args);
            json!({
                "name": op.name,
                "area": op.area(),
                "method": camel_case(op.method()),
                "positional": op.positional.map(camel_case),
                "endpoint": op.endpoint.to_string(),
                "returns": op.returns.kind(),
                "model": op.returns.model(),
                "args": args,
            })
        })
        .collect();
    Value::Array(ops)
}

/// JSON whose numbers all survive `JSON.parse`: integers within 2^53 stay numbers, any other
/// number becomes a string of its exact digits (money comes as strings in this package).
pub(crate) fn exact_for_js(v: Value) -> Value {
    const SAFE: i64 = (1 << 53) - 1;
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) if (-SAFE..=SAFE).contains(&i) => Value::Number(n),
            _ => Value::String(n.to_string()),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(exact_for_js).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, exact_for_js(v))).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_a_js_number_cannot_hold_become_strings() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"a":[1,-9007199254740991,9007199254740992,0.100000000000000000,1e2,-0.5]}"#,
        )
        .unwrap();
        assert_eq!(
            exact_for_js(v).to_string(),
            r#"{"a":[1,-9007199254740991,"9007199254740992","0.100000000000000000","1e+2","-0.5"]}"#
        );
    }

    #[test]
    fn the_operation_table_names_every_method_in_camel_case() {
        let ops = operations_json();
        let ops = ops.as_array().unwrap();
        assert_eq!(ops.len(), ibanera::ops::OPERATIONS.len());
        let names: Vec<String> = ops
            .iter()
            .map(|o| format!("{}.{}", o["area"].as_str().unwrap(), o["method"]))
            .collect();
        assert!(names.contains(&"accounts.\"withdrawCrypto\"".to_string()));
        assert!(names.contains(&"exchanges.\"confirmSell\"".to_string()));
        let get = ops.iter().find(|o| o["name"] == "accounts.get").unwrap();
        assert_eq!(get["positional"], "id");
        let buy = ops.iter().find(|o| o["name"] == "exchanges.buy").unwrap();
        let money: Vec<&str> = buy["args"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["type"] == "money")
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert_eq!(money, ["price", "amount"]);
    }

    #[test]
    fn user_agent_token() {
        assert!(USER_AGENT_TOKEN.starts_with("ibanera-node/"));
    }
}
