//! The typed surface as data: every operation's name, endpoint, arguments and result, and a
//! dispatcher from loosely typed arguments (JSON from Node, Python keyword arguments, CLI flags)
//! to the typed methods.
//!
//! The operations are declared once, in `api.rs`; [`OPERATIONS`], [`Call`], [`Output`] and
//! [`Item`] are generated from that declaration. The bindings and the CLI generate their
//! signatures from [`OPERATIONS`] and call [`call_json`] or [`parse`] instead of describing the
//! API again.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::endpoint::Endpoint;
use crate::error::{Error, Result, ValidationError};
use crate::paging::{Page, Pager};

pub use crate::api::{AREAS, Call, Item, OPERATIONS, Output, VisitOutput};
pub use crate::args::read_money;

/// The type of an argument, as users pass it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgType {
    /// A positive integer id.
    Id,
    /// A page number or size (1 or more).
    Count,
    /// Money: a decimal string, an integer, or a JSON number (exact digits).
    Money,
    Text,
    /// `YYYY-MM-DD` or an ISO 8601 date-time.
    Date,
    /// As `quote` returned it: integer or string.
    FxRateId,
    /// One of these wire values (case-insensitive).
    Enum(&'static [&'static str]),
    /// A JSON object with these documented keys (snake_case or camelCase); keys the
    /// documentation does not list are sent as given.
    Object(&'static [ArgSpec]),
    /// A JSON object sent as given (the documentation lists none of its keys).
    Json,
}

impl ArgType {
    /// The type's name in the describe output and the bindings' tables.
    pub fn name(&self) -> &'static str {
        match self {
            ArgType::Id => "id",
            ArgType::Count => "count",
            ArgType::Money => "money",
            ArgType::Text => "text",
            ArgType::Date => "date",
            ArgType::FxRateId => "fx_rate_id",
            ArgType::Enum(_) => "enum",
            ArgType::Object(_) => "object",
            ArgType::Json => "json",
        }
    }
}

/// One argument of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgSpec {
    /// snake_case (Python, Rust, CLI `--customers-id`); Node uses the camelCase form.
    pub name: &'static str,
    /// The key it travels under (query parameter or body key), as the API spells it.
    pub wire: &'static str,
    pub ty: ArgType,
    /// Required in every call (conditional rules are checked by the request's `validate`).
    pub required: bool,
    pub doc: &'static str,
}

/// What an operation returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// One object of the named model.
    One(&'static str),
    /// A page of the named model (walkable with a pager).
    Page(&'static str),
    /// A plain list of the named model.
    List(&'static str),
    /// One object of the named model whose values are secrets: bindings never print them
    /// (`Debug`, `repr`, `toString` and logs show the keys at most).
    Secret(&'static str),
    /// Nothing: the success carries no details (Rust `()`, Python `None`, Node `undefined`).
    Nothing,
}

impl Returns {
    /// The kind's name in the describe output and the bindings' tables.
    pub fn kind(&self) -> &'static str {
        match self {
            Returns::One(_) => "one",
            Returns::Page(_) => "page",
            Returns::List(_) => "list",
            Returns::Secret(_) => "secret",
            Returns::Nothing => "none",
        }
    }

    /// The model's name (`None` for [`Returns::Nothing`]).
    pub fn model(&self) -> Option<&'static str> {
        match self {
            Returns::One(m) | Returns::Page(m) | Returns::List(m) | Returns::Secret(m) => Some(m),
            Returns::Nothing => None,
        }
    }
}

/// An area of the API (`client.accounts()`): its operations are the rows of [`OPERATIONS`]
/// whose name starts with `name.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaSpec {
    /// snake_case (`information_requests`); Node uses the camelCase form.
    pub name: &'static str,
    /// What the area holds (its doc; lines joined, not re-wrapped).
    pub doc: &'static str,
}

/// One typed operation of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpSpec {
    /// `area.method` (`accounts.get`).
    pub name: &'static str,
    pub endpoint: Endpoint,
    pub args: &'static [ArgSpec],
    /// The argument that may be passed positionally (`client.accounts.get(1055)`).
    pub positional: Option<&'static str>,
    pub returns: Returns,
    pub doc: &'static str,
}

impl OpSpec {
    pub fn area(&self) -> &'static str {
        self.name
            .split_once('.')
            .map(|(a, _)| a)
            .unwrap_or(self.name)
    }

    pub fn method(&self) -> &'static str {
        self.name
            .split_once('.')
            .map(|(_, m)| m)
            .unwrap_or(self.name)
    }

    /// True for POSTs: they move money (or could) and are never re-sent once sent.
    pub fn moves_money(&self) -> bool {
        self.endpoint.moves_money()
    }

    pub fn is_paged(&self) -> bool {
        matches!(self.returns, Returns::Page(_))
    }
}

/// The operation called `name` (`"accounts.get"`).
pub fn find(name: &str) -> Option<&'static OpSpec> {
    OPERATIONS.iter().find(|op| op.name == name)
}

/// The camelCase form of a snake_case name (`customers_id` -> `customersId`).
pub fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The arguments of one call, read by their spec: snake_case and camelCase keys both work,
/// `null` means absent, an unknown key is an error naming it (a typo is not silently dropped).
pub struct Args {
    op: &'static OpSpec,
    values: BTreeMap<&'static str, Value>,
}

impl Args {
    /// Reads an object of arguments for `op` (a JSON object, or `null` for none).
    pub fn new(op: &'static OpSpec, args: &Value) -> Result<Args, ValidationError> {
        Ok(Args {
            op,
            values: read_named(op.args, op.name, args)?,
        })
    }

    pub fn op(&self) -> &'static OpSpec {
        self.op
    }

    /// The value given for the argument `name` (`None` when absent or `null`).
    pub(crate) fn get(&self, name: &'static str) -> Option<&Value> {
        debug_assert!(
            self.op.args.iter().any(|a| a.name == name),
            "{name} not in spec of {}",
            self.op.name
        );
        self.values.get(name)
    }
}

/// Named arguments by their specs (of an operation, or of a helper such as
/// `recovery.find_withdrawals`): snake_case and camelCase keys both work, `null` means absent,
/// an unknown key or a missing required argument is an error naming it.
pub(crate) fn read_named(
    specs: &'static [ArgSpec],
    name: &str,
    args: &Value,
) -> Result<BTreeMap<&'static str, Value>, ValidationError> {
    let empty = Map::new();
    let map = match args {
        Value::Object(m) => m,
        Value::Null => &empty,
        _ => {
            return Err(ValidationError::new(
                "arguments",
                "must be an object of named arguments",
            ));
        }
    };
    let mut values = BTreeMap::new();
    for (key, value) in map {
        let spec = specs
            .iter()
            .find(|a| normalise(a.name) == normalise(key))
            .ok_or_else(|| {
                let known: Vec<&str> = specs.iter().map(|a| a.name).collect();
                ValidationError::new(
                    "arguments",
                    if known.is_empty() {
                        format!("`{key}` is not an argument of {name} (it takes none)")
                    } else {
                        format!(
                            "`{key}` is not an argument of {name} (known: {})",
                            known.join(", ")
                        )
                    },
                )
            })?;
        if value.is_null() {
            continue;
        }
        if values.insert(spec.name, value.clone()).is_some() {
            return Err(ValidationError::new(
                spec.name,
                "is given twice (snake_case and camelCase)",
            ));
        }
    }
    for a in specs.iter().filter(|a| a.required) {
        if !values.contains_key(a.name) {
            return Err(ValidationError::new(a.name, "is required"));
        }
    }
    Ok(values)
}

/// Reads `args` for the operation `name` into a typed [`Call`] and validates it (rule 10 of docs/wire-rules.md):
/// everything a binding needs to refuse bad input before anything is sent.
pub fn parse(name: &str, args: &Value) -> Result<Call, ValidationError> {
    parse_positional(name, None, args)
}

/// [`parse`] with the operation's positional argument passed on its own
/// (`client.exchanges.confirm_sell(5005, amount=..., price=...)`): it is the argument
/// [`OpSpec::positional`] names, and giving it by name in `args` as well is an error naming it.
/// A `null` positional value means none was given.
pub fn parse_positional(
    name: &str,
    positional: Option<&Value>,
    args: &Value,
) -> Result<Call, ValidationError> {
    let op = find(name).ok_or_else(|| {
        ValidationError::new("operation", format!("`{name}` is not an operation"))
    })?;
    let merged;
    let args = match positional.filter(|v| !v.is_null()) {
        None => args,
        Some(value) => {
            merged = with_positional(op, value, args).map_err(|e| e.at(&op.endpoint))?;
            &merged
        }
    };
    let a = Args::new(op, args).map_err(|e| e.at(&op.endpoint))?;
    let call = crate::api::read_call(&a).map_err(|e| e.at(&op.endpoint))?;
    call.validate().map_err(|e| e.at(&op.endpoint))?;
    Ok(call)
}

/// `args` with `value` under the name of `op`'s positional argument.
fn with_positional(op: &OpSpec, value: &Value, args: &Value) -> Result<Value, ValidationError> {
    let name = op.positional.ok_or_else(|| {
        ValidationError::new(
            "arguments",
            format!(
                "{} takes no positional argument (pass every argument by name)",
                op.name
            ),
        )
    })?;
    let mut map = match args {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        _ => {
            return Err(ValidationError::new(
                "arguments",
                "must be an object of named arguments",
            ));
        }
    };
    let key = normalise(name);
    if map.iter().any(|(k, v)| normalise(k) == key && !v.is_null()) {
        return Err(ValidationError::new(
            name,
            "is given twice: positionally and by name",
        ));
    }
    map.retain(|k, _| normalise(k) != key);
    map.insert(name.to_string(), value.clone());
    Ok(Value::Object(map))
}

/// Receives the typed result of a call: a binding implements it once, generically over the
/// model type `T` (every model of the table then works through [`Output::visit`]).
pub trait Visitor<T> {
    type Out;
    /// An operation that returns one object.
    fn one(self, value: T) -> Self::Out;
    /// An operation that returns a plain list.
    fn list(self, values: Vec<T>) -> Self::Out;
    /// One page of a list operation.
    fn page(self, page: Page<T>) -> Self::Out;
}

impl Call {
    /// Runs the call; the result in the user-facing JSON form (a page for list operations).
    pub async fn run_json(&self, client: &Client) -> Result<Value> {
        json(self.run(client).await?)
    }

    /// [`Call::pager`] with every item in the user-facing JSON form.
    pub fn pager_json(&self, client: &Client) -> Option<Pager<Value>> {
        self.pager(client)
            .map(|p| p.map_items(|item| serde_json::to_value(item).unwrap_or(Value::Null)))
    }
}

fn json<T: Serialize>(value: T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| Error::Config(format!("cannot serialize a result: {e}")))
}

/// The user-facing JSON text of a result (no intermediate `Value`).
pub fn to_json_text<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::Config(format!("cannot serialize a result: {e}")))
}

/// Parses, validates and runs `name` with `args`; the result in the user-facing JSON form.
pub async fn call_json(client: &Client, name: &str, args: &Value) -> Result<Value> {
    parse(name, args)?.run_json(client).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::QuantityType;
    use serde_json::json;

    /// A value of each argument type that reads (checks that span arguments aside).
    fn sample(ty: ArgType) -> Value {
        match ty {
            ArgType::Id | ArgType::Count | ArgType::FxRateId => json!(2),
            ArgType::Money => json!("1.5"),
            ArgType::Text => json!("BTC/USD"),
            ArgType::Date => json!("2024-01-01"),
            ArgType::Enum(values) => json!(values[0]),
            ArgType::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|f| (f.name.to_string(), sample(f.ty)))
                    .collect(),
            ),
            ArgType::Json => json!({"any": "keys"}),
        }
    }

    #[test]
    fn the_table_is_consistent() {
        let mut names: Vec<&str> = OPERATIONS.iter().map(|op| op.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPERATIONS.len(), "operation names are unique");
        let mut endpoints: Vec<String> = OPERATIONS
            .iter()
            .map(|op| op.endpoint.to_string())
            .collect();
        endpoints.sort_unstable();
        endpoints.dedup();
        assert_eq!(
            endpoints.len(),
            OPERATIONS.len(),
            "each endpoint has one operation"
        );
        for op in OPERATIONS {
            assert_eq!(format!("{}.{}", op.area(), op.method()), op.name);
            let mut wires: Vec<&str> = op.args.iter().map(|a| a.wire).collect();
            wires.sort_unstable();
            wires.dedup();
            assert_eq!(
                wires.len(),
                op.args.len(),
                "{}: wire keys are unique",
                op.name
            );
            if let Some(p) = op.positional {
                assert!(
                    op.args.iter().any(|a| a.name == p && a.required),
                    "{}",
                    op.name
                );
            }
        }
    }

    #[test]
    fn every_row_reads_into_its_own_call() {
        for op in OPERATIONS {
            let args: Map<String, Value> = op
                .args
                .iter()
                .map(|a| (a.name.to_string(), sample(a.ty)))
                .collect();
            let a = Args::new(op, &Value::Object(args)).unwrap();
            let call = crate::api::read_call(&a).unwrap_or_else(|e| panic!("{}: {e}", op.name));
            assert!(std::ptr::eq(call.op(), op), "{}", op.name);
            if op.is_paged() {
                assert_eq!(call.page_number(), Some(2), "{}", op.name);
                let next = call.at_page(3).unwrap();
                assert_eq!(next.page_number(), Some(3), "{}", op.name);
                assert!(std::ptr::eq(next.op(), op));
            } else {
                assert_eq!(call.page_number(), None, "{}", op.name);
                assert!(call.at_page(3).is_none(), "{}", op.name);
            }
        }
    }

    #[test]
    fn snake_and_camel_keys_nulls_and_loose_values() {
        let call = parse(
            "exchanges.quote",
            &json!({"customersId": 1004, "asset_pair": "BTC/USDC", "quantityType": "price",
                    "exchange_type": "Buy", "price": 10, "amount": null, "transferType": null}),
        )
        .unwrap();
        match call {
            Call::QuoteRequest(q) => {
                assert_eq!(q.customers_id, 1004);
                assert_eq!(q.quantity_type, QuantityType::Price);
                assert_eq!(q.price.unwrap().to_string(), "10");
                assert_eq!(q.amount, None);
            }
            other => panic!("{other:?}"),
        }
        let Call::WithdrawCrypto(w) = parse(
            "accounts.withdraw_crypto",
            &json!({"accounts_id": 1057, "amount": "0.000000010000000000", "destination_address": "bc1q"}),
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(w.amount.to_string(), "0.000000010000000000");
    }

    #[test]
    fn bad_arguments_name_the_field_and_the_rule() {
        let cases = [
            (
                "accounts.get",
                json!({"idd": 1}),
                "arguments",
                "`idd` is not an argument of accounts.get (known: id)",
            ),
            ("accounts.get", json!({}), "id", "is required"),
            (
                "accounts.get",
                json!({"id": 1.5}),
                "id",
                "must be an integer",
            ),
            (
                "accounts.get",
                json!({"id": "1055"}),
                "id",
                "got a string of 4 characters",
            ),
            (
                "accounts.withdraw_crypto",
                json!({"accounts_id": 1, "amount": "1000000000000.0000000000000000000000000000001",
                       "destination_address": "x"}),
                "amount",
                "sent exactly",
            ),
            (
                "accounts.withdraw_crypto",
                json!({"accounts_id": 1, "amount": "1", "destination_address": "bc1q\u{0}x"}),
                "destination_address",
                "NUL",
            ),
            (
                "accounts.withdraw_crypto",
                json!({"accounts_id": 1, "amount": "sk_live_secret_canary", "destination_address": "x"}),
                "amount",
                "a string of 21 characters",
            ),
            (
                "accounts.get",
                json!({"id": -3}),
                "id",
                "must be a positive id",
            ),
            (
                "accounts.withdraw_crypto",
                json!({"accounts_id": 1, "amount": "NaN", "destination_address": "x"}),
                "amount",
                "finite decimal",
            ),
            (
                "accounts.withdraw_crypto",
                json!({"accounts_id": 1, "amount": true, "destination_address": "x"}),
                "amount",
                "got a boolean",
            ),
            (
                "accounts.withdraw_crypto",
                json!({"accounts_id": 1, "amount": "-1", "destination_address": "x"}),
                "amount",
                "greater than 0",
            ),
            (
                "accounts.transactions",
                json!({"from_date": "last week"}),
                "from_date",
                "not a date",
            ),
            (
                "accounts.transactions",
                json!({"from_date": "2022-08-01", "to_date": "2022-07-01"}),
                "from_date",
                "after to_date",
            ),
            (
                "accounts.balances",
                json!({"page_number": 0}),
                "page_number",
                "1 or more",
            ),
            (
                "exchanges.list",
                json!({"status": "Done"}),
                "status",
                "must be one of WaitingForApproval",
            ),
            (
                "exchanges.buy",
                json!({"customers_id": 1, "asset_pair": "BTCUSDC", "quantity_type": "Price", "price": "1"}),
                "asset_pair",
                "BASE/QUOTE",
            ),
            (
                "exchanges.pairs",
                json!({"x": 1}),
                "arguments",
                "takes none",
            ),
            (
                "exchanges.sell",
                json!({"customers_id": 1, "asset_pair": "BTC/USD"}),
                "quantity_type",
                "unless fx_rate_id",
            ),
            (
                "exchanges.sell",
                json!({"customers_id": 1, "asset_pair": "BTC/USD", "fx_rate_id": 12, "amount": "1"}),
                "amount",
                "needs a quantity_type",
            ),
            (
                "accounts.create",
                json!({"customers_id": 1, "name": "x", "asset": "USD", "customersId": 2}),
                "customers_id",
                "twice",
            ),
            ("accounts.create", json!([1, 2]), "arguments", "object"),
        ];
        for (op, args, field, rule) in cases {
            let e = parse(op, &args).unwrap_err();
            assert_eq!(e.field, field, "{op} {args}: {e}");
            assert!(e.rule.contains(rule), "{op} {args}: {e}");
            assert!(e.endpoint.is_some());
        }
    }

    #[test]
    fn a_quote_based_sell_needs_no_quantity() {
        let Call::SellRequest(s) = parse(
            "exchanges.sell",
            &json!({"customers_id": 1004, "asset_pair": "BTC/USD", "fx_rate_id": 1234}),
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(serde_json::to_value(&s).unwrap()["fxRateId"], json!(1234));
        let Call::SellRequest(s) = parse(
            "exchanges.sell",
            &json!({"customers_id": 1004, "asset_pair": "BTC/USD", "fx_rate_id": "FX-9"}),
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(serde_json::to_value(&s).unwrap()["fxRateId"], json!("FX-9"));
    }

    #[test]
    fn a_positional_argument_is_its_operations_and_given_once() {
        let Call::ConfirmSell(c) = parse_positional(
            "exchanges.confirm_sell",
            Some(&json!(5005)),
            &json!({"amount": "1.50", "price": "2", "exchangesId": null}),
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(c.exchanges_id, 5005);
        assert_eq!(c.amount.to_string(), "1.50");
        for twice in [json!({"exchanges_id": 5005}), json!({"ExchangesId": 7})] {
            let e = parse_positional("exchanges.get_nothing", Some(&json!(1)), &twice);
            assert_eq!(e.unwrap_err().field, "operation");
            let e = parse_positional("exchanges.cancel", Some(&json!(5005)), &twice).unwrap_err();
            assert_eq!(e.field, "exchanges_id");
            assert!(e.rule.contains("twice"), "{e}");
            assert!(e.endpoint.is_some());
        }
        let e = parse_positional("exchanges.quote", Some(&json!(1004)), &json!({})).unwrap_err();
        assert_eq!(e.field, "arguments");
        assert!(e.rule.contains("no positional argument"), "{e}");
        // `null` is no positional value at all: the named one counts.
        let Call::CancelExchange(c) = parse_positional(
            "exchanges.cancel",
            Some(&Value::Null),
            &json!({"exchangesId": 9}),
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(c.exchanges_id, 9);
    }

    #[test]
    fn camel_case_names() {
        assert_eq!(camel_case("destination_address"), "destinationAddress");
        assert_eq!(camel_case("id"), "id");
        assert_eq!(camel_case("has_open_rfi"), "hasOpenRfi");
    }
}
