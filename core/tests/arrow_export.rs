//! The Arrow export against the stateful sandbox: 100,000 seeded transactions plus varied ones
//! (deposits of every scale, withdrawals with fees, exchanges in several states), exported as
//! record batches and compared with the object path value for value: every amount digit for
//! digit, every timestamp to the microsecond, every id, flag and text, for one page and for
//! the walk over every page.

use futures_util::StreamExt;
use ibanera::accounts::{BalancesQuery, ListTransactions, WithdrawCrypto};
use ibanera::arrow::arrow_array::cast::AsArray;
use ibanera::arrow::arrow_array::types::{
    Decimal128Type, Int32Type, Int64Type, TimestampMicrosecondType, UInt32Type,
};
use ibanera::arrow::arrow_array::{Array, RecordBatch};
use ibanera::arrow::arrow_schema::{DataType, TimeUnit};
use ibanera::arrow::{DEFAULT_PREFETCH, ExportSchema, Naming};
use ibanera::exchanges::{BuyRequest, ListExchanges};
use ibanera::{Client, Decimal};
use ibanera_sandbox::Sandbox;
use serde::Serialize;
use serde_json::Value;

const SEEDED: u64 = 100_000;

fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .username(sandbox.username())
        .password(sandbox.password())
        .totp_secret(sandbox.totp_secret())
        .base_url(sandbox.base_url())
        .build()
        .unwrap()
}

/// Decimal text without trailing fractional zeros: the same value at any scale reads the same.
fn trimmed(text: &str) -> String {
    match text.split_once('.') {
        Some((i, f)) if f.trim_end_matches('0').is_empty() => i.to_string(),
        Some((i, f)) => format!("{i}.{}", f.trim_end_matches('0')),
        None => text.to_string(),
    }
}

fn money_text(v: i128) -> String {
    let digits = format!("{:019}", v.unsigned_abs());
    let (int, frac) = digits.split_at(digits.len() - 18);
    trimmed(&format!("{}{int}.{frac}", if v < 0 { "-" } else { "" }))
}

fn micros(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .timestamp_micros()
}

/// One cell in a comparable form: money as trimmed decimal text, timestamps as microseconds,
/// enums as their text.
fn cell(array: &dyn Array, row: usize) -> Value {
    if array.is_null(row) {
        return Value::Null;
    }
    match array.data_type() {
        DataType::Int64 => array.as_primitive::<Int64Type>().value(row).into(),
        DataType::Int32 => array.as_primitive::<Int32Type>().value(row).into(),
        DataType::UInt32 => array.as_primitive::<UInt32Type>().value(row).into(),
        DataType::Boolean => array.as_boolean().value(row).into(),
        DataType::Utf8 => array.as_string::<i32>().value(row).into(),
        DataType::Decimal128(38, 18) => {
            money_text(array.as_primitive::<Decimal128Type>().value(row)).into()
        }
        DataType::Timestamp(TimeUnit::Microsecond, Some(tz)) if tz.as_ref() == "UTC" => array
            .as_primitive::<TimestampMicrosecondType>()
            .value(row)
            .into(),
        DataType::Dictionary(_, _) => {
            let d = array.as_dictionary::<Int32Type>();
            let key = d.keys().value(row) as usize;
            d.values().as_string::<i32>().value(key).into()
        }
        DataType::Struct(fields) => {
            let s = array.as_struct();
            Value::Object(
                fields
                    .iter()
                    .zip(s.columns())
                    .map(|(f, c)| (f.name().clone(), cell(c.as_ref(), row)))
                    .collect(),
            )
        }
        DataType::List(_) => {
            let items = array.as_list::<i32>().value(row);
            Value::Array((0..items.len()).map(|i| cell(items.as_ref(), i)).collect())
        }
        other => panic!("unexpected column type {other}"),
    }
}

/// The object's field in the same form, guided by the column's type (not by a list of names).
fn object_cell(value: &Value, ty: &DataType) -> Value {
    match (value, ty) {
        (Value::Null, _) => Value::Null,
        (Value::String(s), DataType::Decimal128(..)) => trimmed(s).into(),
        (Value::String(s), DataType::Timestamp(..)) => micros(s).into(),
        // A value a text column holds as its JSON text (raw JSON, integer-or-string ids).
        (
            Value::Number(_) | Value::Bool(_) | Value::Array(_) | Value::Object(_),
            DataType::Utf8,
        ) => value.to_string().into(),
        (Value::Object(o), DataType::Struct(fields)) => Value::Object(
            fields
                .iter()
                .map(|f| {
                    let v = o.get(f.name()).unwrap_or(&Value::Null);
                    (f.name().clone(), object_cell(v, f.data_type()))
                })
                .collect(),
        ),
        (Value::Array(items), DataType::List(item)) => Value::Array(
            items
                .iter()
                .map(|v| object_cell(v, item.data_type()))
                .collect(),
        ),
        (other, _) => other.clone(),
    }
}

/// Every cell of `batches` equals the matching field of `objects` (camelCase columns, as the
/// objects serialize). Returns the number of cells compared.
fn assert_equal<T: Serialize>(batches: &[RecordBatch], objects: &[T]) -> usize {
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    assert_eq!(rows, objects.len(), "row count");
    let mut objects = objects.iter();
    let mut cells = 0;
    let mut row_number = 0;
    for batch in batches {
        let schema = batch.schema();
        for row in 0..batch.num_rows() {
            let object = serde_json::to_value(objects.next().unwrap()).unwrap();
            for (i, field) in schema.fields().iter().enumerate() {
                let expected = object_cell(&object[field.name()], field.data_type());
                let got = cell(batch.column(i).as_ref(), row);
                assert_eq!(got, expected, "row {row_number}, field {}", field.name());
                cells += 1;
            }
            row_number += 1;
        }
    }
    cells
}

/// A deterministic spread of amounts: every scale from 0 to 18 places, tiny and large values.
fn varied_amounts() -> Vec<Decimal> {
    let mut rng = fastrand::Rng::with_seed(17);
    let mut out: Vec<Decimal> = [
        "0.000000000000000001",
        "99999999.999999999999999999",
        "1",
        "0.1",
        "123456.000000000000000100",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    for k in 0..400 {
        let places = k % 19;
        // Kept under 10^9 so balances stay under 10^13: the sandbox cannot write larger ones
        // at 18 places.
        let int = rng.u64(0..1_000_000_000);
        let frac = if places == 0 {
            String::new()
        } else {
            let digits: String = (0..places)
                .map(|_| char::from(b'0' + rng.u8(0..10)))
                .collect();
            format!(".{digits}")
        };
        let text = format!("{int}{frac}");
        let d: Decimal = text.parse().unwrap();
        if !d.is_zero() {
            out.push(d);
        }
    }
    out
}

async fn varied_history(sandbox: &Sandbox, c: &Client) {
    let control = sandbox.control();
    let accounts = [1055, 1056, 1057, 1058, 1060, 1061];
    for (k, amount) in varied_amounts().into_iter().enumerate() {
        control
            .credit_deposit(accounts[k % accounts.len()], amount)
            .unwrap();
    }
    // Withdrawals: negative amounts and their network fees.
    for k in 1..=5 {
        let amount: Decimal = format!("0.00{k}1").parse().unwrap();
        c.accounts()
            .withdraw_crypto(&WithdrawCrypto::new(
                1057,
                amount,
                "bc1qexternal0000000000000001",
            ))
            .await
            .unwrap();
    }
    // Exchanges: left waiting (pending transactions), approved, completed, rejected.
    for k in 0..8u32 {
        let amount: Decimal = format!("0.0{}", k + 1).parse().unwrap();
        let buy = c
            .exchanges()
            .buy(&BuyRequest::by_amount(1004, "BTC/USDC", amount))
            .await
            .unwrap();
        match k % 4 {
            0 => {}
            1 => {
                control.approve(buy.id).unwrap();
            }
            2 => {
                control.approve(buy.id).unwrap();
                control.complete(buy.id).unwrap();
            }
            _ => {
                control.reject(buy.id).unwrap();
            }
        }
    }
    control.seed_transactions(1056, SEEDED).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_equals_the_object_path_for_one_page_and_for_every_page() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    varied_history(&sandbox, &c).await;

    // One page with the varied history (newest first: the seeded ones come first, so look at
    // the last page, which holds the oldest, varied transactions).
    let first = c
        .accounts()
        .transactions(&ListTransactions {
            page_size: Some(1000),
            ..Default::default()
        })
        .await
        .unwrap();
    let pages = first.number_of_pages.unwrap();
    assert!(u64::from(pages) * 1000 >= SEEDED, "{pages} pages");
    for number in [1, pages] {
        let page = c
            .accounts()
            .transactions(&ListTransactions {
                page_size: Some(1000),
                page_number: Some(number),
                ..Default::default()
            })
            .await
            .unwrap();
        let batch = page.to_arrow(Naming::CamelCase).unwrap();
        let cells = assert_equal(std::slice::from_ref(&batch), &page.items);
        assert_eq!(cells, page.items.len() * batch.num_columns());
        // The snake_case form holds the same columns under Python's names.
        let snake = page.to_arrow(Naming::SnakeCase).unwrap();
        assert_eq!(snake.columns(), batch.columns());
        assert!(
            snake
                .schema()
                .field_with_name("from_transactions_id")
                .is_ok()
        );
    }
    let last = c
        .accounts()
        .transactions(&ListTransactions {
            page_size: Some(1000),
            page_number: Some(pages),
            ..Default::default()
        })
        .await
        .unwrap();
    // The varied part really is varied: many scales, negative amounts, links, pending rows.
    let scales: std::collections::BTreeSet<u32> = last
        .items
        .iter()
        .map(|t| t.amount.normalize().scale())
        .collect();
    assert!(scales.len() >= 15, "{scales:?}");
    assert!(last.items.iter().any(|t| t.amount.is_sign_negative()));

    // Every page: the streamed export against the objects of the same walk.
    let query = ListTransactions {
        page_size: Some(1000),
        ..Default::default()
    };
    let schema = ExportSchema::of::<ibanera::accounts::Transaction>(Naming::CamelCase).unwrap();
    let batches = c
        .accounts()
        .transactions_pager(query.clone())
        .record_batches(schema, DEFAULT_PREFETCH)
        .collect_batches()
        .await
        .unwrap();
    assert_eq!(batches.len(), pages as usize);
    let objects: Vec<_> = c
        .accounts()
        .transactions_pager(query)
        .items()
        .map(|t| t.unwrap())
        .collect()
        .await;
    assert!(objects.len() as u64 > SEEDED);
    assert!(objects.iter().any(|t| t.pending), "pending rows");
    assert!(
        objects.iter().any(|t| t.to_accounts_id.is_some()),
        "linked rows"
    );
    let cells = assert_equal(&batches, &objects);
    assert_eq!(cells, objects.len() * batches[0].num_columns());
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loosely_typed_calls_export_every_list_model() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    for k in 0..6u32 {
        let amount: Decimal = format!("0.00{}", k + 1).parse().unwrap();
        let buy = c
            .exchanges()
            .buy(&BuyRequest::by_amount(1004, "BTC/USDC", amount))
            .await
            .unwrap();
        if k % 2 == 1 {
            sandbox.control().approve(buy.id).unwrap();
        }
    }
    // Exchanges (enums as dictionaries, nullable money) through the Call path the CLI uses.
    let call = ibanera::ops::parse("exchanges.list", &serde_json::json!({"page_size": 4})).unwrap();
    let mut stream = call
        .record_batches(&c, Naming::CamelCase, 1)
        .unwrap()
        .unwrap();
    let mut batches = Vec::new();
    while let Some(b) = stream.next().await {
        batches.push(b.unwrap());
    }
    let objects: Vec<_> = c
        .exchanges()
        .list_pager(ListExchanges {
            page_size: Some(4),
            ..Default::default()
        })
        .items()
        .map(|e| e.unwrap())
        .collect()
        .await;
    assert_eq!(objects.len(), 6);
    assert_equal(&batches, &objects);

    // Balances: one page, all money.
    let page = c
        .accounts()
        .balances(&BalancesQuery::default())
        .await
        .unwrap();
    assert_equal(&[page.to_arrow(Naming::CamelCase).unwrap()], &page.items);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_list_operation_of_the_table_exports_what_its_objects_hold() {
    use ibanera::ops::{OPERATIONS, Returns};
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    // Something in every list: exchanges and an information request (the accounts and cards
    // are seeded).
    for k in 1..=3 {
        let amount: Decimal = format!("0.0{k}").parse().unwrap();
        c.exchanges()
            .buy(&BuyRequest::by_amount(1004, "BTC/USDC", amount))
            .await
            .unwrap();
    }
    sandbox
        .control()
        .open_information_request(1004, None)
        .unwrap();
    let mut exported = 0;
    for op in OPERATIONS {
        if !matches!(op.returns, Returns::Page(_) | Returns::List(_)) {
            continue;
        }
        // Small pages where the operation pages, so the walk crosses pages.
        let args = if op.args.iter().any(|a| a.name == "page_size") {
            serde_json::json!({"page_size": 1})
        } else {
            serde_json::json!({})
        };
        let call = ibanera::ops::parse(op.name, &args).unwrap();
        let (batches, objects): (Vec<RecordBatch>, Vec<Value>) = if op.is_paged() {
            let batches = call
                .record_batches(&c, Naming::CamelCase, 2)
                .unwrap()
                .unwrap()
                .collect_batches()
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", op.name));
            let objects = call
                .pager_json(&c)
                .unwrap()
                .items()
                .map(|v| v.unwrap())
                .collect()
                .await;
            (batches, objects)
        } else {
            let output = call.run(&c).await.unwrap();
            let objects = match serde_json::to_value(&output).unwrap() {
                Value::Array(items) => items,
                other => panic!("{}: {other}", op.name),
            };
            let batch = output
                .into_record_batch(Naming::CamelCase)
                .unwrap()
                .unwrap_or_else(|e| panic!("{}: {e}", op.name));
            (vec![batch], objects)
        };
        assert!(
            !objects.is_empty(),
            "{}: the sandbox lists nothing",
            op.name
        );
        assert_equal(&batches, &objects);
        exported += 1;
    }
    let lists = OPERATIONS
        .iter()
        .filter(|op| matches!(op.returns, Returns::Page(_) | Returns::List(_)))
        .count();
    assert_eq!(exported, lists);
    sandbox.shutdown().await;
}
