//! `--output parquet` and `--output arrow` against an in-process sandbox: the files and the
//! stream read back with the Arrow and Parquet readers, compared cell by cell with the core's
//! user-facing JSON of the same list; a failed export leaves no file.

use std::io::Cursor;
use std::path::Path;
use std::process::{Command, Stdio};

use ibanera::Client;
use ibanera::arrow::arrow_array::cast::AsArray;
use ibanera::arrow::arrow_array::types::{
    Decimal128Type, Int32Type, Int64Type, TimestampMicrosecondType,
};
use ibanera::arrow::arrow_array::{Array, RecordBatch};
use ibanera::arrow::arrow_ipc::reader::StreamReader;
use ibanera::arrow::arrow_schema::{DataType, TimeUnit};
use ibanera::arrow::snake_case;
use ibanera_sandbox::{Fault, Sandbox};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_ibanera");

struct World {
    rt: tokio::runtime::Runtime,
    sandbox: Option<Sandbox>,
}

impl World {
    fn start() -> World {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = rt.block_on(Sandbox::start()).unwrap();
        World {
            rt,
            sandbox: Some(sandbox),
        }
    }

    fn sandbox(&self) -> &Sandbox {
        self.sandbox.as_ref().unwrap()
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let s = self.sandbox();
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env("IBANERA_BASE_URL", s.base_url())
            .env("IBANERA_USERNAME", s.username())
            .env("IBANERA_PASSWORD", s.password())
            .env("IBANERA_TOTP_SECRET", s.totp_secret())
            .env_remove("IBANERA_ACCESS_TOKEN")
            .env_remove("IBANERA_LOG")
            .stdin(Stdio::null());
        cmd
    }

    /// Every item of a list operation in the core's user-facing JSON (the objects' form).
    fn items(&self, op: &str, args: Value) -> Vec<Value> {
        let s = self.sandbox();
        let client = Client::builder()
            .username(s.username())
            .password(s.password())
            .totp_secret(s.totp_secret())
            .base_url(s.base_url())
            .build()
            .unwrap();
        self.rt.block_on(async {
            let call = ibanera::ops::parse(op, &args).unwrap();
            let mut pager = call.pager_json(&client).unwrap();
            let mut items = Vec::new();
            while let Some(page) = pager.next_page().await.unwrap() {
                items.extend(page.items);
            }
            items
        })
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(s) = self.sandbox.take() {
            self.rt.block_on(s.shutdown());
        }
    }
}

fn trimmed(text: &str) -> String {
    match text.split_once('.') {
        Some((i, f)) if f.trim_end_matches('0').is_empty() => i.to_string(),
        Some((i, f)) => format!("{i}.{}", f.trim_end_matches('0')),
        None => text.to_string(),
    }
}

fn cell(array: &dyn Array, row: usize) -> Value {
    if array.is_null(row) {
        return Value::Null;
    }
    match array.data_type() {
        DataType::Int64 => array.as_primitive::<Int64Type>().value(row).into(),
        DataType::Boolean => array.as_boolean().value(row).into(),
        DataType::Utf8 => array.as_string::<i32>().value(row).into(),
        DataType::Decimal128(38, 18) => {
            let v = array.as_primitive::<Decimal128Type>().value(row);
            let digits = format!("{:019}", v.unsigned_abs());
            let (int, frac) = digits.split_at(digits.len() - 18);
            trimmed(&format!("{}{int}.{frac}", if v < 0 { "-" } else { "" })).into()
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
        other => panic!("unexpected column type {other}"),
    }
}

/// Every cell equals the object's field (snake_case column, camelCase key).
fn assert_equal(batches: &[RecordBatch], objects: &[Value]) {
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    assert_eq!(rows, objects.len(), "row count");
    let mut objects = objects.iter();
    for batch in batches {
        let schema = batch.schema();
        for row in 0..batch.num_rows() {
            let object = objects.next().unwrap().as_object().unwrap();
            assert_eq!(
                object.len(),
                schema.fields().len(),
                "every field is a column"
            );
            for (key, value) in object {
                let name = snake_case(key);
                let column = batch
                    .column_by_name(&name)
                    .unwrap_or_else(|| panic!("{name}"));
                let expected = match (value, column.data_type()) {
                    (Value::String(s), DataType::Decimal128(..)) => trimmed(s).into(),
                    (Value::String(s), DataType::Timestamp(..)) => {
                        ibanera::time::parse_timestamp(s)
                            .unwrap()
                            .timestamp_micros()
                            .into()
                    }
                    (other, _) => other.clone(),
                };
                assert_eq!(cell(column.as_ref(), row), expected, "{name}");
            }
        }
    }
}

fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    let file = std::fs::File::open(path).unwrap();
    ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
        .map(|b| b.unwrap())
        .collect()
}

#[test]
fn parquet_and_arrow_exports_equal_the_core_s_objects() {
    let w = World::start();
    for (k, amount) in [
        "0.000000000000000001",
        "12.5",
        "99999999.999999999999999999",
    ]
    .iter()
    .enumerate()
    {
        w.sandbox()
            .control()
            .credit_deposit(1055 + k as i64, amount.parse().unwrap())
            .unwrap();
    }
    w.sandbox()
        .control()
        .seed_transactions(1057, 2_500)
        .unwrap();
    let dir = tempdir();
    let file = dir.join("tx.parquet");
    let out = w
        .cmd(&[
            "accounts",
            "transactions",
            "--all",
            "--output",
            "parquet",
            "--out",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let objects = w.items("accounts.transactions", json!({"page_size": 1000}));
    assert!(objects.len() > 2_500);
    let batches = read_parquet(&file);
    let schema = batches[0].schema();
    assert_eq!(
        schema.field_with_name("amount").unwrap().data_type(),
        &DataType::Decimal128(38, 18)
    );
    assert_equal(&batches, &objects);
    // No staging file is left beside it.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["tx.parquet"]);

    // The Arrow IPC stream on stdout, as a pipe into duckdb or polars reads it.
    let out = w
        .cmd(&[
            "accounts",
            "transactions",
            "--all",
            "--page-size",
            "700",
            "--output",
            "arrow",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reader = StreamReader::try_new(Cursor::new(out.stdout), None).unwrap();
    let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
    assert_eq!(
        batches.len(),
        objects.len().div_ceil(700),
        "one batch per page"
    );
    assert_equal(&batches, &objects);

    // One page without --all; exchanges have dictionary-encoded enums.
    let out = w
        .cmd(&["exchanges", "list", "--output", "arrow"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reader = StreamReader::try_new(Cursor::new(out.stdout), None).unwrap();
    let status = reader.schema().field_with_name("status").unwrap().clone();
    assert!(matches!(status.data_type(), DataType::Dictionary(..)));
}

#[test]
fn every_list_command_of_the_table_writes_its_model_s_columns() {
    use ibanera::arrow::{ExportSchema, Naming};
    use ibanera::ops::{OPERATIONS, Returns};
    let w = World::start();
    let mut commands = 0;
    for op in OPERATIONS {
        if !matches!(op.returns, Returns::Page(_) | Returns::List(_)) {
            continue;
        }
        let (area, method) = (op.area().replace('_', "-"), op.method().replace('_', "-"));
        let mut args = vec![area.as_str(), method.as_str(), "--output", "arrow"];
        if op.is_paged() {
            args.push("--all");
        }
        let out = w.cmd(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            op.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let reader = StreamReader::try_new(Cursor::new(out.stdout), None).unwrap();
        let expected = ExportSchema::for_model(op.returns.model().unwrap(), Naming::SnakeCase)
            .unwrap()
            .unwrap()
            .schema();
        assert_eq!(reader.schema(), expected, "{}", op.name);
        let batches: Vec<RecordBatch> = reader.map(|b| b.unwrap()).collect();
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let objects = if op.is_paged() {
            w.items(op.name, json!({})).len()
        } else {
            rows
        };
        assert_eq!(rows, objects, "{}", op.name);
        commands += 1;
    }
    let lists = OPERATIONS
        .iter()
        .filter(|op| matches!(op.returns, Returns::Page(_) | Returns::List(_)))
        .count();
    assert_eq!(commands, lists);
}

#[test]
fn a_failed_export_leaves_no_file_and_wrong_uses_are_usage_errors() {
    let w = World::start();
    w.sandbox().control().seed_transactions(1057, 30).unwrap();
    let dir = tempdir();
    let file = dir.join("tx.parquet");
    // Page 1 arrives (a fault that changes nothing), then page 2's connection drops.
    let path = "/api/v1/customer/accounts/transactions";
    let control = w.sandbox().control();
    control
        .inject_fault(path, Fault::Delay { ms: 0 }, 1)
        .unwrap();
    control
        .inject_fault(path, Fault::DropBeforeExecute, 5)
        .unwrap();
    let out = w
        .cmd(&[
            "accounts",
            "transactions",
            "--all",
            "--page-size",
            "10",
            "--max-retries",
            "0",
            "--output",
            "parquet",
            "--out",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "no file, not even a partial one"
    );

    for (args, says) in [
        (
            &["accounts", "transactions", "--output", "parquet"][..],
            "needs --out FILE",
        ),
        (
            &["accounts", "transactions", "--out", "x.parquet"][..],
            "--out is for --output parquet or arrow",
        ),
        (
            &["accounts", "get", "1055", "--output", "parquet"][..],
            "returns one object",
        ),
        (
            &[
                "simulations",
                "payin",
                "--destination-account-id",
                "1055",
                "--transfer-type",
                "ACH",
                "--amount",
                "1",
                "--output",
                "arrow",
            ][..],
            "returns nothing",
        ),
        (&["login", "--output", "arrow"][..], "write lists"),
    ] {
        let out = w.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ibanera-columnar-{}-{}",
        std::process::id(),
        fastrand_u64()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fastrand_u64() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}
