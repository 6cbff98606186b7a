use std::sync::atomic::{AtomicUsize, Ordering};

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, DictionaryArray};
use rust_decimal::Decimal;
use serde_json::json;

use super::*;
use crate::accounts::{CreatedAccounts, ListTransactions, Transaction, TransactionDetails};
use crate::exchanges::{AssetPair, Exchange};
use crate::ops::{OPERATIONS, Returns};

fn tx(id: i64, amount: &str, pending: bool, time: Option<&str>) -> Transaction {
    // From the text (as the client decodes a response), so every digit of the amount counts.
    serde_json::from_str(&format!(
        r#"{{"id": {id}, "accountsId": 1055, "fromTransactionsId": null, "amount": {amount},
            "description": "deposit {id}", "dateTime": {}, "bPending": {pending}}}"#,
        time.map(|t| format!("\"{t}\"")).unwrap_or("null".into())
    ))
    .unwrap()
}

/// A decimal128(38, 18) cell as exact decimal text at scale 18.
fn money_text(v: i128) -> String {
    let digits = format!("{:019}", v.unsigned_abs());
    let (int, frac) = digits.split_at(digits.len() - 18);
    format!("{}{int}.{frac}", if v < 0 { "-" } else { "" })
}

/// Decimal text without trailing fractional zeros (`1.500` -> `1.5`, `2.000` -> `2`).
fn trimmed(text: &str) -> String {
    match text.split_once('.') {
        Some((i, f)) if f.trim_end_matches('0').is_empty() => i.to_string(),
        Some((i, f)) => format!("{i}.{}", f.trim_end_matches('0')),
        None => text.to_string(),
    }
}

/// The object's money, digits only (the same value at any scale compares equal).
fn object_money(d: &Decimal) -> String {
    trimmed(&d.to_string())
}

#[test]
fn every_model_of_the_operation_table_has_an_arrow_schema_with_every_field() {
    let models = model_definitions();
    let mut checked = 0;
    let mut listed = 0;
    for op in OPERATIONS {
        let Some(model) = op.returns.model() else {
            continue;
        };
        if let Returns::Secret(_) = op.returns {
            // Never exported: its values would be printed in a column.
            let e = ExportSchema::for_model(model, Naming::SnakeCase)
                .unwrap()
                .unwrap_err();
            assert!(e.to_string().contains("holds secrets"), "{e}");
            checked += 1;
            continue;
        }
        for naming in [Naming::SnakeCase, Naming::CamelCase] {
            let s = ExportSchema::for_model(model, naming)
                .unwrap_or_else(|| panic!("{model} is not in describe()"))
                .unwrap_or_else(|e| panic!("{model}: {e}"));
            let props = models[model]["properties"].as_object().unwrap();
            assert_eq!(s.schema().fields().len(), props.len(), "{model}");
            for (field, key) in s.schema().fields().iter().zip(props.keys()) {
                assert_eq!(field.name(), &naming.apply(key), "{model}");
            }
        }
        checked += 1;
        if matches!(op.returns, Returns::Page(_) | Returns::List(_)) {
            listed += 1;
        }
    }
    let with_model = OPERATIONS
        .iter()
        .filter(|op| op.returns.model().is_some())
        .count();
    assert_eq!(checked, with_model);
    let lists = OPERATIONS
        .iter()
        .filter(|op| matches!(op.returns, Returns::Page(_) | Returns::List(_)))
        .count();
    assert_eq!(listed, lists);
    assert!(lists > 0);
}

#[test]
fn every_list_operation_of_the_table_exports_and_the_others_do_not() {
    // A call of every operation with its required arguments (the schema only depends on the
    // operation), read through the table as the CLI and the bindings read them.
    fn sample(ty: crate::ops::ArgType) -> Value {
        use crate::ops::ArgType;
        match ty {
            ArgType::Id | ArgType::Count | ArgType::FxRateId => json!(2),
            ArgType::Money => json!("1.5"),
            ArgType::Text => json!("BTC/USD"),
            ArgType::Date => json!("2024-01-01"),
            ArgType::Enum(values) => json!(values[0]),
            ArgType::Object(fields) => Value::Object(
                fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| (f.name.to_string(), sample(f.ty)))
                    .collect(),
            ),
            ArgType::Json => json!({}),
        }
    }
    for op in OPERATIONS {
        let args: Map<String, Value> = op
            .args
            .iter()
            .filter(|a| a.required)
            .map(|a| (a.name.to_string(), sample(a.ty)))
            .collect();
        let a = crate::ops::Args::new(op, &Value::Object(args)).unwrap();
        let call = crate::api::read_call(&a).unwrap_or_else(|e| panic!("{}: {e}", op.name));
        let lists = matches!(op.returns, Returns::Page(_) | Returns::List(_));
        let schema = call.export_schema(Naming::SnakeCase);
        assert_eq!(schema.is_some(), lists, "{}", op.name);
        if let Some(schema) = schema {
            let schema = schema.unwrap_or_else(|e| panic!("{}: {e}", op.name));
            assert_eq!(Some(schema.model()), op.returns.model(), "{}", op.name);
        }
    }
}

#[test]
fn snake_case_names_are_the_inverse_of_the_models_camel_case() {
    for (model, schema) in model_definitions() {
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for key in props.keys() {
            assert_eq!(
                &crate::ops::camel_case(&snake_case(key)),
                key,
                "{model}.{key}"
            );
        }
    }
    assert_eq!(snake_case("dateTime"), "date_time");
    assert_eq!(snake_case("fromTransactionsId"), "from_transactions_id");
}

#[test]
fn column_types_follow_the_json_schema() {
    let s = ExportSchema::of::<Transaction>(Naming::SnakeCase).unwrap();
    let schema = s.schema();
    let ty = |name: &str| schema.field_with_name(name).unwrap().data_type().clone();
    let nullable = |name: &str| schema.field_with_name(name).unwrap().is_nullable();
    assert_eq!(ty("id"), DataType::Int64);
    assert!(!nullable("id"));
    assert_eq!(ty("accounts_id"), DataType::Int64);
    assert!(nullable("accounts_id"));
    assert_eq!(ty("amount"), DataType::Decimal128(38, 18));
    assert!(!nullable("amount"));
    assert_eq!(
        ty("date_time"),
        DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
    );
    assert_eq!(ty("pending"), DataType::Boolean);
    assert_eq!(ty("description"), DataType::Utf8);
    assert_eq!(s.money_columns(), vec!["amount"]);
    // The same schema by name (what the CLI and the bindings use).
    let by_name = ExportSchema::for_model("Transaction", Naming::SnakeCase)
        .unwrap()
        .unwrap();
    assert_eq!(by_name.schema(), schema);

    let ex = ExportSchema::of::<Exchange>(Naming::CamelCase)
        .unwrap()
        .schema();
    let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    assert_eq!(ex.field_with_name("status").unwrap().data_type(), &dict);
    assert!(!ex.field_with_name("status").unwrap().is_nullable());
    assert_eq!(
        ex.field_with_name("transferType").unwrap().data_type(),
        &dict
    );
    assert!(ex.field_with_name("transferType").unwrap().is_nullable());
    assert_eq!(
        ex.field_with_name("requestAmount").unwrap().data_type(),
        &DataType::Decimal128(38, 18)
    );

    let details = ExportSchema::of::<TransactionDetails>(Naming::SnakeCase)
        .unwrap()
        .schema();
    let DataType::Struct(wallet) = details
        .field_with_name("wallet_transfer_details")
        .unwrap()
        .data_type()
    else {
        panic!("nested details are structs");
    };
    let names: Vec<&str> = wallet.iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, ["from_wallet_address", "to_wallet_address"]);
}

#[test]
fn values_equal_the_object_path() {
    let items = vec![
        tx(
            10002,
            "999935.160000000000000000",
            false,
            Some("2024-09-10T03:58:40.1066667+00:00"),
        ),
        tx(
            10001,
            "-0.000000000000000001",
            true,
            Some("2022-07-07T16:33:08.413Z"),
        ),
        tx(10000, "0.000000000000000000", false, None),
        tx(
            9999,
            "12345678901234567890.123456789012345678",
            false,
            Some("1970-01-01T00:00:00Z"),
        ),
    ];
    let schema = ExportSchema::of::<Transaction>(Naming::SnakeCase).unwrap();
    let batch = to_record_batch(&schema, &items, 0).unwrap();
    assert_eq!(batch.num_rows(), items.len());
    let col = |n: &str| batch.column_by_name(n).unwrap().clone();
    let ids = col("id");
    let ids = ids.as_primitive::<Int64Type>();
    let amounts = col("amount");
    let amounts = amounts.as_primitive::<Decimal128Type>();
    let times = col("date_time");
    let times = times.as_primitive::<TimestampMicrosecondType>();
    let from = col("from_transactions_id");
    let pending = col("pending");
    let pending = pending.as_boolean();
    let descriptions = col("description");
    let descriptions = descriptions.as_string::<i32>();
    for (i, t) in items.iter().enumerate() {
        assert_eq!(ids.value(i), t.id);
        assert_eq!(
            trimmed(&money_text(amounts.value(i))),
            object_money(&t.amount),
            "row {i}"
        );
        match t.date_time {
            Some(dt) => assert_eq!(times.value(i), dt.timestamp_micros()),
            None => assert!(times.is_null(i)),
        }
        assert!(from.is_null(i), "absent ids are nulls, not zeros");
        assert_eq!(pending.value(i), t.pending);
        assert_eq!(Some(descriptions.value(i)), t.description.as_deref());
    }
    // The 100-ns digit of the first timestamp is dropped (microseconds, like a datetime).
    assert_eq!(
        times.value(0),
        chrono::DateTime::parse_from_rfc3339("2024-09-10T03:58:40.106666Z")
            .unwrap()
            .timestamp_micros()
    );
    // 38 significant digits: the client's decode keeps 28 (rounded, documented in
    // `decimal`), and the column holds exactly what the object holds.
    assert_eq!(items[3].amount.to_string(), "12345678901234567890.12345679");
    assert_eq!(
        money_text(amounts.value(3)),
        "12345678901234567890.123456790000000000"
    );
}

#[test]
fn money_that_does_not_fit_is_an_error_naming_field_and_row() {
    // Exact in the object (rust_decimal keeps 28 digits), not in decimal128(38, 18).
    let items = vec![
        tx(1, "1.5", false, None),
        tx(2, "0.0000000000000000001", false, None),
    ];
    let schema = ExportSchema::of::<Transaction>(Naming::SnakeCase).unwrap();
    let e = to_record_batch(&schema, &items, 40).unwrap_err();
    let Error::Conversion { field, row, reason } = &e else {
        panic!("{e:?}");
    };
    assert_eq!((field.as_str(), *row), ("amount", 41));
    assert!(reason.contains("19 decimal places"), "{reason}");
    assert_eq!(e.kind(), crate::ErrorKind::Decode);
    assert!(e.to_string().contains("field `amount`, row 41"), "{e}");

    let big = vec![tx(1, "123456789012345678901", false, None)];
    let e = to_record_batch(&schema, &big, 0).unwrap_err();
    assert!(
        e.to_string().contains("21 digits before the decimal point"),
        "{e}"
    );

    // Zeros past the 18th place change no value: accepted.
    let zeros = vec![tx(1, "2.50000000000000000000", false, None)];
    let b = to_record_batch(&schema, &zeros, 0).unwrap();
    let a = b
        .column_by_name("amount")
        .unwrap()
        .as_primitive::<Decimal128Type>()
        .value(0);
    assert_eq!(money_text(a), "2.500000000000000000");
}

#[test]
fn money_parser_is_exact() {
    assert_eq!(money_to_i128("0").unwrap(), 0);
    assert_eq!(money_to_i128("-1.25").unwrap(), -1_250_000_000_000_000_000);
    assert_eq!(money_to_i128("+000.000000000000000001").unwrap(), 1);
    assert_eq!(
        money_to_i128("99999999999999999999.999999999999999999").unwrap(),
        10i128.pow(38) - 1
    );
    for bad in ["", ".", "1e5", "1.2.3", "- 1", "0x10"] {
        assert!(money_to_i128(bad).is_err(), "{bad}");
    }
}

#[test]
fn enums_are_dictionaries_that_keep_unknown_values_and_their_codes() {
    let ex = |id: i64, status: &str| -> Exchange {
        serde_json::from_value(json!({"id": id, "exchangeType": "Buy", "status": status,
                                      "transferType": null}))
        .unwrap()
    };
    let schema = ExportSchema::of::<Exchange>(Naming::SnakeCase).unwrap();
    let mut b = BatchBuilder::new(schema);
    b.push(&ex(1, "Completed")).unwrap();
    b.push(&ex(2, "OnHold")).unwrap();
    let first = b.finish().unwrap();
    b.push(&ex(3, "OnHold")).unwrap();
    b.push(&ex(4, "Pending")).unwrap();
    let second = b.finish().unwrap();

    let text = |batch: &RecordBatch, row: usize| -> Option<String> {
        let d: &DictionaryArray<Int32Type> =
            batch.column_by_name("status").unwrap().as_dictionary();
        let values = d.values().as_string::<i32>();
        d.key(row).map(|k| values.value(k).to_string())
    };
    assert_eq!(text(&first, 0).as_deref(), Some("Completed"));
    assert_eq!(text(&first, 1).as_deref(), Some("OnHold"));
    assert_eq!(text(&second, 0).as_deref(), Some("OnHold"));
    assert_eq!(text(&second, 1).as_deref(), Some("Pending"));
    let key = |batch: &RecordBatch, row: usize| {
        let d: &DictionaryArray<Int32Type> =
            batch.column_by_name("status").unwrap().as_dictionary();
        d.key(row)
    };
    // The documented values come first; an unknown one keeps its code in later batches.
    let known = crate::ExchangeStatus::KNOWN;
    assert_eq!(key(&first, 0), known.iter().position(|k| *k == "Completed"));
    assert_eq!(key(&first, 1), Some(known.len()));
    assert_eq!(key(&second, 0), Some(known.len()));
    let transfer = first.column_by_name("transfer_type").unwrap();
    assert_eq!(transfer.null_count(), 2);
}

#[test]
fn nested_objects_are_structs_and_lists_are_lists() {
    let with_wallet: TransactionDetails = serde_json::from_value(json!({
        "transactionId": 5, "amount": 1.0, "assetClass": "Cryptocurrency",
        "walletTransferDetails": {"fromWalletAddress": "bc1qfrom", "toWalletAddress": null}
    }))
    .unwrap();
    let without: TransactionDetails =
        serde_json::from_value(json!({"transactionId": 6, "amount": 2})).unwrap();
    let schema = ExportSchema::of::<TransactionDetails>(Naming::SnakeCase).unwrap();
    let batch = to_record_batch(&schema, &[with_wallet, without], 0).unwrap();
    let wallet = batch
        .column_by_name("wallet_transfer_details")
        .unwrap()
        .as_struct();
    assert!(wallet.is_valid(0) && wallet.is_null(1));
    let from = wallet
        .column_by_name("from_wallet_address")
        .unwrap()
        .as_string::<i32>();
    assert_eq!(from.value(0), "bc1qfrom");
    assert!(
        wallet
            .column_by_name("to_wallet_address")
            .unwrap()
            .is_null(0)
    );

    let created: CreatedAccounts = serde_json::from_value(json!({
        "customersId": 1004, "accounts": [
            {"id": 1, "totalBalance": 0, "availableBalance": 0, "pendingBalance": 0},
            {"id": 2, "totalBalance": "1.5", "availableBalance": 1, "pendingBalance": 0.5}
        ]
    }))
    .unwrap();
    let schema = ExportSchema::of::<CreatedAccounts>(Naming::CamelCase).unwrap();
    let batch = to_record_batch(&schema, &[created], 0).unwrap();
    let accounts = batch.column_by_name("accounts").unwrap().as_list::<i32>();
    assert_eq!(accounts.value_length(0), 2);
    let inner = accounts.value(0);
    let totals = inner
        .as_struct()
        .column_by_name("totalBalance")
        .unwrap()
        .as_primitive::<Decimal128Type>()
        .clone();
    assert_eq!(money_text(totals.value(1)), "1.500000000000000000");
}

#[test]
fn raw_json_is_kept_as_its_text() {
    let pair: AssetPair =
        serde_json::from_value(json!({"assetPair": "BTC/USDC", "minAmount": "0.0001", "x": [1]}))
            .unwrap();
    let schema = ExportSchema::of::<AssetPair>(Naming::SnakeCase).unwrap();
    let batch = to_record_batch(&schema, std::slice::from_ref(&pair), 0).unwrap();
    let raw = batch.column_by_name("raw").unwrap().as_string::<i32>();
    let back: Value = serde_json::from_str(raw.value(0)).unwrap();
    assert_eq!(back, pair.raw);
}

#[test]
fn ipc_stream_bytes_read_back() {
    let items = vec![tx(1, "1.25", false, Some("2024-01-02T03:04:05.123456Z"))];
    let schema = ExportSchema::of::<Transaction>(Naming::CamelCase).unwrap();
    let batch = to_record_batch(&schema, &items, 0).unwrap();
    let bytes = ipc_stream_bytes(&schema.schema(), &[batch.clone(), batch.clone()]).unwrap();
    let reader =
        arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None).unwrap();
    assert_eq!(reader.schema(), schema.schema());
    let back: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
    assert_eq!(back, vec![batch.clone(), batch]);
}

#[test]
fn list_outputs_become_batches_one_object_outputs_do_not() {
    let page = Output::ListTransactions(Page {
        items: vec![tx(1, "1", false, None), tx(2, "2.5", false, None)],
        page_number: Some(1),
        page_size: Some(10),
        number_of_pages: Some(1),
        warnings: vec![],
    });
    let batch = page.into_record_batch(Naming::SnakeCase).unwrap().unwrap();
    assert_eq!(batch.num_rows(), 2);
    assert_eq!(
        batch.schema(),
        ExportSchema::of::<Transaction>(Naming::SnakeCase)
            .unwrap()
            .schema()
    );
    let amounts = batch
        .column_by_name("amount")
        .unwrap()
        .as_primitive::<Decimal128Type>();
    assert_eq!(money_text(amounts.value(1)), "2.500000000000000000");

    // A plain list (no paging) and a model of the newer areas.
    let pairs: Vec<AssetPair> = vec![
        serde_json::from_value(json!({"assetPair": "BTC/USDC", "minAmount": "0.0001"})).unwrap(),
    ];
    let batch = Output::ListPairs(pairs)
        .into_record_batch(Naming::CamelCase)
        .unwrap()
        .unwrap();
    assert_eq!(batch.num_rows(), 1);
    assert!(batch.schema().field_with_name("assetPair").is_ok());
    let requests = Output::ListInformationRequests(Page {
        items: vec![serde_json::from_value(json!({"id": 7})).unwrap()],
        page_number: Some(1),
        page_size: Some(10),
        number_of_pages: Some(1),
        warnings: vec![],
    });
    let batch = requests
        .into_record_batch(Naming::SnakeCase)
        .unwrap()
        .unwrap();
    assert_eq!(
        batch
            .column_by_name("id")
            .unwrap()
            .as_primitive::<Int64Type>()
            .value(0),
        7
    );

    let one = Output::GetAccount(
        serde_json::from_value(
            json!({"id": 1, "totalBalance": 0, "availableBalance": 0, "pendingBalance": 0}),
        )
        .unwrap(),
    );
    assert!(one.into_record_batch(Naming::SnakeCase).is_none());
    assert!(
        Output::SimulatePayin(())
            .into_record_batch(Naming::SnakeCase)
            .is_none()
    );
}

#[test]
fn the_call_for_the_next_page_keeps_every_filter() {
    let call = crate::ops::parse(
        "accounts.transactions",
        &json!({"accounts_id": 1057, "page_size": 2, "page_number": 3}),
    )
    .unwrap();
    let page = |n: u32| Page {
        items: vec![tx(1, "1", false, None), tx(2, "1", false, None)],
        page_number: Some(n),
        page_size: Some(2),
        number_of_pages: Some(4),
        warnings: vec![],
    };
    let Some(crate::ops::Call::ListTransactions(q)) = call.next_page_call(&page(3)) else {
        panic!("a next page")
    };
    assert_eq!(
        (q.accounts_id, q.page_size, q.page_number),
        (Some(1057), Some(2), Some(4))
    );
    let last = crate::ops::parse("accounts.transactions", &json!({"page_number": 4})).unwrap();
    assert!(last.next_page_call(&page(4)).is_none());
    let cards = crate::ops::parse("cards.transactions", &json!({"cards_id": 9})).unwrap();
    let Some(crate::ops::Call::ListCardTransactions(q)) = cards.next_page_call(&page(1)) else {
        panic!("a next page")
    };
    assert_eq!((q.cards_id, q.page_number), (Some(9), Some(2)));
    let one = crate::ops::parse("accounts.get", &json!({"id": 1})).unwrap();
    assert!(one.next_page_call(&page(1)).is_none());
    let list = crate::ops::parse("exchanges.pairs", &json!({})).unwrap();
    assert!(list.next_page_call(&page(1)).is_none());
}

// ----- walks -----

struct Walk {
    fetched: Arc<AtomicUsize>,
    pager: Pager<Transaction>,
}

/// A pager over `pages` pages of `size` items, counting fetches; page `fail_at` fails, and an
/// amount of 19 decimal places sits at row `bad_row` when given.
fn walk(pages: u32, size: usize, fail_at: Option<u32>, bad_row: Option<usize>) -> Walk {
    let fetched = Arc::new(AtomicUsize::new(0));
    let counter = fetched.clone();
    let pager = Pager::new(
        ListTransactions {
            page_number: Some(1),
            ..Default::default()
        },
        move |q: ListTransactions| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                let n = q.page_number.unwrap_or(1);
                if fail_at == Some(n) {
                    return Err(Error::Config(format!("page {n} failed")));
                }
                let items = (0..size)
                    .map(|i| {
                        let row = (n as usize - 1) * size + i;
                        let amount = if bad_row == Some(row) {
                            "0.0000000000000000001"
                        } else {
                            "1"
                        };
                        tx(row as i64, amount, false, None)
                    })
                    .collect();
                Ok(Page {
                    items,
                    page_number: Some(n),
                    page_size: Some(size as u32),
                    number_of_pages: Some(pages),
                    warnings: vec![],
                })
            }
        },
    );
    Walk { fetched, pager }
}

async fn settle() {
    for _ in 0..200 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn walks_fetch_ahead_within_the_bound() {
    let (pages, prefetch) = (12u32, 2usize);
    let w = walk(pages, 5, None, None);
    let schema = ExportSchema::of::<Transaction>(Naming::SnakeCase).unwrap();
    let mut stream = w.pager.record_batches(schema, prefetch);
    let mut consumed = 0usize;
    let mut rows = 0;
    let mut ids = Vec::new();
    while let Some(batch) = stream.next_batch().await.unwrap() {
        consumed += 1;
        rows += batch.num_rows();
        let col = batch
            .column_by_name("id")
            .unwrap()
            .as_primitive::<Int64Type>();
        ids.extend(col.values().iter().copied());
        // The consumer is slow: the fetching runs ahead, as far as the queue (`prefetch`)
        // plus the requests in flight (`prefetch`) plus the page waiting for room, no further.
        settle().await;
        let fetched = w.fetched.load(Ordering::SeqCst);
        let most = (consumed + 2 * prefetch + 1).min(pages as usize);
        assert!(
            fetched <= most,
            "{fetched} fetched after {consumed} converted"
        );
        assert!(
            fetched >= (consumed + prefetch).min(pages as usize),
            "{fetched} fetched after {consumed} converted: not ahead"
        );
    }
    assert_eq!(consumed, pages as usize);
    assert_eq!(rows, pages as usize * 5);
    // In order, every row once, although pages after the first are fetched concurrently.
    assert_eq!(ids, (0..rows as i64).collect::<Vec<_>>());
    assert_eq!(w.fetched.load(Ordering::SeqCst), pages as usize);
}

#[tokio::test(flavor = "current_thread")]
async fn dropping_a_walk_stops_fetching() {
    let w = walk(50, 3, None, None);
    let schema = ExportSchema::of::<Transaction>(Naming::SnakeCase).unwrap();
    let mut stream = w.pager.record_batches(schema, 1);
    stream.next_batch().await.unwrap().unwrap();
    drop(stream);
    settle().await;
    let after_drop = w.fetched.load(Ordering::SeqCst);
    settle().await;
    assert_eq!(w.fetched.load(Ordering::SeqCst), after_drop);
    assert!(after_drop <= 4, "{after_drop}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_page_ends_the_walk_with_its_error() {
    let w = walk(6, 2, Some(3), None);
    let schema = ExportSchema::of::<Transaction>(Naming::SnakeCase).unwrap();
    let mut stream = w.pager.record_batches(schema, 2);
    assert!(stream.next_batch().await.unwrap().is_some());
    assert!(stream.next_batch().await.unwrap().is_some());
    let e = stream.next_batch().await.unwrap_err();
    assert!(e.to_string().contains("page 3 failed"), "{e}");
    assert!(stream.next_batch().await.unwrap().is_none());
    settle().await;
    settle().await;
    // Page 3 and at most `prefetch` (2) requests already in flight behind it; nothing after.
    let fetched = w.fetched.load(Ordering::SeqCst);
    assert!((3..=5).contains(&fetched), "{fetched}");
    settle().await;
    assert_eq!(
        w.fetched.load(Ordering::SeqCst),
        fetched,
        "nothing fetched after the failure"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn rows_are_numbered_across_pages() {
    let w = walk(4, 10, None, Some(27));
    let schema = ExportSchema::of::<Transaction>(Naming::SnakeCase).unwrap();
    let mut stream = w.pager.record_batches(schema, 2);
    assert!(stream.next_batch().await.unwrap().is_some());
    assert!(stream.next_batch().await.unwrap().is_some());
    let e = stream.next_batch().await.unwrap_err();
    let Error::Conversion { field, row, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!((field.as_str(), *row), ("amount", 27));
    assert!(stream.next_batch().await.unwrap().is_none());
}

#[tokio::test(flavor = "current_thread")]
async fn items_at_hand_come_first_and_number_the_rows_after_them() {
    // The caller holds page 1 (as the models themselves); the walk fetches from page 2 on (a
    // pager started there, yielding the table's items, as a binding's walk does).
    let w = walk(3, 4, None, Some(9));
    let mut pager = w.pager;
    let held: Vec<Transaction> = pager.next_page().await.unwrap().unwrap().items;
    let pager = pager.map_items(crate::ops::Item::ListTransactions);
    let schema = ExportSchema::of::<Transaction>(Naming::SnakeCase).unwrap();
    let mut stream = pager.record_batches(schema, 2).with_first_items(held);
    let first = stream.next_batch().await.unwrap().unwrap();
    let ids = first
        .column_by_name("id")
        .unwrap()
        .as_primitive::<Int64Type>();
    assert_eq!(ids.values().to_vec(), vec![0, 1, 2, 3]);
    assert_eq!(
        w.fetched.load(Ordering::SeqCst),
        1,
        "the held page is not fetched again"
    );
    let second = stream.next_batch().await.unwrap().unwrap();
    assert_eq!(second.num_rows(), 4);
    let e = stream.next_batch().await.unwrap_err();
    let Error::Conversion { row, .. } = e else {
        panic!("{e:?}")
    };
    assert_eq!(row, 9);
}

#[test]
fn a_walk_outside_a_runtime_says_so() {
    let w = walk(2, 1, None, None);
    let schema = ExportSchema::of::<Transaction>(Naming::SnakeCase).unwrap();
    let mut stream = w.pager.record_batches(schema, 2);
    let e = futures_util::FutureExt::now_or_never(stream.next_batch())
        .expect("ready at once")
        .unwrap_err();
    assert!(e.to_string().contains("Tokio runtime"), "{e}");
    assert_eq!(w.fetched.load(Ordering::SeqCst), 0);
}
