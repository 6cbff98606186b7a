//! A scriptable HTTP/1.1 server on 127.0.0.1 for the core's tests: it records every request
//! that arrives (so tests can count arrivals and read headers) and answers as each test says,
//! including answers no real server library gives: a dropped connection, a stalled response.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ibanera::{Client, ClientBuilder, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

pub enum Reply {
    /// A response with this status, extra headers and body.
    Respond(u16, Vec<(&'static str, String)>, String),
    /// A 200 with a `Content-Length` of this many bytes and then that many bytes of JSON-ish
    /// padding, written in chunks (never held in memory at once); `None`: chunked, endless.
    Huge(Option<u64>),
    /// Close the connection without answering (after the request arrived).
    Drop,
    /// Wait, then reply.
    Delay(Duration, Box<Reply>),
    /// Reply, then close the connection this long after (a server ending an idle keep-alive
    /// connection, without announcing it in the response).
    ThenClose(Box<Reply>, Duration),
}

pub fn json(status: u16, body: &str) -> Reply {
    Reply::Respond(status, vec![], body.to_string())
}

pub fn ok(details: &str) -> Reply {
    json(
        200,
        &format!(r#"{{"id":0,"details":{details},"status":"1","errors":[]}}"#),
    )
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// The path of the login endpoint.
pub const LOGIN_PATH: &str = "/api/v1/public/auth/login";

/// The credentials every test client uses, and what the server's default login accepts.
/// The TOTP secret the tests' clients use.
pub const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// Fast retries so tests take milliseconds.
pub fn fast() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
    }
}

/// A client of `server` with the tests' credentials and fast retries.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .username(USERNAME)
        .password(PASSWORD)
        .totp_secret(SECRET)
        .base_url(&server.url)
        .retry_policy(fast())
}

pub const USERNAME: &str = "api-user";
pub const PASSWORD: &str = "pw-canary-41d7";

/// The default login: `tok-1`, `tok-2`, ... valid for an hour.
pub fn login_ok(n: usize) -> Reply {
    json(
        200,
        &format!(
            r#"{{"id":1004,"details":{{"accessToken":"tok-{n}","expiresIn":3600}},"status":"1","errors":[]}}"#
        ),
    )
}

pub struct MockServer {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    logins: Arc<Mutex<Vec<Recorded>>>,
    connections: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct Handlers {
    api: Arc<Handler>,
    login: Arc<Handler>,
    idle_timeout: Option<Duration>,
}

impl MockServer {
    /// Starts a server; `handler(request, index)` decides each answer (index counts from 0).
    /// Logins are answered by [`login_ok`] and recorded apart ([`MockServer::logins`]), so the
    /// indices count the API calls only.
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> MockServer {
        Self::start_with_login(|_, n| login_ok(n + 1), handler).await
    }

    /// As [`MockServer::start`], with `login(request, index)` answering the logins.
    pub async fn start_with_login(
        login: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> MockServer {
        Self::start_full(login, handler, None).await
    }

    /// A server that closes a keep-alive connection after `idle` without a new request, as
    /// real servers do (Node and Apache after 5 s).
    pub async fn start_with_idle_timeout(
        idle: Duration,
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> MockServer {
        Self::start_full(|_, n| login_ok(n + 1), handler, Some(idle)).await
    }

    async fn start_full(
        login: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
        idle_timeout: Option<Duration>,
    ) -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let logins = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let handlers = Handlers {
            api: Arc::new(handler),
            login: Arc::new(login),
            idle_timeout,
        };
        let (reqs, logs, conns) = (requests.clone(), logins.clone(), connections.clone());
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                conns.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, reqs.clone(), logs.clone(), handlers.clone()));
            }
        });
        MockServer {
            url,
            requests,
            logins,
            connections,
        }
    }

    /// The API requests that arrived (logins excluded).
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// The login requests that arrived.
    pub fn logins(&self) -> Vec<Recorded> {
        self.logins.lock().unwrap().clone()
    }

    pub fn login_count(&self) -> usize {
        self.logins.lock().unwrap().len()
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn serve(
    mut stream: TcpStream,
    requests: Arc<Mutex<Vec<Recorded>>>,
    logins: Arc<Mutex<Vec<Recorded>>>,
    handlers: Handlers,
) {
    let mut buf = Vec::new();
    loop {
        let idle = handlers.idle_timeout.filter(|_| buf.is_empty());
        let next = read_request(&mut stream, &mut buf);
        let request = match idle {
            // Idle: nothing of a next request arrived in time, so the server closes (a request
            // that started to arrive is read to its end, as real servers do).
            Some(idle) => match tokio::time::timeout(idle, next).await {
                Ok(r) => r,
                Err(_) => return,
            },
            None => next.await,
        };
        let Some(request) = request else {
            return;
        };
        let is_login = request.path == LOGIN_PATH;
        let log = if is_login { &logins } else { &requests };
        let index = {
            let mut r = log.lock().unwrap();
            r.push(request.clone());
            r.len() - 1
        };
        let mut reply = if is_login {
            (handlers.login)(&request, index)
        } else {
            (handlers.api)(&request, index)
        };
        let mut close_after = None;
        loop {
            match reply {
                Reply::ThenClose(next, after) => {
                    close_after = Some(after);
                    reply = *next;
                }
                Reply::Delay(d, next) => {
                    tokio::time::sleep(d).await;
                    reply = *next;
                }
                Reply::Drop => return,
                Reply::Huge(length) => {
                    let head = match length {
                        Some(n) => format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {n}\r\nContent-Type: application/json\r\n\r\n"
                        ),
                        None => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n".to_string(),
                    };
                    if stream.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    let chunk = vec![b' '; 64 * 1024];
                    let mut left = length.unwrap_or(u64::MAX);
                    while left > 0 {
                        let n = left.min(chunk.len() as u64) as usize;
                        let ok = if length.is_some() {
                            stream.write_all(&chunk[..n]).await.is_ok()
                        } else {
                            let frame = format!("{n:x}\r\n");
                            stream.write_all(frame.as_bytes()).await.is_ok()
                                && stream.write_all(&chunk[..n]).await.is_ok()
                                && stream.write_all(b"\r\n").await.is_ok()
                        };
                        if !ok {
                            return;
                        }
                        left -= n as u64;
                    }
                    return;
                }
                Reply::Respond(status, headers, body) => {
                    let mut head = format!(
                        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nContent-Type: application/json\r\n",
                        body.len()
                    );
                    for (k, v) in headers {
                        head.push_str(&format!("{k}: {v}\r\n"));
                    }
                    head.push_str("\r\n");
                    if stream.write_all(head.as_bytes()).await.is_err()
                        || stream.write_all(body.as_bytes()).await.is_err()
                    {
                        return;
                    }
                    break;
                }
            }
        }
        if let Some(after) = close_after {
            tokio::time::sleep(after).await;
            return;
        }
    }
}

async fn read_request(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Recorded> {
    let header_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let body_start = header_end + 4;
    while buf.len() < body_start + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[body_start..body_start + length]).to_string();
    buf.drain(..body_start + length);
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (
            p.to_string(),
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect(),
        ),
        None => (target, Vec::new()),
    };
    Some(Recorded {
        method,
        path,
        query,
        headers,
        body,
    })
}
