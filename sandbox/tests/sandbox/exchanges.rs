use ibanera_sandbox::{ExchangeStatus, SandboxError};
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

const ZERO: &str = "0.000000000000000000";

fn id_of(r: &(u16, Value)) -> i64 {
    ok(r)["id"].as_i64().unwrap_or_default()
}

#[tokio::test]
async fn available_pairs() {
    let t = T::new().await;
    let r = t.get(PAIRS).await;
    let pairs = ok(&r).as_array().cloned().unwrap_or_default();
    let names: Vec<String> = pairs.iter().map(|p| text(&p["assetPair"])).collect();
    assert_eq!(names, vec!["BTC/USDC", "ETH/USD", "USDC/USD", "BTC/USD"]);
    assert_eq!(pairs[0]["baseAsset"], json!("BTC"));
    assert_eq!(pairs[0]["quoteAsset"], json!("USDC"));
    assert_eq!(text(&pairs[0]["minimumAmount"]), "0.000010000000000000");
    assert!(pairs[0]["maximumPrice"].is_number());
}

#[tokio::test]
async fn quotes_price_and_amount_based() {
    let t = T::new().await;
    // The spec's example request.
    let r = t
        .post(
            QUOTE,
            json!({"customersId": 1004, "assetPair": "BTC/USDC", "quantityType": "Price",
            "exchangeType": "Buy", "transferType": "Wire", "price": 10, "amount": null}),
        )
        .await;
    let q = ok(&r).clone();
    assert_eq!(q["customersId"], json!(1004));
    assert_eq!(q["payeesId"], Value::Null);
    assert_eq!(q["quantityType"], json!("Price"));
    assert_eq!(q["assetPair"], json!("BTC/USDC"));
    assert_eq!(text(&q["price"]), "10.000000000000000000");
    assert_eq!(text(&q["networkFee"]), "6.000000000000000000");
    assert_eq!(text(&q["amount"]), "0.000066334991708126");
    assert_eq!(text(&q["netPrice"]), "3.980099502487560000");
    assert_eq!(text(&q["commissionFee"]), "0.019900497512440000");
    assert_eq!(
        dec(&q["netPrice"]) + dec(&q["networkFee"]) + dec(&q["commissionFee"]),
        dec(&q["price"])
    );
    assert_eq!(q["fxRateId"], json!(7000));
    let expiry = text(&q["fxRateExpiryDate"]);
    assert!(expiry.ends_with("+00:00") && expiry.len() == 33, "{expiry}");

    // Amount-based buy: 0.1 BTC = 6000 + 0.5 % + 0.0001 BTC network fee.
    let r = t.post(QUOTE, json!({"CustomersId": 1004, "AssetPair": "BTC/USDC", "QuantityType": "Amount", "ExchangeType": "Buy", "Amount": 0.1})).await;
    let q = ok(&r).clone();
    assert_eq!(
        [
            text(&q["amount"]),
            text(&q["price"]),
            text(&q["netPrice"]),
            text(&q["commissionFee"]),
            text(&q["networkFee"])
        ],
        [
            "0.100000000000000000",
            "6036.000000000000000000",
            "6000.000000000000000000",
            "30.000000000000000000",
            "6.000000000000000000"
        ]
    );
    assert_eq!(q["fxRateId"], json!(7001));
    // Sell: fees come off the proceeds.
    let r = t.post(QUOTE, json!({"customersId": 1004, "assetPair": "ETH/USD", "quantityType": "Amount", "exchangeType": "Sell", "amount": 2})).await;
    let q = ok(&r).clone();
    assert_eq!(
        [
            text(&q["price"]),
            text(&q["netPrice"]),
            text(&q["commissionFee"]),
            text(&q["networkFee"])
        ],
        [
            "6000.000000000000000000",
            "5967.000000000000000000",
            "30.000000000000000000",
            "3.000000000000000000"
        ]
    );
    let r = t.post(QUOTE, json!({"customersId": 1004, "assetPair": "USDC/USD", "quantityType": "Price", "exchangeType": "Sell", "price": 500})).await;
    assert_eq!(text(&ok(&r)["netPrice"]), "496.500000000000000000");
    // Quotes move no money.
    t.assert_balance(
        1056,
        "50000.000000000000000000",
        "50000.000000000000000000",
        ZERO,
    )
    .await;
    assert_eq!(t.executed(QUOTE).await, 4);

    let base = json!({"customersId": 1004, "assetPair": "BTC/USDC", "quantityType": "Price", "exchangeType": "Buy", "price": 100});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let cases = [
        (with("assetPair", Value::Null), 400, "AssetPair", "Required"),
        (
            with("assetPair", json!("DOGE/USD")),
            400,
            "AssetPair",
            "Invalid",
        ),
        (
            with("quantityType", json!("Lots")),
            400,
            "QuantityType",
            "Invalid",
        ),
        (
            with("exchangeType", Value::Null),
            400,
            "ExchangeType",
            "Required",
        ),
        (with("price", Value::Null), 400, "Price", "Required"),
        (
            with("price", json!(0)),
            400,
            "Price",
            "Amount_Must_Be_Positive",
        ),
        (
            with("price", json!(-5)),
            400,
            "Price",
            "Amount_Must_Be_Positive",
        ),
        (
            with("price", json!(5)),
            400,
            "Price",
            "Amount_Must_Be_Positive",
        ),
        (
            with("customersId", json!(1006)),
            400,
            "CustomersId",
            "Documents_Not_Verified",
        ),
        (
            with("customersId", json!(5555)),
            404,
            "CustomersId",
            "Not_Found",
        ),
        (
            with("customersId", Value::Null),
            400,
            "CustomersId",
            "Required",
        ),
        (
            json!({"customersId": 1004, "assetPair": "BTC/USD", "quantityType": "Amount", "exchangeType": "Sell", "amount": 0.1, "payeesId": 1011}),
            400,
            "TransferType",
            "Required",
        ),
        (
            json!({"customersId": 1004, "assetPair": "BTC/USD", "quantityType": "Amount", "exchangeType": "Sell", "amount": 0.1, "payeesId": 1011, "transferType": "Pigeon"}),
            400,
            "TransferType",
            "Invalid",
        ),
        (
            json!({"customersId": 1005, "assetPair": "BTC/USD", "quantityType": "Amount", "exchangeType": "Sell", "amount": 0.1, "payeesId": 1011, "transferType": "ACH"}),
            404,
            "PayeesId",
            "Not_Found",
        ),
        (
            json!({"customersId": 1004, "assetPair": "BTC/USD", "quantityType": "Amount", "exchangeType": "Buy", "amount": 0.000001}),
            400,
            "Amount",
            "Invalid",
        ),
    ];
    for (body, status, field, code) in cases {
        assert_error(&t.post(QUOTE, body.clone()).await, status, field, code);
    }
    assert_eq!(t.executed(QUOTE).await, 4);
}

#[tokio::test]
async fn buy_through_approval_to_completion() {
    let t = T::new().await;
    let r = t.buy(1004, "BTC/USDC", "Amount", "0.1").await;
    let ex = ok(&r).clone();
    assert_eq!(ex["id"], json!(23000));
    assert_eq!(ex["exchangeType"], json!("Buy"));
    assert_eq!(ex["status"], json!("WaitingForApproval"));
    assert_eq!(ex["customersId"], json!(1004));
    assert_eq!(ex["assetPair"], json!("BTC/USDC"));
    assert_eq!(text(&ex["requestAmount"]), "0.100000000000000000");
    assert_eq!(text(&ex["requestPrice"]), "6036.000000000000000000");
    assert_eq!(text(&ex["commissionFee"]), "30.000000000000000000");
    assert_eq!(ex["executedAmount"], Value::Null);
    assert_eq!(ex["fromTransactionsId"], json!(10006));
    assert_eq!(ex["toTransactionsId"], Value::Null);
    assert_eq!(ex["bHasOpenRfi"], json!(false));
    // Reserved: available drops, total stays, pending holds the reservation.
    t.assert_balance(
        1056,
        "50000.000000000000000000",
        "43964.000000000000000000",
        "6036.000000000000000000",
    )
    .await;
    t.assert_ledger(1056).await;
    let r = t.get(&format!("{LIST}?Status=WaitingForApproval")).await;
    assert_eq!(ok(&r).as_array().map(Vec::len), Some(1));

    assert_eq!(
        ok(&t.step(23000, "approve").await)["status"],
        json!("Pending")
    );
    assert_eq!(t.exchange(23000).await["status"], json!("Pending"));
    t.assert_balance(
        1056,
        "50000.000000000000000000",
        "43964.000000000000000000",
        "6036.000000000000000000",
    )
    .await;
    assert_eq!(
        ok(&t.step(23000, "complete").await)["status"],
        json!("Completed")
    );

    t.assert_balance(
        1056,
        "43964.000000000000000000",
        "43964.000000000000000000",
        ZERO,
    )
    .await;
    t.assert_balance(1057, "2.600000000000000000", "2.600000000000000000", ZERO)
        .await;
    t.assert_ledger(1056).await;
    t.assert_ledger(1057).await;
    let ex = t.exchange(23000).await;
    assert_eq!(ex["status"], json!("Completed"));
    assert_eq!(text(&ex["executedAmount"]), "0.100000000000000000");
    assert_eq!(text(&ex["executedPrice"]), "6036.000000000000000000");
    assert_eq!(ex["toTransactionsId"], json!(10008));

    // Conservation: out of USDC = amount * price + commission + network fee.
    let from = t.tx_details(10006).await;
    let fee = t.tx_details(10007).await;
    let to = t.tx_details(10008).await;
    let out = -(dec(&from["amount"]) + dec(&fee["amount"]));
    assert_eq!(out, d("6036"));
    assert_eq!(out, dec(&to["amount"]) * d("60000") + d("30") + d("6"));
    assert_eq!(from["feeTransactionId"], json!(10007));
    assert_eq!(
        text(&from["feeTransactionAmount"]),
        "-36.000000000000000000"
    );
    let aed = &to["assetExchangeTransferDetails"];
    assert_eq!(aed["assetExchangeId"], json!(23000));
    assert_eq!(aed["assetExchangeStatus"], json!("Completed"));
    assert_eq!(aed["fromAsset"], json!("USDC"));
    assert_eq!(aed["toAsset"], json!("BTC"));
    assert_eq!(aed["fromTransactionsId"], json!(10006));
    assert_eq!(aed["toTransactionsId"], json!(10008));
    assert_eq!(aed["fromCustomerAssetAccountId"], json!(1056));
    assert_eq!(aed["toCustomerAssetAccountId"], json!(1057));
    assert_eq!(text(&aed["toAssetExecutedAmount"]), "0.100000000000000000");
    assert_eq!(to["transactionType"], json!("AssetExchange"));
    assert_eq!(to["walletTransferDetails"], Value::Null);
    let list = t.all_transactions(1057).await;
    assert_eq!(list[0]["id"], json!(10008));
    assert_eq!(list[0]["fromAccountsId"], json!(1056));
    assert_eq!(list[0]["toAccountsId"], json!(1057));
    assert_eq!(t.executed(BUY).await, 1);

    // Price-based buy: the debit is exactly the price asked for.
    let r = t.buy(1004, "ETH/USD", "Price", "3018").await;
    let ex = ok(&r).clone();
    assert_eq!(text(&ex["requestAmount"]), "1.000000000000000000");
    assert_eq!(text(&ex["commissionFee"]), "15.000000000000000000");
    let id = ex["id"].as_i64().unwrap_or_default();
    ok(&t.step(id, "approve").await);
    ok(&t.step(id, "complete").await);
    t.assert_balance(
        1055,
        "96982.000000000000000000",
        "96982.000000000000000000",
        ZERO,
    )
    .await;
    t.assert_balance(1058, "41.000000000000000000", "41.000000000000000000", ZERO)
        .await;
    t.assert_ledger(1055).await;
    t.assert_ledger(1058).await;
}

#[tokio::test]
async fn buy_rejected_and_failed_release_the_reservation() {
    let t = T::new().await;
    let a = id_of(&t.buy(1004, "USDC/USD", "Amount", "100").await);
    t.assert_balance(
        1055,
        "100000.000000000000000000",
        "99898.500000000000000000",
        "101.500000000000000000",
    )
    .await;
    let b = id_of(&t.buy(1004, "USDC/USD", "Price", "2000").await);
    assert_eq!(ok(&t.step(a, "reject").await)["status"], json!("Rejected"));
    assert_eq!(t.exchange(a).await["status"], json!("Rejected"));
    assert_eq!(ok(&t.step(b, "approve").await)["status"], json!("Pending"));
    assert_eq!(ok(&t.step(b, "fail").await)["status"], json!("Failed"));
    t.assert_balance(
        1055,
        "100000.000000000000000000",
        "100000.000000000000000000",
        ZERO,
    )
    .await;
    t.assert_balance(
        1056,
        "50000.000000000000000000",
        "50000.000000000000000000",
        ZERO,
    )
    .await;
    let d = t.tx_details(10006).await;
    assert_eq!(d["transactionStatus"], json!("Failed"));
    assert_eq!(
        d["assetExchangeTransferDetails"]["assetExchangeStatus"],
        json!("Rejected")
    );
    t.assert_ledger(1055).await;
    // Released transactions are no longer pending in the list.
    let list = t.all_transactions(1055).await;
    assert!(list.iter().all(|x| x["bPending"] == json!(false)));
}

#[tokio::test]
async fn buy_with_a_price_move_is_reviewed_and_cancelled() {
    let t = T::new().await;
    let id = id_of(&t.buy(1004, "BTC/USD", "Amount", "0.01").await);
    t.assert_balance(
        1055,
        "100000.000000000000000000",
        "99391.000000000000000000",
        "609.000000000000000000",
    )
    .await;
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/prices",
            Some(json!({"assetPair": "BTC/USD", "price": 62000})),
        )
        .await;
    assert_eq!(text(&ok(&r)["price"]), "62000.000000000000000000");
    assert_eq!(
        ok(&t.step(id, "approve").await)["status"],
        json!("WaitingForConfirmation")
    );

    let r = t.post(REVIEW, json!({"ExchangesId": id})).await;
    assert_eq!(r.1["id"], json!(id));
    let q = ok(&r).clone();
    assert_eq!(text(&q["previousPrice"]), "609.000000000000000000");
    assert_eq!(text(&q["previousAmount"]), "0.010000000000000000");
    assert_eq!(text(&q["amount"]), "0.010000000000000000");
    assert_eq!(text(&q["price"]), "629.300000000000000000");
    assert_eq!(text(&q["commissionFee"]), "3.100000000000000000");
    assert_eq!(text(&q["networkFee"]), "6.200000000000000000");
    assert_eq!(q["fxRateId"], Value::Null);
    // A buy cannot be confirmed: only cancelled.
    let r = t
        .post(
            CONFIRM,
            json!({"exchangesId": id, "amount": 0.01, "price": 629.3}),
        )
        .await;
    assert_error(&r, 400, "ExchangesId", "Invalid_State");
    let r = t.post(CANCEL, json!({"exchangesId": id})).await;
    let ex = ok(&r).clone();
    assert_eq!(ex["status"], json!("Failed"));
    t.assert_balance(
        1055,
        "100000.000000000000000000",
        "100000.000000000000000000",
        ZERO,
    )
    .await;
    t.assert_ledger(1055).await;
    assert_error(
        &t.post(CANCEL, json!({"exchangesId": id})).await,
        400,
        "ExchangesId",
        "Invalid_State",
    );
    assert_error(
        &t.post(REVIEW, json!({"exchangesId": id})).await,
        400,
        "ExchangesId",
        "Invalid_State",
    );
    assert_eq!(t.executed(CANCEL).await, 1);
    assert_eq!(t.executed(REVIEW).await, 1);
    assert_eq!(t.executed(CONFIRM).await, 0);
}

#[tokio::test]
async fn sell_with_a_price_move_is_reviewed_and_confirmed() {
    let t = T::new().await;
    let r = t.sell(json!({"CustomersId": 1004, "PayeesId": null, "FxRateId": null, "AssetPair": "BTC/USD",
        "QuantityType": "Amount", "TransferType": null, "Price": null, "Amount": 0.05, "PurposeCode": null})).await;
    let ex = ok(&r).clone();
    let id = ex["id"].as_i64().unwrap_or_default();
    assert_eq!(ex["exchangeType"], json!("Sell"));
    assert_eq!(text(&ex["requestPrice"]), "3000.000000000000000000");
    t.assert_balance(
        1057,
        "2.500000000000000000",
        "2.450000000000000000",
        "0.050000000000000000",
    )
    .await;

    t.sb.control()
        .set_price("btc/usd", d("61000"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        t.sb.control().approve(id).ok(),
        Some(ExchangeStatus::WaitingForConfirmation)
    );
    let r = t.post(REVIEW, json!({"exchangesId": id})).await;
    let q = ok(&r).clone();
    assert_eq!(text(&q["previousPrice"]), "3000.000000000000000000");
    assert_eq!(text(&q["price"]), "3050.000000000000000000");
    assert_eq!(text(&q["commissionFee"]), "15.250000000000000000");
    assert_eq!(text(&q["networkFee"]), "6.100000000000000000");
    assert_eq!(text(&q["netPrice"]), "3028.650000000000000000");
    assert_eq!(q["quantityType"], json!("Amount"));

    // Confirm needs the review's numbers.
    assert_error(
        &t.post(
            CONFIRM,
            json!({"exchangesId": id, "amount": 0.05, "price": 3000}),
        )
        .await,
        400,
        "Price",
        "Invalid",
    );
    assert_error(
        &t.post(
            CONFIRM,
            json!({"exchangesId": id, "amount": 0.06, "price": 3050}),
        )
        .await,
        400,
        "Amount",
        "Invalid",
    );
    assert_error(
        &t.post(CONFIRM, json!({"exchangesId": id, "price": 3050}))
            .await,
        400,
        "Amount",
        "Required",
    );
    assert_error(
        &t.post(
            CONFIRM,
            json!({"exchangesId": 4, "amount": 0.05, "price": 3050}),
        )
        .await,
        404,
        "ExchangesId",
        "Not_Found",
    );
    let r = t
        .post(
            CONFIRM,
            json!({"ExchangesId": id, "amount": q["amount"], "price": q["price"]}),
        )
        .await;
    assert_eq!(r.1["id"], json!(id));
    let ex = ok(&r).clone();
    assert_eq!(ex["status"], json!("Pending"));
    assert_eq!(text(&ex["requestPrice"]), "3050.000000000000000000");
    assert_eq!(text(&ex["commissionFee"]), "15.250000000000000000");
    assert_eq!(t.executed(CONFIRM).await, 1);
    // Illegal now: confirm again, cancel a Pending exchange, review a Pending exchange.
    assert_error(
        &t.post(
            CONFIRM,
            json!({"exchangesId": id, "amount": 0.05, "price": 3050}),
        )
        .await,
        400,
        "ExchangesId",
        "Invalid_State",
    );
    assert_error(
        &t.post(CANCEL, json!({"exchangesId": id})).await,
        400,
        "ExchangesId",
        "Invalid_State",
    );
    assert_error(
        &t.post(REVIEW, json!({"exchangesId": id})).await,
        400,
        "ExchangesId",
        "Invalid_State",
    );

    assert_eq!(
        t.sb.control().complete(id).ok(),
        Some(ExchangeStatus::Completed)
    );
    t.assert_balance(1057, "2.450000000000000000", "2.450000000000000000", ZERO)
        .await;
    t.assert_balance(
        1055,
        "103028.650000000000000000",
        "103028.650000000000000000",
        ZERO,
    )
    .await;
    t.assert_ledger(1057).await;
    t.assert_ledger(1055).await;
    let ex = t.exchange(id).await;
    let to = ex["toTransactionsId"].as_i64().unwrap_or_default();
    let credit = t.tx_details(to).await;
    assert_eq!(text(&credit["amount"]), "3050.000000000000000000");
    assert_eq!(
        text(&credit["feeTransactionAmount"]),
        "-21.350000000000000000"
    );
    assert_eq!(
        credit["assetExchangeTransferDetails"]["fromAsset"],
        json!("BTC")
    );
    // Conservation: the base sold at the price = proceeds + commission + network fee.
    assert_eq!(d("0.05") * d("61000"), d("3028.65") + d("15.25") + d("6.1"));

    // Completed is final.
    assert_error(
        &t.post(CANCEL, json!({"exchangesId": id})).await,
        400,
        "ExchangesId",
        "Invalid_State",
    );
    let err = t.sb.control().approve(id).err();
    assert!(
        matches!(
            err,
            Some(SandboxError::InvalidState {
                status: ExchangeStatus::Completed,
                ..
            })
        ),
        "{err:?}"
    );
    let msg = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("Completed") && msg.contains("WaitingForApproval"),
        "{msg}"
    );
}

#[tokio::test]
async fn price_based_sell_confirmed_at_a_lower_price_reserves_more() {
    let t = T::new().await;
    let id = id_of(&t.sell(json!({"customersId": 1004, "assetPair": "ETH/USD", "quantityType": "Price", "price": 3000})).await);
    t.assert_balance(
        1058,
        "40.000000000000000000",
        "39.000000000000000000",
        "1.000000000000000000",
    )
    .await;
    t.sb.control()
        .set_price("ETH/USD", d("2500"))
        .unwrap_or_else(|e| panic!("{e}"));
    ok(&t.step(id, "approve").await);
    let q = ok(&t.post(REVIEW, json!({"exchangesId": id})).await).clone();
    assert_eq!(text(&q["amount"]), "1.200000000000000000");
    assert_eq!(text(&q["previousAmount"]), "1.000000000000000000");
    assert_eq!(text(&q["netPrice"]), "2982.500000000000000000");
    ok(&t
        .post(
            CONFIRM,
            json!({"exchangesId": id, "amount": q["amount"], "price": q["price"]}),
        )
        .await);
    t.assert_balance(
        1058,
        "40.000000000000000000",
        "38.800000000000000000",
        "1.200000000000000000",
    )
    .await;
    ok(&t.step(id, "complete").await);
    t.assert_balance(1058, "38.800000000000000000", "38.800000000000000000", ZERO)
        .await;
    t.assert_balance(
        1055,
        "102982.500000000000000000",
        "102982.500000000000000000",
        ZERO,
    )
    .await;
    t.assert_ledger(1058).await;
    t.assert_ledger(1055).await;
}

#[tokio::test]
async fn sell_to_a_payee_with_an_fx_rate() {
    let t = T::new().await;
    let r = t.post(QUOTE, json!({"customersId": 1004, "payeesId": 1011, "assetPair": "BTC/USD", "quantityType": "Amount",
        "exchangeType": "Sell", "transferType": "Wire", "amount": 0.02})).await;
    let q = ok(&r).clone();
    assert_eq!(q["payeesId"], json!(1011));
    let fx = q["fxRateId"].clone();
    // The fxRateId alone carries quantity type and amount; it is echoed as a string too.
    let r = t.sell(json!({"customersId": 1004, "payeesId": 1011, "fxRateId": text(&fx), "assetPair": "BTC/USD",
        "quantityType": null, "transferType": "wire", "price": null, "amount": null, "purposeCode": null})).await;
    let ex = ok(&r).clone();
    assert_eq!(text(&ex["requestAmount"]), "0.020000000000000000");
    assert_eq!(text(&ex["requestPrice"]), "1200.000000000000000000");
    assert_eq!(ex["payeesId"], json!(1011));
    assert_eq!(ex["transferType"], json!("Wire"));
    let id = ex["id"].as_i64().unwrap_or_default();
    ok(&t.step(id, "approve").await);
    ok(&t.step(id, "complete").await);
    // Proceeds left to the payee: only the BTC debit moved a sandbox account.
    t.assert_balance(1057, "2.480000000000000000", "2.480000000000000000", ZERO)
        .await;
    t.assert_balance(
        1055,
        "100000.000000000000000000",
        "100000.000000000000000000",
        ZERO,
    )
    .await;
    let ex = t.exchange(id).await;
    assert_eq!(ex["toTransactionsId"], Value::Null);
    assert_eq!(text(&ex["executedAmount"]), "0.020000000000000000");
    t.assert_ledger(1057).await;

    // The quote's price is the exchange's: a move since the quote sends it to confirmation.
    let r = t.post(QUOTE, json!({"customersId": 1004, "assetPair": "BTC/USD", "quantityType": "Amount", "exchangeType": "Sell", "amount": 0.02})).await;
    let fx = ok(&r)["fxRateId"].clone();
    t.sb.control()
        .set_price("BTC/USD", d("59000"))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = t
        .sell(json!({"customersId": 1004, "fxRateId": fx, "assetPair": "BTC/USD"}))
        .await;
    assert_eq!(text(&ok(&r)["requestPrice"]), "1200.000000000000000000");
    let id = id_of(&r);
    assert_eq!(
        ok(&t.step(id, "approve").await)["status"],
        json!("WaitingForConfirmation")
    );

    let cases = [
        (
            json!({"customersId": 1004, "fxRateId": 999999, "assetPair": "BTC/USD"}),
            400,
            "FxRateId",
            "Invalid",
        ),
        (
            json!({"customersId": 1004, "fxRateId": fx, "assetPair": "ETH/USD"}),
            400,
            "FxRateId",
            "Invalid",
        ),
        (
            json!({"customersId": 1005, "fxRateId": fx, "assetPair": "BTC/USD"}),
            400,
            "FxRateId",
            "Invalid",
        ),
        (
            json!({"customersId": 1004, "assetPair": "BTC/USD", "quantityType": "Amount"}),
            400,
            "Amount",
            "Required",
        ),
        (
            json!({"customersId": 1004, "assetPair": "BTC/USD", "amount": 0.1}),
            400,
            "QuantityType",
            "Required",
        ),
        (
            json!({"customersId": 1004, "payeesId": 1011, "assetPair": "BTC/USD", "quantityType": "Amount", "amount": 0.1}),
            400,
            "TransferType",
            "Required",
        ),
        (
            json!({"customersId": 1006, "assetPair": "BTC/USD", "quantityType": "Amount", "amount": 0.1}),
            400,
            "CustomersId",
            "Documents_Not_Verified",
        ),
        (
            json!({"customersId": 1004, "assetPair": "BTC/USD", "quantityType": "Amount", "amount": 3}),
            400,
            "Amount",
            "Insufficient_Funds",
        ),
        (
            json!({"customersId": 1004, "payeesId": 7, "transferType": "ACH", "assetPair": "BTC/USD", "quantityType": "Amount", "amount": 0.1}),
            404,
            "PayeesId",
            "Not_Found",
        ),
    ];
    for (body, status, field, code) in cases {
        assert_error(&t.sell(body.clone()).await, status, field, code);
    }
    // A buy quote's fxRateId is no sell quote.
    let r = t.post(QUOTE, json!({"customersId": 1004, "assetPair": "BTC/USD", "quantityType": "Amount", "exchangeType": "Buy", "amount": 0.02})).await;
    let buy_fx = ok(&r)["fxRateId"].clone();
    assert_error(
        &t.sell(json!({"customersId": 1004, "fxRateId": buy_fx}))
            .await,
        400,
        "FxRateId",
        "Invalid",
    );
    assert_eq!(t.executed(SELL).await, 2);
}

#[tokio::test]
async fn buy_errors_and_a_new_account_on_completion() {
    let t = T::new().await;
    assert_error(
        &t.buy(1006, "BTC/USD", "Amount", "0.01").await,
        400,
        "CustomersId",
        "Documents_Not_Verified",
    );
    assert_error(
        &t.buy(1005, "BTC/USDC", "Amount", "1").await,
        400,
        "Amount",
        "Insufficient_Funds",
    );
    assert_error(
        &t.buy(1005, "ETH/USD", "Price", "0").await,
        400,
        "Price",
        "Amount_Must_Be_Positive",
    );
    assert_error(
        &t.buy(1005, "ETH/USD", "Amount", "null").await,
        400,
        "Amount",
        "Required",
    );
    assert_error(
        &t.buy(1005, "ETH/EUR", "Amount", "1").await,
        400,
        "AssetPair",
        "Invalid",
    );
    assert_error(
        &t.buy(7777, "ETH/USD", "Amount", "1").await,
        404,
        "CustomersId",
        "Not_Found",
    );
    assert_eq!(t.executed(BUY).await, 0);

    // The managee has no BTC account: completion opens one (ids from 3000).
    let id = id_of(&t.buy(1005, "BTC/USDC", "Amount", "0.001").await);
    t.assert_balance(
        1061,
        "1000.000000000000000000",
        "933.700000000000000000",
        "66.300000000000000000",
    )
    .await;
    ok(&t.step(id, "approve").await);
    ok(&t.step(id, "complete").await);
    t.assert_balance(
        1061,
        "933.700000000000000000",
        "933.700000000000000000",
        ZERO,
    )
    .await;
    let r = t
        .get(&format!("{LIST_ACCOUNTS}?customersId=1005&asset=BTC"))
        .await;
    let acc = ok(&r)[0].clone();
    assert_eq!(acc["id"], json!(3000));
    assert_eq!(text(&acc["totalBalance"]), "0.001000000000000000");
    t.assert_ledger(3000).await;
    t.assert_ledger(1061).await;
    assert_eq!(t.exchange(id).await["toTransactionsId"], json!(10008));
}

#[tokio::test]
async fn illegal_transitions_and_control_errors() {
    let t = T::new().await;
    let id = id_of(&t.buy(1004, "ETH/USD", "Amount", "1").await);
    for action in ["complete", "fail"] {
        assert_error(
            &t.step(id, action).await,
            400,
            "ExchangesId",
            "Invalid_State",
        );
    }
    assert_error(
        &t.post(CANCEL, json!({"exchangesId": id})).await,
        400,
        "ExchangesId",
        "Invalid_State",
    );
    assert_error(
        &t.post(REVIEW, json!({"exchangesId": id})).await,
        400,
        "ExchangesId",
        "Invalid_State",
    );
    assert_error(
        &t.post(CANCEL, json!({})).await,
        400,
        "ExchangesId",
        "Required",
    );
    assert_error(
        &t.post(REVIEW, json!({"exchangesId": 1})).await,
        404,
        "ExchangesId",
        "Not_Found",
    );
    assert_error(
        &t.step(99, "approve").await,
        404,
        "ExchangesId",
        "Not_Found",
    );
    assert_error(&t.step(id, "frobnicate").await, 404, "", "Not_Found");
    let r = t
        .ctl(Method::POST, "/_sandbox/exchanges/abc/approve", None)
        .await;
    assert_error(&r, 400, "ExchangesId", "Invalid");
    ok(&t.step(id, "approve").await);
    for action in ["approve", "reject"] {
        assert_error(
            &t.step(id, action).await,
            400,
            "ExchangesId",
            "Invalid_State",
        );
    }
    ok(&t.step(id, "complete").await);
    for action in ["approve", "reject", "complete", "fail"] {
        assert_error(
            &t.step(id, action).await,
            400,
            "ExchangesId",
            "Invalid_State",
        );
    }
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/prices",
            Some(json!({"assetPair": "XRP/USD", "price": 1})),
        )
        .await;
    assert_error(&r, 400, "AssetPair", "Invalid");
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/prices",
            Some(json!({"assetPair": "ETH/USD", "price": -1})),
        )
        .await;
    assert_error(&r, 400, "Price", "Amount_Must_Be_Positive");
    assert!(t.sb.control().set_price("ETH/USD", d("0")).is_err());
    let r = t.ctl(Method::GET, "/_sandbox/prices", None).await;
    assert_eq!(ok(&r).as_array().map(Vec::len), Some(4));
    assert_eq!(t.sb.control().price("ETH/USD").ok(), Some(d("3000")));
}

#[tokio::test]
async fn list_exchanges_filters_and_paging() {
    let t = T::new().await;
    let mut ids = Vec::new();
    for k in 0..12 {
        let r = if k % 3 == 0 {
            t.sell(json!({"customersId": 1004, "assetPair": "ETH/USD", "quantityType": "Amount", "amount": 0.5})).await
        } else if k % 3 == 1 {
            t.buy(1004, "BTC/USDC", "Amount", "0.01").await
        } else {
            t.buy(1005, "USDC/USD", "Amount", "10").await
        };
        ids.push(id_of(&r));
    }
    for id in &ids[..4] {
        ok(&t.step(*id, "approve").await);
    }
    let r = t.get(LIST).await;
    assert_eq!(
        (
            r.1["pageSize"].clone(),
            r.1["pageNumber"].clone(),
            r.1["numberOfPages"].clone()
        ),
        (json!(10), json!(1), json!(2))
    );
    let first: Vec<i64> = ok(&r)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert_eq!(first, (23002..=23011).rev().collect::<Vec<_>>());
    let r = t.get(&format!("{LIST}?PageNumber=2")).await;
    let second: Vec<i64> = ok(&r)
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert_eq!(second, vec![23001, 23000]);

    let count = |q: String| {
        let t = &t;
        async move {
            let r = t.get(&format!("{LIST}?{q}&PageSize=100")).await;
            ok(&r).as_array().map(Vec::len).unwrap_or_default()
        }
    };
    assert_eq!(count("CustomersId=1005".into()).await, 4);
    assert_eq!(count("customersId=1004&ExchangeType=Sell".into()).await, 4);
    assert_eq!(count("AssetPair=BTC/USDC".into()).await, 4);
    assert_eq!(count("assetPair=btc%2Fusdc&status=Pending".into()).await, 1);
    assert_eq!(count("Status=Pending".into()).await, 4);
    assert_eq!(count("Status=WaitingForApproval".into()).await, 8);
    assert_eq!(count("ExchangeType=Buy&CustomersId=1006".into()).await, 0);
    // Walk to the end with a small page size.
    let mut seen = Vec::new();
    let mut page = 1;
    loop {
        let r = t
            .get(&format!(
                "{LIST}?ExchangeType=Buy&PageSize=3&PageNumber={page}"
            ))
            .await;
        seen.extend(
            ok(&r)
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|e| e["id"].as_i64()),
        );
        if page >= r.1["numberOfPages"].as_u64().unwrap_or_default() {
            break;
        }
        page += 1;
    }
    assert_eq!(seen.len(), 8);
    assert_error(
        &t.get(&format!("{LIST}?Status=Sideways")).await,
        400,
        "Status",
        "Invalid",
    );
    assert_error(
        &t.get(&format!("{LIST}?ExchangeType=Swap")).await,
        400,
        "ExchangeType",
        "Invalid",
    );
    assert_error(
        &t.get(&format!("{LIST}?AssetPair=DOGE")).await,
        400,
        "AssetPair",
        "Invalid",
    );
    assert_error(
        &t.get(&format!("{LIST}?PageNumber=0")).await,
        400,
        "PageNumber",
        "Invalid",
    );
    for acc in [1055, 1056, 1058, 1060] {
        t.assert_ledger(acc).await;
    }
}
