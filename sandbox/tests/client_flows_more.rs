//! The core client's newer endpoints (cards, simulated pay-ins, information requests,
//! cancellation eligibility) against the sandbox: top a card up from an account and back, card to
//! card, refusals, a pay-in that settles, an RFI listed and read, eligibility before and after a
//! withdrawal settles. Money is checked digit for digit, and the ledger is conserved.

mod support;

use ibanera::accounts::WithdrawCrypto;
use ibanera::cards::{ListCards, TransferFunds};
use ibanera::information_requests::ListInformationRequests;
use ibanera::simulations::SimulatePayin;
use ibanera::transactions::CancellationEligibilityQuery;
use ibanera::{CardCurrency, CardTransferType, Client, Decimal, ErrorKind, PayinTransferType};
use ibanera_sandbox::{Sandbox, seed};
use support::{client, d};

fn transfer(kind: CardTransferType, amount: &str) -> TransferFunds {
    TransferFunds {
        transfer_type: kind,
        amount: d(amount),
        currency_type: CardCurrency::Usd,
        customers_id: seed::MANAGER_CUSTOMER_ID,
        source_card_id: None,
        destination_card_id: None,
        customer_asset_account_id: None,
        reference: Some("flow test".into()),
    }
}

/// Every account's and card's total balance, plus the card fees collected: constant while
/// money only moves between them.
async fn ledger(c: &Client, sandbox: &Sandbox) -> Decimal {
    let mut sum = Decimal::ZERO;
    for account in [
        seed::MANAGER_USD_ACCOUNT,
        seed::MANAGEE_USD_ACCOUNT,
        seed::UNVERIFIED_USD_ACCOUNT,
    ] {
        sum += c.accounts().get(account).await.unwrap().total_balance;
    }
    let page = c
        .cards()
        .list(&ListCards {
            page_size: Some(100),
            ..Default::default()
        })
        .await
        .unwrap();
    for customer in &page.items {
        for card in &customer.cards {
            sum += card.total_balance.unwrap_or_default();
        }
    }
    sum + sandbox.control().card_fees_collected()
}

async fn card_balance(c: &Client, card: i64) -> Decimal {
    c.cards()
        .get(card)
        .await
        .unwrap()
        .available_balance
        .unwrap()
}

#[tokio::test]
async fn a_card_topped_up_from_an_account_and_back_then_card_to_card() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    let total = ledger(&c, &sandbox).await;
    let card = seed::MANAGER_CARD;
    let before_card = card_balance(&c, card).await;
    let before_account = c
        .accounts()
        .get(seed::MANAGER_USD_ACCOUNT)
        .await
        .unwrap()
        .available_balance;

    // Account -> card: 100.00, the fee (1%, at least 1.00) comes out of it.
    let mut up = transfer(CardTransferType::TopUpCard, "100.00");
    up.destination_card_id = Some(card);
    up.customer_asset_account_id = Some(seed::MANAGER_USD_ACCOUNT);
    let t = c.cards().transfer_funds(&up).await.unwrap();
    assert_eq!(t.fee_amount.unwrap().to_string(), "1.000000000000000000");
    assert_eq!(card_balance(&c, card).await, before_card + d("99.00"));
    let account = c.accounts().get(seed::MANAGER_USD_ACCOUNT).await.unwrap();
    assert_eq!(account.available_balance, before_account - d("100.00"));
    assert_eq!(ledger(&c, &sandbox).await, total, "money is conserved");

    // Card -> account: free.
    let mut back = transfer(CardTransferType::TopUpAccount, "50.00");
    back.source_card_id = Some(card);
    back.customer_asset_account_id = Some(seed::MANAGER_USD_ACCOUNT);
    c.cards().transfer_funds(&back).await.unwrap();
    assert_eq!(card_balance(&c, card).await, before_card + d("49.00"));
    assert_eq!(ledger(&c, &sandbox).await, total);

    // Card -> the managee's card.
    let managee_before = card_balance(&c, seed::MANAGEE_CARD).await;
    let mut move_ = transfer(CardTransferType::CardToCard, "20.00");
    move_.source_card_id = Some(card);
    move_.destination_card_id = Some(seed::MANAGEE_CARD);
    let t = c.cards().transfer_funds(&move_).await.unwrap();
    let fee = t.fee_amount.unwrap();
    assert_eq!(
        card_balance(&c, seed::MANAGEE_CARD).await,
        managee_before + d("20.00") - fee
    );
    assert_eq!(ledger(&c, &sandbox).await, total);
    let history = c
        .cards()
        .transactions(&ibanera::cards::ListCardTransactions {
            cards_id: Some(card),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(history.items.len() >= 3, "{history:?}");

    // Refusals: more than the card holds; less than the fee; a field the type does not take
    // (refused locally, nothing sent).
    let mut too_much = transfer(CardTransferType::TopUpAccount, "1000000.00");
    too_much.source_card_id = Some(card);
    too_much.customer_asset_account_id = Some(seed::MANAGER_USD_ACCOUNT);
    let e = c.cards().transfer_funds(&too_much).await.unwrap_err();
    assert_eq!(
        e.api_errors()[0].message_code.as_str(),
        "Insufficient_Funds"
    );
    let mut tiny = transfer(CardTransferType::TopUpCard, "0.50");
    tiny.destination_card_id = Some(card);
    tiny.customer_asset_account_id = Some(seed::MANAGER_USD_ACCOUNT);
    let e = c.cards().transfer_funds(&tiny).await.unwrap_err();
    assert_eq!(
        e.api_errors()[0].message_code.as_str(),
        "Amout_Less_Than_Fee"
    );
    let mut wrong = transfer(CardTransferType::CardToCard, "5.00");
    wrong.source_card_id = Some(card);
    wrong.destination_card_id = Some(seed::MANAGEE_CARD);
    wrong.customer_asset_account_id = Some(seed::MANAGER_USD_ACCOUNT);
    let before = sandbox.control().executions();
    let e = c.cards().transfer_funds(&wrong).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.validation().unwrap().field, "customer_asset_account_id");
    assert_eq!(sandbox.control().executions(), before, "nothing was sent");
    assert_eq!(ledger(&c, &sandbox).await, total);
}

#[tokio::test]
async fn a_simulated_payin_is_pending_then_settles() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    let account = seed::MANAGER_USD_ACCOUNT;
    let before = c.accounts().get(account).await.unwrap();
    c.simulations()
        .payin(&SimulatePayin {
            destination_account_id: account,
            transfer_type: PayinTransferType::Ach,
            amount: d("25.50"),
            name: Some("Flow Test".into()),
            reference: None,
        })
        .await
        .unwrap();
    let pending = c.accounts().get(account).await.unwrap();
    assert_eq!(pending.total_balance, before.total_balance + d("25.50"));
    assert_eq!(pending.pending_balance, before.pending_balance + d("25.50"));
    assert_eq!(pending.available_balance, before.available_balance);
    let ids = sandbox.control().pending_transactions();
    assert_eq!(ids.len(), 1, "{ids:?}");
    sandbox.control().settle_transaction(ids[0]).unwrap();
    let settled = c.accounts().get(account).await.unwrap();
    assert_eq!(
        settled.available_balance,
        before.available_balance + d("25.50")
    );
    assert_eq!(settled.pending_balance, before.pending_balance);
    assert_eq!(
        settled.total_balance.to_string(),
        (before.total_balance + d("25.50")).to_string()
    );
}

#[tokio::test]
async fn information_requests_are_listed_and_read() {
    let sandbox = Sandbox::start().await.unwrap();
    let c = client(&sandbox);
    let opened = sandbox
        .control()
        .open_information_request(seed::MANAGER_CUSTOMER_ID, None)
        .unwrap();
    // A withdrawal to a screened address opens one too.
    let screened = WithdrawCrypto::new(
        seed::MANAGER_BTC_ACCOUNT,
        d("0.001"),
        seed::SCREENED_ADDRESS,
    );
    let e = c.accounts().withdraw_crypto(&screened).await.unwrap_err();
    assert_eq!(
        e.api_errors()[0].message_code.as_str(),
        "Transaction_Blocked"
    );
    let page = c
        .information_requests()
        .list(&ListInformationRequests {
            customers_id: Some(seed::MANAGER_CUSTOMER_ID),
            ..Default::default()
        })
        .await
        .unwrap();
    let ids: Vec<i64> = page.items.iter().filter_map(|r| r.id).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&opened));
    let one = c.information_requests().get(opened).await.unwrap();
    assert_eq!(one.id, Some(opened));
    assert_eq!(one.raw["customersId"], seed::MANAGER_CUSTOMER_ID);
}

#[tokio::test]
async fn a_pending_withdrawal_can_be_cancelled_until_it_settles() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.control().set_hold_withdrawals(true);
    let c = client(&sandbox);
    let w = c
        .accounts()
        .withdraw_crypto(&WithdrawCrypto::new(
            seed::MANAGER_BTC_ACCOUNT,
            d("0.002"),
            "bc1qcancellationflow",
        ))
        .await
        .unwrap();
    let query = CancellationEligibilityQuery {
        transactions_id: w.id,
        customers_id: None,
    };
    let before = c
        .transactions()
        .cancellation_eligibility(&query)
        .await
        .unwrap();
    assert!(before.cancellable);
    sandbox.control().settle_transaction(w.id).unwrap();
    let after = c
        .transactions()
        .cancellation_eligibility(&query)
        .await
        .unwrap();
    assert!(!after.cancellable);
    // An incoming deposit is never cancellable.
    let deposit = sandbox
        .control()
        .credit_deposit(seed::MANAGER_USD_ACCOUNT, d("1"))
        .unwrap();
    let incoming = c
        .transactions()
        .cancellation_eligibility(&CancellationEligibilityQuery {
            transactions_id: deposit,
            customers_id: None,
        })
        .await
        .unwrap();
    assert!(!incoming.cancellable);
}
