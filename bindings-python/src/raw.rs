//! `client.request(...)`: any endpoint of the API, for the modules the typed methods do not
//! cover, through the core's `Client::request` (the same authentication, fresh TOTP code,
//! retry rules and envelope decoding as every typed call). Money in a body goes out as exact
//! JSON numbers; numbers in the answer come back as `int` or `decimal.Decimal`.

use ibanera::{Client, Method};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::{Map, Value};

use crate::aio::Done;
use crate::args::{self, ArgError, invalid};
use crate::convert::{decimal_type, json_to_py};
use crate::errors::to_pyerr;

/// A request the caller described, converted and checked, ready to send.
pub struct RawRequest {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Value>,
}

impl RawRequest {
    /// Reads the Python arguments; a `ValidationError` names the argument and the rule.
    pub fn from_python(
        method: &str,
        path: &str,
        query: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
    ) -> Result<RawRequest, ArgError> {
        let method = ibanera::endpoint::parse_method(method).map_err(ArgError::Invalid)?;
        let query = match query {
            None => Vec::new(),
            Some(q) if q.is_none() => Vec::new(),
            Some(q) => query_pairs(q)?,
        };
        let body = match body {
            None => None,
            Some(b) if b.is_none() => None,
            Some(b) => Some(body_json("body", b)?),
        };
        Ok(RawRequest {
            method,
            path: path.to_string(),
            query,
            body,
        })
    }

    /// Sends it; never fails itself (a failure is a `Done` that raises).
    pub async fn run(self, client: Client) -> Done {
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        match client
            .request(self.method, &self.path, &query, self.body.as_ref())
            .await
        {
            Ok(envelope) => Box::new(move |py: Python<'_>| {
                let out = PyDict::new(py);
                out.set_item("id", envelope.id)?;
                out.set_item("details", json_to_py(py, &envelope.details)?)?;
                out.set_item("page_number", envelope.page_number)?;
                out.set_item("page_size", envelope.page_size)?;
                out.set_item("number_of_pages", envelope.number_of_pages)?;
                out.set_item(
                    "warnings",
                    crate::errors::api_error_items(py, &envelope.warnings)?,
                )?;
                Ok(out.into_any().unbind())
            }),
            Err(e) => Box::new(move |py: Python<'_>| Err(to_pyerr(py, e))),
        }
    }
}

/// Query pairs from a mapping or from an iterable of `(key, value)` pairs (a key may repeat);
/// `None` values are left out, booleans are `true`/`false`, dates ISO 8601.
fn query_pairs(q: &Bound<'_, PyAny>) -> Result<Vec<(String, String)>, ArgError> {
    let pairs = if let Ok(items) = q.call_method0("items") {
        items
    } else {
        q.clone()
    };
    let mut out = Vec::new();
    for pair in pairs.try_iter().map_err(|_| {
        invalid(
            "query",
            "must be a mapping or an iterable of (key, value) pairs",
        )
    })? {
        let pair = pair?;
        let tuple = pair
            .cast::<PyTuple>()
            .ok()
            .filter(|t| t.len() == 2)
            .ok_or_else(|| invalid("query", "must hold (key, value) pairs"))?;
        let key_obj = tuple.get_item(0)?;
        let key = key_obj
            .cast::<PyString>()
            .map_err(|_| invalid("query", "keys must be strings"))?
            .to_cow()?
            .into_owned();
        let field = format!("query.{key}");
        let text = match args::to_json(&field, &tuple.get_item(1)?)? {
            Value::Null => continue,
            Value::String(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            _ => return Err(invalid(&field, "must be a single value")),
        };
        out.push((key, text));
    }
    Ok(out)
}

/// How deep a body may nest: the core's limit for responses. A cyclic list or dict (which
/// would recurse forever) ends here too.
const MAX_BODY_DEPTH: usize = ibanera::MAX_JSON_DEPTH;

/// A JSON body from Python data: dicts with string keys, lists and tuples, `None`, `bool`,
/// `int`, `float` (finite), `decimal.Decimal` (sent as a number with exactly its digits),
/// `str`, dates. Anything else, a container that contains itself, or nesting deeper than
/// [`MAX_BODY_DEPTH`] is refused naming the place (`body.items[3]`).
pub(crate) fn body_json(field: &str, v: &Bound<'_, PyAny>) -> Result<Value, ArgError> {
    body_value(field, field, v, 0)
}

fn body_value(
    root: &str,
    field: &str,
    v: &Bound<'_, PyAny>,
    depth: usize,
) -> Result<Value, ArgError> {
    let container =
        v.cast::<PyDict>().is_ok() || v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok();
    if container && depth >= MAX_BODY_DEPTH {
        // Named after the argument: the path down to here would be 128 steps long.
        return Err(invalid(
            root,
            format!("nests deeper than {MAX_BODY_DEPTH} levels (or contains itself)"),
        ));
    }
    if let Ok(dict) = v.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (k, item) in dict.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| invalid(field, "keys must be strings"))?
                .to_cow()?
                .into_owned();
            let value = body_value(root, &format!("{field}.{key}"), &item, depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        let mut items = Vec::new();
        for (i, item) in v.try_iter()?.enumerate() {
            items.push(body_value(
                root,
                &format!("{field}[{i}]"),
                &item?,
                depth + 1,
            )?);
        }
        return Ok(Value::Array(items));
    }
    if v.is_instance(decimal_type(v.py())?)? {
        // A number with exactly the Decimal's digits (never through a float).
        let text = v.str()?.to_cow()?.into_owned();
        return args::number(&text)
            .ok_or_else(|| invalid(field, "must be a finite number".to_string()));
    }
    args::to_json(field, v)
}
