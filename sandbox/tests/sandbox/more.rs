//! Simulated pay-ins, information requests, cancellation eligibility, FX pairs and the
//! available pairs' documented fields.

use std::collections::BTreeSet;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;
use crate::receiver::Receiver;

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

/// A receiver registered over HTTP, and its secret.
async fn receiver(t: &T) -> (Receiver, String) {
    let rx = Receiver::ok().await;
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/webhooks",
            Some(json!({"url": rx.url})),
        )
        .await;
    let secret = text(&ok(&r)["secret"]);
    (rx, secret)
}

async fn quiet(t: &T) {
    assert!(
        t.sb.control()
            .wait_for_deliveries(Duration::from_secs(60))
            .await
    );
}

#[tokio::test]
async fn a_pay_in_is_pending_until_settled() {
    let t = T::new().await;
    let (rx, secret) = receiver(&t).await;
    let r = t
        .post(
            PAYINS,
            json!({"DestinationAccountId": 1055, "TransferType": "ACH", "Amount": 5,
                   "Name": "Customer Name", "Reference": "1234567890"}),
        )
        .await;
    assert_eq!(r.0, 200);
    // The page's answer exactly: no `details`.
    assert_eq!(r.1, json!({"id": 0, "status": "1", "errors": []}));
    // Money on its way in: in the total and pending, not available.
    t.assert_balance(
        1055,
        "100005.000000000000000000",
        "100000.000000000000000000",
        "5.000000000000000000",
    )
    .await;
    t.assert_ledger(1055).await;
    let newest = t.all_transactions(1055).await[0].clone();
    assert_eq!(newest["bPending"], json!(true));
    assert_eq!(newest["bCancellable"], json!(false));
    assert_eq!(newest["description"], json!("ACH deposit - 1234567890"));
    let id = newest["id"].as_i64().unwrap_or_default();
    let details = t.tx_details(id).await;
    assert_eq!(details["transactionStatus"], json!("Pending"));
    assert_eq!(
        details["achTransferDetails"]["receiverName"],
        json!("Customer Name")
    );
    assert_eq!(t.sb.control().pending_transactions(), vec![id]);

    let r = t
        .ctl(
            Method::POST,
            &format!("/_sandbox/transactions/{id}/settle"),
            None,
        )
        .await;
    ok(&r);
    t.assert_balance(
        1055,
        "100005.000000000000000000",
        "100005.000000000000000000",
        "0.000000000000000000",
    )
    .await;
    t.assert_ledger(1055).await;
    assert_eq!(
        t.tx_details(id).await["transactionStatus"],
        json!("Completed")
    );

    // A wire that compliance rejects: never available, then gone.
    ok(&t
        .post(
            PAYINS,
            json!({"destinationAccountId": 1060, "transferType": "wire", "amount": "1000.50"}),
        )
        .await);
    let wire = t.all_transactions(1060).await[0]["id"]
        .as_i64()
        .unwrap_or_default();
    let details = t.tx_details(wire).await;
    assert_eq!(details["achTransferDetails"], Value::Null);
    assert!(
        text(&details["wireTransferDetails"]["imad"]).contains("SBXFED01"),
        "{details}"
    );
    t.sb.control()
        .fail_transaction(wire)
        .unwrap_or_else(|e| panic!("{e}"));
    t.assert_balance(
        1060,
        "2500.000000000000000000",
        "2500.000000000000000000",
        "0.000000000000000000",
    )
    .await;
    t.assert_ledger(1060).await;
    // SWIFT: the external transfer details.
    ok(&t
        .post(
            PAYINS,
            json!({"DestinationAccountId": 1060, "TransferType": "SWIFT", "Amount": 7}),
        )
        .await);
    let swift = t.all_transactions(1060).await[0]["id"]
        .as_i64()
        .unwrap_or_default();
    let details = t.tx_details(swift).await;
    assert_eq!(
        details["externalTransferDetails"]["transferType"],
        json!("SWIFT")
    );
    assert_eq!(t.executed(PAYINS).await, 3);
    quiet(&t).await;

    let events = rx.verified(&secret);
    let seen: Vec<(String, Value)> = events
        .iter()
        .map(|e| {
            let d = &e["Data"];
            let tx = if d["TransactionsId"].is_null() {
                d["Id"].clone()
            } else {
                d["TransactionsId"].clone()
            };
            (text(&e["Type"]), tx)
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("FIAT_DEPOSIT_RECEIVED".to_string(), json!(id)),
            ("TRANSACTION_STATUS_UPDATED".to_string(), json!(id)),
            ("FIAT_DEPOSIT_RECEIVED".to_string(), json!(wire)),
            ("TRANSACTION_STATUS_UPDATED".to_string(), json!(wire)),
            ("FIAT_DEPOSIT_RECEIVED".to_string(), json!(swift)),
        ]
    );
    let received = &events[0]["Data"];
    assert_eq!(received["bFlagged"], json!(true));
    assert_eq!(received["Reference"], json!("1234567890"));
    assert_eq!(text(&received["Amount"]), "5");
    assert_eq!(received["Imad"], Value::Null);
    let settled = &events[1]["Data"];
    assert_eq!(
        (
            settled["bPending"].clone(),
            settled["bCompleted"].clone(),
            settled["bRejected"].clone()
        ),
        (json!(false), json!(true), json!(false))
    );
    assert_eq!(settled["ToAccountsId"], json!(1055));
    assert_eq!(text(&events[2]["Data"]["Amount"]), "1000.5");
    assert!(events[2]["Data"]["Imad"].is_string());
    assert_eq!(events[3]["Data"]["bRejected"], json!(true));
}

#[tokio::test]
async fn pay_in_validation() {
    let t = T::new().await;
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            json!({"TransferType": "ACH", "Amount": 5}),
            400,
            "DestinationAccountId",
            "Required",
        ),
        (
            json!({"DestinationAccountId": 1055, "Amount": 5}),
            400,
            "TransferType",
            "Required",
        ),
        (
            json!({"DestinationAccountId": 1055, "TransferType": "RTP", "Amount": 5}),
            400,
            "TransferType",
            "Invalid",
        ),
        (
            json!({"DestinationAccountId": 1055, "TransferType": "ACH"}),
            400,
            "Amount",
            "Required",
        ),
        (
            json!({"DestinationAccountId": 1055, "TransferType": "ACH", "Amount": -5}),
            400,
            "Amount",
            "Amount_Must_Be_Positive",
        ),
        (
            json!({"DestinationAccountId": 1055, "TransferType": "ACH", "Amount": 5, "Reference": "r".repeat(101)}),
            400,
            "Reference",
            "Invalid_Length",
        ),
        (
            json!({"DestinationAccountId": 9999, "TransferType": "ACH", "Amount": 5}),
            404,
            "DestinationAccountId",
            "Not_Found",
        ),
        (
            json!({"DestinationAccountId": 1057, "TransferType": "ACH", "Amount": 5}),
            400,
            "DestinationAccountId",
            "Invalid",
        ),
    ];
    for (body, status, field, code) in cases {
        assert_error(&t.post(PAYINS, body).await, status, field, code);
    }
    assert_eq!(t.executed(PAYINS).await, 0);
    assert!(t.sb.control().pending_transactions().is_empty());
}

#[tokio::test]
async fn information_requests_opened_listed_read_and_resolved() {
    let t = T::new().await;
    let (rx, secret) = receiver(&t).await;
    // Opened by the control, about a transaction.
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/information-requests",
            Some(json!({"customersId": 1004, "transactionsId": 10000})),
        )
        .await;
    let first = ok(&r).clone();
    assert_eq!(first["id"], json!(4000));
    assert_eq!(
        keys(&first),
        set(&[
            "id",
            "customersId",
            "transactionsId",
            "status",
            "reason",
            "dateCreated",
            "dateUpdated",
            "requestedInformation"
        ])
    );
    assert_eq!(first["status"], json!("Open"));
    assert_eq!(first["transactionsId"], json!(10000));
    assert_eq!(
        keys(&first["requestedInformation"][0]),
        set(&["id", "type", "description"])
    );
    // Opened by a withdrawal to the screened address (still refused).
    let r = t.post(WITHDRAW, json!({"accountsId": 1057, "amount": 0.5, "destinationAddress": "bc1qscreened0000000000000000000000000000"})).await;
    assert_error(&r, 400, "Screening", "Transaction_Blocked");
    // The managee's.
    let managee =
        t.sb.control()
            .open_information_request(1005, None)
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(managee, 4002);

    let r = t.get(RFI_LIST).await;
    let ids: Vec<Value> = ok(&r)
        .as_array()
        .map(|a| a.iter().map(|x| x["id"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(ids, [json!(4002), json!(4001), json!(4000)]);
    let r = t
        .get(&format!(
            "{RFI_LIST}?CustomersId=1004&PageSize=1&PageNumber=2"
        ))
        .await;
    assert_eq!(ok(&r)[0]["id"], json!(4000));
    assert_eq!(r.1["numberOfPages"], json!(2));
    let screened = t.get(&format!("{RFI_DETAILS}?Id=4001")).await;
    let screened = ok(&screened).clone();
    assert_eq!(screened["transactionsId"], Value::Null);
    assert_eq!(screened["customersId"], json!(1004));
    assert!(
        text(&screened["reason"]).contains("screening"),
        "{screened}"
    );
    // The id parameter's three spellings, in any case.
    for q in [
        "Id=4000",
        "informationRequestId=4000",
        "InformationRequestsId=4000",
    ] {
        let r = t.get(&format!("{RFI_DETAILS}?{q}")).await;
        assert_eq!(ok(&r)["id"], json!(4000), "{q}");
    }
    assert_error(&t.get(RFI_DETAILS).await, 400, "Id", "Required");
    assert_error(
        &t.get(&format!("{RFI_DETAILS}?InformationRequestId=77"))
            .await,
        404,
        "InformationRequestId",
        "Not_Found",
    );
    assert_error(
        &t.get(&format!("{RFI_DETAILS}?Id=abc")).await,
        400,
        "Id",
        "Invalid",
    );
    assert_error(
        &t.get(&format!("{RFI_LIST}?CustomersId=9999")).await,
        404,
        "CustomersId",
        "Not_Found",
    );

    // Resolved by the control.
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/information-requests/4000/resolve",
            Some(json!({"status": "MoreInformationRequired"})),
        )
        .await;
    assert_eq!(ok(&r)["status"], json!("MoreInformationRequired"));
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/information-requests/4000/resolve",
            Some(json!({"status": "accepted"})),
        )
        .await;
    assert_eq!(ok(&r)["status"], json!("Accepted"));
    assert!(ok(&r)["dateUpdated"].is_string());
    for (path, body, status, field, code) in [
        (
            "/_sandbox/information-requests/4000/resolve",
            json!({"status": "Rejected"}),
            400,
            "InformationRequestsId",
            "Invalid_State",
        ),
        (
            "/_sandbox/information-requests/4001/resolve",
            json!({"status": "Open"}),
            400,
            "Status",
            "Invalid",
        ),
        (
            "/_sandbox/information-requests/4001/resolve",
            json!({}),
            400,
            "Status",
            "Required",
        ),
        (
            "/_sandbox/information-requests/99/resolve",
            json!({"status": "Accepted"}),
            404,
            "Id",
            "Not_Found",
        ),
        (
            "/_sandbox/information-requests",
            json!({"customersId": 1005, "transactionsId": 10000}),
            400,
            "TransactionsId",
            "Invalid",
        ),
        (
            "/_sandbox/information-requests",
            json!({"customersId": 1004, "transactionsId": 99999}),
            404,
            "TransactionsId",
            "Not_Found",
        ),
        (
            "/_sandbox/information-requests",
            json!({}),
            400,
            "CustomersId",
            "Required",
        ),
    ] {
        let r = t.ctl(Method::POST, path, Some(body)).await;
        assert_error(&r, status, field, code);
    }
    quiet(&t).await;
    let events: Vec<(String, Value, Value)> = rx
        .verified(&secret)
        .iter()
        .map(|e| {
            (
                text(&e["Type"]),
                e["Data"]["CustomersId"].clone(),
                e["Data"]["UpdatedInformationRequestIds"].clone(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("INFORMATION_REQUESTED".into(), json!(1004), json!("4000")),
            ("INFORMATION_REQUESTED".into(), json!(1004), json!("4001")),
            ("INFORMATION_REQUESTED".into(), json!(1005), json!("4002")),
            (
                "INFORMATION_REQUEST_UPDATED".into(),
                json!(1004),
                json!("4000")
            ),
            (
                "INFORMATION_REQUEST_UPDATED".into(),
                json!(1004),
                json!("4000")
            ),
        ]
    );
}

#[tokio::test]
async fn an_open_request_on_an_exchange_shows_in_its_flag() {
    let t = T::new().await;
    let ex = ok(&t.buy(1004, "BTC/USDC", "Amount", "0.1").await).clone();
    assert_eq!(ex["bHasOpenRfi"], json!(false));
    let from = ex["fromTransactionsId"].as_i64().unwrap_or_default();
    let rfi =
        t.sb.control()
            .open_information_request(1004, Some(from))
            .unwrap_or_else(|e| panic!("{e}"));
    let id = ex["id"].as_i64().unwrap_or_default();
    assert_eq!(t.exchange(id).await["bHasOpenRfi"], json!(true));
    t.sb.control()
        .resolve_information_request(rfi, "Accepted")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.exchange(id).await["bHasOpenRfi"], json!(false));
}

#[tokio::test]
async fn cancellation_eligibility() {
    let t = T::new().await;
    t.sb.control().set_hold_withdrawals(true);
    let r = t
        .post(
            WITHDRAW,
            json!({"accountsId": 1057, "amount": 0.5, "destinationAddress": "bc1qdestination00000000000000000000000000"}),
        )
        .await;
    let w = ok(&r)["id"].as_i64().unwrap_or_default();
    let eligible = |id: i64, extra: &'static str| {
        let t = &t;
        async move {
            t.get(&format!("{CANCEL_ELIGIBILITY}?TransactionsId={id}{extra}"))
                .await
        }
    };
    let r = eligible(w, "").await;
    assert_eq!(r.1["id"], json!(w));
    assert_eq!(ok(&r), &json!({"id": w, "bCancellable": true}));
    let r = eligible(w, "&CustomersId=1004").await;
    assert_eq!(ok(&r)["bCancellable"], json!(true));
    // The list agrees.
    assert_eq!(
        t.all_transactions(1057).await[1]["bCancellable"],
        json!(true)
    );
    t.sb.control()
        .settle_transaction(w)
        .unwrap_or_else(|e| panic!("{e}"));
    let r = eligible(w, "").await;
    assert_eq!(ok(&r)["bCancellable"], json!(false));
    // Incoming, or an exchange's: never.
    assert_eq!(ok(&eligible(10000, "").await)["bCancellable"], json!(false));
    let ex = ok(&t.buy(1004, "BTC/USDC", "Amount", "0.1").await).clone();
    let from = ex["fromTransactionsId"].as_i64().unwrap_or_default();
    assert_eq!(ok(&eligible(from, "").await)["bCancellable"], json!(false));
    // Refusals: the page's codes.
    assert_error(
        &eligible(99999, "").await,
        400,
        "TransactionsId",
        "BadRequest",
    );
    assert_error(
        &eligible(w, "&CustomersId=1005").await,
        400,
        "TransactionsId",
        "BadRequest",
    );
    assert_error(
        &eligible(w, "&CustomersId=9999").await,
        400,
        "CustomersId",
        "BadRequest",
    );
    assert_error(
        &t.get(CANCEL_ELIGIBILITY).await,
        400,
        "TransactionsId",
        "Required",
    );
    assert_error(
        &t.get(&format!("{CANCEL_ELIGIBILITY}?TransactionsId=x"))
            .await,
        400,
        "TransactionsId",
        "Invalid",
    );
}

#[tokio::test]
async fn fx_pairs_and_the_available_pairs_documented_fields() {
    let t = T::new().await;
    let r = t.get(FX_PAIRS).await;
    let pairs = ok(&r).as_array().cloned().unwrap_or_default();
    assert!(!pairs.is_empty());
    for p in &pairs {
        assert_eq!(
            keys(p),
            set(&[
                "id",
                "currencyPair",
                "sourceCurrency",
                "destinationCurrency",
                "rate",
                "commissionFeePercentage",
                "minTradeAmount",
                "maxTradeAmount",
                "maxDecimalPrecision"
            ])
        );
        assert_eq!(
            text(&p["currencyPair"]),
            format!(
                "{}/{}",
                text(&p["sourceCurrency"]),
                text(&p["destinationCurrency"])
            )
        );
        assert!(dec(&p["minTradeAmount"]) < dec(&p["maxTradeAmount"]));
    }
    assert_eq!(text(&pairs[0]["rate"]), "0.921500000000000000");

    let r = t.get(PAIRS).await;
    for p in ok(&r).as_array().cloned().unwrap_or_default() {
        // The documented names carry the same limits as the sandbox's older ones.
        assert_eq!(p["minTradeAmount"], p["minimumAmount"]);
        assert_eq!(p["maxTradeAmount"], p["maximumAmount"]);
        assert_eq!(p["minTradePrice"], p["minimumPrice"]);
        assert_eq!(p["maxTradePrice"], p["maximumPrice"]);
        assert_eq!(text(&p["commissionFeePercentage"]), "0.500000000000000000");
        assert_eq!(p["maxDecimalPrecision"], json!(18));
    }
    // The commission the pairs publish is the one a quote charges: 0.5 % of 6000.
    let q = t
        .post(
            QUOTE,
            json!({"customersId": 1004, "assetPair": "BTC/USDC", "quantityType": "Amount",
                   "exchangeType": "Buy", "amount": 0.1}),
        )
        .await;
    assert_eq!(text(&ok(&q)["commissionFee"]), "30.000000000000000000");
}
