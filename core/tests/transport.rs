//! The core client against a local scripted server: headers, TOTP per attempt, retry rules per
//! method and status, Retry-After, timeouts, every error kind, paging, secrets.

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use ibanera::accounts::{ListTransactions, WithdrawCrypto};
use ibanera::totp::{Clock, CodeProvider};
use ibanera::{
    Client, Decimal, Error, ErrorKind, Method, RequestOptions, RetryPolicy, Secret, Totp,
};
use support::{MockServer, PASSWORD, Reply, SECRET, USERNAME, builder, fast, json, ok};

fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}

fn withdraw() -> WithdrawCrypto {
    WithdrawCrypto::new(1057, "0.005".parse().unwrap(), "bc1qdestination")
}

const WITHDRAWAL: &str = r#"{"id":1864,"accountsId":1057,"amount":0.005,"description":"BTC withdrawal","dateTime":"2022-07-08T16:57:12.127+00:00","bPending":false}"#;
const ACCOUNT: &str = r#"{"id":1055,"customersId":1004,"name":"USD","asset":"USD","totalBalance":100.0,"availableBalance":0.0,"pendingBalance":100.0,"bSuppressed":false}"#;

#[tokio::test]
async fn every_request_carries_key_code_and_json_headers() {
    let server = MockServer::start(|r, _| {
        if r.method == "GET" {
            ok(ACCOUNT)
        } else {
            ok(WITHDRAWAL)
        }
    })
    .await;
    let c = client(&server);
    let before = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    c.accounts().get(1055).await.unwrap();
    c.accounts().withdraw_crypto(&withdraw()).await.unwrap();
    let after = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();

    let totp = Totp::new(SECRET).unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(
            r.header("authorization"),
            Some("Bearer tok-1"),
            "the session's token"
        );
        let code = r.header("otp").unwrap();
        assert_eq!(code.len(), 6);
        assert!(
            (before..=after).any(|t| totp.code_at(t).expose() == code),
            "otp is the code of the send time"
        );
        assert_eq!(r.header("accept"), Some("application/json"));
        assert!(r.header("user-agent").unwrap().starts_with("ibanera-rust/"));
    }
    assert_eq!(reqs[0].path, "/api/v1/customer/accounts/account");
    assert_eq!(reqs[0].query, vec![("Id".to_string(), "1055".to_string())]);
    assert_eq!(reqs[1].header("content-type"), Some("application/json"));
    assert_eq!(
        reqs[1].body,
        r#"{"accountsId":1057,"amount":0.005,"destinationAddress":"bc1qdestination"}"#
    );
}

/// A clock that moves one 30 s step forward each time it is read.
struct SteppingClock(AtomicU64);

impl Clock for SteppingClock {
    fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.0.fetch_add(30, Ordering::SeqCst))
    }
}

#[tokio::test]
async fn a_retry_across_a_time_step_sends_a_new_code() {
    let server = MockServer::start(|_, i| if i == 0 { json(503, "{}") } else { ok(ACCOUNT) }).await;
    let c = builder(&server)
        .clock(Arc::new(SteppingClock(AtomicU64::new(1_700_000_000))))
        .build()
        .unwrap();
    c.accounts().get(1055).await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let totp = Totp::new(SECRET).unwrap();
    // The login took the first step's code.
    let login: serde_json::Value = serde_json::from_str(&server.logins()[0].body).unwrap();
    assert_eq!(login["otp"], totp.code_at(1_700_000_000).expose());
    assert_eq!(
        reqs[0].header("otp").unwrap(),
        totp.code_at(1_700_000_030).expose()
    );
    assert_eq!(
        reqs[1].header("otp").unwrap(),
        totp.code_at(1_700_000_060).expose()
    );
    assert_ne!(reqs[0].header("otp"), reqs[1].header("otp"));
}

#[tokio::test]
async fn gets_retry_on_429_502_503_504_and_stop_after_two_retries() {
    for status in [429u16, 502, 503, 504] {
        let server =
            MockServer::start(move |_, _| json(status, r#"{"status":"0","errors":[]}"#)).await;
        let e = client(&server).accounts().get(1055).await.unwrap_err();
        assert_eq!(server.count(), 3, "status {status}: 1 attempt + 2 retries");
        assert_eq!(e.http_status(), Some(status));
        let expected = if status == 429 {
            ErrorKind::RateLimited
        } else {
            ErrorKind::Api
        };
        assert_eq!(e.kind(), expected);
    }
}

#[tokio::test]
async fn gets_recover_when_a_retry_succeeds() {
    let server = MockServer::start(|_, i| {
        if i < 2 {
            json(502, "bad gateway")
        } else {
            ok(ACCOUNT)
        }
    })
    .await;
    let a = client(&server).accounts().get(1055).await.unwrap();
    assert_eq!(a.total_balance.to_string(), "100.0");
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    for status in [400u16, 401, 403, 404, 409, 500] {
        let server =
            MockServer::start(move |_, _| json(status, r#"{"status":"0","errors":[]}"#)).await;
        let _ = client(&server).accounts().get(1055).await.unwrap_err();
        // A 401 means the session token died: one new login and one repeat, no more.
        let expected = if status == 401 { 2 } else { 1 };
        assert_eq!(server.count(), expected, "status {status}");
    }
}

#[tokio::test]
async fn posts_are_never_retried_on_a_status() {
    for status in [429u16, 502, 503, 504] {
        let server =
            MockServer::start(move |_, _| json(status, r#"{"status":"0","errors":[]}"#)).await;
        let e = client(&server)
            .accounts()
            .withdraw_crypto(&withdraw())
            .await
            .unwrap_err();
        assert_eq!(
            server.count(),
            1,
            "status {status}: a POST that arrived is never re-sent"
        );
        assert_eq!(e.http_status(), Some(status));
    }
}

#[tokio::test]
async fn a_post_whose_connection_dropped_after_sending_is_not_retried() {
    let server = MockServer::start(|_, _| Reply::Drop).await;
    let e = client(&server)
        .accounts()
        .withdraw_crypto(&withdraw())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(e.cause().unwrap().kind(), ErrorKind::Transport, "{e}");
    assert_eq!(
        server.count(),
        1,
        "the server saw the withdrawal exactly once"
    );
    // The same failure on a GET is retried: reading twice is harmless.
    let server = MockServer::start(|_, _| Reply::Drop).await;
    let e = client(&server).accounts().get(1055).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_post_is_retried_when_the_connection_was_refused() {
    // Bind and drop: nothing listens on the port, so every connect is refused before a byte.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::builder()
        .username(USERNAME)
        .password(PASSWORD)
        .totp_secret(SECRET)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast())
        .build()
        .unwrap();
    // The login (a POST that moves nothing) and the withdrawal both fail to connect.
    match c.accounts().withdraw_crypto(&withdraw()).await.unwrap_err() {
        Error::Transport {
            attempts, message, ..
        } => {
            assert_eq!(
                attempts, 3,
                "connect failures are safe to retry, even for a POST"
            );
            assert!(message.contains("connection failed"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    let server = MockServer::start(|_, i| {
        if i == 0 {
            Reply::Respond(
                429,
                vec![("Retry-After", "1".into())],
                r#"{"status":"0","errors":[]}"#.into(),
            )
        } else {
            ok(ACCOUNT)
        }
    })
    .await;
    let started = Instant::now();
    client(&server).accounts().get(1055).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(990), "waited {waited:?}");
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start(|_, i| {
        if i == 0 {
            let when = httpdate_in(2);
            Reply::Respond(503, vec![("Retry-After", when)], "{}".into())
        } else {
            ok(ACCOUNT)
        }
    })
    .await;
    let started = Instant::now();
    client(&server).accounts().get(1055).await.unwrap();
    // HTTP dates have whole seconds: between 1 and 2 s from now.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(900), "waited {waited:?}");
    assert!(waited < Duration::from_secs(4), "waited {waited:?}");
}

fn httpdate_in(secs: u64) -> String {
    httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(secs))
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_is_returned_not_waited() {
    let server = MockServer::start(|_, _| {
        Reply::Respond(
            429,
            vec![("Retry-After", "3600".into())],
            r#"{"status":"0","errors":[]}"#.into(),
        )
    })
    .await;
    let started = Instant::now();
    let e = client(&server).accounts().get(1055).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn timeouts_retry_gets_but_not_posts() {
    let slow =
        |_: &support::Recorded, _| Reply::Delay(Duration::from_secs(5), Box::new(ok(ACCOUNT)));
    let server = MockServer::start(slow).await;
    let c = builder(&server)
        .attempt_timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let started = Instant::now();
    match c.accounts().get(1055).await.unwrap_err() {
        Error::Timeout {
            attempts, after, ..
        } => {
            assert_eq!(attempts, 3);
            assert_eq!(after, Duration::from_millis(150));
        }
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.count(), 3);

    let server = MockServer::start(slow).await;
    let c = builder(&server)
        .attempt_timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let e = c.accounts().withdraw_crypto(&withdraw()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(e.cause().unwrap().kind(), ErrorKind::Timeout);
    assert_eq!(
        server.count(),
        1,
        "a timed-out POST may have executed: never re-sent"
    );
}

#[tokio::test]
async fn per_call_options_override_the_client() {
    let server = MockServer::start(|_, _| json(503, "{}")).await;
    let c = client(&server);
    let once = c.with_options(
        RequestOptions::new()
            .max_retries(0)
            .header("X-Request-Id", "abc-1"),
    );
    let _ = once.accounts().get(1055).await.unwrap_err();
    assert_eq!(server.count(), 1);
    assert_eq!(server.requests()[0].header("x-request-id"), Some("abc-1"));
    // The original client keeps its settings.
    let _ = c.accounts().get(1055).await.unwrap_err();
    assert_eq!(server.count(), 4);
    assert_eq!(server.requests()[3].header("x-request-id"), None);

    let slow =
        MockServer::start(|_, _| Reply::Delay(Duration::from_millis(400), Box::new(ok(ACCOUNT))))
            .await;
    let c = builder(&slow)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let relaxed = c.with_options(RequestOptions::new().timeout(Duration::from_secs(3)));
    relaxed.accounts().get(1055).await.unwrap();
    // Credentials cannot be overridden per call.
    let e = c
        .with_options(RequestOptions::new().header("otp", "000000"))
        .accounts()
        .get(1)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
}

/// A code provider that counts its codes and lets the test choose the wait to the next one.
struct CountingCodes(Mutex<u32>);

impl CodeProvider for CountingCodes {
    fn code(&self) -> ibanera::Result<Secret> {
        let mut n = self.0.lock().unwrap();
        *n += 1;
        Ok(Secret::new(format!("{:06}", *n)))
    }
    fn until_next_code(&self) -> Option<Duration> {
        Some(Duration::from_millis(200))
    }
}

const OTP_REFUSED: &str = r#"{"status":"0","errors":[{"errorType":"Unauthorized","fieldName":"otp","messageCode":"Invalid"}]}"#;

#[tokio::test]
async fn a_refused_code_is_retried_once_with_the_next_code_even_for_a_post() {
    let server = MockServer::start(|_, i| {
        if i == 0 {
            json(401, OTP_REFUSED)
        } else {
            ok(WITHDRAWAL)
        }
    })
    .await;
    let c = builder(&server)
        .code_provider(Arc::new(CountingCodes(Mutex::new(0))))
        .build()
        .unwrap();
    let started = Instant::now();
    let w = c.accounts().withdraw_crypto(&withdraw()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "waited for the next step"
    );
    assert_eq!(w.amount.to_string(), "0.005");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    // Code 1 went to the login.
    assert_eq!(reqs[0].header("otp"), Some("000002"));
    assert_eq!(reqs[1].header("otp"), Some("000003"));

    // Only once: a second refusal is the caller's.
    let server = MockServer::start(|_, _| json(401, OTP_REFUSED)).await;
    let c = builder(&server)
        .code_provider(Arc::new(CountingCodes(Mutex::new(0))))
        .build()
        .unwrap();
    let e = c.accounts().withdraw_crypto(&withdraw()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(e.api_errors()[0].field_name.as_deref(), Some("otp"));
    let msg = e.to_string();
    assert!(
        msg.contains("two consecutive TOTP codes") && msg.contains("clock"),
        "{msg}"
    );
    assert_eq!(server.count(), 2);

    // A refused token is not a refused code: one new login, no wait for a new code, and a
    // second refusal is the caller's.
    let server = MockServer::start(|_, _| {
        json(
            401,
            r#"{"status":"0","errors":[{"fieldName":"Authorization","messageCode":"Invalid"}]}"#,
        )
    })
    .await;
    let started = Instant::now();
    let e = client(&server).accounts().get(1).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert!(e.to_string().contains("freshly issued"), "{e}");
    assert_eq!(server.count(), 2);
    assert_eq!(server.login_count(), 2);
}

#[tokio::test]
async fn each_error_kind_from_a_real_case() {
    let server = MockServer::start(|r, _| match r.query.first().map(|(_, v)| v.as_str()) {
        Some("400") => json(
            400,
            r#"{"id":0,"details":null,"status":"0","errors":[{"errorType":"BadRequest","fieldName":"Id","messageCode":"Invalid"}]}"#,
        ),
        Some("404") => json(404, r#"{"status":"0","errors":[{"fieldName":"Id","messageCode":"Not_Found"}]}"#),
        Some("403") => json(403, ""),
        Some("200") => json(200, "<html>maintenance</html>"),
        Some("201") => json(200, r#"{"details":{"id":"not a number"},"status":"1"}"#),
        _ => ok(ACCOUNT),
    })
    .await;
    let c = client(&server);
    let get = |id: i64| {
        let c = c.clone();
        async move { c.accounts().get(id).await.unwrap_err() }
    };
    let api = get(400).await;
    assert_eq!(api.kind(), ErrorKind::Api);
    assert_eq!(api.http_status(), Some(400));
    assert_eq!(
        api.api_errors()[0].message_code,
        ibanera::MessageCode::Invalid
    );
    let msg = api.to_string();
    assert!(
        msg.contains("GET /api/v1/customer/accounts/account")
            && msg.contains("Invalid")
            && msg.contains("Id"),
        "{msg}"
    );

    assert_eq!(get(404).await.kind(), ErrorKind::NotFound);
    assert_eq!(get(403).await.kind(), ErrorKind::Authentication);
    match get(200).await {
        Error::Decode {
            http_status,
            body_prefix,
            ..
        } => {
            assert_eq!(http_status, 200);
            assert_eq!(body_prefix, "<html>maintenance</html>");
        }
        other => panic!("{other:?}"),
    }
    let e = get(201).await;
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("details.id"), "{e}");

    // Validation: nothing is sent.
    let before = server.count();
    let bad = WithdrawCrypto::new(1057, Decimal::ZERO, "bc1q");
    let e = c.accounts().withdraw_crypto(&bad).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.validation().unwrap().field, "amount");
    let e = c.accounts().get(0).await.unwrap_err();
    assert_eq!(e.validation().unwrap().field, "id");
    assert_eq!(server.count(), before);

    // Configuration.
    let e = Client::builder()
        .username(USERNAME)
        .password(PASSWORD)
        .totp_secret("not base32!")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let e = Client::builder().totp_secret(SECRET).build().unwrap_err();
    assert!(e.to_string().contains("IBANERA_USERNAME"), "{e}");
    let e = Client::builder()
        .username(USERNAME)
        .password(PASSWORD)
        .totp_secret(SECRET)
        .base_url("http://api.example.com")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}

#[tokio::test]
async fn one_connection_is_reused() {
    let server = MockServer::start(|_, _| ok(ACCOUNT)).await;
    let c = client(&server);
    for _ in 0..5 {
        c.accounts().get(1055).await.unwrap();
    }
    // Clones share the pool.
    c.clone().accounts().get(1055).await.unwrap();
    assert_eq!(server.count(), 6);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn the_escape_hatch_calls_any_endpoint() {
    let server = MockServer::start(|_, _| {
        json(200, r#"{"id":7,"details":[{"payeesId":1011,"limit":12345.678900000000000001}],"pageNumber":1,"pageSize":10,"numberOfPages":1,"status":"1","errors":[]}"#)
    })
    .await;
    let c = client(&server);
    let body = serde_json::json!({"name": "x"});
    let env = c
        .request(
            Method::POST,
            "/api/v1/customer/payees/list",
            &[("CustomersId", "1004")],
            Some(&body),
        )
        .await
        .unwrap();
    assert_eq!(env.details[0]["payeesId"], 1011);
    // Exact digits survive (28+ digits, beyond f64).
    assert_eq!(
        env.details[0]["limit"].to_string(),
        "12345.678900000000000001"
    );
    assert_eq!(env.number_of_pages, Some(1));
    let r = &server.requests()[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/api/v1/customer/payees/list")
    );
    assert_eq!(r.query, vec![("CustomersId".into(), "1004".into())]);
    assert_eq!(r.body, r#"{"name":"x"}"#);
    assert!(r.header("otp").is_some());
    assert_eq!(
        server.count(),
        1,
        "a POST through the escape hatch is not retried either"
    );

    for bad in [
        "https://evil.example/steal",
        "//evil.example/x",
        "api/v1/x",
        "/x?y=1",
    ] {
        let e = c.request(Method::GET, bad, &[], None).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{bad}");
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn paging_walks_every_page_lazily() {
    // 25 transactions, page size 10: pages of 10, 10, 5.
    let server = MockServer::start(|r, _| {
        let page: u32 = r.query.iter().find(|(k, _)| k == "PageNumber").map(|(_, v)| v.parse().unwrap()).unwrap_or(1);
        let items: Vec<String> = ((page - 1) * 10 + 1..=(page * 10).min(25))
            .map(|i| format!(r#"{{"id":{i},"accountsId":1056,"amount":{i}.10,"bPending":false}}"#))
            .collect();
        json(
            200,
            &format!(
                r#"{{"details":[{}],"pageSize":10,"pageNumber":{page},"numberOfPages":3,"status":"1","errors":[]}}"#,
                items.join(",")
            ),
        )
    })
    .await;
    let c = client(&server);
    let query = ListTransactions {
        accounts_id: Some(1056),
        page_size: Some(10),
        ..Default::default()
    };

    let first = c.accounts().transactions(&query).await.unwrap();
    assert_eq!(
        (first.len(), first.page_number, first.number_of_pages),
        (10, Some(1), Some(3))
    );

    let items = c.accounts().transactions_pager(query.clone()).items();
    let mut items = Box::pin(items);
    let mut taken = Vec::new();
    for _ in 0..3 {
        taken.push(items.next().await.unwrap().unwrap());
    }
    assert_eq!(
        server.count(),
        2,
        "only the first page was fetched for three items"
    );
    while let Some(t) = items.next().await {
        taken.push(t.unwrap());
    }
    assert_eq!(taken.len(), 25);
    assert_eq!(
        taken.iter().map(|t| t.id).collect::<Vec<_>>(),
        (1..=25).collect::<Vec<_>>()
    );
    assert_eq!(taken[24].amount.to_string(), "25.10");
    assert_eq!(server.count(), 4);
    let pages: Vec<String> = server.requests()[1..]
        .iter()
        .map(|r| {
            r.query
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        })
        .collect();
    assert_eq!(
        pages,
        [
            "AccountsId=1056&PageSize=10",
            "AccountsId=1056&PageNumber=2&PageSize=10",
            "AccountsId=1056&PageNumber=3&PageSize=10"
        ],
        "filters are kept on every page"
    );
}

/// Collects log lines to check that no secret is logged.
struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        self.0.lock().unwrap().push(format!("{}", record.args()));
    }
    fn flush(&self) {}
}

static LOGS: Capture = Capture(Mutex::new(Vec::new()));

#[tokio::test]
async fn no_secret_in_debug_display_errors_or_logs() {
    let _ = log::set_logger(&LOGS);
    log::set_max_level(log::LevelFilter::Trace);
    let canary_password = "PASSWORD-CANARY-5b9f2e";
    let canary_secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // base32 of 12345678901234567890
    let server = MockServer::start(|r, i| match (r.method.as_str(), i) {
        (_, 0) => json(503, "{}"),
        (_, 1) => json(401, OTP_REFUSED),
        ("GET", _) => json(
            400,
            r#"{"status":"0","errors":[{"fieldName":"Id","messageCode":"Invalid"}]}"#,
        ),
        _ => Reply::Drop,
    })
    .await;
    let builder = Client::builder()
        .username(USERNAME)
        .password(canary_password)
        .totp_secret(canary_secret)
        .base_url(&server.url)
        .retry_policy(fast())
        .totp_step(1);
    let c = builder.clone().build().unwrap();
    let totp = Totp::new(canary_secret).unwrap();
    let mut texts = vec![
        format!("{builder:?}"),
        format!("{c:?}"),
        format!("{totp:?}"),
    ];
    let e = c.accounts().get(1055).await.unwrap_err();
    texts.push(format!("{e}"));
    texts.push(format!("{e:?}"));
    let e = c.accounts().withdraw_crypto(&withdraw()).await.unwrap_err();
    texts.push(format!("{e}"));
    texts.push(format!("{e:?}"));
    let codes: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.header("otp").map(String::from))
        .collect();
    assert!(codes.len() >= 3);
    texts.extend(LOGS.0.lock().unwrap().iter().cloned());
    assert!(
        texts.iter().any(|t| t.contains("refused the TOTP code")),
        "logs were captured"
    );
    for t in &texts {
        assert!(!t.contains(canary_password), "password leaked: {t}");
        assert!(!t.contains("tok-"), "token leaked: {t}");
        assert!(
            !t.contains(canary_secret) && !t.to_lowercase().contains(&canary_secret.to_lowercase()),
            "secret leaked: {t}"
        );
        for code in &codes {
            assert!(
                !t.contains(&format!("\"{code}\"")) && !t.contains(&format!(": {code}")),
                "code leaked: {t}"
            );
        }
    }
}

/// A runtime that no thread drives between calls (a current-thread runtime behind blocking
/// calls, as the Python binding and the CLI use) cannot notice that the server closed an idle
/// pooled connection. The next call must not be written to that connection: it would fail with
/// "connection closed before message completed", and a payment's caller could not tell whether
/// it ran. No retries here, so nothing can hide a dead connection.
#[test]
fn a_connection_the_server_closed_while_nobody_drove_the_runtime_is_not_reused() {
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let server = server_runtime.block_on(MockServer::start(|r, _| {
        let reply = if r.method == "POST" {
            ok(WITHDRAWAL)
        } else {
            ok(ACCOUNT)
        };
        Reply::ThenClose(Box::new(reply), Duration::from_millis(30))
    }));
    let client_runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let c = builder(&server)
        .retry_policy(RetryPolicy {
            max_retries: 0,
            ..fast()
        })
        .build()
        .unwrap();
    for _ in 0..3 {
        let account = client_runtime.block_on(c.accounts().get(1055)).unwrap();
        assert_eq!(account.total_balance.to_string(), "100.0");
        // Blocks the client's only thread: its runtime does not run while the server closes.
        std::thread::sleep(Duration::from_millis(150));
    }
    let tx = client_runtime
        .block_on(c.accounts().withdraw_crypto(&withdraw()))
        .unwrap();
    assert_eq!(tx.amount.to_string(), "0.005");
    let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["GET", "GET", "GET", "POST"]);
    assert_eq!(server.connections(), 4, "every call on a fresh connection");
}

/// The log hook gets the same records as the `log` facade, structured: method, path, status,
/// attempt, elapsed, retry reason and wait, logins; never a secret.
#[tokio::test]
async fn the_log_hook_receives_structured_records_without_secrets() {
    use ibanera::logging::{LogEvent, LogRecord};
    let records: Arc<Mutex<Vec<LogRecord>>> = Arc::default();
    let sink = records.clone();
    let server = MockServer::start(|_, i| if i == 0 { json(503, "{}") } else { ok(ACCOUNT) }).await;
    let c = builder(&server)
        .log_hook(Arc::new(move |r: &LogRecord| {
            sink.lock().unwrap().push(r.clone())
        }))
        .build()
        .unwrap();
    c.accounts().get(1055).await.unwrap();
    let records = records.lock().unwrap().clone();
    let events: Vec<LogEvent> = records.iter().map(|r| r.event).collect();
    assert_eq!(
        events,
        [
            LogEvent::Response,
            LogEvent::Login,
            LogEvent::Response,
            LogEvent::Retry,
            LogEvent::Response
        ],
        "{records:#?}"
    );
    let login = &records[1];
    assert_eq!(
        (login.method.as_str(), login.path.as_str()),
        ("POST", "/api/v1/public/auth/login")
    );
    let retry = &records[3];
    assert_eq!(retry.reason.as_deref(), Some("HTTP 503"));
    assert_eq!(retry.attempt, Some(1));
    assert!(retry.wait.is_some());
    let last = &records[4];
    assert_eq!(
        (last.status, last.attempt, last.path.as_str()),
        (Some(200), Some(2), "/api/v1/customer/accounts/account")
    );
    assert!(last.elapsed.is_some());
    for r in &records {
        let text = format!("{r:?}");
        assert!(
            !text.contains(PASSWORD) && !text.contains("tok-1"),
            "{text}"
        );
    }
}
