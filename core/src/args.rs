//! How each Rust type of a request field behaves as an argument: its [`ArgType`] in the
//! operation table, how loose input (JSON from Node, Python keywords, CLI flags) is read into
//! it, the rule its type implies, and how it is written on the wire (query text or JSON body).
//!
//! The declaration (`api.rs`) only names a field's Rust type; everything else about the field
//! follows from these impls. `T` is a required argument, `Option<T>` an optional one.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::cards::{BusinessReviewDetails, ShippingAddress};
use crate::enums::{
    CardCurrency, CardTransferType, CardType, EntityType, ExchangeStatus, ExchangeType,
    PayinTransferType, QuantityType, ShippingMethod, TransferType,
};
use crate::error::ValidationError;
use crate::exchanges::FxRateId;
use crate::ops::ArgType;
use crate::time::DateBound;
use crate::validate;

/// A type an argument's value can have.
pub trait ArgValue: Sized {
    const TYPE: ArgType;

    /// Reads a loosely typed value (never `null`: that means absent and is handled before).
    fn read(name: &'static str, value: &Value) -> Result<Self, ValidationError>;

    /// The rule the type implies for a value that is given (ids positive, money > 0, ...).
    fn check(&self, _name: &'static str) -> Result<(), ValidationError> {
        Ok(())
    }

    /// The rule for a value that is required (text must not be blank as well).
    fn check_required(&self, name: &'static str) -> Result<(), ValidationError> {
        self.check(name)
    }

    /// The value in a query string (text trimmed).
    fn to_text(&self) -> String;

    /// The value in a JSON body.
    fn serialize_wire<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;

    /// Adds the type's schema to the description, for the types the bindings generate a type
    /// of their own for (enums).
    #[cfg(feature = "schema")]
    fn add_schema(_generator: &mut schemars::SchemaGenerator) {}
}

/// A request field: a required `T` or an optional `Option<T>`.
pub trait ArgField: Sized {
    type Value: ArgValue;
    const TYPE: ArgType = <Self::Value as ArgValue>::TYPE;
    const REQUIRED: bool;

    /// The field from the loose argument `value` (`None` when it was not given).
    fn from_arg(name: &'static str, value: Option<&Value>) -> Result<Self, ValidationError>;

    /// The value, when there is one.
    fn value(&self) -> Option<&Self::Value>;

    /// The rule of the field's type.
    fn check(&self, name: &'static str) -> Result<(), ValidationError>;
}

macro_rules! arg_field {
    ($($t:ty),+ $(,)?) => {$(
        impl ArgField for $t {
            type Value = $t;
            const REQUIRED: bool = true;

            fn from_arg(name: &'static str, value: Option<&Value>) -> Result<Self, ValidationError> {
                match value {
                    Some(v) => <$t as ArgValue>::read(name, v),
                    None => Err(ValidationError::new(name, "is required")),
                }
            }

            fn value(&self) -> Option<&Self::Value> {
                Some(self)
            }

            fn check(&self, name: &'static str) -> Result<(), ValidationError> {
                ArgValue::check_required(self, name)
            }
        }

        impl ArgField for Option<$t> {
            type Value = $t;
            const REQUIRED: bool = false;

            fn from_arg(name: &'static str, value: Option<&Value>) -> Result<Self, ValidationError> {
                value.map(|v| <$t as ArgValue>::read(name, v)).transpose()
            }

            fn value(&self) -> Option<&Self::Value> {
                self.as_ref()
            }

            fn check(&self, name: &'static str) -> Result<(), ValidationError> {
                self.as_ref().map_or(Ok(()), |v| ArgValue::check(v, name))
            }
        }
    )+};
}

arg_field!(
    i64,
    u32,
    Decimal,
    String,
    DateBound,
    FxRateId,
    JsonObject,
    QuantityType,
    ExchangeType,
    ExchangeStatus,
    TransferType,
    CardTransferType,
    CardCurrency,
    ShippingMethod,
    CardType,
    EntityType,
    PayinTransferType,
    ShippingAddress,
    BusinessReviewDetails,
);

/// A field as it goes into a JSON body: its value's wire form, or `null` when absent.
pub(crate) struct Wire<'a, F>(pub &'a F);

impl<F: ArgField> Serialize for Wire<'_, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.value() {
            Some(v) => v.serialize_wire(s),
            None => s.serialize_none(),
        }
    }
}

/// A field sent as a JSON string of its text, whatever its type (an id the API documents as a
/// string), or `null` when absent.
pub(crate) struct WireText<'a, F>(pub &'a F);

impl<F: ArgField> Serialize for WireText<'_, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.value() {
            Some(v) => s.serialize_str(&v.to_text()),
            None => s.serialize_none(),
        }
    }
}

/// Appends `(key, text)` to a query when the field has a value.
pub(crate) fn push_query<F: ArgField>(
    q: &mut Vec<(&'static str, String)>,
    key: &'static str,
    field: &F,
) {
    if let Some(v) = field.value() {
        q.push((key, v.to_text()));
    }
}

pub(crate) fn kind(v: &Value) -> &'static str {
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
pub(crate) fn shape(v: &Value) -> String {
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
pub(crate) fn read_integer(name: &'static str, v: &Value) -> Result<i64, ValidationError> {
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
    // Exactly, or refused: a rounded amount would move different money.
    crate::decimal::parse_decimal_exact(&text).map_err(|e| ValidationError::new(name, e))
}

fn read_text(name: &'static str, v: &Value) -> Result<String, ValidationError> {
    match v {
        Value::String(s) if s.contains('\0') => Err(ValidationError::new(
            name,
            "must not contain NUL characters",
        )),
        Value::String(s) => Ok(s.clone()),
        other => Err(ValidationError::new(
            name,
            format!("must be a string, got {}", kind(other)),
        )),
    }
}

/// An id: a positive integer.
impl ArgValue for i64 {
    const TYPE: ArgType = ArgType::Id;

    fn read(name: &'static str, v: &Value) -> Result<Self, ValidationError> {
        read_integer(name, v)
    }

    fn check(&self, name: &'static str) -> Result<(), ValidationError> {
        validate::positive_id(name, *self)
    }

    fn to_text(&self) -> String {
        self.to_string()
    }

    fn serialize_wire<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(*self)
    }
}

/// A page number or size: 1 or more.
impl ArgValue for u32 {
    const TYPE: ArgType = ArgType::Count;

    fn read(name: &'static str, v: &Value) -> Result<Self, ValidationError> {
        let n = read_integer(name, v)?;
        u32::try_from(n).map_err(|_| {
            ValidationError::new(name, format!("must be between 0 and {}, got {n}", u32::MAX))
        })
    }

    fn check(&self, name: &'static str) -> Result<(), ValidationError> {
        if *self == 0 {
            return Err(ValidationError::new(name, "must be 1 or more"));
        }
        Ok(())
    }

    fn to_text(&self) -> String {
        self.to_string()
    }

    fn serialize_wire<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(*self)
    }
}

/// Money: greater than 0, sent as an exact JSON number.
impl ArgValue for Decimal {
    const TYPE: ArgType = ArgType::Money;

    fn read(name: &'static str, v: &Value) -> Result<Self, ValidationError> {
        read_money(name, v)
    }

    fn check(&self, name: &'static str) -> Result<(), ValidationError> {
        validate::positive_amount(name, self)
    }

    fn to_text(&self) -> String {
        self.to_string()
    }

    fn serialize_wire<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::decimal::wire::serialize(self, s)
    }
}

/// Text: sent without surrounding whitespace; a required one must not be blank.
impl ArgValue for String {
    const TYPE: ArgType = ArgType::Text;

    fn read(name: &'static str, v: &Value) -> Result<Self, ValidationError> {
        read_text(name, v)
    }

    fn check_required(&self, name: &'static str) -> Result<(), ValidationError> {
        validate::required_text(name, self)
    }

    fn to_text(&self) -> String {
        self.trim().to_string()
    }

    fn serialize_wire<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.trim())
    }
}

/// A date filter: `YYYY-MM-DD` or an ISO 8601 date-time.
impl ArgValue for DateBound {
    const TYPE: ArgType = ArgType::Date;

    fn read(name: &'static str, v: &Value) -> Result<Self, ValidationError> {
        read_text(name, v)?
            .parse::<DateBound>()
            .map_err(|e| ValidationError::new(name, e))
    }

    fn to_text(&self) -> String {
        self.to_query()
    }

    fn serialize_wire<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_query())
    }
}

/// The FX rate id a quote returned: an integer or a string, sent back unchanged.
impl ArgValue for FxRateId {
    const TYPE: ArgType = ArgType::FxRateId;

    fn read(name: &'static str, v: &Value) -> Result<Self, ValidationError> {
        match v {
            Value::String(s) => Ok(FxRateId::Text(s.clone())),
            Value::Number(n) if n.as_i64().is_some() || n.as_u64().is_some() => {
                Ok(FxRateId::Number(n.clone()))
            }
            other => Err(ValidationError::new(
                name,
                format!("must be an integer or a string, got {}", kind(other)),
            )),
        }
    }

    fn check(&self, name: &'static str) -> Result<(), ValidationError> {
        match self {
            FxRateId::Text(t) => validate::required_text(name, t),
            FxRateId::Number(_) => Ok(()),
        }
    }

    fn to_text(&self) -> String {
        self.to_string()
    }

    fn serialize_wire<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}

/// The wire enums: one of their documented values (any case) from loose input; a value built
/// in Rust outside the documented set is refused before sending.
macro_rules! enum_arg {
    ($($t:ty),+ $(,)?) => {$(
        impl ArgValue for $t {
            const TYPE: ArgType = ArgType::Enum(<$t>::KNOWN);

            fn read(name: &'static str, v: &Value) -> Result<Self, ValidationError> {
                <$t>::parse_input(name, &read_text(name, v)?)
            }

            fn check(&self, name: &'static str) -> Result<(), ValidationError> {
                known(name, self, self.is_unknown(), <$t>::KNOWN)
            }

            fn to_text(&self) -> String {
                self.as_str().to_string()
            }

            fn serialize_wire<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }

            #[cfg(feature = "schema")]
            fn add_schema(generator: &mut schemars::SchemaGenerator) {
                generator.subschema_for::<$t>();
            }
        }
    )+};
}

enum_arg!(
    QuantityType,
    ExchangeType,
    ExchangeStatus,
    TransferType,
    CardTransferType,
    CardCurrency,
    ShippingMethod,
    CardType,
    EntityType,
    PayinTransferType,
);

fn known(
    name: &'static str,
    value: &dyn fmt::Display,
    unknown: bool,
    values: &[&str],
) -> Result<(), ValidationError> {
    if unknown {
        // The value is not echoed: it may be a secret pasted into the wrong argument.
        let len = value.to_string().chars().count();
        return Err(ValidationError::new(
            name,
            format!(
                "must be one of {} (got a value of {len} characters)",
                values.join(", ")
            ),
        ));
    }
    Ok(())
}

/// A JSON object passed through as given: an argument whose keys the provider does not list.
pub type JsonObject = Map<String, Value>;

impl ArgValue for JsonObject {
    const TYPE: ArgType = ArgType::Json;

    fn read(name: &'static str, v: &Value) -> Result<Self, ValidationError> {
        match v {
            Value::Object(m) => Ok(m.clone()),
            other => Err(ValidationError::new(
                name,
                format!("must be an object, got {}", kind(other)),
            )),
        }
    }

    fn to_text(&self) -> String {
        Value::Object(self.clone()).to_string()
    }

    fn serialize_wire<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.serialize(s)
    }
}

/// `key` as the object's arguments spell it: snake_case, camelCase or the wire's key, any case.
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    let norm = |k: &str| -> String {
        k.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    norm(a) == norm(b)
}

/// The error of a field inside the object argument `outer`, named `outer.field`.
pub(crate) fn inside(outer: &'static str, mut e: ValidationError) -> ValidationError {
    e.field = format!("{outer}.{}", e.field).into();
    e
}

/// An object argument: a struct of documented fields (each like a top-level argument: Rust
/// type, wire key, doc, rules) plus `extra`, the keys the documentation does not list, sent as
/// given. Reading it takes any spelling of a documented key.
macro_rules! arg_object {
    (
        $(#[$meta:meta])*
        $name:ident {
            $(
                $f:ident : $fty:ty = $wire:literal, $fdoc:literal
                $(, $rule:ident $(($($rarg:expr),*))?)*;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            $( #[doc = $fdoc] pub $f: $fty, )*
            /// Keys the documentation does not list, sent as given after the documented ones.
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl $name {
            /// The documented keys.
            pub const FIELDS: &'static [$crate::ops::ArgSpec] = &[
                $(
                    $crate::ops::ArgSpec {
                        name: stringify!($f),
                        wire: $wire,
                        ty: <$fty as $crate::args::ArgField>::TYPE,
                        required: <$fty as $crate::args::ArgField>::REQUIRED,
                        doc: $fdoc,
                    },
                )*
            ];
        }

        impl $crate::args::ArgValue for $name {
            const TYPE: $crate::ops::ArgType = $crate::ops::ArgType::Object(Self::FIELDS);

            fn read(
                name: &'static str,
                v: &serde_json::Value,
            ) -> Result<Self, $crate::ValidationError> {
                let serde_json::Value::Object(map) = v else {
                    return Err($crate::ValidationError::new(
                        name,
                        format!("must be an object, got {}", $crate::args::kind(v)),
                    ));
                };
                let documented = |key: &str| {
                    [$(stringify!($f)),*].iter().any(|f| $crate::args::same_key(f, key))
                };
                let value = |field: &str| {
                    map.iter()
                        .find(|(k, v)| $crate::args::same_key(field, k) && !v.is_null())
                        .map(|(_, v)| v)
                };
                Ok($name {
                    $(
                        $f: <$fty as $crate::args::ArgField>::from_arg(
                            stringify!($f),
                            value(stringify!($f)),
                        )
                        .map_err(|e| $crate::args::inside(name, e))?,
                    )*
                    extra: map
                        .iter()
                        .filter(|(k, _)| !documented(k))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                })
            }

            fn check(&self, name: &'static str) -> Result<(), $crate::ValidationError> {
                $(
                    $crate::args::ArgField::check(&self.$f, stringify!($f))
                        .map_err(|e| $crate::args::inside(name, e))?;
                    if let Some(value) = $crate::args::ArgField::value(&self.$f) {
                        let _ = value;
                        $(
                            $crate::validate::$rule(stringify!($f), value $(, $($rarg),*)?)
                                .map_err(|e| $crate::args::inside(name, e))?;
                        )*
                    }
                )*
                Ok(())
            }

            fn to_text(&self) -> String {
                serde_json::to_string(&$crate::args::Wire(self)).unwrap_or_default()
            }

            fn serialize_wire<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut out = s.serialize_map(None)?;
                $(
                    if $crate::args::ArgField::value(&self.$f).is_some() {
                        out.serialize_entry($wire, &$crate::args::Wire(&self.$f))?;
                    }
                )*
                for (k, v) in &self.extra {
                    out.serialize_entry(k, v)?;
                }
                out.end()
            }

            #[cfg(feature = "schema")]
            fn add_schema(generator: &mut schemars::SchemaGenerator) {
                $( <<$fty as $crate::args::ArgField>::Value as $crate::args::ArgValue>::add_schema(generator); )*
            }
        }
    };
}
