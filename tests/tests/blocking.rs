//! The blocking client (feature `blocking`): the same wire requests and error mapping as the
//! async client, from a thread with no async runtime.

use rocketchat::blocking::Client;
use rocketchat::types::{GroupsKickRequest, Room, User};
use rocketchat::{Credentials, Error, ErrorType, RetryPolicy, Transport};
use serde_json::json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use workspace_tests::{Reply, Server};

fn kick() -> GroupsKickRequest {
    GroupsKickRequest { room: Room::Id("R1".into()), user: User::Username("bob".into()) }
}

#[test]
fn a_call_sends_the_same_request_as_the_async_client() {
    let server = Server::start_on_thread(vec![Reply::json(200, &json!({"success": true}))]);
    let client = Client::new(&format!("{}/chat", server.url()), Credentials::new("user-1", "token-1")).unwrap();
    assert!(client.groups_kick(&kick()).unwrap().success);
    let request = server.only_request();
    assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/chat/api/v1/groups.kick"));
    assert_eq!(request.header("x-user-id"), "user-1");
    assert_eq!(request.header("x-auth-token"), "token-1");
    assert_eq!(request.header("content-type"), "application/json");
    assert_eq!(request.json(), json!({"roomId": "R1", "username": "bob"}));
}

#[test]
fn failures_map_to_the_same_variants() {
    let body = json!({"success": false, "error": "Not allowed [error-not-allowed]", "errorType": "error-not-allowed", "details": {"method": "removeUserFromRoom"}});
    let server = Server::start_on_thread(vec![Reply::json(400, &body)]);
    let error = Client::new(&server.url(), Credentials::new("u", "t")).unwrap().groups_kick(&kick()).unwrap_err();
    assert!(matches!(&error, Error::Api(_)), "{error:?}");
    assert_eq!(ErrorType::of(&error), Some(ErrorType::NotAllowed));

    let server = Server::start_on_thread(vec![Reply::raw(404, "text/plain", "404 Not Found")]);
    let error = Client::new(&server.url(), Credentials::new("u", "t")).unwrap().groups_kick(&kick()).unwrap_err();
    assert!(matches!(&error, Error::Status(api) if api.body == "404 Not Found"), "{error:?}");
}

#[test]
fn a_429_is_retried_when_asked_to() {
    let reset = (SystemTime::now() + Duration::from_millis(30)).duration_since(UNIX_EPOCH).unwrap().as_millis();
    let limited = Reply::json(429, &json!({"success": false, "error": "slow down [error-too-many-requests]"}))
        .header("X-RateLimit-Reset", &reset.to_string());
    let server = Server::start_on_thread(vec![limited, Reply::json(200, &json!({"success": true}))]);
    let transport = Transport::builder(server.url(), Credentials::new("u", "t"))
        .retry_on_rate_limit(RetryPolicy::default())
        .build_blocking()
        .unwrap();
    assert!(Client::from_transport(transport).groups_kick(&kick()).unwrap().success);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_stall_times_out() {
    let server = Server::start_on_thread(vec![Reply::stall()]);
    let transport = Transport::builder(server.url(), Credentials::new("u", "t"))
        .timeout(Duration::from_millis(200))
        .build_blocking()
        .unwrap();
    let error = Client::from_transport(transport).groups_kick(&kick()).unwrap_err();
    let Error::Timeout { endpoint } = &error else { panic!("expected Error::Timeout, got {error:?}") };
    assert_eq!(endpoint.to_string(), format!("groups.kick (POST {}/api/v1/groups.kick)", server.url()));
}

#[tokio::test]
async fn building_it_inside_an_async_runtime_is_an_error_not_a_panic() {
    let error = Client::new("http://127.0.0.1:1", Credentials::new("u", "t")).unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
}

#[test]
fn a_blocking_client_logs_in_answers_a_challenge_and_logs_out() {
    use rocketchat::Password;
    use rocketchat::two_factor::{Answer, Challenge};
    let required = Reply::json(
        401,
        &json!({"success": false, "error": "totp-required", "status": "error",
            "details": {"method": "totp", "availableMethods": ["totp"]}, "message": "TOTP Required"}),
    );
    let logged_in = Reply::json(200, &json!({"status": "success", "data": {"userId": "u9", "authToken": "t9"}}));
    let replies =
        vec![required, logged_in, Reply::json(200, &json!({"success": true})), Reply::raw(200, "text/plain", "")];
    let server = Server::start_on_thread(replies);
    let transport = Transport::anonymous(server.url())
        .two_factor_handler(|_: &Challenge| Answer::code("246810"))
        .build_blocking()
        .unwrap();
    transport.log_in(&Password::new("alice", "pw")).unwrap();
    let client = Client::from_transport(transport.clone());
    client.groups_kick(&kick()).unwrap();
    transport.log_out().unwrap();
    assert!(transport.credentials().is_none());

    let requests = server.requests();
    assert_eq!(requests[1].header("x-2fa-code"), "246810");
    assert_eq!(requests[2].header("x-auth-token"), "t9");
    assert_eq!(requests[3].target, "/api/v1/logout");
}

/// reqwest's blocking timeout holds per read; the transport's deadline holds for the whole
/// call, so a body trickled a byte at a time cannot keep a call waiting past it.
#[test]
fn a_trickled_body_times_out_as_a_whole() {
    let body = format!("{{\"success\": true, \"padding\": \"{}\"}}", "x".repeat(200));
    let reply = Reply::raw(200, "application/json", body).trickled(Duration::from_millis(20));
    let server = Server::start_on_thread(vec![reply]);
    let transport = Transport::builder(server.url(), Credentials::new("u", "t"))
        .timeout(Duration::from_millis(300))
        .build_blocking()
        .unwrap();
    let error = Client::from_transport(transport).groups_kick(&kick()).unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[test]
fn the_blocking_client_works_against_the_fake_on_its_own_thread() {
    let fake = rocketchat_fake::FakeRocketChat::start_on_thread().unwrap();
    let client = Client::new(fake.url(), fake.admin()).unwrap();
    let created = client.groups_create(&rocketchat::types::GroupsCreateRequest::new("threaded".into())).unwrap();
    assert_eq!(created.group.name.as_deref(), Some("threaded"));
    let error = client
        .groups_kick(&GroupsKickRequest { room: Room::Name("threaded".into()), user: User::Username("nobody".into()) })
        .unwrap_err();
    assert_eq!(ErrorType::of(&error), Some(ErrorType::InvalidUser));
}
