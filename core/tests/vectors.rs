//! Replays the shared vectors of `tests/vectors/` (taken from the spec): each call's request
//! must encode to exactly the vector's request, each response must decode to the expected
//! values (digit for digit), and each invalid call must be refused with nothing sent.

mod support;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use ibanera::{Client, ErrorKind, ops};
use serde_json::Value;
use serde_json::value::RawValue;
use support::{MockServer, Reply};

fn vectors() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// `expected` is a subset of `actual`: objects by key, arrays element-wise with equal length.
fn assert_subset(expected: &Value, actual: &Value, path: &str) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                let got = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{path}.{k}: missing in {actual}"));
                assert_subset(v, got, &format!("{path}.{k}"));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            assert_eq!(e.len(), a.len(), "{path}: length");
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                assert_subset(ev, av, &format!("{path}[{i}]"));
            }
        }
        // With arbitrary_precision, numbers compare by their exact text.
        _ => assert_eq!(expected, actual, "{path}"),
    }
}

/// A server that answers each request with the next scripted (status, body).
async fn scripted(replies: Vec<(u16, String)>) -> MockServer {
    let replies = Arc::new(Mutex::new(replies.into_iter()));
    MockServer::start(move |_, _| match replies.lock().unwrap().next() {
        Some((status, body)) => Reply::Respond(status, vec![], body),
        None => Reply::Drop,
    })
    .await
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .username(support::USERNAME)
        .password(support::PASSWORD)
        .totp_secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        .base_url(&server.url)
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_operation_has_a_vector() {
    let names: Vec<String> = vectors()
        .iter()
        .map(|(_, v)| v["endpoint"].as_str().unwrap().to_string())
        .collect();
    let mut expected: Vec<String> = ops::OPERATIONS.iter().map(|o| o.name.to_string()).collect();
    expected.sort();
    assert_eq!(names, expected);
}

#[tokio::test]
async fn requests_encode_exactly_as_the_spec_shows() {
    for (file, v) in vectors() {
        let op = ops::find(v["endpoint"].as_str().unwrap()).unwrap();
        let first = &v["responses"][0];
        let server = scripted(vec![(
            first["http_status"].as_u64().unwrap() as u16,
            first["body_text"].as_str().unwrap().to_string(),
        )])
        .await;
        let _ = ops::call_json(&client(&server), op.name, &v["call"]["args"]).await;
        let reqs = server.requests();
        assert_eq!(reqs.len(), 1, "{file}: one request");
        let r = &reqs[0];
        let want = &v["request"];
        assert_eq!(r.method, want["method"].as_str().unwrap(), "{file}");
        assert_eq!(r.path, want["path"].as_str().unwrap(), "{file}");
        assert_eq!(
            r.path, op.endpoint.path,
            "{file}: the endpoint table agrees"
        );
        let want_query: Vec<(String, String)> = want["query"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap().to_string(),
                    p[1].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(r.query, want_query, "{file}: query");
        if want["body"].is_null() {
            assert!(r.body.is_empty(), "{file}: GET without body");
        } else {
            // Parsed with arbitrary precision: `100` != `100.0`, every digit counts.
            let sent: Value = serde_json::from_str(&r.body).unwrap();
            assert_eq!(&sent, &want["body"], "{file}: body");
        }
    }
}

#[tokio::test]
async fn responses_decode_digit_for_digit() {
    let mut checked = 0;
    for (file, v) in vectors() {
        let op = ops::find(v["endpoint"].as_str().unwrap()).unwrap();
        for response in v["responses"].as_array().unwrap() {
            let name = format!("{file} / {}", response["name"].as_str().unwrap());
            let status = response["http_status"].as_u64().unwrap() as u16;
            let body = response["body_text"].as_str().unwrap().to_string();
            let server = scripted(vec![(status, body.clone())]).await;
            let result = ops::call_json(&client(&server), op.name, &v["call"]["args"]).await;

            if let Some(expect) = response.get("expect") {
                let got = result.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_subset(expect, got, &name);
            }
            if let Some(expect) = response.get("expect_error") {
                let e = result.as_ref().expect_err(&name);
                assert_eq!(expect["kind"], "api");
                assert!(
                    matches!(
                        e.kind(),
                        ErrorKind::Api | ErrorKind::Authentication | ErrorKind::NotFound
                    ),
                    "{name}: {e:?}"
                );
                assert_eq!(
                    e.http_status(),
                    Some(expect["http_status"].as_u64().unwrap() as u16),
                    "{name}"
                );
                let errors = serde_json::to_value(e.api_errors()).unwrap();
                assert_eq!(errors, expect["errors"], "{name}");
            }
            if let Some(expect) = response.get("expect_details") {
                // The sample's details, under a successful envelope, byte for byte.
                #[derive(serde::Deserialize)]
                struct Raw<'a> {
                    #[serde(borrow)]
                    details: &'a RawValue,
                }
                let raw: Raw = serde_json::from_str(&body).unwrap();
                let ok_body = format!(
                    r#"{{"status":"1","errors":[],"details":{}}}"#,
                    raw.details.get()
                );
                let server = scripted(vec![(200, ok_body)]).await;
                let got = ops::call_json(&client(&server), op.name, &v["call"]["args"])
                    .await
                    .unwrap_or_else(|e| panic!("{name} details: {e}"));
                let got = if op.is_paged() {
                    got["items"].clone()
                } else {
                    got
                };
                assert_subset(expect, &got, &format!("{name} details"));
            }
            checked += 1;
        }
    }
    assert!(checked >= 24, "{checked} responses checked");
}

#[tokio::test]
async fn invalid_calls_are_refused_before_sending() {
    let server = scripted(vec![]).await;
    let c = client(&server);
    let mut refused = 0;
    for (file, v) in vectors() {
        let op = v["endpoint"].as_str().unwrap();
        for bad in v["invalid_calls"].as_array().unwrap() {
            let e = ops::call_json(&c, op, &bad["args"]).await.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Validation, "{file}: {e}");
            assert_eq!(
                e.validation().unwrap().field,
                bad["field"].as_str().unwrap(),
                "{file}: {e}"
            );
            assert!(e.to_string().contains("nothing was sent"), "{e}");
            refused += 1;
        }
    }
    assert!(refused >= 15, "{refused}");
    assert_eq!(server.count(), 0, "no invalid call reached the server");
}
