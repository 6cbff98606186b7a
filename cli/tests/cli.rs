//! The `ibanera` binary against an in-process sandbox on an ephemeral port, credentials passed
//! through the environment. Every run is checked for the canary credentials: they must never
//! appear on stdout or stderr.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ibanera::Client;
use ibanera_sandbox::{Fault, Sandbox, SandboxConfig};
use serde_json::{Value, json};

const CANARY_PASSWORD: &str = "canary-password-5b1e0c9d7a";
const CANARY_SECRET: &str = "CANARYSECRETQ4ZT7WXKLM2P";
const BIN: &str = env!("CARGO_BIN_EXE_ibanera");
const USERNAME: &str = ibanera_sandbox::seed::DEFAULT_USERNAME;

/// A sandbox with the canary credentials, served by its own runtime.
struct World {
    rt: tokio::runtime::Runtime,
    sandbox: Option<Sandbox>,
    base_url: String,
}

impl World {
    fn start() -> World {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = rt
            .block_on(Sandbox::start_with(SandboxConfig {
                port: 0,
                password: Some(CANARY_PASSWORD.into()),
                totp_secret: Some(CANARY_SECRET.into()),
                ..Default::default()
            }))
            .unwrap();
        let base_url = sandbox.base_url().to_string();
        World {
            rt,
            sandbox: Some(sandbox),
            base_url,
        }
    }

    fn control(&self) -> &ibanera_sandbox::Control {
        self.sandbox.as_ref().unwrap().control()
    }

    fn client(&self) -> Client {
        Client::builder()
            .username(USERNAME)
            .password(CANARY_PASSWORD)
            .totp_secret(CANARY_SECRET)
            .base_url(self.base_url.as_str())
            .build()
            .unwrap()
    }

    /// The core's user-facing JSON for an operation (what the CLI must print).
    fn core(&self, op: &str, args: Value) -> Value {
        let client = self.client();
        self.rt
            .block_on(ibanera::ops::call_json(&client, op, &args))
            .unwrap()
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = bare(args);
        cmd.env("IBANERA_BASE_URL", &self.base_url)
            .env("IBANERA_USERNAME", USERNAME)
            .env("IBANERA_PASSWORD", CANARY_PASSWORD)
            .env("IBANERA_TOTP_SECRET", CANARY_SECRET);
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        run(self.cmd(args))
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(s) = self.sandbox.take() {
            self.rt.block_on(s.shutdown());
        }
    }
}

/// The binary with none of the caller's IBANERA_* settings.
fn bare(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("IBANERA_BASE_URL")
        .env_remove("IBANERA_USERNAME")
        .env_remove("IBANERA_PASSWORD")
        .env_remove("IBANERA_ACCESS_TOKEN")
        .env_remove("IBANERA_API_KEY")
        .env_remove("IBANERA_TOTP_SECRET")
        .env_remove("IBANERA_LOG")
        .env_remove("COLUMNS")
        .stdin(Stdio::null());
    cmd
}

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    fn ok(self) -> Run {
        assert_eq!(self.code, 0, "{self:?}");
        self
    }
}

fn assert_no_secret(text: &str) {
    let lower = text.to_lowercase();
    for canary in [CANARY_PASSWORD, CANARY_SECRET, "eyJ"] {
        assert!(
            !lower.contains(&canary.to_lowercase()),
            "a credential was printed: {text}"
        );
    }
}

fn run(mut cmd: Command) -> Run {
    let out = cmd.output().unwrap();
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    assert_no_secret(&r.stdout);
    assert_no_secret(&r.stderr);
    r
}

// ---------------------------------------------------------------------------------------------
// Output formats

#[test]
fn json_is_the_core_s_user_facing_json_with_exact_decimals() {
    let w = World::start();
    let r = w.run(&["accounts", "get", "1055", "--output", "json"]).ok();
    let v = r.json();
    assert_eq!(v, w.core("accounts.get", json!({"id": 1055})));
    assert_eq!(v["availableBalance"], json!("100000.000000000000000000"));
    assert_eq!(v["dateAdded"], json!("2024-01-15T09:30:00Z"));
    // Not a terminal: json is the default.
    assert_eq!(w.run(&["accounts", "get", "--id", "1055"]).ok().json(), v);

    // A list operation without --all prints the page with its paging fields.
    let page = w
        .run(&[
            "accounts",
            "list",
            "--customers-id",
            "1004",
            "--page-size",
            "3",
        ])
        .ok()
        .json();
    assert_eq!(
        page,
        w.core(
            "accounts.list",
            json!({"customers_id": 1004, "page_size": 3})
        )
    );
    assert_eq!(page["numberOfPages"], json!(2));
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
}

#[test]
fn csv_parses_back_to_the_same_values() {
    let w = World::start();
    let r = w
        .run(&["accounts", "list", "--customers-id", "1004", "-o", "csv"])
        .ok();
    let expected = w.core("accounts.list", json!({"customers_id": 1004}));
    let items = expected["items"].as_array().unwrap();
    let mut reader = csv::Reader::from_reader(r.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), items.len());
    assert_eq!(rows.len(), 4);
    for (row, item) in rows.iter().zip(items) {
        let obj = item.as_object().unwrap();
        assert_eq!(headers.len(), obj.len());
        for (h, cell) in headers.iter().zip(row.iter()) {
            let expected = match &obj[h] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(cell, expected, "column {h}");
        }
    }
    assert_eq!(
        &rows[0][headers.iter().position(|h| h == "totalBalance").unwrap()],
        "100000.000000000000000000"
    );

    // Nested objects are JSON-encoded in their cell.
    let r = w
        .run(&["accounts", "transaction", "10000", "-o", "csv"])
        .ok();
    let mut reader = csv::Reader::from_reader(r.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let ach = headers
        .iter()
        .position(|h| h == "achTransferDetails")
        .unwrap();
    let nested: Value = serde_json::from_str(&row[ach]).unwrap();
    assert_eq!(nested["direction"], json!("Incoming"));
}

#[test]
fn tables_show_the_cells_and_fit_the_width() {
    let w = World::start();
    let r = w
        .run(&["accounts", "list", "--customers-id", "1004", "-o", "table"])
        .ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].split_whitespace().next() == Some("id"),
        "{}",
        r.stdout
    );
    let row = lines
        .iter()
        .find(|l| l.trim_start().starts_with("1055"))
        .unwrap();
    for cell in ["USD Account", "United States Dollar", "021214891", "100000"] {
        assert!(row.contains(cell), "{cell} not in {row}");
    }
    assert!(
        !r.stdout.contains('…'),
        "no width limit when not a terminal"
    );

    let mut cmd = w.cmd(&["accounts", "list", "--customers-id", "1004", "-o", "table"]);
    cmd.env("COLUMNS", "60");
    let narrow = run(cmd).ok();
    for line in narrow.stdout.lines() {
        assert!(line.chars().count() <= 60, "{line:?}");
    }
    assert!(narrow.stderr.contains("not shown"), "{}", narrow.stderr);
    // Balances are what a list of accounts is read for: they stay when columns must go.
    let header = narrow.stdout.lines().next().unwrap();
    assert!(
        header.contains("totalBa") && header.contains("availab"),
        "{}",
        narrow.stdout
    );

    // One object: field/value lines, nested fields flattened.
    let one = w
        .run(&["accounts", "transaction", "10000", "-o", "table"])
        .ok();
    assert!(
        one.stdout
            .lines()
            .any(|l| l.starts_with("achTransferDetails.direction") && l.ends_with("Incoming")),
        "{}",
        one.stdout
    );
}

#[test]
fn jsonl_is_one_item_per_line() {
    let w = World::start();
    let r = w.run(&["accounts", "balances", "-o", "jsonl"]).ok();
    let expected = w.core("accounts.balances", json!({}));
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, expected["items"].as_array().unwrap());
}

// ---------------------------------------------------------------------------------------------
// --all

#[test]
fn all_exports_every_page_equal_to_the_paged_api() {
    let w = World::start();
    w.control().seed_transactions(1056, 30).unwrap();
    let first = w.core(
        "accounts.transactions",
        json!({"accounts_id": 1056, "page_size": 7}),
    );
    let pages = first["numberOfPages"].as_u64().unwrap();
    assert!(pages > 1, "{first}");
    let mut expected: Vec<Value> = Vec::new();
    for n in 1..=pages {
        let page = w.core(
            "accounts.transactions",
            json!({"accounts_id": 1056, "page_size": 7, "page_number": n}),
        );
        expected.extend(page["items"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(expected.len(), 31);

    let base = [
        "accounts",
        "transactions",
        "--accounts-id",
        "1056",
        "--page-size",
        "7",
        "--all",
    ];
    let with = |format: &str| {
        let mut args = base.to_vec();
        args.extend(["-o", format]);
        let r = w.run(&args).ok();
        assert_eq!(
            r.stderr, "",
            "no progress bar when stderr is not a terminal"
        );
        r
    };

    let json_all = with("json").json();
    assert_eq!(json_all, Value::Array(expected.clone()));

    let jsonl: Vec<Value> = with("jsonl")
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(jsonl, expected);

    let csv_out = with("csv").stdout;
    let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let (id, amount) = (
        headers.iter().position(|h| h == "id").unwrap(),
        headers.iter().position(|h| h == "amount").unwrap(),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), expected.len());
    for (row, item) in rows.iter().zip(&expected) {
        assert_eq!(row[id], item["id"].to_string());
        assert_eq!(Value::from(&row[amount]), item["amount"]);
    }

    let table = with("table").stdout;
    assert_eq!(table.lines().count(), expected.len() + 2, "{table}");

    // --all starts at --page-number.
    let mut args = base.to_vec();
    args.extend(["--page-number", "3", "-o", "json"]);
    let rest = w.run(&args).ok().json();
    assert_eq!(rest, Value::Array(expected[14..].to_vec()));
}

#[test]
fn all_streams_each_page_as_it_arrives() {
    let w = World::start();
    w.control().seed_transactions(1056, 24).unwrap();
    // 25 items, 5 per page: 5 pages, each answered 300 ms late.
    w.control()
        .inject_fault(
            "/api/v1/customer/accounts/transactions",
            Fault::Delay { ms: 300 },
            5,
        )
        .unwrap();
    let mut child = w
        .cmd(&[
            "accounts",
            "transactions",
            "--accounts-id",
            "1056",
            "--page-size",
            "5",
            "--all",
            "-o",
            "jsonl",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let first_at = started.elapsed();
    serde_json::from_str::<Value>(&first).unwrap();
    let rest = lines.count();
    let done_at = started.elapsed();
    assert!(child.wait().unwrap().success());
    assert_eq!(rest, 24);
    assert!(
        done_at - first_at >= Duration::from_millis(900),
        "the first page was printed at {first_at:?}, the walk ended at {done_at:?}"
    );
}

/// Runs `args` with stderr on a pseudo-terminal of 100 columns (stdout piped): what the
/// terminal received, and stdout.
fn run_on_terminal(mut cmd: Command) -> (String, String) {
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap();
    let size = rustix::termios::Winsize {
        ws_row: 40,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    rustix::termios::tcsetwinsize(&slave, size).unwrap();
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    // The command holds our copy of the terminal's far end: dropped, the child's exit ends the
    // reading of the master (EIO).
    drop(cmd);
    let mut master = std::fs::File::from(master);
    let reader = std::thread::spawn(move || {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = master.read(&mut buf) {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        got
    });
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let terminal = String::from_utf8(reader.join().unwrap()).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_no_secret(&terminal);
    assert_no_secret(&stdout);
    (terminal, stdout)
}

#[test]
fn a_walk_on_a_terminal_shows_its_rate_and_eta_then_one_summary_line() {
    let w = World::start();
    w.control().seed_transactions(1056, 24).unwrap();
    let total = w.core(
        "accounts.transactions",
        json!({"accounts_id": 1056, "page_size": 5}),
    );
    let pages = total["numberOfPages"].as_u64().unwrap();
    assert!(pages >= 5, "{total}");
    let path = "/api/v1/customer/accounts/transactions";
    let slow_pages = |w: &World| {
        // Slow pages, so the bar is drawn while the walk is under way (it redraws 8 times a
        // second), not only at its end.
        w.control()
            .inject_fault(path, Fault::Delay { ms: 400 }, 3)
            .unwrap();
    };
    let walk = [
        "accounts",
        "transactions",
        "--accounts-id",
        "1056",
        "--page-size",
        "5",
        "--all",
    ];
    slow_pages(&w);
    let mut args = walk.to_vec();
    args.extend(["-o", "csv"]);
    let (terminal, stdout) = run_on_terminal(w.cmd(&args));
    let items = stdout.lines().count() - 1;
    assert!(items > 24, "{stdout}");
    assert!(
        terminal.contains(&format!("/{pages}, ")),
        "the number of pages: {terminal:?}"
    );
    assert!(terminal.contains(" items/s)"), "the rate: {terminal:?}");
    assert!(terminal.contains(", ETA "), "the ETA: {terminal:?}");
    // The bar is cleared and replaced by a summary on a line of its own, so a prompt or the
    // next command's output does not continue the bar's line.
    let summary = format!("{items} items from {pages} pages in ");
    let last = terminal.rsplit("\x1b[2K").next().unwrap();
    assert!(last.starts_with(&summary), "{last:?}");
    assert!(last.ends_with(" s\r\n"), "{last:?}");

    // A Parquet export says where the file went, once it is there.
    let dir = std::env::temp_dir().join(format!("ibanera-progress-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("walk.parquet");
    let file_arg = file.to_str().unwrap().to_string();
    slow_pages(&w);
    let mut args = walk.to_vec();
    args.extend(["-o", "parquet", "--out", &file_arg]);
    let (terminal, stdout) = run_on_terminal(w.cmd(&args));
    assert_eq!(stdout, "");
    let last = terminal.rsplit("\x1b[2K").next().unwrap();
    assert!(
        last.starts_with(&summary) && last.ends_with(&format!(" s written to {file_arg}\r\n")),
        "{last:?}"
    );
    assert!(std::fs::metadata(&file).unwrap().len() > 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Exit codes

fn assert_exit(r: &Run, code: i32, stderr_has: &[&str]) {
    assert_eq!(r.code, code, "{r:?}");
    for s in stderr_has {
        assert!(r.stderr.contains(s), "{s:?} not in stderr: {}", r.stderr);
    }
}

#[test]
fn usage_errors_exit_2() {
    let w = World::start();
    assert_exit(&w.run(&[]), 2, &["Usage"]);
    assert_exit(&w.run(&["accounts"]), 2, &[]);
    assert_exit(&w.run(&["accounts", "frobnicate"]), 2, &["frobnicate"]);
    assert_exit(
        &w.run(&["accounts", "list", "--customer-id", "1004"]),
        2,
        &["--customer-id"],
    );
    assert_exit(&w.run(&["accounts", "get"]), 2, &["--id"]);
    assert_exit(&w.run(&["accounts", "get", "1055", "--id", "1056"]), 2, &[]);
    assert_exit(
        &w.run(&["accounts", "get", "1055", "-o", "xml"]),
        2,
        &["xml"],
    );
    assert_exit(
        &w.run(&["accounts", "get", "1055", "--timeout", "0"]),
        2,
        &["--timeout"],
    );
    assert_exit(&w.run(&["accounts", "get", "1055", "--all"]), 2, &["--all"]);
    assert_exit(
        &w.run(&["request", "FETCH", "/api/v1/customer/accounts/balances"]),
        2,
        &["FETCH"],
    );
    assert_exit(
        &w.run(&["request", "POST", "/x", "--data", "{not json"]),
        2,
        &["--data is not JSON"],
    );
    assert_exit(
        &w.run(&["request", "GET", "/x", "-q", "novalue"]),
        2,
        &["KEY=VALUE"],
    );
    // Help is not an error.
    assert_eq!(w.run(&["--help"]).code, 0);
    assert_eq!(w.run(&["--version"]).code, 0);
}

#[test]
fn validation_errors_exit_3_naming_the_flag_and_the_rule() {
    let w = World::start();
    let withdraw = |amount: &str| {
        w.run(&[
            "accounts",
            "withdraw-crypto",
            "--accounts-id",
            "1057",
            "--amount",
            amount,
            "--destination-address",
            "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
        ])
    };
    assert_exit(
        &withdraw("0"),
        3,
        &["--amount", "greater than 0", "nothing was sent"],
    );
    assert_exit(&withdraw("-1"), 3, &["--amount"]);
    assert_exit(&withdraw("lots"), 3, &["--amount", "decimal"]);
    // More decimal places than the core can hold: a validation error, never a panic.
    let tiny = withdraw("0.0000000000000000000000000000001");
    assert_exit(&tiny, 3, &["--amount"]);
    assert!(!tiny.stderr.contains("panicked"), "{}", tiny.stderr);
    assert_exit(&w.run(&["accounts", "get", "abc"]), 3, &["--id", "integer"]);
    assert_exit(
        &w.run(&["accounts", "transactions", "--from-date", "yesterday"]),
        3,
        &["--from-date"],
    );
    assert_exit(
        &w.run(&["exchanges", "list", "--status", "Done"]),
        3,
        &["--status", "WaitingForApproval"],
    );
    assert_exit(
        &w.run(&[
            "exchanges",
            "buy",
            "--customers-id",
            "1004",
            "--asset-pair",
            "BTC/USDC",
            "--quantity-type",
            "Price",
        ]),
        3,
        &["validation_error"],
    );
    assert_exit(
        &w.run(&["request", "GET", "api/v1/customer/accounts/balances"]),
        3,
        &["PATH"],
    );
    // Nothing reached the server.
    assert!(w.control().executions().values().all(|n| *n == 0));
}

#[test]
fn api_errors_exit_4_with_every_code_on_stderr() {
    let w = World::start();
    assert_exit(
        &w.run(&["accounts", "get", "99999"]),
        4,
        &[
            "not_found",
            "errorType=NotFound fieldName=Id messageCode=Not_Found",
        ],
    );
    let blocked = w.run(&[
        "accounts",
        "withdraw-crypto",
        "--accounts-id",
        "1057",
        "--amount",
        "0.001",
        "--destination-address",
        ibanera_sandbox::seed::SCREENED_ADDRESS,
    ]);
    assert_exit(
        &blocked,
        4,
        &["errorType=BadRequest fieldName=Screening messageCode=Transaction_Blocked"],
    );
    assert_eq!(blocked.stdout, "");
    assert_exit(
        &w.run(&[
            "exchanges",
            "quote",
            "--customers-id",
            "1006",
            "--asset-pair",
            "BTC/USDC",
            "--quantity-type",
            "Amount",
            "--exchange-type",
            "Buy",
            "--amount",
            "0.1",
        ]),
        4,
        &["messageCode=Documents_Not_Verified"],
    );
    w.control()
        .inject_fault(
            "/api/v1/customer/accounts/balances",
            Fault::Status {
                status: 429,
                body: None,
                retry_after: None,
                execute: false,
            },
            1,
        )
        .unwrap();
    assert_exit(
        &w.run(&["accounts", "balances", "--max-retries", "0"]),
        4,
        &["rate_limited"],
    );
}

#[test]
fn authentication_errors_exit_5() {
    let w = World::start();
    let mut cmd = w.cmd(&["accounts", "get", "1055"]);
    cmd.env("IBANERA_PASSWORD", "not-the-password");
    assert_exit(
        &run(cmd),
        5,
        &[
            "authentication_error",
            "messageCode=Username_Or_Password_Incorrect",
        ],
    );
    // A flag beats the environment.
    assert_exit(
        &w.run(&["accounts", "get", "1055", "--password", "not-the-password"]),
        5,
        &[],
    );
    // A leftover API key says what to pass instead.
    assert_exit(
        &w.run(&["accounts", "get", "1055", "--api-key", "k"]),
        7,
        &["is no longer used", "--username", "--password"],
    );
}

#[test]
fn transport_failures_exit_6() {
    let w = World::start();
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    assert_exit(
        &w.run(&[
            "accounts",
            "get",
            "1055",
            "--base-url",
            &closed,
            "--max-retries",
            "0",
        ]),
        6,
        &["transport_error", "connection failed"],
    );
    let path = "/api/v1/customer/accounts/account";
    w.control()
        .inject_fault(path, Fault::Delay { ms: 1500 }, 1)
        .unwrap();
    assert_exit(
        &w.run(&[
            "accounts",
            "get",
            "1055",
            "--timeout",
            "200ms",
            "--max-retries",
            "0",
        ]),
        6,
        &["timeout"],
    );
    w.control()
        .inject_fault(path, Fault::MalformedJson, 1)
        .unwrap();
    assert_exit(
        &w.run(&["accounts", "get", "1055", "--max-retries", "0"]),
        6,
        &["decode_error"],
    );
}

#[test]
fn configuration_errors_exit_7() {
    let w = World::start();
    let mut no_password = w.cmd(&["accounts", "get", "1055"]);
    no_password.env_remove("IBANERA_PASSWORD");
    assert_exit(
        &run(no_password),
        7,
        &["config_error", "IBANERA_PASSWORD", "--password"],
    );
    let mut bad_secret = w.cmd(&["accounts", "get", "1055"]);
    bad_secret.env("IBANERA_TOTP_SECRET", "not base32 !");
    assert_exit(&run(bad_secret), 7, &["TOTP secret"]);
    assert_exit(
        &w.run(&[
            "accounts",
            "get",
            "1055",
            "--base-url",
            "http://example.com",
        ]),
        7,
        &["https"],
    );
    assert_exit(&run(bare(&["totp"])), 7, &["IBANERA_TOTP_SECRET"]);
    // Validation comes first: no credentials are needed to learn that 0 is not an amount.
    assert_exit(
        &run(bare(&[
            "accounts",
            "withdraw-crypto",
            "--accounts-id",
            "1",
            "--amount",
            "0",
            "--destination-address",
            "x",
        ])),
        3,
        &[],
    );
}

// ---------------------------------------------------------------------------------------------
// request, totp, sandbox

#[test]
fn request_is_the_escape_hatch() {
    let w = World::start();
    let r = w
        .run(&[
            "request",
            "get",
            "/api/v1/customer/accounts/list-accounts",
            "-q",
            "customersId=1004",
            "--query",
            "pageSize=2",
        ])
        .ok();
    let v = r.json();
    assert_eq!(v["details"].as_array().unwrap().len(), 2);
    assert_eq!(v["pageSize"], json!(2));
    assert_eq!(v["numberOfPages"], json!(2));
    // The wire's numbers, exactly as received.
    assert!(
        r.stdout
            .contains("\"availableBalance\": 100000.000000000000000000"),
        "{}",
        r.stdout
    );

    let dir = std::env::temp_dir().join(format!("ibanera-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let body = dir.join("withdraw.json");
    std::fs::write(
        &body,
        r#"{"accountsId": 1057, "amount": 0.000100000000000000, "destinationAddress": "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"}"#,
    )
    .unwrap();
    let posted = w
        .run(&[
            "request",
            "POST",
            "/api/v1/customer/accounts/crypto/withdraw",
            "--data",
            &format!("@{}", body.display()),
        ])
        .ok();
    assert!(posted.json()["details"].is_object(), "{posted:?}");
    assert_eq!(
        w.control().executions()["POST /api/v1/customer/accounts/crypto/withdraw"],
        1
    );
    std::fs::remove_dir_all(&dir).ok();

    assert_exit(
        &w.run(&[
            "request",
            "POST",
            "/api/v1/customer/crypto-exchanges/cancel",
            "--data",
            r#"{"exchangesId": 99999}"#,
        ]),
        4,
        &["messageCode=Not_Found"],
    );
}

#[test]
fn totp_prints_the_current_code() {
    let totp = ibanera::Totp::new(CANARY_SECRET).unwrap();
    let now = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    let check = |r: Run| {
        let v = r.ok().json();
        let code = v["code"].as_str().unwrap().to_string();
        let left = v["secondsLeft"].as_u64().unwrap();
        assert!((1..=30).contains(&left), "{v}");
        code
    };
    let mut env_cmd = bare(&["totp", "-o", "json"]);
    env_cmd.env("IBANERA_TOTP_SECRET", CANARY_SECRET);
    let before = now();
    let code = check(run(env_cmd));
    let after = now();
    assert!(
        [before, after]
            .iter()
            .any(|t| totp.code_at(*t).expose() == code),
        "{code}"
    );
    let before = now();
    let code = check(run(bare(&[
        "totp",
        "--secret",
        CANARY_SECRET,
        "-o",
        "json",
    ])));
    let after = now();
    assert!(
        [before, after]
            .iter()
            .any(|t| totp.code_at(*t).expose() == code)
    );

    let csv_out = run(bare(&["totp", "--secret", CANARY_SECRET, "-o", "csv"])).ok();
    assert!(
        csv_out.stdout.starts_with("code,secondsLeft\n"),
        "{csv_out:?}"
    );
    assert_exit(&run(bare(&["totp", "--secret", "0189!"])), 7, &["base32"]);
}

#[test]
fn sandbox_subcommand_serves_until_stopped() {
    let mut child = bare(&["sandbox", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut exports = Vec::new();
    let mut line = String::new();
    while exports.len() < 4 {
        line.clear();
        if stdout.read_line(&mut line).unwrap() == 0 {
            panic!("the sandbox ended early");
        }
        if let Some(kv) = line.trim().strip_prefix("export ") {
            let (k, v) = kv.split_once('=').unwrap();
            exports.push((k.to_string(), v.to_string()));
        }
    }
    let names: Vec<&str> = exports.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "IBANERA_BASE_URL",
            "IBANERA_USERNAME",
            "IBANERA_PASSWORD",
            "IBANERA_TOTP_SECRET"
        ]
    );
    let mut cmd = bare(&["accounts", "get", "1055", "-o", "json"]);
    cmd.envs(exports.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let v = run(cmd).ok().json();
    assert_eq!(v["id"], json!(1055));
    child.kill().unwrap();
    child.wait().unwrap();
}

// ---------------------------------------------------------------------------------------------
// Secrets, help, user agent

#[test]
fn no_credential_is_ever_printed() {
    let w = World::start();
    // `run` checks every command's stdout and stderr; here the credentials also come as flags,
    // and every kind of outcome is exercised.
    let flags = [
        "--username",
        USERNAME,
        "--password",
        CANARY_PASSWORD,
        "--totp-secret",
        CANARY_SECRET,
        "--base-url",
        w.base_url.as_str(),
    ];
    let with_flags = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(flags);
        run(bare(&all))
    };
    assert_eq!(with_flags(&["accounts", "get", "1055"]).code, 0);
    assert_eq!(with_flags(&["accounts", "get", "99999"]).code, 4);
    assert_eq!(with_flags(&["accounts", "get", "0"]).code, 3);
    assert_eq!(with_flags(&["accounts", "get", "1055", "--bogus"]).code, 2);
    assert_eq!(with_flags(&["accounts", "get", "--help"]).code, 0);
    assert_eq!(with_flags(&["--help"]).code, 0);
    assert_eq!(
        with_flags(&["request", "GET", "/api/v1/customer/nothing"]).code,
        4
    );
    let mut wrong_secret = bare(&["accounts", "get", "1055", "--password", "wrong"]);
    wrong_secret
        .env("IBANERA_USERNAME", USERNAME)
        .env("IBANERA_TOTP_SECRET", CANARY_SECRET)
        .env("IBANERA_BASE_URL", &w.base_url);
    assert_eq!(run(wrong_secret).code, 5);
    // Help with the credentials in the environment: never shown as defaults.
    for args in [
        &["--help"][..],
        &["accounts", "list", "--help"],
        &["totp", "--help"],
    ] {
        assert_eq!(w.run(args).code, 0);
    }
    // A secret in a usage error's neighbourhood.
    assert_eq!(
        run(bare(&["totp", "--secret", CANARY_SECRET, "--bogus"])).code,
        2
    );
}

/// The example in a help text: the lines after `$ `, joined at ` \` continuations.
fn examples_in(help: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut lines = help.lines();
    while let Some(line) = lines.next() {
        let Some(start) = line.trim_start().strip_prefix("$ ") else {
            continue;
        };
        let mut text = start.to_string();
        while text.ends_with('\\') {
            text.pop();
            text.push_str(lines.next().unwrap_or("").trim());
        }
        let text = text.split(" #").next().unwrap_or("").to_string();
        let mut words = Vec::new();
        let mut quoted = false;
        let mut word = String::new();
        for c in text.chars() {
            match c {
                '\'' => quoted = !quoted,
                ' ' if !quoted => {
                    if !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                }
                c => word.push(c),
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        out.push(words);
    }
    out
}

/// True when the sandbox routes `path`: a path it has no route for is answered 404 with an error
/// naming no field.
fn sandbox_serves(w: &World, path: &str) -> bool {
    let client = w.client();
    let answer =
        w.rt.block_on(client.request(ibanera::Method::GET, path, &[], None));
    match answer {
        Err(e) if e.kind() == ibanera::ErrorKind::NotFound => !e
            .api_errors()
            .iter()
            .all(|i| i.field_name.as_deref().unwrap_or("").is_empty()),
        _ => true,
    }
}

#[test]
fn every_subcommand_s_help_has_an_example_that_runs() {
    let w = World::start();
    // The probe tells a missing route apart (else the check below would hold vacuously).
    assert!(!sandbox_serves(&w, "/api/v1/customer/no-such-endpoint"));
    // The information request the `information-requests get` example reads.
    assert_eq!(
        w.control().open_information_request(1005, None).unwrap(),
        4000
    );
    for op in ibanera::ops::OPERATIONS {
        let method = op.method().replace('_', "-");
        let area = op.area().replace('_', "-");
        let help = w.run(&[&area, &method, "--help"]).ok().stdout;
        assert!(help.contains("Example:"), "{}: {help}", op.name);
        assert!(help.contains(op.doc.trim_end_matches('.')), "{}", op.name);
        let examples = examples_in(&help);
        let first = examples
            .first()
            .unwrap_or_else(|| panic!("{}: {help}", op.name));
        assert_eq!(first[..3], ["ibanera", area.as_str(), method.as_str()]);
        // Every example is valid input: it runs, or the sandbox's state refuses it (exit 4);
        // never a usage (2) or validation (3) error. The sandbox serves every operation, so
        // reads always run.
        assert!(
            sandbox_serves(&w, &op.endpoint.path),
            "{}: the sandbox has no route",
            op.name
        );
        let r = w.run(&first[1..].iter().map(String::as_str).collect::<Vec<_>>());
        let expected: &[i32] = if op.moves_money() { &[0, 4] } else { &[0] };
        assert!(expected.contains(&r.code), "{}: {r:?}", op.name);
    }
    for args in [
        &["--help"][..],
        &["accounts", "--help"],
        &["exchanges", "--help"],
        &["request", "--help"],
        &["totp", "--help"],
        &["sandbox", "--help"],
    ] {
        let help = w.run(args).ok().stdout;
        assert!(help.contains("Example"), "{args:?}: {help}");
        assert!(!examples_in(&help).is_empty(), "{args:?}");
    }
    let top = w.run(&["--help"]).ok().stdout;
    for needle in [
        "Exit codes",
        "IBANERA_USERNAME",
        "IBANERA_PASSWORD",
        "7  configuration",
        "8  outcome unknown",
    ] {
        assert!(top.contains(needle), "{needle}");
    }
}

#[test]
fn the_user_agent_names_the_cli() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        // The login, then the call; each on its own connection (`connection: close`).
        let answers = [
            r#"{"id":1004,"details":{"accessToken":"tok-ua-test","expiresIn":3600},"status":"1","errors":[]}"#,
            r#"{"id":0,"details":{"id":1,"totalBalance":1.5,"availableBalance":1.5,"pendingBalance":0},"status":"1","errors":[]}"#,
        ];
        let mut requests = Vec::new();
        for body in answers {
            let (mut conn, _) = listener.accept().unwrap();
            conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = conn.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                request.extend_from_slice(&buf[..n]);
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            conn.write_all(response.as_bytes()).unwrap();
            requests.push(String::from_utf8_lossy(&request).to_lowercase());
        }
        requests.join("\n")
    });
    let mut cmd = bare(&["accounts", "get", "1", "--max-retries", "0", "-o", "json"]);
    cmd.env("IBANERA_BASE_URL", &url)
        .env("IBANERA_USERNAME", USERNAME)
        .env("IBANERA_PASSWORD", CANARY_PASSWORD)
        .env("IBANERA_TOTP_SECRET", CANARY_SECRET);
    let r = run(cmd).ok();
    assert_eq!(r.json()["totalBalance"], json!("1.5"));
    let request = server.join().unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        request.contains(&format!(
            "user-agent: ibanera-rust/{version} ibanera-cli/{version}\r\n"
        )),
        "{request}"
    );
    assert!(request.contains("post /api/v1/public/auth/login http/1.1"));
    assert!(request.contains("authorization: bearer tok-ua-test\r\n"));
}

// ---------------------------------------------------------------------------------------------
// Sessions, logging, sandbox control, the first hour's rough edges

#[test]
fn login_checks_the_credentials_and_prints_the_session_not_the_token() {
    let w = World::start();
    let before = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let v = w.run(&["login", "-o", "json"]).ok().json();
    assert_eq!(v["loginId"], json!(1004));
    assert_eq!(v["expiresInSeconds"], json!(3600));
    let at = v["expiresAt"].as_str().unwrap();
    assert!(at.ends_with('Z'), "{at}");
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["loginId", "expiresAt", "expiresInSeconds"]);
    assert!(before > 0);
    let mut wrong = w.cmd(&["login"]);
    wrong.env("IBANERA_PASSWORD", "wrong");
    assert_exit(
        &run(wrong),
        5,
        &["messageCode=Username_Or_Password_Incorrect"],
    );
    assert_eq!(w.control().auth_stats().logins_failed, 1);
}

#[test]
fn verbose_logs_each_attempt_and_login_without_a_secret() {
    let w = World::start();
    let r = w
        .run(&["accounts", "get", "1055", "-v", "-v", "-o", "json"])
        .ok();
    assert!(
        r.stderr.contains("POST /api/v1/public/auth/login -> 200"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("session started"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("GET /api/v1/customer/accounts/account -> 200 (attempt 1"),
        "{}",
        r.stderr
    );
    // The same from the environment.
    let mut cmd = w.cmd(&["accounts", "get", "1055", "-o", "json"]);
    cmd.env("IBANERA_LOG", "debug");
    let r = run(cmd).ok();
    assert!(r.stderr.contains("(attempt 1"), "{}", r.stderr);
    // Quiet by default.
    assert_eq!(
        w.run(&["accounts", "get", "1055", "-o", "json"])
            .ok()
            .stderr,
        ""
    );
}

#[test]
fn all_uses_the_largest_page_size_unless_told() {
    let w = World::start();
    w.control().seed_transactions(1056, 2500).unwrap();
    let mut cmd = w.cmd(&[
        "accounts",
        "transactions",
        "--accounts-id",
        "1056",
        "--all",
        "-o",
        "jsonl",
    ]);
    cmd.env("IBANERA_LOG", "debug");
    let r = run(cmd).ok();
    let items = r.stdout.lines().count();
    assert!(items > 2500, "{items}");
    let pages = r
        .stderr
        .matches("GET /api/v1/customer/accounts/transactions -> 200")
        .count();
    assert_eq!(
        pages,
        items.div_ceil(1000),
        "pages of 1000: {pages} for {items}"
    );
    let mut cmd = w.cmd(&[
        "accounts",
        "transactions",
        "--accounts-id",
        "1056",
        "--all",
        "--page-size",
        "500",
        "-o",
        "jsonl",
    ]);
    cmd.env("IBANERA_LOG", "debug");
    let r = run(cmd).ok();
    let pages = r
        .stderr
        .matches("GET /api/v1/customer/accounts/transactions -> 200")
        .count();
    assert_eq!(pages, items.div_ceil(500));
}

#[test]
fn configuration_errors_name_the_cli_s_own_flags() {
    let w = World::start();
    assert_exit(
        &w.run(&[
            "accounts",
            "get",
            "1055",
            "--base-url",
            "http://example.com",
        ]),
        7,
        &["--allow-insecure-http"],
    );
    // The flag exists: the insecure URL is accepted (and then nothing answers there).
    let r = w.run(&[
        "accounts",
        "get",
        "1055",
        "--base-url",
        "http://192.0.2.1:9",
        "--allow-insecure-http",
        "--timeout",
        "300ms",
    ]);
    assert_ne!(r.code, 7, "{r:?}");
    assert_exit(
        &w.run(&["accounts", "get", "1055", "--base-url", "api.ibanera.com"]),
        7,
        &["has no scheme", "https://api.ibanera.com"],
    );
    let r = w.run(&[
        "accounts",
        "get",
        "1055",
        "--base-url",
        "https://u:pw-hunter2@x.example?k=v",
    ]);
    assert_eq!(r.code, 7);
    assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
}

#[test]
fn a_refused_connection_says_what_to_check_and_names_its_kind_once() {
    let w = World::start();
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let r = w.run(&[
        "accounts",
        "get",
        "1055",
        "--base-url",
        &closed,
        "--max-retries",
        "0",
    ]);
    assert_exit(&r, 6, &[&format!("is the server at {closed} running?")]);
    assert_eq!(
        r.stderr.matches("transport_error").count(),
        1,
        "{}",
        r.stderr
    );
    let r = w.run(&["sandbox", "approve", "1", "--base-url", &closed]);
    assert_exit(&r, 6, &[&format!("is the server at {closed} running?")]);
}

#[test]
fn sandbox_control_moves_a_running_sandbox_along() {
    let w = World::start();
    // A buy to approve.
    let buy = w
        .run(&[
            "exchanges",
            "buy",
            "--customers-id",
            "1004",
            "--asset-pair",
            "BTC/USDC",
            "--quantity-type",
            "Price",
            "--price",
            "100",
            "-o",
            "json",
        ])
        .ok()
        .json();
    let id = buy["id"].as_i64().unwrap().to_string();
    let v = w
        .run(&["sandbox", "approve", &id, "-o", "json"])
        .ok()
        .json();
    assert_eq!(v["status"], json!("Pending"));
    let v = w
        .run(&["sandbox", "complete", &id, "-o", "json"])
        .ok()
        .json();
    assert_eq!(v["status"], json!("Completed"));
    assert_exit(&w.run(&["sandbox", "reject", &id]), 6, &["refused"]);

    let v = w
        .run(&["sandbox", "price", "BTC/USDC", "61000.50", "-o", "json"])
        .ok()
        .json();
    let echoed: ibanera::Decimal = v["price"].to_string().parse().unwrap();
    assert_eq!(echoed, "61000.5".parse().unwrap());
    assert_eq!(
        w.control().price("BTC/USDC").unwrap(),
        "61000.5".parse().unwrap()
    );
    let v = w
        .run(&["sandbox", "deposit", "1055", "12.345", "-o", "json"])
        .ok()
        .json();
    assert!(v["amount"].to_string().starts_with("12.345"), "{v}");
    assert_eq!(
        w.core("accounts.get", json!({"id": 1055}))["totalBalance"],
        json!("100012.345000000000000000")
    );
    assert_exit(
        &w.run(&[
            "sandbox",
            "deposit",
            "1055",
            "1.00000000000000000000000000000000001",
        ]),
        2,
        &["exactly"],
    );

    w.run(&[
        "sandbox",
        "fault",
        "/api/v1/customer/accounts/account",
        "status",
        "--status",
        "404",
        "-o",
        "json",
    ])
    .ok();
    assert_exit(&w.run(&["accounts", "get", "1055"]), 4, &["not_found"]);
    w.run(&["accounts", "get", "1055"]).ok();

    let v = w.run(&["sandbox", "auth", "-o", "json"]).ok().json();
    assert!(v["loginsSucceeded"].as_u64().unwrap() >= 1, "{v}");
    w.run(&["sandbox", "revoke-tokens", "-o", "json"]).ok();
    w.run(&["sandbox", "unlock", "-o", "json"]).ok();
    w.run(&["sandbox", "reset", "-o", "json"]).ok();
    assert_ne!(
        w.control().price("BTC/USDC").unwrap(),
        "61000.5".parse().unwrap(),
        "reset restores the seeded price"
    );
}

#[test]
fn sandbox_help_shows_only_its_own_options() {
    let w = World::start();
    let help = w.run(&["sandbox", "--help"]).ok().stdout;
    for own in [
        "--port",
        "--token-ttl",
        "--env-file",
        "--print-env",
        "approve",
        "fault",
    ] {
        assert!(help.contains(own), "{own}: {help}");
    }
    for ignored in [
        "--max-retries",
        "--attempt-timeout",
        "--access-token",
        "--output",
    ] {
        assert!(!help.contains(ignored), "{ignored}: {help}");
    }
    // The API commands list them.
    let help = w.run(&["accounts", "get", "--help"]).ok().stdout;
    for option in [
        "--max-retries",
        "--username",
        "--allow-insecure-http",
        "--verbose",
    ] {
        assert!(help.contains(option), "{option}");
    }
    // Given before the subcommand, they apply too.
    let v = run({
        let mut c = w.cmd(&["-o", "json", "accounts", "get", "1055"]);
        c.env_remove("IBANERA_USERNAME");
        c.args(["--username", USERNAME]);
        c
    })
    .ok()
    .json();
    assert_eq!(v["id"], json!(1055));
}

#[test]
fn sandbox_writes_and_prints_its_environment() {
    let dir = std::env::temp_dir().join(format!("ibanera-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sandbox.env");
    let mut child = bare(&[
        "sandbox",
        "--print-env",
        "--env-file",
        file.to_str().unwrap(),
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    for _ in 0..4 {
        stdout.read_line(&mut printed).unwrap();
    }
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 4, "{printed}");
    assert!(
        lines.iter().all(|l| l.starts_with("export IBANERA_")),
        "{printed}"
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, printed);
    // The lines work: a client from them reaches the sandbox.
    let mut cmd = bare(&["accounts", "get", "1055", "-o", "json"]);
    for line in &lines {
        let (k, v) = line
            .strip_prefix("export ")
            .unwrap()
            .split_once('=')
            .unwrap();
        cmd.env(k, v.trim_matches('\''));
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn webhooks_verify_checks_the_signature_on_the_raw_bytes() {
    use base64::Engine;
    use sha2::Digest;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/webhooks");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let body = v["body_text"].as_str().unwrap().as_bytes().to_vec();
        let secret = v["secret"].as_str().unwrap();
        let quickbuy = v["kind"] == "quickbuy";
        // Signed here, independently of the SDK.
        let mut h = sha2::Sha256::new();
        h.update(&body);
        h.update(secret.as_bytes());
        let signature = base64::engine::general_purpose::STANDARD.encode(h.finalize());
        let header = if quickbuy {
            "QuickBuy-Signature"
        } else {
            "webhook-signature"
        };
        let verify = |body: &[u8], args: &[&str]| {
            let mut all = vec!["webhooks", "verify", "-o", "json"];
            if quickbuy {
                all.push("--quickbuy");
            }
            all.extend(args);
            let mut child = Command::new(BIN)
                .args(&all)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(body).unwrap();
            let out = child.wait_with_output().unwrap();
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stdout).to_string(),
                String::from_utf8_lossy(&out.stderr).to_string(),
            )
        };
        let line = format!("{header}: {signature}");
        let (code, stdout, stderr) = verify(&body, &["--secret", secret, "--header", &line]);
        assert_eq!(code, 0, "{path:?}: {stderr}");
        let event: Value = serde_json::from_str(&stdout).unwrap();
        if let Some(id) = v["expect"].get("id") {
            assert_eq!(&event["id"], id, "{path:?}");
        }
        assert!(!stderr.contains(secret) && !stdout.contains(secret));
        let mut tampered = body.clone();
        tampered.push(b' ');
        assert_eq!(
            verify(&tampered, &["--secret", secret, "--header", &line]).0,
            9
        );
        assert_eq!(
            verify(&body, &["--secret", "wrong", "--header", &line]).0,
            9
        );
        assert_eq!(verify(&body, &["--secret", secret]).0, 9, "missing header");
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn webhooks_listen_prints_each_delivery_and_removes_its_receiver() {
    let w = World::start();
    // A receiver that acknowledges everything.
    let receiver = TcpListener::bind("127.0.0.1:0").unwrap();
    let hook = format!("http://{}/hook", receiver.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in receiver.incoming() {
            let Ok(mut conn) = conn else { return };
            std::thread::spawn(move || {
                let mut buf = [0u8; 65536];
                let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                let _ = conn.read(&mut buf);
                let _ = conn.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
            });
        }
    });
    let mut child = w
        .cmd(&["webhooks", "listen", "--forward-to", &hook])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.contains(&hook), "{line}");
    line.clear();
    stdout.read_line(&mut line).unwrap();
    assert!(
        line.starts_with("export IBANERA_WEBHOOK_SECRET=whsec_"),
        "{line}"
    );
    assert_eq!(w.control().webhooks().len(), 1);
    w.control()
        .trigger_webhook("EXCHANGE_STATUS_UPDATED", None)
        .unwrap();
    let started = Instant::now();
    let mut seen = String::new();
    while started.elapsed() < Duration::from_secs(20) {
        line.clear();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        seen.push_str(&line);
        if line.contains("EXCHANGE_STATUS_UPDATED") {
            break;
        }
    }
    assert!(
        seen.contains("EXCHANGE_STATUS_UPDATED") && seen.contains("attempt 1  -> HTTP 200"),
        "{seen}"
    );
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(rest.contains("removed"), "{rest}");
    assert!(w.control().webhooks().is_empty());
}
