//! Cards: the seeded cards and their views, transfers between accounts and cards (fees, sums
//! conserved), their refusals, and card creation.

use std::collections::BTreeSet;

use reqwest::Method;
use rust_decimal::Decimal;
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

/// Luhn's check, computed here independently of the sandbox.
fn luhn_valid(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    digits.len() == number.len() && sum % 10 == 0
}

/// Every account balance plus every card balance, over HTTP.
async fn all_money(t: &T) -> Decimal {
    let r = t.get(&format!("{LIST_ACCOUNTS}?PageSize=1000")).await;
    let accounts: Decimal = ok(&r)
        .as_array()
        .map(|a| a.iter().map(|x| dec(&x["totalBalance"])).sum())
        .unwrap_or_default();
    let r = t.get(&format!("{CARD_BALANCES}?PageSize=1000")).await;
    let cards: Decimal = ok(&r)
        .as_array()
        .map(|a| a.iter().map(|x| dec(&x["totalBalance"])).sum())
        .unwrap_or_default();
    accounts + cards
}

async fn card_balance(t: &T, card: i64) -> String {
    let r = t.get(&format!("{CARD_DETAILS}?CardId={card}")).await;
    text(&ok(&r)["totalBalance"])
}

async fn fees_collected(t: &T) -> Decimal {
    let r = t.ctl(Method::GET, "/_sandbox/cards/fees", None).await;
    dec(&ok(&r)["feesCollected"])
}

fn top_up(amount: Value, card: i64, account: i64) -> Value {
    json!({"amount": amount, "reference": "Test", "transferTypes": "TopUpCard", "currencyType": "USD",
           "DestinationCardId": card, "CustomersId": "1004", "CustomerAssetAccountId": account})
}

#[tokio::test]
async fn seeded_cards_and_their_views() {
    let t = T::new().await;
    // All managed customers (the manager included) with their cards.
    let r = t.get(CARDS_BY_USER_LIST).await;
    let list = ok(&r).as_array().cloned().unwrap_or_default();
    assert_eq!(
        (r.1["pageNumber"].clone(), r.1["pageSize"].clone()),
        (json!(1), json!(10))
    );
    let customers: Vec<Value> = list.iter().map(|c| c["customersId"].clone()).collect();
    assert_eq!(customers, [json!(1004), json!(1005), json!(1006)]);
    assert_eq!(
        keys(&list[0]),
        set(&["customersId", "customersReference", "cards"])
    );
    assert_eq!(list[0]["customersReference"], json!("CST1004"));
    let cards = list[0]["cards"].as_array().cloned().unwrap_or_default();
    assert_eq!(cards.len(), 2);
    assert_eq!(
        keys(&cards[0]),
        set(&[
            "id",
            "currency",
            "cardNumber",
            "totalBalance",
            "availableBalance",
            "pendingBalance",
            "bSuppressed"
        ])
    );
    assert_eq!(cards[0]["id"], json!(1201));
    assert_eq!(text(&cards[0]["totalBalance"]), "500.000000000000000000");
    assert_eq!(cards[0]["bSuppressed"], json!(false));
    assert_eq!(cards[1]["bSuppressed"], json!(true));
    assert!(text(&cards[0]["cardNumber"]).contains("******"));
    assert_eq!(list[2]["cards"], json!([]));
    let r = t
        .get(&format!("{CARDS_BY_USER_LIST}?pageNumber=2&pageSize=1"))
        .await;
    assert_eq!(ok(&r)[0]["customersId"], json!(1005));
    assert_eq!(r.1["numberOfPages"], json!(3));

    // One customer.
    let r = t.get(&format!("{CARDS_BY_USER}?customersId=1005")).await;
    let one = ok(&r).as_array().cloned().unwrap_or_default();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["cards"][0]["id"], json!(1203));
    assert_error(
        &t.get(&format!("{CARDS_BY_USER}?customersId=9999")).await,
        404,
        "CustomersId",
        "Not_Found",
    );

    // Balances: every card, the newer example's fields.
    let r = t.get(CARD_BALANCES).await;
    let all = ok(&r).as_array().cloned().unwrap_or_default();
    assert_eq!(all.len(), 3);
    assert_eq!(
        keys(&all[0]),
        set(&[
            "id",
            "customersReference",
            "cardHolderName",
            "cardLast4",
            "customersID",
            "currency",
            "totalBalance",
            "availableBalance",
            "pendingBalance",
            "status"
        ])
    );
    assert_eq!(all[0]["customersID"], json!("1004"));
    assert_eq!(all[1]["status"], json!("Deactivated"));
    assert_eq!(all[2]["status"], json!("Active"));
    let r = t.get(&format!("{CARD_BALANCES}?CustomersID=1005")).await;
    let ids: Vec<Value> = ok(&r)
        .as_array()
        .map(|a| a.iter().map(|c| c["id"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(ids, [json!(1203)]);
    let r = t
        .get(&format!("{CARD_BALANCES}?PageSize=2&PageNumber=2"))
        .await;
    assert_eq!(ok(&r).as_array().map(Vec::len), Some(1));
    assert_error(
        &t.get(&format!("{CARD_BALANCES}?CustomersID=9999")).await,
        404,
        "CustomersId",
        "Not_Found",
    );

    // Details and sensitive details agree.
    let r = t.get(&format!("{CARD_DETAILS}?CardId=1201")).await;
    let details = ok(&r).clone();
    assert_eq!(
        keys(&details),
        set(&[
            "customersID",
            "customersReference",
            "cardHolderName",
            "cardLast4",
            "currency",
            "totalBalance",
            "availableBalance",
            "status"
        ])
    );
    assert_eq!(details["customersID"], json!(1004));
    let r = t.get(&format!("{CARD_SENSITIVE}?cardId=1201")).await;
    let secret = ok(&r).clone();
    assert_eq!(
        keys(&secret),
        set(&[
            "id",
            "cardNumber",
            "cvc",
            "expiryMonth",
            "expiryYear",
            "nameOnCard"
        ])
    );
    let number = text(&secret["cardNumber"]);
    assert!(
        number.starts_with("411111") && number.len() == 16,
        "{number}"
    );
    assert!(luhn_valid(&number), "{number}");
    assert!(!luhn_valid("4111110000012017"));
    assert!(luhn_valid("4111111111111111"));
    assert!(number.ends_with(&text(&details["cardLast4"])));
    assert_eq!(text(&secret["cvc"]).len(), 3);
    assert!((1..=12).contains(&secret["expiryMonth"].as_u64().unwrap_or_default()));
    assert_eq!(secret["nameOnCard"], details["cardHolderName"]);
    for path in [CARD_DETAILS, CARD_SENSITIVE] {
        assert_error(
            &t.get(&format!("{path}?CardId=9999")).await,
            404,
            "CardId",
            "Not_Found",
        );
        assert_error(&t.get(path).await, 400, "CardId", "Required");
    }

    // Transactions: the seeded top-ups.
    let r = t.get(CARD_TRANSACTIONS).await;
    let txs = ok(&r).as_array().cloned().unwrap_or_default();
    assert_eq!(txs.len(), 2);
    assert_eq!(
        keys(&txs[0]),
        set(&[
            "id",
            "cardsId",
            "amount",
            "currency",
            "description",
            "dateTime",
            "bPending",
            "RefundTransactionsID"
        ])
    );
    assert_eq!(txs[0]["cardsId"], json!(1203));
    assert_eq!(txs[0]["RefundTransactionsID"], Value::Null);
    let r = t.get(&format!("{CARD_TRANSACTIONS}?CardsId=1201")).await;
    assert_eq!(text(&ok(&r)[0]["amount"]), "500.000000000000000000");
    let r = t
        .get(&format!(
            "{CARD_TRANSACTIONS}?CardsId=1201&fromDate=2024-01-16"
        ))
        .await;
    assert_eq!(ok(&r), &json!([]));
    assert_error(
        &t.get(&format!("{CARD_TRANSACTIONS}?CardsId=9999")).await,
        404,
        "CardsId",
        "Not_Found",
    );
    assert_error(
        &t.get(&format!("{CARD_TRANSACTIONS}?toDate=yesterday"))
            .await,
        400,
        "ToDate",
        "Invalid",
    );
}

#[tokio::test]
async fn top_up_a_card_and_back_and_card_to_card_conserve_money() {
    let t = T::new().await;
    let start = all_money(&t).await;
    let mut fees = Decimal::ZERO;

    // Account -> card: the fee (1 %, at least 1.00) comes out of the amount.
    let r = t.post(CARD_TRANSFER, top_up(json!(250), 1201, 1055)).await;
    let done = ok(&r).clone();
    assert_eq!(
        keys(&done),
        set(&[
            "FromTransactionId",
            "ToTransactionId",
            "FeeTransactionId",
            "amount",
            "feeAmount",
            "description",
            "bPending"
        ])
    );
    assert_eq!(r.1["id"], done["FromTransactionId"]);
    assert_eq!(text(&done["amount"]), "250.000000000000000000");
    assert_eq!(text(&done["feeAmount"]), "2.500000000000000000");
    assert_eq!(done["description"], json!("Card transfer - Test"));
    assert_eq!(done["bPending"], json!(false));
    fees += dec(&done["feeAmount"]);
    t.assert_balance(
        1055,
        "99750.000000000000000000",
        "99750.000000000000000000",
        "0.000000000000000000",
    )
    .await;
    assert_eq!(card_balance(&t, 1201).await, "747.500000000000000000");
    assert_eq!(all_money(&t).await + fees, start);
    // The account side: the transfer and its fee, linked.
    let from = done["FromTransactionId"].as_i64().unwrap_or_default();
    let tx = t.tx_details(from).await;
    assert_eq!(tx["transactionType"], json!("CardTransfer"));
    assert_eq!(text(&tx["amount"]), "-247.500000000000000000");
    assert_eq!(tx["feeTransactionId"], done["FeeTransactionId"]);
    assert_eq!(text(&tx["feeTransactionAmount"]), "-2.500000000000000000");
    t.assert_ledger(1055).await;
    // The card side.
    let r = t.get(&format!("{CARD_TRANSACTIONS}?CardsId=1201")).await;
    let newest = ok(&r)[0].clone();
    assert_eq!(newest["id"], done["ToTransactionId"]);
    assert_eq!(text(&newest["amount"]), "247.500000000000000000");

    // Card -> account: free.
    let r = t
        .post(
            CARD_TRANSFER,
            json!({"amount": 100.25, "reference": "Back", "transferTypes": "TopUpAccount",
                   "currencyType": "dUSD", "SourceCardId": 1201, "CustomersId": 1004,
                   "CustomerAssetAccountId": 1055}),
        )
        .await;
    let back = ok(&r).clone();
    assert_eq!(text(&back["feeAmount"]), "0.000000000000000000");
    assert_eq!(back["FeeTransactionId"], Value::Null);
    assert_eq!(card_balance(&t, 1201).await, "647.250000000000000000");
    t.assert_balance(
        1055,
        "99850.250000000000000000",
        "99850.250000000000000000",
        "0.000000000000000000",
    )
    .await;
    assert_eq!(all_money(&t).await + fees, start);

    // Card -> a managee's card.
    let r = t
        .post(
            CARD_TRANSFER,
            json!({"amount": 50, "reference": "Test", "transferTypes": "CardToCard", "currencyType": "USD",
                   "SourceCardId": 1201, "CustomersId": "1004", "DestinationCardId": 1203}),
        )
        .await;
    let c2c = ok(&r).clone();
    assert_eq!(text(&c2c["feeAmount"]), "1.000000000000000000");
    fees += dec(&c2c["feeAmount"]);
    assert_eq!(card_balance(&t, 1201).await, "597.250000000000000000");
    assert_eq!(card_balance(&t, 1203).await, "199.000000000000000000");
    assert_eq!(all_money(&t).await + fees, start);
    assert_eq!(fees_collected(&t).await, fees);
    assert_eq!(t.sb.control().card_fees_collected(), fees);
    // Three card transactions on 1201 (top-up, back, c2c + its fee) after the seed.
    let r = t.get(&format!("{CARD_TRANSACTIONS}?CardsId=1201")).await;
    let amounts: Vec<String> = ok(&r)
        .as_array()
        .map(|a| a.iter().map(|x| text(&x["amount"])).collect())
        .unwrap_or_default();
    assert_eq!(
        amounts,
        [
            "-1.000000000000000000",
            "-49.000000000000000000",
            "-100.250000000000000000",
            "247.500000000000000000",
            "500.000000000000000000"
        ]
    );
    assert_eq!(t.executed(CARD_TRANSFER).await, 3);
}

#[tokio::test]
async fn insufficient_funds_and_amounts_below_the_fee_move_nothing() {
    let t = T::new().await;
    let start = all_money(&t).await;
    let cases = [
        (top_up(json!(100001), 1201, 1055), "Insufficient_Funds"),
        (top_up(json!(1), 1201, 1055), "Amout_Less_Than_Fee"),
        (top_up(json!(0.5), 1201, 1055), "Amout_Less_Than_Fee"),
        (
            json!({"amount": 150.01, "transferTypes": "TopUpAccount", "currencyType": "USD",
                   "SourceCardId": 1203, "CustomersId": 1005, "CustomerAssetAccountId": 1060}),
            "Insufficient_Funds",
        ),
        (
            json!({"amount": 1, "transferTypes": "CardToCard", "currencyType": "USD",
                   "SourceCardId": 1203, "CustomersId": 1005, "DestinationCardId": 1201}),
            "Amout_Less_Than_Fee",
        ),
    ];
    for (body, code) in cases {
        let r = t.post(CARD_TRANSFER, body.clone()).await;
        assert_error(&r, 400, "Amount", code);
        assert_eq!(r.1["errors"].as_array().map(Vec::len), Some(1), "{body}");
    }
    assert_eq!(all_money(&t).await, start);
    assert_eq!(fees_collected(&t).await, Decimal::ZERO);
    assert_eq!(t.executed(CARD_TRANSFER).await, 0);
    // The whole balance can move when the fee fits in it.
    let r = t
        .post(
            CARD_TRANSFER,
            json!({"amount": 150, "transferTypes": "TopUpAccount", "currencyType": "USD",
                   "SourceCardId": 1203, "CustomersId": 1005, "CustomerAssetAccountId": 1060}),
        )
        .await;
    ok(&r);
    assert_eq!(card_balance(&t, 1203).await, "0.000000000000000000");
}

#[tokio::test]
async fn transfer_validation() {
    let t = T::new().await;
    let base = top_up(json!(10), 1201, 1055);
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        if let Value::Object(m) = &mut b {
            if v.is_null() {
                m.remove(k);
            } else {
                m.insert(k.to_string(), v);
            }
        }
        b
    };
    let c2c = |extra: Value| {
        let mut b = json!({"amount": 10, "transferTypes": "CardToCard", "currencyType": "USD",
                           "SourceCardId": 1201, "CustomersId": 1004, "DestinationCardId": 1203});
        if let (Value::Object(m), Value::Object(e)) = (&mut b, extra) {
            m.extend(e);
        }
        b
    };
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (with("amount", Value::Null), 400, "Amount", "Required"),
        (with("amount", json!(0)), 400, "Amount", "Invalid"),
        (with("amount", json!(-5)), 400, "Amount", "Invalid"),
        (with("amount", json!(10.005)), 400, "Amount", "Invalid"),
        (with("amount", json!("ten")), 400, "Amount", "Invalid"),
        (
            with("transferTypes", Value::Null),
            400,
            "TransferTypes",
            "Required",
        ),
        (
            with("transferTypes", json!("Sideways")),
            400,
            "TransferTypes",
            "Invalid",
        ),
        (
            with("currencyType", Value::Null),
            400,
            "CurrencyType",
            "Required",
        ),
        (
            with("currencyType", json!("EUR")),
            400,
            "CurrencyType",
            "Invalid",
        ),
        (
            with("CustomersId", Value::Null),
            400,
            "CustomersId",
            "Required",
        ),
        (
            with("CustomersId", json!("abc")),
            400,
            "CustomersId",
            "Invalid",
        ),
        (
            with("DestinationCardId", Value::Null),
            400,
            "DestinationCardId",
            "Required",
        ),
        (
            with("CustomerAssetAccountId", Value::Null),
            400,
            "CustomerAssetAccountId",
            "Required",
        ),
        (
            with("reference", json!("x".repeat(101))),
            400,
            "Reference",
            "Invalid",
        ),
        (
            json!({"amount": 10, "transferTypes": "TopUpAccount", "currencyType": "USD",
                   "CustomersId": 1004, "CustomerAssetAccountId": 1055}),
            400,
            "SourceCardId",
            "Required",
        ),
        (
            c2c(json!({"currencyType": "dUSD"})),
            400,
            "CurrencyType",
            "Invalid",
        ),
        (
            c2c(json!({"DestinationCardId": 1201})),
            400,
            "DestinationCardId",
            "Invalid",
        ),
        (
            c2c(json!({"DestinationCardId": 9999})),
            404,
            "DestinationCardId",
            "Not_Found",
        ),
        (
            c2c(json!({"SourceCardId": 1203, "DestinationCardId": 1201})),
            400,
            "SourceCardId",
            "Invalid",
        ),
        (
            c2c(json!({"DestinationCardId": 1202})),
            400,
            "DestinationCardId",
            "Invalid",
        ),
        (
            with("CustomersId", json!(9999)),
            404,
            "CustomersId",
            "Not_Found",
        ),
        (
            with("CustomerAssetAccountId", json!(9999)),
            404,
            "CustomerAssetAccountId",
            "Not_Found",
        ),
        // Another customer's account, a crypto account, another customer's card.
        (
            with("CustomerAssetAccountId", json!(1060)),
            400,
            "CustomerAssetAccountId",
            "Invalid",
        ),
        (
            with("CustomerAssetAccountId", json!(1057)),
            400,
            "CustomerAssetAccountId",
            "Invalid",
        ),
        (
            with("DestinationCardId", json!(1203)),
            400,
            "DestinationCardId",
            "Invalid",
        ),
    ];
    for (body, status, field, code) in cases {
        let r = t.post(CARD_TRANSFER, body.clone()).await;
        assert_eq!(r.0, status, "{body} -> {}", r.1);
        assert_error(&r, status, field, code);
    }
    // Every missing field is listed at once.
    let r = t.post(CARD_TRANSFER, json!({})).await;
    let fields: BTreeSet<String> = errors(&r.1).into_iter().map(|e| e.1).collect();
    assert_eq!(
        fields,
        set(&["Amount", "TransferTypes", "CurrencyType", "CustomersId"])
    );
    assert_eq!(t.executed(CARD_TRANSFER).await, 0);
}

fn new_card(customer: i64) -> Value {
    json!({
        "customersId": customer,
        "currency": "USD",
        "cardReferenceId": "CARD-REF-001",
        "shippingMethod": "Standard",
        "cardProgramID": 1002,
        "cardType": "Physical",
        "shippingAddress": {
            "shippingAddressLine1": "Suite 500",
            "shippingAddressCity": "New York",
            "shippingAddressState": "Texas",
            "shippingAddressPostcode": "55050",
            "shippingAddressCountry": "USA"
        },
        "businessReviewDetails": {
            "legalEntityName": "Acme Corporation",
            "doingBusinessAs": "Acme Co",
            "entityType": "LLC",
            "registeredAddressStreet": "123 Main St",
            "registeredAddressNumber": "10",
            "registeredAddressCity": "Austin",
            "registeredAddressState": "TX",
            "registeredAddressPostcode": "73301"
        }
    })
}

#[tokio::test]
async fn created_cards_start_deactivated_until_activated() {
    let t = T::new().await;
    let rx = Receiver::ok().await;
    let r = t
        .ctl(
            Method::POST,
            "/_sandbox/webhooks",
            Some(json!({"url": rx.url})),
        )
        .await;
    let secret = text(&ok(&r)["secret"]);
    let r = t.post(CARD_CREATE, new_card(1004)).await;
    assert_eq!(r.1["id"], json!(1300));
    assert_eq!(
        keys(ok(&r)),
        set(&["customersId", "customersReference", "card"])
    );
    assert_eq!(ok(&r)["customersReference"], json!("CST1004"));
    assert_eq!(
        keys(&ok(&r)["card"]),
        set(&[
            "id",
            "currency",
            "totalBalance",
            "availableBalance",
            "pendingBalance",
            "status"
        ])
    );
    assert_eq!(ok(&r)["card"]["id"], json!(1300));
    assert_eq!(ok(&r)["card"]["status"], json!("Deactivated"));
    assert_eq!(
        text(&ok(&r)["card"]["totalBalance"]),
        "0.000000000000000000"
    );
    let r = t.get(&format!("{CARDS_BY_USER}?customersId=1004")).await;
    assert_eq!(ok(&r)[0]["cards"].as_array().map(Vec::len), Some(3));
    // Not usable before it is activated.
    assert_error(
        &t.post(CARD_TRANSFER, top_up(json!(20), 1300, 1055)).await,
        400,
        "DestinationCardId",
        "Invalid",
    );
    let r = t
        .ctl(Method::POST, "/_sandbox/cards/1300/activate", None)
        .await;
    assert_eq!(ok(&r), &json!({"id": 1300, "status": "Active"}));
    ok(&t.post(CARD_TRANSFER, top_up(json!(20), 1300, 1055)).await);
    assert_eq!(card_balance(&t, 1300).await, "19.000000000000000000");
    // A managee's card: activating it is the manager's approval, with its callback.
    let r = t.post(CARD_CREATE, new_card(1005)).await;
    let managee_card = r.1["id"].clone();
    t.sb.control()
        .activate_card(managee_card.as_i64().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        t.sb.control()
            .wait_for_deliveries(std::time::Duration::from_secs(60))
            .await
    );
    let events = rx.verified(&secret);
    let approvals: Vec<&Value> = events
        .iter()
        .filter(|e| e["Type"] == json!("MANAGEE_CARD_APPROVAL_UPDATED"))
        .collect();
    assert_eq!(approvals.len(), 1, "the manager's own card sends none");
    assert_eq!(approvals[0]["Data"]["TopUpCardsId"], managee_card);
    assert_eq!(approvals[0]["Data"]["Status"], json!("Approved"));
    assert_error(
        &t.ctl(Method::POST, "/_sandbox/cards/9999/activate", None)
            .await,
        404,
        "CardId",
        "Not_Found",
    );
}

#[tokio::test]
async fn card_creation_validation() {
    let t = T::new().await;
    let with = |path: &[&str], v: Value| {
        let mut b = new_card(1004);
        let mut cur = &mut b;
        for p in &path[..path.len() - 1] {
            cur = &mut cur[*p];
        }
        if let Value::Object(m) = cur {
            let last = path[path.len() - 1];
            if v.is_null() {
                m.remove(last);
            } else {
                m.insert(last.to_string(), v);
            }
        }
        b
    };
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            with(&["currency"], json!("EUR")),
            400,
            "Currency",
            "Invalid",
        ),
        (
            with(&["currency"], Value::Null),
            400,
            "Currency",
            "Required",
        ),
        (
            with(&["cardReferenceId"], Value::Null),
            400,
            "CardReferenceId",
            "Required",
        ),
        (
            with(&["shippingMethod"], json!("Priority")),
            400,
            "ShippingMethod",
            "Invalid",
        ),
        (
            with(&["cardProgramID"], json!(999)),
            400,
            "CardProgramID",
            "Invalid",
        ),
        (
            with(&["cardProgramID"], Value::Null),
            400,
            "CardProgramID",
            "Required",
        ),
        (
            with(&["cardType"], json!("Plastic")),
            400,
            "CardType",
            "Invalid",
        ),
        (
            with(&["shippingAddress"], Value::Null),
            400,
            "ShippingAddress",
            "Required",
        ),
        (
            with(&["shippingAddress"], json!("Main St")),
            400,
            "ShippingAddress",
            "Invalid",
        ),
        (
            with(&["shippingAddress", "shippingAddressCity"], Value::Null),
            400,
            "ShippingAddress.ShippingAddressCity",
            "Required",
        ),
        (
            with(&["businessReviewDetails", "entityType"], json!("Trust")),
            400,
            "BusinessReviewDetails.EntityType",
            "Invalid",
        ),
        (
            with(&["businessReviewDetails", "legalEntityName"], Value::Null),
            400,
            "BusinessReviewDetails.LegalEntityName",
            "Required",
        ),
        (
            with(&["customersId"], json!(9999)),
            404,
            "CustomersId",
            "Not_Found",
        ),
        (
            with(&["customersId"], json!(1006)),
            400,
            "CustomersId",
            "Documents_Not_Verified",
        ),
    ];
    for (body, status, field, code) in cases {
        let r = t.post(CARD_CREATE, body.clone()).await;
        assert_error(&r, status, field, code);
    }
    // Without the review details (optional) and with keys in another case.
    let r = t
        .post(
            CARD_CREATE,
            json!({"CustomersId": 1005, "Currency": "usd", "CardReferenceId": "r", "ShippingMethod": "express",
                   "CardProgramId": 1002, "ShippingAddress": {"ShippingAddressLine1": "1", "ShippingAddressCity": "c",
                   "ShippingAddressState": "s", "ShippingAddressPostcode": "p", "ShippingAddressCountry": "US"}}),
        )
        .await;
    assert_eq!(ok(&r)["customersId"], json!(1005));
    assert_eq!(t.executed(CARD_CREATE).await, 1);
}
