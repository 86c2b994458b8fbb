//! Each call is one `rocketchat.call` span with the operation, status, duration, attempts and
//! rate limit remaining, and no credentials.

use rocketchat::types::{GroupsLeaveRequest, Room};
use rocketchat::{Client, Credentials};
use serde_json::json;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use workspace_tests::{Reply, Server};

/// Every span name, field name and field value the code under test records.
#[derive(Clone, Default)]
struct Capture {
    seen: Arc<Mutex<Vec<(String, String)>>>,
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

#[tokio::test]
async fn a_call_is_traced_without_credentials() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let reply = Reply::json(400, &json!({"success": false, "error": "Not allowed [error-not-allowed]"}))
        .header("X-RateLimit-Remaining", "3");
    let server = Server::start(vec![reply]).await;
    let client = Client::new(&server.url(), Credentials::new("user-1", "secret-token-value")).unwrap();
    let _ = client.groups_leave(&GroupsLeaveRequest { room: Room::Id("R1".into()) }).await;

    let seen = capture.seen.lock().unwrap().clone();
    let value = |name: &str| seen.iter().find(|(field, _)| field == name).map(|(_, value)| value.as_str());
    assert_eq!(value("span"), Some("rocketchat.call"));
    assert_eq!(value("operation"), Some("\"groups.leave\""));
    assert_eq!(value("status"), Some("400"));
    assert_eq!(value("attempts"), Some("1"));
    assert_eq!(value("rate_limit_remaining"), Some("3"));
    assert!(value("duration_ms").is_some(), "{seen:?}");
    assert!(seen.iter().all(|(_, value)| !value.contains("secret-token-value")), "{seen:?}");
}
