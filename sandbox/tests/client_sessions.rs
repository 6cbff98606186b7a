//! The core client's login session against the sandbox, which logs users in, expires and
//! revokes tokens and locks users like the real service: renewal across a short token
//! lifetime, one login for many calls in flight, recovery from a revoked token with the POST
//! executed once, wrong, locked and suppressed users.

mod support;

use std::time::{Duration, Instant};

use ibanera::exchanges::BuyRequest;
use ibanera::{ErrorKind, MessageCode};
use ibanera_sandbox::{Sandbox, SandboxConfig, seed};
use support::builder;

async fn sandbox_with_ttl(ttl: Duration) -> Sandbox {
    Sandbox::start_with(SandboxConfig {
        token_ttl: Some(ttl),
        ..Default::default()
    })
    .await
    .unwrap()
}

fn buy() -> BuyRequest {
    BuyRequest::by_price(
        seed::MANAGER_CUSTOMER_ID,
        "BTC/USDC",
        "100".parse().unwrap(),
    )
}

const BUY: &str = "POST /api/v1/customer/crypto-exchanges/buy";

#[tokio::test]
async fn calls_across_a_two_second_token_renew_without_a_failed_call() {
    let sandbox = sandbox_with_ttl(Duration::from_secs(2)).await;
    let c = builder(&sandbox).build().unwrap();
    let started = Instant::now();
    let mut calls = 0;
    while started.elapsed() < Duration::from_millis(5500) {
        c.accounts().get(seed::MANAGER_USD_ACCOUNT).await.unwrap();
        calls += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stats = sandbox.control().auth_stats();
    assert_eq!(stats.logins_failed, 0);
    // One login per token lifetime (renewed at 90% of it): 3 or 4 in 5.5 s.
    assert!(
        (3..=4).contains(&stats.logins_succeeded),
        "{} logins for {calls} calls",
        stats.logins_succeeded
    );
}

#[tokio::test]
async fn sixty_four_calls_in_flight_when_the_token_expires_cause_one_login() {
    let sandbox = sandbox_with_ttl(Duration::from_secs(1)).await;
    let c = builder(&sandbox).build().unwrap();
    c.login().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let calls: Vec<_> = (0..64)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.accounts().get(seed::MANAGER_USD_ACCOUNT).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let stats = sandbox.control().auth_stats();
    assert_eq!(
        stats.logins_succeeded, 2,
        "the first login and exactly one renewal"
    );
    assert_eq!(stats.logins_failed, 0);
}

#[tokio::test]
async fn a_revoked_token_mid_run_is_recovered_with_the_post_executed_once() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = builder(&sandbox).build().unwrap();
    c.accounts().get(seed::MANAGER_USD_ACCOUNT).await.unwrap();
    sandbox.control().revoke_tokens();
    let exchange = c.exchanges().buy(&buy()).await.unwrap();
    assert_eq!(exchange.status, ibanera::ExchangeStatus::WaitingForApproval);
    assert_eq!(sandbox.control().executions().get(BUY), Some(&1));
    assert_eq!(sandbox.control().auth_stats().logins_succeeded, 2);
}

#[tokio::test]
async fn a_wrong_password_is_tried_once_and_later_calls_send_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = builder(&sandbox)
        .password("not-the-password")
        .build()
        .unwrap();
    let e = c
        .accounts()
        .get(seed::MANAGER_USD_ACCOUNT)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(
        e.api_errors()[0].message_code,
        MessageCode::UsernameOrPasswordIncorrect
    );
    for _ in 0..10 {
        let e = c.exchanges().buy(&buy()).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Authentication);
    }
    let stats = sandbox.control().auth_stats();
    assert_eq!((stats.logins_failed, stats.logins_succeeded), (1, 0));
    assert!(
        stats.locked_users.is_empty(),
        "one attempt cannot lock anyone"
    );
    assert!(sandbox.control().executions().is_empty());
}

#[tokio::test]
async fn locked_unverified_and_suppressed_users_surface_their_codes() {
    let sandbox = Sandbox::start().await.unwrap();
    // Five wrong passwords (five clients: one client never tries twice) lock the user.
    for _ in 0..5 {
        let c = builder(&sandbox).password("wrong").build().unwrap();
        let _ = c.login().await.unwrap_err();
    }
    let e = builder(&sandbox)
        .build()
        .unwrap()
        .login()
        .await
        .unwrap_err();
    assert_eq!(e.api_errors()[0].message_code, MessageCode::AccountLocked);
    sandbox.control().unlock();
    builder(&sandbox).build().unwrap().login().await.unwrap();

    for (username, code) in [
        (seed::UNVERIFIED_USERNAME, MessageCode::AccountNotVerified),
        (seed::SUPPRESSED_USERNAME, MessageCode::AccountSuppressed),
    ] {
        let e = builder(&sandbox)
            .username(username)
            .build()
            .unwrap()
            .accounts()
            .get(seed::MANAGER_USD_ACCOUNT)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Authentication, "{username}");
        assert_eq!(e.api_errors()[0].message_code, code, "{username}");
    }
}
