//! Callbacks: registration, signed deliveries in order, retries with backoff, triggers of
//! every type, several receivers, bursts, and a receiver that hangs.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime};
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;
use crate::receiver::{Answer, Receiver, expected_signature};

const CRYPTO_KEYS: &[&str] = &[
    "AccountsId",
    "TransactionsId",
    "SourceAccountsId",
    "DestinationAccountsId",
    "TransactionHash",
    "SourceAddress",
    "DestinationAddress",
    "Amount",
    "NetworkFee",
    "Status",
];

const EXCHANGE_KEYS: &[&str] = &[
    "Id",
    "ExchangeType",
    "Status",
    "FromTransactionsId",
    "ToTransactionsId",
    "ManageesId",
    "AssetPair",
    "RequestAmount",
    "RequestPrice",
    "ExecutedAmount",
    "ExecutedPrice",
    "CommissionFee",
    "PayeesId",
    "bHasOpenRfi",
    "FromCustomerAssetAccountId",
    "ToCustomerAssetAccountId",
];

const RFI_KEYS: &[&str] = &["CustomersId", "UpdatedInformationRequestIds"];

/// The 12 callback types and the `Data` keys of the provider's pages (the exchange's
/// `TransferType` only comes with a `PayeesId`).
const TYPES: [(&str, &[&str]); 12] = [
    (
        "MANAGEE_JUMIO_COMPLETED",
        &["ManageesId", "ManageeCustomerUsersId", "DateJumioCompleted"],
    ),
    ("CRYPTO_DEPOSIT_CREATED", CRYPTO_KEYS),
    ("CRYPTO_DEPOSIT_UPDATED", CRYPTO_KEYS),
    ("CRYPTO_WITHDRAWAL_CREATED", CRYPTO_KEYS),
    ("CRYPTO_WITHDRAWAL_UPDATED", CRYPTO_KEYS),
    ("EXCHANGE_STATUS_UPDATED", EXCHANGE_KEYS),
    (
        "FIAT_DEPOSIT_RECEIVED",
        &[
            "AccountsId",
            "TransactionsId",
            "OriginalTransactionsId",
            "Reference",
            "SenderDetails",
            "Amount",
            "Imad",
            "Date",
            "bReversal",
            "bFlagged",
        ],
    ),
    (
        "MANAGEE_CARD_APPROVAL_UPDATED",
        &[
            "TopUpCardsId",
            "RequestedTopUpCardsId",
            "Status",
            "bManuallyUpdated",
        ],
    ),
    (
        "MANAGEE_KYC_UPDATED",
        &[
            "ManageesId",
            "VerificationStatus",
            "AcceptDate",
            "RejectReason",
            "RejectDate",
        ],
    ),
    (
        "TRANSACTION_STATUS_UPDATED",
        &[
            "Id",
            "AccountsId",
            "FromTransactionsId",
            "FromAccountsId",
            "ToTransactionsId",
            "ToAccountsId",
            "RollbackTransactionsId",
            "Amount",
            "Description",
            "DateTime",
            "bPending",
            "bCompleted",
            "bRejected",
        ],
    ),
    ("INFORMATION_REQUESTED", RFI_KEYS),
    ("INFORMATION_REQUEST_UPDATED", RFI_KEYS),
];

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn key_set(v: &Value) -> BTreeSet<String> {
    keys(v).into_iter().collect()
}

fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

/// Registers a receiver over HTTP; returns (id, secret).
async fn register(t: &T, url: &str) -> (i64, String) {
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/webhooks",
            Some(json!({"url": url})),
        )
        .await;
    let d = ok(&r).clone();
    assert_eq!(d["url"], json!(url));
    let secret = text(&d["secret"]);
    assert!(secret.len() >= 32, "{d}");
    (d["id"].as_i64().unwrap_or_default(), secret)
}

async fn config(t: &T, body: Value) {
    let r = t.ctl(Method::POST, "/_sandbox/config", Some(body)).await;
    ok(&r);
}

/// Waits (over HTTP) until every queued event is acknowledged or given up.
async fn settle(t: &T) {
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/webhooks/wait",
            Some(json!({"timeoutMs": 120000})),
        )
        .await;
    assert_eq!(ok(&r), &json!({"idle": true, "pending": 0}));
}

async fn deliveries(t: &T) -> Vec<Value> {
    let r = t
        .ctl(Method::GET, "/_sandbox/webhooks/deliveries", None)
        .await;
    ok(&r).as_array().cloned().unwrap_or_default()
}

async fn deposit(t: &T, account: i64, amount: &str) -> i64 {
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/deposits",
            Some(json!({"accountsId": account, "amount": amount})),
        )
        .await;
    ok(&r)["transactionId"].as_i64().unwrap_or_default()
}

fn at(d: &Value) -> DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(&text(&d["at"]))
        .unwrap_or_else(|e| panic!("`at` {} is not RFC 3339: {e}", d["at"]))
}

/// Polls until `cond` holds (at most a minute).
async fn eventually(cond: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !cond() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition never held"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn data_of<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events
        .iter()
        .filter(|e| e["Type"] == json!(kind))
        .map(|e| &e["Data"])
        .collect()
}

#[tokio::test]
async fn a_buy_through_approval_and_completion_is_signed_and_in_order() {
    let t = T::new().await;
    let rx = Receiver::ok().await;
    let (_, secret) = register(&t, &rx.url).await;
    let id = ok(&t.buy(1004, "BTC/USDC", "Amount", "0.1").await)["id"]
        .as_i64()
        .unwrap_or_default();
    ok(&t.step(id, "approve").await);
    ok(&t.step(id, "complete").await);
    settle(&t).await;

    let events = rx.verified(&secret);
    let statuses: Vec<String> = events.iter().map(|e| text(&e["Data"]["Status"])).collect();
    assert_eq!(statuses, ["WaitingForApproval", "Pending", "Completed"]);
    let mut ids = BTreeSet::new();
    for e in &events {
        assert_eq!(keys(e), ["Id", "Type", "Data"]);
        assert_eq!(e["Type"], json!("EXCHANGE_STATUS_UPDATED"));
        let guid = text(&e["Id"]);
        assert_eq!(guid.len(), 36, "{guid}");
        assert_eq!(guid.matches('-').count(), 4, "{guid}");
        assert!(ids.insert(guid));
        assert_eq!(key_set(&e["Data"]), set(EXCHANGE_KEYS), "{e}");
        assert_eq!(e["Data"]["Id"], json!(id));
        assert_eq!(e["Data"]["ExchangeType"], json!("Buy"));
        assert_eq!(e["Data"]["ManageesId"], json!(1004));
        assert_eq!(e["Data"]["AssetPair"], json!("BTC/USDC"));
        assert_eq!(e["Data"]["FromCustomerAssetAccountId"], json!(1056));
        // Money: exact numbers with their own digits.
        assert_eq!(text(&e["Data"]["RequestAmount"]), "0.1");
        assert_eq!(text(&e["Data"]["RequestPrice"]), "6036");
        assert_eq!(text(&e["Data"]["CommissionFee"]), "30");
        assert_eq!(e["Data"]["bHasOpenRfi"], json!(false));
    }
    // Body bytes: the data as sent, key order included.
    let first = &rx.received()[0];
    let body = String::from_utf8_lossy(&first.body).to_string();
    assert!(body.starts_with(r#"{"Id":""#), "{body}");
    assert!(body.contains(r#""RequestAmount":0.1,"#), "{body}");
    let done = &events[2]["Data"];
    assert_eq!(text(&done["ExecutedAmount"]), "0.1");
    assert_eq!(text(&done["ExecutedPrice"]), "6036");
    assert_eq!(done["ToCustomerAssetAccountId"], json!(1057));
    assert!(done["ToTransactionsId"].is_i64(), "{done}");
    assert_eq!(events[0]["Data"]["ExecutedAmount"], Value::Null);
    assert_eq!(events[0]["Data"]["ToTransactionsId"], Value::Null);

    // One acknowledged attempt per event, in the same order.
    let log = deliveries(&t).await;
    assert_eq!(log.len(), 3);
    for (d, e) in log.iter().zip(&events) {
        assert_eq!(
            key_set(d),
            set(&[
                "eventId",
                "type",
                "receiverId",
                "url",
                "attempt",
                "status",
                "error",
                "at",
                "acknowledged"
            ])
        );
        assert_eq!(d["eventId"], e["Id"]);
        assert_eq!(d["type"], json!("EXCHANGE_STATUS_UPDATED"));
        assert_eq!(d["url"], json!(rx.url));
        assert_eq!(d["attempt"], json!(1));
        assert_eq!(d["status"], json!(200));
        assert_eq!(d["error"], Value::Null);
        assert_eq!(d["acknowledged"], json!(true));
    }
}

#[tokio::test]
async fn every_exchange_transition_is_a_callback() {
    let t = T::new().await;
    let rx = Receiver::ok().await;
    let (_, secret) = register(&t, &rx.url).await;
    // Rejected.
    let a = ok(&t.buy(1004, "ETH/USD", "Price", "3018").await)["id"].clone();
    ok(&t.step(a.as_i64().unwrap_or_default(), "reject").await);
    // Failed after approval.
    let b = ok(&t.buy(1004, "ETH/USD", "Price", "3018").await)["id"].clone();
    ok(&t.step(b.as_i64().unwrap_or_default(), "approve").await);
    ok(&t.step(b.as_i64().unwrap_or_default(), "fail").await);
    // The price moves during review: confirmed at the new price, then completed.
    let c = ok(&t
        .sell(json!({"customersId": 1004, "assetPair": "BTC/USD", "quantityType": "Amount", "amount": 0.05}))
        .await)["id"]
        .clone();
    let c_id = c.as_i64().unwrap_or_default();
    t.sb.control()
        .set_price("BTC/USD", d("61000"))
        .unwrap_or_else(|e| panic!("{e}"));
    ok(&t.step(c_id, "approve").await);
    let review = ok(&t.post(REVIEW, json!({"exchangesId": c_id})).await).clone();
    ok(&t
        .post(
            CONFIRM,
            json!({"exchangesId": c_id, "amount": review["amount"], "price": review["price"]}),
        )
        .await);
    ok(&t.step(c_id, "complete").await);
    // Cancelled while waiting for confirmation.
    let e = ok(&t
        .sell(json!({"customersId": 1004, "assetPair": "BTC/USD", "quantityType": "Amount", "amount": 0.05}))
        .await)["id"]
        .clone();
    t.sb.control()
        .set_price("BTC/USD", d("62000"))
        .unwrap_or_else(|e| panic!("{e}"));
    ok(&t.step(e.as_i64().unwrap_or_default(), "approve").await);
    ok(&t.post(CANCEL, json!({"exchangesId": e})).await);
    settle(&t).await;

    let seen: Vec<(Value, String)> = rx
        .verified(&secret)
        .iter()
        .map(|e| (e["Data"]["Id"].clone(), text(&e["Data"]["Status"])))
        .collect();
    let expected: Vec<(Value, String)> = [
        (&a, "WaitingForApproval"),
        (&a, "Rejected"),
        (&b, "WaitingForApproval"),
        (&b, "Pending"),
        (&b, "Failed"),
        (&c, "WaitingForApproval"),
        (&c, "WaitingForConfirmation"),
        (&c, "Pending"),
        (&c, "Completed"),
        (&e, "WaitingForApproval"),
        (&e, "WaitingForConfirmation"),
        (&e, "Failed"),
    ]
    .iter()
    .map(|(id, s)| ((*id).clone(), s.to_string()))
    .collect();
    assert_eq!(seen, expected);
    // The confirmed sell reports the terms at the new price.
    let events = rx.verified(&secret);
    let confirmed = &events[7]["Data"];
    assert_eq!(text(&confirmed["RequestPrice"]), "3050");
    assert_eq!(confirmed["ExchangeType"], json!("Sell"));
}

#[tokio::test]
async fn a_receiver_answering_500_twice_gets_the_event_on_the_third_attempt() {
    let t = T::new().await;
    let base_ms = 200;
    config(&t, json!({"webhookRetryBaseMs": base_ms})).await;
    let rx = Receiver::start(
        vec![Answer::Status(500), Answer::Status(500)],
        Answer::Status(200),
    )
    .await;
    let (receiver_id, secret) = register(&t, &rx.url).await;
    let tx = deposit(&t, 1055, "250.75").await;
    settle(&t).await;

    // The same signed body three times.
    let got = rx.received();
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|r| r.body == got[0].body));
    let events = rx.verified(&secret);
    assert_eq!(events[0]["Type"], json!("FIAT_DEPOSIT_RECEIVED"));
    assert_eq!(events[0]["Data"]["TransactionsId"], json!(tx));
    assert_eq!(text(&events[0]["Data"]["Amount"]), "250.75");

    let log = deliveries(&t).await;
    let attempts: Vec<(u64, Option<u64>, bool)> = log
        .iter()
        .map(|d| {
            (
                d["attempt"].as_u64().unwrap_or_default(),
                d["status"].as_u64(),
                d["acknowledged"] == json!(true),
            )
        })
        .collect();
    assert_eq!(
        attempts,
        [
            (1, Some(500), false),
            (2, Some(500), false),
            (3, Some(200), true)
        ]
    );
    assert!(log.iter().all(|d| d["eventId"] == events[0]["Id"]));
    assert!(log.iter().all(|d| d["receiverId"] == json!(receiver_id)));
    // Waits of base, then 2 * base (each measured from the previous attempt's start, so at
    // least that long, whatever the machine's load).
    let gap1 = at(&log[1]) - at(&log[0]);
    let gap2 = at(&log[2]) - at(&log[1]);
    assert!(gap1.num_milliseconds() >= base_ms, "{gap1:?}");
    assert!(gap2.num_milliseconds() >= 2 * base_ms, "{gap2:?}");
    // In-process view: the same attempts.
    let own = t.sb.control().deliveries();
    assert_eq!(own.len(), 3);
    assert_eq!(own.iter().filter(|d| d.acknowledged).count(), 1);
    assert_eq!(own[2].status, Some(200));
}

#[tokio::test]
async fn a_dead_receiver_is_given_up_and_the_next_event_still_goes_out() {
    let t = T::new().await;
    config(
        &t,
        json!({"webhookRetryBaseMs": 10, "webhookMaxAttempts": 3}),
    )
    .await;
    // Nothing listens on this port any more.
    let port = {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        l.local_addr().map(|a| a.port()).unwrap_or_default()
    };
    let dead = format!("http://127.0.0.1:{port}/gone");
    register(&t, &dead).await;
    let busy = Receiver::start(Vec::new(), Answer::Status(503)).await;
    register(&t, &busy.url).await;
    deposit(&t, 1055, "1").await;
    deposit(&t, 1055, "2").await;
    settle(&t).await;

    let log = deliveries(&t).await;
    let to_dead: Vec<&Value> = log.iter().filter(|d| d["url"] == json!(dead)).collect();
    assert_eq!(to_dead.len(), 6, "two events, three attempts each");
    assert!(to_dead.iter().all(|d| d["status"] == Value::Null));
    assert!(
        to_dead
            .iter()
            .all(|d| text(&d["error"]).contains("connection")),
        "{to_dead:?}"
    );
    let to_busy: Vec<(u64, Option<u64>)> = log
        .iter()
        .filter(|d| d["url"] == json!(busy.url))
        .map(|d| {
            (
                d["attempt"].as_u64().unwrap_or_default(),
                d["status"].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        to_busy,
        [
            (1, Some(503)),
            (2, Some(503)),
            (3, Some(503)),
            (1, Some(503)),
            (2, Some(503)),
            (3, Some(503))
        ]
    );
    // The second event waited for the first to be given up.
    let amounts: Vec<String> = busy
        .received()
        .iter()
        .map(|r| text(&r.json()["Data"]["Amount"]))
        .collect();
    assert_eq!(amounts, ["1", "1", "1", "2", "2", "2"]);
    assert!(log.iter().all(|d| d["acknowledged"] == json!(false)));
}

#[tokio::test]
async fn trigger_sends_each_type_with_its_documented_data() {
    let t = T::new().await;
    let rx = Receiver::ok().await;
    let (_, secret) = register(&t, &rx.url).await;
    for (kind, _) in TYPES {
        let r = t
            .ctl(
                Method::POST,
                "/_sandbox/webhooks/trigger",
                Some(json!({"type": kind})),
            )
            .await;
        let d = ok(&r).clone();
        assert_eq!(d["type"], json!(kind));
        assert_eq!(d["receivers"], json!(1));
    }
    settle(&t).await;
    let events = rx.verified(&secret);
    assert_eq!(events.len(), TYPES.len());
    for (e, (kind, data_keys)) in events.iter().zip(TYPES) {
        assert_eq!(e["Type"], json!(kind));
        assert_eq!(key_set(&e["Data"]), set(data_keys), "{kind}: {e}");
    }
    // Realistic values: the seeded world's newest transactions of each kind.
    let by_type = |k: &str| data_of(&events, k)[0].clone();
    let crypto = by_type("CRYPTO_DEPOSIT_CREATED");
    assert_eq!(crypto["Status"], json!("Pending"));
    assert_eq!(crypto["TransactionsId"], json!(10005));
    assert_eq!(crypto["DestinationAccountsId"], json!(1061));
    assert_eq!(crypto["Amount"], json!({"Asset": "USDC", "Amount": 1000}));
    // The sender's gas, paid in ETH, with all its digits.
    assert_eq!(crypto["NetworkFee"]["Asset"], json!("ETH"));
    assert_eq!(
        text(&crypto["NetworkFee"]["Amount"]),
        "0.000008518119213712"
    );
    assert!(text(&crypto["TransactionHash"]).starts_with("0x"));
    assert_eq!(
        by_type("CRYPTO_DEPOSIT_UPDATED")["Status"],
        json!("Completed")
    );
    let fiat = by_type("FIAT_DEPOSIT_RECEIVED");
    assert_eq!(fiat["TransactionsId"], json!(10004));
    assert_eq!(fiat["AccountsId"], json!(1060));
    assert_eq!(text(&fiat["Amount"]), "2500");
    assert_eq!(
        key_set(&fiat["SenderDetails"]),
        set(&[
            "RoutingNumber",
            "AccountNumber",
            "Name",
            "AddressLine1",
            "AddressLine2",
            "AddressLine3"
        ])
    );
    assert!(DateTime::parse_from_rfc3339(&text(&fiat["Date"])).is_ok());
    let kyc = by_type("MANAGEE_KYC_UPDATED");
    assert_eq!(kyc["ManageesId"], json!(1005));
    // The managee callbacks' timestamps have no offset, like the provider's examples.
    assert!(
        NaiveDateTime::parse_from_str(&text(&kyc["AcceptDate"]), "%Y-%m-%dT%H:%M:%S%.f").is_ok(),
        "{kyc}"
    );
    let status = by_type("TRANSACTION_STATUS_UPDATED");
    assert_eq!(status["bCompleted"], json!(true));
    assert!(DateTime::parse_from_rfc3339(&text(&status["DateTime"])).is_ok());
    assert!(by_type("INFORMATION_REQUESTED")["UpdatedInformationRequestIds"].is_string());
}

#[tokio::test]
async fn trigger_overrides_type_spelling_id_and_errors() {
    let t = T::new().await;
    let rx = Receiver::ok().await;
    let (_, secret) = register(&t, &rx.url).await;
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/webhooks/trigger",
            Some(json!({"type": "CRYPTO DEPOSIT CREATED", "id": "1772fe26-f6b3-497c-9ab6-fe2f7929aaff",
                        "data": {"status": "Frozen", "Extra": 1}})),
        )
        .await;
    ok(&r);
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/webhooks/trigger",
            Some(json!({"type": "EXCHANGE_STATUS_UPDATED", "data": {"ExchangeType": 0}})),
        )
        .await;
    ok(&r);
    settle(&t).await;
    let events = rx.verified(&secret);
    assert_eq!(events[0]["Type"], json!("CRYPTO DEPOSIT CREATED"));
    assert_eq!(
        events[0]["Id"],
        json!("1772fe26-f6b3-497c-9ab6-fe2f7929aaff")
    );
    let data_keys = keys(&events[0]["Data"]);
    // Replaced in place with the override's spelling; new keys follow.
    assert_eq!(data_keys[9], "status");
    assert_eq!(data_keys[10], "Extra");
    assert_eq!(events[0]["Data"]["status"], json!("Frozen"));
    assert_eq!(events[1]["Data"]["ExchangeType"], json!(0));

    for (body, field, code) in [
        (json!({}), "Type", "Required"),
        (json!({"type": "NOT_A_TYPE"}), "Type", "Invalid"),
        (json!({"type": 5}), "Type", "Invalid"),
        (
            json!({"type": "MANAGEE_KYC_UPDATED", "data": [1]}),
            "Data",
            "Invalid",
        ),
    ] {
        let r = t
            .ctl(Method::POST, "/_sandbox/webhooks/trigger", Some(body))
            .await;
        assert_error(&r, 400, field, code);
    }
    // Nothing more was sent.
    settle(&t).await;
    assert_eq!(rx.received().len(), 2);
}

#[tokio::test]
async fn two_receivers_each_get_every_event() {
    let t = T::new().await;
    let a = Receiver::ok().await;
    let b = Receiver::ok().await;
    let (_, secret_a) = register(&t, &a.url).await;
    let (_, secret_b) = register(&t, &b.url).await;
    assert_ne!(secret_a, secret_b);
    deposit(&t, 1055, "10").await;
    deposit(&t, 1057, "0.25").await;
    let id = ok(&t.buy(1004, "BTC/USDC", "Amount", "0.1").await)["id"]
        .as_i64()
        .unwrap_or_default();
    ok(&t.step(id, "reject").await);
    settle(&t).await;

    let ea = a.verified(&secret_a);
    let eb = b.verified(&secret_b);
    let types: Vec<String> = ea.iter().map(|e| text(&e["Type"])).collect();
    assert_eq!(
        types,
        [
            "FIAT_DEPOSIT_RECEIVED",
            "CRYPTO_DEPOSIT_CREATED",
            "CRYPTO_DEPOSIT_UPDATED",
            "EXCHANGE_STATUS_UPDATED",
            "EXCHANGE_STATUS_UPDATED"
        ]
    );
    // The same events (same Id and body), each signed with its receiver's secret.
    assert_eq!(ea, eb);
    let (ra, rb) = (a.received(), b.received());
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(x.body, y.body);
        assert_ne!(x.signature, y.signature);
        assert_ne!(
            x.signature.as_deref(),
            Some(expected_signature(&x.body, &secret_b).as_str())
        );
    }
    assert_eq!(deliveries(&t).await.len(), 10);

    // Listing shows no secret; removing stops deliveries.
    let r = t.ctl(Method::GET, "/_sandbox/webhooks", None).await;
    let listed = ok(&r).as_array().cloned().unwrap_or_default();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|w| key_set(w) == set(&["id", "url", "pending"]))
    );
    assert!(!r.1.to_string().contains(&secret_a));
    let r = t.ctl(Method::DELETE, "/_sandbox/webhooks", None).await;
    assert_eq!(ok(&r)["removed"], json!(2));
    deposit(&t, 1055, "10").await;
    settle(&t).await;
    assert_eq!(a.received().len(), 5);
    assert_eq!(t.sb.control().webhooks(), Vec::new());
}

#[tokio::test]
async fn order_holds_under_a_burst_with_retries() {
    let t = std::sync::Arc::new(T::new().await);
    config(&t, json!({"webhookRetryBaseMs": 5})).await;
    // Every third request is refused once.
    let script = (0..200)
        .map(|i| {
            if i % 3 == 0 {
                Answer::Status(500)
            } else {
                Answer::Status(200)
            }
        })
        .collect();
    let rx = Receiver::start(script, Answer::Status(200)).await;
    let (_, secret) = register(&t, &rx.url).await;
    let mut tasks = Vec::new();
    for k in 0..8 {
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..5 {
                deposit(&t, if k % 2 == 0 { 1055 } else { 1060 }, "1").await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap_or_else(|e| panic!("{e}"));
    }
    settle(&t).await;

    let events = rx.verified(&secret);
    // A retried event is sent again before any later one: collapsing repeats leaves each
    // event once, in the order of the changes (transaction ids increase).
    let mut order: Vec<Value> = Vec::new();
    for e in &events {
        if order.last().map(|l| l["Id"] != e["Id"]).unwrap_or(true) {
            order.push(e.clone());
        }
    }
    let ids: BTreeSet<String> = order.iter().map(|e| text(&e["Id"])).collect();
    assert_eq!(ids.len(), 40, "no event arrives again after a later one");
    let txs: Vec<i64> = order
        .iter()
        .map(|e| e["Data"]["TransactionsId"].as_i64().unwrap_or_default())
        .collect();
    assert!(txs.windows(2).all(|w| w[0] < w[1]), "{txs:?}");
    assert!(events.len() > 40, "some were retried");
    let log = t.sb.control().deliveries();
    assert_eq!(log.iter().filter(|d| d.acknowledged).count(), 40);
}

#[tokio::test]
async fn the_api_answers_while_a_receiver_hangs_and_shutdown_does_not_wait() {
    let t = T::new().await;
    config(&t, json!({"webhookTimeoutMs": 600000})).await;
    let rx = Receiver::start(Vec::new(), Answer::Hang).await;
    register(&t, &rx.url).await;
    let calls = async {
        for _ in 0..10 {
            deposit(&t, 1055, "1").await;
            ok(&t.get(BALANCES).await);
        }
        ok(&t.buy(1004, "BTC/USDC", "Amount", "0.1").await);
    };
    // The first delivery hangs for up to 10 minutes; the calls do not wait for it.
    tokio::time::timeout(Duration::from_secs(60), calls)
        .await
        .unwrap_or_else(|_| panic!("the API waited for a callback receiver"));
    // The first event is in flight, the other ten wait behind it.
    assert_eq!(t.sb.control().pending_deliveries(), 11);
    assert!(t.sb.control().deliveries().is_empty());
    eventually(|| rx.received().len() == 1).await;
    assert!(
        !t.sb
            .control()
            .wait_for_deliveries(Duration::from_millis(50))
            .await
    );
    let sb = t.into_sandbox();
    tokio::time::timeout(Duration::from_secs(30), sb.shutdown())
        .await
        .unwrap_or_else(|_| panic!("shutdown waited for a callback receiver"));
}

#[tokio::test]
async fn withdrawals_and_deposits_have_their_callbacks() {
    let t = T::new().await;
    let rx = Receiver::ok().await;
    let (_, secret) = register(&t, &rx.url).await;
    let dest = "bc1qdestination00000000000000000000000000";
    // At once (the default): created Pending, updated Completed.
    let r = t
        .post(
            WITHDRAW,
            json!({"accountsId": 1057, "amount": 0.5, "destinationAddress": dest}),
        )
        .await;
    let first = ok(&r)["id"].as_i64().unwrap_or_default();
    assert_eq!(ok(&r)["bPending"], json!(false));
    // Held: Pending until the control settles or fails it.
    config(&t, json!({"holdWithdrawals": true})).await;
    let r = t
        .post(
            WITHDRAW,
            json!({"accountsId": 1057, "amount": 0.25, "destinationAddress": dest}),
        )
        .await;
    let held = ok(&r)["id"].as_i64().unwrap_or_default();
    assert_eq!(ok(&r)["bPending"], json!(true));
    t.assert_balance(
        1057,
        "1.999900000000000000",
        "1.749800000000000000",
        "0.250100000000000000",
    )
    .await;
    let r = t
        .ctl(Method::GET, "/_sandbox/transactions/pending", None)
        .await;
    let pending: Vec<Value> = ok(&r)
        .as_array()
        .map(|a| a.iter().map(|p| p["id"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(pending, [json!(held)]);
    let r = t
        .ctl(
            Method::POST,
            &format!("/_sandbox/transactions/{held}/settle"),
            None,
        )
        .await;
    assert_eq!(ok(&r), &json!({"id": held, "status": "Completed"}));
    t.assert_balance(
        1057,
        "1.749800000000000000",
        "1.749800000000000000",
        "0.000000000000000000",
    )
    .await;
    t.assert_ledger(1057).await;
    let r = t
        .post(
            WITHDRAW,
            json!({"accountsId": 1057, "amount": 0.5, "destinationAddress": dest}),
        )
        .await;
    let failed = ok(&r)["id"].as_i64().unwrap_or_default();
    ok(&t
        .ctl(
            Method::POST,
            &format!("/_sandbox/transactions/{failed}/fail"),
            None,
        )
        .await);
    t.assert_balance(
        1057,
        "1.749800000000000000",
        "1.749800000000000000",
        "0.000000000000000000",
    )
    .await;
    // Settled or failed once only; exchanges and unknown ids are refused.
    for (id, status, code) in [
        (failed, 400, "Invalid_State"),
        (held, 400, "Invalid_State"),
        (10000, 400, "Invalid_State"),
        (99999, 404, "Not_Found"),
    ] {
        let r = t
            .ctl(
                Method::POST,
                &format!("/_sandbox/transactions/{id}/settle"),
                None,
            )
            .await;
        assert_error(&r, status, "TransactionsId", code);
    }
    deposit(&t, 1058, "1.5").await;
    settle(&t).await;

    let events = rx.verified(&secret);
    let seen: Vec<(String, Value, String)> = events
        .iter()
        .map(|e| {
            (
                text(&e["Type"]),
                e["Data"]["TransactionsId"].clone(),
                text(&e["Data"]["Status"]),
            )
        })
        .collect();
    let dep = events[6]["Data"]["TransactionsId"].clone();
    let expected: Vec<(String, Value, String)> = [
        ("CRYPTO_WITHDRAWAL_CREATED", json!(first), "Pending"),
        ("CRYPTO_WITHDRAWAL_UPDATED", json!(first), "Completed"),
        ("CRYPTO_WITHDRAWAL_CREATED", json!(held), "Pending"),
        ("CRYPTO_WITHDRAWAL_UPDATED", json!(held), "Completed"),
        ("CRYPTO_WITHDRAWAL_CREATED", json!(failed), "Pending"),
        ("CRYPTO_WITHDRAWAL_UPDATED", json!(failed), "Failed"),
        ("CRYPTO_DEPOSIT_CREATED", dep.clone(), "Pending"),
        ("CRYPTO_DEPOSIT_UPDATED", dep, "Completed"),
    ]
    .into_iter()
    .map(|(k, id, s)| (k.to_string(), id, s.to_string()))
    .collect();
    assert_eq!(seen, expected);
    let w = &events[0]["Data"];
    assert_eq!(w["Amount"], json!({"Asset": "BTC", "Amount": 0.5}));
    assert_eq!(text(&w["NetworkFee"]["Amount"]), "0.0001");
    assert_eq!(w["SourceAccountsId"], json!(1057));
    assert_eq!(w["DestinationAccountsId"], Value::Null);
    assert_eq!(w["DestinationAddress"], json!(dest));
    assert_eq!(key_set(w), set(CRYPTO_KEYS));
    let dep = &events[7]["Data"];
    assert_eq!(events[6]["Type"], json!("CRYPTO_DEPOSIT_CREATED"));
    assert_eq!(dep["DestinationAccountsId"], json!(1058));
    assert_eq!(dep["Amount"], json!({"Asset": "ETH", "Amount": 1.5}));
}

#[tokio::test]
async fn registration_and_settings_are_validated() {
    let t = T::new().await;
    let post = |path: &'static str, body: Value| {
        let t = &t;
        async move { t.ctl(Method::POST, path, Some(body)).await }
    };
    assert_error(
        &post("/_sandbox/webhooks", json!({})).await,
        400,
        "Url",
        "Required",
    );
    for url in ["ftp://127.0.0.1/x", "127.0.0.1:9/x", "http://"] {
        assert_error(
            &post("/_sandbox/webhooks", json!({"url": url})).await,
            400,
            "Url",
            "Invalid",
        );
    }
    assert_error(
        &post(
            "/_sandbox/webhooks",
            json!({"url": "http://127.0.0.1:9/x", "secret": ""}),
        )
        .await,
        400,
        "Secret",
        "Invalid",
    );
    // A secret of one's own.
    let r = post(
        "/_sandbox/webhooks",
        json!({"url": "http://127.0.0.1:9/x", "secret": "my-secret"}),
    )
    .await;
    assert_eq!(ok(&r)["secret"], json!("my-secret"));
    let id = ok(&r)["id"].as_i64().unwrap_or_default();
    let r = t
        .ctl(Method::DELETE, &format!("/_sandbox/webhooks/{id}"), None)
        .await;
    ok(&r);
    let r = t
        .ctl(Method::DELETE, &format!("/_sandbox/webhooks/{id}"), None)
        .await;
    assert_error(&r, 404, "Id", "Not_Found");
    for (field, value) in [
        ("webhookRetryBaseMs", json!(0)),
        ("webhookRetryBaseMs", json!(3_600_001)),
        ("webhookMaxAttempts", json!(0)),
        ("webhookMaxAttempts", json!(101)),
        ("webhookTimeoutMs", json!(-1)),
        ("webhookTimeoutMs", json!("x")),
        ("holdWithdrawals", json!("yes")),
    ] {
        let r = post("/_sandbox/config", json!({ field: value })).await;
        let expected = format!("{}{}", field[..1].to_uppercase(), &field[1..]);
        assert_error(&r, 400, &expected, "Invalid");
    }
    let r = post(
        "/_sandbox/config",
        json!({"webhookRetryBaseMs": 250, "webhookMaxAttempts": 3, "webhookTimeoutMs": 1500}),
    )
    .await;
    assert_eq!(ok(&r)["webhookRetryBaseMs"], json!(250));
    let c = t.sb.control();
    assert_eq!(c.webhook_retry_base(), Duration::from_millis(250));
    assert_eq!(c.webhook_max_attempts(), 3);
    assert_eq!(c.webhook_timeout(), Duration::from_millis(1500));
    assert!(c.register_webhook("mailto:x@example.com").is_err());
    assert!(c.set_webhook_max_attempts(0).is_err());
    // Waiting with nothing queued returns at once.
    assert!(c.wait_for_deliveries(Duration::from_secs(5)).await);
}
