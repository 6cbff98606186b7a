//! The core client (`ibanera`) driven against the sandbox through whole flows: buys and sells
//! through every state, withdrawals blocked and allowed, paging to the end, ledger sums, and
//! every injected fault surfacing as the right error kind with no POST executed twice.

mod support;

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use ibanera::accounts::{
    BalancesQuery, CreateAccount, ListAccounts, ListTransactions, WithdrawCrypto,
};
use ibanera::exchanges::{BuyRequest, ConfirmSell, ListExchanges, QuoteRequest, SellRequest};
use ibanera::{
    Client, Decimal, ErrorKind, ExchangeStatus, ExchangeType, MessageCode, QuantityType,
    RequestOptions, RetryPolicy, TransferType,
};
use ibanera_sandbox::{Fault, Sandbox, SandboxConfig, seed};
use support::d;

fn client(sandbox: &Sandbox) -> Client {
    support::builder(sandbox)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(5),
        })
        .build()
        .unwrap()
}

/// (total, available, pending) of an account, checking total = available + pending.
async fn balance(c: &Client, account: i64) -> (Decimal, Decimal, Decimal) {
    let a = c.accounts().get(account).await.unwrap();
    assert_eq!(
        a.total_balance,
        a.available_balance + a.pending_balance,
        "account {account}"
    );
    (a.total_balance, a.available_balance, a.pending_balance)
}

/// The sum of an account's transactions in each status, read through the client.
async fn ledger(c: &Client, account: i64) -> (Decimal, Decimal) {
    let q = ListTransactions {
        accounts_id: Some(account),
        page_size: Some(100),
        ..Default::default()
    };
    let mut items = Box::pin(c.accounts().transactions_pager(q).items());
    let (mut completed, mut pending) = (Decimal::ZERO, Decimal::ZERO);
    while let Some(t) = items.next().await {
        let t = t.unwrap();
        let details = c.accounts().transaction(t.id).await.unwrap();
        assert_eq!(details.amount, t.amount);
        match details.transaction_status.as_deref() {
            Some("Completed") => completed += t.amount,
            Some("Pending") => pending += t.amount,
            Some("Failed") => {}
            other => panic!("transaction {} status {other:?}", t.id),
        }
    }
    (completed, pending)
}

/// Balances agree with the transactions: total = completed sum, pending = -(pending sum).
async fn assert_ledger(c: &Client, account: i64) {
    let (total, available, pending) = balance(c, account).await;
    let (completed, on_hold) = ledger(c, account).await;
    assert_eq!(
        total, completed,
        "account {account}: total = sum of completed transactions"
    );
    assert_eq!(
        pending, -on_hold,
        "account {account}: pending = held amounts"
    );
    assert_eq!(available, completed + on_hold, "account {account}");
}

#[tokio::test]
async fn a_buy_through_approval_to_completion_moves_exactly_the_quoted_money() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    let quote = c
        .exchanges()
        .quote(&QuoteRequest {
            customers_id: 1004,
            payees_id: None,
            asset_pair: "BTC/USDC".into(),
            quantity_type: QuantityType::Amount,
            exchange_type: ExchangeType::Buy,
            transfer_type: None,
            price: None,
            amount: Some(d("0.1")),
        })
        .await
        .unwrap();
    assert_eq!(quote.price, d("6036"));
    assert_eq!(quote.commission_fee, Some(d("30")));
    assert_eq!(quote.network_fee, Some(d("6")));

    let usdc_before = balance(&c, seed::MANAGER_USDC_ACCOUNT).await;
    let btc_before = balance(&c, seed::MANAGER_BTC_ACCOUNT).await;
    let buy = c
        .exchanges()
        .buy(&BuyRequest::by_amount(1004, "BTC/USDC", d("0.1")))
        .await
        .unwrap();
    assert_eq!(buy.status, ExchangeStatus::WaitingForApproval);
    assert_eq!(buy.exchange_type, ExchangeType::Buy);

    // Reserved: available down by the quoted price, total unchanged.
    let held = balance(&c, seed::MANAGER_USDC_ACCOUNT).await;
    assert_eq!(held.0, usdc_before.0);
    assert_eq!(held.1, usdc_before.1 - quote.price);
    assert_eq!(held.2, quote.price);
    assert_ledger(&c, seed::MANAGER_USDC_ACCOUNT).await;

    assert_eq!(
        sandbox.control().approve(buy.id).unwrap().to_string(),
        "Pending"
    );
    let listed = c
        .exchanges()
        .list(&ListExchanges {
            customers_id: Some(1004),
            status: Some(ExchangeStatus::Pending),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        listed.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![buy.id]
    );

    sandbox.control().complete(buy.id).unwrap();
    let usdc_after = balance(&c, seed::MANAGER_USDC_ACCOUNT).await;
    let btc_after = balance(&c, seed::MANAGER_BTC_ACCOUNT).await;
    assert_eq!(usdc_after.0, usdc_before.0 - d("6036"));
    assert_eq!(usdc_after.2, Decimal::ZERO);
    assert_eq!(btc_after.0, btc_before.0 + d("0.1"));
    assert_eq!(
        usdc_after.0.to_string(),
        "43964.000000000000000000",
        "digit for digit"
    );
    assert_ledger(&c, seed::MANAGER_USDC_ACCOUNT).await;
    assert_ledger(&c, seed::MANAGER_BTC_ACCOUNT).await;

    // The credit carries its exchange details.
    let credit = c
        .accounts()
        .transactions(&ListTransactions {
            accounts_id: Some(seed::MANAGER_BTC_ACCOUNT),
            ..Default::default()
        })
        .await
        .unwrap()
        .items[0]
        .clone();
    let details = c.accounts().transaction(credit.id).await.unwrap();
    let x = details
        .asset_exchange_transfer_details
        .expect("exchange details");
    assert_eq!(x.asset_exchange_id, Some(buy.id));
    assert_eq!(x.asset_exchange_status, Some(ExchangeStatus::Completed));
    assert_eq!(
        (x.from_asset.as_deref(), x.to_asset.as_deref()),
        (Some("USDC"), Some("BTC"))
    );
    assert!(details.wallet_transfer_details.is_none());
}

#[tokio::test]
async fn a_sell_whose_price_moved_goes_through_review_and_confirmation() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    let btc_before = balance(&c, seed::MANAGER_BTC_ACCOUNT).await;
    let sell = c
        .exchanges()
        .sell(&SellRequest {
            customers_id: 1004,
            payees_id: Some(seed::PAYEE_ID),
            fx_rate_id: None,
            asset_pair: "BTC/USD".into(),
            quantity_type: Some(QuantityType::Amount),
            transfer_type: Some(TransferType::Wire),
            price: None,
            amount: Some(d("0.05")),
            purpose_code: None,
        })
        .await
        .unwrap();
    assert_eq!(sell.status, ExchangeStatus::WaitingForApproval);
    assert_eq!(sell.transfer_type, Some(TransferType::Wire));

    // Confirming before review is an illegal transition, refused with a clear API error.
    let e = c
        .exchanges()
        .confirm_sell(&ConfirmSell {
            exchanges_id: sell.id,
            amount: d("0.05"),
            price: d("3000"),
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.api_errors()[0].message_code.as_str(), "Invalid_State");

    sandbox.control().set_price("BTC/USD", d("62000")).unwrap();
    assert_eq!(
        sandbox.control().approve(sell.id).unwrap().to_string(),
        "WaitingForConfirmation"
    );
    let review = c.exchanges().review_quote(sell.id).await.unwrap();
    assert_eq!(review.previous_price, Some(d("3000")));
    assert_eq!(review.previous_amount, Some(d("0.05")));
    assert_eq!(review.amount, d("0.05"));
    assert_eq!(review.price, d("3100"));

    let confirmed = c
        .exchanges()
        .confirm_sell(&ConfirmSell::from_review(sell.id, &review))
        .await
        .unwrap();
    assert_eq!(confirmed.status, ExchangeStatus::Pending);
    sandbox.control().complete(sell.id).unwrap();
    let btc_after = balance(&c, seed::MANAGER_BTC_ACCOUNT).await;
    assert_eq!(btc_after.0, btc_before.0 - d("0.05"));
    assert_ledger(&c, seed::MANAGER_BTC_ACCOUNT).await;
    // Cancelling a completed exchange is illegal.
    let e = c.exchanges().cancel(sell.id).await.unwrap_err();
    assert_eq!(e.api_errors()[0].message_code.as_str(), "Invalid_State");
}

#[tokio::test]
async fn cancel_reject_and_fail_release_the_reservation() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    let eth_before = balance(&c, seed::MANAGER_ETH_ACCOUNT).await;
    let sell = |amount: &'static str| {
        let c = c.clone();
        async move {
            c.exchanges()
                .sell(&SellRequest {
                    customers_id: 1004,
                    payees_id: None,
                    fx_rate_id: None,
                    asset_pair: "ETH/USD".into(),
                    quantity_type: Some(QuantityType::Amount),
                    transfer_type: None,
                    price: None,
                    amount: Some(d(amount)),
                    purpose_code: None,
                })
                .await
                .unwrap()
        }
    };
    // Price move -> review -> cancel -> Failed.
    let a = sell("2").await;
    sandbox.control().set_price("ETH/USD", d("2900")).unwrap();
    sandbox.control().approve(a.id).unwrap();
    let cancelled = c.exchanges().cancel(a.id).await.unwrap();
    assert_eq!(cancelled.status, ExchangeStatus::Failed);
    // Rejected by compliance.
    let b = sell("1").await;
    assert_eq!(
        sandbox.control().reject(b.id).unwrap().to_string(),
        "Rejected"
    );
    // Approved, then failed.
    let c3 = sell("3").await;
    sandbox.control().approve(c3.id).unwrap();
    assert_eq!(sandbox.control().fail(c3.id).unwrap().to_string(), "Failed");

    assert_eq!(
        balance(&c, seed::MANAGER_ETH_ACCOUNT).await,
        eth_before,
        "nothing moved"
    );
    assert_ledger(&c, seed::MANAGER_ETH_ACCOUNT).await;
    let failed = c
        .exchanges()
        .list(&ListExchanges {
            status: Some(ExchangeStatus::Failed),
            exchange_type: Some(ExchangeType::Sell),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(failed.items.len(), 2);
}

#[tokio::test]
async fn withdrawals_blocked_and_allowed() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    let before = balance(&c, seed::MANAGER_BTC_ACCOUNT).await;

    let e = c
        .accounts()
        .withdraw_crypto(&WithdrawCrypto::new(
            seed::MANAGER_BTC_ACCOUNT,
            d("0.01"),
            seed::SCREENED_ADDRESS,
        ))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.http_status(), Some(400));
    let api = e.api_error().unwrap();
    assert!(api.has_code(&MessageCode::TransactionBlocked));
    assert_eq!(api.errors[0].field_name.as_deref(), Some("Screening"));
    assert_eq!(
        balance(&c, seed::MANAGER_BTC_ACCOUNT).await,
        before,
        "nothing moved"
    );

    let w = c
        .accounts()
        .withdraw_crypto(&WithdrawCrypto::new(
            seed::MANAGER_BTC_ACCOUNT,
            d("0.25"),
            "bc1qexternalwallet0001",
        ))
        .await
        .unwrap();
    assert_eq!(w.amount, d("0.25"));
    let after = balance(&c, seed::MANAGER_BTC_ACCOUNT).await;
    assert_eq!(
        after.0,
        before.0 - d("0.25") - d("0.0001"),
        "amount plus network fee"
    );
    assert_eq!(after.0.to_string(), "2.249900000000000000");
    let details = c.accounts().transaction(w.id).await.unwrap();
    let wallet = details.wallet_transfer_details.expect("wallet details");
    assert_eq!(
        wallet.to_wallet_address.as_deref(),
        Some("bc1qexternalwallet0001")
    );
    let address = c
        .accounts()
        .deposit_address(seed::MANAGER_BTC_ACCOUNT)
        .await
        .unwrap();
    assert_eq!(
        wallet.from_wallet_address.as_deref(),
        Some(address.address.as_str())
    );
    assert_eq!(
        details.fee_transaction_amount.map(|f| f.abs()),
        Some(d("0.0001"))
    );
    assert_ledger(&c, seed::MANAGER_BTC_ACCOUNT).await;

    // More than available: the API refuses, nothing moves.
    let e = c
        .accounts()
        .withdraw_crypto(&WithdrawCrypto::new(
            seed::MANAGER_BTC_ACCOUNT,
            d("100"),
            "bc1qexternalwallet0001",
        ))
        .await
        .unwrap_err();
    assert_eq!(
        e.api_errors()[0].message_code.as_str(),
        "Insufficient_Funds"
    );
    assert_eq!(balance(&c, seed::MANAGER_BTC_ACCOUNT).await, after);
}

#[tokio::test]
async fn accounts_kyc_and_limits() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    let created = c
        .accounts()
        .create(&CreateAccount::new(1005, "Managee ETH", "ETH"))
        .await
        .unwrap();
    assert_eq!(created.customers_id, 1005);
    assert_eq!(created.accounts[0].asset.as_deref(), Some("ETH"));
    assert_eq!(created.accounts[0].total_balance, Decimal::ZERO);
    let listed = c
        .accounts()
        .list(&ListAccounts {
            customers_id: Some(1005),
            asset: Some("ETH".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);

    let e = c
        .accounts()
        .create(&CreateAccount::new(1006, "x", "USD"))
        .await
        .unwrap_err();
    assert!(
        e.api_error()
            .unwrap()
            .has_code(&MessageCode::DocumentsNotVerified)
    );
    for i in 0..4 {
        c.accounts()
            .create(&CreateAccount::new(1004, format!("extra {i}"), "USD"))
            .await
            .unwrap();
    }
    let e = c
        .accounts()
        .create(&CreateAccount::new(1004, "one too many", "USD"))
        .await
        .unwrap_err();
    assert!(
        e.api_error()
            .unwrap()
            .has_code(&MessageCode::AccountLimitReached)
    );
    let e = c.accounts().get(999_999).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    let balances = c
        .accounts()
        .balances(&BalancesQuery::default())
        .await
        .unwrap();
    assert_eq!(
        balances.items.len(),
        8,
        "1004's 4 seeded + 4 created accounts, one page"
    );
}

#[tokio::test]
async fn paging_to_the_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    sandbox
        .control()
        .seed_transactions(seed::MANAGER_USD_ACCOUNT, 56)
        .unwrap(); // + 1 seed deposit
    let query = ListTransactions {
        accounts_id: Some(seed::MANAGER_USD_ACCOUNT),
        page_size: Some(10),
        ..Default::default()
    };
    let first = c.accounts().transactions(&query).await.unwrap();
    assert_eq!(first.number_of_pages, Some(6));

    let mut pager = c.accounts().transactions_pager(query);
    let mut ids = Vec::new();
    let mut pages = 0;
    while let Some(page) = pager.next_page().await.unwrap() {
        pages += 1;
        ids.extend(page.items.iter().map(|t| t.id));
    }
    assert_eq!(pages, 6);
    assert_eq!(ids.len(), 57);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 57, "no item twice, none skipped");
    assert!(pager.is_done());

    // Date filters.
    let old = c
        .accounts()
        .transactions(&ListTransactions {
            accounts_id: Some(seed::MANAGER_USD_ACCOUNT),
            to_date: Some("2024-01-15".parse().unwrap()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        old.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![10000]
    );
}

/// A client that never retries, with a short timeout, for fault tests.
fn strict_client(sandbox: &Sandbox) -> Client {
    client(sandbox).with_options(RequestOptions::new().timeout(Duration::from_millis(500)))
}

const BUY: &str = "POST /api/v1/customer/crypto-exchanges/buy";

fn executions(sandbox: &Sandbox) -> u64 {
    sandbox
        .control()
        .executions()
        .get(BUY)
        .copied()
        .unwrap_or(0)
}

async fn buy(c: &Client) -> ibanera::Result<ibanera::exchanges::Exchange> {
    c.exchanges()
        .buy(&BuyRequest::by_amount(1004, "BTC/USDC", d("0.01")))
        .await
}

#[tokio::test]
async fn injected_faults_surface_as_the_right_kind_and_no_post_runs_twice() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = strict_client(&sandbox);
    let path = "/api/v1/customer/crypto-exchanges/buy";
    use ErrorKind::{Api, Decode, OutcomeUnknown, RateLimited, Timeout, Transport};
    // (fault, kind, the cause's kind for an unknown outcome, HTTP status, executions)
    type Case = (Fault, ErrorKind, Option<ErrorKind>, Option<u16>, u64);
    let cases: Vec<Case> = vec![
        (
            Fault::Status {
                status: 503,
                body: None,
                retry_after: None,
                execute: false,
            },
            Api,
            None,
            Some(503),
            0,
        ),
        (
            Fault::Status {
                status: 429,
                body: None,
                retry_after: Some("1".into()),
                execute: false,
            },
            RateLimited,
            None,
            Some(429),
            0,
        ),
        (
            Fault::Html {
                status: 502,
                execute: false,
            },
            OutcomeUnknown,
            Some(Decode),
            Some(502),
            0,
        ),
        (
            Fault::Html {
                status: 504,
                execute: true,
            },
            OutcomeUnknown,
            Some(Decode),
            Some(504),
            1,
        ),
        (
            Fault::Delay { ms: 1500 },
            OutcomeUnknown,
            Some(Timeout),
            None,
            1,
        ),
        (
            Fault::DropBeforeExecute,
            OutcomeUnknown,
            Some(Transport),
            None,
            0,
        ),
        (
            Fault::DropAfterExecute,
            OutcomeUnknown,
            Some(Transport),
            None,
            1,
        ),
        (Fault::Truncate, OutcomeUnknown, Some(Transport), None, 1),
        (
            Fault::MalformedJson,
            OutcomeUnknown,
            Some(Decode),
            Some(200),
            1,
        ),
        (Fault::StatusZero, Api, None, Some(200), 0),
    ];
    for (fault, kind, cause, status, executed) in cases {
        let label = format!("{fault:?}");
        let before = executions(&sandbox);
        sandbox.control().inject_fault(path, fault, 1).unwrap();
        let e = buy(&c).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{label}: {e}");
        assert_eq!(e.cause().map(|c| c.kind()), cause, "{label}: {e}");
        assert_eq!(e.http_status(), status, "{label}");
        if kind == RateLimited {
            assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
        }
        // Let a delayed response finish on the server before counting.
        tokio::time::sleep(Duration::from_millis(if executed == 1 { 1200 } else { 50 })).await;
        assert_eq!(
            executions(&sandbox) - before,
            executed,
            "{label}: the POST ran at most once"
        );
    }
    // The fault was used up: the next buy goes through, exactly once.
    let before = executions(&sandbox);
    buy(&c).await.unwrap();
    assert_eq!(executions(&sandbox) - before, 1);
}

#[tokio::test]
async fn gets_ride_through_transient_faults() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    let path = "/api/v1/customer/accounts/account";
    for fault in [
        Fault::Status {
            status: 503,
            body: None,
            retry_after: None,
            execute: false,
        },
        Fault::Html {
            status: 502,
            execute: false,
        },
        Fault::DropBeforeExecute,
        Fault::Truncate,
    ] {
        sandbox
            .control()
            .inject_fault(path, fault.clone(), 2)
            .unwrap();
        let a = c
            .accounts()
            .get(seed::MANAGER_USD_ACCOUNT)
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(a.id, seed::MANAGER_USD_ACCOUNT);
    }
    // Retry-After is honoured.
    sandbox
        .control()
        .inject_fault(
            path,
            Fault::Status {
                status: 429,
                body: None,
                retry_after: Some("1".into()),
                execute: false,
            },
            1,
        )
        .unwrap();
    let started = Instant::now();
    c.accounts().get(seed::MANAGER_USD_ACCOUNT).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950));
}

#[tokio::test]
async fn a_reused_code_in_strict_mode_is_recovered_by_waiting_for_the_next_step() {
    let sandbox = Sandbox::start_with(SandboxConfig {
        strict_otp: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let c = client(&sandbox);
    c.accounts().get(seed::MANAGER_USD_ACCOUNT).await.unwrap();
    // Same 30 s step: the code is refused once, the client waits for the next step and the
    // POST is executed exactly once.
    let started = Instant::now();
    let e = buy(&c).await.unwrap();
    assert_eq!(e.status, ExchangeStatus::WaitingForApproval);
    assert!(started.elapsed() <= Duration::from_secs(31));
    assert_eq!(executions(&sandbox), 1);
}

#[tokio::test]
async fn a_wrong_password_is_an_authentication_error() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = Client::builder()
        .username(sandbox.username())
        .password("wrong-password")
        .totp_secret(sandbox.totp_secret())
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    let e = c
        .accounts()
        .get(seed::MANAGER_USD_ACCOUNT)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(e.http_status(), Some(400));
    assert_eq!(
        e.api_errors()[0].message_code,
        ibanera::MessageCode::UsernameOrPasswordIncorrect
    );
}

/// After an unknown outcome, the recovery helpers tell an executed request from one that never
/// ran, by listing what the customer has.
#[tokio::test]
async fn an_unknown_outcome_is_resolved_by_looking() {
    use ibanera::recovery::{ExchangeAttempt, WithdrawalAttempt, find_exchanges, find_withdrawals};
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    let control = sandbox.control();

    // A withdrawal whose answer was lost after it executed: found.
    let amount = d("0.00123");
    let attempt = WithdrawalAttempt::now(seed::MANAGER_BTC_ACCOUNT, amount);
    let path = "/api/v1/customer/accounts/crypto/withdraw";
    control
        .inject_fault(path, Fault::DropAfterExecute, 1)
        .unwrap();
    let request = WithdrawCrypto::new(seed::MANAGER_BTC_ACCOUNT, amount, "bc1qrecoverytest");
    let e = c.accounts().withdraw_crypto(&request).await.unwrap_err();
    assert!(e.outcome_unknown(), "{e}");
    let found = find_withdrawals(&c, &attempt).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].amount.to_string(), "-0.001230000000000000");
    // One dropped before it executed: nothing found, so sending again is safe.
    let amount = d("0.00456");
    let attempt = WithdrawalAttempt::now(seed::MANAGER_BTC_ACCOUNT, amount);
    control
        .inject_fault(path, Fault::DropBeforeExecute, 1)
        .unwrap();
    let request = WithdrawCrypto::new(seed::MANAGER_BTC_ACCOUNT, amount, "bc1qrecoverytest");
    let e = c.accounts().withdraw_crypto(&request).await.unwrap_err();
    assert!(e.outcome_unknown(), "{e}");
    assert!(find_withdrawals(&c, &attempt).await.unwrap().is_empty());
    c.accounts().withdraw_crypto(&request).await.unwrap();
    assert_eq!(find_withdrawals(&c, &attempt).await.unwrap().len(), 1);

    // An exchange: ids grow, so the newest id before the attempt bounds the search.
    let before = c
        .exchanges()
        .list(&ListExchanges {
            customers_id: Some(seed::MANAGER_CUSTOMER_ID),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
        .iter()
        .map(|e| e.id)
        .max();
    let buy_path = "/api/v1/customer/crypto-exchanges/buy";
    control
        .inject_fault(buy_path, Fault::MalformedJson, 1)
        .unwrap();
    let price = d("123.45");
    let e = c
        .exchanges()
        .buy(&BuyRequest::by_price(
            seed::MANAGER_CUSTOMER_ID,
            "BTC/USDC",
            price,
        ))
        .await
        .unwrap_err();
    assert!(e.outcome_unknown(), "{e}");
    let attempt = ExchangeAttempt {
        customers_id: seed::MANAGER_CUSTOMER_ID,
        asset_pair: "BTC/USDC".into(),
        exchange_type: ExchangeType::Buy,
        price: Some(price),
        amount: None,
        after_id: before,
    };
    let found = find_exchanges(&c, &attempt).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].request_price, Some(price));
}
