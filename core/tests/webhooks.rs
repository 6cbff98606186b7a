//! Replays the callback vectors of `tests/vectors/webhooks/`: signatures computed here with
//! `sha2` + `base64` directly (not the module's `sign`), accepted in every documented encoding,
//! refused when anything is changed; each body parsed to the expected user-facing JSON, digit for
//! digit. Then the rules around them: type normalisation, disputed field spellings, decode
//! errors, header lookup, and secrets never printed.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use ibanera::webhooks::{
    self, EventData, EventType, QUICKBUY_SIGNATURE_HEADER, QuickBuyEvent, SIGNATURE_HEADER,
};
use ibanera::{Error, ErrorKind, ExchangeStatus, ExchangeType, TransferType};
use serde_json::Value;
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------------------------
// Vectors

struct Vector {
    file: String,
    kind: String,
    secret: String,
    body: Vec<u8>,
    expect: Value,
}

impl Vector {
    fn is_customer(&self) -> bool {
        self.kind == "customer"
    }

    /// Verifies and parses as the vector's kind, giving the user-facing JSON.
    fn construct(&self, body: &[u8], signature: &str, secret: &str) -> ibanera::Result<Value> {
        if self.is_customer() {
            webhooks::construct_event(body, signature, secret).map(|e| to_json(&e))
        } else {
            webhooks::construct_quickbuy_event(body, signature, secret).map(|e| to_json(&e))
        }
    }

    fn header(&self) -> &'static str {
        if self.is_customer() {
            SIGNATURE_HEADER
        } else {
            QUICKBUY_SIGNATURE_HEADER
        }
    }
}

fn vectors() -> Vec<Vector> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/webhooks");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let file = p.file_name().unwrap().to_string_lossy().into_owned();
            for key in ["name", "source", "kind", "secret", "body_text"] {
                assert!(v[key].is_string(), "{file}: `{key}` must be a string");
            }
            assert!(v["notes"].is_array(), "{file}: `notes` must be a list");
            Vector {
                kind: v["kind"].as_str().unwrap().to_string(),
                secret: v["secret"].as_str().unwrap().to_string(),
                body: v["body_text"].as_str().unwrap().as_bytes().to_vec(),
                expect: v["expect"].clone(),
                file,
            }
        })
        .collect()
}

/// The digest of body + secret, computed here independently of the module.
fn digest(body: &[u8], secret: &str) -> Vec<u8> {
    let mut bytes = body.to_vec();
    bytes.extend_from_slice(secret.as_bytes());
    Sha256::digest(&bytes).to_vec()
}

fn base64_signature(body: &[u8], secret: &str) -> String {
    STANDARD.encode(digest(body, secret))
}

fn hex_signature(body: &[u8], secret: &str) -> String {
    digest(body, secret)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// `expected` is a subset of `actual`. Inside raw JSON (`raw` set) a number is compared with an
/// expected string by its exact text; elsewhere types must match.
fn assert_subset(expected: &Value, actual: &Value, path: &str, raw: bool) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                let got = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k}: missing in {actual}"));
                let inner_raw = raw || (k == "raw" && path.ends_with(".data"));
                assert_subset(v, got, &format!("{path}.{k}"), inner_raw);
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{path}: length");
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                assert_subset(ev, av, &format!("{path}[{i}]"), raw);
            }
        }
        (Value::String(e), Value::Number(n)) if raw => assert_eq!(e, &n.to_string(), "{path}"),
        // With arbitrary_precision, numbers compare by their exact text.
        _ => assert_eq!(expected, actual, "{path}"),
    }
}

fn assert_signature_error(result: ibanera::Result<impl std::fmt::Debug>, context: &str) -> Error {
    let e = result.expect_err(context);
    assert_eq!(e.kind(), ErrorKind::SignatureVerification, "{context}: {e}");
    assert_eq!(e.kind().code(), "signature_verification_error");
    e
}

#[test]
fn every_vector_verifies_in_each_encoding_and_decodes_to_its_expectation() {
    let vectors = vectors();
    assert!(!vectors.is_empty());
    for v in &vectors {
        let b64 = base64_signature(&v.body, &v.secret);
        let hex = hex_signature(&v.body, &v.secret);
        assert_eq!(b64.len(), 44, "{}", v.file);
        assert_eq!(webhooks::sign(&v.body, &v.secret), b64, "{}: sign", v.file);
        assert_eq!(webhooks::sign_hex(&v.body, &v.secret), hex, "{}", v.file);

        let parsed = v.construct(&v.body, &b64, &v.secret).unwrap_or_else(|e| {
            panic!("{}: {e}", v.file);
        });
        let root = if v.is_customer() { "event" } else { "quickbuy" };
        let unknown_type =
            v.is_customer() && EventType::from_wire(parsed["type"].as_str().unwrap()).is_unknown();
        if unknown_type {
            // An unknown type's `data` is raw JSON: numbers compare by their text.
            let mut envelope = v.expect.clone();
            let data = envelope.as_object_mut().unwrap().remove("data").unwrap();
            assert_subset(&envelope, &parsed, root, false);
            assert_subset(&data, &parsed["data"], "event.data", true);
        } else {
            assert_subset(&v.expect, &parsed, root, false);
        }

        let unpadded = STANDARD_NO_PAD.encode(digest(&v.body, &v.secret));
        let spaced = format!("  {b64}\t\r\n");
        for accepted in [unpadded.as_str(), spaced.as_str()] {
            assert_eq!(
                v.construct(&v.body, accepted, &v.secret).unwrap(),
                parsed,
                "{}: {accepted:?}",
                v.file
            );
        }
        let upper = hex.to_ascii_uppercase();
        for hex_form in [hex.as_str(), upper.as_str()] {
            let result = v.construct(&v.body, hex_form, &v.secret);
            if v.is_customer() {
                assert_eq!(result.unwrap(), parsed, "{}: hex", v.file);
            } else {
                let e = assert_signature_error(result, &v.file);
                assert!(e.to_string().contains("base64"), "{e}");
            }
        }
    }
}

#[test]
fn any_change_to_body_signature_or_secret_is_refused() {
    for v in vectors() {
        let b64 = base64_signature(&v.body, &v.secret);
        // One byte of the body changed, at its start, middle and end.
        for at in [0, v.body.len() / 2, v.body.len() - 1] {
            let mut body = v.body.clone();
            body[at] ^= 0x01;
            let e = assert_signature_error(v.construct(&body, &b64, &v.secret), &v.file);
            assert!(e.to_string().contains("does not match"), "{e}");
        }
        // A byte appended (trailing newline added by a proxy, say).
        let mut longer = v.body.clone();
        longer.push(b'\n');
        assert_signature_error(v.construct(&longer, &b64, &v.secret), &v.file);

        // One character of the signature changed (still valid base64 of 32 bytes).
        let mut sig: Vec<char> = b64.chars().collect();
        sig[10] = if sig[10] == 'A' { 'B' } else { 'A' };
        let sig: String = sig.into_iter().collect();
        assert_signature_error(v.construct(&v.body, &sig, &v.secret), &v.file);
        if v.is_customer() {
            let mut hex = hex_signature(&v.body, &v.secret).into_bytes();
            hex[0] = if hex[0] == b'0' { b'1' } else { b'0' };
            let hex = String::from_utf8(hex).unwrap();
            assert_signature_error(v.construct(&v.body, &hex, &v.secret), &v.file);
        }

        // The wrong secret, and secrets that differ only slightly.
        for wrong in [
            "wrong".to_string(),
            format!("{} ", v.secret),
            v.secret
                .chars()
                .take(v.secret.chars().count() - 1)
                .collect(),
            v.secret.to_uppercase(),
        ] {
            assert_signature_error(v.construct(&v.body, &b64, &wrong), &v.file);
        }

        // Empty, blank or malformed signatures.
        for bad in [
            "",
            "   ",
            "not-a-signature",
            &b64[..40],
            "sha256=",
            &b64.repeat(2),
        ] {
            assert_signature_error(v.construct(&v.body, bad, &v.secret), &v.file);
        }

        // A missing header is a signature error naming the header expected.
        let headers = [("Content-Type", "application/json")];
        let e = if v.is_customer() {
            assert_signature_error(
                webhooks::construct_event_from_headers(&v.body, headers, &v.secret),
                &v.file,
            )
        } else {
            assert_signature_error(
                webhooks::construct_quickbuy_event_from_headers(&v.body, headers, &v.secret),
                &v.file,
            )
        };
        assert!(e.to_string().contains(v.header()), "{e}");

        // An empty secret is a configuration error, never a silent pass.
        let e = v.construct(&v.body, &b64, "").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    }
}

#[test]
fn the_headers_are_found_in_any_case_and_form() {
    let v = vectors()
        .into_iter()
        .find(|v| v.file == "customer.managee_kyc_updated.json")
        .unwrap();
    let sig = base64_signature(&v.body, &v.secret);
    let padded = format!(" {sig} ");

    // (&str, &str) pairs in any case.
    for name in [
        "webhook-signature",
        "Webhook-Signature",
        "WEBHOOK-SIGNATURE",
    ] {
        let headers = [("Accept", "*/*"), (name, padded.as_str())];
        assert_eq!(webhooks::signature_header(headers), Some(sig.as_str()));
        let event = webhooks::construct_event_from_headers(&v.body, headers, &v.secret).unwrap();
        assert_eq!(event.id, "2c58ed48-67d2-4d8e-bbb1-548864773d2c");
    }
    // Owned pairs by reference, byte pairs, a map.
    let owned: Vec<(String, String)> = vec![("WeBhOoK-SiGnAtUrE".into(), sig.clone())];
    assert_eq!(webhooks::signature_header(&owned), Some(sig.as_str()));
    let bytes: Vec<(&[u8], &[u8])> = vec![(b"webhook-signature", sig.as_bytes())];
    assert_eq!(webhooks::signature_header(bytes), Some(sig.as_str()));
    let map: HashMap<String, String> = [("webhook-signature".to_string(), sig.clone())].into();
    assert_eq!(webhooks::signature_header(&map), Some(sig.as_str()));
    // An HTTP library's own header map (reqwest's is the `http` crate's).
    let mut header_map = reqwest::header::HeaderMap::new();
    header_map.insert("webhook-signature", padded.parse().unwrap());
    assert_eq!(webhooks::signature_header(&header_map), Some(sig.as_str()));
    webhooks::construct_event_from_headers(&v.body, &header_map, &v.secret).unwrap();
    // Absent: None, and no confusion with the other family's header.
    assert_eq!(
        webhooks::signature_header([("QuickBuy-Signature", sig.as_str())]),
        None
    );
    assert_eq!(webhooks::signature_header(Vec::<(&str, &str)>::new()), None);
    // A value that is not UTF-8 is not a signature.
    let e = assert_signature_error(
        webhooks::construct_event_from_headers(
            &v.body,
            [(b"webhook-signature".as_slice(), b"\xff\xfe".as_slice())],
            &v.secret,
        ),
        "non-UTF-8 header",
    );
    assert!(e.to_string().contains("webhook-signature"), "{e}");

    // QuickBuy: both spellings the pages print, and lower case.
    let q = vectors()
        .into_iter()
        .find(|v| v.file == "quickbuy.payment_captured.json")
        .unwrap();
    let qsig = base64_signature(&q.body, &q.secret);
    for name in [
        "QuickBuy-Signature",
        "Quickbuy-Signature",
        "quickbuy-signature",
    ] {
        let headers = [(name, qsig.as_str())];
        assert_eq!(
            webhooks::quickbuy_signature_header(headers),
            Some(qsig.as_str())
        );
        let event =
            webhooks::construct_quickbuy_event_from_headers(&q.body, headers, &q.secret).unwrap();
        assert_eq!(event.kind(), "payment_captured");
    }
    assert_eq!(
        webhooks::quickbuy_signature_header([("webhook-signature", qsig.as_str())]),
        None
    );
}

#[test]
fn the_documented_quickbuy_header_value_has_the_accepted_shape() {
    // The QuickBuy Pro pages print this value without its body and secret: it must be read as
    // a digest (so the failure is a mismatch, not a malformed value).
    let e = webhooks::verify_quickbuy_signature(
        b"{}",
        "eO4HU1avkGpYpWf7eVzPYZGstCnnxdzytl3jUZ/tEiM=",
        "any",
    )
    .unwrap_err();
    assert!(e.to_string().contains("does not match"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Secrets

#[test]
fn the_secret_and_the_expected_signature_never_appear_in_errors() {
    const CANARY: &str = "canary-hash-secret-5d41402abc4b2a76";
    let body = br#"{"Id":"x","Type":"MANAGEE_KYC_UPDATED","Data":{"ManageesId":1}}"#;
    let expected = [
        webhooks::sign(body, CANARY),
        webhooks::sign_hex(body, CANARY),
    ];
    let other = webhooks::sign(body, "another-secret");
    let other_hex = webhooks::sign_hex(body, "another-secret");
    let results: Vec<ibanera::Result<()>> = vec![
        webhooks::verify_signature(body, &other, CANARY),
        webhooks::verify_signature(body, &other_hex, CANARY),
        webhooks::verify_signature(b"tampered", &expected[0], CANARY),
        webhooks::verify_signature(body, "", CANARY),
        webhooks::verify_signature(body, "garbage!", CANARY),
        // The arguments swapped by mistake: the secret passed as the signature.
        webhooks::verify_signature(body, CANARY, &other),
        webhooks::verify_quickbuy_signature(body, &other, CANARY),
        webhooks::verify_quickbuy_signature(body, &expected[1], CANARY),
        webhooks::verify_quickbuy_signature(body, CANARY, &other),
        webhooks::construct_event(b"not json", &other, CANARY).map(drop),
        webhooks::construct_event_from_headers(body, [("a", "b")], CANARY).map(drop),
    ];
    for r in results {
        let e = r.unwrap_err();
        for text in [e.to_string(), format!("{e:?}")] {
            assert!(!text.contains(CANARY), "secret leaked: {text}");
            assert!(
                !text.contains("5d41402a"),
                "part of the secret leaked: {text}"
            );
            for sig in &expected {
                assert!(
                    !text.contains(&sig[..12]),
                    "expected signature leaked: {text}"
                );
            }
        }
    }
    // A mismatch shows only a short prefix of what was received.
    let e = webhooks::verify_signature(body, &other, CANARY).unwrap_err();
    let text = e.to_string();
    assert!(text.contains(&other[..8]), "{text}");
    assert!(!text.contains(&other[..9]), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Types and fields

#[test]
fn every_documented_type_has_a_vector_and_its_model() {
    let mut seen = BTreeSet::new();
    for v in vectors().iter().filter(|v| v.is_customer()) {
        let event = webhooks::parse_event(&v.body).unwrap();
        if !event.event_type.is_unknown() {
            let model = event.event_type.data_model().unwrap();
            let variant = match &event.data {
                EventData::ManageeJumioCompleted(_) => "ManageeJumioCompletedData",
                EventData::CryptoTransfer(_) => "CryptoTransferData",
                EventData::ExchangeStatusUpdated(_) => "ExchangeStatusUpdatedData",
                EventData::FiatDepositReceived(_) => "FiatDepositReceivedData",
                EventData::ManageeCardApprovalUpdated(_) => "ManageeCardApprovalUpdatedData",
                EventData::ManageeKycUpdated(_) => "ManageeKycUpdatedData",
                EventData::TransactionStatusUpdated(_) => "TransactionStatusUpdatedData",
                EventData::InformationRequest(_) => "InformationRequestData",
                other => panic!("{}: {other:?}", v.file),
            };
            assert_eq!(variant, model, "{}", v.file);
        }
        seen.insert(event.event_type.as_str().to_string());
    }
    for code in EventType::KNOWN {
        assert!(seen.contains(*code), "no vector of type {code}");
    }
    assert_eq!(
        seen.len(),
        EventType::KNOWN.len() + 1,
        "one unknown type: {seen:?}"
    );
}

fn event(body: &str) -> webhooks::Event {
    webhooks::parse_event(body.as_bytes()).unwrap_or_else(|e| panic!("{body}: {e}"))
}

#[test]
fn type_codes_are_normalised() {
    let cases = [
        ("CRYPTO DEPOSIT CREATED", EventType::CryptoDepositCreated),
        (
            " MANAGEE_CARD_APPROVAL_UPDATED",
            EventType::ManageeCardApprovalUpdated,
        ),
        (
            "crypto_withdrawal_updated\n",
            EventType::CryptoWithdrawalUpdated,
        ),
        ("Fiat  Deposit\tReceived", EventType::FiatDepositReceived),
        ("FIAT_DEPOSIT_RECIEVED", EventType::FiatDepositReceived),
        ("fiat deposit recieved", EventType::FiatDepositReceived),
        ("information requested", EventType::InformationRequested),
    ];
    for (code, want) in cases {
        assert_eq!(EventType::from_wire(code), want, "{code:?}");
    }
    for code in EventType::KNOWN {
        let spaced = code.replace('_', " ").to_lowercase();
        assert_eq!(EventType::from_wire(&spaced).as_str(), *code);
    }
    let e = event(r#"{"Id":"1","Type":" new  thing ","Data":null}"#);
    assert_eq!(e.event_type, EventType::Other("NEW_THING".into()));
    assert_eq!(to_json(&e)["type"], "NEW_THING");
    assert_eq!(e.data, EventData::Unknown(Value::Null));
}

#[test]
fn an_unknown_type_keeps_its_data_exactly() {
    let body = r#"{"Id":"u1","Type":"SOMETHING_NEW","Data":{"Amount":0.100000000000000000,"Nested":{"KeepCase":[1,"two"]}}}"#;
    let e = event(body);
    assert!(e.event_type.is_unknown());
    let EventData::Unknown(raw) = &e.data else {
        panic!("{:?}", e.data)
    };
    assert_eq!(
        serde_json::to_string(raw).unwrap(),
        r#"{"Amount":0.100000000000000000,"Nested":{"KeepCase":[1,"two"]}}"#
    );
    // Serialized for users as the same JSON under `data`.
    assert_eq!(to_json(&e)["data"]["Nested"]["KeepCase"][1], "two");
}

fn crypto(body_data: &str) -> webhooks::CryptoTransferData {
    let body = format!(r#"{{"Id":"c","Type":"CRYPTO_DEPOSIT_UPDATED","Data":{body_data}}}"#);
    match event(&body).data {
        EventData::CryptoTransfer(d) => d,
        other => panic!("{other:?}"),
    }
}

#[test]
fn both_spellings_of_disputed_fields_are_read() {
    // AccountId / AccountsId and TransactionId / TransactionsId.
    for data in [
        r#"{"AccountsId":1,"TransactionsId":2}"#,
        r#"{"AccountId":1,"TransactionId":2}"#,
        r#"{"accountid":1,"TRANSACTIONSID":2}"#,
    ] {
        let d = crypto(data);
        assert_eq!((d.accounts_id, d.transactions_id), (Some(1), 2), "{data}");
    }
    // Both sent: the examples' plural form wins; a null plural form counts as absent.
    let d = crypto(r#"{"AccountId":9,"AccountsId":1,"TransactionsId":2,"TransactionId":8}"#);
    assert_eq!((d.accounts_id, d.transactions_id), (Some(1), 2));
    let d = crypto(r#"{"AccountsId":null,"AccountId":5,"TransactionsId":2}"#);
    assert_eq!(d.accounts_id, Some(5));

    // RollbackTransactionsID / RollbackTransactionsId.
    for key in [
        "RollbackTransactionsID",
        "RollbackTransactionsId",
        "rollbackTransactionsId",
    ] {
        let body = format!(
            r#"{{"Id":"t","Type":"TRANSACTION_STATUS_UPDATED","Data":{{"Id":5,"{key}":77}}}}"#
        );
        let EventData::TransactionStatusUpdated(d) = event(&body).data else {
            panic!()
        };
        assert_eq!(d.rollback_transactions_id, Some(77), "{key}");
    }

    // CustomerId / CustomersId.
    for key in ["CustomerId", "CustomersId", "customersId"] {
        let body =
            format!(r#"{{"Id":"i","Type":"INFORMATION_REQUESTED","Data":{{"{key}":2464}}}}"#);
        let EventData::InformationRequest(d) = event(&body).data else {
            panic!()
        };
        assert_eq!(d.customers_id, 2464, "{key}");
    }

    // DateTransfered (the wire's spelling) / DateTransferred.
    for key in ["DateTransfered", "DateTransferred", "datetransfered"] {
        let body = format!(
            r#"{{"OrderID":"o1","status":"COMPLETED","{key}":"2024-04-28T02:17:53.152Z"}}"#
        );
        let e = webhooks::parse_quickbuy_event(body.as_bytes()).unwrap();
        let p = e.payment().unwrap();
        assert_eq!(
            p.date_transferred.map(|t| t.to_rfc3339()),
            Some("2024-04-28T02:17:53.152+00:00".to_string()),
            "{key}"
        );
    }
}

#[test]
fn exchange_type_and_status_values() {
    let exchange = |data: &str| {
        let body = format!(r#"{{"Id":"e","Type":"EXCHANGE_STATUS_UPDATED","Data":{data}}}"#);
        match event(&body).data {
            EventData::ExchangeStatusUpdated(d) => d,
            other => panic!("{other:?}"),
        }
    };
    // A number is kept as received, not mapped (its meaning is undocumented).
    let d = exchange(r#"{"Id":1,"ExchangeType":0,"Status":"AwaitingRfi"}"#);
    assert_eq!(d.exchange_type, Some(ExchangeType::Other("0".into())));
    assert_eq!(d.status, Some(ExchangeStatus::AwaitingRfi));
    let d = exchange(r#"{"Id":1,"ExchangeType":"sell","Status":"OnHold","TransferType":"ach"}"#);
    assert_eq!(d.exchange_type, Some(ExchangeType::Sell));
    assert_eq!(d.status, Some(ExchangeStatus::Other("OnHold".into())));
    assert_eq!(d.transfer_type, Some(TransferType::Ach));
    // Absent and null are the same; `bHasOpenRfi` absent is false.
    let d = exchange(r#"{"Id":"11669","ExchangeType":null}"#);
    assert_eq!(
        (d.id, d.exchange_type.clone(), d.has_open_rfi),
        (11669, None, false)
    );
    assert_eq!(to_json(&d)["status"], Value::Null);
}

#[test]
fn information_request_ids_are_parsed_when_they_all_are_integers() {
    let ids = |value: &str| {
        let body = format!(
            r#"{{"Id":"i","Type":"INFORMATION_REQUEST_UPDATED","Data":{{"CustomersId":1,"UpdatedInformationRequestIds":{value}}}}}"#
        );
        match event(&body).data {
            EventData::InformationRequest(d) => {
                (d.updated_information_request_ids, d.information_request_ids)
            }
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(ids(r#""1013""#), (Some("1013".into()), Some(vec![1013])));
    assert_eq!(
        ids(r#""1013,1014 , 15""#),
        (Some("1013,1014 , 15".into()), Some(vec![1013, 1014, 15]))
    );
    assert_eq!(ids(r#""1013;1014""#), (Some("1013;1014".into()), None));
    assert_eq!(ids("null"), (None, None));
    // A number where the docs show a string keeps its digits.
    assert_eq!(ids("1013"), (Some("1013".into()), Some(vec![1013])));
}

#[test]
fn quickbuy_kind_follows_the_payload_shape() {
    let kind = |body: &str| webhooks::parse_quickbuy_event(body.as_bytes()).map(|e| e.kind());
    assert_eq!(
        kind(r#"{"OrderID":"a","status":"CAPTURED"}"#).unwrap(),
        "payment_captured"
    );
    assert_eq!(
        kind(r#"{"orderId":"a","Status":"completed"}"#).unwrap(),
        "cryptocurrency_transferred"
    );
    assert_eq!(
        kind(r#"{"OrderID":"a","status":"COMPLETE"}"#).unwrap(),
        "cryptocurrency_transferred"
    );
    assert_eq!(
        kind(r#"{"OrderID":"a","status":"EXPIRED"}"#).unwrap(),
        "payment_updated"
    );
    assert_eq!(kind(r#"{"OrderID":"a"}"#).unwrap(), "payment_updated");
    assert_eq!(kind(r#"{"TransactionReference":"QB1"}"#).unwrap(), "widget");
    // Neither shape: a decode error; a Customer API envelope gets a hint.
    let e = webhooks::parse_quickbuy_event(br#"{"Id":"x","Type":"T","Data":{}}"#).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(e.to_string().contains("construct_event"), "{e}");
    let e = webhooks::parse_quickbuy_event(br#"{"id":"662282ec"}"#).unwrap_err();
    assert!(e.to_string().contains("OrderID"), "{e}");
    // The serialized form is {"kind", "data"}.
    let e = webhooks::parse_quickbuy_event(br#"{"OrderID":"a","status":"CAPTURED"}"#).unwrap();
    assert!(matches!(e, QuickBuyEvent::PaymentCaptured(_)));
    let json = to_json(&e);
    assert_eq!(json["kind"], "payment_captured");
    assert_eq!(json["data"]["orderId"], "a");
}

// ---------------------------------------------------------------------------------------------
// Decode errors

#[test]
fn bodies_that_are_not_callbacks_are_decode_errors() {
    let cases: [(&[u8], &str); 11] = [
        (b"", "not JSON"),
        (b"not json", "not JSON"),
        (b"{\"Id\":", "not JSON"),
        (b"\xff\xfe{}", "not JSON"),
        (b"[1,2]", "an array"),
        (b"\"text\"", "a string"),
        (br#"{"Type":"MANAGEE_KYC_UPDATED","Data":{}}"#, "`Id`"),
        (br#"{"Id":"x","Data":{}}"#, "`Type`"),
        (br#"{"Id":"x","Type":"MANAGEE_KYC_UPDATED"}"#, "`Data`"),
        (
            br#"{"Id":"x","Type":7,"Data":{}}"#,
            "`Type` must be a string",
        ),
        (
            br#"{"Id":"x","Type":"MANAGEE_KYC_UPDATED","Data":[]}"#,
            "must be an object",
        ),
    ];
    for (body, needle) in cases {
        let e = webhooks::parse_event(body).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
        assert_eq!(e.kind().code(), "decode_error");
        assert!(matches!(e, Error::WebhookDecode { .. }), "{e:?}");
        assert!(e.to_string().contains(needle), "{needle}: {e}");
        assert_eq!((e.http_status(), e.endpoint()), (None, None));
    }
    // A known type whose field has the wrong type: the error names the field.
    let cases = [
        (
            r#"{"Id":"x","Type":"CRYPTO_DEPOSIT_CREATED","Data":{"TransactionsId":1,"Amount":{"Asset":"BTC","Amount":"lots"}}}"#,
            "Data.amount.amount",
        ),
        (
            r#"{"Id":"x","Type":"MANAGEE_KYC_UPDATED","Data":{"ManageesId":1,"AcceptDate":"2022-08-24713:39:37.72+00:00"}}"#,
            "Data.acceptdate",
        ),
        (
            r#"{"Id":"x","Type":"MANAGEE_KYC_UPDATED","Data":{"ManageesId":1.5}}"#,
            "Data.manageesid",
        ),
        (
            r#"{"Id":"x","Type":"MANAGEE_KYC_UPDATED","Data":{"VerificationStatus":"Accepted"}}"#,
            "manageesid",
        ),
    ];
    for (body, needle) in cases {
        let e = webhooks::parse_event(body.as_bytes()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{e}");
        assert!(e.to_string().contains(needle), "{needle}: {e}");
    }
    // The body prefix is kept for diagnosis, cut at 200 bytes.
    let long = format!("x{}", "y".repeat(500));
    let Error::WebhookDecode { body_prefix, .. } =
        webhooks::parse_event(long.as_bytes()).unwrap_err()
    else {
        panic!()
    };
    assert_eq!(body_prefix.len(), 200);
    // A correctly signed body that is not JSON passes the signature, then fails to decode.
    let sig = base64_signature(b"not json", "s");
    let e = webhooks::construct_event(b"not json", &sig, "s").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    let e = webhooks::construct_quickbuy_event(b"not json", &sig, "s").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
}

#[test]
fn envelope_keys_match_in_any_case_and_repeated_keys_keep_the_last() {
    let e =
        event(r#"{"id":"a","TYPE":"managee_kyc_updated","data":{"manageesid":1,"ManageesId":2}}"#);
    assert_eq!(e.id, "a");
    let EventData::ManageeKycUpdated(d) = &e.data else {
        panic!()
    };
    assert_eq!(d.managees_id, 2);
    let e = event(r#"{"Id":"a","Id":"b","Type":"X","Data":1}"#);
    assert_eq!(e.id, "b");
}

#[cfg(feature = "schema")]
#[test]
fn describe_lists_every_event_type_with_its_model() {
    let d = ibanera::schema::describe();
    let w = &d["webhooks"];
    let models = w["models"].as_object().unwrap();
    let events = w["customer"]["events"].as_array().unwrap();
    assert_eq!(events.len(), EventType::KNOWN.len());
    for (entry, code) in events.iter().zip(EventType::KNOWN) {
        assert_eq!(entry["type"], *code);
        let model = entry["model"].as_str().unwrap();
        assert!(models.contains_key(model), "{model}");
    }
    for (kind, model) in QuickBuyEvent::KINDS {
        assert!(models.contains_key(*model), "{kind}: {model}");
    }
    assert!(models.contains_key("Event") && models.contains_key("QuickBuyEvent"));
    assert_eq!(w["customer"]["signature_header"], SIGNATURE_HEADER);
    assert_eq!(w["quickbuy"]["signature_header"], QUICKBUY_SIGNATURE_HEADER);
    // Call results are described apart: the callback models are not among them.
    assert!(d["models"].get("Event").is_none());
}
