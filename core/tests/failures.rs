//! Failure semantics (`docs/failures.md`): the one "outcome unknown" signal for POSTs that may
//! have executed, whole-call deadlines, bounded responses, stale keep-alive connections.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ibanera::accounts::WithdrawCrypto;
use ibanera::totp::CodeProvider;
use ibanera::{ClientBuilder, ErrorKind, RequestOptions, RetryPolicy, Secret};
use support::{MockServer, Reply, json, ok};

const ACCOUNT: &str = r#"{"id":1055,"customersId":1004,"name":"USD","asset":"USD","totalBalance":100.0,"availableBalance":0.0,"pendingBalance":100.0,"bSuppressed":false}"#;
const WITHDRAWAL: &str = r#"{"id":1864,"accountsId":1057,"amount":0.005,"bPending":false}"#;
const GATEWAY_HTML: &str = "<html><head><title>504 Gateway Time-out</title></head></html>";

fn fast() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(60),
    }
}

fn builder(server: &MockServer) -> ClientBuilder {
    support::builder(server).retry_policy(fast())
}

fn withdraw() -> WithdrawCrypto {
    WithdrawCrypto::new(1057, "0.005".parse().unwrap(), "bc1qdestination")
}

/// A named case: what the server answers after executing, and the kind expected.
type Case = (&'static str, fn() -> Reply, ErrorKind);

/// A server whose POSTs execute (counted) and then answer with `after_execute`.
async fn executing(after_execute: fn() -> Reply) -> (MockServer, Arc<AtomicUsize>) {
    let executed = Arc::new(AtomicUsize::new(0));
    let e = executed.clone();
    let server = MockServer::start(move |r, _| {
        if r.method == "POST" {
            e.fetch_add(1, Ordering::SeqCst);
            after_execute()
        } else {
            ok(ACCOUNT)
        }
    })
    .await;
    (server, executed)
}

#[tokio::test]
async fn every_way_a_post_can_end_after_it_was_sent_is_outcome_unknown() {
    let cases: [Case; 6] = [
        ("cut after write", || Reply::Drop, ErrorKind::Transport),
        (
            "malformed body after execution",
            || json(200, r#"{"id":0,"details":{"id":18"#),
            ErrorKind::Decode,
        ),
        (
            "HTML page with 200",
            || json(200, "<html>ok</html>"),
            ErrorKind::Decode,
        ),
        (
            "gateway 504 while the API executes",
            || json(504, GATEWAY_HTML),
            ErrorKind::Decode,
        ),
        (
            "gateway 502 JSON without items",
            || json(502, "{}"),
            ErrorKind::Api,
        ),
        (
            "500 envelope without items",
            || json(500, r#"{"status":"0","errors":[]}"#),
            ErrorKind::Api,
        ),
    ];
    for (name, reply, cause) in cases {
        let (server, executed) = executing(reply).await;
        let e = builder(&server)
            .build()
            .unwrap()
            .accounts()
            .withdraw_crypto(&withdraw())
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{name}: {e}");
        assert!(e.outcome_unknown());
        assert_eq!(e.cause().unwrap().kind(), cause, "{name}: {e}");
        let msg = e.to_string();
        assert!(
            msg.contains("may have executed") && msg.contains("before repeating"),
            "{name}: {msg}"
        );
        assert!(
            msg.contains("POST /api/v1/customer/accounts/crypto/withdraw"),
            "{msg}"
        );
        let sent = e.sent().unwrap();
        assert_eq!(sent["accountsId"], 1057);
        assert_eq!(sent["amount"].to_string(), "0.005");
        assert_eq!(executed.load(Ordering::SeqCst), 1, "{name}: executed once");
        assert_eq!(server.count(), 1, "{name}: never re-sent");
    }
}

#[tokio::test]
async fn errors_that_prove_nothing_executed_stay_what_they_are() {
    let cases: [Case; 4] = [
        (
            "envelope status 0",
            || {
                json(
                    200,
                    r#"{"status":"0","errors":[{"fieldName":"Screening","messageCode":"Transaction_Blocked"}]}"#,
                )
            },
            ErrorKind::Api,
        ),
        (
            "4xx with items",
            || {
                json(
                    400,
                    r#"{"status":"0","errors":[{"fieldName":"Amount","messageCode":"Invalid"}]}"#,
                )
            },
            ErrorKind::Api,
        ),
        ("429", || json(429, "{}"), ErrorKind::RateLimited),
        (
            "5xx with the API's items",
            || {
                json(
                    500,
                    r#"{"status":"0","errors":[{"fieldName":"","messageCode":"InternalServerError"}]}"#,
                )
            },
            ErrorKind::Api,
        ),
    ];
    for (name, reply, kind) in cases {
        let (server, _) = executing(reply).await;
        let e = builder(&server)
            .build()
            .unwrap()
            .accounts()
            .withdraw_crypto(&withdraw())
            .await
            .unwrap_err();
        assert_eq!(e.kind(), kind, "{name}: {e}");
        assert!(!e.outcome_unknown());
        assert_eq!(server.count(), 1);
    }
    // A GET's failures are never "unknown": reading changes nothing.
    let server = MockServer::start(|_, _| json(504, GATEWAY_HTML)).await;
    let e = builder(&server)
        .build()
        .unwrap()
        .accounts()
        .get(1)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(server.count(), 3, "retried");
}

#[tokio::test]
async fn the_timeout_bounds_the_whole_call() {
    // Every attempt stalls; plenty of retries: the deadline ends it.
    let server =
        MockServer::start(|_, _| Reply::Delay(Duration::from_secs(30), Box::new(ok(ACCOUNT))))
            .await;
    let c = builder(&server)
        .max_retries(10)
        .timeout(Duration::from_millis(600))
        .attempt_timeout(Duration::from_millis(250))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c.accounts().get(1055).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(took >= Duration::from_millis(550), "{took:?}");
    assert!(
        took < Duration::from_millis(600 + 400),
        "within the deadline: {took:?}"
    );
    assert!(server.count() <= 3, "{}", server.count());

    // Backoff counts too: a long backoff that would outlive the deadline is not waited.
    let server = MockServer::start(|_, _| json(503, "{}")).await;
    let c = builder(&server)
        .retry_policy(RetryPolicy {
            max_retries: 5,
            initial_backoff: Duration::from_secs(20),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
        })
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let _ = c.accounts().get(1055).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(700));
}

#[tokio::test]
async fn a_retry_after_longer_than_what_is_left_fails_at_once() {
    let server = MockServer::start(|_, _| {
        Reply::Respond(429, vec![("Retry-After", "10".into())], "{}".into())
    })
    .await;
    let c = builder(&server)
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c.accounts().get(1055).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(10)));
    assert_eq!(server.count(), 1);
    // Within the deadline it is waited.
    let server = MockServer::start(|_, i| {
        if i == 0 {
            Reply::Respond(429, vec![("Retry-After", "0.3".into())], "{}".into())
        } else {
            ok(ACCOUNT)
        }
    })
    .await;
    let started = Instant::now();
    builder(&server)
        .build()
        .unwrap()
        .accounts()
        .get(1055)
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
}

/// Codes that the server always refuses, with a chosen wait to the next one.
struct Refused(Duration);

impl CodeProvider for Refused {
    fn code(&self) -> ibanera::Result<Secret> {
        Ok(Secret::new("000000"))
    }
    fn until_next_code(&self) -> Option<Duration> {
        Some(self.0)
    }
}

const OTP_REFUSED: &str =
    r#"{"status":"0","errors":[{"fieldName":"otp","messageCode":"Invalid"}]}"#;

#[tokio::test]
async fn the_code_wait_counts_against_the_deadline() {
    let server = MockServer::start(|_, _| json(401, OTP_REFUSED)).await;
    let c = builder(&server)
        .code_provider(Arc::new(Refused(Duration::from_secs(20))))
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c.accounts().get(1055).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(800),
        "failed fast"
    );
    assert_eq!(e.kind(), ErrorKind::Authentication);
    let msg = e.to_string();
    assert!(
        msg.contains("after this call's deadline") && msg.contains("clock"),
        "{msg}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_slow_login_counts_against_the_deadline() {
    let server = MockServer::start_with_login(
        |_, _| Reply::Delay(Duration::from_secs(30), Box::new(json(200, "{}"))),
        |_, _| ok(ACCOUNT),
    )
    .await;
    let c = builder(&server)
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = c.accounts().get(1055).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn the_per_attempt_limit_is_its_own_setting() {
    let server = MockServer::start(|_, i| {
        if i == 0 {
            Reply::Delay(Duration::from_secs(10), Box::new(ok(ACCOUNT)))
        } else {
            ok(ACCOUNT)
        }
    })
    .await;
    let c = builder(&server)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let quick = c.with_options(RequestOptions::new().attempt_timeout(Duration::from_millis(200)));
    let started = Instant::now();
    quick.accounts().get(1055).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        server.count(),
        2,
        "the stalled attempt was given up and retried"
    );
}

#[tokio::test]
async fn a_body_beyond_the_limit_is_refused_with_bounded_memory() {
    // Announced too large: refused before reading.
    let server = MockServer::start(|_, _| Reply::Huge(Some(200 * 1024 * 1024))).await;
    let c = builder(&server).max_retries(0).build().unwrap();
    let started = Instant::now();
    let e = c.accounts().get(1055).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResponseLimit, "{e}");
    assert!(e.to_string().contains("larger than 67108864 bytes"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // Endless (chunked): read up to the limit, then stopped.
    let server = MockServer::start(|_, _| Reply::Huge(None)).await;
    let c = builder(&server)
        .max_response_bytes(4 * 1024 * 1024)
        .max_retries(0)
        .build()
        .unwrap();
    let e = c.accounts().get(1055).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResponseLimit, "{e}");
    // Per call.
    let e = c
        .with_options(RequestOptions::new().max_response_bytes(64 * 1024))
        .accounts()
        .get(1055)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("larger than 65536 bytes"), "{e}");
    // For a POST the response limit leaves the outcome open.
    let (server, executed) = executing(|| Reply::Huge(None)).await;
    let e = builder(&server)
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap()
        .accounts()
        .withdraw_crypto(&withdraw())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    assert_eq!(e.cause().unwrap().kind(), ErrorKind::ResponseLimit);
    assert_eq!(executed.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn json_nested_beyond_the_limit_is_a_typed_error() {
    let deep = format!(
        r#"{{"id":0,"details":{}1{},"status":"1","errors":[]}}"#,
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let server = MockServer::start(move |_, _| json(200, &deep)).await;
    let e = builder(&server)
        .build()
        .unwrap()
        .accounts()
        .get(1055)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResponseLimit, "{e}");
    assert!(e.to_string().contains("nested deeper than 128"), "{e}");
}

#[tokio::test]
async fn an_item_reported_with_success_is_kept() {
    let server = MockServer::start(|_, _| {
        json(
            200,
            r#"{"id":0,"details":[{"a":1}],"status":"1","errors":[{"fieldName":"PageSize","messageCode":"Capped"}]}"#,
        )
    })
    .await;
    let c = builder(&server).build().unwrap();
    let env = c
        .request(ibanera::Method::GET, "/api/v1/x", &[], None)
        .await
        .unwrap();
    assert_eq!(env.warnings.len(), 1);
    assert_eq!(env.warnings[0].message_code.as_str(), "Capped");
    assert_eq!(env.warnings[0].field_name.as_deref(), Some("PageSize"));
}

/// A server that closes keep-alive connections idle for 200 ms, POSTs spaced so that many
/// arrive around that moment: with the client keeping idle connections for less than that,
/// none is written to a connection the server is closing, so none is lost or left unknown.
#[tokio::test]
async fn posts_against_a_server_closing_idle_connections_lose_none() {
    let executed = Arc::new(AtomicUsize::new(0));
    let e = executed.clone();
    let server = MockServer::start_with_idle_timeout(Duration::from_millis(200), move |r, _| {
        if r.method == "POST" {
            e.fetch_add(1, Ordering::SeqCst);
        }
        ok(WITHDRAWAL)
    })
    .await;
    let c = builder(&server)
        .pool_idle_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let posts = 300;
    let mut failed = Vec::new();
    for i in 0..posts {
        if let Err(e) = c.accounts().withdraw_crypto(&withdraw()).await {
            failed.push(format!("{i}: {e}"));
        }
        // 0..260 ms: many gaps straddle the server's 200 ms.
        tokio::time::sleep(Duration::from_millis(fastrand::u64(0..260))).await;
    }
    assert!(failed.is_empty(), "{} lost: {failed:?}", failed.len());
    assert_eq!(executed.load(Ordering::SeqCst), posts);
    assert!(
        server.connections() > 1,
        "the server did close idle connections"
    );
}
