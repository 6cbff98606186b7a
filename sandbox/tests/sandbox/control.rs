use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::*;

#[tokio::test]
async fn reset_restores_the_seeded_world() {
    let t = T::new().await;
    let id = ok(&t.buy(1004, "BTC/USDC", "Amount", "0.1").await)["id"].clone();
    assert_eq!(id, json!(23000));
    ok(&t
        .post(
            CREATE,
            json!({"customersId": 1004, "name": "x", "asset": "BTC"}),
        )
        .await);
    t.sb.control()
        .set_price("BTC/USDC", d("1"))
        .unwrap_or_else(|e| panic!("{e}"));
    t.sb.control().set_strict_otp(true);
    assert_eq!(t.executions().await.len(), 2);

    let r = t.ctl(Method::POST, "/_sandbox/reset", None).await;
    ok(&r);
    assert!(t.executions().await.is_empty());
    assert_eq!(t.sb.control().price("BTC/USDC").ok(), Some(d("60000")));
    // The strict-OTP setting survives a reset.
    assert!(t.sb.control().strict_otp());
    t.sb.control().set_strict_otp(false);
    t.assert_balance(
        1056,
        "50000.000000000000000000",
        "50000.000000000000000000",
        "0.000000000000000000",
    )
    .await;
    let r = t.get(LIST).await;
    assert_eq!(ok(&r), &json!([]));
    let r = t.get(&format!("{LIST_ACCOUNTS}?customersId=1004")).await;
    assert_eq!(ok(&r).as_array().map(Vec::len), Some(4));
    // Ids start over.
    assert_eq!(
        ok(&t.buy(1004, "BTC/USDC", "Amount", "0.1").await)["id"],
        json!(23000)
    );
    assert_eq!(
        t.executions().await,
        [(format!("POST {BUY}"), 1)].into_iter().collect()
    );
    t.sb.control().reset();
    assert!(t.sb.control().executions().is_empty());
}

#[tokio::test]
async fn control_endpoint_validation() {
    let t = T::new().await;
    let post = |path: &'static str, body: Value| {
        let t = &t;
        async move { t.ctl(Method::POST, path, Some(body)).await }
    };
    assert_error(
        &post(
            "/_sandbox/faults",
            json!({"count": 1, "fault": {"kind": "truncate"}}),
        )
        .await,
        400,
        "Path",
        "Required",
    );
    assert_error(
        &post("/_sandbox/faults", json!({"path": BUY})).await,
        400,
        "Fault",
        "Required",
    );
    assert_error(
        &post(
            "/_sandbox/faults",
            json!({"path": BUY, "fault": {"kind": "explode"}}),
        )
        .await,
        400,
        "Fault",
        "Invalid",
    );
    assert_error(
        &post(
            "/_sandbox/faults",
            json!({"path": BUY, "fault": {"kind": "status"}}),
        )
        .await,
        400,
        "Fault",
        "Invalid",
    );
    assert_error(
        &post(
            "/_sandbox/faults",
            json!({"path": BUY, "count": 0, "fault": {"kind": "truncate"}}),
        )
        .await,
        400,
        "Count",
        "Invalid",
    );
    let r = post(
        "/_sandbox/faults",
        json!({"path": BUY, "fault": {"kind": "delay", "ms": 5}}),
    )
    .await;
    assert_eq!(ok(&r)["fault"], json!({"kind": "delay", "ms": 5}));
    assert_eq!(ok(&r)["count"], json!(1));
    assert_error(
        &post("/_sandbox/deposits", json!({"accountsId": 1055})).await,
        400,
        "Amount",
        "Required",
    );
    assert_error(
        &post(
            "/_sandbox/deposits",
            json!({"accountsId": 1055, "amount": -3}),
        )
        .await,
        400,
        "Amount",
        "Amount_Must_Be_Positive",
    );
    assert_error(
        &post("/_sandbox/deposits", json!({"accountsId": 42, "amount": 3})).await,
        404,
        "AccountsId",
        "Not_Found",
    );
    let r = post(
        "/_sandbox/deposits",
        json!({"AccountsId": 1057, "Amount": "0.123456789012345678"}),
    )
    .await;
    let id = ok(&r)["transactionId"].as_i64().unwrap_or_default();
    let details = t.tx_details(id).await;
    assert_eq!(text(&details["amount"]), "0.123456789012345678");
    assert!(
        details["walletTransferDetails"]["toWalletAddress"]
            .as_str()
            .is_some_and(|a| a.starts_with("bc1q"))
    );
    assert_error(
        &post("/_sandbox/seed-transactions", json!({"accountsId": 1055})).await,
        400,
        "Count",
        "Required",
    );
    assert_error(
        &post(
            "/_sandbox/seed-transactions",
            json!({"accountsId": 1055, "count": 2000000}),
        )
        .await,
        400,
        "Count",
        "Invalid",
    );
    assert_error(
        &post("/_sandbox/config", json!({"strictOtp": "yes"})).await,
        400,
        "StrictOtp",
        "Invalid",
    );
    for bad in [
        json!(0),
        json!(-5),
        json!("soon"),
        json!(1.5),
        json!(100_000_000_000u64),
    ] {
        assert_error(
            &post("/_sandbox/config", json!({"idleTimeoutMs": bad})).await,
            400,
            "IdleTimeoutMs",
            "Invalid",
        );
    }
    assert!(t.sb.control().set_idle_timeout(Duration::ZERO).is_err());
    assert_eq!(t.sb.control().idle_timeout(), Duration::from_secs(30));
    let r = t.ctl(Method::POST, "/_sandbox/nothing-here", None).await;
    assert_error(&r, 404, "", "Not_Found");
    let r = t.ctl(Method::GET, "/_sandbox/reset", None).await;
    assert_eq!(r.0, 405);
    assert_eq!(r.1["status"], json!("0"));
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let t = T::new().await;
    assert_error(
        &t.get("/api/v1/customer/nothing").await,
        404,
        "",
        "Not_Found",
    );
    // The spec's alternative spellings are not served: the wire decisions pick one path.
    assert_error(
        &t.get("/api/v1/customer/accounts/transactions/get?Id=10000")
            .await,
        404,
        "",
        "Not_Found",
    );
    let r = t.post(ACCOUNT, json!({})).await;
    assert_eq!(r.0, 405);
    // Without credentials an API path is refused before routing.
    let resp = http_client()
        .get(t.url("/api/v1/customer/nothing"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_error(&T::reply(resp).await, 401, "Authorization", "Invalid");
    // An empty POST body is an empty object.
    let resp = t
        .request(Method::POST, CANCEL)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_error(&T::reply(resp).await, 400, "ExchangesId", "Required");
    // Responses are JSON with the envelope's keys.
    let r = t.get(PAIRS).await;
    let keys: Vec<&String> =
        r.1.as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
    assert_eq!(keys.len(), 4, "{keys:?}");
}

#[tokio::test]
async fn concurrent_requests() {
    let t = std::sync::Arc::new(T::new().await);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            let r = t
                .post(
                    WITHDRAW,
                    json!({"accountsId": 1056, "amount": 10, "destinationAddress": "0xabc"}),
                )
                .await;
            ok(&r);
        }));
    }
    for task in tasks {
        task.await.unwrap_or_else(|e| panic!("{e}"));
    }
    // 20 x (10 + 1 network fee).
    t.assert_balance(
        1056,
        "49780.000000000000000000",
        "49780.000000000000000000",
        "0.000000000000000000",
    )
    .await;
    assert_eq!(t.executed(WITHDRAW).await, 20);
    t.assert_ledger(1056).await;
}

#[tokio::test]
async fn garbage_input_gets_an_envelope_never_a_crash() {
    let t = T::new().await;
    let posts = [CREATE, WITHDRAW, QUOTE, SELL, BUY, REVIEW, CONFIRM, CANCEL];
    let bodies: [&'static str; 12] = [
        "",
        "null",
        "\"text\"",
        "{\"customersId\": {\"a\": 1}, \"amount\": [1], \"price\": true}",
        "{\"customersId\": -1, \"accountsId\": 1.5, \"exchangesId\": 1e3}",
        "{\"customersId\": 1004, \"amount\": 1e-30, \"price\": -0, \"assetPair\": \"/\"}",
        "{\"customersId\": 99999999999999999999999, \"amount\": 79228162514264337593543950336}",
        "{\"customersId\": 1004, \"assetPair\": \"BTC/USDC\", \"quantityType\": \"Amount\", \"amount\": 0.000000000000000000001}",
        "{\"customersId\": 1004, \"assetPair\": \"BTC/USDC\", \"quantityType\": \"Price\", \"exchangeType\": \"Sell\", \"price\": 999999999999999}",
        "{\"fxRateId\": \"abc\", \"payeesId\": \"\", \"transferType\": 5}",
        "{\"destinationAddress\": \"\u{1F4A5}\", \"name\": \"\u{00e9}\", \"asset\": \"\"}",
        "{\"customersId\": 1004, \"customersId\": null, \"CUSTOMERSID\": \"1004\"}",
    ];
    for path in posts {
        for body in bodies {
            let r = t.post_raw(path, body).await;
            assert!([200, 400, 404].contains(&r.0), "{path} {body}: {}", r.1);
            assert!(r.1.get("status").is_some(), "{path} {body}: {}", r.1);
        }
    }
    let gets = [
        format!("{ACCOUNT}?Id=%00"),
        format!("{TRANSACTIONS}?FromDate=2024-13-45&PageNumber=-1"),
        format!("{TRANSACTIONS}?PageSize=1&PageNumber=2147483647"),
        format!("{LIST}?CustomersId=%F0%9F%92%A5&Status="),
        format!("{LIST_ACCOUNTS}?asset=%20&pageSize=1000"),
        format!("{BALANCES}?pageNumber=1"),
        format!("{TRANSACTION}?Id=-5"),
    ];
    for q in gets {
        let r = t.get(&q).await;
        assert!([200, 400, 404].contains(&r.0), "{q}: {}", r.1);
    }
    for acc in [1055, 1056, 1057] {
        t.assert_ledger(acc).await;
    }
}

/// Sends one request on a raw connection and reads its whole response (headers and a
/// `Content-Length` body).
async fn round_trip(s: &mut TcpStream, path: &str) -> String {
    let req = format!("GET {path} HTTP/1.1\r\nHost: sandbox\r\n\r\n");
    s.write_all(req.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or_default())
                })
                .unwrap_or_default();
            if body.len() >= len {
                return text;
            }
        }
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no response"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(n > 0, "closed mid-response: {text}");
        got.extend_from_slice(&buf[..n]);
    }
}

/// Waits (at most 10 s) for the server to close the connection.
async fn closed_by_server(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 64];
    match tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => true,
        Ok(Ok(_)) | Err(_) => false,
    }
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_idle_timeout() {
    let t = T::new().await;
    // A connection accepted under a long timeout...
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/config",
            Some(json!({"idleTimeoutMs": 60000})),
        )
        .await;
    assert_eq!(ok(&r)["idleTimeoutMs"], json!(60000));
    let mut long = TcpStream::connect(t.sb.addr())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        round_trip(&mut long, "/_sandbox/config")
            .await
            .starts_with("HTTP/1.1 200")
    );

    // ...and one under a short one.
    t.sb.control()
        .set_idle_timeout(Duration::from_millis(300))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = t.ctl(Method::GET, "/_sandbox/config", None).await;
    assert_eq!(ok(&r)["idleTimeoutMs"], json!(300));
    let mut short = TcpStream::connect(t.sb.addr())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        round_trip(&mut short, "/_sandbox/config")
            .await
            .starts_with("HTTP/1.1 200")
    );
    // Kept alive between requests...
    let sent = Instant::now();
    let reply = round_trip(&mut short, "/_sandbox/config").await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    // ...and closed once idle that long (the server's clock starts after its reply, so
    // after `sent`).
    assert!(
        closed_by_server(&mut short).await,
        "the idle connection stayed open"
    );
    assert!(sent.elapsed() >= Duration::from_millis(300));
    // The connection accepted before the change keeps its 60 s.
    let reply = round_trip(&mut long, "/_sandbox/config").await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}
