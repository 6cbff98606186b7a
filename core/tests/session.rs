//! The login session against a scripted server: the login's exact request, bearer tokens on
//! every call, lazy login, renewal before expiry, single flight, recovery from a refused token,
//! refused logins that are never tried again, and secrets that never show.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ibanera::accounts::WithdrawCrypto;
use ibanera::{Client, ClientBuilder, ErrorKind, MessageCode, Totp};
use support::{
    LOGIN_PATH, MockServer, PASSWORD, Recorded, Reply, SECRET, USERNAME, builder, json, ok,
};

const ACCOUNT: &str = r#"{"id":1055,"customersId":1004,"name":"USD","asset":"USD","totalBalance":100.0,"availableBalance":0.0,"pendingBalance":100.0,"bSuppressed":false}"#;
const WITHDRAWAL: &str = r#"{"id":1864,"accountsId":1057,"amount":0.005,"bPending":false}"#;
const TOKEN_REFUSED: &str = r#"{"id":0,"details":null,"status":"0","errors":[{"errorType":"Unauthorized","fieldName":"Authorization","messageCode":"Unauthorized"}]}"#;

fn withdraw() -> WithdrawCrypto {
    WithdrawCrypto::new(1057, "0.005".parse().unwrap(), "bc1qdestination")
}

fn login_with(token: &str, expires_in: u64) -> Reply {
    json(
        200,
        &format!(
            r#"{{"id":1004,"details":{{"accessToken":"{token}","expiresIn":{expires_in}}},"status":"1","errors":[]}}"#
        ),
    )
}

fn failed_login(status: u16, code: &str) -> Reply {
    json(
        status,
        &format!(
            r#"{{"id":0,"details":null,"status":"0","errors":[{{"errorType":"BadRequest","fieldName":"Username","messageCode":"{code}"}}]}}"#
        ),
    )
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A server that accepts only the token of the latest login (`tok-N`).
fn bearer_of(r: &Recorded) -> String {
    r.header("authorization").unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_login_request_is_exactly_what_the_page_documents() {
    let server = MockServer::start(|_, _| ok(ACCOUNT)).await;
    let c = builder(&server).build().unwrap();
    assert_eq!(server.login_count(), 0, "building a client sends nothing");
    let before = unix_now();
    c.accounts().get(1055).await.unwrap();
    let after = unix_now();
    let logins = server.logins();
    assert_eq!(logins.len(), 1);
    let l = &logins[0];
    assert_eq!((l.method.as_str(), l.path.as_str()), ("POST", LOGIN_PATH));
    assert_eq!(l.header("content-type"), Some("application/json"));
    assert_eq!(l.header("accept"), Some("application/json"));
    assert_eq!(
        l.header("authorization"),
        None,
        "the login carries no token"
    );
    let body: serde_json::Value = serde_json::from_str(&l.body).unwrap();
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(keys, ["username", "password", "otp"]);
    assert_eq!(body["username"], USERNAME);
    assert_eq!(body["password"], PASSWORD);
    let code = body["otp"].as_str().unwrap();
    let totp = Totp::new(SECRET).unwrap();
    assert!(
        (before..=after + 1).any(|t| totp.code_at(t).expose() == code),
        "a valid code of the shared secret"
    );
    // The call itself: bearer token and its own fresh code.
    let r = &server.requests()[0];
    assert_eq!(bearer_of(r), "Bearer tok-1");
    assert!(r.header("otp").is_some_and(|c| c.len() == 6));
    // Later calls reuse the session.
    c.accounts().get(1055).await.unwrap();
    c.clone().accounts().get(1055).await.unwrap();
    assert_eq!(server.login_count(), 1);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| bearer_of(r) == "Bearer tok-1")
    );
}

#[tokio::test]
async fn login_on_demand_reports_the_expiry_and_id_never_the_token() {
    let server =
        MockServer::start_with_login(|_, _| login_with("tok-secret-77", 900), |_, _| ok(ACCOUNT))
            .await;
    let c = builder(&server).build().unwrap();
    assert_eq!(c.session_info(), None);
    let started = SystemTime::now();
    let info = c.login().await.unwrap();
    assert_eq!(info.login_id, Some(1004));
    assert_eq!(info.expires_in, Some(Duration::from_secs(900)));
    let at: SystemTime = info.expires_at.unwrap().into();
    let lifetime = at.duration_since(started).unwrap();
    assert!(
        lifetime > Duration::from_secs(895) && lifetime <= Duration::from_secs(901),
        "{lifetime:?}"
    );
    assert!(!format!("{info:?}").contains("tok-secret"));
    assert_eq!(c.session_info(), Some(info));
    // A call after it uses that session; an explicit login always logs in again.
    c.accounts().get(1055).await.unwrap();
    assert_eq!(server.login_count(), 1);
    c.login().await.unwrap();
    assert_eq!(server.login_count(), 2);
}

#[tokio::test]
async fn a_short_lived_token_is_renewed_before_it_expires_without_a_failed_call() {
    // Tokens live 1 s; the server refuses an expired one, like the real service.
    let issued = Arc::new(std::sync::Mutex::new(Vec::<(String, Instant)>::new()));
    let (i1, i2) = (issued.clone(), issued.clone());
    let server = MockServer::start_with_login(
        move |_, n| {
            let token = format!("tok-{}", n + 1);
            i1.lock().unwrap().push((token.clone(), Instant::now()));
            login_with(&token, 1)
        },
        move |r, _| {
            let bearer = bearer_of(r);
            let live = i2.lock().unwrap().iter().any(|(t, at)| {
                bearer == format!("Bearer {t}") && at.elapsed() < Duration::from_secs(1)
            });
            if live {
                ok(ACCOUNT)
            } else {
                json(401, TOKEN_REFUSED)
            }
        },
    )
    .await;
    let c = builder(&server).build().unwrap();
    let started = Instant::now();
    let mut calls = 0;
    while started.elapsed() < Duration::from_millis(3500) {
        c.accounts().get(1055).await.unwrap();
        calls += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let refused = server.requests().len().saturating_sub(calls);
    assert_eq!(refused, 0, "no call was refused: renewed before expiry");
    let logins = server.login_count();
    assert!(
        (4..=6).contains(&logins),
        "one renewal per second: {logins}"
    );
}

#[tokio::test]
async fn calls_in_flight_share_one_login() {
    let logins = Arc::new(AtomicUsize::new(0));
    let l = logins.clone();
    let server = MockServer::start_with_login(
        move |_, n| {
            l.fetch_add(1, Ordering::SeqCst);
            // A slow login: every call arrives while it is in flight.
            Reply::Delay(
                Duration::from_millis(300),
                Box::new(login_with(&format!("tok-{}", n + 1), 1)),
            )
        },
        |_, _| ok(ACCOUNT),
    )
    .await;
    let c = builder(&server).build().unwrap();
    let run = |c: Client| async move {
        let calls: Vec<_> = (0..64)
            .map(|_| {
                let c = c.clone();
                tokio::spawn(async move { c.accounts().get(1055).await })
            })
            .collect();
        for call in calls {
            call.await.unwrap().unwrap();
        }
    };
    run(c.clone()).await;
    assert_eq!(server.login_count(), 1, "64 calls, one login");
    // The token (1 s) expires; 64 calls in flight then cause exactly one more login.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    run(c.clone()).await;
    assert_eq!(server.login_count(), 2);
    assert_eq!(server.count(), 128);
}

#[tokio::test]
async fn a_revoked_token_is_recovered_and_the_post_executed_once() {
    // Token 1 is revoked after the first call; the server executes only what it authenticates.
    let executed = Arc::new(AtomicUsize::new(0));
    let e = executed.clone();
    let server = MockServer::start(move |r, i| {
        if i > 0 && bearer_of(r) == "Bearer tok-1" {
            return json(401, TOKEN_REFUSED);
        }
        if r.method == "POST" {
            e.fetch_add(1, Ordering::SeqCst);
            ok(WITHDRAWAL)
        } else {
            ok(ACCOUNT)
        }
    })
    .await;
    let c = builder(&server).build().unwrap();
    c.accounts().get(1055).await.unwrap();
    let w = c.accounts().withdraw_crypto(&withdraw()).await.unwrap();
    assert_eq!(w.amount.to_string(), "0.005");
    assert_eq!(executed.load(Ordering::SeqCst), 1, "executed exactly once");
    assert_eq!(server.login_count(), 2);
    let bearers: Vec<String> = server.requests().iter().map(bearer_of).collect();
    assert_eq!(bearers, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn calls_refused_with_the_same_token_log_in_once() {
    // Every call in flight is refused with token 1; they all recover through one new login.
    let server = MockServer::start(move |r, _| {
        if bearer_of(r) == "Bearer tok-1" {
            Reply::Delay(
                Duration::from_millis(50),
                Box::new(json(401, TOKEN_REFUSED)),
            )
        } else {
            ok(ACCOUNT)
        }
    })
    .await;
    let c = builder(&server).build().unwrap();
    c.login().await.unwrap();
    let calls: Vec<_> = (0..32)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.accounts().get(1055).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(
        server.login_count(),
        2,
        "one login, then one re-login for all"
    );
}

#[tokio::test]
async fn wrong_credentials_are_tried_once_and_never_again() {
    let server = MockServer::start_with_login(
        |_, _| failed_login(400, "Username_Or_Password_Incorrect"),
        |_, _| ok(ACCOUNT),
    )
    .await;
    let c = builder(&server).build().unwrap();
    let e = c.accounts().get(1055).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication, "{e}");
    assert_eq!(
        e.api_errors()[0].message_code,
        MessageCode::UsernameOrPasswordIncorrect
    );
    assert_eq!(e.http_status(), Some(400));
    assert_eq!(server.login_count(), 1);
    assert_eq!(server.count(), 0);
    // Later calls (and an explicit login) send nothing at all.
    for _ in 0..5 {
        let e = c.accounts().get(1055).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Authentication);
        assert!(e.to_string().contains("nothing was sent"), "{e}");
        assert_eq!(
            e.api_errors()[0].message_code,
            MessageCode::UsernameOrPasswordIncorrect
        );
    }
    assert!(c.login().await.is_err());
    assert!(
        c.clone()
            .accounts()
            .withdraw_crypto(&withdraw())
            .await
            .is_err()
    );
    assert_eq!(server.login_count(), 1, "never re-tried");
    // New credentials: the next call tries them.
    c.set_credentials(USERNAME, "another-password");
    let _ = c.accounts().get(1055).await.unwrap_err();
    assert_eq!(server.login_count(), 2);
    let body: serde_json::Value = serde_json::from_str(&server.logins()[1].body).unwrap();
    assert_eq!(body["password"], "another-password");
}

#[tokio::test]
async fn every_refusal_code_and_status_is_an_authentication_error() {
    for code in [
        "Username_Or_Password_Incorrect",
        "Account_Not_Verified",
        "Account_Locked",
        "Account_Suppressed",
        "Required",
    ] {
        for status in [200u16, 400, 401] {
            let server = MockServer::start_with_login(
                move |_, _| failed_login(status, code),
                |_, _| ok(ACCOUNT),
            )
            .await;
            let c = builder(&server).build().unwrap();
            let e = c.accounts().get(1055).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Authentication, "{code} {status}: {e}");
            assert_eq!(e.api_errors()[0].message_code.as_str(), code);
            assert_eq!(e.http_status(), Some(status));
            assert_eq!(server.login_count(), 1, "{code} {status}");
        }
    }
}

#[tokio::test]
async fn a_login_refusing_the_code_waits_for_the_next_one_once() {
    let server = MockServer::start_with_login(
        |_, n| {
            if n == 0 {
                json(
                    400,
                    r#"{"status":"0","errors":[{"fieldName":"Otp","messageCode":"Invalid"}]}"#,
                )
            } else {
                login_with("tok-9", 3600)
            }
        },
        |_, _| ok(ACCOUNT),
    )
    .await;
    let c = builder(&server).totp_step(1).build().unwrap();
    c.accounts().get(1055).await.unwrap();
    let logins = server.logins();
    assert_eq!(logins.len(), 2);
    let code = |r: &Recorded| -> String {
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["otp"].as_str().unwrap().to_string()
    };
    assert_ne!(code(&logins[0]), code(&logins[1]), "a new step's code");
}

#[tokio::test]
async fn a_busy_login_is_retried_like_a_get() {
    let server = MockServer::start_with_login(
        |_, n| {
            if n == 0 {
                json(503, "{}")
            } else {
                login_with("tok-2", 3600)
            }
        },
        |_, _| ok(ACCOUNT),
    )
    .await;
    let c = builder(&server).build().unwrap();
    c.accounts().get(1055).await.unwrap();
    assert_eq!(server.login_count(), 2);
    // A transport failure of a login is not a refusal: the next call logs in again.
    let server = MockServer::start_with_login(|_, _| Reply::Drop, |_, _| ok(ACCOUNT)).await;
    let c = builder(&server).build().unwrap();
    let e = c.accounts().get(1055).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert_eq!(server.login_count(), 3, "retried like a GET");
    let _ = c.accounts().get(1055).await.unwrap_err();
    assert_eq!(server.login_count(), 6);
}

#[tokio::test]
async fn a_given_access_token_is_sent_and_never_renewed() {
    let server = MockServer::start(|r, _| {
        if bearer_of(r) == "Bearer given-tok" {
            ok(ACCOUNT)
        } else {
            json(401, TOKEN_REFUSED)
        }
    })
    .await;
    let c = Client::builder()
        .access_token("given-tok")
        .totp_secret(SECRET)
        .base_url(&server.url)
        .build()
        .unwrap();
    c.accounts().get(1055).await.unwrap();
    assert_eq!(server.login_count(), 0);
    assert_eq!(bearer_of(&server.requests()[0]), "Bearer given-tok");
    assert!(c.set_access_token("bad\ntoken").is_err());
    c.set_access_token("revoked-tok").unwrap();
    let e = c.accounts().get(1055).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert!(e.to_string().contains("give the client a new one"), "{e}");
    assert_eq!(server.login_count(), 0);
    assert_eq!(server.count(), 2, "no repeat without a way to log in");
    assert_eq!(
        c.login().await.unwrap_err().kind(),
        ErrorKind::Config,
        "nothing to log in with"
    );
}

#[tokio::test]
async fn a_leftover_api_key_says_what_to_pass_instead() {
    #[allow(deprecated)]
    let e = Client::builder()
        .api_key("k")
        .totp_secret(SECRET)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let msg = e.to_string();
    assert!(
        msg.contains("no longer used") && msg.contains("username") && msg.contains("password"),
        "{msg}"
    );
}

#[tokio::test]
async fn password_and_token_never_show_in_debug_errors_or_logs() {
    let canary_password = "pw-CANARY-8e1f";
    let canary_token = "tok-CANARY-77aa";
    let server = MockServer::start_with_login(
        move |_, n| {
            if n == 0 {
                login_with(canary_token, 3600)
            } else {
                // A proxy that echoes what it was sent.
                json(
                    502,
                    &format!("<html>bad gateway for {canary_password}</html>"),
                )
            }
        },
        // Echo the headers back in a broken body, as a misbehaving proxy would.
        |r, _| json(502, &format!("<html>{:?}</html>", r.headers)),
    )
    .await;
    let builder = builder(&server).password(canary_password);
    let c = builder.clone().build().unwrap();
    let mut texts = vec![format!("{builder:?}"), format!("{c:?}")];
    let e = c.accounts().get(1055).await.unwrap_err();
    texts.push(e.to_string());
    texts.push(format!("{e:?}"));
    let e = c.accounts().withdraw_crypto(&withdraw()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    texts.push(e.to_string());
    texts.push(format!("{e:?}"));
    texts.push(format!("{:?}", c.session_info()));
    assert!(
        server.requests()[0]
            .headers
            .values()
            .any(|v| v.contains(canary_token)),
        "the echo did carry the token"
    );
    for t in &texts {
        assert!(!t.contains(canary_password), "password leaked: {t}");
        assert!(!t.contains(canary_token), "token leaked: {t}");
    }
}

#[tokio::test]
async fn a_password_echoed_in_a_later_answer_is_scrubbed() {
    let canary = "pw-ECHO-CANARY-91";
    let server = MockServer::start(move |_, _| {
        // A misbehaving gateway that echoes the login body it saw earlier.
        json(
            502,
            &format!(r#"<html>{{"username":"api-user","password":"{canary}"}}</html>"#),
        )
    })
    .await;
    let c = builder(&server)
        .password(canary)
        .max_retries(0)
        .build()
        .unwrap();
    let e = c.accounts().get(1055).await.unwrap_err();
    assert!(format!("{e} {e:?}").contains("***"), "{e}");
    assert!(!format!("{e} {e:?}").contains(canary), "{e:?}");
}

#[test]
fn credentials_set_on_the_builder_win_over_the_environment_kind_by_kind() {
    // SAFETY of the environment: this test binary's other tests do not read IBANERA_*.
    unsafe {
        std::env::set_var("IBANERA_USERNAME", "env-user");
        std::env::set_var("IBANERA_PASSWORD", "env-password");
        std::env::set_var("IBANERA_TOTP_SECRET", SECRET);
    }
    let token = ClientBuilder::from_env().access_token("tok").build();
    assert!(
        token.is_ok(),
        "an explicit token replaces the environment's password"
    );
    let password = ClientBuilder::from_env().password("explicit").build();
    assert!(
        password.is_ok(),
        "an explicit password pairs with the environment's username"
    );
    unsafe {
        std::env::set_var("IBANERA_ACCESS_TOKEN", "env-tok");
    }
    let e = ClientBuilder::from_env().build().unwrap_err();
    assert!(e.to_string().contains("not both"), "{e}");
    assert!(ClientBuilder::from_env().username("u").build().is_ok());
    unsafe {
        for v in [
            "IBANERA_USERNAME",
            "IBANERA_PASSWORD",
            "IBANERA_TOTP_SECRET",
            "IBANERA_ACCESS_TOKEN",
        ] {
            std::env::remove_var(v);
        }
    }
}
