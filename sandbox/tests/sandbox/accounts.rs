use std::time::Instant;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

#[tokio::test]
async fn balances_unpaged_and_paged() {
    let t = T::new().await;
    let r = t.get(BALANCES).await;
    let items = ok(&r).as_array().cloned().unwrap_or_default();
    let ids: Vec<i64> = items.iter().filter_map(|a| a["id"].as_i64()).collect();
    assert_eq!(ids, vec![1055, 1056, 1057, 1058]);
    assert_eq!(
        (
            r.1["pageNumber"].clone(),
            r.1["pageSize"].clone(),
            r.1["numberOfPages"].clone()
        ),
        (json!(1), json!(4), json!(1))
    );
    let usd = &items[0];
    assert_eq!(usd["asset"], json!("USD"));
    assert_eq!(text(&usd["totalBalance"]), "100000.000000000000000000");
    assert_eq!(text(&usd["availableBalance"]), "100000.000000000000000000");
    assert_eq!(text(&usd["pendingBalance"]), "0.000000000000000000");
    assert_eq!(usd["bSuppressed"], json!(false));
    assert_eq!(text(&items[2]["totalBalance"]), "2.500000000000000000");
    assert_eq!(text(&items[3]["totalBalance"]), "40.000000000000000000");

    let r = t.get(&format!("{BALANCES}?pageNumber=2&pageSize=3")).await;
    let items = ok(&r).as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], json!(1058));
    assert_eq!(
        (
            r.1["pageNumber"].clone(),
            r.1["pageSize"].clone(),
            r.1["numberOfPages"].clone()
        ),
        (json!(2), json!(3), json!(2))
    );
    assert_error(
        &t.get(&format!("{BALANCES}?pageSize=0")).await,
        400,
        "PageSize",
        "Invalid",
    );
    assert_error(
        &t.get(&format!("{BALANCES}?pageNumber=x")).await,
        400,
        "PageNumber",
        "Invalid",
    );
}

#[tokio::test]
async fn get_account_shape_and_errors() {
    let t = T::new().await;
    let r = t.get(&format!("{ACCOUNT}?Id=1055")).await;
    let a = ok(&r).clone();
    assert_eq!(r.1["id"], json!(1055));
    assert_eq!(a["id"], json!(1055));
    assert_eq!(a["customersId"], json!(1004));
    assert_eq!(a["asset"], json!("USD"));
    assert_eq!(a["routingNumber"], json!("021214891"));
    assert_eq!(a["accountNumber"], json!("357900001055"));
    assert_eq!(a["reference"], json!("REF1055"));
    assert_eq!(a["dateAdded"], json!("2024-01-15T09:30:00.0000000+00:00"));
    assert_eq!(a["bSuppressed"], json!(false));
    // Keys of the query match case-insensitively.
    let r = t.get(&format!("{ACCOUNT}?id=1057")).await;
    let btc = ok(&r);
    assert_eq!(btc["routingNumber"], Value::Null);
    assert_eq!(btc["accountNumber"], Value::Null);
    assert_eq!(text(&btc["totalBalance"]), "2.500000000000000000");

    let r = t.get(&format!("{ACCOUNT}?Id=999")).await;
    assert_error(&r, 404, "Id", "Not_Found");
    assert_eq!(errors(&r.1)[0].0, "NotFound");
    assert_error(&t.get(ACCOUNT).await, 400, "Id", "Required");
    assert_error(
        &t.get(&format!("{ACCOUNT}?Id=0")).await,
        400,
        "Id",
        "Required",
    );
    assert_error(
        &t.get(&format!("{ACCOUNT}?Id=abc")).await,
        400,
        "Id",
        "Invalid",
    );
    assert_error(
        &t.get(&format!("{ACCOUNT}?Id=99999999999")).await,
        400,
        "Id",
        "Invalid",
    );
}

#[tokio::test]
async fn list_accounts_filters_and_paging() {
    let t = T::new().await;
    let r = t.get(&format!("{LIST_ACCOUNTS}?customersId=1005")).await;
    let items = ok(&r).as_array().cloned().unwrap_or_default();
    let ids: Vec<i64> = items.iter().filter_map(|a| a["id"].as_i64()).collect();
    assert_eq!(ids, vec![1060, 1061]);
    assert_eq!(text(&items[0]["totalBalance"]), "2500.000000000000000000");
    assert_eq!(text(&items[1]["totalBalance"]), "1000.000000000000000000");
    assert_eq!(items[0]["assetDisplayName"], json!("United States Dollar"));

    let r = t
        .get(&format!("{LIST_ACCOUNTS}?CUSTOMERSID=1004&asset=usdc"))
        .await;
    let items = ok(&r).as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], json!(1056));

    let r = t.get(&format!("{LIST_ACCOUNTS}?asset=USD")).await;
    let ids: Vec<i64> = ok(&r)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a["id"].as_i64())
        .collect();
    assert_eq!(ids, vec![1055, 1060, 1062]);

    // All 7 seeded accounts, 3 per page.
    let mut seen = Vec::new();
    for page in 1..=3 {
        let r = t
            .get(&format!("{LIST_ACCOUNTS}?pageNumber={page}&pageSize=3"))
            .await;
        assert_eq!(r.1["numberOfPages"], json!(3));
        seen.extend(
            ok(&r)
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|a| a["id"].as_i64()),
        );
    }
    assert_eq!(seen, vec![1055, 1056, 1057, 1058, 1060, 1061, 1062]);
    let r = t
        .get(&format!("{LIST_ACCOUNTS}?pageNumber=4&pageSize=3"))
        .await;
    assert_eq!(ok(&r), &json!([]));
    assert_error(
        &t.get(&format!("{LIST_ACCOUNTS}?customersId=4242")).await,
        404,
        "CustomersId",
        "Not_Found",
    );
}

#[tokio::test]
async fn create_account_and_its_errors() {
    let t = T::new().await;
    let r = t
        .post(
            CREATE,
            json!({"CustomersId": 1004, "Name": "Fiat account", "Asset": "USD"}),
        )
        .await;
    let d = ok(&r).clone();
    assert_eq!(d["customersId"], json!(1004));
    assert_eq!(d["customersReference"], json!("CST1004"));
    let acc = &d["accounts"][0];
    assert_eq!(acc["id"], json!(3000));
    assert_eq!(acc["name"], json!("Fiat account"));
    assert_eq!(acc["asset"], json!("USD"));
    assert_eq!(acc["reference"], json!("REF3000"));
    assert_eq!(text(&acc["totalBalance"]), "0.000000000000000000");
    assert_eq!(acc["bSuppressed"], json!(false));
    assert_eq!(t.executed(CREATE).await, 1);

    assert_error(
        &t.post(CREATE, json!({"customersId": 1004, "asset": "USD"}))
            .await,
        400,
        "Name",
        "Required",
    );
    assert_error(
        &t.post(
            CREATE,
            json!({"customersId": 0, "name": "x", "asset": "USD"}),
        )
        .await,
        400,
        "CustomersId",
        "Required",
    );
    assert_error(
        &t.post(
            CREATE,
            json!({"customersId": 1004, "name": "x", "asset": "DOGE"}),
        )
        .await,
        400,
        "Asset",
        "Invalid",
    );
    assert_error(
        &t.post(
            CREATE,
            json!({"customersId": 1004, "name": "n".repeat(101), "asset": "BTC"}),
        )
        .await,
        400,
        "Name",
        "Invalid_Length",
    );
    assert_error(
        &t.post(
            CREATE,
            json!({"customersId": "abc", "name": "x", "asset": "BTC"}),
        )
        .await,
        400,
        "CustomersId",
        "Invalid",
    );
    assert_error(
        &t.post(
            CREATE,
            json!({"customersId": 1006, "name": "x", "asset": "BTC"}),
        )
        .await,
        400,
        "CustomersId",
        "Documents_Not_Verified",
    );
    assert_error(
        &t.post(
            CREATE,
            json!({"customersId": 4242, "name": "x", "asset": "BTC"}),
        )
        .await,
        404,
        "CustomersId",
        "Not_Found",
    );
    // Several errors at once, like ASP.NET model validation.
    let r = t.post(CREATE, json!({})).await;
    assert_eq!(errors(&r.1).len(), 3, "{}", r.1);
    // Malformed and non-object bodies.
    assert_error(
        &t.post_raw(CREATE, "{\"customersId\": 1004,").await,
        400,
        "Body",
        "Invalid",
    );
    assert_error(&t.post_raw(CREATE, "[1, 2]").await, 400, "Body", "Invalid");

    // 4 seeded + 1 created + 3 more = 8; the 9th is refused.
    for k in 0..3 {
        let r = t
            .post(
                CREATE,
                json!({"customersId": 1004, "name": format!("extra {k}"), "asset": "ETH"}),
            )
            .await;
        assert_eq!(ok(&r)["accounts"][0]["id"], json!(3001 + k));
    }
    let r = t
        .post(
            CREATE,
            json!({"customersId": 1004, "name": "one too many", "asset": "ETH"}),
        )
        .await;
    assert_error(&r, 400, "CustomersId", "Account_Limit_Reached");
    assert_eq!(t.executed(CREATE).await, 4);
}

#[tokio::test]
async fn deposit_address() {
    let t = T::new().await;
    let r = t.get(&format!("{DEPOSIT_ADDRESS}?AccountsId=1057")).await;
    let btc = text(&ok(&r)["address"]);
    assert!(btc.starts_with("bc1q"), "{btc}");
    let r = t.get(&format!("{DEPOSIT_ADDRESS}?accountsId=1058")).await;
    let eth = text(&ok(&r)["address"]);
    assert!(eth.starts_with("0x") && eth.len() == 42, "{eth}");
    // Deterministic.
    let r = t.get(&format!("{DEPOSIT_ADDRESS}?AccountsId=1057")).await;
    assert_eq!(text(&ok(&r)["address"]), btc);
    assert_error(
        &t.get(&format!("{DEPOSIT_ADDRESS}?AccountsId=1055")).await,
        400,
        "AccountsId",
        "Invalid",
    );
    assert_error(
        &t.get(&format!("{DEPOSIT_ADDRESS}?AccountsId=77")).await,
        404,
        "AccountsId",
        "Not_Found",
    );
    assert_error(&t.get(DEPOSIT_ADDRESS).await, 400, "AccountsId", "Required");
}

#[tokio::test]
async fn withdrawals_blocked_and_allowed() {
    let t = T::new().await;
    let dest = "bc1qdestination00000000000000000000000000";
    // Blocked: screened address, nothing moves, nothing counted.
    let r = t.post(WITHDRAW, json!({"accountsId": 1057, "amount": 0.5, "destinationAddress": "bc1qscreened0000000000000000000000000000"})).await;
    assert_error(&r, 400, "Screening", "Transaction_Blocked");
    assert_eq!(
        r.1,
        json!({"id": 0, "details": null, "status": "0", "errors": [{"errorType": "BadRequest", "fieldName": "Screening", "messageCode": "Transaction_Blocked"}]})
    );
    t.assert_balance(
        1057,
        "2.500000000000000000",
        "2.500000000000000000",
        "0.000000000000000000",
    )
    .await;
    assert_eq!(t.executed(WITHDRAW).await, 0);

    // Validation.
    let cases = [
        (
            json!({"amount": 0.5, "destinationAddress": dest}),
            400,
            "AccountsId",
            "Required",
        ),
        (
            json!({"accountsId": 1057, "destinationAddress": dest}),
            400,
            "Amount",
            "Required",
        ),
        (
            json!({"accountsId": 1057, "amount": 0, "destinationAddress": dest}),
            400,
            "Amount",
            "Amount_Must_Be_Positive",
        ),
        (
            json!({"accountsId": 1057, "amount": -1, "destinationAddress": dest}),
            400,
            "Amount",
            "Amount_Must_Be_Positive",
        ),
        (
            json!({"accountsId": 1057, "amount": "lots", "destinationAddress": dest}),
            400,
            "Amount",
            "Invalid",
        ),
        (
            json!({"accountsId": 1057, "amount": 0.5}),
            400,
            "DestinationAddress",
            "Required",
        ),
        (
            json!({"accountsId": 1057, "amount": 0.5, "destinationAddress": "b".repeat(101)}),
            400,
            "DestinationAddress",
            "Invalid_Length",
        ),
        (
            json!({"accountsId": 1057, "amount": 0.5, "destinationAddress": "bad address!"}),
            400,
            "DestinationAddress",
            "Invalid",
        ),
        (
            json!({"accountsId": 1055, "amount": 0.5, "destinationAddress": dest}),
            400,
            "AccountsId",
            "Invalid",
        ),
        (
            json!({"accountsId": 8888, "amount": 0.5, "destinationAddress": dest}),
            404,
            "AccountsId",
            "Not_Found",
        ),
        (
            json!({"accountsId": 1057, "amount": 2.5, "destinationAddress": dest}),
            400,
            "Amount",
            "Insufficient_Funds",
        ),
    ];
    for (body, status, field, code) in cases {
        assert_error(&t.post(WITHDRAW, body).await, status, field, code);
    }
    let r = t
        .post_raw(
            WITHDRAW,
            r#"{"accountsId": 1057, "amount": 1e999, "destinationAddress": "x"}"#,
        )
        .await;
    assert_error(&r, 400, "Amount", "Invalid");
    let r = t.post_raw(WITHDRAW, r#"{"accountsId": 1057, "amount": 123456789012345678901234567890123, "destinationAddress": "x"}"#).await;
    assert_error(&r, 400, "Amount", "Invalid");
    t.assert_balance(
        1057,
        "2.500000000000000000",
        "2.500000000000000000",
        "0.000000000000000000",
    )
    .await;

    // Allowed: amount + network fee leave the account.
    let r = t
        .post(
            WITHDRAW,
            json!({"accountsId": 1057, "amount": 0.5, "destinationAddress": dest}),
        )
        .await;
    let w = ok(&r).clone();
    let id = w["id"].as_i64().unwrap_or_default();
    assert_eq!(id, 10006);
    assert_eq!(w["accountsId"], json!(1057));
    assert_eq!(text(&w["amount"]), "0.500000000000000000");
    assert_eq!(w["description"], json!("BTC withdrawal"));
    assert_eq!(w["bPending"], json!(false));
    t.assert_balance(
        1057,
        "1.999900000000000000",
        "1.999900000000000000",
        "0.000000000000000000",
    )
    .await;
    assert_eq!(t.executed(WITHDRAW).await, 1);

    let d = t.tx_details(id).await;
    assert_eq!(text(&d["amount"]), "-0.500000000000000000");
    assert_eq!(d["transactionType"], json!("Withdrawal"));
    assert_eq!(d["transactionStatus"], json!("Completed"));
    assert_eq!(d["assetClass"], json!("Cryptocurrency"));
    assert_eq!(d["walletTransferDetails"]["toWalletAddress"], json!(dest));
    let r = t.get(&format!("{DEPOSIT_ADDRESS}?AccountsId=1057")).await;
    assert_eq!(
        d["walletTransferDetails"]["fromWalletAddress"],
        ok(&r)["address"]
    );
    assert_eq!(d["feeTransactionId"], json!(10007));
    assert_eq!(text(&d["feeTransactionAmount"]), "-0.000100000000000000");
    assert_eq!(d["assetExchangeTransferDetails"], Value::Null);
    let fee = t.tx_details(10007).await;
    assert_eq!(fee["transactionType"], json!("Fee"));
    t.assert_ledger(1057).await;

    // ETH and USDC fees.
    ok(&t
        .post(
            WITHDRAW,
            json!({"accountsId": 1058, "amount": 1, "destinationAddress": "0xabc"}),
        )
        .await);
    t.assert_balance(
        1058,
        "38.999000000000000000",
        "38.999000000000000000",
        "0.000000000000000000",
    )
    .await;
    ok(&t
        .post(
            WITHDRAW,
            json!({"accountsId": 1056, "amount": 100, "destinationAddress": "0xabc"}),
        )
        .await);
    t.assert_balance(
        1056,
        "49899.000000000000000000",
        "49899.000000000000000000",
        "0.000000000000000000",
    )
    .await;
    // Exactly the available balance including the fee is allowed; a hair more is not.
    assert_error(&t.post_raw(WITHDRAW, r#"{"accountsId": 1058, "amount": 38.998000000000000001, "destinationAddress": "0xabc"}"#).await, 400, "Amount", "Insufficient_Funds");
    ok(&t
        .post(
            WITHDRAW,
            json!({"accountsId": 1058, "amount": 38.998, "destinationAddress": "0xabc"}),
        )
        .await);
    t.assert_balance(
        1058,
        "0.000000000000000000",
        "0.000000000000000000",
        "0.000000000000000000",
    )
    .await;
    t.assert_ledger(1058).await;
    t.assert_ledger(1056).await;
}

#[tokio::test]
async fn transactions_paging_filters_and_details() {
    let t = T::new().await;
    // Seeded: one deposit per funded account, newest first.
    let r = t.get(TRANSACTIONS).await;
    let items = ok(&r).as_array().cloned().unwrap_or_default();
    let ids: Vec<i64> = items.iter().filter_map(|x| x["id"].as_i64()).collect();
    assert_eq!(ids, vec![10005, 10004, 10003, 10002, 10001, 10000]);
    assert_eq!(
        (
            r.1["pageNumber"].clone(),
            r.1["pageSize"].clone(),
            r.1["numberOfPages"].clone()
        ),
        (json!(1), json!(10), json!(1))
    );
    let first = items.last().cloned().unwrap_or_default();
    assert_eq!(first["accountsId"], json!(1055));
    assert_eq!(text(&first["amount"]), "100000.000000000000000000");
    assert_eq!(
        first["dateTime"],
        json!("2024-01-15T10:00:00.0000000+00:00")
    );
    assert_eq!(first["bPending"], json!(false));
    assert_eq!(first["bCancellable"], json!(false));
    assert_eq!(first["toTransactionsId"], json!(10000));
    assert_eq!(first["fromTransactionsId"], Value::Null);

    let det = t.tx_details(10000).await;
    assert_eq!(det["transactionType"], json!("Deposit"));
    assert_eq!(det["assetClass"], json!("Currency"));
    assert_eq!(det["achTransferDetails"]["direction"], json!("Incoming"));
    assert_eq!(det["walletTransferDetails"], Value::Null);
    for key in [
        "wireTransferDetails",
        "bookTransferDetails",
        "internalTransferDetails",
        "externalTransferDetails",
        "assetExchangeTransferDetails",
        "rollbackTransactionId",
        "feeTransactionId",
    ] {
        assert_eq!(det[key], Value::Null, "{key}");
    }
    let det = t.tx_details(10002).await;
    assert_eq!(det["asset"], json!("BTC"));
    assert!(det["walletTransferDetails"]["toWalletAddress"].is_string());
    assert_error(
        &t.get(&format!("{TRANSACTION}?Id=99999")).await,
        404,
        "Id",
        "Not_Found",
    );
    assert_error(&t.get(TRANSACTION).await, 400, "Id", "Required");

    // A credited deposit, then 10,000 seeded ones (fast), paged to the end.
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/deposits",
            Some(json!({"accountsId": 1055, "amount": 250.75})),
        )
        .await;
    assert_eq!(ok(&r)["transactionId"], json!(10006));
    let started = Instant::now();
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/seed-transactions",
            Some(json!({"accountsId": 1055, "count": 10000})),
        )
        .await;
    ok(&r);
    assert!(
        started.elapsed().as_millis() < 1000,
        "seeding took {:?}",
        started.elapsed()
    );
    t.assert_balance(
        1055,
        "110250.750000000000000000",
        "110250.750000000000000000",
        "0.000000000000000000",
    )
    .await;

    let all = t.all_transactions(1055).await;
    assert_eq!(all.len(), 10_002);
    let ids: Vec<i64> = all.iter().filter_map(|x| x["id"].as_i64()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first");
    let sum: rust_decimal::Decimal = all.iter().map(|x| dec(&x["amount"])).sum();
    assert_eq!(sum, d("110250.75"));
    let r = t
        .get(&format!(
            "{TRANSACTIONS}?AccountsId=1055&PageSize=1000&PageNumber=11"
        ))
        .await;
    assert_eq!(ok(&r).as_array().map(Vec::len), Some(2));
    assert_eq!(r.1["numberOfPages"], json!(11));
    let r = t
        .get(&format!(
            "{TRANSACTIONS}?AccountsId=1055&PageSize=1000&PageNumber=12"
        ))
        .await;
    assert_eq!(ok(&r), &json!([]));

    // Date filters: a date is the whole day; date-times are exact.
    let r = t
        .get(&format!(
            "{TRANSACTIONS}?AccountsId=1055&FromDate=2024-01-15&ToDate=2024-01-15"
        ))
        .await;
    assert_eq!(ok(&r).as_array().map(Vec::len), Some(1));
    let r = t
        .get(&format!(
            "{TRANSACTIONS}?FromDate=2024-01-15T10:01:00Z&ToDate=2024-01-15T10:03:00%2B00:00"
        ))
        .await;
    let ids: Vec<i64> = ok(&r)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|x| x["id"].as_i64())
        .collect();
    assert_eq!(ids, vec![10003, 10002, 10001]);
    let r = t.get(&format!("{TRANSACTIONS}?toDate=2024-01-14")).await;
    assert_eq!(ok(&r), &json!([]));
    assert_eq!(r.1["numberOfPages"], json!(0));
    let r = t
        .get(&format!(
            "{TRANSACTIONS}?AccountsId=1055&FromDate=2025-01-01&PageSize=5"
        ))
        .await;
    assert_eq!(r.1["numberOfPages"], json!(2001));
    assert_error(
        &t.get(&format!("{TRANSACTIONS}?FromDate=yesterday")).await,
        400,
        "FromDate",
        "Invalid",
    );
    assert_error(
        &t.get(&format!("{TRANSACTIONS}?AccountsId=31337")).await,
        404,
        "AccountsId",
        "Not_Found",
    );
    assert_error(
        &t.get(&format!("{TRANSACTIONS}?PageSize=100000")).await,
        400,
        "PageSize",
        "Invalid",
    );

    let det = t.tx_details(10006).await;
    assert_eq!(text(&det["amount"]), "250.750000000000000000");
    assert_eq!(det["achTransferDetails"]["paymentType"], json!("ACH"));
    t.assert_ledger(1060).await;
}

#[tokio::test]
async fn seed_transactions_in_process_is_fast() {
    let t = T::new().await;
    let started = Instant::now();
    t.sb.control()
        .seed_transactions(1061, 10_000)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        started.elapsed().as_millis() < 1000,
        "{:?}",
        started.elapsed()
    );
    t.assert_balance(
        1061,
        "11000.000000000000000000",
        "11000.000000000000000000",
        "0.000000000000000000",
    )
    .await;
    let r = t
        .get(&format!("{TRANSACTIONS}?AccountsId=1061&PageSize=1"))
        .await;
    assert_eq!(r.1["numberOfPages"], json!(10_001));
    assert!(t.sb.control().seed_transactions(4040, 1).is_err());
    let id =
        t.sb.control()
            .credit_deposit(1057, d("0.25"))
            .unwrap_or_default();
    assert_eq!(id, 20_006);
    t.assert_balance(
        1057,
        "2.750000000000000000",
        "2.750000000000000000",
        "0.000000000000000000",
    )
    .await;
    assert!(t.sb.control().credit_deposit(1057, d("-1")).is_err());
}
