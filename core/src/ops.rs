//! The typed surface as data: every operation's name, endpoint, arguments and result, and a
//! dispatcher from loosely typed arguments (JSON from Node, Python keyword arguments, CLI flags)
//! to the typed methods.
//!
//! This is the one place where argument names, their types and how loose input is read are
//! written; the bindings and the CLI generate their signatures from [`OPERATIONS`] and call
//! [`call_json`] or [`parse`] instead of describing the API again.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::accounts::{
    Account, Balance, BalancesQuery, CreateAccount, CreatedAccounts, DepositAddress, ListAccounts,
    ListTransactions, Transaction, TransactionDetails, WithdrawCrypto, Withdrawal,
};
use crate::client::Client;
use crate::endpoint::{self, Endpoint};
use crate::enums::{ExchangeStatus, ExchangeType, QuantityType, TransferType};
use crate::error::{Error, Result, ValidationError};
use crate::exchanges::{
    AssetPair, BuyRequest, ConfirmSell, Exchange, FxRateId, ListExchanges, Quote, QuoteRequest,
    ReviewQuote, SellRequest,
};
use crate::paging::{Page, Pager};
use crate::time::DateBound;

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
}

/// One argument of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgSpec {
    /// snake_case (Python, Rust, CLI `--customers-id`); Node uses the camelCase form.
    pub name: &'static str,
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
}

/// One typed operation of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpSpec {
    /// `area.method`, as in DESIGN.md.
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

const fn arg(name: &'static str, ty: ArgType, required: bool, doc: &'static str) -> ArgSpec {
    ArgSpec {
        name,
        ty,
        required,
        doc,
    }
}

const PAGE_NUMBER: ArgSpec = arg(
    "page_number",
    ArgType::Count,
    false,
    "page to return, from 1",
);
const PAGE_SIZE: ArgSpec = arg("page_size", ArgType::Count, false, "items per page");
const QUANTITY_TYPE: ArgType = ArgType::Enum(QuantityType::KNOWN);
const EXCHANGE_TYPE: ArgType = ArgType::Enum(ExchangeType::KNOWN);
const TRANSFER_TYPE: ArgType = ArgType::Enum(TransferType::KNOWN);

/// Every typed operation, in the order of DESIGN.md.
pub const OPERATIONS: &[OpSpec] = &[
    OpSpec {
        name: "accounts.create",
        endpoint: endpoint::ACCOUNTS_CREATE,
        args: &[
            arg(
                "customers_id",
                ArgType::Id,
                true,
                "the customer the account is for",
            ),
            arg(
                "name",
                ArgType::Text,
                true,
                "account name, at most 100 characters",
            ),
            arg(
                "asset",
                ArgType::Text,
                true,
                "USD or a supported cryptocurrency",
            ),
        ],
        positional: None,
        returns: Returns::One("CreatedAccounts"),
        doc: "Create an asset account for a customer.",
    },
    OpSpec {
        name: "accounts.get",
        endpoint: endpoint::ACCOUNTS_GET,
        args: &[arg("id", ArgType::Id, true, "the account id")],
        positional: Some("id"),
        returns: Returns::One("Account"),
        doc: "One account with its balances.",
    },
    OpSpec {
        name: "accounts.balances",
        endpoint: endpoint::ACCOUNTS_BALANCES,
        args: &[PAGE_NUMBER, PAGE_SIZE],
        positional: None,
        returns: Returns::Page("Balance"),
        doc: "The manager's balances (all on one page without paging arguments).",
    },
    OpSpec {
        name: "accounts.list",
        endpoint: endpoint::ACCOUNTS_LIST,
        args: &[
            arg(
                "customers_id",
                ArgType::Id,
                false,
                "the manager or a managee",
            ),
            arg("asset", ArgType::Text, false, "only accounts of this asset"),
            PAGE_NUMBER,
            PAGE_SIZE,
        ],
        positional: None,
        returns: Returns::Page("Account"),
        doc: "A customer's accounts with balances.",
    },
    OpSpec {
        name: "accounts.transactions",
        endpoint: endpoint::ACCOUNTS_TRANSACTIONS,
        args: &[
            arg(
                "accounts_id",
                ArgType::Id,
                false,
                "only this account's transactions",
            ),
            arg(
                "from_date",
                ArgType::Date,
                false,
                "from this date (inclusive)",
            ),
            arg("to_date", ArgType::Date, false, "up to this date"),
            PAGE_NUMBER,
            PAGE_SIZE,
        ],
        positional: None,
        returns: Returns::Page("Transaction"),
        doc: "Transactions, newest first.",
    },
    OpSpec {
        name: "accounts.transaction",
        endpoint: endpoint::ACCOUNTS_TRANSACTION,
        args: &[arg("id", ArgType::Id, true, "the transaction id")],
        positional: Some("id"),
        returns: Returns::One("TransactionDetails"),
        doc: "One transaction with its detail objects.",
    },
    OpSpec {
        name: "accounts.withdraw_crypto",
        endpoint: endpoint::ACCOUNTS_WITHDRAW_CRYPTO,
        args: &[
            arg(
                "accounts_id",
                ArgType::Id,
                true,
                "the crypto account debited",
            ),
            arg("amount", ArgType::Money, true, "amount to send, > 0"),
            arg(
                "destination_address",
                ArgType::Text,
                true,
                "on-chain address, at most 100 characters",
            ),
        ],
        positional: None,
        returns: Returns::One("Withdrawal"),
        doc: "Send crypto to an external wallet. Never re-sent once it may have arrived.",
    },
    OpSpec {
        name: "accounts.deposit_address",
        endpoint: endpoint::ACCOUNTS_DEPOSIT_ADDRESS,
        args: &[arg("accounts_id", ArgType::Id, true, "the crypto account")],
        positional: Some("accounts_id"),
        returns: Returns::One("DepositAddress"),
        doc: "The address that deposits to a crypto account go to.",
    },
    OpSpec {
        name: "exchanges.pairs",
        endpoint: endpoint::EXCHANGES_PAIRS,
        args: &[],
        positional: None,
        returns: Returns::List("AssetPair"),
        doc: "Asset pairs enabled for exchanges, with limits.",
    },
    OpSpec {
        name: "exchanges.quote",
        endpoint: endpoint::EXCHANGES_QUOTE,
        args: &[
            arg("customers_id", ArgType::Id, true, "the customer exchanging"),
            arg(
                "asset_pair",
                ArgType::Text,
                true,
                "BASE/QUOTE, e.g. BTC/USDC",
            ),
            arg(
                "quantity_type",
                QUANTITY_TYPE,
                true,
                "Price: fix the quote-asset value; Amount: fix the base-asset quantity",
            ),
            arg("exchange_type", EXCHANGE_TYPE, true, "Buy or Sell"),
            arg("price", ArgType::Money, false, "with quantity_type Price"),
            arg("amount", ArgType::Money, false, "with quantity_type Amount"),
            arg(
                "payees_id",
                ArgType::Id,
                false,
                "receiving payee (passthrough accounts)",
            ),
            arg(
                "transfer_type",
                TRANSFER_TYPE,
                false,
                "required for a sell with a payee",
            ),
        ],
        positional: None,
        returns: Returns::One("Quote"),
        doc: "Price an exchange without executing it.",
    },
    OpSpec {
        name: "exchanges.sell",
        endpoint: endpoint::EXCHANGES_SELL,
        args: &[
            arg("customers_id", ArgType::Id, true, "the customer selling"),
            arg(
                "asset_pair",
                ArgType::Text,
                true,
                "BASE/QUOTE, e.g. BTC/USD",
            ),
            arg(
                "quantity_type",
                QUANTITY_TYPE,
                false,
                "required unless fx_rate_id is given",
            ),
            arg("price", ArgType::Money, false, "with quantity_type Price"),
            arg("amount", ArgType::Money, false, "with quantity_type Amount"),
            arg(
                "fx_rate_id",
                ArgType::FxRateId,
                false,
                "from a quote, passed unchanged",
            ),
            arg(
                "payees_id",
                ArgType::Id,
                false,
                "payee credited with the proceeds",
            ),
            arg(
                "transfer_type",
                TRANSFER_TYPE,
                false,
                "required with payees_id",
            ),
            arg(
                "purpose_code",
                ArgType::Text,
                false,
                "reason code, required for FX sells",
            ),
        ],
        positional: None,
        returns: Returns::One("Exchange"),
        doc: "Sell an asset. Never re-sent once it may have arrived.",
    },
    OpSpec {
        name: "exchanges.buy",
        endpoint: endpoint::EXCHANGES_BUY,
        args: &[
            arg("customers_id", ArgType::Id, true, "the customer buying"),
            arg(
                "asset_pair",
                ArgType::Text,
                true,
                "BASE/QUOTE, e.g. BTC/USDC",
            ),
            arg("quantity_type", QUANTITY_TYPE, true, "Price or Amount"),
            arg("price", ArgType::Money, false, "with quantity_type Price"),
            arg("amount", ArgType::Money, false, "with quantity_type Amount"),
        ],
        positional: None,
        returns: Returns::One("Exchange"),
        doc: "Buy an asset. Never re-sent once it may have arrived.",
    },
    OpSpec {
        name: "exchanges.list",
        endpoint: endpoint::EXCHANGES_LIST,
        args: &[
            arg(
                "customers_id",
                ArgType::Id,
                false,
                "only this customer's exchanges",
            ),
            arg("asset_pair", ArgType::Text, false, "only this pair"),
            arg("exchange_type", EXCHANGE_TYPE, false, "Buy or Sell"),
            arg(
                "status",
                ArgType::Enum(ExchangeStatus::KNOWN),
                false,
                "only exchanges in this state",
            ),
            PAGE_NUMBER,
            PAGE_SIZE,
        ],
        positional: None,
        returns: Returns::Page("Exchange"),
        doc: "Exchanges, filtered.",
    },
    OpSpec {
        name: "exchanges.review_quote",
        endpoint: endpoint::EXCHANGES_REVIEW_QUOTE,
        args: &[arg(
            "exchanges_id",
            ArgType::Id,
            true,
            "an exchange waiting for confirmation",
        )],
        positional: Some("exchanges_id"),
        returns: Returns::One("ReviewQuote"),
        doc: "The new price of an exchange whose price moved during review.",
    },
    OpSpec {
        name: "exchanges.confirm_sell",
        endpoint: endpoint::EXCHANGES_CONFIRM_SELL,
        args: &[
            arg("exchanges_id", ArgType::Id, true, "the reviewed exchange"),
            arg(
                "amount",
                ArgType::Money,
                true,
                "as review_quote returned it",
            ),
            arg("price", ArgType::Money, true, "as review_quote returned it"),
        ],
        positional: None,
        returns: Returns::One("Exchange"),
        doc: "Accept the reviewed price of a sell. Never re-sent once it may have arrived.",
    },
    OpSpec {
        name: "exchanges.cancel",
        endpoint: endpoint::EXCHANGES_CANCEL,
        args: &[arg(
            "exchanges_id",
            ArgType::Id,
            true,
            "an exchange waiting for confirmation",
        )],
        positional: Some("exchanges_id"),
        returns: Returns::One("Exchange"),
        doc: "Cancel an exchange whose price moved during review.",
    },
];

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
            let spec = op
                .args
                .iter()
                .find(|a| normalise(a.name) == normalise(key))
                .ok_or_else(|| {
                    let known: Vec<&str> = op.args.iter().map(|a| a.name).collect();
                    ValidationError::new(
                        "arguments",
                        if known.is_empty() {
                            format!("`{key}` is not an argument of {} (it takes none)", op.name)
                        } else {
                            format!(
                                "`{key}` is not an argument of {} (known: {})",
                                op.name,
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
        for a in op.args.iter().filter(|a| a.required) {
            if !values.contains_key(a.name) {
                return Err(ValidationError::new(a.name, "is required"));
            }
        }
        Ok(Args { op, values })
    }

    pub fn op(&self) -> &'static OpSpec {
        self.op
    }

    fn get(&self, name: &'static str) -> Option<&Value> {
        debug_assert!(
            self.op.args.iter().any(|a| a.name == name),
            "{name} not in spec of {}",
            self.op.name
        );
        self.values.get(name)
    }

    fn id(&self, name: &'static str) -> Result<Option<i64>, ValidationError> {
        self.get(name).map(|v| read_integer(name, v)).transpose()
    }

    fn required_id(&self, name: &'static str) -> Result<i64, ValidationError> {
        self.id(name)?
            .ok_or_else(|| ValidationError::new(name, "is required"))
    }

    fn count(&self, name: &'static str) -> Result<Option<u32>, ValidationError> {
        self.get(name)
            .map(|v| {
                let n = read_integer(name, v)?;
                u32::try_from(n).map_err(|_| {
                    ValidationError::new(
                        name,
                        format!("must be between 0 and {}, got {n}", u32::MAX),
                    )
                })
            })
            .transpose()
    }

    fn money(&self, name: &'static str) -> Result<Option<Decimal>, ValidationError> {
        self.get(name).map(|v| read_money(name, v)).transpose()
    }

    fn required_money(&self, name: &'static str) -> Result<Decimal, ValidationError> {
        self.money(name)?
            .ok_or_else(|| ValidationError::new(name, "is required"))
    }

    fn text(&self, name: &'static str) -> Result<Option<String>, ValidationError> {
        self.get(name)
            .map(|v| match v {
                Value::String(s) if s.contains('\0') => Err(ValidationError::new(
                    name,
                    "must not contain NUL characters",
                )),
                Value::String(s) => Ok(s.clone()),
                other => Err(ValidationError::new(
                    name,
                    format!("must be a string, got {}", kind(other)),
                )),
            })
            .transpose()
    }

    fn required_text(&self, name: &'static str) -> Result<String, ValidationError> {
        self.text(name)?
            .ok_or_else(|| ValidationError::new(name, "is required"))
    }

    fn date(&self, name: &'static str) -> Result<Option<DateBound>, ValidationError> {
        self.text(name)?
            .map(|s| {
                s.parse::<DateBound>()
                    .map_err(|e| ValidationError::new(name, e))
            })
            .transpose()
    }

    fn fx_rate_id(&self, name: &'static str) -> Result<Option<FxRateId>, ValidationError> {
        self.get(name)
            .map(|v| match v {
                Value::String(s) => Ok(FxRateId::Text(s.clone())),
                Value::Number(n) if n.as_i64().is_some() || n.as_u64().is_some() => {
                    Ok(FxRateId::Number(n.clone()))
                }
                other => Err(ValidationError::new(
                    name,
                    format!("must be an integer or a string, got {}", kind(other)),
                )),
            })
            .transpose()
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// What a refused value was, without the value itself (a secret pasted into the wrong
/// argument must not end up in a message or a log).
fn shape(v: &Value) -> String {
    match v {
        Value::String(s) => format!("a string of {} characters", s.chars().count()),
        Value::Number(n) => format!(
            "the number {}",
            n.as_str().chars().take(40).collect::<String>()
        ),
        other => kind(other).to_string(),
    }
}

/// An id or a count: a JSON integer (a numeric string is refused: ids are integers in every
/// binding, so a string here is a mistake of the caller's).
fn read_integer(name: &'static str, v: &Value) -> Result<i64, ValidationError> {
    let parsed = match v {
        Value::Number(n) => n.as_i64(),
        _ => None,
    };
    parsed.ok_or_else(|| {
        ValidationError::new(
            name,
            format!("must be an integer that fits 64 bits, got {}", shape(v)),
        )
    })
}

/// Money from loose input: a decimal string (`"0.005"`), an integer, or a JSON number whose
/// text is kept exactly. Bindings refuse binary floats before they get here.
pub fn read_money(name: &'static str, v: &Value) -> Result<Decimal, ValidationError> {
    let text = match v {
        Value::Number(n) => n.as_str().to_string(),
        Value::String(s) => s.trim().to_string(),
        other => {
            return Err(ValidationError::new(
                name,
                format!("must be a decimal number or string, got {}", kind(other)),
            ));
        }
    };
    if crate::decimal::parse_decimal(&text).is_err() {
        return Err(ValidationError::new(
            name,
            format!(
                "must be a finite decimal number (like \"12.50\"), got {}",
                shape(v)
            ),
        ));
    }
    crate::decimal::parse_decimal_exact(&text).map_err(|e| ValidationError::new(name, e))
}

fn enum_arg<T>(
    args: &Args,
    name: &'static str,
    parse: fn(&'static str, &str) -> Result<T, ValidationError>,
) -> Result<Option<T>, ValidationError> {
    args.text(name)?.map(|s| parse(name, &s)).transpose()
}

/// A call with its arguments read into the typed request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Call {
    CreateAccount(CreateAccount),
    GetAccount(i64),
    Balances(BalancesQuery),
    ListAccounts(ListAccounts),
    Transactions(ListTransactions),
    Transaction(i64),
    WithdrawCrypto(WithdrawCrypto),
    DepositAddress(i64),
    Pairs,
    Quote(QuoteRequest),
    Sell(SellRequest),
    Buy(BuyRequest),
    ListExchanges(ListExchanges),
    ReviewQuote(i64),
    ConfirmSell(ConfirmSell),
    Cancel(i64),
}

/// Reads `args` for the operation `name` into a typed [`Call`] and validates it (wire rule 10):
/// everything a binding needs to refuse bad input before anything is sent.
pub fn parse(name: &str, args: &Value) -> Result<Call, ValidationError> {
    let op = find(name).ok_or_else(|| {
        ValidationError::new("operation", format!("`{name}` is not an operation"))
    })?;
    let a = Args::new(op, args).map_err(|e| e.at(&op.endpoint))?;
    let call = read_call(&a).map_err(|e| e.at(&op.endpoint))?;
    call.validate().map_err(|e| e.at(&op.endpoint))?;
    Ok(call)
}

fn read_call(a: &Args) -> Result<Call, ValidationError> {
    Ok(match a.op().name {
        "accounts.create" => Call::CreateAccount(CreateAccount {
            customers_id: a.required_id("customers_id")?,
            name: a.required_text("name")?,
            asset: a.required_text("asset")?,
        }),
        "accounts.get" => Call::GetAccount(a.required_id("id")?),
        "accounts.balances" => Call::Balances(BalancesQuery {
            page_number: a.count("page_number")?,
            page_size: a.count("page_size")?,
        }),
        "accounts.list" => Call::ListAccounts(ListAccounts {
            customers_id: a.id("customers_id")?,
            asset: a.text("asset")?,
            page_number: a.count("page_number")?,
            page_size: a.count("page_size")?,
        }),
        "accounts.transactions" => Call::Transactions(ListTransactions {
            accounts_id: a.id("accounts_id")?,
            from_date: a.date("from_date")?,
            to_date: a.date("to_date")?,
            page_number: a.count("page_number")?,
            page_size: a.count("page_size")?,
        }),
        "accounts.transaction" => Call::Transaction(a.required_id("id")?),
        "accounts.withdraw_crypto" => Call::WithdrawCrypto(WithdrawCrypto {
            accounts_id: a.required_id("accounts_id")?,
            amount: a.required_money("amount")?,
            destination_address: a.required_text("destination_address")?,
        }),
        "accounts.deposit_address" => Call::DepositAddress(a.required_id("accounts_id")?),
        "exchanges.pairs" => Call::Pairs,
        "exchanges.quote" => Call::Quote(QuoteRequest {
            customers_id: a.required_id("customers_id")?,
            payees_id: a.id("payees_id")?,
            asset_pair: a.required_text("asset_pair")?,
            quantity_type: enum_arg(a, "quantity_type", QuantityType::parse_input)?
                .ok_or_else(|| ValidationError::new("quantity_type", "is required"))?,
            exchange_type: enum_arg(a, "exchange_type", ExchangeType::parse_input)?
                .ok_or_else(|| ValidationError::new("exchange_type", "is required"))?,
            transfer_type: enum_arg(a, "transfer_type", TransferType::parse_input)?,
            price: a.money("price")?,
            amount: a.money("amount")?,
        }),
        "exchanges.sell" => Call::Sell(SellRequest {
            customers_id: a.required_id("customers_id")?,
            payees_id: a.id("payees_id")?,
            fx_rate_id: a.fx_rate_id("fx_rate_id")?,
            asset_pair: a.required_text("asset_pair")?,
            quantity_type: enum_arg(a, "quantity_type", QuantityType::parse_input)?,
            transfer_type: enum_arg(a, "transfer_type", TransferType::parse_input)?,
            price: a.money("price")?,
            amount: a.money("amount")?,
            purpose_code: a.text("purpose_code")?,
        }),
        "exchanges.buy" => Call::Buy(BuyRequest {
            customers_id: a.required_id("customers_id")?,
            asset_pair: a.required_text("asset_pair")?,
            quantity_type: enum_arg(a, "quantity_type", QuantityType::parse_input)?
                .ok_or_else(|| ValidationError::new("quantity_type", "is required"))?,
            amount: a.money("amount")?,
            price: a.money("price")?,
        }),
        "exchanges.list" => Call::ListExchanges(ListExchanges {
            customers_id: a.id("customers_id")?,
            asset_pair: a.text("asset_pair")?,
            exchange_type: enum_arg(a, "exchange_type", ExchangeType::parse_input)?,
            status: enum_arg(a, "status", ExchangeStatus::parse_input)?,
            page_number: a.count("page_number")?,
            page_size: a.count("page_size")?,
        }),
        "exchanges.review_quote" => Call::ReviewQuote(a.required_id("exchanges_id")?),
        "exchanges.confirm_sell" => Call::ConfirmSell(ConfirmSell {
            exchanges_id: a.required_id("exchanges_id")?,
            amount: a.required_money("amount")?,
            price: a.required_money("price")?,
        }),
        "exchanges.cancel" => Call::Cancel(a.required_id("exchanges_id")?),
        other => {
            return Err(ValidationError::new(
                "operation",
                format!("`{other}` is not an operation"),
            ));
        }
    })
}

impl Call {
    /// The operation this call is for.
    pub fn op(&self) -> &'static OpSpec {
        let name = match self {
            Call::CreateAccount(_) => "accounts.create",
            Call::GetAccount(_) => "accounts.get",
            Call::Balances(_) => "accounts.balances",
            Call::ListAccounts(_) => "accounts.list",
            Call::Transactions(_) => "accounts.transactions",
            Call::Transaction(_) => "accounts.transaction",
            Call::WithdrawCrypto(_) => "accounts.withdraw_crypto",
            Call::DepositAddress(_) => "accounts.deposit_address",
            Call::Pairs => "exchanges.pairs",
            Call::Quote(_) => "exchanges.quote",
            Call::Sell(_) => "exchanges.sell",
            Call::Buy(_) => "exchanges.buy",
            Call::ListExchanges(_) => "exchanges.list",
            Call::ReviewQuote(_) => "exchanges.review_quote",
            Call::ConfirmSell(_) => "exchanges.confirm_sell",
            Call::Cancel(_) => "exchanges.cancel",
        };
        find(name).expect("every Call has an operation")
    }

    /// The client-side checks of wire rule 10 (the typed methods run them too).
    pub fn validate(&self) -> Result<(), ValidationError> {
        use crate::validate::positive_id;
        match self {
            Call::CreateAccount(r) => r.validate(),
            Call::GetAccount(id) | Call::Transaction(id) => positive_id("id", *id),
            Call::Balances(q) => q.validate(),
            Call::ListAccounts(q) => q.validate(),
            Call::Transactions(q) => q.validate(),
            Call::WithdrawCrypto(r) => r.validate(),
            Call::DepositAddress(id) => positive_id("accounts_id", *id),
            Call::Pairs => Ok(()),
            Call::Quote(r) => r.validate(),
            Call::Sell(r) => r.validate(),
            Call::Buy(r) => r.validate(),
            Call::ListExchanges(q) => q.validate(),
            Call::ReviewQuote(id) | Call::Cancel(id) => positive_id("exchanges_id", *id),
            Call::ConfirmSell(r) => r.validate(),
        }
    }

    /// Runs the call with the typed method of its operation; the typed result.
    pub async fn run(&self, client: &Client) -> Result<Output> {
        let (acc, ex) = (client.accounts(), client.exchanges());
        Ok(match self {
            Call::CreateAccount(r) => Output::CreatedAccounts(acc.create(r).await?),
            Call::GetAccount(id) => Output::Account(acc.get(*id).await?),
            Call::Balances(q) => Output::Balances(acc.balances(q).await?),
            Call::ListAccounts(q) => Output::Accounts(acc.list(q).await?),
            Call::Transactions(q) => Output::Transactions(acc.transactions(q).await?),
            Call::Transaction(id) => {
                Output::TransactionDetails(Box::new(acc.transaction(*id).await?))
            }
            Call::WithdrawCrypto(r) => Output::Withdrawal(acc.withdraw_crypto(r).await?),
            Call::DepositAddress(id) => Output::DepositAddress(acc.deposit_address(*id).await?),
            Call::Pairs => Output::Pairs(ex.pairs().await?),
            Call::Quote(r) => Output::Quote(ex.quote(r).await?),
            Call::Sell(r) => Output::Exchange(ex.sell(r).await?),
            Call::Buy(r) => Output::Exchange(ex.buy(r).await?),
            Call::ListExchanges(q) => Output::Exchanges(ex.list(q).await?),
            Call::ReviewQuote(id) => Output::ReviewQuote(ex.review_quote(*id).await?),
            Call::ConfirmSell(r) => Output::Exchange(ex.confirm_sell(r).await?),
            Call::Cancel(id) => Output::Exchange(ex.cancel(*id).await?),
        })
    }

    /// Runs the call; the result in the user-facing JSON form (a page for list operations).
    pub async fn run_json(&self, client: &Client) -> Result<Value> {
        json(self.run(client).await?)
    }

    /// A lazy walk over every page of a list call; `None` for calls that do not return pages.
    pub fn pager(&self, client: &Client) -> Option<Pager<Item>> {
        let (acc, ex) = (client.accounts(), client.exchanges());
        Some(match self {
            Call::Balances(q) => acc.balances_pager(q.clone()).map_items(Item::Balance),
            Call::ListAccounts(q) => acc.list_pager(q.clone()).map_items(Item::Account),
            Call::Transactions(q) => acc
                .transactions_pager(q.clone())
                .map_items(Item::Transaction),
            Call::ListExchanges(q) => ex.list_pager(q.clone()).map_items(Item::Exchange),
            _ => return None,
        })
    }

    /// [`Call::pager`] with every item in the user-facing JSON form.
    pub fn pager_json(&self, client: &Client) -> Option<Pager<Value>> {
        self.pager(client)
            .map(|p| p.map_items(|item| serde_json::to_value(item).unwrap_or(Value::Null)))
    }
}

/// The typed result of a [`Call`]. It serializes to the user-facing JSON form (camelCase,
/// money as exact strings), so a binding can write JSON text straight from it, or match on it
/// to build its own typed objects.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Output {
    CreatedAccounts(CreatedAccounts),
    Account(Account),
    Balances(Page<Balance>),
    Accounts(Page<Account>),
    Transactions(Page<Transaction>),
    /// Boxed: by far the largest model.
    TransactionDetails(Box<TransactionDetails>),
    Withdrawal(Withdrawal),
    DepositAddress(DepositAddress),
    Pairs(Vec<AssetPair>),
    Quote(Quote),
    ReviewQuote(ReviewQuote),
    Exchange(Exchange),
    Exchanges(Page<Exchange>),
}

/// An item of a list operation's page (what a [`Call::pager`] yields).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Item {
    Balance(Balance),
    Account(Account),
    Transaction(Transaction),
    Exchange(Exchange),
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
    use serde_json::json;

    #[test]
    fn the_table_covers_every_endpoint_once() {
        assert_eq!(OPERATIONS.len(), 16);
        for (name, endpoint) in crate::endpoint::ALL {
            let op = find(name).unwrap();
            assert_eq!(&op.endpoint, endpoint, "{name}");
        }
        for op in OPERATIONS {
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
    fn snake_and_camel_keys_nulls_and_loose_values() {
        let call = parse(
            "exchanges.quote",
            &json!({"customersId": 1004, "asset_pair": "BTC/USDC", "quantityType": "price",
                    "exchange_type": "Buy", "price": 10, "amount": null, "transferType": null}),
        )
        .unwrap();
        match call {
            Call::Quote(q) => {
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
        let Call::Sell(s) = parse(
            "exchanges.sell",
            &json!({"customers_id": 1004, "asset_pair": "BTC/USD", "fx_rate_id": 1234}),
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(serde_json::to_value(&s).unwrap()["fxRateId"], json!(1234));
        let Call::Sell(s) = parse(
            "exchanges.sell",
            &json!({"customers_id": 1004, "asset_pair": "BTC/USD", "fx_rate_id": "FX-9"}),
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(serde_json::to_value(&s).unwrap()["fxRateId"], json!("FX-9"));
    }

    #[test]
    fn camel_case_names() {
        assert_eq!(camel_case("destination_address"), "destinationAddress");
        assert_eq!(camel_case("id"), "id");
        assert_eq!(camel_case("has_open_rfi"), "hasOpenRfi");
    }
}
