//! The HTTP server: our own hyper accept loop around the axum router, so that an injected
//! fault can close a connection without a response or cut a body short; plus authentication
//! (API key + TOTP) and the execution counters.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use bytes::Bytes;
use http_body::Frame;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

use crate::fault::Fault;
use crate::wire::{ApiError, json_response};
use crate::world::World;

/// Locks a mutex, ignoring poisoning (a panicking holder cannot leave the world half-changed
/// in a way that matters more than refusing every later request).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) struct FaultEntry {
    pub path: String,
    pub fault: Fault,
    pub remaining: u32,
}

/// Everything the server and [`crate::Control`] share.
pub(crate) struct Shared {
    pub world: Mutex<World>,
    pub faults: Mutex<Vec<FaultEntry>>,
    pub executions: Mutex<BTreeMap<String, u64>>,
    pub strict_otp: AtomicBool,
    used_steps: Mutex<BTreeSet<u64>>,
    api_key: String,
    totp: totp_rs::Totp,
}

impl Shared {
    pub(crate) fn new(api_key: String, totp: totp_rs::Totp, strict_otp: bool) -> Shared {
        Shared {
            world: Mutex::new(World::seeded()),
            faults: Mutex::new(Vec::new()),
            executions: Mutex::new(BTreeMap::new()),
            strict_otp: AtomicBool::new(strict_otp),
            used_steps: Mutex::new(BTreeSet::new()),
            api_key,
            totp,
        }
    }

    /// Back to the seeded world; faults, counters and used OTP steps cleared.
    pub(crate) fn reset(&self) {
        let fresh = World::seeded();
        *lock(&self.world) = fresh;
        lock(&self.faults).clear();
        lock(&self.executions).clear();
        lock(&self.used_steps).clear();
    }

    fn take_fault(&self, path: &str) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        let idx = faults.iter().position(|f| f.path == path)?;
        let entry = &mut faults[idx];
        let fault = entry.fault.clone();
        entry.remaining = entry.remaining.saturating_sub(1);
        if entry.remaining == 0 {
            faults.remove(idx);
        }
        Some(fault)
    }

    fn count_execution(&self, key: String) {
        *lock(&self.executions).entry(key).or_insert(0) += 1;
    }

    /// Checks `Authorization` (the raw key) and `otp` (RFC 6238, current step +-1; in strict
    /// mode a step already accepted is refused).
    fn authenticate(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let key = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if key != Some(self.api_key.as_str()) {
            return Err(ApiError::unauthorized("Authorization"));
        }
        let otp_refused = || ApiError::unauthorized("otp");
        let code = headers
            .get("otp")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .unwrap_or_default();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(otp_refused());
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let step = self.totp.check(code, now).ok_or_else(otp_refused)?;
        if self.strict_otp.load(Ordering::SeqCst) {
            let mut used = lock(&self.used_steps);
            let current = now / 30;
            used.retain(|s| s.saturating_add(2) >= current);
            if !used.insert(step) {
                return Err(otp_refused());
            }
        }
        Ok(())
    }
}

/// The error that makes hyper close a connection without (finishing) a response.
#[derive(Debug)]
pub(crate) struct Abort(&'static str);

impl fmt::Display for Abort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sandbox fault: {}", self.0)
    }
}

impl std::error::Error for Abort {}

/// A body that sends its first part, then fails (hyper then closes the connection).
struct Truncated {
    first: Option<Bytes>,
    wait: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl http_body::Body for Truncated {
    type Data = Bytes;
    type Error = Abort;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Abort>>> {
        let this = self.get_mut();
        if let Some(b) = this.first.take() {
            return Poll::Ready(Some(Ok(Frame::data(b))));
        }
        // Give hyper a moment to flush what was sent before the connection is cut.
        let wait = this
            .wait
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(Duration::from_millis(50))));
        match wait.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => Poll::Ready(Some(Err(Abort("truncated body")))),
        }
    }
}

fn envelope_failure(status: StatusCode, error_type: &str, code: &str) -> Response<Body> {
    json_response(
        status,
        &json!({
            "id": 0,
            "details": null,
            "status": "0",
            "errors": [{"errorType": error_type, "fieldName": "", "messageCode": code}],
        }),
    )
}

fn status_fault(status: u16, body: Option<String>, retry_after: Option<String>) -> Response<Body> {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = match body {
        None => envelope_failure(
            code,
            code.canonical_reason().unwrap_or("Error"),
            "Sandbox_Fault",
        ),
        Some(text) => {
            let is_json = serde_json::from_str::<serde_json::Value>(&text).is_ok();
            let mut r = Response::new(Body::from(text));
            *r.status_mut() = code;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(if is_json {
                    "application/json; charset=utf-8"
                } else {
                    "text/plain; charset=utf-8"
                }),
            );
            r
        }
    };
    if let Some(v) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

fn html_fault(status: u16) -> Response<Body> {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let title = format!(
        "{} {}",
        code.as_u16(),
        code.canonical_reason().unwrap_or("Error")
    );
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    let mut r = Response::new(Body::from(page));
    *r.status_mut() = code;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

async fn collect(resp: Response<Body>) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = resp.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    (parts, bytes)
}

/// One request: faults, authentication, the router, the execution counter.
async fn handle(
    shared: Arc<Shared>,
    router: Router,
    req: Request<Incoming>,
) -> Result<Response<Body>, Abort> {
    let path = req.uri().path().to_string();
    let is_post = req.method() == Method::POST;
    let fault = shared.take_fault(&path);
    match &fault {
        Some(Fault::DropBeforeExecute) => return Err(Abort("dropped before execute")),
        Some(Fault::Status {
            status,
            body,
            retry_after,
        }) => return Ok(status_fault(*status, body.clone(), retry_after.clone())),
        Some(Fault::Html { status }) => return Ok(html_fault(*status)),
        Some(Fault::StatusZero) => {
            return Ok(envelope_failure(
                StatusCode::OK,
                "InternalError",
                "Sandbox_Fault",
            ));
        }
        _ => {}
    }
    let control = path == "/_sandbox" || path.starts_with("/_sandbox/");
    let resp = match if control {
        Ok(())
    } else {
        shared.authenticate(req.headers())
    } {
        Err(e) => e.response(),
        Ok(()) => match router.oneshot(req.map(Body::new)).await {
            Ok(r) => r,
            Err(never) => match never {},
        },
    };
    if is_post && path.starts_with("/api/") && resp.status().is_success() {
        shared.count_execution(format!("POST {path}"));
    }
    match fault {
        Some(Fault::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(resp)
        }
        Some(Fault::DropAfterExecute) => Err(Abort("dropped after execute")),
        Some(Fault::Truncate) => {
            let (mut parts, bytes) = collect(resp).await;
            let full = bytes.len().max(2);
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(full));
            let first = bytes.slice(..bytes.len() / 2);
            let body = Body::new(Truncated {
                first: Some(first),
                wait: None,
            });
            Ok(Response::from_parts(parts, body))
        }
        Some(Fault::MalformedJson) => {
            let (mut parts, bytes) = collect(resp).await;
            let mut broken = bytes.slice(..bytes.len() / 2).to_vec();
            broken.extend_from_slice(b"<!-- sandbox fault -->");
            parts.status = StatusCode::OK;
            parts.headers.remove(header::CONTENT_LENGTH);
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            Ok(Response::from_parts(parts, Body::from(broken)))
        }
        _ => Ok(resp),
    }
}

/// Accepts connections until `stop` turns true (or its sender is dropped).
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    router: Router,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            r = listener.accept() => r,
            _ = stop.wait_for(|s| *s) => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors or similar: back off briefly.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let router = router.clone();
        let mut conn_stop = stop.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req| handle(shared.clone(), router.clone(), req));
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                _ = conn_stop.wait_for(|s| *s) => {}
            }
        });
    }
}
