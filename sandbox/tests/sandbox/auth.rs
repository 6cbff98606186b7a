use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ibanera_sandbox::{AuthStats, Sandbox, SandboxConfig, SandboxError, seed};
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

/// A balances call with exactly these `Authorization` and `otp` headers.
async fn balances_with(
    t: &T,
    authorization: Option<&str>,
    otp: Option<String>,
) -> (u16, serde_json::Value) {
    let mut rb = t.http.get(t.url(BALANCES));
    if let Some(a) = authorization {
        rb = rb.header("Authorization", a);
    }
    if let Some(o) = otp {
        rb = rb.header("otp", o);
    }
    T::reply(rb.send().await.unwrap_or_else(|e| panic!("{e}"))).await
}

/// The error envelope of a refused login naming one field.
fn login_error(field: &str, code: &str) -> Value {
    json!({"id": 0, "details": null, "status": "0",
           "errors": [{"errorType": "BadRequest", "fieldName": field, "messageCode": code}]})
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    k.sort();
    k
}

async fn stats_over_http(t: &T) -> Value {
    ok(&t.ctl(Method::GET, "/_sandbox/auth", None).await).clone()
}

/// A sandbox whose login counters start at zero (the login `T` makes is forgotten; its
/// token stays valid).
async fn fresh() -> T {
    let t = T::new().await;
    t.sb.control().reset();
    t
}

#[tokio::test]
async fn login_reply_has_the_documented_shape() {
    let t = T::with(SandboxConfig {
        token_ttl: Some(Duration::from_secs(7)),
        ..SandboxConfig::default()
    })
    .await;
    let r = t.login(t.sb.username(), t.sb.password(), &t.code(0)).await;
    let details = ok(&r).clone();
    assert_eq!(keys(&r.1), ["details", "errors", "id", "status"]);
    assert_eq!(r.1["id"], json!(seed::MANAGER_CUSTOMER_ID));
    assert_eq!(
        keys(&details),
        [
            "accessToken",
            "expiresIn",
            "refreshToken",
            "refreshTokenExpiresIn"
        ]
    );
    assert_eq!(details["expiresIn"], json!(7));
    assert!(details["refreshTokenExpiresIn"].is_u64(), "{details}");
    let token = text(&details["accessToken"]);
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    for p in &parts {
        assert!(
            !p.is_empty() && URL_SAFE_NO_PAD.decode(p).is_ok(),
            "{token}"
        );
    }
    assert_ne!(token, t.token, "every login gets its own token");
    assert_ne!(text(&details["refreshToken"]), token);
    // The new token works like the first one.
    let r = balances_with(&t, Some(&format!("Bearer {token}")), Some(t.code(0))).await;
    ok(&r);

    // Keys match ignoring case; the default lifetime is 3600 s.
    let t = T::new().await;
    let r = t
        .login_body(
            json!({"USERNAME": t.sb.username(), "Password": t.sb.password(), "oTp": t.code(0)}),
        )
        .await;
    assert_eq!(ok(&r)["expiresIn"], json!(3600));
    assert_eq!(seed::DEFAULT_TOKEN_TTL, Duration::from_secs(3600));
    assert_eq!(t.sb.username(), seed::DEFAULT_USERNAME);
}

#[tokio::test]
async fn each_login_failure_names_its_field_and_code() {
    let t = fresh().await;
    let (user, pass) = (t.sb.username().to_string(), t.sb.password().to_string());
    let cases: Vec<(Value, Value)> = vec![
        (
            json!({}),
            json!({"id": 0, "details": null, "status": "0", "errors": [
                {"errorType": "BadRequest", "fieldName": "Username", "messageCode": "Required"},
                {"errorType": "BadRequest", "fieldName": "Password", "messageCode": "Required"},
                {"errorType": "BadRequest", "fieldName": "Otp", "messageCode": "Required"},
            ]}),
        ),
        (
            json!({"username": "  ", "password": pass, "otp": t.code(0)}),
            login_error("Username", "Required"),
        ),
        (
            json!({"username": user, "password": "", "otp": t.code(0)}),
            login_error("Password", "Required"),
        ),
        (
            json!({"username": user, "password": pass, "otp": null}),
            login_error("Otp", "Required"),
        ),
        (
            json!({"username": 1004, "password": pass, "otp": t.code(0)}),
            login_error("Username", "Invalid"),
        ),
        (
            json!({"username": "nobody", "password": pass, "otp": t.code(0)}),
            login_error("Username", "Username_Or_Password_Incorrect"),
        ),
        // The password is taken as sent, surrounding spaces included.
        (
            json!({"username": user, "password": format!(" {pass}"), "otp": t.code(0)}),
            login_error("Username", "Username_Or_Password_Incorrect"),
        ),
        // The same reply for a wrong password: it does not tell which was wrong.
        (
            json!({"username": user, "password": format!("{pass}x"), "otp": t.code(0)}),
            login_error("Username", "Username_Or_Password_Incorrect"),
        ),
        (
            json!({"username": user, "password": pass, "otp": t.code(-3)}),
            login_error("Otp", "Invalid"),
        ),
        (
            json!({"username": user, "password": pass, "otp": "abcdef"}),
            login_error("Otp", "Invalid"),
        ),
    ];
    for (body, expected) in &cases {
        let r = t.login_body(body.clone()).await;
        assert_eq!((r.0, &r.1), (400, expected), "login {body}");
    }
    let resp = t
        .http
        .post(t.url(LOGIN))
        .body("{not json")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(T::reply(resp).await, (400, login_error("Body", "Invalid")));
    // A GET is not a login.
    let resp = t
        .http
        .get(t.url(LOGIN))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(resp.status().as_u16(), 405);

    // Four of the refusals were failed attempts of the API user (two wrong passwords, two
    // wrong codes): it is not locked, and the counters saw every refused login.
    let stats = t.sb.control().auth_stats();
    assert_eq!(
        stats,
        AuthStats {
            logins_succeeded: 0,
            logins_failed: cases.len() as u64 + 1,
            active_tokens: 1,
            locked_users: vec![],
        }
    );
    ok(&t.login(&user, &pass, &t.code(0)).await);
}

#[tokio::test]
async fn five_failures_lock_the_user_until_unlocked() {
    let t = fresh().await;
    let (user, pass) = (t.sb.username().to_string(), t.sb.password().to_string());
    assert_eq!(seed::MAX_FAILED_LOGINS, 5);
    assert_eq!(seed::LOCKOUT, Duration::from_secs(600));
    // Wrong passwords and a wrong code both count.
    for i in 0..seed::MAX_FAILED_LOGINS {
        let r = if i == 2 {
            t.login(&user, &pass, &t.code(-3)).await
        } else {
            t.login(&user, "wrong", &t.code(0)).await
        };
        assert_eq!(r.0, 400, "{}", r.1);
        assert_ne!(errors(&r.1)[0].2, "Account_Locked", "attempt {}", i + 1);
    }
    assert_eq!(t.sb.control().auth_stats().locked_users, vec![user.clone()]);
    // The 6th attempt, with the right password and code, is refused.
    let r = t.login(&user, &pass, &t.code(0)).await;
    assert_eq!(
        (r.0, r.1.clone()),
        (400, login_error("Username", "Account_Locked"))
    );
    // The lock is checked before the password.
    let r = t.login(&user, "wrong", &t.code(0)).await;
    assert_eq!(r.1, login_error("Username", "Account_Locked"));
    // A token issued before keeps working: the lock is about logging in.
    ok(&t.get(BALANCES).await);
    assert_eq!(
        stats_over_http(&t).await,
        json!({"loginsSucceeded": 0, "loginsFailed": 7, "activeTokens": 1, "lockedUsers": [user]})
    );

    let r = t.ctl(Method::POST, "/_sandbox/auth/unlock", None).await;
    assert_eq!(ok(&r)["lockedUsers"], json!([]));
    ok(&t.login(&user, &pass, &t.code(0)).await);
    assert_eq!(
        stats_over_http(&t).await,
        json!({"loginsSucceeded": 1, "loginsFailed": 7, "activeTokens": 2, "lockedUsers": []})
    );

    // In process too; unlock also forgets a run in progress.
    for _ in 0..seed::MAX_FAILED_LOGINS {
        t.login(&user, "wrong", &t.code(0)).await;
    }
    assert_eq!(t.sb.control().auth_stats().locked_users, vec![user.clone()]);
    t.sb.control().unlock();
    for _ in 1..seed::MAX_FAILED_LOGINS {
        t.login(&user, "wrong", &t.code(0)).await;
    }
    t.sb.control().unlock();
    t.login(&user, "wrong", &t.code(0)).await;
    assert!(t.sb.control().auth_stats().locked_users.is_empty());
    ok(&t.login(&user, &pass, &t.code(0)).await);
}

#[tokio::test]
async fn a_success_resets_the_run_and_runs_are_per_user() {
    let t = fresh().await;
    let (user, pass) = (t.sb.username().to_string(), t.sb.password().to_string());
    for _ in 0..2 {
        for _ in 1..seed::MAX_FAILED_LOGINS {
            let r = t.login(&user, "wrong", &t.code(0)).await;
            assert_eq!(
                r.1,
                login_error("Username", "Username_Or_Password_Incorrect")
            );
        }
        ok(&t.login(&user, &pass, &t.code(0)).await);
    }
    assert!(t.sb.control().auth_stats().locked_users.is_empty());

    // Unknown usernames lock nobody.
    for _ in 0..2 * seed::MAX_FAILED_LOGINS {
        t.login("nobody", &pass, &t.code(0)).await;
    }
    assert!(t.sb.control().auth_stats().locked_users.is_empty());

    // Locking another user leaves the API user alone.
    for _ in 0..seed::MAX_FAILED_LOGINS {
        t.login(seed::UNVERIFIED_USERNAME, "wrong", &t.code(0))
            .await;
    }
    let r = t.login(seed::UNVERIFIED_USERNAME, &pass, &t.code(0)).await;
    assert_eq!(r.1, login_error("Username", "Account_Locked"));
    assert_eq!(
        t.sb.control().auth_stats().locked_users,
        vec![seed::UNVERIFIED_USERNAME.to_string()]
    );
    ok(&t.login(&user, &pass, &t.code(0)).await);
    let stats = t.sb.control().auth_stats();
    let failed = 2 * (seed::MAX_FAILED_LOGINS - 1) + 3 * seed::MAX_FAILED_LOGINS + 1;
    assert_eq!(
        (stats.logins_succeeded, stats.logins_failed),
        (3, u64::from(failed))
    );
}

#[tokio::test]
async fn unverified_and_suppressed_users_are_refused_after_their_credentials() {
    let t = fresh().await;
    let pass = t.sb.password().to_string();
    for (user, code) in [
        (seed::UNVERIFIED_USERNAME, "Account_Not_Verified"),
        (seed::SUPPRESSED_USERNAME, "Account_Suppressed"),
    ] {
        // More refusals than the lock needs: the account state is not a failed attempt.
        for _ in 0..=seed::MAX_FAILED_LOGINS {
            let r = t.login(user, &pass, &t.code(0)).await;
            assert_eq!((r.0, r.1.clone()), (400, login_error("Username", code)));
        }
        // Credentials are checked first.
        let r = t.login(user, "wrong", &t.code(0)).await;
        assert_eq!(
            r.1,
            login_error("Username", "Username_Or_Password_Incorrect")
        );
        let r = t.login(user, &pass, &t.code(-3)).await;
        assert_eq!(r.1, login_error("Otp", "Invalid"));
    }
    let stats = t.sb.control().auth_stats();
    assert!(stats.locked_users.is_empty(), "{stats:?}");
    assert_eq!(stats.logins_succeeded, 0);
    assert_eq!(stats.active_tokens, 1);
}

#[tokio::test]
async fn api_calls_need_a_live_bearer_token() {
    let t = T::new().await;
    ok(&balances_with(&t, Some(&t.bearer()), Some(t.code(0))).await);
    // The scheme is case-insensitive (RFC 7235).
    let lower = format!("bearer {}", t.token);
    ok(&balances_with(&t, Some(&lower), Some(t.code(0))).await);

    let unknown = {
        let mut parts: Vec<String> = t.token.split('.').map(str::to_string).collect();
        parts[2] = URL_SAFE_NO_PAD.encode([7u8; 32]);
        parts.join(".")
    };
    let refused = [
        None,
        Some(t.token.clone()),
        Some(format!("Basic {}", t.token)),
        Some("Bearer".to_string()),
        Some("Bearer ".to_string()),
        Some(format!("Bearer {unknown}")),
        Some(format!("Bearer {}x", t.token)),
    ];
    for auth in &refused {
        let mut rb = t.http.get(t.url(BALANCES)).header("otp", t.code(0));
        if let Some(a) = auth {
            rb = rb.header("Authorization", a);
        }
        let resp = rb.send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            resp.headers()
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok()),
            Some("Bearer"),
            "{auth:?}"
        );
        let r = T::reply(resp).await;
        assert_eq!(
            (r.0, errors(&r.1)),
            (
                401,
                vec![(
                    "Unauthorized".into(),
                    "Authorization".into(),
                    "Invalid".into()
                )]
            ),
            "{auth:?}"
        );
    }
    // The token is checked before the code: both wrong names Authorization.
    let r = balances_with(&t, Some("Bearer nope"), Some("000000".into())).await;
    assert_error(&r, 401, "Authorization", "Invalid");
}

#[tokio::test]
async fn tokens_expire_at_the_lifetime_they_were_issued_with() {
    let t = T::new().await;
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/config",
            Some(json!({"tokenTtl": 1})),
        )
        .await;
    assert_eq!(ok(&r)["tokenTtl"], json!(1));
    assert_eq!(t.sb.control().token_ttl(), Duration::from_secs(1));
    let r = t.login(t.sb.username(), t.sb.password(), &t.code(0)).await;
    assert_eq!(ok(&r)["expiresIn"], json!(1));
    let short = format!("Bearer {}", text(&ok(&r)["accessToken"]));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let r = balances_with(&t, Some(&short), Some(t.code(0))).await;
    assert_error(&r, 401, "Authorization", "Invalid");
    // The token issued before the change keeps its 3600 s.
    ok(&t.get(BALANCES).await);
    assert_eq!(t.sb.control().auth_stats().active_tokens, 1);
}

#[tokio::test]
async fn token_lifetime_settings() {
    let t = T::new().await;
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/config",
            Some(json!({"tokenTtl": 0.5})),
        )
        .await;
    assert_eq!(text(&ok(&r)["tokenTtl"]), "0.5");
    assert_eq!(t.sb.control().token_ttl(), Duration::from_millis(500));
    let r = t.ctl(Method::GET, "/_sandbox/config", None).await;
    assert_eq!(
        ok(&r),
        &json!({"strictOtp": false, "tokenTtl": 0.5, "idleTimeoutMs": 30000,
                "holdWithdrawals": false, "webhookRetryBaseMs": 1000, "webhookMaxAttempts": 8,
                "webhookTimeoutMs": 10000})
    );
    // `expiresIn` is an integer: half a second reads as 1, never 0.
    let r = t.login(t.sb.username(), t.sb.password(), &t.code(0)).await;
    assert_eq!(ok(&r)["expiresIn"], json!(1));

    t.sb.control()
        .set_token_ttl(Duration::from_secs(2))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = t.login(t.sb.username(), t.sb.password(), &t.code(0)).await;
    assert_eq!(ok(&r)["expiresIn"], json!(2));
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/config",
            Some(json!({"tokenTtl": "90"})),
        )
        .await;
    assert_eq!(ok(&r)["tokenTtl"], json!(90));

    // Refused values change nothing, not even the other settings of the same request.
    for bad in [json!(0), json!(-1), json!("abc"), json!(true), json!(1e12)] {
        let r = t
            .ctl(
                Method::POST,
                "/_sandbox/config",
                Some(json!({"strictOtp": true, "tokenTtl": bad})),
            )
            .await;
        assert_error(&r, 400, "TokenTtl", "Invalid");
    }
    assert!(!t.sb.control().strict_otp());
    assert_eq!(t.sb.control().token_ttl(), Duration::from_secs(90));
    for bad in [Duration::ZERO, Duration::from_secs(400_000_000)] {
        let err = t.sb.control().set_token_ttl(bad).err();
        assert!(matches!(err, Some(SandboxError::Invalid { .. })), "{err:?}");
    }
}

#[tokio::test]
async fn revoked_tokens_stop_working() {
    let t = fresh().await;
    let second = t.fresh_token().await;
    assert_eq!(t.sb.control().auth_stats().active_tokens, 2);
    let r = t.ctl(Method::POST, "/_sandbox/auth/revoke", None).await;
    assert_eq!(ok(&r)["activeTokens"], json!(0));
    for token in [t.token.clone(), second] {
        let r = balances_with(&t, Some(&format!("Bearer {token}")), Some(t.code(0))).await;
        assert_error(&r, 401, "Authorization", "Invalid");
    }
    // A new login works; in-process revocation too.
    let third = t.fresh_token().await;
    ok(&balances_with(&t, Some(&format!("Bearer {third}")), Some(t.code(0))).await);
    t.sb.control().revoke_tokens();
    let r = balances_with(&t, Some(&format!("Bearer {third}")), Some(t.code(0))).await;
    assert_error(&r, 401, "Authorization", "Invalid");
    assert_eq!(
        t.sb.control().auth_stats(),
        AuthStats {
            logins_succeeded: 2,
            logins_failed: 0,
            active_tokens: 0,
            locked_users: vec![],
        }
    );
}

#[tokio::test]
async fn reset_clears_login_state_but_keeps_tokens() {
    let t = T::new().await;
    let (user, pass) = (t.sb.username().to_string(), t.sb.password().to_string());
    for _ in 0..seed::MAX_FAILED_LOGINS {
        t.login(&user, "wrong", &t.code(0)).await;
    }
    t.login("nobody", "x", &t.code(0)).await;
    assert_eq!(
        t.sb.control().auth_stats(),
        AuthStats {
            logins_succeeded: 1,
            logins_failed: u64::from(seed::MAX_FAILED_LOGINS) + 1,
            active_tokens: 1,
            locked_users: vec![user.clone()],
        }
    );
    ok(&t.ctl(Method::POST, "/_sandbox/reset", None).await);
    assert_eq!(
        stats_over_http(&t).await,
        json!({"loginsSucceeded": 0, "loginsFailed": 0, "activeTokens": 1, "lockedUsers": []})
    );
    // The token of before the reset still works, and the lock is gone.
    ok(&t.get(BALANCES).await);
    ok(&t.login(&user, &pass, &t.code(0)).await);
    // A failure run is forgotten too: four failures after a reset do not add to four before.
    for _ in 1..seed::MAX_FAILED_LOGINS {
        t.login(&user, "wrong", &t.code(0)).await;
    }
    t.sb.control().reset();
    for _ in 1..seed::MAX_FAILED_LOGINS {
        t.login(&user, "wrong", &t.code(0)).await;
    }
    assert!(t.sb.control().auth_stats().locked_users.is_empty());
}

#[tokio::test]
async fn the_otp_header_is_still_checked_after_the_token() {
    let t = T::new().await;
    let bearer = t.bearer();
    // A code of the next step is inside the window.
    ok(&balances_with(&t, Some(&bearer), Some(t.code(1))).await);
    let stale = [
        None,
        Some(t.code(-2)),
        Some(t.code(3)),
        Some("12345".into()),
        Some("abcdef".into()),
    ];
    for otp in stale {
        let r = balances_with(&t, Some(&bearer), otp.clone()).await;
        assert_eq!(
            (r.0, errors(&r.1)),
            (
                401,
                vec![("Unauthorized".into(), "otp".into(), "Invalid".into())]
            ),
            "{otp:?}"
        );
    }
}

#[tokio::test]
async fn refused_requests_are_not_executed() {
    let t = T::new().await;
    let body = json!({"customersId": 1004, "assetPair": "BTC/USDC", "quantityType": "Amount", "amount": 0.1}).to_string();
    let attempts = [
        (Some(t.bearer()), t.code(-3), "otp"),
        (None, t.code(0), "Authorization"),
        (Some(t.token.clone()), t.code(0), "Authorization"),
    ];
    for (auth, otp, field) in attempts {
        let mut rb = t
            .http
            .post(t.url(BUY))
            .header("otp", otp)
            .header("Content-Type", "application/json")
            .body(body.clone());
        if let Some(a) = auth {
            rb = rb.header("Authorization", a);
        }
        let resp = rb.send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_error(&T::reply(resp).await, 401, field, "Invalid");
    }
    assert!(t.executions().await.is_empty());
    t.sb.control().revoke_tokens();
    assert_error(
        &t.post(BUY, json!({})).await,
        401,
        "Authorization",
        "Invalid",
    );
    assert!(t.executions().await.is_empty());
    assert!(t.sb.control().executions().is_empty());
    // A login is not an execution either.
    let token = t.fresh_token().await;
    assert!(!token.is_empty());
    assert!(t.executions().await.is_empty());
}

#[tokio::test]
async fn strict_mode_refuses_a_reused_code() {
    let t = T::new().await;
    let bearer = t.bearer();
    // Not strict: the same code twice is fine.
    let c = t.code(0);
    ok(&balances_with(&t, Some(&bearer), Some(c.clone())).await);
    ok(&balances_with(&t, Some(&bearer), Some(c)).await);

    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/config",
            Some(json!({"strictOtp": true})),
        )
        .await;
    assert_eq!(ok(&r)["strictOtp"], json!(true));
    assert!(t.sb.control().strict_otp());
    let c = t.code(0);
    ok(&balances_with(&t, Some(&bearer), Some(c.clone())).await);
    let r = balances_with(&t, Some(&bearer), Some(c)).await;
    assert_error(&r, 401, "otp", "Invalid");
    // The client's recovery: the next step's code is accepted, once.
    let next = t.code(1);
    ok(&balances_with(&t, Some(&bearer), Some(next.clone())).await);
    assert_error(
        &balances_with(&t, Some(&bearer), Some(next)).await,
        401,
        "otp",
        "Invalid",
    );

    t.sb.control().set_strict_otp(false);
    let r = t.ctl(Method::GET, "/_sandbox/config", None).await;
    assert_eq!(ok(&r)["strictOtp"], json!(false));
}

#[tokio::test]
async fn strict_mode_applies_to_the_login_too() {
    let sb = Sandbox::start_with(SandboxConfig {
        strict_otp: true,
        ..SandboxConfig::default()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let totp = totp_for(sb.totp_secret());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let code = totp.generate(now).to_string();
    let next = totp.generate(now + 30).to_string();
    let http = http_client();
    let login = |otp: String| {
        let body = json!({"username": sb.username(), "password": sb.password(), "otp": otp});
        let req = http
            .post(format!("{}{LOGIN}", sb.base_url()))
            .body(body.to_string());
        async move { T::reply(req.send().await.unwrap_or_else(|e| panic!("{e}"))).await }
    };
    let r = login(code.clone()).await;
    let token = text(&ok(&r)["accessToken"]);
    // The login used up the step: neither a second login nor a call may reuse it.
    assert_eq!(login(code.clone()).await.1, login_error("Otp", "Invalid"));
    let call = |otp: String| {
        let req = http
            .get(format!("{}{BALANCES}", sb.base_url()))
            .header("Authorization", format!("Bearer {token}"))
            .header("otp", otp);
        async move { T::reply(req.send().await.unwrap_or_else(|e| panic!("{e}"))).await }
    };
    assert_error(&call(code).await, 401, "otp", "Invalid");
    ok(&call(next.clone()).await);
    assert_error(&call(next).await, 401, "otp", "Invalid");
    let stats = sb.control().auth_stats();
    assert_eq!((stats.logins_succeeded, stats.logins_failed), (1, 1));
}

#[tokio::test]
async fn configured_credentials() {
    let t = T::with(SandboxConfig {
        port: 0,
        username: Some("my-user".into()),
        password: Some("my secret pass".into()),
        totp_secret: Some("jbsw y3dp ehpk 3pxp====".into()),
        token_ttl: Some(Duration::from_secs(42)),
        idle_timeout: Some(Duration::from_secs(5)),
        strict_otp: false,
        ..SandboxConfig::default()
    })
    .await;
    assert_eq!(t.sb.username(), "my-user");
    assert_eq!(t.sb.password(), "my secret pass");
    assert_eq!(t.sb.totp_secret(), "JBSWY3DPEHPK3PXP");
    assert_eq!(t.sb.control().token_ttl(), Duration::from_secs(42));
    assert_eq!(t.sb.control().idle_timeout(), Duration::from_secs(5));
    assert!(t.sb.base_url().starts_with("http://127.0.0.1:"));
    assert_eq!(t.sb.base_url(), format!("http://127.0.0.1:{}", t.sb.port()));
    let totp = totp_for("JBSWY3DPEHPK3PXP");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let r = t
        .login("my-user", "my secret pass", &totp.generate(now).to_string())
        .await;
    assert_eq!(ok(&r)["expiresIn"], json!(42));
    // The seeded users share the configured password.
    let r = t
        .login(seed::SUPPRESSED_USERNAME, "my secret pass", &t.code(0))
        .await;
    assert_eq!(r.1, login_error("Username", "Account_Suppressed"));
    // The default username is no longer a user.
    let r = t
        .login(seed::DEFAULT_USERNAME, "my secret pass", &t.code(0))
        .await;
    assert_eq!(
        r.1,
        login_error("Username", "Username_Or_Password_Incorrect")
    );

    let debug = format!("{:?}", t.sb);
    assert!(
        !debug.contains("my secret pass") && !debug.contains("JBSWY3DPEHPK3PXP"),
        "{debug}"
    );
    let cfg = SandboxConfig {
        password: Some("secret-pass".into()),
        totp_secret: Some("JBSWY3DPEHPK3PXP".into()),
        ..SandboxConfig::default()
    };
    let debug = format!("{cfg:?}");
    assert!(
        !debug.contains("secret-pass") && !debug.contains("JBSWY3DPEHPK3PXP"),
        "{debug}"
    );
}

#[tokio::test]
async fn random_credentials_and_bad_config() {
    let a = Sandbox::start().await.unwrap_or_else(|e| panic!("{e}"));
    let b = Sandbox::start().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.username(), seed::DEFAULT_USERNAME);
    assert_ne!(a.password(), b.password());
    assert_ne!(a.totp_secret(), b.totp_secret());
    assert_ne!(a.base_url(), b.base_url());
    // `sbx-` and 12 random bytes in hex.
    let hex = a.password().strip_prefix("sbx-").unwrap_or_default();
    assert_eq!(hex.len(), 24, "{}", a.password());
    assert!(hex.bytes().all(|c| c.is_ascii_hexdigit()), "{hex}");
    // 20 random bytes = 32 base32 characters, no padding.
    assert_eq!(a.totp_secret().len(), 32);
    assert!(totp_rs::Secret::try_from_base32(a.totp_secret()).is_ok());

    let bad_configs = [
        SandboxConfig {
            totp_secret: Some("not base32!".into()),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            totp_secret: Some("  ".into()),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            username: Some(String::new()),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            username: Some(" padded".into()),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            username: Some(seed::UNVERIFIED_USERNAME.into()),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            username: Some(seed::SUPPRESSED_USERNAME.into()),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            password: Some(String::new()),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            password: Some("line\nbreak".into()),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            token_ttl: Some(Duration::ZERO),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            idle_timeout: Some(Duration::ZERO),
            ..SandboxConfig::default()
        },
    ];
    for cfg in bad_configs {
        let shown = format!("{cfg:?}");
        let err = Sandbox::start_with(cfg).await.err();
        assert!(
            matches!(err, Some(SandboxError::Config { .. })),
            "{shown}: {err:?}"
        );
        assert!(
            err.map(|e| e.to_string())
                .unwrap_or_default()
                .starts_with("invalid "),
            "{shown}"
        );
    }
    // The port is taken: a Bind error naming the address.
    let port = a.port();
    let err = Sandbox::start_with(SandboxConfig {
        port,
        ..SandboxConfig::default()
    })
    .await
    .err();
    assert!(matches!(err, Some(SandboxError::Bind { .. })), "{err:?}");
    assert!(
        err.map(|e| e.to_string())
            .unwrap_or_default()
            .contains(&format!("127.0.0.1:{port}"))
    );
    a.shutdown().await;
    drop(b);
}

#[tokio::test]
async fn banner_and_env_lines() {
    let sb = Sandbox::start_with(SandboxConfig {
        password: Some("it's a $secret".into()),
        token_ttl: Some(Duration::from_millis(1500)),
        ..SandboxConfig::default()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let banner = sb.banner();
    for line in [
        format!("Ibanera sandbox listening on {}", sb.base_url()),
        format!("Username:       {}", sb.username()),
        format!("Password:       {}", sb.password()),
        format!("TOTP secret:    {}", sb.totp_secret()),
        "Token lifetime: 1.5 s".to_string(),
    ] {
        assert!(banner.lines().any(|l| l == line), "{line:?} in\n{banner}");
    }
    assert!(banner.ends_with(&sb.env_lines()), "{banner}");
    let env = sb.env_lines();
    let lines: Vec<&str> = env.lines().collect();
    let names: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("export ")?.split('=').next())
        .collect();
    assert_eq!(
        names,
        [
            "IBANERA_BASE_URL",
            "IBANERA_USERNAME",
            "IBANERA_PASSWORD",
            "IBANERA_TOTP_SECRET"
        ]
    );
    assert!(
        lines.contains(&format!("export IBANERA_USERNAME={}", seed::DEFAULT_USERNAME).as_str())
    );
    // A shell reads back every value exactly, the quoted password included.
    let script = format!(
        "{}printf '%s\\n' \"$IBANERA_BASE_URL\" \"$IBANERA_USERNAME\" \"$IBANERA_PASSWORD\" \"$IBANERA_TOTP_SECRET\"",
        sb.env_lines()
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap_or_else(|e| panic!("sh: {e}"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "{}\n{}\n{}\n{}\n",
            sb.base_url(),
            sb.username(),
            sb.password(),
            sb.totp_secret()
        )
    );
    // Strict mode is announced.
    sb.control().set_strict_otp(true);
    assert!(sb.banner().contains("Strict OTP:"));
}

#[tokio::test]
async fn shutdown_and_drop_stop_the_server() {
    let sb = Sandbox::start().await.unwrap_or_else(|e| panic!("{e}"));
    let url = format!("{}{BALANCES}", sb.base_url());
    let http = http_client();
    assert!(http.get(&url).send().await.is_ok());
    sb.shutdown().await;
    assert!(http.get(&url).send().await.is_err());

    let sb = Sandbox::start().await.unwrap_or_else(|e| panic!("{e}"));
    let url = format!("{}{BALANCES}", sb.base_url());
    drop(sb);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(http_client().get(&url).send().await.is_err());
}
