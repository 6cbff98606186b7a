//! The HTTP server: our own hyper accept loop around the axum router, so that an injected
//! fault can close a connection without a response, cut a body short or stream one without
//! end; plus the authentication gate (see `auth.rs`) and the execution counters.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
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

use crate::auth::{Auth, LOGIN_PATH, www_authenticate};
use crate::fault::Fault;
use crate::webhooks::Hub;
use crate::wire::json_response;
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
    world: Mutex<World>,
    pub faults: Mutex<Vec<FaultEntry>>,
    pub executions: Mutex<BTreeMap<String, u64>>,
    pub auth: Auth,
    /// How long a keep-alive connection may sit idle; read when a connection is accepted.
    pub idle_timeout: Mutex<Duration>,
    /// Callback receivers and their delivery tasks.
    pub hooks: Arc<Hub>,
    /// Crypto withdrawals stay Pending until settled or failed through the control.
    hold_withdrawals: AtomicBool,
}

/// The locked world. When it is released, the events its changes produced go to the callback
/// receivers' queues, still under the lock, so that callbacks keep the order of the changes.
pub(crate) struct WorldGuard<'a> {
    world: MutexGuard<'a, World>,
    hooks: &'a Hub,
}

impl Deref for WorldGuard<'_> {
    type Target = World;

    fn deref(&self) -> &World {
        &self.world
    }
}

impl DerefMut for WorldGuard<'_> {
    fn deref_mut(&mut self) -> &mut World {
        &mut self.world
    }
}

impl Drop for WorldGuard<'_> {
    fn drop(&mut self) {
        let events = self.world.take_events();
        if !events.is_empty() {
            self.hooks.publish(events);
        }
    }
}

impl Shared {
    pub(crate) fn new(auth: Auth, idle_timeout: Duration, hooks: Hub, hold: bool) -> Shared {
        Shared {
            world: Mutex::new(World::seeded()),
            faults: Mutex::new(Vec::new()),
            executions: Mutex::new(BTreeMap::new()),
            auth,
            idle_timeout: Mutex::new(idle_timeout),
            hooks: Arc::new(hooks),
            hold_withdrawals: AtomicBool::new(hold),
        }
    }

    /// The world, locked; see [`WorldGuard`].
    pub(crate) fn world(&self) -> WorldGuard<'_> {
        WorldGuard {
            world: lock(&self.world),
            hooks: &self.hooks,
        }
    }

    pub(crate) fn hold_withdrawals(&self) -> bool {
        self.hold_withdrawals.load(Ordering::Relaxed)
    }

    pub(crate) fn set_hold_withdrawals(&self, hold: bool) {
        self.hold_withdrawals.store(hold, Ordering::Relaxed);
    }

    /// Back to the seeded world; faults, execution and login counters, failure runs, locks
    /// and used OTP steps cleared. Tokens stay valid.
    pub(crate) fn reset(&self) {
        let fresh = World::seeded();
        *lock(&self.world) = fresh;
        lock(&self.faults).clear();
        lock(&self.executions).clear();
        self.auth.reset();
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

/// A body generated as it is sent, never held in memory whole: fixed pieces and runs of one
/// byte (a run without a count never ends). With only counted runs its exact length is known,
/// so hyper sends `Content-Length`; an endless one goes out chunked.
pub(crate) struct Generated {
    pieces: VecDeque<Piece>,
    /// One chunk of the current run's byte, sliced for every frame (no copy).
    chunk: Option<(u8, Bytes)>,
    remaining: Option<u64>,
}

pub(crate) enum Piece {
    Fixed(Bytes),
    Repeat { byte: u8, count: Option<u64> },
}

const CHUNK: usize = 64 * 1024;

impl Generated {
    pub(crate) fn new(pieces: Vec<Piece>) -> Generated {
        let mut remaining = Some(0u64);
        for p in &pieces {
            remaining = match (remaining, p) {
                (Some(n), Piece::Fixed(b)) => n.checked_add(b.len() as u64),
                (Some(n), Piece::Repeat { count: Some(c), .. }) => n.checked_add(*c),
                _ => None,
            };
        }
        Generated {
            pieces: pieces.into(),
            chunk: None,
            remaining,
        }
    }
}

impl http_body::Body for Generated {
    type Data = Bytes;
    type Error = Abort;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Abort>>> {
        let this = self.get_mut();
        loop {
            let Some(front) = this.pieces.front_mut() else {
                return Poll::Ready(None);
            };
            let data = match front {
                Piece::Fixed(b) => {
                    let b = std::mem::take(b);
                    this.pieces.pop_front();
                    b
                }
                Piece::Repeat { byte, count } => {
                    let n = count.map_or(CHUNK, |c| c.min(CHUNK as u64) as usize);
                    if n == 0 {
                        this.pieces.pop_front();
                        continue;
                    }
                    if let Some(c) = count {
                        *c -= n as u64;
                    }
                    let byte = *byte;
                    let chunk = match &this.chunk {
                        Some((b, chunk)) if *b == byte => chunk.clone(),
                        _ => {
                            let chunk = Bytes::from(vec![byte; CHUNK]);
                            this.chunk = Some((byte, chunk.clone()));
                            chunk
                        }
                    };
                    chunk.slice(..n)
                }
            };
            if data.is_empty() {
                continue;
            }
            if let Some(r) = &mut this.remaining {
                *r -= data.len() as u64;
            }
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
    }

    fn is_end_stream(&self) -> bool {
        self.pieces.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.remaining {
            Some(n) => http_body::SizeHint::with_exact(n),
            None => http_body::SizeHint::default(),
        }
    }
}

/// An HTTP 200 JSON response with a generated body.
fn generated_json(pieces: Vec<Piece>) -> Response<Body> {
    let mut r = Response::new(Body::new(Generated::new(pieces)));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// Exactly `bytes` bytes: a success envelope whose `details` is a long string of `x`; below
/// the envelope's own length, its first `bytes` bytes.
fn oversize_body(bytes: u64) -> Response<Body> {
    const HEAD: &[u8] = br#"{"id":0,"details":""#;
    const TAIL: &[u8] = br#"","status":"1","errors":[]}"#;
    let frame = (HEAD.len() + TAIL.len()) as u64;
    let pieces = if bytes >= frame {
        vec![
            Piece::Fixed(Bytes::from_static(HEAD)),
            Piece::Repeat {
                byte: b'x',
                count: Some(bytes - frame),
            },
            Piece::Fixed(Bytes::from_static(TAIL)),
        ]
    } else {
        let whole = [HEAD, TAIL].concat();
        vec![Piece::Fixed(Bytes::from(whole).slice(..bytes as usize))]
    };
    generated_json(pieces)
}

/// A success envelope whose `details` string never closes: spaces until the client leaves.
fn endless_body() -> Response<Body> {
    generated_json(vec![
        Piece::Fixed(Bytes::from_static(br#"{"id":0,"details":""#)),
        Piece::Repeat {
            byte: b' ',
            count: None,
        },
    ])
}

/// A valid success envelope whose `details` is `depth` nested arrays (`[[...]]`).
fn deep_json_body(depth: u64) -> Response<Body> {
    generated_json(vec![
        Piece::Fixed(Bytes::from_static(br#"{"id":0,"details":"#)),
        Piece::Repeat {
            byte: b'[',
            count: Some(depth),
        },
        Piece::Repeat {
            byte: b']',
            count: Some(depth),
        },
        Piece::Fixed(Bytes::from_static(br#","status":"1","errors":[]}"#)),
    ])
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

/// Authentication (except for the login itself and `/_sandbox/...`), the router, the
/// execution counter. A request refused at authentication never reaches the router.
async fn execute(shared: &Shared, router: Router, req: Request<Incoming>) -> Response<Body> {
    let path = req.uri().path().to_string();
    let is_post = req.method() == Method::POST;
    let open = path == LOGIN_PATH || path == "/_sandbox" || path.starts_with("/_sandbox/");
    if !open {
        if let Err(e) = shared.auth.authenticate(req.headers()) {
            let mut resp = e.response();
            if e.errors.iter().any(|i| i.field == "Authorization") {
                resp.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, www_authenticate());
            }
            return resp;
        }
    }
    let resp = match router.oneshot(req.map(Body::new)).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    // Logins are counted by the auth statistics, not here: this counter is for calls that
    // move money or create things.
    if is_post && path.starts_with("/api/") && path != LOGIN_PATH && resp.status().is_success() {
        shared.count_execution(format!("POST {path}"));
    }
    resp
}

/// One request: faults around [`execute`].
async fn handle(
    shared: Arc<Shared>,
    router: Router,
    req: Request<Incoming>,
) -> Result<Response<Body>, Abort> {
    let path = req.uri().path().to_string();
    let fault = shared.take_fault(&path);
    // Faults that answer instead of executing.
    match &fault {
        Some(Fault::DropBeforeExecute) => return Err(Abort("dropped before execute")),
        Some(Fault::Status {
            status,
            body,
            retry_after,
            execute: false,
        }) => return Ok(status_fault(*status, body.clone(), retry_after.clone())),
        Some(Fault::Html {
            status,
            execute: false,
        }) => return Ok(html_fault(*status)),
        Some(Fault::StatusZero) => {
            return Ok(envelope_failure(
                StatusCode::OK,
                "InternalError",
                "Sandbox_Fault",
            ));
        }
        _ => {}
    }
    let resp = execute(&shared, router, req).await;
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
        // The real response is dropped: a gateway timed out while the API executed.
        Some(Fault::Status {
            status,
            body,
            retry_after,
            execute: true,
        }) => Ok(status_fault(status, body, retry_after)),
        Some(Fault::Html {
            status,
            execute: true,
        }) => Ok(html_fault(status)),
        Some(Fault::OversizeBody { bytes }) => Ok(oversize_body(bytes)),
        Some(Fault::EndlessBody) => Ok(endless_body()),
        Some(Fault::DeepJson { depth }) => Ok(deep_json_body(depth)),
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
        let idle = *lock(&shared.idle_timeout);
        tokio::spawn(async move {
            let svc = service_fn(move |req| handle(shared.clone(), router.clone(), req));
            // The header read timeout runs while hyper waits for the next request head, so it
            // also closes a keep-alive connection left idle that long.
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(idle)
                .serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                _ = conn_stop.wait_for(|s| *s) => {}
            }
        });
    }
}
