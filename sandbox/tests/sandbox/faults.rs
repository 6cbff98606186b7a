use std::time::Duration;

use ibanera_sandbox::Fault;
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

fn buy_body() -> String {
    json!({"customersId": 1004, "assetPair": "BTC/USDC", "quantityType": "Amount", "amount": 0.01})
        .to_string()
}

/// A buy on a fresh connection.
async fn try_buy(t: &T, timeout: Option<Duration>) -> Result<reqwest::Response, reqwest::Error> {
    init_tls();
    let mut b = reqwest::Client::builder();
    if let Some(d) = timeout {
        b = b.timeout(d);
    }
    let client = b.build().unwrap_or_else(|e| panic!("{e}"));
    client
        .post(t.url(BUY))
        .header("Authorization", t.bearer())
        .header("otp", t.code(0))
        .header("Content-Type", "application/json")
        .body(buy_body())
        .send()
        .await
}

async fn inject(t: &T, path: &str, count: u32, fault: Value) {
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/faults",
            Some(json!({"path": path, "count": count, "fault": fault})),
        )
        .await;
    ok(&r);
}

async fn exchanges_listed(t: &T) -> usize {
    let r = t.get(LIST).await;
    ok(&r).as_array().map(Vec::len).unwrap_or_default()
}

#[tokio::test]
async fn status_fault_is_not_executed() {
    let t = T::new().await;
    inject(
        &t,
        BUY,
        1,
        json!({"kind": "status", "status": 503, "retryAfter": "2", "body": {"message": "busy"}}),
    )
    .await;
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 503);
    assert_eq!(
        resp.headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("2")
    );
    let (_, body) = T::reply(resp).await;
    assert_eq!(body, json!({"message": "busy"}));
    assert_eq!(t.executed(BUY).await, 0);
    assert_eq!(exchanges_listed(&t).await, 0);
    t.assert_balance(
        1056,
        "50000.000000000000000000",
        "50000.000000000000000000",
        "0.000000000000000000",
    )
    .await;

    // Without a body: an error envelope naming the status.
    inject(&t, BUY, 1, json!({"kind": "status", "status": 429})).await;
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 429);
    let (_, body) = T::reply(resp).await;
    assert_eq!(body["status"], json!("0"));
    assert_eq!(errors(&body)[0].2, "Sandbox_Fault");
    assert_eq!(t.executed(BUY).await, 0);

    // The fault is used up: the next buy executes once.
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(t.executed(BUY).await, 1);
}

#[tokio::test]
async fn html_error_page_is_not_executed() {
    let t = T::new().await;
    inject(&t, BUY, 1, json!({"kind": "html", "status": 502})).await;
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 502);
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(ct.starts_with("text/html"), "{ct}");
    let page = resp.text().await.unwrap_or_default();
    assert!(page.contains("<h1>502 Bad Gateway</h1>"), "{page}");
    assert_eq!(t.executed(BUY).await, 0);
}

#[tokio::test]
async fn delay_times_out_a_client_after_executing_once() {
    let t = T::new().await;
    inject(&t, BUY, 1, json!({"kind": "delay", "ms": 1000})).await;
    let err = try_buy(&t, Some(Duration::from_millis(300))).await.err();
    assert!(
        err.as_ref().is_some_and(reqwest::Error::is_timeout),
        "{err:?}"
    );
    assert_eq!(t.executed(BUY).await, 1);
    assert_eq!(exchanges_listed(&t).await, 1);
    t.assert_balance(
        1056,
        "50000.000000000000000000",
        "49391.000000000000000000",
        "609.000000000000000000",
    )
    .await;
    // A patient client gets the delayed response.
    inject(&t, BUY, 1, json!({"kind": "delay", "ms": 200})).await;
    let started = std::time::Instant::now();
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(T::reply(resp).await.0, 200);
    assert_eq!(t.executed(BUY).await, 2);
}

#[tokio::test]
async fn dropped_before_execute() {
    let t = T::new().await;
    inject(&t, BUY, 1, json!({"kind": "dropBeforeExecute"})).await;
    let err = try_buy(&t, Some(Duration::from_secs(5))).await.err();
    assert!(err.as_ref().is_some_and(|e| !e.is_timeout()), "{err:?}");
    assert_eq!(t.executed(BUY).await, 0);
    assert_eq!(exchanges_listed(&t).await, 0);
    t.assert_balance(
        1056,
        "50000.000000000000000000",
        "50000.000000000000000000",
        "0.000000000000000000",
    )
    .await;
}

#[tokio::test]
async fn dropped_after_execute() {
    let t = T::new().await;
    inject(&t, BUY, 1, json!({"kind": "drop_after_execute"})).await;
    let err = try_buy(&t, Some(Duration::from_secs(5))).await.err();
    assert!(err.as_ref().is_some_and(|e| !e.is_timeout()), "{err:?}");
    assert_eq!(t.executed(BUY).await, 1);
    assert_eq!(exchanges_listed(&t).await, 1);
}

#[tokio::test]
async fn truncated_body() {
    let t = T::new().await;
    inject(&t, BUY, 1, json!({"kind": "truncate"})).await;
    let resp = try_buy(&t, Some(Duration::from_secs(5)))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 200);
    let announced = resp.content_length().unwrap_or_default();
    assert!(announced > 0);
    let body = resp.bytes().await;
    assert!(body.is_err(), "got a whole body: {body:?}");
    assert_eq!(t.executed(BUY).await, 1);
}

#[tokio::test]
async fn malformed_json() {
    let t = T::new().await;
    inject(&t, BUY, 1, json!({"kind": "malformedJson"})).await;
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 200);
    let body = resp.bytes().await.unwrap_or_default();
    assert!(!body.is_empty());
    assert!(
        serde_json::from_slice::<Value>(&body).is_err(),
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert_eq!(t.executed(BUY).await, 1);
}

#[tokio::test]
async fn status_zero_with_http_200() {
    let t = T::new().await;
    inject(&t, BUY, 1, json!({"kind": "statusZero"})).await;
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    let (status, body) = T::reply(resp).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], json!("0"));
    assert_eq!(
        errors(&body),
        vec![("InternalError".into(), "".into(), "Sandbox_Fault".into())]
    );
    assert_eq!(t.executed(BUY).await, 0);
}

#[tokio::test]
async fn count_path_matching_and_in_process_injection() {
    let t = T::new().await;
    // Two requests faulted, the third goes through; the query string is ignored.
    t.sb.control()
        .inject_fault(
            BALANCES,
            Fault::Status {
                status: 500,
                body: None,
                retry_after: None,
                execute: false,
            },
            2,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.get(&format!("{BALANCES}?pageSize=2")).await.0, 500);
    assert_eq!(t.get(BALANCES).await.0, 500);
    assert_eq!(t.get(BALANCES).await.0, 200);
    // Other paths are untouched; faults on one path apply in order.
    t.sb.control()
        .inject_fault(ACCOUNT, Fault::StatusZero, 1)
        .unwrap_or_else(|e| panic!("{e}"));
    t.sb.control()
        .inject_fault(
            ACCOUNT,
            Fault::Html {
                status: 504,
                execute: false,
            },
            1,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.get(BALANCES).await.0, 200);
    let r = t.get(&format!("{ACCOUNT}?Id=1055")).await;
    assert_eq!((r.0, r.1["status"].clone()), (200, json!("0")));
    let resp = t
        .request(Method::GET, &format!("{ACCOUNT}?Id=1055"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 504);
    assert_eq!(t.get(&format!("{ACCOUNT}?Id=1055")).await.0, 200);
    // Cleared faults do not fire.
    t.sb.control()
        .inject_fault(BALANCES, Fault::DropBeforeExecute, 5)
        .unwrap_or_else(|e| panic!("{e}"));
    let r = t.ctl(Method::DELETE, "/_sandbox/faults", None).await;
    ok(&r);
    assert_eq!(t.get(BALANCES).await.0, 200);
    assert!(
        t.sb.control()
            .inject_fault("no-slash", Fault::Truncate, 1)
            .is_err()
    );
    assert!(
        t.sb.control()
            .inject_fault(BUY, Fault::Truncate, 0)
            .is_err()
    );
    // Faults hit requests that would fail authentication too: nothing is executed.
    inject(&t, BUY, 1, json!({"kind": "dropAfterExecute"})).await;
    let resp = http_client().post(t.url(BUY)).body(buy_body()).send().await;
    assert!(resp.is_err());
    assert_eq!(t.executed(BUY).await, 0);
}

#[tokio::test]
async fn each_fault_kind_counts_executions_exactly() {
    let t = T::new().await;
    // (endlessBody has its own test: its body cannot be read to the end.)
    let kinds = [
        (json!({"kind": "status", "status": 503}), 0),
        (json!({"kind": "status", "status": 504, "execute": true}), 1),
        (json!({"kind": "html", "status": 502}), 0),
        (json!({"kind": "html", "status": 504, "execute": true}), 1),
        (json!({"kind": "dropBeforeExecute"}), 0),
        (json!({"kind": "statusZero"}), 0),
        (json!({"kind": "delay", "ms": 10}), 1),
        (json!({"kind": "dropAfterExecute"}), 1),
        (json!({"kind": "truncate"}), 1),
        (json!({"kind": "malformedJson"}), 1),
        (json!({"kind": "oversizeBody", "bytes": 1000}), 1),
        (json!({"kind": "deepJson", "depth": 10}), 1),
    ];
    let mut expected = 0;
    for (fault, executes) in kinds {
        inject(&t, BUY, 1, fault.clone()).await;
        if let Ok(resp) = try_buy(&t, Some(Duration::from_secs(5))).await {
            let _ = resp.bytes().await;
        }
        expected += executes;
        assert_eq!(t.executed(BUY).await, expected, "after {fault}");
    }
    assert_eq!(exchanges_listed(&t).await as u64, expected);
    t.assert_ledger(1056).await;
}

#[tokio::test]
async fn gateway_timeout_after_executing() {
    let t = T::new().await;
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/faults",
            Some(json!({"path": BUY, "fault": {"kind": "status", "status": 504, "execute": true}})),
        )
        .await;
    assert_eq!(
        ok(&r)["fault"],
        json!({"kind": "status", "status": 504, "body": null, "retryAfter": null, "execute": true})
    );
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    let (status, body) = T::reply(resp).await;
    assert_eq!(status, 504);
    assert_eq!(errors(&body)[0].2, "Sandbox_Fault");
    // The buy ran although the client saw a 504.
    assert_eq!(t.executed(BUY).await, 1);
    assert_eq!(exchanges_listed(&t).await, 1);
    t.assert_balance(
        1056,
        "50000.000000000000000000",
        "49391.000000000000000000",
        "609.000000000000000000",
    )
    .await;

    inject(
        &t,
        BUY,
        1,
        json!({"kind": "html", "status": 504, "execute": true}),
    )
    .await;
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 504);
    let page = resp.text().await.unwrap_or_default();
    assert!(page.contains("<h1>504 Gateway Timeout</h1>"), "{page}");
    assert_eq!(t.executed(BUY).await, 2);
    // Refused at authentication, an executing fault still executes nothing.
    inject(
        &t,
        BUY,
        1,
        json!({"kind": "status", "status": 504, "execute": true}),
    )
    .await;
    let resp = http_client()
        .post(t.url(BUY))
        .body(buy_body())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 504);
    assert_eq!(t.executed(BUY).await, 2);
}

const ENVELOPE_HEAD: &[u8] = br#"{"id":0,"details":""#;
const ENVELOPE_TAIL: &[u8] = br#"","status":"1","errors":[]}"#;

#[tokio::test]
async fn oversize_body_has_the_exact_length() {
    let t = T::new().await;
    let n: u64 = 8 * 1024 * 1024 + 3;
    inject(&t, BUY, 1, json!({"kind": "oversizeBody", "bytes": n})).await;
    let mut resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.content_length(), Some(n));
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(ct.starts_with("application/json"), "{ct}");
    // Read in chunks, keeping only the ends.
    let (mut total, mut head, mut tail) = (0u64, Vec::new(), Vec::new());
    while let Some(chunk) = resp.chunk().await.unwrap_or_else(|e| panic!("{e}")) {
        total += chunk.len() as u64;
        if head.len() < 64 {
            head.extend_from_slice(&chunk[..chunk.len().min(64)]);
        }
        tail.extend_from_slice(&chunk);
        let keep = tail.len().saturating_sub(64);
        tail.drain(..keep);
    }
    assert_eq!(total, n);
    assert!(
        head.starts_with(ENVELOPE_HEAD),
        "{}",
        String::from_utf8_lossy(&head)
    );
    assert!(
        tail.ends_with(ENVELOPE_TAIL),
        "{}",
        String::from_utf8_lossy(&tail)
    );
    assert_eq!(t.executed(BUY).await, 1);

    // A small one is a whole valid envelope of exactly that size; below the envelope's own
    // size, its beginning. GETs are served the same way (and not counted).
    let whole = [ENVELOPE_HEAD, ENVELOPE_TAIL].concat();
    for size in [200usize, whole.len(), whole.len() - 1, 10, 0] {
        inject(
            &t,
            BALANCES,
            1,
            json!({"kind": "oversizeBody", "bytes": size}),
        )
        .await;
        let body = t
            .request(Method::GET, BALANCES)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(body.len(), size);
        if size >= whole.len() {
            let v: Value = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(v["status"], json!("1"));
            assert_eq!(
                v["details"].as_str().map(str::len),
                Some(size - whole.len())
            );
        } else {
            assert_eq!(&body[..], &whole[..size]);
        }
    }
    assert_eq!(t.executed(BUY).await, 1);
}

#[tokio::test]
async fn endless_body_streams_until_the_client_leaves() {
    let t = T::new().await;
    inject(&t, BUY, 1, json!({"kind": "endlessBody"})).await;
    let mut resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.content_length(), None);
    let want = 4 * 1024 * 1024;
    let mut seen = Vec::new();
    let mut total = 0usize;
    while total < want {
        let chunk = resp
            .chunk()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("the endless body ended after {total} bytes"));
        total += chunk.len();
        if seen.len() < 4096 {
            seen.extend_from_slice(&chunk);
        }
    }
    assert!(seen.starts_with(ENVELOPE_HEAD));
    assert!(seen[ENVELOPE_HEAD.len()..].iter().all(|b| *b == b' '));
    drop(resp);
    assert_eq!(t.executed(BUY).await, 1);
    // The server goes on serving, on new connections and old.
    for _ in 0..3 {
        ok(&t.get(BALANCES).await);
        let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
        ok(&T::reply(resp).await);
    }
    assert_eq!(t.executed(BUY).await, 4);
}

/// How many arrays nest at the start of `v` (`[[[]]]` -> 3), walking the parsed value.
fn nesting(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.first().map(nesting).unwrap_or_default(),
        _ => 0,
    }
}

#[tokio::test]
async fn deep_json_nests_exactly() {
    let t = T::new().await;
    // Shallow enough for serde_json's recursion limit: parse it and count.
    inject(&t, BUY, 1, json!({"kind": "deepJson", "depth": 50})).await;
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    let (status, body) = T::reply(resp).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], json!("1"));
    assert_eq!(nesting(&body["details"]), 50);
    assert_eq!(t.executed(BUY).await, 1);

    // Deep: the exact bytes.
    let depth = 100_000;
    inject(&t, BUY, 1, json!({"kind": "deepJson", "depth": depth})).await;
    let resp = try_buy(&t, None).await.unwrap_or_else(|e| panic!("{e}"));
    let body = resp.bytes().await.unwrap_or_else(|e| panic!("{e}"));
    let expected = [
        &br#"{"id":0,"details":"#[..],
        &vec![b'['; depth],
        &vec![b']'; depth],
        &br#","status":"1","errors":[]}"#[..],
    ]
    .concat();
    assert!(body[..] == expected[..], "{} bytes", body.len());
    // serde_json refuses it: the client must too, without a stack overflow.
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    assert_eq!(t.executed(BUY).await, 2);
}
