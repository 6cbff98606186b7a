use ibanera_sandbox::{Sandbox, SandboxConfig, SandboxError};
use reqwest::Method;
use serde_json::json;

use crate::common::*;

async fn balances_with(t: &T, key: Option<&str>, otp: Option<String>) -> (u16, serde_json::Value) {
    let mut rb = t.http.get(t.url(BALANCES));
    if let Some(k) = key {
        rb = rb.header("Authorization", k);
    }
    if let Some(o) = otp {
        rb = rb.header("otp", o);
    }
    T::reply(rb.send().await.unwrap_or_else(|e| panic!("{e}"))).await
}

#[tokio::test]
async fn key_and_otp_are_checked() {
    let t = T::new().await;
    let key = t.sb.api_key().to_string();
    assert_eq!(balances_with(&t, Some(&key), Some(t.code(0))).await.0, 200);
    // A code of the next step is inside the window.
    assert_eq!(balances_with(&t, Some(&key), Some(t.code(1))).await.0, 200);

    for bad_key in [None, Some("wrong"), Some(&*format!("Bearer {key}"))] {
        let r = balances_with(&t, bad_key, Some(t.code(0))).await;
        assert_error(&r, 401, "Authorization", "Invalid");
        assert_eq!(errors(&r.1)[0].0, "Unauthorized");
    }
    let stale = [
        None,
        Some(t.code(-2)),
        Some(t.code(3)),
        Some("12345".into()),
        Some("abcdef".into()),
    ];
    for otp in stale {
        let r = balances_with(&t, Some(&key), otp.clone()).await;
        assert_error(&r, 401, "otp", "Invalid");
        assert_eq!(
            errors(&r.1)[0],
            ("Unauthorized".into(), "otp".into(), "Invalid".into())
        );
    }
}

#[tokio::test]
async fn refused_requests_are_not_executed() {
    let t = T::new().await;
    let resp = t
        .http
        .post(t.url(BUY))
        .header("Authorization", t.sb.api_key())
        .header("otp", t.code(-3))
        .header("Content-Type", "application/json")
        .body(json!({"customersId": 1004, "assetPair": "BTC/USDC", "quantityType": "Amount", "amount": 0.1}).to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_error(&T::reply(resp).await, 401, "otp", "Invalid");
    assert!(t.executions().await.is_empty());
    t.assert_balance(
        1056,
        "50000.000000000000000000",
        "50000.000000000000000000",
        "0.000000000000000000",
    )
    .await;
}

#[tokio::test]
async fn strict_mode_refuses_a_reused_code() {
    let t = T::new().await;
    let key = t.sb.api_key().to_string();
    // Not strict: the same code twice is fine.
    let c = t.code(0);
    assert_eq!(balances_with(&t, Some(&key), Some(c.clone())).await.0, 200);
    assert_eq!(balances_with(&t, Some(&key), Some(c)).await.0, 200);

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
    assert_eq!(balances_with(&t, Some(&key), Some(c.clone())).await.0, 200);
    let r = balances_with(&t, Some(&key), Some(c)).await;
    assert_error(&r, 401, "otp", "Invalid");
    // The client's recovery: the next step's code is accepted, once.
    let next = t.code(1);
    assert_eq!(
        balances_with(&t, Some(&key), Some(next.clone())).await.0,
        200
    );
    assert_error(
        &balances_with(&t, Some(&key), Some(next)).await,
        401,
        "otp",
        "Invalid",
    );

    t.sb.control().set_strict_otp(false);
    let r = t.ctl(Method::GET, "/_sandbox/config", None).await;
    assert_eq!(ok(&r)["strictOtp"], json!(false));
}

#[tokio::test]
async fn strict_mode_from_config() {
    let t = T::with(SandboxConfig {
        strict_otp: true,
        ..SandboxConfig::default()
    })
    .await;
    let key = t.sb.api_key().to_string();
    let c = t.code(0);
    assert_eq!(balances_with(&t, Some(&key), Some(c.clone())).await.0, 200);
    assert_error(
        &balances_with(&t, Some(&key), Some(c)).await,
        401,
        "otp",
        "Invalid",
    );
}

#[tokio::test]
async fn configured_credentials() {
    let t = T::with(SandboxConfig {
        port: 0,
        api_key: Some("my-key".into()),
        totp_secret: Some("jbsw y3dp ehpk 3pxp====".into()),
        strict_otp: false,
    })
    .await;
    assert_eq!(t.sb.api_key(), "my-key");
    assert_eq!(t.sb.totp_secret(), "JBSWY3DPEHPK3PXP");
    assert!(t.sb.base_url().starts_with("http://127.0.0.1:"));
    assert_eq!(t.sb.base_url(), format!("http://127.0.0.1:{}", t.sb.port()));
    let totp = totp_for("JBSWY3DPEHPK3PXP");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let r = balances_with(&t, Some("my-key"), Some(totp.generate(now).to_string())).await;
    assert_eq!(r.0, 200);
    let debug = format!("{:?}", t.sb);
    assert!(
        !debug.contains("my-key") && !debug.contains("JBSWY3DPEHPK3PXP"),
        "{debug}"
    );
    let cfg = SandboxConfig {
        api_key: Some("secret-key".into()),
        ..SandboxConfig::default()
    };
    assert!(!format!("{cfg:?}").contains("secret-key"));
}

#[tokio::test]
async fn random_credentials_and_bad_config() {
    let a = Sandbox::start().await.unwrap_or_else(|e| panic!("{e}"));
    let b = Sandbox::start().await.unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(a.api_key(), b.api_key());
    assert_ne!(a.totp_secret(), b.totp_secret());
    assert_ne!(a.base_url(), b.base_url());
    // 20 random bytes = 32 base32 characters, no padding.
    assert_eq!(a.totp_secret().len(), 32);
    assert!(totp_rs::Secret::try_from_base32(a.totp_secret()).is_ok());

    for cfg in [
        SandboxConfig {
            totp_secret: Some("not base32!".into()),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            totp_secret: Some("  ".into()),
            ..SandboxConfig::default()
        },
        SandboxConfig {
            api_key: Some(String::new()),
            ..SandboxConfig::default()
        },
    ] {
        let err = Sandbox::start_with(cfg).await.err();
        assert!(matches!(err, Some(SandboxError::Config { .. })), "{err:?}");
        assert!(
            err.map(|e| e.to_string())
                .unwrap_or_default()
                .starts_with("invalid ")
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
