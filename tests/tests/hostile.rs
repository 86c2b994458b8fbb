//! The client against servers that misbehave: huge, truncated or wrongly typed bodies, stalls,
//! connections closed mid-body, rate limits. None may panic; each gives its own variant.

use rocketchat::types::{GroupsLeaveRequest, Room};
use rocketchat::{Client, Credentials, Error, RetryPolicy, Transport, TwoFactor};
use serde_json::json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use workspace_tests::{Reply, Server};

const TOKEN: &str = "secret-token-value";

fn builder(server: &Server) -> rocketchat::TransportBuilder {
    Transport::builder(server.url(), Credentials::new("user-1", TOKEN))
}

async fn leave(client: &Client) -> Result<rocketchat::types::GroupChanged, Error> {
    client.groups_leave(&GroupsLeaveRequest { room: Room::Id("R1".into()) }).await
}

async fn call(
    replies: Vec<Reply>,
    configure: impl FnOnce(rocketchat::TransportBuilder) -> rocketchat::TransportBuilder,
) -> (Result<rocketchat::types::GroupChanged, Error>, Server) {
    let server = Server::start(replies).await;
    let client = Client::from_transport(configure(builder(&server)).build().unwrap());
    (leave(&client).await, server)
}

#[tokio::test]
async fn a_stalling_server_times_out() {
    let (result, server) = call(vec![Reply::stall()], |b| b.timeout(Duration::from_millis(200))).await;
    let error = result.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    // A log line names the call and where it went.
    let expected = format!("groups.leave (POST {}/api/v1/groups.leave): no response within the timeout", server.url());
    assert_eq!(error.to_string(), expected);
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_transport_error() {
    let wire = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"success\":";
    let (result, server) = call(vec![Reply::wire(wire)], |b| b).await;
    let error = result.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let prefix = format!("groups.leave (POST {}/api/v1/groups.leave): transport error: ", server.url());
    assert!(error.to_string().starts_with(&prefix), "{error}");
}

#[tokio::test]
async fn a_huge_error_body_is_capped() {
    let page = "<html>".repeat(10 * 1024 * 1024 / 6);
    let (result, _server) = call(vec![Reply::raw(502, "text/html", page)], |b| b).await;
    let Err(Error::Status(api)) = &result else { panic!("{result:?}") };
    assert_eq!(api.body.len(), 64 * 1024);
}

#[tokio::test]
async fn a_success_body_over_the_limit_is_refused() {
    let body = json!({"success": true, "group": {"_id": "R1", "topic": "x".repeat(10 * 1024 * 1024)}});
    let (result, _server) = call(vec![Reply::json(200, &body)], |b| b.max_body_size(1024 * 1024)).await;
    assert!(matches!(result, Err(Error::BodyTooLarge { limit: 1_048_576, .. })), "{:?}", result.map(|_| ()));
    // Under the default limit (16 MiB) the same body decodes.
    let (result, _server) = call(vec![Reply::json(200, &body)], |b| b).await;
    assert_eq!(result.unwrap().group.unwrap().topic.unwrap().len(), 10 * 1024 * 1024);
}

#[tokio::test]
async fn server_errors_and_old_404s_keep_their_message() {
    let body = json!({"success": false, "error": "Service unavailable", "errorType": "error-maintenance"});
    let (result, _server) = call(vec![Reply::json(503, &body)], |b| b).await;
    let error = result.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 503), "{error:?}");
    assert_eq!(error.error_type(), Some("error-maintenance"));

    let old = json!({"status": "error", "message": "API endpoint does not exist"});
    let (result, _server) = call(vec![Reply::json(404, &old)], |b| b).await;
    let error = result.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status == 404), "{error:?}");
    assert_eq!(error.message(), Some("API endpoint does not exist"));
}

#[tokio::test]
async fn a_429_says_how_long_to_wait() {
    let (result, _server) = call(vec![rate_limited(Duration::from_secs(30))], |b| b).await;
    let wait = result.unwrap_err().retry_after().expect("a retry hint");
    assert!(wait > Duration::from_secs(20) && wait <= Duration::from_secs(30), "{wait:?}");
    // Without the reset header, the seconds in the message.
    let body = json!({"success": false, "error": "You must wait 7 seconds before trying this endpoint again. [error-too-many-requests]"});
    let (result, _server) = call(vec![Reply::json(429, &body)], |b| b).await;
    assert_eq!(result.unwrap_err().retry_after(), Some(Duration::from_secs(7)));
    let (result, _server) = call(vec![Reply::json(500, &json!({"success": false, "error": "x"}))], |b| b).await;
    assert_eq!(result.unwrap_err().retry_after(), None);
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let reply = Reply::raw(302, "text/plain", "moved").header("Location", "http://127.0.0.1:1/elsewhere");
    let (result, server) = call(vec![reply], |b| b).await;
    assert!(matches!(&result, Err(Error::Status(api)) if api.status == 302), "{result:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn wrong_types_and_non_json_success_bodies_are_decode_errors() {
    for body in
        ["[1, 2]", "{\"success\": \"true\"}", "<html>oops</html>", "{\"group\": {\"_id\": 5}, \"success\": true}"]
    {
        let (result, _server) = call(vec![Reply::raw(200, "application/json", body)], |b| b).await;
        assert!(matches!(&result, Err(Error::Decode { body_start, .. }) if body_start == body), "{body}: {result:?}");
    }
}

fn rate_limited(reset_in: Duration) -> Reply {
    let reset = (SystemTime::now() + reset_in).duration_since(UNIX_EPOCH).unwrap().as_millis();
    let body = json!({"success": false, "error": "Error, too many requests. Please slow down. You must wait 1 seconds before trying this endpoint again. [error-too-many-requests]"});
    Reply::json(429, &body)
        .header("X-RateLimit-Limit", "10")
        .header("X-RateLimit-Remaining", "0")
        .header("X-RateLimit-Reset", &reset.to_string())
}

#[tokio::test]
async fn with_retry_on_a_429_is_retried_after_the_reset() {
    let replies = vec![rate_limited(Duration::from_millis(50)), Reply::json(200, &json!({"success": true}))];
    let policy = RetryPolicy { max_retries: 2, max_total_wait: Duration::from_secs(5) };
    let (result, server) = call(replies, |b| b.retry_on_rate_limit(policy)).await;
    assert!(result.unwrap().success);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
}

#[tokio::test]
async fn without_retry_a_429_is_returned() {
    let replies = vec![rate_limited(Duration::from_millis(50)), Reply::json(200, &json!({"success": true}))];
    let (result, server) = call(replies, |b| b).await;
    assert!(matches!(result, Err(Error::RateLimited(_))), "{result:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_stop_at_the_attempt_and_wait_bounds() {
    let policy = RetryPolicy { max_retries: 1, max_total_wait: Duration::from_secs(5) };
    let (result, server) = call(vec![rate_limited(Duration::from_millis(20))], |b| b.retry_on_rate_limit(policy)).await;
    assert!(matches!(result, Err(Error::RateLimited(_))), "{result:?}");
    assert_eq!(server.requests().len(), 2, "one call and one retry");

    let policy = RetryPolicy { max_retries: 3, max_total_wait: Duration::from_secs(1) };
    let (result, server) = call(vec![rate_limited(Duration::from_secs(60))], |b| b.retry_on_rate_limit(policy)).await;
    assert!(matches!(result, Err(Error::RateLimited(_))), "{result:?}");
    assert_eq!(server.requests().len(), 1, "a wait beyond the bound is not taken");
}

#[tokio::test]
async fn other_failures_are_never_retried() {
    let policy = RetryPolicy::default();
    let replies = vec![
        Reply::json(500, &json!({"success": false, "error": "boom"})),
        Reply::json(200, &json!({"success": true})),
    ];
    let (result, server) = call(replies, |b| b.retry_on_rate_limit(policy)).await;
    assert!(matches!(result, Err(Error::Api(_))), "{result:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn send_exposes_the_rate_limit_of_a_success() {
    let reply = Reply::json(200, &json!({"success": true})).header("X-RateLimit-Remaining", "7");
    let server = Server::start(vec![reply]).await;
    let transport = builder(&server).build().unwrap();
    let body = GroupsLeaveRequest { room: Room::Id("R1".into()) };
    let response = transport.send::<rocketchat::operations::GroupsLeave>(&body).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.rate_limit.unwrap().remaining, Some(7));
}

#[tokio::test]
async fn two_factor_headers_are_sent_only_by_the_copy_that_has_them() {
    let server = Server::start(vec![Reply::json(200, &json!({"success": true}))]).await;
    let client = Client::from_transport(builder(&server).build().unwrap());
    leave(&client.with_two_factor(TwoFactor::totp("123456"))).await.unwrap();
    leave(&client).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].header("x-2fa-code"), "123456");
    assert_eq!(requests[0].header("x-2fa-method"), "totp");
    assert!(requests[1].headers.iter().all(|(name, _)| !name.starts_with("x-2fa")));
}

#[tokio::test]
async fn no_output_of_client_config_or_any_error_contains_a_secret() {
    let server = Server::start(vec![Reply::json(401, &json!({"status": "error", "message": "no"}))]).await;
    let client = Client::from_transport(builder(&server).retry_on_rate_limit(RetryPolicy::default()).build().unwrap())
        .with_two_factor(TwoFactor::totp("998877"));
    let mut texts = vec![
        format!("{client:?}"),
        format!("{:?}", Credentials::new("u", TOKEN)),
        format!("{:?}", builder(&server).retry_on_rate_limit(RetryPolicy::default())),
        format!("{:?}", TwoFactor::totp("998877")),
    ];
    let mut errors = vec![leave(&client).await.unwrap_err()];
    for reply in [
        Reply::json(400, &json!({"success": false, "error": "x", "errorType": "error-not-allowed"})),
        Reply::json(403, &json!({"success": false, "error": "unauthorized"})),
        rate_limited(Duration::from_secs(60)),
        Reply::raw(404, "text/plain", "404 Not Found"),
        Reply::raw(200, "application/json", "{"),
        Reply::wire("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{"),
        Reply::stall(),
    ] {
        errors.push(call(vec![reply], |b| b.timeout(Duration::from_millis(300))).await.0.unwrap_err());
    }
    let big = Reply::json(200, &json!({"success": true, "pad": "y".repeat(100)}));
    errors.push(call(vec![big], |b| b.max_body_size(10)).await.0.unwrap_err());
    errors.push(Client::new("not a url", Credentials::new("u", TOKEN)).unwrap_err());
    errors.push(Credentials::from_lookup(|_| None).unwrap_err());
    for error in &errors {
        texts.push(format!("{error:?}"));
        texts.push(error.to_string());
    }
    for text in &texts {
        assert!(!text.contains(TOKEN) && !text.contains("998877"), "a secret leaked into {text}");
    }
}

#[tokio::test]
async fn a_caller_supplied_reqwest_client_is_used() {
    let server = Server::start(vec![Reply::json(200, &json!({"success": true}))]).await;
    let mut marker = reqwest::header::HeaderMap::new();
    marker.insert("x-sent-by", "my-reqwest-client".parse().unwrap());
    // A program that builds its own client with reqwest's `rustls-no-provider` (as this
    // workspace does) installs a provider first; with reqwest's defaults it has one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().default_headers(marker).build().unwrap();
    let transport = builder(&server).http_client(http).user_agent("mine/2").build().unwrap();
    leave(&Client::from_transport(transport)).await.unwrap();
    let request = server.only_request();
    assert_eq!(request.header("x-sent-by"), "my-reqwest-client", "the caller's client sent it");
    assert_eq!(request.header("user-agent"), "mine/2");
}

#[tokio::test]
async fn the_default_user_agent_names_the_crate_version() {
    let server = Server::start(vec![Reply::json(200, &json!({"success": true}))]).await;
    leave(&Client::from_transport(builder(&server).build().unwrap())).await.unwrap();
    assert!(server.only_request().header("user-agent").starts_with("rocketchat-rust/0."));
}
