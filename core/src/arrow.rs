//! Lists as Apache Arrow record batches (feature `arrow`), for data users: a page, or every page
//! of a walk, as columns that pandas, polars, DuckDB and Parquet read without a Python or
//! JavaScript object per value.
//!
//! **One declaration.** A model's Arrow schema is derived from the JSON Schema of the model as
//! users see it (the one [`crate::schema::describe`] publishes and the Python stubs and TypeScript
//! types are generated from), and its values are written by the model's own `Serialize`: no list
//! of fields is written twice. The mapping:
//!
//! | JSON Schema (user-facing form)          | Arrow                                      |
//! |-----------------------------------------|--------------------------------------------|
//! | integer (`int64`)                       | `int64` (`int32`, `uint32` for those formats) |
//! | money (`string`, format `decimal`)      | `decimal128(38, 18)`, exact or an error    |
//! | timestamp (`string`, format `date-time`)| `timestamp[us, tz=UTC]`                    |
//! | wire enum (known values or any string)  | `dictionary<int32, utf8>`, known values first, unknown ones kept |
//! | boolean / string                        | `bool` / `utf8`                            |
//! | nested object                           | `struct` (its fields named the same way)   |
//! | list                                    | `list`                                     |
//! | anything else (raw JSON, integer-or-string ids) | `utf8` (the JSON text, or the value's text) |
//!
//! Nullable types, and fields a model may omit, are nullable columns. Column names follow
//! [`Naming`]: snake_case (Rust, Python, the CLI's Parquet) or camelCase (Node, the JSON form).
//!
//! **Exact.** Money is never rounded: a value with more than 18 decimal places (other than
//! trailing zeros) or more than 20 digits before the point does not fit `decimal128(38, 18)` and
//! the conversion fails with [`Error::Conversion`] naming the field and the row. Timestamps keep
//! microseconds (the API sends at most 7 fractional digits; the 100-nanosecond digit is dropped,
//! as Python's `datetime` drops it).
//!
//! **Streamed.** [`Pager::record_batches`] fetches pages ahead on tasks of its own while the
//! caller converts earlier ones, through a bounded channel. Once the first page gives the page
//! count, the pages after it are fetched concurrently (up to `prefetch` at once, each decoded on
//! a task of its own, handed over in order). At most `prefetch` decoded pages wait in the
//! channel, up to `prefetch` more are being fetched and one is being converted, whatever the
//! length of the walk.
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use ibanera::accounts::ListTransactions;
//! use ibanera::arrow::{ExportSchema, Naming, DEFAULT_PREFETCH};
//! use ibanera::Client;
//!
//! # async fn run(client: Client) -> ibanera::Result<()> {
//! let query = ListTransactions { page_size: Some(1000), ..Default::default() };
//! let schema = ExportSchema::of::<ibanera::accounts::Transaction>(Naming::SnakeCase)?;
//! let mut batches = client
//!     .accounts()
//!     .transactions_pager(query)
//!     .record_batches(schema, DEFAULT_PREFETCH);
//! while let Some(batch) = batches.next().await {
//!     let batch = batch?;
//!     println!("{} rows", batch.num_rows());
//! }
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt::{self, Display, Write as _};
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};

use arrow_array::builder::{
    BooleanBuilder, Decimal128Builder, Float64Builder, Int32Builder, Int64Builder, StringBuilder,
    StringDictionaryBuilder, TimestampMicrosecondBuilder, UInt32Builder,
};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, ListArray, RecordBatch, StringArray, StructArray};
use arrow_buffer::{NullBufferBuilder, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, FieldRef, Fields, Schema, SchemaRef, TimeUnit};
use futures_core::Stream;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::Serialize;
use serde::ser::{self, Impossible, SerializeSeq, SerializeStruct};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::ops::{Call, Output, Returns};
use crate::paging::{Page, Pager};

pub use arrow_array;
pub use arrow_ipc;
pub use arrow_schema;

/// Precision of money columns: `decimal128(38, 18)`.
pub const MONEY_PRECISION: u8 = 38;
/// Scale of money columns (the API's amounts have at most 18 decimal places).
pub const MONEY_SCALE: i8 = 18;
/// The time zone of timestamp columns.
pub const TIMESTAMP_TIME_ZONE: &str = "UTC";
/// Pages fetched ahead of the one being converted, unless the caller says otherwise.
pub const DEFAULT_PREFETCH: usize = 2;

/// Most digits before the decimal point a money column holds (38 - 18).
const MONEY_INTEGER_DIGITS: usize = (MONEY_PRECISION as usize) - (MONEY_SCALE as usize);

/// How columns are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Naming {
    /// `accounts_id`, `date_time` (Rust, Python, the CLI's Parquet and Arrow output).
    #[default]
    SnakeCase,
    /// `accountsId`, `dateTime` (Node; the JSON form's keys).
    CamelCase,
}

impl Naming {
    fn apply(self, key: &str) -> String {
        match self {
            Naming::CamelCase => key.to_string(),
            Naming::SnakeCase => snake_case(key),
        }
    }
}

/// `accountsId` -> `accounts_id` (the inverse of the models' `rename_all = "camelCase"`).
pub fn snake_case(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Schema: derived from the JSON Schema of the user-facing model

/// How one column is written, next to its Arrow field.
#[derive(Debug)]
enum Plan {
    Int64,
    Int32,
    UInt32,
    Float64,
    Bool,
    Utf8,
    /// Any JSON value, as its JSON text.
    Json,
    /// An integer or a string (e.g. FX rate ids), as its text.
    Text,
    Money,
    Timestamp,
    /// Dictionary-encoded strings whose dictionary starts with the documented values.
    Enum(Arc<StringArray>),
    Struct(Vec<Node>),
    List(Box<Node>),
}

#[derive(Debug)]
struct Node {
    /// The key the model's `Serialize` writes (camelCase).
    key: String,
    field: FieldRef,
    plan: Plan,
}

/// The Arrow schema of one model, with what the conversion needs to write it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ExportSchema {
    inner: Arc<SchemaInner>,
}

#[derive(Debug)]
struct SchemaInner {
    model: String,
    naming: Naming,
    schema: SchemaRef,
    /// A non-nullable struct whose fields are the batch's columns.
    root: Node,
}

impl SchemaInner {
    fn nodes(&self) -> &[Node] {
        match &self.root.plan {
            Plan::Struct(nodes) => nodes,
            _ => &[],
        }
    }
}

impl ExportSchema {
    /// The schema of model `T`, from its JSON Schema.
    pub fn of<T: JsonSchema>(naming: Naming) -> Result<ExportSchema> {
        let generator = SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator();
        let root = serde_json::to_value(generator.into_root_schema_for::<T>())
            .map_err(|e| Error::Config(format!("cannot describe a model: {e}")))?;
        let empty = Map::new();
        let defs = root
            .get("$defs")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        Self::from_json_schema(&T::schema_name(), &root, defs, naming)
    }

    /// The schema of the model called `model` in [`crate::schema::describe`] (`"Transaction"`,
    /// the name [`crate::ops::Returns`] gives), or `None` for a name that is not a model.
    pub fn for_model(model: &str, naming: Naming) -> Option<Result<ExportSchema>> {
        static CACHE: OnceLock<Mutex<HashMap<(String, Naming), ExportSchema>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let key = (model.to_string(), naming);
        if let Some(s) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Some(Ok(s));
        }
        let defs = model_definitions();
        let schema = defs.get(model)?;
        let built = Self::from_json_schema(model, schema, defs, naming);
        if let (Ok(s), Ok(mut c)) = (&built, cache.lock()) {
            c.insert(key, s.clone());
        }
        Some(built)
    }

    fn from_json_schema(
        model: &str,
        schema: &Value,
        defs: &Map<String, Value>,
        naming: Naming,
    ) -> Result<ExportSchema> {
        if is_secret(schema) {
            return Err(Error::Config(format!(
                "model {model} holds secrets: its values are never written to columns"
            )));
        }
        let fail = |reason: String| {
            Error::Config(format!(
                "model {model} has no Arrow form: {reason} (a bug in the SDK)"
            ))
        };
        let (plan, ty, _) = convert(schema, defs, naming, 0).map_err(fail)?;
        let Plan::Struct(nodes) = &plan else {
            return Err(fail("it is not an object".into()));
        };
        let fields: Vec<FieldRef> = nodes.iter().map(|n| n.field.clone()).collect();
        Ok(ExportSchema {
            inner: Arc::new(SchemaInner {
                model: model.to_string(),
                naming,
                schema: Arc::new(Schema::new(fields)),
                root: Node {
                    key: String::new(),
                    field: Arc::new(Field::new(model, ty, false)),
                    plan,
                },
            }),
        })
    }

    /// The Arrow schema.
    pub fn schema(&self) -> SchemaRef {
        self.inner.schema.clone()
    }

    /// The model's name (`"Transaction"`).
    pub fn model(&self) -> &str {
        &self.inner.model
    }

    pub fn naming(&self) -> Naming {
        self.inner.naming
    }

    /// The columns holding money (`decimal128(38, 18)`), top level only.
    pub fn money_columns(&self) -> Vec<&str> {
        self.inner
            .nodes()
            .iter()
            .filter(|n| matches!(n.plan, Plan::Money))
            .map(|n| n.field.name().as_str())
            .collect()
    }
}

/// `$defs` of every user-facing model, built once.
fn model_definitions() -> &'static Map<String, Value> {
    static DEFS: OnceLock<Map<String, Value>> = OnceLock::new();
    DEFS.get_or_init(|| match crate::schema::describe().get("models") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    })
}

fn resolve<'a>(reference: &str, defs: &'a Map<String, Value>) -> Result<&'a Value, String> {
    let name = reference
        .strip_prefix("#/$defs/")
        .ok_or_else(|| format!("unsupported reference {reference}"))?;
    defs.get(name)
        .ok_or_else(|| format!("unknown reference {reference}"))
}

/// Known values of a wire enum: `{"anyOf": [{"enum": [...]}, {"type": "string"}]}` or a plain
/// `{"enum": [...]}` of strings.
fn enum_values(s: &Map<String, Value>) -> Option<Vec<String>> {
    let strings = |v: &Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect()
    };
    if let Some(values) = s.get("enum") {
        return strings(values);
    }
    let any = s.get("anyOf")?.as_array()?;
    match any.as_slice() {
        [a, b] if b.get("type") == Some(&Value::from("string")) => strings(a.get("enum")?),
        _ => None,
    }
}

/// A model whose values are secrets (`x-secret`): the bindings show its keys only, so no
/// export writes its values.
fn is_secret(s: &Value) -> bool {
    s.get("x-secret") == Some(&Value::Bool(true))
}

/// One JSON Schema node as (plan, data type, nullable).
fn convert(
    s: &Value,
    defs: &Map<String, Value>,
    naming: Naming,
    depth: usize,
) -> Result<(Plan, DataType, bool), String> {
    if depth > 16 {
        return Err("nested too deeply".into());
    }
    let obj = match s {
        Value::Bool(true) => return Ok((Plan::Json, DataType::Utf8, true)),
        Value::Object(o) => o,
        other => return Err(format!("unsupported schema {other}")),
    };
    if is_secret(s) {
        return Err("it holds a secret".into());
    }
    if let Some(Value::String(r)) = obj.get("$ref") {
        return convert(resolve(r, defs)?, defs, naming, depth + 1);
    }
    if let Some(values) = enum_values(obj) {
        let dictionary = Arc::new(StringArray::from(values));
        let ty = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        return Ok((Plan::Enum(dictionary), ty, false));
    }
    if let Some(Value::Array(any)) = obj.get("anyOf") {
        let is_null = |v: &Value| v.get("type") == Some(&Value::from("null"));
        let rest: Vec<&Value> = any.iter().filter(|v| !is_null(v)).collect();
        let nullable = rest.len() < any.len();
        return match rest.as_slice() {
            [one] => {
                let (plan, ty, n) = convert(one, defs, naming, depth + 1)?;
                Ok((plan, ty, n || nullable))
            }
            _ => Ok((Plan::Text, DataType::Utf8, true)),
        };
    }
    let (types, nullable): (Vec<&str>, bool) = match obj.get("type") {
        Some(Value::String(t)) => (vec![t.as_str()], false),
        Some(Value::Array(ts)) => {
            let all: Vec<&str> = ts.iter().filter_map(Value::as_str).collect();
            let rest: Vec<&str> = all.iter().copied().filter(|t| *t != "null").collect();
            let nullable = rest.len() < all.len();
            (rest, nullable)
        }
        None => return Ok((Plan::Json, DataType::Utf8, true)),
        Some(other) => return Err(format!("unsupported type {other}")),
    };
    let format = obj.get("format").and_then(Value::as_str);
    let (plan, ty) = match types.as_slice() {
        ["integer"] => match format {
            Some("int32") => (Plan::Int32, DataType::Int32),
            Some("uint32") => (Plan::UInt32, DataType::UInt32),
            _ => (Plan::Int64, DataType::Int64),
        },
        ["number"] => (Plan::Float64, DataType::Float64),
        ["boolean"] => (Plan::Bool, DataType::Boolean),
        ["string"] => match format {
            Some("decimal") => (
                Plan::Money,
                DataType::Decimal128(MONEY_PRECISION, MONEY_SCALE),
            ),
            Some("date-time") => (
                Plan::Timestamp,
                DataType::Timestamp(TimeUnit::Microsecond, Some(TIMESTAMP_TIME_ZONE.into())),
            ),
            _ => (Plan::Utf8, DataType::Utf8),
        },
        ["object"] => {
            let props = obj
                .get("properties")
                .and_then(Value::as_object)
                .ok_or("an object without properties")?;
            let required: Vec<&str> = obj
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut nodes = Vec::with_capacity(props.len());
            for (key, prop) in props {
                let (plan, ty, n) =
                    convert(prop, defs, naming, depth + 1).map_err(|e| format!("{key}: {e}"))?;
                let nullable = n || !required.contains(&key.as_str());
                nodes.push(Node {
                    key: key.clone(),
                    field: Arc::new(Field::new(naming.apply(key), ty, nullable)),
                    plan,
                });
            }
            let fields: Fields = nodes.iter().map(|n| n.field.clone()).collect();
            (Plan::Struct(nodes), DataType::Struct(fields))
        }
        ["array"] => {
            let items = obj.get("items").ok_or("a list without items")?;
            let (plan, ty, n) = convert(items, defs, naming, depth + 1)?;
            let field = Arc::new(Field::new("item", ty, n));
            let node = Node {
                key: "item".into(),
                field: field.clone(),
                plan,
            };
            (Plan::List(Box::new(node)), DataType::List(field))
        }
        [_, _, ..] => (Plan::Text, DataType::Utf8),
        other => return Err(format!("unsupported type {other:?}")),
    };
    Ok((plan, ty, nullable))
}

// ---------------------------------------------------------------------------------------------
// Columns

enum Col {
    Int64(Int64Builder),
    Int32(Int32Builder),
    UInt32(UInt32Builder),
    Float64(Float64Builder),
    Bool(BooleanBuilder),
    Utf8(StringBuilder),
    Money(Decimal128Builder),
    Timestamp(TimestampMicrosecondBuilder),
    Enum(StringDictionaryBuilder<Int32Type>),
    Struct {
        children: Vec<Col>,
        nulls: NullBufferBuilder,
        /// Which children this row has written (reset per row).
        filled: Vec<bool>,
    },
    List {
        child: Box<Col>,
        offsets: Vec<i32>,
        nulls: NullBufferBuilder,
    },
}

impl Col {
    fn new(node: &Node) -> Col {
        match &node.plan {
            Plan::Int64 => Col::Int64(Int64Builder::new()),
            Plan::Int32 => Col::Int32(Int32Builder::new()),
            Plan::UInt32 => Col::UInt32(UInt32Builder::new()),
            Plan::Float64 => Col::Float64(Float64Builder::new()),
            Plan::Bool => Col::Bool(BooleanBuilder::new()),
            Plan::Utf8 | Plan::Json | Plan::Text => Col::Utf8(StringBuilder::new()),
            Plan::Money => Col::Money(
                Decimal128Builder::new()
                    .with_precision_and_scale(MONEY_PRECISION, MONEY_SCALE)
                    .expect("38, 18 is a valid decimal128 type"),
            ),
            Plan::Timestamp => Col::Timestamp(
                TimestampMicrosecondBuilder::new().with_timezone(TIMESTAMP_TIME_ZONE),
            ),
            Plan::Enum(known) => Col::Enum(
                StringDictionaryBuilder::new_with_dictionary(0, known)
                    .expect("a wire enum's documented values are distinct"),
            ),
            Plan::Struct(nodes) => Col::Struct {
                children: nodes.iter().map(Col::new).collect(),
                nulls: NullBufferBuilder::new(0),
                filled: vec![false; nodes.len()],
            },
            Plan::List(item) => Col::List {
                child: Box::new(Col::new(item)),
                offsets: vec![0],
                nulls: NullBufferBuilder::new(0),
            },
        }
    }

    fn push_null(&mut self) {
        match self {
            Col::Int64(b) => b.append_null(),
            Col::Int32(b) => b.append_null(),
            Col::UInt32(b) => b.append_null(),
            Col::Float64(b) => b.append_null(),
            Col::Bool(b) => b.append_null(),
            Col::Utf8(b) => b.append_null(),
            Col::Money(b) => b.append_null(),
            Col::Timestamp(b) => b.append_null(),
            Col::Enum(b) => b.append_null(),
            Col::Struct {
                children, nulls, ..
            } => {
                // Masked by the struct's own null: the children need a slot, not a value.
                for c in children {
                    c.push_null();
                }
                nulls.append_null();
            }
            Col::List { offsets, nulls, .. } => {
                let last = offsets.last().copied().unwrap_or(0);
                offsets.push(last);
                nulls.append_null();
            }
        }
    }

    /// The values written since the last call, as an array; the builder stays usable (and an
    /// enum column keeps its dictionary, so later batches extend it instead of renumbering).
    fn finish(&mut self, node: &Node) -> std::result::Result<ArrayRef, String> {
        Ok(match (self, &node.plan) {
            (Col::Int64(b), _) => Arc::new(b.finish()),
            (Col::Int32(b), _) => Arc::new(b.finish()),
            (Col::UInt32(b), _) => Arc::new(b.finish()),
            (Col::Float64(b), _) => Arc::new(b.finish()),
            (Col::Bool(b), _) => Arc::new(b.finish()),
            (Col::Utf8(b), _) => Arc::new(b.finish()),
            (Col::Money(b), _) => Arc::new(b.finish()),
            (Col::Timestamp(b), _) => Arc::new(b.finish()),
            (Col::Enum(b), _) => Arc::new(b.finish_preserve_values()),
            (
                Col::Struct {
                    children, nulls, ..
                },
                Plan::Struct(nodes),
            ) => {
                let arrays = children
                    .iter_mut()
                    .zip(nodes)
                    .map(|(c, n)| c.finish(n))
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                let fields: Fields = nodes.iter().map(|n| n.field.clone()).collect();
                let len = nulls.len();
                Arc::new(
                    StructArray::try_new_with_length(fields, arrays, nulls.finish(), len)
                        .map_err(|e| e.to_string())?,
                )
            }
            (
                Col::List {
                    child,
                    offsets,
                    nulls,
                },
                Plan::List(item),
            ) => {
                let values = child.finish(item)?;
                let offsets =
                    OffsetBuffer::new(ScalarBuffer::from(std::mem::replace(offsets, vec![0])));
                Arc::new(
                    ListArray::try_new(item.field.clone(), offsets, values, nulls.finish())
                        .map_err(|e| e.to_string())?,
                )
            }
            _ => return Err("column and plan disagree".into()),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Money and timestamps, exactly

/// Decimal text (`-123.450`) as the integer of a `decimal128(38, 18)`, or why it does not fit.
/// Digits past the 18th decimal place must be zeros: nothing is ever rounded.
fn money_to_i128(text: &str) -> std::result::Result<i128, String> {
    let b = text.as_bytes();
    let (negative, body) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let (int, frac) = match body.iter().position(|&c| c == b'.') {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, &body[body.len()..]),
    };
    if (int.is_empty() && frac.is_empty())
        || !int.iter().all(u8::is_ascii_digit)
        || !frac.iter().all(u8::is_ascii_digit)
    {
        return Err("is not a plain decimal number".into());
    }
    let first = int.iter().position(|&c| c != b'0').unwrap_or(int.len());
    let int = &int[first..];
    if int.len() > MONEY_INTEGER_DIGITS {
        return Err(format!(
            "has {} digits before the decimal point; decimal128({MONEY_PRECISION}, {MONEY_SCALE}) \
             holds {MONEY_INTEGER_DIGITS} (the value is never rounded)",
            int.len()
        ));
    }
    let last = frac.iter().rposition(|&c| c != b'0').map_or(0, |i| i + 1);
    let frac = &frac[..last];
    if frac.len() > MONEY_SCALE as usize {
        return Err(format!(
            "has {} decimal places; decimal128({MONEY_PRECISION}, {MONEY_SCALE}) holds \
             {MONEY_SCALE} (the value is never rounded)",
            frac.len()
        ));
    }
    let mut v: i128 = 0;
    for &d in int {
        v = v * 10 + i128::from(d - b'0');
    }
    for i in 0..MONEY_SCALE as usize {
        v = v * 10 + frac.get(i).map_or(0, |&d| i128::from(d - b'0'));
    }
    Ok(if negative { -v } else { v })
}

/// RFC 3339 text as microseconds since the epoch (sub-microsecond digits dropped, toward the
/// past, as a `datetime` does).
fn timestamp_micros(text: &str) -> std::result::Result<i64, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_micros())
        .map_err(|_| "is not an RFC 3339 timestamp".into())
}

// ---------------------------------------------------------------------------------------------
// Rows: the model's Serialize writes straight into the columns

#[derive(Debug)]
struct ConvError {
    /// Field names from the column inward (`walletTransferDetails.fromWalletAddress`).
    path: Vec<String>,
    reason: String,
}

impl ConvError {
    fn new(reason: impl Into<String>) -> Self {
        ConvError {
            path: Vec::new(),
            reason: reason.into(),
        }
    }

    fn within(mut self, name: &str) -> Self {
        self.path.insert(0, name.to_string());
        self
    }
}

impl Display for ConvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for ConvError {}

impl ser::Error for ConvError {
    fn custom<T: Display>(msg: T) -> Self {
        ConvError::new(msg.to_string())
    }
}

type ConvResult<T = ()> = std::result::Result<T, ConvError>;

/// Writes one value into one column.
struct ValueSer<'a> {
    node: &'a Node,
    col: &'a mut Col,
    scratch: &'a mut String,
}

fn mismatch(node: &Node, what: &str) -> ConvError {
    ConvError::new(format!(
        "{what} does not fit the column's type {}",
        node.field.data_type()
    ))
}

fn write_int(node: &Node, col: &mut Col, v: i128) -> ConvResult {
    let out_of_range = || ConvError::new(format!("{v} is out of the column's range"));
    match col {
        Col::Int64(b) => b.append_value(i64::try_from(v).map_err(|_| out_of_range())?),
        Col::Int32(b) => b.append_value(i32::try_from(v).map_err(|_| out_of_range())?),
        Col::UInt32(b) => b.append_value(u32::try_from(v).map_err(|_| out_of_range())?),
        Col::Money(b) => {
            let scaled = v
                .checked_mul(10i128.pow(MONEY_SCALE as u32))
                .filter(|s| s.unsigned_abs() < 10u128.pow(u32::from(MONEY_PRECISION)))
                .ok_or_else(out_of_range)?;
            b.append_value(scaled)
        }
        _ => return Err(mismatch(node, "an integer")),
    }
    Ok(())
}

fn write_text(node: &Node, col: &mut Col, v: &str) -> ConvResult {
    match col {
        Col::Utf8(b) => b.append_value(v),
        Col::Enum(b) => {
            b.append(v).map_err(|e| ConvError::new(e.to_string()))?;
        }
        Col::Money(b) => b.append_value(money_to_i128(v).map_err(ConvError::new)?),
        Col::Timestamp(b) => b.append_value(timestamp_micros(v).map_err(ConvError::new)?),
        _ => return Err(mismatch(node, "a string")),
    }
    Ok(())
}

macro_rules! ints {
    ($($f:ident: $t:ty),*) => {$(
        fn $f(self, v: $t) -> ConvResult {
            write_int(self.node, self.col, i128::from(v))
        }
    )*};
}

impl<'a> ser::Serializer for ValueSer<'a> {
    type Ok = ();
    type Error = ConvError;
    type SerializeSeq = SeqSer<'a>;
    type SerializeTuple = Impossible<(), ConvError>;
    type SerializeTupleStruct = Impossible<(), ConvError>;
    type SerializeTupleVariant = Impossible<(), ConvError>;
    type SerializeMap = Impossible<(), ConvError>;
    type SerializeStruct = StructSer<'a>;
    type SerializeStructVariant = Impossible<(), ConvError>;

    ints!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
          serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
          serialize_u64: u64);

    fn serialize_u128(self, v: u128) -> ConvResult {
        let v = i128::try_from(v)
            .map_err(|_| ConvError::new(format!("{v} is out of the column's range")))?;
        write_int(self.node, self.col, v)
    }

    fn serialize_bool(self, v: bool) -> ConvResult {
        match self.col {
            Col::Bool(b) => b.append_value(v),
            _ => return Err(mismatch(self.node, "a boolean")),
        }
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> ConvResult {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> ConvResult {
        match self.col {
            Col::Float64(b) => b.append_value(v),
            // Money is never read from a binary float.
            _ => return Err(mismatch(self.node, "a binary float")),
        }
        Ok(())
    }

    fn serialize_char(self, v: char) -> ConvResult {
        write_text(self.node, self.col, v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> ConvResult {
        write_text(self.node, self.col, v)
    }

    fn collect_str<T: ?Sized + Display>(self, value: &T) -> ConvResult {
        // Money arrives this way: formatted into a reused buffer, not a new String each time.
        let ValueSer { node, col, scratch } = self;
        scratch.clear();
        write!(scratch, "{value}").map_err(|_| ConvError::new("cannot format a value"))?;
        write_text(node, col, scratch)
    }

    fn serialize_bytes(self, _: &[u8]) -> ConvResult {
        Err(mismatch(self.node, "bytes"))
    }

    fn serialize_none(self) -> ConvResult {
        if !self.node.field.is_nullable() {
            return Err(ConvError::new("is null in a column that is not nullable"));
        }
        self.col.push_null();
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> ConvResult {
        value.serialize(self)
    }

    fn serialize_unit(self) -> ConvResult {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _: &'static str) -> ConvResult {
        self.serialize_none()
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> ConvResult {
        write_text(self.node, self.col, variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> ConvResult {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> ConvResult {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> ConvResult<SeqSer<'a>> {
        let Plan::List(item) = &self.node.plan else {
            return Err(mismatch(self.node, "a list"));
        };
        let Col::List {
            child,
            offsets,
            nulls,
        } = self.col
        else {
            return Err(mismatch(self.node, "a list"));
        };
        Ok(SeqSer {
            item,
            child,
            offsets,
            nulls,
            scratch: self.scratch,
            count: 0,
        })
    }

    fn serialize_tuple(self, _: usize) -> ConvResult<Self::SerializeTuple> {
        Err(mismatch(self.node, "a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> ConvResult<Self::SerializeTupleStruct> {
        Err(mismatch(self.node, "a tuple"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> ConvResult<Self::SerializeTupleVariant> {
        Err(mismatch(self.node, "a tuple"))
    }

    fn serialize_map(self, _: Option<usize>) -> ConvResult<Self::SerializeMap> {
        Err(mismatch(self.node, "a map"))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> ConvResult<StructSer<'a>> {
        let Plan::Struct(nodes) = &self.node.plan else {
            return Err(mismatch(self.node, "an object"));
        };
        let Col::Struct {
            children,
            nulls,
            filled,
        } = self.col
        else {
            return Err(mismatch(self.node, "an object"));
        };
        filled.fill(false);
        Ok(StructSer {
            nodes,
            children,
            filled,
            nulls: Some(nulls),
            scratch: self.scratch,
            next: 0,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> ConvResult<Self::SerializeStructVariant> {
        Err(mismatch(self.node, "an enum variant"))
    }
}

struct SeqSer<'a> {
    item: &'a Node,
    child: &'a mut Col,
    offsets: &'a mut Vec<i32>,
    nulls: &'a mut NullBufferBuilder,
    scratch: &'a mut String,
    count: i32,
}

impl SerializeSeq for SeqSer<'_> {
    type Ok = ();
    type Error = ConvError;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> ConvResult {
        write_value(self.item, self.child, self.scratch, value)
            .map_err(|e| e.within(&format!("[{}]", self.count)))?;
        self.count += 1;
        Ok(())
    }

    fn end(self) -> ConvResult {
        let last = self.offsets.last().copied().unwrap_or(0);
        let next = last
            .checked_add(self.count)
            .ok_or_else(|| ConvError::new("a list longer than Arrow's 32-bit offsets"))?;
        self.offsets.push(next);
        self.nulls.append_non_null();
        Ok(())
    }
}

/// Writes the fields of one object into the children of a struct column (or, for a row, into
/// the batch's columns).
struct StructSer<'a> {
    nodes: &'a [Node],
    children: &'a mut [Col],
    filled: &'a mut [bool],
    /// `None` for a row (a batch has no null rows).
    nulls: Option<&'a mut NullBufferBuilder>,
    scratch: &'a mut String,
    /// Where the next key is expected: fields arrive in the model's order.
    next: usize,
}

fn write_value<T: ?Sized + Serialize>(
    node: &Node,
    col: &mut Col,
    scratch: &mut String,
    value: &T,
) -> ConvResult {
    if matches!(node.plan, Plan::Json | Plan::Text) {
        let v = serde_json::to_value(value).map_err(|e| ConvError::new(e.to_string()))?;
        let Col::Utf8(b) = col else {
            return Err(ConvError::new("column and plan disagree"));
        };
        match (&node.plan, &v) {
            // JSON null stays a null cell.
            (_, Value::Null) => b.append_null(),
            // The text of a value that is an integer or a string (an FX rate id).
            (Plan::Text, Value::String(s)) => b.append_value(s),
            (Plan::Text, Value::Number(n)) => b.append_value(n.as_str()),
            _ => b.append_value(v.to_string()),
        }
        return Ok(());
    }
    value.serialize(ValueSer { node, col, scratch })
}

impl SerializeStruct for StructSer<'_> {
    type Ok = ();
    type Error = ConvError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> ConvResult {
        let i = if self.nodes.get(self.next).is_some_and(|n| n.key == key) {
            self.next
        } else {
            self.nodes
                .iter()
                .position(|n| n.key == key)
                .ok_or_else(|| ConvError::new(format!("`{key}` is not in the model's schema")))?
        };
        let node = &self.nodes[i];
        if std::mem::replace(&mut self.filled[i], true) {
            return Err(ConvError::new("is written twice").within(node.field.name()));
        }
        self.next = i + 1;
        write_value(node, &mut self.children[i], self.scratch, value)
            .map_err(|e| e.within(node.field.name()))
    }

    fn end(self) -> ConvResult {
        for (i, done) in self.filled.iter().enumerate() {
            if !done {
                let node = &self.nodes[i];
                if !node.field.is_nullable() {
                    return Err(ConvError::new("is missing").within(node.field.name()));
                }
                self.children[i].push_null();
            }
        }
        if let Some(nulls) = self.nulls {
            nulls.append_non_null();
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Batches

/// Collects rows of one model into record batches. Rows are numbered from `first_row` across
/// batches, so an error names the row of the whole export.
pub struct BatchBuilder {
    schema: ExportSchema,
    /// A struct column whose children are the batch's columns.
    root: Col,
    scratch: String,
    rows: usize,
    next_row: u64,
    /// A failed row leaves columns of unequal length: nothing more is accepted.
    poisoned: bool,
}

impl BatchBuilder {
    pub fn new(schema: ExportSchema) -> BatchBuilder {
        let root = Col::new(&schema.inner.root);
        BatchBuilder {
            schema,
            root,
            scratch: String::new(),
            rows: 0,
            next_row: 0,
            poisoned: false,
        }
    }

    /// Numbers the next row `row` (for the messages of errors).
    pub fn with_first_row(mut self, row: u64) -> BatchBuilder {
        self.next_row = row;
        self
    }

    pub fn schema(&self) -> &ExportSchema {
        &self.schema
    }

    /// Rows since the last [`BatchBuilder::finish`].
    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends one item (a model of this schema, in its user-facing `Serialize` form).
    pub fn push<T: Serialize + ?Sized>(&mut self, item: &T) -> Result<()> {
        let row = self.next_row;
        if self.poisoned {
            return Err(Error::Conversion {
                field: String::new(),
                row,
                reason: "an earlier row failed; this batch cannot be completed".into(),
            });
        }
        // A row is a non-nullable struct: anything wrapping it (a newtype, an untagged enum such
        // as `ops::Item`) is looked through by the value serializer.
        let r = item.serialize(ValueSer {
            node: &self.schema.inner.root,
            col: &mut self.root,
            scratch: &mut self.scratch,
        });
        match r {
            Ok(()) => {
                self.rows += 1;
                self.next_row += 1;
                Ok(())
            }
            Err(e) => {
                self.poisoned = true;
                Err(Error::Conversion {
                    field: e.path.join("."),
                    row,
                    reason: e.reason,
                })
            }
        }
    }

    /// The rows since the last call as one batch (possibly empty). Enum columns keep their
    /// dictionary for the next batch: a value keeps its code through a whole export.
    pub fn finish(&mut self) -> Result<RecordBatch> {
        if self.poisoned {
            return Err(Error::Conversion {
                field: String::new(),
                row: self.next_row,
                reason: "an earlier row failed; this batch cannot be completed".into(),
            });
        }
        let inner = self.schema.inner.clone();
        let bug = |reason: String| Error::Conversion {
            field: String::new(),
            row: self.next_row,
            reason: format!("cannot assemble the batch: {reason} (a bug in the SDK)"),
        };
        let Col::Struct {
            children, nulls, ..
        } = &mut self.root
        else {
            return Err(bug("the row is not a struct".into()));
        };
        // Rows are never null: the struct's own validity is not part of a batch.
        let _ = nulls.finish();
        let columns = children
            .iter_mut()
            .zip(inner.nodes())
            .map(|(c, n)| c.finish(n))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(bug)?;
        self.rows = 0;
        RecordBatch::try_new(inner.schema.clone(), columns).map_err(|e| bug(e.to_string()))
    }
}

/// `items` as one record batch, rows numbered from `first_row`.
pub fn to_record_batch<T: Serialize>(
    schema: &ExportSchema,
    items: &[T],
    first_row: u64,
) -> Result<RecordBatch> {
    let mut b = BatchBuilder::new(schema.clone()).with_first_row(first_row);
    for item in items {
        b.push(item)?;
    }
    b.finish()
}

impl<T: Serialize> Page<T> {
    /// This page's items as one record batch of `schema`.
    pub fn to_record_batch(&self, schema: &ExportSchema) -> Result<RecordBatch> {
        to_record_batch(schema, &self.items, 0)
    }
}

impl<T: Serialize + JsonSchema> Page<T> {
    /// This page's items as one record batch, the schema derived from `T`.
    pub fn to_arrow(&self, naming: Naming) -> Result<RecordBatch> {
        self.to_record_batch(&ExportSchema::of::<T>(naming)?)
    }
}

/// Arrow IPC stream bytes (schema, dictionaries, batches, end marker), as the `apache-arrow`
/// npm package, pyarrow and DuckDB read them.
pub fn ipc_stream_bytes(schema: &Schema, batches: &[RecordBatch]) -> Result<Vec<u8>> {
    let fail = |e: arrow_schema::ArrowError| Error::Config(format!("cannot write Arrow IPC: {e}"));
    let mut w = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), schema).map_err(fail)?;
    for b in batches {
        w.write(b).map_err(fail)?;
    }
    w.into_inner().map_err(fail)
}

// ---------------------------------------------------------------------------------------------
// Walks: every page, fetched ahead

type PageResult<T> = Result<Page<T>>;

/// Items a caller holds, of any model type, waiting to be pushed as the first batch.
type PushHeld = Box<dyn FnOnce(&mut BatchBuilder) -> Result<usize> + Send>;

enum State<T> {
    Idle(Pager<T>),
    Running {
        rx: tokio::sync::mpsc::Receiver<PageResult<T>>,
        task: tokio::task::JoinHandle<()>,
    },
    /// Polled outside a Tokio runtime: the first poll says so.
    NoRuntime,
    Done,
}

/// The record batches of a walk, one per page (empty pages give none). Dropping it stops the
/// fetching.
pub struct RecordBatchStream<T> {
    state: State<T>,
    /// Items already at hand (a page the caller has), converted before the first fetched page:
    /// pushes them into the builder and says how many there were.
    first: Option<PushHeld>,
    prefetch: usize,
    builder: BatchBuilder,
    pages: u64,
    page_number: Option<u32>,
    number_of_pages: Option<u32>,
}

impl<T: Serialize + Send + 'static> Pager<T> {
    /// Every page from the pager's next one to the last, as record batches of `schema`.
    /// Pages are fetched ahead of the one being converted: at most `prefetch` (at least 1;
    /// [`DEFAULT_PREFETCH`]) wait converted-to-be and at most `prefetch` more are in flight
    /// (concurrently once the first page gave the page count; the walk then covers the pages
    /// that count named). Fetching starts on the first poll, on the Tokio runtime that polls.
    pub fn record_batches(self, schema: ExportSchema, prefetch: usize) -> RecordBatchStream<T> {
        RecordBatchStream {
            state: State::Idle(self),
            first: None,
            prefetch: prefetch.max(1),
            builder: BatchBuilder::new(schema),
            pages: 0,
            page_number: None,
            number_of_pages: None,
        }
    }
}

impl<T: Serialize + Send + 'static> RecordBatchStream<T> {
    /// Starts with `items` (the page a caller already holds, e.g. the one a binding returned):
    /// they become the first batch and rows of the fetched pages are numbered after them, so a
    /// page's `to_arrow(all_pages)` is this page and every page after it. Empty `items` are
    /// skipped like an empty page. They may be of another type than the walk's items (a
    /// binding holds the page's models, the walk yields [`crate::ops::Item`]s) as long as they
    /// serialize to the same model.
    pub fn with_first_items<U: Serialize + Send + 'static>(mut self, items: Vec<U>) -> Self {
        self.first = Some(Box::new(move |builder: &mut BatchBuilder| {
            items.iter().try_for_each(|item| builder.push(item))?;
            Ok(items.len())
        }));
        self
    }

    pub fn schema(&self) -> SchemaRef {
        self.builder.schema.schema()
    }

    pub fn export_schema(&self) -> &ExportSchema {
        &self.builder.schema
    }

    /// Pages received so far (empty ones included).
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// The number of the last page received, as the API gave it.
    pub fn page_number(&self) -> Option<u32> {
        self.page_number
    }

    /// The page count the last page received gave (for a progress bar).
    pub fn number_of_pages(&self) -> Option<u32> {
        self.number_of_pages
    }

    /// The next batch, or `None` after the last page.
    pub async fn next_batch(&mut self) -> Result<Option<RecordBatch>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// Every remaining batch.
    pub async fn collect_batches(mut self) -> Result<Vec<RecordBatch>> {
        let mut out = Vec::new();
        while let Some(b) = self.next_batch().await? {
            out.push(b);
        }
        Ok(out)
    }

    fn start(&mut self) {
        let State::Idle(_) = &self.state else {
            return;
        };
        let State::Idle(pager) = std::mem::replace(&mut self.state, State::Done) else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.state = State::NoRuntime;
            return;
        };
        let (tx, rx) = tokio::sync::mpsc::channel(self.prefetch);
        let prefetch = self.prefetch;
        let task = runtime.spawn(produce(pager, tx, prefetch, runtime.clone()));
        self.state = State::Running { rx, task };
    }
}

/// Fetches the walk's pages into `tx` (which holds at most `prefetch`). The first page comes
/// through the pager (and its checks); when it gives the page count, the pages after it are
/// independent requests: up to `prefetch` of them run at once, each on a task of its own (so
/// their decoding uses every core), and are sent in order. Otherwise page by page.
async fn produce<T: Send + 'static>(
    mut pager: Pager<T>,
    tx: tokio::sync::mpsc::Sender<PageResult<T>>,
    prefetch: usize,
    runtime: tokio::runtime::Handle,
) {
    use futures_util::StreamExt;
    let first = match pager.next_page().await {
        Ok(Some(page)) => page,
        Ok(None) => return,
        Err(e) => {
            let _ = tx.send(Err(e)).await;
            return;
        }
    };
    let rest = match (first.page_number, first.number_of_pages) {
        (Some(n), Some(total)) if !pager.is_done() && total > n => Some(n + 1..=total),
        _ => None,
    };
    // Waits while `prefetch` pages are queued: the bound on memory.
    if tx.send(Ok(first)).await.is_err() {
        return;
    }
    let Some(rest) = rest else {
        loop {
            let page = match pager.next_page().await {
                Ok(Some(page)) => Ok(page),
                Ok(None) => return,
                Err(e) => Err(e),
            };
            let failed = page.is_err();
            if tx.send(page).await.is_err() || failed {
                return;
            }
        }
    };
    let mut pages = futures_util::stream::iter(rest)
        .map(|n| AbortOnDrop(runtime.spawn(pager.fetch_page(n))))
        .buffered(prefetch);
    // Each fetch checks that the server returned the page asked for (as a walk's do).
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(result) => result,
            Err(join) => Err(Error::Config(format!("a page fetch stopped: {join}"))),
        };
        // An empty page ends the walk (the list shrank while it was read), as it does page by
        // page.
        let stop = page.as_ref().map_or(true, |p| p.items.is_empty());
        if tx.send(page).await.is_err() || stop {
            return;
        }
    }
}

/// A spawned fetch that is cancelled when the walk is dropped.
struct AbortOnDrop<R>(tokio::task::JoinHandle<R>);

impl<R> std::future::Future for AbortOnDrop<R> {
    type Output = std::result::Result<R, tokio::task::JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

impl<R> Drop for AbortOnDrop<R> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T: Serialize + Send + 'static> Stream for RecordBatchStream<T> {
    type Item = Result<RecordBatch>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(push) = this.first.take() {
            let converted = match push(&mut this.builder) {
                Ok(0) => None,
                Ok(_) => Some(this.builder.finish()),
                Err(e) => Some(Err(e)),
            };
            if let Some(converted) = converted {
                if converted.is_err() {
                    this.stop();
                }
                return Poll::Ready(Some(converted));
            }
        }
        this.start();
        if let State::NoRuntime = this.state {
            this.state = State::Done;
            return Poll::Ready(Some(Err(Error::Config(
                "an Arrow export walks pages on a Tokio runtime: poll it inside one".into(),
            ))));
        }
        loop {
            let State::Running { rx, .. } = &mut this.state else {
                return Poll::Ready(None);
            };
            let page = match rx.poll_recv(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.state = State::Done;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(e))) => {
                    this.stop();
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(page))) => page,
            };
            this.pages += 1;
            this.page_number = page.page_number;
            this.number_of_pages = page.number_of_pages;
            if page.items.is_empty() {
                continue;
            }
            let converted = page
                .items
                .iter()
                .try_for_each(|item| this.builder.push(item))
                .and_then(|()| this.builder.finish());
            drop(page);
            if converted.is_err() {
                this.stop();
            }
            return Poll::Ready(Some(converted));
        }
    }
}

// Nothing in the stream is ever pinned in place (items are only moved out of their Vec).
impl<T> Unpin for RecordBatchStream<T> {}

impl<T> RecordBatchStream<T> {
    fn stop(&mut self) {
        if let State::Running { task, .. } = &self.state {
            task.abort();
        }
        self.state = State::Done;
    }
}

impl<T> Drop for RecordBatchStream<T> {
    fn drop(&mut self) {
        self.stop();
    }
}

// ---------------------------------------------------------------------------------------------
// Loosely typed calls (the CLI and the bindings)

impl Call {
    /// The Arrow schema of the items this call lists (pages and plain lists), or `None` for a
    /// call that returns one object or nothing.
    pub fn export_schema(&self, naming: Naming) -> Option<Result<ExportSchema>> {
        match self.op().returns {
            Returns::Page(model) | Returns::List(model) => ExportSchema::for_model(model, naming),
            Returns::One(_) | Returns::Secret(_) | Returns::Nothing => None,
        }
    }

    /// Every page of a list call as record batches (see [`Pager::record_batches`]); `None` for
    /// calls that do not return pages.
    pub fn record_batches(
        &self,
        client: &crate::Client,
        naming: Naming,
        prefetch: usize,
    ) -> Option<Result<RecordBatchStream<crate::ops::Item>>> {
        let pager = self.pager(client)?;
        let schema = match self.export_schema(naming)? {
            Ok(s) => s,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(pager.record_batches(schema, prefetch)))
    }

    /// The same list call for the page after `page`, which this call returned; `None` on the
    /// last page and for calls that do not return pages. A binding that hands out pages uses
    /// it to export a page and every page after it
    /// (`next.record_batches(..).with_first_items(page.items)`).
    pub fn next_page_call<T>(&self, page: &Page<T>) -> Option<Call> {
        if !self.op().is_paged() {
            return None;
        }
        self.at_page(page.next_page_number(self.page_number())?)
    }
}

/// Turns a list result into one record batch, whatever its model: [`Output::visit`] hands it
/// the typed items, and the model's name (its JSON Schema name, the one the table gives) picks
/// the cached schema.
struct BatchVisitor {
    naming: Naming,
}

impl BatchVisitor {
    fn batch<T: Serialize + JsonSchema>(&self, items: &[T]) -> Result<RecordBatch> {
        let model = T::schema_name();
        let schema = ExportSchema::for_model(&model, self.naming).unwrap_or_else(|| {
            Err(Error::Config(format!(
                "{model} is not a model (a bug in the SDK)"
            )))
        })?;
        to_record_batch(&schema, items, 0)
    }
}

impl<T: Serialize + JsonSchema> crate::ops::Visitor<T> for BatchVisitor {
    type Out = Option<Result<RecordBatch>>;

    fn one(self, _: T) -> Self::Out {
        None
    }

    fn list(self, values: Vec<T>) -> Self::Out {
        Some(self.batch(&values))
    }

    fn page(self, page: Page<T>) -> Self::Out {
        Some(self.batch(&page.items))
    }
}

impl Output {
    /// The items of a list result (a page, or a plain list such as the pairs) as one record
    /// batch; `None` for a result that is one object or nothing.
    pub fn into_record_batch(self, naming: Naming) -> Option<Result<RecordBatch>> {
        self.visit(BatchVisitor { naming })
    }
}

#[cfg(test)]
mod tests;
