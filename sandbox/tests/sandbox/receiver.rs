//! A tiny callback receiver for the tests: an HTTP/1 server on an ephemeral loopback port that
//! records every request (body bytes, signature header, content type, arrival time) and
//! answers from a script (a status, or never), then with a default answer.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// How the receiver answers one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Status(u16),
    /// Never answers (the connection stays open until the sender gives up).
    Hang,
}

#[derive(Clone, Debug)]
pub struct Received {
    pub body: Bytes,
    pub signature: Option<String>,
    pub content_type: Option<String>,
    pub method: String,
    pub path: String,
    pub at: Instant,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("callback body is not JSON ({e}): {:?}", self.body))
    }
}

/// base64(SHA-256(body ++ secret)): what `webhook-signature` must carry, computed here
/// independently of the sandbox.
pub fn expected_signature(body: &[u8], secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(body);
    h.update(secret.as_bytes());
    let digest: [u8; 32] = h.finalize().into();
    base64::engine::general_purpose::STANDARD.encode(digest)
}

struct Inner {
    received: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<Answer>>,
    default: Answer,
}

pub struct Receiver {
    pub url: String,
    inner: Arc<Inner>,
    task: JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    /// Answers 200 to everything.
    pub async fn ok() -> Receiver {
        Receiver::start(Vec::new(), Answer::Status(200)).await
    }

    /// Answers from `script` first, then `default`.
    pub async fn start(script: Vec<Answer>, default: Answer) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"));
        let inner = Arc::new(Inner {
            received: Mutex::new(Vec::new()),
            script: Mutex::new(script.into()),
            default,
        });
        let server = inner.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let inner = server.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req| handle(inner.clone(), req));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        Receiver {
            url: format!("http://{addr}/callbacks"),
            inner,
            task,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner
            .received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Every request's envelope, after checking that each is a signed JSON POST.
    pub fn verified(&self, secret: &str) -> Vec<Value> {
        self.received()
            .iter()
            .map(|r| {
                assert_eq!(r.method, "POST");
                assert_eq!(r.path, "/callbacks");
                assert_eq!(r.content_type.as_deref(), Some("application/json"));
                assert_eq!(
                    r.signature.as_deref(),
                    Some(expected_signature(&r.body, secret).as_str()),
                    "signature of {:?}",
                    r.body
                );
                r.json()
            })
            .collect()
    }
}

async fn handle(
    inner: Arc<Inner>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let signature = header("webhook-signature");
    let content_type = header("content-type");
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    // Recorded before answering: once the sandbox sees the answer, the request is here.
    inner
        .received
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(Received {
            body,
            signature,
            content_type,
            method,
            path,
            at: Instant::now(),
        });
    let answer = inner
        .script
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pop_front()
        .unwrap_or(inner.default);
    match answer {
        Answer::Status(code) => {
            let mut resp = Response::new(Full::new(Bytes::from_static(b"ok")));
            *resp.status_mut() = hyper::StatusCode::from_u16(code)
                .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
            Ok(resp)
        }
        Answer::Hang => std::future::pending().await,
    }
}
