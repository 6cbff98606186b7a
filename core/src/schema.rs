//! A machine-readable description of the typed surface: the JSON Schema of every user-facing
//! model (as serialized for users) and the operation table. The Python stubs, the TypeScript
//! types and the CLI's docs are generated from it, so they cannot drift from this crate.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use crate::ops::{ArgSpec, ArgType, OPERATIONS};
use crate::webhooks::{self, Event, EventType, QuickBuyEvent};

/// The callback models, described apart from the call results: `describe()["webhooks"]`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct WebhookModels {
    event: Event,
    quickbuy_event: QuickBuyEvent,
}

/// `{"models": {Name: schema}, "areas": [{name, doc}], "operations": [...], "webhooks": {...}}`.
pub fn describe() -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    // Every result model of the declaration, with the models nested in them.
    crate::api::schema_models(&mut generator);
    let models = Value::Object(generator.take_definitions(true));
    let operations: Vec<Value> = OPERATIONS
        .iter()
        .map(|op| {
            json!({
                "name": op.name,
                "area": op.area(),
                "method": op.method(),
                "http": {"method": op.endpoint.method.as_str(), "path": op.endpoint.path},
                "positional": op.positional,
                "returns": {"kind": op.returns.kind(), "model": op.returns.model()},
                "moves_money": op.moves_money(),
                "doc": op.doc,
                "args": op.args.iter().map(arg).collect::<Vec<_>>(),
            })
        })
        .collect();
    let areas: Vec<Value> = crate::ops::AREAS
        .iter()
        .map(|a| json!({"name": a.name, "doc": a.doc}))
        .collect();
    json!({"models": models, "areas": areas, "operations": operations,
           "webhooks": describe_webhooks()})
}

/// One argument: `type`, with the enum's `values` or the object's documented `fields`.
fn arg(a: &ArgSpec) -> Value {
    let mut out = json!({"name": a.name, "camel": crate::ops::camel_case(a.name),
                         "type": a.ty.name(), "values": null, "required": a.required,
                         "doc": a.doc, "wire": a.wire});
    match a.ty {
        ArgType::Enum(values) => out["values"] = json!(values),
        ArgType::Object(fields) => {
            out["fields"] = json!(fields.iter().map(arg).collect::<Vec<_>>())
        }
        _ => {}
    }
    out
}

/// The callbacks: their models (`$defs` of their own, so generators that read `models` for call
/// results are not affected), the signature headers, each Customer API type code with the model
/// of its `Data`, and each QuickBuy kind with the model of its `data`.
fn describe_webhooks() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let root = generator.into_root_schema_for::<WebhookModels>();
    let root = serde_json::to_value(root).unwrap_or(Value::Null);
    let models = root.get("$defs").cloned().unwrap_or(Value::Null);
    let events: Vec<Value> = EventType::KNOWN
        .iter()
        .map(|code| json!({"type": code, "model": EventType::from_wire(code).data_model()}))
        .collect();
    let kinds: Vec<Value> = QuickBuyEvent::KINDS
        .iter()
        .map(|(kind, model)| json!({"kind": kind, "model": model}))
        .collect();
    json!({
        "models": models,
        "customer": {
            "model": "Event",
            "signature_header": webhooks::SIGNATURE_HEADER,
            "signature_encodings": ["base64", "hex"],
            "unknown_type_data": "raw JSON",
            "events": events,
        },
        "quickbuy": {
            "model": "QuickBuyEvent",
            "signature_header": webhooks::QUICKBUY_SIGNATURE_HEADER,
            "signature_encodings": ["base64"],
            "kinds": kinds,
        },
    })
}

/// Schema marker for money: an exact decimal string (`Decimal` in Python, `string` in Node).
pub struct Money;

impl JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "decimal"})
    }
}

/// Schema marker for timestamps: RFC 3339 UTC strings (`datetime` in Python).
pub struct Timestamp;

impl JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "date-time"})
    }
}
