//! Each call is one `rocketchat.call` span with the operation, status, duration, attempts and
//! rate limit remaining, and no credentials.

use rocketchat::types::{GroupsLeaveRequest, Room};
use rocketchat::{Client, Credentials};
use serde_json::json;
use workspace_tests::{Capture, Reply, Server};

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
