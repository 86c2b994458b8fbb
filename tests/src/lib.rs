//! Helpers shared by the workspace tests: a small HTTP/1.1 server on 127.0.0.1 that records
//! each request exactly as it arrived and answers with canned responses.
//!
//! It is deliberately raw (a TCP listener, not a mock framework): the tests assert the bytes
//! the client puts on the wire, and later tests need a server that misbehaves on purpose.

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A canned response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Bytes written instead of a well-formed response (to break the protocol on purpose).
    pub raw: Option<Vec<u8>>,
    /// Never answer; hold the connection open.
    pub stall: bool,
    /// Send the body one byte at a time, with this pause before each.
    pub trickle: Option<std::time::Duration>,
}

impl Reply {
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::raw(status, "application/json", body.to_string().into_bytes())
    }

    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let headers = vec![("Content-Type".into(), content_type.into())];
        Self { status, headers, body: body.into(), raw: None, stall: false, trickle: None }
    }

    /// These bytes and nothing else, then the connection closes.
    pub fn wire(bytes: impl Into<Vec<u8>>) -> Self {
        Self { raw: Some(bytes.into()), ..Self::raw(200, "application/json", "") }
    }

    /// No answer at all: the server reads the request and waits forever.
    pub fn stall() -> Self {
        Self { stall: true, ..Self::raw(200, "application/json", "") }
    }

    /// The body a byte at a time, `pause` before each: a server that never stalls long enough
    /// for a per-read timeout, but takes as long as it likes in all.
    pub fn trickled(mut self, pause: std::time::Duration) -> Self {
        self.trickle = Some(pause);
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target: path and query.
    pub target: String,
    /// Header names lower-cased, in the order they arrived.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The value of the one header called `name`; panics (failing the test) on none or several.
    pub fn header(&self, name: &str) -> &str {
        let values: Vec<&str> =
            self.headers.iter().filter(|(key, _)| key == name).map(|(_, value)| value.as_str()).collect();
        assert_eq!(values.len(), 1, "expected exactly one `{name}` header in {:?}", self.headers);
        values[0]
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

#[derive(Clone)]
pub struct Server {
    address: std::net::SocketAddr,
    recorded: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Starts a server that answers the n-th request with `replies[n]`, and any later one
    /// with the last reply.
    pub async fn start(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty(), "a server needs at least one reply");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let log = recorded.clone();
        tokio::spawn(async move {
            let mut served = 0;
            while let Ok((stream, _)) = listener.accept().await {
                let reply = replies[served.min(replies.len() - 1)].clone();
                served += 1;
                let log = log.clone();
                tokio::spawn(async move {
                    let mut stream = stream;
                    // Logged before replying, so a test that has its response sees the request.
                    if let Some(request) = read_request(&mut stream).await {
                        log.lock().expect("log lock").push(request);
                        write_reply(&mut stream, &reply).await;
                    }
                });
            }
        });
        Self { address, recorded }
    }

    /// Like [`Server::start`], for tests without an async runtime: the server runs on a thread
    /// of its own until the test process ends.
    pub fn start_on_thread(replies: Vec<Reply>) -> Self {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            runtime.block_on(async move {
                sender.send(Server::start(replies).await).expect("the test waits for the server");
                std::future::pending::<()>().await;
            });
        });
        receiver.recv().expect("the server starts")
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().expect("log lock").clone()
    }

    /// The one request the server received.
    pub fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:?}");
        requests[0].clone()
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, target) = (request_line.next()?.to_owned(), request_line.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length = headers.iter().find(|(name, _)| name == "content-length").and_then(|(_, value)| value.parse().ok());
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length.unwrap_or(0) {
        let mut chunk = [0; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Recorded { method, target, headers, body })
}

/// Writes `reply` and closes the connection.
async fn write_reply(stream: &mut TcpStream, reply: &Reply) {
    if reply.stall {
        std::future::pending::<()>().await;
    }
    if let Some(raw) = &reply.raw {
        let _ = stream.write_all(raw).await;
        let _ = stream.shutdown().await;
        return;
    }
    let mut response =
        format!("HTTP/1.1 {} Canned\r\nContent-Length: {}\r\nConnection: close\r\n", reply.status, reply.body.len());
    for (name, value) in &reply.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    let mut bytes = response.into_bytes();
    if let Some(pause) = reply.trickle {
        let _ = stream.write_all(&bytes).await;
        for byte in &reply.body {
            tokio::time::sleep(pause).await;
            if stream.write_all(&[*byte]).await.is_err() {
                return;
            }
        }
        let _ = stream.shutdown().await;
        return;
    }
    bytes.extend_from_slice(&reply.body);
    // A client that hung up early is the test's business, not the server's.
    let _ = stream.write_all(&bytes).await;
    let _ = stream.shutdown().await;
}

/// The README's code blocks, compiled (and run where not marked `no_run`) as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Every span name, field name and field value the code under test records.
#[derive(Clone, Default)]
pub struct Capture {
    /// (field name, value) pairs, and ("span", name) for each span, in the order recorded.
    pub seen: Arc<Mutex<Vec<(String, String)>>>,
    next_id: Arc<AtomicU64>,
}

struct Recorder<'a>(&'a Mutex<Vec<(String, String)>>);

impl Visit for Recorder<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.lock().unwrap().push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.seen.lock().unwrap().push(("span".into(), span.metadata().name().into()));
        span.record(&mut Recorder(&self.seen));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Recorder(&self.seen));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        event.record(&mut Recorder(&self.seen));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

impl Capture {
    /// Everything recorded so far, as one string to search.
    pub fn text(&self) -> String {
        self.seen.lock().unwrap().iter().map(|(name, value)| format!("{name}={value}\n")).collect()
    }
}
