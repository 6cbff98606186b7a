//! The sandbox's callbacks read by the SDK core's `webhooks` module: every event the sandbox
//! sends (from state changes and from triggers of each of the 12 types) verifies with the
//! receiver's secret and decodes into its typed model, money exact.

#[path = "sandbox/receiver.rs"]
mod receiver;
mod support;

use std::time::Duration;

use ibanera::webhooks::{self, EventData};
use ibanera_sandbox::{Sandbox, seed};
use receiver::Receiver;
use support::d;

/// Every callback type the SDK knows: the sandbox must be able to send each.
const TYPES: &[&str] = webhooks::EventType::KNOWN;

#[tokio::test]
async fn every_callback_decodes_as_a_typed_event_in_the_sdk() {
    let sb = Sandbox::start().await.unwrap();
    let c = sb.control();
    let rx = Receiver::ok().await;
    let (_, secret) = c.register_webhook(&rx.url).unwrap();
    c.credit_deposit(seed::MANAGER_USD_ACCOUNT, d("250.75"))
        .unwrap();
    c.credit_deposit(seed::MANAGER_BTC_ACCOUNT, d("0.000000000000000001"))
        .unwrap();
    for &t in TYPES {
        c.trigger_webhook(t, None).unwrap();
    }
    assert!(c.wait_for_deliveries(Duration::from_secs(60)).await);

    let received = rx.received();
    assert_eq!(received.len(), 3 + TYPES.len());
    let mut types = Vec::new();
    for r in &received {
        let sig = r.signature.clone().unwrap();
        let headers = [
            ("Content-Type", "application/json"),
            ("webhook-signature", sig.as_str()),
        ];
        let event = webhooks::construct_event_from_headers(&r.body, headers, &secret)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&r.body)));
        assert!(!event.event_type.is_unknown(), "{:?}", event.event_type);
        assert!(!matches!(event.data, EventData::Unknown(_)));
        types.push(event.event_type.as_str().to_string());
        // A wrong secret does not verify.
        assert!(webhooks::construct_event_from_headers(&r.body, headers, "other").is_err());
    }
    assert_eq!(types[3..], *TYPES);

    let first = webhooks::parse_event(&received[0].body).unwrap();
    match first.data {
        EventData::FiatDepositReceived(f) => {
            assert_eq!(f.amount.map(|a| a.to_string()).as_deref(), Some("250.75"));
            assert_eq!(f.accounts_id, seed::MANAGER_USD_ACCOUNT);
        }
        other => panic!("{other:?}"),
    }
    let tiny = webhooks::parse_event(&received[2].body).unwrap();
    match tiny.data {
        EventData::CryptoTransfer(t) => {
            let amount = t.amount.and_then(|a| a.amount).map(|a| a.to_string());
            assert_eq!(amount.as_deref(), Some("0.000000000000000001"));
            assert_eq!(t.status.as_deref(), Some("Completed"));
        }
        other => panic!("{other:?}"),
    }
    sb.shutdown().await;
}
